"""A chart in one or two sentences, from the data it draws: the text alternative shown under its title and read by
screen readers (largest and smallest values, where a series starts and ends)."""

from __future__ import annotations

import math

import plotly.graph_objects as go

MOST_SERIES = 4  # past this many series a sentence names the largest and says how many more


def _number(value) -> float | None:
    """A plotted value as a float, None when missing."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _axis_kind(fig: go.Figure, axis: str) -> str:
    """How values on an axis are written: percent, usd, count or decimal."""
    layout = fig.layout.xaxis if axis == "x" else fig.layout.yaxis
    if layout.tickformat and "%" in layout.tickformat:
        return "percent"
    if layout.tickprefix == "$":
        return "usd"
    return "count" if layout.tickformat in (",d", "d") else "decimal"


def written(value: float, kind: str) -> str:
    """A value as the sentence writes it."""
    if kind == "percent":
        return f"{value:.0%}"
    if kind == "usd":
        return f"${value:,.0f}"
    if kind == "count" or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _place(value) -> str:
    """A position on the category axis as text (years without decimals; plotly's escapes undone)."""
    number = _number(value)
    return str(int(number)) if number is not None and number.is_integer() else _text(value)


def _text(value) -> str:
    """A name as the chart shows it (charts.plain escaped its angle brackets for plotly)."""
    return str(value).replace("&lt;", "<").replace("&gt;", ">")


def _points(trace, horizontal: bool) -> list[tuple[object, float]]:
    """A trace's (position, value) pairs with a value."""
    positions, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
    pairs = zip(list(positions if positions is not None else []), list(values if values is not None else []),
                strict=False)
    return [(p, v) for p, v in ((p, _number(v)) for p, v in pairs) if v is not None]


def _extremes(points: list[tuple[object, float]], kind: str) -> str:
    """Highest and lowest of some points, in words."""
    high = max(points, key=lambda p: p[1])
    low = min(points, key=lambda p: p[1])
    if high == low:
        return f"{written(high[1], kind)} ({_place(high[0])})"
    return f"highest {written(high[1], kind)} ({_place(high[0])}), lowest {written(low[1], kind)} ({_place(low[0])})"


def _ordered(positions) -> list:
    """Positions in the axis's order: numbers (years) ascending, categories as they came."""
    places = list(positions)
    return sorted(places) if all(_number(p) is not None for p in places) else places


def _what(fig: go.Figure, horizontal: bool) -> str:
    """What the values are, as the value axis is titled ("" when it has no title)."""
    axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
    return _text(axis.title.text or "").strip()


def _stacked(fig: go.Figure, traces: list, horizontal: bool, kind: str) -> str:
    """Totals of a stacked bar chart and its largest part; for stacks of shares, each bar's largest part."""
    totals: dict = {}
    sums: dict[str, float] = {}
    largest: dict = {}
    for trace in traces:
        for position, value in _points(trace, horizontal):
            totals[position] = totals.get(position, 0) + value
            sums[trace.name] = sums.get(trace.name, 0) + value
            if value > largest.get(position, (None, -1))[1]:
                largest[position] = (trace.name, value)
    if not totals:
        return "No values to draw."
    if kind == "percent":  # every bar is a whole: say what fills most of each
        parts = [f"{_place(p)}: {_text(name)} ({written(v, kind)})" for p, (name, v) in largest.items() if v > 0]
        return "Largest part of each bar — " + "; ".join(parts) + "."
    last = _ordered(totals)[-1]
    what = _what(fig, horizontal)
    sentence = f"Total {what.lower() or 'per bar'}: {_extremes(list(totals.items()), kind)}; the last, " \
        f"{_place(last)}: {written(totals[last], kind)}."
    whole = sum(sums.values())
    if len(sums) > 1 and whole and kind != "percent":
        largest = max(sums, key=sums.get)
        sentence += f" Largest part: {_text(largest)} ({sums[largest] / whole:.0%} of all shown)."
    return sentence


def _each(traces: list, horizontal: bool, kind: str, trend: bool, what: str = "") -> str:
    """Each series' range (and for lines, where it starts and ends), the largest series first past MOST_SERIES."""
    described = []
    ranked = sorted(traces, key=lambda t: -sum(v for _, v in _points(t, horizontal))) if len(traces) > MOST_SERIES \
        else traces
    for trace in ranked[:MOST_SERIES]:
        points = _points(trace, horizontal)
        if not points:
            continue
        name = f"{_text(trace.name)}: " if trace.name else ""
        if trend and len(points) > 1:
            (first, start), (last, end) = points[0], points[-1]
            described.append(f"{name}{written(start, kind)} in {_place(first)} to {written(end, kind)} in "
                             f"{_place(last)}, {_extremes(points, kind)}")
        else:
            described.append(f"{name}{_extremes(points, kind)}")
    more = len(traces) - MOST_SERIES
    tail = f"; and {more} more series (see the data)" if more > 0 else ""
    if not described:
        return "No values to draw."
    return (f"{what} — " if what and len(traces) > 1 else f"{what}: " if what else "") + "; ".join(described) \
        + tail + "."


def sentence(fig: go.Figure) -> str:
    """The chart in words."""
    kinds = {trace.type for trace in fig.data}
    if "sankey" in kinds:
        link = fig.data[0].link
        labels = list(fig.data[0].node.label)
        values = [_number(v) or 0 for v in link.value]
        if not values:
            return "No flows to draw."
        top = max(range(len(values)), key=values.__getitem__)
        return (f"Flows between {len(labels)} groups; the largest: {_text(labels[link.source[top]])} to "
                f"{_text(labels[link.target[top]])}, {values[top]:,.0f}.")
    if "funnel" in kinds:
        trace = fig.data[0]
        stages, values = list(trace.y), [_number(v) or 0 for v in trace.x]
        if not values or not values[0]:
            return "No applicants in this selection."
        return (f"{values[0]:,.0f} at {stages[0]} to {values[-1]:,.0f} at {stages[-1]} "
                f"({values[-1] / values[0]:.0%} of the first stage).")
    traces = [t for t in fig.data if t.type in ("bar", "scatter") and t.name != "Milestone"]
    if any(t.type == "bar" and t.base is not None for t in traces):
        periods = sum(len(t.y) for t in traces)
        milestones = sum(len(t.y) for t in fig.data if t.name == "Milestone")
        return (f"A timeline of {periods} periods ({', '.join(_text(t.name) for t in traces)}) and {milestones} "
                "milestones.")
    if not traces:
        return "No values to draw."
    horizontal = any(getattr(t, "orientation", None) == "h" for t in traces)
    kind = _axis_kind(fig, "x" if horizontal else "y")
    if traces[0].type == "bar" and fig.layout.barmode in (None, "stack", "relative"):
        positions = [p for t in traces for p, _ in _points(t, horizontal)]
        if len(positions) != len(set(positions)):  # bars share a position: they stack, and their total means something
            return _stacked(fig, traces, horizontal, kind)
        every = [(p, v) for t in traces for p, v in _points(t, horizontal)]  # each bar stands alone
        if not every:
            return "No values to draw."
        what = _what(fig, horizontal)
        described = _extremes(every, kind)
        return f"{what}: {described}." if what else f"{described[:1].upper()}{described[1:]}."
    return _each(traces, horizontal, kind, trend=traces[0].type == "scatter", what=_what(fig, horizontal))
