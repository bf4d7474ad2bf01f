"""Reports: an academic year's executive summary, key charts and NIH tables, to download as PDF, HTML or XLSX."""

import pandas as pd
import streamlit as st

from dashboard import audit, kpis, layout, roles, snapshot, text
from etl import config
from reports import content, html, nih, pdf

ctx = layout.context("reports")
st.title("Reports")
st.caption("For reading and forwarding: one academic year (July to June) against the year before, the trend over "
           "the years chosen, notable changes in words, the key charts and the NIH training tables. The programs "
           "chosen here apply; the sidebar's other filters do not (a report covers whole programs).")

years = content.bounds()
allowed = roles.allowed_programs()  # a viewer limited to some programs reports on those only
programs = {k: v for k, v in content.program_options().items() if allowed is None or k in allowed}
choices = list(range(years["last_academic_year"], years["first_cohort_year"], -1))
left, middle, right = st.columns([1, 1, 3])
year = left.selectbox("Academic year", choices, index=choices.index(years["last_cohort_year"]),
                      format_func=kpis.academic_year, key="report_year")
starts = list(range(year - 1, years["first_cohort_year"] - 1, -1))
first_year = middle.selectbox("Trend from", starts, index=min(content.TREND_YEARS - 2, len(starts) - 1),
                              format_func=kpis.academic_year, key="report_from")
chosen = right.multiselect("Programs", list(programs), default=[p for p in ctx.filters.programs if p in programs],
                           format_func=programs.get, placeholder="All programs", key="report_programs")

scope = content.Scope(year, first_year, tuple(chosen) or (allowed or ()), ctx.role)
report = content.kept(snapshot.current().run_id, scope, snapshot.lineage_info())
name = f"report-{year}-{'-'.join(scope.programs) or 'all-programs'}"

st.subheader("Downloads")
pdf_key = ("report_pdf", snapshot.current().run_id, scope)
columns = st.columns(3)
columns[0].download_button("HTML report", data=lambda: html.render(report), file_name=f"{name}.html",
                           mime="text/html", on_click="ignore", icon=":material/download:", key="report_html",
                           help="One self-contained file: opens without a network, charts interactive.")
if st.session_state.get("report_pdf_for") == pdf_key:
    columns[1].download_button("PDF report", data=st.session_state["report_pdf"], file_name=f"{name}.pdf",
                               mime="application/pdf", on_click="ignore", icon=":material/download:",
                               key="report_pdf_dl")
elif not pdf.available():
    columns[1].caption(f"PDF needs Chromium at {pdf.chromium_path()} (Debian: apt-get install chromium). The HTML "
                       "report prints to PDF from any browser.")
elif columns[1].button("Build the PDF", icon=":material/picture_as_pdf:", key="report_pdf_build"):
    with st.status("Building the PDF…", expanded=True) as status:
        st.write("Laying out the report…")
        document = html.render(report)
        st.write("Printing it with headless Chromium (charts as vectors)…")
        st.session_state["report_pdf"] = pdf.render(document, report.title, report.chart_count)
        st.session_state["report_pdf_for"] = pdf_key
        status.update(label="The PDF is ready", state="complete")
    st.rerun()
names = roles.sees_trainees(ctx.role)  # Table 8 Part I (names): built only when asked for, and only for them
workbook = lambda: nih.workbook({**report.nih_tables, **content.nih_part1(scope)})  # noqa: E731
columns[2].download_button(
    "NIH tables (XLSX)", file_name=f"nih-tables-{year}.xlsx",
    data=audit.download(workbook, f"nih-tables-{year}.xlsx (Table 8 Part I, with names)") if names else workbook,
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
    icon=":material/download:", key="report_nih_xlsx",
    help="Table 6A/6B and Table 8 Part III" + (", and Part I with names" if names else ""))

st.header(report.title)
st.markdown(f"**{text.md(report.population)}** · academic years {kpis.academic_year(report.years[0])} to "
            f"{kpis.academic_year(report.years[-1])}")
sections = {"summary": "Key figures and changes", "charts": "Key charts", "nih": "NIH training tables"}
if roles.sees_trainees(ctx.role):
    sections["public"] = "Public outcomes"
section = layout.section("reports", sections)

if section == "summary":
    st.subheader("Key figures")
    header, rows = report.key_figures_table()
    st.table(pd.DataFrame([[text.md(cell) for cell in row] for row in rows], columns=header).set_index(header[0]))
    st.subheader(f"Notable changes from {kpis.academic_year(year - 1)} to {kpis.academic_year(year)}")
    st.markdown("\n".join(f"- {text.md(s)}" for s in report.sentences) or f"No count changed {content.NOTABLE}.")

elif section == "charts":
    for chart in report.charts:
        layout.heading(chart.title, chart.scope, chart.summary)
        if chart.figure is not None:
            st.plotly_chart(chart.figure, key=f"report_{chart.key}", theme="streamlit", config=layout.CHART_CONFIG,
                            alt=f"{chart.title}. {chart.summary}")
        layout.data_bar(f"report_{chart.key}_data", lambda table=chart.table: table,
                        about=layout.about(ctx, chart.title, chart.scope))

elif section == "nih":
    st.caption(f"Through cycle year {year}: Table 6 covers five cycle years; Table 8 Part III the grant-supported "
               f"trainees who entered in the ten years to {year}; Table 8 Part I (administrators only) the trainees "
               f"first appointed to the grant in the {nih.PART1_WINDOW} academic years to {year}. Support codes: "
               f"{nih.SUPPORT_CODES}.")
    for title, rows in report.nih_tables.items():
        st.markdown(f"**{title}**")
        st.dataframe(rows, hide_index=True)
    if names:
        part1 = content.nih_part1(scope)
        st.markdown("**Table 8 Part I** (trainees by name): "
                    + ("; ".join(f"{title}, {len(rows):,} trainees" for title, rows in part1.items()) or "none")
                    + ". It is in the NIH tables (XLSX) download above.")

else:  # the public outcomes, for administrators
    from reports import public, public_files

    threshold = config.suppression_threshold()
    st.caption(f"The fixed tables and charts for the programs' website (admissions, enrollment, completion, time to "
               f"degree and careers by five-year cohort band, each program on its own): counts under {threshold} "
               "and whatever would give them away are suppressed, and the suppression is audited by linear "
               "programming before anything is written.")
    snap = snapshot.current()
    outcomes = lambda: public.kept(snap.run_id, snap.path, snap.published_at, allowed, threshold)  # noqa: E731
    for column, (kind, mime) in zip(st.columns(3), public_files.FORMATS.items(), strict=True):
        column.download_button(f"Public outcomes ({kind.upper()})", data=lambda kind=kind: public_files.render(
            outcomes(), kind), file_name=f"public-outcomes.{kind}", mime=mime, on_click="ignore",
            icon=":material/download:", key=f"public_{kind}")
