"""A publish started from the Refresh data page: followed while its process runs, then how it ended, said once."""

from __future__ import annotations

import streamlit as st

from etl import uploads


@st.fragment(run_every=1.0)
def follow(run_id: str) -> None:
    """Follow the publish process until the run history says how it ended, then redraw the whole app."""
    run = uploads.publish_state(uploads.read(run_id), st.session_state.get("publish_process"))
    if run["outcome"] == "running":
        st.info(f"Publishing {run_id}… {run['message']}", icon=":material/hourglass_top:")
        return
    if run["outcome"] == "published":
        st.session_state["publish_done"] = ("success", f"Published run {run_id}. Every page now shows it (others see "
                                                       "it on their next click).")
    else:
        st.session_state["publish_done"] = ("error", f"Not published ({run['outcome']}): {run['message']}")
    for key in ("publishing", "publish_process", "upload_run"):
        st.session_state.pop(key, None)
    st.rerun(scope="app")  # the header's run id and every cached figure follow the new snapshot


def outcome() -> None:
    """How the last publish ended, if one has."""
    done = st.session_state.get("publish_done")
    if done:
        kind, message = done
        if kind == "success":
            st.success(message, icon=":material/check_circle:")
        else:
            st.error(message, icon=":material/error:")
