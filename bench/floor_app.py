"""The floor for browser timings: the dashboard's settings and chart styling, one small plotly bar chart per page, two
pages and a "From" year in the sidebar, so a first load, a page switch and a filter change can be timed as on the
dashboard (`streamlit run bench/floor_app.py`). `?charts=4&tables=1` draws that many charts and small tables instead,
to price each one."""

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.layout import CHART_CONFIG


def chart(title: str) -> None:
    """A title and one bar chart of four points (or as many as asked for), drawn as the dashboard draws its charts."""
    first = int(st.session_state.get("f_from", 2020))
    frame = pd.DataFrame({"year": range(first, first + 4), "people": [3, 5, 4, 6]})
    st.title(title)
    for n in range(int(st.query_params.get("charts", 1))):
        fig = charts.bar(frame, "year", "people", {"year": "Year", "people": "People"})
        st.plotly_chart(fig, key=f"floor_chart_{n}", theme="streamlit", config=CHART_CONFIG, alt="Four bars.")
    for n in range(int(st.query_params.get("tables", 0))):
        st.dataframe(frame, hide_index=True, key=f"floor_table_{n}")


def floor() -> None:
    """The page the floor is measured on."""
    chart("Floor")


def other() -> None:
    """The page a page switch leaves for."""
    chart("Other")


st.set_page_config(page_title="Floor", layout="wide")
page = st.navigation([st.Page(floor, title="Floor", default=True), st.Page(other, title="Other")])
st.sidebar.number_input("From", 2000, 2030, 2020, step=1, key="f_from", format="%d")
page.run()
