"""A snapshot built by an earlier version of the product is noticed: the built-in sample is rebuilt, real data is
flagged on every page until a refresh."""

from __future__ import annotations

import shutil

import duckdb

from etl import config, lineage, pipeline
from etl.warehouse import Warehouse
from tests.conftest import SMALL, build, open_page


def age(warehouse) -> str:
    """Make the published snapshot look built by an earlier version (a copy with another schema stamp)."""
    wh = Warehouse(warehouse)
    old = wh.published()
    copy = wh.snapshot_path("19990101T000000000000Z-0ld000")
    shutil.copyfile(old.path, copy)
    copy.chmod(0o644)
    con = duckdb.connect(str(copy))
    con.execute("update meta.run set schema_version = 'earlier', run_id = '19990101T000000000000Z-0ld000'")
    con.close()
    copy.chmod(0o444)
    wh.point_to(copy.stem, "publish", "test")
    return copy.stem


def test_a_fresh_snapshot_carries_the_current_schema(small_snapshot):
    info = lineage.read(Warehouse(small_snapshot.parent.parent).published())
    assert info["is_current_schema"] and info["schema_version"]


def test_a_stale_built_in_sample_is_rebuilt_on_start(tmp_path):
    warehouse = tmp_path / "wh"
    assert pipeline.refresh(config.SAMPLE_DIR, warehouse, as_of=config.SAMPLE_AS_OF).outcome == "published"
    stale = age(warehouse)
    current = pipeline.ensure_published(warehouse)
    assert current.run_id != stale
    assert lineage.read(current)["is_current_schema"]


def test_stale_real_data_is_kept_and_flagged_on_every_page(tmp_path, monkeypatch):
    warehouse = tmp_path / "wh"
    build(SMALL, warehouse)
    stale = age(warehouse)
    assert pipeline.ensure_published(warehouse).run_id == stale
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse))
    at = open_page("about")
    assert any("earlier version of this product" in e.value for e in at.error)
