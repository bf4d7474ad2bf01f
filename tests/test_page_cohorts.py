"""Cohorts page: entrants by program and track, the funnel, the NIH Table 6 view, demographics — against hand
counts."""

from __future__ import annotations

import pandas as pd

from etl.contract import LABELS
from tests.conftest import SMALL, chosen, every_tab, open_page, plotted, show_every_table


def shown_table(at, toggle_key: str) -> pd.DataFrame:
    """Turn on a figure's "Show data" toggle and return the table it shows."""
    before = len(at.dataframe)
    at.toggle(key=toggle_key).set_value(True).run()
    assert len(at.dataframe) == before + 1
    frames = [d.value for d in at.dataframe]
    return next(f for f in frames if list(f.columns)[:1] == ["Cohort year"] and f is not None and len(f.columns) > 3)


def test_entrants_per_cohort_year_by_program_and_track(small_app):
    at = open_page("cohorts")
    table = shown_table(at, "entrants_show")
    got = {(r["Cohort year"], r["Program"], r["Track"]): r["Entrants"] for _, r in table.iterrows()}
    # trainees.csv: 2018 T01 Imaging, T02 Devices, T03 no track; 2019 T04 T05 Imaging, T06 Devices;
    # 2020 T07 T12 Clinical, T08 Bioinformatics; 2021 T09 Clinical, T10 T11 certificate (no track).
    assert got == {
        (2018, "Test PhD Program", "Imaging"): 1,
        (2018, "Test PhD Program", "Devices"): 1,
        (2018, "Test PhD Program", "No track"): 1,
        (2019, "Test PhD Program", "Imaging"): 2,
        (2019, "Test PhD Program", "Devices"): 1,
        (2020, "Test Informatics Fellowship", "Clinical Informatics"): 2,
        (2020, "Test Informatics Fellowship", "Bioinformatics"): 1,
        (2021, "Test Informatics Fellowship", "Clinical Informatics"): 1,
        (2021, "Test Certificate", "No track"): 2,
    }


def test_table_6_view_counts_applicants_and_entrants_eligible_for_support(small_app):
    at = open_page("cohorts", section="eligibility")
    table6 = next(d.value for d in at.dataframe if "Total applicant pool" in d.value.columns)
    row = table6[(table6["Program"] == "Test PhD Program") & (table6["Year"] == 2018)].iloc[0]
    # A01..A06: eligible A01 A03 A04 A06 (A02 temporary visa, A05 unknown); entrants A01 A02 A03, eligible A01 A03.
    assert (row["Total applicant pool"], row["Applicants eligible for support"]) == (6, 4)
    assert (row["New entrants"], row["New entrants eligible for support"]) == (3, 2)


def test_filters_narrow_every_figure(small_app):
    at = open_page("cohorts", query={"program": "p_post", "citizenship": "us_citizen"}, section="eligibility")
    table6 = next(d.value for d in at.dataframe if "Total applicant pool" in d.value.columns)
    # p_post US citizens: 2020 A11 A13 (both matriculated), 2021 A15 (matriculated).
    assert table6[["Year", "Total applicant pool", "New entrants"]].values.tolist() == [[2020, 2, 2], [2021, 1, 1]]


def test_leadership_sees_exact_counts_and_no_way_to_the_trainees(small_app):
    at = open_page("cohorts", role="leadership", section="eligibility")
    table6 = next(d.value for d in at.dataframe if "Total applicant pool" in d.value.columns)
    row = table6[(table6["Program"] == "Test PhD Program") & (table6["Year"] == 2018)].iloc[0]
    # As for administrators (hand count above): 6 applied, 4 eligible, 3 entered, 2 eligible entrants.
    assert (row["Total applicant pool"], row["Applicants eligible for support"], row["New entrants"]) == (6, 4, 3)
    assert not any(link.proto.label == "Show these trainees"
                   for view in every_tab(at) for link in view.get("page_link"))


def test_a_selection_with_nobody_says_so_plainly(small_app):
    at = open_page("cohorts", query={"program": "p_cert", "citizenship": "unknown"})
    assert not at.exception
    assert any("No trainees match these filters" in i.value for i in at.info)


def test_demographics_by_cohort_in_each_tab_match_a_count_of_the_fixture(small_app):
    trainees = pd.read_csv(SMALL / "trainees.csv")
    trainees["urm"] = trainees["is_urm"].map({True: "URM", False: "Not URM"})
    expected = {}
    for dimension, column in (("Gender", "gender"), ("URM", "urm"), ("Citizenship", "citizenship")):
        counted = trainees.groupby(["cohort_year", column]).size()
        expected[dimension] = {(year, LABELS.get(value, value)): n for (year, value), n in counted.items()}
    got = {}
    for view in every_tab(open_page("cohorts"), show_every_table):  # a tab's chart and table run only while open
        if "cohorts_dimension" not in chosen(view):
            continue  # another section
        label = chosen(view)["cohorts_dimension"]
        (table,) = [d.value for d in view.dataframe if list(d.value.columns) == ["Cohort year", label, "Entrants"]]
        got[label] = {(r["Cohort year"], r[label]): r["Entrants"] for _, r in table.iterrows()}
        assert len([c for c in view.get("plotly_chart") if c.key.startswith("demographics_")]) == 1
    assert got == expected
    assert sum(expected["Gender"].values()) == len(trainees) == 12


def test_admit_rate_and_yield_are_drawn_per_program(small_app):
    charts = {}
    for view in every_tab(open_page("cohorts")):
        charts |= {c.key: plotted(c) for c in view.get("plotly_chart") if c.key.startswith("rates_")}
    # applicants.csv, p_post: cycle 2020 A11-A14 applied, A11-A13 admitted, 3 matriculated -> admit 3/4, yield 3/3;
    # cycle 2021 A15 A16 applied, A15 admitted and matriculated -> admit 1/2, yield 1/1.
    assert charts["rates_p_post_chart"] == {"Admit rate": {2020: 0.75, 2021: 0.5}, "Yield": {2020: 1.0, 2021: 1.0}}
    assert set(charts) == {"rates_p_phd_chart", "rates_p_post_chart", "rates_p_cert_chart"}


def test_each_programs_bar_is_its_whole_cohort_so_its_hover_says_the_programs_entrants(small_app):
    chart = next(c for c in open_page("cohorts").get("plotly_chart") if c.key == "entrants_chart")
    # trainees.csv: PhD 2018 T01-T03, 2019 T04-T06; fellowship 2020 T07 T08 T12, 2021 T09; certificate 2021 T10 T11
    # (the PhD's and the fellowship's tracks are one bar each, not a bar per track).
    assert plotted(chart) == {"Test PhD Program": {2018: 3, 2019: 3}, "Test Informatics Fellowship": {2020: 3, 2021: 1},
                              "Test Certificate": {2021: 2}}
