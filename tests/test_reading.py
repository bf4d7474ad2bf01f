"""How files are read: encodings, delimiters, amounts, booleans, headers, blank rows, odd files and XLSX workbooks.

Row numbers are as the user sees them (header = row 1; trainees T0k is row k + 1 in the small fixture).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import Workbook

from etl.contract import SOURCE_TABLES
from etl.extract import _cell_text
from tests.conftest import SMALL, build, copy_source
from tests.test_rules import check, covers, is_baseline, new_findings, replace_text, set_cell, sole, where


@pytest.fixture
def src(tmp_path) -> Path:
    return copy_source(tmp_path)


@pytest.fixture(scope="module")
def good():
    """The good fixture, validated: typed frames to compare against."""
    return check(SMALL)


def assert_same_tables(result, good, names=None) -> None:
    for name in names or good.tables:
        pd.testing.assert_frame_equal(result.tables[name], good.tables[name], check_dtype=True)


# Encoding --------------------------------------------------------------------------------------------------------
def test_utf8_with_bom_reads_cleanly(src, good):
    for name in ("programs", "trainees"):
        path = src / f"{name}.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = check(src)
    assert [f for f in result.findings if not is_baseline(f)] == []
    assert list(result.tables["programs"].columns)[0] == "program_id"
    assert_same_tables(result, good)


@covers("read_encoding")
def test_windows_1252_text_is_read_with_a_warning(tmp_path):
    src = copy_source(tmp_path)
    path = src / "trainees.csv"
    text = path.read_text(encoding="utf-8").replace(",Osei,", ",Ñúñez,").replace(",Marsh,", ",Müller,")
    path.write_bytes(text.encode("cp1252"))

    result = build(src, tmp_path / "warehouse")

    assert result.outcome == "published", result.message
    f = sole([f for f in result.findings if not is_baseline(f)], "read_encoding")
    # the first byte that is not UTF-8 is on T02's line (row 3)
    assert (f.severity, f.table, f.file, f.row) == ("warning", "trainees", "trainees.csv", 3)
    assert "Windows-1252" in f.message and "UTF-8" in f.hint
    con = duckdb.connect(str(result.snapshot), read_only=True)
    try:
        names = dict(con.execute("select trainee_id, family_name from main.trainee_directory").fetchall())
        raw = dict(con.execute("select trainee_id, family_name from raw.trainees").fetchall())
    finally:
        con.close()
    assert names["T02"] == raw["T02"] == "Ñúñez"
    assert names["T03"] == raw["T03"] == "Müller"


def test_utf8_accents_need_no_warning(src):
    path = src / "trainees.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",Marsh,", ",Müller,"), encoding="utf-8")
    result = check(src)
    assert [f for f in result.findings if not is_baseline(f)] == []
    assert result.tables["trainees"].at[4, "family_name"] == "Müller"


# Delimiters ------------------------------------------------------------------------------------------------------
@covers("read_delimiter")
@pytest.mark.parametrize("sep, shown", [(";", ";"), ("\t", "tab")])
def test_other_delimiter_is_read_with_a_warning(src, good, sep, shown):
    # positions has cells with commas in them ("data science, analytics and ..."): they must survive
    for name in ("trainees", "positions"):
        path = src / f"{name}.csv"
        pd.read_csv(path, dtype=str, keep_default_na=False).to_csv(path, index=False, sep=sep)
    result = check(src)
    found = [f for f in result.findings if not is_baseline(f)]
    assert {(f.rule, f.severity, f.file) for f in found} == {
        ("read_delimiter", "warning", "trainees.csv"),
        ("read_delimiter", "warning", "positions.csv"),
    }
    assert all(f"'{shown}'" in f.message for f in found)
    assert_same_tables(result, good)


# Amounts ---------------------------------------------------------------------------------------------------------
@covers("read_amount")
def test_amounts_with_dollar_and_thousands_separators(src):
    set_cell(src, "appointments", "AP03", "stipend_usd", "$1,234.50")  # row 4
    set_cell(src, "appointments", "AP04", "stipend_usd", "1,234.50")  # row 5
    set_cell(src, "appointments", "AP05", "stipend_usd", "$ 56,000")  # row 6
    result = check(src)
    found = [f for f in result.findings if not is_baseline(f)]
    f = sole(found, "read_amount")
    assert found == [f]
    assert where(f) == ("warning", "appointments", "appointments.csv", 4, "stipend_usd", "$1,234.50")
    assert "1234.5" in f.message and "3 amount" in f.message
    stipend = result.tables["appointments"]["stipend_usd"]
    assert stipend[4] == 1234.5 and stipend[5] == 1234.5 and stipend[6] == 56000


def test_plain_amounts_need_no_warning(src):
    set_cell(src, "appointments", "AP03", "stipend_usd", "1234.50")
    result = check(src)
    assert [f for f in result.findings if not is_baseline(f)] == []
    assert result.tables["appointments"].at[4, "stipend_usd"] == 1234.5


@pytest.mark.parametrize("value", ["1,23", "1.234,50", "12,34,567", "$"])
def test_ambiguous_amount_is_refused(src, value):
    set_cell(src, "appointments", "AP03", "stipend_usd", value)
    f = sole(new_findings(src), "type_number")
    assert (f.file, f.row, f.column, f.value) == ("appointments.csv", 4, "stipend_usd", value)


# Booleans --------------------------------------------------------------------------------------------------------
def test_boolean_words_in_any_case(src):
    words = {"A01": "TRUE", "A02": "Yes", "A03": "y", "A04": "0", "A05": "False", "A06": "NO", "A07": "N", "A08": "1",
             "A09": "t", "A10": "F"}  # t/f as PostgreSQL exports them
    for key, word in words.items():
        set_cell(src, "applicants", key, "interviewed", word)
    result = check(src)
    assert [f for f in result.findings if not is_baseline(f)] == []
    read = result.tables["applicants"]["interviewed"]
    assert [bool(read[row]) for row in range(2, 12)] == [True, True, True, False, False, False, False, True, True,
                                                          False]


@pytest.mark.parametrize("value", ["maybe", "Maybe", "2", "x", "-", "unknown"])
def test_other_boolean_words_are_refused(src, value):
    set_cell(src, "applicants", "A03", "interviewed", value)
    f = sole(new_findings(src), "type_boolean")
    assert (f.file, f.row, f.column, f.value) == ("applicants.csv", 4, "interviewed", value)


# Headers and cells -----------------------------------------------------------------------------------------------
def test_headers_match_case_insensitively_after_trimming(src, good):
    path = src / "programs.csv"
    text = path.read_text(encoding="utf-8")
    rest = text.split("\n", 1)[1]
    path.write_text(" Program_ID ,PROGRAM_NAME,School, degree,Level ,Nominal_Years\n" + rest, encoding="utf-8")
    result = check(src)
    assert [f for f in result.findings if not is_baseline(f)] == []
    assert_same_tables(result, good, ["programs"])


def test_cells_are_trimmed(src, good):
    set_cell(src, "trainees", "T03", "program_id", "  p_phd ")
    set_cell(src, "trainees", "T03", "cohort_year", " 2018")
    set_cell(src, "trainees", "T03", "status", "withdrawn  ")
    set_cell(src, "trainees", "T03", "end_date", " 2020-06-30 ")
    result = check(src)
    assert [f for f in result.findings if not is_baseline(f)] == []
    assert_same_tables(result, good, ["trainees"])


def test_whitespace_only_cell_is_null(src):
    set_cell(src, "trainees", "T03", "mentor", "   ")
    result = check(src)
    assert [f for f in result.findings if not is_baseline(f)] == []
    assert pd.isna(result.tables["trainees"].at[4, "mentor"])


def test_whitespace_only_required_cell_is_not_null(src):
    set_cell(src, "trainees", "T03", "email", "  \t ")
    f = sole(new_findings(src), "not_null")
    assert (f.file, f.row, f.column, f.value) == ("trainees.csv", 4, "email", None)


# Blank rows ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("blank", ["\n", ",,,,\n", "   \n", "\r\n"])
def test_blank_rows_are_ignored_but_counted(src, good, blank):
    set_cell(src, "trainees", "T03", "cohort_year", "20x9")
    path = src / "trainees.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # a blank line between row 3 (T02) and row 4 (T03): T03 is now on line 5 of the file
    path.write_text("".join(lines[:3]) + blank + "".join(lines[3:]), encoding="utf-8")
    result = check(src)
    f = sole([f for f in result.findings if not is_baseline(f)], "type_integer")
    assert (f.file, f.row, f.column, f.value) == ("trainees.csv", 5, "cohort_year", "20x9")
    assert len(result.tables["trainees"]) == len(good.tables["trainees"])


def test_blank_rows_before_and_after_the_data(src):
    set_cell(src, "trainees", "T03", "cohort_year", "20x9")
    path = src / "trainees.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nT03,", "\n\n\nT03,") + "\n\n", encoding="utf-8")  # T03 moves from row 4 to 6
    result = check(src)
    f = sole([f for f in result.findings if not is_baseline(f)], "type_integer")
    assert f.row == 6
    assert len(result.tables["trainees"]) == 12


# Odd files -------------------------------------------------------------------------------------------------------
@covers("table_empty")
def test_empty_file_is_an_empty_table(src):
    (src / "programs.csv").write_bytes(b"")
    found = new_findings(src)
    f = sole(found, "table_empty")
    assert (f.severity, f.table, f.file) == ("error", "programs", "programs.csv")
    assert not any(g.rule == "table_missing" for g in found)


@covers("file_unreadable")
def test_binary_file_renamed_csv_is_unreadable(src):
    (src / "programs.csv").write_bytes(bytes(range(256)) * 8)
    found = new_findings(src)
    f = sole(found, "file_unreadable")
    assert (f.severity, f.table, f.file) == ("error", "programs", "programs.csv")
    assert "binary" in f.message and "UTF-8 CSV" in f.hint
    assert not any(g.rule == "table_missing" for g in found)


@covers("file_unreadable")
def test_workbook_renamed_csv_is_unreadable(src, tmp_path):
    workbook = write_workbook(tmp_path / "book.xlsx")
    (src / "trainees.csv").write_bytes(workbook.read_bytes())
    f = sole(new_findings(src), "file_unreadable")
    assert (f.table, f.file) == ("trainees", "trainees.csv")
    assert "XLSX" in f.message


@covers("table_unknown")
def test_unknown_extra_csv_is_a_warning(src, good):
    (src / "Trainees_backup.csv").write_bytes((src / "trainees.csv").read_bytes())
    result = check(src)
    found = [f for f in result.findings if not is_baseline(f)]
    f = sole(found, "table_unknown")
    assert (f.severity, f.table, f.file) == ("warning", "trainees_backup", "Trainees_backup.csv")
    assert "ignored" in f.message
    assert result.errors == []
    assert_same_tables(result, good)


def test_file_names_match_case_insensitively(src, good):
    (src / "programs.csv").rename(src / "Programs.CSV")
    result = check(src)
    assert [f for f in result.findings if not is_baseline(f)] == []
    assert_same_tables(result, good, ["programs"])


# XLSX ------------------------------------------------------------------------------------------------------------
def write_workbook(path: Path, source: Path = SMALL, skip=(), titles=None) -> Path:
    """A workbook with one sheet per table of source, in contract order, with typed cells as Excel would store
    them: integers and amounts as numbers, dates as date cells, booleans as text; empty cells left empty."""
    book = Workbook()
    book.remove(book.active)
    for spec in SOURCE_TABLES:
        csv = source / f"{spec.name}.csv"
        if spec.name in skip or not csv.exists():
            continue
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        sheet = book.create_sheet((titles or {}).get(spec.name, spec.name))
        sheet.append(list(frame.columns))
        for record in frame.itertuples(index=False):
            sheet.append(
                [
                    _typed_cell(spec.column(c).type if c in spec.column_names else "text", v)
                    for c, v in zip(frame.columns, record, strict=True)
                ]
            )
    book.save(path)
    return path


def _typed_cell(kind: str, value: str):
    if value == "":
        return None
    if kind == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if kind in ("integer", "number"):
        try:
            return float(value) if kind == "number" else int(value)
        except ValueError:
            return value
    return value


@pytest.fixture
def workbook(tmp_path) -> Path:
    return write_workbook(tmp_path / "training.xlsx")


def test_workbook_reads_like_the_csv_folder(workbook, good):
    result = check(workbook)
    found = result.findings
    assert len(found) == 1 and found[0].rule == "nrsa_ineligible" and found[0].row == 7
    assert found[0].file == "training.xlsx, sheet appointments"
    assert_same_tables(result, good)


def test_date_cells_are_accepted(workbook, good):
    result = check(workbook)
    assert result.errors == []
    assert result.tables["trainees"].at[2, "start_date"] == pd.Timestamp("2018-09-01")
    assert result.tables["milestones"].at[6, "milestone_date"] == pd.Timestamp("2021-11-10")


def test_error_in_a_sheet_names_workbook_sheet_and_sheet_row(tmp_path):
    src = copy_source(tmp_path)
    set_cell(src, "trainees", "T03", "cohort_year", "20x9")
    set_cell(src, "appointments", "AP03", "start_date", "03/15/2024")
    path = write_workbook(tmp_path / "Training data.xlsx", src)
    found = check(path).findings
    f = next(f for f in found if f.rule == "type_integer")
    assert (f.severity, f.table, f.row, f.column, f.value) == ("error", "trainees", 4, "cohort_year", "20x9")
    assert f.file == "Training data.xlsx, sheet trainees"
    g = next(f for f in found if f.rule == "type_date")
    assert (g.file, g.row, g.column, g.value) == (
        "Training data.xlsx, sheet appointments",
        4,
        "start_date",
        "03/15/2024",
    )


def test_sheet_titles_match_case_insensitively(tmp_path, good):
    path = write_workbook(tmp_path / "book.xlsx", titles={"trainees": "Trainees", "programs": " PROGRAMS "})
    result = check(path)
    assert result.errors == []
    assert_same_tables(result, good)


@covers("table_missing")
def test_missing_sheet(tmp_path):
    path = write_workbook(tmp_path / "book.xlsx", skip=("trainees",))
    found = check(path).findings
    f = sole(found, "table_missing")
    assert (f.severity, f.table) == ("error", "trainees")
    assert "sheet 'trainees' is missing" in f.message


def test_missing_sheet_finding_names_the_workbook(tmp_path):
    """BUG (etl/validate.py line 45): table_missing always says file '<table>.csv', even for a workbook, where the
    user has no such file; it should name the workbook (e.g. 'book.xlsx')."""
    path = write_workbook(tmp_path / "book.xlsx", skip=("trainees",))
    f = sole(check(path).findings, "table_missing")
    assert "book.xlsx" in f.file


def test_missing_optional_sheet_is_fine(tmp_path):
    path = write_workbook(tmp_path / "book.xlsx", skip=("milestones",))
    assert [f for f in check(path).findings if not is_baseline(f)] == []


def test_unknown_sheet_is_a_warning(tmp_path):
    from openpyxl import load_workbook

    path = write_workbook(tmp_path / "book.xlsx")
    book = load_workbook(path)
    book.create_sheet("Notes").append(["remember to update positions"])
    book.save(path)
    result = check(path)
    f = sole([f for f in result.findings if not is_baseline(f)], "table_unknown")
    assert (f.severity, f.file) == ("warning", "book.xlsx, sheet Notes")
    assert result.errors == []


def _patch_sheet(path: Path, sheet: int, pattern: str, replace) -> int:
    """Rewrite cells in xl/worksheets/sheet<sheet>.xml (as another spreadsheet tool might write them)."""
    with zipfile.ZipFile(path) as zin:
        items = {name: zin.read(name) for name in zin.namelist()}
    name = f"xl/worksheets/sheet{sheet}.xml"
    xml, n = re.subn(pattern, replace, items[name].decode("utf-8"))
    items[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item, data in items.items():
            zout.writestr(item, data)
    return n


def test_integer_stored_as_float_cell_reads_as_integer(workbook, good):
    # programs is sheet 1 (contract order); nominal_years is column F: store 5 as <v>5.0</v>
    n = _patch_sheet(workbook, 1, r'(<c r="F[2-9]"[^>]*><v>)(\d+)(</v>)', r"\g<1>\g<2>.0\g<3>")
    assert n == 3
    result = check(workbook)
    assert result.errors == []
    assert list(result.tables["programs"]["nominal_years"]) == [5, 2, 1]
    assert_same_tables(result, good, ["programs"])
    assert _cell_text(2024.0) == "2024" and _cell_text(1200.5) == "1200.5"


def test_excel_serial_number_is_refused_in_csv(src):
    # 44701 is 2022-05-20 as Excel's serial number, e.g. a date column formatted as General and saved to CSV
    path = src / "milestones.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("T07,thesis_defense,2022-05-20", "T07,thesis_defense,44701"),
        encoding="utf-8",
    )
    f = sole(new_findings(src), "type_date")
    assert (f.file, f.row, f.column, f.value) == ("milestones.csv", 5, "milestone_date", "44701")
    assert "Excel serial" in f.message


@covers("file_unreadable")
def test_damaged_workbook_is_unreadable(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip file")
    found = check(path).findings
    f = next(f for f in found if f.rule == "file_unreadable")
    assert (f.severity, f.file) == ("error", "book.xlsx")
    assert "XLSX" in f.message


def test_damaged_workbook_gives_no_missing_sheet_errors(tmp_path):
    """BUG (etl/validate.py line 38): an unreadable workbook (finding with table '') is followed by six
    'table_missing' errors, one per required sheet, each naming a '<table>.csv' file; only the unreadable file
    should be reported."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip file")
    assert [f.rule for f in check(path).findings] == ["file_unreadable"]


@covers("table_duplicated")
def test_a_table_given_twice_in_a_folder_is_an_error(src, tmp_path):
    # trainees.csv stays; a workbook in the same folder holds a trainees sheet too.
    write_workbook(src / "extra.xlsx", skip=[t.name for t in SOURCE_TABLES if t.name != "trainees"])
    f = sole(new_findings(src), "table_duplicated")
    # Files are read in name order: extra.xlsx first, so trainees.csv is the second copy.
    assert (f.severity, f.table, f.file) == ("error", "trainees", "trainees.csv")
    assert "extra.xlsx, sheet trainees" in f.message


def test_a_folder_may_mix_csv_files_and_a_workbook(src, good):
    # appointments and milestones come from a workbook; the other tables stay CSV files.
    sheets = ("appointments", "milestones")
    write_workbook(src / "part.xlsx", skip=[t.name for t in SOURCE_TABLES if t.name not in sheets])
    for name in sheets:
        (src / f"{name}.csv").unlink()
    result = check(src)
    assert [f for f in result.findings if not is_baseline(f)] == []
    assert_same_tables(result, good)


# Files as other programs save them -------------------------------------------------------------------------------
def saved_by_excel(path: Path, values: dict[str, str]) -> None:
    """Give formula cells (by reference, e.g. "H2") the value Excel saves with them (openpyxl saves none)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name in [n for n in parts if n.startswith("xl/worksheets/")]:
        xml = parts[name].decode("utf-8")
        for ref, value in values.items():
            xml = re.sub(rf'(<c r="{ref}"[^>]*>(?:<f>[^<]*</f>))<v ?/>', rf"\g<1><v>{value}</v>", xml)
        parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def with_formula_stipends(path: Path) -> dict[str, str]:
    """Write AP01's and AP02's stipends as formulas (=base+raise); return their cells and the values they compute."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book["appointments"]
    column = [c.value for c in sheet[1]].index("stipend_usd")
    cells = {}
    for row in (2, 3):
        cell = sheet.cell(row=row, column=column + 1)
        cells[cell.coordinate] = str(int(cell.value))
        cell.value = f"={int(cell.value) - 1000}+1000"
    book.save(path)
    return cells


@covers("read_encoding")
def test_utf16_unicode_text_from_excel_is_read_with_a_warning(src, good):
    path = src / "trainees.csv"
    text = path.read_text(encoding="utf-8").replace(",", "\t")  # Excel's "Unicode Text" is tab-separated UTF-16
    path.write_bytes(text.encode("utf-16"))
    result = check(src)
    rules = sorted(f.rule for f in result.findings if not is_baseline(f))
    assert rules == ["read_delimiter", "read_encoding"]
    assert "UTF-16" in next(f.message for f in result.findings if f.rule == "read_encoding")
    assert_same_tables(result, good)


@covers("read_header_row")
def test_a_title_above_the_header_is_skipped_with_a_warning(src, good):
    path = src / "trainees.csv"
    path.write_text("Trainee roster,,\nExported 2026-07-01 by the registrar,,\n\n" + path.read_text(encoding="utf-8"),
                    encoding="utf-8")
    result = check(src)
    f = sole([f for f in result.findings if not is_baseline(f)], "read_header_row")
    assert (f.severity, f.file, f.row) == ("warning", "trainees.csv", 4)
    assert "2 row(s) above" in f.message
    for name, table in good.tables.items():  # the same tables, three rows further down
        expected = table.set_axis(table.index + 3) if name == "trainees" else table
        pd.testing.assert_frame_equal(result.tables[name], expected)


def test_a_row_above_that_names_few_columns_is_taken_as_the_header(src):
    """Without a row naming half the columns in the top rows, the first non-blank row is the header (so the
    finding says which columns are missing, rather than guessing)."""
    path = src / "programs.csv"
    path.write_text("program_id,name\n" + path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    found = new_findings(src)
    assert {(f.rule, f.row, f.column) for f in found if f.rule == "column_missing"} == {
        ("column_missing", 1, c) for c in ("program_name", "school", "degree", "level", "nominal_years")}


def test_headers_with_spaces_for_underscores_are_read(src, good):
    path = src / "programs.csv"
    rest = path.read_text(encoding="utf-8").split("\n", 1)[1]
    path.write_text("Program ID,Program  Name,School,Degree,Level,Nominal Years\n" + rest, encoding="utf-8")
    result = check(src)
    assert [f for f in result.findings if not is_baseline(f)] == []
    assert_same_tables(result, good, ["programs"])


@covers("read_formula")
def test_formula_cells_are_read_as_the_values_excel_saved(tmp_path, good):
    path = write_workbook(tmp_path / "book.xlsx")
    saved_by_excel(path, with_formula_stipends(path))
    result = check(path)
    f = sole([f for f in result.findings if not is_baseline(f)], "read_formula")
    assert (f.severity, f.file, f.row, f.column) == ("warning", "book.xlsx, sheet appointments", 2, "stipend_usd")
    assert f.message.startswith("2 formula cell(s)") and "=22000+1000 as 23000" in f.message
    assert_same_tables(result, good)


@covers("formula_without_value")
def test_formula_cells_without_a_saved_value_are_refused(tmp_path):
    path = write_workbook(tmp_path / "book.xlsx")
    with_formula_stipends(path)  # written by a program, never opened in Excel: no value saved with the formulas
    found = [f for f in check(path).findings if not is_baseline(f)]
    assert {(f.rule, f.severity, f.file, f.row, f.column, f.value) for f in found} == {
        ("formula_without_value", "error", "book.xlsx, sheet appointments", row, "stipend_usd", formula)
        for row, formula in ((2, "=22000+1000"), (3, "=23000+1000"))}


def test_a_misnamed_sheet_is_missing_and_the_message_points_at_it(tmp_path):
    path = write_workbook(tmp_path / "book.xlsx", titles={"trainees": "Trainee"})
    found = check(path).findings
    f = sole(found, "table_missing")
    assert f.table == "trainees" and "'trainee' was ignored" in f.message
    assert [g.table for g in found if g.rule == "table_unknown"] == ["trainee"]


@covers("row_too_long")
def test_an_unquoted_comma_in_a_value_is_refused_at_its_row(src):
    # T12 (row 13) fills every column, so the comma pushes a value past the last header
    replace_text(src / "trainees.csv", "Readmission risk models", "Readmission, risk models")
    found = new_findings(src)
    f = sole(found, "row_too_long")
    assert (f.severity, f.file, f.row) == ("error", "trainees.csv", 13)
    assert "(21)" in f.message and "double quotes" in f.hint


@covers("row_too_long")
def test_a_very_long_value_in_a_ragged_file_is_read_and_its_row_named(src):
    # 200,000 characters in T12's research topic (past the csv module's default limit of 128 KiB), and a stray comma
    replace_text(src / "trainees.csv", "Readmission risk models", "Readmission, " + "r" * 200_000)
    f = sole(new_findings(src), "row_too_long")
    assert (f.severity, f.file, f.row) == ("error", "trainees.csv", 13)
