"""Overview: one academic year's key figures against the year before, each linking to its page, and a trend."""

from dataclasses import replace

import streamlit as st

from dashboard import charts, kpis, layout, queries, text

ctx = layout.context("overview")
st.title("Overview")
years = queries.plain("overview_years").iloc[0]
first, last_cohort, last = (int(years[c]) for c in ("first_cohort_year", "last_cohort_year", "last_academic_year"))
year = st.selectbox("Academic year", list(range(last, first - 1, -1)), index=last - last_cohort,
                    format_func=kpis.academic_year, key="overview_year")
# The Overview's year replaces the sidebar's cohort-year range: every cohort counts (the year's entrants are in
# progress by definition, so "leave out cohorts still in progress" does not apply either); the other filters apply.
ctx = layout.Context(ctx.role, replace(ctx.filters, year_from=first, year_to=last_cohort, settled=False))
academic = kpis.academic_year
st.caption(f"Academic year {academic(year)} runs from July {year} to June {year + 1}; each figure is compared with "
           f"{academic(year - 1)}. The cohort-year range and “leave out cohorts still in progress” in the sidebar do "
           "not apply on this page (every cohort counts); the other filters do.")

figures = queries.run("overview_kpis", ctx.filters, year=year, span=2).set_index("academic_year")
now, before = figures.loc[year], figures.loc[year - 1]
if now["trainees_in_selection"] == 0:
    st.info(layout.EMPTY, icon=":material/filter_alt:")
    st.stop()

for column, kpi in zip(st.columns(len(kpis.KPIS)), kpis.KPIS, strict=True):
    layout.kpi(column, ctx, kpi.label, now[kpi.column], before[kpi.column], kpi.kind, kpi.better, kpi.page)

st.markdown("#### Completion and time to degree, by program")
for program, degree, rows in kpis.by_program(queries.run("overview_programs", ctx.filters, year=year, span=2)):
    name, figure = st.columns([2, 3], vertical_alignment="center")
    name.markdown(f"**{text.md(program)}** ({text.md(degree)})")
    for column, kpi in zip(figure.columns(2), kpis.PROGRAM_KPIS, strict=True):
        layout.kpi(column, ctx, kpi.label, rows.loc[year, kpi.column], rows.loc[year - 1, kpi.column], kpi.kind,
                   kpi.better)
st.caption("Completion rate: of the cohort whose program's nominal length had run out when the year began, the share "
           "who had graduated by its end. Median time to degree: of the year's graduates, elapsed years from start "
           "to degree, leaves included. Each program apart: a 2-year fellowship and a 6-year PhD do not average.")

st.markdown("#### Alumni by current role")
st.caption("Three of the role groups, as informatics programs report careers; the Careers page has every role group.")
for column, kpi in zip(st.columns(len(kpis.ALUMNI)), kpis.ALUMNI, strict=True):
    layout.kpi(column, ctx, kpi.label, now[kpi.column], before[kpi.column], kpi.kind, kpi.better, kpi.page)

with st.expander("How these figures are counted"):
    st.markdown(f"""
- **Entrants**: trainees of the cohort that entered in {academic(year)}.
- **Active trainees**: trainees enrolled at any time in the year — on leave included, and those who finished or left
  during it.
- **Graduates**: trainees who completed their degree in the year (July to June).
- **Stipends paid**: stipends on the appointments that began in the year (July to June).
- **Completion rate** and **median time to degree**: per program, as above. The Completion page shows every cohort's
  rate to date.
- **Alumni by current role**: trainees who graduated by the end of the year whose current position (as last
  recorded) is in that role group; for the year before, those who graduated by its end.
""")

trend = queries.run("overview_trend", ctx.filters, year=year, first_year=first)
layout.figure(
    ctx, "overview_trend", trend,
    lambda f: charts.line(f, "academic_year_label", "trainees",
                          {"academic_year_label": "Academic year", "trainees": "Trainees", "measure": ""},
                          color="measure"),
    "Entrants and graduates per academic year, over ten years",
    columns={"academic_year_label": "Academic year", "measure": "Measure", "trainees": "Trainees"},
    scope=f"{ctx.filters.describe(cohorts=False)}; academic years {academic(max(year - 9, first))} to "
          f"{academic(year)}",
)
