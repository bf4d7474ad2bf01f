"""Key figures: the academic-year KPIs, how a figure is written, and its change, suppressed for the viewer's role."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import privacy


@dataclass(frozen=True)
class Kpi:
    """A key figure: its label, its column in overview_kpis, the counts it rests on, its kind and its page."""

    label: str
    column: str
    basis: tuple[str, ...]
    kind: str  # count, rate, years or usd
    page: str


KPIS = (
    Kpi("Entrants", "entrants", ("entrants",), "count", "cohorts"),
    Kpi("Active trainees", "active_trainees", ("active_trainees",), "count", "completion"),
    Kpi("Graduates", "graduates", ("graduates",), "count", "completion"),
    Kpi("Completion rate", "completion_rate", ("completion_graduates", "completion_entrants"), "rate", "completion"),
    Kpi("Median time to degree", "median_years_to_degree", ("graduates",), "years", "completion"),
    Kpi("Stipends paid", "stipend_usd", ("trainees_paid",), "usd", "funding"),
)
ALUMNI = (
    Kpi("Academic", "alumni_academic", ("alumni_academic",), "count", "careers"),
    Kpi("CIO & informatics leadership", "alumni_cio_leadership", ("alumni_cio_leadership",), "count", "careers"),
    Kpi("Consulting", "alumni_consulting", ("alumni_consulting",), "count", "careers"),
)


def academic_year(year: int) -> str:
    """An academic year (1 July to 30 June) as people write it: 2021–22."""
    return f"{year}–{(year + 1) % 100:02d}"


def number(value) -> float | None:
    """A figure, or None when it is missing."""
    return None if value is None or pd.isna(value) else float(value)


def of(kpi: Kpi, row) -> tuple[float | None, list[float | None]]:
    """The KPI's value and basis counts in a row of overview_kpis."""
    return number(row[kpi.column]), [number(row[b]) for b in kpi.basis]


def figures(value: float | None, previous: float | None, basis: list[float | None],
            previous_basis: list[float | None], role: str, kind: str = "count") -> tuple[str, str | None]:
    """The figure as written and its change against the previous one ("no change"; None when either is hidden)."""
    value, previous = number(value), number(previous)
    now = privacy.protect_value(value, basis, role)
    before = privacy.protect_value(previous, previous_basis, role)
    shown = privacy.label() if value is not None and now is None else written(now, kind)
    if now is None or before is None:
        return shown, None
    change = as_shown(now, kind) - as_shown(before, kind)  # between the figures as shown (2.04 y and 1.96 y: none)
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
