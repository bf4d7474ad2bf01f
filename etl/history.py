"""Run history and audit log: every refresh and rollback, and who signed in, published, rolled back or downloaded
row-level data — kept outside the snapshots in a SQLite file many processes can append to."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from pathlib import Path

from etl.findings import Finding

SCHEMA = """
create table if not exists runs (
    run_id text primary key,
    kind text not null,
    started_at text not null,
    finished_at text,
    user text not null,
    source text,
    source_files text,
    row_counts text,
    errors integer default 0,
    warnings integer default 0,
    outcome text not null,
    message text,
    snapshot text
);
create table if not exists findings (
    run_id text not null,
    rule text, severity text, table_name text, file text, row integer,
    column_name text, value text, message text, hint text
);
create index if not exists findings_run on findings (run_id);
create table if not exists audit (
    seq integer primary key autoincrement,
    at text not null,
    user text not null,
    action text not null,
    detail text
);
create table if not exists publications (
    seq integer primary key autoincrement,
    run_id text not null,
    published_at text not null,
    action text not null,
    user text not null
);
"""

RUN_COLUMNS = (
    "run_id",
    "kind",
    "started_at",
    "finished_at",
    "user",
    "source",
    "source_files",
    "row_counts",
    "errors",
    "warnings",
    "outcome",
    "message",
    "snapshot",
)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class History:
    """The run history of one warehouse."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.execute("pragma busy_timeout = 30000")
        con.executescript(SCHEMA)
        return con

    def start(self, run_id: str, kind: str, user: str, source: str | None = None) -> None:
        """Record that a run has started."""
        with closing(self._connect()) as con:
            con.execute(
                "insert into runs (run_id, kind, started_at, user, source, outcome) values (?, ?, ?, ?, ?, 'running')",
                (run_id, kind, _now(), user, source),
            )

    def finish(
        self,
        run_id: str,
        outcome: str,
        message: str = "",
        findings: list[Finding] | None = None,
        source_files: list[dict] | None = None,
        row_counts: dict[str, int] | None = None,
        snapshot: str | None = None,
    ) -> None:
        """Record how a run ended, with its findings, files and row counts."""
        findings = findings or []
        errors = sum(f.severity == "error" for f in findings)
        warnings = sum(f.severity == "warning" for f in findings)
        with closing(self._connect()) as con:
            con.execute("begin")
            con.execute(
                "update runs set finished_at = ?, outcome = ?, message = ?, errors = ?, warnings = ?,"
                " source_files = ?, row_counts = ?, snapshot = ? where run_id = ?",
                (
                    _now(),
                    outcome,
                    message,
                    errors,
                    warnings,
                    json.dumps(source_files or []),
                    json.dumps(row_counts or {}),
                    snapshot,
                    run_id,
                ),
            )
            con.executemany(
                "insert into findings values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (run_id, f.rule, f.severity, f.table, f.file, f.row, f.column, f.value, f.message, f.hint)
                    for f in findings
                ],
            )
            con.execute("commit")

    def published(self, run_id: str, action: str, user: str) -> None:
        """Record that a run's snapshot became the published one (in the audit log too)."""
        with closing(self._connect()) as con:
            con.execute(
                "insert into publications (run_id, published_at, action, user) values (?, ?, ?, ?)",
                (run_id, _now(), action, user),
            )
        self.audit(user, action, f"run {run_id}")

    def audit(self, user: str, action: str, detail: str = "") -> None:
        """Append an event to the audit log: who did what, now."""
        with closing(self._connect()) as con:
            con.execute("insert into audit (at, user, action, detail) values (?, ?, ?, ?)",
                        (_now(), user, action, detail))

    def audit_events(self, limit: int = 500) -> list[dict]:
        """The newest audit events first."""
        with closing(self._connect()) as con:
            rows = con.execute("select at, user, action, detail from audit order by seq desc limit ?",
                               (limit,)).fetchall()
        return [dict(zip(("at", "user", "action", "detail"), row, strict=True)) for row in rows]

    def mark_interrupted(self, except_run: str = "") -> list[str]:
        """Runs still 'running' when the lock is taken died midway: mark them interrupted (call under the lock)."""
        with closing(self._connect()) as con:
            where = "outcome = 'running' and run_id <> ?"
            stale = [r[0] for r in con.execute(f"select run_id from runs where {where}", (except_run,))]
            con.execute(
                "update runs set outcome = 'interrupted', finished_at = ?,"
                " message = 'the process stopped before the run finished; nothing of it was published'"
                f" where {where}",
                (_now(), except_run),
            )
        return stale

    def runs(self, limit: int | None = None) -> list[dict]:
        """Every run, newest first."""
        if not self.path.exists():
            return []
        with closing(self._connect()) as con:
            sql = f"select {', '.join(RUN_COLUMNS)} from runs order by started_at desc, run_id desc"
            rows = con.execute(sql + (" limit ?" if limit else ""), (limit,) if limit else ()).fetchall()
        out = []
        for row in rows:
            run = dict(zip(RUN_COLUMNS, row, strict=False))
            run["source_files"] = json.loads(run["source_files"] or "[]")
            run["row_counts"] = json.loads(run["row_counts"] or "{}")
            out.append(run)
        return out

    def run(self, run_id: str) -> dict | None:
        """One run, or None."""
        return next((r for r in self.runs() if r["run_id"] == run_id), None)

    def findings(self, run_id: str) -> list[dict]:
        """The findings recorded for a run."""
        if not self.path.exists():
            return []
        with closing(self._connect()) as con:
            cur = con.execute("select * from findings where run_id = ? order by rowid", (run_id,))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=False)) for r in cur.fetchall()]

    def publications(self) -> list[dict]:
        """Every publish and rollback, oldest first."""
        if not self.path.exists():
            return []
        with closing(self._connect()) as con:
            cur = con.execute("select seq, run_id, published_at, action, user from publications order by seq")
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=False)) for r in cur.fetchall()]
