"""The command line, run as a user would: a subprocess, exit codes, progress and JSON for scripts."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from etl import config, pipeline, uploads
from etl.contract import RULES
from etl.history import History
from etl.warehouse import Warehouse
from tests.conftest import PROJECT_ROOT, SMALL, build, copy_source


def etl(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, **(env or {})),
    )


def test_refresh_status_history_as_a_script_sees_them(tmp_path):
    wh = str(tmp_path / "wh")
    refresh = etl("refresh", "--source", str(SMALL), "--warehouse", wh, "--as-of", "2026-06-30")
    assert refresh.returncode == 0, refresh.stderr
    for i, step in enumerate(["extract", "validate", "load", "build marts", "check", "publish"], start=1):
        assert f"[{i}/6] {step}:" in refresh.stderr

    status = json.loads(etl("status", "--json", "--warehouse", wh).stdout)
    assert Path(status["snapshot_path"]).is_file()
    assert status["row_counts"]["trainees"] == 12
    assert status["as_of_date"] == "2026-06-30"
    assert status["is_sample"] is False

    runs = json.loads(etl("history", "--json", "--warehouse", wh).stdout)
    assert [r["run_id"] for r in runs] == [status["run_id"]]
    assert runs[0]["outcome"] == "published"


def test_warehouse_dir_environment_variable_is_the_default(tmp_path):
    wh = tmp_path / "from_env"
    assert etl("refresh", "--source", str(SMALL), env={"WAREHOUSE_DIR": str(wh)}).returncode == 0
    assert (wh / "published.json").is_file()
    assert etl("status", env={"WAREHOUSE_DIR": str(wh)}).returncode == 0


def test_refresh_with_errors_exits_non_zero_and_names_file_row_column(tmp_path):
    source = copy_source(tmp_path)
    text = (
        (source / "programs.csv")
        .read_text()
        .replace(
            "p_cert,Test Certificate,Test School,Certificate,certificate,1",
            "p_cert,Test Certificate,Test School,Certificate,certificate,one",
        )
    )
    (source / "programs.csv").write_text(text)
    result = etl("refresh", "--source", str(source), "--warehouse", str(tmp_path / "wh"))
    assert result.returncode == 1
    assert "programs.csv, row 4, column nominal_years" in result.stderr
    assert "type_integer" in result.stderr
    assert "failed:" in result.stderr
    assert etl("status", "--warehouse", str(tmp_path / "wh")).returncode == 4


def test_history_of_one_run_lists_its_findings(tmp_path):
    wh = str(tmp_path / "wh")
    run_id = json.loads(etl("refresh", "--source", str(SMALL), "--warehouse", wh, "--json").stdout)["run_id"]
    shown = json.loads(etl("history", "--warehouse", wh, "--run", run_id, "--json").stdout)
    assert [f["rule"] for f in shown["findings"]] == ["nrsa_ineligible"]
    assert etl("history", "--warehouse", wh, "--run", "no-such-run").returncode == 4


def test_status_and_rollback_on_an_empty_warehouse(tmp_path):
    wh = str(tmp_path / "empty")
    status = etl("status", "--json", "--warehouse", wh)
    assert status.returncode == 4
    assert json.loads(status.stdout) == {"published": None}
    rollback = etl("rollback", "--warehouse", wh)
    assert rollback.returncode == 4
    assert "nothing is published" in rollback.stderr


def test_rules_command_lists_every_rule():
    listed = etl("rules").stdout
    for r in RULES:
        assert r.name in listed


def test_the_as_of_date_stays_the_published_one_unless_given(tmp_path):
    wh = str(tmp_path / "wh")
    today = dt.date.today().isoformat()
    first = etl("refresh", "--source", str(SMALL), "--warehouse", wh)
    assert first.returncode == 0, first.stderr
    assert f"as of {today}: today: nothing is published yet" in first.stderr
    assert json.loads(etl("status", "--json", "--warehouse", wh).stdout)["as_of_date"] == today

    given = etl("refresh", "--source", str(SMALL), "--warehouse", wh, "--as-of", "2026-06-30", "--json")
    assert "as of 2026-06-30: given with --as-of" in given.stderr
    assert json.loads(given.stdout)["as_of"] == "2026-06-30"
    published = json.loads(given.stdout)["run_id"]

    # A correction with no --as-of keeps the published snapshot's date (check and refresh alike).
    said = f"as of 2026-06-30: the published snapshot's as-of date (run {published}); --as-of changes it"
    check = etl("check", "--source", str(SMALL), "--warehouse", wh, "--json")
    assert said in check.stderr and json.loads(check.stdout)["as_of"] == "2026-06-30"
    again = etl("refresh", "--source", str(SMALL), "--warehouse", wh)
    assert said in again.stderr
    assert json.loads(etl("status", "--json", "--warehouse", wh).stdout)["as_of_date"] == "2026-06-30"


def test_rollback_goes_back_to_the_snapshot_published_before_the_current_one(tmp_path):
    wh = tmp_path / "wh"
    first = build(SMALL, wh, user="alice")
    second = build(SMALL, wh, user="bob")
    assert pipeline.rollback(wh, user="carol").snapshot.stem == first.run_id  # publications: first, second, first
    third = build(SMALL, wh, user="dave")  # publications: first, second, first, third
    # The newest other kept snapshot is `second`, but the one published before `third` is `first`.
    rollback = etl("rollback", "--warehouse", str(wh))
    assert rollback.returncode == 0, rollback.stderr
    assert f"published snapshot {first.run_id} again (was {third.run_id})" in rollback.stderr
    times = [p["published_at"].replace("T", " ")[:16] for p in History(wh / "history.sqlite").publications()]
    assert (f"that snapshot: published {times[0]} UTC by alice, last put back {times[-1]} UTC by cli from "
            "programs.csv, tracks.csv, applicants.csv, trainees.csv, appointments.csv, positions.csv, "
            "milestones.csv") in rollback.stderr
    assert json.loads(etl("status", "--json", "--warehouse", str(wh)).stdout)["run_id"] == first.run_id
    assert second.run_id in Warehouse(wh).kept()


def test_rollback_with_only_the_published_snapshot_kept_changes_nothing(tmp_path):
    wh = tmp_path / "wh"
    build(SMALL, wh, keep=1)
    only = build(SMALL, wh, keep=1)
    assert Warehouse(wh).kept() == [only.run_id]
    rollback = etl("rollback", "--warehouse", str(wh))
    assert rollback.returncode == 4
    assert "no earlier published snapshot is kept" in rollback.stderr
    assert Warehouse(wh).published().run_id == only.run_id


def test_status_names_the_tables_that_still_come_from_the_sample(tmp_path):
    wh = tmp_path / "wh"
    assert pipeline.refresh(config.SAMPLE_DIR, wh, as_of=config.SAMPLE_AS_OF).outcome == "published"
    sample_run = Warehouse(wh).published().run_id
    programs = (config.SAMPLE_DIR / "programs.csv").read_text(encoding="utf-8").replace(
        "hst_md,HST Medical Sciences,", "hst_md,HST Medical Sciences (MD),")
    staged = uploads.stage([("programs.csv", programs.encode("utf-8"))], wh)
    assert pipeline.refresh(staged.source, wh, run_id=staged.run_id).outcome == "published"

    status = json.loads(etl("status", "--json", "--warehouse", str(wh)).stdout)
    assert status["is_sample"] is False
    assert status["sample_tables"] == ["tracks", "applicants", "trainees", "appointments", "positions", "milestones"]
    sources = {s["table"]: s for s in status["table_sources"]}
    assert sources["programs"] == {"table": "programs", "file": "programs.csv", "read_by_run": staged.run_id,
                                   "carried_from": None, "is_sample": False}
    assert sources["tracks"] == {"table": "tracks", "file": "tracks.csv", "read_by_run": sample_run,
                                 "carried_from": sample_run, "is_sample": True}
    text = etl("status", "--warehouse", str(wh)).stdout
    assert ("6 of 7 tables come from the built-in, invented sample: tracks, applicants, trainees, appointments, "
            "positions, milestones") in text


def test_a_refresh_over_the_built_in_sample_is_measured_as_of_today_not_the_samples_date(tmp_path):
    wh = tmp_path / "wh"
    assert pipeline.ensure_published(wh).run_id  # the built-in sample, as of its own fixed date (2026-06-30)
    today = dt.date.today().isoformat()
    done = etl("check", "--source", str(SMALL), "--warehouse", str(wh), "--json")
    assert f"as of {today}: today: the published data holds the built-in sample" in done.stderr
    assert json.loads(done.stdout)["as_of"] == today
