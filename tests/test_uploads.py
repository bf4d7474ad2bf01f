"""Uploads from the browser: refused files, the staging area, partial uploads completed from the published
snapshot, the preview that publishes nothing, and the comparison with what is published."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import Workbook

from etl import compare, pipeline, uploads
from etl.__main__ import main as cli
from tests.conftest import MART_KEYS, SMALL, build, copy_source, fingerprint, read_marts


def files_of(folder, names=None) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.csv")) if names is None or p.stem in names]


@pytest.fixture
def warehouse(tmp_path):
    assert build(SMALL, tmp_path / "wh").outcome == "published"
    return tmp_path / "wh"


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ([("notes.txt", b"hello")], "notes.txt: only CSV files (.csv) and Excel workbooks (.xlsx) are accepted"),
        ([("trainees.csv", b"")], "trainees.csv: the file is empty"),
        ([("a/trainees.csv", b"x"), ("b/trainees.csv", b"y")], "trainees.csv: given more than once"),
        ([], "no file was given"),
        # Checked by content, not name: a renamed PDF or program is no CSV, a CSV renamed .xlsx no workbook.
        ([("trainees.csv", b"%PDF-1.7 ...")], "trainees.csv: its content is binary, not a CSV text file, whatever "
                                              "its name says"),
        ([("trainees.csv", b"MZ\x90\x00\x03")], "trainees.csv: its content is binary, not a CSV text file, whatever "
                                                 "its name says"),
        ([("trainees.csv", b"trainee_id\x00,x\n")], "trainees.csv: its content is binary, not a CSV text file, "
                                                    "whatever its name says"),
        ([("source.xlsx", b"trainee_id,program_id\n")], "source.xlsx: its content is not an Excel workbook, "
                                                        "whatever its name says"),
    ],
)
def test_files_that_cannot_be_staged_are_refused_with_the_reason(warehouse, files, reason):
    before = fingerprint(warehouse)
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.stage(files, warehouse)
    assert reason in refused.value.reasons
    assert not (warehouse / "uploads").exists() or not any((warehouse / "uploads").iterdir())
    assert fingerprint(warehouse) == before


def test_a_file_over_the_size_limit_is_refused(warehouse):
    data = b"x" * (2 * 1024 * 1024 + 1)
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.stage([("trainees.csv", data)], warehouse, limit_mb=2)
    assert refused.value.reasons == ["trainees.csv: 2.0 MB is over the 2 MB limit"]


def test_a_full_upload_is_staged_by_run_id_and_takes_nothing_from_the_published_snapshot(warehouse):
    upload = uploads.stage(files_of(SMALL), warehouse)
    assert upload.folder == warehouse / "uploads" / upload.run_id
    assert sorted(p.name for p in upload.source.iterdir()) == sorted(p.name for p in SMALL.glob("*.csv"))
    assert upload.from_published == [] and len(upload.tables_given) == 7
    assert uploads.read(upload.run_id, warehouse) == upload


def test_a_partial_upload_takes_the_other_tables_from_the_published_snapshot(warehouse, tmp_path):
    source = copy_source(tmp_path)
    appointments = pd.read_csv(source / "appointments.csv", dtype=str, keep_default_na=False)
    appointments.loc[appointments["appointment_id"] == "AP09", "stipend_usd"] = "60000"  # was 59592
    appointments.to_csv(source / "appointments.csv", index=False)
    published_before = pipeline.published(warehouse)

    upload = uploads.stage(files_of(source, {"appointments"}), warehouse)
    assert upload.tables_given == ["appointments"]
    assert upload.published_run == published_before.run_id
    assert sorted(upload.from_published) == sorted(["programs", "tracks", "applicants", "trainees", "positions",
                                                    "milestones"])
    preview = pipeline.preview(upload.source, upload.candidate, run_id=upload.run_id)
    assert preview.outcome == "previewed", [str(f) for f in preview.findings]
    changes = compare.compare(published_before.path, upload.candidate)
    by_table = changes.tables.set_index("table")
    assert by_table.loc["appointments", ["added", "removed", "changed"]].tolist() == [0, 0, 1]
    assert by_table.drop(index="appointments")[["added", "removed", "changed"]].to_numpy().sum() == 0
    stipends = changes.headline.set_index("figure").loc["Stipend dollars"]
    assert stipends["change"] == 60000 - 59592

    # Published from the staged folder, every mart but the funding ones equals the original build's.
    result = build(upload.source, warehouse)
    assert result.outcome == "published"
    got, original = read_marts(result.snapshot), read_marts(published_before.path)
    for name, keys in MART_KEYS.items():
        if name in ("appointment_facts", "stipend_funding", "stipend_vs_nrsa"):
            continue
        pd.testing.assert_frame_equal(
            got[name].sort_values(list(keys)).reset_index(drop=True),
            original[name].sort_values(list(keys)).reset_index(drop=True),
        )


def test_a_workbook_with_one_sheet_is_a_partial_upload(warehouse):
    book = Workbook()
    sheet = book.active
    sheet.title = "Milestones"
    frame = pd.read_csv(SMALL / "milestones.csv", dtype=str, keep_default_na=False)
    sheet.append(list(frame.columns))
    for record in frame.itertuples(index=False):
        sheet.append([v or None for v in record])
    book.create_sheet("README").append(["notes for people"])
    data = io.BytesIO()
    book.save(data)
    upload = uploads.stage([("update.xlsx", data.getvalue())], warehouse)
    assert upload.tables_given == ["milestones"] and "milestones" not in upload.from_published
    preview = pipeline.preview(upload.source, upload.candidate, run_id=upload.run_id)
    assert preview.outcome == "previewed", [str(f) for f in preview.findings]
    assert compare.compare(pipeline.published(warehouse).path, upload.candidate).unchanged


def test_a_preview_with_errors_builds_nothing_and_changes_nothing(warehouse, tmp_path):
    source = copy_source(tmp_path)
    trainees = (source / "trainees.csv").read_text(encoding="utf-8")
    (source / "trainees.csv").write_text(trainees.replace("T01,A01,p_phd", "T01,A01,p_nope", 1), encoding="utf-8")
    before = fingerprint(warehouse)
    upload = uploads.stage(files_of(source), warehouse)
    preview = pipeline.preview(upload.source, upload.candidate, run_id=upload.run_id)
    assert preview.outcome == "failed" and not upload.candidate.exists()
    errors = [f for f in preview.findings if f.severity == "error"]
    # p_nope is no program: the orphan reference is named with its file and row (the header is row 1).
    assert ("orphan_reference", "trainees.csv", 2) in {(f.rule, f.file, f.row) for f in errors}
    assert fingerprint(warehouse) == before


def test_the_comparison_counts_added_removed_and_changed_rows_by_key(warehouse, tmp_path):
    source = copy_source(tmp_path)
    trainees = pd.read_csv(source / "trainees.csv", dtype=str, keep_default_na=False)
    trainees = trainees[trainees["trainee_id"] != "T11"]  # T11: cohort 2021, p_cert, active
    trainees.loc[trainees["trainee_id"] == "T01", "mentor"] = "Dr. Someone Else"
    trainees.to_csv(source / "trainees.csv", index=False)
    result = build(source, tmp_path / "other")
    changes = compare.compare(pipeline.published(warehouse).path, result.snapshot)
    row = changes.tables.set_index("table").loc["trainees"]
    assert row[["rows_before", "rows_after", "added", "removed", "changed"]].tolist() == [12, 11, 0, 1, 1]
    assert (changes.trainees_added, changes.trainees_removed) == ([], ["T11"])
    figures = changes.headline.set_index("figure")
    assert figures.loc["Trainees", ["before", "after"]].tolist() == [12, 11]
    assert figures.loc["Entrants", "change"] == -1 and figures.loc["Graduates", "change"] == 0


def test_cli_check_publishes_nothing_and_says_so_by_exit_code(warehouse, tmp_path, capsys):
    before = fingerprint(warehouse)
    assert cli(["check", "--source", str(SMALL), "--warehouse", str(warehouse)]) == 0
    source = copy_source(tmp_path)
    (source / "programs.csv").unlink()
    assert cli(["check", "--source", str(source), "--warehouse", str(warehouse)]) == 1
    assert "table_missing" in capsys.readouterr().err
    assert fingerprint(warehouse) == before
