"""About the data page: the dictionary covers the contract, each mart's own header is shown, the lineage is the
snapshot's, and names never appear."""

from __future__ import annotations

import csv
import hashlib
import json
import re

import pytest
from google.protobuf import text_format

from etl.contract import TABLES
from etl.marts import MARTS
from tests.conftest import PROJECT_ROOT, SMALL, open_page

MARTS_DIR = PROJECT_ROOT / "etl" / "sql" / "marts"
REFERENCE = PROJECT_ROOT / "data" / "reference" / "nrsa_stipend_levels.csv"


def every_string(at) -> str:
    """Everything the page emitted (main area and sidebar), as text: element protos and the values of tables."""
    parts = []

    def walk(node) -> None:
        if node.type == "arrow_data_frame":
            parts.append(node.value.to_csv(index=False))
        elif getattr(node, "proto", None) is not None:
            parts.append(text_format.MessageToString(node.proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return "\n".join(parts)


def tab_text(at, label: str) -> str:
    """The Markdown shown in the data dictionary's tab called label."""
    tab = next(t for t in at.tabs if t.label == label)
    return "\n".join(m.value for m in tab.markdown)


def frame_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def header_comment(path) -> str:
    """A SQL file's leading comment lines, joined into one line (read here, not through the product)."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines)


def test_dictionary_lists_every_table_and_column_with_type_and_allowed_values(small_warehouse):
    at = open_page("about")
    assert not at.exception
    labels = [t.label for t in at.tabs]
    for table in TABLES:
        assert table.name in labels
        text = tab_text(at, table.name)
        for column in table.columns:
            assert f"| `{column.name}` | {column.type} |" in text, (table.name, column.name)
            for value in column.values:
                assert f"`{value}`" in text, (table.name, column.name, value)
    assert "Rules" in labels and "`nrsa_ineligible` | warning" in tab_text(at, "Rules")


def test_dictionary_covers_every_column_of_the_fixture_files(small_warehouse):
    at = open_page("about")
    for path in [*sorted(SMALL.glob("*.csv")), REFERENCE]:
        header = next(csv.reader(path.open(encoding="utf-8")))
        text = tab_text(at, path.stem)
        assert all(f"| `{name}` |" in text for name in header), path.name


def test_every_mart_is_listed_with_its_own_header_comment(small_warehouse):
    at = open_page("about")
    metrics = next(m.value for m in at.markdown if "**trainee_facts**" in m.value).replace("\\$", "$")
    marts = sorted(MARTS_DIR.glob("*.sql"))
    assert [p.stem for p in marts] == sorted(MARTS)  # every mart SQL file is a declared mart, and back
    for path in marts:
        assert f"**{path.stem}** — grain:" in metrics
        definition = header_comment(path)
        assert definition.startswith(f"{path.stem}: ")  # each file opens with its own name...
        assert f"**{path.stem}** — grain:" in metrics and definition.removeprefix(f"{path.stem}: ") in metrics
    # The grain as the spec states it, e.g. cohort_funnel: one row per program and cycle year.
    assert "**cohort_funnel** — grain: `program_id`, `cycle_year`." in metrics


def test_lineage_shows_the_run_the_hashes_and_the_rows_of_the_fixture(small_warehouse):
    at = open_page("about")
    published = json.loads((small_warehouse / "published.json").read_text())
    text = every_string(at)
    assert published["run_id"] in text and "**As of** 2026-06-30" in text
    files = frame_with(at, "SHA-256")
    hashes = dict(zip(files["File"], files["SHA-256"], strict=True))
    expected = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SMALL.glob("*.csv")}
    expected["reference/nrsa_stipend_levels.csv"] = hashlib.sha256(REFERENCE.read_bytes()).hexdigest()
    assert hashes == expected
    rows = frame_with(at, "Rows")
    counted = {p.stem: sum(1 for _ in csv.reader(p.open(encoding="utf-8"))) - 1 for p in SMALL.glob("*.csv")}
    assert counted["trainees"] == 12 and counted["applicants"] == 18  # the fixture as its README describes it
    assert {t: r for t, r in zip(rows["Table"], rows["Rows"], strict=True) if t in counted} == counted


def test_administrators_see_the_warnings_at_load_by_trainee_id(small_warehouse):
    at = open_page("about")
    warnings = frame_with(at, "Rule")
    # The fixture's one warning: AP06 (appointments.csv row 7) is nlm_t15 for T08, who holds a temporary visa.
    assert warnings[["Rule", "File", "Row"]].values.tolist() == [["nrsa_ineligible", "appointments.csv", 7]]
    assert "T08" in warnings["Finding"].iloc[0]
    assert "Warnings at load: 1" in every_string(at)


@pytest.mark.parametrize("role", ["leadership", "data_staff"])
def test_other_roles_see_how_many_warnings_but_not_the_list(small_warehouse, role):
    at = open_page("about", role)
    text = every_string(at)
    assert "T08" not in text and not any("Rule" in d.value.columns for d in at.dataframe)
    assert "Warnings at load: 1" in text


def test_leadership_sees_the_exact_row_counts(small_warehouse):
    at = open_page("about", "leadership")
    rows = frame_with(at, "Rows")
    # programs.csv has 3 rows, tracks.csv 4, trainees.csv 12.
    got = dict(zip(rows["Table"], rows["Rows"], strict=True))
    assert (got["programs"], got["tracks"], got["trainees"]) == (3, 4, 12)


@pytest.mark.parametrize("role", ["administrator", "leadership", "data_staff"])
def test_names_never_appear(small_warehouse, role):
    at = open_page("about", role)
    text = every_string(at)
    with (SMALL / "trainees.csv").open(encoding="utf-8") as f:
        people = list(csv.DictReader(f))
    private = {p[c] for p in people for c in ("given_name", "family_name", "email", "mentor", "research_topic")}
    # Whole words only: the given name "Lea" is in "Leadership", which is not a leak.
    assert not [value for value in private if value and re.search(rf"\b{re.escape(value)}\b", text)]


def test_the_page_ignores_the_shared_filters(small_warehouse):
    at = open_page("about", query={"program": "p_cert", "citizenship": "unknown"})
    assert not at.exception
    assert len(frame_with(at, "SHA-256")) == 8
