"""Queries over the marts: the shared filters applied to the facts, then a .sql file; values always bound."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from dashboard import palette, snapshot
from dashboard.filters import Filters
from etl.marts import sql_file

SQL_DIR = Path(__file__).resolve().parent / "sql"
FACTS = {
    "main.trainee_facts": "filtered_trainees",
    "main.applicant_facts": "filtered_applicants",
    "main.appointment_facts": "filtered_appointments",
}


# Where queries run: the app's snapshot (the default), or a connection a report builder outside the app opened.
_READER: ContextVar[Callable[[str, dict], pd.DataFrame] | None] = ContextVar("reader", default=None)


@contextlib.contextmanager
def reading(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the queries inside the block on this connection (outside the app: e.g. `python -m reports build`)."""
    token = _READER.set(lambda sql, params: con.execute(sql, params).df())
    try:
        yield
    finally:
        _READER.reset(token)


def execute(sql: str, params: dict, named: bool = False) -> pd.DataFrame:
    """Run SQL as it is, values bound, on the reader of this context: the app's snapshot unless reading() says so;
    `named` adds program and track names (see with_names), kept with the result in the app's cache."""
    reader = _READER.get()
    if reader:
        return with_names(reader(sql, params)) if named else reader(sql, params)
    return _named(snapshot.current().run_id, sql, params) if named else snapshot.query(sql, params)


@st.cache_data(max_entries=1000, show_spinner=False)
def _named(run_id: str, sql: str, params: dict) -> pd.DataFrame:
    """A query's result with names added; cached per snapshot, query and parameters like the result itself."""
    return with_names(snapshot.query(sql, params))


def _body(sql: str) -> str:
    """The query without its leading comment lines."""
    lines = sql.strip().splitlines()
    while lines and lines[0].lstrip().startswith("--"):
        lines.pop(0)
    return "\n".join(lines).strip()


def _compose(sql: str) -> str:
    """Prefix a query with the filtered fact relations (joining its own CTEs to theirs when it has some)."""
    filtered = _body((SQL_DIR / "_filtered.sql").read_text(encoding="utf-8"))
    body = _body(sql)
    if re.match(r"with\s", body, flags=re.IGNORECASE):
        return f"{filtered},\n{body[4:].lstrip()}"
    return f"{filtered}\n{body}"


def load(name: str) -> str:
    """The text of dashboard/sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def run(name: str, filters: Filters, named: bool = False, **params) -> pd.DataFrame:
    """Run dashboard/sql/<name>.sql over the filtered facts, with the filters and extra values bound (and names added
    when `named`)."""
    return execute(_compose(load(name)), {**filters.params(), **params}, named)


def mart(name: str, filters: Filters, named: bool = False, **params) -> pd.DataFrame:
    """A mart recomputed over the filtered facts with the mart's own SQL: one definition of each metric (names added
    when `named`)."""
    sql = sql_file("marts", name)
    for fact, filtered in FACTS.items():
        sql = sql.replace(fact, filtered)
    return execute(_compose(sql), {**filters.params(), **params}, named)


def plain(name: str, **params) -> pd.DataFrame:
    """Run dashboard/sql/<name>.sql as it is (no shared filters), with values bound."""
    return execute(load(name), params)


def mart_header(name: str) -> str:
    """The header comment of a mart's SQL file: its grain and definitions, as the marts state them."""
    lines = []
    for line in sql_file("marts", name).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines)


def names() -> tuple[dict[str, str], dict[str, str]]:
    """Program and track display names (a missing track reads "No track"); the palette learns their colours."""
    options = plain("filter_options")
    programs = dict(zip(options["program_id"], options["program_name"], strict=False))
    tracks = {t: n for t, n in zip(options["track_id"], options["track_name"], strict=False) if isinstance(t, str)}
    by_program = options.dropna(subset=["track_id"]).groupby("program_id", sort=False)["track_name"]
    palette.learn(list(programs.values()), {programs[p]: list(t) for p, t in by_program})
    return programs, tracks


def with_names(frame: pd.DataFrame) -> pd.DataFrame:
    """Add program_name and track_name (and a combined group label) beside program_id and track_id."""
    programs, tracks = names()
    out = frame.copy()
    if "program_id" in out:
        out["program_name"] = out["program_id"].map(programs)
    if "track_id" in out:
        out["track_name"] = out["track_id"].map(tracks).astype(object).fillna("No track")
        if "program_id" in out:
            out["group"] = out["program_name"] + " · " + out["track_name"]
    return out


def rates_long(funnel: pd.DataFrame) -> pd.DataFrame:
    """Admit rate and yield from a cohort_funnel frame, one row per program, cycle year and rate (for a line chart)."""
    long = funnel.melt(id_vars=["program_id", "program_name", "cycle_year", "admitted", "applicants", "matriculated"],
                       value_vars=["admit_rate", "yield_rate"], var_name="measure", value_name="rate")
    long["measure"] = long["measure"].map({"admit_rate": "Admit rate", "yield_rate": "Yield"})
    return long


def with_labels(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Replace codes (us_citizen, not_reported, …) in a column with their display labels."""
    from dashboard.filters import LABELS

    return frame.assign(**{column: frame[column].map(lambda v: LABELS.get(v, v))})
