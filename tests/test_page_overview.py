"""Overview page: one academic year's KPIs against the year before, worked out by hand from tests/fixtures/small.

Academic year Y runs from 1 July Y to 30 June Y+1. The fixture's trainees (start -> end, status):
T01 p_phd 2018 2018-09-01 -> 2023-05-31 graduated (AY2022), current role academic
T02 p_phd 2018 2018-09-01 -> 2024-05-31 graduated (AY2023), current role industry (P03 wins the 2024 tie)
T03 p_phd 2018 2018-09-01 -> 2020-06-30 withdrawn
T04 p_phd 2019 2019-09-01 -> (open) on leave
T05 p_phd 2019 2019-09-01 -> 2020-12-31 transferred
T06 p_phd 2019 2019-09-01 -> 2024-08-31 graduated (AY2024), current role academic
T07 p_post 2020 2020-07-01 -> 2022-06-30 graduated (AY2021), current role CIO & informatics leadership
T08 p_post 2020 2020-07-01 -> 2023-06-30 graduated (AY2022), no open position (unknown)
T12 p_post 2020 2020-07-01 -> 2022-06-30 graduated (AY2021), no positions (unknown)
T09 p_post 2021 2021-07-01 -> (open) active
T10 p_cert 2021 2021-09-01 -> 2022-06-30 graduated (AY2021), current role further training
T11 p_cert 2021 2021-09-01 -> (open) active
"""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs

import numpy as np
import pandas as pd

from tests.conftest import build, copy_source, open_page


def metrics(at) -> dict[str, tuple[str, str | None]]:
    """Each whole-selection KPI's shown value and change (the per-program ones: see per_program)."""
    return {m.label: (m.value, m.delta or None) for m in at.metric
            if m.label not in ("Completion rate", "Median time to degree")}


def per_program(at) -> dict[str, dict[str, tuple[str, str | None]]]:
    """Completion rate and median time to degree of each program, in page order: program name -> label -> figure."""
    names = [m.value.split("**")[1] for m in at.markdown if m.value.startswith("**") and "(" in m.value]
    figures = [(m.label, (m.value, m.delta or None)) for m in at.metric
               if m.label in ("Completion rate", "Median time to degree")]
    return {name: dict(figures[2 * i:2 * i + 2]) for i, name in enumerate(names)}


def choose_year(at, year: int):
    at.selectbox(key="overview_year").set_value(year)
    return at.run()


def test_the_year_selector_offers_every_year_and_starts_at_the_latest_cohort(small_warehouse):
    at = open_page("overview")
    year = at.selectbox(key="overview_year")
    # First cohort 2018; last cohort 2021; the as-of date 2026-06-30 falls in academic year 2025-26.
    assert year.options == ["2025–26", "2024–25", "2023–24", "2022–23", "2021–22", "2020–21", "2019–20", "2018–19"]
    assert year.value == 2021


def test_kpis_of_the_latest_cohort_year_match_hand_counts(small_warehouse):
    at = open_page("overview")
    assert not at.exception
    # AY2021 (July 2021 - June 2022) against AY2020.
    # Entrants: cohort 2021 T09 T10 T11 = 3; cohort 2020 T07 T08 T12 = 3.
    # Active: enrolled at some time in the year. AY2021: all but T03 (left June 2020) and T05 (left Dec 2020) = 10.
    #   AY2020: T01 T02 T04 T05 T06 T07 T08 T12 = 8 (T03 left 30 June 2020; T09 T10 T11 started after June 2021).
    # Graduates: AY2021 T07 T12 (2022-06-30) and T10 (2022-06-30) = 3; AY2020 none.
    # Alumni graduated by June 2022: T07 (CIO), T10 (further training), T12 (unknown); by June 2021: none.
    # Stipends on appointments starting in AY2021: AP05 56,000 + AP07 0 + AP08 55,000 = 111,000; in AY2020: AP04
    # 53,000 + AP06 50,000 = 103,000 (the fixture labels them FY2022 and FY2021: labels are not used).
    assert metrics(at) == {
        "Entrants": ("3", "no change"),
        "Active trainees": ("10", "+2"),
        "Graduates": ("3", "+3"),
        "Academic": ("0", "no change"),
        "CIO / informatics leadership": ("1", "+1"),
        "Consulting": ("0", "no change"),
        "Stipends paid": ("$111,000", "+$8,000"),
    }
    # Per program (never one figure over a 1-year certificate, a 2-year fellowship and a 5-year PhD):
    # completion rate: cohort Y - nominal years: p_cert 2020, p_phd 2016, p_post 2019 -> nobody entered: no figure.
    # Median time to degree AY2021: p_cert T10 302 days = 0.8 y; p_post T07 and T12 729 days = 2.0 y; p_phd none.
    # AY2020 had no graduate, so no change is shown.
    assert per_program(at) == {
        "Test Certificate": {"Completion rate": ("—", None), "Median time to degree": ("0.8 y", None)},
        "Test Informatics Fellowship": {"Completion rate": ("—", None), "Median time to degree": ("2.0 y", None)},
        "Test PhD Program": {"Completion rate": ("—", None), "Median time to degree": ("—", None)},
    }


def test_completion_rate_of_the_cohort_whose_nominal_length_ran_out_per_program(small_warehouse):
    at = choose_year(open_page("overview"), 2023)
    # AY2023: p_phd cohort 2018 (T01 graduated May 2023, T02 May 2024, T03 withdrew) -> 2 of 3 by June 2024 = 67%;
    #   p_post cohort 2021 (T09 still active) -> 0 of 1 = 0%; p_cert cohort 2022: nobody.
    # AY2022: p_phd cohort 2017 nobody; p_post cohort 2020 T07 T08 T12 all graduated by June 2023 -> 100%;
    #   p_cert cohort 2021 T10 graduated, T11 active -> 50%. Changes: p_post 100% -> 0% = -100 pts.
    rates = {name: figures["Completion rate"] for name, figures in per_program(at).items()}
    assert rates == {"Test Certificate": ("—", None), "Test Informatics Fellowship": ("0%", "-100 pts"),
                     "Test PhD Program": ("67%", None)}


def test_filters_apply_but_the_cohort_range_does_not(small_warehouse):
    at = choose_year(open_page("overview", query={"program": "p_phd", "from": "2019"}), 2023)
    assert not at.exception
    # p_phd only, every cohort (from=2019 is ignored here). AY2023 = July 2023 - June 2024, against AY2022.
    # Entrants: no p_phd cohort 2023 or 2022.
    # Active AY2023: T02 (to May 2024), T04 (on leave), T06 (to Aug 2024) = 3; AY2022: T01 T02 T04 T06 = 4.
    # Graduates AY2023: T02; AY2022: T01. Median: T02 2018-09-01 -> 2024-05-31 = 2099 days = 5.7 y;
    #   T01 2018-09-01 -> 2023-05-31 = 1733 days = 4.7 y: change +1.0 y.
    # Completion rate AY2023: cohort 2018 T01 T02 graduated by June 2024, T03 withdrew: 2 / 3; AY2022: cohort 2017
    #   none, so no change is shown.
    # Alumni graduated by June 2024: T01 academic, T02 industry; by June 2023: T01 academic.
    # Stipends starting in AY2023: AP10 (T06, 2023-09-01) 28,224; AY2022: no p_phd appointment -> 0.
    assert metrics(at) == {
        "Entrants": ("0", "no change"),
        "Active trainees": ("3", "-1"),
        "Graduates": ("1", "no change"),
        "Academic": ("1", "no change"),
        "CIO / informatics leadership": ("0", "no change"),
        "Consulting": ("0", "no change"),
        "Stipends paid": ("$28,224", "+$28,224"),
    }
    assert per_program(at) == {"Test PhD Program": {"Completion rate": ("67%", None),
                                                    "Median time to degree": ("5.7 y", "+1.0 y")}}
    assert any("cohort-year range and “leave out cohorts still in progress” in the sidebar do not" in c.value
               for c in at.caption)


def test_each_kpi_links_to_its_page_with_the_filters(small_warehouse):
    at = open_page("overview", query={"program": "p_post"})
    links = [(link.proto.label, link.proto.page, parse_qs(link.proto.query_string))
             for link in at.get("page_link") if link.proto.label.startswith("See ")]
    assert [page for _, page, _ in links] == ["cohorts", "completion", "completion", "funding", "careers", "careers",
                                              "careers"]
    assert all(query == {"program": ["p_post"]} for _, _, query in links)


def test_the_trend_counts_entrants_and_graduates_per_academic_year(small_warehouse):
    at = choose_year(open_page("overview"), 2023)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    traces = {t["name"]: dict(zip(t["x"], _numbers(t["y"]), strict=True)) for t in spec["data"]}
    # Ten years back from 2023-24 would start in 2014-15; the data starts with cohort 2018.
    # Entrants: three per cohort 2018-2021. Graduates: AY2021 T07 T10 T12; AY2022 T01 T08; AY2023 T02.
    assert traces == {
        "Entrants": {"2018–19": 3, "2019–20": 3, "2020–21": 3, "2021–22": 3, "2022–23": 0, "2023–24": 0},
        "Graduates": {"2018–19": 0, "2019–20": 0, "2020–21": 0, "2021–22": 3, "2022–23": 2, "2023–24": 1},
    }


def test_leadership_sees_the_same_exact_figures_as_administrators(small_warehouse):
    for year in (2021, 2022, 2023):
        leadership = choose_year(open_page("overview", role="leadership"), year)
        administrator = choose_year(open_page("overview"), year)
        assert not leadership.exception
        assert [(m.label, m.value, m.delta) for m in leadership.metric] == \
            [(m.label, m.value, m.delta) for m in administrator.metric]
        assert "<5" not in str([m.value for m in leadership.metric])


def test_a_longer_time_to_degree_reads_as_worse_and_a_higher_completion_rate_as_better(small_warehouse):
    at = choose_year(open_page("overview", query={"program": "p_phd"}), 2023)
    time = next(m for m in at.metric if m.label == "Median time to degree")
    assert time.delta == "+1.0 y" and time.proto.color == time.proto.RED  # +1 year is worse: red, not green
    at = choose_year(open_page("overview", query={"program": "p_post"}), 2022)
    rate = next(m for m in at.metric if m.label == "Completion rate")
    # AY2022 p_post cohort 2020: 3 of 3 = 100%; AY2021 cohort 2019: nobody -> no change shown.
    assert rate.value == "100%"
    entrants = next(m for m in at.metric if m.label == "Entrants")
    assert entrants.proto.color == entrants.proto.GRAY  # more or fewer entrants is neither good nor bad


def test_a_selection_with_nobody_says_so_plainly(small_warehouse):
    at = open_page("overview", query={"program": "p_cert", "citizenship": "unknown"})
    assert not at.exception
    assert any("No trainees match these filters" in i.value for i in at.info)
    assert not at.metric and not at.get("plotly_chart")


def _numbers(array) -> list[float]:
    """Values of a plotly data array (plain list or base64 "bdata")."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def test_stipends_follow_appointment_dates_not_fiscal_year_labels(tmp_path, monkeypatch):
    # Label every appointment by the fiscal year it starts in (AP05, from 2021-07-01, becomes FY2021): the KPI
    # counts appointments that began in the academic year, so AY2021 still sums AP05 + AP07 + AP08 = 111,000.
    source = copy_source(tmp_path)
    appointments = pd.read_csv(source / "appointments.csv", dtype=str, keep_default_na=False)
    appointments["fiscal_year"] = appointments["start_date"].str[:4]
    appointments.to_csv(source / "appointments.csv", index=False)
    assert build(source, tmp_path / "wh").outcome == "published"
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "wh"))
    assert metrics(open_page("overview"))["Stipends paid"] == ("$111,000", "+$8,000")


def test_a_fall_in_dollars_reads_as_a_fall(small_warehouse):
    # AY2022 (July 2022 - June 2023): AP09 59,592 against AY2021's 111,000 -> -51,408, with a downward arrow.
    at = choose_year(open_page("overview"), 2022)
    stipends = next(m for m in at.metric if m.label == "Stipends paid")
    assert (stipends.value, stipends.delta) == ("$59,592", "-$51,408")
    assert stipends.proto.direction == stipends.proto.DOWN


def test_leaving_out_cohorts_in_progress_does_not_change_the_years_figures(small_warehouse):
    # The year's entrants are in progress by definition: the toggle applies to cohort charts, not to the Overview.
    assert metrics(open_page("overview", query={"settled": "yes"})) == metrics(open_page("overview"))
