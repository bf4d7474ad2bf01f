"""What a rollback can publish again: every kept snapshot but the published one, said by when and by whom it was
published and from which files; by default the one published before the current one (by the publish history)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from etl import provenance
from etl.history import History
from etl.warehouse import NothingPublished, Warehouse


@dataclass(frozen=True)
class Choice:
    """A kept snapshot a rollback can publish again."""

    run_id: str
    publications: list[dict]  # its publishes and rollbacks to it, oldest first (published_at, action, user)
    files: list[str]  # the files its own run read (tables carried from the data then published aside)
    carried: int  # tables carried over from the data published when it was built
    is_sample: bool  # every table is the built-in sample's

    def describe(self) -> str:
        """'published 2026-06-30 09:12 UTC by alice from appointments.csv (other tables as then published)'."""
        if self.publications:
            first = self.publications[0]
            said = f"published {_when(first['published_at'])} by {first['user']}"
            last = self.publications[-1]
            if len(self.publications) > 1:
                said += f", last put back {_when(last['published_at'])} by {last['user']}"
        else:
            said = "never published"
        if self.is_sample and not self.carried:
            return f"{said} from the built-in sample"
        files = ", ".join(self.files) or "no file"
        others = f" (other {'table' if self.carried == 1 else 'tables'} as then published)" if self.carried else ""
        return f"{said} from {files}{others}"


def _when(published_at: str) -> str:
    return published_at.replace("T", " ")[:16] + " UTC"


def previous(wh: Warehouse, history: History) -> str:
    """The snapshot that was published before the current one and is still kept."""
    current = wh.published()
    if current is None:
        raise NothingPublished("nothing is published yet")
    kept = set(wh.kept())
    seen_current = False
    for pub in reversed(history.publications()):
        if pub["run_id"] == current.run_id:
            seen_current = True
            continue
        if seen_current and pub["run_id"] in kept:
            return pub["run_id"]
    raise NothingPublished("no earlier published snapshot is kept")


def choice(wh: Warehouse, run_id: str, publications: list[dict]) -> Choice:
    """One kept snapshot, said by its publications (from the history) and its tables' provenance."""
    con = duckdb.connect(str(wh.snapshot_path(run_id)), read_only=True)
    try:
        sources = provenance.read(con)
    finally:
        con.close()
    own = [s for s in sources if s.file is not None and s.carried_from is None]
    files = list(dict.fromkeys(s.file.split(", sheet ")[0] for s in own))
    carried = sum(s.carried_from is not None for s in sources)
    read = [s for s in sources if s.file is not None]
    return Choice(run_id, [p for p in publications if p["run_id"] == run_id], files, carried,
                  bool(read) and all(s.is_sample for s in read))


def choices(wh: Warehouse, history: History) -> list[Choice]:
    """Every kept snapshot but the published one, the most recently published first (never published ones last)."""
    current = wh.published()
    publications = history.publications()
    out = [choice(wh, run_id, publications) for run_id in wh.kept()
           if current is None or run_id != current.run_id]
    return sorted(out, key=lambda c: (c.publications[-1]["seq"] if c.publications else -1, c.run_id), reverse=True)
