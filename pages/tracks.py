"""Tracks: each program's track mix by cohort year (counts and share) and completion by track."""

from dataclasses import replace

import streamlit as st

from dashboard import charts, layout, queries

ctx = layout.context("tracks")
st.title("Tracks")

section = layout.section("tracks", {"mix": "Track mix by cohort year", "completion": "Completion by track"})
if section == "mix":
    distribution = queries.mart("track_distribution", ctx.filters, named=True)
    names = {"cohort_year": "Cohort year", "track_name": "Track", "trainees": "Trainees",
             "share": "Share of the cohort"}
    programs = dict(zip(distribution["program_id"], distribution["program_name"], strict=True))
    if not programs:
        st.info(layout.EMPTY, icon=":material/filter_alt:")
    for program_id, view in layout.views("tracks_program", "Program", programs) if programs else []:
        program = programs[program_id]
        part = distribution[distribution["program_id"] == program_id]
        scope = replace(ctx.filters, programs=(program_id,), program_names=(program,)).describe()
        with view:
            for measure, _ in layout.views("tracks_measure", "Show", {"counts": "Trainees", "shares": "Shares"}):
                if measure == "counts":
                    layout.figure(
                        ctx, f"tracks_{program_id}", part,
                        lambda f: charts.bar(f, "cohort_year", "trainees", names, color="track_name"),
                        f"Trainees by track per cohort year — {program}", columns=names, scope=scope,
                    )
                else:
                    layout.figure(
                        ctx, f"shares_{program_id}", part,
                        lambda f: charts.line(f, "cohort_year", "share", names, color="track_name", percent=True),
                        f"Share of each cohort by track — {program}", columns=names, scope=scope,
                    )
            layout.drill(ctx, f"Show these trainees ({program})", program=program_id)
    st.caption("Share: a track's trainees as a part of everyone who entered the program that cohort year; trainees "
               "without a track count as “No track”.")

else:  # completion by track
    completion = queries.run("tracks_completion", ctx.filters, named=True)
    outcome = {"program_name": "Program", "track_name": "Track", "entrants": "Entrants of settled cohorts",
               "graduated": "Graduated", "completion_rate": "Completion rate",
               "median_years_to_degree": "Median years to degree", "in_progress": "Entrants of cohorts in progress"}
    axes = {"track_label": "Track", "program_name": "Program", "completion_rate": "Completion rate",
            "median_years_to_degree": "Median years to degree"}
    layout.figure(
        ctx, "completion_by_track", completion,
        lambda f: charts.bar(f, "track_label", "completion_rate", axes, color="program_name", percent=True,
                             horizontal=True),
        "Completion rate by track", columns=outcome,
    )
    layout.figure(
        ctx, "time_to_degree_by_track", completion,
        lambda f: charts.bar(f, "track_label", "median_years_to_degree", axes, color="program_name", horizontal=True)
                  .update_xaxes(hoverformat=".1f"),
        "Median time to degree by track", columns=outcome,
    )
    st.caption("Completion rate: graduates as a share of the entrants of the selected cohorts whose program's nominal "
               "length has run out (cohorts still in progress are left out: their rates would read low). Median time "
               "to degree: the middle value of those graduates' years from start to degree (elapsed time, leaves "
               "included). Same definitions as the Completion page.")
    layout.drill(ctx, "Show the graduates", status="graduated")
