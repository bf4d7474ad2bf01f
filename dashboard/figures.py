"""Built figures kept across reruns and sessions: the same chart of the same rows is built once.

A figure is identified by its key, the rows it charts and its builder: the builder's code and every value it
captured (titles, labels, scopes). Anything that changes what would be drawn changes the identity."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st


def _frame_bytes(frame: pd.DataFrame) -> bytes:
    """The rows, columns and types of a frame, as bytes to hash."""
    head = repr((list(frame.columns), [str(t) for t in frame.dtypes], len(frame))).encode()
    try:
        return head + pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    except TypeError:  # cells that pandas cannot hash (lists, dicts): their text
        return head + frame.to_csv().encode()


def _value_bytes(value: object) -> bytes:
    """A captured value as bytes to hash."""
    return _frame_bytes(value) if isinstance(value, pd.DataFrame) else repr(value).encode()


def identity(key: str, frame: pd.DataFrame, build: Callable) -> str:
    """What a figure is: its key, its rows, its builder's code and the values the builder captured."""
    digest = hashlib.sha256(key.encode())
    digest.update(_frame_bytes(frame))
    code = build.__code__
    digest.update(repr((code.co_filename, code.co_firstlineno, code.co_names, code.co_consts)).encode())
    digest.update(code.co_code)
    for value in (*(build.__defaults__ or ()), *(build.__closure__ or ())):
        try:
            digest.update(_value_bytes(value.cell_contents if hasattr(value, "cell_contents") else value))
        except ValueError:  # a cell not yet filled
            digest.update(b"<empty cell>")
    return digest.hexdigest()


@st.cache_resource(max_entries=512, show_spinner=False)
def _built(identity: str, _build: Callable[[pd.DataFrame], go.Figure], _frame: pd.DataFrame) -> go.Figure:
    return _build(_frame)


def figure(key: str, frame: pd.DataFrame, build: Callable[[pd.DataFrame], go.Figure]) -> go.Figure:
    """The figure build(frame) draws, built once per identity (kept for every session; never changed after)."""
    return _built(identity(key, frame, build), build, frame)
