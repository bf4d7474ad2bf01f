"""The data dictionary: every input table, column, allowed value and rule, generated from the contract."""

import streamlit as st

from etl import dictionary

st.set_page_config(page_title="Data dictionary", layout="wide")
st.markdown(dictionary.markdown().split("\n", 1)[1])
