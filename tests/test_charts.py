"""Chart builders: legends never run into the title, more series than colours stay distinguishable, axes read well."""

from __future__ import annotations

import pandas as pd

from dashboard import charts


def stacked(series: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"year": [2020] * len(series), "group": series, "people": range(1, len(series) + 1)})


def test_legend_rows_pack_entries_left_to_right():
    # 900 px per row; an entry of n characters takes 6n + 40 px.
    assert charts.legend_rows([]) == 0
    assert charts.legend_rows(["a" * 10] * 8) == 1  # 8 x 100 = 800 px
    assert charts.legend_rows(["a" * 10] * 10) == 2  # the ninth entry would need 900 px on the first row
    assert charts.legend_rows(["a" * 200]) == 1  # one long entry still takes one row


def test_the_top_margin_and_height_grow_with_the_legend_rows():
    few = charts.bar(stacked(["A", "B"]), "year", "people", "t", {}, color="group")
    many = charts.bar(stacked([f"Program number {i} · a fairly long track name" for i in range(9)]), "year", "people",
                      "t", {}, color="group")
    rows = charts.legend_rows([f"Program number {i} · a fairly long track name" for i in range(9)])
    assert rows > 1
    assert many.layout.margin.t - few.layout.margin.t == charts.LEGEND_ROW_PX * (rows - 1)
    assert many.layout.height - few.layout.height == charts.LEGEND_ROW_PX * (rows - 1)
    # The title is pinned to the top of the figure, the legend to the top of the plot.
    assert (many.layout.title.yref, many.layout.title.yanchor) == ("container", "top")
    assert (many.layout.legend.yanchor, many.layout.legend.y) == ("bottom", 1.01)


def test_series_past_the_eighth_colour_are_hatched():
    fig = charts.bar(stacked([f"S{i}" for i in range(10)]), "year", "people", "t", {}, color="group")
    hatched = [t.name for t in fig.data if t.marker.pattern.shape == "/"]
    assert hatched == ["S8", "S9"]
    assert fig.data[8].marker.color == fig.data[0].marker.color  # the colour repeats; the hatch tells them apart


def test_lines_past_the_eighth_colour_are_dashed():
    frame = pd.DataFrame({"year": [2020, 2021] * 9, "group": [f"S{i}" for i in range(9) for _ in (0, 1)],
                          "people": range(18)})
    fig = charts.line(frame, "year", "people", "t", {}, color="group")
    assert [t.name for t in fig.data if t.line.dash == "dash"] == ["S8"]


def test_unknown_is_grey_and_never_hatched():
    fig = charts.bar(stacked([*(f"S{i}" for i in range(8)), "Unknown"]), "year", "people", "t", {}, color="group")
    unknown = next(t for t in fig.data if t.name == "Unknown")
    assert unknown.marker.color == charts.UNKNOWN and not unknown.marker.pattern.shape


def test_counts_get_a_thousands_separator_and_years_do_not():
    frame = pd.DataFrame({"year": [2019, 2020], "people": [1200, 1400]})
    fig = charts.bar(frame, "year", "people", "t", {})
    assert fig.layout.yaxis.tickformat == ",d" and fig.layout.xaxis.tickformat == "d"


def test_a_sankey_has_no_legend_rows():
    links = pd.DataFrame({"source": ["Clinical", "Clinical"], "target": ["Academic", "Industry"], "value": [5, 7]})
    fig = charts.sankey(links, "t")
    assert fig.layout.margin.t == charts.sankey(links.head(1), "t").layout.margin.t
    assert list(fig.data[0].node.label) == ["Clinical", "Academic", "Industry"]


def test_sankey_flows_take_their_source_colour_translucent():
    links = pd.DataFrame({"source": ["Clinical", "Clinical", "Imaging"], "target": ["Academic", "Industry", "Academic"],
                          "value": [5, 7, 6]})
    fig = charts.sankey(links, "t")
    # Nodes in order Clinical, Imaging, Academic, Industry take the palette's colours 0..3; #0072B2 = (0, 114, 178).
    assert list(fig.data[0].link.color) == ["rgba(0,114,178,0.35)", "rgba(0,114,178,0.35)", "rgba(230,159,0,0.35)"]


def test_line_charts_start_their_axis_at_zero():
    frame = pd.DataFrame({"year": [2019, 2020, 2021], "people": [60, 80, 70]})
    assert charts.line(frame, "year", "people", "t", {}).layout.yaxis.rangemode == "tozero"


def test_funnel_stages_read_as_whole_numbers_with_separators():
    frame = pd.DataFrame({"stage": ["Applied", "Admitted"], "people": [23999, 3314]})
    assert charts.funnel(frame, "stage", "people", "t", {}).data[0].texttemplate == "%{value:,d}"
