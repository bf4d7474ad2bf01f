"""The app shell: snapshot, role, navigation, shared filters, and the banner and data-as-of line on every page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import access, audit, filters, queries, roles, snapshot

ROOT = Path(__file__).resolve().parent.parent
# A local file: a Material icon here would make the browser fetch the favicon from Google's font servers.
ICON = Path(__file__).resolve().parent / "assets" / "icon.png"
# A visible keyboard-focus ring on every control: no theme option sets one (see the file).
FOCUS_CSS = Path(__file__).resolve().parent / "assets" / "focus.css"


def run(default: str | None = None) -> None:
    """Render the shell and run the selected page (tests may name the default page)."""
    st.set_page_config(page_title="Training Program Analytics", page_icon=str(ICON), layout="wide")
    st.html(FOCUS_CSS)
    signed_in = access.gate()  # before anything is read: no data unless signed in, or local and on loopback
    st.session_state["_signed_in_roles"] = None if signed_in is None else signed_in.roles
    st.session_state["_allowed_programs"] = None if signed_in is None else signed_in.programs
    snapshot.begin_run()
    if signed_in is None:
        specs = roles.pages_for(roles.switch())  # local mode: the labelled "view as" switch
    else:
        specs = roles.pages_for_all(signed_in.roles)  # signed in: never a switch
        audit.signed_in()
        signed_in_bar()
    first = default if default in {s.key for s in specs} else specs[0].key
    pages = [
        st.Page(ROOT / s.path, title=s.title, icon=s.icon, url_path=s.key, default=s.key == first) for s in specs
    ]
    st.session_state["_pages"] = {s.key: p for s, p in zip(specs, pages, strict=True)}
    selected = st.navigation(pages)
    options = queries.plain("filter_options")
    queries.names()  # programs and tracks take their colours from the whole published snapshot, before any chart
    allowed = roles.allowed_programs()
    if allowed is not None:  # a person limited to some programs is offered, and shown, only those
        options = options[options["program_id"].isin(allowed)]
        if options.empty:
            st.warning(f"Your access is limited to {', '.join(allowed)}, and the published data holds none of them.",
                       icon=":material/lock:")
            st.stop()
    st.session_state["_filters"] = filters.sidebar(options, only=allowed)
    header()
    selected.run()


def signed_in_bar() -> None:
    """Who is signed in, as which role(s), and the way out."""
    held = ", ".join(roles.ROLE_LABELS[r] for r in roles.PRECEDENCE if r in roles.held())
    st.sidebar.caption(f"Signed in as {st.user.get('email') or st.user.get('name')} · {held}")
    st.sidebar.button("Sign out", icon=":material/logout:", on_click=st.logout, key="sign_out")


def header() -> None:
    """The sample-data banner (when it applies) and the data-as-of line with a link to the lineage."""
    info = snapshot.lineage_info()
    if not info["is_current_schema"]:
        st.error("The published data was built by an earlier version of this product, so some figures may be "
                 "missing or fail. Data staff: run a refresh of the same source to rebuild it "
                 "(`python -m etl refresh --source …`).", icon=":material/update:")
    sample, tables = info["sample_tables"], len(info["table_sources"])
    if sample and len(sample) == tables:
        st.warning("**Sample data.** These figures come from the built-in, invented sample — not a real program's "
                   "records.", icon=":material/science:")
    elif sample:
        st.warning(f"**Sample data:** {len(sample)} of {tables} tables come from the built-in, invented sample — "
                   f"{', '.join(sample)} — so figures mix invented records with yours until those tables are "
                   "uploaded too.", icon=":material/science:")
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.caption(f"Data as of {info['as_of_date']} · published {info['published_at'].replace('T', ' ')} · "
                 f"run {info['run_id']}")
    right.page_link(link_to("about"), label="Lineage", icon=":material/account_tree:")


def link_to(key: str):
    """The registered page for key, for st.page_link (pages are registered with absolute paths)."""
    return st.session_state["_pages"][key]
