"""Build the staging layer and the marts from their .sql files, then run the post-load checks."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.config import SQL_DIR
from etl.findings import Finding, finding

# Every mart and its grain (the columns that identify a row), in build order: facts first, since the aggregate
# marts are documented aggregates of them. The grain is checked after every build.
MARTS: dict[str, tuple[str, ...]] = {
    "position_facts": ("position_id",),
    "trainee_facts": ("trainee_id",),
    "trainee_directory": ("trainee_id",),
    "applicant_facts": ("applicant_id",),
    "appointment_facts": ("appointment_id",),
    "milestone_facts": ("trainee_id", "milestone", "milestone_date"),
    "nrsa_stipend_levels": ("fiscal_year", "career_level", "experience_years"),
    "cohort_funnel": ("program_id", "cycle_year"),
    "cohort_sizes": ("program_id", "track_id", "cohort_year"),
    "track_distribution": ("program_id", "cohort_year", "track_id"),
    "completion": ("program_id", "cohort_year"),
    "career_outcomes": (
        "program_id",
        "track_id",
        "completion_year",
        "position_kind",
        "sector",
        "career_type",
        "role_group",
    ),
    "stipend_funding": ("fiscal_year", "program_id", "funding_source"),
    "stipend_vs_nrsa": ("appointment_id",),
}


def schema_version() -> str:
    """A fingerprint of everything that shapes a snapshot (SQL, contract, loader, how models are built): it changes
    when they change."""
    import hashlib

    digest = hashlib.sha256()
    etl_dir = Path(__file__).parent
    for path in sorted(SQL_DIR.rglob("*.sql")):
        if path.parent.name == "compare":  # queries that read two snapshots to compare them shape neither
            continue
        digest.update(path.relative_to(SQL_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    for path in (etl_dir / "contract.py", etl_dir / "load.py", etl_dir / "marts.py"):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def sql_file(layer: str, name: str) -> str:
    """The text of etl/sql/<layer>/<name>.sql."""
    return (SQL_DIR / layer / f"{name}.sql").read_text(encoding="utf-8")


def build(con: duckdb.DuckDBPyConnection) -> None:
    """Create staging.<table> for every staging file, then main.<mart> for every mart, in order.

    Staging models are views over the loaded raw tables (they only type and rename, and each is read once or twice by
    the marts), so the snapshot does not store every raw row a second time; the marts are tables."""
    con.execute("create schema if not exists staging")
    for path in sorted((SQL_DIR / "staging").glob("*.sql")):
        con.execute(f"create view staging.{path.stem} as {path.read_text(encoding='utf-8')}")
    for name in MARTS:
        con.execute(f"create table main.{name} as {sql_file('marts', name)}")


def check(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """Run every post-load check; each returns the rows that break it (none when it passes)."""
    found: list[Finding] = []
    for name, grain in MARTS.items():
        keys = ", ".join(grain)
        repeated = con.execute(
            f"select {keys}, count(*) as rows from main.{name} group by all having count(*) > 1 limit 5"
        ).fetchall()
        for row in repeated:
            found.append(finding("post_load_check", "", "", f"mart {name} repeats its grain ({keys}) at {row}"))
    for path in sorted((SQL_DIR / "checks").glob("*.sql")):
        cursor = con.execute(path.read_text(encoding="utf-8"))
        columns = [d[0] for d in cursor.description]
        for row in cursor.fetchmany(20):
            detail = ", ".join(f"{c}={v}" for c, v in zip(columns, row, strict=False))
            found.append(finding("post_load_check", "", "", f"check {path.stem} failed: {detail}"))
    return found
