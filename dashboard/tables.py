"""Rows as a table shows them: columns chosen and renamed, and which of them are percentages and dollars."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import exports


@dataclass(frozen=True)
class Shown:
    """Rows as a table shows them (columns renamed), and which of its columns are percentages and dollars."""

    frame: pd.DataFrame
    percent: list[str]
    usd: list[str]

    def column_config(self) -> dict:
        """Streamlit's formats for the table's percent, dollar and date columns."""
        dates = [c for c in self.frame.columns if pd.api.types.is_datetime64_any_dtype(self.frame[c])]
        return {**{c: st.column_config.NumberColumn(c, format="percent") for c in self.percent},
                **{c: st.column_config.NumberColumn(c, format="dollar") for c in self.usd},
                **{c: st.column_config.DateColumn(c, format="YYYY-MM-DD") for c in dates}}

    def written(self) -> pd.DataFrame:
        """The rows with percentages written out (12.5%), for HTML and other plain-text tables."""
        out = self.frame.copy()
        for col in self.percent:
            out[col] = out[col].map(lambda v: None if v is None or pd.isna(v) else f"{float(v):.1%}").astype(object)
        for col in self.usd:
            out[col] = out[col].map(lambda v: None if v is None or pd.isna(v) else f"${float(v):,.0f}").astype(object)
        return out


def shown(frame: pd.DataFrame, columns: dict[str, str] | None = None) -> Shown:
    """The rows a table or download shows: columns selected and renamed (codes are turned into labels before)."""
    names = columns or {c: c for c in frame.columns}
    out = frame[list(names)].rename(columns=names)
    return Shown(out, [names[c] for c in exports.fractions(frame[list(names)])],
                 [names[c] for c in names if str(c).endswith("_usd") and pd.api.types.is_numeric_dtype(frame[c])])
