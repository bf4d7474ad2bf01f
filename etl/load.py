"""Load: write validated tables and the run's lineage into a new DuckDB snapshot file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd
import pyarrow as pa

from etl.contract import LABELS, TABLES, VOCABULARIES, Column
from etl.extract import SourceFile
from etl.findings import Finding
from etl.marts import schema_version

SQL_TYPES = {
    "text": "varchar",
    "category": "varchar",
    "integer": "bigint",
    "number": "decimal(18, 2)",
    "boolean": "boolean",
    "date": "date",
}


@dataclass(frozen=True)
class Lineage:
    """What a snapshot was built from: run id, times, source, files and their hashes, findings."""

    run_id: str
    created_at: dt.datetime
    as_of_date: dt.date
    source: str
    is_sample: bool
    files: list[SourceFile]
    findings: list[Finding]


def _sql_type(col: Column) -> str:
    return SQL_TYPES[col.type]


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create an empty raw.<table> for every table of the contract, typed as the contract says."""
    con.execute("create schema if not exists raw")
    for spec in TABLES:
        cols = ",\n  ".join(f"{c.name} {_sql_type(c)}" for c in spec.columns)
        con.execute(f"create table raw.{spec.name} (\n  source_row bigint,\n  {cols}\n)")


def load_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Insert validated frames into their raw tables; returns rows loaded per table."""
    counts: dict[str, int] = {}
    for spec in TABLES:
        frame = tables.get(spec.name)
        if frame is None:
            counts[spec.name] = 0
            continue
        staged = frame[spec.column_names].copy()
        staged.insert(0, "source_row", frame.index.astype("int64"))
        con.register("incoming", pa.Table.from_pandas(staged, preserve_index=False))  # (missing values as nulls)
        casts = ", ".join(f"cast({c.name} as {_sql_type(c)})" for c in spec.columns)
        con.execute(f"insert into raw.{spec.name} select source_row, {casts} from incoming order by source_row")
        con.unregister("incoming")
        counts[spec.name] = len(staged)
    return counts


def write_vocabulary(con: duckdb.DuckDBPyConnection) -> None:
    """main.vocabulary: every coded value with its display label and list order, from the contract."""
    con.execute("create table main.vocabulary (vocabulary varchar, code varchar, label varchar, sort_order integer)")
    rows = [[name, code, LABELS[code], i] for name, codes in VOCABULARIES.items() for i, code in enumerate(codes, 1)]
    _insert_rows(con, "main.vocabulary", rows)


def write_lineage(
    con: duckdb.DuckDBPyConnection, lineage: Lineage, rows: dict[str, int], files_by_table: dict[str, str]
) -> None:
    """Record the snapshot's own lineage in the meta schema."""
    con.execute("create schema if not exists meta")
    con.execute(
        "create table meta.run (run_id varchar, created_at timestamp, as_of_date date, source varchar,"
        " is_sample boolean, schema_version varchar)"
    )
    con.execute(
        "insert into meta.run values (?, ?, ?, ?, ?, ?)",
        [lineage.run_id, lineage.created_at, lineage.as_of_date, lineage.source, lineage.is_sample,
         schema_version()],
    )
    con.execute("create table meta.source_files (file varchar, sha256 varchar, bytes bigint)")
    _insert_rows(con, "meta.source_files", [[f.name, f.sha256, f.bytes] for f in lineage.files])
    con.execute("create table meta.tables (table_name varchar, file varchar, rows bigint)")
    _insert_rows(con, "meta.tables", [[name, files_by_table.get(name), n] for name, n in rows.items()])
    con.execute(
        "create table meta.findings (rule varchar, severity varchar, table_name varchar, file varchar,"
        " row bigint, column_name varchar, value varchar, message varchar, hint varchar)"
    )
    _insert_rows(
        con,
        "meta.findings",
        [[f.rule, f.severity, f.table, f.file, f.row, f.column, f.value, f.message, f.hint] for f in lineage.findings],
    )


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[list]) -> None:
    """Insert rows (in the table's column order) in one statement; executemany would run one statement per row."""
    if not rows:
        return
    columns = {f"c{i}": pa.array(list(values)) for i, values in enumerate(zip(*rows, strict=True))}
    con.register("incoming_rows", pa.table(columns))
    con.execute(f"insert into {table} select * from incoming_rows")
    con.unregister("incoming_rows")
