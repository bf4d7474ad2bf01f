"""Command line: `python -m reports build --year Y [--from Y0] [--program P ...] --format pdf|html --out FILE`,
`python -m reports nih-tables --out FILE.xlsx [--years N] [--through YEAR] [--window N] [--no-names]` and
`python -m reports public --out FILE.html|FILE.xlsx|FILE.csv`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from etl import pipeline
from reports import nih

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 4


def cmd_nih_tables(args: argparse.Namespace) -> int:
    """Write the NIH training tables of the published snapshot to an XLSX workbook."""
    published = pipeline.published(args.warehouse)
    if published is None:
        print("nothing is published: run `python -m etl refresh --source …` first", file=sys.stderr)
        return EXIT_NOTHING
    names = not args.no_names
    Path(args.out).write_bytes(nih.nih_workbook(published.path, args.through, args.years, names, args.window))
    held = "; it holds trainee names (Table 8 Part I): share it as an education record" if names else ""
    print(f"wrote {args.out} from run {published.run_id}{held}", file=sys.stderr)
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    """Build a leadership report (PDF or HTML) from the published snapshot."""
    import duckdb

    from dashboard import queries
    from etl import lineage
    from reports import content, html, pdf

    published = pipeline.published(args.warehouse)
    if published is None:
        print("nothing is published: run `python -m etl refresh --source …` first", file=sys.stderr)
        return EXIT_NOTHING
    if args.format == "pdf" and not pdf.available():
        print(f"PDF reports need Chromium at {pdf.chromium_path()} (apt-get install chromium, or set CHROMIUM_PATH); "
              "--format html needs nothing", file=sys.stderr)
        return EXIT_USAGE
    con = duckdb.connect(str(published.path), read_only=True)
    try:
        with queries.reading(con):
            bounds = content.bounds()
            programs = content.program_options()
            unknown = [p for p in args.program if p not in programs]
            if unknown:
                print(f"unknown program(s) {', '.join(unknown)}: choose from {', '.join(programs)}", file=sys.stderr)
                return EXIT_USAGE
            first_year = args.first_year if args.first_year is not None else args.year - content.TREND_YEARS + 1
            lowest = bounds["first_cohort_year"]
            if not lowest < args.year <= bounds["last_academic_year"] or not lowest <= first_year < args.year:
                print(f"--year must be from {lowest + 1} to {bounds['last_academic_year']} and --from from {lowest} "
                      f"to the year before --year (academic years on file)", file=sys.stderr)
                return EXIT_USAGE
            print("querying the published snapshot…", file=sys.stderr)
            scope = content.Scope(args.year, first_year, tuple(args.program), args.role)
            report = content.build(scope, lineage.read_from(con.cursor(), published))
    finally:
        con.close()
    print("writing the report…", file=sys.stderr)
    document = html.render(report)
    if args.format == "html":
        Path(args.out).write_text(document, encoding="utf-8")
    else:
        print("printing to PDF with Chromium…", file=sys.stderr)
        Path(args.out).write_bytes(pdf.render(document, report.title, report.chart_count))
    print(f"wrote {args.out} ({report.title}; {report.population}) from run {published.run_id}", file=sys.stderr)
    return EXIT_OK


def cmd_public(args: argparse.Namespace) -> int:
    """Write the public outcomes of the published snapshot: suppressed, audited, in the format the file name asks."""
    from reports import disclosure, public, public_files

    if public_files.kind_of(args.out) is None:
        print(f"{args.out}: the file name must end in .html, .xlsx or .csv", file=sys.stderr)
        return EXIT_USAGE
    published = pipeline.published(args.warehouse)
    if published is None:
        print("nothing is published: run `python -m etl refresh --source …` first", file=sys.stderr)
        return EXIT_NOTHING
    print("building the public outcomes and auditing their suppression…", file=sys.stderr)
    try:
        outcomes = public.from_snapshot(public.Source(published.run_id, str(published.path), published.published_at))
    except disclosure.DisclosureError as error:
        print(f"not written: {error}", file=sys.stderr)
        return EXIT_FAILED
    if not outcomes.audit.passed:
        failures = len(outcomes.audit.failures)
        print(f"not written: the audit found {failures} small count(s) unprotected", file=sys.stderr)
        return EXIT_FAILED
    public_files.write(outcomes, args.out)
    done = outcomes.summary
    print(f"wrote {args.out} from run {published.run_id}: {done['counts suppressed']} counts suppressed, "
          f"{done['categories pooled away']} career categories pooled; audit passed ({done['linear programs solved']} "
          f"linear programs, {outcomes.seconds:.1f} s in all)", file=sys.stderr)
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    """The argument parser."""
    p = argparse.ArgumentParser(prog="python -m reports", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build a leadership report (PDF or HTML)")
    b.add_argument("--year", type=int, required=True, help="the academic year reported (2021 = July 2021 to June 2022)")
    b.add_argument("--from", dest="first_year", type=int, help="the first academic year of the trends (default: "
                   "five years in all)")
    b.add_argument("--program", action="append", default=[], help="a program id (repeat for several; default all)")
    b.add_argument("--format", choices=["pdf", "html"], required=True)
    b.add_argument("--out", required=True, help="the file to write")
    b.add_argument("--role", choices=["leadership", "administrator"], default="leadership",
                   help="who it is for: leadership hides groups smaller than the threshold (default leadership)")
    b.add_argument("--warehouse", help="warehouse folder (default $WAREHOUSE_DIR or data/warehouse)")
    b.set_defaults(func=cmd_build)
    n = sub.add_parser("nih-tables", help="write the NIH training tables (XLSX)")
    n.add_argument("--out", required=True, help="the .xlsx file to write")
    n.add_argument("--years", type=int, default=5, help="cycle years per program (default 5)")
    n.add_argument("--through", type=int, help="the last cycle year (default: the latest on file)")
    n.add_argument("--window", type=int, default=nih.PART1_WINDOW,
                   help=f"academic years of grant appointments in Table 8 Part I (default {nih.PART1_WINDOW})")
    n.add_argument("--no-names", action="store_true", help="leave out Table 8 Part I, the table with trainee names")
    n.add_argument("--warehouse", help="warehouse folder (default $WAREHOUSE_DIR or data/warehouse)")
    n.set_defaults(func=cmd_nih_tables)
    o = sub.add_parser("public", help="write the public outcomes, small cells suppressed and audited (HTML, XLSX, CSV)")
    o.add_argument("--out", required=True, help="the file to write: .html, .xlsx or .csv")
    o.add_argument("--warehouse", help="warehouse folder (default $WAREHOUSE_DIR or data/warehouse)")
    o.set_defaults(func=cmd_public)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line."""
    args = parser().parse_args(argv)
    from streamlit import logger

    logger.set_log_level(logging.ERROR)  # the dashboard's query modules, used outside the app, would warn "no runtime"
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
