"""Publishing from the Refresh data page: a publish followed while its process runs, then how it ended, said
once; and a roll back to a kept snapshot, chosen by when, by whom and from what it was published."""

from __future__ import annotations

import streamlit as st

from dashboard import review, text
from etl import pipeline, rollbacks, uploads
from etl.history import History
from etl.warehouse import NothingPublished, Warehouse


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


def roll_back(warehouse: Warehouse, history: History, user: str) -> None:
    """Choose a kept snapshot (by default the one published before the current one), see what would change, and
    publish it again."""
    current = warehouse.published()
    choices = {c.run_id: c for c in rollbacks.choices(warehouse, history)}
    if current is None or not choices:
        st.info("There is no earlier snapshot to go back to: " + ("nothing is published yet." if current is None
                                                                  else "only the published one is kept."),
                icon=":material/history_toggle_off:")
        return
    try:
        default = list(choices).index(rollbacks.previous(warehouse, history))
    except (NothingPublished, ValueError):
        default = 0
    now = rollbacks.choice(warehouse, current.run_id, history.publications())
    st.markdown(f"Published now: the snapshot {text.md(now.describe())}.")
    target = st.selectbox("Publish this earlier snapshot again", list(choices), index=default, key="rollback_to",
                          format_func=lambda run_id: choices[run_id].describe(),
                          help="The first choice is the snapshot published before the current one.")
    st.caption(f"Run `{target}`")
    st.markdown("**What would change**")
    review.comparison(current.path, warehouse.snapshot_path(target), "rollback_diff")
    sure = st.checkbox("Yes, publish this snapshot again in place of the one published now", key="rollback_sure")
    if st.button("Roll back", type="primary", icon=":material/history:", disabled=not sure, key="rollback_go"):
        result = pipeline.rollback(warehouse.root, to=target, user=user)
        if result.ok:
            st.success(f"{result.message}. The dashboard shows it on the next click.", icon=":material/check_circle:")
        else:
            st.error(f"Nothing changed: {result.message}", icon=":material/error:")
