"""Who is looking: the viewer's role, which pages each role may open, and what each role may see."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from etl import config

ROLES = ("leadership", "administrator", "data_staff")
ROLE_LABELS = {"leadership": "Leadership", "administrator": "Administrator", "data_staff": "Data staff"}
DEFAULT_LOCAL_ROLE = "administrator"
ALL = frozenset(ROLES)


@dataclass(frozen=True)
class PageSpec:
    """A page of the dashboard: its file, title, icon and the roles that may open it."""

    key: str
    title: str
    icon: str
    roles: frozenset[str]

    @property
    def path(self) -> str:
        """The page script, relative to the project root."""
        return f"pages/{self.key}.py"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "Overview", ":material/dashboard:", ALL),
    PageSpec("cohorts", "Cohorts", ":material/groups:", ALL),
    PageSpec("tracks", "Tracks", ":material/alt_route:", ALL),
    PageSpec("careers", "Careers", ":material/work:", ALL),
    PageSpec("funding", "Funding", ":material/payments:", ALL),
    PageSpec("completion", "Completion", ":material/school:", ALL),
    PageSpec("trainees", "Trainees", ":material/badge:", frozenset({"administrator"})),
    PageSpec("refresh", "Refresh data", ":material/upload_file:", frozenset({"data_staff"})),
    PageSpec("reports", "Reports", ":material/summarize:", ALL),
    PageSpec("about", "About the data", ":material/info:", ALL),
)


def page(key: str) -> PageSpec:
    """The page called key."""
    return next(p for p in PAGES if p.key == key)


def local_role() -> str:
    """The role local mode starts in: $LOCAL_ROLE if it names a role, else administrator."""
    role = config.local_role()
    return role if role in ROLES else DEFAULT_LOCAL_ROLE


# The most permissive role a person holds decides what they see (names, small cells); pages are the union.
PRECEDENCE = ("administrator", "data_staff", "leadership")


def held() -> frozenset[str]:
    """The roles the viewer holds: the signed-in user's (set by the shell), or in local mode the switch's one."""
    signed_in = st.session_state.get("_signed_in_roles")
    return frozenset(signed_in) if signed_in is not None else frozenset({_local_current()})


def allowed_programs() -> tuple[str, ...] | None:
    """The programs a signed-in viewer is limited to (sorted), or None for every program."""
    allowed = st.session_state.get("_allowed_programs")
    return None if allowed is None else tuple(sorted(allowed))


def current() -> str:
    """The role the viewer sees the dashboard as: the most permissive role they hold."""
    mine = held()
    return next(r for r in PRECEDENCE if r in mine)


def user_name(role: str) -> str:
    """Who is acting, for the run history: the signed-in e-mail, or in local mode the machine's role."""
    if st.session_state.get("_signed_in_roles") is not None:
        return str(st.user.get("email") or st.user.get("name") or "signed-in user")
    return f"local {role}"


def _local_current() -> str:
    """The local mode's role for this script run (the "view as" switch)."""
    for key in ("view_as", "_role"):  # the switch's latest value; if Streamlit dropped it, the role kept aside
        role = st.session_state.get(key)
        if role in ROLES:
            return role
    return local_role()


def switch() -> str:
    """Local mode's clearly labelled "view as" switch in the sidebar; returns the chosen role.

    The role is kept in its own session key as well as the widget's: Streamlit may drop a widget's state between
    runs (it did on the first page change of a new session), and a role must never silently change."""
    role = _local_current()
    chosen = st.sidebar.selectbox(
        "View as (local mode)",
        ROLES,
        index=ROLES.index(role),
        format_func=ROLE_LABELS.get,
        key="view_as",
        help="Local mode, on this machine only: preview the dashboard as each role sees it. Sign-in replaces this.",
    )
    st.session_state["_role"] = chosen
    return chosen


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may open, in menu order."""
    return [p for p in PAGES if role in p.roles]


def pages_for_all(roles: frozenset[str]) -> list[PageSpec]:
    """The pages any of these roles may open (a person holding several gets them all), in menu order."""
    return [p for p in PAGES if p.roles & roles]


def can_open(role: str, key: str) -> bool:
    """True when the role may open the page."""
    return role in page(key).roles


def may_open(key: str) -> bool:
    """True when the viewer holds a role that may open the page."""
    return bool(page(key).roles & held())


def sees_trainees(role: str) -> bool:
    """Only administrators see individual trainees (names, drill-down rosters, finding lists)."""
    return role == "administrator"
