"""Build the staging layer and the marts from their .sql files, then run the post-load checks."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.config import SQL_DIR
from etl.findings import Finding, finding

# Facts first: the aggregate marts are documented aggregates of them.
MARTS = (
    "trainee_facts",
    "trainee_directory",
    "applicant_facts",
    "appointment_facts",
    "milestone_facts",
    "nrsa_stipend_levels",
    "cohort_funnel",
    "cohort_sizes",
    "track_distribution",
    "completion",
    "career_outcomes",
    "stipend_funding",
    "stipend_vs_nrsa",
)


def sql_file(layer: str, name: str) -> str:
    """The text of etl/sql/<layer>/<name>.sql."""
    return (SQL_DIR / layer / f"{name}.sql").read_text(encoding="utf-8")


def build(con: duckdb.DuckDBPyConnection) -> None:
    """Create staging.<table> for every staging file, then main.<mart> for every mart, in order."""
    con.execute("create schema if not exists staging")
    for path in sorted((SQL_DIR / "staging").glob("*.sql")):
        con.execute(f"create table staging.{path.stem} as {path.read_text(encoding='utf-8')}")
    for name in MARTS:
        con.execute(f"create table main.{name} as {sql_file('marts', name)}")


def check(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """Run every post-load check; each returns the rows that break it (none when it passes)."""
    found: list[Finding] = []
    for path in sorted((SQL_DIR / "checks").glob("*.sql")):
        cursor = con.execute(path.read_text(encoding="utf-8"))
        columns = [d[0] for d in cursor.description]
        for row in cursor.fetchmany(20):
            detail = ", ".join(f"{c}={v}" for c, v in zip(columns, row, strict=False))
            found.append(finding("post_load_check", "", "", f"check {path.stem} failed: {detail}"))
    return found


def mart_names() -> tuple[str, ...]:
    """Every mart, in build order."""
    return MARTS


def check_names() -> list[str]:
    """Every post-load check."""
    return [p.stem for p in sorted(Path(SQL_DIR / "checks").glob("*.sql"))]
