"""Leadership never sees a count from 1 to 4, anywhere a page puts one: tables (and so downloads), metrics, text,
chart data and hover. The small fixture is made of groups under 5, so nearly every figure is at stake here."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pandas as pd
import pytest

from dashboard import roles
from tests.conftest import every_tab, open_page

LEADERSHIP_PAGES = [p.key for p in roles.PAGES if "leadership" in p.roles]
# Columns that hold dimensions, not counts (years, bands, levels): small whole numbers there are labels.
DIMENSION = re.compile(r"year|band|level|stage|kind|rank", re.IGNORECASE)
# Pages whose markdown is documentation generated from code (the data dictionary, metric definitions), not data;
# their tables, metrics and charts are still scanned.
DOCUMENTATION_PAGES = {"about"}
SMALL_NUMBER_IN_TEXT = re.compile(r"(?<![\w.,–\-/$])([1-4])(?![\w.,%–\-/])")


def small(value) -> bool:
    """True for a count from 1 to 4 (as a number or as the text of a number)."""
    if isinstance(value, str):
        value = value.replace(",", "").strip()
        if not re.fullmatch(r"\d+(\.0+)?", value):
            return False
        value = float(value)
    if isinstance(value, bool) or value is None:
        return False
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return not np.isnan(number) and number.is_integer() and 1 <= number <= 4


def numbers(array) -> list:
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    if isinstance(array, list):
        out = []
        for item in array:
            out.extend(numbers(item) if isinstance(item, list | dict) else [item])
        return out
    return [array]


def chart_problems(spec: dict) -> list[str]:
    """Small counts in a plotly figure's data: values, hover text and custom data."""
    problems = []
    for trace in spec["data"]:
        kind = trace.get("type")
        horizontal = trace.get("orientation") == "h"
        keys = {"bar": ["x" if horizontal else "y", "text", "customdata", "hovertext"],
                "funnel": ["x", "text"], "scatter": ["text", "customdata", "hovertext"],
                "pie": ["values", "text"], "sankey": []}.get(kind, ["text", "customdata", "hovertext"])
        for key in keys:
            if key in trace:
                problems += [f"{kind}.{key}={v}" for v in numbers(trace[key]) if small(v)]
        if kind == "sankey":
            problems += [f"sankey link {v}" for v in numbers(trace.get("link", {}).get("value", [])) if small(v)]
    return problems


def show_every_table(at):
    """Turn on every "Show data" toggle: those tables are exactly what the downloads hold."""
    for toggle in list(at.toggle):
        if toggle.key and toggle.key.endswith("_show") and not toggle.value:
            toggle.set_value(True)
    return at.run()


@pytest.mark.parametrize("page", LEADERSHIP_PAGES)
def test_leadership_sees_no_count_from_one_to_four(small_app, page):
    problems: list[str] = []
    for at in every_tab(open_page(page, role="leadership"), show_every_table):  # each tab open in turn
        assert not at.exception, at.exception
        problems += small_counts_shown(at, page)
    assert problems == [], "\n".join(problems)


def small_counts_shown(at, page: str) -> list[str]:
    """Every count from 1 to 4 the page shows: in tables, metrics, text and chart data."""
    problems: list[str] = []
    for frame in (d.value for d in at.dataframe):
        for column in frame.columns:
            if DIMENSION.search(str(column)):
                continue
            problems += [f"table {column!r}: {v!r}" for v in frame[column].tolist() if small(v)]
    for metric in at.metric:
        if small(metric.value) or small(str(metric.value).split()[0] if metric.value else ""):
            problems.append(f"metric {metric.label}: {metric.value}")
    kinds = ("caption", "info", "warning", "success", "text")
    if page not in DOCUMENTATION_PAGES:
        kinds = ("markdown", *kinds)
    texts = [e.value for kind in kinds for e in getattr(at, kind)]
    for text in texts:
        if SMALL_NUMBER_IN_TEXT.search(str(text)):
            problems.append(f"text: {text!r}")
    for chart in at.get("plotly_chart"):
        problems += chart_problems(json.loads(chart.proto.spec))
    return problems


@pytest.mark.parametrize("page", LEADERSHIP_PAGES)
def test_administrators_see_the_exact_small_counts(small_app, page):
    for at in every_tab(open_page(page, role="administrator"), show_every_table):
        assert not at.exception, at.exception
        cells = [v for d in at.dataframe for col in d.value.columns for v in d.value[col].tolist()]
        assert "<5" not in [str(c) for c in cells]


def test_names_never_reach_leadership(small_app):
    trainees = pd.read_csv("tests/fixtures/small/trainees.csv")
    private = set(trainees["given_name"]) | set(trainees["family_name"]) | set(trainees["email"]) | set(
        trainees["mentor"].dropna()) | set(trainees["research_topic"].dropna())
    for page in LEADERSHIP_PAGES:
        for at in every_tab(open_page(page, role="leadership"), show_every_table):
            emitted = json.dumps([str(e) for e in at.main]) + json.dumps([str(e) for e in at.sidebar])
            emitted += json.dumps([d.value.astype(str).values.tolist() for d in at.dataframe])
            emitted += "".join(c.proto.spec for c in at.get("plotly_chart"))
            leaked = sorted(p for p in private if re.search(rf"\b{re.escape(p)}\b", emitted))
            assert leaked == [], f"{page}: {leaked}"
