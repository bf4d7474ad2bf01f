"""Tracks page: each program's track mix by cohort year, and completion and time to degree by track — against hand
counts on the small fixture (tests/fixtures/small/trainees.csv)."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from tests.conftest import (
    build,
    chosen,
    copy_source,
    every_tab,
    lazy_tabs,
    numbers,
    open_page,
    rendered,
    show_every_table,
)


def years(start: str, end: str) -> float:
    """Elapsed years from start to degree, as the product defines time to degree (days / 365.25)."""
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days / 365.25


def distribution(at) -> dict[tuple[str, int, str], tuple]:
    """(program tab, cohort year, track) -> (trainees, share) from each program tab's "Show data" table, each tab
    opened in turn (only the open tab's content runs)."""
    out = {}
    for view in every_tab(at, show_every_table):
        if "tracks_program" not in chosen(view):
            continue  # the completion section
        label = chosen(view)["tracks_program"]
        table = next(d.value for d in view.dataframe if "Share of the cohort" in d.value.columns)
        for _, row in table.iterrows():
            out[(label, row["Cohort year"], row["Track"])] = (row["Trainees"], row["Share of the cohort"])
    return out


def program_views(at) -> dict[str, str]:
    """The program views the page offers: program id -> label."""
    return lazy_tabs(at)["tracks_program"]


def completion(at) -> dict[tuple[str, str], tuple]:
    """(program, track) -> (entrants, graduated, completion rate, median years) from the completion table (its
    section shown, its tables on)."""
    at.session_state["tracks_section"] = "completion"
    table = next(d.value for d in show_every_table(at.run()).dataframe if "Completion rate" in d.value.columns)
    return {(r["Program"], r["Track"]): (r["Entrants of settled cohorts"], r["Graduated"], r["Completion rate"],
                                         r["Median years to degree"]) for _, r in table.iterrows()}


def charted(trace: dict) -> list:
    """The values a trace charts: x of a horizontal bar, else y."""
    return numbers(trace["x" if trace.get("orientation") == "h" else "y"])


def charts(at) -> dict[str, dict]:
    """Every plotly chart of the page by its key, each program tab opened in turn."""
    return {c.key: json.loads(c.proto.spec) for view in every_tab(at) for c in view.get("plotly_chart")}


def links(at) -> dict[str, str]:
    """Every page link of the page (label -> query string), each program tab opened in turn."""
    return {rendered(link.proto.label): link.proto.query_string for view in every_tab(at)
            for link in view.get("page_link")}


def test_track_distribution_per_program_matches_hand_count(small_app):
    at = show_every_table(open_page("tracks"))
    third, two_thirds = pytest.approx(1 / 3), pytest.approx(2 / 3)
    # trainees.csv by program and cohort year: p_phd 2018 T01 Imaging, T02 Devices, T03 no track (a third each);
    # p_phd 2019 T04 T05 Imaging, T06 Devices; p_post 2020 T07 T12 Clinical Informatics, T08 Bioinformatics;
    # p_post 2021 T09 Clinical Informatics (all of it); p_cert 2021 T10 T11 without a track (all of it).
    assert distribution(at) == {
        ("Test PhD Program", 2018, "No track"): (1, third),
        ("Test PhD Program", 2018, "Imaging"): (1, third),
        ("Test PhD Program", 2018, "Devices"): (1, third),
        ("Test PhD Program", 2019, "Imaging"): (2, two_thirds),
        ("Test PhD Program", 2019, "Devices"): (1, third),
        ("Test Informatics Fellowship", 2020, "Clinical Informatics"): (2, two_thirds),
        ("Test Informatics Fellowship", 2020, "Bioinformatics"): (1, third),
        ("Test Informatics Fellowship", 2021, "Clinical Informatics"): (1, 1.0),
        ("Test Certificate", 2021, "No track"): (2, 1.0),
    }
    figures = charts(at)
    bars = figures["tracks_p_phd_chart"]["data"]
    assert {t["name"]: (numbers(t["x"]), charted(t)) for t in bars} == {
        "No track": ([2018], [1]), "Imaging": ([2018, 2019], [1, 2]), "Devices": ([2018, 2019], [1, 1])}
    lines = figures["shares_p_post_chart"]["data"]
    assert {t["name"]: charted(t) for t in lines} == {
        "Clinical Informatics": [two_thirds, 1.0], "Bioinformatics": [third]}


def test_completion_and_median_time_to_degree_by_track_match_hand_count(small_app):
    at = show_every_table(open_page("tracks"))
    approx = pytest.approx
    # Imaging: T01 graduated, T04 on leave, T05 transferred. Devices: T02 and T06 graduated (median = their mean).
    # PhD without a track: T03 withdrew. Clinical Informatics: T07 and T12 graduated (same dates), T09 active.
    # Bioinformatics: T08 graduated. Certificate: T10 graduated, T11 active. As of 2026-06-30 every cohort's nominal
    # length has run out (p_phd 2019 + 5 years: July 2024), so none is left out as still in progress.
    got = completion(at)
    assert got.pop(("Test PhD Program", "No track"))[:3] == (1, 0, 0.0)
    assert got == {
        ("Test PhD Program", "Imaging"): (3, 1, approx(1 / 3), approx(years("2018-09-01", "2023-05-31"))),
        ("Test PhD Program", "Devices"): (2, 2, 1.0, approx((years("2018-09-01", "2024-05-31")
                                                             + years("2019-09-01", "2024-08-31")) / 2)),
        ("Test Informatics Fellowship", "Clinical Informatics"): (3, 2, approx(2 / 3),
                                                                  approx(years("2020-07-01", "2022-06-30"))),
        ("Test Informatics Fellowship", "Bioinformatics"): (1, 1, 1.0, approx(years("2020-07-01", "2023-06-30"))),
        ("Test Certificate", "No track"): (2, 1, 0.5, approx(years("2021-09-01", "2022-06-30"))),
    }
    rates = charts(at)["completion_by_track_chart"]["data"]
    phd = next(t for t in rates if t["name"] == "Test PhD Program")
    assert dict(zip(phd["y"], charted(phd), strict=True)) == {
        "Test PhD Program (no track)": 0.0, "Imaging": approx(1 / 3), "Devices": 1.0}


def test_completion_by_track_leaves_out_cohorts_still_in_progress(tmp_path, monkeypatch):
    # As of 2023-06-30: p_phd (5 years) cohorts 2018 and 2019 are in progress (until July 2023 and July 2024), so the
    # PhD tracks have no settled entrants and no rate; p_post 2021 (T09) is in progress (until July 2023), 2020 is not.
    assert build(copy_source(tmp_path), tmp_path / "wh", as_of=dt.date(2023, 6, 30)).outcome == "published"
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "wh"))
    got = completion(show_every_table(open_page("tracks")))
    assert got[("Test PhD Program", "Imaging")][:2] == (0, 0) and math.isnan(got[("Test PhD Program", "Imaging")][2])
    # Clinical Informatics settled: T07 T12 (2020, both graduated); T09 (2021) waits: 2 of 2, not 2 of 3.
    assert got[("Test Informatics Fellowship", "Clinical Informatics")][:3] == (2, 2, 1.0)


def test_filters_narrow_every_figure_and_the_drill_links(small_app):
    at = show_every_table(open_page("tracks", query={"program": "p_phd", "from": "2019"}))
    # p_phd cohort 2019: T04 (on leave) and T05 (transferred) in Imaging, T06 (graduated) in Devices.
    assert distribution(at) == {("Test PhD Program", 2019, "Imaging"): (2, pytest.approx(2 / 3)),
                                ("Test PhD Program", 2019, "Devices"): (1, pytest.approx(1 / 3))}
    got = completion(at)
    assert got.pop(("Test PhD Program", "Imaging"))[:3] == (2, 0, 0.0)
    assert got == {("Test PhD Program", "Devices"): (1, 1, 1.0, pytest.approx(years("2019-09-01", "2024-08-31")))}
    shown = links(at)
    # The program tab's roster holds its 3 trainees; the graduates' roster the 1 graduate (T06).
    assert shown["Show these trainees (Test PhD Program)"] == "program=p_phd&from=2019"
    assert shown["Show the graduates"] == "program=p_phd&from=2019&status=graduated"


def test_leadership_sees_the_exact_figures_administrators_see_and_no_way_to_the_trainees(small_app):
    leadership, administrator = (show_every_table(open_page("tracks", role=role))
                                 for role in ("leadership", "administrator"))
    assert not leadership.exception
    assert distribution(leadership) == distribution(administrator)
    assert completion(leadership).keys() == completion(administrator).keys()
    assert charts(leadership) == charts(administrator)
    assert not any(label.startswith("Show") for label in links(leadership))


def test_only_the_open_program_tab_runs_and_choosing_another_draws_it(small_app):
    at = open_page("tracks")
    assert list(program_views(at).values()) == ["Test Certificate", "Test PhD Program", "Test Informatics Fellowship"]

    def per_program() -> list[str]:
        return sorted(c.key for c in at.get("plotly_chart") if c.key.startswith(("tracks_", "shares_")))

    assert per_program() == ["tracks_p_cert_chart"]  # the counts of the open program only
    at.session_state["tracks_program"] = "p_post"
    at.run()
    assert per_program() == ["tracks_p_post_chart"]
    at.session_state["tracks_measure"] = "shares"
    at.run()
    assert per_program() == ["shares_p_post_chart"]
    assert len(at.get("plotly_chart")) == 1  # one chart at a time; the completion charts are in their own section


def test_a_selection_with_nobody_says_so_plainly(small_app):
    said = []
    for view in every_tab(open_page("tracks", query={"program": "p_cert", "citizenship": "unknown"})):
        assert not view.exception and not view.get("plotly_chart")
        said.append(len([i for i in view.info if "No trainees match these filters" in i.value]))
    assert said == [1, 2]  # the track mix once (no program to choose); the completion section once per chart


def publish_with_certificate_named(name: str, tmp_path, warehouse) -> None:
    """Publish the small fixture with the certificate program (p_cert) renamed."""
    source = copy_source(tmp_path)
    programs = source / "programs.csv"
    programs.write_text(programs.read_text(encoding="utf-8").replace("Test Certificate", name), encoding="utf-8")
    assert build(source, warehouse).outcome == "published"


def test_names_kept_with_a_query_result_follow_a_publish(small_warehouse, tmp_path):
    """Program names are kept with each cached result, per snapshot: a refresh that renames a program shows the new
    name on the next run, in the tabs and in the completion table."""
    at = open_page("tracks")
    assert "Test Certificate" in program_views(at).values()
    publish_with_certificate_named("Renamed Certificate", tmp_path, small_warehouse)
    at = open_page("tracks")
    assert list(program_views(at).values()) == ["Renamed Certificate", "Test PhD Program",
                                                "Test Informatics Fellowship"]
    assert {program for program, _ in completion(show_every_table(at))} == {
        "Renamed Certificate", "Test PhD Program", "Test Informatics Fellowship"}


def test_two_programs_with_one_name_get_a_tab_each(small_warehouse, tmp_path):
    publish_with_certificate_named("Test PhD Program", tmp_path, small_warehouse)
    at = show_every_table(open_page("tracks"))
    assert list(program_views(at).values()) == ["Test PhD Program (p_cert)", "Test PhD Program (p_phd)",
                                                "Test Informatics Fellowship"]
    got = distribution(at)
    # p_cert 2021: T10 T11 without a track; p_phd 2019: T04 T05 Imaging, T06 Devices (its own tab, not p_cert's).
    assert got[("Test PhD Program (p_cert)", 2021, "No track")] == (2, 1.0)
    assert got[("Test PhD Program (p_phd)", 2019, "Imaging")] == (2, pytest.approx(2 / 3))
    assert {tab for tab, _, _ in got} == {"Test PhD Program (p_cert)", "Test PhD Program (p_phd)",
                                          "Test Informatics Fellowship"}
