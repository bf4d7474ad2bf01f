"""The public outcomes: a fixed set of tables and charts for the programs' website, each program on its own, over
fixed five-year cohort bands, with small cells suppressed and the whole set audited (reports.disclosure)."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from etl import config, lineage
from etl.contract import CAREER_TYPE, SECTOR
from etl.warehouse import Published
from reports import disclosure as sdc
from reports.disclosure import Count, Group, Median, Share, Space, where

SQL_DIR = Path(__file__).resolve().parent / "sql"
Query = Callable[[str, dict], pd.DataFrame]  # runs SQL with bound values: queries.execute, or a connection's
BAND_YEARS, BANDS = 5, 4
SUPPRESSED, IN_PROGRESS = "suppressed", "in progress"

# The atoms of each kind of population (disclosure.Space): the categories of every grouping the tables publish about
# it; sector and career type split the graduates only.
GRADUATED = ("within_8", "within_10", "later")
ENTRANTS = Space(
    {
        "gender_group": ("women", "men", "another"),
        "origin": ("domestic_urm", "domestic_other", "international", "unknown"),
        "outcome": (*GRADUATED, "not_graduated"),
        "sector": SECTOR,
        "career_type": CAREER_TYPE,
    },
    {"sector": ("outcome", GRADUATED), "career_type": ("outcome", GRADUATED)},
)
APPLICATIONS = Space({"stage": ("not_admitted", "admitted", "matriculated")})
DOMESTIC = ("domestic_urm", "domestic_other")
# Each published count as the atoms it adds up (the SQL in reports/sql defines the same groupings: public_base).
COUNTS = {
    "applications": where(),
    "admitted": where(stage=("admitted", "matriculated")),
    "matriculated": where(stage=("matriculated",)),
    "entrants": where(),
    "women": where(gender_group=("women",)),
    "men": where(gender_group=("men",)),
    "another_gender": where(gender_group=("another",)),
    "domestic": where(origin=DOMESTIC),
    "international": where(origin=("international",)),
    "citizenship_unknown": where(origin=("unknown",)),
    "urm_domestic": where(origin=("domestic_urm",)),
    "graduated_within_8": where(outcome=("within_8",)),
    "graduated_within_10": where(outcome=("within_8", "within_10")),
    "graduates": where(outcome=GRADUATED),
}
SHARES = {  # percent column: (numerator, denominator)
    "admit_pct": ("admitted", "applications"),
    "yield_pct": ("matriculated", "admitted"),
    "women_pct": ("women", "entrants"),
    "men_pct": ("men", "entrants"),
    "another_gender_pct": ("another_gender", "entrants"),
    "domestic_pct": ("domestic", "entrants"),
    "international_pct": ("international", "entrants"),
    "citizenship_unknown_pct": ("citizenship_unknown", "entrants"),
    "urm_pct": ("urm_domestic", "domestic"),
    "within_8_pct": ("graduated_within_8", "entrants"),
    "within_10_pct": ("graduated_within_10", "entrants"),
}
ROWS = {  # a row's total and the parts that add up to it
    "gender": ("entrants", ("women", "men", "another_gender")),
    "citizenship": ("entrants", ("domestic", "international", "citizenship_unknown")),
}


@dataclass(frozen=True)
class Column:
    """A column of a public table: a count, with the percent beside it if any, or a median."""

    label: str
    measure: str
    percent: str | None = None
    percent_label: str = ""
    kind: str = "count"


@dataclass(frozen=True)
class Table:
    """One of the fixed public tables: its sheet name, title, what its bands count, columns and note."""

    sheet: str
    title: str
    band_label: str
    columns: tuple[Column, ...]
    note: str
    careers: str | None = None  # a careers table: its UCOT dimension (one row per category)


TABLES = (
    Table("Admissions", "Admissions funnel", "Cycle years", (
        Column("Applications", "applications"),
        Column("Admitted", "admitted", "admit_pct", "Admit rate"),
        Column("Matriculated", "matriculated", "yield_pct", "Yield"),
    ), "Applications by the cycle year of intended entry. Admit rate = admitted / applications; yield = matriculated "
       "/ admitted."),
    Table("Enrollment", "Enrollment and demographics", "Cohorts", (
        Column("Entrants", "entrants"),
        Column("Women", "women", "women_pct", "Women, % of entrants"),
        Column("Men", "men", "men_pct", "Men, % of entrants"),
        Column("Another gender or not reported", "another_gender", "another_gender_pct",
               "Another gender or not reported, % of entrants"),
        Column("Domestic", "domestic", "domestic_pct", "Domestic, % of entrants"),
        Column("International", "international", "international_pct", "International, % of entrants"),
        Column("Citizenship unknown", "citizenship_unknown", "citizenship_unknown_pct",
               "Citizenship unknown, % of entrants"),
        Column("URM (domestic entrants)", "urm_domestic", "urm_pct", "URM, % of domestic entrants"),
    ), "Entrants by the academic year they entered. Domestic = US citizens, non-citizen nationals and permanent "
       "residents; international = temporary visa. URM is counted among domestic entrants only, as CNGLS reports "
       "it, and its percent is of domestic entrants. Gender is grouped on purpose: women, men, and another gender or "
       "not reported."),
    Table("Completion", "Completion within 8 and 10 years of entry", "Cohorts", (
        Column("Entrants", "entrants"),
        Column("Completed within 8 years", "graduated_within_8", "within_8_pct", "Within 8 years, % of entrants"),
        Column("Completed within 10 years", "graduated_within_10", "within_10_pct",
               "Within 10 years, % of entrants"),
    ), "Degrees earned within 8 (10) years of entry, elapsed time, leaves included. A band whose entrants have not "
       "all had 8 (10) years by the data's as-of date reads \"in progress\": its figure could still rise."),
    Table("Time to degree", "Time to degree", "Cohorts", (
        Column("Graduates so far", "graduates"),
        Column("Median years to degree", "median_years_to_degree", kind="median"),
    ), "Median elapsed years from entry to degree (leaves included) of the band's graduates so far; shown when at "
       "least {threshold} have graduated."),
    Table("Careers by sector", "Career outcomes by sector", "Cohorts", (
        Column("Alumni", "alumni", "alumni_pct", "Alumni, % of all alumni"),
    ), "Alumni (graduates so far) by the UCOT sector of their current position; Unknown = no position on file.",
        careers="sector"),
    Table("Careers by career type", "Career outcomes by career type", "Cohorts", (
        Column("Alumni", "alumni", "alumni_pct", "Alumni, % of all alumni"),
    ), "Alumni (graduates so far) by the UCOT career type of their current position; Unknown = no position on file.",
        careers="career_type"),
)
QUERIES = ("public_funnel", "public_enrollment", "public_completion", "public_time_to_degree", "public_careers",
           "public_entrant_atoms", "public_application_atoms")


@dataclass(frozen=True)
class Band:
    """A fixed band of calendar years (cohort years for entrants, cycle years for applications)."""

    start: int
    end: int

    @property
    def label(self) -> str:
        """The band as printed, e.g. 2016–2020."""
        return f"{self.start}–{self.end}"


def cohort_bands(first: int, last: int, count: int = BANDS, years: int = BAND_YEARS) -> list[Band]:
    """The last `count` bands of `years` calendar years up to the last cohort, aligned so bands end on multiples of
    `years` (2011–2015, 2016–2020, …); bands wholly before the first cohort are left out."""
    end = -(-last // years) * years
    starts = [end - years * (count - i) + 1 for i in range(count)]
    return [Band(s, s + years - 1) for s in starts if s + years - 1 >= first]


def _body(sql: str) -> str:
    lines = sql.strip().splitlines()
    while lines and lines[0].lstrip().startswith("--"):
        lines.pop(0)
    return "\n".join(lines).strip()


def sql(name: str) -> str:
    """reports/sql/<name>.sql, prefixed with the populations it counts (public_base)."""
    base = _body((SQL_DIR / "public_base.sql").read_text(encoding="utf-8"))
    body = _body((SQL_DIR / f"{name}.sql").read_text(encoding="utf-8"))
    if re.match(r"with\s", body, flags=re.IGNORECASE):
        body = body[4:].lstrip()
    return f"with {base},\n{body}"


@dataclass
class PublicOutcomes:
    """The built public outcomes: the bands, the protected release, its audit and the frames the figures come from."""

    lineage: dict
    threshold: int
    bands: list[Band]
    last_cohort_year: int
    programs: dict[str, str]
    frames: dict[str, pd.DataFrame]
    release: sdc.Release
    audit: sdc.Audit
    seconds: float = 0.0
    generated_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))

    @property
    def summary(self) -> dict:
        """How much is hidden, and the audit's result."""
        return sdc.summary(self.release, self.audit)

    def in_progress(self, program_id: str, years: int) -> list[str]:
        """The bands of a program whose completion within `years` years is still in progress."""
        rows = self.frames["public_completion"]
        rows = rows[(rows["program_id"] == program_id) & ~rows[f"has_{years}_years"].astype(bool)]
        return [self._band(b).label for b in rows["band_start"]]

    def _band(self, start: int) -> Band:
        return next(b for b in self.bands if b.start == start)

    def cell(self, program_id: str, band: Band, measure: str, kind: str) -> tuple[float | int | None, str]:
        """A figure as published: its value (None unless shown) and its status (shown, suppressed, in progress,
        n/a)."""
        key = (program_id, band.start, measure)
        if kind == "median":
            figure = self.release.medians[key]
            value = None if figure.value is None else round(figure.value, 1)
        elif kind == "percent":
            figure = self.release.shares[key]
            value = figure.percent
        else:
            figure = self.release.counts[key]
            value = figure.value
        if figure.status in sdc.HIDDEN:
            return None, SUPPRESSED
        if figure.status == sdc.PENDING:
            return None, IN_PROGRESS
        return (value, "shown") if value is not None else (None, "n/a")

    def rows(self, table: Table, program_id: str) -> list[tuple[Band, str, str]]:
        """A table's rows for a program: (band, row label, measure prefix); careers tables list each category."""
        if table.careers is None:
            return [(band, "", "") for band in self.bands]
        careers = self.frames["public_careers"]
        careers = careers[(careers["program_id"] == program_id) & (careers["dimension"] == table.careers)]
        out = []
        for band in self.bands:
            for row in careers[careers["band_start"] == band.start].itertuples():
                out.append((band, row.label, f"{table.careers}:{row.category}"))
            out.append((band, "All alumni", "graduates"))
        return out

    def records(self) -> list[dict]:
        """Every published figure, one dict each: table, program, band, row, measure, kind, value, status."""
        out = []
        for table in TABLES:
            for program_id, program in self.programs.items():
                for band, row, prefix in self.rows(table, program_id):
                    for column in table.columns:
                        for measure, label, kind in figures_of(column, prefix):
                            value, status = self.cell(program_id, band, measure, kind)
                            out.append({"table": table.title, "program_id": program_id, "program": program,
                                        "band": band.label, "row": row, "measure": label, "kind": kind,
                                        "value": value, "status": status})
        return out


def figures_of(column: Column, prefix: str) -> list[tuple[str, str, str]]:
    """The figures a column publishes for a row: (release measure, label, kind); in a careers table the row's prefix
    names the category's count (and "graduates", the All alumni row, has no percent)."""
    if prefix == "graduates":
        return [("graduates", column.label, "count")]
    out = [(prefix or column.measure, column.label, column.kind)]
    if column.percent:
        out.append((f"{prefix}:{column.percent}" if prefix else column.percent, column.percent_label, "percent"))
    return out


def build(query: Query, lineage: dict, threshold: int | None = None, programs: tuple[str, ...] | None = None,
          complementary: bool = True) -> PublicOutcomes:
    """Query the public figures, suppress and audit them: the public outcomes of a snapshot (all programs, or some:
    programs share no figure, so any of them is protected on its own)."""
    started = time.perf_counter()
    threshold = threshold if threshold is not None else config.suppression_threshold()
    scope = query(sql_file("public_scope"), {}).iloc[0]
    if pd.isna(scope["last_cohort_year"]):
        raise sdc.DisclosureError("no trainees on file: there is nothing to publish")
    bands = cohort_bands(int(scope["first_cohort_year"]), int(scope["last_cohort_year"]))
    params = {"first_year": bands[0].start, "last_year": bands[-1].end, "band_years": BAND_YEARS}
    frames = {}
    for name in QUERIES:
        frame = query(sql(name), params | ({"threshold": threshold} if name == "public_careers" else {}))
        frames[name] = frame if programs is None else frame[frame["program_id"].isin(programs)].reset_index(drop=True)
    release = assemble(frames, bands)
    audit = sdc.protect(release, threshold, complementary)
    names = frames["public_enrollment"].drop_duplicates("program_id").set_index("program_id")["program_name"]
    names = {**names.to_dict(), **frames["public_funnel"].set_index("program_id")["program_name"].to_dict()}
    return PublicOutcomes(lineage, threshold, bands, int(scope["last_cohort_year"]), dict(sorted(
        names.items(), key=lambda item: (str(item[1]), item[0]))), frames, release, audit,
        time.perf_counter() - started)


def sql_file(name: str) -> str:
    """reports/sql/<name>.sql as it is."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def assemble(frames: dict[str, pd.DataFrame], bands: list[Band]) -> sdc.Release:
    """Every figure the tables publish, as counts over atoms, percents, medians and the rows that add up."""
    program_ids = sorted(set(frames["public_enrollment"]["program_id"]) | set(frames["public_funnel"]["program_id"]))
    release = sdc.Release({}, {})
    for program_id in program_ids:
        for band in bands:
            release.spaces[("entrants", program_id, band.start)] = ENTRANTS
            release.spaces[("applications", program_id, band.start)] = APPLICATIONS
    _truth(release, frames, program_ids, bands)
    population = {"public_funnel": "applications"}
    for name in ("public_funnel", "public_enrollment", "public_completion", "public_time_to_degree"):
        for row in frames[name].itertuples(index=False):
            row = row._asdict()
            pop = (population.get(name, "entrants"), row["program_id"], int(row["band_start"]))
            for measure in COUNTS:
                if measure in row:
                    key = (row["program_id"], int(row["band_start"]), measure)
                    value = None if pd.isna(row[measure]) else int(row[measure])
                    if key in release.counts and release.counts[key].value != value:
                        raise sdc.DisclosureError(f"{measure} differs between the public tables at {key}")
                    release.add(Count(key, pop, COUNTS[measure], value))
            for measure, (numerator, denominator) in SHARES.items():
                if measure in row:
                    key = (row["program_id"], int(row["band_start"]))
                    percent = None if pd.isna(row[measure]) else int(row[measure])
                    release.add(Share((*key, measure), (*key, numerator), (*key, denominator), percent))
            if "median_years_to_degree" in row:
                key = (row["program_id"], int(row["band_start"]))
                value = None if pd.isna(row["median_years_to_degree"]) else float(row["median_years_to_degree"])
                release.add(Median((*key, "median_years_to_degree"), (*key, "graduates"), value))
    for program_id in program_ids:
        for band in bands:
            key = (program_id, band.start)
            for total, parts in ROWS.values():
                release.add(Group((*key, total), tuple((*key, p) for p in parts)))
            matriculated, entrants = release.counts[(*key, "matriculated")], release.counts[(*key, "entrants")]
            if matriculated.value == entrants.value:  # a reader may well take them for the same people
                release.mirrors.append((matriculated.key, entrants.key))
    _careers(release, frames["public_careers"])
    return release


def _careers(release: sdc.Release, careers: pd.DataFrame) -> None:
    """The careers rows: each category shown (pooled ones as one row, their members kept for the audit)."""
    for (program_id, band_start, dimension), rows in careers.groupby(["program_id", "band_start", "dimension"]):
        key, pop = (program_id, int(band_start)), ("entrants", program_id, int(band_start))
        graduates = release.counts[(*key, "graduates")]
        if int(rows["all_alumni"].iloc[0]) != graduates.value:
            raise sdc.DisclosureError(f"alumni and graduates differ for {key}")
        parts = []
        for row in rows.itertuples():
            measure = (*key, f"{dimension}:{row.category}")
            members = [str(m) for m in row.members]
            release.add(Count(measure, pop, where(**{dimension: members}), int(row.alumni)))
            percent = None if pd.isna(row.alumni_pct) else int(row.alumni_pct)
            release.add(Share((*key, f"{dimension}:{row.category}:alumni_pct"), measure, graduates.key, percent))
            parts.append(measure)
            if row.category == "pooled":
                for member in members:
                    release.add(Count((*key, f"{dimension}:{member}"), pop, where(**{dimension: [member]}), None,
                                      pool=measure))
        release.add(Group(graduates.key, tuple(parts)))


def _truth(release: sdc.Release, frames: dict[str, pd.DataFrame], program_ids: list[str], bands: list[Band]) -> None:
    """The real number of people in each atom, which the audit checks its model against."""
    dims = list(ENTRANTS.dims)
    entrants = {k: dict(zip(map(tuple, g[dims].to_numpy()), g["people"].astype(int), strict=True))
                for k, g in frames["public_entrant_atoms"].groupby(["program_id", "band_start"])}
    applications = {k: dict(zip(((s,) for s in g["stage"]), g["applications"].astype(int), strict=True))
                    for k, g in frames["public_application_atoms"].groupby(["program_id", "band_start"])}
    for program_id in program_ids:
        for band in bands:
            key = (program_id, band.start)
            release.truth[("entrants", *key)] = ENTRANTS.vector(entrants.get(key, {}))
            release.truth[("applications", *key)] = APPLICATIONS.vector(applications.get(key, {}))


PART_LABELS = {"women": "Women", "men": "Men", "another_gender": "Another gender or not reported"}
POOLED_LABEL, SUPPRESSED_LABEL = "Pooled categories", "Suppressed"


def _stack(outcomes: PublicOutcomes, program_id: str, total: str, parts: list[tuple[str, str]]) -> pd.DataFrame:
    """Rows of a stacked bar chart: each shown part per band, and the rest of a shown total as "Suppressed" (what the
    published figures already imply), so every bar adds up to its published total."""
    rows = []
    order = {label: i for i, (_, label) in enumerate(parts)} | {SUPPRESSED_LABEL: len(parts)}
    for band in outcomes.bands:
        whole, status = outcomes.cell(program_id, band, total, "count")
        if status != "shown" or not whole:
            continue
        shown = 0
        for measure, label in parts:
            if (program_id, band.start, measure) not in outcomes.release.counts:
                continue  # a category pooled in this band
            value, status = outcomes.cell(program_id, band, measure, "count")
            if status == "shown" and value:
                rows.append({"band": band.label, "people": value, "group": label})
                shown += value
        if whole > shown:
            rows.append({"band": band.label, "people": whole - shown, "group": SUPPRESSED_LABEL})
    frame = pd.DataFrame(rows, columns=["band", "people", "group"])
    # Categories stack (and list in the legend) in the tables' order, "Suppressed" last, whatever the first band holds.
    return frame.sort_values("group", key=lambda g: g.map(order), kind="stable").reset_index(drop=True)


def charts(outcomes: PublicOutcomes, program_id: str) -> list[tuple[str, go.Figure | None, str]]:
    """A program's charts, built by dashboard.charts: (title, figure or None when nothing can be drawn, note)."""
    from dashboard import charts as builders

    name = outcomes.programs[program_id]
    out = []
    gender = _stack(outcomes, program_id, "entrants", list(PART_LABELS.items()))
    careers = outcomes.frames["public_careers"]
    careers = careers[(careers["program_id"] == program_id) & (careers["dimension"] == "sector")]
    categories = dict.fromkeys(
        (f"sector:{r.category}", POOLED_LABEL if r.category == "pooled" else r.label)
        for r in careers.sort_values("sort_order", kind="stable").itertuples())
    sector = _stack(outcomes, program_id, "graduates", list(categories))
    rates = []
    for band in outcomes.bands:
        for years in (8, 10):
            value, status = outcomes.cell(program_id, band, f"within_{years}_pct", "percent")
            if status == "shown" and value is not None:
                rates.append({"band": band.label, "rate": value / 100, "group": f"Within {years} years"})
    rates = pd.DataFrame(rates, columns=["band", "rate", "group"])
    skipped = "Bands whose completion is still in progress, or whose figure is suppressed, are not drawn."
    for title, frame, y, label, extra, note in (
        (f"Entrants by gender, {name}", gender, "people", "Entrants", {}, ""),
        (f"Alumni by sector of their current position, {name}", sector, "people", "Alumni", {}, ""),
        (f"Completion within 8 and 10 years of entry, {name}", rates, "rate", "Completed",
         {"barmode": "group", "percent": True}, skipped),
    ):
        figure = None if frame.empty else builders.bar(
            frame, x="band", y=y, labels={"band": "Cohorts", y: label, "group": ""}, color="group",
            **extra).update_xaxes(categoryorder="array", categoryarray=[b.label for b in outcomes.bands])
        out.append((title, figure, note))
    return out


@dataclass(frozen=True)
class Source:
    """Where to read a published snapshot: its run id, file and publication time."""

    run_id: str
    path: str
    published_at: str = ""


def from_snapshot(source: Source, programs: tuple[str, ...] | None = None, threshold: int | None = None,
                  complementary: bool = True) -> PublicOutcomes:
    """The public outcomes of a published snapshot file, read through its own read-only connection."""
    con = duckdb.connect(source.path, read_only=True)
    try:
        info = lineage.read_from(con, Published(source.run_id, Path(source.path), source.published_at, "", ""))
        return build(lambda text, params: con.execute(text, params).df(), info, threshold, programs, complementary)
    finally:
        con.close()


@st.cache_resource(max_entries=8, show_spinner="Building the public outcomes and auditing their suppression…")
def kept(run_id: str, path: str, published_at: str, programs: tuple[str, ...] | None,
         threshold: int) -> PublicOutcomes:
    """The public outcomes of a snapshot for the Reports page: built once per snapshot, programs and threshold."""
    return from_snapshot(Source(run_id, path, published_at), programs, threshold)
