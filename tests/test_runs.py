"""Findings and runs shaped for the Refresh data page."""

from __future__ import annotations

from dashboard import runs
from etl.findings import finding


def test_findings_errors_first_counted_per_table_and_chosen():
    found = runs.findings([
        finding("nrsa_ineligible", "appointments", "appointments.csv", "visa", row=7),
        finding("not_null", "trainees", "trainees.csv", "missing", row=3, column="start_date"),
        finding("orphan_reference", "trainees", "trainees.csv", "no such program", row=2, column="program_id"),
    ])
    assert found[["severity", "table", "row"]].values.tolist() == [
        ["error", "trainees", 3], ["error", "trainees", 2], ["warning", "appointments", 7]]
    assert runs.per_table(found).values.tolist() == [["appointments", 0, 1], ["trainees", 2, 0]]
    assert runs.chosen(found, ["warning"], None)["table"].tolist() == ["appointments"]
    assert runs.chosen(found, ["error", "warning"], ["trainees"])["row"].tolist() == [3, 2]
    assert runs.chosen(found, [], None).empty


def test_history_rows_read_like_findings_and_runs_list_their_files():
    recorded = [{"rule": "not_null", "severity": "error", "table_name": "trainees", "file": "trainees.csv", "row": 3,
                 "column_name": "start_date", "value": None, "message": "missing", "hint": "Fill in the value."}]
    assert runs.findings(recorded)[["table", "column"]].values.tolist() == [["trainees", "start_date"]]
    listed = runs.listing([{"run_id": "r1", "source_files": [{"name": "a.csv", "sha256": "0123456789abcdef"}],
                            "row_counts": {"a": 2, "b": 3}}])
    assert listed[["files", "rows"]].values.tolist() == [["a.csv (0123456789ab)", 5]]
    assert runs.plural(1, "warning") == "1 warning" and runs.plural(2, "error") == "2 errors"
