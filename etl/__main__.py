"""Command line: python -m etl refresh | check | status | history | rollback | dictionary | rules."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from etl import config, dictionary, lineage, pipeline, rollbacks
from etl.contract import RULES
from etl.history import History
from etl.warehouse import Warehouse

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BUSY, EXIT_NOTHING = 0, 1, 2, 3, 4
SHOWN_FINDINGS = 50
AS_OF_HELP = "as-of date YYYY-MM-DD (default: the published snapshot's, or today when nothing is published)"


def _progress(step: int, name: str, message: str) -> None:
    print(f"[{step + 1}/{len(pipeline.STEPS)}] {name}: {message}", file=sys.stderr, flush=True)


def _as_of(args: argparse.Namespace) -> tuple[dt.date, str]:
    """The as-of date to build with and why, said on stderr: --as-of, else the published snapshot's, else today."""
    if args.as_of:
        as_of, why = dt.date.fromisoformat(args.as_of), "given with --as-of"
    else:
        as_of, why = pipeline.default_as_of(args.warehouse)
        why += "; --as-of changes it"
    print(f"as of {as_of.isoformat()}: {why}", file=sys.stderr, flush=True)
    return as_of, why


def cmd_refresh(args: argparse.Namespace) -> int:
    """Run a refresh and print its findings."""
    as_of, why = _as_of(args)
    result = pipeline.refresh(
        Path(args.source), args.warehouse, as_of=as_of, progress=_progress, keep=args.keep, wait_seconds=args.wait,
        user=args.user, run_id=args.run_id,
    )
    return _report(result, args.json, as_of, why)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate a source and build it into a throw-away snapshot, publishing nothing."""
    import tempfile

    as_of, why = _as_of(args)
    with tempfile.TemporaryDirectory() as tmp:
        result = pipeline.preview(Path(args.source), Path(tmp) / "check.duckdb", as_of=as_of, progress=_progress)
    return _report(result, args.json, as_of, why)


def _report(result: pipeline.RunResult, as_json: bool, as_of: dt.date, why: str) -> int:
    """Print a run's outcome and findings; the exit code says how it ended."""
    if as_json:
        print(
            json.dumps(
                {
                    "run_id": result.run_id,
                    "outcome": result.outcome,
                    "message": result.message,
                    "as_of": as_of.isoformat(),
                    "as_of_because": why,
                    "findings": [f.as_dict() for f in result.findings],
                    "row_counts": result.row_counts,
                },
                indent=2,
            )
        )
    else:
        ordered = sorted(result.findings, key=lambda f: f.severity != "error")
        for f in ordered[:SHOWN_FINDINGS]:
            print(f, file=sys.stderr)
        if len(ordered) > SHOWN_FINDINGS:
            print(
                f"... and {len(ordered) - SHOWN_FINDINGS} more (python -m etl history --run {result.run_id})",
                file=sys.stderr,
            )
        print(f"{result.outcome}: {result.message} (run {result.run_id})", file=sys.stderr)
    if result.outcome in ("published", "previewed"):
        return EXIT_OK
    return EXIT_BUSY if result.outcome == "refused" else EXIT_FINDINGS


def status(warehouse: Path | None) -> dict | None:
    """The published snapshot's lineage as a dict, or None."""
    pub = pipeline.published(warehouse)
    return None if pub is None else lineage.read(pub)


def cmd_status(args: argparse.Namespace) -> int:
    """Print what is published."""
    info = status(args.warehouse)
    if info is None:
        where = config.warehouse_dir(args.warehouse)
        print(json.dumps({"published": None}) if args.json else f"nothing is published in {where}")
        return EXIT_NOTHING
    if args.json:
        print(json.dumps(info, indent=2))
        return EXIT_OK
    print(f"published: run {info['run_id']} ({info['action']} by {info['published_by']} at {info['published_at']})")
    print(f"snapshot:  {info['snapshot_path']}")
    print(f"source:    {info['source']}{' (built-in sample data)' if info['is_sample'] else ''}")
    if info["sample_tables"] and not info["is_sample"]:
        print(f"sample:    {len(info['sample_tables'])} of {len(info['table_sources'])} tables come from the built-in, "
              f"invented sample: {', '.join(info['sample_tables'])}")
    print(f"as of:     {info['as_of_date']}; {info['warnings']} warnings")
    for name, rows in info["row_counts"].items():
        print(f"  {name:<22} {rows:>10,} rows")
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    """Print the run history, or one run's findings."""
    history = History(Warehouse(config.warehouse_dir(args.warehouse)).history_file)
    if args.run:
        run = history.run(args.run)
        if run is None:
            print(f"no run {args.run}", file=sys.stderr)
            return EXIT_NOTHING
        run["findings"] = history.findings(args.run)
        if args.json:
            print(json.dumps(run, indent=2))
        else:
            print(f"{run['run_id']} {run['kind']} {run['outcome']}: {run['message']}")
            for f in run["findings"]:
                print(
                    f"  {f['severity']} [{f['rule']}] {f['file']} row {f['row']} {f['column_name'] or ''}: "
                    f"{f['message']}"
                )
        return EXIT_OK
    runs = history.runs(args.limit)
    if args.json:
        print(json.dumps(runs, indent=2))
        return EXIT_OK
    for r in runs:
        files = ", ".join(f"{f['name']} ({f['sha256'][:12]})" for f in r["source_files"])
        rows = sum(r["row_counts"].values()) if r["row_counts"] else 0
        print(
            f"{r['run_id']}  {r['kind']:<8} {r['outcome']:<12} {r['started_at']}  by {r['user']}  "
            f"{r['errors']} errors, {r['warnings']} warnings, {rows:,} rows  {files}"
        )
    return EXIT_OK


def cmd_rollback(args: argparse.Namespace) -> int:
    """Re-publish a kept snapshot (by default the one published before the current one)."""
    result = pipeline.rollback(args.warehouse, args.to, user=args.user)
    print(f"{result.outcome}: {result.message}", file=sys.stderr)
    if result.ok:
        wh = Warehouse(config.warehouse_dir(args.warehouse))
        back = rollbacks.choice(wh, result.snapshot.stem, History(wh.history_file).publications())
        print(f"that snapshot: {back.describe()}", file=sys.stderr)
        return EXIT_OK
    return EXIT_BUSY if "another" in result.message else EXIT_NOTHING


def cmd_dictionary(args: argparse.Namespace) -> int:
    """Print or write the data dictionary."""
    text = dictionary.markdown()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    """Print every validation rule."""
    for r in RULES:
        print(f"{r.name:<32} {r.severity:<8} {r.checks}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    """The argument parser."""
    p = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, func, help_: str) -> argparse.ArgumentParser:
        s = sub.add_parser(name, help=help_)
        s.add_argument("--warehouse", help="warehouse folder (default $WAREHOUSE_DIR or data/warehouse)")
        s.set_defaults(func=func)
        return s

    r = add("refresh", cmd_refresh, "validate a source and publish a new snapshot")
    r.add_argument("--source", required=True, help="folder of CSV files, or an .xlsx workbook")
    r.add_argument("--as-of", help=AS_OF_HELP)
    r.add_argument("--keep", type=int, help="snapshots to keep (default $KEEP_SNAPSHOTS or 5)")
    r.add_argument("--wait", type=float, help="seconds to wait for a running refresh (default: refuse at once)")
    r.add_argument("--json", action="store_true", help="print the result as JSON")
    r.add_argument("--user", default="cli", help="who is publishing, for the history (default: cli)")
    r.add_argument("--run-id", help=argparse.SUPPRESS)  # the browser upload names its staging folder by it
    c = add("check", cmd_check, "validate a source and build it without publishing anything")
    c.add_argument("--source", required=True, help="folder of CSV files, or an .xlsx workbook")
    c.add_argument("--as-of", help=AS_OF_HELP)
    c.add_argument("--json", action="store_true", help="print the result as JSON")
    s = add("status", cmd_status, "show the published snapshot")
    s.add_argument("--json", action="store_true")
    h = add("history", cmd_history, "list every run, or one run's findings")
    h.add_argument("--json", action="store_true")
    h.add_argument("--run", help="show this run and its findings")
    h.add_argument("--limit", type=int)
    b = add("rollback", cmd_rollback, "publish a kept snapshot again (default: the previous one)")
    b.add_argument("--to", help="run id of the snapshot to publish")
    b.add_argument("--user", default="cli", help="who is rolling back, for the history (default: cli)")
    d = add("dictionary", cmd_dictionary, "print the data dictionary (Markdown)")
    d.add_argument("--out", help="write it to this file")
    add("rules", cmd_rules, "list the validation rules")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line."""
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
