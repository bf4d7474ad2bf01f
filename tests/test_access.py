"""Fail closed: without sign-in configured, the dashboard shows data only when served on loopback and reached
directly; started on another address, or reached through a proxy, it says why and reads nothing. A page that fails
shows a plain message, never a stack trace; the error goes to the server's log."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.test_browser import Tab, browser, streamlit_server  # noqa: F401  (browser is a fixture)

REFUSED_WIDE = "listens on the address 0.0.0.0"
REFUSED_PROXY = "came through a proxy"


def published_files(warehouse: Path) -> list[str]:
    """Everything a first start would have written to the warehouse (the sample build, the pointer, the history)."""
    return sorted(str(p.relative_to(warehouse)) for p in warehouse.rglob("*")) if warehouse.exists() else []


def wait_for_text(tab: Tab, text: str) -> str:
    """The main area's text once it contains `text` (or what it held when the wait ran out)."""
    main = tab.page.locator('[data-testid="stMain"]')
    try:
        main.get_by_text(text).first.wait_for(timeout=60_000)
    except Exception:
        pass
    return main.inner_text()


def test_started_on_every_interface_without_sign_in_it_shows_no_data_and_builds_nothing(browser, tmp_path):  # noqa: F811
    with streamlit_server(tmp_path, "administrator", address="0.0.0.0", built=False) as base:
        tab = Tab(browser, base)
        try:
            tab.page.goto(base + "/")
            shown = wait_for_text(tab, REFUSED_WIDE)
        finally:
            tab.close()
    assert REFUSED_WIDE in shown and "configure sign-in" in shown
    assert "Data as of" not in shown and "Sample data" not in shown
    # The first start would have built and published the sample: refused before anything was read or written.
    assert published_files(tmp_path / "wh") == []


@pytest.mark.parametrize("header", ["X-Forwarded-For", "Forwarded"])
def test_reached_through_a_proxy_without_sign_in_it_shows_no_data(browser, tmp_path, header):  # noqa: F811
    with streamlit_server(tmp_path, "administrator") as base:
        tab = Tab(browser, base)
        try:
            value = "203.0.113.9" if header == "X-Forwarded-For" else "for=203.0.113.9"
            tab.context.set_extra_http_headers({header: value})
            tab.page.goto(base + "/")
            shown = wait_for_text(tab, REFUSED_PROXY)
        finally:
            tab.close()
    assert REFUSED_PROXY in shown and header.lower() in shown
    assert "Data as of" not in shown


def test_on_loopback_reached_directly_it_shows_the_data(browser, tmp_path):  # noqa: F811
    with streamlit_server(tmp_path, "administrator") as base:
        tab = Tab(browser, base)
        try:
            tab.open("/")
            shown = tab.page.locator('[data-testid="stMain"]').inner_text()
        finally:
            tab.close()
    assert "Data as of" in shown and REFUSED_PROXY not in shown


def test_a_failing_page_shows_a_plain_message_and_logs_the_error(browser, tmp_path):  # noqa: F811
    with streamlit_server(tmp_path, "administrator") as base:
        # Break the published data under the running server: a copy of the snapshot without the applicants' facts.
        warehouse = tmp_path / "wh"
        pointer = json.loads((warehouse / "published.json").read_text(encoding="utf-8"))
        broken = warehouse / "snapshots" / "broken.duckdb"
        shutil.copyfile(warehouse / pointer["file"], broken)
        os.chmod(broken, 0o644)
        con = duckdb.connect(str(broken))
        con.execute("drop table main.trainee_facts")
        con.close()
        (warehouse / "published.json").write_text(json.dumps({**pointer, "run_id": "broken",
                                                              "file": "snapshots/broken.duckdb"}), encoding="utf-8")
        tab = Tab(browser, base)
        try:
            tab.page.goto(base + "/cohorts")
            box = tab.page.locator('[data-testid="stException"], [data-testid="stAlertContainer"]').filter(
                has_text="error")
            box.first.wait_for(timeout=60_000)
            shown = tab.page.locator('[data-testid="stMain"]').inner_text()
        finally:
            tab.close()
    assert "Traceback" not in shown and 'File "' not in shown and "trainee_facts" not in shown, shown
    assert "Catalog" not in shown and "duckdb" not in shown.lower()
    assert "error message is redacted" in shown  # Streamlit's plain message (client.showErrorDetails = "none")
    log = (tmp_path / "streamlit.log").read_text(encoding="utf-8")
    assert "trainee_facts" in log  # the full error is kept for whoever runs the server
