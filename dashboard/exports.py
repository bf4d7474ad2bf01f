"""Downloads: CSV and XLSX of exactly the rows shown, shares as percentages, dates as dates, formula-like cells
neutralised; an XLSX opens on a sheet saying what it holds (the filters, the data's as-of date, the run)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Columns holding a fraction (0.25 = 25%), by the name the query gives them: share, *_rate, *_share, percent_*.
FRACTION = re.compile(r"(^|_)(share|rate|percent)($|_)")
PERCENT_XLSX, DATE_XLSX, USD_XLSX, DECIMAL_XLSX = "0.0%", "yyyy-mm-dd", '"$"#,##0', "#,##0.00"


def fractions(frame: pd.DataFrame) -> list[str]:
    """The number columns of a frame (as a query names them) that hold fractions to show as percentages."""
    return [c for c in frame.columns if FRACTION.search(str(c)) and pd.api.types.is_numeric_dtype(frame[c])]


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v)
    return out


def csv_bytes(frame: pd.DataFrame, percent: list[str] = ()) -> bytes:
    """UTF-8 CSV with a BOM, so spreadsheets read accents correctly; `percent` columns written as 12.5%."""
    out = neutralise(frame)
    for col in percent:
        out[col] = out[col].map(lambda v: None if v is None or pd.isna(v) else f"{float(v):.1%}")
    return out.to_csv(index=False).encode("utf-8-sig")


def _as_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as date cells (not text, not midnight datetimes); missing values as empty cells."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].map(lambda v: None if pd.isna(v) else v.date()).astype(object)
    return out


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "data", percent: list[str] = (), usd: list[str] = (),
               about: dict[str, str] | None = None) -> bytes:
    """An XLSX workbook: an "About" sheet first (when `about` is given), then the rows with percent, dollar and date
    formats on their columns."""
    buffer = io.BytesIO()
    name = re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "data"
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        if about:
            rows = pd.DataFrame({"": list(about), " ": list(about.values())})
            neutralise(rows).to_excel(writer, index=False, sheet_name="About")
            writer.sheets["About"].column_dimensions["A"].width = 22
            writer.sheets["About"].column_dimensions["B"].width = 90
        neutralise(_as_cells(frame)).to_excel(writer, index=False, sheet_name=name)
        cells = writer.sheets[name]
        formats = {**dict.fromkeys(percent, PERCENT_XLSX), **dict.fromkeys(usd, USD_XLSX)}
        for number, col in enumerate(frame.columns, start=1):
            style = formats.get(col) or (DATE_XLSX if _is_dates(frame[col]) else
                                         DECIMAL_XLSX if pd.api.types.is_float_dtype(frame[col]) else None)
            width = max([len(str(col)), *(len(str(v)) for v in frame[col].head(200))]) + 2
            cells.column_dimensions[cells.cell(row=1, column=number).column_letter].width = min(width, 60)
            if style:
                for row in range(2, len(frame) + 2):
                    cells.cell(row=row, column=number).number_format = style
        cells.freeze_panes = "A2"
    return buffer.getvalue()


def _is_dates(column: pd.Series) -> bool:
    """True for a column of dates (datetime64, or date objects)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return True
    sample = column.dropna().head(20)
    return not sample.empty and all(isinstance(v, dt.date) for v in sample)
