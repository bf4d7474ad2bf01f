"""The targets the benchmark must meet at scale 100 on the 2-core machine, checked against measured figures."""

from __future__ import annotations

TARGET_SCALE = "100"
REFRESH_SECONDS, REFRESH_MB = 20.0, 2048.0
WARM_SECONDS, COLD_SECONDS = 0.25, 1.5
SPEEDUP = 10.0
FIRST_LOAD_RATIO, FILTER_SECONDS = 1.3, 1.0  # in the browser: against the floor app's first load; a filter change
LINEAR = ("10", "100")  # growth between these scales no worse than their ratio


def _target(what: str, target: str, measured: float | None, met: bool | None, unit: str = "") -> dict:
    return {"what": what, "target": target, "measured": measured, "unit": unit, "met": met}


def evaluate(scales: dict[str, dict]) -> list[dict]:
    """Each target with its measured figure; met is None when the scale it needs was not measured."""
    at = scales.get(TARGET_SCALE) or {}
    out = []
    refresh = at.get("refresh")
    out.append(_target("full refresh, wall time", f"≤ {REFRESH_SECONDS:g} s", refresh and refresh["seconds"],
                       refresh and refresh["seconds"] <= REFRESH_SECONDS, "s"))
    out.append(_target("full refresh, peak memory", f"≤ {REFRESH_MB:g} MB", refresh and refresh["peak_mb"],
                       refresh and refresh["peak_mb"] <= REFRESH_MB, "MB"))
    for page, t in at.get("pages", {}).items():
        out.append(_target(f"{page}: warm rerun", f"≤ {WARM_SECONDS * 1000:g} ms", t["warm"]["seconds"],
                           t["warm"]["seconds"] <= WARM_SECONDS, "s"))
        out.append(_target(f"{page}: cold run", f"≤ {COLD_SECONDS:g} s", t["cold"]["seconds"],
                           t["cold"]["seconds"] <= COLD_SECONDS, "s"))
        if "baseline" in t:
            speedup = t["baseline"] / t["warm"]["seconds"]
            out.append(_target(f"{page}: faster than the pandas baseline", f"≥ {SPEEDUP:g}×", speedup,
                               speedup >= SPEEDUP, "×"))
    out += _browser(at.get("browser"))
    small, large = (scales.get(s, {}) for s in LINEAR)
    limit = int(LINEAR[1]) / int(LINEAR[0])
    if "refresh" in small and "refresh" in large:
        growth = large["refresh"]["seconds"] / small["refresh"]["seconds"]
        out.append(_target(f"full refresh, growth from scale {LINEAR[0]} to {LINEAR[1]}", f"≤ {limit:g}×", growth,
                           growth <= limit, "×"))
        for page, t in large["pages"].items():
            growth = t["cold"]["seconds"] / small["pages"][page]["cold"]["seconds"]
            out.append(_target(f"{page}: cold run, growth from scale {LINEAR[0]} to {LINEAR[1]}", f"≤ {limit:g}×",
                               growth, growth <= limit, "×"))
    return out


def _browser(measured: dict | None) -> list[dict]:
    """In the browser, every page as each role: a fresh session's first load (warm server) within FIRST_LOAD_RATIO
    times the floor app's, and a filter change under FILTER_SECONDS."""
    ratio_goal, filter_goal = f"≤ {FIRST_LOAD_RATIO:g}× the floor's", f"< {FILTER_SECONDS:g} s"
    if not measured:
        return [_target("every page in the browser: first load, warm server", ratio_goal, None, None, "×"),
                _target("every page in the browser: filter change", filter_goal, None, None, "s")]
    floor = measured["floor"]["warm"]["seconds"]
    out = []
    for role, pages in measured["pages"].items():
        for page, t in pages.items():
            ratio = t["warm"]["seconds"] / floor
            out.append(_target(f"{page} as {role} in the browser: first load, warm server", ratio_goal, ratio,
                               ratio <= FIRST_LOAD_RATIO, "×"))
            changed = t["filter"]["seconds"]
            out.append(_target(f"{page} as {role} in the browser: filter change", filter_goal, changed,
                               changed < FILTER_SECONDS, "s"))
    return out
