"""Small-cell protection of a fixed set of published tables: primary and complementary suppression, and an audit that
bounds every hidden count by linear programming over everything published, as statistical agencies audit tables."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

# How the audit models a reader, and why (the rule statistical agencies' tools apply):
#
# - Atoms. Each population the tables describe (the entrants of one program and cohort band; the applications of one
#   program and cycle band) is split by every grouping published about it: gender group, citizenship/URM, completion
#   outcome, and, for graduates, career sector and career type. Each grouping is a set of disjoint categories (one
#   non-negative variable each), and the groupings are linked by equalities: each adds up to the same people, and a
#   nested one (sector, career type) to the categories it splits (the graduates). A published count is a sum of
#   one grouping's atoms, so every table describing the same people is linked through them: the entrants of the
#   demographics and the completion tables, the alumni total and the time-to-degree graduates, and nested counts
#   (admitted <= applications; within 8 years <= within 10 years <= graduates <= entrants). While every figure
#   concerns one grouping, this is exactly as tight as the full cross-classification (the "cover table" of
#   linked-table protection: rtauargus' tab_multi_manager protects a set of linked tables through their common
#   cells, iterating until no common cell is hit anew), at a fraction of the size; a figure crossing two
#   groupings is refused (Space.mask) rather than modelled loosely.
# - Constraints: a shown count is an equality; a shown whole percent p of n/d is p - 0.5 <= 100 n/d <= p + 0.5;
#   since zeros are always shown, every suppressed count is at least 1 (GaussSuppression's ComputeIntervals takes
#   such a known minimum of suppressed cells, `minVal`); two counts of different populations that a reader may take
#   for the same number (matriculated applicants and entrants of a band, when equal) are equal, and their
#   populations are audited together.
# - For each suppressed (or pooled-away) count the audit minimises and maximises it with HiGHS (linprog): the
#   attacker's problem of sdcTable's attack(), which reports the lower and upper bound of each primary suppressed
#   cell. sdcTable calls a cell protected when its bounds differ at all; GaussSuppression can require a lower bound
#   at most, or an upper bound at least, some value (IntervalLimits: lomax_/upmin_). The rule here: a count holding
#   1 to threshold - 1 is protected only if its interval, rounded inward to whole people, reaches outside
#   [1, threshold - 1], so the published set neither pins it nor proves it small. Like those tools, the audit solves
#   the linear relaxation; its bounds are rounded inward to whole people, but a reader solving the integer program
#   could, in rare cases, bound a cell more tightly still.
# - The model is checked against the truth on every run: the real atom counts must satisfy every constraint, or the
#   build stops (a definition and its atoms would disagree, and the audit would prove nothing).

SHOWN, PRIMARY, SECONDARY, DERIVED, PENDING, POOLED = (
    "shown", "primary", "secondary", "derived", "in progress", "pooled")
HIDDEN = (PRIMARY, SECONDARY, DERIVED)
Key = tuple
Where = tuple[tuple[str, frozenset[str]], ...]
TOLERANCE = 1e-6


class DisclosureError(Exception):
    """The figures cannot be protected, or the audit's model disagrees with the data."""


def where(**dimensions) -> Where:
    """An atom filter: for each named dimension, the categories counted (dimensions left out: any)."""
    return tuple(sorted((name, frozenset(values)) for name, values in dimensions.items()))


@dataclass(frozen=True, eq=False)
class Space:
    """The atoms of a kind of population: the categories of each grouping published about it (each grouping splits
    the whole population, or, when nested, some categories of another grouping), linked by their totals."""

    dims: dict[str, tuple[str, ...]]
    nested: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # dim -> (parent dim, categories)

    def __post_init__(self) -> None:
        atoms = [(d, c) for d, cats in self.dims.items() for c in cats]
        object.__setattr__(self, "atoms", tuple(atoms))
        object.__setattr__(self, "_index", {a: i for i, a in enumerate(atoms)})

    def row(self, dim: str, categories) -> np.ndarray:
        """The atoms of some categories of one grouping, as a 0/1 row."""
        out = np.zeros(len(self.atoms))
        for category in categories:
            out[self._index[(dim, category)]] = 1
        return out

    def mask(self, filter_: Where) -> np.ndarray:
        """The atoms a filter counts: one grouping's categories, or (no filter) everyone."""
        if not filter_:
            first = next(iter(self.dims))
            return self.row(first, self.dims[first])
        if len(filter_) > 1:
            raise DisclosureError(f"a count over two groupings needs their cross-classification: {filter_}")
        (dim, values), = filter_
        return self.row(dim, values)

    def links(self) -> list[np.ndarray]:
        """Rows that must sum to zero: every grouping adds up to the same people (a nested one, to the categories it
        splits)."""
        everyone = self.mask(())
        out = []
        for dim, cats in list(self.dims.items())[1:]:
            parent = self.row(*self.nested[dim]) if dim in self.nested else everyone
            out.append(self.row(dim, cats) - parent)
        return out

    def vector(self, people: dict[tuple[str, ...], int]) -> np.ndarray:
        """People per atom from people per combination of every grouping (a nested grouping's value is ignored
        outside the categories it splits)."""
        out = np.zeros(len(self.atoms))
        names = list(self.dims)
        for combination, n in people.items():
            values = dict(zip(names, combination, strict=True))
            for dim, value in values.items():
                if dim in self.nested and values[self.nested[dim][0]] not in self.nested[dim][1]:
                    continue
                if (dim, value) not in self._index:
                    raise DisclosureError(f"the data holds a category the model lacks: {dim} = {value}")
                out[self._index[(dim, value)]] += n
        return out


@dataclass
class Count:
    """A count of the people of a population that a filter selects; value None: not final, so not published."""

    key: Key
    population: Key
    filter: Where
    value: int | None
    status: str = SHOWN
    pool: Key | None = None  # a category coarsened away: the pooled count that holds it (never published itself)

    def __post_init__(self) -> None:
        if self.value is None and self.status == SHOWN:
            self.status = PENDING

    @property
    def hidden(self) -> bool:
        """True when the count is published as suppressed."""
        return self.status in HIDDEN


@dataclass
class Share:
    """A whole percent numerator / denominator of two counts of the same population (None: denominator 0)."""

    key: Key
    numerator: Key
    denominator: Key
    percent: int | None
    status: str = SHOWN


@dataclass
class Median:
    """A median over the people a count counts (not a count: it bounds nothing, but hides with its count)."""

    key: Key
    count: Key
    value: float | None
    status: str = SHOWN


@dataclass(frozen=True)
class Group:
    """A row of a table whose parts add up to its total (the complement a reader can take)."""

    total: Key
    parts: tuple[Key, ...]


@dataclass
class Release:
    """Everything a fixed public output publishes, with the truth the audit checks its model against."""

    spaces: dict[Key, Space]
    truth: dict[Key, np.ndarray]
    counts: dict[Key, Count] = field(default_factory=dict)
    shares: dict[Key, Share] = field(default_factory=dict)
    medians: dict[Key, Median] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    mirrors: list[tuple[Key, Key]] = field(default_factory=list)
    coarsened: list[Count] = field(default_factory=list)

    def add(self, item: Count | Share | Median | Group) -> None:
        """Add a published figure or a row relation."""
        if isinstance(item, Group):
            self.groups.append(item)
        elif isinstance(item, Count) and item.pool is not None:
            item.status = POOLED
            self.coarsened.append(item)
        else:
            {Count: self.counts, Share: self.shares, Median: self.medians}[type(item)][item.key] = item


def primary(release: Release, threshold: int) -> int:
    """Suppress every published count from 1 to threshold - 1 (0 is shown); return how many."""
    small = [c for c in release.counts.values() if c.status == SHOWN and 1 <= c.value < threshold]
    for count in small:
        count.status = PRIMARY
    derive(release)
    return len(small)


def derive(release: Release) -> None:
    """Hide every percent and median that rests on a hidden count; percents of counts not yet final are pending."""
    for share in release.shares.values():
        parts = [release.counts[share.numerator], release.counts[share.denominator]]
        if any(p.status == PENDING for p in parts):
            share.status = PENDING
        elif any(p.hidden for p in parts):
            share.status = DERIVED
    for median in release.medians.values():
        if release.counts[median.count].hidden:  # a median rests on fewer than `threshold` people only when hidden
            median.status = DERIVED


def close_rows(release: Release, threshold: int) -> int:
    """Complementary suppression within rows: where a row's total is shown, its hidden parts must be none or at
    least two, and each must be able to reach the threshold given the others are at least 1 (hide the smallest
    non-zero shown part, or the total when none is left); mirrored figures share their status. Return how many."""
    added = 0
    changed = True
    while changed:
        changed = False
        for group in release.groups:
            total = release.counts[group.total]
            if total.status != SHOWN:
                continue
            parts = [release.counts[k] for k in group.parts]
            hidden = [p for p in parts if p.hidden]
            rest = total.value - sum(p.value for p in parts if not p.hidden)
            if not hidden or (len(hidden) >= 2 and rest - (len(hidden) - 1) >= threshold):
                continue
            shown = sorted((p for p in parts if p.status == SHOWN and p.value > 0), key=lambda p: p.value)
            (shown[0] if shown else total).status = SECONDARY
            added, changed = added + 1, True
        for a, b in release.mirrors:
            first, second = release.counts[a], release.counts[b]
            if first.hidden != second.hidden:
                (second if first.hidden else first).status = SECONDARY
                added, changed = added + 1, True
    derive(release)
    return added


@dataclass(frozen=True)
class Interval:
    """What the published set proves about one hidden (or pooled-away) count: its bounds in whole people."""

    key: Key
    status: str
    value: int
    lower: int
    upper: float  # math.inf when nothing bounds it above
    protected: bool
    needs_protection: bool


@dataclass
class Audit:
    """The audit of a release: every hidden count's interval, and whether every small one is protected."""

    threshold: int
    intervals: list[Interval]
    linear_programs: int = 0
    seconds: float = 0.0
    rounds: int = 0

    @property
    def failures(self) -> list[Interval]:
        """Small counts the published set pins or proves small."""
        return [i for i in self.intervals if i.needs_protection and not i.protected]

    @property
    def passed(self) -> bool:
        """True when every small count is protected."""
        return not self.failures


def _bound(objective: np.ndarray, constraints: dict) -> tuple[float, int]:
    result = linprog(objective, bounds=(0, None), method="highs", **constraints)
    return result.fun if result.status == 0 else math.inf, result.status


def components(release: Release) -> list[tuple[Key, ...]]:
    """The populations audited together: each on its own, or with those a mirrored count ties it to."""
    group = {p: {p} for p in release.spaces}
    for a, b in release.mirrors:
        first, second = group[release.counts[a].population], group[release.counts[b].population]
        if first is not second:
            first |= second
            for p in second:
                group[p] = first
    seen, out = set(), []
    for population in release.spaces:
        if population not in seen:
            members = tuple(p for p in release.spaces if p in group[population])
            seen |= set(members)
            out.append(members)
    return out


def _audit_component(release: Release, populations: tuple[Key, ...], threshold: int) -> tuple[list[Interval], int]:
    """Bound every hidden and pooled-away count of some linked populations by linear programming."""
    offsets, size = {}, 0
    for population in populations:
        offsets[population], size = size, size + len(release.spaces[population].atoms)

    def place(population: Key, row: np.ndarray) -> np.ndarray:
        out = np.zeros(size)
        out[offsets[population]:offsets[population] + len(row)] = row
        return out

    inside = set(populations)
    counts = [c for c in release.counts.values() if c.population in inside and c.status != PENDING]
    pooled = [c for c in release.coarsened if c.population in inside]
    targets = [c for c in counts if c.hidden] + pooled
    if not targets:
        return [], 0
    rows = {c.key: place(c.population, release.spaces[c.population].mask(c.filter)) for c in [*counts, *pooled]}
    truth = np.concatenate([release.truth[p] for p in populations])
    equal = [(place(p, row), 0.0, ("groupings add up", p)) for p in populations for row in release.spaces[p].links()]
    equal += [(rows[a] - rows[b], 0.0, (a, b)) for a, b in release.mirrors if a in rows and b in rows]
    equal += [(rows[c.key], c.value, c.key) for c in counts if c.status == SHOWN]
    upper = [(-rows[c.key], -1.0, c.key) for c in counts if c.hidden]
    for share in release.shares.values():
        if share.status == SHOWN and share.percent is not None and share.numerator in rows:
            num, den = rows[share.numerator], rows[share.denominator]
            low, high = max(share.percent - 0.5, 0) / 100, min(share.percent + 0.5, 100) / 100
            upper += [(num - high * den, 0.0, share.key), (low * den - num, 0.0, share.key)]
    for row, bound, key in equal:
        if abs(row @ truth - bound) > TOLERANCE:
            raise DisclosureError(f"the audit's model disagrees with the data at {key}: {row @ truth:g} != {bound}")
    for row, bound, key in upper:
        if row @ truth > bound + TOLERANCE:
            raise DisclosureError(f"the audit's model disagrees with the data at {key}")
    constraints = {"A_eq": np.array([r for r, _, _ in equal]), "b_eq": np.array([b for _, b, _ in equal])}
    if upper:
        constraints |= {"A_ub": np.array([r for r, _, _ in upper]), "b_ub": np.array([b for _, b, _ in upper])}
    out = []
    for count in targets:
        row = rows[count.key]
        low, status = _bound(row, constraints)
        high, _ = _bound(-row, constraints)
        if status == 2:
            raise DisclosureError(f"the published figures contradict each other around {count.key}")
        value = int(round(row @ truth))
        lower, top = math.ceil(low - TOLERANCE), (math.inf if high == math.inf else math.floor(-high + TOLERANCE))
        out.append(Interval(count.key, count.status, value, lower, top, lower < 1 or top > threshold - 1,
                            1 <= value < threshold))
    return out, 2 * len(targets)


def audit(release: Release, threshold: int, cache: dict | None = None) -> Audit:
    """Bound every hidden count of the release; `cache` (kept across rounds) skips components left unchanged."""
    started = time.perf_counter()
    cache = {} if cache is None else cache
    intervals, programs = [], 0
    for populations in components(release):
        inside = set(populations)
        state = tuple((c.key, c.status) for c in release.counts.values() if c.population in inside)
        state += tuple((s.key, s.status) for s in release.shares.values()
                       if release.counts[s.numerator].population in inside)
        if cache.get(populations, (None,))[0] != state:
            cache[populations] = (state, *_audit_component(release, populations, threshold))
            programs += cache[populations][2]
        intervals += cache[populations][1]
    return Audit(threshold, intervals, programs, time.perf_counter() - started)


def _count(release: Release, key: Key) -> Count:
    """A published or pooled-away count."""
    return release.counts.get(key) or next(c for c in release.coarsened if c.key == key)


def _complement_for(release: Release, failing: Interval) -> Count | None:
    """The shown count whose suppression should protect a failing one: a part of its own row first, then the row's
    total, then any other count of its population; the smallest non-zero first."""
    count = _count(release, failing.key)
    key = count.pool or count.key
    usable = lambda k: release.counts[k].status == SHOWN and release.counts[k].value > 0  # noqa: E731
    rows = [g for g in release.groups if key in g.parts or key == g.total]
    linked = next(set(c) for c in components(release) if count.population in c)
    tiers = [
        [key] if count.pool is not None else [],
        [p for g in rows for p in g.parts],
        [g.total for g in rows],
        [c.key for c in release.counts.values() if c.population == count.population],
        [c.key for c in release.counts.values() if c.population in linked],
    ]
    for tier in tiers:
        chosen = sorted((k for k in tier if usable(k)), key=lambda k: (release.counts[k].value, str(k)))
        if chosen:
            return release.counts[chosen[0]]
    return None


def protect(release: Release, threshold: int, complementary: bool = True, max_rounds: int = 500) -> Audit:
    """Primary suppression, then (unless complementary is False) complementary suppression within rows and, while
    the audit finds a small count pinned or proven small, one more suppression in each linked set of populations
    where it does: the audit of the result."""
    started = time.perf_counter()
    primary(release, threshold)
    cache: dict = {}
    if complementary:
        close_rows(release, threshold)
    result = audit(release, threshold, cache)
    programs, rounds = result.linear_programs, 0
    while complementary and not result.passed:
        rounds += 1
        if rounds > max_rounds:
            raise DisclosureError(f"no protection found in {max_rounds} rounds: {result.failures[:3]}")
        linked = {p: c for c in components(release) for p in c}
        handled = set()
        for failing in result.failures:  # one more suppression per linked set of populations, then audit again
            population = _count(release, failing.key).population
            if linked[population] in handled:
                continue
            chosen = _complement_for(release, failing)
            if chosen is None:
                raise DisclosureError(f"nothing left to suppress to protect {failing.key}")
            chosen.status = SECONDARY
            handled.add(linked[population])
        close_rows(release, threshold)
        result = audit(release, threshold, cache)
        programs += result.linear_programs
    result.linear_programs, result.rounds = programs, rounds
    result.seconds = time.perf_counter() - started
    return result


def summary(release: Release, result: Audit) -> dict[str, int | float | bool]:
    """How much the release hides and what the audit did, for the output's "About" part."""
    statuses = [c.status for c in release.counts.values()]
    derived = [f.status for f in (*release.shares.values(), *release.medians.values())]
    return {
        "counts published": sum(s != PENDING for s in statuses),
        "counts suppressed": sum(s in (PRIMARY, SECONDARY) for s in statuses),
        "of them small (primary)": statuses.count(PRIMARY),
        "of them to protect others (complementary)": statuses.count(SECONDARY),
        "percents and medians suppressed with them": derived.count(DERIVED),
        "categories pooled away": len(release.coarsened),
        "cells audited": len(result.intervals),
        "linear programs solved": result.linear_programs,
        "audit passed": result.passed,
        "seconds": round(result.seconds, 2),
    }
