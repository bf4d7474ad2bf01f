"""NIH Table 6 from the warehouse: applicants and entrants per program and cycle year, 6A predoctoral and 6B
postdoctoral, with five-year means; written to XLSX by `python -m reports nih-tables`."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import PROJECT_ROOT

# By hand from tests/fixtures/small/applicants.csv, cycle years 2017-2021 (the latest cycle on file is 2021).
# p_phd 2018: A01-A06 = 6 applicants; eligible A01 A03 A04 A06 = 4 (A02 visa, A05 unknown); entrants A01 A02 A03 = 3,
#   eligible A01 A03 = 2. 2019: A07-A10 = 4; eligible A07 A08 A09 = 3; entrants A07 A08 A09 = 3, all eligible.
# p_post 2020: A11-A14 = 4; eligible A11 A13 A14 = 3; entrants A11 A12 A13 = 3, eligible A11 A13 = 2.
#   2021: A15 A16 = 2; eligible A15 = 1; entrant A15 = 1, eligible 1. p_cert (a certificate) is in neither table.
TABLE_6A = [
    ["Test PhD Program", "2017", 0, 0, 0, 0],
    ["Test PhD Program", "2018", 6, 4, 3, 2],
    ["Test PhD Program", "2019", 4, 3, 3, 3],
    ["Test PhD Program", "2020", 0, 0, 0, 0],
    ["Test PhD Program", "2021", 0, 0, 0, 0],
    ["Test PhD Program", "Five-year mean", 10 / 5, 7 / 5, 6 / 5, 5 / 5],
]
TABLE_6B = [
    ["Test Informatics Fellowship", "2017", 0, 0, 0, 0],
    ["Test Informatics Fellowship", "2018", 0, 0, 0, 0],
    ["Test Informatics Fellowship", "2019", 0, 0, 0, 0],
    ["Test Informatics Fellowship", "2020", 4, 3, 3, 2],
    ["Test Informatics Fellowship", "2021", 2, 1, 1, 1],
    ["Test Informatics Fellowship", "Five-year mean", 6 / 5, 4 / 5, 4 / 5, 3 / 5],
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
    assert list(sheets) == ["Table 6A", "Table 6B"]
    assert list(sheets["Table 6A"].columns) == ["Program", "Year", "Total applicant pool",
                                                "Applicants eligible for support", "New entrants",
                                                "New entrants eligible for support"]
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
    assert phd == [["Test PhD Program", "2018", 6, 4, 3, 2], ["Test PhD Program", "2019", 4, 3, 3, 3],
                   ["Test PhD Program", "2-year mean", 5, 3.5, 3, 2.5]]


def test_with_nothing_published_the_cli_says_so_and_exits_4(tmp_path):
    done = run_cli("nih-tables", "--out", str(tmp_path / "nih.xlsx"), warehouse=tmp_path / "empty")
    assert done.returncode == 4 and "nothing is published" in done.stderr
    assert not (tmp_path / "nih.xlsx").exists()
