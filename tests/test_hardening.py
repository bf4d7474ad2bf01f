"""Hardening: SQL-looking text through every filter (in the address) and the search box changes nothing and finds
nothing it should not (values are bound, never spliced into SQL); Streamlit's XSRF and CORS protections stay on and
errors never show a stack trace."""

from __future__ import annotations

import tomllib

import pytest

from dashboard import roles
from tests.conftest import PROJECT_ROOT, fingerprint, open_page
from tests.test_page_trainees import roster

ATTACKS = {
    "program": "p_phd' OR '1'='1",
    "track": "'); drop table main.trainee_facts; --",
    "from": "2019; delete from main.cohort_sizes",
    "to": "2020 or 1=1",
    "citizenship": "us_citizen' --",
    "gender": '" or ""="',
    "urm": "yes' union select * from main.trainee_directory --",
}


def shown(at) -> list:
    """What a run showed: metrics and tables."""
    return [(m.label, m.value) for m in at.metric] + [d.value.to_csv() for d in at.dataframe]


@pytest.mark.parametrize("page", [p.key for p in roles.pages_for("administrator")])
def test_sql_looking_filter_values_in_the_address_are_ignored_and_change_nothing(small_app, page):
    before = fingerprint(small_app)
    plain = open_page(page)
    attacked = open_page(page, query=ATTACKS)
    assert not attacked.exception, attacked.exception
    # None of these values is one the data offers, so every filter falls back to "all": the page is the plain one.
    assert shown(attacked) == shown(plain)
    assert fingerprint(small_app) == before


@pytest.mark.parametrize("text", ["' OR '1'='1", "%", "_", "x'); drop table main.trainee_facts; --", "\\"])
def test_sql_looking_search_text_is_taken_literally(small_app, text):
    before = fingerprint(small_app)
    at = open_page("trainees")
    at.text_input(key="trainees_search").set_value(text)
    at = at.run()
    assert not at.exception
    assert not at.dataframe or roster(at).empty  # no trainee's name, e-mail, id, mentor or topic holds this text
    assert fingerprint(small_app) == before


def test_a_plain_search_still_finds_by_a_part_of_the_name(small_app):
    at = open_page("trainees")
    at.text_input(key="trainees_search").set_value("QUIL")
    at = at.run()
    assert roster(at)["Trainee ID"].tolist() == ["T01"]  # Ada Quill


def test_xsrf_and_cors_protection_stay_on_and_errors_show_no_stack_trace():
    settings = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = settings.get("server", {})
    assert server.get("enableXsrfProtection", True) is True and server.get("enableCORS", True) is True
    assert settings["client"]["showErrorDetails"] == "none"
    assert server["address"] == "localhost"
