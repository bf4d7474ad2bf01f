"""The pandas-only baseline the benchmark compares each dashboard page with: what most Streamlit dashboards do.

Each page function reads the raw CSV files with plain `pandas.read_csv` and redoes the page's group-bys, on every call
(nothing cached, as on every rerun of such a dashboard). It is honest, not deliberately slow: only the files and columns
the page needs (`usecols=`), sensible dtypes, the default C parser, and exactly the page's figures at the page's grain,
as its SQL defines them (dashboard/sql, etl/sql/marts) — tests/test_bench_baseline.py checks them against the product.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ELIGIBLE = ["us_citizen", "noncitizen_national", "permanent_resident"]  # NRSA rules
NIH = ["nlm_t15", "nih_training_other"]
COSTS = ["stipend_usd", "tuition_fees_usd", "health_insurance_usd", "travel_usd"]
UCOT = {"role_group": "Role group", "sector": "Sector", "career_type": "Career type", "job_function": "Job function"}
ALUMNI = {group: group for group in ("academic", "cio_informatics_leadership", "consulting")}
NRSA_LEVELS = Path(__file__).resolve().parent.parent / "data" / "reference" / "nrsa_stipend_levels.csv"
AS_OF = pd.Timestamp.today().normalize()  # "now" for years since completion and time enrolled
DAYS = 365.25
DATES = {"start_date", "end_date", "milestone_date"}
DTYPES = {  # any other column is text
    **dict.fromkeys(["cohort_year", "cycle_year", "fiscal_year", "start_year", "nominal_years", "experience_years"],
                    "int64"),
    **dict.fromkeys(["end_year", "postdoc_experience_years", "annual_stipend_usd", *COSTS], "float64"),
    **dict.fromkeys(["is_urm", "interviewed", "admitted", "matriculated"], "bool"),
}


@dataclass(frozen=True)
class Filter:
    """The filters a baseline applies (the dashboard's sidebar): empty = all."""

    programs: tuple[str, ...] = ()
    citizenship: tuple[str, ...] = ()


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    """One raw file: only the columns asked for, each with its dtype, ISO dates parsed."""
    columns = list(dict.fromkeys(columns))
    dtype = {c: DTYPES.get(c, "str") for c in columns if c not in DATES}
    dates = [c for c in columns if c in DATES]
    return pd.read_csv(path, usecols=columns, dtype=dtype, parse_dates=dates, date_format="%Y-%m-%d")


def _keep(frame: pd.DataFrame, flt: Filter) -> pd.DataFrame:
    """The trainees or applicants the sidebar filters select."""
    for column, values in (("program_id", flt.programs), ("citizenship", flt.citizenship)):
        frame = frame[frame[column].isin(values)] if values else frame
    return frame


def _derive(t: pd.DataFrame) -> pd.DataFrame:
    """Graduates and their years to degree (elapsed days / 365.25), when status and dates were read."""
    if "end_date" not in t:
        return t
    graduated = t["status"].eq("graduated")
    return t.assign(graduated=graduated, years_to_degree=((t["end_date"] - t["start_date"]).dt.days / DAYS)
                    .where(graduated))


def _trainees(source: Path, flt: Filter, columns: list[str]) -> pd.DataFrame:
    """The filtered trainees with the columns asked for."""
    return _derive(_keep(_read(source / "trainees.csv", ["trainee_id", "program_id", "citizenship", *columns]), flt))


def _names(source: Path, **frames: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The frames with program and track names ("No track" when there is none) beside their ids; each file read once."""
    programs, tracks, out = _read(source / "programs.csv", ["program_id", "program_name"]), None, {}
    for name, frame in frames.items():
        out[name] = frame = frame.merge(programs, on="program_id", how="left")
        if "track_id" in frame:
            tracks = _read(source / "tracks.csv", ["track_id", "track_name"]) if tracks is None else tracks
            out[name] = frame.merge(tracks, on="track_id", how="left").fillna({"track_name": "No track"})
    return out


def _positions(source: Path, people: pd.DataFrame, fields: tuple[str, ...] = tuple(UCOT),
               kinds: tuple[str, ...] = ("initial", "current")) -> pd.DataFrame:
    """People with the UCOT fields of their initial (earliest) and current (open, started last) position."""
    p = _read(source / "positions.csv", ["position_id", "trainee_id", "start_year", "end_year", *fields])
    p = p.merge(people[["trainee_id"]], on="trainee_id")  # their positions (a join: isin on ids is slow in pandas 3)
    for kind in kinds:
        held = p if kind == "initial" else p[p["end_year"].isna()]
        held = held.sort_values(["start_year", "position_id"], ascending=[kind == "initial", True])
        found = held.drop_duplicates("trainee_id").set_index("trainee_id")[list(fields)].add_prefix(f"{kind}_")
        people = people.merge(found, left_on="trainee_id", right_index=True, how="left")
        people = people.fillna({f"{kind}_{c}": "unknown" for c in fields if c != "job_function"})
    return people


def _whole_years(start: pd.Series, end: pd.Series | pd.Timestamp) -> pd.Series:
    """Complete years from start to end (like DuckDB's date_sub('year', start, end))."""
    end = end if isinstance(end, pd.Series) else pd.Series(end, index=start.index)
    return end.dt.year - start.dt.year - (end.dt.month * 100 + end.dt.day < start.dt.month * 100 + start.dt.day)


def _count(frame: pd.DataFrame, keys: list[str], total: str, **flags: pd.Series) -> pd.DataFrame:
    """Per group of keys (a null key is a group too): its rows, named total, and how many hold each flag."""
    groups = frame.assign(**flags).groupby(keys, dropna=False)
    return groups[list(flags)].sum().assign(**{total: groups.size()}).reset_index()


def _outcomes(t: pd.DataFrame, keys: list[str], **counts: pd.Series) -> pd.DataFrame:
    """Entrants, graduates, completion rate and median years to degree per group, plus any other counts given."""
    out = t.assign(**counts).groupby(keys, dropna=False).agg(
        entrants=("trainee_id", "size"), graduated=("graduated", "sum"), **{c: (c, "sum") for c in counts},
        median_years_to_degree=("years_to_degree", "median")).reset_index()
    return out.assign(completion_rate=out["graduated"] / out["entrants"])


def _academic_kpis(t: pd.DataFrame, paid: pd.DataFrame, year: int) -> dict:
    """One academic year's KPIs (July `year` to June `year + 1`), as overview_kpis.sql defines them."""
    start, end = pd.Timestamp(year, 7, 1), pd.Timestamp(year + 1, 6, 30)
    done = t["graduated"] & (t["end_date"] <= end)
    paid = paid[paid["start_date"].between(start, end)]
    return {"academic_year": year, "trainees_in_selection": len(t), "entrants": int((t["cohort_year"] == year).sum()),
            "active_trainees": int(((t["start_date"] <= end) & ~(t["end_date"] < start)).sum()),
            "graduates": int((t["graduated"] & t["end_date"].between(start, end)).sum()),
            **{f"alumni_{k}": int((done & t["current_role_group"].eq(g)).sum()) for k, g in ALUMNI.items()},
            "stipend_usd": paid["stipend_usd"].sum(),
            "trainees_paid": paid.loc[paid["stipend_usd"] > 0, "trainee_id"].nunique()}


def _program_kpis(t: pd.DataFrame, year: int) -> list[dict]:
    """One academic year's completion rate and time to degree per program, as overview_programs.sql defines them."""
    start, end = pd.Timestamp(year, 7, 1), pd.Timestamp(year + 1, 6, 30)
    out = []
    for program_id, p in t.groupby("program_id"):
        grads = p[p["graduated"] & p["end_date"].between(start, end)]
        due = p[p["cohort_year"] == year - p["nominal_years"]]
        on_time = due["graduated"] & (due["end_date"] <= end)
        out.append({"academic_year": year, "program_id": program_id, "completion_entrants": len(due),
                    "completion_graduates": int(on_time.sum()), "completion_rate": on_time.mean(),
                    "graduates": len(grads), "median_years_to_degree": grads["years_to_degree"].median()})
    return out


def _in_progress(t: pd.DataFrame) -> pd.Series:
    """Trainees whose cohort's nominal length has not run out (before 1 July of cohort year + nominal years)."""
    due = pd.to_datetime(dict(year=t["cohort_year"] + t["nominal_years"], month=7, day=1))
    return AS_OF < due


def overview(source: Path, flt: Filter) -> dict[str, pd.DataFrame]:
    """Overview: the last cohort year's KPIs against the year before, and entrants and graduates over ten years."""
    everyone = _read(source / "trainees.csv", ["trainee_id", "program_id", "citizenship", "cohort_year", "status",
                                                 "start_date", "end_date"])
    first, year = int(everyone["cohort_year"].min()), int(everyone["cohort_year"].max())
    programs = _read(source / "programs.csv", ["program_id", "nominal_years"])
    t = _derive(_keep(everyone, flt)).merge(programs, on="program_id", how="left")
    t = _positions(source, t, ("role_group",), ("current",))
    paid = _read(source / "appointments.csv", ["trainee_id", "start_date", "stipend_usd"]).fillna({"stipend_usd": 0})
    paid = paid.merge(t[["trainee_id"]], on="trainee_id")
    kpis = pd.DataFrame([_academic_kpis(t, paid, y) for y in (year - 1, year)])
    per_program = pd.DataFrame([row for y in (year - 1, year) for row in _program_kpis(t, y)])
    grads = t.loc[t["graduated"], "end_date"]
    years = range(max(year - 9, first), year + 1)
    trend = pd.DataFrame({"academic_year": years,
                          "Entrants": t["cohort_year"].value_counts().reindex(years, fill_value=0).to_numpy(),
                          "Graduates": (grads.dt.year - (grads.dt.month < 7)).value_counts()
                          .reindex(years, fill_value=0).to_numpy()})
    return {"kpis": kpis, "programs": per_program,
            "trend": trend.melt("academic_year", var_name="measure", value_name="trainees")}


def cohorts(source: Path, flt: Filter) -> dict[str, pd.DataFrame]:
    """Cohorts: entrants by program, track and cohort, the admissions funnel, eligibility and demographics."""
    t = _trainees(source, flt, ["track_id", "cohort_year", "gender", "is_urm"])
    sizes = _count(t, ["program_id", "track_id", "cohort_year"], "entrants", female=t["gender"].eq("female"),
                   urm=t["is_urm"], eligible=t["citizenship"].isin(ELIGIBLE))
    a = _keep(_read(source / "applicants.csv", ["program_id", "cycle_year", "citizenship", "interviewed", "admitted",
                                                "matriculated"]), flt)
    eligible = a["citizenship"].isin(ELIGIBLE)
    funnel = _count(a, ["program_id", "cycle_year"], "applicants", eligible_applicants=eligible,
                    interviewed=a["interviewed"], admitted=a["admitted"], matriculated=a["matriculated"],
                    eligible_matriculated=eligible & a["matriculated"])
    stages = pd.DataFrame({"stage": ["Applied", "Interviewed", "Admitted", "Matriculated"], "people": funnel[
        ["applicants", "interviewed", "admitted", "matriculated"]].sum().to_numpy()})
    funnel["admit_rate"] = funnel["admitted"] / funnel["applicants"]
    funnel["yield_rate"] = (funnel["matriculated"] / funnel["admitted"]).where(funnel["admitted"] > 0)
    long = pd.concat([t.assign(dimension="Gender", category=t["gender"]),
                      t.assign(dimension="URM", category=t["is_urm"].map({True: "URM", False: "Not URM"})),
                      t.assign(dimension="Citizenship", category=t["citizenship"])])
    demographics = long.groupby(["dimension", "cohort_year", "category"]).size().rename("entrants").reset_index()
    return {**_names(source, entrants=sizes, funnel=funnel), "funnel_stages": stages, "demographics": demographics}


def tracks(source: Path, flt: Filter) -> dict[str, pd.DataFrame]:
    """Tracks: each program's track mix by cohort year (count and share) and completion by track."""
    t = _trainees(source, flt, ["track_id", "cohort_year", "status", "start_date", "end_date"])
    mix = t.groupby(["program_id", "cohort_year", "track_id"], dropna=False).size().rename("trainees").reset_index()
    mix["share"] = mix["trainees"] / mix.groupby(["program_id", "cohort_year"])["trainees"].transform("sum")
    t = t.merge(_read(source / "programs.csv", ["program_id", "nominal_years"]), on="program_id", how="left")
    waiting = _in_progress(t)  # completion by track counts the settled cohorts only
    settled = _outcomes(t[~waiting], ["program_id", "track_id"])
    pending = t[waiting].groupby(["program_id", "track_id"], dropna=False).size().rename("in_progress")
    completion = settled.merge(pending.reset_index(), on=["program_id", "track_id"], how="outer")
    completion = completion.fillna({"entrants": 0, "graduated": 0, "in_progress": 0})
    completion["completion_rate"] = completion["graduated"] / completion["entrants"].where(completion["entrants"] > 0)
    return _names(source, distribution=mix, completion=completion)


def careers(source: Path, flt: Filter) -> dict[str, pd.DataFrame]:
    """Careers: alumni by role group and UCOT tier at initial and current position, by years out, and their flows."""
    t = _trainees(source, flt, ["track_id", "status", "start_date", "end_date"])
    alumni = _names(source, alumni=_positions(source, t[t["graduated"]]))["alumni"]
    n = len(alumni)
    unknown = {f"{k}_unknown": int(alumni[f"{k}_role_group"].eq("unknown").sum()) for k in ("initial", "current")}
    shares = {f"{k}_share": v / n if n else None for k, v in unknown.items()}
    summary = pd.DataFrame([{"alumni": n, **unknown, **shares}])
    long = pd.concat([alumni[[f"{kind}_{c}" for c in UCOT]].set_axis(list(UCOT), axis=1).assign(position_kind=kind)
                      for kind in ("initial", "current")])
    ucot = pd.concat([long.assign(tier=tier, category=long[column].fillna("unknown"))
                      .groupby(["tier", "position_kind", "category"]).size() for column, tier in UCOT.items()])
    ucot = ucot.rename("alumni").reset_index().assign(share=lambda f: f["alumni"] / n)
    years_out = _whole_years(alumni["end_date"], AS_OF).clip(lower=0)
    band = pd.cut(years_out, [0, 5, 10, 15, float("inf")], right=False, labels=["0-4", "5-9", "10-14", "15+"])
    bands = alumni.groupby([band.rename("band"), "current_role_group"], observed=False).size()
    bands = bands.reset_index(name="alumni")
    bands["share"] = bands["alumni"] / bands.groupby("band", observed=False)["alumni"].transform("sum")
    track = alumni["track_name"].where(alumni["track_id"].notna(), alumni["program_name"] + " (no track)")
    links = {1: alumni.groupby([track, alumni["initial_role_group"]]).size(),  # track -> initial role group
             2: alumni.groupby(["initial_role_group", "current_role_group"]).size()}  # initial -> current
    flows = pd.concat({s: f.rename_axis(["source", "target"]) for s, f in links.items()}, names=["stage"])
    flows = flows.reset_index(name="alumni")
    role_groups = ucot["tier"] == "Role group"
    return {"summary": summary, "role_groups": ucot[role_groups], "ucot": ucot[~role_groups], "bands": bands,
            "flows": flows}


def _nrsa(a: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    """NIH-funded stipends paid against the NRSA level on file for the year, career level and experience, per year."""
    served = _whole_years(a["trainee_start"], a["start_date"]).clip(lower=0)
    experience = (a["postdoc_experience_years"].fillna(0) + served).clip(upper=7).where(a["level"] == "postdoctoral", 0)
    a = a.assign(career_level=a["level"], experience_years=experience.astype("int64"))[a["nih"]]
    m = a.merge(levels, on=["fiscal_year", "career_level", "experience_years"])
    m["expected_usd"] = m["annual_stipend_usd"] * m["trainee_years"]
    out = m.groupby("fiscal_year").agg(trainees=("trainee_id", "nunique"), appointments=("appointment_id", "size"),
                                       paid_usd=("stipend_usd", "sum"), expected_usd=("expected_usd", "sum"))
    return out.assign(difference_usd=out["paid_usd"] - out["expected_usd"],
                      paid_share=out["paid_usd"] / out["expected_usd"]).reset_index()


def funding(source: Path, flt: Filter) -> dict[str, pd.DataFrame]:
    """Funding: dollars by fiscal year, program and source; trainees and NIH share; stipends vs NRSA; findings."""
    t = _trainees(source, flt, ["start_date", "postdoc_experience_years"])
    t = t.rename(columns={"start_date": "trainee_start"})
    t = t.merge(_read(source / "programs.csv", ["program_id", "level"]), on="program_id", how="left")
    a = _read(source / "appointments.csv", ["appointment_id", "trainee_id", "fiscal_year", "funding_source",
                                            "start_date", "end_date", *COSTS, "citizenship_at_appointment"])
    a = a.merge(t, on="trainee_id").fillna(dict.fromkeys(COSTS, 0))
    a = a.assign(total_usd=a[COSTS].sum(axis=1), trainee_years=((a["end_date"] - a["start_date"]).dt.days + 1) / DAYS,
                 nih=a["funding_source"].isin(NIH))
    sums = {c: (c, "sum") for c in ["trainee_years", *COSTS, "total_usd"]}
    dollars = a.groupby(["fiscal_year", "program_id", "funding_source"]).agg(
        trainees=("trainee_id", "nunique"), **sums).reset_index()
    years = a.assign(nih_usd=a["total_usd"].where(a["nih"], 0), nih_id=a["trainee_id"].where(a["nih"]),
                     other_id=a["trainee_id"].where(~a["nih"])).groupby("fiscal_year").agg(
        trainees=("trainee_id", "nunique"), nih_trainees=("nih_id", "nunique"), other_trainees=("other_id", "nunique"),
        trainee_years=("trainee_years", "sum"), nih_usd=("nih_usd", "sum"), total_usd=("total_usd", "sum"))
    years = years.assign(nih_share=years["nih_usd"] / years["total_usd"].where(years["total_usd"] != 0)).reset_index()
    levels = _read(NRSA_LEVELS, ["fiscal_year", "career_level", "experience_years", "annual_stipend_usd"])
    found = a[a["nih"] & ~a["citizenship_at_appointment"].fillna(a["citizenship"]).isin(ELIGIBLE)]
    findings = pd.DataFrame([{"appointments": len(found), "trainees": found["trainee_id"].nunique()}])
    return {**_names(source, dollars=dollars), "years": years, "nrsa": _nrsa(a, levels), "findings": findings}


def completion(source: Path, flt: Filter) -> dict[str, pd.DataFrame]:
    """Completion: rate and median time to degree by program and cohort, attrition, past nominal, within 8/10 years."""
    t = _trainees(source, flt, ["cohort_year", "status", "start_date", "end_date", "degree_awarded"])
    t = t.merge(_read(source / "programs.csv", ["program_id", "nominal_years"]), on="program_id", how="left")
    withdrawn, active = t["status"].eq("withdrawn"), t["status"].isin(["active", "on_leave"])
    terminal = withdrawn & t["degree_awarded"].notna()
    rates = _outcomes(t, ["program_id", "cohort_year"], withdrawn=withdrawn, transferred=t["status"].eq("transferred"),
                      active=active, terminal_degrees=terminal)
    ways = {"Withdrew without a degree": withdrawn & ~terminal, "Withdrew with a terminal degree": terminal,
            "Transferred": t["status"].eq("transferred")}
    attrition = _count(t, ["cohort_year"], "entrants", **ways).melt("cohort_year", list(ways), "outcome", "trainees")
    enrolled = (t["end_date"].fillna(AS_OF) - t["start_date"]).dt.days / DAYS
    past = _count(t, ["program_id", "nominal_years"], "trainees", still_enrolled=active,
                  past_nominal=active & (enrolled > t["nominal_years"]))
    windows = []
    for window in (8, 10):
        w = t.assign(within=t["graduated"] & (t["years_to_degree"] <= window)).groupby(["program_id", "cohort_year"])
        w = w.agg(entrants=("trainee_id", "size"), graduated_within=("within", "sum"), last_start=("start_date", "max"))
        w = w[w["last_start"] <= AS_OF - pd.DateOffset(years=window)].drop(columns="last_start")
        windows.append(w.assign(window_years=window, completion_rate=w["graduated_within"] / w["entrants"]))
    rates["is_in_progress"] = rates.merge(t.assign(waiting=_in_progress(t)).groupby(
        ["program_id", "cohort_year"])["waiting"].any().reset_index(), on=["program_id", "cohort_year"])["waiting"]
    return {**_names(source, completion=rates, past_nominal=past), "attrition": attrition,
            "within_years": pd.concat(windows).reset_index()}


def trainees(source: Path, flt: Filter) -> dict[str, pd.DataFrame]:
    """Trainees: the filtered roster with names, program and track, sorted by family and given name."""
    t = _trainees(source, flt, ["track_id", "cohort_year", "status", "start_date", "end_date", "given_name",
                                "family_name", "email", "mentor", "research_topic"])
    t = _names(source, roster=t)["roster"].sort_values(["family_name", "given_name", "trainee_id"])
    roster = t.assign(trainee_name=t["given_name"] + " " + t["family_name"])
    return {"roster": roster[["trainee_id", "trainee_name", "email", "program_name", "track_name", "cohort_year",
                              "status", "start_date", "end_date", "citizenship", "mentor", "research_topic"]]}


def about(source: Path, flt: Filter) -> dict[str, pd.DataFrame]:
    """About the data: the rows and bytes of each raw file (the lineage a pandas dashboard can show)."""
    files = sorted(source.glob("*.csv"))
    rows = [len(pd.read_csv(path, usecols=[0], dtype="str")) for path in files]
    return {"files": pd.DataFrame({"table": [p.stem for p in files], "rows": rows,
                                   "bytes": [p.stat().st_size for p in files]})}


PAGES: dict[str, Callable[[Path, Filter], dict[str, pd.DataFrame]]] = {
    "overview": overview, "cohorts": cohorts, "tracks": tracks, "careers": careers, "funding": funding,
    "completion": completion, "trainees": trainees, "about": about,
}


def run(page: str, source: Path, flt: Filter = Filter()) -> dict[str, pd.DataFrame]:
    """Read the raw files and compute the page's figures, as a pandas-only dashboard does on every rerun."""
    return PAGES[page](Path(source), flt)
