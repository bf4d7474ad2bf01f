"""What a leadership report holds: its scope, key figures over the years, notable changes in words, the key charts,
the NIH figures and the data's lineage. Built through dashboard.queries, so a figure means what it means on a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, figures, kpis, queries, roles
from dashboard.filters import Filters
from dashboard.tables import Shown, shown
from etl.contract import LABELS
from reports import nih

MIN_PEOPLE, MIN_SHARE = 3, 0.2  # a notable change: at least 3 people and at least 20% of the earlier count
NOTABLE = "by at least three people and at least 20%"
TREND_YEARS = 5


@dataclass(frozen=True)
class Scope:
    """What a report covers: academic years first_year..year, some programs (none = all), read as a role."""

    year: int
    first_year: int
    programs: tuple[str, ...] = ()
    role: str = "leadership"


@dataclass(frozen=True)
class KeyFigure:
    """A KPI written for each year of the report, with its change over the last year."""

    label: str
    by_year: list[str]
    change: str | None


@dataclass(frozen=True)
class Chart:
    """A chart, what it shows in words, and the rows it draws as a table shows them."""

    key: str
    title: str
    scope: str
    figure: go.Figure | None
    table: Shown
    note: str = ""

    @property
    def summary(self) -> str:
        """The chart in a sentence (its text alternative)."""
        return figures.summary(self.figure) if self.figure is not None else self.note


@dataclass
class Report:
    """A built report, ready to render as HTML or PDF."""

    scope: Scope
    program_names: list[str]
    population: str
    years: list[int]
    figures: list[KeyFigure]
    sentences: list[str]
    charts: list[Chart]
    nih_tables: dict[str, pd.DataFrame]
    lineage: dict
    generated_at: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))

    @property
    def title(self) -> str:
        """The report's title: its academic year."""
        return f"Training program report, academic year {kpis.academic_year(self.scope.year)}"

    def key_figures_table(self) -> tuple[list[str], list[list[str]]]:
        """The key figures as a table: header (measure, each year, change) and one row per figure."""
        header = ["Measure", *(kpis.academic_year(y) for y in self.years),
                  f"Change from {kpis.academic_year(self.years[-1] - 1)}"]
        return header, [[f.label, *f.by_year, f.change or "—"] for f in self.figures]

    @property
    def chart_count(self) -> int:
        """How many charts the report draws (some may have no data)."""
        return sum(chart.figure is not None for chart in self.charts)

    @property
    def audience(self) -> str:
        """Who the report is written for."""
        return roles.ROLE_LABELS[self.scope.role]


def bounds() -> dict[str, int]:
    """The first cohort, last cohort and last academic year on file (the Overview's years)."""
    years = queries.plain("overview_years").iloc[0]
    return {k: int(years[k]) for k in ("first_cohort_year", "last_cohort_year", "last_academic_year")}


def program_options() -> dict[str, str]:
    """Program ids and names, in the order filters list them."""
    return queries.names()[0]


def build(scope: Scope, lineage: dict) -> Report:
    """Run every query the report needs for the scope."""
    years = bounds()
    names = program_options()
    chosen = [names[p] for p in scope.programs if p in names]
    every_cohort = Filters(years["first_cohort_year"], years["last_cohort_year"], programs=scope.programs,
                           program_names=tuple(chosen))
    in_range = Filters(scope.first_year, min(scope.year, years["last_cohort_year"]), programs=scope.programs,
                       program_names=tuple(chosen))
    span = max(scope.year - scope.first_year + 1, 2)
    rows = queries.run("overview_kpis", every_cohort, year=scope.year, span=span).set_index("academic_year")
    per_program = queries.run("overview_programs", every_cohort, year=scope.year, span=span)
    report_years = list(range(scope.first_year, scope.year + 1))
    return Report(
        scope=scope,
        program_names=chosen or list(names.values()),
        population=", ".join(chosen) if chosen else "all programs",
        years=report_years,
        figures=key_figures(rows, per_program, report_years),
        sentences=notable_changes(every_cohort, scope),
        charts=key_charts(scope, every_cohort, in_range),
        nih_tables=nih_figures(scope),
        lineage=lineage,
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def _kept(run_id: str, scope: Scope, lineage_text: str, _lineage: dict) -> Report:
    return build(scope, _lineage)


def kept(run_id: str, scope: Scope, lineage: dict) -> Report:
    """The report for a scope on a snapshot, built once and kept for every session (a report is never changed)."""
    return _kept(run_id, scope, repr(sorted(lineage.items())), lineage)


def key_figures(rows: pd.DataFrame, per_program: pd.DataFrame, years: list[int]) -> list[KeyFigure]:
    """Each KPI for every year, and its change from the year before the last; rates and times per program."""
    def figure(label: str, kpi: kpis.Kpi, by_year: pd.DataFrame) -> KeyFigure:
        written = [kpis.figures(by_year.loc[year, kpi.column], None, kpi.kind)[0] for year in years]
        change = kpis.figures(by_year.loc[years[-1], kpi.column], by_year.loc[years[-1] - 1, kpi.column], kpi.kind)[1]
        return KeyFigure(label, written, change)

    out = [figure(kpi.label, kpi, rows) for kpi in kpis.KPIS]
    for name, _, program in kpis.by_program(per_program):
        out += [figure(f"{kpi.label}, {name}", kpi, program) for kpi in kpis.PROGRAM_KPIS]
    out += [figure(f"Alumni in {kpi.label} roles", kpi, rows) for kpi in kpis.ALUMNI]
    return out


def notable_changes(filters: Filters, scope: Scope) -> list[str]:
    """Sentences for the notable changes over the last year."""
    changes = queries.run("report_changes", filters, year=scope.year, min_people=MIN_PEOPLE, min_share=MIN_SHARE)
    return [sentence(row) for row in changes[changes["is_notable"]].itertuples()]


def sentence(row) -> str:
    """A notable change in plain words: "Entrants to the Imaging track (BMI MMSc) rose from 6 to 11."."""
    verb = "rose" if row.change > 0 else "fell"
    moved = f"{verb} from {row.before:,} to {row.now:,}"
    if row.measure == "entrants" and isinstance(row.track_name, str):
        return f"Entrants to the {row.track_name} track ({row.program_name}) {moved}."
    subject = {"entrants": "Entrants to", "graduates": "Graduates of", "applicants": "Applications to"}[row.measure]
    return f"{subject} {row.program_name} {moved}."


def key_charts(scope: Scope, every_cohort: Filters, in_range: Filters) -> list[Chart]:
    """Cohort sizes, each program's track mix, career outcomes and stipend funding."""
    who = in_range.describe()
    sizes = queries.mart("cohort_sizes", in_range, named=True)
    distribution = queries.mart("track_distribution", in_range, named=True)
    careers = queries.run("careers_role_groups", in_range)
    funding = queries.mart("stipend_funding", every_cohort, named=True)
    funding = funding[funding["fiscal_year"].between(scope.first_year, scope.year + 1)]
    funding = funding.assign(source=funding["funding_source"].map(LABELS))
    kinds = {"position_label": "Position", "role_group_label": "Role group", "alumni": "Alumni", "share": "Share"}
    tracks = {"cohort_year": "Cohort year", "track_name": "Track", "trainees": "Trainees", "share": "Share"}
    specs = [
        ("entrants", "Entrants per cohort year, by program", who, sizes,
         lambda f: charts.bar(f, "cohort_year", "entrants", {"cohort_year": "Cohort year", "entrants": "Entrants",
                                                             "program_name": "Program"}, color="program_name"),
         {"cohort_year": "Cohort year", "program_name": "Program", "track_name": "Track", "entrants": "Entrants"}),
    ]
    for program_id, part in distribution.groupby("program_id", sort=False):
        if part["track_id"].notna().any():  # a program with tracks: its mix per cohort
            name = part["program_name"].iloc[0]
            specs.append((f"tracks_{program_id}", f"Trainees by track per cohort year — {name}", who, part,
                          lambda f: charts.bar(f, "cohort_year", "trainees", tracks, color="track_name"), tracks))
    specs += [
        ("careers", "Alumni by role group, initial and current position", who, careers,
         lambda f: charts.bar(f, "role_group_label", "alumni", kinds, color="position_label", barmode="group",
                              horizontal=True), kinds),
        ("funding", "Dollars by fiscal year and funding source",
         f"{every_cohort.describe().split(';')[0]}; fiscal years {scope.first_year}–{scope.year + 1}", funding,
         lambda f: charts.bar(f, "fiscal_year", "total_usd", {"fiscal_year": "Fiscal year", "total_usd": "Dollars",
                                                              "source": "Funding source"}, color="source",
                              money=True),
         {"fiscal_year": "Fiscal year", "program_name": "Program", "source": "Funding source", "trainees": "Trainees",
          "stipend_usd": "Stipends", "total_usd": "Total"}),
    ]
    out = []
    for key, title, population, frame, draw, columns in specs:
        table = shown(frame, columns)
        if frame.empty:
            out.append(Chart(key, title, population, None, table, "No data in this scope."))
            continue
        out.append(Chart(key, title, population, figures.figure(f"report_{key}", frame, draw), table))
    return out


def nih_figures(scope: Scope) -> dict[str, pd.DataFrame]:
    """NIH Table 6A/6B and Table 8 Part III for the scope's programs, through its year."""
    table6 = nih.table6(queries.execute, through=scope.year)
    part3 = nih.table8_part3(queries.execute, through=scope.year)
    if scope.programs:
        table6 = table6[table6["program_id"].isin(scope.programs)]
        part3 = part3[part3["program_id"].isin(scope.programs)]
    out = {}
    counts6 = ["total_applicant_pool", "applicants_eligible", "new_entrants", "new_entrants_eligible", "new_appointees"]
    for part in ("6A", "6B"):
        rows = table6[table6["nih_table"] == part].reset_index(drop=True)
        if rows.empty:
            continue
        years = rows[rows["is_mean"] == 0].astype({c: "int64" for c in counts6})
        means = rows[rows["is_mean"] == 1].copy()
        means[counts6] = means[counts6].round(1)
        table = pd.concat([years.astype({c: object for c in counts6}), means.astype({c: object for c in counts6})],
                          ignore_index=True)
        table = table.sort_values(["program_name", "is_mean", "year_label"], kind="stable")
        out[f"Table {part}"] = table[list(nih.TABLE6_COLUMNS)].rename(columns=nih.TABLE6_COLUMNS)
    for part in ("8A", "8B"):
        rows = part3[part3["nih_table"] == part].reset_index(drop=True)
        if not rows.empty:
            out[f"Table {part} Part III"] = nih.part3_sheet(rows)
    return out


def nih_part1(scope: Scope) -> dict[str, pd.DataFrame]:
    """Table 8A/8B Part I for the scope's programs: trainee names, so only for roles that may see trainees."""
    if not roles.sees_trainees(scope.role):
        return {}
    rows = nih.table8_part1(queries.execute, through=scope.year)
    if scope.programs:
        rows = rows[rows["program_id"].isin(scope.programs)]
    return {f"Table {part} Part I": nih.part1_sheet(rows[rows["nih_table"] == part])
            for part in ("8A", "8B") if (rows["nih_table"] == part).any()}
