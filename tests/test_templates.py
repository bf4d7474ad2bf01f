"""Templates: blank CSVs and a workbook generated from the contract, usable as they are."""

from __future__ import annotations

import csv
import io

import pandas as pd
from openpyxl import load_workbook

from etl.contract import SOURCE_TABLES
from etl.templates import csv_template, workbook_template
from tests.conftest import MART_KEYS, SMALL, build, read_marts


def test_each_csv_template_is_the_header_row_of_its_table():
    for table in SOURCE_TABLES:
        rows = list(csv.reader(io.StringIO(csv_template(table).decode("utf-8-sig"))))
        assert rows == [table.column_names], table.name


def test_the_workbook_has_a_sheet_per_table_with_its_headers_and_a_readme():
    book = load_workbook(io.BytesIO(workbook_template()))
    assert book.sheetnames == [t.name for t in SOURCE_TABLES] + ["README"]
    for table in SOURCE_TABLES:
        sheet = book[table.name]
        assert [c.value for c in sheet[1]] == table.column_names
        assert sheet.max_row == 1  # headers only
    notes = [[c.value for c in row] for row in book["README"].iter_rows()]
    assert notes[0] == ["table", "column", "type", "required", "meaning", "allowed values and rules"]
    listed = {(r[0], r[1]): r for r in notes[1:]}
    assert set(listed) == {(t.name, c.name) for t in SOURCE_TABLES for c in t.columns}
    status = listed[("trainees", "status")]
    assert status[2] == "category" and all(f"`{v}`" in status[5] for v in ("active", "graduated", "withdrawn"))


def test_a_filled_workbook_template_publishes_the_same_marts_as_the_csv_files(tmp_path):
    book = load_workbook(io.BytesIO(workbook_template()))
    for table in SOURCE_TABLES:
        frame = pd.read_csv(SMALL / f"{table.name}.csv", dtype=str, keep_default_na=False)
        sheet = book[table.name]
        for record in frame[table.column_names].itertuples(index=False):
            sheet.append([value or None for value in record])  # text cells, as typed into text-formatted columns
    book.save(tmp_path / "filled.xlsx")
    from_workbook = build(tmp_path / "filled.xlsx", tmp_path / "wh_xlsx")
    assert from_workbook.outcome == "published", [str(f) for f in from_workbook.findings]
    assert {f.rule for f in from_workbook.findings} == {"nrsa_ineligible"}  # the fixture's own warning; no README one
    from_csv = build(SMALL, tmp_path / "wh_csv")
    got, expected = read_marts(from_workbook.snapshot), read_marts(from_csv.snapshot)
    for name, keys in MART_KEYS.items():
        pd.testing.assert_frame_equal(
            got[name].sort_values(list(keys)).reset_index(drop=True),
            expected[name].sort_values(list(keys)).reset_index(drop=True),
        )
