"""NIH training data tables from a published snapshot (Table 6 so far), as frames and as an XLSX workbook."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pandas as pd

SQL_DIR = Path(__file__).resolve().parent / "sql"
TABLE6_COLUMNS = {
    "program_name": "Program",
    "year_label": "Year",
    "total_applicant_pool": "Total applicant pool",
    "applicants_eligible": "Applicants eligible for support",
    "new_entrants": "New entrants",
    "new_entrants_eligible": "New entrants eligible for support",
}


def latest_cycle_year(con: duckdb.DuckDBPyConnection) -> int | None:
    """The most recent admissions cycle on file."""
    return con.execute("select max(cycle_year) from main.cohort_funnel").fetchall()[0][0]


def table6(con: duckdb.DuckDBPyConnection, through: int | None = None, years: int = 5) -> pd.DataFrame:
    """Table 6 rows (6A predoctoral, 6B postdoctoral) for `years` cycle years through `through` (default: latest)."""
    through = through if through is not None else latest_cycle_year(con)
    if through is None:
        return pd.DataFrame(columns=["nih_table", *TABLE6_COLUMNS])
    sql = (SQL_DIR / "nih_table6.sql").read_text(encoding="utf-8")
    return con.execute(sql, {"through": int(through), "years": int(years)}).df()


def workbook(tables: dict[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with one sheet per table, named as given."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return out.getvalue()


def nih_workbook(snapshot: Path, through: int | None = None, years: int = 5) -> bytes:
    """The NIH tables of a snapshot as an XLSX workbook: a sheet per table (Table 6A, Table 6B)."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        rows = table6(con, through, years)
    finally:
        con.close()
    sheets = {}
    for part in ("6A", "6B"):
        chosen = rows[rows["nih_table"] == part]
        sheets[f"Table {part}"] = chosen[list(TABLE6_COLUMNS)].rename(columns=TABLE6_COLUMNS)
    return workbook(sheets)
