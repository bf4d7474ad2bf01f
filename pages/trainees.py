"""Trainees (administrators only): a searchable roster, the trainees behind a figure, and each trainee's timeline."""

import streamlit as st

from dashboard import audit, charts, exports, layout, queries, text
from etl.contract import FUNDING_SOURCE, LABELS, ROLE_GROUP

ctx = layout.context("trainees")
PAGE_SIZES = (50, 100, 250, 500)  # rows per page: the browser is sent one page, never the whole roster
YEAR = "a four-digit year"
DRILL = {"status": ("graduated", "withdrawn", "transferred", "active"), "cohort": YEAR, "completion_year": YEAR,
         "position_kind": ("initial", "current"), "role_group": (*ROLE_GROUP, "unknown"), "fiscal_year": YEAR,
         "funding_source": FUNDING_SOURCE, "finding": ("nrsa_ineligible",), "past_nominal": ("1",)}
PHRASES = {  # how the "Showing the N trainees behind: …" line names each drill-down parameter
    "status": lambda v, d: "active or on leave" if v == "active" else v, "cohort": lambda v, d: f"cohort {v}",
    "completion_year": lambda v, d: f"completed in {v}",
    "position_kind": lambda v, d: f"alumni whose {v} role group is {d['role_group'].replace('_', ' ')}",
    "fiscal_year": lambda v, d: f"appointed in FY{v}", "funding_source": lambda v, d: f"funded by {LABELS[v]}",
    "finding": lambda v, d: "with an NRSA-eligibility finding",
    "past_nominal": lambda v, d: "still enrolled past the program's nominal length",
}
ROSTER = {"trainee_id": "Trainee ID", "trainee_name": "Name", "email": "E-mail", "program_name": "Program",
          "track_name": "Track", "cohort_year": "Cohort", "status": "Status", "start_date": "Start", "end_date": "End",
          "citizenship": "Citizenship", "mentor": "Mentor", "research_topic": "Research topic"}
DETAILS = {  # the tables under a trainee's timeline: query -> (heading, columns shown)
    "trainees_appointments": ("Appointments", {
        "fiscal_year": "Fiscal year", "funding_source": "Funding source", "grant_number": "Grant",
        "start_date": "Start", "end_date": "End", "stipend_usd": "Stipend", "tuition_fees_usd": "Tuition & fees",
        "health_insurance_usd": "Health insurance", "travel_usd": "Travel", "total_usd": "Total"}),
    "trainees_milestones": ("Milestones", {
        "milestone_date": "Date", "milestone": "Milestone", "years_from_start": "Years from start"}),
    "trainees_positions": ("Positions", {
        "start_year": "Start year", "end_year": "End year", "title": "Title", "employer": "Employer",
        "role_group": "Role group", "sector": "Sector", "career_type": "Career type", "job_function": "Job function"}),
}


def understood() -> tuple[dict[str, str], list[str]]:
    """The URL's drill-down parameters this page understands, and the ones it leaves out."""
    given = {key: st.query_params[key] for key in DRILL if key in st.query_params}
    ok = {k: v for k, v in given.items()
          if (v.isascii() and v.isdigit() and len(v) == 4 if DRILL[k] == YEAR else v in DRILL[k])}
    if ("position_kind" in ok) != ("role_group" in ok):  # a role group means something only with its position kind
        ok.pop("position_kind", None), ok.pop("role_group", None)
    return ok, [f"{k}={v}" for k, v in given.items() if k not in ok]


st.title("Trainees")
drill, ignored = understood()
if ignored:
    st.warning(f"Left out of this view (not a value this page understands): {text.md(', '.join(ignored))}.")
search = st.text_input("Search", key="trainees_search",
                       placeholder="Name, e-mail, trainee ID, mentor or research topic").strip()
params = {key: drill.get(key) for key in DRILL} | {"past_nominal": "past_nominal" in drill}


def rows(text: str, page: int = 1, size: int | None = None):
    """One page of the roster matching the search (all of it when size is None), each row with the total matching."""
    offset = (page - 1) * (size or 0)
    return queries.run("trainees_roster", ctx.filters, **params, search=text, limit=size, offset=offset)


def shown(frame):
    """The roster's columns as the table and the downloads show them."""
    return queries.with_labels(queries.with_labels(frame, "citizenship"), "status")[list(ROSTER)].rename(columns=ROSTER)


size = st.session_state.get("trainees_page_size", PAGE_SIZES[1])
page = st.session_state.get("trainees_page", 1)
roster = rows(search, page, size)
if roster.empty and page > 1:  # past the end since the search, the filters or the page size changed
    page = st.session_state["trainees_page"] = 1
    roster = rows(search, page, size)
matching = int(roster["matching"].iloc[0]) if len(roster) else 0
if drill:
    first_of_all = rows("", 1, 1) if search else roster
    behind = int(first_of_all["matching"].iloc[0]) if len(first_of_all) else 0
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.info(f"Showing the {behind} trainee{'' if behind == 1 else 's'} behind: "
              f"{', '.join(PHRASES[k](v, drill) for k, v in drill.items() if k != 'role_group')}.",
              icon=":material/person_search:")
    if right.button("Show all trainees", icon=":material/close:", key="trainees_clear"):
        for key in DRILL:
            st.query_params.pop(key, None)
        st.rerun()
st.caption(f"Trainees of {text.md(ctx.filters.describe())}. Names and e-mails are education records: share them only "
           "with those who need them.")
if roster.empty:
    st.info("No trainees match this search." if search else layout.EMPTY, icon=":material/filter_alt:")
    st.stop()

table = shown(roster)
ids, names = roster["trainee_id"].tolist(), dict(zip(roster["trainee_id"], roster["trainee_name"], strict=True))


def pick() -> None:
    """Open the timeline of the row selected in the roster."""
    selected = st.session_state["trainees_roster"]["selection"]["rows"]
    if selected:
        st.session_state["trainees_open"] = ids[selected[0]]


st.dataframe(table, hide_index=True, key="trainees_roster", on_select=pick, selection_mode="single-row")
first = (page - 1) * size + 1
pages = -(-matching // size)
if matching > PAGE_SIZES[0]:
    where, number, per_page = st.columns([2, 1, 1], vertical_alignment="bottom")
    where.caption(f"Trainees {first:,}–{first + len(roster) - 1:,} of {matching:,}, page {page} of {pages}; "
                  "the downloads hold all of them.")
    number.number_input("Page", min_value=1, max_value=pages, step=1, key="trainees_page")
    per_page.selectbox("Rows per page", PAGE_SIZES, index=PAGE_SIZES.index(size), key="trainees_page_size")
left, right = st.columns(2)
csv_data = audit.download(lambda: exports.csv_bytes(shown(rows(search))), f"trainees.csv ({matching} trainees)")
about = layout.about(ctx, "Trainees (roster, with names: an education record)", ctx.filters.describe())
xlsx_data = audit.download(lambda: exports.xlsx_bytes(shown(rows(search)), "trainees", about=about),
                           f"trainees.xlsx ({matching} trainees)")
left.download_button("Roster (CSV)", data=csv_data, file_name="trainees.csv", mime="text/csv", key="trainees_csv",
                     on_click="ignore", icon=":material/download:")
right.download_button("Roster (XLSX)", data=xlsx_data, file_name="trainees.xlsx",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="trainees_xlsx",
                      on_click="ignore", icon=":material/download:")

if st.session_state.get("trainees_open") not in ids:
    st.session_state.pop("trainees_open", None)
chosen = st.selectbox("Open a trainee's timeline (one on this page, or select a row above)", ids, index=None,
                      key="trainees_open",
                      format_func=lambda t: f"{names[t]} ({t})", placeholder="Choose a trainee")
if chosen is None:
    st.stop()
person = roster[roster["trainee_id"] == chosen].iloc[0]
st.subheader(text.md(f"{person['trainee_name']} ({chosen})"))
st.caption(text.md(f"{person['program_name']} · {person['track_name']} · cohort {person['cohort_year']} · enrolled "
                   f"{person['enrolled']} · {LABELS.get(person['status'], person['status'])}"))
milestones = queries.plain("trainees_milestones", trainee_id=chosen)
timeline = charts.timeline(queries.plain("trainees_timeline", trainee_id=chosen), milestones)
layout.heading(f"Timeline of {person['trainee_name']}", "Enrollment, appointments, positions and milestones",
               layout.figures.summary(timeline))
st.plotly_chart(timeline, key="trainees_timeline", theme="streamlit", config=layout.CHART_CONFIG,
                alt=f"Timeline of {person['trainee_name']}. {layout.figures.summary(timeline)}")
for query, (heading, columns) in DETAILS.items():
    frame = milestones if query == "trainees_milestones" else queries.plain(query, trainee_id=chosen)
    st.markdown(f"**{heading}**")
    layout.table(ctx, query, frame.replace({"funding_source": LABELS}), columns=columns,
                 empty=f"No {heading.lower()} on file.", row_level=f"{heading.lower()} of trainee {chosen}")
