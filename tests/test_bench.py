"""The benchmark's smoke version: at scale 1 with one repetition it runs every part and writes its results (timings
are measured by `python -m bench`, never asserted here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bench import pages
from bench.baseline import PAGES as BASELINE_PAGES
from tests.conftest import PROJECT_ROOT


def test_the_benchmark_runs_at_scale_1_and_writes_markdown_and_json(tmp_path):
    out = tmp_path / "results.md"
    env = {k: v for k, v in os.environ.items() if k != "WAREHOUSE_DIR"}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--scales", "1", "--repeat", "1", "--slow-repeat", "1",
         "--data", str(tmp_path / "data"), "--out", str(out)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    scale = results["scales"]["1"]
    assert scale["rows"]["trainees"] > 2000 and scale["refresh"]["peak_mb"] > 0
    assert set(scale["refresh"]["steps"]) == {"extract", "validate", "load", "build marts", "check"}
    assert set(scale["pages"]) == set(pages.PAGES)
    for page, t in scale["pages"].items():
        assert t["cold"]["seconds"] > 0 and t["warm"]["seconds"] > 0 and t["changed"]["seconds"] > 0, page
        assert t["distinct_queries"] > 0 and t["floor"] > 0, page
        assert ("baseline" in t) == (page in BASELINE_PAGES), page
    # Scale 100 was not measured, so no target can be called met or missed.
    assert results["targets"] and all(t["met"] is None for t in results["targets"])
    text = out.read_text(encoding="utf-8")
    assert "## Targets (scale 100)" in text and "### Scale 1" in text
    assert all(f"| {page} |" in text for page in pages.PAGES)
