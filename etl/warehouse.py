"""The warehouse folder: immutable snapshot files, the published pointer, the refresh lock, pruning and rollback."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

POINTER = "published.json"


class RefreshBusy(Exception):
    """Another refresh or rollback holds the warehouse lock."""


class NothingPublished(Exception):
    """The warehouse has no published snapshot (or not the one asked for)."""


@dataclass(frozen=True)
class Published:
    """The published snapshot: which run built it, where the file is, when and how it was published."""

    run_id: str
    path: Path
    published_at: str
    action: str
    user: str


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Warehouse:
    """A folder of snapshots; exactly one is published through an atomically replaced pointer file."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.snapshots = self.root / "snapshots"
        self.building = self.root / "building"
        self.pointer = self.root / POINTER
        self.lock_file = self.root / "refresh.lock"
        self.history_file = self.root / "history.sqlite"

    def ensure(self) -> None:
        """Create the folders if they do not exist."""
        for folder in (self.root, self.snapshots, self.building):
            folder.mkdir(parents=True, exist_ok=True)

    # Reading -----------------------------------------------------------------------------------------------------
    def published(self) -> Published | None:
        """The published snapshot, or None when nothing has been published."""
        try:
            data = json.loads(self.pointer.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return Published(data["run_id"], self.root / data["file"], data["published_at"], data["action"], data["user"])

    def snapshot_path(self, run_id: str) -> Path:
        """Where the kept snapshot of a run lives."""
        return self.snapshots / f"{run_id}.duckdb"

    def kept(self) -> list[str]:
        """Run ids of the snapshot files kept, oldest first."""
        if not self.snapshots.exists():
            return []
        return sorted(p.stem for p in self.snapshots.glob("*.duckdb"))

    # Writing (only under the lock) ---------------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self, holder: dict, wait_seconds: float = 0.0) -> Iterator[None]:
        """Hold the warehouse lock (released by the OS if the process dies); refuse with RefreshBusy when taken."""
        self.ensure()
        fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + wait_seconds
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        raise RefreshBusy(self._busy_message()) from None
                    time.sleep(0.2)
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(holder).encode(), 0)
            yield
        finally:
            os.close(fd)

    def _busy_message(self) -> str:
        try:
            holder = json.loads(self.lock_file.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            holder = {}
        who = holder.get("user", "someone")
        what = holder.get("kind", "refresh")
        since = holder.get("started_at", "a moment ago")
        run = holder.get("run_id", "?")
        return (
            f"another {what} is running (run {run}, by {who}, started {since}); "
            "nothing was changed — try again when it has finished"
        )

    def clean_leftovers(self) -> list[Path]:
        """Delete half-built files left by a refresh that died (call only while holding the lock)."""
        removed = []
        if self.building.exists():
            for path in self.building.iterdir():
                path.chmod(stat.S_IWUSR | stat.S_IRUSR)
                path.unlink()
                removed.append(path)
        for path in self.root.glob(f"{POINTER}.tmp-*"):
            path.unlink()
            removed.append(path)
        return removed

    def building_path(self, run_id: str) -> Path:
        """Where a refresh builds its new snapshot before publishing it."""
        return self.building / f"{run_id}.duckdb"

    def keep(self, run_id: str) -> Path:
        """Make a finished build read-only and move it among the kept snapshots (atomic rename)."""
        source = self.building_path(run_id)
        with open(source, "rb") as handle:
            os.fsync(handle.fileno())
        source.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        target = self.snapshot_path(run_id)
        os.replace(source, target)
        _fsync_dir(self.snapshots)
        _fsync_dir(self.building)
        return target

    def point_to(self, run_id: str, action: str, user: str) -> Published:
        """Publish a kept snapshot by replacing the pointer file in one atomic step."""
        target = self.snapshot_path(run_id)
        if not target.exists():
            raise NothingPublished(f"no kept snapshot for run {run_id}")
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        data = {
            "run_id": run_id,
            "file": str(target.relative_to(self.root)),
            "published_at": now,
            "action": action,
            "user": user,
        }
        tmp = self.root / f"{POINTER}.tmp-{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.pointer)
        _fsync_dir(self.root)
        return self.published()

    def prune(self, keep: int) -> list[str]:
        """Delete all but the newest `keep` snapshots, never the published one; returns the run ids removed."""
        current = self.published()
        kept = self.kept()
        protected = {current.run_id} if current else set()
        newest = set(kept[-keep:]) if keep > 0 else set()
        removed = []
        for run_id in kept:
            if run_id in newest or run_id in protected:
                continue
            self.snapshot_path(run_id).unlink()
            removed.append(run_id)
        return removed
