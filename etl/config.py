"""Configuration from environment variables, with defaults that work on a fresh clone."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"
SQL_DIR = Path(__file__).resolve().parent / "sql"
# The built-in sample describes the programs as of this date, so its marts never depend on the day they are built.
SAMPLE_AS_OF = dt.date(2026, 6, 30)


def warehouse_dir(override: str | Path | None = None) -> Path:
    """The warehouse folder: --warehouse, else $WAREHOUSE_DIR, else data/warehouse."""
    if override:
        return Path(override)
    return Path(os.environ.get("WAREHOUSE_DIR") or PROJECT_ROOT / "data" / "warehouse")


def reference_dir() -> Path:
    """Reference data (NRSA stipend levels): $REFERENCE_DIR, else data/reference."""
    return Path(os.environ.get("REFERENCE_DIR") or PROJECT_ROOT / "data" / "reference")


def keep_snapshots() -> int:
    """How many snapshot files a warehouse keeps (the published one always among them): $KEEP_SNAPSHOTS, default 5."""
    return max(1, int(os.environ.get("KEEP_SNAPSHOTS", "5")))


def lock_wait_seconds() -> float:
    """How long a refresh waits for another one to finish before it is refused: $REFRESH_LOCK_WAIT, default 0."""
    return float(os.environ.get("REFRESH_LOCK_WAIT", "0"))


def local_role() -> str:
    """The role local mode starts in (no sign-in configured): $LOCAL_ROLE, default administrator."""
    return os.environ.get("LOCAL_ROLE", "administrator").strip().lower()


def suppression_threshold() -> int:
    """In the public outcomes output, counts above 0 and below this are suppressed: $SUPPRESSION_THRESHOLD, default
    5."""
    return max(1, int(os.environ.get("SUPPRESSION_THRESHOLD", "5")))


def upload_limit_mb() -> float:
    """The largest file an upload accepts, in megabytes: $UPLOAD_LIMIT_MB, default 50."""
    return float(os.environ.get("UPLOAD_LIMIT_MB", "50"))


def roles_file() -> Path:
    """Who holds which role when sign-in is configured: $ROLES_FILE, default .streamlit/roles.toml."""
    return Path(os.environ.get("ROLES_FILE", PROJECT_ROOT / ".streamlit" / "roles.toml"))


def chromium_path() -> str:
    """The Chromium that prints PDF reports: $CHROMIUM_PATH, default Debian's /usr/bin/chromium."""
    return os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


SETTINGS = {
    "WAREHOUSE_DIR": "folder holding snapshots, the published pointer and the run history (default data/warehouse)",
    "REFERENCE_DIR": "folder holding reference data such as NRSA stipend levels (default data/reference)",
    "KEEP_SNAPSHOTS": "how many snapshot files to keep for rollback (default 5)",
    "REFRESH_LOCK_WAIT": "seconds a refresh waits for a running one before it is refused (default 0)",
    "LOCAL_ROLE": "role the dashboard starts in on this machine: leadership, administrator or data_staff (default "
    "administrator)",
    "SUPPRESSION_THRESHOLD": "in the public outcomes output, counts above 0 and below this are suppressed (default 5)",
    "UPLOAD_LIMIT_MB": "largest file the browser upload accepts, in megabytes (default 50)",
    "CHROMIUM_PATH": "the Chromium that prints PDF reports (default /usr/bin/chromium)",
    "ROLES_FILE": "with sign-in: the file naming who holds which role (default .streamlit/roles.toml)",
}
