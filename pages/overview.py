"""Placeholder until the page is built."""

import streamlit as st

from dashboard import layout

ctx = layout.context("overview")
st.title("overview")
