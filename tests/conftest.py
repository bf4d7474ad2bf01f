"""Shared fixtures: real warehouses built by the real ETL from small source folders."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import pipeline
from etl.marts import MARTS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small"
AS_OF = dt.date(2026, 6, 30)


def build(source: Path, warehouse: Path, **kw) -> pipeline.RunResult:
    """Run the real refresh of source into warehouse (as of AS_OF unless given)."""
    kw.setdefault("as_of", AS_OF)
    return pipeline.refresh(source, warehouse, **kw)


def read_marts(snapshot: Path) -> dict[str, pd.DataFrame]:
    """Every mart of a snapshot file as a data frame, read-only."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return {name: con.execute(f"select * from main.{name}").df() for name in MARTS}
    finally:
        con.close()


def copy_source(tmp_path: Path, source: Path = SMALL, name: str = "src") -> Path:
    """A writable copy of a fixture source folder, for tests that change it."""
    target = tmp_path / name
    shutil.copytree(source, target)
    return target


@pytest.fixture(scope="session")
def small_snapshot(tmp_path_factory) -> Path:
    """The published snapshot file built from the small fixture (shared, read-only)."""
    warehouse = tmp_path_factory.mktemp("small_warehouse")
    result = build(SMALL, warehouse)
    assert result.outcome == "published", result.message
    return result.snapshot


@pytest.fixture(scope="session")
def small_marts(small_snapshot) -> dict[str, pd.DataFrame]:
    """Every mart of the small fixture's snapshot."""
    return read_marts(small_snapshot)


@pytest.fixture
def small_con(small_snapshot):
    """A read-only connection to the small fixture's snapshot."""
    con = duckdb.connect(str(small_snapshot), read_only=True)
    yield con
    con.close()
