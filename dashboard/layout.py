"""Page building blocks: the role check, figure blocks (chart, data toggle, downloads), KPIs and drill-down links."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import audit, exports, figures, kpis, privacy, roles, shell
from dashboard.filters import Filters

EMPTY = "No trainees match these filters. Widen the filters in the sidebar to see this figure."


@dataclass(frozen=True)
class Context:
    """What a page needs to know: the viewer's role and the shared filters."""

    role: str
    filters: Filters


def context(page_key: str) -> Context:
    """The page's context; stops the page with a plain message when the role may not open it."""
    role = roles.current()
    if not roles.may_open(page_key):
        st.error(f"The {roles.page(page_key).title} page is not available to the {roles.ROLE_LABELS[role]} role.",
                 icon=":material/lock:")
        st.stop()
    chosen = st.session_state.get("_filters")
    if chosen is None:
        _leave_legacy_routing()
        st.error("Open the dashboard through its main address.")
        st.stop()
    return Context(role, chosen)


def _leave_legacy_routing() -> None:
    """Run the page again through app.py's navigation.

    Because a pages/ folder sits beside app.py, Streamlit routes a server's very first request the old way when it
    is a deep link (e.g. a shared /cohorts?program=… URL): the page script runs without the shell. Telling Streamlit
    to use st.navigation's routing, once per session, and rerunning puts the shell (role, filters, banner) back."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and not st.session_state.get("_left_legacy_routing"):
        st.session_state["_left_legacy_routing"] = True
        PagesManager.uses_pages_directory = False
        st.rerun()


def figure(
    ctx: Context,
    key: str,
    frame: pd.DataFrame,
    chart: Callable[[pd.DataFrame], go.Figure],
    counts: list[str],
    derived: dict[str, list[str]] | None = None,
    groups: list[list[str]] | None = None,
    columns: dict[str, str] | None = None,
    empty: str = EMPTY,
    parts: dict[str, list[str]] | None = None,
) -> None:
    """A chart with a "show data" toggle and CSV/XLSX downloads of exactly the rows charted, suppressed for the role.

    `columns` renames (and selects) the columns shown in tables and downloads."""
    if frame.empty:
        st.info(empty, icon=":material/filter_alt:")
        return
    protected = privacy.protect(frame, ctx.role, counts, derived, groups, parts)
    plotted = [c for c in [*counts, *(derived or {})] if c in protected.values]
    if protected.any and protected.values[plotted].isna().all().all():
        st.info(f"Every figure here comes from a group smaller than {privacy.threshold()}, so none can be shown.",
                icon=":material/visibility_off:")
    else:
        st.plotly_chart(figures.figure(key, protected.values, chart), key=f"{key}_chart", theme="streamlit")
    if protected.any:
        st.caption(f"Counts below {privacy.threshold()} (other than zero), and figures derived from them, are shown "
                   f"as {privacy.label()} and left out of the chart.")
    data_bar(key, lambda: _shown(protected, columns))


def _shown(protected: privacy.Protected, columns: dict[str, str] | None) -> pd.DataFrame:
    """The rows a table or download shows: suppressed cells as text, columns selected and renamed."""
    shown = protected.display()
    return shown[list(columns)].rename(columns=columns) if columns else shown


def tabs(key: str, options: list[str] | dict[str, str]) -> list[tuple[str, st.delta_generator.DeltaGenerator]]:
    """Tabs whose content runs only for the tab shown (choosing another reruns the page with it): the open one, as
    (option, tab). `options` are the labels, or a mapping of option to label (a label two options share is told apart
    by its option)."""
    labels = options if isinstance(options, dict) else {option: option for option in options}
    uses = Counter(labels.values())
    text = [f"{label} ({option})" if uses[label] > 1 else label for option, label in labels.items()]
    made = st.tabs(text, key=key, on_change="rerun")
    return [(option, tab) for option, tab in zip(labels, made, strict=True) if tab.open]


def data_bar(key: str, shown: Callable[[], pd.DataFrame], row_level: str | None = None) -> None:
    """The "show data" toggle and the two downloads; the rows are made only when shown or downloaded (and, for
    row-level data, the download is recorded in the audit log with `row_level` saying what it is)."""
    def data(build, name: str):
        return audit.download(build, f"{name} ({row_level}, {len(shown())} rows)") if row_level else build

    left, middle, right = st.columns([2, 1, 1], vertical_alignment="center")
    show = left.toggle("Show data", key=f"{key}_show")
    middle.download_button("CSV", data=data(lambda: exports.csv_bytes(shown()), f"{key}.csv"),
                           file_name=f"{key}.csv", mime="text/csv", key=f"{key}_csv", on_click="ignore",
                           icon=":material/download:")
    right.download_button("XLSX", data=data(lambda: exports.xlsx_bytes(shown(), key), f"{key}.xlsx"),
                          file_name=f"{key}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}_xlsx", on_click="ignore", icon=":material/download:")
    if show:
        st.dataframe(shown(), hide_index=True)


def table(ctx: Context, key: str, frame: pd.DataFrame, counts: list[str], derived: dict[str, list[str]] | None = None,
          groups: list[list[str]] | None = None, columns: dict[str, str] | None = None,
          empty: str = EMPTY, parts: dict[str, list[str]] | None = None,
          row_level: str | None = None) -> pd.DataFrame | None:
    """A table (no chart) with downloads, suppressed for the role; downloads of row-level data are audited."""
    if frame.empty:
        st.info(empty, icon=":material/filter_alt:")
        return None
    shown = _shown(privacy.protect(frame, ctx.role, counts, derived, groups, parts), columns)
    st.dataframe(shown, hide_index=True)
    data_bar(key, lambda: shown, row_level)
    return shown


def kpi(column, ctx: Context, label: str, value: float | None, previous: float | None, basis: list[float | None],
        previous_basis: list[float | None], kind: str = "count", page: str | None = None) -> None:
    """A KPI with its change against the previous year; suppressed (value and change) for small groups."""
    shown, delta = kpis.figures(value, previous, basis, previous_basis, ctx.role, kind)
    column.metric(label, shown, delta, border=True, delta_arrow="off" if delta == "no change" else "auto")
    if page:
        column.page_link(shell.link_to(page), label=f"See {roles.page(page).title}", icon=":material/arrow_forward:",
                         query_params=ctx.filters.url())


def drill(ctx: Context, label: str, **params: str) -> None:
    """For administrators: a link to the Trainees page showing the trainees behind a figure."""
    if roles.sees_trainees(ctx.role):
        st.page_link(shell.link_to("trainees"), label=label, icon=":material/person_search:",
                     query_params={**ctx.filters.url(), **{k: str(v) for k, v in params.items()}})
