"""Shared filters: initialised from the URL, written back to it, validated, and bound (never formatted) into SQL."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

from dashboard import queries
from dashboard.filters import Filters
from tests.conftest import build, copy_source, lazy_tabs, open_page


def funnel_people(at) -> list[int]:
    """The people per stage of the Cohorts page's funnels (its Admissions section: one funnel per program),
    added up over the programs."""
    at.session_state["cohorts_section"] = "admissions"
    at.run()
    total = [0, 0, 0, 0]
    for program in lazy_tabs(at)["cohorts_rates_program"]:
        at.session_state["cohorts_rates_program"] = program
        for chart in at.run().get("plotly_chart"):
            spec = json.loads(chart.proto.spec)
            if spec["data"][0]["type"] == "funnel":
                total = [t + int(v) for t, v in zip(total, _numbers(spec["data"][0]["x"]), strict=True)]
    return total


def _numbers(array) -> list[float]:
    import base64

    import numpy as np

    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def test_a_shared_url_reopens_the_same_view(small_app):
    at = open_page("cohorts", query={"program": "p_phd", "from": "2019", "gender": "female", "urm": "no"})
    assert not at.exception
    assert at.session_state["f_programs"] == ["p_phd"]
    assert (at.session_state["f_from"], at.session_state["f_to"]) == (2019, 2021)
    assert at.session_state["f_genders"] == ["female"]
    assert at.session_state["f_urm"] == "no"
    # p_phd applicants of cycles 2019-2021 who are female and not URM: A09 only (A07 male, A08 nonbinary, A10 male).
    assert funnel_people(at) == [1, 1, 1, 1]


def test_changing_a_filter_updates_the_url(small_app):
    at = open_page("cohorts")
    assert "program" not in at.query_params
    at.multiselect(key="f_programs").set_value(["p_post"]).run()
    assert at.query_params["program"] in ("p_post", ["p_post"])
    at.number_input(key="f_from").set_value(2020).run()
    at.number_input(key="f_to").set_value(2020).run()
    assert at.query_params["from"] in ("2020", ["2020"]) and at.query_params["to"] in ("2020", ["2020"])
    # p_post cycle 2020: A11..A14 applied (4), all interviewed (4), admitted A11-A13 (3), matriculated 3.
    assert funnel_people(at) == [4, 4, 3, 3]


def test_unknown_or_hostile_url_values_are_ignored(small_app):
    at = open_page("cohorts", query={"program": "x'; drop table trainee_facts; --", "from": "abc", "urm": "maybe",
                                     "citizenship": "martian"})
    assert not at.exception
    assert at.session_state["f_programs"] == []
    assert at.session_state["f_urm"] == "all"
    assert at.session_state["f_citizenship"] == []
    assert funnel_people(at) == [18, 15, 11, 10]


def test_filter_values_are_bound_parameters_not_sql(small_snapshot):
    hostile = Filters(year_from=1900, year_to=2100, programs=("p_phd' or '1'='1",), genders=("female') or (1=1",))
    con = duckdb.connect(str(small_snapshot), read_only=True)
    try:
        rows = con.execute(queries._compose(queries.load("funnel_stages")), hostile.params()).fetchall()
        assert [people for _, people in rows] == [0, 0, 0, 0]
        assert con.execute("select count(*) from main.trainee_facts").fetchone()[0] == 12
    finally:
        con.close()


def entrants_by_year(at) -> dict[int, int]:
    """The Cohorts page's entrants chart: the total of each cohort year's stacked bar."""
    spec = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.key == "entrants_chart")
    totals: dict[int, int] = {}
    for trace in spec["data"]:
        for year, people in zip(_numbers(trace["x"]), _numbers(trace["y"]), strict=True):
            totals[int(year)] = totals.get(int(year), 0) + int(people)
    return totals


def older_fixture(tmp_path, monkeypatch) -> None:
    """The small fixture with T03 moved to cohort 2005 (bounds 2005-2021), published as WAREHOUSE_DIR."""
    source = copy_source(tmp_path)
    trainees = pd.read_csv(source / "trainees.csv", dtype=str, keep_default_na=False)
    trainees.loc[trainees["trainee_id"] == "T03", ["cohort_year", "start_date", "end_date"]] = \
        ["2005", "2005-09-01", "2007-06-30"]
    trainees.to_csv(source / "trainees.csv", index=False)
    assert build(source, tmp_path / "wh").outcome == "published"
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "wh"))


def test_the_cohort_range_opens_on_the_last_ten_cohorts_and_a_preset_shows_every_year(tmp_path, monkeypatch):
    older_fixture(tmp_path, monkeypatch)
    at = open_page("cohorts")
    # Cohorts 2005 (T03) and 2018-2021: the last ten are 2012-2021, so T03 is left out and the URL stays bare.
    assert (at.number_input(key="f_from").value, at.number_input(key="f_to").value) == (2012, 2021)
    assert at.session_state["f_preset"] == "last10"
    assert "from" not in at.query_params and "to" not in at.query_params
    # Entrants by hand: 2018 T01 T02 (T03 moved) = 2; 2019 T04 T05 T06 = 3; 2020 T07 T08 T12 = 3; 2021 T09 T10 T11 = 3.
    assert entrants_by_year(at) == {2018: 2, 2019: 3, 2020: 3, 2021: 3}
    at.button_group(key="f_preset").set_value("all").run()
    assert (at.number_input(key="f_from").value, at.number_input(key="f_to").value) == (2005, 2021)
    assert at.query_params["from"] in ("2005", ["2005"])
    assert entrants_by_year(at)[2005] == 1
    at.button_group(key="f_preset").set_value("last5").run()
    assert at.number_input(key="f_from").value == 2017 and at.query_params["from"] in ("2017", ["2017"])


def test_typing_a_year_leaves_the_preset_and_a_reversed_range_is_read_the_right_way_round(tmp_path, monkeypatch):
    older_fixture(tmp_path, monkeypatch)
    at = open_page("cohorts")
    at.number_input(key="f_from").set_value(2021).run()
    assert at.session_state["f_preset"] is None
    at.number_input(key="f_to").set_value(2019).run()
    assert entrants_by_year(at) == {2019: 3, 2020: 3, 2021: 3}
    assert any("showing cohorts 2019–2021" in c.value for c in at.sidebar.caption)


def test_cohorts_still_in_progress_can_be_left_out(tmp_path, monkeypatch):
    # As of 2023-06-30 a cohort is in progress until 1 July of cohort year + nominal years: p_phd (5 years) 2018 and
    # 2019 (to 2023-07-01, 2024-07-01) and p_post (2 years) 2021 (to 2023-07-01) are; p_post 2020 and p_cert 2021
    # (1 year) are not. Left: 2020 T07 T08 T12 = 3, 2021 T10 T11 = 2.
    assert build(copy_source(tmp_path), tmp_path / "wh", as_of=dt.date(2023, 6, 30)).outcome == "published"
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "wh"))
    at = open_page("cohorts", query={"settled": "yes"})
    assert at.toggle(key="f_settled").value is True
    assert entrants_by_year(at) == {2020: 3, 2021: 2}
    at.toggle(key="f_settled").set_value(False).run()
    assert "settled" not in at.query_params
    assert entrants_by_year(at) == {2018: 3, 2019: 3, 2020: 3, 2021: 3}


def test_a_shared_link_reopens_the_section_and_view_too(small_app):
    at = open_page("cohorts", query={"cohorts_section": "demographics", "cohorts_dimension": "URM"})
    assert [c.key for c in at.get("plotly_chart")] == ["demographics_urm_chart"]
    at.session_state["cohorts_dimension"] = "Citizenship"
    at.run()
    assert at.query_params["cohorts_dimension"] in ("Citizenship", ["Citizenship"])
    at.session_state["cohorts_section"] = "entrants"  # the first section: the address stays bare
    at.run()
    assert "cohorts_section" not in at.query_params
    unknown = open_page("cohorts", query={"cohorts_section": "nonsense"})  # an unknown view: the first one
    assert [c.key for c in unknown.get("plotly_chart")] == ["entrants_chart"]
