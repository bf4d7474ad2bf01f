"""Whether this server may show data at all: signed-in users (OIDC), or local mode served on loopback only.

Local mode has no sign-in, so it is safe only when nobody but this machine can reach it: it refuses to show data when
Streamlit listens on any other address, or when a request arrives through a proxy (which would make a remote visitor
look local). Everything here fails closed: when in doubt, no data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from etl import config

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


class RolesFileError(ValueError):
    """The roles file cannot be used; the message names the file, entry, key and rule."""


ROLE_NAMES = ("leadership", "administrator", "data_staff")


def read_grants(path: Path) -> list[dict]:
    """The [[grant]] entries of a roles file, checked: each names one e-mail or group and known roles."""
    if not path.exists():
        raise RolesFileError(f"{path}: no roles file. Copy .streamlit/roles.toml.example there and name who holds "
                             "which role.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RolesFileError(f"{path}: not valid TOML ({error}).") from error
    grants = data.get("grant", [])
    if not isinstance(grants, list):
        raise RolesFileError(f"{path}: 'grant' must be a list of [[grant]] tables.")
    for number, grant in enumerate(grants, start=1):
        where = f"{path}, grant {number}"
        if not isinstance(grant, dict):
            raise RolesFileError(f"{where}: must be a [[grant]] table.")
        unknown = set(grant) - {"email", "group", "roles", "programs"}
        if unknown:
            raise RolesFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}.")
        programs = grant.get("programs")
        if programs is not None and (not isinstance(programs, list) or not programs
                                     or not all(isinstance(p, str) and p for p in programs)):
            raise RolesFileError(f"{where}: programs must be a non-empty list of program ids, e.g. [\"bmi_mmsc\"].")
        if programs is not None and "data_staff" in grant.get("roles", []):
            raise RolesFileError(f"{where}: data_staff works on the whole warehouse and cannot be limited to programs.")
        if ("email" in grant) == ("group" in grant) or not isinstance(grant.get("email", grant.get("group")), str):
            raise RolesFileError(f"{where}: give exactly one of email = \"…\" or group = \"…\".")
        held = grant.get("roles")
        if not isinstance(held, list) or not held or any(r not in ROLE_NAMES for r in held):
            raise RolesFileError(f"{where}: roles must be a non-empty list of {', '.join(ROLE_NAMES)}.")
    return grants


@dataclass(frozen=True)
class Access:
    """What a signed-in person may see: their roles, and the programs they are limited to (None: every program)."""

    roles: frozenset[str]
    programs: frozenset[str] | None = None


def access_of(email: str | None, groups: list[str], grants: list[dict]) -> Access:
    """Every role the grants give this e-mail (case-insensitive) or any of these groups; limited to programs only
    when every grant that applies is (one grant without a limit lifts it)."""
    mail = (email or "").strip().lower()
    held: set[str] = set()
    programs: set[str] | None = set()
    for grant in grants:
        if ("email" in grant and mail and grant["email"].strip().lower() == mail) or grant.get("group") in groups:
            held.update(grant["roles"])
            if grant.get("programs") is None:
                programs = None
            elif programs is not None:
                programs.update(grant["programs"])
    return Access(frozenset(held), frozenset(programs) if programs is not None and held else None)


def _claim_list(value) -> list[str]:
    """A claim as a list of strings (a single group may come as a string)."""
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def signed_in_access() -> Access | None:
    """With sign-in configured: what the signed-in user may see (None when nobody is signed in). Stops the script
    with the reason when the roles file cannot be used (fail closed)."""
    if not st.user.is_logged_in:
        return None
    try:
        grants = read_grants(config.roles_file())
    except RolesFileError as error:
        st.error(f"Sign-in is configured but the roles file cannot be used: {error}", icon=":material/lock:")
        st.stop()
    return access_of(st.user.get("email"), _claim_list(st.user.get("groups")), grants)


def gate() -> Access | None:
    """Stop the script, before any data is read, unless this request may see data. Returns what the signed-in user
    may see with sign-in configured, None in local mode (the role switch applies)."""
    if not auth_configured():
        reason = local_refusal()
        if reason:
            st.error(reason, icon=":material/lock:")
            st.stop()
        return None
    held = signed_in_access()
    if held is None:
        st.title("Training Program Analytics")
        st.write("Trainee records are education records: sign in with your institution's account to continue.")
        st.button("Sign in", icon=":material/login:", on_click=st.login, type="primary", key="sign_in")
        st.stop()
    if not held.roles:
        st.title("No access")
        st.write(f"You are signed in as {st.user.get('email') or 'an account without an e-mail address'}, but that "
                 "account holds no role in this dashboard. Ask the program office to add you.")
        st.button("Sign out", icon=":material/logout:", on_click=st.logout, key="sign_out")
        st.stop()
    return held
