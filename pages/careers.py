"""Careers: alumni outcomes by role group and UCOT tier, initial against current position, years out, and flows."""

import streamlit as st

from dashboard import charts, layout, queries, roles

ctx = layout.context("careers")
st.title("Careers")
st.caption("Alumni: graduated trainees of the selected cohorts. Initial position: the earliest-started one on file; "
           "current position: the open one started last. Unknown: no such position on file (no position at all, or "
           "no open one) — counted in every figure, never left out.")
none = "No alumni (graduated trainees) match these filters. Widen the filters in the sidebar to see this figure."

summary = queries.run("careers_summary", ctx.filters).iloc[0]
alumni_kpi, initial_kpi, current_kpi = st.columns(3)
layout.kpi(alumni_kpi, ctx, "Alumni", summary["alumni"], None)
layout.kpi(initial_kpi, ctx, "Initial position unknown", summary["initial_unknown_share"], None, kind="rate")
layout.kpi(current_kpi, ctx, "Current position unknown", summary["current_unknown_share"], None, kind="rate")

section = layout.section("careers", {"role_groups": "Role groups", "ucot": "UCOT tiers",
                                    "years": "Years since completion", "flows": "From track to role group"})
kinds = {"position_label": "Position", "role_group_label": "Role group", "alumni": "Alumni", "share": "Share"}

if section == "role_groups":
    role_groups = queries.run("careers_role_groups", ctx.filters)
    layout.figure(
        ctx, "role_groups", role_groups,
        lambda f: charts.bar(f, "role_group_label", "alumni", kinds, color="position_label", barmode="group",
                             horizontal=True),
        "Alumni by role group, initial and current position", columns=kinds, empty=none,
    )
    if roles.sees_trainees(ctx.role) and not role_groups.empty:
        with st.expander("Show the alumni behind a bar", icon=":material/person_search:"):
            columns = dict(zip(("initial", "current"), st.columns(2), strict=True))
            for row in role_groups[role_groups["alumni"] > 0].itertuples():
                with columns[row.position_kind]:
                    layout.drill(ctx, f"{row.position_label}: {row.role_group_label} ({row.alumni})",
                                 position_kind=row.position_kind, role_group=row.role_group)

elif section == "ucot":
    ucot = queries.run("careers_ucot", ctx.filters)
    tiers = ["Sector", "Career type", "Job function"]
    for tier, view in layout.views("careers_tier", "UCOT tier", tiers):
        with view:
            layout.figure(
                ctx, f"ucot_{tier.lower().replace(' ', '_')}", ucot[ucot["tier"] == tier],
                lambda f, t=tier: charts.bar(f, "category", "alumni", {**kinds, "category": t}, color="position_label",
                                             barmode="group", horizontal=True),
                f"Alumni by {tier.lower()}, initial and current position",
                columns={"position_label": "Position", "category": tier, "alumni": "Alumni", "share": "Share"},
                empty=none,
            )
    st.caption("Unified Career Outcomes Taxonomy (UCOT): sector, career type and job function of each position.")

elif section == "years":
    bands = queries.run("careers_bands", ctx.filters)
    layout.figure(
        ctx, "years_since_completion", bands,
        lambda f: charts.bar(f, "band_label", "share", {"band_label": "Years since completion",
                                                        "share": "Share of the band's alumni",
                                                        "role_group_label": "Role group"},
                             color="role_group_label", percent=True),
        "Current role group by years since completion",
        columns={"band_label": "Years since completion", "role_group_label": "Current role group",
                 "alumni": "Alumni", "share": "Share of the band"},
        empty=none,
    )
    st.caption("Years since completion: whole years from the degree to the data's as-of date.")

else:  # the flows
    flows = queries.run("careers_sankey", ctx.filters)
    layout.figure(
        ctx, "career_flows", flows,
        lambda f: charts.sankey(f, value="alumni"),
        "Alumni from track to initial and current role group",
        columns={"link": "Link", "source": "From", "target": "To", "alumni": "Alumni"}, empty=none,
    )
