"""Funding: dollars by fiscal year and source, trainees and trainee-years, federal share, NRSA levels, findings."""

import streamlit as st

from dashboard import charts, layout, queries, roles
from etl.contract import LABELS

ctx = layout.context("funding")
COSTS = {"stipend_usd": "Stipend", "tuition_fees_usd": "Tuition & fees", "health_insurance_usd": "Health insurance",
         "travel_usd": "Travel"}
PEOPLE = {"trainees": "Trainees", "trainee_years": "Trainee-years"}
PAID = {"paid_usd": "Paid", "expected_usd": "Expected at NRSA level"}
FY = {"fiscal_year": "Fiscal year"}
st.title("Funding")
st.caption("The cohort-year filter selects trainees by their cohort (the year they entered); the figures show those "
           "trainees' appointments in every fiscal year they were funded.")


section = layout.section("funding", {"dollars": "Dollars", "trainees": "Trainees", "federal": "Federal share",
                                    "nrsa": "Stipends against NRSA levels", "findings": "NRSA eligibility findings"})
if section == "dollars":
    funding = queries.mart("stipend_funding", ctx.filters, named=True)
    funding = funding.assign(source=funding["funding_source"].map(LABELS))
    split = st.radio("Break the dollars down by", ["Funding source", "Kind of cost"], horizontal=True,
                     key="funding_split")
    layout.figure(
        ctx, "funding_dollars", funding,
        lambda f: charts.bar(f, "fiscal_year", "total_usd", {**FY, "total_usd": "Dollars",
                                                             "source": "Funding source"}, color="source", money=True)
        if split == "Funding source" else
        charts.bar(f.rename(columns=COSTS), "fiscal_year", list(COSTS.values()),
                   {**FY, "value": "Dollars", "variable": "Cost"}, money=True),
        f"Dollars by fiscal year and {split.lower()}",
        columns={**FY, "program_name": "Program", "source": "Funding source", "trainees": "Trainees",
                 "trainee_years": "Trainee-years", **COSTS, "total_usd": "Total"},
    )
    st.caption("In the table, Trainees: distinct trainees with an appointment from that source in the year.")

elif section == "trainees":
    years = queries.run("funding_years", ctx.filters)
    layout.figure(
        ctx, "funding_trainees", years,
        lambda f: charts.bar(f.rename(columns=PEOPLE), "fiscal_year", list(PEOPLE.values()),
                             {**FY, "value": "Trainees / trainee-years", "variable": ""}, barmode="group"),
        "Trainees and trainee-years per fiscal year", columns={**FY, **PEOPLE},
    )
    st.caption("A trainee counts once per fiscal year, however many appointments or funding sources they had. "
               "Trainee-years add up the length of every appointment (days / 365.25).")
    if roles.sees_trainees(ctx.role) and not years.empty:
        fiscal_year = st.selectbox("List the trainees of fiscal year", years["fiscal_year"].tolist(),
                                   index=len(years) - 1, key="funding_fy")
        layout.drill(ctx, f"Show the trainees appointed in FY{fiscal_year}", fiscal_year=fiscal_year)

elif section == "federal":
    layout.figure(
        ctx, "funding_federal", queries.run("funding_years", ctx.filters),
        lambda f: charts.line(f, "fiscal_year", "nih_share", {**FY, "nih_share": "NLM/NIH share"}, percent=True),
        "Share of dollars from NLM/NIH training grants",
        columns={**FY, "nih_usd": "NLM/NIH dollars", "total_usd": "All dollars", "nih_share": "NLM/NIH share"},
    )

elif section == "nrsa":
    everyone = st.toggle("Include appointments not funded by NIH", key="funding_nrsa_all")
    whose = "all appointments" if everyone else "NIH-funded appointments"
    nrsa = queries.run("funding_nrsa", ctx.filters, all_sources=everyone)
    layout.figure(
        ctx, "funding_nrsa", nrsa,
        lambda f: charts.bar(f.rename(columns=PAID), "fiscal_year", list(PAID.values()),
                             {**FY, "value": "Stipends", "variable": ""}, barmode="group", money=True),
        f"Stipends paid and expected at NRSA levels, {whose}",
        columns={**FY, "trainees": "Trainees", "appointments": "Appointments", **PAID,
                 "difference_usd": "Paid − expected", "paid_share": "Paid / expected"},
        empty=f"No {whose} of these trainees fall in a fiscal year with an NRSA level on file.",
    )
    missing = queries.run("funding_nrsa_missing", ctx.filters, all_sources=everyone)["years"].iloc[0]
    if isinstance(missing, str):
        st.markdown(f"No NRSA level on file for {missing}; those appointments are left out of this comparison.")
    st.caption("Expected: the NRSA annual stipend level for the fiscal year, career level and years of experience "
               "at appointment, times the appointment's length (days / 365.25).")

else:  # the findings
    st.caption("NIH-funded appointments (NLM T15 or another NIH training grant) of trainees whose citizenship at "
               "appointment is not NRSA-eligible. NRSA support is for US citizens, non-citizen nationals and "
               "permanent residents.")
    found = queries.run("funding_findings_count", ctx.filters)
    layout.kpi(st, ctx, "Appointments with an eligibility finding", int(found["appointments"].iloc[0]), None)
    if roles.sees_trainees(ctx.role):
        findings = queries.with_labels(queries.run("funding_findings", ctx.filters), "citizenship_at_appointment")
        shown = layout.table(
            ctx, "funding_findings", findings.assign(funding_source=findings["funding_source"].map(LABELS)),
            title="NRSA eligibility findings", row_level="NRSA eligibility findings",
            columns={"trainee_id": "Trainee ID", "trainee_name": "Name", "program_name": "Program",
                     "appointment_id": "Appointment", "fiscal_year": "Fiscal year",
                     "funding_source": "Funding source", "grant_number": "Grant",
                     "citizenship_at_appointment": "Citizenship at appointment"},
            empty="No eligibility findings among these trainees' appointments.",
        )
        if shown is not None:
            layout.drill(ctx, "Show these trainees", finding="nrsa_ineligible")
