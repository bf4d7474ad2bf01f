"""Every page runs for every role without exceptions; the shell shows the data-as-of line and the sample banner."""

from __future__ import annotations

import pytest

from dashboard import roles
from tests.conftest import open_page

MATRIX = [(p.key, r) for p in roles.PAGES for r in roles.ROLES]


@pytest.mark.parametrize(("page", "role"), MATRIX)
def test_every_page_runs_for_every_role(small_app, page, role):
    at = open_page(page, role)
    assert not at.exception, at.exception
    titles = [t.value for t in at.title]
    if roles.can_open(role, page):
        assert titles, "the page rendered no title"
    else:
        assert roles.page(page).title not in titles


def test_shell_shows_data_as_of_and_run_id(small_app):
    at = open_page("cohorts")
    run_id = (small_app / "published.json").read_text().split('"run_id": "')[1].split('"')[0]
    caption = " ".join(c.value for c in at.caption)
    assert "Data as of 2026-06-30" in caption and run_id in caption
    assert not any("Sample data" in w.value for w in at.warning), "fixture data must not be labelled sample"


def test_first_start_builds_and_labels_the_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "fresh"))
    at = open_page("overview", timeout=180)
    assert not at.exception, at.exception
    assert any("Sample data" in w.value for w in at.warning)
    assert (tmp_path / "fresh" / "published.json").is_file()


@pytest.mark.parametrize("page", [p.key for p in roles.PAGES if p.roles != roles.ALL])
def test_a_page_reached_directly_checks_the_role_itself(small_app, page):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import PROJECT_ROOT

    for role in roles.ROLES:
        if roles.can_open(role, page):
            continue
        at = AppTest.from_file(str(PROJECT_ROOT / roles.page(page).path), default_timeout=60)
        at.session_state["view_as"] = role
        at.run()
        assert any("not available" in e.value for e in at.error)
        assert not at.dataframe and not at.get("plotly_chart")
