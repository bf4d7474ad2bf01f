"""NIH training tables from the warehouse, written to XLSX by `python -m reports nih-tables`: Table 6 (applicants and
entrants per program and cycle year, with five-year means) and Table 8 (Part I, the grant's trainees with their support
by training year, degrees and positions; Part III, completion of grant-supported entrants), predoctoral (A) and
postdoctoral (B) apart."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import PROJECT_ROOT, build, copy_source

# By hand from tests/fixtures/small/applicants.csv, cycle years 2017-2021 (the latest cycle on file is 2021).
# p_phd 2018: A01-A06 = 6 applicants; eligible A01 A03 A04 A06 = 4 (A02 visa, A05 unknown); entrants A01 A02 A03 = 3,
#   eligible A01 A03 = 2. 2019: A07-A10 = 4; eligible A07 A08 A09 = 3; entrants A07 A08 A09 = 3, all eligible.
# p_post 2020: A11-A14 = 4; eligible A11 A13 A14 = 3; entrants A11 A12 A13 = 3, eligible A11 A13 = 2.
#   2021: A15 A16 = 2; eligible A15 = 1; entrant A15 = 1, eligible 1. p_cert (a certificate) is in neither table.
# New appointees to the grant (first nlm_t15 appointment in the academic year): p_phd none; p_post T07 and T08 from
#   2020-07-01 (2020), T09 from 2021-07-01 (2021).
TABLE_6A = [
    ["Test PhD Program", "2017", 0, 0, 0, 0, 0],
    ["Test PhD Program", "2018", 6, 4, 3, 2, 0],
    ["Test PhD Program", "2019", 4, 3, 3, 3, 0],
    ["Test PhD Program", "2020", 0, 0, 0, 0, 0],
    ["Test PhD Program", "2021", 0, 0, 0, 0, 0],
    ["Test PhD Program", "Five-year mean", 10 / 5, 7 / 5, 6 / 5, 5 / 5, 0],
]
TABLE_6B = [
    ["Test Informatics Fellowship", "2017", 0, 0, 0, 0, 0],
    ["Test Informatics Fellowship", "2018", 0, 0, 0, 0, 0],
    ["Test Informatics Fellowship", "2019", 0, 0, 0, 0, 0],
    ["Test Informatics Fellowship", "2020", 4, 3, 3, 2, 2],
    ["Test Informatics Fellowship", "2021", 2, 1, 1, 1, 1],
    ["Test Informatics Fellowship", "Five-year mean", 6 / 5, 4 / 5, 4 / 5, 3 / 5, 3 / 5],
]


def run_cli(*args: str, warehouse) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reports", *args, "--warehouse", str(warehouse)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)


def test_the_cli_writes_table_6a_and_6b_as_worked_out_by_hand(small_snapshot, tmp_path):
    warehouse = small_snapshot.parent.parent
    out = tmp_path / "nih.xlsx"
    done = run_cli("nih-tables", "--out", str(out), warehouse=warehouse)
    assert done.returncode == 0, done.stderr
    sheets = pd.read_excel(out, sheet_name=None, dtype={"Year": str})
    assert list(sheets) == ["Table 6A", "Table 6B", "Table 8A Part I", "Table 8B Part I", "Table 8A Part III",
                            "Table 8B Part III"]
    assert "trainee names" in done.stderr
    assert list(sheets["Table 6A"].columns) == ["Program", "Year", "Total applicant pool",
                                                "Applicants eligible for support", "New entrants",
                                                "New entrants eligible for support", "New appointees to the grant"]
    for name, expected in (("Table 6A", TABLE_6A), ("Table 6B", TABLE_6B)):
        got = sheets[name].values.tolist()
        assert [row[:2] for row in got] == [row[:2] for row in expected], name
        assert [row[2:] for row in got] == [pytest.approx(row[2:]) for row in expected], name


def test_years_and_the_last_year_can_be_chosen(small_snapshot, tmp_path):
    out = tmp_path / "nih.xlsx"
    done = run_cli("nih-tables", "--out", str(out), "--years", "2", "--through", "2019",
                   warehouse=small_snapshot.parent.parent)
    assert done.returncode == 0, done.stderr
    phd = pd.read_excel(out, sheet_name="Table 6A", dtype={"Year": str}).values.tolist()
    assert phd == [["Test PhD Program", "2018", 6, 4, 3, 2, 0], ["Test PhD Program", "2019", 4, 3, 3, 3, 0],
                   ["Test PhD Program", "2-year mean", 5, 3.5, 3, 2.5, 0]]


def test_with_nothing_published_the_cli_says_so_and_exits_4(tmp_path):
    done = run_cli("nih-tables", "--out", str(tmp_path / "nih.xlsx"), warehouse=tmp_path / "empty")
    assert done.returncode == 4 and "nothing is published" in done.stderr
    assert not (tmp_path / "nih.xlsx").exists()


# Table 8B Part I by hand from tests/fixtures/small: the postdoctoral trainees with an nlm_t15 appointment, all first
# appointed in academic years 2020-2021 (inside the default 15 years through 2021), by grant start then name.
# T08 Hal Ibsen: AP06 nlm_t15 from 2020-07-01 (TY1, the first twelve months from his start 2020-07-01) = T; AP07
#   self_funded from 2021-07-01 (TY2) = O. Degrees: MD;PhD at entry, MMSc to 2023-06-30. Initial position P08
#   Consultant (ended 2024); no current one.
# T07 Gia Ruiz: AP04 2020-07-01 T, AP05 2021-07-01 T. MD; MMSc 2022. P07 is both initial and current.
# T09 Ivo Janssen: AP08 2021-07-01 T, AP09 2022-07-01 T (start 2021-07-01). MD; active. P10 initial and current.
TABLE_8B_PART_I = [
    ["Ibsen, Hal", "Dr. Sam Petrov", "07/2020", "T", "O", "MD, PhD; MMSc 2023", "Variant calling pipelines",
     "Consultant, Beacon Consulting", None],
    ["Ruiz, Gia", "Dr. Sam Petrov", "07/2020", "T", "T", "MD; MMSc 2022", "Sepsis alerts in the ED",
     "Chief Medical Information Officer, Test Hospital", "Chief Medical Information Officer, Test Hospital"],
    ["Janssen, Ivo", "Dr. Sam Petrov", "07/2021", "T", "T", "MD; In training", "Clinical decision support",
     "Attending Physician, Test Hospital", "Attending Physician, Test Hospital"],
]
PART_I_COLUMNS = ["Trainee", "Faculty mentor(s)", "Start date (MM/YYYY)", "TY1", "TY2", "Terminal degree(s) and year",
                  "Research topic", "Initial position", "Current position"]


def rows(frame: pd.DataFrame) -> list[list]:
    """Sheet rows with empty cells as None."""
    return [[None if pd.isna(v) else v for v in row] for row in frame.astype(object).values.tolist()]


def test_table_8_part_i_lists_the_grant_trainees_with_support_by_training_year(small_snapshot, tmp_path):
    out = tmp_path / "nih.xlsx"
    done = run_cli("nih-tables", "--out", str(out), warehouse=small_snapshot.parent.parent)
    assert done.returncode == 0, done.stderr
    part1 = pd.read_excel(out, sheet_name="Table 8B Part I", dtype=str)
    assert list(part1.columns) == PART_I_COLUMNS
    assert rows(part1) == TABLE_8B_PART_I
    # No predoctoral trainee of the fixture was ever on the T15: 8A has its header only.
    assert pd.read_excel(out, sheet_name="Table 8A Part I").empty


def test_table_8_part_iii_gives_completion_and_time_to_degree_of_grant_supported_entrants(small_snapshot, tmp_path):
    out = tmp_path / "nih.xlsx"
    assert run_cli("nih-tables", "--out", str(out), warehouse=small_snapshot.parent.parent).returncode == 0
    part3 = pd.read_excel(out, sheet_name="Table 8B Part III")
    # T07 (2020-07-01 to 2022-06-30: 729 days) and T08 (to 2023-06-30: 1,094 days) completed; T09 is in training.
    assert rows(part3) == [["Test Informatics Fellowship", 3, 2, 1, 0, round(2 / 3 * 100, 1),
                            round((729 + 1094) / 2 / 365.25, 1)]]
    assert pd.read_excel(out, sheet_name="Table 8A Part III").empty


def test_a_predoctoral_grant_trainee_gets_codes_per_training_year_with_gaps_and_two_sources(tmp_path):
    # T01 (PhD, started 2018-09-01) moves to the T15 in her third year: TY3 holds two appointments (T15 and
    # institutional), TY4 none, TY5 a fellowship. Her RT years (AP01, AP02: the T32) come first.
    source = copy_source(tmp_path)
    with (source / "appointments.csv").open("a", encoding="utf-8") as f:
        f.write("AX1,T01,2021,nlm_t15,T15LM000001,2020-09-01,2021-02-28,20000,5000,1000,0,\n")
        f.write("AX2,T01,2021,institutional,,2021-03-01,2021-08-31,15000,0,0,0,\n")
        f.write("AX3,T01,2023,external_fellowship,,2022-09-01,2023-05-31,30000,0,0,0,\n")
    warehouse = tmp_path / "wh"
    assert build(source, warehouse).outcome == "published"
    out = tmp_path / "nih.xlsx"
    done = run_cli("nih-tables", "--out", str(out), warehouse=warehouse)
    assert done.returncode == 0, done.stderr
    part1 = pd.read_excel(out, sheet_name="Table 8A Part I", dtype=str)
    assert list(part1.columns) == [*PART_I_COLUMNS[:3], "TY1", "TY2", "TY3", "TY4", "TY5", *PART_I_COLUMNS[5:]]
    assert rows(part1) == [["Quill, Ada", "Dr. Vera Lind", "09/2020", "RT", "RT", "T/I", None, "F",
                            "BS; PhD 2023", "Photoacoustic imaging of vessels", "Postdoctoral Fellow, Test University",
                            "Assistant Professor, Test University"]]
    # Part III: T01 entered in 2018 (within 2012-2021), completed in 2023-05-31 after 1,733 days.
    part3 = pd.read_excel(out, sheet_name="Table 8A Part III")
    assert rows(part3) == [["Test PhD Program", 1, 1, 0, 0, 100.0, round(1733 / 365.25, 1)]]


def test_the_part_i_window_counts_academic_years_of_the_first_grant_appointment(small_snapshot, tmp_path):
    out = tmp_path / "nih.xlsx"
    done = run_cli("nih-tables", "--out", str(out), "--through", "2020", "--window", "1",
                   warehouse=small_snapshot.parent.parent)
    assert done.returncode == 0, done.stderr
    # Academic year 2020 (July 2020 - June 2021): T08 and T07; T09's first appointment is in 2021.
    assert pd.read_excel(out, sheet_name="Table 8B Part I")["Trainee"].tolist() == ["Ibsen, Hal", "Ruiz, Gia"]


def test_without_names_the_workbook_leaves_part_i_out(small_snapshot, tmp_path):
    out = tmp_path / "nih.xlsx"
    done = run_cli("nih-tables", "--out", str(out), "--no-names", warehouse=small_snapshot.parent.parent)
    assert done.returncode == 0, done.stderr
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["Table 6A", "Table 6B", "Table 8A Part III", "Table 8B Part III"]
    for frame in sheets.values():
        assert not frame.astype(str).apply(lambda c: c.str.contains("Ibsen|Ruiz|Janssen|Quill")).any().any()
