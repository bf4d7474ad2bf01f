"""Completion: completion rate and time to degree by cohort and program, attrition, and trainees past nominal length."""

import streamlit as st

from dashboard import charts, layout, queries

ctx = layout.context("completion")
who = ctx.filters.describe()
st.title("Completion")
COUNTS = ["entrants", "graduated", "withdrawn", "transferred", "active", "terminal_degrees"]

st.subheader("Completion rate by cohort")
completion = queries.mart("completion", ctx.filters, named=True)
layout.figure(
    ctx, "completion_rate", completion,
    lambda f: charts.line(f, "cohort_year", "completion_rate",
                          f"Completion rate by entering cohort and program — {who}",
                          {"cohort_year": "Cohort year", "completion_rate": "Completion rate",
                           "program_name": "Program"}, color="program_name", percent=True),
    counts=COUNTS, derived={"completion_rate": ["graduated", "entrants"]},
    columns={"cohort_year": "Cohort year", "program_name": "Program", "entrants": "Entrants",
             "graduated": "Graduated", "completion_rate": "Completion rate"},
)
st.caption("Completion rate: the cohort's graduates so far divided by its entrants. Recent cohorts are still in "
           "progress, so their rates are low until their trainees finish.")
layout.drill(ctx, "Show the graduates", status="graduated")

st.subheader("Median time to degree")
layout.figure(
    ctx, "time_to_degree", completion,
    lambda f: charts.line(f, "cohort_year", "median_years_to_degree",
                          f"Median years to degree by entering cohort and program — {who}",
                          {"cohort_year": "Cohort year", "median_years_to_degree": "Median years to degree",
                           "program_name": "Program"}, color="program_name"),
    counts=COUNTS, derived={"median_years_to_degree": ["graduated"]},
    columns={"cohort_year": "Cohort year", "program_name": "Program", "graduated": "Graduated",
             "median_years_to_degree": "Median years to degree"},
)
st.caption("Time to degree: elapsed years from start to degree, leaves included; the median over the cohort's "
           "graduates so far.")

st.subheader("Attrition by cohort")
attrition = queries.run("completion_attrition", ctx.filters)
layout.figure(
    ctx, "attrition", attrition,
    lambda f: charts.bar(f, "cohort_year", "trainees", f"Trainees who withdrew or transferred, by cohort — {who}",
                         {"cohort_year": "Cohort year", "trainees": "Trainees", "outcome": "Outcome"},
                         color="outcome"),
    counts=["trainees"], groups=[["cohort_year"]],
    columns={"cohort_year": "Cohort year", "outcome": "Outcome", "trainees": "Trainees"},
)
st.caption("A terminal degree is one awarded on leaving the program without its own degree (e.g. a master's on "
           "withdrawing from the PhD).")
layout.drill(ctx, "Show the trainees who withdrew", status="withdrawn")
layout.drill(ctx, "Show the trainees who transferred", status="transferred")

st.subheader("Still enrolled past nominal length")
layout.table(
    ctx, "past_nominal", queries.run("completion_past_nominal", ctx.filters, named=True),
    counts=["still_enrolled", "past_nominal"],
    columns={"program_name": "Program", "nominal_years": "Nominal length (years)",
             "still_enrolled": "Still enrolled", "past_nominal": "Enrolled longer than nominal length"},
)
st.caption("Still enrolled: active or on leave. Enrolled longer than nominal length: of those, the trainees whose "
           "time since starting, up to the data's as-of date, exceeds the program's nominal length.")
layout.drill(ctx, "Show the trainees past nominal length", past_nominal=1)

st.subheader("Completion within eight and ten years of entry")
within = queries.run("completion_within_years", ctx.filters)
layout.figure(
    ctx, "completion_within", within,
    lambda f: charts.bar(f, "cohort_year", "completion_rate",
                         f"Share of entrants who graduated within eight and ten years, by cohort — {who}",
                         {"cohort_year": "Cohort year", "completion_rate": "Completed", "window_label": ""},
                         color="window_label", barmode="group", percent=True),
    counts=["entrants", "graduated_within"], derived={"completion_rate": ["graduated_within", "entrants"]},
    columns={"cohort_year": "Cohort year", "window_label": "Window", "entrants": "Entrants",
             "graduated_within": "Graduated within the window", "completion_rate": "Completion rate"},
    empty="No cohort in this selection entered long enough ago: a cohort shows here once every one of its "
          "trainees started at least eight (or ten) years before the data's as-of date.",
)
st.caption("Public outcome dashboards report completion this way. A trainee completes within the window when their "
           "time to degree is at most eight (or ten) years; all programs in the selection count together.")
