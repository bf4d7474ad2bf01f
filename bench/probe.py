"""A probe on a page run: time spent in queries and in figure building, and the queries it ran."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import charts, snapshot

CHART_BUILDERS = ("bar", "line", "funnel", "sankey", "timeline")


@dataclass
class Probe:
    """Seconds per category (outermost calls only) and every query (sql, params) seen."""

    seconds: dict[str, float] = field(default_factory=lambda: {"queries": 0.0, "figures": 0.0})
    queries: list[tuple[str, dict]] = field(default_factory=list)
    _depth: dict[str, int] = field(default_factory=lambda: {"queries": 0, "figures": 0})

    def reset(self) -> None:
        """Start counting afresh (one page run)."""
        self.seconds = {k: 0.0 for k in self.seconds}
        self.queries = []

    def timed(self, category: str, function: Callable) -> Callable:
        """The function, with its time added to a category unless an outer call of the category is running."""
        def wrapper(*args, **kwargs):
            if category == "queries":
                self.queries.append((args[0], dict((args[1] if len(args) > 1 else kwargs.get("params")) or {})))
            if self._depth[category]:
                return function(*args, **kwargs)
            self._depth[category] += 1
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[category] += time.perf_counter() - start
                self._depth[category] -= 1
        wrapper.__wrapped__ = function
        return wrapper


@contextlib.contextmanager
def attached() -> Iterator[Probe]:
    """A probe on snapshot queries, the chart builders and plotly_chart (figure serialisation) for the block."""
    probe = Probe()
    targets = [(snapshot, "query", "queries"), (st, "plotly_chart", "figures"),
               (DeltaGenerator, "plotly_chart", "figures")]
    targets += [(charts, name, "figures") for name in CHART_BUILDERS]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in targets]
    try:
        for owner, name, category in targets:
            setattr(owner, name, probe.timed(category, getattr(owner, name)))
        yield probe
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)
