"""Extract: read a source (a folder of CSV files or one XLSX workbook) into text frames, noting how it was read."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl import arrow_csv
from etl.contract import NOTES_SHEET, TABLES, Table
from etl.findings import Finding, finding

XLSX_SUFFIXES = (".xlsx", ".xlsm")
MAX_ROW_FINDINGS = 20  # rows listed one by one for a row-level reading problem; the rest are counted
csv.field_size_limit(2**31 - 1)  # the csv module reads a cell as long as pandas does (its default: 128 KiB)


@dataclass
class RawTable:
    """One table as read: text cells (None when empty), indexed by the row number the user sees."""

    name: str
    file: str
    headers: list[str]
    frame: pd.DataFrame
    header_row: int = 1  # the row (as the user sees it) that holds the column headers
    rows_above: int = 0  # non-blank rows (titles, notes) above the header, skipped
    too_long: list[int] = field(default_factory=list)  # rows with values beyond the last header


@dataclass(frozen=True)
class SourceFile:
    """A file read for a run, with its content hash."""

    name: str
    sha256: str
    bytes: int


@dataclass
class Extracted:
    """Everything read from a source: tables by name, the files behind them and the reading findings."""

    tables: dict[str, RawTable] = field(default_factory=dict)
    files: list[SourceFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def extract(source: Path, tables: tuple[Table, ...]) -> Extracted:
    """Read a folder of CSVs, a single CSV or an XLSX workbook, keeping only the tables asked for."""
    source = Path(source)
    out = Extracted()
    wanted = {t.name for t in tables}
    known = {t.name for t in TABLES}
    if source.is_dir():  # CSV files, and workbooks too (a partial upload completed with the published tables)
        paths = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() in (".csv", *XLSX_SUFFIXES))
        with ThreadPoolExecutor(max_workers=2) as pool:  # CSV files are read two at a time, kept in folder order
            reads = {p: pool.submit(_read_csv, p, p.stem.strip().lower(), wanted, known) for p in paths
                     if p.suffix.lower() == ".csv"}
            for path in paths:
                if path in reads:
                    _keep_csv(out, *reads[path].result())
                else:
                    _read_xlsx_into(out, path, wanted, known)
    elif source.suffix.lower() in XLSX_SUFFIXES:
        _read_xlsx_into(out, source, wanted, known)
    elif source.is_file():
        _keep_csv(out, *_read_csv(source, source.stem.strip().lower(), wanted, known))
    else:
        out.findings.append(
            finding(
                "file_unreadable", "", str(source), "the source does not exist or is not a folder, CSV or XLSX file"
            )
        )
    return out


def sha256_of(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def _keep_csv(out: Extracted, read: Extracted, table: RawTable | None) -> None:
    """Add what was read from one CSV file to everything read."""
    out.files.extend(read.files)
    out.findings.extend(read.findings)
    if table is not None:
        _add_table(out, table)


def _read_csv(path: Path, name: str, wanted: set[str], known: set[str]) -> tuple[Extracted, RawTable | None]:
    """One CSV file: its hash and reading findings, and its table (None when it is not read as one)."""
    out = Extracted()
    label = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        out.findings.append(finding("file_unreadable", name, label, f"the file cannot be opened: {exc.strerror}"))
        return out, None
    out.files.append(SourceFile(label, sha256_of(data), len(data)))
    if name not in wanted:
        if name not in known:
            out.findings.append(
                finding("table_unknown", name, label, f"'{name}' is not a table of the contract; the file is ignored")
            )
        return out, None
    if data.isascii() and not _binary(data):  # ASCII is UTF-8 as it stands: it is decoded only if pandas reads it
        text, notes = None, []
    else:
        text, notes = _decode(data, name, label)
        if text is None:
            out.findings.extend(notes)
            return out, None
    out.findings.extend(notes)
    if _blank(data if text is None else text):
        out.findings.append(finding("table_empty", name, label, "the file is empty: no header row"))
        return out, None
    delimiter = _delimiter(data if text is None else text)
    if delimiter != ",":
        shown = "tab" if delimiter == "\t" else delimiter
        out.findings.append(
            finding(
                "read_delimiter",
                name,
                label,
                f"the file is separated by '{shown}', not ','; it was read with '{shown}'",
            )
        )
    columns = arrow_csv.read_plain(data if text is None else _utf8(data, text, notes), delimiter)
    if columns is not None:
        return out, _table_from_columns(name, label, columns)
    text = data.decode("ascii") if text is None else text
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        unclosed = re.search(r"EOF inside string starting at row (\d+)", str(exc))
        if unclosed:  # pandas counts rows from 0
            row = int(unclosed.group(1)) + 1
            out.findings.append(finding("file_unreadable", name, label, f"a value opened with a double quote on row "
                                        f"{row} is never closed (the rest of the file would be one value)", row=row))
            return out, None
        if "Expected" not in str(exc):  # not rows of unequal length, which the csv module reads
            out.findings.append(finding("file_unreadable", name, label, f"the file is not valid CSV: {exc}"))
            return out, None
        grid = _ragged_grid(text, delimiter)
    except ValueError as exc:
        out.findings.append(finding("file_unreadable", name, label, f"the file is not valid CSV: {exc}"))
        return out, None
    grid.index = pd.RangeIndex(1, len(grid) + 1)
    return out, _table_from_grid(name, label, grid)


def _ragged_grid(text: str, delimiter: str) -> pd.DataFrame:
    """Rows of unequal length (a title line above the header, a row with a stray delimiter), padded with blanks."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)


def _add_table(out: Extracted, table: RawTable) -> None:
    """Keep a table read from a file or sheet; a second copy of the same table is an error."""
    first = out.tables.get(table.name)
    if first is None:
        out.tables[table.name] = table
        for row in table.too_long[:MAX_ROW_FINDINGS]:
            out.findings.append(
                finding("row_too_long", table.name, table.file,
                        f"row {row} has more values than there are column headers ({len(table.headers)})", row=row)
            )
        if len(table.too_long) > MAX_ROW_FINDINGS:
            out.findings.append(
                finding("row_too_long", table.name, table.file,
                        f"and {len(table.too_long) - MAX_ROW_FINDINGS} more rows with more values than headers")
            )
        if table.rows_above:
            out.findings.append(
                finding("read_header_row", table.name, table.file,
                        f"the headers are on row {table.header_row}; the {table.rows_above} row(s) above them "
                        "(a title or notes) were skipped", row=table.header_row)
            )
        return
    out.findings.append(
        finding("table_duplicated", table.name, table.file,
                f"table '{table.name}' is also in {first.file}; only one copy may be given")
    )


def _binary(data: bytes) -> bool:
    """True when the file starts like a binary file or a workbook (see _decode)."""
    head = data[:4096]
    return b"\x00" in head or head.startswith(b"PK\x03\x04")


def _blank(text: str | bytes) -> bool:
    """True when the text (or ASCII bytes) is empty or only whitespace, as str.isspace counts it; found without
    copying the text."""
    if isinstance(text, str):
        return not text or text.isspace()
    return re.search(rb"[^\t\n\x0b\x0c\r\x1c-\x1f ]", text) is None


def _decode(data: bytes, name: str, label: str) -> tuple[str | None, list[Finding]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text": UTF-16 with a byte-order mark
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None, [finding("file_unreadable", name, label, "the file starts as UTF-16 text but is damaged")]
        return text, [finding("read_encoding", name, label, "the file is UTF-16 text (Excel's \"Unicode Text\"); "
                              "it was read as such")]
    if _binary(data):
        kind = "an XLSX or ZIP file" if data.startswith(b"PK\x03\x04") else "a binary file"
        return None, [finding("file_unreadable", name, label, f"this looks like {kind}, not CSV text")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        note = finding(
            "read_encoding",
            name,
            label,
            f"the file is not UTF-8 (first at line {line}); it was read as Windows-1252",
            row=line,
        )
        try:
            return data.decode("cp1252"), [note]
        except UnicodeDecodeError:
            return data.decode("latin-1"), [note]


def _utf8(data: bytes, text: str, notes: list[Finding]) -> bytes:
    """The text as UTF-8 bytes: the file's own bytes when it is UTF-8 (less its byte-order mark)."""
    if not notes:  # read as UTF-8
        return data.removeprefix(codecs.BOM_UTF8)
    return text.encode("utf-8", errors="surrogatepass")


def _delimiter(text: str | bytes) -> str:
    header = _first_nonblank_line(text)
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    if counts[","] == 0 and max(counts[";"], counts["\t"]) > 0:
        return ";" if counts[";"] >= counts["\t"] else "\t"
    return ","


def _first_nonblank_line(text: str | bytes) -> str:
    """The first line of text (or ASCII bytes; as str.splitlines splits it) holding more than whitespace, or ""."""
    size = 1 << 16
    while True:
        prefix = text[:size]
        lines = (prefix.decode("ascii") if isinstance(prefix, bytes) else prefix).splitlines()
        complete = lines if size >= len(text) else lines[:-1]  # the last line of a prefix may be cut short
        found = next((line for line in complete if line.strip()), None)
        if found is not None or size >= len(text):
            return found or ""
        size *= 4


def _table_from_grid(name: str, label: str, grid: pd.DataFrame) -> RawTable:
    """A table from a grid of cells whose index is the user's row numbers 1, 2, ... (see _table_from_columns)."""
    return _table_from_columns(name, label, [_arrow(grid[c]) for c in grid.columns])


def _table_from_columns(name: str, label: str, columns: list[pa.ChunkedArray]) -> RawTable:
    """Turn the columns of a grid of cells (row i = the user's row i + 1) into a table: the header is the first
    non-blank row, or, when titles or notes sit above it, the first of the top rows that names at least half of the
    table's columns. Cells are trimmed; empty ones become missing."""
    cells = [_trimmed(c) for c in columns]
    rows = len(cells[0]) if cells else 0
    nonblank = _any_present(cells, rows)
    if not nonblank.any():
        return RawTable(name, label, [], pd.DataFrame(index=pd.Index([], dtype="int64")))
    header_row = _header_row(name, cells, nonblank)
    headers = [_header(c[header_row - 1].as_py()) for c in cells]
    while headers and headers[-1] == "":
        headers.pop()  # values right of the last header are a row's values pushed along (checked below)
    user_rows = pd.RangeIndex(1, rows + 1)
    below = np.asarray(user_rows > header_row)
    in_body = nonblank & below
    too_long = _any_present(cells[len(headers):], rows) & in_body
    kept = in_body[below]
    index = user_rows[below][kept]
    body = pd.DataFrame(
        {i: pd.arrays.ArrowStringArray(_rows(c, in_body)) for i, c in enumerate(cells[: len(headers)])}, index=index
    )
    body.columns = range(len(headers))
    above = int(nonblank[: header_row - 1].sum())
    return RawTable(name, label, headers, body, int(header_row), above, [int(r) for r in user_rows[too_long]])


def _arrow(cells: pd.Series) -> pa.ChunkedArray:
    """A column of cells as Arrow text."""
    array = pa.array(cells.astype("string").array)
    return array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])


def _trimmed(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Cells without surrounding whitespace (as pandas' str.strip does it), empty ones missing."""
    column = column.cast(pa.large_string())
    if not all(_plain_ends(chunk) for chunk in column.chunks):
        column = pc.utf8_trim_whitespace(column)
    empty = pc.equal(pc.binary_length(column), 0)
    if pc.any(empty).as_py():
        column = pc.if_else(empty, pa.scalar(None, pa.large_string()), column)
    return column


def _plain_ends(chunk: pa.LargeStringArray) -> bool:
    """True when no cell starts or ends with a space, a control character or a non-ASCII character: then no cell
    has whitespace to trim (every whitespace character is one of those)."""
    _, offsets, data = chunk.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64)[chunk.offset : chunk.offset + len(chunk) + 1]
    starts, stops = ends[:-1], ends[1:]
    filled = stops > starts
    if not filled.any():
        return True
    data = np.frombuffer(data, dtype=np.uint8)
    outer = np.concatenate([data[starts[filled]], data[stops[filled] - 1]])
    return bool(((outer > 0x20) & (outer < 0x7F)).all())


def _any_present(cells: list[pa.ChunkedArray], rows: int) -> np.ndarray:
    """Per row: does any of the columns hold a value?"""
    present = np.zeros(rows, dtype=bool)
    for c in cells:
        present |= pc.is_valid(c).to_numpy()
    return present


def _rows(column: pa.ChunkedArray, mask: np.ndarray) -> pa.ChunkedArray:
    """The rows of a column where mask holds (a slice when they are all in one run)."""
    where = np.flatnonzero(mask)
    if len(where) and where[-1] - where[0] + 1 == len(where):
        return column.slice(int(where[0]), len(where))
    return column.filter(pa.array(mask)) if len(where) else column.slice(0, 0)


HEADER_SEARCH_ROWS = 10  # how far down titles above the header are looked past


def _header(value: object) -> str:
    """A header cell as a column name: trimmed, lower case, inner spaces as underscores ("Cohort Year")."""
    return "" if pd.isna(value) else "_".join(str(value).strip().lower().split())


def _header_row(name: str, cells: list[pa.ChunkedArray], nonblank: np.ndarray) -> int:
    """The row holding the headers (see _table_from_columns), as the user numbers it."""
    rows = np.flatnonzero(nonblank)
    first = int(rows[0]) + 1
    spec = next((t for t in TABLES if t.name == name), None)
    if spec is None:
        return first
    wanted = set(spec.column_names)
    for at in rows[:HEADER_SEARCH_ROWS]:
        named = {_header(c[int(at)].as_py()) for c in cells} & wanted
        if len(named) * 2 >= len(wanted) or len(named) * 2 >= sum(not c.optional for c in spec.columns) > 0:
            return int(at) + 1
    return first


def _read_xlsx_into(out: Extracted, path: Path, wanted: set[str], known: set[str]) -> None:
    from openpyxl import load_workbook  # a heavy import, only needed for workbooks

    label = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        out.findings.append(finding("file_unreadable", "", label, f"the file cannot be opened: {exc.strerror}"))
        return
    out.files.append(SourceFile(label, sha256_of(data), len(data)))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        out.findings.append(
            finding("file_unreadable", "", label, f"the file is not a readable XLSX workbook ({type(exc).__name__})")
        )
        return
    try:
        formulas = _formulas(data)
        for sheet in book.worksheets:
            name = sheet.title.strip().lower()
            if name == NOTES_SHEET.lower():
                continue
            sheet_label = f"{label}, sheet {sheet.title}"
            if name not in wanted:
                if name not in known:
                    out.findings.append(
                        finding(
                            "table_unknown",
                            name,
                            sheet_label,
                            f"sheet '{sheet.title}' is not a table of the contract; it is ignored",
                        )
                    )
                continue
            rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(min_row=1, values_only=True)]
            width = max((len(r) for r in rows), default=0)
            grid = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype="string")
            grid.index = pd.RangeIndex(1, len(grid) + 1)
            table = _table_from_grid(name, sheet_label, grid)
            out.findings.extend(_formula_findings(table, formulas.get(sheet.title, {}), grid))
            _add_table(out, table)
    finally:
        book.close()


def _formulas(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Formula cells by sheet title, as {(row, column index): formula}; empty when no sheet holds a formula."""
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        if not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets):
            return {}
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        return {
            sheet.title: {(cell.row, cell.column - 1): cell.value for row in sheet.iter_rows() for cell in row
                          if isinstance(cell.value, str) and cell.value.startswith("=")}
            for sheet in book.worksheets
        }
    finally:
        book.close()


def _formula_findings(table: RawTable, formulas: dict[tuple[int, int], str], grid: pd.DataFrame) -> list[Finding]:
    """Formula cells in the data: read as the value Excel saved with them (a warning), or refused when the workbook
    holds no saved value (it was written by a program and never opened and saved in Excel)."""
    cells = sorted((row, col) for row, col in formulas if row > table.header_row and col < len(table.headers))
    if not cells:
        return []
    unsaved = [(row, col) for row, col in cells if pd.isna(grid.at[row, col])]
    found = [
        finding("formula_without_value", table.name, table.file,
                f"the cell holds the formula {formulas[row, col]} but no value saved with it",
                row=row, column=table.headers[col] or None, value=formulas[row, col])
        for row, col in unsaved
    ]
    saved = len(cells) - len(unsaved)
    if saved:
        row, col = next(c for c in cells if c not in unsaved)
        found.append(
            finding("read_formula", table.name, table.file,
                    f"{saved} formula cell(s) were read as the values Excel saved with them, e.g. "
                    f"{formulas[row, col]} as {grid.at[row, col]}", row=row, column=table.headers[col] or None,
                    value=formulas[row, col])
        )
    return found


def _cell_text(value: object) -> str | None:
    """A workbook cell as the text a CSV would hold: dates as ISO, whole numbers without '.0'."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
