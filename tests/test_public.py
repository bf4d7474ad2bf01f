"""The public outcomes: `python -m reports public` writes the fixed tables for the programs' website, each program on
its own over fixed five-year cohort bands, with counts from 1 to 4 suppressed, complements suppressed with them, and
an audit by linear programming that no suppressed count can be worked out. Figures are counted by hand from
tests/fixtures/public (its README says what it holds); the attack at the end reads only what a reader gets."""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from reports import disclosure as sdc
from reports import public, public_files
from reports.disclosure import Count, Group, Space, where
from tests.conftest import FIXTURES, PROJECT_ROOT, build, copy_source, every_tab, lazy_tabs, links_in, open_page

PUBLIC = FIXTURES / "public"
SAMPLE = PROJECT_ROOT / "data" / "sample"
S, P = "suppressed", "in progress"  # as the tables print them
BANDS = ["2011–2015", "2016–2020", "2021–2025"]


def publish(source: Path, warehouse: Path) -> Path:
    result = build(source, warehouse)
    assert result.outcome == "published", result.message
    return warehouse


def outcomes_of(warehouse: Path, **kw) -> public.PublicOutcomes:
    from etl import pipeline

    published = pipeline.published(warehouse)
    kw.setdefault("threshold", 5)
    return public.from_snapshot(public.Source(published.run_id, str(published.path), published.published_at), **kw)


@pytest.fixture(scope="module")
def fixture_warehouse(tmp_path_factory) -> Path:
    return publish(PUBLIC, tmp_path_factory.mktemp("public") / "wh")


@pytest.fixture(scope="module")
def outcomes(fixture_warehouse) -> public.PublicOutcomes:
    return outcomes_of(fixture_warehouse)


@pytest.fixture(scope="module")
def sample_outcomes(tmp_path_factory) -> public.PublicOutcomes:
    warehouse = publish(SAMPLE, tmp_path_factory.mktemp("public_sample") / "wh")
    started = time.perf_counter()
    built = outcomes_of(warehouse)
    built.wall_seconds = time.perf_counter() - started
    return built


def table(outcomes: public.PublicOutcomes, title: str, program_id: str) -> dict:
    """A table of one program as a reader sees it: (band, row, measure) -> the number, or why it is missing."""
    out = {}
    for r in outcomes.records():
        if r["table"] == title and r["program_id"] == program_id:
            out[(r["band"], r["row"], r["measure"])] = r["value"] if r["status"] == "shown" else (
                None if r["status"] == "n/a" else r["status"])
    return out


def columns(rows: dict, band: str, measures: list[str], row: str = "") -> list:
    return [rows[(band, row, m)] for m in measures]


# ---------------------------------------------------------------------------------------------------------------
# The tables, counted by hand from the fixture (threshold 5)


def test_the_bands_are_fixed_five_year_bands_aligned_to_calendar_years(outcomes):
    assert [b.label for b in public.cohort_bands(2011, 2025)] == BANDS  # 2006–2010 holds no cohort
    assert [b.label for b in public.cohort_bands(1975, 2025)] == ["2006–2010", *BANDS]
    assert [b.label for b in public.cohort_bands(1975, 2023)] == ["2006–2010", *BANDS]  # the last band, so far
    assert [b.label for b in public.cohort_bands(1975, 2026)][-1] == "2026–2030"
    assert [b.label for b in outcomes.bands] == BANDS
    assert list(outcomes.programs) == ["p_fel", "p_phd"]  # by name: Fixture Fellowship, Fixture PhD Program


FUNNEL = ["Applications", "Admitted", "Admit rate", "Matriculated", "Yield"]


def test_the_admissions_funnel_by_hand(outcomes):
    phd = table(outcomes, "Admissions funnel", "p_phd")
    # 2011–2015: AA01–AA15 matriculated, AA16 admitted and declined, AA17–AA21 not: 21 applications, 16 admitted;
    # admit rate 16/21 = 76.2% -> 76; yield 15/16 = 93.75% -> 94.
    assert columns(phd, BANDS[0], FUNNEL) == [21, 16, 76, 15, 94]
    # 2016–2020: AB01–AB10 and AB11–AB13 not admitted: 10/13 = 76.9% -> 77; yield 10/10.
    assert columns(phd, BANDS[1], FUNNEL) == [13, 10, 77, 10, 100]
    # 2021–2025: AC01–AC06 and AC07–AC08 not admitted: 6/8 = 75%.
    assert columns(phd, BANDS[2], FUNNEL) == [8, 6, 75, 6, 100]
    fellowship = table(outcomes, "Admissions funnel", "p_fel")
    assert columns(fellowship, BANDS[0], FUNNEL) == [0, 0, None, 0, None]  # no applicants: rates do not apply
    # 2016–2020: AF01–AF03 matriculated, AF04–AF05 not admitted: 3 admitted and 3 matriculated are small, and so are
    # the rates resting on them. The 5 applications are hidden too: a reader taking the matriculated for the 3
    # entrants would learn entrants <= 5, so women + men <= 5 with each at least 1: each at most 4 (the audit's
    # loop finds this; no row rule does).
    assert columns(fellowship, BANDS[1], FUNNEL) == [S, S, S, S, S]
    # 2021–2025: AF06–AF09: 4 applications, 3 admitted (AF06–AF08), 2 matriculated: every count is small.
    assert columns(fellowship, BANDS[2], FUNNEL) == [S] * 5


GENDER = ["Entrants", "Women", "Women, % of entrants", "Men", "Men, % of entrants",
          "Another gender or not reported", "Another gender or not reported, % of entrants"]
ORIGIN = ["Domestic", "Domestic, % of entrants", "International", "International, % of entrants",
          "Citizenship unknown", "Citizenship unknown, % of entrants", "URM (domestic entrants)",
          "URM, % of domestic entrants"]


def test_enrollment_and_demographics_by_hand(outcomes):
    phd = table(outcomes, "Enrollment and demographics", "p_phd")
    # 2011–2015: 15 entrants; women 8 (8/15 = 53.3%); men 6 and another gender 1 (PA06): 1 is small, and men is
    # hidden with it, or 15 - 8 - 6 would give PA06 away.
    assert columns(phd, BANDS[0], GENDER) == [15, 8, 53, S, S, S, S]
    # 10 domestic (66.7%), 5 international (33.3%), 0 unknown; URM 3 of the 10 domestic: small.
    assert columns(phd, BANDS[0], ORIGIN) == [10, 67, 5, 33, 0, 0, S, S]
    # 2016–2020: 5 women and 5 men of 10; all 10 domestic; 5 URM = 50% of domestic.
    assert columns(phd, BANDS[1], GENDER) == [10, 5, 50, 5, 50, 0, 0]
    assert columns(phd, BANDS[1], ORIGIN) == [10, 100, 0, 0, 0, 0, 5, 50]
    # 2021–2025: 3 women and 3 men: both small. Hidden together they give nothing away (each could be 1 to 5).
    assert columns(phd, BANDS[2], GENDER) == [6, S, S, S, S, 0, 0]
    assert columns(phd, BANDS[2], ORIGIN) == [6, 100, 0, 0, 0, 0, 0, 0]
    fellowship = table(outcomes, "Enrollment and demographics", "p_fel")
    # 2016–2020: 3 entrants (FB01–FB03), 2 women, 1 man, 2 domestic, 1 international, 1 URM: all small; a percent of
    # a hidden total is hidden too, even of a zero.
    assert columns(fellowship, BANDS[1], GENDER) == [S, S, S, S, S, 0, S]
    assert columns(fellowship, BANDS[1], ORIGIN) == [S, S, S, S, 0, S, S, S]
    # 2021–2025: FC01 (permanent resident) and FC02 (citizenship unknown), both men; URM 0 of a hidden 1 domestic.
    assert columns(fellowship, BANDS[2], GENDER) == [S, 0, S, S, S, 0, S]
    assert columns(fellowship, BANDS[2], ORIGIN) == [S, S, 0, S, S, S, 0, S]


COMPLETION = ["Entrants", "Completed within 8 years", "Within 8 years, % of entrants", "Completed within 10 years",
              "Within 10 years, % of entrants"]


def test_completion_within_8_and_10_years_by_hand_with_bands_in_progress(outcomes):
    phd = table(outcomes, "Completion within 8 and 10 years of entry", "p_phd")
    # 2011–2015: within 8 years PA01 PA02 PA04 PA05 PA07 PA10 PA11 = 7 (7/15 = 46.7%); within 10, also PA06 PA09
    # PA13 = 10 (66.7%); the last entrants started 2015-09-01, 10 years before 2026-06-30.
    assert columns(phd, BANDS[0], COMPLETION) == [15, 7, 47, 10, 67]
    # 2016–2020: the last entrants started 2017-09-01: 8 years have passed (2025-09-01), 10 have not.
    assert columns(phd, BANDS[1], COMPLETION) == [10, 5, 50, P, P]
    assert columns(phd, BANDS[2], COMPLETION) == [6, P, P, P, P]
    fellowship = table(outcomes, "Completion within 8 and 10 years of entry", "p_fel")
    assert columns(fellowship, BANDS[0], COMPLETION) == [0, 0, None, 0, None]
    assert columns(fellowship, BANDS[1], COMPLETION) == [S, P, P, P, P]  # FB03 started 2020-07-01


def years(start: str, end: str) -> float:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days / 365.25


def test_time_to_degree_by_hand(outcomes):
    phd = table(outcomes, "Time to degree", "p_phd")
    graduates_a = [("2011-09-01", "2016-05-31"), ("2011-09-01", "2017-05-31"), ("2011-09-01", "2022-05-31"),
                   ("2012-09-01", "2018-05-31"), ("2012-09-01", "2018-05-31"), ("2012-09-01", "2021-05-31"),
                   ("2013-09-01", "2019-05-31"), ("2013-09-01", "2022-05-31"), ("2014-09-01", "2020-05-31"),
                   ("2014-09-01", "2021-05-31"), ("2015-09-01", "2024-05-31")]  # PA01-07, PA09-11, PA13
    graduates_b = [("2016-09-01", "2021-05-31"), ("2016-09-01", "2022-05-31"), ("2016-09-01", "2022-05-31"),
                   ("2016-09-01", "2025-05-31"), ("2017-09-01", "2023-05-31"), ("2017-09-01", "2024-05-31"),
                   ("2017-09-01", "2026-03-31")]  # PB01-04, PB06-08
    for band, graduates in ((BANDS[0], graduates_a), (BANDS[1], graduates_b)):
        median = round(statistics.median(years(*g) for g in graduates), 1)
        assert columns(phd, band, ["Graduates so far", "Median years to degree"]) == [len(graduates), median]
    assert columns(phd, BANDS[0], ["Median years to degree"]) == [5.7]  # the 6th of 11: about 5.75 years
    assert columns(phd, BANDS[2], ["Graduates so far", "Median years to degree"]) == [0, None]
    fellowship = table(outcomes, "Time to degree", "p_fel")
    assert columns(fellowship, BANDS[1], ["Graduates so far", "Median years to degree"]) == [S, S]  # 3 graduates


def test_career_outcomes_by_hand_with_small_categories_pooled(outcomes):
    sector = table(outcomes, "Career outcomes by sector", "p_phd")
    rows = lambda band: {k[1]: v for k, v in sector.items() if k[0] == band and k[2] == "Alumni"}  # noqa: E731
    # 2011–2015: 11 alumni: academia 6 (6/11 = 54.5%); for-profit 3, government 1 and unknown 1 (PA03, no position)
    # are small, so every category under 5 is pooled (the empty ones too): 3 + 1 + 0 + 0 + 1 = 5 (45.5%).
    pooled = "Pooled: Government, For-profit, Nonprofit, Other, Unknown"
    assert rows(BANDS[0]) == {"Academia": 6, pooled: 5, "All alumni": 11}
    assert sector[(BANDS[0], "Academia", "Alumni, % of all alumni")] == 55
    assert sector[(BANDS[0], pooled, "Alumni, % of all alumni")] == 45
    # 2016–2020: academia 4 and for-profit 3 are both small: the pool takes every category, 7 alumni.
    assert rows(BANDS[1]) == {"Pooled: Academia, Government, For-profit, Nonprofit, Other, Unknown": 7,
                              "All alumni": 7}
    # No alumni yet: every category 0, percents do not apply.
    assert set(rows(BANDS[2]).values()) == {0}
    assert sector[(BANDS[2], "Academia", "Alumni, % of all alumni")] is None
    kinds = table(outcomes, "Career outcomes by career type", "p_phd")
    rows = lambda band: {k[1]: v for k, v in kinds.items() if k[0] == band and k[2] == "Alumni"}  # noqa: E731
    # 2011–2015: research 6 (PA01 PA02 PA04 PA06 PA09 PA11); further training 4 and unknown 1 pooled with the
    # empty categories: 5. PA01's ended postdoc is not their current position.
    assert rows(BANDS[0]) == {"Primarily research": 6,
                              "Pooled: Further training, Primarily teaching, Science-related, Not related to "
                              "science, Unknown": 5, "All alumni": 11}
    # 2016–2020: all 7 in research, nothing small, nothing pooled.
    assert rows(BANDS[1]) == {"Further training": 0, "Primarily research": 7, "Primarily teaching": 0,
                              "Science-related": 0, "Not related to science": 0, "Unknown": 0, "All alumni": 7}
    fellowship = table(outcomes, "Career outcomes by sector", "p_fel")
    assert {k[1]: v for k, v in fellowship.items() if k[0] == BANDS[1] and k[2] == "Alumni"} == {
        "Pooled: Academia, Government, For-profit, Nonprofit, Other, Unknown": S, "All alumni": S}


def test_primary_suppression_is_exactly_the_counts_from_1_to_4(outcomes):
    small = {
        ("p_phd", 2011): {"another_gender", "urm_domestic"},  # PA06; PA01 PA04 PA07
        ("p_phd", 2021): {"women", "men"},  # 3 and 3
        ("p_fel", 2016): {"admitted", "matriculated", "entrants", "women", "men", "domestic", "international",
                          "urm_domestic", "graduates", "sector:pooled", "career_type:pooled"},  # 3 3 3 2 1 2 1 1 3 3 3
        ("p_fel", 2021): {"applications", "admitted", "matriculated", "entrants", "men", "domestic",
                          "citizenship_unknown", "graduates", "sector:pooled", "career_type:pooled"},  # 4 3 2 2 2 1 1 1
    }
    expected = {(*key, measure) for key, measures in small.items() for measure in measures}
    counts = outcomes.release.counts
    assert {k for k, c in counts.items() if c.status == sdc.PRIMARY} == expected
    assert all(c.value == 0 or c.value >= 5 for c in counts.values() if c.status == sdc.SHOWN)


def test_a_lone_small_cell_in_a_row_with_a_shown_total_takes_a_complement_with_it(outcomes):
    counts = outcomes.release.counts
    # Gender 2011–2015: another gender 1 is the row's only small cell and entrants (15) are shown, so the smaller
    # other cell (men 6, not women 8) is hidden with it. (The fellowship's 2016–2020 applications are the only other
    # complement: see the funnel.)
    assert {k for k, c in counts.items() if c.status == sdc.SECONDARY} == {("p_phd", 2011, "men"),
                                                                          ("p_fel", 2016, "applications")}
    # What the published figures still allow: men + another = 15 - 8 = 7, each at least 1, so another is 1 to 6.
    interval = next(i for i in outcomes.audit.intervals if i.key == ("p_phd", 2011, "another_gender"))
    assert (interval.lower, interval.upper) == (1, 6)
    # 2021–2025: women + men = 6 with another 0 shown: each 1 to 5, already beyond 4 without a complement.
    interval = next(i for i in outcomes.audit.intervals if i.key == ("p_phd", 2021, "women"))
    assert (interval.lower, interval.upper) == (1, 5)


# ---------------------------------------------------------------------------------------------------------------
# The audit


def test_the_audit_passes_on_the_fixture_and_the_sample(outcomes, sample_outcomes):
    for built in (outcomes, sample_outcomes):
        audit = built.audit
        assert audit.passed
        small = [i for i in audit.intervals if 1 <= i.value <= 4]
        assert small and all(i.lower < 1 or i.upper > 4 for i in small)
        hidden = {k for k, c in built.release.counts.items() if c.hidden}
        assert hidden <= {i.key for i in audit.intervals}  # every suppressed count was bounded
    summary = sample_outcomes.summary
    assert summary["audit passed"] and summary["counts suppressed"] > 0


def test_the_whole_build_on_the_sample_takes_seconds(sample_outcomes):
    assert sample_outcomes.wall_seconds < 30, sample_outcomes.wall_seconds  # about 1-3 s alone on this machine


def test_without_complementary_suppression_the_audit_catches_the_complement_leak(fixture_warehouse):
    leaky = outcomes_of(fixture_warehouse, complementary=False)
    assert not leaky.audit.passed
    failing = {i.key: (i.lower, i.upper) for i in leaky.audit.failures}
    assert failing.pop(("p_phd", 2011, "another_gender")) == (1, 1)  # 15 - 8 - 6 = 1: PA06 given away
    # And, with the 5 applications shown, the fellowship's 2016–2020 entrants are proven to be at most 5 (see the
    # funnel test), so each of two hidden parts of a row is at most 4.
    assert failing == {("p_fel", 2016, m): (1, 4) for m in ("women", "men", "domestic", "international",
                                                             "urm_domestic")}
    with pytest.raises(sdc.DisclosureError):
        public_files.render(leaky, "csv")  # nothing unaudited is written


def test_the_audit_catches_a_cell_hidden_in_one_table_but_implied_by_another(outcomes):
    release = copy.deepcopy(outcomes.release)
    # Another table publishes the domestic entrants who are not URM (7 of the 10): URM, hidden as 3, is 10 - 7.
    release.add(Count(("p_phd", 2011, "domestic_not_urm"), ("entrants", "p_phd", 2011),
                      where(origin=("domestic_other",)), 7))
    audit = sdc.audit(release, 5)
    assert {i.key: (i.lower, i.upper) for i in audit.failures} == {("p_phd", 2011, "urm_domestic"): (3, 3)}
    # The generator's loop sees it too, and suppresses until the audit passes.
    repaired = sdc.protect(release, 5)
    assert repaired.passed and repaired.rounds >= 1
    assert release.counts[("p_phd", 2011, "domestic_not_urm")].hidden or release.counts[
        ("p_phd", 2011, "domestic")].hidden


def test_a_row_too_small_to_split_hides_its_total_and_the_same_total_elsewhere():
    # Entrants 5 = women 3 + men 2: with both hidden, and each known to be at least 1, each is at most 4, so the
    # total must go too, and with it the matriculated applicants, a reader would take for the same people.
    entrants = Space({"gender": ("women", "men", "another")})
    applications = Space({"stage": ("not_admitted", "matriculated")})
    release = sdc.Release({"e": entrants, "a": applications},
                          {"e": entrants.vector({("women",): 3, ("men",): 2}),
                           "a": applications.vector({("not_admitted",): 9, ("matriculated",): 5})})
    for name, population, filter_, value in (("entrants", "e", where(), 5), ("women", "e", where(gender=["women"]), 3),
                                             ("men", "e", where(gender=["men"]), 2),
                                             ("another", "e", where(gender=["another"]), 0),
                                             ("applications", "a", where(), 14),
                                             ("matriculated", "a", where(stage=["matriculated"]), 5)):
        release.add(Count((name,), population, filter_, value))
    release.add(Group(("entrants",), (("women",), ("men",), ("another",))))
    release.mirrors.append((("matriculated",), ("entrants",)))
    audit = sdc.protect(release, 5)
    assert audit.passed
    assert {k[0] for k, c in release.counts.items() if c.hidden} == {"women", "men", "entrants", "matriculated"}


def test_the_threshold_comes_from_the_setting(fixture_warehouse, monkeypatch):
    monkeypatch.setenv("SUPPRESSION_THRESHOLD", "3")
    built = outcomes_of(fixture_warehouse, threshold=None)
    phd = table(built, "Enrollment and demographics", "p_phd")
    assert columns(phd, BANDS[0], ["URM (domestic entrants)", "URM, % of domestic entrants"]) == [3, 30]
    assert columns(phd, BANDS[2], ["Women", "Men"]) == [3, 3]
    assert built.audit.passed


# ---------------------------------------------------------------------------------------------------------------
# The attack: what a reader can work out from the published file alone, written apart from the audit's code


def attack(tidy: pd.DataFrame) -> dict[tuple, tuple[float, float]]:
    """Bounds on every suppressed count of a published tidy CSV, by interval reasoning over what the tables say:
    complements (a row's total less its shown cells), differencing (the same people in two tables), shares (a shown
    percent of a known total), nesting, and that a suppressed count is at least 1 (zeros are shown)."""
    bounds: dict[tuple, list[float]] = {}
    shares: list[tuple[tuple, float]] = []
    hidden = set()
    for r in tidy.itertuples():
        row, _, measure = r.measure.rpartition(": ") if r.table.startswith("Career") else ("", "", r.measure)
        name = (r.program, r.band, r.table, row, measure)
        if r.value in ("in progress", "") or measure.startswith("Median"):
            continue  # not published, or not a count
        if "%" in measure:
            if r.value != "suppressed":
                shares.append((name, float(r.value)))
        elif r.value == "suppressed":
            bounds[name] = [1, math.inf]
            hidden.add(name)
        else:
            bounds[name] = [float(r.value), float(r.value)]
    sums, equal, at_most = [], [], []
    for program, band in {(k[0], k[1]) for k in bounds}:
        e = lambda t, m, row="", program=program, band=band: (program, band, t, row, m)  # noqa: E731
        enrol = "Enrollment and demographics"
        sums.append((e(enrol, "Entrants"), [e(enrol, m) for m in ("Women", "Men", "Another gender or not reported")]))
        sums.append((e(enrol, "Entrants"), [e(enrol, m) for m in ("Domestic", "International",
                                                                  "Citizenship unknown")]))
        completion, ttd = "Completion within 8 and 10 years of entry", "Time to degree"
        equal += [(e(enrol, "Entrants"), e(completion, "Entrants")),
                  (e("Admissions funnel", "Matriculated"), e(enrol, "Entrants"))]
        at_most += [(e(enrol, "URM (domestic entrants)"), e(enrol, "Domestic")),
                    (e("Admissions funnel", "Admitted"), e("Admissions funnel", "Applications")),
                    (e("Admissions funnel", "Matriculated"), e("Admissions funnel", "Admitted")),
                    (e(completion, "Completed within 8 years"), e(completion, "Completed within 10 years")),
                    (e(completion, "Completed within 10 years"), e(ttd, "Graduates so far")),
                    (e(ttd, "Graduates so far"), e(enrol, "Entrants"))]
        for careers in ("Career outcomes by sector", "Career outcomes by career type"):
            parts = [k for k in bounds if k[:3] == (program, band, careers) and k[3] != "All alumni"
                     and k[4] == "Alumni"]
            sums.append((e(careers, "Alumni", "All alumni"), parts))
            equal.append((e(careers, "Alumni", "All alumni"), e(ttd, "Graduates so far")))
    # Percents: the numerator's share of the denominator each percent states, as the table labels say.
    of = {"Admit rate": ("Admitted", "Applications"), "Yield": ("Matriculated", "Admitted"),
          "URM, % of domestic entrants": ("URM (domestic entrants)", "Domestic")}

    def share_parts(name: tuple) -> tuple[tuple, tuple] | None:
        program, band, tbl, row, measure = name
        measure = measure.removesuffix(" (%)")
        if measure in of:
            top, bottom = of[measure]
            return (program, band, tbl, row, top), (program, band, tbl, row, bottom)
        if ", % of all alumni" in measure:
            return (program, band, tbl, row, "Alumni"), (program, band, tbl, "All alumni", "Alumni")
        if ", % of entrants" in measure:
            label = measure.split(", % of")[0]
            top = {"Within 8 years": "Completed within 8 years", "Within 10 years": "Completed within 10 years"}
            return (program, band, tbl, row, top.get(label, label)), (program, band, tbl, row, "Entrants")
        return None

    def tighten(name: tuple, low: float, high: float) -> bool:
        if name not in bounds:
            return False
        whole = lambda x, rounding: x if math.isinf(x) else rounding(x)  # noqa: E731
        old = tuple(bounds[name])
        bounds[name] = [max(old[0], whole(low - 1e-9, math.ceil)), min(old[1], whole(high + 1e-9, math.floor))]
        return tuple(bounds[name]) != old

    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            parts = [p for p in parts if p in bounds]
            if total not in bounds or not parts:
                continue
            low = sum(bounds[p][0] for p in parts)
            high = sum(bounds[p][1] for p in parts)
            changed |= tighten(total, low, high)
            for p in parts:
                others_low = sum(bounds[q][0] for q in parts if q != p)
                others_high = sum(bounds[q][1] for q in parts if q != p)
                changed |= tighten(p, bounds[total][0] - others_high, bounds[total][1] - others_low)
        for a, b in equal:
            if a in bounds and b in bounds:
                changed |= tighten(a, *bounds[b]) | tighten(b, *bounds[a])
        for a, b in at_most:
            if a in bounds and b in bounds:
                changed |= tighten(a, -math.inf, bounds[b][1]) | tighten(b, bounds[a][0], math.inf)
        for name, percent in shares:
            pair = share_parts(name)
            if pair and pair[0] in bounds and pair[1] in bounds:
                low_total, high_total = bounds[pair[1]]
                changed |= tighten(pair[0], (percent - 0.5) / 100 * low_total, (percent + 0.5) / 100 * high_total)
    return {k: tuple(v) for k, v in bounds.items() if k in hidden}


def given_away(found: dict[tuple, tuple[float, float]]) -> dict:
    """Suppressed counts the attack pins to one value from 1 to 4, or proves to be at most 4."""
    return {k: v for k, v in found.items() if v[1] <= 4}


def run_cli(*args: str, warehouse: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reports", *args, "--warehouse", str(warehouse)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300)


def test_an_attack_on_the_published_csv_works_out_no_suppressed_count(fixture_warehouse, sample_outcomes, tmp_path):
    out = tmp_path / "public.csv"
    done = run_cli("public", "--out", str(out), warehouse=fixture_warehouse)
    assert done.returncode == 0, done.stderr
    for tidy in (pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig"),
                 pd.read_csv(io.BytesIO(public_files.csv(sample_outcomes)), dtype=str, keep_default_na=False,
                             encoding="utf-8-sig")):
        found = attack(tidy)
        assert found and given_away(found) == {}


def test_the_attack_is_not_vacuous_it_finds_the_leak_complementary_suppression_closes(fixture_warehouse):
    leaky = outcomes_of(fixture_warehouse, complementary=False)
    leaky.audit.intervals = [i for i in leaky.audit.intervals if i.protected]  # let the leaky release be written
    tidy = pd.read_csv(io.BytesIO(public_files.csv(leaky)), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    found = given_away(attack(tidy))
    cell = lambda program, band, measure: (program, band, "Enrollment and demographics", "", measure)  # noqa: E731
    assert found.pop(cell("Fixture PhD Program", "2011–2015", "Another gender or not reported")) == (1, 1)
    # the same cells the audit finds proven small (see the test above), by interval reasoning alone
    assert found == {cell("Fixture Fellowship", "2016–2020", m): (1, 4)
                     for m in ("Women", "Men", "Domestic", "International", "URM (domestic entrants)")}


# ---------------------------------------------------------------------------------------------------------------
# Files, command line and page



@pytest.fixture(scope="module")
def odd_names(tmp_path_factory) -> Path:
    """The fixture with program names a spreadsheet would run as a formula, and one that looks like HTML."""
    folder = tmp_path_factory.mktemp("odd")
    source = copy_source(folder, PUBLIC)
    programs = source / "programs.csv"
    text = programs.read_text(encoding="utf-8")
    text = text.replace("Fixture PhD Program", '"=HYPERLINK(""http://example.com"",""x"")"')
    programs.write_text(text.replace("Fixture Fellowship", "<b>x</b>"), encoding="utf-8")
    return publish(source, folder / "wh")


def test_the_command_writes_each_format_and_exits_as_documented(fixture_warehouse, tmp_path, capsys):
    from reports.__main__ import main  # in this process (the attack above runs the real command in its own)

    for kind in ("html", "xlsx", "csv"):
        out = tmp_path / f"outcomes.{kind}"
        assert main(["public", "--out", str(out), "--warehouse", str(fixture_warehouse)]) == 0
        assert out.stat().st_size > 0 and "audit passed" in capsys.readouterr().err
    assert out.read_bytes().startswith(b"\xef\xbb\xbftable,program,band,measure,value")
    assert main(["public", "--out", str(tmp_path / "outcomes.pdf"), "--warehouse", str(fixture_warehouse)]) == 2
    assert main(["public", "--out", str(tmp_path / "none.csv"), "--warehouse", str(tmp_path / "empty")]) == 4
    assert not (tmp_path / "outcomes.pdf").exists() and not (tmp_path / "none.csv").exists()


def test_the_html_is_self_contained_and_says_how_to_read_it(outcomes):
    document = public_files.html(outcomes)
    assert not [u for u in links_in(document) if u.lower().startswith(("http:", "https:", "//"))]
    assert "<script src" not in document and "<link" not in document
    assert document.count('class="plotly-graph-div"') == 3  # the PhD's three charts, inline
    assert document.count("Nothing to draw") == 3  # the fellowship's: every figure suppressed or in progress
    for words in ("How to read these tables, and how they are protected", "Counts from 1 to 4 read",
                  "URM is counted among domestic entrants only", "still in progress: cohorts 2016–2020, 2021–2025",
                  "the audit passed", "2011–2015, 2016–2020, 2021–2025", "Data as of"):
        assert words in document


def test_names_are_escaped_in_html_and_neutralised_in_xlsx_and_csv(odd_names):
    built = outcomes_of(odd_names)
    document = public_files.html(built)
    assert "&lt;b&gt;x&lt;/b&gt;" in document and "<b>x</b>" not in document
    workbook = openpyxl.load_workbook(io.BytesIO(public_files.xlsx(built)))
    texts = [c.value for ws in workbook for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"http://example.com\",\"x\")" in texts
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    tidy = pd.read_csv(io.BytesIO(public_files.csv(built)), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert set(tidy["program"]) == {"'=HYPERLINK(\"http://example.com\",\"x\")", "<b>x</b>"}


def test_the_workbook_holds_about_each_table_with_real_percents_and_the_audit(outcomes):
    workbook = openpyxl.load_workbook(io.BytesIO(public_files.xlsx(outcomes)))
    assert workbook.sheetnames == ["About", "Admissions", "Enrollment", "Completion", "Time to degree",
                                   "Careers by sector", "Careers by career type", "Audit"]
    about = {r[0]: r[1] for r in workbook["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Data as of"] == "2026-06-30" and about["Audit: audit passed"] == "yes"
    assert about["Suppression threshold"] == "counts from 1 to 4 are suppressed" and about["Run"]
    sheet = workbook["Admissions"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Fixture PhD Program")
    rate = row[header.index("Admit rate")]
    assert rate.value == pytest.approx(0.76) and rate.number_format == "0%"
    audit = list(workbook["Audit"].iter_rows(min_row=2, values_only=True))
    assert len(audit) == len(outcomes.audit.intervals) and {r[-1] for r in audit} == {"yes"}
    header = [c.value for c in workbook["Audit"][1]]
    assert not any("true" in str(h).lower() or "primary" in str(h).lower() for h in header)  # nothing discloses


def test_charts_draw_the_suppressed_part_so_bars_add_up_to_published_totals(outcomes):
    titles = [title for title, _, _ in public.charts(outcomes, "p_phd")]
    gender = public.charts(outcomes, "p_phd")[0][1]
    assert titles[0].startswith("Entrants by gender")
    totals, suppressed = defaultdict(int), defaultdict(int)
    for trace in gender.data:
        for band, people in zip(trace.x, trace.y, strict=True):
            totals[band] += people
            if trace.name == "Suppressed":
                suppressed[band] += people
    assert dict(totals) == {"2011–2015": 15, "2016–2020": 10, "2021–2025": 6}  # the published entrants
    assert dict(suppressed) == {"2011–2015": 7, "2021–2025": 6}  # men and another (15 - 8); women and men
    assert [t.name for t in gender.data][-1] == "Suppressed"


def test_the_reports_page_offers_the_public_outcomes_to_administrators_only(fixture_warehouse, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(fixture_warehouse))
    admin = open_page("reports", section="public")
    assert not admin.exception
    labels = {b.proto.label for b in admin.get("download_button")}
    assert {"Public outcomes (HTML)", "Public outcomes (XLSX)", "Public outcomes (CSV)"} <= labels
    lead = open_page("reports", role="leadership")
    assert not lead.exception
    assert "public" not in lazy_tabs(lead)["reports_section"]  # no such section for leadership
    for view in every_tab(lead):
        assert not any(b.proto.label.startswith("Public outcomes") for b in view.get("download_button"))
    # What the buttons hand over when clicked: the public outcomes of the published snapshot, built once.
    from etl import pipeline

    published = pipeline.published(fixture_warehouse)
    kept = public.kept(published.run_id, str(published.path), published.published_at, None, 5)
    assert kept is public.kept(published.run_id, str(published.path), published.published_at, None, 5)
    assert public_files.render(kept, "html").startswith(b"<!DOCTYPE html>")
