"""Built figures kept across reruns and sessions: the same chart of the same rows is built once.

A figure is identified by its key, the rows it charts and its builder: the builder's code and every value it reads
(defaults, captured variables and the page globals it names, such as a radio's choice), following the functions it
calls two levels down. Anything that changes what would be drawn changes the identity; a value whose text is not
stable (an object shown by its address) only makes the figure be built again."""

from __future__ import annotations

import hashlib
import pickle
import types
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import describe, palette

DEPTH = 2  # how many calls down the values a builder reads are followed


def _array_bytes(values: np.ndarray) -> bytes:
    """A column's values as bytes: numbers and dates as stored, anything else as the text of its Python values."""
    return values.tobytes() if values.dtype.kind in "biufcmM" else repr(values.tolist()).encode()


def _frame_bytes(frame: pd.DataFrame) -> bytes:
    """The rows, columns, types and index of a frame, as bytes to hash (a quarter of hash_pandas_object's time)."""
    head = repr((list(frame.columns), [str(t) for t in frame.dtypes], len(frame))).encode()
    columns = [_array_bytes(column.to_numpy()) for _, column in frame.items()]
    return b"\0".join([head, _array_bytes(frame.index.to_numpy()), *columns])


def _code_bytes(code: types.CodeType) -> bytes:
    """A code object's instructions, names and constants (nested code included), without addresses."""
    consts = tuple(_code_bytes(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return repr((code.co_filename, code.co_firstlineno, code.co_names, consts)).encode() + code.co_code


def _names(code: types.CodeType) -> set[str]:
    """Every global name a code object (or code nested in it) may read."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _function_bytes(function: types.FunctionType, depth: int) -> bytes:
    """A function's code, and the values it reads down to depth calls."""
    out = [_code_bytes(function.__code__)]
    if depth > 0:
        cells = []
        for cell in function.__closure__ or ():
            try:
                cells.append(cell.cell_contents)
            except ValueError:  # a cell not yet filled
                cells.append("<empty cell>")
        for value in (*(function.__defaults__ or ()), *cells):
            out.append(_value_bytes(value, depth - 1))
        for name in sorted(_names(function.__code__) & function.__globals__.keys()):
            out.append(name.encode() + _value_bytes(function.__globals__[name], depth - 1))
    return b"\0".join(out)


def _value_bytes(value: object, depth: int) -> bytes:
    """A value a builder reads, as bytes to hash."""
    if isinstance(value, pd.DataFrame):
        return _frame_bytes(value)
    if isinstance(value, types.FunctionType):
        return _function_bytes(value, depth)
    if isinstance(value, types.ModuleType):
        return value.__name__.encode()
    return repr(value).encode()


def identity(key: str, frame: pd.DataFrame, build: Callable) -> str:
    """What a figure is: its key, its rows, and its builder with the values it reads."""
    digest = hashlib.sha256(key.encode())
    digest.update(palette.state().encode())  # programs' and tracks' colours come from the published snapshot
    digest.update(_frame_bytes(frame))
    digest.update(_function_bytes(build, DEPTH + 1) if isinstance(build, types.FunctionType) else repr(build).encode())
    return digest.hexdigest()


class Frozen(go.Figure):
    """A built figure that is never changed again, so its plain form (what Streamlit sends) is worked out once."""

    def to_dict(self) -> dict:
        """The figure as plain data, as go.Figure.to_dict gives it (a new copy each time, so a caller's changes stay
        its own; unpickling is three times quicker than a deep copy)."""
        if getattr(self, "_plain", None) is None:
            self._plain = pickle.dumps(super().to_dict(), protocol=pickle.HIGHEST_PROTOCOL)
        return pickle.loads(self._plain)


@st.cache_resource(max_entries=512, show_spinner=False)
def _built(identity: str, _build: Callable[[pd.DataFrame], go.Figure], _frame: pd.DataFrame) -> go.Figure:
    built = _build(_frame)
    kept = Frozen(built) if type(built) is go.Figure else built
    kept._summary = describe.sentence(kept)
    return kept


def summary(fig: go.Figure) -> str:
    """The figure in words (describe.sentence), worked out once for a kept figure."""
    return getattr(fig, "_summary", None) or describe.sentence(fig)


def figure(key: str, frame: pd.DataFrame, build: Callable[[pd.DataFrame], go.Figure]) -> go.Figure:
    """The figure build(frame) draws, built once per identity (kept for every session; never changed after)."""
    return _built(identity(key, frame, build), build, frame)
