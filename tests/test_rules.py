"""Every rule of the contract, each with a failing fixture: one realistic mistake in a copy of the small fixture.

Row numbers are worked out by hand as the user sees them: the header is row 1, so the k-th data row is row k + 1.
In the small fixture: programs p_phd=2, p_post=3, p_cert=4; applicants A0k=k+1; trainees T0k=k+1 (T12=13);
appointments AP0k=k+1 (AP10=11); positions P01=2; milestones has 5 data rows (rows 2-6).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import pipeline
from etl.contract import RULES, SOURCE_TABLES, STATUS
from etl.extract import extract
from etl.findings import Finding
from etl.history import History
from etl.validate import validate
from etl.warehouse import Warehouse
from tests.conftest import SMALL, build, copy_source

# Rules exercised by a failing fixture, collected when the test functions are defined (so the meta-test does not
# depend on test order). tests/test_reading.py registers its rules here too.
COVERED: set[str] = set()
NOT_TRIGGERABLE_BY_DATA = {"post_load_check"}


def covers(*rules: str):
    """Declare which rules a test triggers with a failing fixture and asserts."""
    COVERED.update(rules)

    def mark(fn):
        return fn

    return mark


# Helpers ---------------------------------------------------------------------------------------------------------
def check(source: Path, tables=SOURCE_TABLES):
    """Extract and validate a source (no load): the Validated result."""
    return validate(extract(source, tables), tables)


def findings_of(source: Path) -> list[Finding]:
    return check(source).findings


# The good fixture has exactly one finding: AP06 (row 7) is an nlm_t15 appointment for a temporary_visa trainee.
def is_baseline(f: Finding) -> bool:
    return f.rule == "nrsa_ineligible" and f.table == "appointments" and f.row == 7


def new_findings(source: Path) -> list[Finding]:
    """Findings other than the good fixture's own warning."""
    return [f for f in findings_of(source) if not is_baseline(f)]


def sole(findings: list[Finding], rule: str) -> Finding:
    """The one finding of rule; also asserts it is the only error (one mistake, one error)."""
    hits = [f for f in findings if f.rule == rule]
    assert len(hits) == 1, [str(f) for f in findings]
    errors = [f for f in findings if f.severity == "error"]
    assert errors in ([], hits), [str(f) for f in errors]
    return hits[0]


def where(f: Finding) -> tuple:
    """Where a finding points and what it says was there: severity, table, file, row, column, value."""
    return (f.severity, f.table, f.file, f.row, f.column, f.value)


def set_cell(src: Path, table: str, key: str, column: str, value: str) -> None:
    """Set one cell of a CSV, on the row whose first column is key (rewritten by pandas, as a user's tool would)."""
    path = src / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    hit = frame[frame.columns[0]] == key
    assert hit.sum() == 1, key
    assert column in frame.columns, column
    frame.loc[hit, column] = value
    frame.to_csv(path, index=False)


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def src(tmp_path) -> Path:
    return copy_source(tmp_path)


# The good fixture ------------------------------------------------------------------------------------------------
def test_good_fixture_has_only_its_known_warning():
    found = findings_of(SMALL)
    assert len(found) == 1 and is_baseline(found[0]), [str(f) for f in found]
    f = found[0]
    assert (f.rule, f.severity, f.table, f.column) == (
        "nrsa_ineligible",
        "warning",
        "appointments",
        "citizenship_at_appointment",
    )
    assert "T08" in f.message and "temporary_visa" in f.message


# Columns and tables ----------------------------------------------------------------------------------------------
@covers("column_missing")
def test_header_typo_is_a_missing_column_with_a_suggestion(src):
    replace_text(src / "trainees.csv", "trainee_id,applicant_id", "trianee_id,applicant_id")
    found = new_findings(src)
    f = sole(found, "column_missing")
    assert (f.severity, f.table, f.file, f.row, f.column) == ("error", "trainees", "trainees.csv", 1, "trainee_id")
    assert "'trainee_id'" in f.message
    assert "'trianee_id'" in f.message and "typo" in f.message
    assert "case-insensitively" in f.hint
    # the misspelt header is also listed as an unknown column
    unknown = [g for g in found if g.rule == "column_unknown"]
    assert [(g.severity, g.column) for g in unknown] == [("warning", "trianee_id")]


@covers("column_missing")
def test_dropped_column_is_missing_without_a_false_suggestion(src):
    path = src / "programs.csv"
    pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["school"]).to_csv(path, index=False)
    f = sole(new_findings(src), "column_missing")
    assert (f.severity, f.file, f.column) == ("error", "programs.csv", "school")
    assert "'school' is missing" in f.message and "typo" not in f.message


def test_optional_column_may_be_absent(src):
    path = src / "trainees.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns=["person_id", "postdoc_experience_years"]).to_csv(path, index=False)
    assert new_findings(src) == []


@covers("column_unknown")
def test_unknown_column_is_a_warning_and_ignored(src):
    path = src / "trainees.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.insert(3, "Favourite Color", "blue")
    frame.to_csv(path, index=False)
    result = check(src)
    found = [f for f in result.findings if not is_baseline(f)]
    f = sole(found, "column_unknown")
    assert (f.severity, f.table, f.file, f.row, f.column) == (
        "warning",
        "trainees",
        "trainees.csv",
        1,
        "favourite_color",
    )
    assert "favourite_color" in f.message and "ignored" in f.message
    assert result.errors == []
    assert "favourite_color" not in result.tables["trainees"].columns


@covers("column_duplicated")
def test_duplicated_column(src):
    # the level column pasted again at the end, header in another case
    path = src / "programs.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",Level"] + [line + "," + line.split(",")[4] for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    f = sole(new_findings(src), "column_duplicated")
    assert (f.severity, f.table, f.file, f.column) == ("error", "programs", "programs.csv", "level")
    assert "'level' appears twice" in f.message and "columns 5 and 7" in f.message


@covers("table_missing")
def test_missing_required_table(src):
    (src / "trainees.csv").unlink()
    found = new_findings(src)
    f = sole(found, "table_missing")
    assert (f.severity, f.table, f.file, f.row, f.column) == ("error", "trainees", "trainees.csv", None, None)
    assert "'trainees' is missing" in f.message
    assert "template" in f.hint


def test_missing_optional_table_is_fine(src):
    (src / "milestones.csv").unlink()
    result = check(src)
    assert [f for f in result.findings if not is_baseline(f)] == []
    assert "milestones" not in result.tables


@covers("table_empty")
def test_required_table_with_header_only_is_empty(src):
    (src / "programs.csv").write_text("program_id,program_name,school,degree,level,nominal_years\n", encoding="utf-8")
    found = new_findings(src)
    f = sole(found, "table_empty")
    assert (f.severity, f.table, f.file) == ("error", "programs", "programs.csv")
    assert "no data rows" in f.message


def test_table_that_may_be_empty_with_header_only_is_fine(src):
    (src / "milestones.csv").write_text("trainee_id,milestone,milestone_date\n", encoding="utf-8")
    result = check(src)
    assert [f for f in result.findings if not is_baseline(f)] == []
    assert len(result.tables["milestones"]) == 0


# Values ----------------------------------------------------------------------------------------------------------
@covers("not_null")
def test_not_null(src):
    set_cell(src, "trainees", "T03", "given_name", "")
    f = sole(new_findings(src), "not_null")
    assert where(f) == ("error", "trainees", "trainees.csv", 4, "given_name", None)
    assert "given_name is required" in f.message


@covers("type_integer")
def test_type_integer(src):
    set_cell(src, "trainees", "T03", "cohort_year", "20x9")
    f = sole(new_findings(src), "type_integer")
    assert where(f) == ("error", "trainees", "trainees.csv", 4, "cohort_year", "20x9")
    assert "whole number" in f.message and "2024" in f.hint


def test_fractional_integer_is_refused(src):
    set_cell(src, "programs", "p_cert", "nominal_years", "1.5")
    f = sole(new_findings(src), "type_integer")
    assert (f.file, f.row, f.column, f.value) == ("programs.csv", 4, "nominal_years", "1.5")


@covers("type_number")
def test_type_number(src):
    set_cell(src, "appointments", "AP03", "stipend_usd", "abc")
    f = sole(new_findings(src), "type_number")
    assert where(f) == ("error", "appointments", "appointments.csv", 4, "stipend_usd", "abc")
    assert "not a number" in f.message and "1234.50" in f.hint


@covers("type_boolean")
def test_type_boolean(src):
    set_cell(src, "applicants", "A03", "is_urm", "maybe")
    f = sole(new_findings(src), "type_boolean")
    assert where(f) == ("error", "applicants", "applicants.csv", 4, "is_urm", "maybe")
    assert "yes/no" in f.message and "yes or no" in f.hint


@covers("type_date")
@pytest.mark.parametrize(
    "value, says",
    [
        ("2025-02-31", "does not exist"),
        ("03/15/2024", "YYYY-MM-DD"),
        ("15.03.2024", "YYYY-MM-DD"),
        ("45123", "Excel serial"),
    ],
)
def test_type_date(src, value, says):
    set_cell(src, "trainees", "T03", "start_date", value)
    f = sole(new_findings(src), "type_date")
    assert where(f) == ("error", "trainees", "trainees.csv", 4, "start_date", value)
    assert says in f.message
    assert "YYYY-MM-DD" in f.hint


@pytest.mark.parametrize("value", ["GRADUATED", "Graduated", " graduated "])
def test_vocabulary_matches_case_insensitively(src, value):
    # T03 withdrew with an SM and an end date; as a graduate every other rule still holds
    set_cell(src, "trainees", "T03", "status", value)
    result = check(src)
    assert [f for f in result.findings if not is_baseline(f)] == []
    assert result.tables["trainees"].at[4, "status"] == "graduated"


@covers("vocabulary")
def test_vocabulary(src):
    set_cell(src, "trainees", "T03", "status", "alumnus")
    f = sole(new_findings(src), "vocabulary")
    assert where(f) == ("error", "trainees", "trainees.csv", 4, "status", "alumnus")
    for allowed in STATUS:
        assert allowed in f.message
    assert "case does not matter" in f.hint


@covers("range")
def test_range_above_maximum(src):
    set_cell(src, "programs", "p_cert", "nominal_years", "11")
    f = sole(new_findings(src), "range")
    assert where(f) == ("error", "programs", "programs.csv", 4, "nominal_years", "11")
    assert "at most 10" in f.message and "nominal_years" in f.message


@covers("range")
def test_range_negative_amount(src):
    set_cell(src, "appointments", "AP03", "stipend_usd", "-500")
    f = sole(new_findings(src), "range")
    assert (f.severity, f.table, f.file, f.row, f.column) == (
        "error",
        "appointments",
        "appointments.csv",
        4,
        "stipend_usd",
    )
    assert float(f.value) == -500
    assert "at least 0" in f.message and "negative" in f.hint


@covers("max_length")
def test_max_length(src):
    set_cell(src, "trainees", "T03", "research_topic", "x" * 201)
    f = sole(new_findings(src), "max_length")
    assert (f.severity, f.table, f.file, f.row, f.column) == ("error", "trainees", "trainees.csv", 4, "research_topic")
    assert f.value.startswith("x" * 100)
    assert "200 characters" in f.message


def test_max_length_boundary_is_allowed(src):
    set_cell(src, "trainees", "T03", "research_topic", "x" * 200)
    assert new_findings(src) == []


@covers("duplicate_key")
def test_duplicate_key_names_the_first_row(src):
    set_cell(src, "trainees", "T05", "trainee_id", "T03")  # T05 is row 6, T03 row 4
    f = sole(new_findings(src), "duplicate_key")
    assert where(f) == ("error", "trainees", "trainees.csv", 6, "trainee_id", "T03")
    assert "repeats row 4" in f.message


@covers("duplicate_key")
def test_duplicate_composite_key_in_milestones(src):
    path = src / "milestones.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "T01,thesis_defense,2023-04-15\n", encoding="utf-8"
    )  # row 7 = row 3
    f = sole(new_findings(src), "duplicate_key")
    assert (f.severity, f.table, f.file, f.row) == ("error", "milestones", "milestones.csv", 7)
    assert f.column == "trainee_id, milestone, milestone_date"
    assert f.value.startswith("T01, thesis_defense, 2023-04-15")
    assert "repeats row 3" in f.message


@covers("duplicate_key")
def test_a_repeated_key_with_a_blank_part_is_named_not_a_crash(src):
    path = src / "milestones.csv"
    path.write_text(path.read_text(encoding="utf-8") + "T01,thesis_defense,\nT01,thesis_defense,\n",
                    encoding="utf-8")  # rows 7 and 8: the same trainee and milestone, both without a date
    found = new_findings(src)
    [repeated] = [f for f in found if f.rule == "duplicate_key"]
    assert (repeated.table, repeated.row) == ("milestones", 8)
    assert "repeats row 7" in repeated.message
    assert sorted(f.row for f in found if f.rule == "not_null" and f.column == "milestone_date") == [7, 8]


def test_same_milestone_on_another_date_is_not_a_duplicate(src):
    path = src / "milestones.csv"
    path.write_text(path.read_text(encoding="utf-8") + "T01,thesis_defense,2023-04-16\n", encoding="utf-8")
    assert new_findings(src) == []


@covers("orphan_reference")
def test_orphan_program_of_a_trainee(src):
    set_cell(src, "trainees", "T03", "program_id", "p_md")
    f = sole(new_findings(src), "orphan_reference")
    assert where(f) == ("error", "trainees", "trainees.csv", 4, "program_id", "p_md")
    assert "programs" in f.message and "program_id" in f.message


@covers("orphan_reference")
def test_orphan_trainee_of_an_appointment(src):
    set_cell(src, "appointments", "AP03", "trainee_id", "T99")
    f = sole(new_findings(src), "orphan_reference")
    assert where(f) == ("error", "appointments", "appointments.csv", 4, "trainee_id", "T99")
    assert "trainees" in f.message


# Row logic -------------------------------------------------------------------------------------------------------
@covers("track_program_mismatch")
def test_track_of_another_program(src):
    set_cell(src, "trainees", "T01", "track_id", "t_c")  # t_c belongs to p_post; T01 is in p_phd
    f = sole(new_findings(src), "track_program_mismatch")
    assert where(f) == ("error", "trainees", "trainees.csv", 2, "track_id", "t_c")
    assert "p_post" in f.message and "p_phd" in f.message


@covers("track_program_mismatch")
def test_track_of_another_program_in_applicants(src):
    set_cell(src, "applicants", "A12", "track_id", "t_a")  # A12 (row 13) applied to p_post
    f = sole(new_findings(src), "track_program_mismatch")
    assert (f.file, f.row, f.column, f.value) == ("applicants.csv", 13, "track_id", "t_a")


@covers("matriculated_without_admitted")
def test_matriculated_without_admitted(src):
    set_cell(src, "applicants", "A04", "matriculated", "true")  # A04 (row 5) was not admitted
    f = sole(new_findings(src), "matriculated_without_admitted")
    assert (f.severity, f.table, f.file, f.row, f.column) == (
        "error",
        "applicants",
        "applicants.csv",
        5,
        "matriculated",
    )
    assert f.value.lower() == "true"
    assert "admitted" in f.message


@covers("end_date_required")
def test_end_date_required(src):
    set_cell(src, "trainees", "T03", "end_date", "")  # T03 withdrew
    f = sole(new_findings(src), "end_date_required")
    assert where(f) == ("error", "trainees", "trainees.csv", 4, "end_date", None)
    assert "withdrawn" in f.message


def test_end_date_not_required_while_active(src):
    set_cell(src, "trainees", "T03", "status", "active")
    set_cell(src, "trainees", "T03", "end_date", "")
    assert new_findings(src) == []


@covers("end_before_start")
@pytest.mark.parametrize(
    "table, key, column, value, row, says",
    [
        ("trainees", "T03", "end_date", "2017-01-01", 4, "2018-09-01"),
        ("appointments", "AP03", "end_date", "2018-08-01", 4, "2018-09-01"),
        ("positions", "P01", "end_year", "2020", 2, "2023"),
    ],
)
def test_end_before_start(src, table, key, column, value, row, says):
    set_cell(src, table, key, column, value)
    f = sole(new_findings(src), "end_before_start")
    assert (f.severity, f.table, f.file, f.row, f.column) == ("error", table, f"{table}.csv", row, column)
    assert f.value.startswith(value)
    assert value in f.message and says in f.message


@covers("degree_required")
def test_degree_required(src):
    set_cell(src, "trainees", "T01", "degree_awarded", "")
    f = sole(new_findings(src), "degree_required")
    assert where(f) == ("error", "trainees", "trainees.csv", 2, "degree_awarded", None)
    assert "graduated" in f.message and "degree_awarded" in f.hint


@covers("grant_number_required")
def test_grant_number_required(src):
    set_cell(src, "appointments", "AP04", "grant_number", "")  # AP04 (row 5) is nlm_t15
    f = sole(new_findings(src), "grant_number_required")
    assert where(f) == ("error", "appointments", "appointments.csv", 5, "grant_number", None)
    assert "nlm_t15" in f.message


@covers("nrsa_ineligible")
def test_nrsa_ineligible_judged_on_citizenship_at_appointment(src):
    # T06 is a noncitizen_national; AP10 (row 11, nih_training_other) now says temporary_visa at the appointment
    set_cell(src, "appointments", "AP10", "citizenship_at_appointment", "temporary_visa")
    result = check(src)
    assert result.errors == []
    f = sole([f for f in result.findings if not is_baseline(f)], "nrsa_ineligible")
    assert where(f) == (
        "warning",
        "appointments",
        "appointments.csv",
        11,
        "citizenship_at_appointment",
        "temporary_visa",
    )
    assert "T06" in f.message and "nih_training_other" in f.message


def test_nrsa_eligible_citizenship_at_appointment_clears_the_warning(src):
    set_cell(src, "appointments", "AP06", "citizenship_at_appointment", "permanent_resident")
    assert findings_of(src) == []


def test_nrsa_ineligible_value_is_the_judged_citizenship_when_defaulted():
    """BUG (etl/validate.py _flag, line 304): AP06 has no citizenship_at_appointment, so eligibility is judged on the
    trainee's temporary_visa, but the finding's value is empty; it should carry the citizenship it was judged on."""
    f = next(f for f in findings_of(SMALL) if is_baseline(f))
    assert f.value == "temporary_visa"


@covers("appointment_outside_training")
def test_appointment_outside_training(src):
    set_cell(src, "appointments", "AP01", "start_date", "2018-08-01")  # T01 started 2018-09-01
    result = check(src)
    assert result.errors == []
    f = sole([f for f in result.findings if not is_baseline(f)], "appointment_outside_training")
    assert (f.severity, f.table, f.file, f.row, f.column) == (
        "warning",
        "appointments",
        "appointments.csv",
        2,
        "start_date",
    )
    assert f.value.startswith("2018-08-01")
    assert "T01" in f.message and "2018-08-01" in f.message


def test_date_values_in_findings_are_written_as_the_user_wrote_them(src):
    """BUG (etl/findings.py finding(), line 49: str(value)): date values are shown as '2017-01-01 00:00:00' (a pandas
    Timestamp), not as the ISO date the user typed."""
    set_cell(src, "trainees", "T03", "end_date", "2017-01-01")
    f = sole(new_findings(src), "end_before_start")
    assert f.value == "2017-01-01"


def test_infinite_amount_is_refused(src):
    """pd.to_numeric reads 'inf' as infinity, which would pass the range check [0, inf]: it must be refused."""
    set_cell(src, "appointments", "AP03", "stipend_usd", "inf")
    f = sole(new_findings(src), "type_number")
    assert (f.row, f.column, f.value) == (4, "stipend_usd", "inf")


# The refresh: errors stop the publish, warnings publish ------------------------------------------------------------
def test_refresh_with_errors_leaves_the_published_snapshot_byte_identical(tmp_path):
    warehouse = tmp_path / "warehouse"
    good = build(SMALL, warehouse)
    assert good.outcome == "published", good.message
    wh = Warehouse(warehouse)
    published = wh.published()
    assert published.run_id == good.run_id
    before = {published.path: sha256(published.path), wh.pointer: sha256(wh.pointer)}

    src = copy_source(tmp_path)
    set_cell(src, "trainees", "T03", "cohort_year", "20x9")
    bad = build(src, warehouse)

    assert bad.outcome == "failed"
    assert "unchanged" in bad.message
    assert {path: sha256(path) for path in before} == before
    assert wh.published().run_id == good.run_id
    assert wh.kept() == [good.run_id]
    assert not any(wh.building.iterdir())

    history = History(warehouse / "history.sqlite")
    runs = {r["run_id"]: r for r in history.runs()}
    run = runs[bad.run_id]
    assert (run["outcome"], run["errors"]) == ("failed", 1)
    assert runs[good.run_id]["outcome"] == "published"
    stored = [f for f in history.findings(bad.run_id) if f["severity"] == "error"]
    assert [(f["rule"], f["file"], f["row"], f["column_name"], f["value"]) for f in stored] == [
        ("type_integer", "trainees.csv", 4, "cohort_year", "20x9")
    ]


def test_run_ids_sort_in_the_order_runs_were_started():
    """BUG (etl/pipeline.py new_run_id, line 46): a run id is the time to the second plus a random suffix, so runs
    started within the same second sort at random. History.runs() ("newest first": started_at in whole seconds, then
    run_id) and Warehouse.kept()/prune() (sorted by run id, "oldest first") both rely on this order; a refresh that
    fails fast right after a publish can be listed before it, and prune can delete the newer snapshot. Put
    microseconds in the id (e.g. "%Y%m%dT%H%M%S%fZ-<hex>"), or order history by rowid and snapshots by publication."""
    ids = []
    for _ in range(20):
        ids.append(pipeline.new_run_id())
        time.sleep(0.002)  # refreshes are serialized by the lock; two never start in the same millisecond
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


@covers("table_unknown", "column_unknown", "nrsa_ineligible", "appointment_outside_training")
def test_a_source_with_only_warnings_publishes_and_keeps_them(tmp_path):
    src = copy_source(tmp_path)
    (src / "notes.csv").write_text("note\nremember to update positions\n", encoding="utf-8")
    path = src / "positions.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["linkedin"] = ""
    frame.to_csv(path, index=False)
    set_cell(src, "appointments", "AP01", "start_date", "2018-08-01")

    result = build(src, tmp_path / "warehouse")

    assert result.outcome == "published", result.message
    expected = {
        ("table_unknown", "notes.csv", None, None),
        ("column_unknown", "positions.csv", 1, "linkedin"),
        ("appointment_outside_training", "appointments.csv", 2, "start_date"),
        ("nrsa_ineligible", "appointments.csv", 7, "citizenship_at_appointment"),
    }
    assert {(f.rule, f.file, f.row, f.column) for f in result.findings} == expected
    assert all(f.severity == "warning" for f in result.findings)
    con = duckdb.connect(str(result.snapshot), read_only=True)
    try:
        stored = con.execute("select rule, severity, file, row, column_name from meta.findings").fetchall()
        assert "linkedin" not in [c[0] for c in con.execute("describe raw.positions").fetchall()]
    finally:
        con.close()
    assert {(r, f, row, c) for r, _, f, row, c in stored} == expected
    assert {s for _, s, _, _, _ in stored} == {"warning"}
    run = History(tmp_path / "warehouse" / "history.sqlite").run(result.run_id)
    assert (run["outcome"], run["errors"], run["warnings"]) == ("published", 0, 4)


# Meta ------------------------------------------------------------------------------------------------------------
def test_every_rule_has_a_failing_fixture():
    import tests.test_reading  # noqa: F401  (registers the reading rules it covers)

    names = {r.name for r in RULES}
    assert COVERED <= names, COVERED - names
    assert names - NOT_TRIGGERABLE_BY_DATA - COVERED == set()
