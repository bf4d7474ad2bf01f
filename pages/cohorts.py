"""Cohorts: entrants by program (and track), the admissions funnel, eligibility for support, demographics."""

from dataclasses import replace

import streamlit as st

from dashboard import charts, layout, queries

ctx = layout.context("cohorts")
st.title("Cohorts")
section = layout.section("cohorts", {"entrants": "Entrants", "admissions": "Admissions",
                                     "eligibility": "Eligible for support (Table 6 view)",
                                     "demographics": "Demographics"})

if section == "entrants":
    sizes = queries.mart("cohort_sizes", ctx.filters, named=True)
    layout.figure(
        ctx, "entrants", sizes,
        lambda f: charts.bar(f, "cohort_year", "entrants", {"cohort_year": "Cohort year", "entrants": "Entrants",
                                                            "program_name": "Program"}, color="program_name"),
        "Entrants per cohort year, by program",
        columns={"cohort_year": "Cohort year", "program_name": "Program", "track_name": "Track",
                 "entrants": "Entrants", "female": "Female", "urm": "URM", "eligible": "Eligible for support"},
    )
    layout.drill(ctx, "Show these trainees")

elif section == "admissions":
    rates = queries.rates_long(queries.mart("cohort_funnel", ctx.filters, named=True))
    programs = dict(zip(rates["program_id"], rates["program_name"], strict=True))
    if not programs:
        st.info(layout.EMPTY, icon=":material/filter_alt:")
    for program_id, view in layout.views("cohorts_rates_program", "Program", programs) if programs else []:
        scope = replace(ctx.filters, programs=(program_id,), program_names=(programs[program_id],)).describe()
        with view:
            one = replace(ctx.filters, programs=(program_id,))
            layout.figure(
                ctx, f"funnel_{program_id}", queries.run("funnel_stages", one),
                lambda f: charts.funnel(f, "stage", "people", {"stage": "Stage", "people": "People"}),
                f"Applicants to matriculants, cycle years in range — {programs[program_id]}",
                columns={"stage": "Stage", "people": "People"}, scope=scope,
            )
            layout.figure(
                ctx, f"rates_{program_id}", rates[rates["program_id"] == program_id],
                lambda f: charts.line(f, "cycle_year", "rate", {"cycle_year": "Cycle year", "rate": "Rate",
                                                                "measure": ""}, color="measure", percent=True),
                f"Admit rate and yield per cycle year — {programs[program_id]}",
                columns={"cycle_year": "Cycle year", "measure": "Measure", "rate": "Rate", "admitted": "Admitted",
                         "applicants": "Applicants", "matriculated": "Matriculated"}, scope=scope,
            )
    st.caption("Admit rate: admitted ÷ applicants. Yield: matriculated ÷ admitted. Each program apart.")

elif section == "eligibility":
    layout.table(
        ctx, "table6", queries.mart("cohort_funnel", ctx.filters, named=True),
        title="Applicants and entrants eligible for support",
        columns={"program_name": "Program", "cycle_year": "Year", "applicants": "Total applicant pool",
                 "eligible_applicants": "Applicants eligible for support", "matriculated": "New entrants",
                 "eligible_matriculated": "New entrants eligible for support"},
    )
    st.caption("Eligible for support: US citizens, non-citizen nationals and permanent residents (NRSA rules).")

else:  # demographics
    demographics = queries.with_labels(queries.run("cohort_demographics", ctx.filters), "category")
    dimensions = {"Gender": "gender", "URM": "URM status", "Citizenship": "citizenship"}
    for dimension, view in layout.views("cohorts_dimension", "Breakdown", list(dimensions)):
        with view:
            layout.figure(
                ctx, f"demographics_{dimension.lower()}", demographics[demographics["dimension"] == dimension],
                lambda f, d=dimension: charts.bar(f, "cohort_year", "entrants",
                                                  {"cohort_year": "Cohort year", "entrants": "Entrants",
                                                   "category": d}, color="category"),
                f"Entrants by {dimensions[dimension]}",
                columns={"cohort_year": "Cohort year", "category": dimension, "entrants": "Entrants"},
            )
