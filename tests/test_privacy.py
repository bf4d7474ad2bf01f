"""Small-cell suppression: counts 1–4 and everything derived from them read "<5" for leadership only."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import privacy


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2020, 2020, 2020, 2021, 2021],
            "track": ["a", "b", "c", "a", "b"],
            "entrants": [12, 3, 7, 0, 9],
            "graduated": [10, 2, 5, 0, 6],
            "rate": [10 / 12, 2 / 3, 5 / 7, None, 6 / 9],
        }
    )


def test_administrators_see_exact_figures():
    derived = {"rate": ["graduated", "entrants"]}
    protected = privacy.protect(frame(), "administrator", ["entrants", "graduated"], derived)
    assert not protected.any
    pd.testing.assert_frame_equal(protected.values, frame())


def test_counts_from_one_to_four_are_suppressed_and_zero_shows():
    protected = privacy.protect(frame(), "leadership", ["entrants", "graduated"])
    shown = protected.display()
    assert shown.loc[1, "entrants"] == "<5" and shown.loc[1, "graduated"] == "<5"
    assert shown.loc[3, "entrants"] == "0"
    assert shown.loc[0, "entrants"] == "12"
    assert pd.isna(protected.values.loc[1, "entrants"])


def test_a_rate_over_a_small_numerator_or_denominator_is_suppressed():
    protected = privacy.protect(frame(), "leadership", ["entrants", "graduated"], {"rate": ["graduated", "entrants"]})
    assert protected.display().loc[1, "rate"] == "<5"
    assert protected.mask.loc[1, "rate"]
    assert not protected.mask.loc[2, "rate"]  # 5 of 7: both counts shown
    assert protected.values.loc[2, "rate"] == pytest.approx(5 / 7)


def test_a_lone_suppressed_cell_in_a_group_with_a_total_takes_the_next_smallest_with_it():
    # 2020: entrants 12, 3, 7 -> 3 is suppressed; with the year total known, 3 = total - 12 - 7, so 7 goes too.
    protected = privacy.protect(frame(), "leadership", ["entrants"], groups=[["year"]])
    mask = protected.mask["entrants"].tolist()
    assert mask == [False, True, True, False, False]


def test_complementary_suppression_skips_zeros_and_groups_already_safe():
    data = pd.DataFrame({"year": [1, 1, 1, 2, 2], "n": [0, 2, 9, 3, 4]})
    mask = privacy.protect(data, "leadership", ["n"], groups=[["year"]]).mask["n"].tolist()
    # year 1: 2 suppressed alone -> next smallest non-zero (9) suppressed, the 0 stays; year 2: both already hidden.
    assert mask == [False, True, True, True, True]


def test_threshold_is_configurable(monkeypatch):
    monkeypatch.setenv("SUPPRESSION_THRESHOLD", "11")
    protected = privacy.protect(frame(), "leadership", ["entrants"])
    assert protected.display()["entrants"].tolist() == ["12", "<11", "<11", "0", "<11"]


def test_single_figures_follow_their_basis():
    assert privacy.protect_value(0.5, [2, 4], "leadership") is None
    assert privacy.protect_value(0.5, [6, 12], "leadership") == 0.5
    assert privacy.protect_value(0.5, [2, 4], "administrator") == 0.5
    assert privacy.protect_value(3, [3], "data_staff") == 3


def test_a_lone_suppressed_part_of_a_shown_row_total_takes_the_next_smallest_part_with_it():
    data = pd.DataFrame({"entrants": [20, 20], "graduated": [12, 10], "withdrawn": [2, 5], "active": [6, 5]})
    # Row 0: withdrawn 2 is the only small part, and 2 = 20 - 12 - 6, so the next smallest part (active 6) goes too.
    protected = privacy.protect(data, "leadership", ["entrants", "graduated", "withdrawn", "active"],
                                parts={"entrants": ["graduated", "withdrawn", "active"]})
    assert protected.mask.loc[0].tolist() == [False, False, True, True]
    assert not protected.mask.loc[1].any()
