"""Snapshots are immutable and publishing atomic: failed, killed and concurrent refreshes never change the published."""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.history import History
from etl.pipeline import rollback
from etl.warehouse import Warehouse
from tests.conftest import PROJECT_ROOT, SMALL, build, copy_source, read_marts


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def published_state(warehouse: Path) -> tuple[str, str, str]:
    """Pointer bytes hash, published run id and published file hash."""
    pub = Warehouse(warehouse).published()
    return sha(warehouse / "published.json"), pub.run_id, sha(pub.path)


def trainee_count(snapshot: Path) -> int:
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return con.execute("select count(*) from main.trainee_facts").fetchone()[0]
    finally:
        con.close()


def with_extra_trainee(tmp_path: Path) -> Path:
    """The small fixture plus one more active trainee (T13)."""
    source = copy_source(tmp_path, name="src_plus")
    with open(source / "trainees.csv", "a", encoding="utf-8") as f:
        f.write("T13,,p_cert,,2022,2022-09-01,active,,,BS,,us_citizen,female,false,Mo,Nash,mo.nash@example.edu,,,,\n")
    return source


def start_paused_refresh(warehouse: Path, tmp_path: Path, step: str, source: Path = SMALL) -> subprocess.Popen:
    """A CLI refresh in its own process that stops at `step` and waits there to be killed."""
    marker = tmp_path / f"paused-{step}"
    env = dict(os.environ, ETL_PAUSE_AT=step, ETL_PAUSE_MARKER=str(marker), ETL_PAUSE_SECONDS="120")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "etl",
            "refresh",
            "--source",
            str(source),
            "--warehouse",
            str(warehouse),
            "--as-of",
            "2026-06-30",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"refresh ended before pausing at {step}: {proc.stderr.read().decode()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"refresh never reached {step}")
        time.sleep(0.05)
    return proc


def test_published_snapshot_is_read_only_and_knows_its_lineage(tmp_path):
    result = build(SMALL, tmp_path / "wh")
    assert result.outcome == "published"
    mode = result.snapshot.stat().st_mode
    assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    con = duckdb.connect(str(result.snapshot), read_only=True)
    run_id, as_of = con.execute("select run_id, as_of_date::varchar from meta.run").fetchone()
    files = dict(con.execute("select file, sha256 from meta.source_files").fetchall())
    con.close()
    assert run_id == result.run_id == Warehouse(tmp_path / "wh").published().run_id
    assert as_of == "2026-06-30"
    assert files["trainees.csv"] == sha(SMALL / "trainees.csv")


@pytest.mark.parametrize("step", ["extract", "load", "build", "before_publish"])
def test_refresh_killed_before_publish_leaves_published_snapshot_byte_identical(tmp_path, step):
    warehouse = tmp_path / "wh"
    first = build(SMALL, warehouse)
    before = published_state(warehouse)

    proc = start_paused_refresh(warehouse, tmp_path, step, source=with_extra_trainee(tmp_path))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    assert published_state(warehouse) == before
    assert trainee_count(first.snapshot) == 12

    again = build(SMALL, warehouse)
    assert again.outcome == "published"
    assert list((warehouse / "building").iterdir()) == []
    outcomes = {r["run_id"]: r["outcome"] for r in History(warehouse / "history.sqlite").runs()}
    assert list(outcomes.values()).count("interrupted") == 1


def test_refresh_killed_just_after_publish_leaves_new_snapshot_published_and_consistent(tmp_path):
    warehouse = tmp_path / "wh"
    build(SMALL, warehouse)
    proc = start_paused_refresh(warehouse, tmp_path, "after_publish", source=with_extra_trainee(tmp_path))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    pub = Warehouse(warehouse).published()
    assert trainee_count(pub.path) == 13
    con = duckdb.connect(str(pub.path), read_only=True)
    assert con.execute("select run_id from meta.run").fetchone()[0] == pub.run_id
    con.close()


def test_two_refreshes_at_once_cannot_both_publish(tmp_path):
    warehouse = tmp_path / "wh"
    build(SMALL, warehouse)
    before = published_state(warehouse)
    holder = start_paused_refresh(warehouse, tmp_path, "load")
    try:
        second = build(SMALL, warehouse, wait_seconds=0)
        assert second.outcome == "refused"
        assert "another refresh is running" in second.message
        assert published_state(warehouse) == before
        cli = subprocess.run(
            [sys.executable, "-m", "etl", "refresh", "--source", str(SMALL), "--warehouse", str(warehouse)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert cli.returncode == 3
        assert "another refresh is running" in cli.stderr
    finally:
        holder.kill()
        holder.wait(timeout=30)
    runs = History(warehouse / "history.sqlite").runs()
    assert [r["outcome"] for r in runs].count("refused") == 2


def test_a_waiting_refresh_publishes_after_the_running_one(tmp_path):
    warehouse = tmp_path / "wh"
    holder = start_paused_refresh(warehouse, tmp_path, "load")
    holder.kill()  # releases the lock; the waiting refresh then takes it
    holder.wait(timeout=30)
    result = build(SMALL, warehouse, wait_seconds=30)
    assert result.outcome == "published"


def test_reader_holding_the_published_snapshot_is_not_disturbed_by_a_refresh(tmp_path):
    warehouse = tmp_path / "wh"
    first = build(SMALL, warehouse)
    reader = duckdb.connect(str(first.snapshot), read_only=True)
    try:
        assert reader.execute("select count(*) from main.trainee_facts").fetchone()[0] == 12
        second = build(with_extra_trainee(tmp_path), warehouse)
        assert second.outcome == "published"
        assert reader.execute("select count(*) from main.trainee_facts").fetchone()[0] == 12
    finally:
        reader.close()
    assert trainee_count(Warehouse(warehouse).published().path) == 13


def test_reader_in_another_process_is_not_disturbed_by_a_refresh(tmp_path):
    warehouse = tmp_path / "wh"
    first = build(SMALL, warehouse)
    code = (
        "import duckdb, sys, time\n"
        f"con = duckdb.connect({str(first.snapshot)!r}, read_only=True)\n"
        "print(con.execute('select count(*) from main.trainee_facts').fetchone()[0], flush=True)\n"
        "sys.stdin.readline()\n"
        "print(con.execute('select count(*) from main.trainee_facts').fetchone()[0], flush=True)\n"
    )
    reader = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "12"
    assert build(with_extra_trainee(tmp_path), warehouse).outcome == "published"
    out, _ = reader.communicate("go\n", timeout=60)
    assert out.strip() == "12"


def test_rollback_restores_previous_marts_byte_identical(tmp_path):
    warehouse = tmp_path / "wh"
    first = build(SMALL, warehouse)
    first_sha = sha(first.snapshot)
    first_marts = read_marts(first.snapshot)
    second = build(with_extra_trainee(tmp_path), warehouse)
    assert trainee_count(second.snapshot) == 13

    result = rollback(warehouse)
    assert result.outcome == "rolled_back"
    pub = Warehouse(warehouse).published()
    assert pub.run_id == first.run_id
    assert sha(pub.path) == first_sha
    for name, frame in read_marts(pub.path).items():
        pd.testing.assert_frame_equal(frame, first_marts[name], obj=name)


def test_rollback_to_a_named_run_and_to_an_unknown_run(tmp_path):
    warehouse = tmp_path / "wh"
    first = build(SMALL, warehouse)
    build(with_extra_trainee(tmp_path), warehouse)
    build(SMALL, warehouse)
    assert rollback(warehouse, to=first.run_id).outcome == "rolled_back"
    assert Warehouse(warehouse).published().run_id == first.run_id
    refused = rollback(warehouse, to="19990101T000000Z-000000")
    assert refused.outcome == "refused"
    assert "no kept snapshot" in refused.message
    assert Warehouse(warehouse).published().run_id == first.run_id


def test_rollback_with_nothing_earlier_is_refused(tmp_path):
    warehouse = tmp_path / "wh"
    only = build(SMALL, warehouse)
    result = rollback(warehouse)
    assert result.outcome == "refused"
    assert Warehouse(warehouse).published().run_id == only.run_id


def test_old_snapshots_are_pruned_but_the_published_one_is_kept(tmp_path):
    warehouse = tmp_path / "wh"
    runs = [build(SMALL, warehouse, keep=2).run_id for _ in range(3)]
    assert Warehouse(warehouse).kept() == runs[1:]
    rollback(warehouse, to=runs[1])
    assert Warehouse(warehouse).prune(1) == []  # runs[2] is the newest, runs[1] is published
    assert Warehouse(warehouse).kept() == runs[1:]
    newest = build(SMALL, warehouse, keep=1).run_id
    assert Warehouse(warehouse).kept() == [newest]


def test_history_records_every_run_with_files_hashes_and_counts(tmp_path):
    warehouse = tmp_path / "wh"
    result = build(SMALL, warehouse)
    run = History(warehouse / "history.sqlite").run(result.run_id)
    assert run["outcome"] == "published"
    assert run["user"] == "cli"
    assert run["row_counts"]["trainees"] == 12
    names = {f["name"]: f["sha256"] for f in run["source_files"]}
    assert names["appointments.csv"] == sha(SMALL / "appointments.csv")
    assert names["reference/nrsa_stipend_levels.csv"] == sha(PROJECT_ROOT / "data/reference/nrsa_stipend_levels.csv")
    assert run["warnings"] == 1 and run["errors"] == 0
