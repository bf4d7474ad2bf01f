"""Training Program Analytics: the landing page, showing which data the dashboard is reading."""

import streamlit as st

from etl import lineage, pipeline

st.set_page_config(page_title="Training Program Analytics", page_icon=":material/school:", layout="wide")


with st.spinner("Preparing the built-in sample data (first start only)…"):
    published = pipeline.ensure_published()
info = lineage.read(published)

st.title("Training Program Analytics")
if info["is_sample"]:
    st.warning(
        "**Sample data.** The figures shown are the built-in, invented sample, not a real program's records.",
        icon=":material/science:",
    )
st.caption(f"Data as of {info['as_of_date']} · published {info['published_at']} · run `{info['run_id']}`")

st.subheader("Published snapshot")
left, right = st.columns(2)
left.metric("Trainees", f"{info['row_counts'].get('trainees', 0):,}")
right.metric("Applicants", f"{info['row_counts'].get('applicants', 0):,}")
st.dataframe(
    [{"table": name, "rows": rows} for name, rows in info["row_counts"].items()],
    hide_index=True,
)
with st.expander("Lineage: source files and hashes"):
    st.write(f"Source: `{info['source']}` · {info['warnings']} warnings at load · built {info['built_at']}")
    st.dataframe(info["source_files"], hide_index=True)
