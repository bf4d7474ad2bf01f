"""Downloads hold exactly the rows shown, with formula-like text neutralised."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import load_workbook

from dashboard import exports

ROWS = pd.DataFrame({"name": ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "plain", None], "n": [1, 2, -3, 4, 5, 6]})


def test_formula_like_text_is_neutralised_and_numbers_are_not():
    out = exports.neutralise(ROWS)
    assert out["name"].tolist()[:5] == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "plain"]
    assert out["n"].tolist() == [1, 2, -3, 4, 5, 6]


def test_csv_round_trips_the_rows():
    back = pd.read_csv(io.BytesIO(exports.csv_bytes(ROWS)), encoding="utf-8-sig")
    assert len(back) == len(ROWS)
    assert back["n"].tolist() == ROWS["n"].tolist()
    assert back["name"][0] == "'=HYPERLINK(\"x\")"


def test_xlsx_holds_the_rows_as_text_not_formulas():
    book = load_workbook(io.BytesIO(exports.xlsx_bytes(ROWS, "entrants")))
    sheet = book["entrants"]
    values = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [v[1] for v in values] == [1, 2, -3, 4, 5, 6]
    assert values[0][0] == "'=HYPERLINK(\"x\")"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_shares_are_percentages_in_csv_and_percent_formatted_numbers_in_xlsx():
    frame = pd.DataFrame({"Track": ["Clinical", "Imaging"], "Share": [0.1297, 0.5], "Trainees": [7, 27]})
    csv = pd.read_csv(io.BytesIO(exports.csv_bytes(frame, percent=["Share"])), encoding="utf-8-sig")
    assert csv["Share"].tolist() == ["13.0%", "50.0%"]
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(frame, "tracks", percent=["Share"])))["tracks"]
    shares = [sheet.cell(row=r, column=2) for r in (2, 3)]
    assert [c.value for c in shares] == [0.1297, 0.5]  # the number itself, not text
    assert all(c.number_format == "0.0%" for c in shares)
    assert sheet.cell(row=2, column=3).number_format == "General"


def test_dates_are_date_cells_and_an_about_sheet_comes_first():
    frame = pd.DataFrame({"Start": pd.to_datetime(["2020-07-01", None]), "Trainee": ["=cmd", "x"]})
    about = {"Figure": "Roster", "Population (filters)": "=HYPERLINK(\"http://x\")", "Data as of": "2026-06-30"}
    book = load_workbook(io.BytesIO(exports.xlsx_bytes(frame, "roster", about=about)))
    assert book.sheetnames == ["About", "roster"]
    rows = list(book["About"].iter_rows(min_row=2, values_only=True))
    assert rows[0] == ("Figure", "Roster") and rows[2] == ("Data as of", "2026-06-30")
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")"  # text from filters is neutralised too
    start = book["roster"].cell(row=2, column=1)
    assert start.is_date and start.value.date() == dt.date(2020, 7, 1) and start.number_format == "yyyy-mm-dd"
    assert book["roster"].cell(row=3, column=1).value is None


def test_fractions_are_found_by_the_name_a_query_gives_them_and_only_in_number_columns():
    frame = pd.DataFrame({"share": [0.1], "completion_rate": [0.5], "rate": ["Admit rate"], "nih_share": [0.2],
                          "trainees": [3], "percent_completed": [0.25], "separate": [0.3]})
    assert exports.fractions(frame) == ["share", "completion_rate", "nih_share", "percent_completed"]
