"""The bad-input corpus through a real refresh: each mistake is accepted as meant or refused where it is, and the
published snapshot never changes on a refusal."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl import config, pipeline, uploads
from etl.marts import MARTS

CORPUS = config.PROJECT_ROOT / "tests" / "corpus"
FIXTURE = config.PROJECT_ROOT / "tests" / "fixtures" / "small"
AS_OF = dt.date(2026, 6, 30)
LARGE_MB = 100


@dataclass(frozen=True)
class Case:
    """One mistake and what must come of it (see tests/corpus/cases.toml)."""

    name: str
    mistake: str
    expect: str
    replaces: str = ""
    rule: str = ""
    file: str = ""
    row: int = 0
    column: str = ""
    read_as: tuple[str, ...] = ()
    intended: str = ""
    path: Path | None = None  # the mistaken file (default: files/<name> with the replaced file's or .xlsx suffix)

    @property
    def source_file(self) -> Path:
        """The file holding the mistake."""
        if self.path is not None:
            return self.path
        suffix = Path(self.replaces).suffix if self.replaces else ".xlsx"
        return CORPUS / "files" / f"{self.name}{suffix}"


@dataclass
class Outcome:
    """What a case came to: the refresh outcome, whether it is the expected one, and what the product said."""

    case: Case
    outcome: str
    correct: bool
    published_changed: bool
    said: list[str] = field(default_factory=list)
    why: str = ""
    seconds: float = 0.0
    upload: str = ""  # what the browser upload's own check said of the file ("" = it passes to the refresh)


def cases() -> list[Case]:
    """The corpus cases, as written in cases.toml."""
    raw = tomllib.loads((CORPUS / "cases.toml").read_text(encoding="utf-8"))["case"]
    return [Case(**{**c, "read_as": tuple(c.get("read_as", ()))}) for c in raw]


def fingerprint(warehouse: Path) -> dict[str, str]:
    """The published pointer and every kept snapshot, by content hash."""
    paths = [warehouse / "published.json", *sorted((warehouse / "snapshots").glob("*.duckdb"))]
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def marts_of(snapshot: Path) -> dict[str, pd.DataFrame]:
    """Every mart of a snapshot, read-only."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return {name: con.execute(f"select * from main.{name}").df() for name in MARTS}
    finally:
        con.close()


def same_marts(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> str:
    """'' when every mart is equal, else the first mart that differs."""
    for name in MARTS:
        try:
            pd.testing.assert_frame_equal(left[name], right[name])
        except AssertionError:
            return name
    return ""


def source_of(case: Case, work: Path, file: Path | None = None) -> Path:
    """The source a case refreshes from: the fixture with one file replaced, or the workbook alone."""
    file = file or case.source_file
    if not case.replaces:
        target = work / "book" / file.name
        target.parent.mkdir(parents=True)
        shutil.copy(file, target)
        return target
    source = work / "source"
    shutil.copytree(FIXTURE, source, ignore=shutil.ignore_patterns("README.md"))
    (source / case.replaces).unlink()
    shutil.copy(file, source / case.replaces)
    return source


class Runner:
    """Runs cases against a copy of one warehouse that has the fixture published."""

    def __init__(self, work: Path):
        self.work = work
        self.base = work / "base"
        assert pipeline.refresh(FIXTURE, self.base, as_of=AS_OF).outcome == "published"
        self.clean = marts_of(pipeline.published(self.base).path)
        self._intended: dict[str, dict[str, pd.DataFrame]] = {}

    def intended(self, case: Case) -> dict[str, pd.DataFrame]:
        """The marts of what the case meant: the fixture, or the fixture with the case's intended file."""
        if not case.intended:
            return self.clean
        if case.intended not in self._intended:
            work = self.work / f"intended-{case.name}"
            source = source_of(case, work, CORPUS / "files" / case.intended)
            result = pipeline.refresh(source, work / "wh", as_of=AS_OF)
            assert result.outcome == "published", result.message
            self._intended[case.intended] = marts_of(result.snapshot)
        return self._intended[case.intended]

    def run(self, case: Case) -> Outcome:
        """Refresh from the case's source into a copy of the base warehouse and judge the outcome."""
        work = self.work / case.name
        if work.exists():
            shutil.rmtree(work)
        warehouse = work / "wh"
        shutil.copytree(self.base, warehouse)
        before = fingerprint(warehouse)
        source = source_of(case, work)
        clock = time.perf_counter()
        result = pipeline.refresh(source, warehouse, as_of=AS_OF)
        seconds = time.perf_counter() - clock
        changed = fingerprint(warehouse) != before
        upload = "; ".join(uploads.refused_reasons([(case.source_file.name if not case.replaces else case.replaces,
                                                     case.source_file.read_bytes())], config.upload_limit_mb()))
        out = Outcome(case, result.outcome, False, changed, seconds=seconds, upload=upload)
        if case.expect == "refused":
            errors = [f for f in result.findings if f.severity == "error"]
            out.said = [str(f) for f in errors]
            hit = [f for f in errors if (f.rule, f.file, f.row or 0, f.column or "") ==
                   (case.rule, case.file, case.row, case.column)]
            out.correct = result.outcome == "failed" and bool(hit) and not changed
            out.why = "" if out.correct else (
                f"outcome {result.outcome}, published changed: {changed}, errors: {out.said or 'none'}")
            return out
        warnings = sorted({f.rule for f in result.findings if f.severity == "warning" and not _baseline(f)})
        out.said = [str(f) for f in result.findings if f.severity == "warning" and not _baseline(f)]
        if result.outcome != "published":
            out.why = f"refused: {[str(f) for f in result.findings if f.severity == 'error']}"
            return out
        differs = same_marts(marts_of(result.snapshot), self.intended(case))
        out.correct = not differs and warnings == sorted(case.read_as)
        out.why = "" if out.correct else f"mart {differs} differs" if differs else f"warnings {warnings}"
        return out


def _baseline(f) -> bool:
    """The fixture's own warning: AP06 (row 7) is an nlm_t15 appointment for a temporary_visa trainee."""
    return f.rule == "nrsa_ineligible" and f.table == "appointments" and f.row == 7


def large_applicants(path: Path, megabytes: int = LARGE_MB) -> int:
    """Write the fixture's applicants followed by generated, valid ones up to `megabytes`; return the data rows."""
    head = (FIXTURE / "applicants.csv").read_text(encoding="utf-8")
    rows = head.count("\n") - 1
    line = "A{:08d},p_phd,t_{},{},{},{},false,true,false,false\n"
    kinds = (("us_citizen", "female"), ("permanent_resident", "male"), ("temporary_visa", "nonbinary"))
    target = megabytes * 1024 * 1024
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(head)
        written = len(head.encode())
        while written < target:
            chunk = "".join(line.format(rows + i, "ab"[i % 2], 2010 + i % 12, *kinds[i % 3]) for i in range(20_000))
            out.write(chunk)
            written += len(chunk)
            rows += 20_000
    return rows


def run_large(work: Path, megabytes: int = LARGE_MB) -> Outcome:
    """A 100 MB applicants file: the browser upload refuses it by size; a command-line refresh reads all of it."""
    case = Case("large_file", f"a {megabytes} MB applicants file ({megabytes} MB generated, never committed)",
                "accepted", replaces="applicants.csv", path=work / "large" / "applicants.csv")
    case.source_file.parent.mkdir(parents=True)
    rows = large_applicants(case.source_file, megabytes)
    upload = "; ".join(uploads.refused_reasons([("applicants.csv", case.source_file.read_bytes())],
                                               config.upload_limit_mb()))
    source = source_of(case, work / "large-run")
    clock = time.perf_counter()
    result = pipeline.refresh(source, work / "large-wh", as_of=AS_OF)
    seconds = time.perf_counter() - clock
    count = None
    if result.outcome == "published":
        con = duckdb.connect(str(result.snapshot), read_only=True)
        count = con.execute("select count(*) from main.applicant_facts").fetchone()[0]
        con.close()
    out = Outcome(case, result.outcome, count == rows, False, seconds=seconds, upload=upload)
    out.said = [f"{rows:,} applicant rows read, {count if count is not None else 'none'} in the marts"]
    out.why = "" if out.correct else f"{result.message}; {count} of {rows} rows"
    return out
