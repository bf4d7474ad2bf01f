"""The upload staging area: files sent from the browser land in uploads/<run id>/source, completed with the published
snapshot's tables for any table not given, and are refreshed from there like any source folder."""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from etl import config, provenance
from etl.contract import NOTES_SHEET, SOURCE_TABLES
from etl.extract import XLSX_SUFFIXES
from etl.pipeline import new_run_id
from etl.warehouse import Published, Warehouse

ACCEPTED = (".csv", *XLSX_SUFFIXES)
KEEP_UPLOADS = 20  # staging folders kept (newest first); older ones are deleted when a new upload lands
MANIFEST = "upload.json"


class UploadRefused(Exception):
    """Nothing was staged: every reason is listed, one per file."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class Upload:
    """A staged upload: its run id, its folder, what was given and what was taken from the published snapshot."""

    run_id: str
    folder: Path
    files: list[str]
    tables_given: list[str]
    from_published: list[str] = field(default_factory=list)
    published_run: str | None = None

    @property
    def source(self) -> Path:
        """The folder a refresh reads."""
        return self.folder / "source"

    @property
    def candidate(self) -> Path:
        """Where the preview builds its snapshot (never published from here)."""
        return self.folder / "candidate.duckdb"

    @property
    def log(self) -> Path:
        """The publish process's progress and result."""
        return self.folder / "publish.log"


def uploads_dir(warehouse: Path | None = None) -> Path:
    """The staging area of a warehouse."""
    return Warehouse(config.warehouse_dir(warehouse)).root / "uploads"


XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx is a ZIP archive
# Content that is never a CSV: archives and workbooks, PDF, executables (text files hold no NUL byte either).
BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"MZ", b"\x7fELF", b"\xd0\xcf\x11\xe0")


def refused_reasons(files: list[tuple[str, bytes]], limit_mb: float) -> list[str]:
    """Why files cannot be staged: wrong kind (by name and by content), too large, empty, named twice (an empty list
    when all are fine)."""
    reasons = []
    names = [Path(name).name for name, _ in files]
    if not files:
        reasons.append("no file was given")
    for name, data in files:
        shown = Path(name).name
        suffix = Path(shown).suffix.lower()
        if suffix not in ACCEPTED:
            reasons.append(f"{shown}: only CSV files (.csv) and Excel workbooks (.xlsx) are accepted")
        elif len(data) > limit_mb * 1024 * 1024:
            reasons.append(f"{shown}: {len(data) / 1024 / 1024:.1f} MB is over the {limit_mb:g} MB limit")
        elif not data:
            reasons.append(f"{shown}: the file is empty")
        elif suffix == ".xlsx" and not data.startswith(XLSX_MAGIC):
            reasons.append(f"{shown}: its content is not an Excel workbook, whatever its name says")
        elif suffix == ".csv" and (b"\x00" in data[:65536] or data.startswith(BINARY_MAGIC)):
            reasons.append(f"{shown}: its content is binary, not a CSV text file, whatever its name says")
    for name in sorted({n for n in names if names.count(n) > 1}):
        reasons.append(f"{name}: given more than once")
    return reasons


def tables_in(name: str, data: bytes) -> list[str]:
    """The contract tables a file holds: a CSV its stem, a workbook its sheets (the notes sheet aside)."""
    known = {t.name for t in SOURCE_TABLES}
    if Path(name).suffix.lower() == ".csv":
        stem = Path(name).stem.strip().lower()
        return [stem] if stem in known else []
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # an unreadable workbook is reported by the extractor, with its rule
        return []
    try:
        sheets = [s.strip().lower() for s in book.sheetnames if s.strip().lower() != NOTES_SHEET.lower()]
    finally:
        book.close()
    return [s for s in sheets if s in known]


def stage(files: list[tuple[str, bytes]], warehouse: Path | None = None, limit_mb: float | None = None) -> Upload:
    """Write the files to a new staging folder and complete it with the published tables not given."""
    limit = config.upload_limit_mb() if limit_mb is None else limit_mb
    reasons = refused_reasons(files, limit)
    if reasons:
        raise UploadRefused(reasons)
    run_id = new_run_id()
    folder = uploads_dir(warehouse) / run_id
    source = folder / "source"
    source.mkdir(parents=True)
    given: list[str] = []
    for name, data in files:
        (source / Path(name).name).write_bytes(data)
        given.extend(tables_in(name, data))
    upload = Upload(run_id, folder, [Path(n).name for n, _ in files], sorted(set(given)))
    published = Warehouse(config.warehouse_dir(warehouse)).published()
    if published is not None:
        upload.published_run = published.run_id
        upload.from_published = _complete_from(published, source, set(given))
    (folder / MANIFEST).write_text(json.dumps({**asdict(upload), "folder": str(folder)}, indent=2), encoding="utf-8")
    _prune(uploads_dir(warehouse), keep=KEEP_UPLOADS)
    return upload


def read(run_id: str, warehouse: Path | None = None) -> Upload:
    """A staged upload by its run id."""
    folder = uploads_dir(warehouse) / Path(run_id).name
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    data["folder"] = folder
    return Upload(**data)


def _complete_from(published: Published, source: Path, given: set[str]) -> list[str]:
    """Write each source table not given as <table>.csv from the published snapshot's loaded rows, noting where
    each came from (etl/provenance.py); returns their names."""
    taken: dict[str, tuple[Path, provenance.TableSource]] = {}
    con = duckdb.connect(str(published.path), read_only=True)
    try:
        origins = {s.table: s for s in provenance.read(con)}
        for table in SOURCE_TABLES:
            if table.name in given:
                continue
            columns = ", ".join(table.column_names)  # names from the contract, never from the upload
            rows = con.execute(f"select count(*) from raw.{table.name}").fetchall()[0][0]
            if rows == 0 and not table.required:
                continue
            target = source / f"{table.name}.csv"
            con.sql(f"select {columns} from raw.{table.name} order by source_row").write_csv(str(target), header=True)
            taken[table.name] = (target, origins[table.name])
    finally:
        con.close()
    if taken:
        provenance.write_carried(source, published.run_id, taken)
    return list(taken)


def _prune(root: Path, keep: int) -> None:
    """Delete all but the newest `keep` staging folders."""
    folders = sorted(p for p in root.iterdir() if p.is_dir())
    for folder in folders[:-keep] if keep > 0 else folders:
        shutil.rmtree(folder, ignore_errors=True)


def start_publish(upload: Upload, user: str, warehouse: Path | None = None, as_of: str | None = None):
    """Publish a staged upload by running the command-line refresh in its own process (a closed tab, a rerun or an
    app restart cannot stop it half-way); its progress goes to the upload's log. Returns the process."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "etl", "refresh", "--source", str(upload.source),
               "--warehouse", str(config.warehouse_dir(warehouse)), "--user", user, "--run-id", upload.run_id]
    if as_of:
        command += ["--as-of", as_of]
    with open(upload.log, "wb") as log:
        return subprocess.Popen(command, cwd=config.PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def progress_lines(upload: Upload) -> list[str]:
    """The publish process's progress lines so far ("[3/6] load: …")."""
    try:
        text = upload.log.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    return [line for line in text.splitlines() if line.startswith("[")]


def publish_state(upload: Upload, process, warehouse: Path | None = None) -> dict:
    """How a publish stands: its run-history row ("running" while it goes on, with the latest progress line), or
    "stopped" with the log's last words when the process ended without recording how."""
    from etl.history import History

    history = History(Warehouse(config.warehouse_dir(warehouse)).history_file)
    ended = process is not None and process.poll() is not None
    run = history.run(upload.run_id)
    if (run is None or run["outcome"] == "running") and not ended:
        lines = progress_lines(upload)
        return {"outcome": "running", "message": lines[-1] if lines else "starting"}
    run = history.run(upload.run_id)  # read again: the process may have finished since
    if run is None or run["outcome"] == "running":
        tail = upload.log.read_text(encoding="utf-8", errors="replace")[-600:]
        return {"outcome": "stopped", "message": f"the publish process ended unexpectedly: {tail}"}
    return run
