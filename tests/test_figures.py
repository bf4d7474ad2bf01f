"""Built figures are kept: the same chart of the same rows is built once, and anything that changes what would be
drawn (rows, title, labels, the builder) builds it anew."""

from __future__ import annotations

import json
import pickle

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
import streamlit as st

from dashboard import figures


@pytest.fixture(autouse=True)
def empty_cache():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


class Calls(list):
    """Titles of the figures built, in order; its text never changes, so reading it leaves a builder's identity be."""

    def __repr__(self) -> str:
        return "Calls()"


CALLS = Calls()


def counting():
    """A maker of bar builders, each counting its calls in CALLS."""
    CALLS.clear()

    def make(title):
        def build(frame):
            CALLS.append(title)
            return go.Figure(go.Bar(x=frame["year"], y=frame["n"]), layout={"title": {"text": title}})
        return build
    return CALLS, make


ROWS = pd.DataFrame({"year": [2020, 2021], "n": [3, 4]})


def test_the_same_chart_of_the_same_rows_is_built_once():
    calls, make = counting()
    first = figures.figure("entrants", ROWS, make("Entrants"))
    again = figures.figure("entrants", ROWS.copy(), make("Entrants"))
    assert calls == ["Entrants"] and again is first


def test_other_rows_build_a_new_figure():
    calls, make = counting()
    figures.figure("entrants", ROWS, make("Entrants"))
    changed = figures.figure("entrants", ROWS.assign(n=[3, 5]), make("Entrants"))
    assert calls == ["Entrants", "Entrants"]
    assert list(changed.data[0].y) == [3, 5]


def test_a_different_title_builds_a_new_figure():
    calls, make = counting()
    figures.figure("entrants", ROWS, make("Entrants — all programs"))
    other = figures.figure("entrants", ROWS, make("Entrants — HST MD"))
    assert calls == ["Entrants — all programs", "Entrants — HST MD"]
    assert other.layout.title.text == "Entrants — HST MD"


def test_a_different_builder_or_key_builds_a_new_figure():
    calls, make = counting()
    figures.figure("entrants", ROWS, make("Entrants"))
    figures.figure("graduates", ROWS, make("Entrants"))
    figures.figure("entrants", ROWS, lambda f: go.Figure(go.Scatter(x=f["year"], y=f["n"])))
    assert calls == ["Entrants", "Entrants"]
    assert identity_differs(lambda f: go.Figure(go.Bar(x=f["year"])), lambda f: go.Figure(go.Scatter(x=f["year"])))


def identity_differs(a, b) -> bool:
    return figures.identity("k", ROWS, a) != figures.identity("k", ROWS, b)


def test_suppressed_cells_change_the_identity():
    shown = pd.DataFrame({"year": [2020, 2021], "n": [3.0, float("nan")]})
    unchanged = ROWS.astype({"n": float})
    assert figures.identity("k", unchanged, lambda f: None) != figures.identity("k", shown, lambda f: None)


CHOICE = "Funding source"  # a page global a builder reads, like a radio's value


def test_a_page_global_the_builder_reads_is_part_of_the_figure():
    global CHOICE

    def build(frame):
        return go.Figure(go.Bar(x=frame["year"], y=frame["n"]), layout={"title": {"text": CHOICE}})

    before = figures.identity("k", ROWS, build)
    CHOICE = "Kind of cost"
    try:
        assert figures.identity("k", ROWS, build) != before
        assert figures.figure("k", ROWS, build).layout.title.text == "Kind of cost"
    finally:
        CHOICE = "Funding source"


def test_a_page_script_run_twice_reuses_its_figures():
    """Each rerun execs the page anew (new function objects): identities must not depend on addresses."""
    page = ("import plotly.graph_objects as go\nTITLE = 'Entrants'\n"
            "build = lambda f: go.Figure(layout={'title': TITLE})\n")
    first, second = {}, {}
    exec(compile(page, "pages/example.py", "exec"), first)
    exec(compile(page, "pages/example.py", "exec"), second)
    assert first["build"] is not second["build"]
    assert figures.identity("k", ROWS, first["build"]) == figures.identity("k", ROWS, second["build"])


def test_the_same_rows_from_the_cache_or_fresh_from_a_query_are_one_figure():
    """A cold run charts the frame a query returned; warm runs chart the cache's copy (pickled, other chunks and
    blocks): the identity follows the values, not how pandas holds them."""
    fresh = pd.DataFrame({"year": [2020, 2021, 2020], "track": pd.array(["a", "b", None], dtype="str"),
                          "n": [3, 4, 5]})
    held = pickle.loads(pickle.dumps(fresh))
    filtered = pd.concat([fresh, fresh.assign(year=1999)])
    filtered = filtered[filtered["year"] != 1999]
    copies = [held, filtered, fresh.astype({"track": "str"}).copy()]

    def ident(frame):
        return figures.identity("k", frame, lambda f: None)

    assert {ident(frame) for frame in copies} == {ident(fresh)}
    for changed in (fresh.assign(n=[3, 4, 6]), fresh.assign(track=["a", "b", "None"]),
                    fresh.assign(track=["a", "b", ""]), fresh.iloc[[1, 0, 2]], fresh.assign(n=[3.0, 4.0, 5.0])):
        assert ident(changed) != ident(fresh)


def test_a_kept_figure_gives_streamlit_what_a_fresh_build_gives_and_keeps_it():
    calls, make = counting()
    built = make("Entrants")(ROWS)
    kept = figures.figure("entrants", ROWS, make("Entrants"))
    assert kept.to_dict() == built.to_dict()
    assert json.loads(pio.to_json(kept)) == json.loads(pio.to_json(built))  # what st.plotly_chart sends
    plain = kept.to_dict()
    plain["layout"]["title"]["text"] = "Changed by a caller"
    plain["data"][0]["y"] = [0, 0]
    assert kept.to_dict() == built.to_dict()
