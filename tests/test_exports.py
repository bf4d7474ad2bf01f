"""Downloads hold exactly the rows shown, with formula-like text neutralised."""

from __future__ import annotations

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
