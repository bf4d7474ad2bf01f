"""The same data gives the same marts: CSV folder vs XLSX workbook, a second load, and another as-of date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from pandas.testing import assert_frame_equal

from etl.marts import MARTS
from tests.conftest import MART_KEYS, SMALL, build, read_marts

# Columns whose values depend on the snapshot's as-of date (everything else must not move with it).
AS_OF_COLUMNS = {
    "trainee_facts": {
        "years_since_completion",
        "years_since_completion_band",
        "years_enrolled",
        "is_past_nominal_length",
    }
}

# How the fixture's columns are typed when written as real workbook cells.
DATE_COLUMNS = {"start_date", "end_date", "milestone_date"}
INT_COLUMNS = {
    "cycle_year",
    "cohort_year",
    "nominal_years",
    "fiscal_year",
    "start_year",
    "end_year",
    "postdoc_experience_years",
}
AMOUNT_COLUMNS = {"stipend_usd", "tuition_fees_usd", "health_insurance_usd", "travel_usd"}
BOOL_COLUMNS = {"is_urm", "interviewed", "admitted", "matriculated", "residency_completed"}


def test_every_mart_has_a_sort_key():
    assert set(MART_KEYS) == set(MARTS)


def sorted_mart(frame: pd.DataFrame, mart: str) -> pd.DataFrame:
    return frame.sort_values(MART_KEYS[mart], na_position="first", kind="stable").reset_index(drop=True)


def workbook_value(column: str, text: str | None):
    """A CSV cell as a real typed workbook cell value (None = empty cell)."""
    if text is None or text.strip() == "":
        return None
    if column in DATE_COLUMNS:
        return dt.date.fromisoformat(text)
    if column in INT_COLUMNS:
        return int(text)
    if column in AMOUNT_COLUMNS:
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() else float(number)
    if column in BOOL_COLUMNS:
        return {"true": True, "false": False}[text.strip().lower()]
    return text


def write_workbook(source: Path, target: Path) -> Path:
    """Every CSV of source as one sheet (named as the file stem) of one .xlsx workbook, with typed cells."""
    book = Workbook()
    book.remove(book.active)
    for path in sorted(source.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        sheet = book.create_sheet(path.stem)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False, name=None):
            sheet.append([workbook_value(c, v) for c, v in zip(frame.columns, row, strict=True)])
        for column_cells in sheet.iter_cols(min_row=2):
            for c in column_cells:
                if isinstance(c.value, dt.date):
                    c.number_format = "yyyy-mm-dd"
    book.save(target)
    return target


def test_workbook_holds_typed_cells(tmp_path):
    """The XLSX under test really holds dates, numbers and booleans, not text that looks like them."""
    from openpyxl import load_workbook

    book = load_workbook(write_workbook(SMALL, tmp_path / "small.xlsx"))
    assert sorted(book.sheetnames) == sorted(p.stem for p in SMALL.glob("*.csv"))
    trainees = book["trainees"]
    header = [c.value for c in trainees[1]]
    first = {h: c.value for h, c in zip(header, trainees[2], strict=True)}
    assert isinstance(first["start_date"], dt.datetime | dt.date)
    assert first["cohort_year"] == 2018 and isinstance(first["cohort_year"], int)
    assert first["is_urm"] is True
    assert first["residency_completed"] is None
    appointments = book["appointments"]
    header = [c.value for c in appointments[1]]
    ap05 = {h: c.value for h, c in zip(header, appointments[6], strict=True)}
    assert ap05["appointment_id"] == "AP05" and ap05["travel_usd"] == 1200.5


@pytest.fixture(scope="module")
def xlsx_build(tmp_path_factory):
    """The small fixture written into one typed .xlsx workbook and built by the real ETL."""
    folder = tmp_path_factory.mktemp("xlsx")
    workbook = write_workbook(SMALL, folder / "small.xlsx")
    result = build(workbook, folder / "warehouse")
    assert result.outcome == "published", [str(f) for f in result.findings]
    return result


@pytest.fixture(scope="module")
def second_csv_build(tmp_path_factory):
    """The small fixture's CSV folder built a second time, into its own warehouse."""
    result = build(SMALL, tmp_path_factory.mktemp("second_csv") / "warehouse")
    assert result.outcome == "published", result.message
    return result


def test_csv_and_xlsx_sources_give_equal_marts(small_marts, xlsx_build):
    from_xlsx = read_marts(xlsx_build.snapshot)
    assert set(from_xlsx) == set(small_marts)
    for mart in MARTS:
        # Types come from the contract, not from the file format, so dtypes must match too (no relaxation).
        assert_frame_equal(
            sorted_mart(from_xlsx[mart], mart), sorted_mart(small_marts[mart], mart), check_exact=True, obj=mart
        )


def test_csv_and_xlsx_sources_give_the_same_findings(xlsx_build, second_csv_build):
    """The one warning (AP06: nlm_t15 for a temporary visa holder) is found in both, on the same row
    (CSV row 7 = sheet row 7: header is row 1 in both)."""
    assert [(f.rule, f.severity, f.row, f.column, f.value) for f in xlsx_build.findings] == [
        (f.rule, f.severity, f.row, f.column, f.value) for f in second_csv_build.findings
    ]
    assert [(f.rule, f.row) for f in second_csv_build.findings] == [("nrsa_ineligible", 7)]


def test_loading_the_same_source_twice_gives_the_same_marts(small_marts, second_csv_build):
    again = read_marts(second_csv_build.snapshot)
    for mart in MARTS:
        # exactly: same rows, same order, same types, same values
        assert_frame_equal(again[mart], small_marts[mart], check_exact=True, obj=mart)


def test_refresh_as_of_another_date_changes_only_as_of_columns(small_marts, tmp_path):
    later = build(SMALL, tmp_path / "later_warehouse", as_of=dt.date(2031, 6, 30))
    assert later.outcome == "published", later.message
    moved = read_marts(later.snapshot)
    for mart in MARTS:
        dependent = AS_OF_COLUMNS.get(mart, set())
        keep = [c for c in small_marts[mart].columns if c not in dependent]
        assert list(moved[mart].columns) == list(small_marts[mart].columns), mart
        assert_frame_equal(moved[mart][keep], small_marts[mart][keep], check_exact=True, obj=mart)
    # and the as-of columns did move: T01 graduated 2023-05-31 -> 3 whole years by 2026-06-30, 8 by 2031-06-30
    before = small_marts["trainee_facts"].set_index("trainee_id")
    after = moved["trainee_facts"].set_index("trainee_id")
    assert (before.loc["T01", "years_since_completion"], after.loc["T01", "years_since_completion"]) == (3, 8)
    assert (before.loc["T01", "years_since_completion_band"], after.loc["T01", "years_since_completion_band"]) == (
        "0-4",
        "5-9",
    )
    # T09 (active since 2021-07-01): 1825 days by 2026-06-30, 3651 days by 2031-06-30
    assert before.loc["T09", "years_enrolled"] == pytest.approx(1825 / 365.25)
    assert after.loc["T09", "years_enrolled"] == pytest.approx(3651 / 365.25)
