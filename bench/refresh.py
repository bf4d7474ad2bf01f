"""The sample at a scale, and a timed command-line refresh of it: wall seconds, peak memory, seconds per step."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from etl import sample
from etl.config import PROJECT_ROOT, SAMPLE_AS_OF

STEP = re.compile(r"^\[(\d+)/\d+\] ([\w ]+): .*\(([\d.]+) s\)$")


@dataclass
class RefreshRun:
    """One refresh: wall seconds (process start included), peak resident memory, cumulative seconds per step."""

    seconds: float
    peak_mb: float
    steps: dict[str, float]
    exit_code: int


def source(scale: int, data_dir: Path, seed: int = 2026) -> tuple[Path, dict[str, int]]:
    """The sample's CSV files at a scale (generated once into data_dir), and their row counts."""
    folder = data_dir / f"scale-{scale}" / "source"
    counts_file = folder / "ROWS"
    if not counts_file.exists():
        shutil.rmtree(folder, ignore_errors=True)
        frames = sample.generate(scale, seed)
        sample.write(frames, folder)
        counts_file.write_text("\n".join(f"{name} {len(f)}" for name, f in frames.items()) + "\n")
    counts = dict(line.split() for line in counts_file.read_text().splitlines())
    return folder, {name: int(n) for name, n in counts.items()}


def refresh(src: Path, warehouse: Path) -> RefreshRun:
    """Run `python -m etl refresh` into a fresh warehouse folder and measure it (peak memory from the kernel)."""
    shutil.rmtree(warehouse, ignore_errors=True)
    command = [sys.executable, "-m", "etl", "refresh", "--source", str(src), "--warehouse", str(warehouse),
               "--as-of", SAMPLE_AS_OF.isoformat()]
    err = warehouse.parent / f"{warehouse.name}.stderr"
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with err.open("w") as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    steps = {m[2]: float(m[3]) for line in err.read_text().splitlines() if (m := STEP.match(line))}
    return RefreshRun(seconds, usage.ru_maxrss / 1024, steps, child.returncode)
