"""Completion page: completion rate and time to degree by cohort and program, attrition, trainees past nominal
length and completion within eight and ten years — against hand counts on tests/fixtures/small."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import pandas as pd

from tests.conftest import SMALL, build, chosen, every_tab, open_page, plotted, rendered, show_every_table

SECTIONS = {"completion_rate": "rate", "time_to_degree": "time", "attrition": "attrition",
            "past_nominal": "past_nominal"}


def shown_table(at, key: str, column: str) -> pd.DataFrame:
    """Show the figure's section, turn on its "Show data" toggle and return its table (known by a column only it
    has)."""
    at.session_state["completion_section"] = SECTIONS[key]
    at.run()
    at.toggle(key=f"{key}_show").set_value(True).run()
    return next(d.value for d in at.dataframe if column in d.value.columns)


def section_table(at, section: str, column: str) -> pd.DataFrame:
    """The table of a section that is a table (known by a column only it has)."""
    at.session_state["completion_section"] = section
    return next(d.value for d in at.run().dataframe if column in d.value.columns)


def hand_years_to_degree() -> pd.DataFrame:
    """Graduates' elapsed years from start to degree, straight from trainees.csv (days / 365.25)."""
    trainees = pd.read_csv(SMALL / "trainees.csv", parse_dates=["start_date", "end_date"])
    graduates = trainees[trainees["status"] == "graduated"].copy()
    graduates["years"] = (graduates["end_date"] - graduates["start_date"]).dt.days / 365.25
    return graduates


def links(at) -> dict[str, tuple[str, dict]]:
    return {link.proto.label: (link.proto.page, parse_qs(link.proto.query_string)) for link in at.get("page_link")}


def test_completion_rate_and_median_time_to_degree_per_cohort_and_program_match_hand_count(small_warehouse):
    at = open_page("completion")
    assert not at.exception
    table = shown_table(at, "completion_rate", "Graduated")
    got = {(r["Cohort year"], r["Program"]): (r["Entrants"], r["Graduated"], round(r["Completion rate"], 3))
           for _, r in table.iterrows()}
    # 2018 PhD T01 T02 graduated, T03 withdrew; 2019 PhD T06 graduated, T04 on leave, T05 transferred;
    # 2020 fellowship T07 T08 T12 graduated; 2021 fellowship T09 active; 2021 certificate T10 graduated, T11 active.
    assert got == {
        (2018, "Test PhD Program"): (3, 2, 0.667),
        (2019, "Test PhD Program"): (3, 1, 0.333),
        (2020, "Test Informatics Fellowship"): (3, 3, 1.0),
        (2021, "Test Certificate"): (2, 1, 0.5),
        (2021, "Test Informatics Fellowship"): (1, 0, 0.0),
    }
    table = shown_table(at, "time_to_degree", "Median years to degree")
    got = {(r["Cohort year"], r["Program"]): r["Median years to degree"] for _, r in table.iterrows()}
    years = hand_years_to_degree().set_index("trainee_id")["years"]
    expected = {
        (2018, "Test PhD Program"): (years["T01"] + years["T02"]) / 2,  # two graduates: the mean of the middle two
        (2019, "Test PhD Program"): years["T06"],
        (2020, "Test Informatics Fellowship"): years["T07"],  # T07 and T12 both 729 days, T08 1094
        (2021, "Test Certificate"): years["T10"],
    }
    assert {k: round(v, 6) for k, v in got.items() if pd.notna(v)} == {k: round(v, 6) for k, v in expected.items()}
    assert pd.isna(got[(2021, "Test Informatics Fellowship")])  # nobody graduated yet


def test_attrition_and_trainees_past_nominal_length_match_hand_counts(small_warehouse):
    at = open_page("completion")
    table = shown_table(at, "attrition", "Outcome")
    got = {(r["Cohort year"], r["Outcome"]): r["Trainees"] for _, r in table.iterrows() if r["Trainees"]}
    # T03 (2018) withdrew with an SM; T05 (2019) transferred; nobody else left without the degree.
    assert got == {(2018, "Withdrew with a terminal degree"): 1, (2019, "Transferred"): 1}
    table = section_table(at, "past_nominal", "Enrolled longer than nominal length")
    got = {r["Program"]: (r["Nominal length (years)"], r["Still enrolled"], r["Enrolled longer than nominal length"])
           for _, r in table.iterrows()}
    # As of 2026-06-30: T04 (PhD, on leave since 2019-09) 6.8 y > 5; T09 (fellowship, since 2021-07) 5.0 y > 2;
    # T11 (certificate, since 2021-09) 4.8 y > 1.
    assert got == {"Test Certificate": (1, 1, 1), "Test PhD Program": (5, 1, 1),
                   "Test Informatics Fellowship": (2, 1, 1)}


def test_filters_narrow_every_figure_and_the_drill_links_carry_them(small_warehouse):
    at = open_page("completion", query={"program": "p_phd", "from": "2019"})
    assert not at.exception
    table = shown_table(at, "completion_rate", "Graduated")
    # PhD cohort 2019: T04 on leave, T05 transferred, T06 graduated.
    assert table[["Cohort year", "Entrants", "Graduated"]].values.tolist() == [[2019, 3, 1]]
    attrition = shown_table(at, "attrition", "Outcome")
    assert attrition[attrition["Trainees"] > 0][["Cohort year", "Outcome", "Trainees"]].values.tolist() == [
        [2019, "Transferred", 1]]
    past = section_table(at, "past_nominal", "Enrolled longer than nominal length")
    assert past[["Program", "Enrolled longer than nominal length"]].values.tolist() == [["Test PhD Program", 1]]
    shared = {"program": ["p_phd"], "from": ["2019"]}
    drills = {label: target for view in every_tab(at) for label, target in links(view).items()
              if label.startswith("Show ")}
    assert drills == {
        "Show the graduates": ("trainees", shared | {"status": ["graduated"]}),
        "Show the trainees who withdrew": ("trainees", shared | {"status": ["withdrawn"]}),
        "Show the trainees who transferred": ("trainees", shared | {"status": ["transferred"]}),
        "Show the trainees past nominal length": ("trainees", shared | {"past_nominal": ["1"]}),
    }


def test_completion_within_eight_and_ten_years_once_the_window_has_passed(tmp_path, monkeypatch):
    warehouse = tmp_path / "wh"
    assert build(SMALL, warehouse, as_of=dt.date(2030, 6, 30)).outcome == "published"
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse))
    got, names = {}, {}
    for view in every_tab(open_page("completion"), show_every_table):  # a view per program
        if "completion_within_program" not in chosen(view):
            continue  # another section
        label = chosen(view)["completion_within_program"]
        for frame in (d.value for d in view.dataframe if "Window" in d.value.columns):
            got |= {(label, r["Cohort year"], r["Window"]): (r["Entrants"], r["Graduated within the window"])
                    for _, r in frame.iterrows()}
        for chart in view.get("plotly_chart"):
            if chart.key.startswith("completion_within_"):
                names[label] = sorted(plotted(chart))
    # Years to degree: T01 4.7, T02 5.7, T06 5.0, T07 T12 2.0, T08 3.0, T10 0.8 — all within eight years.
    # Eight years after entry have passed by 2030-06-30 for every cohort (the last start is 2021-09-01);
    # ten years only for 2018 and 2019 (cohort 2020 started 2020-07-01: ten years on 2030-07-01). Each program apart.
    phd, post, cert = "Test PhD Program", "Test Informatics Fellowship", "Test Certificate"
    assert got == {
        (phd, 2018, "Within 8 years"): (3, 2), (phd, 2019, "Within 8 years"): (3, 1),
        (phd, 2018, "Within 10 years"): (3, 2), (phd, 2019, "Within 10 years"): (3, 1),
        (post, 2020, "Within 8 years"): (3, 3), (post, 2021, "Within 8 years"): (1, 0),
        (cert, 2021, "Within 8 years"): (2, 1),
    }
    assert names[phd] == ["Within 10 years", "Within 8 years"] and names[cert] == ["Within 8 years"]


def test_cohorts_still_in_progress_are_left_out_of_rates_and_named(tmp_path, monkeypatch):
    # As of 2023-06-30 in progress (until 1 July of cohort + nominal years): PhD 2018 and 2019 (5 years), fellowship
    # 2021 (2 years). Settled: fellowship 2020 (T07 T08 T12 graduated: 100%) and certificate 2021 (T10 of 2: 50%).
    assert build(SMALL, tmp_path / "wh", as_of=dt.date(2023, 6, 30)).outcome == "published"
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "wh"))
    at = open_page("completion")
    rates = plotted(next(c for c in at.get("plotly_chart") if c.key == "completion_rate_chart"))
    assert rates == {"Test Certificate": {2021: 0.5}, "Test Informatics Fellowship": {2020: 1.0}}
    note = "left out: Test PhD Program 2018–2019; Test Informatics Fellowship 2021."
    assert any(note in rendered(c.value) for c in at.caption)  # under the rates
    at = open_page("completion", section="time")
    assert any(note in rendered(c.value) for c in at.caption)  # and under the time to degree
    times = plotted(next(c for c in at.get("plotly_chart") if c.key == "time_to_degree_chart"))
    assert set(times) == {"Test Certificate", "Test Informatics Fellowship"}


def test_no_cohort_old_enough_says_so(small_warehouse):
    at = open_page("completion", section="within")
    # As of 2026-06-30 even cohort 2018 (started 2018-09-01) has not had eight years.
    assert any("No cohort in this selection entered long enough ago" in i.value for i in at.info)


def test_leadership_sees_the_exact_figures_and_no_way_to_the_trainees(small_warehouse):
    at = open_page("completion", role="leadership")
    assert not at.exception
    table = shown_table(at, "completion_rate", "Graduated")
    # As for administrators (hand count above): the 2018 PhD cohort is 3 entrants, 2 graduates.
    row = table[(table["Cohort year"] == 2018) & (table["Program"] == "Test PhD Program")].iloc[0]
    assert (row["Entrants"], row["Graduated"]) == (3, 2)
    past = section_table(at, "past_nominal", "Enrolled longer than nominal length")
    assert past["Enrolled longer than nominal length"].tolist() == [1, 1, 1]
    assert not [label for view in every_tab(at) for label in links(view) if label.startswith("Show ")]


def test_a_selection_with_nobody_says_so_plainly(small_warehouse):
    for view in every_tab(open_page("completion", query={"program": "p_cert", "citizenship": "unknown"})):
        assert not view.exception
        assert any("No trainees match these filters" in i.value or "No cohort in this selection" in i.value
                   for i in view.info)
        assert not view.get("plotly_chart") and not view.dataframe

