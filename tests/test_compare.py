"""The comparison of two snapshots names every changed cell (table, key, column, before, after) and every row added or
removed by its key, counts them per table, says when the as-of date moves, and stays fast on large tables."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import pytest

from etl import compare, config, sample
from tests.conftest import SMALL, build, copy_source


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The small fixture's snapshot as of 2026-06-30."""
    result = build(SMALL, tmp_path_factory.mktemp("published") / "wh")
    assert result.outcome == "published"
    return result.snapshot


def edited(tmp_path, edit, as_of=dt.date(2026, 6, 30)):
    """A snapshot of the small fixture after `edit(source folder)`."""
    source = copy_source(tmp_path)
    edit(source)
    result = build(source, tmp_path / "wh", as_of=as_of)
    assert result.outcome == "published", result.message
    return result.snapshot


def set_cell(source, table: str, key: str, key_value: str, column: str, value: str) -> None:
    frame = pd.read_csv(source / f"{table}.csv", dtype=str, keep_default_na=False)
    frame.loc[frame[key] == key_value, column] = value
    frame.to_csv(source / f"{table}.csv", index=False)


def listed(frame: pd.DataFrame) -> list[list]:
    return frame.astype(object).where(frame.notna(), None).values.tolist()


def test_one_changed_cell_is_named_by_table_key_column_before_and_after(published, tmp_path):
    # AP09's stipend is 59,592 in the fixture (appointments.csv); raise it to 65,000.
    after = edited(tmp_path, lambda s: set_cell(s, "appointments", "appointment_id", "AP09", "stipend_usd", "65000"))
    changes = compare.compare(published, after)
    assert listed(changes.changes) == [["appointments", "AP09", "changed", "stipend_usd", "59592.00", "65000.00"]]
    assert changes.changes_total == 1 and not changes.unchanged
    counts = changes.tables.set_index("table")
    assert counts.loc["appointments", ["rows_before", "rows_after", "added", "removed", "changed"]].tolist() == [
        10, 10, 0, 0, 1]
    assert counts.drop(index="appointments")[["added", "removed", "changed"]].to_numpy().sum() == 0
    assert changes.as_of_note is None  # both as of 2026-06-30


def test_rows_added_and_removed_are_listed_by_key_after_the_changed_cells(published, tmp_path):
    def edit(source):
        trainees = pd.read_csv(source / "trainees.csv", dtype=str, keep_default_na=False)
        trainees = trainees[trainees["trainee_id"] != "T11"]  # T11 (p_cert, active) has no other rows
        trainees.loc[trainees["trainee_id"] == "T01", "mentor"] = "Dr. Someone Else"  # was Dr. Vera Lind
        trainees.to_csv(source / "trainees.csv", index=False)
        with open(source / "trainees.csv", "a", encoding="utf-8") as f:
            f.write("T13,,p_cert,,2022,2022-09-01,active,,,BS,,us_citizen,female,false,Mo,Nash,"
                    "mo.nash@example.edu,,,,\n")
        milestones = (source / "milestones.csv").read_text(encoding="utf-8")
        (source / "milestones.csv").write_text(milestones.replace("T01,thesis_defense,2023-04-15\n", ""),
                                               encoding="utf-8")

    changes = compare.compare(published, edited(tmp_path, edit))
    assert listed(changes.changes) == [
        ["trainees", "T01", "changed", "mentor", "Dr. Vera Lind", "Dr. Someone Else"],
        ["trainees", "T13", "added", None, None, None],
        ["trainees", "T11", "removed", None, None, None],
        # milestones are keyed by trainee, milestone and date: a row can only come or go
        ["milestones", "T01 · thesis_defense · 2023-04-15", "removed", None, None, None],
    ]
    counts = changes.tables.set_index("table")
    assert counts.loc["trainees", ["rows_before", "rows_after", "added", "removed", "changed"]].tolist() == [
        12, 12, 1, 1, 1]
    assert counts.loc["milestones", ["rows_before", "rows_after", "removed"]].tolist() == [5, 4, 1]
    assert (changes.trainees_added, changes.trainees_removed) == (["T13"], ["T11"])


def test_the_list_shown_is_capped_and_the_download_holds_every_change(published, tmp_path):
    def edit(source):  # three cells of T01 and one of T02
        for column, value in (("mentor", "Dr. A"), ("research_topic", "B"), ("email", "c@example.edu")):
            set_cell(source, "trainees", "trainee_id", "T01", column, value)
        set_cell(source, "trainees", "trainee_id", "T02", "mentor", "Dr. D")

    after = edited(tmp_path, edit)
    changes = compare.compare(published, after, shown=2)
    assert changes.changes_total == 4 and len(changes.changes) == 2
    # Columns in the contract's order: email comes before mentor and research_topic.
    assert changes.changes[["key", "column"]].values.tolist() == [["T01", "email"], ["T01", "mentor"]]
    full = compare.change_list(published, after)
    assert full[["key", "column", "after"]].values.tolist() == [
        ["T01", "email", "c@example.edu"], ["T01", "mentor", "Dr. A"], ["T01", "research_topic", "B"],
        ["T02", "mentor", "Dr. D"]]
    assert changes.tables.set_index("table").loc["trainees", "changed"] == 2  # rows, not cells


def test_nothing_changed_and_nothing_published(published, tmp_path):
    same = compare.compare(published, published)
    assert same.unchanged and same.changes.empty and same.as_of_note is None
    everything = compare.compare(None, published)
    # Nothing published yet: every row of the fixture is new (3 programs, 4 tracks, 18 applicants, 12 trainees, ...).
    counts = everything.tables.set_index("table")
    assert counts["added"].to_dict() == {"programs": 3, "tracks": 4, "applicants": 18, "trainees": 12,
                                         "appointments": 10, "positions": 10, "milestones": 5}
    assert everything.changes_total == 62 and everything.as_of_note is None


def test_a_moved_as_of_date_is_said_plainly(published, tmp_path):
    later = edited(tmp_path, lambda s: None, as_of=dt.date(2026, 12, 8))
    changes = compare.compare(published, later)
    assert changes.unchanged
    assert changes.as_of_note.startswith("The as-of date would change from 2026-06-30 to 2026-12-08: figures "
                                         "measured against it — years since completion, trainees still enrolled "
                                         "past their program's nominal length")


def test_the_comparison_takes_seconds_on_a_large_source(tmp_path):
    # The sample at scale 10: about 444,000 rows (236,000 applicants). One applicant's is_urm flips.
    source = tmp_path / "large"
    sample.write(sample.generate(scale=10), source)
    before = build(source, tmp_path / "wh", as_of=config.SAMPLE_AS_OF)
    applicants = pd.read_csv(source / "applicants.csv", dtype=str, keep_default_na=False)
    was = applicants.loc[applicants["applicant_id"] == "A000005", "is_urm"].item()
    applicants.loc[applicants["applicant_id"] == "A000005", "is_urm"] = "false" if was == "true" else "true"
    applicants.to_csv(source / "applicants.csv", index=False)
    after = build(source, tmp_path / "wh2", as_of=config.SAMPLE_AS_OF)
    assert before.row_counts["applicants"] > 200_000

    started = time.perf_counter()
    changes = compare.compare(before.snapshot, after.snapshot)
    seconds = time.perf_counter() - started
    assert listed(changes.changes) == [["applicants", "A000005", "changed", "is_urm", was,
                                        "false" if was == "true" else "true"]]
    assert seconds < 10, f"the comparison took {seconds:.1f} s"


def test_data_staff_are_told_a_personal_cell_changed_but_not_what_it_held(published, tmp_path):
    from dashboard import review

    def edit(source):
        set_cell(source, "trainees", "trainee_id", "T01", "email", "ada.private@example.org")
        set_cell(source, "trainees", "trainee_id", "T01", "cohort_year", "2018")  # unchanged: not listed
        set_cell(source, "appointments", "appointment_id", "AP09", "stipend_usd", "65000")

    shown = review.masked(compare.change_list(published, edited(tmp_path, edit)))
    assert sorted(listed(shown)) == [
        ["appointments", "AP09", "changed", "stipend_usd", "59592.00", "65000.00"],
        ["trainees", "T01", "changed", "email", review.HIDDEN, review.HIDDEN],
    ]
    assert "ada.quill@example.edu" not in shown.to_string() and "ada.private" not in shown.to_string()
