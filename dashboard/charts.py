"""Chart builders: each category in its one colour (dashboard.palette), readable axes, hover that says what a bar is
and what its stack adds up to. A chart's title and its summary sentence sit above it on the page (layout.figure), so
they wrap at any width; the figure itself holds axes, legend and data."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import palette

PALETTE, UNKNOWN = palette.PALETTE, palette.UNKNOWN
BASE_HEIGHT = 420
# Legend layout estimate for a wide screen (pixels per character, per entry; the plot width): the figure grows by a
# row's height per legend row, so the plot keeps its height; on a narrow screen plotly's own margins make room.
LEGEND_CHAR_PX, LEGEND_ENTRY_PX, LEGEND_WIDTH_PX, LEGEND_ROW_PX = 7, 40, 900, 22


def whole_numbers(fig: go.Figure, axis: str, values: pd.Series | pd.DataFrame, counts: bool = False) -> go.Figure:
    """Ticks on whole numbers only, at a readable step; counts get a thousands separator, years do not."""
    if isinstance(values, pd.DataFrame):
        values = values.stack()
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if numbers.empty or not (numbers % 1 == 0).all():
        return fig
    span = float(numbers.max() - min(numbers.min(), 0 if axis == "y" else numbers.min()))
    step = next((s for s in (1, 2, 5, 10, 20, 50, 100) if span / s <= 12), None)
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    return update(tickformat=",d" if counts else "d", **({"dtick": step} if step else {}))


def plain(value: object) -> str:
    """Text plotly draws as it is: its own markup (<a href>, <b>, <br>, …) taken as text, never as a link or tag."""
    return str(value).replace("<", "&lt;").replace(">", "&gt;")


def _positions(values: pd.Series):
    """A trace's positions: categories (text) made plain; numbers and dates as they are."""
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        return values.map(lambda v: v if v is None or (isinstance(v, float) and pd.isna(v)) else plain(v)).to_numpy()
    return values.to_numpy()


def legend_rows(names: list[str]) -> int:
    """How many rows a horizontal legend of these entries takes on a wide screen, packed left to right."""
    rows, used = 0, LEGEND_WIDTH_PX
    for name in names:
        width = LEGEND_CHAR_PX * len(name) + LEGEND_ENTRY_PX
        if used + width > LEGEND_WIDTH_PX:
            rows, used = rows + 1, 0
        used += width
    return rows


def _legend_entries(fig: go.Figure) -> list:
    """The bar and line traces the legend lists (Sankey and timeline nodes are labelled in place)."""
    return [t for t in fig.data if t.type in ("bar", "scatter") and t.name and t.showlegend is not False]


def styles(names: list[str]) -> dict[str, tuple[str, str]]:
    """Each series' colour and hatch: its fixed or learned one (palette), else the palette's colours no other series
    of the chart has, in turn."""
    fixed = {name: palette.style(name) for name in names}
    taken = {style[0] for style in fixed.values() if style}
    free = [colour for colour in PALETTE if colour not in taken] or list(PALETTE)
    out, spare = {}, 0
    for name in names:
        if fixed[name]:
            out[name] = fixed[name]
        else:
            out[name] = (free[spare % len(free)], palette.HATCHES[(spare // len(free)) % len(palette.HATCHES)])
            spare += 1
    return out


def _finish(fig: go.Figure, percent: bool = False, y_title: str | None = None) -> go.Figure:
    """Legend above the plot (its rows make room for themselves), no title inside the figure, full hover names."""
    rows = legend_rows([t.name for t in _legend_entries(fig)])
    fig.update_layout(
        title={"text": ""},
        legend={"title": {"text": ""}, "orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        margin={"t": 16, "l": 10, "r": 10, "b": 10, "autoexpand": True},
        height=BASE_HEIGHT + LEGEND_ROW_PX * rows,
        hoverlabel={"namelength": -1},
    )
    if percent:
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig


def _traces(frame: pd.DataFrame, along: str, value: str | list[str], labels: dict[str, str], color: str | None,
            make, value_format: str, horizontal: bool = False,
            additive: bool = False) -> tuple[list, str, str, str | None]:
    """One trace per colour group, in order of first appearance, named, coloured and hovered (built directly: plotly
    express takes four times as long). `along` holds the categories or years, `value` the figures (drawn up, or
    across when horizontal); a list of value columns is drawn one trace per column."""
    if isinstance(value, list):
        frame = frame.melt(id_vars=[along], value_vars=value, var_name="variable", value_name="value")
        value, color = "value", "variable"
    label = lambda column: labels.get(column, column)  # noqa: E731
    if additive:  # rows at the same place in a series (a program's tracks, say) make one bar: its hover is the sum
        keys = [color, along] if color else [along]
        frame = frame.groupby(keys, sort=False, dropna=False)[value].sum(min_count=1).reset_index()
    groups = list(frame.groupby(color, sort=False)) if color else [(None, frame)]
    looks = styles([str(name) for name, _ in groups]) if color else {}
    position, size = ("y", "x") if horizontal else ("x", "y")
    traces = []
    for group, part in groups:
        name = "" if group is None else str(group)
        colour, hatch = looks.get(name, (PALETTE[0], ""))
        named = f"{plain(label(color))}: {plain(name)}" if label(color) else plain(name)
        hover = ([named] if color else []) + [
            f"{plain(label(along))}: %{{{position}}}", f"{plain(label(value))}: %{{{size}{value_format}}}"]
        traces.append(make(**{position: _positions(part[along]), size: part[value].to_numpy()}, name=plain(name),
                           legendgroup=name, showlegend=color is not None,
                           hovertemplate="<br>".join(hover) + "<extra></extra>", colour=colour, hatch=hatch))
    return traces, along, value, color


def _figure(traces: list, x: str, y: str, labels: dict[str, str], **layout) -> go.Figure:
    """The traces with axis titles from the labels."""
    fig = go.Figure(traces)
    fig.update_layout(xaxis_title_text=plain(labels.get(x, x)), yaxis_title_text=plain(labels.get(y, y)),
                      legend={"tracegroupgap": 0}, **layout)
    return fig


def _stack_totals(fig: go.Figure, horizontal: bool, percent: bool, money: bool) -> None:
    """Each bar of a stack says in its hover what the whole stack adds up to (when bars share a place at all)."""
    across, up = ("y", "x") if horizontal else ("x", "y")
    totals: dict = {}
    places = [position for trace in fig.data for position in trace[across]]
    if len(places) == len(set(places)):  # every bar stands alone: nothing stacks
        return
    for trace in fig.data:
        for position, value in zip(trace[across], trace[up], strict=True):
            if value is not None and not pd.isna(value):
                totals[position] = totals.get(position, 0) + value
    written = ".1%" if percent else ("$,.0f" if money else ",.2~f")
    for trace in fig.data:
        trace.customdata = [[totals.get(position, 0)] for position in trace[across]]
        trace.hovertemplate = trace.hovertemplate.replace(
            "<extra></extra>", f"<br>Total: %{{customdata[0]:{written}}}<extra></extra>")


def bar(
    frame: pd.DataFrame,
    x: str,
    y: str | list[str],
    labels: dict[str, str],
    color: str | None = None,
    barmode: str = "stack",
    percent: bool = False,
    horizontal: bool = False,
    money: bool = False,
) -> go.Figure:
    """A bar chart (stacked or grouped by `color`) of counts, `percent` shares or `money` (dollars); horizontal bars
    read top-down in the order given."""
    def make(colour: str, hatch: str, **trace) -> go.Bar:
        return go.Bar(marker={"color": colour, "pattern": {"shape": hatch}, "line": {"width": 0}},
                      orientation="h" if horizontal else "v", **trace)

    written = ":.1%" if percent else (":$,.0f" if money else ":,.2~f")
    traces, along, value, color = _traces(frame, x, y, labels, color, make, written, horizontal,
                                          additive=not percent)
    fig = _figure(traces, *((value, along) if horizontal else (along, value)), labels, barmode=barmode)
    if horizontal:
        fig.update_yaxes(autorange="reversed", automargin=True)
    if percent:
        (fig.update_xaxes if horizontal else fig.update_yaxes)(tickformat=".0%", rangemode="tozero")
    else:
        whole_numbers(fig, "x" if horizontal else "y", frame[y], counts=True)
    if pd.api.types.is_integer_dtype(frame[x]):
        whole_numbers(fig, "y" if horizontal else "x", frame[x])
    if money:
        (fig.update_xaxes if horizontal else fig.update_yaxes)(tickprefix="$")
    if barmode == "stack" and len(traces) > 1:
        _stack_totals(fig, horizontal, percent, money)
    if not horizontal:
        fig.update_xaxes(automargin=True)
    return _finish(fig)


def line(
    frame: pd.DataFrame, x: str, y: str, labels: dict[str, str], color: str | None = None, percent: bool = False,
) -> go.Figure:
    """A line chart over time, one line per `color`, drawn from zero (a dip of 10 does not look like a collapse)."""
    def make(colour: str, hatch: str, **trace) -> go.Scatter:
        return go.Scatter(mode="lines+markers", line={"color": colour, "dash": "dash" if hatch else "solid"},
                          marker={"symbol": "circle"}, **trace)

    traces, x, y, color = _traces(frame, x, y, labels, color, make, ":.1%" if percent else ":,.2~f")
    fig = _figure(traces, x, y, labels, hovermode="x unified")
    if percent:
        fig.update_yaxes(hoverformat=".1%")
    if pd.api.types.is_integer_dtype(frame[x]):
        whole_numbers(fig, "x", frame[x])
    if not percent:
        whole_numbers(fig, "y", frame[y], counts=True)
    fig.update_yaxes(rangemode="tozero")
    return _finish(fig, percent=percent)


def funnel(frame: pd.DataFrame, stage: str, value: str, labels: dict[str, str]) -> go.Figure:
    """A funnel of stages (applied -> interviewed -> admitted -> matriculated), each with its count."""
    fig = go.Figure(go.Funnel(
        x=frame[value].to_numpy(), y=frame[stage].to_numpy(), marker={"color": PALETTE[0]},
        texttemplate="%{value:,d}", textinfo="value",  # 23,999, not plotly's 23.999k
        hovertemplate=f"{labels.get(stage, stage)}: %{{y}}<br>{labels.get(value, value)}: %{{x:,}}<extra></extra>"))
    fig.update_yaxes(automargin=True)
    return _finish(fig)


def _translucent(hex_colour: str, alpha: float = 0.35) -> str:
    """#RRGGBB as rgba() with this opacity."""
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def node_name(label: str) -> str:
    """The category a Sankey node stands for: "Current: Academic" -> "Academic"; a program's trainees without a
    track ("GEMS (no track)") -> "No track"."""
    if label.endswith(" (no track)"):
        return "No track"
    return label.split(": ", 1)[1] if ": " in label else label


def sankey(links: pd.DataFrame, source: str = "source", target: str = "target", value: str = "value") -> go.Figure:
    """A Sankey diagram from a frame of links (rows with a missing value are left out); each node in its category's
    colour, each flow in its source's, translucent."""
    links = links.dropna(subset=[value])
    nodes = list(dict.fromkeys([*links[source], *links[target]]))
    index = {n: i for i, n in enumerate(nodes)}
    looks = styles(list(dict.fromkeys(node_name(n) for n in nodes)))
    colours = [looks[node_name(n)][0] for n in nodes]
    fig = go.Figure(
        go.Sankey(
            node={"label": [plain(n) for n in nodes], "color": colours, "pad": 12,
                  "hovertemplate": "%{label}: %{value:,} alumni<extra></extra>"},
            link={
                "source": [index[s] for s in links[source]],
                "target": [index[t] for t in links[target]],
                "value": links[value].tolist(),
                "color": [_translucent(colours[index[s]]) for s in links[source]],
                "hovertemplate": "%{source.label} → %{target.label}: %{value:,} alumni<extra></extra>",
            },
        )
    )
    return _finish(fig)


def timeline(spans: pd.DataFrame, milestones: pd.DataFrame) -> go.Figure:
    """Enrollment, appointments and positions as bars from start to finish; milestones as diamonds."""
    looks = styles([*dict.fromkeys(spans["kind"]), "Milestone"])
    fig = go.Figure()
    for kind, part in spans.groupby("kind", sort=False):
        start = pd.to_datetime(part["start"])
        length = (pd.to_datetime(part["finish"]) - start).dt.total_seconds() * 1000
        fig.add_bar(base=start, x=length, y=_positions(part["label"]), orientation="h", name=plain(kind),
                    marker={"color": looks[str(kind)][0]}, customdata=part[["period"]].to_numpy(),
                    hovertemplate="%{y}<br>%{customdata[0]}<extra></extra>")
    fig.add_scatter(x=milestones["milestone_date"], y=milestones["milestone"], mode="markers", name="Milestone",
                    marker={"symbol": "diamond", "size": 12, "color": looks["Milestone"][0]},
                    hovertemplate="%{y}<br>%{x|%Y-%m-%d}<extra></extra>")
    fig.update_xaxes(type="date")
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _finish(fig)
