"""Every view tells the truth: leadership reads the same exact aggregates as administrators (never names), every
bar chart adds up to the same totals for every role, and a category has one colour and one label on every page and
in the report."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from dashboard import roles
from tests.conftest import FIXTURES, SMALL, build, every_tab, numbers, open_page, show_every_table

AGGREGATE_PAGES = [p.key for p in roles.PAGES if "leadership" in p.roles]
CHART_PAGES = ["overview", "cohorts", "tracks", "careers", "funding", "completion", "reports"]


def bar_totals(at) -> dict[str, dict]:
    """Every bar and line chart of a page (each tab opened in turn), by key: what each bar position adds up to (per
    series when bars are grouped side by side), and each line's points."""
    out: dict[str, dict] = {}
    for view in every_tab(at):
        for chart in view.get("plotly_chart"):
            spec = json.loads(chart.proto.spec)
            traces = [t for t in spec["data"] if t.get("type") in ("bar", "scatter")]
            if not traces:
                continue
            stacked = spec["layout"].get("barmode") in (None, "stack", "relative")
            totals: dict = {}
            for trace in traces:
                across, along = ("y", "x") if trace.get("orientation") == "h" else ("x", "y")
                for position, value in zip(numbers(trace[across]), numbers(trace[along]), strict=True):
                    key = position if trace["type"] == "bar" and stacked else (trace.get("name"), position)
                    totals[key] = totals.get(key, 0) + (0 if value is None or value != value else value)
            out[chart.key] = totals
    return out


@pytest.mark.parametrize("role", ["leadership", "data_staff"])
@pytest.mark.parametrize("page", CHART_PAGES)
def test_every_bar_chart_adds_up_to_the_administrators_totals(small_app, page, role):
    assert roles.can_open(role, page)
    mine, theirs = bar_totals(open_page(page, role=role)), bar_totals(open_page(page))
    assert mine == theirs
    assert mine, f"{page} draws no chart"


def test_the_entrants_bars_add_up_to_a_count_of_the_trainees(small_app):
    totals = bar_totals(open_page("cohorts", role="leadership"))["entrants_chart"]
    counted = pd.read_csv(SMALL / "trainees.csv").groupby("cohort_year").size().to_dict()
    assert totals == counted  # 2018: 3, 2019: 3, 2020: 3, 2021: 3


def chart_styles(at) -> list[tuple[str, str, str]]:
    """(chart key, category, colour) for every series and Sankey node the page draws, each tab opened in turn."""
    out = []
    for view in every_tab(at):
        for chart in view.get("plotly_chart"):
            for trace in json.loads(chart.proto.spec)["data"]:
                if trace.get("type") == "bar":
                    out.append((chart.key, trace["name"], trace["marker"]["color"]))
                elif trace.get("type") == "scatter" and trace.get("mode") == "lines+markers":
                    out.append((chart.key, trace["name"], trace["line"]["color"]))
                elif trace.get("type") == "sankey":
                    for label, colour in zip(trace["node"]["label"], trace["node"]["color"], strict=True):
                        out.append((chart.key, label.split(": ", 1)[-1], colour))
    return out


def public_styles(tmp_path) -> list[tuple[str, str]]:
    """(category, colour) of every series the public outcomes output draws, on its hand-made fixture (the small one
    is too small to draw)."""
    from reports import public

    published = build(FIXTURES / "public", tmp_path / "public")
    outcomes = public.from_snapshot(public.Source(published.run_id, str(published.snapshot), ""))
    return [(trace.name, trace.marker.color) for program in outcomes.programs
            for _, figure, _ in public.charts(outcomes, program) if figure is not None for trace in figure.data]


def test_a_category_has_one_colour_on_every_page_in_the_report_and_the_public_output_whatever_the_filters(
        small_app, tmp_path):
    seen: dict[str, set[str]] = {}
    views = [open_page(page) for page in CHART_PAGES]
    views += [open_page(page, query={"program": "p_post"}) for page in ("cohorts", "funding", "careers", "tracks")]
    views += [open_page("funding", role="leadership")]
    for at in views:
        for _, name, colour in chart_styles(at):
            seen.setdefault(name, set()).add(colour)
    for name, colour in public_styles(tmp_path):
        seen.setdefault(name, set()).add(colour)
    assert {name: colours for name, colours in seen.items() if len(colours) > 1} == {}
    # The categories that carry meaning across pages are there to compare: programs, tracks, funding sources, …
    for name in ("Test PhD Program", "Test Informatics Fellowship", "Clinical Informatics", "NLM T15", "Academic",
                 "Female", "Initial position", "Admit rate", "Women", "Academia"):
        assert name in seen, name


def test_one_label_per_category_everywhere(small_app):
    for page in AGGREGATE_PAGES:
        for at in every_tab(open_page(page)):
            text = json.dumps([str(e) for e in at.main]) + "".join(c.proto.spec for c in at.get("plotly_chart"))
            assert "CIO & informatics leadership" not in text, page
            assert not re.search(r"\b(nlm_t15|cio_informatics_leadership|us_citizen|on_leave)\b", text.replace(
                "\\\\_", "_").replace("role_group=", "")), page


def test_names_never_reach_leadership(small_app):
    trainees = pd.read_csv(SMALL / "trainees.csv")
    private = set(trainees["given_name"]) | set(trainees["family_name"]) | set(trainees["email"]) | set(
        trainees["mentor"].dropna()) | set(trainees["research_topic"].dropna()) | set(trainees["trainee_id"])
    for page in AGGREGATE_PAGES:
        for at in every_tab(open_page(page, role="leadership"), show_every_table):
            emitted = json.dumps([str(e) for e in at.main]) + json.dumps([str(e) for e in at.sidebar])
            emitted += json.dumps([d.value.astype(str).values.tolist() for d in at.dataframe])
            emitted += "".join(c.proto.spec for c in at.get("plotly_chart"))
            leaked = sorted(p for p in private if re.search(rf"\b{re.escape(p)}\b", emitted))
            assert leaked == [], f"{page}: {leaked}"
            assert not [link for link in at.get("page_link") if link.proto.page == "trainees"], page
