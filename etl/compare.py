"""Compare two snapshots: rows added, removed and changed per source table, trainees who appear or go, and the
headline figures before and after (what a publish or a rollback would change)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from etl.config import SQL_DIR
from etl.contract import SOURCE_TABLES


@dataclass
class Comparison:
    """What changes from the `before` snapshot to the `after` one."""

    tables: pd.DataFrame  # table, rows_before, rows_after, added, removed, changed
    trainees_added: list[str]
    trainees_removed: list[str]
    headline: pd.DataFrame  # figure, before, after, change

    @property
    def unchanged(self) -> bool:
        """True when no row of any table differs."""
        return not self.tables[["added", "removed", "changed"]].to_numpy().any()


def headline(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The headline figures of one snapshot (etl/sql/compare/headline.sql)."""
    return con.execute((SQL_DIR / "compare" / "headline.sql").read_text(encoding="utf-8")).df()


def compare(before: Path | None, after: Path) -> Comparison:
    """Compare two snapshot files by each table's key (before None: everything is new)."""
    con = duckdb.connect()
    try:
        con.execute("attach ? as after_db (read_only)", [str(after)])
        if before is not None:
            con.execute("attach ? as before_db (read_only)", [str(before)])
        rows = [_table_changes(con, table, before is not None) for table in SOURCE_TABLES]
        tables = pd.DataFrame(rows, columns=["table", "rows_before", "rows_after", "added", "removed", "changed"])
        added, removed = _trainees(con, before is not None)
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
    return Comparison(tables, added, removed, figures[["figure", "before", "after", "change"]])


def _table_changes(con: duckdb.DuckDBPyConnection, table, has_before: bool) -> tuple:
    # Table, key and column names come from the contract, never from a file.
    after = f"after_db.raw.{table.name}"
    count_after = con.execute(f"select count(*) from {after}").fetchall()[0][0]
    if not has_before:
        return (table.name, 0, count_after, count_after, 0, 0)
    before = f"before_db.raw.{table.name}"
    key = " and ".join(f"b.{k} = a.{k}" for k in table.key)
    differs = " or ".join(f"b.{c} is distinct from a.{c}" for c in table.column_names if c not in table.key)
    first = table.key[0]
    (count_before, added, removed, changed), = con.execute(f"""
        select
            (select count(*) from {before}),
            count(*) filter (where b.{first} is null),
            count(*) filter (where a.{first} is null),
            count(*) filter (where a.{first} is not null and b.{first} is not null and ({differs or 'false'})),
        from {before} as b
        full outer join {after} as a on {key}
    """).fetchall()
    return (table.name, count_before, count_after, added, removed, changed)


def _trainees(con: duckdb.DuckDBPyConnection, has_before: bool) -> tuple[list[str], list[str]]:
    after = [r[0] for r in con.execute("select trainee_id from after_db.raw.trainees order by 1").fetchall()]
    if not has_before:
        return after, []
    before = [r[0] for r in con.execute("select trainee_id from before_db.raw.trainees order by 1").fetchall()]
    return sorted(set(after) - set(before)), sorted(set(before) - set(after))
