"""NIH training data tables from a published snapshot (Tables 6A/6B, 8A/8B Parts I and III), as frames and XLSX."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import exports

SQL_DIR = Path(__file__).resolve().parent / "sql"
Query = Callable[[str, dict], pd.DataFrame]  # runs SQL with bound values: queries.execute, or a connection's
TABLE6_COLUMNS = {
    "program_name": "Program",
    "year_label": "Year",
    "total_applicant_pool": "Total applicant pool",
    "applicants_eligible": "Applicants eligible for support",
    "new_entrants": "New entrants",
    "new_entrants_eligible": "New entrants eligible for support",
    "new_appointees": "New appointees to the grant",
}


TABLE8_PART1_COLUMNS = {
    "trainee_name": "Trainee",
    "mentor": "Faculty mentor(s)",
    "grant_start_label": "Start date (MM/YYYY)",
}
TABLE8_PART1_TAIL = {
    "terminal_degrees": "Terminal degree(s) and year",
    "research_topic": "Research topic",
    "initial_position": "Initial position",
    "current_position": "Current position",
}
TABLE8_PART3_COLUMNS = {
    "program_name": "Program",
    "supported_entrants": "Grant-supported trainees who entered",
    "completed": "Completed",
    "in_training": "In training",
    "left_program": "Left without completing",
    "percent_completed": "Percent completed",
    "mean_years_to_degree": "Average time to degree (years)",
}
SUPPORT_CODES = "T this training grant · RT another NIH training grant · F fellowship · I institutional · O other"
PART1_WINDOW = 15


def latest_cycle_year(query: Query) -> int | None:
    """The most recent admissions cycle on file."""
    latest = query("select max(cycle_year) as latest from main.cohort_funnel", {})["latest"].iloc[0]
    return None if pd.isna(latest) else int(latest)


def table6(query: Query, through: int | None = None, years: int = 5) -> pd.DataFrame:
    """Table 6 rows (6A predoctoral, 6B postdoctoral) for `years` cycle years through `through` (default: latest)."""
    through = through if through is not None else latest_cycle_year(query)
    if through is None:
        return pd.DataFrame(columns=["nih_table", *TABLE6_COLUMNS])
    sql = (SQL_DIR / "nih_table6.sql").read_text(encoding="utf-8")
    return query(sql, {"through": int(through), "years": int(years)})


def table8_part1(query: Query, through: int | None = None, years: int = PART1_WINDOW) -> pd.DataFrame:
    """Table 8 Part I rows (names included: for roles that see trainees) for grant appointments in the window."""
    through = through if through is not None else latest_cycle_year(query)
    sql = (SQL_DIR / "nih_table8_part1.sql").read_text(encoding="utf-8")
    return query(sql, {"through": int(through or 0), "years": int(years)})


def table8_part3(query: Query, through: int | None = None) -> pd.DataFrame:
    """Table 8 Part III figures per program for grant-supported trainees who entered in the ten years to `through`."""
    through = through if through is not None else latest_cycle_year(query)
    sql = (SQL_DIR / "nih_table8_part3.sql").read_text(encoding="utf-8")
    return query(sql, {"through": int(through or 0)})


def part1_sheet(rows: pd.DataFrame) -> pd.DataFrame:
    """Part I as NIH lays it out: support by training year spread over TY1, TY2, … columns."""
    # Codes per training year, one space apart (text: quick to cache, where a list column is slow to unpickle).
    years = rows["support_by_year"].astype(object).str.split(" ", expand=True) if len(rows) else pd.DataFrame()
    years = years.fillna("").rename(columns=lambda n: f"TY{n + 1}").reset_index(drop=True)
    sheet = rows[list(TABLE8_PART1_COLUMNS)].rename(columns=TABLE8_PART1_COLUMNS).reset_index(drop=True)
    tail = rows[list(TABLE8_PART1_TAIL)].rename(columns=TABLE8_PART1_TAIL).reset_index(drop=True)
    return pd.concat([sheet, years, tail], axis=1)


def part3_sheet(rows: pd.DataFrame) -> pd.DataFrame:
    """Part III as shown: percent as a percentage, time to degree to one decimal."""
    sheet = rows[list(TABLE8_PART3_COLUMNS)].copy()
    sheet["percent_completed"] = (sheet["percent_completed"] * 100).round(1)
    sheet["mean_years_to_degree"] = sheet["mean_years_to_degree"].round(1)
    return sheet.rename(columns=TABLE8_PART3_COLUMNS)


def workbook(tables: dict[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with one sheet per table, named as given."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in tables.items():  # names, topics and positions come from data: never a live formula
            exports.neutralise(frame).to_excel(writer, sheet_name=name, index=False)
    return out.getvalue()


def sheets(query: Query, through: int | None = None, years: int = 5, names: bool = True,
           window: int = PART1_WINDOW) -> dict[str, pd.DataFrame]:
    """The NIH tables as sheets: 6A, 6B, then 8A/8B Part I (only with names=True) and 8A/8B Part III."""
    rows6 = table6(query, through, years)
    out = {}
    for part in ("6A", "6B"):
        chosen = rows6[rows6["nih_table"] == part]
        out[f"Table {part}"] = chosen[list(TABLE6_COLUMNS)].rename(columns=TABLE6_COLUMNS)
    if names:
        rows = table8_part1(query, through, window)
        for part in ("8A", "8B"):
            out[f"Table {part} Part I"] = part1_sheet(rows[rows["nih_table"] == part])
    rows = table8_part3(query, through)
    for part in ("8A", "8B"):
        out[f"Table {part} Part III"] = part3_sheet(rows[rows["nih_table"] == part])
    return out


def nih_workbook(snapshot: Path, through: int | None = None, years: int = 5, names: bool = True,
                 window: int = PART1_WINDOW) -> bytes:
    """The NIH tables of a snapshot as an XLSX workbook, a sheet per table (Part I only with names=True)."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return workbook(sheets(lambda sql, params: con.execute(sql, params).df(), through, years, names, window))
    finally:
        con.close()
