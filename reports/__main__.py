"""Command line: python -m reports nih-tables --out FILE.xlsx [--years N] [--through YEAR] [--window N] [--no-names]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl import pipeline
from reports import nih

EXIT_OK, EXIT_USAGE, EXIT_NOTHING = 0, 2, 4


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


def parser() -> argparse.ArgumentParser:
    """The argument parser."""
    p = argparse.ArgumentParser(prog="python -m reports", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    n = sub.add_parser("nih-tables", help="write the NIH training tables (XLSX)")
    n.add_argument("--out", required=True, help="the .xlsx file to write")
    n.add_argument("--years", type=int, default=5, help="cycle years per program (default 5)")
    n.add_argument("--through", type=int, help="the last cycle year (default: the latest on file)")
    n.add_argument("--window", type=int, default=nih.PART1_WINDOW,
                   help=f"academic years of grant appointments in Table 8 Part I (default {nih.PART1_WINDOW})")
    n.add_argument("--no-names", action="store_true", help="leave out Table 8 Part I, the table with trainee names")
    n.add_argument("--warehouse", help="warehouse folder (default $WAREHOUSE_DIR or data/warehouse)")
    n.set_defaults(func=cmd_nih_tables)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line."""
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
