"""Whether this server may show data at all: signed-in users (OIDC), or local mode served on loopback only.

Local mode has no sign-in, so it is safe only when nobody but this machine can reach it: it refuses to show data when
Streamlit listens on any other address, or when a request arrives through a proxy (which would make a remote visitor
look local). Everything here fails closed: when in doubt, no data."""

from __future__ import annotations

import streamlit as st

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
# Headers a reverse proxy adds: a request carrying one came from somewhere else, whatever address it reached.
PROXY_HEADERS = ("x-forwarded-for", "x-forwarded-host", "x-real-ip", "forwarded", "via")


def auth_configured() -> bool:
    """True when `.streamlit/secrets.toml` has an [auth] section (sign-in with an OIDC provider)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all, or one that cannot be read: not configured
        return False


def local_refusal() -> str | None:
    """Why local mode must not show data on this request, or None when it may (loopback only, no proxy)."""
    address = (st.get_option("server.address") or "").strip()
    if address not in LOOPBACK:
        where = f"the address {address}" if address else "every network interface"
        return (f"This dashboard runs without sign-in and listens on {where}, so people on other machines could "
                "reach it. Trainee records are education records: it shows no data this way. Serve it on this "
                "machine only (server.address = \"localhost\", as the project's .streamlit/config.toml sets), or "
                "configure sign-in in .streamlit/secrets.toml (see secrets.toml.example and the README).")
    headers = {name.lower() for name in _headers()}
    through = [h for h in PROXY_HEADERS if h in headers]
    if through:
        return (f"This request came through a proxy ({', '.join(through)}), but the dashboard runs without sign-in, "
                "so it shows no data. Configure sign-in in .streamlit/secrets.toml before serving it through a "
                "proxy (see the README).")
    return None


def _headers() -> list[str]:
    """The names of this session's request headers (none when there is no browser, as in tests of the script)."""
    try:
        return list(st.context.headers.keys())
    except Exception:
        return []


def gate() -> None:
    """Stop the script with the reason, before any data is read, when this server may not show data."""
    if auth_configured():
        return
    reason = local_refusal()
    if reason:
        st.error(reason, icon=":material/lock:")
        st.stop()
