"""python -m bench: time the refresh and every page at sample scales 1, 10 and 100 against a pandas baseline, and
every page in a real browser against a one-chart floor app; write bench/results.md and bench/results.json."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import signal
import sys
import time
from pathlib import Path

from bench import pages, refresh
from bench.targets import TARGET_SCALE, evaluate
from etl import pipeline

HERE = Path(__file__).resolve().parent


def _run_dict(run: pages.PageRun) -> dict:
    return {"seconds": run.seconds, "queries": run.queries, "figures": run.figures, "rest": run.rest}


def _medians(runs: list[pages.PageRun]) -> dict:
    """Median wall time, and the median split into queries, figures and the rest."""
    return {key: pages.median([_run_dict(r)[key] for r in runs]) for key in ("seconds", "queries", "figures", "rest")}


def _baseline(page: str, src: Path, repeat: int, flt) -> float:
    """Median seconds of the pandas-only version of a page."""
    from bench import baseline

    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        baseline.run(page, src, flt)
        runs.append(time.perf_counter() - start)
    return pages.median(runs)


def measure_browser(scale: int, data_dir: Path, repeat: int, log, alone: bool = False,
                    chosen: tuple[str, ...] = ()) -> dict:
    """Every page (or the `chosen` ones) in headless Chromium against the scale's warehouse (built first if there is
    none); `alone` when run without the rest (--browser-only)."""
    from bench import browser

    warehouse = data_dir / f"scale-{scale}" / "warehouse"
    if not (warehouse / "published.json").exists():
        log(f"scale {scale}: no warehouse yet, building one")
        src, _ = refresh.source(scale, data_dir)
        if refresh.refresh(src, warehouse).exit_code != 0:
            raise RuntimeError(f"the refresh at scale {scale} failed")
    out = browser.measure(warehouse, repeat, data_dir / f"scale-{scale}" / "browser",
                          lambda message: log(f"scale {scale}: {message}"), chosen)
    out["written"], out["alone"] = _now(), alone
    return out


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def measure_scale(scale: int, data_dir: Path, repeat: int, slow_repeat: int, log) -> dict:
    """Everything measured at one scale with AppTest and the refresh (the browser part is measure_browser)."""
    from bench import baseline

    log(f"scale {scale}: sample")
    src, rows = refresh.source(scale, data_dir)
    runs = []
    for n in range(slow_repeat):
        log(f"scale {scale}: refresh {n + 1}/{slow_repeat}")
        run = refresh.refresh(src, data_dir / f"scale-{scale}" / "warehouse")
        if run.exit_code != 0:
            raise RuntimeError(f"the refresh at scale {scale} exited {run.exit_code}")
        runs.append(run)
    warehouse = data_dir / f"scale-{scale}" / "warehouse"
    os.environ["WAREHOUSE_DIR"] = str(warehouse)
    snapshot_path = str(pipeline.published(warehouse).path)
    out = {
        "rows": rows,
        "refresh": {
            "seconds": pages.median([r.seconds for r in runs]),
            "peak_mb": max(r.peak_mb for r in runs),
            "steps": _step_seconds(runs[len(runs) // 2].steps),
            "runs": [{"seconds": r.seconds, "peak_mb": r.peak_mb} for r in runs],
        },
        "empty_page": pages.median(pages.time_empty(repeat)),
        "pages": {},
    }
    for page, role in pages.PAGES.items():
        log(f"scale {scale}: page {page}")
        times = pages.time_page(page, role, snapshot_path, repeat)
        entry = {"cold": _medians(times.cold), "warm": _medians(times.warm), "changed": _medians(times.changed),
                 "floor": pages.median(times.floor), "distinct_queries": times.queries}
        if page in baseline.PAGES:
            log(f"scale {scale}: pandas baseline {page}")
            entry["baseline"] = _baseline(page, src, slow_repeat, baseline.Filter())
            entry["baseline_changed"] = _baseline(page, src, slow_repeat, baseline.Filter(citizenship=("us_citizen",)))
        out["pages"][page] = entry
    return out


def _step_seconds(cumulative: dict[str, float]) -> dict[str, float]:
    """Seconds per refresh step from the cumulative times the refresh prints."""
    out, before = {}, 0.0
    for name, at in cumulative.items():
        out[name], before = at - before, at
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: python -m bench [--scales 1 10 100] [--repeat 5] [--slow-repeat 3] [--browser-repeat N]
    [--no-browser | --browser-only] [--data bench/.data] [--out bench/results.md]."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100], help="sample scales (default 1 10 100)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each page measurement (default 5)")
    parser.add_argument("--slow-repeat", type=int, default=3, help="runs of each refresh and baseline (default 3)")
    parser.add_argument("--browser-repeat", type=int, default=None,
                        help=f"server starts per page in the browser part (default: --repeat at scale {TARGET_SCALE}, "
                             "1 at other scales)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--no-browser", action="store_true", help="leave out the browser part")
    which.add_argument("--browser-only", action="store_true",
                       help="only the browser part, against the warehouses already in --data (built if missing); the "
                            "other figures in the results JSON are kept")
    parser.add_argument("--browser-pages", nargs="+", default=[], metavar="PAGE",
                        help="measure only these pages in the browser (and the floor; default every page)")
    parser.add_argument("--data", type=Path, default=HERE / ".data", help="where samples and warehouses go")
    parser.add_argument("--out", type=Path, default=HERE / "results.md", help="markdown results (JSON beside it)")
    args = parser.parse_args(argv)
    # Stopped with `kill`, the servers the browser part started are stopped too (their `finally` runs).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.perf_counter()
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest outside a server warns of a missing runtime

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - began:7.1f} s] {message}", file=sys.stderr, flush=True)

    def browser_repeat(scale: int) -> int:
        return args.browser_repeat or (args.repeat if str(scale) == TARGET_SCALE else 1)

    saved = args.out.with_suffix(".json")
    if args.browser_only:
        results = json.loads(saved.read_text(encoding="utf-8")) if saved.exists() else {
            "written": _now(), "repeat": args.repeat, "slow_repeat": args.slow_repeat, "seconds": 0.0, "scales": {}}
        for s in args.scales:
            results["scales"].setdefault(str(s), {})["browser"] = measure_browser(
                s, args.data, browser_repeat(s), log, alone=True, chosen=tuple(args.browser_pages))
    else:
        results = {"written": _now(), "repeat": args.repeat, "slow_repeat": args.slow_repeat, "scales": {}}
        for s in args.scales:
            results["scales"][str(s)] = measure_scale(s, args.data, args.repeat, args.slow_repeat, log)
            if not args.no_browser:
                results["scales"][str(s)]["browser"] = measure_browser(s, args.data, browser_repeat(s), log,
                                                                       chosen=tuple(args.browser_pages))
        results["seconds"] = time.perf_counter() - began
    results["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    results["targets"] = evaluate(results["scales"])
    from bench.report import markdown

    args.out.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    args.out.write_text(markdown(results), encoding="utf-8")
    missed = [t["what"] for t in results["targets"] if t["met"] is False]
    log(f"wrote {args.out} and {saved.name}; targets missed: {len(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
