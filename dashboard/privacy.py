"""Small-cell suppression for aggregate-only roles: counts 1–4, and every figure derived from them, become "<5"."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import roles
from etl import config


def threshold() -> int:
    """Counts below this (and above 0) are suppressed: $SUPPRESSION_THRESHOLD, default 5."""
    return config.suppression_threshold()


def label() -> str:
    """What a suppressed cell shows."""
    return f"<{threshold()}"


def is_small(values: pd.Series) -> pd.Series:
    """True where a count is from 1 to threshold - 1 (0 may show)."""
    numbers = pd.to_numeric(values, errors="coerce")
    return (numbers >= 1) & (numbers < threshold())


@dataclass
class Protected:
    """A frame ready to show: `values` has suppressed cells emptied (for charts), `mask` marks them."""

    values: pd.DataFrame
    mask: pd.DataFrame

    @property
    def any(self) -> bool:
        """True when at least one cell is suppressed."""
        return bool(self.mask.to_numpy().any())

    def display(self) -> pd.DataFrame:
        """The frame for tables and downloads: suppressed cells read "<5" (such columns become text)."""
        shown = self.values.copy()
        for col in shown.columns:
            if self.mask[col].any():
                text = shown[col].map(_text)
                shown[col] = text.mask(self.mask[col], label()).astype("string")
        return shown


def _text(value: object) -> str | None:
    """A number as a table shows it: whole numbers without decimals, others to three places."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.3f}"
    return str(value)


def protect(
    frame: pd.DataFrame,
    role: str,
    counts: list[str],
    derived: dict[str, list[str]] | None = None,
    groups: list[list[str]] | None = None,
    parts: dict[str, list[str]] | None = None,
) -> Protected:
    """Suppress for the role: small `counts`; `derived` columns whose basis counts are small or suppressed;
    within each of `groups` (rows sharing a total), the next smallest count when only one is suppressed; and
    within a row, where `parts` maps a total column to the count columns that add up to it, likewise."""
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    if not roles.suppresses_small_cells(role) or frame.empty:
        return Protected(frame, mask)
    for col in counts:
        mask[col] = is_small(frame[col]).fillna(False).astype(bool)
    for _ in range(5):
        changed = False
        for grouping in groups or []:
            for col in counts:
                changed |= _complement(frame, mask, col, grouping)
        for total, components in (parts or {}).items():
            changed |= _complement_row(frame, mask, total, components)
        if not changed:
            break
    for col, basis in (derived or {}).items():
        hit = pd.Series(False, index=frame.index)
        for b in basis:
            hit |= mask[b] | is_small(frame[b]).fillna(False).astype(bool)
        mask[col] = hit
    values = frame.copy()
    for col in frame.columns:
        if mask[col].any():
            values[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64").where(~mask[col])
    return Protected(values, mask)


def _complement(frame: pd.DataFrame, mask: pd.DataFrame, col: str, grouping: list[str]) -> bool:
    """Within each group, a lone suppressed cell could be recovered from the total: suppress the next smallest."""
    changed = False
    keys = [frame[g].astype(object).fillna("\0") for g in grouping] or [pd.Series(0, index=frame.index)]
    for _, idx in frame.groupby(keys[0] if len(keys) == 1 else keys, sort=False).groups.items():
        if len(idx) < 2 or mask.loc[idx, col].sum() != 1:
            continue
        values = pd.to_numeric(frame.loc[idx, col], errors="coerce")
        candidates = values[~mask.loc[idx, col] & (values > 0)]
        if len(candidates):
            mask.loc[candidates.idxmin(), col] = True
            changed = True
    return changed


def _complement_row(frame: pd.DataFrame, mask: pd.DataFrame, total: str, components: list[str]) -> bool:
    """A row whose shown total leaves one suppressed part recoverable: suppress its next smallest part too."""
    changed = False
    for row in frame.index:
        if mask.at[row, total] or mask.loc[row, components].sum() != 1:
            continue
        values = pd.to_numeric(frame.loc[row, components], errors="coerce")
        candidates = values[~mask.loc[row, components].to_numpy() & (values > 0).to_numpy()]
        if len(candidates):
            mask.at[row, candidates.idxmin()] = True
            changed = True
    return changed


def protect_value(value: float | None, basis: list[float | None], role: str) -> float | None:
    """One figure (a KPI): None when it, or any count it is derived from, is small for this role."""
    if not roles.suppresses_small_cells(role):
        return value
    small = [b for b in basis if b is not None and 1 <= b < threshold()]
    return None if small else value
