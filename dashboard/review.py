"""What data staff review before anything changes: a check's findings, and what a publish or roll-back would change."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import audit, exports, runs, text
from etl import compare

FINDINGS = {"severity": "Severity", "rule": "Rule", "table": "Table", "file": "File", "row": "Row",
            "column": "Column", "value": "Value", "message": "Finding", "hint": "What to do"}
TABLES = {"table": "Table", "rows_before": "Rows now", "rows_after": "Rows after", "added": "Added",
          "removed": "Removed", "changed": "Changed"}
CHANGES = {"table": "Table", "key": "Key", "change": "Change", "column": "Column", "before": "Now", "after": "After"}
XLSX_ROWS = 1_048_575  # a worksheet's rows below its header
# Columns that name or reach a person: a comparison says they changed, never what they held (data staff check
# uploads; they do not read the published names).
PERSONAL = {("trainees", column) for column in ("given_name", "family_name", "email", "mentor", "research_topic")}
HIDDEN = "(personal data, not shown)"


def masked(changes: pd.DataFrame) -> pd.DataFrame:
    """A change list with the old and new values of personal columns hidden."""
    personal = [(table, column) in PERSONAL for table, column in zip(changes["table"], changes["column"],
                                                                    strict=True)]
    out = changes.copy()
    out.loc[personal, ["before", "after"]] = HIDDEN
    return out


def _stamp(path: Path | None) -> tuple | None:
    """What identifies a snapshot file's content for the cache (a candidate is rebuilt at the same path)."""
    if path is None:
        return None
    stat = Path(path).stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


@st.cache_data(max_entries=8, show_spinner="Comparing with what is published…")
def _compared(before: tuple | None, after: tuple, shown: int) -> compare.Comparison:
    return compare.compare(Path(before[0]) if before else None, Path(after[0]), shown)


def comparison(before: Path | None, after: Path, key: str) -> None:
    """What would change from the before snapshot to the after one: the as-of date, the headline figures, rows per
    table, trainees who appear or go, and the changed cells and added and removed rows, with all of them to
    download."""
    changes = _compared(_stamp(before), _stamp(after), compare.SHOWN_CHANGES)
    if changes.as_of_note:
        st.warning(changes.as_of_note, icon=":material/event:")
    if changes.unchanged:
        st.info("No row of any table would change" + (": only the as-of date." if changes.as_of_note else "."),
                icon=":material/equal:")
    figures = changes.headline.rename(columns={"figure": "Figure", "before": "Now", "after": "After",
                                               "change": "Change"})
    st.dataframe(figures, hide_index=True, key=f"{key}_headline",
                 column_config={c: st.column_config.NumberColumn(format="localized") for c in ("Now", "After",
                                                                                               "Change")})
    st.dataframe(changes.tables[list(TABLES)].rename(columns=TABLES), hide_index=True, key=f"{key}_tables")
    if changes.trainees_added or changes.trainees_removed:
        st.markdown(f"**New trainees** ({len(changes.trainees_added)}): "
                    f"{text.md(', '.join(changes.trainees_added)) or '—'}  \n"
                    f"**Trainees no longer in the data** ({len(changes.trainees_removed)}): "
                    f"{text.md(', '.join(changes.trainees_removed)) or '—'}")
    if not changes.unchanged:
        change_list(changes, before, after, key)


def change_rows(before: Path | None, after: Path) -> pd.DataFrame:
    """Every changed cell, added and removed row, as the downloads hold them."""
    return masked(compare.change_list(before, after)).rename(columns=CHANGES)


def change_list(changes: compare.Comparison, before: Path | None, after: Path, key: str) -> None:
    """The changed cells and added and removed rows, the first of them shown, all of them in CSV and XLSX."""
    st.markdown(f"**Changed cells, added and removed rows** ({changes.changes_total:,})")
    st.dataframe(masked(changes.changes).rename(columns=CHANGES), hide_index=True, key=f"{key}_changes")
    more = changes.changes_total - len(changes.changes)
    if more:
        st.caption(f"The first {len(changes.changes):,} of {changes.changes_total:,}: {more:,} more in the download.")
    left, right = st.columns(2)
    left.download_button("Changes (CSV)", audit.download(lambda: exports.csv_bytes(change_rows(before, after)),
                                                         "changes.csv"),
                         file_name="changes.csv", mime="text/csv", icon=":material/download:", on_click="ignore",
                         key=f"{key}_changes_csv")
    too_many = changes.changes_total > XLSX_ROWS
    right.download_button("Changes (XLSX)",
                          audit.download(lambda: exports.xlsx_bytes(change_rows(before, after), "changes"),
                                         "changes.xlsx"),
                          file_name="changes.xlsx", icon=":material/download:", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}_changes_xlsx", disabled=too_many,
                          help="More rows than a worksheet holds: use the CSV." if too_many else None)


def findings(found: pd.DataFrame, key: str, file_name: str, filters: bool = False) -> None:
    """The findings (errors first) with a CSV download of all of them; with `filters`, counts per table and a choice
    of severities and tables."""
    shown = found
    if filters:
        st.dataframe(runs.per_table(found).rename(columns={"table": "Table", "error": "Errors",
                                                           "warning": "Warnings"}),
                     hide_index=True, key=f"{key}_per_table")
        left, right = st.columns([1, 2])
        severities = left.segmented_control("Show", ["error", "warning"], default=["error", "warning"],
                                            selection_mode="multi", key=f"{key}_severity",
                                            format_func=lambda s: {"error": "Errors", "warning": "Warnings"}[s])
        in_tables = right.multiselect("Tables", sorted(found["table"].dropna().unique()), key=f"{key}_tables",
                                      placeholder="All")
        shown = runs.chosen(found, severities, in_tables)
    st.dataframe(shown.rename(columns=FINDINGS), hide_index=True, key=f"{key}_findings")
    st.download_button("Findings (CSV)", audit.download(lambda: exports.csv_bytes(found.rename(columns=FINDINGS)),
                                                        file_name),
                       file_name=file_name, mime="text/csv", icon=":material/download:", on_click="ignore",
                       key=f"{key}_findings_csv")
