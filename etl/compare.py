"""Compare two snapshots: every changed cell and every row added or removed, by each table's key, counted per
table; trainees who appear or go; the headline figures and the as-of date before and after (what a publish or a
rollback would change). Computed in DuckDB (etl/sql/compare/*.sql), so it stays fast on large tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from etl.config import SQL_DIR
from etl.contract import SOURCE_TABLES

SHOWN_CHANGES = 100  # rows of the change list a comparison holds for reading; the download holds them all
CHANGE_COLUMNS = ["table", "key", "change", "column", "before", "after"]
# What the marts measure against the as-of date (etl/sql/marts/trainee_facts.sql and the pages' queries).
AS_OF_FIGURES = ("years since completion, trainees still enrolled past their program's nominal length, time in "
                 "training of those still enrolled, completion within 8 and 10 years of entry, the current academic "
                 "year")


@dataclass
class Comparison:
    """What changes from the `before` snapshot to the `after` one."""

    tables: pd.DataFrame  # table, rows_before, rows_after, added, removed, changed (rows), cells_changed
    trainees_added: list[str]
    trainees_removed: list[str]
    headline: pd.DataFrame  # figure, before, after, change
    changes: pd.DataFrame  # the first SHOWN_CHANGES rows of the change list (CHANGE_COLUMNS)
    changes_total: int  # rows of the whole change list: changed cells plus added and removed rows
    as_of_before: dt.date | None
    as_of_after: dt.date

    @property
    def unchanged(self) -> bool:
        """True when no row of any table differs."""
        return self.changes_total == 0

    @property
    def as_of_note(self) -> str | None:
        """A plain sentence when the as-of date would change, else None."""
        if self.as_of_before is None or self.as_of_before == self.as_of_after:
            return None
        return (f"The as-of date would change from {self.as_of_before.isoformat()} to {self.as_of_after.isoformat()}: "
                f"figures measured against it — {AS_OF_FIGURES} — move too, even where no row changed.")


def _sql(name: str) -> str:
    return (SQL_DIR / "compare" / f"{name}.sql").read_text(encoding="utf-8")


def headline(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The headline figures of one snapshot (etl/sql/compare/headline.sql)."""
    return con.execute(_sql("headline")).df()


def compare(before: Path | None, after: Path, shown: int = SHOWN_CHANGES) -> Comparison:
    """Compare two snapshot files by each table's key (before None: everything is new)."""
    con = _attached(before, after)
    try:
        _list_changes(con, before is not None)
        counts = con.execute(_sql("change_counts")).df().set_index("table")
        tables = pd.DataFrame({
            "table": [t.name for t in SOURCE_TABLES],
            "rows_before": [_rows(con, "before_db", t.name, before is not None) for t in SOURCE_TABLES],
            "rows_after": [_rows(con, "after_db", t.name, True) for t in SOURCE_TABLES],
        })
        for column in ("added", "removed", "changed", "cells_changed"):
            tables[column] = tables["table"].map(counts[column]).fillna(0).astype("int64")
        added, removed = (_keys(con, "trainees", change) for change in ("added", "removed"))
        changes = con.execute(_sql("changes"), {"shown": shown}).df()
        as_of_after = con.execute(_sql("as_of"), {"run": "after_db.meta.run"}).fetchone()[0]
        as_of_before = (con.execute(_sql("as_of"), {"run": "before_db.meta.run"}).fetchone()[0]
                        if before is not None else None)
        con.execute("use after_db")
        figures = headline(con).rename(columns={"value": "after"})
        if before is not None:
            con.execute("use before_db")
            figures["before"] = headline(con)["value"]
        else:
            figures["before"] = 0.0
        figures["change"] = figures["after"] - figures["before"]
    finally:
        con.close()
    total = int(tables[["added", "removed", "cells_changed"]].to_numpy().sum())
    return Comparison(tables, added, removed, figures[["figure", "before", "after", "change"]], changes, total,
                      as_of_before, as_of_after)


def change_list(before: Path | None, after: Path) -> pd.DataFrame:
    """The whole change list (the comparison's download): every changed cell, added and removed row."""
    con = _attached(before, after)
    try:
        _list_changes(con, before is not None)
        return con.execute(_sql("changes"), {"shown": None}).df()
    finally:
        con.close()


def _attached(before: Path | None, after: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with both snapshots attached read-only (as before_db and after_db)."""
    con = duckdb.connect()
    con.execute("attach ? as after_db (read_only)", [str(after)])
    if before is not None:
        con.execute("attach ? as before_db (read_only)", [str(before)])
    return con


def _list_changes(con: duckdb.DuckDBPyConnection, has_before: bool) -> None:
    """The table `changes`: every table's changed cells and added and removed rows (etl/sql/compare/
    table_changes.sql, bound to the table's name, key and columns from the contract)."""
    for position, table in enumerate(SOURCE_TABLES):
        after = f"after_db.raw.{table.name}"  # names from the contract, bound as values, never read from a file
        params = {
            "position": position,
            "table": table.name,
            "key": list(table.key),
            "columns": list(table.column_names),
            "before": f"before_db.raw.{table.name}" if has_before else after,
            "before_exists": has_before,
            "after": after,
        }
        rows = con.sql(_sql("table_changes"), params=params)
        if position == 0:
            rows.create("changes")
        else:
            rows.insert_into("changes")


def _rows(con: duckdb.DuckDBPyConnection, database: str, table: str, exists: bool) -> int:
    params = {"table": f"{database if exists else 'after_db'}.raw.{table}", "exists": exists}
    return con.execute(_sql("row_count"), params).fetchone()[0]


def _keys(con: duckdb.DuckDBPyConnection, table: str, change: str) -> list[str]:
    return [row[0] for row in con.execute(_sql("keys_changed"), {"table": table, "change": change}).fetchall()]
