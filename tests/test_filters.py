"""Shared filters: initialised from the URL, written back to it, validated, and bound (never formatted) into SQL."""

from __future__ import annotations

import json

import duckdb

from dashboard import queries
from dashboard.filters import Filters
from tests.conftest import open_page


def funnel_people(at) -> list[int]:
    """The people per stage drawn in the Cohorts page's funnel chart."""
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if spec["data"][0]["type"] == "funnel":
            return [int(v) for v in _numbers(spec["data"][0]["x"])]
    raise AssertionError("no funnel chart")


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
    assert tuple(at.session_state["f_years"]) == (2019, 2021)
    assert at.session_state["f_genders"] == ["female"]
    assert at.session_state["f_urm"] == "no"
    # p_phd applicants of cycles 2019-2021 who are female and not URM: A09 only (A07 male, A08 nonbinary, A10 male).
    assert funnel_people(at) == [1, 1, 1, 1]


def test_changing_a_filter_updates_the_url(small_app):
    at = open_page("cohorts")
    assert "program" not in at.query_params
    at.multiselect(key="f_programs").set_value(["p_post"]).run()
    assert at.query_params["program"] in ("p_post", ["p_post"])
    at.slider(key="f_years").set_value((2020, 2020)).run()
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
