"""The landing page and every page script run without exceptions under Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT, SMALL, build

PAGES = ["app.py", *sorted(str(p.relative_to(PROJECT_ROOT)) for p in (PROJECT_ROOT / "pages").glob("*.py"))]


@pytest.fixture
def small_warehouse(tmp_path, monkeypatch) -> Path:
    warehouse = tmp_path / "wh"
    build(SMALL, warehouse)
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse))
    return warehouse


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(page, small_warehouse):
    at = AppTest.from_file(str(PROJECT_ROOT / page), default_timeout=60).run()
    assert not at.exception, at.exception


def test_landing_page_shows_data_as_of_and_lineage(small_warehouse):
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
    run_id = (small_warehouse / "published.json").read_text().split('"run_id": "')[1].split('"')[0]
    caption = " ".join(c.value for c in at.caption)
    assert "Data as of 2026-06-30" in caption
    assert run_id in caption
    assert not at.warning, "fixture data must not be labelled as sample data"
    assert at.metric[0].label == "Trainees" and at.metric[0].value == "12"


def test_first_start_builds_and_labels_the_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "fresh"))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=180).run()
    assert not at.exception, at.exception
    assert any("Sample data" in w.value for w in at.warning)
    assert (tmp_path / "fresh" / "published.json").is_file()
