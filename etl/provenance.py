"""Where each source table's rows came from: a file read by the run that built the snapshot (the built-in sample's
own file or not), or carried over from the published snapshot by a partial upload, with that table's provenance."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from etl import config
from etl.contract import SOURCE_TABLES
from etl.extract import SourceFile, sha256_of

CARRIED = "carried.json"  # in a source folder: the tables a partial upload took from the published snapshot


@dataclass(frozen=True)
class TableSource:
    """One table's provenance: the file its rows were read from, by which run, carried from which published run
    (None when read by this snapshot's own run), and whether they are the built-in sample's."""

    table: str
    file: str | None
    read_by_run: str | None
    carried_from: str | None
    is_sample: bool


def sample_hashes() -> dict[str, str]:
    """The SHA-256 of each built-in sample file, by table name."""
    return {p.stem: sha256_of(p.read_bytes()) for p in config.SAMPLE_DIR.glob("*.csv")}


def write_carried(source: Path, from_run: str, tables: dict[str, tuple[Path, TableSource]]) -> None:
    """Note in a source folder which files hold tables carried from the published run, with their provenance."""
    carried = {name: {"file": path.name, "sha256": sha256_of(path.read_bytes()), "source": asdict(origin)}
               for name, (path, origin) in tables.items()}
    (Path(source) / CARRIED).write_text(json.dumps({"from_run": from_run, "tables": carried}, indent=2),
                                        encoding="utf-8")


def _carried(source: Path) -> tuple[str | None, dict]:
    note = Path(source) / CARRIED
    if not note.is_file():
        return None, {}
    data = json.loads(note.read_text(encoding="utf-8"))
    return data["from_run"], data["tables"]


def of_build(source: Path, run_id: str, files: list[SourceFile], files_by_table: dict[str, str]) -> list[TableSource]:
    """Every source table's provenance in a new build: carried tables keep theirs (when the file read is still the
    one carried, byte for byte); tables read now are the sample's when their file is the sample's own."""
    from_run, carried = _carried(source)
    sample = sample_hashes()
    hashes = {f.name: f.sha256 for f in files}
    out = []
    for table in SOURCE_TABLES:
        label = files_by_table.get(table.name)
        sha = hashes.get(label.split(", sheet ")[0]) if label else None
        note = carried.get(table.name)
        if label is None:
            out.append(TableSource(table.name, None, None, None, False))
        elif note and note["file"] == label and note["sha256"] == sha:
            origin = note["source"]
            out.append(TableSource(table.name, origin["file"], origin["read_by_run"], from_run, origin["is_sample"]))
        else:
            out.append(TableSource(table.name, label, run_id, None, sha is not None and sha == sample.get(table.name)))
    return out


def write(con: duckdb.DuckDBPyConnection, sources: list[TableSource]) -> None:
    """meta.table_sources: one row per source table of the snapshot."""
    con.execute("create table meta.table_sources (table_name varchar, file varchar, read_by_run varchar,"
                " carried_from varchar, is_sample boolean)")
    con.executemany("insert into meta.table_sources values (?, ?, ?, ?, ?)",
                    [[s.table, s.file, s.read_by_run, s.carried_from, s.is_sample] for s in sources])


def read(con: duckdb.DuckDBPyConnection) -> list[TableSource]:
    """A snapshot's table provenance, in contract order; a snapshot built before it was recorded reads as every
    table read by its own run, sample or not as the whole run was."""
    recorded = con.execute("select count(*) from duckdb_tables() where database_name = current_database()"
                           " and schema_name = 'meta' and table_name = 'table_sources'").fetchone()[0]
    if recorded:
        rows = con.execute("select table_name, file, read_by_run, carried_from, is_sample"
                           " from meta.table_sources").fetchall()
        by_table = {row[0]: TableSource(*row) for row in rows}
        return [by_table[t.name] for t in SOURCE_TABLES if t.name in by_table]
    run_id, is_sample = con.execute("select run_id, is_sample from meta.run").fetchone()
    files = dict(con.execute("select table_name, file from meta.tables").fetchall())
    return [TableSource(t.name, files.get(t.name), run_id if files.get(t.name) else None, None,
                        bool(is_sample) and files.get(t.name) is not None) for t in SOURCE_TABLES]
