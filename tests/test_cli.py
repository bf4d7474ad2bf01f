"""The command line, run as a user would: a subprocess, exit codes, progress and JSON for scripts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from etl.contract import RULES
from tests.conftest import PROJECT_ROOT, SMALL, copy_source


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
