"""Shared fixtures: real warehouses built by the real ETL from small source folders."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import pipeline
from etl.marts import MARTS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small"
AS_OF = dt.date(2026, 6, 30)

# The grain of every mart as the spec states it (issue 2, section 5): the columns that identify a row.
MART_KEYS = {
    "trainee_facts": ["trainee_id"],
    "trainee_directory": ["trainee_id"],
    "applicant_facts": ["applicant_id"],
    "appointment_facts": ["appointment_id"],
    "milestone_facts": ["trainee_id", "milestone_date", "milestone"],
    "position_facts": ["position_id"],
    "nrsa_stipend_levels": ["fiscal_year", "career_level", "experience_years"],
    "cohort_funnel": ["program_id", "cycle_year"],
    "cohort_sizes": ["program_id", "track_id", "cohort_year"],
    "track_distribution": ["program_id", "cohort_year", "track_id"],
    "completion": ["program_id", "cohort_year"],
    "career_outcomes": [
        "program_id",
        "track_id",
        "completion_year",
        "position_kind",
        "sector",
        "career_type",
        "role_group",
    ],
    "stipend_funding": ["fiscal_year", "program_id", "funding_source"],
    "stipend_vs_nrsa": ["appointment_id"],
}


def build(source: Path, warehouse: Path, **kw) -> pipeline.RunResult:
    """Run the real refresh of source into warehouse (as of AS_OF unless given)."""
    kw.setdefault("as_of", AS_OF)
    return pipeline.refresh(source, warehouse, **kw)


def read_marts(snapshot: Path) -> dict[str, pd.DataFrame]:
    """Every mart of a snapshot file as a data frame, read-only."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return {name: con.execute(f"select * from main.{name}").df() for name in MARTS}
    finally:
        con.close()


def fingerprint(warehouse: Path) -> dict[str, str]:
    """The published pointer and every kept snapshot file of a warehouse, by content hash."""
    import hashlib

    paths = [warehouse / "published.json", *sorted((warehouse / "snapshots").glob("*.duckdb"))]
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def copy_source(tmp_path: Path, source: Path = SMALL, name: str = "src") -> Path:
    """A writable copy of a fixture source folder, for tests that change it."""
    target = tmp_path / name
    shutil.copytree(source, target)
    return target


@pytest.fixture(scope="session")
def small_snapshot(tmp_path_factory) -> Path:
    """The published snapshot file built from the small fixture (shared, read-only)."""
    warehouse = tmp_path_factory.mktemp("small_warehouse")
    result = build(SMALL, warehouse)
    assert result.outcome == "published", result.message
    return result.snapshot


@pytest.fixture(scope="session")
def small_marts(small_snapshot) -> dict[str, pd.DataFrame]:
    """Every mart of the small fixture's snapshot."""
    return read_marts(small_snapshot)


@pytest.fixture
def small_con(small_snapshot):
    """A read-only connection to the small fixture's snapshot."""
    con = duckdb.connect(str(small_snapshot), read_only=True)
    yield con
    con.close()


def open_page(page: str, role: str = "administrator", query: dict | None = None, timeout: int = 60,
              section: str | None = None):
    """Run the real app shell with `page` selected, as `role` (local mode), optionally with URL query parameters and
    one of the page's sections shown (layout.section; the first by default).

    Set WAREHOUSE_DIR (monkeypatch.setenv) to the warehouse to read before calling."""
    from streamlit.testing.v1 import AppTest

    script = (
        f"import sys\nsys.path.insert(0, {str(PROJECT_ROOT)!r})\n"
        f"from dashboard import shell\nshell.run(default={page!r})\n"
    )
    at = AppTest.from_string(script, default_timeout=timeout)
    at.session_state["view_as"] = role
    if section:
        at.session_state[f"{page}_section"] = section
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def lazy_tabs(at) -> dict[str, dict]:
    """The page's view choosers whose content runs only for the view chosen (layout.views): key -> {option: label}
    (the shared filters' presets are not views)."""
    out: dict[str, dict] = {}
    for group in at.get("button_group"):
        if group.key and not group.key.startswith("f_"):
            labels = getattr(group.format_func, "__self__", None)  # layout.views formats with {option: label}.get
            out[group.key] = {o: rendered(label) for o, label in labels.items()} if isinstance(labels, dict) \
                else {o: rendered(o) for o in group.options}
    return out


def chosen(at) -> dict[str, str]:
    """The label of the view each chooser of the page shows (layout.views): key -> label."""
    return {group.key: rendered(group.options[group.indices[0]]) for group in at.get("button_group")
            if group.key and not group.key.startswith("f_") and group.indices}


def every_tab(at, prepare=lambda at: at, _done: frozenset = frozenset()):
    """The page once with each view of each view chooser shown in turn (sections, and the choosers inside each
    section; the page as it is when it has none), each run passed through prepare (e.g. turning on its tables)."""
    groups = {key: options for key, options in lazy_tabs(at).items() if key not in _done}
    if not groups:
        yield prepare(at)
        return
    key, options = next(iter(groups.items()))
    for option in options:
        at.session_state[key] = option
        yield from every_tab(at.run(), prepare, _done | {key})


@pytest.fixture
def small_warehouse(tmp_path, monkeypatch) -> Path:
    """A warehouse built from the small fixture, set as WAREHOUSE_DIR for the app."""
    warehouse = tmp_path / "wh"
    assert build(SMALL, warehouse).outcome == "published"
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse))
    return warehouse


@pytest.fixture
def small_app(small_snapshot, monkeypatch) -> Path:
    """The shared, read-only small-fixture warehouse (built once per worker), set as WAREHOUSE_DIR for the app.

    For tests that only read; tests that refresh or roll back build their own (small_warehouse)."""
    warehouse = small_snapshot.parent.parent
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse))
    return warehouse


def show_every_table(at):
    """Turn on every "Show data" toggle: those tables are exactly what the downloads hold."""
    for toggle in list(at.toggle):
        if toggle.key and toggle.key.endswith("_show") and not toggle.value:
            toggle.set_value(True)
    return at.run()


def numbers(array) -> list:
    """The values of a plotly data array as Streamlit sends it (a plain list, or base64 "bdata" with a dtype)."""
    import base64

    import numpy as np

    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def plotted(chart) -> dict[str, dict]:
    """A plotly chart element's bar and line traces: name -> {position: value} (horizontal bars by their category)."""
    import json

    out = {}
    for trace in json.loads(chart.proto.spec)["data"]:
        if trace.get("type") not in ("bar", "scatter"):
            continue
        across, along = ("y", "x") if trace.get("orientation") == "h" else ("x", "y")
        out[trace.get("name", "")] = dict(zip(numbers(trace[across]), numbers(trace[along]), strict=True))
    return out


def rendered(markdown: str) -> str:
    """Markdown source as the reader sees it: backslash escapes (dashboard.text.md) removed."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


def links_in(document: str) -> list[str]:
    """Every src and href of an HTML document (script bodies are data, not parsed for attributes)."""
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.urls: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.urls += [value for name, value in attrs if name in ("src", "href") and value]

    parser = Links()
    parser.feed(document)
    return parser.urls
