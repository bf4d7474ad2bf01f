"""Blank input templates generated from the contract: a CSV per table and one workbook with a sheet per table."""

from __future__ import annotations

import io

from etl.contract import NOTES_SHEET, SOURCE_TABLES, Table
from etl.dictionary import rule_text

NOTES_COLUMNS = ("table", "column", "type", "required", "meaning", "allowed values and rules")


def csv_template(table: Table) -> bytes:
    """A CSV with the table's header row only (UTF-8 with BOM, so Excel opens it as UTF-8)."""
    return ("\ufeff" + ",".join(table.column_names) + "\r\n").encode("utf-8")


def notes_rows() -> list[tuple[str, str, str, str, str, str]]:
    """One row per column of every source table: what the notes sheet lists."""
    rows = []
    for table in SOURCE_TABLES:
        for col in table.columns:
            required = "no" if col.nullable else "yes"
            if col.optional:
                required += " (column optional)"
            rows.append((table.name, col.name, col.type, required, col.description, rule_text(col)))
    return rows


def workbook_template() -> bytes:
    """An XLSX workbook: a sheet per source table with its headers, and a README sheet describing every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table in SOURCE_TABLES:
        sheet = book.create_sheet(table.name)
        sheet.append(table.column_names)
        for cell in sheet[1]:
            cell.font = bold
        for col in table.columns:  # dates and identifiers typed as text keep their form (no 1/2/2024, no 1E+05)
            letter = sheet.cell(row=1, column=table.column_names.index(col.name) + 1).column_letter
            sheet.column_dimensions[letter].width = max(12, len(col.name) + 2)
            if col.type in ("text", "category", "date"):
                sheet.column_dimensions[letter].number_format = "@"
        sheet.freeze_panes = "A2"
    notes = book.create_sheet(NOTES_SHEET)
    notes.append(list(NOTES_COLUMNS))
    for cell in notes[1]:
        cell.font = bold
    for row in notes_rows():
        notes.append(list(row))
    for letter, width in zip("ABCDEF", (16, 26, 10, 20, 60, 60), strict=True):
        notes.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
