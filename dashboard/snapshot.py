"""The published snapshot: read once per script run, one cached read-only connection, cached query results."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from etl import lineage, pipeline


@dataclass(frozen=True)
class Snapshot:
    """The snapshot this script run reads: its run id and file, and when it was published."""

    run_id: str
    path: str
    published_at: str


def begin_run() -> Snapshot:
    """Read the published pointer once for this script run (publishing the sample on a fresh warehouse)."""
    with st.spinner("Preparing the built-in sample data (first start only)…"):
        published = pipeline.ensure_published()
    snap = Snapshot(published.run_id, str(published.path), published.published_at)
    st.session_state["_snapshot"] = snap
    return snap


def current() -> Snapshot:
    """The snapshot of this script run."""
    return st.session_state.get("_snapshot") or begin_run()


@st.cache_resource(max_entries=4, show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    """One read-only connection per snapshot file; queries take their own cursor (connections are not thread-safe)."""
    return duckdb.connect(path, read_only=True)


@st.cache_data(max_entries=1000, show_spinner=False)
def _run(run_id: str, path: str, sql: str, params: dict) -> pd.DataFrame:
    """Run a query on a snapshot; cached per snapshot, query and parameters."""
    cursor = _connection(path).cursor()
    try:
        return cursor.execute(sql, params).df()
    finally:
        cursor.close()


def query(sql: str, params: dict | None = None) -> pd.DataFrame:
    """Run SQL with bound parameters on this run's snapshot."""
    snap = current()
    return _run(snap.run_id, snap.path, sql, params or {})


@st.cache_data(max_entries=8, show_spinner=False)
def _lineage(run_id: str, path: str, published_at: str) -> dict:
    from etl.warehouse import Published

    cursor = _connection(path).cursor()
    try:
        return lineage.read_from(cursor, Published(run_id, Path(path), published_at, "", ""))
    finally:
        cursor.close()


def lineage_info() -> dict:
    """The lineage of this run's snapshot (run, time, source files and hashes, row counts, warnings)."""
    snap = current()
    info = dict(_lineage(snap.run_id, snap.path, snap.published_at))
    published = pipeline.published()
    if published is not None and published.run_id == snap.run_id:
        info.update(published_by=published.user, action=published.action)
    return info
