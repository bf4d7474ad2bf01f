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
    return f"{value:,.0f} MB" if t["unit"] == "MB" else f"{value:.1f}×"


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


def markdown(results: dict) -> str:
    """The results as a page a reader can follow: targets, the refresh, then every page at every scale."""
    lines = ["# Performance, measured", "",
             f"Written by `python -m bench` on {results['written']} ({results['machine']}); medians of "
             f"{results['repeat']} runs per page measurement and {results['slow_repeat']} per refresh and baseline; "
             f"the whole run took {results['seconds'] / 60:.0f} min. Ratios are between figures of this one run. "
             "Rerun it to refresh these figures; the test suite runs a smoke version (`tests/test_bench.py`).", ""]
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
        lines += _pages(scale, s) + [""]
    return "\n".join(lines).rstrip() + "\n"
