"""The benchmark's pandas baseline computes the same figures as the product's pages, from the raw files alone.

Each test reads like the spec: the baseline of a page, run on a scale-1 sample, gives the figures the page shows —
compared with the published marts and with the page's own queries run over the same snapshot, so nobody can say the
baseline computes less than the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bench import baseline
from bench.baseline import Filter
from dashboard import queries
from dashboard.filters import Filters
from etl import pipeline, sample

AS_OF = dt.date(2026, 6, 30)
ALL, HST_MD, HST_MEMP = Filter(), Filter(programs=("hst_md",)), Filter(programs=("hst_memp",))
NO_DRILL = dict.fromkeys(["cohort", "status", "completion_year", "position_kind", "role_group", "fiscal_year",
                          "funding_source", "finding"]) | {"past_nominal": False, "search": "", "offset": 0}


@dataclass(frozen=True)
class Built:
    """The raw files of a scale-1 sample and the snapshot the real refresh published from them."""

    source: Path
    snapshot: Path
    row_counts: dict[str, int]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    """A scale-1 sample written as CSV files and refreshed into a warehouse (built once for this module)."""
    root = tmp_path_factory.mktemp("bench_baseline")
    sample.write(sample.generate(1), root / "source")
    result = pipeline.refresh(root / "source", root / "warehouse", as_of=AS_OF)
    assert result.outcome == "published", result.message
    return Built(root / "source", result.snapshot, result.row_counts)


@pytest.fixture(scope="module")
def con(built):
    """A read-only connection to the published snapshot."""
    connection = duckdb.connect(str(built.snapshot), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(autouse=True)
def same_now(monkeypatch):
    """The baseline measures "now" on the date the snapshot was built as of."""
    monkeypatch.setattr(baseline, "AS_OF", pd.Timestamp(AS_OF))


def ours(built: Built, page: str, flt: Filter = ALL) -> dict[str, pd.DataFrame]:
    """The baseline's figures for a page."""
    return baseline.run(page, built.source, flt)


def mart(con, name: str, flt: Filter = ALL) -> pd.DataFrame:
    """A published mart, restricted to the filter's programs."""
    frame = con.execute(f"select * from main.{name}").df()
    return frame[frame["program_id"].isin(flt.programs)] if flt.programs else frame


def page(con, name: str, flt: Filter = ALL, recomputed: bool = False, **params) -> pd.DataFrame:
    """A figure as the product's page computes it: its query over the snapshot, the sidebar filters bound (every
    cohort year, as the sidebar starts)."""
    first, last = con.execute("select min(cohort_year), max(cohort_year) from main.trainee_facts").fetchone()
    filters = Filters(year_from=first, year_to=last, programs=flt.programs, citizenship=flt.citizenship)
    with queries.reading(con):
        return (queries.mart if recomputed else queries.run)(name, filters, **params)


def same(got: pd.DataFrame, expected: pd.DataFrame, keys: list[str], values: list[str]) -> None:
    """The two frames hold the same values for the same keys (a null key matches a null key)."""
    def tidy(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame[keys + values].copy()
        for key in keys:
            frame[key] = frame[key].astype(object).map(lambda v: "<null>" if pd.isna(v) else str(v))
        frame[values] = frame[values].astype("float64")
        return frame.sort_values(keys).reset_index(drop=True)

    assert len(got) > 0
    pd.testing.assert_frame_equal(tidy(got), tidy(expected), check_exact=False, rtol=1e-9)


def test_cohorts_entrants_per_cohort_program_and_track_equal_the_cohort_sizes_mart(built, con):
    same(ours(built, "cohorts")["entrants"], mart(con, "cohort_sizes"), ["program_id", "track_id", "cohort_year"],
         ["entrants", "female", "urm", "eligible"])


def test_cohorts_funnel_per_program_and_cycle_year_equals_the_cohort_funnel_mart(built, con):
    same(ours(built, "cohorts")["funnel"], mart(con, "cohort_funnel"), ["program_id", "cycle_year"],
         ["applicants", "eligible_applicants", "interviewed", "admitted", "matriculated", "eligible_matriculated",
          "admit_rate", "yield_rate"])


def test_cohorts_funnel_stages_and_demographics_equal_the_page(built, con):
    figures = ours(built, "cohorts")
    same(figures["funnel_stages"], page(con, "funnel_stages"), ["stage"], ["people"])
    same(figures["demographics"], page(con, "cohort_demographics"), ["dimension", "cohort_year", "category"],
         ["entrants"])


def test_tracks_distribution_equals_the_mart_and_completion_by_track_equals_the_page(built, con):
    figures = ours(built, "tracks")
    same(figures["distribution"], mart(con, "track_distribution"), ["program_id", "cohort_year", "track_id"],
         ["trainees", "share"])
    same(figures["completion"], page(con, "tracks_completion"), ["program_id", "track_id"],
         ["entrants", "graduated", "completion_rate", "median_years_to_degree", "in_progress"])


def test_careers_alumni_by_role_group_sector_and_career_type_equal_the_career_outcomes_mart(built, con):
    figures = ours(built, "careers")
    outcomes = mart(con, "career_outcomes")
    for tier, column in (("Role group", "role_group"), ("Sector", "sector"), ("Career type", "career_type")):
        expected = outcomes.groupby(["position_kind", column], as_index=False)["alumni"].sum()
        got = figures["ucot" if tier != "Role group" else "role_groups"]
        got = got[got["tier"] == tier].rename(columns={"category": column})
        same(got, expected, ["position_kind", column], ["alumni"])


def test_careers_summary_job_functions_years_out_and_flows_equal_the_page(built, con):
    figures = ours(built, "careers")
    same(figures["summary"], page(con, "careers_summary"), [],
         ["alumni", "initial_unknown", "current_unknown", "initial_unknown_share", "current_unknown_share"])
    jobs = figures["ucot"][figures["ucot"]["tier"] == "Job function"]
    jobs = jobs.assign(category=jobs["category"].str[:1].str.upper() + jobs["category"].str[1:])
    shown = page(con, "careers_ucot")
    same(jobs, shown[(shown["tier"] == "Job function") & (shown["alumni"] > 0)], ["position_kind", "category"],
         ["alumni", "share"])
    same(figures["bands"].rename(columns={"current_role_group": "role_group"}), page(con, "careers_bands"),
         ["band", "role_group"], ["alumni", "share"])
    label = dict(con.execute("select code, label from main.vocabulary where vocabulary = 'role_group'").fetchall())
    flows = figures["flows"].copy()
    flows["target"] = flows["stage"].map({1: "Initial: ", 2: "Current: "}) + flows["target"].map(label)
    flows["source"] = flows["source"].where(flows["stage"] == 1, "Initial: " + flows["source"].map(label))
    same(flows, page(con, "careers_sankey"), ["stage", "source", "target"], ["alumni"])


def test_funding_dollars_by_fiscal_year_program_and_source_equal_the_stipend_funding_mart(built, con):
    same(ours(built, "funding")["dollars"], mart(con, "stipend_funding"),
         ["fiscal_year", "program_id", "funding_source"],
         ["trainees", "trainee_years", "stipend_usd", "tuition_fees_usd", "health_insurance_usd", "travel_usd",
          "total_usd"])


def test_funding_years_stipends_against_nrsa_levels_and_findings_equal_the_page(built, con):
    figures = ours(built, "funding")
    same(figures["years"], page(con, "funding_years"), ["fiscal_year"],
         ["trainees", "nih_trainees", "other_trainees", "trainee_years", "nih_usd", "total_usd", "nih_share"])
    same(figures["nrsa"], page(con, "funding_nrsa", all_sources=False), ["fiscal_year"],
         ["trainees", "appointments", "paid_usd", "expected_usd", "difference_usd", "paid_share"])
    same(figures["findings"], page(con, "funding_findings_count"), [], ["appointments", "trainees"])


def test_completion_per_program_and_cohort_equals_the_completion_mart(built, con):
    same(ours(built, "completion")["completion"], mart(con, "completion"), ["program_id", "cohort_year"],
         ["entrants", "graduated", "withdrawn", "transferred", "active", "terminal_degrees", "completion_rate",
          "median_years_to_degree", "is_in_progress"])


def test_completion_attrition_past_nominal_and_within_years_equal_the_page(built, con):
    figures = ours(built, "completion")
    same(figures["attrition"], page(con, "completion_attrition"), ["cohort_year", "outcome"], ["trainees"])
    same(figures["past_nominal"], page(con, "completion_past_nominal"), ["program_id"],
         ["nominal_years", "still_enrolled", "past_nominal"])
    same(figures["within_years"], page(con, "completion_within_years"), ["program_id", "cohort_year", "window_years"],
         ["entrants", "graduated_within", "completion_rate"])


def test_overview_kpis_of_the_last_cohort_year_and_the_year_before_and_the_trend_equal_the_page(built, con):
    figures = ours(built, "overview")
    first, last = con.execute("select min(cohort_year), max(cohort_year) from main.trainee_facts").fetchone()
    kpis = page(con, "overview_kpis", year=last, span=2)
    assert figures["kpis"]["academic_year"].tolist() == [last - 1, last]
    same(figures["kpis"], kpis, ["academic_year"], [c for c in kpis.columns if c != "academic_year"])
    per_program = page(con, "overview_programs", year=last, span=2)
    same(figures["programs"], per_program, ["academic_year", "program_id"],
         ["completion_entrants", "completion_graduates", "completion_rate", "graduates", "median_years_to_degree"])
    trend = page(con, "overview_trend", year=last, first_year=first)
    same(figures["trend"], trend, ["academic_year", "measure"], ["trainees"])


def test_trainees_roster_holds_the_pages_trainees_in_the_pages_order(built, con):
    got = ours(built, "trainees")["roster"].reset_index(drop=True)
    columns = ["trainee_id", "trainee_name", "email", "program_name", "track_name", "cohort_year", "status",
               "citizenship", "mentor", "research_topic"]
    everyone, first_page = (page(con, "trainees_roster", **NO_DRILL, limit=n) for n in (None, 100))
    pd.testing.assert_frame_equal(got[columns], everyone[columns], check_dtype=False)
    pd.testing.assert_frame_equal(got[columns].head(100), first_page[columns], check_dtype=False)


def test_about_counts_the_rows_the_refresh_loaded_from_each_raw_file(built):
    files = ours(built, "about")["files"]
    assert dict(zip(files["table"], files["rows"], strict=True)) == {
        table: rows for table, rows in built.row_counts.items() if table in set(files["table"])}
    assert set(files["table"]) == {p.stem for p in built.source.glob("*.csv")}


def test_a_program_filter_narrows_each_figure_to_the_mart_restricted_to_that_program(built, con):
    cohorts, funding, completion = (ours(built, p, HST_MD) for p in ("cohorts", "funding", "completion"))
    assert set(cohorts["entrants"]["program_id"]) == {"hst_md"}
    same(cohorts["entrants"], mart(con, "cohort_sizes", HST_MD), ["track_id", "cohort_year"], ["entrants", "eligible"])
    same(cohorts["funnel"], mart(con, "cohort_funnel", HST_MD), ["cycle_year"], ["applicants", "matriculated"])
    assert funding["dollars"].empty and mart(con, "stipend_funding", HST_MD).empty  # MD students hold no appointments
    same(ours(built, "funding", HST_MEMP)["dollars"], mart(con, "stipend_funding", HST_MEMP),
         ["fiscal_year", "funding_source"], ["trainees", "total_usd"])
    same(completion["completion"], mart(con, "completion", HST_MD), ["cohort_year"],
         ["entrants", "graduated", "median_years_to_degree"])


@pytest.mark.parametrize("flt", [Filter(citizenship=("temporary_visa", "permanent_resident")),
                                 Filter(programs=("bmi_mmsc", "hst_memp"), citizenship=("us_citizen",))])
def test_citizenship_and_program_filters_select_what_the_sidebar_selects(built, con, flt):
    same(ours(built, "cohorts", flt)["entrants"], page(con, "cohort_sizes", flt, recomputed=True),
         ["program_id", "track_id", "cohort_year"], ["entrants", "female", "urm", "eligible"])
    same(ours(built, "cohorts", flt)["funnel"], page(con, "cohort_funnel", flt, recomputed=True),
         ["program_id", "cycle_year"], ["applicants", "admitted", "matriculated"])
    same(ours(built, "funding", flt)["dollars"], page(con, "stipend_funding", flt, recomputed=True),
         ["fiscal_year", "program_id", "funding_source"], ["trainees", "total_usd"])
    same(ours(built, "completion", flt)["completion"], page(con, "completion", flt, recomputed=True),
         ["program_id", "cohort_year"], ["entrants", "graduated", "median_years_to_degree"])
    kpis = page(con, "overview_kpis", flt, year=int(ours(built, "overview")["kpis"]["academic_year"].max()), span=2)
    same(ours(built, "overview", flt)["kpis"], kpis, ["academic_year"], ["trainees_in_selection", "entrants",
                                                                          "graduates", "stipend_usd"])


@pytest.mark.parametrize("name", list(baseline.PAGES))
def test_every_page_returns_figures(built, name):
    figures = baseline.run(name, built.source)
    assert figures and all(isinstance(f, pd.DataFrame) and not f.empty for f in figures.values())


def test_the_baseline_reads_only_the_columns_it_needs_and_rereads_on_every_run(built, monkeypatch):
    calls = []
    read_csv = pd.read_csv

    def spy(path, *args, **kwargs):
        calls.append((Path(path).name, kwargs.get("usecols"), kwargs.get("engine")))
        return read_csv(path, *args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", spy)
    baseline.run("cohorts", built.source)
    first = list(calls)
    baseline.run("cohorts", built.source)
    assert calls == first + first  # nothing cached between reruns
    assert sorted(name for name, _, _ in first) == ["applicants.csv", "programs.csv", "tracks.csv", "trainees.csv"]
    assert all(usecols and engine is None for _, usecols, engine in first)  # usecols given; default C engine
