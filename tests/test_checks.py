"""Post-load checks catch marts that disagree with the loaded tables, and such a refresh never publishes."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from etl import marts
from etl.warehouse import Warehouse
from tests.conftest import SMALL, build


@pytest.fixture
def writable_copy(small_snapshot, tmp_path):
    """A writable copy of the small fixture's snapshot, to break on purpose."""
    path = tmp_path / "copy.duckdb"
    shutil.copyfile(small_snapshot, path)
    path.chmod(0o644)
    con = duckdb.connect(str(path))
    yield con
    con.close()


def test_a_sound_snapshot_passes_every_check(writable_copy):
    assert marts.check(writable_copy) == []


def test_a_repeated_grain_is_caught(writable_copy):
    writable_copy.execute("insert into main.completion select * from main.completion where program_id = 'p_cert'")
    messages = [f.message for f in marts.check(writable_copy)]
    assert any("mart completion repeats its grain (program_id, cohort_year)" in m for m in messages)
    assert any("aggregates_add_up" in m and "completion.entrants" in m for m in messages)


def test_shares_that_do_not_sum_to_one_are_caught(writable_copy):
    writable_copy.execute("update main.track_distribution set share = 0.5 where program_id = 'p_cert'")
    found = marts.check(writable_copy)
    assert [f.rule for f in found] == ["post_load_check"]
    assert found[0].severity == "error"
    assert "shares_sum_to_one" in found[0].message and "p_cert" in found[0].message


def test_a_rate_outside_zero_to_one_is_caught(writable_copy):
    writable_copy.execute("update main.cohort_funnel set admit_rate = 1.5 where program_id = 'p_phd'")
    assert any("rates_are_fractions" in f.message for f in marts.check(writable_copy))


def test_a_failed_check_stops_the_publish(tmp_path, monkeypatch):
    warehouse = tmp_path / "wh"
    first = build(SMALL, warehouse)
    broken = tmp_path / "sql"
    shutil.copytree(marts.SQL_DIR, broken)
    mart = broken / "marts" / "cohort_sizes.sql"
    mart.write_text(mart.read_text().replace("count(*) as entrants", "count(*) + 1 as entrants"))
    monkeypatch.setattr(marts, "SQL_DIR", broken)
    result = build(SMALL, warehouse)
    assert result.outcome == "failed"
    assert any("cohort_sizes.entrants" in f.message for f in result.findings)
    assert Warehouse(warehouse).published().run_id == first.run_id
    assert list((warehouse / "building").iterdir()) == []
