"""Fast CSV reading: pyarrow's reader, used only on plain CSV where it reads exactly the cells pandas' reader would."""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.csv as pa_csv


def read_plain(body: bytes, delimiter: str) -> list[pa.ChunkedArray] | None:
    """The columns of UTF-8 CSV bytes as text, one cell per field; None unless the file is plain CSV, which the
    caller then reads with pandas as before. Plain: no byte-order mark, no NUL byte, no carriage return except in a
    CRLF line end, a first line that is not blank, every row as wide as the first, and every double quote part of a
    whole quoted field ("a ""b"", c") on one line. On such input pandas' C reader (header=None, dtype=str, no NA
    values, blank lines kept) and pyarrow's agree."""
    if body.startswith((b"\xef\xbb\xbf", b"\n", b"\r")) or b"\x00" in body:
        return None  # a second byte-order mark (pandas drops it), a blank first line (pandas refuses the file), NUL
    if b"\r" in body and body.count(b"\r") != body.count(b"\r\n"):
        return None  # a lone CR: a line end to pandas
    if not _quotes_are_plain(body, delimiter):
        return None
    first = body[: body.find(b"\n")] if b"\n" in body else body
    width = first.count(delimiter.encode()) + 1  # at least the fields of the first row (quoted delimiters count)
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(body),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True, block_size=16 << 20),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False,
                newlines_in_values=False, ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.large_string() for i in range(width)}, strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # rows of unequal length, say: pandas reads them as before
        return None
    if any(not pa.types.is_large_string(c.type) for c in table.columns):
        return None
    return list(table.columns)


def _quotes_are_plain(body: bytes, delimiter: str) -> bool:
    """True when every line holding a double quote is a row of whole fields, quoted ones closed on the same line."""
    if b'"' not in body:
        return True
    d = re.escape(delimiter.encode())
    field = rb'(?:[^"\r\n' + d + rb']*|"(?:[^"\r\n]|"")*")'
    row = re.compile(field + rb"(?:" + d + field + rb")*\r?")
    at = body.find(b'"')
    while at != -1:
        start = body.rfind(b"\n", 0, at) + 1
        end = body.find(b"\n", at)
        end = len(body) if end == -1 else end
        if not row.fullmatch(body, start, end):
            return False
        at = body.find(b'"', end)
    return True
