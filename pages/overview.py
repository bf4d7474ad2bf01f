"""Overview: one academic year's key figures against the year before, each linking to its page, and a trend."""

from dataclasses import replace

import streamlit as st

from dashboard import charts, kpis, layout, privacy, queries, roles

ctx = layout.context("overview")
st.title("Overview")
years = queries.plain("overview_years").iloc[0]
first, last_cohort, last = (int(years[c]) for c in ("first_cohort_year", "last_cohort_year", "last_academic_year"))
year = st.selectbox("Academic year", list(range(last, first - 1, -1)), index=last - last_cohort,
                    format_func=kpis.academic_year, key="overview_year")
# The Overview's year replaces the sidebar's cohort-year range: every cohort counts; the other filters apply.
ctx = layout.Context(ctx.role, replace(ctx.filters, year_from=first, year_to=last_cohort))
who = ctx.filters.describe()
academic = kpis.academic_year
st.caption(f"Academic year {academic(year)} runs from July {year} to June {year + 1}; each figure is compared with "
           f"{academic(year - 1)}. The cohort-year range in the sidebar does not apply on this page (every cohort "
           "counts); the other filters do.")

figures = queries.run("overview_kpis", ctx.filters, year=year, span=2).set_index("academic_year")
now, before = figures.loc[year], figures.loc[year - 1]
if now["trainees_in_selection"] == 0:
    st.info(layout.EMPTY, icon=":material/filter_alt:")
    st.stop()

top = st.columns(5)
money, alumni = st.columns([1, 3], vertical_alignment="bottom")
alumni.markdown("**Alumni by current role**")
for column, kpi in zip([*top, money, *alumni.columns(3)], kpis.KPIS + kpis.ALUMNI, strict=True):
    (value, basis), (previous, previous_basis) = kpis.of(kpi, now), kpis.of(kpi, before)
    layout.kpi(column, ctx, kpi.label, value, previous, basis, previous_basis, kind=kpi.kind, page=kpi.page)
if roles.suppresses_small_cells(ctx.role):
    st.caption(f"Figures resting on fewer than {privacy.threshold()} trainees show as {privacy.label()}, and so does "
               "their change.")

with st.expander("How these figures are counted"):
    st.markdown(f"""
- **Entrants**: trainees of the cohort that entered in {kpis.academic_year(year)}.
- **Active trainees**: trainees enrolled at any time in the year — on leave included, and those who finished or left
  during it.
- **Graduates**: trainees who completed their degree in the year (July to June).
- **Completion rate**: of the trainees whose program's nominal length had run out when the year began (the cohort
  that entered that many years earlier: five years earlier for a five-year program), the share who had graduated by
  the end of the year. The Completion page shows every cohort's rate to date.
- **Median time to degree**: elapsed years from start to degree, leaves included, of the year's graduates.
- **Stipends paid**: stipends on the appointments that began in the year (July to June).
- **Alumni by current role**: trainees who graduated by the end of the year whose current position (as last
  recorded) is academic, CIO & informatics leadership or consulting; for the year before, those who graduated by its
  end.
""")

st.subheader("Entrants and graduates over ten years")
trend = queries.run("overview_trend", ctx.filters, year=year, first_year=first)
layout.figure(
    ctx, "overview_trend", trend,
    lambda f: charts.line(f, "academic_year_label", "trainees", f"Entrants and graduates per academic year — {who}",
                          {"academic_year_label": "Academic year", "trainees": "Trainees", "measure": ""},
                          color="measure"),
    counts=["trainees"],
    columns={"academic_year_label": "Academic year", "measure": "Measure", "trainees": "Trainees"},
)
