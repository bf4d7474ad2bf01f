"""Chart builders: one colour-blind-safe palette, titles that say what and for whom, readable axes and hover."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

# Okabe–Ito: distinguishable with the common colour-vision deficiencies, and on light and dark backgrounds.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
# "Unknown" and "no data" categories are always this neutral grey, whatever else a chart shows.
UNKNOWN = "#BBBBBB"
UNKNOWN_NAMES = ("Unknown", "unknown", "No track", "Not reported")


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


# Legend layout estimate: pixels per character and per entry (swatch and gaps), and a conservative plot width.
LEGEND_CHAR_PX, LEGEND_ENTRY_PX, LEGEND_WIDTH_PX, LEGEND_ROW_PX = 6, 40, 900, 20
BASE_HEIGHT = 450


def legend_rows(names: list[str]) -> int:
    """How many rows a horizontal legend of these entries takes, packed left to right."""
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


def _distinguish(fig: go.Figure) -> None:
    """Past the palette's eight colours, repeated colours get a hatch (bars) or a dash (lines) as well."""
    for number, trace in enumerate(_legend_entries(fig)):
        if number < len(PALETTE) or trace.name in UNKNOWN_NAMES:
            continue
        if trace.type == "bar":
            trace.update(marker_pattern_shape="/")
        elif trace.type == "scatter":
            trace.update(line_dash="dash")


def _finish(fig: go.Figure, title: str, percent: bool = False, y_title: str | None = None) -> go.Figure:
    fig.for_each_trace(lambda t: t.update(marker_color=UNKNOWN) if t.name in UNKNOWN_NAMES else None)
    _distinguish(fig)
    # The title sits at the top; the legend sits just above the plot and the top margin grows with its rows, so
    # a long legend never runs into the title (and the plot keeps its height).
    rows = legend_rows([t.name for t in _legend_entries(fig)])
    fig.update_layout(
        title={"text": title, "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 14}},
        legend={"title": {"text": ""}, "orientation": "h", "yanchor": "bottom", "y": 1.01, "xanchor": "left", "x": 0},
        margin={"t": 56 + LEGEND_ROW_PX * rows, "l": 10, "r": 10, "b": 10},
        height=BASE_HEIGHT + LEGEND_ROW_PX * rows,
        hoverlabel={"namelength": -1},
    )
    if percent:
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig


def _traces(frame: pd.DataFrame, x: str, y: str | list[str], labels: dict[str, str], color: str | None,
            make: type) -> tuple[list, str, str, str | None]:
    """One trace per colour group, in order of first appearance, named, coloured and hovered as plotly express does
    (built directly: plotly express takes four times as long). A list of y columns is drawn one trace per column."""
    if isinstance(y, list):
        frame = frame.melt(id_vars=[x], value_vars=y, var_name="variable", value_name="value")
        y, color = "value", "variable"
    label = lambda column: labels.get(column, column)  # noqa: E731
    groups = frame.groupby(color, sort=False) if color else [(None, frame)]
    traces = []
    for number, (value, part) in enumerate(groups):
        hover = ([f"{label(color)}={value}"] if color else []) + [f"{label(x)}=%{{x}}", f"{label(y)}=%{{y}}"]
        traces.append(make(x=part[x].to_numpy(), y=part[y].to_numpy(), name="" if value is None else str(value),
                           legendgroup="" if value is None else str(value), showlegend=color is not None,
                           hovertemplate="<br>".join(hover) + "<extra></extra>",
                           colour=PALETTE[number % len(PALETTE)]))
    return traces, x, y, color


def _figure(traces: list, x: str, y: str, color: str | None, labels: dict[str, str], **layout) -> go.Figure:
    """The traces with axis and legend titles from the labels."""
    fig = go.Figure(traces)
    fig.update_layout(xaxis_title_text=labels.get(x, x), yaxis_title_text=labels.get(y, y),
                      legend={"tracegroupgap": 0, **({"title": {"text": labels.get(color, color)}} if color else {})},
                      **layout)
    return fig


def bar(
    frame: pd.DataFrame,
    x: str,
    y: str | list[str],
    title: str,
    labels: dict[str, str],
    color: str | None = None,
    barmode: str = "stack",
    percent: bool = False,
    horizontal: bool = False,
) -> go.Figure:
    """A bar chart (stacked or grouped by `color`)."""
    def make(colour: str, **trace) -> go.Bar:
        return go.Bar(marker={"color": colour, "pattern": {"shape": ""}}, orientation="h" if horizontal else "v",
                      **trace)

    across, up = (y, x) if horizontal else (x, y)
    traces, across, up, color = _traces(frame, across, up, labels, color, make)
    fig = _figure(traces, across, up, color, labels, barmode=barmode)
    if horizontal:
        fig.update_yaxes(autorange="reversed")  # read top-down, in the order given
    if percent:
        (fig.update_xaxes if horizontal else fig.update_yaxes)(tickformat=".0%", hoverformat=".1%")
    else:
        whole_numbers(fig, "x" if horizontal else "y", frame[y], counts=True)
    if pd.api.types.is_integer_dtype(frame[x]):
        whole_numbers(fig, "y" if horizontal else "x", frame[x])
    return _finish(fig, title)


def line(
    frame: pd.DataFrame, x: str, y: str, title: str, labels: dict[str, str], color: str | None = None,
    percent: bool = False,
) -> go.Figure:
    """A line chart over time, one line per `color`."""
    def make(colour: str, **trace) -> go.Scatter:
        return go.Scatter(mode="lines+markers", line={"color": colour, "dash": "solid"},
                          marker={"symbol": "circle"}, **trace)

    traces, x, y, color = _traces(frame, x, y, labels, color, make)
    fig = _figure(traces, x, y, color, labels, hovermode="x unified")
    if percent:
        fig.update_yaxes(hoverformat=".1%")
    if pd.api.types.is_integer_dtype(frame[x]):
        whole_numbers(fig, "x", frame[x])
    if not percent:
        whole_numbers(fig, "y", frame[y], counts=True)
    fig.update_yaxes(rangemode="tozero")  # a count or rate drawn from zero: a dip of 10 does not look like a collapse
    return _finish(fig, title, percent=percent)


def funnel(frame: pd.DataFrame, stage: str, value: str, title: str, labels: dict[str, str]) -> go.Figure:
    """A funnel of stages (applied -> interviewed -> admitted -> matriculated)."""
    fig = px.funnel(frame, x=value, y=stage, labels=labels, color_discrete_sequence=PALETTE)
    fig.update_traces(texttemplate="%{value:,d}")  # 23,999, not plotly's 23.999k
    return _finish(fig, title)


def _translucent(hex_colour: str, alpha: float = 0.35) -> str:
    """#RRGGBB as rgba() with this opacity."""
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def sankey(links: pd.DataFrame, title: str, source: str = "source", target: str = "target",
           value: str = "value") -> go.Figure:
    """A Sankey diagram from a frame of links (rows with a missing value are left out)."""
    links = links.dropna(subset=[value])
    nodes = list(dict.fromkeys([*links[source], *links[target]]))
    index = {n: i for i, n in enumerate(nodes)}
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(nodes))]
    fig = go.Figure(
        go.Sankey(
            node={"label": nodes, "color": colours, "pad": 12},
            link={
                "source": [index[s] for s in links[source]],
                "target": [index[t] for t in links[target]],
                "value": links[value].tolist(),
                # Each flow in its source's colour, translucent: readable on light and dark backgrounds alike.
                "color": [_translucent(colours[index[s]]) for s in links[source]],
            },
        )
    )
    return _finish(fig, title)


def timeline(spans: pd.DataFrame, milestones: pd.DataFrame, title: str) -> go.Figure:
    """Enrollment, appointments and positions as bars; milestones as diamonds."""
    fig = px.timeline(spans, x_start="start", x_end="finish", y="label", color="kind", title=title,
                      hover_name="label", labels={"label": "", "kind": "", "period": "Dates"},
                      hover_data={"period": True, "label": False, "kind": False, "start": False, "finish": False},
                      color_discrete_sequence=PALETTE)
    fig.add_scatter(x=milestones["milestone_date"], y=milestones["milestone"], mode="markers", name="Milestone",
                    marker={"symbol": "diamond", "size": 12, "color": PALETTE[5]},
                    hovertemplate="%{y}<br>%{x|%Y-%m-%d}<extra></extra>")
    fig.update_yaxes(autorange="reversed")
    return _finish(fig, title)
