"""Careers page: alumni outcomes by role group and UCOT tier, initial against current position, years since
completion and the track -> initial -> current flows — against hand counts on the small fixture.

Alumni are the graduates T01 T02 T06 T07 T08 T10 T12 (T09 holds a position but is still active: not an alumnus).
Initial position = earliest start_year, ties to the smallest position_id; current = the open position started last,
ties to the smallest position_id (tests/fixtures/small/positions.csv):
    T01 Imaging   initial P01 further training (academia, further training, postdoctoral)
                  current P02 academic (academia, primarily research, faculty member (tenure track))
    T02 Devices   P03 and P04 both start 2024 and are open: the tie goes to P03, industry, for both kinds
                  (for-profit, science-related, data science, analytics and software engineering)
    T06 Devices   P05 academic (academia, primarily teaching, lecturer/instructor) for both kinds: P06 started later
                  but has ended, so the open P05 stays current
    T07 Clinical  P07 CIO / informatics leadership (nonprofit, science-related, administration) for both kinds
    T08 Bioinfo   initial P08 consulting (for-profit, science-related, business development ...); it has ended, so
                  the current position is unknown
    T10 no track  P09 further training (nonprofit, further training, healthcare provider) for both kinds
    T12 Clinical  no position at all: unknown for both kinds
Every alumnus finished 1 to 4 whole years before the as-of date 2026-06-30: all are in the 0–4 years band.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.conftest import every_tab, open_page, rendered, show_every_table

INITIAL, CURRENT = "Initial position", "Current position"


def table(at, first_column: str, *, has: str | None = None):
    """The shown table whose columns start with first_column (and include has), each UCOT tab opened in turn."""
    for view in every_tab(at, show_every_table):
        for frame in (d.value for d in view.dataframe):
            if frame.columns[0] == first_column and (has is None or has in frame.columns):
                return frame
    raise AssertionError(f"no table starting with {first_column!r} (with {has!r})")


def counts(frame, *keys: str) -> dict:
    """{keys: alumni} for the rows of a shown table with alumni other than 0."""
    return {tuple(row[k] for k in keys): row["Alumni"] for _, row in frame.iterrows() if row["Alumni"] not in (0, "0")}


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def sankey(at) -> dict[tuple[str, str], float]:
    """(from, to) -> alumni for every link the Sankey diagram draws (its section shown)."""
    at.session_state["careers_section"] = "flows"
    specs = (json.loads(c.proto.spec) for c in at.run().get("plotly_chart"))
    trace = next(s["data"][0] for s in specs if s["data"][0]["type"] == "sankey")
    nodes, link = trace["node"]["label"], trace["link"]
    return {(nodes[s], nodes[t]): v for s, t, v in zip(link["source"], link["target"], link["value"], strict=True)}


def test_role_groups_of_initial_and_current_positions_match_hand_count(small_app):
    at = show_every_table(open_page("careers"))
    roles = table(at, "Position", has="Role group")
    assert counts(roles, "Position", "Role group") == {
        (INITIAL, "Academic"): 1, (INITIAL, "CIO / informatics leadership"): 1, (INITIAL, "Consulting"): 1,
        (INITIAL, "Industry"): 1, (INITIAL, "Further training"): 2, (INITIAL, "Unknown"): 1,
        (CURRENT, "Academic"): 2, (CURRENT, "CIO / informatics leadership"): 1, (CURRENT, "Industry"): 1,
        (CURRENT, "Further training"): 1, (CURRENT, "Unknown"): 2,
    }
    # Every role group is listed for both kinds, with zeros (clinical practice, government, other; consulting now).
    assert len(roles) == 2 * 9 and set(roles.loc[roles["Alumni"] == 0, "Role group"]) == {
        "Clinical practice", "Government", "Other", "Consulting"}
    assert roles.loc[(roles["Position"] == CURRENT) & (roles["Role group"] == "Academic"), "Share"].item() == (
        pytest.approx(2 / 7))
    # Unknown: T12 has no position (initial 1 of 7); T08's only position has ended too (current 2 of 7).
    assert metrics(at) == {"Alumni": "7", "Initial position unknown": "14%", "Current position unknown": "29%"}


def test_filters_narrow_the_figures_and_drill_links_name_the_position_kind_and_role_group(small_app):
    at = open_page("careers", query={"program": "p_post"})
    # p_post alumni: T07 (CIO both), T08 (consulting, then unknown), T12 (unknown both).
    assert sankey(at) == {
        ("Clinical Informatics", "Initial: CIO / informatics leadership"): 1,
        ("Clinical Informatics", "Initial: Unknown"): 1, ("Bioinformatics", "Initial: Consulting"): 1,
        ("Initial: CIO / informatics leadership", "Current: CIO / informatics leadership"): 1,
        ("Initial: Consulting", "Current: Unknown"): 1, ("Initial: Unknown", "Current: Unknown"): 1,
    }
    at.session_state["careers_section"] = "role_groups"
    links = {rendered(link.proto.label): link.proto.query_string for link in at.run().get("page_link")}
    assert {label: q for label, q in links.items() if label.startswith(("Initial", "Current"))} == {
        "Initial position: CIO / informatics leadership (1)":
            "program=p_post&position_kind=initial&role_group=cio_informatics_leadership",
        "Initial position: Consulting (1)": "program=p_post&position_kind=initial&role_group=consulting",
        "Initial position: Unknown (1)": "program=p_post&position_kind=initial&role_group=unknown",
        "Current position: CIO / informatics leadership (1)":
            "program=p_post&position_kind=current&role_group=cio_informatics_leadership",
        "Current position: Unknown (2)": "program=p_post&position_kind=current&role_group=unknown",
    }
    assert metrics(at) == {"Alumni": "3", "Initial position unknown": "33%", "Current position unknown": "67%"}


def test_ucot_sector_career_type_and_job_function_match_hand_count(small_app):
    at = show_every_table(open_page("careers"))
    assert counts(table(at, "Position", has="Sector"), "Position", "Sector") == {
        (INITIAL, "Academia"): 2, (INITIAL, "For-profit"): 2, (INITIAL, "Nonprofit"): 2, (INITIAL, "Unknown"): 1,
        (CURRENT, "Academia"): 2, (CURRENT, "For-profit"): 1, (CURRENT, "Nonprofit"): 2, (CURRENT, "Unknown"): 2,
    }
    assert counts(table(at, "Position", has="Career type"), "Position", "Career type") == {
        (INITIAL, "Further training or education"): 2, (INITIAL, "Primarily teaching"): 1,
        (INITIAL, "Science-related"): 3, (INITIAL, "Unknown"): 1,
        (CURRENT, "Further training or education"): 1, (CURRENT, "Primarily research"): 1,
        (CURRENT, "Primarily teaching"): 1, (CURRENT, "Science-related"): 2, (CURRENT, "Unknown"): 2,
    }
    functions = counts(table(at, "Position", has="Job function"), "Position", "Job function")
    assert functions == {
        (INITIAL, "Postdoctoral"): 1, (INITIAL, "Data science, analytics and software engineering"): 1,
        (INITIAL, "Lecturer/instructor"): 1, (INITIAL, "Administration"): 1,
        (INITIAL, "Business development, consulting and strategic alliances"): 1,
        (INITIAL, "Healthcare provider"): 1, (INITIAL, "Unknown"): 1,
        (CURRENT, "Faculty member (tenure track)"): 1, (CURRENT, "Data science, analytics and software engineering"): 1,
        (CURRENT, "Lecturer/instructor"): 1, (CURRENT, "Administration"): 1, (CURRENT, "Healthcare provider"): 1,
        (CURRENT, "Unknown"): 2,
    }


def test_years_since_completion_and_the_track_flows_match_hand_count(small_app):
    at = show_every_table(open_page("careers"))
    bands = table(at, "Years since completion")
    assert counts(bands, "Years since completion", "Current role group") == {
        ("0–4 years", "Academic"): 2, ("0–4 years", "CIO / informatics leadership"): 1, ("0–4 years", "Industry"): 1,
        ("0–4 years", "Further training"): 1, ("0–4 years", "Unknown"): 2,
    }
    assert list(dict.fromkeys(bands["Years since completion"])) == ["0–4 years", "5–9 years", "10–14 years",
                                                                    "15+ years"]
    assert sankey(at) == {
        ("Imaging", "Initial: Further training"): 1, ("Devices", "Initial: Industry"): 1,
        ("Devices", "Initial: Academic"): 1, ("Clinical Informatics", "Initial: CIO / informatics leadership"): 1,
        ("Clinical Informatics", "Initial: Unknown"): 1, ("Bioinformatics", "Initial: Consulting"): 1,
        ("Test Certificate (no track)", "Initial: Further training"): 1,
        ("Initial: Further training", "Current: Academic"): 1, ("Initial: Industry", "Current: Industry"): 1,
        ("Initial: Academic", "Current: Academic"): 1,
        ("Initial: CIO / informatics leadership", "Current: CIO / informatics leadership"): 1,
        ("Initial: Consulting", "Current: Unknown"): 1, ("Initial: Unknown", "Current: Unknown"): 1,
        ("Initial: Further training", "Current: Further training"): 1,
    }


def test_leadership_sees_the_exact_figures_and_the_whole_sankey_but_no_way_to_the_alumni(small_app):
    at = show_every_table(open_page("careers", role="leadership"))
    assert not at.exception
    # 7 alumni; initial position unknown: T12 (no positions) = 1 of 7; current unknown: T08 (every position ended)
    # and T12 = 2 of 7 -> 14% and 29%.
    assert metrics(at) == {"Alumni": "7", "Initial position unknown": "14%", "Current position unknown": "29%"}
    administrator = show_every_table(open_page("careers"))
    assert sankey(at) == sankey(administrator) and sum(sankey(at).values()) == 2 * 7  # every alumnus, both stages
    for leader, admin in zip(every_tab(at, show_every_table), every_tab(administrator, show_every_table),
                             strict=True):
        assert len(leader.dataframe) == len(admin.dataframe)
        for mine, theirs in zip(leader.dataframe, admin.dataframe, strict=True):
            pd.testing.assert_frame_equal(mine.value, theirs.value)
        assert not leader.expander and not any(link.proto.label.startswith(("Initial", "Current"))
                                               for link in leader.get("page_link"))


def test_a_selection_with_no_alumni_says_so_plainly(small_app):
    at = open_page("careers", query={"program": "p_cert", "citizenship": "unknown"})
    assert not at.exception
    for view in every_tab(at):  # each section's figure, each UCOT tier's
        assert len([i for i in view.info if "No alumni (graduated trainees) match these filters" in i.value]) == 1
        assert not view.get("plotly_chart")
    assert metrics(at) == {"Alumni": "0", "Initial position unknown": "—", "Current position unknown": "—"}
