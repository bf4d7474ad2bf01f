"""Key figures: the academic-year KPIs, how a figure is written, its change, and which way is better."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from etl.contract import LABELS


@dataclass(frozen=True)
class Kpi:
    """A key figure: its label, its column in overview_kpis (or overview_programs), its kind, its page, and whether a
    rise is good ("up"), bad ("down") or neither (None)."""

    label: str
    column: str
    kind: str  # count, rate, years or usd
    page: str
    better: str | None = None


# Counts of people and dollars add up across programs; rates and times do not, so they are per program.
KPIS = (
    Kpi("Entrants", "entrants", "count", "cohorts"),
    Kpi("Active trainees", "active_trainees", "count", "completion"),
    Kpi("Graduates", "graduates", "count", "completion"),
    Kpi("Stipends paid", "stipend_usd", "usd", "funding"),
)
PROGRAM_KPIS = (
    Kpi("Completion rate", "completion_rate", "rate", "completion", better="up"),
    Kpi("Median time to degree", "median_years_to_degree", "years", "completion", better="down"),
)
ALUMNI = tuple(
    Kpi(LABELS[group], f"alumni_{group}", "count", "careers")
    for group in ("academic", "cio_informatics_leadership", "consulting")
)


def by_program(rows: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """overview_programs rows split per program: (name, degree, its rows indexed by academic year)."""
    return [(part["program_name"].iloc[0], part["program_degree"].iloc[0], part.set_index("academic_year"))
            for _, part in rows.groupby("program_id", sort=False)]


def academic_year(year: int) -> str:
    """An academic year (1 July to 30 June) as people write it: 2021–22."""
    return f"{year}–{(year + 1) % 100:02d}"


def number(value) -> float | None:
    """A figure, or None when it is missing."""
    return None if value is None or pd.isna(value) else float(value)


def figures(value: float | None, previous: float | None, kind: str = "count") -> tuple[str, str | None]:
    """The figure as written and its change against the previous one ("no change"; None when either is missing)."""
    value, previous = number(value), number(previous)
    shown = written(value, kind)
    if value is None or previous is None:
        return shown, None
    change = as_shown(value, kind) - as_shown(previous, kind)  # between the figures as shown (2.04 y and 1.96 y: none)
    return shown, written_change(change, kind) if change else "no change"


def written(value: float | None, kind: str) -> str:
    """A figure as the dashboard writes it: 12, 83%, 4.2 y, $1,250 ("—" when missing)."""
    if value is None or pd.isna(value):
        return "—"
    if kind == "rate":
        return f"{value:.0%}"
    if kind == "years":
        return f"{value:.1f} y"
    if kind == "usd":
        return f"${value:,.0f}"
    return f"{value:,.0f}"


def as_shown(value: float, kind: str) -> float:
    """A figure rounded as written() shows it (rates in whole percentage points)."""
    return round(value * 100) / 100 if kind == "rate" else round(value, 1 if kind == "years" else 0)


def written_change(change: float, kind: str) -> str:
    """A change as written: +3, -2 pts, +0.4 y, -$1,200 (ASCII minus: Streamlit picks its arrow from it)."""
    if kind == "rate":
        return f"{change * 100:+.0f} pts"
    if kind == "years":
        return f"{change:+.1f} y"
    if kind == "usd":
        return f"{'+' if change >= 0 else '-'}${abs(change):,.0f}"
    return f"{change:+,.0f}"
