"""Refresh data (data staff): templates, upload, findings and comparison before anything changes, publish, history,
rollback. The same code path as `python -m etl`: publishing runs the command-line refresh in its own process."""

import streamlit as st

from dashboard import layout, publishing, review, roles, runs, text
from etl import config, pipeline, templates, uploads
from etl.contract import SOURCE_TABLES
from etl.history import History
from etl.warehouse import Warehouse

ctx = layout.context("refresh")
user = roles.user_name(ctx.role)
warehouse = Warehouse(config.warehouse_dir())
history = History(warehouse.history_file)

st.title("Refresh data")
st.caption("Upload new files, see what is wrong and what would change before anything is published, then publish. "
           "People using the dashboard keep working throughout and see the new data on their next click.")
upload_tab, history_tab, rollback_tab, templates_tab = st.tabs(["Upload and publish", "History", "Roll back",
                                                                 "Templates"])


with upload_tab:
    chosen = st.file_uploader("Source files: one workbook, or CSV files named after their tables",
                              accept_multiple_files=True, key="upload_files",  # kinds checked by uploads.stage
                              help=f"Up to {config.upload_limit_mb():g} MB per file. Tables you leave out are taken "
                                   "from the published data.")
    published_as_of, _ = pipeline.default_as_of()
    as_of = st.date_input("Figures measured as of", value=published_as_of, key="upload_as_of",
                          help="The date the dashboard counts “now” from: who is active, years since completion. "
                               f"It stays the published data's ({published_as_of}) unless you change it.")
    if st.button("Check these files", icon=":material/fact_check:", disabled=not chosen, key="upload_check"):
        try:
            staged = uploads.stage([(f.name, f.getvalue()) for f in chosen])
        except uploads.UploadRefused as refused:
            st.session_state.pop("upload_run", None)
            st.error("Nothing was uploaded:\n" + "\n".join(f"- {reason}" for reason in refused.reasons),
                     icon=":material/block:")
        else:
            with st.status("Checking the files…", expanded=True) as status:
                result = pipeline.preview(staged.source, staged.candidate, as_of=as_of, run_id=staged.run_id,
                                          progress=lambda i, name, message: st.write(f"{name}: {message}"))
                status.update(label="Checked", state="complete", expanded=False)
            st.session_state["upload_run"] = staged.run_id
            st.session_state["upload_result"] = result
            st.session_state["upload_checked_as_of"] = as_of  # publish what was checked, whatever the date shows now
            st.session_state.pop("publish_done", None)

    run_id = st.session_state.get("upload_run")
    if run_id:
        staged = uploads.read(run_id)
        result = st.session_state["upload_result"]
        errors = [f for f in result.findings if f.severity == "error"]
        warnings = [f for f in result.findings if f.severity == "warning"]
        st.subheader(f"Upload {run_id}")
        st.markdown(f"Files: {text.md(', '.join(staged.files))} · tables given: "
                    f"{', '.join(staged.tables_given) or 'none'}")
        if staged.from_published:
            st.info(f"Taken from the published data (run {staged.published_run}): "
                    f"{', '.join(staged.from_published)}.", icon=":material/content_copy:")
        if errors:
            st.error(f"{runs.plural(len(errors), 'error')} must be fixed before these files can be published; "
                     "nothing has changed.", icon=":material/error:")
        elif warnings:
            st.warning(f"{runs.plural(len(warnings), 'warning')}: they do not stop a publish, but read them first.",
                       icon=":material/warning:")
        else:
            st.success("No errors or warnings.", icon=":material/check_circle:")
        if result.findings:
            review.findings(runs.findings(result.findings), "upload", f"findings-{run_id}.csv", filters=True)
        if result.outcome == "previewed":
            st.subheader("What publishing would change")
            current = warehouse.published()
            checked_as_of = st.session_state.get("upload_checked_as_of", as_of)
            if checked_as_of != as_of:
                st.info(f"Checked as of {checked_as_of}: check the files again to measure the figures as of {as_of}.",
                        icon=":material/event_repeat:")
            review.comparison(current.path if current else None, staged.candidate, "upload_diff")
            acknowledged = True
            if warnings:
                acknowledged = st.checkbox(f"I have read the {runs.plural(len(warnings), 'warning')}; publish anyway",
                                           key="upload_ack")
            if st.button("Publish", type="primary", icon=":material/publish:", disabled=not acknowledged,
                         key="upload_publish"):
                st.session_state["publishing"] = run_id
                process = uploads.start_publish(staged, user, as_of=checked_as_of.isoformat())
                st.session_state["publish_process"] = process

    running = st.session_state.get("publishing")
    if running:
        publishing.follow(running)
    publishing.outcome()

with history_tab:
    listed = runs.listing(history.runs())
    if listed.empty:
        st.info("No refresh has run yet.")
    else:
        columns = {"run_id": "Run", "kind": "Kind", "outcome": "Outcome", "started_at": "Started",
                   "finished_at": "Finished", "user": "By", "errors": "Errors", "warnings": "Warnings",
                   "rows": "Rows", "files": "Files (SHA-256)", "message": "Message"}
        st.dataframe(listed[list(columns)].rename(columns=columns), hide_index=True, key="history_runs")
        picked = st.selectbox("Open a run's findings", listed["run_id"], index=None, key="history_run",
                              placeholder="Choose a run")
        if picked:
            recorded = history.findings(picked)
            if not recorded:
                st.success("This run had no findings.", icon=":material/check_circle:")
            else:
                review.findings(runs.findings(recorded), "history", f"findings-{picked}.csv")

with rollback_tab:
    publishing.roll_back(warehouse, history, user)

with templates_tab:
    st.markdown("Blank files with the headers in place, generated from the data contract (the README sheet lists "
                "every column, its type and allowed values; the About the data page has the full dictionary).")
    st.download_button("Workbook template (XLSX)", templates.workbook_template(), file_name="template.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", on_click="ignore", key="template_xlsx")
    columns = st.columns(4)
    for number, table in enumerate(SOURCE_TABLES):
        columns[number % 4].download_button(f"{table.name}.csv", templates.csv_template(table),
                                            file_name=f"{table.name}.csv", mime="text/csv", on_click="ignore",
                                            icon=":material/download:", key=f"template_{table.name}")
