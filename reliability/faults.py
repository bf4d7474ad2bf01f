"""Faults during a refresh: SIGKILL at named steps and at random moments, and a disk that fills up. Whatever happens,
the published snapshot is the old or the new one, readable and consistent with its lineage, and the next run cleans
up what was left."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl import config, pipeline
from etl.history import History
from etl.marts import MARTS
from etl.warehouse import Warehouse

STEPS = ("extract", "load", "build", "before_publish", "kept", "after_publish")


def consistent(warehouse: Path) -> list[str]:
    """What is wrong with the published snapshot of a warehouse (empty when it opens read-only, is the run the
    pointer names, has every mart, and holds as many rows in each raw table as its lineage says)."""
    published = Warehouse(warehouse).published()
    if published is None:
        return ["nothing is published"]
    try:
        con = duckdb.connect(str(published.path), read_only=True)
    except duckdb.Error as exc:
        return [f"the published snapshot does not open: {exc}"]
    try:
        wrong = []
        run_id = con.execute("select run_id from meta.run").fetchone()[0]
        if run_id != published.run_id:
            wrong.append(f"the pointer names {published.run_id} but the file holds run {run_id}")
        for table, rows in con.execute("select table_name, rows from meta.tables").fetchall():
            actual = con.execute(f'select count(*) from raw."{table}"').fetchone()[0]
            if actual != rows:
                wrong.append(f"raw.{table} holds {actual} rows, its lineage says {rows}")
        for mart in MARTS:
            con.execute(f"select count(*) from main.{mart}").fetchone()
        return wrong
    except duckdb.Error as exc:
        return [f"the published snapshot cannot be read: {exc}"]
    finally:
        con.close()


def refresh_command(source: Path, warehouse: Path) -> list[str]:
    """The command-line refresh a data steward runs."""
    return [sys.executable, "-m", "etl", "refresh", "--source", str(source), "--warehouse", str(warehouse),
            "--as-of", "2026-06-30"]


@dataclass
class Kill:
    """One killed refresh: where or when, which snapshot was published after, and what was wrong."""

    at: str
    published: str  # "old", "new" or something else
    problems: list[str]
    cleaned: bool


def kill_at_step(warehouse: Path, source: Path, step: str, old: str, work: Path) -> Kill:
    """Start a refresh that pauses at `step`, SIGKILL it there, then check and clean up."""
    marker = work / f"paused-{step}"
    env = dict(os.environ, ETL_PAUSE_AT=step, ETL_PAUSE_MARKER=str(marker), ETL_PAUSE_SECONDS="120")
    proc = subprocess.Popen(refresh_command(source, warehouse), cwd=config.PROJECT_ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    marker.unlink(missing_ok=True)
    return _after_kill(warehouse, source, f"at step {step}", old)


def kill_at_random(warehouse: Path, source: Path, seconds: float, old: str, rng: random.Random) -> Kill:
    """Start a refresh and SIGKILL it after a random delay within `seconds` (its usual duration)."""
    delay = rng.uniform(0, seconds)
    proc = subprocess.Popen(refresh_command(source, warehouse), cwd=config.PROJECT_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    ended = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return _after_kill(warehouse, source, f"after {delay:.2f} s" + (" (had finished)" if ended else ""), old)


def _after_kill(warehouse: Path, source: Path, at: str, old: str) -> Kill:
    published = Warehouse(warehouse).published()
    state = "none" if published is None else "old" if published.run_id == old else "new"
    wrong = consistent(warehouse)
    if state == "new":  # the new snapshot must be the one this refresh built (its source's hashes)
        con = duckdb.connect(str(published.path), read_only=True)
        source_files = dict(con.execute("select file, sha256 from meta.source_files").fetchall())
        con.close()
        from etl.extract import sha256_of

        for path in source.glob("*.csv"):
            if source_files.get(path.name) != sha256_of(path.read_bytes()):
                wrong.append(f"the new snapshot's lineage does not match {path.name}")
    # The next run cleans up: a refresh of the old source must publish and leave nothing in building/.
    cleanup = pipeline.refresh(source, warehouse, as_of=pipeline.dt.date(2026, 6, 30))
    cleaned = cleanup.outcome == "published" and not list((warehouse / "building").iterdir())
    runs = History(Warehouse(warehouse).history_file).runs()
    if any(r["outcome"] == "running" for r in runs):
        wrong.append("a killed run is still marked running after the next run")
    return Kill(at, state, wrong, cleaned)


DISK_FULL = """
import json, shutil, subprocess, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from reliability.faults import consistent, refresh_command, fingerprint_of
warehouse, source, mount = Path({warehouse!r}), Path({source!r}), Path({mount!r})
subprocess.run(["mount", "-t", "tmpfs", "-o", "size={size}", "tmpfs", str(mount)], check=True)
shutil.copytree(warehouse, mount / "wh")
before = fingerprint_of(mount / "wh")
filler = mount / "filler"
free = shutil.disk_usage(mount).free
filler.write_bytes(b"x" * max(0, free - {headroom}))
done = subprocess.run(refresh_command(source, mount / "wh"), cwd={root!r}, capture_output=True, text=True)
after = fingerprint_of(mount / "wh")
wrong = consistent(mount / "wh")
filler.unlink()
again = subprocess.run(refresh_command(source, mount / "wh"), cwd={root!r}, capture_output=True, text=True)
print(json.dumps({{"exit": done.returncode, "output": (done.stdout + done.stderr)[-2000:], "unchanged": before == after,
                  "problems": wrong, "after_space_freed": again.returncode,
                  "building_left": [p.name for p in (mount / "wh" / "building").iterdir()]}}))
"""


def fingerprint_of(warehouse: Path) -> dict[str, str]:
    """The published pointer and kept snapshots by content hash."""
    from reliability.corpus import fingerprint

    return fingerprint(warehouse)


def disk_full(warehouse: Path, source: Path, work: Path, headroom: int = 256 * 1024) -> dict:
    """Copy the warehouse onto a small tmpfs (mounted in a private mount namespace, so no root is needed where user
    namespaces are allowed), fill it to `headroom` bytes free, run a refresh there, and report what happened."""
    mount = work / "tmpfs"
    mount.mkdir(parents=True, exist_ok=True)
    size = sum(p.stat().st_size for p in warehouse.rglob("*") if p.is_file()) * 3 + 8 * 1024 * 1024
    script = DISK_FULL.format(root=str(config.PROJECT_ROOT), warehouse=str(warehouse), source=str(source),
                              mount=str(mount), size=size, headroom=headroom)
    command = ["unshare", "--mount", "--map-root-user", sys.executable, "-c", script]
    if os.geteuid() == 0:
        command = ["unshare", "--mount", sys.executable, "-c", script]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"the disk-full run could not be set up: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_warehouse(source: Path, warehouse: Path) -> str:
    """A warehouse with source published; its run id."""
    if warehouse.exists():
        shutil.rmtree(warehouse)
    result = pipeline.refresh(source, warehouse, as_of=pipeline.dt.date(2026, 6, 30))
    assert result.outcome == "published", result.message
    return result.run_id
