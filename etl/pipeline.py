"""The refresh, step by step: extract -> validate -> load -> build marts -> check -> publish; and rollback."""

from __future__ import annotations

import datetime as dt
import errno
import os
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow

from etl import config, lineage, load, marts, provenance, rollbacks
from etl.contract import REFERENCE_TABLES, SOURCE_TABLES
from etl.extract import Extracted, SourceFile, extract
from etl.findings import Finding
from etl.history import History
from etl.validate import validate
from etl.warehouse import NothingPublished, Published, RefreshBusy, Warehouse

STEPS = ("extract", "validate", "load", "build marts", "check", "publish")
Progress = Callable[[int, str, str], None]


@dataclass
class RunResult:
    """How a refresh or rollback ended."""

    run_id: str
    outcome: str
    message: str
    findings: list[Finding] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    snapshot: Path | None = None

    @property
    def ok(self) -> bool:
        """True when the run published (or re-pointed) a snapshot."""
        return self.outcome in ("published", "rolled_back")


def new_run_id() -> str:
    """A sortable, unique run id: UTC time plus a random suffix."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)


def disk_full(exc: BaseException) -> bool:
    """True when an error comes from a full disk (or quota), whichever library raised it."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return any(words in str(exc) for words in ("No space left on device", "database or disk is full",
                                                "Disk quota exceeded"))


def _quiet(step: int, name: str, message: str) -> None:
    pass


def _pause_for_tests(step: str) -> None:
    """Let fault tests kill the process at a known step: ETL_PAUSE_AT=<step> writes a marker, then sleeps."""
    if os.environ.get("ETL_PAUSE_AT") == step:
        marker = os.environ.get("ETL_PAUSE_MARKER")
        if marker:
            Path(marker).write_text(step, encoding="utf-8")
        time.sleep(float(os.environ.get("ETL_PAUSE_SECONDS", "60")))


def _read_everything(source: Path) -> Extracted:
    """The source's tables plus the reference tables (NRSA levels), with every file's hash for the lineage."""
    extracted = extract(source, SOURCE_TABLES)
    reference = extract(config.reference_dir(), REFERENCE_TABLES)
    extracted.tables.update(reference.tables)
    extracted.files.extend(
        SourceFile(f"reference/{f.name}", f.sha256, f.bytes)
        for f in reference.files
        if f.name.lower().removesuffix(".csv") in {t.name for t in REFERENCE_TABLES}
    )
    extracted.findings.extend(f for f in reference.findings if f.rule != "table_unknown")
    return extracted


def refresh(
    source: Path,
    warehouse: Path | None = None,
    as_of: dt.date | None = None,
    user: str = "cli",
    progress: Progress = _quiet,
    keep: int | None = None,
    wait_seconds: float | None = None,
    run_id: str | None = None,
) -> RunResult:
    """Build a new snapshot from source and publish it if every check passes; never touches the published one."""
    wh = Warehouse(config.warehouse_dir(warehouse))
    history = History(wh.history_file)
    run_id = run_id or new_run_id()
    started = dt.datetime.now(dt.UTC)
    holder = {
        "run_id": run_id,
        "kind": "refresh",
        "user": user,
        "pid": os.getpid(),
        "started_at": started.isoformat(timespec="seconds"),
    }
    try:
        with wh.lock(holder, config.lock_wait_seconds() if wait_seconds is None else wait_seconds):
            history.mark_interrupted()
            wh.clean_leftovers()
            history.start(run_id, "refresh", user, str(source))
            try:
                as_of = as_of or default_as_of(wh.root)[0]
                return _refresh_locked(wh, history, run_id, Path(source), as_of, user, progress, keep, started)
            except Exception as exc:
                wh.clean_leftovers()  # the half-built file (on a full disk, this frees the space to say so)
                full = disk_full(exc)
                message = (f"the disk holding the warehouse is full ({exc}); nothing was published and the published "
                           "snapshot is unchanged. Free some space and run the refresh again." if full
                           else f"{type(exc).__name__}: {exc}")
                try:
                    history.finish(run_id, "failed" if full else "error", message)
                except sqlite3.Error:  # the history is on the same full disk; the next run marks this one interrupted
                    pass
                if full:
                    return RunResult(run_id, "failed", message)
                raise
    except RefreshBusy as busy:
        history.start(run_id, "refresh", user, str(source))
        history.finish(run_id, "refused", str(busy))
        return RunResult(run_id, "refused", str(busy))


def _refresh_locked(wh, history, run_id, source, as_of, user, progress, keep, started) -> RunResult:
    path = wh.building_path(run_id)
    built = _build(source, path, run_id, as_of, started, progress)
    if built.outcome != "built":
        history.finish(run_id, "failed", built.message, built.findings, built.files, built.row_counts or None)
        return RunResult(run_id, "failed", built.message, built.findings, built.row_counts)

    _pause_for_tests("before_publish")
    kept = wh.keep(run_id)
    _pause_for_tests("kept")  # among the kept snapshots, not yet published
    wh.point_to(run_id, "publish", user)
    history.published(run_id, "publish", user)
    _pause_for_tests("after_publish")
    wh.prune(keep if keep is not None else config.keep_snapshots())
    message = f"published snapshot {run_id}"
    history.finish(run_id, "published", message, built.findings, built.files, built.row_counts,
                   str(kept.relative_to(wh.root)))
    progress(5, STEPS[5], message)
    return RunResult(run_id, "published", message, built.findings, built.row_counts, kept)


@dataclass
class Built:
    """A snapshot file built from a source (outcome "built"), or why it was not ("failed")."""

    outcome: str
    message: str
    findings: list[Finding]
    files: list[dict]
    row_counts: dict[str, int] = field(default_factory=dict)


def _free_memory() -> None:
    """Hand memory freed by dropped frames back to the system (Arrow's allocator keeps it otherwise)."""
    pyarrow.default_memory_pool().release_unused()


def _build(source: Path, path: Path, run_id: str, as_of, started, progress: Progress) -> Built:
    """Extract, validate, load, build the marts and check them into a new file at path (deleted if a check fails)."""
    clock = time.perf_counter()

    def step(i: int, message: str) -> None:
        progress(i, STEPS[i], f"{message} ({time.perf_counter() - clock:.1f} s)")

    _pause_for_tests("extract")
    extracted = _read_everything(source)
    files = [{"name": f.name, "sha256": f.sha256, "bytes": f.bytes} for f in extracted.files]
    step(0, f"read {len(extracted.tables)} tables from {len(extracted.files)} files")

    validated = validate(extracted, SOURCE_TABLES + REFERENCE_TABLES)
    found = validated.findings
    errors = validated.errors
    files_by_table = {name: raw.file for name, raw in extracted.tables.items()}
    extracted.tables.clear()  # the text as read is not needed any more: free its memory
    _free_memory()
    step(1, f"{len(errors)} errors, {len(found) - len(errors)} warnings")
    if errors:
        return Built("failed", f"{len(errors)} errors stop the publish; the published snapshot is unchanged", found,
                     files)

    con = duckdb.connect(str(path))
    try:
        _pause_for_tests("load")
        load.create_raw_tables(con)
        counts = load.load_tables(con, validated.tables)
        validated.tables.clear()  # loaded: free the frames' memory for building the marts
        _free_memory()
        sources = provenance.of_build(source, run_id, extracted.files, files_by_table)
        lineage = load.Lineage(
            run_id,
            started.replace(tzinfo=None),
            as_of,
            str(source),
            all(s.is_sample for s in sources),  # the built-in sample, every table of it
            extracted.files,
            found,
        )
        load.write_lineage(con, lineage, counts, files_by_table)
        provenance.write(con, sources)
        load.write_vocabulary(con)
        step(2, f"loaded {sum(counts.values()):,} rows")

        _pause_for_tests("build")
        marts.build(con)
        step(3, f"built {len(marts.MARTS)} marts")

        failed = marts.check(con)
        step(4, f"{len(failed)} post-load checks failed")
        if failed:
            con.close()
            path.unlink()
            return Built("failed", "post-load checks failed; the published snapshot is unchanged", found + failed,
                         files, counts)
        con.execute("checkpoint")
    finally:
        con.close()
    return Built("built", f"built {path.name}", found, files, counts)


def preview(
    source: Path, target: Path, as_of: dt.date | None = None, progress: Progress = _quiet, run_id: str | None = None,
    warehouse: Path | None = None,
) -> RunResult:
    """Everything a refresh does short of publishing: the findings, and (when there are no errors) a snapshot file
    at target to compare with the published one. Takes no lock and changes nothing published."""
    as_of = as_of or default_as_of(warehouse)[0]
    target = Path(target)
    if target.exists():
        target.chmod(0o644)
        target.unlink()
    run_id = run_id or new_run_id()
    built = _build(Path(source), target, run_id, as_of, dt.datetime.now(dt.UTC), progress)
    outcome = "previewed" if built.outcome == "built" else "failed"
    message = "ready to publish" if outcome == "previewed" else built.message.replace(
        "stop the publish; the published snapshot is unchanged", "must be fixed before it can be published")
    return RunResult(run_id, outcome, message, built.findings, built.row_counts,
                     target if outcome == "previewed" else None)


def rollback(warehouse: Path | None = None, to: str | None = None, user: str = "cli") -> RunResult:
    """Re-point the published pointer to a kept snapshot (the previously published one by default); never rebuilds."""
    wh = Warehouse(config.warehouse_dir(warehouse))
    history = History(wh.history_file)
    run_id = new_run_id()
    holder = {
        "run_id": run_id,
        "kind": "rollback",
        "user": user,
        "pid": os.getpid(),
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    history.start(run_id, "rollback", user)
    try:
        with wh.lock(holder, config.lock_wait_seconds()):
            history.mark_interrupted(except_run=run_id)
            target = to or rollbacks.previous(wh, history)
            if target not in wh.kept():
                raise NothingPublished(f"run {target} has no kept snapshot; kept: {', '.join(wh.kept()) or 'none'}")
            before = wh.published()
            wh.point_to(target, "rollback", user)
            history.published(target, "rollback", user)
    except (RefreshBusy, NothingPublished) as exc:
        history.finish(run_id, "refused", str(exc))
        return RunResult(run_id, "refused", str(exc))
    message = f"published snapshot {target} again (was {before.run_id if before else 'none'})"
    history.finish(run_id, "rolled_back", message, snapshot=str(wh.snapshot_path(target).relative_to(wh.root)))
    return RunResult(run_id, "rolled_back", message, snapshot=wh.snapshot_path(target))


def default_as_of(warehouse: Path | None = None) -> tuple[dt.date, str]:
    """The as-of date of a refresh given none, and why: the published snapshot's (a correction does not move it),
    or today when nothing is published yet or what is published holds the built-in sample (its date is the sample's
    own, not a real census date)."""
    current = published(warehouse)
    if current is None:
        return dt.date.today(), "today: nothing is published yet"
    info = lineage.read(current)
    if info.get("is_sample") or info.get("sample_tables"):
        return dt.date.today(), "today: the published data holds the built-in sample, whose as-of date is its own"
    return dt.date.fromisoformat(info["as_of_date"]), f"the published snapshot's as-of date (run {current.run_id})"


def published(warehouse: Path | None = None) -> Published | None:
    """The published snapshot of a warehouse, or None."""
    return Warehouse(config.warehouse_dir(warehouse)).published()


_CHECKED: set[str] = set()  # snapshots already known not to be a stale sample (checked once per process)


def _stale_sample(current: Published) -> bool:
    """True when the published snapshot is the built-in sample built by an earlier version of the product."""
    if current.run_id in _CHECKED:
        return False
    info = lineage.read(current)
    stale = info["is_sample"] and not info["is_current_schema"]
    if not stale:
        _CHECKED.add(current.run_id)
    return stale


def ensure_published(warehouse: Path | None = None, progress: Progress = _quiet) -> Published:
    """The published snapshot; on a fresh warehouse (or one whose built-in sample an earlier version of the product
    built), build and publish the built-in sample first."""
    current = published(warehouse)
    if current is not None and not _stale_sample(current):
        return current
    result = refresh(
        config.SAMPLE_DIR, warehouse, as_of=config.SAMPLE_AS_OF, user="first start", progress=progress, wait_seconds=300
    )
    current = published(warehouse)
    if current is None:
        raise NothingPublished(f"the built-in sample could not be published: {result.message}")
    return current
