"""Chart builders: one colour per category whatever else a chart holds, stacks that say their totals, legends that make
room for themselves, more series than colours still distinguishable, axes that read well."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import charts, palette
from etl.contract import LABELS, VOCABULARIES


def stacked(series: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"year": [2020] * len(series), "group": series, "people": range(1, len(series) + 1)})


def colours(fig) -> dict[str, str]:
    return {t.name: t.marker.color for t in fig.data}


def test_legend_rows_pack_entries_left_to_right():
    # 900 px per row; an entry of n characters takes 7n + 40 px.
    assert charts.legend_rows([]) == 0
    assert charts.legend_rows(["a" * 10] * 8) == 1  # 8 x 110 = 880 px
    assert charts.legend_rows(["a" * 10] * 9) == 2  # the ninth entry would need 990 px on the first row
    assert charts.legend_rows(["a" * 200]) == 1  # one long entry still takes one row


def test_the_figure_grows_with_its_legend_which_sits_above_the_plot_and_the_title_is_outside():
    few = charts.bar(stacked(["A", "B"]), "year", "people", {}, color="group")
    names = [f"Program number {i} · a fairly long track name" for i in range(9)]
    many = charts.bar(stacked(names), "year", "people", {}, color="group")
    rows = charts.legend_rows(names)
    assert rows > 1
    assert many.layout.height - few.layout.height == charts.LEGEND_ROW_PX * (rows - 1)
    assert (many.layout.legend.yanchor, many.layout.legend.y, many.layout.legend.orientation) == ("bottom", 1.02, "h")
    assert many.layout.margin.autoexpand is True  # plotly pushes the plot down by the legend's real height
    assert not many.layout.title.text  # the page's heading carries the title, so it wraps at any width


def test_series_past_the_eighth_colour_are_hatched():
    fig = charts.bar(stacked([f"S{i}" for i in range(10)]), "year", "people", {}, color="group")
    hatched = [t.name for t in fig.data if t.marker.pattern.shape]
    assert hatched == ["S8", "S9"]
    assert fig.data[8].marker.color == fig.data[0].marker.color  # the colour repeats; the hatch tells them apart
    assert len({(t.marker.color, t.marker.pattern.shape) for t in fig.data}) == 10


def test_lines_past_the_eighth_colour_are_dashed():
    frame = pd.DataFrame({"year": [2020, 2021] * 9, "group": [f"S{i}" for i in range(9) for _ in (0, 1)],
                          "people": range(18)})
    fig = charts.line(frame, "year", "people", {}, color="group")
    assert [t.name for t in fig.data if t.line.dash == "dash"] == ["S8"]


def test_unknown_is_pale_grey_and_never_hatched():
    fig = charts.bar(stacked([*(f"S{i}" for i in range(8)), "Unknown"]), "year", "people", {}, color="group")
    unknown = next(t for t in fig.data if t.name == "Unknown")
    assert unknown.marker.color == palette.UNKNOWN == "#BBBBBB" and not unknown.marker.pattern.shape


def test_a_category_keeps_its_colour_whatever_else_the_chart_holds():
    alone = charts.bar(stacked(["Institutional"]), "year", "people", {}, color="group")
    crowded = charts.bar(stacked(["NLM T15", "Self-funded", "Institutional", "External fellowship"]), "year", "people",
                         {}, color="group")
    assert colours(alone)["Institutional"] == colours(crowded)["Institutional"] == palette.ORANGE
    assert colours(crowded)["NLM T15"] == palette.BLUE
    # A series with no colour of its own never takes a colour a fixed category in the same chart has.
    mixed = charts.bar(stacked(["NLM T15", "Something new"]), "year", "people", {}, color="group")
    assert colours(mixed)["Something new"] not in (palette.BLUE, palette.UNKNOWN)


def test_programs_keep_the_colour_of_their_place_among_every_program_not_among_those_shown():
    palette.learn(["Alpha", "Beta", "Gamma"], {"Beta": ["Track one", "Track two"]})
    try:
        only_gamma = charts.bar(stacked(["Gamma"]), "year", "people", {}, color="group")
        all_three = charts.bar(stacked(["Gamma", "Alpha", "Beta"]), "year", "people", {}, color="group")
        assert colours(only_gamma)["Gamma"] == colours(all_three)["Gamma"] == palette.PALETTE[2]
        assert colours(all_three)["Alpha"] == palette.PALETTE[0]
        tracks = charts.bar(stacked(["Track two"]), "year", "people", {}, color="group")
        assert colours(tracks)["Track two"] == palette.PALETTE[1]
    finally:
        palette.learn([], {})


def test_every_label_has_one_colour_and_each_family_tells_its_members_apart():
    for family, styled in palette.FAMILIES.items():
        codes = VOCABULARIES[family]
        assert set(styled) == set(codes), family  # every code of the family has a colour
        for code, colour in styled.items():
            assert palette.FIXED[LABELS.get(code, code)] == (colour, ""), (family, code)  # no label with two colours
        known = [c for c in styled.values() if c != palette.UNKNOWN]
        assert len(known) == len(set(known)), family


def test_each_bar_of_a_stack_says_what_the_stack_adds_up_to():
    frame = pd.DataFrame({"year": [2020, 2020, 2021, 2021, 2022], "group": ["A", "B", "A", "B", "B"],
                          "people": [3, 4, 10, 0, 6]})
    fig = charts.bar(frame, "year", "people", {}, color="group")
    # Totals by hand: 2020 3 + 4 = 7; 2021 10 + 0 = 10; 2022 6.
    for trace in fig.data:
        totals = dict(zip(trace.x, (row[0] for row in trace.customdata), strict=True))
        assert totals == {2020: 7, 2021: 10, 2022: 6} if trace.name == "B" else totals == {2020: 7, 2021: 10}
        assert "Total: %{customdata[0]" in trace.hovertemplate


def test_horizontal_bars_hover_name_the_category_and_then_the_value():
    frame = pd.DataFrame({"track": ["Clinical", "Imaging"], "rate": [0.5, 0.75]})
    fig = charts.bar(frame, "track", "rate", {"track": "Track", "rate": "Completion rate"}, percent=True,
                     horizontal=True)
    trace = fig.data[0]
    assert list(trace.y) == ["Clinical", "Imaging"] and list(trace.x) == [0.5, 0.75]
    assert trace.hovertemplate.startswith("Track: %{y}<br>Completion rate: %{x:.1%}")
    assert fig.layout.xaxis.tickformat == ".0%"


def test_counts_get_a_thousands_separator_and_years_do_not():
    frame = pd.DataFrame({"year": [2019, 2020], "people": [1200, 1400]})
    fig = charts.bar(frame, "year", "people", {})
    assert fig.layout.yaxis.tickformat == ",d" and fig.layout.xaxis.tickformat == "d"


def test_sankey_nodes_take_their_categorys_colour_and_flows_their_source_colour():
    links = pd.DataFrame({"source": ["Clinical", "Clinical", "Initial: Academic"],
                          "target": ["Initial: Academic", "Initial: Industry", "Current: Consulting"],
                          "value": [5, 7, 6]})
    fig = charts.sankey(links)
    nodes = dict(zip(fig.data[0].node.label, fig.data[0].node.color, strict=True))
    assert nodes["Initial: Academic"] == palette.FIXED["Academic"][0] == palette.BLUE
    assert nodes["Current: Consulting"] == palette.FIXED["Consulting"][0]
    # Academic's blue #0072B2 = (0, 114, 178): the flow out of it is that colour, translucent.
    assert list(fig.data[0].link.color)[2] == "rgba(0,114,178,0.35)"
    assert nodes["Clinical"] not in (palette.BLUE, palette.PINK, palette.GREEN)  # no colour another node owns


def test_line_charts_start_their_axis_at_zero():
    frame = pd.DataFrame({"year": [2019, 2020, 2021], "people": [60, 80, 70]})
    assert charts.line(frame, "year", "people", {}).layout.yaxis.rangemode == "tozero"


def test_funnel_stages_read_as_whole_numbers_with_separators():
    frame = pd.DataFrame({"stage": ["Applied", "Admitted"], "people": [23999, 3314]})
    assert charts.funnel(frame, "stage", "people", {}).data[0].texttemplate == "%{value:,d}"


@pytest.mark.parametrize("name", ["Self-funded", "Graduated", "Initial position", "Within 10 years", "Yield"])
def test_fixed_categories_are_never_hatched(name):
    fig = charts.bar(stacked([name]), "year", "people", {}, color="group")
    assert not fig.data[0].marker.pattern.shape and fig.data[0].marker.color == palette.FIXED[name][0]


def test_suppressed_and_pooled_parts_of_the_public_output_are_told_apart_from_unknown_by_a_hatch():
    fig = charts.bar(stacked(["Unknown", "Suppressed", "Pooled categories", "Other"]), "year", "people", {},
                     color="group")
    looks = {t.name: (t.marker.color, t.marker.pattern.shape) for t in fig.data}
    assert looks["Suppressed"][0] == looks["Unknown"][0] and looks["Suppressed"][1]
    assert looks["Pooled categories"][0] == looks["Other"][0] and looks["Pooled categories"][1]
    assert len(set(looks.values())) == 4
