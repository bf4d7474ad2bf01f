"""Real-browser tests: `streamlit run app.py` on a loopback port, Debian's Chromium driven by Playwright.

Every page opens for every role without an exception box and with its charts drawn; a shared link with filters
reopens that view; a CSV download holds exactly the rows shown; nothing is fetched from beyond this machine.
Screenshots of every page and role go to tests/artifacts/ (not committed)."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dashboard import roles
from reliability.browser import (  # noqa: F401
    CHROMIUM,
    CHROMIUM_ARGS,
    RUN_WATCH,
    SETTLED,
    STATE,
    free_port,
    serve,
    stop,
    wait_until_up,
)
from tests.conftest import PROJECT_ROOT, SMALL, build

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the test fails with a clear message below rather than at collection
    sync_playwright = None

SERVER_ROLE = "administrator"  # the server's LOCAL_ROLE; other roles are chosen with the "View as" switch
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Pages that draw at least one chart on the full fixture (the others may draw none).
CHART_PAGES = {"overview", "cohorts", "tracks", "careers", "funding", "completion"}
VIEWPORT = {"width": 1400, "height": 1000}

CHARTS_DRAWN = """
() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .every(chart => chart.querySelector('.js-plotly-plot svg.main-svg'))
"""
TRACES = """
(key) => {
  const plot = document.querySelector(`.st-key-${key} .js-plotly-plot`);
  return plot && plot._fullData && {traces: plot._fullData.map(t => ({name: t.name, x: Array.from(t.x),
                                                                      y: Array.from(t.y)}))};
}
"""


@contextlib.contextmanager
def streamlit_server(tmp: Path, role: str, address: str = "127.0.0.1", built: bool = True):
    """`streamlit run app.py` on a free port of `address` against a warehouse built from the small fixture (or, with
    built=False, an empty warehouse folder). The tests reach it on 127.0.0.1 either way."""
    if built:
        assert build(SMALL, tmp / "wh").outcome == "published"
    with serve(tmp / "wh", role, tmp / "streamlit.log", address) as (base, _):
        yield base


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on the small fixture, read by every test but the refresh one (which changes its warehouse)."""
    with streamlit_server(tmp_path_factory.mktemp("browser"), SERVER_ROLE) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, launched by Playwright (which never downloads a browser of its own here)."""
    if sync_playwright is None:
        pytest.fail("The playwright package is missing: python -m pip install -r requirements-dev.txt")
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install Debian's chromium "
                    "(apt-get update && apt-get install -y chromium), as .ci/run does.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Tab:
    """A browser tab on the app that records every request it makes beyond this machine."""

    def __init__(self, browser, base: str, color_scheme: str = "light"):
        self.base = base
        self.context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, color_scheme=color_scheme)
        self.context.add_init_script(RUN_WATCH)
        self.external: list[str] = []
        self.context.on("request", self._record)
        self.page = self.context.new_page()

    def _record(self, request) -> None:
        url = urlsplit(request.url)
        if url.scheme not in ("data", "blob") and url.hostname not in LOOPBACK:
            self.external.append(request.url)

    def runs(self) -> list:
        """This document's id, how many script runs it has seen finish, and the time now (ms since it opened)."""
        return self.page.evaluate(
            "window.__runs ? [window.__runs.document, window.__runs.finished, performance.now()] : [null, 0, 0]")

    def settle(self, after: list) -> None:
        """Wait until a script run newer than `after` (from runs()) has finished and the charts are drawn."""
        try:
            # Generous limits: a wait ends as soon as its condition holds, and CI's two cores are shared by two workers,
            # each with a Streamlit server and a Chromium.
            self.page.wait_for_function(SETTLED, arg=after, timeout=60_000)
            self.page.get_by_text("Data as of").first.wait_for(timeout=30_000)
            self.page.wait_for_function(CHARTS_DRAWN, timeout=40_000)
        except Exception as error:
            self.screenshot("failed-to-settle")
            state = self.page.evaluate(STATE)
            raise AssertionError(f"the app did not settle at {self.page.url}: {state}") from error

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.settle([None, 0, 0])

    def act(self, action) -> None:
        """Do something that reruns the script (click, select) and wait for the new run to finish."""
        before = self.runs()
        try:
            action()
        except Exception:
            self.screenshot("failed-action")
            raise
        # Quiet is counted from the end of the action (opening a list and picking from it may take seconds).
        self.settle([*before[:2], self.page.evaluate("performance.now()")])

    def go(self, key: str) -> None:
        """Open the page with this key through the sidebar menu, keeping the session (and so the role)."""
        title = roles.page(key).title  # by title: the default page's link is the bare root, not /<key>
        link = self.page.locator('[data-testid="stSidebarNav"] a').filter(has_text=re.compile(rf"{re.escape(title)}$"))
        for _ in range(3):  # a click landing as a run ends may be dropped: the menu then still marks the old page
            self.act(link.click)
            if self.active() == title:
                return
        raise AssertionError(f"the menu did not open {key}: it marks {self.active()!r}; runs {self.history()}")

    def active(self) -> str:
        """The title of the page the sidebar menu marks as open."""
        text = self.page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]').inner_text()
        return next((p.title for p in roles.PAGES if text.endswith(p.title)), text)  # after the icon's name

    def choose(self, key: str, option: str) -> None:
        """Pick an option of the selectbox with this widget key."""
        box = self.page.locator(f".st-key-{key} [role=combobox]")
        choice = self.page.get_by_role("option", name=option, exact=True)
        for _ in range(3):  # a click landing during a rerun may not open the list; try again
            box.click()
            try:
                choice.wait_for(timeout=5_000)
                break
            except Exception:
                self.page.keyboard.press("Escape")
        choice.click()

    def history(self) -> str:
        """The script-run states this tab saw (ms since it opened), for failure messages."""
        return str(self.page.evaluate("window.__runs ? window.__runs.log : []"))

    def screenshot(self, name: str) -> None:
        """The whole page: the viewport is stretched to the main area's height for the picture."""
        height = self.page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        self.page.set_viewport_size({"width": VIEWPORT["width"], "height": min(max(height, VIEWPORT["height"]), 8000)})
        self.page.wait_for_timeout(150)
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=ARTIFACTS / f"{name}.png")
        self.page.set_viewport_size(VIEWPORT)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser, server):
    opened = Tab(browser, server)
    yield opened
    opened.close()


def grid_rows(table) -> list[list[str]]:
    """The cells of an st.dataframe, read from the grid's accessible table (header row first)."""
    expect(table.locator("table[role=grid] tr").nth(1)).to_be_attached(timeout=20_000)  # drawn after the run ends
    return [row.locator("th, td").all_inner_texts() for row in table.locator("table[role=grid] tr").all()]


def check_page(tab: Tab, key: str, role: str) -> None:
    page = tab.page
    active = tab.active()
    assert active == roles.page(key).title, f"{key} as {role}: the menu marks {active!r} ({page.url})"
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{key} as {role}: {exceptions.first.inner_text()[:2000]}"
    if key in CHART_PAGES:  # plotly's code loads lazily: its first chart may come a moment after the run ends
        try:
            page.locator(".js-plotly-plot svg.main-svg").first.wait_for(timeout=20_000)
        except Exception:
            pass  # the assertion below says what is missing
    tab.screenshot(f"{role}-{key}")
    charts = page.locator('[data-testid="stPlotlyChart"]').count()
    if key in CHART_PAGES:
        assert charts > 0, f"{key} as {role}: no chart; runs {tab.history()}"
    assert page.locator(".js-plotly-plot svg.main-svg").count() >= charts


@pytest.mark.parametrize("role", roles.ROLES)
def test_every_page_opens_for_each_role_with_its_charts_and_no_error(tab, role):
    specs = roles.pages_for(role)
    tab.open("/")  # the first page is served at the root (its own path would show "Page not found")
    if role != SERVER_ROLE:
        tab.act(lambda: tab.choose("view_as", roles.ROLE_LABELS[role]))
    menu = tab.page.locator('[data-testid="stSidebarNav"] a')  # each link reads "<icon name><title>"
    expect(menu).to_have_text([re.compile(f"{re.escape(spec.title)}$") for spec in specs], timeout=30_000)
    for number, spec in enumerate(specs):
        if number:  # the first page is open already; the others through the menu, keeping the session's role
            tab.go(spec.key)
        check_page(tab, spec.key, role)
        # Still in the same session: the role chosen above holds on every page.
        expect(tab.page.locator(".st-key-view_as input")).to_have_value(roles.ROLE_LABELS[role])
    assert not tab.external, f"requests beyond this machine: {sorted(set(tab.external))}"


def test_a_shared_link_with_filters_reopens_that_view(tab):
    tab.open("/cohorts?program=p_phd&from=2019")
    page = tab.page
    expect(page.locator(".st-key-f_programs")).to_contain_text("Test PhD Program", timeout=20_000)
    expect(page.locator(".st-key-f_from input")).to_have_value("2019", timeout=20_000)
    expect(page.locator(".st-key-f_to input")).to_have_value("2021")
    assert "program=p_phd" in page.url and "from=2019" in page.url
    # Charts load in any order: find the one by its key.
    page.wait_for_function(f"({TRACES})('entrants_chart') !== null", timeout=20_000)
    chart = page.evaluate(TRACES, "entrants_chart")
    # trainees.csv, p_phd from cohort 2019: T04 and T05 in Imaging, T06 in Devices: 3 entrants of the PhD program.
    charted: dict = {}
    for trace in chart["traces"]:
        for x, y in zip(trace["x"], trace["y"], strict=True):
            charted[(trace["name"], int(x))] = charted.get((trace["name"], int(x)), 0) + int(y)
    assert charted == {("Test PhD Program", 2019): 3}
    expect(page.get_by_text("Test PhD Program; cohorts 2019–2021").first).to_be_visible()
    assert not tab.external, f"requests beyond this machine: {sorted(set(tab.external))}"


def test_choosing_a_program_tab_draws_that_programs_charts(tab):
    tab.open("/tracks")
    page = tab.page
    page.wait_for_function(f"({TRACES})('tracks_p_cert_chart') !== null", timeout=20_000)  # the first tab, open
    choice = page.locator(".st-key-tracks_program").get_by_role("radio", name="Test Informatics Fellowship")
    tab.act(lambda: choice.click())
    expect(choice).to_have_attribute("aria-checked", "true")
    page.wait_for_function(f"({TRACES})('tracks_p_post_chart') !== null", timeout=20_000)
    chart = page.evaluate(TRACES, "tracks_p_post_chart")
    # p_post: 2020 T07 T12 Clinical Informatics, T08 Bioinformatics; 2021 T09 Clinical Informatics.
    charted = {(t["name"], int(x)): int(y) for t in chart["traces"] for x, y in zip(t["x"], t["y"], strict=True)}
    assert charted == {("Clinical Informatics", 2020): 2, ("Bioinformatics", 2020): 1,
                       ("Clinical Informatics", 2021): 1}
    assert page.evaluate(TRACES, "tracks_p_cert_chart") is None  # the closed tab's charts are gone
    assert not tab.external, f"requests beyond this machine: {sorted(set(tab.external))}"


def test_a_csv_download_holds_exactly_the_rows_shown(tab):
    tab.open("/cohorts?program=p_post")
    page = tab.page
    tab.act(lambda: page.locator(".st-key-entrants_show label").click())
    shown = grid_rows(page.locator('[data-testid="stDataFrame"]').first)
    with page.expect_download(timeout=20_000) as download:
        page.locator(".st-key-entrants_csv button").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows == shown
    # p_post: 2020 T07 T12 Clinical Informatics, T08 Bioinformatics; 2021 T09 Clinical Informatics.
    entrants = {(r[0], r[2]): r[3] for r in rows[1:]}
    assert entrants == {("2020", "Clinical Informatics"): "2", ("2020", "Bioinformatics"): "1",
                        ("2021", "Clinical Informatics"): "1"}
    assert not tab.external, f"requests beyond this machine: {sorted(set(tab.external))}"


def test_an_xlsx_download_opens_on_a_sheet_naming_the_filters_the_as_of_date_and_the_run(tab):
    from openpyxl import load_workbook

    tab.open("/cohorts?program=p_post")
    header = tab.page.locator('[data-testid="stCaptionContainer"]').filter(has_text="Data as of").first.inner_text()
    run_id = header.rsplit("run ", 1)[1].strip()
    with tab.page.expect_download(timeout=20_000) as download:
        tab.page.locator(".st-key-entrants_xlsx button").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames == ["About", "entrants"]
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Figure"] == "Entrants per cohort year, by program"
    assert about["Population (filters)"] == "Test Informatics Fellowship; cohorts 2018–2021"
    assert (about["Data as of"], about["Published run"]) == ("2026-06-30", run_id)
    assert about["Viewed as"] == "Administrator" and about["Downloaded at"].endswith("UTC")
    # The rows: p_post's three (cohort year, program, track) groups, the counts as numbers.
    rows = list(book["entrants"].iter_rows(min_row=2, values_only=True))
    assert sorted((r[0], r[2], r[3]) for r in rows) == [(2020, "Bioinformatics", 1), (2020, "Clinical Informatics", 2),
                                                       (2021, "Clinical Informatics", 1)]


def test_a_roster_download_is_recorded_in_the_access_log(tab):
    tab.open("/")
    tab.go("trainees")
    page = tab.page
    with page.expect_download(timeout=30_000) as download:
        page.locator(".st-key-trainees_csv button").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1 + 12  # the header and the fixture's twelve trainees
    # One trainee's appointments: T01 has AP01 and AP02.
    tab.act(lambda: tab.choose("trainees_open", "Ada Quill (T01)"))
    with page.expect_download(timeout=30_000) as download:
        page.locator(".st-key-trainees_appointments_csv button").click()
    assert len(list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))) == 1 + 2
    tab.go("about")
    page.get_by_text("Access log").first.scroll_into_view_if_needed()
    log = grid_rows(page.locator('[data-testid="stDataFrame"]').last)  # the page's last table
    assert log[0][:3] == ["When", "Who", "What"]
    recorded = [row[1:4] for row in log[1:]]
    assert ["local administrator", "download", "trainees.csv (12 trainees)"] in recorded
    assert ["local administrator", "download", "trainees_appointments.csv (appointments of trainee T01, 2 rows)"] \
        in recorded


COLOURS = """
() => ({background: getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor,
        title: getComputedStyle(document.querySelector('h1')).color,
        tick: (e => e && getComputedStyle(e).fill)(document.querySelector('.js-plotly-plot .xtick text'))})
"""


def luminance(css_colour: str) -> float:
    """Relative brightness (0 black .. 1 white) of an rgb()/rgba() colour."""
    red, green, blue = (float(part) for part in re.findall(r"[\d.]+", css_colour)[:3])
    return (0.299 * red + 0.587 * green + 0.114 * blue) / 255


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_follow_the_system_light_or_dark_theme(browser, server, scheme):
    tab = Tab(browser, server, color_scheme=scheme)
    try:
        tab.open("/")
        tab.go("careers")
        check_page(tab, "careers", f"{scheme}-theme")
        colours = tab.page.evaluate(COLOURS)
        for _ in range(50):  # the theme may still be fading in (a CSS transition) on a loaded machine
            if colours["tick"] and (luminance(colours["background"]) > 0.5) == (scheme == "light"):
                break
            tab.page.wait_for_timeout(100)
            colours = tab.page.evaluate(COLOURS)
        background, title, tick = colours["background"], colours["title"], colours["tick"]
        assert (luminance(background) > 0.5) == (scheme == "light"), colours
        assert abs(luminance(background) - luminance(title)) > 0.5, colours  # the title stays readable
        # Chart text follows the theme too: axis labels contrast with the page.
        assert abs(luminance(background) - luminance(tick)) > 0.3, colours
        assert not tab.external, f"requests beyond this machine: {sorted(set(tab.external))}"
    finally:
        tab.close()


def expect_stipends(tab: Tab, value: str) -> None:
    """The Overview's "Stipends paid" (academic year 2021-22, the page's default on the fixture) comes to read value."""
    card = tab.page.locator('[data-testid="stMetric"]').filter(has_text="Stipends paid")
    expect(card).to_contain_text(value, timeout=20_000)


def test_data_staff_upload_publish_and_roll_back_in_the_browser(browser, tmp_path):
    # AY2021 stipends (appointments starting July 2021 - June 2022): AP05 56,000 + AP07 0 + AP08 55,000 = 111,000.
    # The upload raises AP05 to 60,000: 115,000. Only appointments.csv is uploaded; the rest comes from what is
    # published.
    appointments = (SMALL / "appointments.csv").read_text(encoding="utf-8").replace(
        "AP05,T07,2022,nlm_t15,T15LM000001,2021-07-01,2022-06-30,56000", "AP05,T07,2022,nlm_t15,T15LM000001,2021-07-01,"
        "2022-06-30,60000")
    assert "60000" in appointments
    upload = tmp_path / "appointments.csv"
    upload.write_text(appointments, encoding="utf-8")
    with streamlit_server(tmp_path, "data_staff") as base:
        tab = Tab(browser, base)
        try:
            page = tab.page
            tab.open("/")
            expect_stipends(tab, "$111,000")

            tab.go("refresh")
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
            expect(page.locator(".st-key-upload_files")).to_contain_text("appointments.csv", timeout=20_000)
            page.get_by_role("button", name="Check these files").click()
            expect(page.get_by_text("What publishing would change")).to_be_visible(timeout=60_000)
            expect(page.get_by_text("Taken from the published data")).to_be_visible()
            expect(page.get_by_text("Changed cells, added and removed rows (1)")).to_be_visible()
            tab.screenshot("data_staff-refresh-checked")
            page.get_by_text("I have read the 1 warning; publish anyway").click()
            publish = page.get_by_role("button", name="Publish", exact=True)
            expect(publish).to_be_enabled(timeout=20_000)
            publish.click()
            expect(page.get_by_text("Published run")).to_be_visible(timeout=90_000)

            tab.go("overview")
            expect_stipends(tab, "$115,000")

            tab.go("refresh")
            page.get_by_role("tab", name="Roll back").click()
            expect(page.get_by_text("Publish this earlier snapshot again")).to_be_visible(timeout=20_000)
            page.get_by_text("Yes, publish this snapshot again").click()
            roll_back = page.get_by_role("button", name="Roll back", exact=True)
            expect(roll_back).to_be_enabled(timeout=20_000)
            roll_back.click()
            expect(page.get_by_text("The dashboard shows it on the next click")).to_be_visible(timeout=30_000)

            tab.go("overview")
            expect_stipends(tab, "$111,000")
            assert not tab.external, f"requests beyond this machine: {sorted(set(tab.external))}"
        except Exception:
            tab.screenshot("failed-refresh")
            raise
        finally:
            tab.close()
