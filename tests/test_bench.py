"""The benchmark's smoke version: at scale 1 with one repetition it runs every part, the browser part included, and
writes its results (timings are measured by `python -m bench`, never asserted here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bench import browser, pages
from bench.baseline import PAGES as BASELINE_PAGES
from bench.report import markdown
from bench.targets import evaluate
from tests.conftest import PROJECT_ROOT

SMOKE_PAGES = ("overview", "trainees")  # a chart page and a table page: the suite's time stays short


def test_the_benchmark_runs_at_scale_1_and_writes_markdown_and_json(tmp_path):
    out = tmp_path / "results.md"
    env = {k: v for k, v in os.environ.items() if k != "WAREHOUSE_DIR"}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--scales", "1", "--repeat", "1", "--slow-repeat", "1",
         "--browser-pages", *SMOKE_PAGES, "--data", str(tmp_path / "data"), "--out", str(out)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=1800,
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
    # The browser part (two pages here; `python -m bench` measures all): the floor app and each page as each role
    # that opens it, each way it is waited for.
    seen = scale["browser"]
    assert seen["repeat"] == 1 and seen["floor"]["warm"]["charts"] == 1
    expected = {(t.role, t.key) for t in browser.targets(SMOKE_PAGES) if t.key != browser.FLOOR}
    assert {page for _, page in expected} == set(SMOKE_PAGES)
    assert {(role, page) for role, measured in seen["pages"].items() for page in measured} == expected
    for measured in [seen["floor"], *(t for by_page in seen["pages"].values() for t in by_page.values())]:
        assert set(measured) == set(browser.KINDS)
        assert all(len(measured[kind]["each"]) == 1 and measured[kind]["ws_bytes"] > 0 for kind in browser.KINDS)
    # Scale 100 was not measured, so no target can be called met or missed.
    assert results["targets"] and all(t["met"] is None for t in results["targets"])
    text = out.read_text(encoding="utf-8")
    assert "## Targets (scale 100)" in text and "### Scale 1" in text and "### Scale 1, in the browser" in text
    assert all(f"| {page} |" in text for page in pages.PAGES)
    assert all(f"| {page} | {role} |" in text for role, page in expected)


def _kind(seconds: float) -> dict:
    return {"seconds": seconds, "min": seconds, "max": seconds, "each": [seconds], "script": 0.2, "to_run": 0.1,
            "draw": 0.1, "runs": 1, "ws_bytes": 2048, "http_bytes": 4096, "charts": 1, "dataframes": 0,
            "watched": 0.2, "cdp": {"script": 0.1, "layout": 0.0, "style": 0.0, "task": 0.2}}


def test_browser_targets_compare_each_first_load_with_the_floors_and_each_filter_change_with_a_second():
    def page(warm: float, changed: float) -> dict:
        return {"cold": _kind(9.0), "warm": _kind(warm), "switch": _kind(1.0), "filter": _kind(changed)}

    measured = {"repeat": 1, "written": "now", "load_before": [1.0], "load_after": [1.0],
                "floor": page(3.0, 0.3), "pages": {"administrator": {"overview": page(3.9, 0.99),
                                                                      "cohorts": page(3.91, 1.0)}}}
    targets = {t["what"]: t for t in evaluate({"100": {"browser": measured}})}
    assert targets["overview as administrator in the browser: first load, warm server"]["met"] is True  # 1.3×
    assert targets["cohorts as administrator in the browser: first load, warm server"]["met"] is False
    assert targets["overview as administrator in the browser: filter change"]["met"] is True
    assert targets["cohorts as administrator in the browser: filter change"]["met"] is False  # not under 1 s
    text = markdown({"written": "now", "machine": "m", "repeat": 1, "slow_repeat": 1, "seconds": 60,
                     "scales": {"100": {"browser": measured}}, "targets": list(targets.values())})
    assert "| cohorts | administrator | 9,000 | 3,910 | 1.30× | 1,000 | 1,000 |" in text
