"""Refresh runs and their findings shaped for the Refresh data page: findings tables, counts per table, run lists."""

from __future__ import annotations

import pandas as pd

FINDING_COLUMNS = ("severity", "rule", "table", "file", "row", "column", "value", "message", "hint")


def plural(count: int, word: str) -> str:
    """'1 warning', '3 warnings'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def findings(found: list) -> pd.DataFrame:
    """Findings (Finding objects or history rows) as a table, errors first."""
    rows = [f.as_dict() if hasattr(f, "as_dict") else f for f in found]
    frame = pd.DataFrame(rows).rename(columns={"table_name": "table", "column_name": "column"})
    frame = frame.reindex(columns=list(FINDING_COLUMNS))
    return frame.sort_values("severity", key=lambda s: s != "error", kind="stable").reset_index(drop=True)


def per_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Errors and warnings per table."""
    counts = frame.groupby(["table", "severity"]).size().unstack(fill_value=0)
    return counts.reindex(columns=["error", "warning"], fill_value=0).reset_index()


def chosen(frame: pd.DataFrame, severities: list[str] | None, tables: list[str] | None) -> pd.DataFrame:
    """The findings of these severities, and of these tables (all tables when none is chosen)."""
    keep = frame["severity"].isin(severities or [])
    if tables:
        keep &= frame["table"].isin(tables)
    return frame[keep]


def listing(runs: list[dict]) -> pd.DataFrame:
    """Every run with its files (name and short SHA-256) and total rows."""
    frame = pd.DataFrame(runs)
    if frame.empty:
        return frame
    frame["files"] = frame["source_files"].map(
        lambda files: ", ".join(f"{f['name']} ({f['sha256'][:12]})" for f in files or []))
    frame["rows"] = frame["row_counts"].map(lambda counts: sum((counts or {}).values()))
    return frame
