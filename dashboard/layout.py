"""Page building blocks: the role check, figure blocks (title, summary, chart, data toggle, downloads), KPIs and
drill-down links."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import audit, exports, figures, kpis, roles, shell, snapshot, text
from dashboard.filters import Filters
from dashboard.tables import Shown, shown

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


# Plotly's own toolbar is left out: it would sit over the legend on a narrow screen; Streamlit's element toolbar
# (full screen) remains, and every chart has its data and downloads under it.
CHART_CONFIG = {"displayModeBar": False, "responsive": True}


def heading(title: str, scope: str, summary: str | None = None) -> None:
    """A figure's title (wrapping at any width) and, under it, who it covers and what it shows in words."""
    st.markdown(f"#### {text.md(title)}")
    st.caption(text.md(f"{scope}." + (f" {summary}" if summary else "")))


def figure(
    ctx: Context,
    key: str,
    frame: pd.DataFrame,
    chart: Callable[[pd.DataFrame], go.Figure],
    title: str,
    columns: dict[str, str] | None = None,
    empty: str = EMPTY,
    scope: str | None = None,
) -> None:
    """A chart under its title and a sentence saying what it shows, with a "show data" toggle and CSV/XLSX downloads
    of exactly the rows charted. `columns` renames (and selects) the columns shown in tables and downloads; `scope`
    names the population when it is not the sidebar's."""
    scope = scope or ctx.filters.describe()
    if frame.empty:
        heading(title, scope)
        st.info(empty, icon=":material/filter_alt:")
        return
    fig = figures.figure(key, frame, chart)
    summary = figures.summary(fig)
    heading(title, scope, summary)
    st.plotly_chart(fig, key=f"{key}_chart", theme="streamlit", config=CHART_CONFIG, alt=f"{title}. {summary}")
    data_bar(key, lambda: shown(frame, columns), about=about(ctx, title, scope))


def about(ctx: Context, title: str, scope: str) -> dict[str, str]:
    """What a download holds, for its first sheet: the figure, the population, the data's as-of date and run (read
    while the page runs: a download is built later, outside the page's run)."""
    info = snapshot.lineage_info()
    return {
        "Figure": title,
        "Population (filters)": scope,
        "Data as of": str(info["as_of_date"]),
        "Published run": str(info["run_id"]),
        "Published at": str(info["published_at"]).replace("T", " "),
        "Source": "The built-in, invented sample" if info.get("is_sample") else str(info.get("source", "")),
        "Viewed as": roles.ROLE_LABELS[ctx.role],
    }


def section(page_key: str, options: dict[str, str]) -> str:
    """Which section of a page to show (the first by default): a page shows one section at a time, so its first view
    draws a chart or two rather than every chart it has. Sections and their choice are kept in the page's state."""
    (chosen, _), = views(f"{page_key}_section", "Section", options)
    return chosen


def views(key: str, label: str, options: list[str] | dict[str, str]) -> list[tuple[str, DeltaGenerator]]:
    """One of several views of a section, chosen with a row of buttons that wraps (long program names are never
    cut), and only the chosen view's content runs: the chosen option and its container. `options` are the labels,
    or a mapping of option to label (a label two options share is told apart by its option)."""
    labels = options if isinstance(options, dict) else {option: option for option in options}
    uses = Counter(labels.values())
    named = {option: text.md(f"{name} ({option})" if uses[name] > 1 else name) for option, name in labels.items()}
    first = next(iter(named))
    if st.session_state.get(key) not in named:  # first visit (the address may name a view), or the filters took it
        st.session_state[key] = st.query_params.get(key) if st.query_params.get(key) in named else first
    chosen = st.segmented_control(label, list(named), format_func=named.get, key=key, required=True, wrap=True)
    if chosen == first:  # kept in the address bar, so a copied link reopens this very view
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != chosen:
        st.query_params[key] = chosen
    return [(chosen, st.container())]


def data_bar(key: str, rows: Callable[[], Shown], row_level: str | None = None,
             about: dict[str, str] | None = None, toggle: bool = True) -> None:
    """The "show data" toggle (under a chart: `toggle`) and the two downloads; the rows are made only when shown or
    downloaded (and, for row-level data, the download is recorded in the audit log with `row_level` saying what it
    is)."""
    def data(build, name: str):
        return audit.download(build, f"{name} ({row_level}, {len(rows().frame)} rows)") if row_level else build

    def table_text() -> bytes:
        made = rows()
        return exports.csv_bytes(made.frame, made.percent)

    def workbook() -> bytes:
        made = rows()
        when = {"Downloaded at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
        return exports.xlsx_bytes(made.frame, key, made.percent, made.usd, {**about, **when} if about else None)

    left, middle, right = st.columns([2, 1, 1], vertical_alignment="center")
    show = toggle and left.toggle("Show data", key=f"{key}_show")
    middle.download_button("CSV", data=data(table_text, f"{key}.csv"),
                           file_name=f"{key}.csv", mime="text/csv", key=f"{key}_csv", on_click="ignore",
                           icon=":material/download:")
    right.download_button("XLSX", data=data(workbook, f"{key}.xlsx"), file_name=f"{key}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}_xlsx", on_click="ignore", icon=":material/download:")
    if show:
        made = rows()
        st.dataframe(made.frame, hide_index=True, column_config=made.column_config(), placeholder="—")


def table(ctx: Context, key: str, frame: pd.DataFrame, columns: dict[str, str] | None = None, empty: str = EMPTY,
          row_level: str | None = None, title: str | None = None) -> pd.DataFrame | None:
    """A table (no chart) under its title, with downloads; downloads of row-level data are audited."""
    if title:
        heading(title, ctx.filters.describe())
    if frame.empty:
        st.info(empty, icon=":material/filter_alt:")
        return None
    made = shown(frame, columns)
    st.dataframe(made.frame, hide_index=True, column_config=made.column_config(), placeholder="—")
    data_bar(key, lambda: made, row_level, about=about(ctx, title or key, ctx.filters.describe()), toggle=False)
    return made.frame


def kpi(column, ctx: Context, label: str, value: float | None, previous: float | None, kind: str = "count",
        better: str | None = None, page: str | None = None, help: str | None = None) -> None:
    """A key figure with its change against the previous year, coloured by whether a rise is good (`better` "up"),
    bad ("down") or neither (None: grey); "no change" is always grey."""
    shown_value, delta = kpis.figures(value, previous, kind)
    colour = {"up": "normal", "down": "inverse"}.get(better, "off") if delta != "no change" else "off"
    column.metric(label, shown_value, delta, delta_color=colour, border=True, help=help,
                  delta_arrow="off" if delta == "no change" else "auto")
    if page:
        column.page_link(shell.link_to(page), label=f"See {roles.page(page).title}", icon=":material/arrow_forward:",
                         query_params=ctx.filters.url())


def drill(ctx: Context, label: str, **params: str) -> None:
    """For administrators: a link to the Trainees page showing the trainees behind a figure."""
    if roles.sees_trainees(ctx.role):
        st.page_link(shell.link_to("trainees"), label=text.md(label), icon=":material/person_search:",
                     query_params={**ctx.filters.url(), **{k: str(v) for k, v in params.items()}})
