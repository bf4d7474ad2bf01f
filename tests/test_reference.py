"""The shipped NRSA stipend levels are the figures published in the NIH notices (as listed in issue 2)."""

from __future__ import annotations

import pandas as pd

from tests.conftest import PROJECT_ROOT

PREDOCTORAL = {2016: 23376, 2018: 24324, 2021: 25836, 2022: 26352, 2023: 27144, 2024: 28224, 2025: 28788}
POSTDOCTORAL = {
    2016: "43,692 45,444 47,268 49,152 51,120 53,160 55,296 57,504",
    2017: "47,484 47,844 48,216 50,316 52,140 54,228 56,400 58,560",
    2018: "48,432 48,804 49,188 51,324 53,184 55,308 57,528 59,736",
    2019: "50,004 50,376 50,760 52,896 54,756 56,880 59,100 61,308",
    2022: "54,840 55,224 55,632 57,852 59,784 61,992 64,296 66,600",
    2023: "56,484 56,880 57,300 59,592 61,572 63,852 66,228 68,604",
    2024: "61,008 61,428 61,884 64,356 66,492 68,964 71,532 74,088",
    2026: "63,480 63,900 64,380 66,948 69,180 71,748 74,424 77,076",
}


def shipped() -> dict[tuple[int, str, int], float]:
    frame = pd.read_csv(PROJECT_ROOT / "data" / "reference" / "nrsa_stipend_levels.csv")
    return {(r.fiscal_year, r.career_level, r.experience_years): r.annual_stipend_usd for r in frame.itertuples()}


def test_levels_are_exactly_the_published_ones_and_nothing_else():
    expected = {(year, "predoctoral", 0): amount for year, amount in PREDOCTORAL.items()}
    for year, text in POSTDOCTORAL.items():
        for level, amount in enumerate(text.split()):
            expected[(year, "postdoctoral", level)] = int(amount.replace(",", ""))
    assert shipped() == expected


def test_years_without_a_notice_have_no_row():
    years = {key[0] for key in shipped() if key[1] == "postdoctoral"}
    assert {2020, 2021, 2025}.isdisjoint(years)
