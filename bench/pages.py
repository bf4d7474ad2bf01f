"""Page timings with AppTest: cold (empty caches), warm (same filters), after a filter change; the empty-page floor;
each run split into queries, figures and the rest; and the bare DuckDB time of the queries the page ran."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

import duckdb
import streamlit as st
from streamlit.testing.v1 import AppTest

from bench import probe
from etl.config import PROJECT_ROOT

# Every page, as the role that opens it (the refresh page is data staff's).
PAGES = {"overview": "administrator", "cohorts": "administrator", "tracks": "administrator",
         "careers": "administrator", "funding": "administrator", "completion": "administrator",
         "trainees": "administrator", "reports": "administrator", "about": "administrator", "refresh": "data_staff"}
FILTER = ("f_citizenship", ["us_citizen"])  # the filter change: US citizens only
TIMEOUT = 600
EMPTY = "import streamlit as st\nst.title('Empty')\nst.write('Nothing to compute.')\n"


@dataclass
class PageRun:
    """One timed script run: wall seconds, and the seconds in queries and figures."""

    seconds: float
    queries: float
    figures: float

    @property
    def rest(self) -> float:
        """Everything else: Streamlit, widgets, tables, the shell."""
        return max(0.0, self.seconds - self.queries - self.figures)


@dataclass
class PageTimes:
    """A page's runs over the repetitions, and the bare DuckDB time of the queries its cold run ran."""

    page: str
    cold: list[PageRun] = field(default_factory=list)
    warm: list[PageRun] = field(default_factory=list)
    changed: list[PageRun] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    queries: int = 0


def _script(page: str) -> str:
    return (f"import sys\nsys.path.insert(0, {str(PROJECT_ROOT)!r})\n"
            f"from dashboard import shell\nshell.run(default={page!r})\n")


def _timed(at: AppTest, watch: probe.Probe) -> PageRun:
    """Run the script once and time it; a page that raises is an error, not a figure."""
    watch.reset()
    start = time.perf_counter()
    at.run(timeout=TIMEOUT)
    seconds = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].message}")
    return PageRun(seconds, watch.seconds["queries"], watch.seconds["figures"])


def clear_caches() -> None:
    """Empty Streamlit's data and resource caches (a new snapshot published, or a server just started)."""
    st.cache_data.clear()
    st.cache_resource.clear()


def bare(snapshot_path: str, queries: list[tuple[str, dict]]) -> float:
    """Seconds to run each distinct query once on a fresh read-only connection, fetched as a DataFrame."""
    distinct = {(sql, repr(sorted(params.items()))): (sql, params) for sql, params in queries}
    con = duckdb.connect(snapshot_path, read_only=True)
    try:
        start = time.perf_counter()
        for sql, params in distinct.values():
            con.execute(sql, params).df()
        return time.perf_counter() - start
    finally:
        con.close()


def time_page(page: str, role: str, snapshot_path: str, repeat: int) -> PageTimes:
    """Cold, warm and filter-changed runs of one page, and its queries' floor, repeat times each."""
    out = PageTimes(page)
    with probe.attached() as watch:
        for _ in range(repeat):
            clear_caches()
            at = AppTest.from_string(_script(page), default_timeout=TIMEOUT)
            at.session_state["view_as"] = role
            out.cold.append(_timed(at, watch))
            ran = list(watch.queries)
            out.warm.append(_timed(at, watch))
            at.multiselect(key=FILTER[0]).set_value(FILTER[1])
            out.changed.append(_timed(at, watch))
            out.queries = len({sql for sql, _ in ran})
            out.floor.append(bare(snapshot_path, ran))
    return out


def time_empty(repeat: int) -> list[float]:
    """Seconds for a page that computes nothing: the Streamlit floor under AppTest."""
    at = AppTest.from_string(EMPTY, default_timeout=TIMEOUT)
    at.run()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        at.run()
        runs.append(time.perf_counter() - start)
    return runs


def median(values: list[float]) -> float:
    """The median, or nan when nothing was measured."""
    return statistics.median(values) if values else float("nan")
