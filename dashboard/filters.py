"""The shared sidebar filters: widgets, their bound SQL parameters, and their round trip through the URL."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from etl.contract import CITIZENSHIP, GENDER, LABELS

NO_TRACK = ""
URM_CHOICES = ("all", "yes", "no")
# URL keys of the shared filters; other query parameters (e.g. drill-down) are left alone.
URL_KEYS = ("program", "track", "from", "to", "citizenship", "gender", "urm", "settled")
DEFAULT_COHORTS = 10  # the cohort range opens on the last ten cohorts; a preset shows every year
PRESETS = {"last5": "Last 5", "last10": "Last 10", "all": "All years"}


@dataclass(frozen=True)
class Filters:
    """The population every page shows: programs, tracks, cohort-year range, citizenship, gender, URM."""

    year_from: int
    year_to: int
    programs: tuple[str, ...] = ()
    tracks: tuple[str, ...] = ()
    citizenship: tuple[str, ...] = ()
    genders: tuple[str, ...] = ()
    urm: bool | None = None
    settled: bool = False
    bounds: tuple[int, int] = field(default=(0, 0), compare=False)
    program_names: tuple[str, ...] = field(default=(), compare=False)
    track_names: tuple[str, ...] = field(default=(), compare=False)

    def params(self) -> dict:
        """Bound SQL parameters for dashboard/sql/_filtered.sql."""
        return {
            "programs": list(self.programs),
            "tracks": list(self.tracks),
            "year_from": self.year_from,
            "year_to": self.year_to,
            "citizenship": list(self.citizenship),
            "genders": list(self.genders),
            "urm": self.urm,
            "settled": self.settled,
        }

    @property
    def default_range(self) -> tuple[int, int]:
        """The cohort range a view opens on: the last ten cohorts on file."""
        return default_range(*self.bounds)

    def url(self) -> dict[str, list[str] | str]:
        """Query parameters that reopen this view (defaults left out)."""
        out: dict[str, list[str] | str] = {}
        if self.programs:
            out["program"] = list(self.programs)
        if self.tracks:
            out["track"] = [t or "none" for t in self.tracks]
        if self.year_from != self.default_range[0]:
            out["from"] = str(self.year_from)
        if self.year_to != self.default_range[1]:
            out["to"] = str(self.year_to)
        if self.citizenship:
            out["citizenship"] = list(self.citizenship)
        if self.genders:
            out["gender"] = list(self.genders)
        if self.urm is not None:
            out["urm"] = "yes" if self.urm else "no"
        if self.settled:
            out["settled"] = "yes"
        return out

    def describe(self, cohorts: bool = True) -> str:
        """A short phrase naming the population, for chart titles (`cohorts`: with the cohort range)."""
        parts = [", ".join(self.program_names or self.programs) if self.programs else "all programs"]
        if self.tracks:
            parts.append("tracks " + ", ".join(self.track_names or [t or "No track" for t in self.tracks]))
        if cohorts:
            parts.append(f"cohorts {self.year_from}–{self.year_to}" if self.year_from != self.year_to
                         else f"cohort {self.year_from}")
        if self.settled:
            parts.append("cohorts still in progress left out")
        if self.citizenship:
            parts.append(", ".join(LABELS[c] for c in self.citizenship))
        if self.genders:
            parts.append(", ".join(LABELS[g] for g in self.genders))
        if self.urm is not None:
            parts.append("URM" if self.urm else "not URM")
        return "; ".join(parts)


def default_range(lo: int, hi: int) -> tuple[int, int]:
    """The last DEFAULT_COHORTS cohorts of lo..hi."""
    return max(lo, hi - DEFAULT_COHORTS + 1), hi


def _from_url(options: pd.DataFrame, lo: int, hi: int) -> dict:
    """Initial widget values from the URL, keeping only values the data offers."""
    qp = st.query_params
    programs = set(options["program_id"])
    tracks = {NO_TRACK if pd.isna(t) else t for t in options["track_id"]}

    def year(key: str, default: int) -> int:
        try:
            return min(max(int(qp.get(key, default)), lo), hi)
        except ValueError:
            return default

    urm = qp.get("urm", "all")
    first, last = default_range(lo, hi)
    return {
        "f_programs": [p for p in qp.get_all("program") if p in programs],
        "f_tracks": [t for t in (NO_TRACK if v == "none" else v for v in qp.get_all("track")) if t in tracks],
        "f_from": year("from", first),
        "f_to": year("to", last),
        "f_preset": _preset(year("from", first), year("to", last), lo, hi),
        "f_settled": qp.get("settled") == "yes",
        "f_citizenship": [c for c in qp.get_all("citizenship") if c in CITIZENSHIP],
        "f_genders": [g for g in qp.get_all("gender") if g in GENDER],
        "f_urm": urm if urm in URM_CHOICES else "all",
    }


def sidebar(options: pd.DataFrame, only: tuple[str, ...] | None = None) -> Filters:
    """Render the shared filters in the sidebar (initialised from the URL) and keep the URL in step with them.

    `only` limits the population to these programs whatever is chosen ("All" then means all of these)."""
    lo, hi = int(options["first_cohort_year"].min()), int(options["last_cohort_year"].max())
    initial = _from_url(options, lo, hi)
    for key, value in initial.items():
        st.session_state.setdefault(key, value)
    names = dict(zip(options["program_id"], options["program_name"], strict=False))
    bar = st.sidebar
    bar.header("Filters")
    programs = bar.multiselect("Program", sorted(names), format_func=names.get, key="f_programs", placeholder="All")
    shown = options[options["program_id"].isin(programs)] if programs else options
    track_names = {NO_TRACK if pd.isna(t) else t: ("No track" if pd.isna(t) else n)
                   for t, n in zip(shown["track_id"], shown["track_name"], strict=False)}
    st.session_state["f_tracks"] = [t for t in st.session_state["f_tracks"] if t in track_names]
    tracks = bar.multiselect("Track", list(track_names), format_func=track_names.get, key="f_tracks", placeholder="All")
    years = cohort_years(lo, hi)
    settled = bar.toggle("Leave out cohorts still in progress", key="f_settled",
                         help="Cohorts whose program's nominal length has not run out by the data's as-of date: their "
                              "completion and time to degree are not final yet.")
    citizenship = bar.multiselect("Citizenship", CITIZENSHIP, format_func=LABELS.get, key="f_citizenship",
                                  placeholder="All")
    genders = bar.multiselect("Gender", GENDER, format_func=LABELS.get, key="f_genders", placeholder="All")
    urm = bar.radio("Underrepresented (URM)", URM_CHOICES, format_func=str.capitalize, key="f_urm", horizontal=True)
    if only is not None and not programs:
        programs = list(only)
    chosen = Filters(
        year_from=int(years[0]),
        year_to=int(years[1]),
        programs=tuple(programs),
        tracks=tuple(tracks),
        citizenship=tuple(citizenship),
        genders=tuple(genders),
        urm=None if urm == "all" else urm == "yes",
        settled=settled,
        bounds=(lo, hi),
        program_names=tuple(names.get(p, p) for p in programs),
        track_names=tuple(track_names.get(t, t) for t in tracks),
    )
    if bar.button("Reset filters", icon=":material/filter_alt_off:"):
        for key in initial:
            del st.session_state[key]
        for key in URL_KEYS:
            st.query_params.pop(key, None)
        st.rerun()
    sync_url(chosen)
    return chosen


def _preset(first: int, last: int, lo: int, hi: int) -> str | None:
    """The preset a cohort range is, if any."""
    if last != hi:
        return None
    return next((key for key in ("last10", "all", "last5") if first == (lo if key == "all"
                                                                         else max(lo, hi - int(key[4:]) + 1))), None)


def cohort_years(lo: int, hi: int) -> tuple[int, int]:
    """The cohort range: typed first and last cohort years, and presets (last 5, last 10, all years)."""
    def preset() -> None:
        chosen = st.session_state.get("f_preset")
        if chosen:
            st.session_state["f_from"] = lo if chosen == "all" else max(lo, hi - int(chosen[4:]) + 1)
            st.session_state["f_to"] = hi

    def typed() -> None:
        st.session_state["f_preset"] = None

    bar = st.sidebar
    bar.segmented_control("Cohort years", list(PRESETS), format_func=PRESETS.get, key="f_preset", on_change=preset)
    left, right = bar.columns(2)
    first = left.number_input("From", lo, hi, step=1, key="f_from", on_change=typed, format="%d")
    last = right.number_input("To", lo, hi, step=1, key="f_to", on_change=typed, format="%d")
    if first > last:
        bar.caption(f"“From” is after “To”: showing cohorts {last}–{first}.")
        first, last = last, first
    return int(first), int(last)


def sync_url(chosen: Filters) -> None:
    """Write the filters to the query string, leaving other parameters (e.g. drill-down) as they are."""
    wanted = chosen.url()
    for key in URL_KEYS:
        if key in wanted:
            if st.query_params.get_all(key) != (wanted[key] if isinstance(wanted[key], list) else [wanted[key]]):
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]
