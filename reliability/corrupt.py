"""Random corruptions of a valid source, and what must hold whatever they do: the refresh never crashes, publishes
only what passes every check, and otherwise refuses with errors that say where, leaving the published untouched."""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from etl import pipeline
from etl.contract import TABLES

NASTY = ["", "   ", "N/A", "-1", "1e309", "2025-13-01", "31/02/2024", "'; drop table raw.trainees; --", "Zoë Ñúñez",
         "😀", '"', "x" * 5000, "0x1F", "TRUE", "$1,234.50", "=HYPERLINK(\"http://x\")", "NULL", "nan", "\t", "٣",
         "2024-02-29", "9999999999999999999999", "-0", "T01", "p_phd", "graduated"]
CELL_RULES = {"not_null", "type_integer", "type_number", "type_boolean", "type_date", "vocabulary", "range",
              "max_length", "duplicate_key", "orphan_reference", "track_program_mismatch",
              "matriculated_without_admitted", "end_date_required", "end_before_start", "degree_required",
              "grant_number_required"}


@dataclass(frozen=True)
class Corruption:
    """One change to one file of a source, in words."""

    file: str
    what: str


def _cells(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.split("\n")]


def _join(rows: list[list[str]]) -> str:
    return "\n".join(",".join(r) for r in rows)


def corrupt(source: Path, rng: random.Random) -> Corruption:
    """Apply one random corruption to a random CSV file of source (in place)."""
    path = rng.choice(sorted(source.glob("*.csv")))
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace")
    rows = _cells(text.rstrip("\n"))
    kind = rng.choice(["cell", "cell", "cell", "delete_row", "duplicate_row", "drop_column", "rename_header",
                       "swap_headers", "truncate", "bytes", "encoding", "delimiter", "delete_file", "blank_lines",
                       "shuffle_rows"])
    r = rng.randrange(1, len(rows)) if len(rows) > 1 else 0
    c = rng.randrange(len(rows[0]))
    if kind == "cell" and len(rows) > 1 and c < len(rows[r]):
        value = rng.choice(NASTY)
        rows[r][c] = f'"{value}"' if any(ch in value for ch in ',"\n') and value != '"' else value
        path.write_text(_join(rows) + "\n", encoding="utf-8")
        return Corruption(path.name, f"row {r + 1}, column {rows[0][c]} set to {value[:30]!r}")
    if kind == "delete_row" and len(rows) > 1:
        del rows[r]
        path.write_text(_join(rows) + "\n", encoding="utf-8")
        return Corruption(path.name, f"row {r + 1} deleted")
    if kind == "duplicate_row" and len(rows) > 1:
        rows.insert(r, list(rows[r]))
        path.write_text(_join(rows) + "\n", encoding="utf-8")
        return Corruption(path.name, f"row {r + 1} duplicated")
    if kind == "drop_column":
        path.write_text(_join([[v for i, v in enumerate(row) if i != c] for row in rows]) + "\n", encoding="utf-8")
        return Corruption(path.name, f"column {rows[0][c]} dropped")
    if kind == "rename_header":
        old = rows[0][c]
        rows[0][c] = old[::-1] if rng.random() < 0.5 else old.upper().replace("_", " ")
        path.write_text(_join(rows) + "\n", encoding="utf-8")
        return Corruption(path.name, f"header {old} renamed {rows[0][c]}")
    if kind == "swap_headers" and len(rows[0]) > 1:
        d = (c + 1) % len(rows[0])
        rows[0][c], rows[0][d] = rows[0][d], rows[0][c]
        path.write_text(_join(rows) + "\n", encoding="utf-8")
        return Corruption(path.name, f"headers {rows[0][d]} and {rows[0][c]} swapped")
    if kind == "truncate":
        cut = rng.randrange(len(data) + 1)
        path.write_bytes(data[:cut])
        return Corruption(path.name, f"cut after byte {cut} of {len(data)}")
    if kind == "bytes":
        at = rng.randrange(len(data) + 1)
        path.write_bytes(data[:at] + rng.randbytes(rng.randrange(1, 64)) + data[at:])
        return Corruption(path.name, f"random bytes inserted at byte {at}")
    if kind == "encoding":
        encoding = rng.choice(["cp1252", "utf-16", "latin-1"])
        path.write_bytes(text.replace("a", "ä").encode(encoding, errors="replace"))
        return Corruption(path.name, f"accents added, saved as {encoding}")
    if kind == "delimiter":
        path.write_text(text.replace(",", rng.choice([";", "\t", "|"])), encoding="utf-8")
        return Corruption(path.name, "delimiter changed")
    if kind == "delete_file":
        path.unlink()
        return Corruption(path.name, "file deleted")
    if kind == "shuffle_rows" and len(rows) > 2:
        body = rows[1:]
        rng.shuffle(body)
        path.write_text(_join([rows[0], *body]) + "\n", encoding="utf-8")
        return Corruption(path.name, "rows shuffled")
    path.write_text("\n\n" + text + "\n\n,,,\n", encoding="utf-8")
    return Corruption(path.name, "blank lines added around the data")


def problems(result: pipeline.RunResult, before: dict, after: dict, published_ok) -> list[str]:
    """What is wrong with a refresh of a corrupted source (empty when every promise holds)."""
    wrong = []
    errors = [f for f in result.findings if f.severity == "error"]
    if result.outcome == "failed":
        if after != before:
            wrong.append("a refused refresh changed the published snapshot")
        if not errors:
            wrong.append(f"refused without an error finding: {result.message}")
        for f in errors:
            if not f.file:
                wrong.append(f"an error names no file: {f}")
            if f.rule in CELL_RULES and not (f.row and f.column) and "more rows like these" not in f.message:
                wrong.append(f"a cell error names no row or column: {f}")
    elif result.outcome == "published":
        if errors:
            wrong.append(f"published despite errors: {[str(f) for f in errors]}")
        wrong.extend(published_ok())
    else:
        wrong.append(f"unexpected outcome {result.outcome}: {result.message}")
    return wrong


def known_tables() -> set[str]:
    """The file names of the contract's tables."""
    return {f"{t.name}.csv" for t in TABLES}


def fresh_copy(source: Path, target: Path) -> Path:
    """A writable copy of a source folder."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("README.md"))
    return target
