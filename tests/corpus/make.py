"""Writes the bad-input corpus (tests/corpus/files) from the small fixture: each file is one realistic mistake.

Run once to (re)create the files: python -m tests.corpus.make. What each file must lead to is written by hand in
tests/corpus/cases.toml; this script only shows how each mistake was made.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import SMALL
from tests.test_reading import saved_by_excel, with_formula_stipends, write_workbook

FILES = Path(__file__).resolve().parent / "files"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
                    "9c6360000002000154a24f5d0000000049454e44ae426082")


def text(table: str) -> str:
    return (SMALL / f"{table}.csv").read_text(encoding="utf-8")


def resaved(table: str, delimiter: str) -> str:
    """The table as a spreadsheet saves it with another delimiter (values holding it are quoted)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(csv.reader(io.StringIO(text(table))))
    return out.getvalue()


def swap(table: str, old: str, new: str) -> str:
    body = text(table)
    assert body.count(old) == 1, (table, old)
    return body.replace(old, new)


def set_cell(table: str, key: str, column: str, value: str) -> str:
    """The table with one cell changed (the row whose first cell is key)."""
    lines = text(table).splitlines()
    header = lines[0].split(",")
    at = header.index(column)
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        if cells[0] == key:
            cells[at] = value
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


def drop_column(table: str, column: str) -> str:
    lines = [line.split(",") for line in text(table).splitlines()]
    at = lines[0].index(column)
    return "\n".join(",".join(c for i, c in enumerate(cells) if i != at) for cells in lines) + "\n"


def booleans_many_ways() -> str:
    trues, falses = ["TRUE", "True", "Yes", "YES", "y", "Y", "t", "T", "1"], ["FALSE", "No", "n", "N", "f", "F", "0"]
    lines = [line.split(",") for line in text("applicants").splitlines()]
    k = 0
    for cells in lines[1:]:
        for i in (6, 7, 8, 9):
            k += 1
            cells[i] = trues[k % len(trues)] if cells[i] == "true" else falses[k % len(falses)]
    return "\n".join(",".join(cells) for cells in lines) + "\n"


def workbook(name: str, **kw) -> Path:
    return write_workbook(FILES / name, **kw)


def csv_files() -> dict[str, bytes | str]:
    accents = swap("trainees", ",Osei,", ",Ñúñez,").replace(",Marsh,", ",Müller,")
    return {
        "semicolon_delimiter.csv": resaved("trainees", ";"),
        "tab_delimiter.csv": resaved("appointments", "\t"),
        "windows_1252_names.csv": accents.encode("cp1252"),
        "windows_1252_names.intended.csv": accents,
        "utf16_unicode_text.csv": resaved("trainees", "\t").encode("utf-16"),
        "utf8_bom.csv": b"\xef\xbb\xbf" + text("trainees").encode("utf-8"),
        "crlf_line_endings.csv": text("trainees").replace("\n", "\r\n").encode("utf-8"),
        "header_typo.csv": swap("trainees", "trainee_id,applicant_id", "trianee_id,applicant_id"),
        "missing_column.csv": drop_column("appointments", "fiscal_year"),
        "duplicated_column.csv": "\n".join(line + "," + line.split(",")[16] for line in text("trainees").splitlines())
        + "\n",
        "duplicated_key.csv": set_cell("trainees", "T05", "trainee_id", "T03"),
        "orphan_program.csv": set_cell("trainees", "T10", "program_id", "p_cer"),
        "orphan_trainee.csv": set_cell("appointments", "AP03", "trainee_id", "T20"),
        "february_31.csv": set_cell("trainees", "T05", "end_date", "2021-02-31"),
        "month_13.csv": set_cell("appointments", "AP08", "start_date", "2021-13-01"),
        "excel_serial_in_csv.csv": set_cell("trainees", "T09", "start_date", "44378"),
        "us_style_dates.csv": "\n".join(
            [text("milestones").splitlines()[0]]
            + [f"{t},{m},{d[5:7]}/{d[8:10]}/{d[:4]}" for t, m, d in
               (line.split(",") for line in text("milestones").splitlines()[1:])]) + "\n",
        "negative_money.csv": set_cell("appointments", "AP02", "stipend_usd", "-24000"),
        "text_in_amount.csv": set_cell("appointments", "AP04", "tuition_fees_usd", "TBD"),
        "text_in_year.csv": set_cell("trainees", "T06", "cohort_year", "fall 2019"),
        "thousands_separators.csv": swap("appointments", ",23000,", ',"23,000.00",').replace(",24000,", ',"24,000",'),
        "dollar_amounts.csv": swap("appointments", ",53000,", ',"$53,000",').replace(",4500,", ",$4500,"),
        "booleans_many_ways.csv": booleans_many_ways(),
        "booleans_x_marks.csv": set_cell("applicants", "A05", "interviewed", "x"),
        "empty_file.csv": b"",
        "header_only.csv": text("trainees").splitlines()[0] + "\n",
        "binary_renamed.csv": PNG,
        "trailing_blank_rows.csv": text("trainees") + "\n\n" + "," * 20 + "\n   \n" + ";;\n".replace(";", ""),
        "whitespace_only_optional.csv": set_cell("trainees", "T01", "mentor", "   "),
        "whitespace_only_optional.intended.csv": set_cell("trainees", "T01", "mentor", ""),
        "whitespace_only_required.csv": set_cell("trainees", "T03", "status", "  "),
        "track_of_other_program.csv": set_cell("trainees", "T09", "track_id", "t_a"),
        "matriculated_not_admitted.csv": set_cell("applicants", "A04", "matriculated", "true"),
        "end_before_start.csv": set_cell("trainees", "T07", "end_date", "2019-06-30"),
        "unquoted_comma.csv": swap("trainees", "Readmission risk models", "Readmission, risk models"),
        "title_rows_above_header.csv": "Trainee roster,,\nExported 2026-07-01 by the registrar,,\n\n"
        + text("trainees"),
        "unknown_extra_column.csv": "\n".join(
            line + ("," + ("linkedin" if i == 0 else "https://example.org/in/x"))
            for i, line in enumerate(text("positions").splitlines())) + "\n",
        "spaces_in_headers.csv": "Program ID,Program Name,School,Degree,Level,Nominal Years\n"
        + text("programs").split("\n", 1)[1],
        "stray_quote.csv": swap("trainees", ",Wearable glucose sensing,", ',"Wearable glucose sensing,'),
    }


def workbooks() -> None:
    workbook("workbook_missing_sheet.xlsx", skip=("trainees",))
    workbook("workbook_misnamed_sheet.xlsx", titles={"trainees": "Trainee list"})
    workbook("workbook_sheet_titles_spaced.xlsx", titles={"trainees": " Trainees ", "programs": "PROGRAMS"})
    saved_by_excel(path := workbook("workbook_formulas_saved.xlsx"), with_formula_stipends(path))
    with_formula_stipends(workbook("workbook_formulas_unsaved.xlsx"))

    path = workbook("workbook_merged_header.xlsx")
    book = load_workbook(path)
    sheet = book["trainees"]
    sheet["O1"], sheet["P1"] = "Name", None
    sheet.merge_cells("O1:P1")
    book.save(path)

    path = workbook("workbook_title_row_merged.xlsx")
    book = load_workbook(path)
    sheet = book["trainees"]
    sheet.insert_rows(1, 2)
    sheet["A1"] = "Trainee roster, fall 2026"
    sheet.merge_cells("A1:U1")
    book.save(path)

    path = workbook("workbook_trailing_formatted_rows.xlsx")
    book = load_workbook(path)
    sheet = book["trainees"]
    for row in range(sheet.max_row + 1, sheet.max_row + 501):
        sheet.cell(row=row, column=1).number_format = "@"
        sheet.cell(row=row, column=2).value = ""
    book.save(path)

    data = workbook("workbook_damaged.xlsx").read_bytes()
    (FILES / "workbook_damaged.xlsx").write_bytes(data[: len(data) // 2])

    buffer = io.BytesIO()
    with zipfile.ZipFile(FILES / "workbook_sheet_titles_spaced.xlsx") as archive:
        with zipfile.ZipFile(buffer, "w") as copy:
            for item in archive.infolist():
                copy.writestr(item, archive.read(item.filename))
    (FILES / "workbook_renamed.csv").write_bytes(buffer.getvalue())


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for name, content in csv_files().items():
        path = FILES / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_bytes(content)
    workbooks()
    print(f"{len(list(FILES.iterdir()))} files in {FILES}")


if __name__ == "__main__":
    main()
