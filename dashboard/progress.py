"""Cohorts still in progress (their program's nominal length has not run out): which they are, in words."""

from __future__ import annotations

import pandas as pd


def in_progress(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a per-program, per-cohort frame whose cohort is still in progress."""
    return frame[frame["is_in_progress"].astype(bool)]


def settled(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows whose cohort is no longer in progress."""
    return frame[~frame["is_in_progress"].astype(bool)]


def note(frame: pd.DataFrame) -> str:
    """A sentence naming, per program, the cohorts a chart of settled cohorts leaves out."""
    spans = []
    for name, years in in_progress(frame).groupby("program_name", sort=False)["cohort_year"]:
        first, last = int(years.min()), int(years.max())
        spans.append(f"{name} {first}–{last}" if first != last else f"{name} {first}")
    if not spans:
        return "No cohort in this selection is still in progress."
    return "Cohorts still in progress (their program's nominal length has not run out) are left out: " + \
        "; ".join(spans) + "."
