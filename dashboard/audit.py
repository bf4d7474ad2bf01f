"""The audit log from the dashboard: sign-ins and downloads of row-level data, recorded when they happen."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard import roles
from etl import config
from etl.history import History
from etl.warehouse import Warehouse


def _log() -> History:
    return History(Warehouse(config.warehouse_dir()).history_file)


def record(action: str, detail: str = "") -> None:
    """Append an event by the current viewer."""
    _log().audit(roles.user_name(roles.current()), action, detail)


def signed_in() -> None:
    """Record a sign-in once per session."""
    if not st.session_state.get("_audited_sign_in"):
        st.session_state["_audited_sign_in"] = True
        record("sign_in", "roles: " + ", ".join(sorted(roles.held())))


def download(build: Callable[[], bytes | str], what: str) -> Callable[[], bytes | str]:
    """A download's data, built when clicked, with the download recorded (row-level data: who, when, what)."""
    def built():
        data = build()
        record("download", what)
        return data
    return built


def events(limit: int = 500) -> list[dict]:
    """The newest events first."""
    return _log().audit_events(limit)
