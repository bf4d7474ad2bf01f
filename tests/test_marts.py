"""Every mart's figures against expectations worked out independently of the product code.

The expectations below are worked out by hand from tests/fixtures/small/*.csv (the working is in the comments) or,
for the key sets, with a separate pandas computation that reads the fixture CSVs directly. Nothing here reuses etl
code or SQL, and no figure was copied from the product's output.

Fixture at a glance (trainees.csv):
    T01 p_phd  t_a 2018 graduated   2018-09-01..2023-05-31 us_citizen          female    urm
    T02 p_phd  t_b 2018 graduated   2018-09-01..2024-05-31 temporary_visa      male
    T03 p_phd  --  2018 withdrawn   2018-09-01..2020-06-30 permanent_resident  female    (terminal SM)
    T04 p_phd  t_a 2019 on_leave    2019-09-01..           us_citizen          male
    T05 p_phd  t_a 2019 transferred 2019-09-01..2020-12-31 us_citizen          nonbinary
    T06 p_phd  t_b 2019 graduated   2019-09-01..2024-08-31 noncitizen_national female    person P-FAY
    T07 p_post t_c 2020 graduated   2020-07-01..2022-06-30 us_citizen          female    postdoc exp 1
    T08 p_post t_d 2020 graduated   2020-07-01..2023-06-30 temporary_visa      male urm  postdoc exp 0
    T09 p_post t_c 2021 active      2021-07-01..           us_citizen          male      postdoc exp 2
    T10 p_cert --  2021 graduated   2021-09-01..2022-06-30 us_citizen          female    person P-FAY
    T11 p_cert --  2021 active      2021-09-01..           permanent_resident  male
    T12 p_post t_c 2020 graduated   2020-07-01..2022-06-30 us_citizen          female    postdoc exp 0
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import AS_OF, MART_KEYS, SMALL, build, copy_source, read_marts

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference" / "nrsa_stipend_levels.csv"
Y = 365.25  # days per year in every "days / 365.25" definition
ELIGIBLE = {"us_citizen", "noncitizen_national", "permanent_resident"}

AGGREGATE_MARTS = (
    "cohort_funnel",
    "cohort_sizes",
    "track_distribution",
    "completion",
    "career_outcomes",
    "stipend_funding",
    "stipend_vs_nrsa",
)
AGGREGATE_KEYS = {name: MART_KEYS[name] for name in AGGREGATE_MARTS}


# ---------------------------------------------------------------------------------------------------------------
# Small local helpers (plain pandas, no etl code)
# ---------------------------------------------------------------------------------------------------------------


def cell(value):
    """A mart cell as a plain Python value: NULL -> None, numpy scalars -> Python, timestamps -> dates."""
    if value is None:
        return None
    if not isinstance(value, str | list | tuple) and pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):
        return value.item()
    return value


def keyed(df: pd.DataFrame, key: list[str], cols: list[str]) -> dict[tuple, tuple]:
    """{key tuple: value tuple} for a mart, failing when a key occurs twice."""
    out: dict[tuple, tuple] = {}
    for row in df[key + cols].itertuples(index=False, name=None):
        values = tuple(cell(v) for v in row)
        k, v = values[: len(key)], values[len(key) :]
        assert k not in out, f"key {k} occurs twice"
        out[k] = v
    return out


def assert_table(df: pd.DataFrame, key: list[str], cols: list[str], expected: dict[tuple, tuple]) -> None:
    """The mart holds exactly the expected keys, each with the expected values (floats to 1e-9)."""
    actual = keyed(df, key, cols)
    assert set(actual) == set(expected), (
        f"missing {set(expected) - set(actual)}, unexpected {set(actual) - set(expected)}"
    )
    for k, values in expected.items():
        shown = dict(zip(cols, actual[k], strict=True))
        assert actual[k] == pytest.approx(values, rel=1e-12, abs=1e-9), f"{k}: {shown}"


def one(df: pd.DataFrame, column: str, value) -> dict:
    """The single row of df where column == value, as {column: plain value}."""
    rows = df[df[column] == value]
    assert len(rows) == 1, f"{len(rows)} rows with {column} = {value}"
    return {c: cell(v) for c, v in rows.iloc[0].items()}


def source_csv(name: str, folder: Path = SMALL) -> pd.DataFrame:
    """A fixture table read straight from its CSV with pandas: text, empty cells as NaN."""
    return pd.read_csv(folder / f"{name}.csv", dtype=str)


def val(value):
    return None if pd.isna(value) else value


def edit_csv(path: Path, edit) -> None:
    """Rewrite one CSV of a copied source through a function of its (all-text) frame."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = edit(frame)
    frame.to_csv(path, index=False)


def set_cell(frame: pd.DataFrame, key_col: str, key: str, column: str, value: str) -> pd.DataFrame:
    assert (frame[key_col] == key).sum() == 1
    frame.loc[frame[key_col] == key, column] = value
    return frame


def add_row(frame: pd.DataFrame, **values: str) -> pd.DataFrame:
    row = {c: values.get(c, "") for c in frame.columns}
    return pd.concat([frame, pd.DataFrame([row])], ignore_index=True)


# ---------------------------------------------------------------------------------------------------------------
# Extra builds: a variant source (edge cases the small fixture does not hold) and other as-of dates
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def variant(tmp_path_factory):
    """The small fixture with a few edits, built by the real ETL; returns (marts, findings).

    appointments: AP01 ends 2019-02-28 and AP11 (T01, FY2019, nih_training_other, 2019-03-01..2019-08-31) continues it
      -> two appointments of one trainee in one stipend_funding row; AP01 citizenship_at_appointment temporary_visa
      (T01 is a us_citizen); AP06 citizenship_at_appointment permanent_resident (T08 is on a temporary_visa); AP05
      starts 2021-06-30, one day before T07's first anniversary (2020-07-01); AP12 is a certificate (p_cert)
      appointment in FY2022, a year with NRSA levels on file.
    trainees: T08 postdoc_experience_years empty (default 0); T09 postdoc_experience_years 7 (cap).
    """
    src = copy_source(tmp_path_factory.mktemp("variant"))

    def appointments(f: pd.DataFrame) -> pd.DataFrame:
        f = set_cell(f, "appointment_id", "AP01", "end_date", "2019-02-28")
        f = set_cell(f, "appointment_id", "AP01", "citizenship_at_appointment", "temporary_visa")
        f = set_cell(f, "appointment_id", "AP06", "citizenship_at_appointment", "permanent_resident")
        f = set_cell(f, "appointment_id", "AP05", "start_date", "2021-06-30")
        f = add_row(
            f,
            appointment_id="AP11",
            trainee_id="T01",
            fiscal_year="2019",
            funding_source="nih_training_other",
            grant_number="T32EB000001",
            start_date="2019-03-01",
            end_date="2019-08-31",
            stipend_usd="11500",
            tuition_fees_usd="5000",
            health_insurance_usd="1500",
            travel_usd="0",
        )
        f = add_row(
            f,
            appointment_id="AP12",
            trainee_id="T10",
            fiscal_year="2022",
            funding_source="institutional",
            start_date="2021-09-01",
            end_date="2022-06-30",
            stipend_usd="5000",
        )
        return f

    def trainees(f: pd.DataFrame) -> pd.DataFrame:
        f = set_cell(f, "trainee_id", "T08", "postdoc_experience_years", "")
        return set_cell(f, "trainee_id", "T09", "postdoc_experience_years", "7")

    edit_csv(src / "appointments.csv", appointments)
    edit_csv(src / "trainees.csv", trainees)
    result = build(src, tmp_path_factory.mktemp("variant_warehouse"))
    assert result.outcome == "published", [str(f) for f in result.findings]
    return read_marts(result.snapshot), result.findings


@pytest.fixture(scope="module")
def marts_as_of(tmp_path_factory):
    """Build the small fixture as of another date (cached per date within this module)."""
    cache: dict[dt.date, dict[str, pd.DataFrame]] = {}

    def get(as_of: dt.date) -> dict[str, pd.DataFrame]:
        if as_of not in cache:
            result = build(SMALL, tmp_path_factory.mktemp(f"as_of_{as_of:%Y%m%d}"), as_of=as_of)
            assert result.outcome == "published", result.message
            cache[as_of] = read_marts(result.snapshot)
        return cache[as_of]

    return get


# ---------------------------------------------------------------------------------------------------------------
# Grain and keys of every aggregate mart (independent pandas computation from the CSVs)
# ---------------------------------------------------------------------------------------------------------------


def expected_keys() -> dict[str, set[tuple]]:
    """Each aggregate mart's key combinations as present in the source, computed with pandas from the CSVs."""
    applicants = source_csv("applicants")
    trainees = source_csv("trainees")
    appointments = source_csv("appointments")
    positions = source_csv("positions")
    programs = source_csv("programs")
    levels = pd.read_csv(REFERENCE, dtype=str)

    keys: dict[str, set[tuple]] = {}
    keys["cohort_funnel"] = {(p, int(y)) for p, y in zip(applicants.program_id, applicants.cycle_year, strict=True)}
    keys["cohort_sizes"] = {
        (p, val(t), int(y))
        for p, t, y in zip(trainees.program_id, trainees.track_id, trainees.cohort_year, strict=True)
    }
    keys["track_distribution"] = {(p, y, t) for p, t, y in keys["cohort_sizes"]}
    keys["completion"] = {(p, int(y)) for p, y in zip(trainees.program_id, trainees.cohort_year, strict=True)}

    appt = appointments.merge(trainees[["trainee_id", "program_id"]], on="trainee_id", how="left")
    keys["stipend_funding"] = {
        (int(f), p, s) for f, p, s in zip(appt.fiscal_year, appt.program_id, appt.funding_source, strict=True)
    }

    appt = appt.merge(programs[["program_id", "level"]], on="program_id", how="left")
    on_file = {(int(f), c) for f, c in zip(levels.fiscal_year, levels.career_level, strict=True)}
    keys["stipend_vs_nrsa"] = {
        (a,)
        for a, f, lvl in zip(appt.appointment_id, appt.fiscal_year, appt.level, strict=True)
        if lvl in ("predoctoral", "postdoctoral") and (int(f), lvl) in on_file
    }

    positions = positions.assign(start_year=positions.start_year.astype(int))
    initial = positions.sort_values(["start_year", "position_id"]).drop_duplicates("trainee_id")
    current = (
        positions[positions.end_year.isna()]
        .sort_values(["start_year", "position_id"], ascending=[False, True])
        .drop_duplicates("trainee_id")
    )
    alumni = trainees[trainees.status == "graduated"]
    keys["career_outcomes"] = set()
    for kind, chosen in (("initial", initial), ("current", current)):
        merged = alumni.merge(
            chosen[["trainee_id", "sector", "career_type", "role_group"]], on="trainee_id", how="left"
        )
        for r in merged.itertuples():
            keys["career_outcomes"].add(
                (
                    r.program_id,
                    val(r.track_id),
                    int(r.end_date[:4]),
                    kind,
                    val(r.sector) or "unknown",
                    val(r.career_type) or "unknown",
                    val(r.role_group) or "unknown",
                )
            )
    return keys


SPEC_COLUMNS = {  # issue 2, section 5 (more columns are welcome)
    "cohort_funnel": [
        "program_id",
        "cycle_year",
        "applicants",
        "eligible_applicants",
        "interviewed",
        "admitted",
        "matriculated",
        "eligible_matriculated",
        "admit_rate",
        "yield_rate",
    ],
    "cohort_sizes": ["program_id", "track_id", "cohort_year", "entrants", "female", "urm", "eligible"],
    "track_distribution": ["program_id", "cohort_year", "track_id", "trainees", "share"],
    "completion": [
        "program_id",
        "cohort_year",
        "entrants",
        "graduated",
        "withdrawn",
        "active",
        "completion_rate",
        "median_years_to_degree",
    ],
    "career_outcomes": [
        "program_id",
        "track_id",
        "completion_year",
        "position_kind",
        "sector",
        "career_type",
        "role_group",
        "alumni",
    ],
    "stipend_funding": [
        "fiscal_year",
        "program_id",
        "funding_source",
        "trainees",
        "trainee_years",
        "stipend_usd",
        "tuition_fees_usd",
        "health_insurance_usd",
        "travel_usd",
        "total_usd",
    ],
    "stipend_vs_nrsa": [
        "appointment_id",
        "fiscal_year",
        "career_level",
        "experience_level",
        "annual_level_usd",
        "paid_usd",
        "expected_usd",
        "difference_usd",
    ],
    "trainee_facts": [
        "trainee_id",
        "person_id",
        "program_id",
        "track_id",
        "cohort_year",
        "citizenship",
        "is_nrsa_eligible",
        "gender",
        "is_urm",
        "status",
        "start_date",
        "end_date",
        "years_to_degree",
        "completion_year",
        "years_since_completion",
        "years_since_completion_band",
        "is_past_nominal_length",
        "initial_sector",
        "initial_career_type",
        "initial_role_group",
        "current_sector",
        "current_career_type",
        "current_role_group",
    ],
    "applicant_facts": [
        "applicant_id",
        "program_id",
        "track_id",
        "cycle_year",
        "citizenship",
        "is_nrsa_eligible",
        "gender",
        "is_urm",
        "interviewed",
        "admitted",
        "matriculated",
    ],
    "appointment_facts": [
        "appointment_id",
        "trainee_id",
        "program_id",
        "fiscal_year",
        "funding_source",
        "start_date",
        "end_date",
        "trainee_years",
        "stipend_usd",
        "tuition_fees_usd",
        "health_insurance_usd",
        "travel_usd",
        "total_usd",
        "citizenship_at_appointment",
        "is_nrsa_eligible",
    ],
}


def test_marts_have_the_spec_columns(small_marts):
    for mart, columns in SPEC_COLUMNS.items():
        missing = [c for c in columns if c not in small_marts[mart].columns]
        assert not missing, f"{mart} lacks {missing}"


def test_no_total_or_zero_filled_rows(small_marts):
    """Every aggregate mart's key combinations are exactly the ones present in the source: no totals, no zero fill."""
    keys = expected_keys()
    for mart, key in AGGREGATE_KEYS.items():
        actual = [tuple(cell(v) for v in row) for row in small_marts[mart][key].itertuples(index=False, name=None)]
        assert len(actual) == len(set(actual)), f"{mart}: a key occurs twice"
        assert set(actual) == keys[mart], f"{mart}: {set(actual) ^ keys[mart]}"
    # and no zero-filled counts: every counted group holds somebody
    assert (small_marts["cohort_funnel"].applicants > 0).all()
    assert (small_marts["cohort_sizes"].entrants > 0).all()
    assert (small_marts["track_distribution"].trainees > 0).all()
    assert (small_marts["completion"].entrants > 0).all()
    assert (small_marts["career_outcomes"].alumni > 0).all()
    assert (small_marts["stipend_funding"].trainees > 0).all()


def test_aggregates_add_up_to_the_source_rows(small_marts):
    # 18 applicants, 12 trainees, 7 graduates (T01 T02 T06 T07 T08 T10 T12), 10 appointments
    assert small_marts["cohort_funnel"].applicants.sum() == 18
    assert small_marts["cohort_sizes"].entrants.sum() == 12
    assert small_marts["track_distribution"].trainees.sum() == 12
    assert small_marts["completion"].entrants.sum() == 12
    assert small_marts["career_outcomes"].alumni.sum() == 2 * 7
    assert small_marts["stipend_funding"].total_usd.sum() == pytest.approx(
        36000 + 37600 + 42000 + 64000 + 66900.50 + 59500 + 0 + 65500 + 71192 + 42424
    )


def test_rates_and_shares_are_fractions(small_marts):
    for mart, column in (
        ("cohort_funnel", "admit_rate"),
        ("cohort_funnel", "yield_rate"),
        ("track_distribution", "share"),
        ("completion", "completion_rate"),
    ):
        values = small_marts[mart][column].dropna()
        assert len(values) > 0
        assert ((values >= 0) & (values <= 1)).all(), f"{mart}.{column}: {list(values)}"


# ---------------------------------------------------------------------------------------------------------------
# cohort_funnel
# ---------------------------------------------------------------------------------------------------------------

FUNNEL_COUNTS = {
    # (program, cycle): (applicants, eligible_applicants, interviewed, admitted, matriculated, eligible_matriculated)
    # p_phd 2018: A01..A06 -> 6; eligible A01 A03 A04 A06 (us/pr/us/us; A02 temporary_visa, A05 unknown) = 4;
    #   interviewed all but A05 = 5; admitted A01 A02 A03 A06 = 4; matriculated A01 A02 A03 = 3;
    #   of them eligible A01 A03 = 2
    ("p_phd", 2018): (6, 4, 5, 4, 3, 2),
    # p_phd 2019: A07..A10 -> 4; eligible A07 A08 (us) A09 (noncitizen_national) = 3; all interviewed;
    #   admitted = matriculated = A07 A08 A09, all eligible
    ("p_phd", 2019): (4, 3, 4, 3, 3, 3),
    # p_post 2020: A11..A14 -> 4; eligible A11 A13 (us) A14 (pr) = 3; all interviewed; admitted = matriculated =
    #   A11 A12 A13; eligible of them A11 A13 = 2
    ("p_post", 2020): (4, 3, 4, 3, 3, 2),
    # p_post 2021: A15 (us, everything) and A16 (temporary_visa, nothing)
    ("p_post", 2021): (2, 1, 1, 1, 1, 1),
    # p_cert 2021: A17 (interviewed) and A18, both us_citizen, nobody admitted
    ("p_cert", 2021): (2, 2, 1, 0, 0, 0),
}


def test_funnel_has_one_row_per_program_and_cycle_year(small_marts):
    assert_table(
        small_marts["cohort_funnel"],
        ["program_id", "cycle_year"],
        ["applicants", "eligible_applicants", "interviewed", "admitted", "matriculated", "eligible_matriculated"],
        FUNNEL_COUNTS,
    )


def test_funnel_eligible_is_us_citizen_noncitizen_national_or_permanent_resident(small_marts):
    funnel = keyed(
        small_marts["cohort_funnel"], ["program_id", "cycle_year"], ["eligible_applicants", "eligible_matriculated"]
    )
    # unknown (A05) and temporary_visa (A02, A10, A12, A16) are not eligible; noncitizen_national (A09) and
    # permanent_resident (A03, A14) are
    assert funnel[("p_phd", 2018)] == (4, 2)
    assert funnel[("p_phd", 2019)] == (3, 3)
    assert funnel[("p_post", 2020)] == (3, 2)


def test_admit_rate_is_admitted_over_applicants(small_marts):
    rates = keyed(small_marts["cohort_funnel"], ["program_id", "cycle_year"], ["admit_rate"])
    assert rates == pytest.approx(
        {
            ("p_phd", 2018): (4 / 6,),
            ("p_phd", 2019): (3 / 4,),
            ("p_post", 2020): (3 / 4,),
            ("p_post", 2021): (1 / 2,),
            ("p_cert", 2021): (0.0,),
        }
    )


def test_yield_rate_is_matriculated_over_admitted_and_null_when_nobody_admitted(small_marts):
    rates = keyed(small_marts["cohort_funnel"], ["program_id", "cycle_year"], ["yield_rate"])
    assert rates[("p_phd", 2018)] == pytest.approx((3 / 4,))  # A01 A02 A03 of A01 A02 A03 A06
    assert rates[("p_phd", 2019)] == pytest.approx((1.0,))
    assert rates[("p_post", 2020)] == pytest.approx((1.0,))
    assert rates[("p_post", 2021)] == pytest.approx((1.0,))
    assert rates[("p_cert", 2021)] == (None,)  # nobody admitted -> NULL, not 0


def test_applicant_facts_one_row_per_applicant_with_flags(small_marts):
    facts = small_marts["applicant_facts"]
    source = source_csv("applicants")
    assert sorted(facts.applicant_id) == sorted(source.applicant_id)
    truth = {"true": True, "false": False}
    for r in source.itertuples():
        row = one(facts, "applicant_id", r.applicant_id)
        assert row["program_id"] == r.program_id
        assert row["track_id"] == val(r.track_id)
        assert row["cycle_year"] == int(r.cycle_year)
        assert row["citizenship"] == r.citizenship
        assert row["is_nrsa_eligible"] is (r.citizenship in ELIGIBLE)
        assert row["gender"] == r.gender
        for flag in ("is_urm", "interviewed", "admitted", "matriculated"):
            assert row[flag] is truth[getattr(r, flag)], (r.applicant_id, flag)


# ---------------------------------------------------------------------------------------------------------------
# cohort_sizes and track_distribution
# ---------------------------------------------------------------------------------------------------------------

COHORT_SIZES = {
    # (program, track, cohort): (entrants, female, urm, eligible)
    ("p_phd", "t_a", 2018): (1, 1, 1, 1),  # T01 female urm us_citizen
    ("p_phd", "t_b", 2018): (1, 0, 0, 0),  # T02 male temporary_visa
    ("p_phd", None, 2018): (1, 1, 0, 1),  # T03 female permanent_resident, no track
    ("p_phd", "t_a", 2019): (2, 0, 0, 2),  # T04 male us, T05 nonbinary us
    ("p_phd", "t_b", 2019): (1, 1, 0, 1),  # T06 female noncitizen_national
    ("p_post", "t_c", 2020): (2, 2, 0, 2),  # T07, T12 female us
    ("p_post", "t_d", 2020): (1, 0, 1, 0),  # T08 male urm temporary_visa
    ("p_post", "t_c", 2021): (1, 0, 0, 1),  # T09 male us
    ("p_cert", None, 2021): (2, 1, 0, 2),  # T10 female us, T11 male permanent_resident
}


def test_cohort_sizes_count_entrants_female_urm_eligible(small_marts):
    assert_table(
        small_marts["cohort_sizes"],
        ["program_id", "track_id", "cohort_year"],
        ["entrants", "female", "urm", "eligible"],
        COHORT_SIZES,
    )


def test_trainee_without_track_has_null_key(small_marts):
    for mart in ("cohort_sizes", "track_distribution", "career_outcomes"):
        frame = small_marts[mart]
        no_track = frame[frame.track_id.isna()]
        assert len(no_track) > 0, mart
        # NULL, not '' or a placeholder such as 'none'
        assert not frame.track_id.isin(["", "none", "None", "null", "unknown", "(none)"]).any(), mart
    sizes = small_marts["cohort_sizes"]
    assert set(sizes[sizes.track_id.isna()].program_id) == {"p_phd", "p_cert"}  # T03; T10 T11
    # career_outcomes: T10 (p_cert, no track) graduated 2022
    outcomes = small_marts["career_outcomes"]
    assert set(outcomes[outcomes.track_id.isna()].program_id) == {"p_cert"}


def test_track_share_is_fraction_of_program_cohort(small_marts):
    assert_table(
        small_marts["track_distribution"],
        ["program_id", "cohort_year", "track_id"],
        ["trainees", "share"],
        {
            # p_phd 2018: T01 (t_a), T02 (t_b), T03 (no track) -> each 1 of 3
            ("p_phd", 2018, "t_a"): (1, 1 / 3),
            ("p_phd", 2018, "t_b"): (1, 1 / 3),
            ("p_phd", 2018, None): (1, 1 / 3),
            # p_phd 2019: T04 T05 (t_a), T06 (t_b)
            ("p_phd", 2019, "t_a"): (2, 2 / 3),
            ("p_phd", 2019, "t_b"): (1, 1 / 3),
            # p_post 2020: T07 T12 (t_c), T08 (t_d)
            ("p_post", 2020, "t_c"): (2, 2 / 3),
            ("p_post", 2020, "t_d"): (1, 1 / 3),
            # p_post 2021: T09 alone; p_cert 2021: T10 T11, both without track
            ("p_post", 2021, "t_c"): (1, 1.0),
            ("p_cert", 2021, None): (2, 1.0),
        },
    )


def test_track_shares_sum_to_one_per_program_cohort(small_marts):
    sums = small_marts["track_distribution"].groupby(["program_id", "cohort_year"]).share.sum()
    assert sums.to_numpy() == pytest.approx([1.0] * len(sums))


# ---------------------------------------------------------------------------------------------------------------
# completion
# ---------------------------------------------------------------------------------------------------------------

# years to degree = (end_date - start_date) days / 365.25 over graduates:
#   T01 2018-09-01..2023-05-31 = 1733 days   T02 2018-09-01..2024-05-31 = 2099 days
#   T06 2019-09-01..2024-08-31 = 1826 days   T07, T12 2020-07-01..2022-06-30 = 729 days
#   T08 2020-07-01..2023-06-30 = 1094 days   T10 2021-09-01..2022-06-30 = 302 days
DAYS_TO_DEGREE = {"T01": 1733, "T02": 2099, "T06": 1826, "T07": 729, "T08": 1094, "T10": 302, "T12": 729}

COMPLETION = {
    # (program, cohort): (entrants, graduated, withdrawn, transferred, active, completion_rate, median_years_to_degree)
    # p_phd 2018: T01 T02 graduated, T03 withdrawn; median of 1733 and 2099 days = 1916 days
    ("p_phd", 2018): (3, 2, 1, 0, 0, 2 / 3, 1916 / Y),
    # p_phd 2019: T04 on_leave (active), T05 transferred, T06 graduated (1826 days)
    ("p_phd", 2019): (3, 1, 0, 1, 1, 1 / 3, 1826 / Y),
    # p_post 2020: T07 T08 T12 all graduated; median of 729, 729, 1094 = 729
    ("p_post", 2020): (3, 3, 0, 0, 0, 1.0, 729 / Y),
    # p_post 2021: T09 active; no graduate -> no median
    ("p_post", 2021): (1, 0, 0, 0, 1, 0.0, None),
    # p_cert 2021: T10 graduated (302 days), T11 active
    ("p_cert", 2021): (2, 1, 0, 0, 1, 1 / 2, 302 / Y),
}


def test_completion_counts_rates_and_medians(small_marts):
    assert_table(
        small_marts["completion"],
        ["program_id", "cohort_year"],
        ["entrants", "graduated", "withdrawn", "transferred", "active", "completion_rate", "median_years_to_degree"],
        COMPLETION,
    )


def test_completion_rate_is_graduates_over_entrants(small_marts):
    rates = keyed(small_marts["completion"], ["program_id", "cohort_year"], ["completion_rate"])
    assert rates == pytest.approx(
        {
            ("p_phd", 2018): (2 / 3,),
            ("p_phd", 2019): (1 / 3,),
            ("p_post", 2020): (1.0,),
            ("p_post", 2021): (0.0,),
            ("p_cert", 2021): (1 / 2,),
        }
    )


def test_median_of_even_count_averages_middle_values(small_marts):
    # p_phd 2018 graduates: T01 1733 days, T02 2099 days -> (1733 + 2099) / 2 = 1916 days = 5.2457... years
    row = keyed(small_marts["completion"], ["program_id", "cohort_year"], ["median_years_to_degree"])
    assert row[("p_phd", 2018)] == pytest.approx(((1733 + 2099) / 2 / Y,))
    assert row[("p_phd", 2018)][0] == pytest.approx(5.245722108145106)


def test_median_years_to_degree_uses_days_over_365_25_and_is_null_without_graduates(small_marts):
    row = keyed(small_marts["completion"], ["program_id", "cohort_year"], ["median_years_to_degree"])
    assert row[("p_phd", 2019)] == pytest.approx((1826 / 365.25,))  # just under 5 years, not 5
    assert row[("p_post", 2020)] == pytest.approx((729 / 365.25,))  # odd count: the middle value
    assert row[("p_post", 2021)] == (None,)


def test_on_leave_counts_as_active(small_marts):
    # p_phd 2019: T04 on_leave is the only active one
    completion = keyed(small_marts["completion"], ["program_id", "cohort_year"], ["active"])
    assert completion[("p_phd", 2019)] == (1,)
    t04 = one(small_marts["trainee_facts"], "trainee_id", "T04")
    assert t04["status"] == "on_leave"
    assert t04["is_active"] is True
    assert t04["is_graduate"] is False


def test_transferred_not_graduated_nor_withdrawn(small_marts):
    # p_phd 2019: T04 on_leave, T05 transferred, T06 graduated -> graduated 1, withdrawn 0, active 1, transferred 1
    completion = keyed(
        small_marts["completion"], ["program_id", "cohort_year"], ["graduated", "withdrawn", "active", "transferred"]
    )
    assert completion[("p_phd", 2019)] == (1, 0, 1, 1)
    t05 = one(small_marts["trainee_facts"], "trainee_id", "T05")
    assert (t05["is_active"], t05["is_graduate"], t05["years_to_degree"], t05["completion_year"]) == (
        False,
        False,
        None,
        None,
    )


def test_withdrawal_with_terminal_degree_is_counted_and_not_a_graduate(small_marts):
    # T03 withdrew with a terminal SM: withdrawn, a terminal degree, no years to degree
    completion = keyed(small_marts["completion"], ["program_id", "cohort_year"], ["withdrawn", "terminal_degrees"])
    assert completion[("p_phd", 2018)] == (1, 1)
    assert small_marts["completion"].terminal_degrees.sum() == 1
    t03 = one(small_marts["trainee_facts"], "trainee_id", "T03")
    assert (t03["has_terminal_degree"], t03["is_graduate"], t03["years_to_degree"]) == (True, False, None)


# ---------------------------------------------------------------------------------------------------------------
# career_outcomes
# ---------------------------------------------------------------------------------------------------------------

CAREER_OUTCOMES = {
    # (program, track, completion_year, kind, sector, career_type, role_group): alumni
    # T01 (2023): initial P01 (2023, earliest), current P02 (the only open one)
    ("p_phd", "t_a", 2023, "initial", "academia", "further_training", "further_training"): (1,),
    ("p_phd", "t_a", 2023, "current", "academia", "primarily_research", "academic"): (1,),
    # T02 (2024): P03 and P04 both start 2024 and are open -> P03 (smallest id) is initial AND current
    ("p_phd", "t_b", 2024, "initial", "for_profit", "science_related", "industry"): (1,),
    ("p_phd", "t_b", 2024, "current", "for_profit", "science_related", "industry"): (1,),
    # T06 (2024): P05 open from 2024; P06 started 2025 but ended 2026 -> P05 is initial and current
    ("p_phd", "t_b", 2024, "initial", "academia", "primarily_teaching", "academic"): (1,),
    ("p_phd", "t_b", 2024, "current", "academia", "primarily_teaching", "academic"): (1,),
    # T07 (2022): P07 open
    ("p_post", "t_c", 2022, "initial", "nonprofit", "science_related", "cio_informatics_leadership"): (1,),
    ("p_post", "t_c", 2022, "current", "nonprofit", "science_related", "cio_informatics_leadership"): (1,),
    # T12 (2022): no positions -> unknown both times
    ("p_post", "t_c", 2022, "initial", "unknown", "unknown", "unknown"): (1,),
    ("p_post", "t_c", 2022, "current", "unknown", "unknown", "unknown"): (1,),
    # T08 (2023): P08 ended 2024 -> initial P08, no open position -> current unknown
    ("p_post", "t_d", 2023, "initial", "for_profit", "science_related", "consulting"): (1,),
    ("p_post", "t_d", 2023, "current", "unknown", "unknown", "unknown"): (1,),
    # T10 (2022, p_cert, no track): P09 open
    ("p_cert", None, 2022, "initial", "nonprofit", "further_training", "further_training"): (1,),
    ("p_cert", None, 2022, "current", "nonprofit", "further_training", "further_training"): (1,),
    # not alumni: T03 (withdrawn), T04, T05, T09 (active, holds P10), T11
}


def test_career_outcomes_rows(small_marts):
    assert_table(small_marts["career_outcomes"], AGGREGATE_KEYS["career_outcomes"], ["alumni"], CAREER_OUTCOMES)


def test_every_alumnus_counts_once_initial_and_once_current(small_marts):
    outcomes = small_marts["career_outcomes"]
    by_kind = outcomes.groupby("position_kind").alumni.sum().to_dict()
    assert by_kind == {"initial": 7, "current": 7}  # 7 graduates: T01 T02 T06 T07 T08 T10 T12
    # per program and completion year too: p_phd 2023 T01; p_phd 2024 T02 T06; p_post 2022 T07 T12; p_post 2023 T08;
    # p_cert 2022 T10
    per_group = outcomes.groupby(["program_id", "completion_year", "position_kind"]).alumni.sum().to_dict()
    expected = {("p_phd", 2023): 1, ("p_phd", 2024): 2, ("p_post", 2022): 2, ("p_post", 2023): 1, ("p_cert", 2022): 1}
    assert per_group == {(p, y, k): n for (p, y), n in expected.items() for k in ("initial", "current")}


def test_only_graduates_are_alumni(small_marts):
    # T09 (active) holds P10 (nonprofit, clinical_practice); it must not show up
    outcomes = small_marts["career_outcomes"]
    assert "clinical_practice" not in set(outcomes.role_group)
    assert not ((outcomes.program_id == "p_post") & (outcomes.completion_year == 2021)).any()


def test_completion_year_is_year_of_end_date(small_marts):
    facts = small_marts["trainee_facts"].set_index("trainee_id")
    expected = {"T01": 2023, "T02": 2024, "T06": 2024, "T07": 2022, "T08": 2023, "T10": 2022, "T12": 2022}
    for tid in facts.index:
        assert cell(facts.loc[tid, "completion_year"]) == expected.get(tid), tid


def test_initial_position_ties_go_to_smallest_position_id(small_marts):
    # T02: P03 (Data Scientist, industry) and P04 (Advisor, consulting) both start 2024 and are open
    t02 = one(small_marts["trainee_facts"], "trainee_id", "T02")
    assert (t02["initial_role_group"], t02["initial_title"]) == ("industry", "Data Scientist")
    assert (t02["current_role_group"], t02["current_title"]) == ("industry", "Data Scientist")
    outcomes = small_marts["career_outcomes"]
    assert "consulting" not in set(outcomes[(outcomes.completion_year == 2024)].role_group)


def test_open_position_that_is_not_the_latest_is_current(small_marts):
    # T06: P05 open since 2024; P06 started later (2025) but ended 2026 -> current is P05, not P06
    t06 = one(small_marts["trainee_facts"], "trainee_id", "T06")
    assert (t06["current_role_group"], t06["current_title"], t06["current_start_year"]) == (
        "academic",
        "Adjunct Lecturer",
        2024,
    )
    assert (t06["initial_role_group"], t06["initial_start_year"]) == ("academic", 2024)


def test_current_is_the_latest_open_position(small_marts):
    # T01: P01 2023-2025 (ended), P02 2025 open -> initial P01, current P02
    t01 = one(small_marts["trainee_facts"], "trainee_id", "T01")
    assert (t01["initial_role_group"], t01["initial_start_year"]) == ("further_training", 2023)
    current = (t01["current_role_group"], t01["current_sector"], t01["current_career_type"], t01["current_start_year"])
    assert current == ("academic", "academia", "primarily_research", 2025)


def test_alumnus_without_open_position_has_unknown_current(small_marts):
    # T08: P08 2023-2024 ended -> initial consulting, current unknown
    t08 = one(small_marts["trainee_facts"], "trainee_id", "T08")
    assert (t08["initial_sector"], t08["initial_career_type"], t08["initial_role_group"]) == (
        "for_profit",
        "science_related",
        "consulting",
    )
    assert (t08["current_sector"], t08["current_career_type"], t08["current_role_group"]) == (
        "unknown",
        "unknown",
        "unknown",
    )
    assert t08["current_start_year"] is None


def test_alumnus_without_positions_counts_as_unknown(small_marts):
    # T12 has no position at all
    t12 = one(small_marts["trainee_facts"], "trainee_id", "T12")
    for kind in ("initial", "current"):
        assert (t12[f"{kind}_sector"], t12[f"{kind}_career_type"], t12[f"{kind}_role_group"]) == (
            "unknown",
            "unknown",
            "unknown",
        )
    outcomes = keyed(small_marts["career_outcomes"], AGGREGATE_KEYS["career_outcomes"], ["alumni"])
    for kind in ("initial", "current"):
        assert outcomes[("p_post", "t_c", 2022, kind, "unknown", "unknown", "unknown")] == (1,)


# ---------------------------------------------------------------------------------------------------------------
# stipend_funding and appointment_facts
# ---------------------------------------------------------------------------------------------------------------

# days = end_date - start_date + 1:
#   AP01 2018-09-01..2019-08-31 = 365   AP02 2019-09-01..2020-08-31 = 366 (29 Feb 2020)   AP03 = 365
#   AP04 AP06 2020-07-01..2021-06-30 = 365   AP05 AP07 AP08 2021-07-01..2022-06-30 = 365
#   AP09 2022-07-01..2023-06-30 = 365   AP10 2023-09-01..2024-08-31 = 366 (29 Feb 2024)
APPOINTMENT_DAYS = {
    "AP01": 365,
    "AP02": 366,
    "AP03": 365,
    "AP04": 365,
    "AP05": 365,
    "AP06": 365,
    "AP07": 365,
    "AP08": 365,
    "AP09": 365,
    "AP10": 366,
}

STIPEND_FUNDING = {
    # (fy, program, source): (trainees, trainee_years, stipend, tuition_fees, health_insurance, travel, total)
    (2019, "p_phd", "institutional"): (1, 365 / Y, 30000, 12000, 0, 0, 42000),  # AP03 T02, empty amounts
    (2019, "p_phd", "nih_training_other"): (1, 365 / Y, 23000, 10000, 3000, 0, 36000),  # AP01 T01
    (2020, "p_phd", "nih_training_other"): (1, 366 / Y, 24000, 10000, 3100, 500, 37600),  # AP02 T01
    # AP04 T07 + AP06 T08: 53000+50000, 4500+4500, 5000+5000, 1500+0
    (2021, "p_post", "nlm_t15"): (2, 730 / Y, 103000, 9000, 10000, 1500, 123500),
    # AP05 T07 + AP08 T09: 56000+55000, 4500+4500, 5200+5000, 1200.50+1000
    (2022, "p_post", "nlm_t15"): (2, 730 / Y, 111000, 9000, 10200, 2200.50, 132400.50),
    (2022, "p_post", "self_funded"): (1, 365 / Y, 0, 0, 0, 0, 0),  # AP07 T08, every amount empty
    (2023, "p_post", "nlm_t15"): (1, 365 / Y, 59592, 4500, 5100, 2000, 71192),  # AP09 T09
    (2024, "p_phd", "nih_training_other"): (1, 366 / Y, 28224, 11000, 3200, 0, 42424),  # AP10 T06
}
FUNDING_COLUMNS = [
    "trainees",
    "trainee_years",
    "stipend_usd",
    "tuition_fees_usd",
    "health_insurance_usd",
    "travel_usd",
    "total_usd",
]


def test_stipend_funding_rows(small_marts):
    assert_table(small_marts["stipend_funding"], AGGREGATE_KEYS["stipend_funding"], FUNDING_COLUMNS, STIPEND_FUNDING)


def test_trainee_years_count_both_end_days(small_marts):
    facts = small_marts["appointment_facts"]
    for appointment, days in APPOINTMENT_DAYS.items():
        # a whole fiscal year 1 Jul - 30 Jun is 365 days = 0.99932 trainee years, not 364 days
        assert one(facts, "appointment_id", appointment)["trainee_years"] == pytest.approx(days / Y), appointment
    funding = keyed(small_marts["stipend_funding"], AGGREGATE_KEYS["stipend_funding"], ["trainee_years"])
    assert funding[(2021, "p_post", "nlm_t15")] == pytest.approx(((365 + 365) / Y,))
    assert funding[(2020, "p_phd", "nih_training_other")] == pytest.approx((366 / Y,))


def test_empty_amounts_are_zero(small_marts):
    facts = small_marts["appointment_facts"]
    ap03 = one(facts, "appointment_id", "AP03")  # health insurance and travel empty
    assert (
        ap03["stipend_usd"],
        ap03["tuition_fees_usd"],
        ap03["health_insurance_usd"],
        ap03["travel_usd"],
        ap03["total_usd"],
    ) == (30000, 12000, 0, 0, 42000)
    ap07 = one(facts, "appointment_id", "AP07")  # every amount empty
    assert (
        ap07["stipend_usd"],
        ap07["tuition_fees_usd"],
        ap07["health_insurance_usd"],
        ap07["travel_usd"],
        ap07["total_usd"],
    ) == (0, 0, 0, 0, 0)
    funding = keyed(small_marts["stipend_funding"], AGGREGATE_KEYS["stipend_funding"], FUNDING_COLUMNS[2:])
    assert funding[(2022, "p_post", "self_funded")] == (0, 0, 0, 0, 0)  # zero, not NULL
    assert funding[(2019, "p_phd", "institutional")] == (30000, 12000, 0, 0, 42000)


def test_total_is_the_four_amounts(small_marts):
    funding = small_marts["stipend_funding"]
    four = funding.stipend_usd + funding.tuition_fees_usd + funding.health_insurance_usd + funding.travel_usd
    assert funding.total_usd.to_numpy() == pytest.approx(four.to_numpy())
    # AP05: 56000 + 4500 + 5200 + 1200.50 = 66900.50 (cents kept)
    assert one(small_marts["appointment_facts"], "appointment_id", "AP05")["total_usd"] == pytest.approx(66900.50)


def test_distinct_trainees_in_stipend_funding(variant):
    marts, _ = variant
    funding = keyed(marts["stipend_funding"], AGGREGATE_KEYS["stipend_funding"], FUNDING_COLUMNS)
    # FY2019 p_phd nih_training_other: AP01 (2018-09-01..2019-02-28, 181 days) and AP11 (2019-03-01..2019-08-31,
    # 184 days), both T01 -> 1 distinct trainee, 365 days; stipend 23000 + 11500, tuition 10000 + 5000,
    # insurance 3000 + 1500, travel 0
    assert funding[(2019, "p_phd", "nih_training_other")] == pytest.approx(
        (1, (181 + 184) / Y, 34500, 15000, 4500, 0, 54000)
    )
    # FY2022 p_cert institutional: AP12 (T10), 2021-09-01..2022-06-30 = 303 days, only a stipend
    assert funding[(2022, "p_cert", "institutional")] == pytest.approx((1, 303 / Y, 5000, 0, 0, 0, 5000))


def test_appointment_facts_one_row_per_appointment(small_marts):
    facts = small_marts["appointment_facts"]
    source = source_csv("appointments")
    trainees = source_csv("trainees").set_index("trainee_id")
    assert sorted(facts.appointment_id) == sorted(source.appointment_id)
    for r in source.itertuples():
        row = one(facts, "appointment_id", r.appointment_id)
        assert row["trainee_id"] == r.trainee_id
        assert row["program_id"] == trainees.loc[r.trainee_id, "program_id"]
        assert row["fiscal_year"] == int(r.fiscal_year)
        assert row["funding_source"] == r.funding_source
        assert (row["start_date"], row["end_date"]) == (
            dt.date.fromisoformat(r.start_date),
            dt.date.fromisoformat(r.end_date),
        )


def test_citizenship_at_appointment_defaults_to_the_trainees(small_marts):
    facts = small_marts["appointment_facts"]
    # only AP10 names one (permanent_resident, while T06 is noncitizen_national); the others take the trainee's
    expected = {
        "AP01": "us_citizen",
        "AP02": "us_citizen",
        "AP03": "temporary_visa",
        "AP04": "us_citizen",
        "AP05": "us_citizen",
        "AP06": "temporary_visa",
        "AP07": "temporary_visa",
        "AP08": "us_citizen",
        "AP09": "us_citizen",
        "AP10": "permanent_resident",
    }
    for appointment, citizenship in expected.items():
        row = one(facts, "appointment_id", appointment)
        assert row["citizenship_at_appointment"] == citizenship, appointment
        assert row["is_nrsa_eligible"] is (citizenship in ELIGIBLE), appointment
    # AP06: nlm_t15 for T08 on a temporary visa is the one eligibility finding
    assert set(facts[facts.is_eligibility_finding].appointment_id) == {"AP06"}


def test_citizenship_at_appointment_decides_eligibility(variant):
    marts, findings = variant
    facts = marts["appointment_facts"]
    # AP01: T01 is a us_citizen, but temporary_visa at the appointment -> not eligible, a finding
    ap01 = one(facts, "appointment_id", "AP01")
    assert (ap01["citizenship_at_appointment"], ap01["is_nrsa_eligible"], ap01["is_eligibility_finding"]) == (
        "temporary_visa",
        False,
        True,
    )
    # AP11: same trainee, no citizenship at appointment -> the trainee's us_citizen -> eligible
    ap11 = one(facts, "appointment_id", "AP11")
    assert (ap11["citizenship_at_appointment"], ap11["is_nrsa_eligible"]) == ("us_citizen", True)
    # AP06: T08 is on a temporary visa, but permanent_resident at the appointment -> eligible, no finding
    ap06 = one(facts, "appointment_id", "AP06")
    assert (ap06["citizenship_at_appointment"], ap06["is_nrsa_eligible"], ap06["is_eligibility_finding"]) == (
        "permanent_resident",
        True,
        False,
    )
    # the validation warning follows the same rule: AP01 (CSV row 2) is flagged, AP06 (row 7) no longer
    flagged_rows = {f.row for f in findings if f.rule == "nrsa_ineligible"}
    assert flagged_rows == {2}


# ---------------------------------------------------------------------------------------------------------------
# stipend_vs_nrsa
# ---------------------------------------------------------------------------------------------------------------

STIPEND_VS_NRSA = {
    # appointment: (career_level, experience_level, annual_level_usd, paid_usd, expected_usd, difference_usd)
    # AP05 T07 FY2022: experience 1 + whole years 2020-07-01 -> 2021-07-01 = 1 -> level 2 = 55,632; 365 days
    "AP05": ("postdoctoral", 2, 55632, 56000, 55632 * 365 / Y, 56000 - 55632 * 365 / Y),
    # AP07 T08 FY2022 (self-funded, still compared): experience 0 + 1 whole year -> level 1 = 55,224; paid 0
    "AP07": ("postdoctoral", 1, 55224, 0, 55224 * 365 / Y, 0 - 55224 * 365 / Y),
    # AP08 T09 FY2022: experience 2 + 0 whole years (2021-07-01 -> 2021-07-01) -> level 2 = 55,632
    "AP08": ("postdoctoral", 2, 55632, 55000, 55632 * 365 / Y, 55000 - 55632 * 365 / Y),
    # AP09 T09 FY2023: experience 2 + 1 whole year (2021-07-01 -> 2022-07-01) -> level 3 = 59,592; paid the annual
    # level for 365 days, i.e. 0.25 day more than expected
    "AP09": ("postdoctoral", 3, 59592, 59592, 59592 * 365 / Y, 59592 - 59592 * 365 / Y),
    # AP10 T06 FY2024 predoctoral = 28,224; 366 days (29 Feb 2024)
    "AP10": ("predoctoral", 0, 28224, 28224, 28224 * 366 / Y, 28224 - 28224 * 366 / Y),
    # no row: AP01 AP03 (FY2019) and AP02 (FY2020): no predoctoral level on file;
    #         AP04 AP06 (FY2021): no postdoctoral level on file
}
NRSA_COLUMNS = ["career_level", "experience_level", "annual_level_usd", "paid_usd", "expected_usd", "difference_usd"]


def test_stipend_vs_nrsa_rows(small_marts):
    assert_table(
        small_marts["stipend_vs_nrsa"], ["appointment_id"], NRSA_COLUMNS, {(k,): v for k, v in STIPEND_VS_NRSA.items()}
    )


def test_no_level_on_file_means_no_stipend_vs_nrsa_row(small_marts):
    present = set(small_marts["stipend_vs_nrsa"].appointment_id)
    assert present.isdisjoint({"AP01", "AP02", "AP03", "AP04", "AP06"})
    # the appointments are still in appointment_facts, with no level and no expected amount (NULL, not 0)
    facts = small_marts["appointment_facts"]
    for appointment in ("AP01", "AP02", "AP03", "AP04", "AP06"):
        row = one(facts, "appointment_id", appointment)
        assert (row["nrsa_annual_level_usd"], row["nrsa_expected_usd"]) == (None, None), appointment


def test_expected_is_annual_level_times_days_and_difference_is_paid_minus_expected(small_marts):
    ap10 = one(small_marts["stipend_vs_nrsa"], "appointment_id", "AP10")
    # 28,224 x 366 / 365.25 = 28,281.95...; paid 28,224 -> -57.95...
    assert ap10["expected_usd"] == pytest.approx(28281.954825462013)
    assert ap10["difference_usd"] == pytest.approx(-57.954825462013)
    assert ap10["trainee_years"] == pytest.approx(366 / Y)
    ap09 = one(small_marts["stipend_vs_nrsa"], "appointment_id", "AP09")
    assert ap09["difference_usd"] == pytest.approx(59592 * 0.25 / Y)  # +40.79


def test_nrsa_postdoc_level_adds_whole_years_since_start(small_marts):
    levels = keyed(small_marts["stipend_vs_nrsa"], ["appointment_id"], ["experience_level", "annual_level_usd"])
    assert levels[("AP05",)] == (2, 55632)  # T07: 1 at entry + 1 (a full year on 2021-07-01)
    assert levels[("AP08",)] == (2, 55632)  # T09: 2 at entry + 0
    assert levels[("AP09",)] == (3, 59592)  # T09: 2 at entry + 1


def test_nrsa_level_counts_only_whole_years_defaults_to_zero_and_caps_at_seven(variant):
    marts, _ = variant
    levels = keyed(
        marts["stipend_vs_nrsa"], ["appointment_id"], ["experience_level", "annual_level_usd", "trainee_years"]
    )
    # AP05 now starts 2021-06-30, one day before T07's anniversary: 1 + 0 whole years = 1 -> 55,224; 366 days
    assert levels[("AP05",)] == pytest.approx((1, 55224, 366 / Y))
    # AP07: T08's postdoc_experience_years is empty -> 0 + 1 whole year = 1 -> 55,224
    assert levels[("AP07",)] == pytest.approx((1, 55224, 365 / Y))
    # T09 enters with 7: AP08 7 + 0 = 7 -> 66,600 (FY2022); AP09 min(7, 7 + 1) = 7 -> 68,604 (FY2023)
    assert levels[("AP08",)] == pytest.approx((7, 66600, 365 / Y))
    assert levels[("AP09",)] == pytest.approx((7, 68604, 365 / Y))
    # AP12 is a certificate program's appointment: no NRSA comparison even though FY2022 has levels
    assert ("AP12",) not in levels


def test_nrsa_levels_mart_matches_reference_file(small_marts):
    reference = pd.read_csv(REFERENCE)
    mart = small_marts["nrsa_stipend_levels"]
    got = keyed(mart, ["fiscal_year", "career_level", "experience_years"], ["annual_stipend_usd"])
    want = {
        (int(r.fiscal_year), r.career_level, int(r.experience_years)): (float(r.annual_stipend_usd),)
        for r in reference.itertuples()
    }
    assert got == want
    # spot checks from the NIH notices (issue 2, section 2)
    assert got[(2024, "predoctoral", 0)] == (28224,)
    assert got[(2023, "postdoctoral", 3)] == (59592,)


# ---------------------------------------------------------------------------------------------------------------
# trainee_facts
# ---------------------------------------------------------------------------------------------------------------


def test_trainee_facts_one_row_per_trainee_with_dimensions(small_marts):
    facts = small_marts["trainee_facts"]
    source = source_csv("trainees")
    assert sorted(facts.trainee_id) == sorted(source.trainee_id)
    assert facts.trainee_id.is_unique
    truth = {"true": True, "false": False}
    for r in source.itertuples():
        row = one(facts, "trainee_id", r.trainee_id)
        assert row["program_id"] == r.program_id
        assert row["track_id"] == val(r.track_id)
        assert row["cohort_year"] == int(r.cohort_year)
        assert row["citizenship"] == r.citizenship
        assert row["is_nrsa_eligible"] is (r.citizenship in ELIGIBLE)
        assert row["gender"] == r.gender
        assert row["is_urm"] is truth[r.is_urm]
        assert row["status"] == r.status
        assert row["start_date"] == dt.date.fromisoformat(r.start_date)
        assert row["end_date"] == (None if pd.isna(r.end_date) else dt.date.fromisoformat(r.end_date))
    # track names come from tracks.csv; no track -> no name
    assert one(facts, "trainee_id", "T01")["track_name"] == "Imaging"
    assert one(facts, "trainee_id", "T03")["track_name"] is None


def test_person_id_defaults_to_trainee_id(small_marts):
    facts = small_marts["trainee_facts"].set_index("trainee_id").person_id
    # T06 and T10 are the same person (P-FAY); everyone else is their own person
    expected = {t: ("P-FAY" if t in ("T06", "T10") else t) for t in facts.index}
    assert facts.to_dict() == expected
    directory = small_marts["trainee_directory"].set_index("trainee_id").person_id
    assert directory.to_dict() == expected
    appointments = small_marts["appointment_facts"].set_index("appointment_id").person_id
    assert appointments["AP10"] == "P-FAY" and appointments["AP01"] == "T01"


def test_trainee_facts_hold_no_names(small_marts):
    source = source_csv("trainees")
    personal = set(source.given_name) | set(source.family_name) | set(source.email)
    for mart, frame in small_marts.items():
        if mart == "trainee_directory":
            continue
        assert not {"given_name", "family_name", "email"} & set(frame.columns), mart
        for column in frame.columns:
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
                assert not set(frame[column].dropna()) & personal, f"{mart}.{column}"
    # the names live in trainee_directory only, one row per trainee
    directory = small_marts["trainee_directory"]
    assert set(directory.columns) >= {"trainee_id", "given_name", "family_name", "email"}
    t01 = one(directory, "trainee_id", "T01")
    assert (t01["given_name"], t01["family_name"], t01["email"]) == ("Ada", "Quill", "ada.quill@example.edu")
    assert sorted(directory.trainee_id) == sorted(source.trainee_id)


def test_years_to_degree_for_graduates_only(small_marts):
    facts = small_marts["trainee_facts"].set_index("trainee_id")
    for tid in facts.index:
        got = cell(facts.loc[tid, "years_to_degree"])
        if tid in DAYS_TO_DEGREE:
            assert got == pytest.approx(DAYS_TO_DEGREE[tid] / Y), tid
        else:  # T03 withdrawn (even with an SM and an end date), T05 transferred, T04 T09 T11 active
            assert got is None, tid


def test_years_since_completion_counts_whole_years_to_as_of(small_marts):
    # as of 2026-06-30: T01 2023-05-31 -> 3; T02 2024-05-31 -> 2; T06 2024-08-31 -> 1 (2nd anniversary not yet);
    # T07 T10 T12 2022-06-30 -> 4 (the anniversary itself counts); T08 2023-06-30 -> 3; non-graduates NULL
    assert AS_OF == dt.date(2026, 6, 30)
    facts = small_marts["trainee_facts"].set_index("trainee_id")
    expected = {"T01": 3, "T02": 2, "T06": 1, "T07": 4, "T08": 3, "T10": 4, "T12": 4}
    for tid in facts.index:
        assert cell(facts.loc[tid, "years_since_completion"]) == expected.get(tid), tid
        assert cell(facts.loc[tid, "years_since_completion_band"]) == ("0-4" if tid in expected else None), tid


@pytest.mark.parametrize(
    "as_of, expected",
    [
        # 2027-06-30: T07 T10 T12 (2022-06-30) -> exactly 5 -> '5-9'; T01 (2023-05-31) -> 4, T08 (2023-06-30) -> 4
        #   -> '0-4'; T02 (2024-05-31) -> 3; T06 (2024-08-31) -> 2
        (
            dt.date(2027, 6, 30),
            {
                "T01": (4, "0-4"),
                "T02": (3, "0-4"),
                "T06": (2, "0-4"),
                "T07": (5, "5-9"),
                "T08": (4, "0-4"),
                "T10": (5, "5-9"),
                "T12": (5, "5-9"),
            },
        ),
        # 2037-06-30: T07 T10 T12 -> 15 "15+"; T01 and T08 -> 14 "10-14"; T02 -> 13; T06 -> 12 (not yet 2037-08-31)
        (
            dt.date(2037, 6, 30),
            {
                "T01": (14, "10-14"),
                "T02": (13, "10-14"),
                "T06": (12, "10-14"),
                "T07": (15, "15+"),
                "T08": (14, "10-14"),
                "T10": (15, "15+"),
                "T12": (15, "15+"),
            },
        ),
    ],
)
def test_years_since_completion_band(marts_as_of, as_of, expected):
    facts = marts_as_of(as_of)["trainee_facts"].set_index("trainee_id")
    for tid in facts.index:
        got = (cell(facts.loc[tid, "years_since_completion"]), cell(facts.loc[tid, "years_since_completion_band"]))
        assert got == expected.get(tid, (None, None)), tid


def test_is_past_nominal_length(small_marts, marts_as_of):
    # as of 2026-06-30 every active trainee is past the program's nominal length:
    #   T04 (on_leave, p_phd 5 y) 2019-09-01 -> 6.8 y; T09 (p_post 2 y) 2021-07-01 -> 5.0 y; T11 (p_cert 1 y) -> 4.8 y
    facts = small_marts["trainee_facts"].set_index("trainee_id")
    assert {t for t in facts.index if facts.loc[t, "is_past_nominal_length"]} == {"T04", "T09", "T11"}
    # as of 2024-06-30: T04 2019-09-01 -> 1764 days = 4.83 y < 5 -> no; T09 2021-07-01 -> 1095 days = 2.998 y > 2 ->
    # yes; T11 2021-09-01 -> 1033 days = 2.83 y > 1 -> yes. Graduates, withdrawn and transferred never are.
    earlier = marts_as_of(dt.date(2024, 6, 30))["trainee_facts"].set_index("trainee_id")
    assert {t for t in earlier.index if earlier.loc[t, "is_past_nominal_length"]} == {"T09", "T11"}


# ---------------------------------------------------------------------------------------------------------------
# milestone_facts
# ---------------------------------------------------------------------------------------------------------------


def test_milestone_facts_years_from_start(small_marts):
    # T01 from 2018-09-01: proposal 2020-05-01 = 608 days, defense 2023-04-15 = 1687, conferred 2023-05-31 = 1733
    # T07 from 2020-07-01: national presentation 2021-11-10 = 497 days, defense 2022-05-20 = 688
    assert_table(
        small_marts["milestone_facts"],
        ["trainee_id", "milestone"],
        ["program_id", "track_id", "cohort_year", "years_from_start"],
        {
            ("T01", "thesis_proposal"): ("p_phd", "t_a", 2018, 608 / Y),
            ("T01", "thesis_defense"): ("p_phd", "t_a", 2018, 1687 / Y),
            ("T01", "degree_conferred"): ("p_phd", "t_a", 2018, 1733 / Y),
            ("T07", "national_presentation"): ("p_post", "t_c", 2020, 497 / Y),
            ("T07", "thesis_defense"): ("p_post", "t_c", 2020, 688 / Y),
        },
    )


# ---------------------------------------------------------------------------------------------------------------
# Optional columns and tables left out of the source
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def without_optional(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """The small fixture without its optional columns (person_id, postdoc_experience_years,
    citizenship_at_appointment) and without the optional milestones table."""
    src = copy_source(tmp_path_factory.mktemp("no_optional"))
    edit_csv(src / "trainees.csv", lambda f: f.drop(columns=["person_id", "postdoc_experience_years"]))
    edit_csv(src / "appointments.csv", lambda f: f.drop(columns=["citizenship_at_appointment"]))
    (src / "milestones.csv").unlink()
    result = build(src, tmp_path_factory.mktemp("no_optional_warehouse"))
    assert result.outcome == "published", [str(f) for f in result.findings]
    return read_marts(result.snapshot)


def test_person_id_defaults_to_trainee_id_when_the_column_is_absent(without_optional):
    facts = without_optional["trainee_facts"]
    assert (facts.person_id == facts.trainee_id).all()


def test_absent_citizenship_at_appointment_takes_the_trainees(without_optional):
    # AP10: T06 is a noncitizen_national (the dropped column said permanent_resident); both eligible
    ap10 = one(without_optional["appointment_facts"], "appointment_id", "AP10")
    assert (ap10["citizenship_at_appointment"], ap10["is_nrsa_eligible"]) == ("noncitizen_national", True)


def test_absent_postdoc_experience_means_zero(without_optional):
    levels = keyed(without_optional["stipend_vs_nrsa"], ["appointment_id"], ["experience_level", "annual_level_usd"])
    # AP05 T07: 0 + 1 whole year -> level 1 FY2022 = 55,224; AP07 T08: 0 + 1 -> 55,224
    # AP08 T09: 0 + 0 -> level 0 FY2022 = 54,840; AP09 T09: 0 + 1 -> level 1 FY2023 = 56,880
    assert levels == {
        ("AP05",): (1, 55224),
        ("AP07",): (1, 55224),
        ("AP08",): (0, 54840),
        ("AP09",): (1, 56880),
        ("AP10",): (0, 28224),
    }


def test_absent_milestones_table_gives_an_empty_milestone_mart(without_optional, small_marts):
    assert len(without_optional["milestone_facts"]) == 0
    # nothing else depends on milestones
    for mart in ("cohort_funnel", "cohort_sizes", "completion", "career_outcomes", "stipend_funding"):
        pd.testing.assert_frame_equal(without_optional[mart], small_marts[mart], obj=mart)


def test_position_facts_mark_initial_and_current_positions(small_marts):
    facts = small_marts["position_facts"].set_index("position_id")
    # positions.csv: T01 P01 (2023, ended) is initial, P02 (2025, open) current; T02 P03/P04 both 2024 and open ->
    # P03 (smaller id) is both initial and current; T06 P05 (2024, open) is initial and current, P06 (2025, ended)
    # neither; T08 P08 ended -> initial, not current.
    flags = facts.loc[["P01", "P02", "P03", "P04", "P05", "P06", "P08"], ["is_initial", "is_current"]]
    assert flags.values.tolist() == [
        [True, False], [False, True], [True, True], [False, False], [True, True], [False, False], [True, False]]
    assert facts.loc["P10", "program_id"] == "p_post" and not facts.loc["P10", "is_graduate"]  # T09 is active
    assert len(facts) == 10


def test_every_coded_value_has_one_label_in_the_snapshot(small_snapshot):
    import duckdb

    from etl.contract import TABLES

    con = duckdb.connect(str(small_snapshot), read_only=True)
    vocabulary = con.execute("select vocabulary, code, label from main.vocabulary").fetchall()
    con.close()
    coded = {v for t in TABLES for c in t.columns for v in c.values}
    assert coded <= {code for _, code, _ in vocabulary}
    assert {c.name for t in TABLES for c in t.columns if c.values} - {"citizenship_at_appointment"} <= {
        v for v, _, _ in vocabulary}
    assert ("role_group", "unknown", "Unknown") in vocabulary
    assert all(label and label != code for _, code, label in vocabulary)
