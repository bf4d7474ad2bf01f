"""Read a snapshot's own lineage: which run built it, from which files (and each table from where), with which
findings."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import duckdb

from etl import provenance
from etl.marts import schema_version
from etl.warehouse import Published


def read(published: Published) -> dict:
    """The lineage of the published snapshot as a plain dict (the same keys as `python -m etl status --json`)."""
    con = duckdb.connect(str(published.path), read_only=True)
    try:
        return read_from(con, published)
    finally:
        con.close()


def read_from(con: duckdb.DuckDBPyConnection, published: Published) -> dict:
    """The lineage, read through an open connection to the snapshot."""
    cursor = con.execute("select * from meta.run")
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
    run = (row["run_id"], row["created_at"], row["as_of_date"], row["source"], row["is_sample"])
    tables = dict(con.execute("select table_name, rows from meta.tables order by table_name").fetchall())
    files = [
        dict(zip(("name", "sha256", "bytes"), r, strict=False))
        for r in con.execute("select file, sha256, bytes from meta.source_files order by file").fetchall()
    ]
    counts = dict(con.execute("select severity, count(*) from meta.findings group by severity").fetchall())
    sources = provenance.read(con)
    return {
        "run_id": published.run_id,
        "snapshot_path": str(Path(published.path).resolve()),
        "published_at": published.published_at,
        "published_by": published.user,
        "action": published.action,
        "built_at": run[1].isoformat(),
        "as_of_date": run[2].isoformat(),
        "source": run[3],
        "is_sample": bool(run[4]),
        "row_counts": tables,
        "source_files": files,
        "table_sources": [asdict(s) for s in sources],
        "sample_tables": [s.table for s in sources if s.is_sample],
        "warnings": counts.get("warning", 0),
        "schema_version": row.get("schema_version"),
        "is_current_schema": row.get("schema_version") == schema_version(),
    }
