"""bench/results.md from the measured figures."""

from __future__ import annotations

import math

STEPS = ("extract", "validate", "load", "build marts", "check")


def ms(seconds: float | None) -> str:
    """Milliseconds, or a dash when not measured."""
    return "—" if seconds is None or math.isnan(seconds) else f"{seconds * 1000:,.0f}"


def _measured(t: dict) -> str:
    value = t["measured"]
    if value is None:
        return "not measured"
    if t["unit"] == "s":
        return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"
    if t["unit"] == "MB":
        return f"{value:,.0f} MB"
    return f"{value:.1f}×" if value >= 10 else f"{value:.2f}×"  # 1.30× against a 1.3× goal reads unambiguously


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "—"}[met]


def _targets(results: dict) -> list[str]:
    targets = results["targets"]
    missed = sum(t["met"] is False for t in targets)
    met = sum(t["met"] is True for t in targets)
    lines = ["## Targets (scale 100)", "", f"{met} met, {missed} missed, {len(targets) - met - missed} not measured.",
             "", "| Target | Goal | Measured | |", "|---|---|---:|---|"]
    lines += [f"| {t['what']} | {t['target']} | {_measured(t)} | {_verdict(t['met'])} |" for t in targets]
    return lines


def _refresh(results: dict) -> list[str]:
    lines = ["## Full refresh", "",
             "`python -m etl refresh` of the generated sample into an empty warehouse, as a child process (start-up "
             "included); peak memory is the child's maximum resident set as the kernel reports it. Seconds per step "
             "are from the middle run.", "",
             "| Scale | Trainees | Rows in all | Refresh (median) | Peak memory | " + " | ".join(STEPS) + " |",
             "|---:|---:|---:|---:|---:|" + "---:|" * len(STEPS)]
    for scale, s in results["scales"].items():
        if "refresh" not in s:
            continue
        r = s["refresh"]
        steps = " | ".join(f"{r['steps'].get(step, float('nan')):.1f} s" for step in STEPS)
        lines.append(f"| {scale} | {s['rows']['trainees']:,} | {sum(s['rows'].values()):,} | {r['seconds']:.1f} s | "
                     f"{r['peak_mb']:,.0f} MB | {steps} |")
    return lines


def _pages(scale: str, s: dict) -> list[str]:
    lines = [f"### Scale {scale}", "",
             f"Empty page (the Streamlit floor under AppTest): {ms(s['empty_page'])} ms.", "",
             "| Page | Cold | Warm | After a filter change | Cold: queries / figures / rest | Bare DuckDB "
             "| pandas baseline | Baseline ÷ warm | Baseline ÷ filter change |",
             "|---|---:|---:|---:|---|---:|---:|---:|---:|"]
    for page, t in s["pages"].items():
        cold = t["cold"]
        split = f"{ms(cold['queries'])} / {ms(cold['figures'])} / {ms(cold['rest'])}"
        base = t.get("baseline")
        ratio = f"{base / t['warm']['seconds']:,.0f}×" if base else "—"
        changed_ratio = f"{t['baseline_changed'] / t['changed']['seconds']:,.1f}×" if base else "—"
        lines.append(f"| {page} | {ms(cold['seconds'])} | {ms(t['warm']['seconds'])} | {ms(t['changed']['seconds'])} "
                     f"| {split} | {ms(t['floor'])} ({t['distinct_queries']}) | {ms(base)} | {ratio} "
                     f"| {changed_ratio} |")
    return lines


BROWSER = [
    "## In the browser", "",
    "What a person waits for: `streamlit run app.py` against the scale's warehouse (`reliability/browser.serve`) and "
    "headless Chromium (Debian's, `reliability/browser.CHROMIUM_ARGS`, 1400×1000), every page as each role opens it in "
    "local mode (`LOCAL_ROLE` sets the server's role: administrator and leadership; Refresh data as data staff). "
    "The **floor** is `bench/floor_app.py`: the same settings and chart styling, one plotly bar chart of four points "
    "and a \"From\" year in the sidebar, served and timed the same way: what any Streamlit page with a chart costs "
    "here. Each repetition starts a new server and, for each page: **first load, cold server**: the first visit after "
    "the server started (its caches empty, its modules not yet imported; a deep link's first run also reruns once to "
    "leave the pages/ folder's routing); **first load, warm server**: a fresh browser context (nothing cached in the "
    "page) opening the page again; **page switch**: in that session, a click on another page in the sidebar menu "
    "(About, or Overview from About), then the timed click back (its data cached on the server); **filter change**: "
    "the sidebar's \"From\" cohort year typed one later and Enter (new filters: every query runs). "
    "**Start**: navigation start, or the click or Enter key press (the event's own time stamp). **End**: the page is "
    "complete: the last script run's `script_finished` message has arrived, the app shows no status widget and no "
    "skeleton (an element whose code is still loading), every plotly chart has drawn its SVG and every dataframe its "
    "canvas, and no chart or table changed later (its last change is the end); all in the page's own clock. "
    "Times in milliseconds: the median of the repetitions with (min–max). **÷ floor**: the warm-server first load "
    "over the floor's. **Script**: from the first run's `new_session` message to the last run's `script_finished` "
    "(the server's run as the browser sees it, results streamed). **Drawing after the run**: from `script_finished` "
    "to complete, where the browser fetches the chart and table code (lazily, on the first chart) and draws. "
    "**Websocket KB**: bytes received on Streamlit's websocket; **HTTP KB**: everything else fetched (HTML, "
    "JavaScript, fonts). Charts and tables: the page's `stPlotlyChart` and `stDataFrame` elements. **Chromium, "
    "main thread**: the page's CPU seconds in scripts, layout and style, and in all tasks, from the DevTools "
    "protocol's `Performance.getMetrics`. The server and Chromium share the machine's cores with each other (and with "
    "whatever else runs): the load average is noted.",
]


def _range(t: dict) -> str:
    if t["min"] == t["max"]:
        return ms(t["seconds"])
    return f"{ms(t['seconds'])} ({ms(t['min'])}–{ms(t['max'])})"


def _kb(value: float) -> str:
    return f"{value / 1024:,.0f}"


def _browser(scale: str, b: dict) -> list[str]:
    floor = b["floor"]["warm"]["seconds"]
    rows = [("floor (one chart)", "—", b["floor"])]
    rows += [(page, role, t) for role, pages in b["pages"].items() for page, t in pages.items()]
    load = "; ".join(f"{x:.1f}" for x in b["load_before"][:1] + b["load_after"][:1])
    lines = [f"### Scale {scale}, in the browser", "",
             f"Measured {b['written']}; server starts per page: {b['repeat']}; load average (1 min) before "
             f"and after: {load}.", "",
             "| Page | Role | First load, cold server | First load, warm server | ÷ floor | Page switch "
             "| Filter change | Script | Drawing after the run | Websocket KB | Charts | Tables |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for page, role, t in rows:
        warm = t["warm"]
        lines.append(f"| {page} | {role} | {_range(t['cold'])} | {_range(warm)} | {warm['seconds'] / floor:.2f}× "
                     f"| {_range(t['switch'])} | {_range(t['filter'])} | {ms(warm['script'])} | {ms(warm['draw'])} "
                     f"| {_kb(warm['ws_bytes'])} | {warm['charts']:.0f} | {warm['dataframes']:.0f} |")
    lines += ["", "Where a fresh session's first load (warm server) goes, medians in milliseconds; and the same for "
              "the filter change.", "",
              "| Page | Role | First load | Until the run starts | Script | Drawing after the run | HTTP KB "
              "| Chromium, main thread: scripts / layout + style / all tasks | Filter change: script / drawing after "
              "| Filter change: websocket KB |",
              "|---|---|---:|---:|---:|---:|---:|---|---|---:|"]
    for page, role, t in rows:
        warm, changed = t["warm"], t["filter"]
        cdp = warm["cdp"]
        lines.append(f"| {page} | {role} | {ms(warm['seconds'])} | {ms(warm['to_run'])} | {ms(warm['script'])} "
                     f"| {ms(warm['draw'])} | {_kb(warm['http_bytes'])} | {ms(cdp['script'])} / "
                     f"{ms(cdp['layout'] + cdp['style'])} / {ms(cdp['task'])} | {ms(changed['script'])} / "
                     f"{ms(changed['draw'])} | {_kb(changed['ws_bytes'])} |")
    return lines


def markdown(results: dict) -> str:
    """The results as a page a reader can follow: targets, the refresh, then every page at every scale."""
    lines = ["# Performance, measured", "",
             f"Written by `python -m bench` on {results['written']} ({results['machine']}); medians of "
             f"{results['repeat']} runs per page measurement and {results['slow_repeat']} per refresh and baseline; "
             f"the whole run took {results['seconds'] / 60:.0f} min. Ratios are between figures of this one run. "
             "Rerun it to refresh these figures; the test suite runs a smoke version (`tests/test_bench.py`).", ""]
    alone = sorted({s["browser"]["written"] for s in results["scales"].values() if s.get("browser", {}).get("alone")})
    if alone:
        lines[-2] += (f" The browser part was run on its own (`--browser-only`) on {' and '.join(alone)}: its ratios "
                      "are between figures of that run.")
    lines += _targets(results) + [""] + _refresh(results) + [""]
    lines += ["## Pages", "",
              "Times in milliseconds, each page run with Streamlit's `AppTest` through the real app shell (sidebar "
              "filters, access check, data-as-of line) as an administrator (Refresh data as data staff). **Cold**: "
              "Streamlit's caches emptied (as after a publish or a restart). **Warm**: the same page again with the "
              "same filters. **After a filter change**: citizenship set to US citizens, so every query runs anew. "
              "The cold run is split into time in queries (through the snapshot's cache), figure building (plotly "
              "builders and `st.plotly_chart`) and the rest (Streamlit, widgets, tables). **Bare DuckDB**: the "
              "distinct queries the cold run ran (their number in brackets), run once each on a fresh read-only "
              "connection and fetched as DataFrames: the floor for the page's data. **pandas baseline**: "
              "`bench/baseline.py`, the page's figures from `pandas.read_csv` of the raw files on every rerun, as "
              "most Streamlit dashboards do (its figures are checked against the marts in "
              "`tests/test_bench_baseline.py`); with the same filter change for the last column.", ""]
    for scale, s in results["scales"].items():
        if "pages" in s:
            lines += _pages(scale, s) + [""]
    browsed = {scale: s["browser"] for scale, s in results["scales"].items() if "browser" in s}
    if browsed:
        lines += BROWSER + [""]
        for scale, b in browsed.items():
            lines += _browser(scale, b) + [""]
    return "\n".join(lines).rstrip() + "\n"
