"""Every chart has a text alternative: a sentence made from the data it draws (largest and smallest values, where a
series starts and ends), worked out here by hand."""

from __future__ import annotations

import pandas as pd

from dashboard import charts, describe


def test_a_stack_is_described_by_its_totals_and_its_largest_part():
    frame = pd.DataFrame({"year": [2020, 2020, 2021, 2022], "program": ["MD", "PhD", "MD", "PhD"],
                          "entrants": [30, 6, 31, 4]})
    fig = charts.bar(frame, "year", "entrants", {"entrants": "Entrants"}, color="program")
    # Totals: 2020 36, 2021 31, 2022 4; MD 61 of 71 = 86%.
    assert describe.sentence(fig) == ("Total entrants: highest 36 (2020), lowest 4 (2022); the last, 2022: 4. "
                                      "Largest part: MD (86% of all shown).")


def test_the_last_bar_is_the_last_year_whichever_series_comes_first():
    # Series A has no 2025 row, so 2025 first appears in series B: the last bar is still 2025 (9).
    frame = pd.DataFrame({"year": [2020, 2021, 2021, 2025], "track": ["A", "A", "B", "B"], "n": [5, 3, 2, 9]})
    fig = charts.bar(frame, "year", "n", {"n": "Trainees"}, color="track")
    assert "the last, 2025: 9." in describe.sentence(fig)


def test_bars_that_stand_alone_are_described_by_the_highest_and_lowest():
    frame = pd.DataFrame({"track": ["Imaging", "Devices", "Clinical"], "program": ["PhD", "PhD", "MMSc"],
                          "rate": [1 / 3, 1.0, 2 / 3]})
    fig = charts.bar(frame, "track", "rate", {"rate": "Completion rate"}, color="program", percent=True,
                     horizontal=True)
    assert describe.sentence(fig) == "Completion rate: highest 100% (Devices), lowest 33% (Imaging)."


def test_lines_say_where_each_series_starts_and_ends():
    frame = pd.DataFrame({"year": [2018, 2019, 2020] * 2, "measure": ["Admit rate"] * 3 + ["Yield"] * 3,
                          "rate": [0.25, 0.5, 0.2, 0.9, 0.8, 1.0]})
    fig = charts.line(frame, "year", "rate", {"rate": "Rate"}, color="measure", percent=True)
    assert describe.sentence(fig) == (
        "Rate — Admit rate: 25% in 2018 to 20% in 2020, highest 50% (2019), lowest 20% (2020); "
        "Yield: 90% in 2018 to 100% in 2020, highest 100% (2020), lowest 80% (2019).")


def test_many_series_name_the_largest_and_count_the_rest():
    frame = pd.DataFrame({"year": [2020] * 6, "group": list("ABCDEF"), "n": [1, 6, 2, 5, 3, 4]})
    fig = charts.bar(frame, "year", "n", {"n": "Trainees"}, color="group", barmode="group")
    assert describe.sentence(fig) == ("Trainees — B: 6 (2020); D: 5 (2020); F: 4 (2020); E: 3 (2020); "
                                      "and 2 more series (see the data).")


def test_a_sankey_names_its_largest_flow_and_a_funnel_its_conversion():
    links = pd.DataFrame({"source": ["Clinical", "Imaging"], "target": ["Initial: Academic"] * 2, "value": [5, 9]})
    assert describe.sentence(charts.sankey(links)) == ("Flows between 3 groups; the largest: Imaging to "
                                                       "Initial: Academic, 9.")
    stages = pd.DataFrame({"stage": ["Applied", "Admitted", "Matriculated"], "people": [400, 60, 30]})
    assert describe.sentence(charts.funnel(stages, "stage", "people", {})) == (
        "400 at Applied to 30 at Matriculated (8% of the first stage).")


def test_dollars_are_written_as_dollars():
    frame = pd.DataFrame({"fiscal_year": [2024, 2025], "total_usd": [1_250_000.0, 980_500.0]})
    fig = charts.bar(frame, "fiscal_year", "total_usd", {"total_usd": "Dollars"}, money=True)
    assert describe.sentence(fig) == "Dollars: highest $1,250,000 (2024), lowest $980,500 (2025)."


def test_a_stack_of_shares_names_each_bars_largest_part():
    frame = pd.DataFrame({"band": ["0–4 years"] * 2 + ["5–9 years"] * 2, "group": ["Academic", "Industry"] * 2,
                          "share": [0.3, 0.7, 0.6, 0.4]})
    fig = charts.bar(frame, "band", "share", {}, color="group", percent=True)
    assert describe.sentence(fig) == ("Largest part of each bar — 0–4 years: Industry (70%); "
                                      "5–9 years: Academic (60%).")
