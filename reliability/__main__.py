"""python -m reliability: run the corpus, random corruptions, faults, load and soak, and write the figures to
docs/reliability.md (and .json). `--quick` is the size CI runs in its tests; the defaults are the full runs."""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from etl import config, pipeline
from reliability import corpus, corrupt, faults, load

DOCS = config.PROJECT_ROOT / "docs"


def run_corpus(work: Path, large: bool) -> dict:
    runner = corpus.Runner(work / "corpus")
    outcomes = [runner.run(case) for case in corpus.cases()]
    if large:
        outcomes.append(corpus.run_large(work / "large"))
    rows = [{"case": o.case.name, "mistake": o.case.mistake, "expected": o.case.expect, "outcome": o.outcome,
             "correct": o.correct, "published_changed": o.published_changed, "said": o.said[:1] or ["(read silently)"],
             "upload": o.upload, "why": o.why, "seconds": round(o.seconds, 2)} for o in outcomes]
    return {"cases": len(rows), "refused_correctly": sum(r["correct"] for r in rows if r["expected"] == "refused"),
            "accepted_correctly": sum(r["correct"] for r in rows if r["expected"] == "accepted"),
            "expected_refused": sum(r["expected"] == "refused" for r in rows),
            "expected_accepted": sum(r["expected"] == "accepted" for r in rows),
            "published_changed_on_refusal": sum(r["published_changed"] for r in rows if r["expected"] == "refused"),
            "rows": rows}


def run_corruptions(work: Path, count: int, seed: int) -> dict:
    rng = random.Random(seed)
    warehouse = work / "corrupt-wh"
    faults.fresh_warehouse(corpus.FIXTURE, warehouse)
    outcomes = {"published": 0, "failed": 0}
    wrong = []
    for i in range(count):
        source = corrupt.fresh_copy(corpus.FIXTURE, work / "corrupt-src")
        done = [corrupt.corrupt(source, rng) for _ in range(rng.randint(1, 3))]
        before = corpus.fingerprint(warehouse)
        try:
            result = pipeline.refresh(source, warehouse, as_of=corpus.AS_OF)
        except Exception as exc:  # a crash is exactly what this looks for
            wrong.append({"try": i, "corruptions": [c.what for c in done], "problems": [repr(exc)]})
            continue
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        problems = corrupt.problems(result, before, corpus.fingerprint(warehouse),
                                    lambda: faults.consistent(warehouse))
        if problems:
            wrong.append({"try": i, "corruptions": [f"{c.file}: {c.what}" for c in done], "problems": problems})
    return {"tries": count, "seed": seed, "outcomes": outcomes, "wrong": wrong}


def run_faults(work: Path, random_kills: int, seed: int, headrooms: list[int]) -> dict:
    warehouse = work / "fault-wh"
    source = config.SAMPLE_DIR
    kills = []
    for step in faults.STEPS:
        old = faults.fresh_warehouse(corpus.FIXTURE, warehouse)
        kills.append(faults.kill_at_step(warehouse, source, step, old, work))
    pipeline_seconds = _timed_refresh(source, work / "timing-wh")
    rng = random.Random(seed)
    for _ in range(random_kills):
        old = faults.fresh_warehouse(corpus.FIXTURE, warehouse)
        kills.append(faults.kill_at_random(warehouse, source, pipeline_seconds * 1.1, old, rng))
    full = []
    for headroom in headrooms:
        faults.fresh_warehouse(corpus.FIXTURE, warehouse)
        report = faults.disk_full(warehouse, source, work / f"disk-{headroom}", headroom)
        full.append({"headroom_kb": headroom // 1024, **{k: report[k] for k in
                     ("exit", "unchanged", "problems", "after_space_freed", "building_left")},
                     "message": next((line for line in report["output"].splitlines() if "disk" in line), "")[:300]})
    return {"refresh_seconds": round(pipeline_seconds, 2),
            "kills": [{"at": k.at, "published": k.published, "problems": k.problems, "cleaned": k.cleaned}
                      for k in kills],
            "intact": sum(k.published in ("old", "new") and not k.problems and k.cleaned for k in kills),
            "disk_full": full}


def _timed_refresh(source: Path, warehouse: Path) -> float:
    """How long a command-line refresh of source takes here (process start included)."""
    import subprocess

    clock = time.perf_counter()
    subprocess.run(faults.refresh_command(source, warehouse), cwd=config.PROJECT_ROOT, check=True,
                   capture_output=True)
    return time.perf_counter() - clock


def run_load(work: Path, sessions: int, rounds: int) -> dict:
    report = load.run(work / "load", sessions, rounds)
    seconds = [v.seconds for v in report.views if not v.error]
    return {"sessions": sessions, "rounds": rounds, "views": len(report.views), "errors": len(report.errors),
            "error_examples": [f"{v.page}: {v.error}" for v in report.errors[:5]],
            "mixed": len(report.mixed), "saw_old": sum(report.runs.get(v.run_id) == "old" for v in report.views),
            "saw_new": sum(report.runs.get(v.run_id) == "new" for v in report.views),
            "publish_seconds": round(report.publish_seconds, 1),
            "median_view_seconds": round(statistics.median(seconds), 2) if seconds else None}


def run_soak(work: Path, minutes: float, sessions: int) -> dict:
    result = load.soak(work / "soak", minutes, sessions)
    errors = [v for v in result.views if v.error]
    return {"minutes": minutes, "sessions": sessions, "refreshes": result.refreshes, "views": len(result.views),
            "errors": len(errors), "samples": [[round(m, 1), round(r, 1), n] for m, r, n in result.samples],
            "max_snapshots": max((n for _, _, n in result.samples), default=0),
            "keep_snapshots": config.keep_snapshots()}


def clean_failure(d: dict) -> bool:
    """A disk-full refresh that exited 1 with the published snapshot unchanged and nothing left half-built."""
    return d["exit"] == 1 and d["unchanged"] and not d["problems"] and not d["building_left"]


def markdown(figures: dict) -> str:
    """The figures as docs/reliability.md."""
    c, k, lo = figures["corpus"], figures["faults"], figures["load"]
    r = figures["corruptions"]
    lines = [
        "# Reliability, measured",
        "",
        f"Written by `{' '.join(['python -m reliability', *figures['arguments']])}` on {figures['when']} "
        f"({figures['machine']}). Rerun it to refresh these figures; the test suite runs the fast part of each "
        "(`tests/test_reliability.py`, `tests/test_load.py`).",
        "",
        "## Summary",
        "",
        "| What | Tried | Correct | Published snapshot changed |",
        "|---|---:|---:|---:|",
        f"| Bad-input corpus (`tests/corpus`) | {c['cases']} | {c['refused_correctly']} of {c['expected_refused']} "
        f"refused correctly, {c['accepted_correctly']} of {c['expected_accepted']} accepted correctly | "
        f"{c['published_changed_on_refusal']} |",
        f"| Random corruptions (seed {r['seed']}) | {r['tries']} | {r['tries'] - len(r['wrong'])} held every promise "
        f"({r['outcomes'].get('failed', 0)} refused, {r['outcomes'].get('published', 0)} published) | "
        f"{sum('changed the published' in p for w in r['wrong'] for p in w['problems'])} |",
        f"| Refreshes killed (SIGKILL) | {len(k['kills'])} | {k['intact']} left the old or new snapshot published, "
        "readable, consistent with its lineage, and cleaned up by the next run | — |",
        f"| Disk full while building | {len(k['disk_full'])} | {sum(map(clean_failure, k['disk_full']))} failed "
        "cleanly | "
        f"{sum(not d['unchanged'] for d in k['disk_full'])} |",
        f"| Concurrent sessions during a publish | {lo['sessions']} sessions, {lo['views']} page views | "
        f"{lo['errors']} errors, {lo['mixed']} views mixing snapshots ({lo['saw_old']} views of the old snapshot, "
        f"{lo['saw_new']} of the new) | — |",
    ]
    if "soak" in figures:
        s = figures["soak"]
        first, last = s["samples"][0] if s["samples"] else (0, 0, 0), s["samples"][-1] if s["samples"] else (0, 0, 0)
        lines.append(f"| Soak: repeated refreshes | {s['refreshes']} refreshes over {s['minutes']:g} min, "
                     f"{s['views']} page views | {s['errors']} errors; server memory {first[1]:.0f} MB → "
                     f"{last[1]:.0f} MB (peak {max(x[1] for x in s['samples']):.0f} MB); at most "
                     f"{s['max_snapshots']} snapshot files (keep = {s['keep_snapshots']}) | — |")
    lines += ["", "## The corpus", "",
              "Each file in `tests/corpus/files` is one mistake made on the small fixture (`tests/corpus/make.py`); "
              "what must happen is written by hand in `tests/corpus/cases.toml`. Accepted cases must build marts "
              "equal to those of what was meant; refused ones must name rule, file, row and column, and leave the "
              "published snapshot byte-identical (SHA-256 of the pointer and every kept snapshot).", "",
              "| Case | Mistake | Expected | Outcome | What the product said | Browser upload check |",
              "|---|---|---|---|---|---|"]
    for row in c["rows"]:
        mark = "✅" if row["correct"] else "❌ " + row["why"]
        said = row["said"][0].replace("|", "\\|")[:260]
        lines.append(f"| `{row['case']}` | {row['mistake']} | {row['expected']} | {row['outcome']} {mark} | "
                     f"{said} | {row['upload'].replace('|', '/') or 'passes to the refresh'} |")
    lines += ["", "## Random corruptions", "",
              "Each try copies the small fixture, applies one to three random changes (a cell set to nasty text, "
              "rows deleted, duplicated or shuffled, a column dropped, headers renamed or swapped, the file cut short, "
              "random bytes inserted, re-encoded, another delimiter, the file deleted, blank lines) and refreshes. "
              "Promises: no crash; a refusal leaves the published snapshot byte-identical and every error names its "
              "file (and, for a cell, its row and column); a publish has no errors and a consistent snapshot.", "",
              f"Outcomes: {r['outcomes']}. Broken promises: {len(r['wrong'])}."]
    for w in r["wrong"][:10]:
        lines.append(f"- try {w['try']}: {'; '.join(w['corruptions'])} → {'; '.join(w['problems'])[:400]}")
    lines += ["", "## Faults", "",
              f"A command-line refresh of the sample (about {k['refresh_seconds']} s here, process start included) "
              "killed with SIGKILL at each named step and at random moments within its run; after each, the "
              "published snapshot is checked (the pointer's run is the file's run, every raw table holds the rows its "
              "lineage counts, every mart reads) and the next refresh must publish and leave `building/` empty.", "",
              "| Killed | Published after | Problems | Cleaned by the next run |", "|---|---|---|---|"]
    for kill in k["kills"]:
        lines.append(f"| {kill['at']} | {kill['published']} | {'; '.join(kill['problems']) or 'none'} | "
                     f"{'yes' if kill['cleaned'] else 'no'} |")
    lines += ["", "Disk full: the warehouse is copied onto a small tmpfs (mounted in a private mount namespace), "
              "filled to the headroom given, and refreshed.", "",
              "| Headroom | Exit | Published unchanged | Left in building/ | After freeing space | Message |",
              "|---:|---:|---|---|---|---|"]
    for d in k["disk_full"]:
        lines.append(f"| {d['headroom_kb']} KB | {d['exit']} | {'yes' if d['unchanged'] else 'NO'} | "
                     f"{d['building_left'] or 'nothing'} | exit {d['after_space_freed']} | "
                     f"{d['message'].replace('|', '/')} |")
    lines += ["", "## Load", "",
              f"{lo['sessions']} Chromium sessions against one `streamlit run app.py` on the sample, each clicking "
              f"Cohorts → Careers → Funding → Overview {lo['rounds']} times; after every session's first round a "
              f"refresh publishes the sample with one more trainee (it took {lo['publish_seconds']} s under this "
              "load). Every Overview view's Entrants and Active trainees are checked against the figures computed "
              "with pandas from the source files of the run the page names.", "",
              f"Page views: {lo['views']}; errors: {lo['errors']}; views mixing snapshots: {lo['mixed']}; "
              f"median view (click to settled): {lo['median_view_seconds']} s."]
    for example in lo["error_examples"]:
        lines.append(f"- {example}")
    if "soak" in figures:
        s = figures["soak"]
        lines += ["", "## Soak", "",
                  f"{s['refreshes']} refreshes (alternating two sources) over {s['minutes']:g} minutes while "
                  f"{s['sessions']} sessions click through pages. Server resident memory and snapshot files:", "",
                  "| Minute | Server RSS (MB) | Snapshot files |", "|---:|---:|---:|"]
        step = max(1, len(s["samples"]) // 30)
        for minute, rss, files in s["samples"][::step]:
            lines.append(f"| {minute} | {rss} | {files} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reliability", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the CI size: few tries, 3 sessions, no soak")
    parser.add_argument("--corruptions", type=int)
    parser.add_argument("--random-kills", type=int)
    parser.add_argument("--sessions", type=int)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--soak-minutes", type=float)
    parser.add_argument("--no-large", action="store_true", help="skip the 100 MB file")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", type=Path, default=DOCS / "reliability.md")
    args = parser.parse_args(argv)
    quick = args.quick
    corruptions = args.corruptions if args.corruptions is not None else 25 if quick else 300
    random_kills = args.random_kills if args.random_kills is not None else 3 if quick else 40
    sessions = args.sessions or (3 if quick else 20)
    soak_minutes = args.soak_minutes if args.soak_minutes is not None else 0 if quick else 30
    figures = {"arguments": sys.argv[1:] if argv is None else argv, "when": time.strftime("%Y-%m-%d %H:%M %Z"),
               "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores, Python "
                          f"{platform.python_version()}"}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        steps = [("corpus", lambda: run_corpus(work, not args.no_large)),
                 ("corruptions", lambda: run_corruptions(work, corruptions, args.seed)),
                 ("faults", lambda: run_faults(work, random_kills, args.seed, [64 * 1024, 1024 * 1024]
                                               if quick else [16 * 1024, 256 * 1024, 1024 * 1024, 4096 * 1024])),
                 ("load", lambda: run_load(work, sessions, args.rounds))]
        if soak_minutes:
            steps.append(("soak", lambda: run_soak(work, soak_minutes, 2)))
        for name, step in steps:
            clock = time.perf_counter()
            print(f"{name}…", file=sys.stderr, flush=True)
            figures[name] = step()
            print(f"{name}: {time.perf_counter() - clock:.0f} s", file=sys.stderr, flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(figures), encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print(f"wrote {args.out} and {args.out.with_suffix('.json')}", file=sys.stderr)
    c, k, lo = figures["corpus"], figures["faults"], figures["load"]
    ok = (c["refused_correctly"] + c["accepted_correctly"] == c["cases"] and not figures["corruptions"]["wrong"]
          and k["intact"] == len(k["kills"]) and lo["errors"] == 0 and lo["mixed"] == 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
