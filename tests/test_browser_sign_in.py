"""End to end sign-in: the app with an [auth] section, a real OIDC provider on loopback (oidc-provider-mock, started
here), Chromium. A leadership user and an administrator sign in, get their pages, and sign out."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from dashboard import roles
from tests.conftest import PROJECT_ROOT, SMALL, build
from tests.test_browser import browser, free_port, stop, wait_until_up  # noqa: F401  (browser: a fixture)

USERS = {"lead": "lead@example.edu", "admin": "admin@example.edu"}
ROLES = """
[[grant]]
email = "lead@example.edu"
roles = ["leadership"]

[[grant]]
email = "admin@example.edu"
roles = ["administrator"]
"""


@pytest.fixture(scope="module")
def signed_in_app(tmp_path_factory):
    """The dashboard with sign-in configured against a local OIDC provider; yields the app's base URL."""
    tmp = tmp_path_factory.mktemp("sign_in")
    assert build(SMALL, tmp / "wh").outcome == "published"
    provider_port, app_port = free_port(), free_port()
    provider_log = tmp / "provider.log"
    claims = [arg for sub, email in USERS.items()
              for arg in ("--user-claims", json.dumps({"sub": sub, "email": email}))]
    provider = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(provider_port), *claims],
        stdout=provider_log.open("w"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    wait_until_up(f"http://127.0.0.1:{provider_port}/.well-known/openid-configuration", provider, provider_log)
    secrets = tmp / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{os.urandom(16).hex()}"\n'
        'client_id = "training-program-analytics"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "http://127.0.0.1:{provider_port}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    roles_file = tmp / "roles.toml"
    roles_file.write_text(ROLES, encoding="utf-8")
    app_log = tmp / "streamlit.log"
    env = {**os.environ, "WAREHOUSE_DIR": str(tmp / "wh"), "ROLES_FILE": str(roles_file),
           "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    app = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(app_port), "--server.address",
         "localhost", "--server.headless", "true", "--secrets.files", str(secrets)],
        cwd=PROJECT_ROOT, env=env, stdout=app_log.open("w"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://localhost:{app_port}/_stcore/health", app, app_log)
        yield f"http://localhost:{app_port}"
    finally:
        stop(app)
        stop(provider)


def menu_titles(page) -> list[str]:
    texts = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    return [next((p.title for p in roles.PAGES if t.endswith(p.title)), t) for t in texts]


@pytest.mark.parametrize("user, role", [("lead", "leadership"), ("admin", "administrator")])
def test_a_user_signs_in_sees_the_pages_of_their_role_and_signs_out(browser, signed_in_app, user, role):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(signed_in_app + "/")
        expect(page.get_by_text("sign in with your institution's account")).to_be_visible(timeout=60_000)
        assert page.get_by_text("Data as of").count() == 0
        page.get_by_role("button", name="Sign in").click()
        # The provider's page: pick the predefined user.
        page.get_by_role("button", name=user, exact=True).click(timeout=60_000)
        expect(page.get_by_text("Data as of").first).to_be_visible(timeout=60_000)
        expect(page.get_by_text(f"Signed in as {USERS[user]}")).to_be_visible(timeout=30_000)
        assert menu_titles(page) == [p.title for p in roles.pages_for(role)]
        assert page.locator(".st-key-view_as").count() == 0  # never a role switch when signed in
        page.get_by_role("button", name="Sign out").click()
        # Streamlit ends the session at the provider too (its end-session page), then the app asks to sign in again.
        expect(page.get_by_role("heading", name="End Session")).to_be_visible(timeout=60_000)
        page.goto(signed_in_app + "/")
        expect(page.get_by_text("sign in with your institution's account")).to_be_visible(timeout=60_000)
        assert page.get_by_text("Data as of").count() == 0
    finally:
        context.close()
