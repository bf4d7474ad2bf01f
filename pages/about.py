"""About the data: the published snapshot's lineage, what each metric means, and the data dictionary."""

import pandas as pd
import streamlit as st

from dashboard import audit, layout, queries, roles, snapshot
from etl import dictionary
from etl.marts import MARTS

ctx = layout.context("about")
st.title("About the data")
st.markdown("Where the figures on these pages come from: the snapshot they read, how each metric is defined, and "
            "what every input file must hold.")


def when(stamp: str) -> str:
    """A stored UTC timestamp as people read it."""
    return stamp[:19].replace("T", " ") + " UTC"


def markdown_text(text: str) -> str:
    """Text for st.markdown with dollar signs kept literal (Streamlit reads $…$ as math)."""
    return text.replace("$", "\\$")


st.subheader("Lineage of the published snapshot", anchor="lineage")
info = snapshot.lineage_info()
source = "the built-in sample (invented people)" if info["is_sample"] else f"`{info['source']}`"
published_by = f" by `{info['published_by']}`" if info.get("published_by") else ""
action = " (a rollback to a kept snapshot)" if info.get("action") == "rollback" else ""
st.markdown(
    f"- **Run** `{info['run_id']}`, built {when(info['built_at'])} from {source}\n"
    f"- **Published** {when(info['published_at'])}{published_by}{action}\n"
    f"- **As of** {info['as_of_date']}: the date the figures measure “now” against (who is active, years since "
    "completion, trainees past the nominal length)"
)
files, rows = st.columns([3, 2])
with files:
    st.markdown("**Source files** — a SHA-256 hash identifies each file's exact content")
    layout.table(ctx, "lineage_files", pd.DataFrame(info["source_files"], columns=["name", "sha256", "bytes"]),
                 columns={"name": "File", "sha256": "SHA-256", "bytes": "Bytes"})
with rows:
    st.markdown("**Rows loaded per table**")
    if roles.allowed_programs() is None:
        layout.table(ctx, "lineage_rows", pd.DataFrame(list(info["row_counts"].items()), columns=["table", "rows"]),
                     columns={"table": "Table", "rows": "Rows"})
    else:  # whole-warehouse counts would tell a program-limited viewer the size of the other programs
        st.caption("Row counts cover every program, so they are shown only to people who see every program.")

warnings = info["warnings"]
if not warnings:
    st.success("No warnings when this snapshot was loaded.", icon=":material/check_circle:")
elif roles.sees_trainees(ctx.role) and roles.allowed_programs() is None:  # findings name rows of every program
    st.markdown(f"**Warnings at load: {warnings}** — they did not stop the publish; please check them at the source.")
    layout.table(ctx, "lineage_warnings", queries.plain("about_findings"),
                 columns={"rule": "Rule", "file": "File", "source_row": "Row", "column_name": "Column",
                          "value": "Value", "message": "Finding", "hint": "What to do"},
                 row_level="load warnings with source values")
else:
    st.info(f"Warnings at load: {warnings} (they do not stop a publish). "
            "Administrators see the list.", icon=":material/warning:")

st.subheader("Metrics: grain and definitions", anchor="metrics")
st.markdown("Every figure is computed from these tables (marts), each defined once in SQL. The grain is the set of "
            "columns that identifies one row; the definition is the mart's own description.")
st.markdown("\n".join(
    f"- **{name}** — grain: {', '.join(f'`{column}`' for column in grain)}. "
    f"{markdown_text(queries.mart_header(name).removeprefix(f'{name}: '))}"
    for name, grain in MARTS.items()
))

st.subheader("Data dictionary", anchor="dictionary")
text = dictionary.markdown()
intro, *sections = text.split("\n## ")
st.markdown(markdown_text("\n".join(line for line in intro.splitlines() if not line.startswith(("<!--", "# ")))))
st.download_button("Data dictionary (Markdown)", data=text, file_name="data-dictionary.md", mime="text/markdown",
                   icon=":material/download:", on_click="ignore")
headings = [section.split("\n", 1)[0] for section in sections]
for section, tab in zip(sections, st.tabs([h.split(" (")[0].strip("`") for h in headings]), strict=True):
    heading, body = section.split("\n", 1)
    tab.markdown(markdown_text(f"**{heading}**\n{body}"))

if roles.sees_trainees(ctx.role):
    st.subheader("Access log", anchor="access-log")
    st.caption("Sign-ins, publishes, rollbacks and downloads of row-level data (rosters, findings, Table 8 Part I): "
               "who, when (UTC) and what. Kept beside the run history, outside the snapshots; administrators only.")
    events = audit.events()
    if events:
        st.dataframe(events, hide_index=True, key="audit_log",
                     column_config={"at": "When", "user": "Who", "action": "What", "detail": "Detail"})
    else:
        st.info("Nothing recorded yet.", icon=":material/history:")
