"""What data staff review before anything changes: a check's findings, and what a publish or roll-back would change."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import audit, exports, runs
from etl import compare

FINDINGS = {"severity": "Severity", "rule": "Rule", "table": "Table", "file": "File", "row": "Row",
            "column": "Column", "value": "Value", "message": "Finding", "hint": "What to do"}
TABLES = {"table": "Table", "rows_before": "Rows now", "rows_after": "Rows after", "added": "Added",
          "removed": "Removed", "changed": "Changed"}


def comparison(changes: compare.Comparison, key: str) -> None:
    """Headline figures before and after, row changes per table, trainees who appear or go."""
    figures = changes.headline.rename(columns={"figure": "Figure", "before": "Now", "after": "After",
                                               "change": "Change"})
    st.dataframe(figures, hide_index=True, key=f"{key}_headline",
                 column_config={c: st.column_config.NumberColumn(format="localized") for c in ("Now", "After",
                                                                                               "Change")})
    st.dataframe(changes.tables[list(TABLES)].rename(columns=TABLES), hide_index=True, key=f"{key}_tables")
    if changes.trainees_added or changes.trainees_removed:
        st.markdown(f"**New trainees** ({len(changes.trainees_added)}): {', '.join(changes.trainees_added) or '—'}  \n"
                    f"**Trainees no longer in the data** ({len(changes.trainees_removed)}): "
                    f"{', '.join(changes.trainees_removed) or '—'}")


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
