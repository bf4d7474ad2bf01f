"""Completion: completion rate and time to degree by cohort and program, attrition, and trainees past nominal length."""

from dataclasses import replace

import streamlit as st

from dashboard import charts, layout, progress, queries, snapshot, text

ctx = layout.context("completion")
st.title("Completion")
COHORT = {"cohort_year": "Cohort year", "program_name": "Program"}

section = layout.section("completion", {"rate": "Completion rate", "time": "Time to degree",
                                        "attrition": "Attrition", "past_nominal": "Past nominal length",
                                        "within": "Within eight and ten years"})
if section in ("rate", "time"):
    completion = queries.mart("completion", ctx.filters, named=True)
    settled, note = progress.settled(completion), progress.note(completion)
    waiting = "Every cohort in this selection is still in progress." if len(completion) else layout.EMPTY

if section == "rate":
    layout.figure(
        ctx, "completion_rate", settled,
        lambda f: charts.line(f, "cohort_year", "completion_rate", {**COHORT, "completion_rate": "Completion rate"},
                              color="program_name", percent=True),
        "Completion rate by entering cohort and program",
        columns={**COHORT, "entrants": "Entrants", "graduated": "Graduated", "active": "Still enrolled",
                 "withdrawn": "Withdrawn", "transferred": "Transferred", "completion_rate": "Completion rate"},
        empty=waiting,
    )
    st.caption(f"Completion rate: the cohort's graduates so far divided by its entrants. {text.md(note)}")
    layout.drill(ctx, "Show the graduates", status="graduated")

elif section == "time":
    layout.figure(
        ctx, "time_to_degree", settled,
        lambda f: charts.line(f, "cohort_year", "median_years_to_degree",
                              {**COHORT, "median_years_to_degree": "Median years to degree"}, color="program_name"),
        "Median years to degree by entering cohort and program",
        columns={**COHORT, "graduated": "Graduated", "median_years_to_degree": "Median years to degree"},
        empty=waiting,
    )
    st.caption("Time to degree: elapsed years from start to degree, leaves included; the median over the cohort's "
               f"graduates so far. {text.md(note)}")

elif section == "attrition":
    attrition = queries.run("completion_attrition", ctx.filters)
    layout.figure(
        ctx, "attrition", attrition,
        lambda f: charts.bar(f, "cohort_year", "trainees", {"cohort_year": "Cohort year", "trainees": "Trainees",
                                                            "outcome": "Outcome"}, color="outcome"),
        "Trainees who withdrew or transferred, by cohort",
        columns={"cohort_year": "Cohort year", "outcome": "Outcome", "trainees": "Trainees"},
    )
    st.caption("A terminal degree is one awarded on leaving the program without its own degree (e.g. a master's on "
               "withdrawing from the PhD).")
    layout.drill(ctx, "Show the trainees who withdrew", status="withdrawn")
    layout.drill(ctx, "Show the trainees who transferred", status="transferred")

elif section == "past_nominal":
    layout.table(
        ctx, "past_nominal", queries.run("completion_past_nominal", ctx.filters, named=True),
        title="Still enrolled past nominal length",
        columns={"program_name": "Program", "nominal_years": "Nominal length (years)",
                 "still_enrolled": "Still enrolled", "past_nominal": "Enrolled longer than nominal length"},
    )
    st.caption("Still enrolled: active or on leave. Enrolled longer than nominal length: of those, the trainees whose "
               "time since starting, up to the data's as-of date, exceeds the program's nominal length.")
    layout.drill(ctx, "Show the trainees past nominal length", past_nominal=1)

else:  # within eight and ten years
    within = queries.run("completion_within_years", ctx.filters, named=True)
    programs = dict(zip(within["program_id"], within["program_name"], strict=True))
    for program_id, view in layout.views("completion_within_program", "Program", programs) if programs else []:
        scope = replace(ctx.filters, programs=(program_id,), program_names=(programs[program_id],)).describe()
        with view:
            layout.figure(
                ctx, f"completion_within_{program_id}", within[within["program_id"] == program_id],
                lambda f: charts.bar(f, "cohort_year", "completion_rate", {"cohort_year": "Cohort year",
                                                                           "completion_rate": "Completed",
                                                                           "window_label": ""},
                                     color="window_label", barmode="group", percent=True),
                f"Share of entrants who graduated within eight and ten years, by cohort — {programs[program_id]}",
                columns={"cohort_year": "Cohort year", "window_label": "Window", "entrants": "Entrants",
                         "graduated_within": "Graduated within the window", "completion_rate": "Completion rate"},
                scope=scope,
            )
    if not programs:
        st.info("No cohort in this selection entered long enough ago: a cohort shows here once every one of its "
                "trainees started at least eight (or ten) years before the data's as-of date.",
                icon=":material/schedule:")
    st.caption("Public outcome dashboards report completion this way. A trainee completes within the window when "
               "their time to degree is at most eight (or ten) years; each program apart. A cohort shows once every "
               f"one of its trainees started at least eight (or ten) years before the data's as-of date "
               f"({snapshot.lineage_info()['as_of_date']}): later cohorts are still inside the window.")
