"""Load: concurrent dashboard sessions (real Chromium contexts against a real server) clicking through pages while
a refresh publishes; each page view is checked to come whole from one snapshot. Soak: repeated refreshes for a
while, the server's memory and the warehouse's snapshot count sampled over time."""

from __future__ import annotations

import asyncio
import csv
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl import config
from reliability.browser import CHROMIUM, CHROMIUM_ARGS, RUN_WATCH, rss_mb, serve
from reliability.faults import refresh_command

PAGES = ("Cohorts", "Careers", "Funding", "Overview")  # menu titles a session clicks through, in turn
FIGURES = ("Entrants", "Active trainees")  # Overview metrics checked against the snapshot the page names
EXTRA = "T999999"
SETTLE = """
(title) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const runs = window.__runs;
  const heading = document.querySelector('h1');
  return app && runs && runs.state === 'notRunning' && performance.now() - runs.changed > 500
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && (!title || (heading && heading.innerText.trim() === title))
    && document.body.innerText.includes('Data as of');
}
"""
# What the page shows, read at one instant: the run it names, its title and its metrics.
READ = """
() => {
  const caption = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
    .map(c => c.innerText).find(text => text.includes('Data as of')) || '';
  const metrics = Object.fromEntries([...document.querySelectorAll('[data-testid="stMetric"]')].map(m => [
    m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim(),
    m.querySelector('[data-testid="stMetricValue"]')?.innerText.trim()]));
  return {caption, title: document.querySelector('h1')?.innerText.trim(), metrics,
          errors: document.querySelectorAll('[data-testid="stException"], [data-testid="stAlertContentError"]').length};
}
"""


def with_one_more_trainee(sample: Path, target: Path) -> Path:
    """The sample with one more active trainee in its latest cohort (so entrants and active trainees go up by one)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(sample, target)
    path = target / "trainees.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    last = max(int(r["cohort_year"]) for r in rows)
    model = next(r for r in rows if int(r["cohort_year"]) == last and r["status"] == "active")
    extra = {**model, "trainee_id": EXTRA, "applicant_id": "", "person_id": "", "email": "new.trainee@example.edu"}
    with path.open("a", encoding="utf-8", newline="") as out:
        csv.DictWriter(out, fieldnames=list(rows[0])).writerow(extra)
    return target


def expected_figures(source: Path) -> dict[str, int]:
    """Entrants and active trainees of the latest cohort's academic year (the Overview's default), from the source
    file with pandas: entrants = cohort Y; active = started by 30 June Y+1, not ended before 1 July Y."""
    t = pd.read_csv(source / "trainees.csv", dtype=str, keep_default_na=False)
    year = t["cohort_year"].astype(int).max()
    start = pd.to_datetime(t["start_date"])
    end = pd.to_datetime(t["end_date"].replace("", None))
    active = (start <= pd.Timestamp(year + 1, 6, 30)) & (end.isna() | (end >= pd.Timestamp(year, 7, 1)))
    return {"Entrants": int((t["cohort_year"].astype(int) == year).sum()), "Active trainees": int(active.sum())}


@dataclass
class View:
    """One page view as a session saw it."""

    session: int
    page: str
    run_id: str
    figures: dict[str, int]
    error: str = ""
    seconds: float = 0.0


@dataclass
class LoadReport:
    """What the sessions saw."""

    sessions: int
    views: list[View] = field(default_factory=list)
    publish_seconds: float = 0.0
    runs: dict[str, str] = field(default_factory=dict)  # run id -> "old" / "new"
    mixed: list[View] = field(default_factory=list)

    @property
    def errors(self) -> list[View]:
        """Views that failed or showed an error."""
        return [v for v in self.views if v.error]


async def _view(page, session: int, title: str) -> View:
    """Open a page through the menu, wait until its own run has finished (its title shown, the app idle), then read
    the run id and (Overview) figures at one instant."""
    clock = time.perf_counter()
    link = page.locator('[data-testid="stSidebarNav"] a').filter(has_text=re.compile(rf"{re.escape(title)}$"))
    try:
        await link.click(timeout=60_000)
        await page.wait_for_function(SETTLE, arg=title, timeout=180_000)
        shown = await page.evaluate(READ)
        run_id = re.search(r"run\s+(\S+)", shown["caption"]).group(1).strip("`")
        figures = {}
        if title == "Overview":
            figures = {f: int(shown["metrics"][f].replace(",", "")) for f in FIGURES}
        return View(session, title, run_id, figures, "an error box is shown" if shown["errors"] else "",
                    time.perf_counter() - clock)
    except Exception as exc:  # a timeout or a vanished element is an error of this view, not of the whole run
        return View(session, title, "", {}, f"{type(exc).__name__}: {str(exc)[:200]}", time.perf_counter() - clock)


async def _session(browser, base: str, session: int, rounds: int, views: list[View]) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(RUN_WATCH)
    page = await context.new_page()
    await page.goto(base + "/", timeout=180_000)
    await page.wait_for_function(SETTLE, arg="", timeout=180_000)
    for _ in range(rounds):
        for title in PAGES:
            views.append(await _view(page, session, title))
    await context.close()


async def _drive(base: str, sessions: int, rounds: int, publish, views: list[View]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            clicking = [asyncio.create_task(_session(browser, base, i, rounds, views)) for i in range(sessions)]
            while len(views) < sessions * len(PAGES) and not all(t.done() for t in clicking):
                await asyncio.sleep(0.2)  # everyone has been round once: publish while they go on clicking
            await asyncio.to_thread(publish)
            await asyncio.gather(*clicking)
        finally:
            await browser.close()


def run(work: Path, sessions: int = 3, rounds: int = 3) -> LoadReport:
    """Serve the sample, let `sessions` sessions click through pages `rounds` times, and publish the sample with one
    more trainee while they do. Every Overview view must show the figures of the run it names."""
    old_source, new_source = config.SAMPLE_DIR, with_one_more_trainee(config.SAMPLE_DIR, work / "sample-plus")
    warehouse = work / "wh"
    first = subprocess.run(refresh_command(old_source, warehouse), cwd=config.PROJECT_ROOT, capture_output=True)
    assert first.returncode == 0, first.stderr.decode()[-2000:]
    from etl.warehouse import Warehouse

    old_run = Warehouse(warehouse).published().run_id
    report = LoadReport(sessions)
    expected = {"old": expected_figures(old_source), "new": expected_figures(new_source)}

    def publish() -> None:
        clock = time.perf_counter()
        done = subprocess.run(refresh_command(new_source, warehouse), cwd=config.PROJECT_ROOT, capture_output=True)
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        report.publish_seconds = time.perf_counter() - clock

    with serve(warehouse, "administrator", work / "streamlit.log") as (base, _):
        asyncio.run(_drive(base, sessions, rounds, publish, report.views))
    new_run = Warehouse(warehouse).published().run_id
    report.runs = {old_run: "old", new_run: "new"}
    for view in report.views:
        if view.error:
            continue
        which = report.runs.get(view.run_id)
        if which is None or (view.figures and view.figures != expected[which]):
            report.mixed.append(view)
    return report


@dataclass
class Soak:
    """Memory and snapshots over a run of repeated refreshes."""

    minutes: float
    refreshes: int = 0
    samples: list[tuple[float, float, int]] = field(default_factory=list)  # (minute, server RSS MB, snapshot files)
    views: list[View] = field(default_factory=list)


def soak(work: Path, minutes: float, sessions: int = 2) -> Soak:
    """Serve the sample; refresh it again and again (alternating two sources) for `minutes` while sessions click
    through pages; sample the server's resident memory and the warehouse's snapshot files every few seconds."""
    sources = [config.SAMPLE_DIR, with_one_more_trainee(config.SAMPLE_DIR, work / "sample-plus")]
    warehouse = work / "wh"
    subprocess.run(refresh_command(sources[0], warehouse), cwd=config.PROJECT_ROOT, check=True, capture_output=True)
    out = Soak(minutes)
    with serve(warehouse, "administrator", work / "streamlit.log") as (base, server):
        stop_at = time.monotonic() + minutes * 60
        started = time.monotonic()

        async def clicking() -> None:
            from playwright.async_api import async_playwright

            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                while time.monotonic() < stop_at:
                    await asyncio.gather(*(_session(browser, base, i, 1, out.views) for i in range(sessions)))
                await browser.close()

        async def refreshing() -> None:
            while time.monotonic() < stop_at:
                source = sources[out.refreshes % 2]
                await asyncio.to_thread(subprocess.run, refresh_command(source, warehouse), cwd=config.PROJECT_ROOT,
                                        capture_output=True)
                out.refreshes += 1
                snapshots = len(list((warehouse / "snapshots").glob("*.duckdb")))
                out.samples.append(((time.monotonic() - started) / 60, rss_mb(server.pid), snapshots))
                await asyncio.sleep(2)

        async def both() -> None:
            await asyncio.gather(clicking(), refreshing())

        asyncio.run(both())
    return out
