"""Page timings in a real browser: `streamlit run app.py` and headless Chromium, every page as each role opens it (first
load on a cold and on a warm server, page switch, filter change) beside a one-chart floor app timed the same way; with
where each wait goes (script run, websocket bytes, drawing after the run, Chromium's own work)."""

from __future__ import annotations

import os
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import roles
from reliability.browser import CHROMIUM, CHROMIUM_ARGS, RUN_WATCH, serve

# Every page, as the roles that open it: administrators and leadership see the dashboard; Refresh data is data staff's.
ROLES = {"administrator": None, "leadership": None, "data_staff": ("refresh",)}
FLOOR_APP = "bench/floor_app.py"
FLOOR = "floor"
KINDS = ("cold", "warm", "switch", "filter")
VIEWPORT = {"width": 1400, "height": 1000}
QUIET_MS = 500  # nothing received, drawn or changed for this long after the run ends: the page is settled
TIMEOUT_MS = 180_000
CDP_METRICS = {"ScriptDuration": "script", "LayoutDuration": "layout", "RecalcStyleDuration": "style",
               "TaskDuration": "task"}
# ForwardMsg's top-level field numbers (streamlit/proto/ForwardMsg.proto): a script run starts with new_session and
# ends with script_finished.
NEW_SESSION, SCRIPT_FINISHED = 4, 6

# Installed in every document before Streamlit's own code: the frames its websocket receives (page-clock time, bytes,
# ForwardMsg field numbers), the user's clicks and key presses, when the page last became complete (script run over,
# no status widget, no skeleton left where an element's code is still loading, every plotly chart's SVG and every
# dataframe's canvas in place, of those laid out) and when a chart or table last changed.
WATCH = r"""
(() => {
  const bench = window.__bench = {frames: [], inputs: [], complete: false, completions: [], drawn: 0};
  const fields = (bytes) => {
    const out = [];
    let i = 0;
    const varint = () => {
      let value = 0, shift = 0, byte;
      do {
        byte = bytes[i++];
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte & 0x80 && i < bytes.length);
      return value;
    };
    while (i < bytes.length) {
      const tag = varint(), wire = tag & 7;
      out.push(Math.floor(tag / 8));
      if (wire === 0) varint();
      else if (wire === 2) { const length = varint(); i += length; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else break;
    }
    return out;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', ({data}) => {
        const binary = data instanceof ArrayBuffer;
        const size = binary ? data.byteLength : (data.size ?? new Blob([data]).size);
        bench.frames.push([performance.now(), size, binary ? fields(new Uint8Array(data)) : []]);
      });
    }
  };
  for (const type of ['click', 'keydown']) {
    window.addEventListener(type, (event) => bench.inputs.push(event.timeStamp), true);
  }
  const GRAPHICS = '[data-testid="stPlotlyChart"], [data-testid="stDataFrame"]';
  // Only what is laid out counts: a table in a tab not shown never draws its canvas.
  const shown = (selector) => [...document.querySelectorAll(selector)].filter((e) => e.getClientRects().length);
  const complete = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning'
        || app.getAttribute('data-test-connection-state') !== 'CONNECTED'
        || document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]')) return false;
    for (const chart of shown('[data-testid="stPlotlyChart"]')) {
      if (!chart.querySelector('.js-plotly-plot .main-svg')) return false;
    }
    for (const table of shown('[data-testid="stDataFrame"]')) {
      if (!table.querySelector('canvas')) return false;
    }
    return true;
  };
  new MutationObserver((records) => {
    const now = performance.now();
    const inside = (record) => {
      const node = record.target.nodeType === 1 ? record.target : record.target.parentElement;
      return node && node.closest(GRAPHICS);
    };
    if (records.some(inside)) bench.drawn = now;
    const state = complete();
    if (state !== bench.complete) {
      bench.complete = state;
      bench.completions.push([now, state]);
    }
  }).observe(document, {subtree: true, childList: true, attributes: true});
})();
"""

# What happened since `since` (page-clock ms): the action's start (its last click or key press, else `since`), when the
# page was complete again and what it took.
SINCE = """
([since, newSession, scriptFinished]) => {
  const b = window.__bench;
  const start = b.inputs.filter((t) => t >= since).at(-1) ?? since;
  const frames = b.frames.filter(([t]) => t >= start);
  const began = frames.filter(([, , f]) => f.includes(newSession)).map(([t]) => t);
  const finished = frames.filter(([, , f]) => f.includes(scriptFinished)).map(([t]) => t);
  const became = b.completions.filter(([t, state]) => t >= start && state).map(([t]) => t);
  const lastFinished = finished.at(-1) ?? null;
  const end = Math.max(start, lastFinished ?? start, became.at(-1) ?? start, b.drawn >= start ? b.drawn : start);
  const navigation = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource').filter((e) => e.startTime >= start);
  const page = since === 0 && navigation ? navigation.transferSize : 0;  // a first load counts its HTML too
  const http = resources.reduce((sum, e) => sum + e.transferSize, page);
  const running = (window.__runs ? window.__runs.log : []).filter(([t]) => t >= start);
  let watched = 0;
  running.forEach(([t, state], i) => {
    if (state === 'running') watched += ((running.slice(i + 1).find(([, s]) => s !== 'running') || [end])[0]) - t;
  });
  return {
    start, end, runs: finished.length, first_run: began[0] ?? null, last_finished: lastFinished, watched_ms: watched,
    ws_bytes: frames.reduce((sum, [, size]) => sum + size, 0), http_bytes: http,
    charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
    dataframes: document.querySelectorAll('[data-testid="stDataFrame"]').length,
  };
}
"""
# Settled: a script run that began after `since` has finished, the page is complete, and nothing has been received,
# drawn or changed for QUIET_MS (a run that reruns itself, as a deep link's first run does, is waited for).
SETTLED = """
([since, scriptFinished, quiet]) => {
  const b = window.__bench;
  if (!b || !b.complete) return false;
  const start = b.inputs.filter((t) => t >= since).at(-1) ?? since;
  if (!b.frames.some(([t, , f]) => t >= start && f.includes(scriptFinished))) return false;
  const last = Math.max(b.frames.at(-1)?.[0] ?? 0, b.drawn, b.completions.at(-1)?.[0] ?? 0);
  return performance.now() - last > quiet;
}
"""


@dataclass
class Visit:
    """One timed wait: from its start (navigation start, or the click or key press) until the page was complete."""

    seconds: float
    script: float  # from the first run's new_session frame to the last run's script_finished frame
    to_run: float  # from the start to the first new_session frame (page load and connection, or the click's trip)
    draw: float  # from the last script_finished frame to complete: drawing left once the server was done
    runs: int
    ws_bytes: int
    http_bytes: int
    charts: int
    dataframes: int
    watched: float  # seconds the page showed "running" (RUN_WATCH), a cross-check of `script`
    cdp: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """What to open and click: the page's path, its menu title, a menu title to leave it for, and the role."""

    key: str
    role: str
    path: str
    title: str
    away: str
    script: str = "app.py"


def targets(chosen: tuple[str, ...] = ()) -> list[Target]:
    """Every page (or the `chosen` ones), as each role that opens it (the floor first)."""
    out = [Target(FLOOR, "administrator", "/", "Floor", "Other", FLOOR_APP)]
    for role, only in ROLES.items():
        specs = roles.pages_for(role)
        for spec in specs:
            if (only and spec.key not in only) or (chosen and spec.key not in chosen):
                continue
            away = next(s for s in (roles.page("about"), roles.page("overview")) if s.key != spec.key)
            # The role's first page is served at the root (its own path shows "Page not found").
            out.append(Target(spec.key, role, "/" if spec is specs[0] else f"/{spec.key}", spec.title, away.title))
    return out


class Session:
    """A browser context (its own cache, nothing shared) on one page, with the watch installed and CDP metrics on."""

    def __init__(self, browser, base: str):
        self.base = base
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.add_init_script(RUN_WATCH)
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Performance.enable")

    def metrics(self) -> dict[str, float]:
        """Chromium's cumulative main-thread seconds for this page: scripts, layout, style, all tasks."""
        got = {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}
        return {short: got.get(name, 0.0) for name, short in CDP_METRICS.items()}

    def _visit(self, since: float, before: dict[str, float]) -> Visit:
        self.page.wait_for_function(SETTLED, arg=[since, SCRIPT_FINISHED, QUIET_MS], polling=100, timeout=TIMEOUT_MS)
        seen = self.page.evaluate(SINCE, [since, NEW_SESSION, SCRIPT_FINISHED])
        after = self.metrics()
        start, end = seen["start"], seen["end"]
        first, last = seen["first_run"], seen["last_finished"]
        return Visit(
            seconds=(end - start) / 1000, script=(last - first) / 1000 if first is not None else 0.0,
            to_run=((first if first is not None else start) - start) / 1000, draw=max(0.0, end - last) / 1000,
            runs=seen["runs"], ws_bytes=seen["ws_bytes"], http_bytes=seen["http_bytes"], charts=seen["charts"],
            dataframes=seen["dataframes"], watched=seen["watched_ms"] / 1000,
            cdp={k: after[k] - before.get(k, 0.0) for k in after},
        )

    def open(self, path: str) -> Visit:
        """Load the page in this fresh context: from navigation start until complete."""
        self.page.goto(self.base + path, wait_until="commit", timeout=TIMEOUT_MS)
        return self._visit(0, {})  # a new document: its metrics count from zero

    def act(self, action: Callable[[], None]) -> Visit:
        """Click or type (the last click or key press starts the clock) and time until the page is complete again."""
        since = self.page.evaluate("performance.now()")
        before = self.metrics()
        action()
        return self._visit(since, before)

    def go(self, title: str) -> Visit:
        """Open the page with this menu title through the sidebar menu."""
        link = self.page.locator('[data-testid="stSidebarNav"] a').filter(has_text=re.compile(rf"{re.escape(title)}$"))
        visit = self.act(link.click)
        current = self.page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]').inner_text()
        if not current.endswith(title):
            raise RuntimeError(f"the menu did not open {title!r}: it marks {current!r}")
        return visit

    def change_from(self) -> Visit:
        """Type the next "From" cohort year into the sidebar and press Enter."""
        box = self.page.locator(".st-key-f_from input")
        year = int(box.input_value()) + 1

        def type_year() -> None:
            box.fill(str(year))
            box.press("Enter")

        visit = self.act(type_year)
        if box.input_value() != str(year):
            raise RuntimeError(f"the From year did not change to {year}")
        return visit

    def check(self, what: str) -> None:
        """A page that shows an exception box is an error, not a figure."""
        errors = self.page.locator('[data-testid="stException"]')
        if errors.count():
            raise RuntimeError(f"{what}: the page raised: {errors.first.inner_text()[:500]}")

    def close(self) -> None:
        self.context.close()


def cycle(browser, warehouse: Path, target: Target, log: Path) -> dict[str, Visit]:
    """One server start: first load on the cold server, then in a new session first load (warm), a switch away and back
    (timed back), and a filter change."""
    with serve(warehouse, target.role, log, script=target.script) as (base, _):
        out = {}
        cold = Session(browser, base)
        try:
            out["cold"] = cold.open(target.path)
            cold.check(f"{target.key} as {target.role}")
        finally:
            cold.close()
        warm = Session(browser, base)
        try:
            out["warm"] = warm.open(target.path)
            warm.go(target.away)
            out["switch"] = warm.go(target.title)
            out["filter"] = warm.change_from()
            warm.check(f"{target.key} as {target.role}")
        finally:
            warm.close()
    return out


def summary(visits: list[Visit]) -> dict:
    """Median, min and max seconds; the median of every other figure; every run."""
    def mid(values):
        return statistics.median(values) if values else float("nan")

    seconds = [v.seconds for v in visits]
    out = {"seconds": mid(seconds), "min": min(seconds), "max": max(seconds)}
    for name in ("script", "to_run", "draw", "runs", "ws_bytes", "http_bytes", "charts", "dataframes", "watched"):
        out[name] = mid([getattr(v, name) for v in visits])
    out["cdp"] = {k: mid([v.cdp.get(k, 0.0) for v in visits]) for k in CDP_METRICS.values()}
    out["each"] = seconds
    return out


def measure(warehouse: Path, repeat: int, work: Path, log: Callable[[str], None],
            chosen: tuple[str, ...] = ()) -> dict:
    """Every target (of the `chosen` pages, or all), `repeat` server starts each (the repetitions interleaved, so a
    busy minute spreads over pages)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"Chromium is missing at {CHROMIUM}: apt-get install chromium (nothing downloads one)")
    work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    every = targets(chosen)
    visits: dict[tuple[str, str], dict[str, list[Visit]]] = {(t.role, t.key): {k: [] for k in KINDS} for t in every}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for n in range(repeat):
                for target in every:
                    log(f"browser {n + 1}/{repeat}: {target.key} as {target.role}")
                    done = cycle(chromium, warehouse, target, work / f"streamlit-{target.role}.log")
                    for kind, visit in done.items():
                        visits[(target.role, target.key)][kind].append(visit)
        finally:
            chromium.close()
    pages: dict[str, dict] = {}
    for target in every:
        if target.key != FLOOR:
            pages.setdefault(target.role, {})[target.key] = {
                k: summary(v) for k, v in visits[(target.role, target.key)].items()}
    floor = {k: summary(v) for k, v in visits[("administrator", FLOOR)].items()}
    return {"repeat": repeat, "load_before": list(load_before), "load_after": list(os.getloadavg()),
            "floor": floor, "pages": pages}
