"""Trainees page (administrators only): the roster behind every drill-down link equals a hand count on the small
fixture, the shared filters and the search narrow it, and a selected trainee's timeline shows their records."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT, SMALL, build, copy_source, open_page, rendered


@pytest.fixture(scope="module")
def warehouse(small_snapshot):
    """The small fixture's published warehouse (built once per session), as WAREHOUSE_DIR for the app."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAREHOUSE_DIR", str(small_snapshot.parent.parent))
        yield small_snapshot.parent.parent


def roster(at) -> pd.DataFrame:
    """The roster table."""
    assert not at.exception, at.exception
    return next(d.value for d in at.dataframe if list(d.value.columns)[:2] == ["Trainee ID", "Name"])


def ids(at) -> list[str]:
    return sorted(roster(at)["Trainee ID"])


# Hand counts on tests/fixtures/small (as of 2026-06-30):
DRILL_DOWNS = [
    # graduated 2020 cohort: T07 T08 T12 (all p_post, all graduated)
    ({"status": "graduated", "cohort": "2020"}, ["T07", "T08", "T12"]),
    # active means active or on leave: T04 (on_leave), T09, T11
    ({"status": "active"}, ["T04", "T09", "T11"]),
    ({"status": "withdrawn"}, ["T03"]),
    # graduates by year of end_date: T07 T12 (2022-06-30), T10 (2022-06-30); T01 2023, T08 2023, T02 T06 2024
    ({"completion_year": "2022"}, ["T07", "T10", "T12"]),
    # alumni without an open position: T08 (P08 ended 2024), T12 (no positions); T03 T04 T05 T11 are not alumni
    ({"position_kind": "current", "role_group": "unknown"}, ["T08", "T12"]),
    # earliest position: T08 P08 consulting; T02's P03/P04 tie (2024) goes to P03 (industry)
    ({"position_kind": "initial", "role_group": "consulting"}, ["T08"]),
    # FY2022: AP05 T07, AP07 T08, AP08 T09
    ({"fiscal_year": "2022"}, ["T07", "T08", "T09"]),
    ({"fiscal_year": "2022", "funding_source": "nlm_t15"}, ["T07", "T09"]),
    # AP06: nlm_t15 with a temporary visa at appointment
    ({"finding": "nrsa_ineligible"}, ["T08"]),
    # still active past nominal_years: T04 (2019-09-01, 6.8 y > 5), T09 (2021-07-01, 5.0 y > 2), T11 (2021-09-01,
    # 4.8 y > 1); T05 transferred and the graduates are not active
    ({"past_nominal": "1"}, ["T04", "T09", "T11"]),
]


@pytest.mark.parametrize(("query", "expected"), DRILL_DOWNS, ids=[str(q) for q, _ in DRILL_DOWNS])
def test_each_drill_down_shows_exactly_the_trainees_behind_the_figure(warehouse, query, expected):
    at = open_page("trainees", query=query)
    assert ids(at) == expected
    assert any(i.value.startswith(f"Showing the {len(expected)} trainee") for i in at.info)


def test_the_drill_down_line_says_what_the_trainees_are_behind(warehouse):
    at = open_page("trainees", query={"status": "graduated", "cohort": "2020"})
    assert [i.value for i in at.info] == ["Showing the 3 trainees behind: graduated, cohort 2020."]


@pytest.mark.parametrize(("query", "expected"), [
    ({"program": "p_post", "citizenship": "us_citizen", "fiscal_year": "2022"}, ["T07", "T09"]),  # T08: visa
    ({"from": "2021", "past_nominal": "1"}, ["T09", "T11"]),  # T04 is cohort 2019
    ({"program": "p_phd", "finding": "nrsa_ineligible"}, []),
    ({"program": "p_cert"}, ["T10", "T11"]),
])
def test_the_roster_respects_the_shared_filters(warehouse, query, expected):
    at = open_page("trainees", query=query)
    assert not at.exception, at.exception
    if expected:
        assert ids(at) == expected
    else:
        assert any("No trainees match these filters" in i.value for i in at.info)


def test_values_the_page_does_not_understand_are_left_out_and_said_so(warehouse):
    at = open_page("trainees", query={"status": "alive", "cohort": "20x", "role_group": "academic"})
    assert len(ids(at)) == 12
    shown = rendered(at.warning[0].value)  # the values are escaped in the markdown
    assert "status=alive" in shown and "cohort=20x" in shown
    assert "role_group=academic" in shown  # a role group needs its position kind
    assert not at.info


def test_show_all_trainees_clears_the_drill_down_and_keeps_the_filters(warehouse):
    at = open_page("trainees", query={"program": "p_post", "fiscal_year": "2022"})
    assert ids(at) == ["T07", "T08", "T09"]
    at.button(key="trainees_clear").click().run()
    assert ids(at) == ["T07", "T08", "T09", "T12"]
    assert dict(at.query_params) == {"program": "p_post"}
    assert not at.info


@pytest.mark.parametrize(("text", "expected"), [
    ("QUILL", ["T01"]),  # family name, any case
    ("gia ruiz", ["T07"]),  # full name
    ("hal.ibsen@", ["T08"]),  # e-mail
    ("t05", ["T05"]),  # trainee id
    ("petrov", ["T07", "T08", "T09", "T12"]),  # mentor
    ("sepsis", ["T07"]),  # research topic
])
def test_search_finds_name_email_id_mentor_and_topic(warehouse, text, expected):
    at = open_page("trainees")
    at.text_input(key="trainees_search").set_value(text).run()
    assert ids(at) == expected


@pytest.mark.parametrize("text", ["'; drop table x; --", "%", "_", "' or 1=1 --"])
def test_search_with_sql_looking_text_finds_nothing_and_raises_nothing(warehouse, text):
    at = open_page("trainees")
    at.text_input(key="trainees_search").set_value(text).run()
    assert not at.exception, at.exception
    assert not at.dataframe
    assert any(i.value == "No trainees match this search." for i in at.info)


def test_selecting_a_trainee_opens_their_timeline(warehouse):
    at = open_page("trainees")
    at.selectbox(key="trainees_open").set_value("T07").run()
    assert not at.exception, at.exception
    assert [rendered(s.value) for s in at.subheader] == ["Gia Ruiz (T07)"]
    assert any("enrolled 2020-07-01 to 2022-06-30 · Graduated" in rendered(c.value) for c in at.caption)
    tables = {tuple(d.value.columns[:2]): d.value for d in at.dataframe}
    appointments = tables[("Fiscal year", "Funding source")]  # AP04, AP05
    assert appointments[["Fiscal year", "Funding source", "Stipend", "Total"]].values.tolist() == [
        [2021, "NLM T15", 53000, 64000], [2022, "NLM T15", 56000, 66900.5]]
    assert tables[("Date", "Milestone")]["Milestone"].tolist() == ["National presentation", "Thesis defense"]
    assert tables[("Start year", "End year")][["Title", "Role group"]].values.tolist() == [
        ["Chief Medical Information Officer", "CIO / informatics leadership"]]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    bars = {t["name"]: t["y"] for t in spec["data"]}
    assert bars == {"Enrollment": ["Test Informatics Fellowship"],
                    "Appointment": ["FY2021 appointment", "FY2022 appointment"],
                    "Position": ["Chief Medical Information Officer · Test Hospital"],
                    "Milestone": ["National presentation", "Thesis defense"]}


def test_an_open_enrollment_without_records_reads_plainly(warehouse):
    at = open_page("trainees")
    at.selectbox(key="trainees_open").set_value("T04").run()
    assert any("enrolled 2019-09-01 to now · On leave" in rendered(c.value) for c in at.caption)
    assert {"No appointments on file.", "No milestones on file.", "No positions on file."} <= {i.value for i in at.info}


@pytest.mark.parametrize("role", ["leadership", "data_staff"])
def test_leadership_and_data_staff_cannot_open_the_trainees_page(warehouse, role):
    at = open_page("trainees", role=role, query={"status": "graduated"})
    assert not at.exception, at.exception
    assert "Trainees" not in [t.value for t in at.title]
    direct = AppTest.from_file(str(PROJECT_ROOT / "pages" / "trainees.py"), default_timeout=60)
    direct.session_state["view_as"] = role
    direct.run()
    assert any("not available to the" in e.value for e in direct.error)
    assert not direct.dataframe
    people = pd.read_csv(SMALL / "trainees.csv")
    emitted = json.dumps([str(e) for e in at.main]) + json.dumps([str(e) for e in direct.main])
    emitted += json.dumps([d.value.astype(str).values.tolist() for d in at.dataframe])
    private = set(people["given_name"]) | set(people["family_name"]) | set(people["email"])
    assert sorted(p for p in private if re.search(rf"\b{re.escape(p)}\b", emitted)) == []


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """The small fixture with 520 more certificate trainees (532 in all), published, as WAREHOUSE_DIR."""
    tmp = tmp_path_factory.mktemp("large")
    source = copy_source(tmp)
    with (source / "trainees.csv").open("a", encoding="utf-8") as f:
        for n in range(1000, 1520):  # 520 more certificate trainees, like T11
            f.write(f"T{n},,p_cert,,2021,2021-09-01,active,,,BS,,us_citizen,male,false,Extra,Person{n},"
                    f"extra.{n}@example.edu,,,,\n")
    assert build(source, tmp / "wh").outcome == "published"
    people = pd.read_csv(source / "trainees.csv", dtype=str)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAREHOUSE_DIR", str(tmp / "wh"))
        yield people.sort_values(["family_name", "given_name", "trainee_id"])["trainee_id"].tolist()


def test_a_large_roster_is_sent_a_page_at_a_time_and_says_where_it_is(large):
    at = open_page("trainees")
    assert roster(at)["Trainee ID"].tolist() == large[:100]
    assert any(c.value.startswith("Trainees 1–100 of 532, page 1 of 6") for c in at.caption)
    assert len(at.selectbox(key="trainees_open").options) == 100  # a timeline opens from the page shown
    assert {b.label for b in at.get("download_button")} >= {"Roster (CSV)", "Roster (XLSX)"}
    at.number_input(key="trainees_page").set_value(6).run()
    assert roster(at)["Trainee ID"].tolist() == large[500:]
    assert any(c.value.startswith("Trainees 501–532 of 532, page 6 of 6") for c in at.caption)


def test_every_trainee_is_on_exactly_one_page(large):
    at = open_page("trainees")
    at.selectbox(key="trainees_page_size").set_value(250).run()
    seen = []
    for page in (1, 2, 3):
        at.number_input(key="trainees_page").set_value(page).run()
        seen += roster(at)["Trainee ID"].tolist()
    assert seen == large


def test_a_search_from_a_later_page_starts_again_at_the_first(large):
    at = open_page("trainees")
    at.number_input(key="trainees_page").set_value(4).run()
    at.text_input(key="trainees_search").set_value("Person1007").run()
    assert roster(at)["Trainee ID"].tolist() == ["T1007"]


def test_a_hostile_value_in_the_address_is_shown_as_plain_text(warehouse):
    at = open_page("trainees", query={"cohort": "![x](http://evil.example/p.png)[Sign in again](http://evil.example)"})
    warning = at.warning[0].value
    assert "![x](" not in warning and "](http" not in warning  # no image or link markdown survives
    assert "\\!\\[x\\]\\(http" in warning
