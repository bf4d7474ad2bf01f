"""What a leadership report holds: its scope, key figures over the years, notable changes in words, the key charts,
the NIH figures and the data's lineage. Built through dashboard.queries, so a figure means what it means on a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, figures, kpis, privacy, queries, roles
from dashboard.filters import Filters
from etl.contract import LABELS
from reports import nih

MIN_PEOPLE, MIN_SHARE = 3, 0.2  # a notable change: at least 3 people and at least 20% of the earlier count
NOTABLE = "by at least three people and at least 20%"  # in words: a digit under 5 in a leadership page reads as a count
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
    """A chart and the rows it draws, as a table shows them (suppressed for the role)."""

    key: str
    title: str
    figure: go.Figure | None
    table: pd.DataFrame
    note: str = ""


@dataclass
class Report:
    """A built report, ready to render as HTML or PDF."""

    scope: Scope
    program_names: list[str]
    population: str
    years: list[int]
    figures: list[KeyFigure]
    sentences: list[str]
    unstated: int
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
    def suppresses(self) -> bool:
        """True when small cells are hidden for the role the report is read as."""
        return roles.suppresses_small_cells(self.scope.role)


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
    span = scope.year - scope.first_year + 1
    rows = queries.run("overview_kpis", every_cohort, year=scope.year, span=max(span, 2)).set_index("academic_year")
    report_years = list(range(scope.first_year, scope.year + 1))
    sentences, unstated = notable_changes(every_cohort, scope)
    return Report(
        scope=scope,
        program_names=chosen or list(names.values()),
        population=", ".join(chosen) if chosen else "all programs",
        years=report_years,
        figures=key_figures(rows, report_years, scope.role),
        sentences=sentences,
        unstated=unstated,
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


def key_figures(rows: pd.DataFrame, years: list[int], role: str) -> list[KeyFigure]:
    """Each KPI for every year, and its change from the year before the last (suppressed like the Overview)."""
    out = []
    for kpi in (*kpis.KPIS, *kpis.ALUMNI):
        written = []
        for year in years:
            value, basis = kpis.of(kpi, rows.loc[year])
            written.append(kpis.figures(value, None, basis, [], role, kpi.kind)[0])
        value, basis = kpis.of(kpi, rows.loc[years[-1]])
        previous, previous_basis = kpis.of(kpi, rows.loc[years[-1] - 1])
        change = kpis.figures(value, previous, basis, previous_basis, role, kpi.kind)[1]
        out.append(KeyFigure(f"Alumni in {kpi.label} roles" if kpi in kpis.ALUMNI else kpi.label, written, change))
    return out


def notable_changes(filters: Filters, scope: Scope) -> tuple[list[str], int]:
    """Sentences for the notable changes over the last year, and how many were left unsaid to protect small groups."""
    changes = queries.run("report_changes", filters, year=scope.year, min_people=MIN_PEOPLE, min_share=MIN_SHARE)
    sentences, unstated = [], 0
    for row in changes[changes["is_notable"]].itertuples():
        if roles.suppresses_small_cells(scope.role) and privacy.is_small(pd.Series([row.before, row.now])).any():
            unstated += 1
            continue
        sentences.append(sentence(row))
    return sentences, unstated


def sentence(row) -> str:
    """A notable change in plain words: "Entrants to the Imaging track (BMI MMSc) rose from 6 to 11."."""
    verb = "rose" if row.change > 0 else "fell"
    moved = f"{verb} from {row.before:,} to {row.now:,}"
    if row.measure == "entrants" and isinstance(row.track_name, str):
        return f"Entrants to the {row.track_name} track ({row.program_name}) {moved}."
    subject = {"entrants": "Entrants to", "graduates": "Graduates of", "applicants": "Applications to"}[row.measure]
    return f"{subject} {row.program_name} {moved}."


def key_charts(scope: Scope, every_cohort: Filters, in_range: Filters) -> list[Chart]:
    """Cohort sizes, track distribution, career outcomes and stipend funding, suppressed for the role."""
    who = in_range.describe()
    sizes = queries.mart("cohort_sizes", in_range, named=True)
    distribution = queries.mart("track_distribution", in_range, named=True)
    careers = queries.run("careers_role_groups", in_range)
    funding = queries.mart("stipend_funding", every_cohort, named=True)
    funding = funding[funding["fiscal_year"].between(scope.first_year, scope.year + 1)]
    funding = funding.assign(source=funding["funding_source"].map(LABELS))
    kinds = {"position_label": "Position", "role_group_label": "Role group", "alumni": "Alumni", "share": "Share"}
    specs = [
        ("entrants", "Entrants per cohort year by program and track", sizes,
         lambda f, t: charts.bar(f, "cohort_year", "entrants", t, {"cohort_year": "Cohort year", "entrants": "Entrants",
                                                                   "group": "Program · track"}, color="group"),
         {"counts": ["entrants"], "groups": [["cohort_year"]]},
         {"cohort_year": "Cohort year", "program_name": "Program", "track_name": "Track", "entrants": "Entrants"}),
        ("tracks", "Share of each cohort by track", distribution,
         lambda f, t: charts.line(f, "cohort_year", "share", t, {"cohort_year": "Cohort year", "share": "Share",
                                                                 "group": "Program · track"}, color="group",
                                  percent=True),
         {"counts": ["trainees"], "derived": {"share": ["trainees"]}, "groups": [["program_id", "cohort_year"]]},
         {"cohort_year": "Cohort year", "program_name": "Program", "track_name": "Track", "trainees": "Trainees",
          "share": "Share"}),
        ("careers", "Alumni by role group, initial and current position", careers,
         lambda f, t: charts.bar(f, "role_group_label", "alumni", t, kinds, color="position_label", barmode="group"),
         {"counts": ["alumni"], "derived": {"share": ["alumni", "all_alumni"]}, "groups": [["position_kind"]]},
         kinds),
        ("funding", "Dollars by fiscal year and funding source", funding,
         lambda f, t: charts.bar(f, "fiscal_year", "total_usd", t, {"fiscal_year": "Fiscal year",
                                                                    "total_usd": "Dollars", "source": "Funding source"},
                                 color="source").update_yaxes(tickprefix="$"),
         {"counts": ["trainees"], "derived": {"total_usd": ["trainees"], "stipend_usd": ["trainees"]},
          "groups": [["fiscal_year"]]},
         {"fiscal_year": "Fiscal year", "program_name": "Program", "source": "Funding source", "trainees": "Trainees",
          "stipend_usd": "Stipends", "total_usd": "Total"}),
    ]
    out = []
    for key, title, frame, draw, protection, columns in specs:
        title = f"{title} — {who if key != 'funding' else every_cohort.describe().split(';')[0]}"
        if frame.empty:
            out.append(Chart(key, title, None, pd.DataFrame(columns=list(columns.values())), "No data in this scope."))
            continue
        protected = privacy.protect(frame, scope.role, **protection)
        plotted = [*protection["counts"], *protection.get("derived", {})]
        note = (f"Counts below {privacy.threshold()} (other than zero), and figures derived from them, are shown as "
                f"{privacy.label()} and left out of the chart.") if protected.any else ""
        figure = figures.figure(f"report_{key}", protected.values, lambda f, d=draw, t=title: d(f, t))
        if protected.any and protected.values[plotted].isna().all().all():
            figure, note = None, (f"Every figure here comes from a group smaller than {privacy.threshold()}, so none "
                                  "can be shown.")
        shown = protected.display()
        if "share" in shown:
            shown["share"] = shown["share"].map(lambda v: f"{v:.0%}" if isinstance(v, float) and not pd.isna(v) else v)
        out.append(Chart(key, title, figure, shown[list(columns)].rename(columns=columns), note))
    return out


def nih_figures(scope: Scope) -> dict[str, pd.DataFrame]:
    """NIH Table 6A/6B and Table 8 Part III for the scope's programs, through its year, suppressed for the role."""
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
        protected = privacy.protect(years, scope.role, counts6)
        shown = protected.display()
        means = rows[rows["is_mean"] == 1].copy()
        if protected.any:  # a mean over years with a hidden count would give the hidden count back
            hidden = protected.mask.groupby(years["program_id"])[counts6].any()
            for column in counts6:
                masked = means["program_id"].map(hidden[column]).fillna(False).astype(bool)
                means[column] = means[column].map(lambda v: f"{v:,.1f}").mask(masked, privacy.label())
        else:
            means[counts6] = means[counts6].round(1)
        table = pd.concat([shown, means.astype({c: object for c in counts6})], ignore_index=True)
        table = table.sort_values(["program_name", "is_mean", "year_label"], kind="stable")
        out[f"Table {part}"] = table[list(nih.TABLE6_COLUMNS)].rename(columns=nih.TABLE6_COLUMNS)
    for part in ("8A", "8B"):
        rows = part3[part3["nih_table"] == part].reset_index(drop=True)
        if rows.empty:
            continue
        protected = privacy.protect(
            rows, scope.role, ["supported_entrants", "completed", "in_training", "left_program"],
            derived={"percent_completed": ["completed", "supported_entrants"], "mean_years_to_degree": ["completed"]})
        out[f"Table {part} Part III"] = nih.part3_sheet(protected.values).astype(object).where(
            ~protected.mask[list(nih.TABLE8_PART3_COLUMNS)].to_numpy(), privacy.label())
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
