"""Funding page: dollars by fiscal year and source, trainees and trainee-years, federal share, stipends against NRSA
levels, eligibility findings — against hand sums over tests/fixtures/small/appointments.csv (AP01..AP10)."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pandas as pd
import pytest

from tests.conftest import SMALL, build, copy_source, every_tab, open_page, show_every_table

YEAR = 365 / 365.25  # trainee-years of a fixture appointment: 365 days, end date included ...
LEAP = 366 / 365.25  # ... or 366 for AP02 (2019-09-01..2020-08-31) and AP10 (2023-09-01..2024-08-31), over 29 Feb


@pytest.fixture(scope="module")
def warehouse(small_snapshot):
    """The small fixture's published warehouse (built once per session), as WAREHOUSE_DIR for the app."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAREHOUSE_DIR", str(small_snapshot.parent.parent))
        yield small_snapshot.parent.parent


def show(at, *keys: str):
    """Turn on the named "Show data" toggles (the tables are exactly what the downloads hold)."""
    for key in keys:
        at.toggle(key=key).set_value(True)
    at.run()
    assert not at.exception, at.exception
    return at


def table(at, first_columns: list[str]) -> pd.DataFrame:
    """The table whose columns start with first_columns."""
    return next(d.value for d in at.dataframe if list(d.value.columns)[: len(first_columns)] == first_columns)


def chart(at, key: str) -> dict:
    """The plotly spec of the chart of a figure (its key)."""
    return next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.key == f"{key}_chart")


def heading(at) -> str:
    """The title written above the section's chart (its level-4 heading)."""
    (title,) = [m.value for m in at.markdown if m.value.startswith("#### ")]
    return title


def values(array) -> list:
    """A plotly data array as a list (decoding binary arrays)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def test_dollars_by_fiscal_year_and_funding_source_match_hand_sums(warehouse):
    at = show(open_page("funding"), "funding_dollars_show")
    shown = table(at, ["Fiscal year", "Program"])
    got = {(r["Fiscal year"], r["Funding source"]): (r["Trainees"], r["Stipend"], r["Tuition & fees"],
                                                   r["Health insurance"], r["Travel"], r["Total"])
           for _, r in shown.iterrows()}
    # Empty amounts count as 0 (AP03 health insurance and travel, AP07 every amount).
    assert got == {
        (2019, "Institutional"): (1, 30000, 12000, 0, 0, 42000),  # AP03 T02
        (2019, "Other NIH training grant"): (1, 23000, 10000, 3000, 0, 36000),  # AP01 T01
        (2020, "Other NIH training grant"): (1, 24000, 10000, 3100, 500, 37600),  # AP02 T01
        (2021, "NLM T15"): (2, 103000, 9000, 10000, 1500, 123500),  # AP04 T07 + AP06 T08
        (2022, "NLM T15"): (2, 111000, 9000, 10200, 2200.5, 132400.5),  # AP05 T07 + AP08 T09
        (2022, "Self-funded"): (1, 0, 0, 0, 0, 0),  # AP07 T08
        (2023, "NLM T15"): (1, 59592, 4500, 5100, 2000, 71192),  # AP09 T09
        (2024, "Other NIH training grant"): (1, 28224, 11000, 3200, 0, 42424),  # AP10 T06
    }
    assert shown.loc[shown["Fiscal year"] == 2021, "Trainee-years"].iloc[0] == pytest.approx(2 * YEAR)
    nlm = next(t for t in chart(at, "funding_dollars")["data"] if t["name"] == "NLM T15")
    assert values(nlm["x"]) == [2021, 2022, 2023] and values(nlm["y"]) == [123500, 132400.5, 71192]
    assert any("selects trainees by their cohort" in c.value for c in at.caption)


def test_dollars_by_kind_of_cost_stack_the_four_amounts(warehouse):
    at = open_page("funding")
    at.radio(key="funding_split").set_value("Kind of cost").run()
    traces = {t["name"]: t for t in chart(at, "funding_dollars")["data"]}
    assert list(traces) == ["Stipend", "Tuition & fees", "Health insurance", "Travel"]
    assert "kind of cost" in heading(at)
    # One bar per fiscal year and kind of cost (its hover is the year's sum): 2019 AP03 + AP01, 2020 AP02, 2021
    # AP04 + AP06, 2022 AP05 + AP08 + AP07, 2023 AP09, 2024 AP10.
    assert values(traces["Travel"]["x"]) == [2019, 2020, 2021, 2022, 2023, 2024]
    assert values(traces["Travel"]["y"]) == [0, 500, 1500, 2200.5, 2000, 0]
    assert values(traces["Health insurance"]["y"]) == [3000, 3100, 10000, 10200, 5100, 3200]


def test_trainees_and_trainee_years_count_each_trainee_once_per_year(warehouse):
    at = show(open_page("funding", section="trainees"), "funding_trainees_show")
    shown = table(at, ["Fiscal year", "Trainees", "Trainee-years"])
    # FY2019 T01 T02; FY2020 T01; FY2021 T07 T08; FY2022 T07 T08 T09; FY2023 T09; FY2024 T06.
    assert shown["Trainees"].tolist() == [2, 1, 2, 3, 1, 1]
    assert shown["Trainee-years"].tolist() == pytest.approx([2 * YEAR, LEAP, 2 * YEAR, 3 * YEAR, YEAR, LEAP])


def test_a_trainee_with_two_funding_sources_in_a_year_counts_once(tmp_path, monkeypatch):
    source = copy_source(tmp_path)
    with (source / "appointments.csv").open("a", encoding="utf-8") as f:  # T07 also paid by the institution in FY2022
        f.write("AP11,T07,2022,institutional,,2021-07-01,2021-12-31,1000,0,0,0,\n")
    assert build(source, tmp_path / "wh").outcome == "published"
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "wh"))
    by_source = table(show(open_page("funding"), "funding_dollars_show"), ["Fiscal year", "Program"])
    assert by_source.loc[by_source["Fiscal year"] == 2022, "Trainees"].tolist() == [1, 2, 1]  # institutional, NLM, self
    per_year = table(show(open_page("funding", section="trainees"), "funding_trainees_show"),
                     ["Fiscal year", "Trainees", "Trainee-years"])
    # FY2022 sources add up to 4, but the trainees are T07, T08, T09; AP11 adds 184 days (Jul–Dec 2021).
    assert per_year.loc[per_year["Fiscal year"] == 2022, "Trainees"].iloc[0] == 3
    assert per_year.loc[per_year["Fiscal year"] == 2022, "Trainee-years"].iloc[0] == pytest.approx(
        3 * YEAR + 184 / 365.25)


def test_federal_share_of_dollars_per_fiscal_year(warehouse):
    at = show(open_page("funding", section="federal"), "funding_federal_show")
    shown = table(at, ["Fiscal year", "NLM/NIH dollars"])
    # FY2019: AP01 36000 (NIH) of AP01 + AP03 78000; every other year is NIH-funded only, FY2022 with AP07's $0.
    assert shown["NLM/NIH dollars"].tolist() == [36000, 37600, 123500, 132400.5, 71192, 42424]
    assert shown["All dollars"].tolist() == [78000, 37600, 123500, 132400.5, 71192, 42424]
    assert values(chart(at, "funding_federal")["data"][0]["y"]) == pytest.approx(
        [36000 / 78000, 1, 1, 1, 1, 1])


def test_stipends_against_nrsa_levels_nih_funded_by_default_then_all(warehouse):
    at = show(open_page("funding", section="nrsa"), "funding_nrsa_show")
    # Levels on file (data/reference): FY2022 postdoctoral level 2 = 55632 (AP05: T07 has 1 year of experience + 1
    # year since start; AP08: T09 has 2 + 0); FY2023 level 3 = 59592 (AP09: 2 + 1); FY2024 predoctoral 28224 (AP10).
    # No level for FY2019/FY2020 predoctoral (AP01, AP02) nor FY2021 postdoctoral (AP04, AP06).
    shown = table(at, ["Fiscal year", "Trainees", "Appointments"])
    assert shown["Fiscal year"].tolist() == [2022, 2023, 2024]
    assert shown["Trainees"].tolist() == [2, 1, 1]
    assert shown["Paid"].tolist() == [111000, 59592, 28224]
    assert shown["Expected at NRSA level"].tolist() == pytest.approx([2 * 55632 * YEAR, 59592 * YEAR, 28224 * LEAP])
    # FY2019 and FY2020 lack the same level, so they read as one range.
    sentence = "No NRSA level on file for FY2019–FY2020 (predoctoral), FY2021 (postdoctoral);"
    assert any(m.value.startswith(sentence) for m in at.markdown)
    at.toggle(key="funding_nrsa_all").set_value(True).run()
    shown = table(at, ["Fiscal year", "Trainees", "Appointments"])
    # Adds AP07 (self-funded, T08, FY2022, level 1 = 55224: 0 years of experience + 1 year since start), paid $0.
    assert shown["Trainees"].tolist() == [3, 1, 1]
    assert shown["Paid"].tolist() == [111000, 59592, 28224]
    assert shown["Expected at NRSA level"].iloc[0] == pytest.approx((2 * 55632 + 55224) * YEAR)
    assert "all appointments" in heading(at)


def every_section(role: str = "administrator", query: dict | None = None) -> list:
    """The page with each of its sections shown in turn, every "Show data" table on: (section, tables, charts,
    metrics, markdown, info, links) of each."""
    out = []
    for view in every_tab(open_page("funding", role=role, query=query), show_every_table):
        out.append({"section": view.session_state["funding_section"],
                    "tables": [d.value for d in view.dataframe],
                    "charts": {c.key: json.loads(c.proto.spec) for c in view.get("plotly_chart")},
                    "metrics": [m.value for m in view.metric], "markdown": [m.value for m in view.markdown],
                    "info": [i.value for i in view.info],
                    "links": {link.proto.label: link.proto.query_string for link in view.get("page_link")},
                    "text": json.dumps([str(e) for e in view.main]) + json.dumps([str(e) for e in view.sidebar])})
    return out


def first(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The table whose columns start with these."""
    return next(f for f in frames if list(f.columns)[: len(columns)] == columns)


def test_filters_narrow_every_funding_figure(warehouse):
    views = every_section(query={"program": "p_post", "citizenship": "us_citizen"})
    tables = [t for v in views for t in v["tables"]]
    # p_post US citizens: T07, T09, T12 (no appointments) -> AP04, AP05, AP08, AP09; T08 (temporary visa) is out.
    by_source = first(tables, ["Fiscal year", "Program"])
    assert by_source[["Fiscal year", "Trainees", "Total"]].values.tolist() == [
        [2021, 1, 64000], [2022, 2, 132400.5], [2023, 1, 71192]]
    assert first(tables, ["Fiscal year", "Trainees", "Trainee-years"])["Trainees"].tolist() == [1, 2, 1]
    markdown = [m for v in views for m in v["markdown"]]
    assert any(m.startswith("No NRSA level on file for FY2021 (postdoctoral);") for m in markdown)
    assert [m for v in views for m in v["metrics"]] == ["0"]  # AP06 (T08) is the only finding
    assert any("No eligibility findings" in i for v in views for i in v["info"])
    at = open_page("funding", query={"from": "2021"})  # cohort 2021: T09 T10 T11 -> AP08, AP09 only
    assert sorted(values(chart(at, "funding_dollars")["data"][0]["x"])) == [2022, 2023]


def test_eligibility_findings_are_listed_for_administrators(warehouse):
    at = open_page("funding", section="findings")
    findings = table(at, ["Trainee ID", "Name"])
    # AP06: T08 Hal Ibsen, nlm_t15, temporary visa at appointment. AP10's permanent resident is eligible; AP03 is
    # not NIH-funded.
    assert findings.values.tolist() == [["T08", "Hal Ibsen", "Test Informatics Fellowship", "AP06", 2021, "NLM T15",
                                         "T15LM000001", "Temporary visa"]]
    assert [m.value for m in at.metric] == ["1"]
    links = {link.proto.label: link.proto.query_string for link in at.get("page_link")}
    assert "finding=nrsa_ineligible" in links["Show these trainees"]
    at = open_page("funding", section="trainees")
    links = {link.proto.label: link.proto.query_string for link in at.get("page_link")}
    assert "fiscal_year=2024" in links["Show the trainees appointed in FY2024"]


@pytest.mark.parametrize(("role", "count"), [("data_staff", "1"), ("leadership", "1")])
def test_other_roles_see_a_count_of_findings_and_no_names(warehouse, role, count):
    views = every_section(role)
    assert [m for v in views for m in v["metrics"]] == [count]
    assert not any("Name" in t.columns or "Trainee ID" in t.columns for v in views for t in v["tables"])
    assert not [label for v in views for label in v["links"] if label.startswith("Show")]
    people = pd.read_csv(SMALL / "trainees.csv")
    private = set(people["given_name"]) | set(people["family_name"]) | set(people["email"]) | {"T08"}
    emitted = "".join(v["text"] + json.dumps([t.astype(str).values.tolist() for t in v["tables"]])
                      + json.dumps(v["charts"]) for v in views)
    assert sorted(p for p in private if re.search(rf"\b{re.escape(p)}\b", emitted)) == []


def test_leadership_sees_the_same_exact_dollars_and_bars_that_add_up_to_them(warehouse):
    leadership, administrator = every_section("leadership"), every_section("administrator")
    assert [v["section"] for v in leadership] == ["dollars", "trainees", "federal", "nrsa", "findings"]
    for mine, theirs in zip(leadership, administrator, strict=True):
        tables = [t for t in theirs["tables"] if "Trainee ID" not in t.columns]
        assert len(mine["tables"]) == len(tables)
        for got, expected in zip(mine["tables"], tables, strict=True):
            pd.testing.assert_frame_equal(got, expected)
        assert mine["charts"] == theirs["charts"]
    # The stacked bars of each fiscal year add up to the year's total dollars by hand (FY2022: 132,400.50 + 0).
    stacks: dict[int, float] = {}
    for trace in leadership[0]["charts"]["funding_dollars_chart"]["data"]:
        for year, dollars in zip(values(trace["x"]), values(trace["y"]), strict=True):
            stacks[year] = stacks.get(year, 0) + dollars
    assert stacks == pytest.approx({2019: 78000, 2020: 37600, 2021: 123500, 2022: 132400.5, 2023: 71192,
                                    2024: 42424})


def test_a_selection_with_nobody_says_so_plainly(warehouse):
    views = every_section(query={"program": "p_cert", "citizenship": "unknown"})
    assert all(any("No trainees match these filters" in i for i in v["info"]) for v in views[:3])  # dollars..share
    assert any("No NIH-funded appointments of these trainees" in i for i in views[3]["info"])
    assert not [key for v in views for key in v["charts"]]
    assert [m for v in views for m in v["metrics"]] == ["0"]
