"""Cohorts: entrants by program and track, the admissions funnel, eligibility for support, demographics."""

import streamlit as st

from dashboard import charts, layout, queries

ctx = layout.context("cohorts")
who = ctx.filters.describe()
st.title("Cohorts")

st.subheader("Entrants per cohort year")
sizes = queries.mart("cohort_sizes", ctx.filters, named=True)
layout.figure(
    ctx, "entrants", sizes,
    lambda f: charts.bar(f, "cohort_year", "entrants", f"Entrants per cohort year by program and track — {who}",
                         {"cohort_year": "Cohort year", "entrants": "Entrants", "group": "Program · track"},
                         color="group"),
    counts=["entrants", "female", "urm", "eligible"], groups=[["cohort_year"]],
    columns={"cohort_year": "Cohort year", "program_name": "Program", "track_name": "Track", "entrants": "Entrants",
             "female": "Female", "urm": "URM", "eligible": "Eligible for support"},
)
layout.drill(ctx, "Show these trainees")

st.subheader("Admissions funnel")
stages = queries.run("funnel_stages", ctx.filters)
layout.figure(
    ctx, "funnel", stages,
    lambda f: charts.funnel(f, "stage", "people", f"Applicants to matriculants, cycle years in range — {who}",
                            {"stage": "Stage", "people": "People"}),
    counts=["people"], columns={"stage": "Stage", "people": "People"},
)
funnel = queries.mart("cohort_funnel", ctx.filters, named=True)
rates = queries.rates_long(funnel)
layout.figure(
    ctx, "rates", rates,
    lambda f: charts.line(f, "cycle_year", "value", f"Admit rate and yield per cycle year — {who}",
                          {"cycle_year": "Cycle year", "value": "Rate", "rate": ""}, color="rate", percent=True),
    counts=["admitted", "applicants", "matriculated"], derived={"value": ["admitted", "applicants", "matriculated"]},
    columns={"cycle_year": "Cycle year", "rate": "Rate", "value": "Value"},
)

st.subheader("Eligible for support (NIH Table 6 view)")
layout.table(
    ctx, "table6", funnel,
    counts=["applicants", "eligible_applicants", "matriculated", "eligible_matriculated"],
    columns={"program_name": "Program", "cycle_year": "Year", "applicants": "Total applicant pool",
             "eligible_applicants": "Applicants eligible for support", "matriculated": "New entrants",
             "eligible_matriculated": "New entrants eligible for support"},
)
st.caption("Eligible for support: US citizens, non-citizen nationals and permanent residents (NRSA rules).")

st.subheader("Demographics by cohort")
demographics = queries.with_labels(queries.run("cohort_demographics", ctx.filters), "category")
for dimension, tab in layout.tabs("cohorts_dimension", ["Gender", "URM", "Citizenship"]):
    with tab:
        part = demographics[demographics["dimension"] == dimension]
        layout.figure(
            ctx, f"demographics_{dimension.lower()}", part,
            lambda f, d=dimension: charts.bar(f, "cohort_year", "entrants", f"Entrants by {d.lower()} — {who}",
                                              {"cohort_year": "Cohort year", "entrants": "Entrants",
                                               "category": d}, color="category"),
            counts=["entrants"], groups=[["cohort_year"]],
            columns={"cohort_year": "Cohort year", "category": dimension, "entrants": "Entrants"},
        )
