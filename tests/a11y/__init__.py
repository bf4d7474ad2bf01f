"""Accessibility checks in the browser: axe-core's WCAG 2.1 A/AA rules, the focused element and its focus ring, and
the boxes of a chart's parts. axe-core is pinned in package.json beside this file; .ci/run installs it with
`npm ci --prefix tests/a11y` into tests/a11y/node_modules (ignored by git)."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
# The WCAG 2.1 level A and AA success criteria (axe tags its rules with the criteria they test).
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# No finite animation or transition running (Streamlit fades elements and the theme in: axe would skip an element
# still at opacity 0, or measure a colour halfway).
STILL = """
() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)
"""
# The height the viewport needs to show all of the main area and the sidebar at once.
TALL = """
() => Math.max(...['stMain', 'stSidebarContent'].map(id => document.querySelector(`[data-testid="${id}"]`))
                 .filter(Boolean).map(e => e.scrollHeight + e.getBoundingClientRect().top))
"""
RUN_AXE = """
async ([tags, exclude]) => {
  const context = exclude.length ? {include: [document], exclude: exclude.map(s => [s])} : document;
  const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 160)})),
  }));
}
"""

# The element that has the keyboard focus (inside an open shadow root or frame-less widget alike), described, with
# whether a focus indicator is drawn on it or on an ancestor up to three levels (Streamlit draws some rings on the
# widget's wrapper): an outline, or a box-shadow, that is not 'none' and not transparent.
FOCUSED = """
() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) element = element.shadowRoot.activeElement;
  if (!element || element === document.body) return null;
  const drawn = (e) => {
    const style = getComputedStyle(e);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
      && !/rgba\\(\\d+, \\d+, \\d+, 0\\)|transparent/.test(style.outlineColor);
    const shadow = style.boxShadow && style.boxShadow !== 'none'
      && !/^rgba\\(\\d+, \\d+, \\d+, 0\\)/.test(style.boxShadow);
    return outline || shadow ? `${e.tagName.toLowerCase()}: outline ${style.outline}; box-shadow ${style.boxShadow}`
                             : null;
  };
  let ring = null;
  for (let e = element, depth = 0; e && depth < 4 && !ring; e = e.parentElement, depth++) ring = drawn(e);
  const box = element.getBoundingClientRect();
  const keyed = element.closest('[class*="st-key-"]');
  return {
    tag: element.tagName.toLowerCase(), role: element.getAttribute('role'), type: element.getAttribute('type'),
    name: (element.getAttribute('aria-label') || element.innerText || element.value || '').trim().slice(0, 80),
    key: keyed ? [...keyed.classList].find(c => c.startsWith('st-key-')).slice(7) : null,
    testid: element.closest('[data-testid]')?.getAttribute('data-testid') || null,
    nav: !!element.closest('[data-testid="stSidebarNav"]'),
    href: element.getAttribute('href'), selected: element.getAttribute('aria-selected'),
    checked: element.checked ?? null, ring, visible: box.width > 0 && box.height > 0,
  };
}
"""

# The box where the focused element's focus indicator is drawn: the nearest of it and its ancestors (four up) that is on
# screen (not a visually hidden input's 1-pixel box or inside one) and draws an outline or box-shadow; else the
# element itself, or for a hidden one its nearest visible ancestor.
FOCUS_BOX = """
() => {
  const focused = document.activeElement;
  const rect = (e) => e.getBoundingClientRect();
  const tiny = (e) => rect(e).width < 2 || rect(e).height < 2;
  const clips = (e) => { const s = getComputedStyle(e);
                         return s.overflow !== 'visible' || s.clipPath !== 'none' || s.clip !== 'auto'; };
  const hidden = (e) => { if (tiny(e)) return true;
                          for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
                            if (tiny(a) && clips(a)) return true;
                          return false; };
  const drawn = (e) => { const s = getComputedStyle(e);
                         return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                           || (s.boxShadow && s.boxShadow !== 'none'); };
  let target = null;
  for (let e = focused, d = 0; e && d < 5 && !target; e = e.parentElement, d++)
    if (!hidden(e) && drawn(e)) target = e;
  if (!target) for (target = focused; target.parentElement && hidden(target); target = target.parentElement);
  const r = rect(target);
  return {x: r.left, y: r.top, w: r.width, h: r.height};
}
"""

# For each plotly chart on the page: its box, and the boxes of its title (plotly's own .gtitle while the figure has
# one, else the heading just above the chart's block), legend, mode bar and plot area, and of each legend item.
CHART_PARTS = """
() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map((chart, index) => {
  const box = (e) => { if (!e) return null; const r = e.getBoundingClientRect();
                       return r.width > 0 && r.height > 0 ? {x: r.left, y: r.top, w: r.width, h: r.height} : null; };
  const plot = chart.querySelector('.js-plotly-plot');
  const block = chart.closest('[data-testid="stElementContainer"]');
  let heading = null;  // the element just before the chart's block, when it is a heading
  const before = block && block.previousElementSibling;
  if (before) heading = before.querySelector('h1, h2, h3, h4, h5, h6, [role="heading"]');
  const title = chart.querySelector('.gtitle') || heading;  // plotly's own title while the figure still has one
  const name = title ? title.textContent.trim().slice(0, 80) : `chart ${index + 1}`;
  return {
    name, chart: box(chart),
    parts: {title: box(title), legend: box(chart.querySelector('.legend')),
            modebar: box(chart.querySelector('.modebar-container .modebar')
                         || chart.querySelector('.modebar-container')),
            plot: box(chart.querySelector('.nsewdrag') || chart.querySelector('.draglayer'))},
    items: [...chart.querySelectorAll('.legend .traces')].map(item => ({text: item.textContent, box: box(item)})),
    drawn: !!(plot && plot.querySelector('svg.main-svg')),
  };
})
"""


@cache
def axe_source() -> str:
    """axe.min.js, as installed from npm by .ci/run."""
    if not AXE.exists():
        raise FileNotFoundError(f"axe-core is missing at {AXE}: run `npm ci --prefix tests/a11y` (as .ci/run does)")
    return AXE.read_text(encoding="utf-8")


def violations(page, exclude: list[str] | None = None) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now (axe is injected once per document).

    The viewport is stretched to the main area's height while axe runs: axe leaves out (as "inapplicable") the
    elements a scroll container clips, and Streamlit's main area is one."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    size = page.viewport_size
    height = page.evaluate(TALL)
    try:
        if height > size["height"]:
            page.set_viewport_size({"width": size["width"], "height": min(height, 16_000)})
        page.wait_for_function(STILL, timeout=10_000)
        page.wait_for_timeout(50)
        return page.evaluate(RUN_AXE, [WCAG_21_AA, exclude or []])
    finally:
        page.set_viewport_size(size)


def described(found: list[dict], where: str) -> list[str]:
    """One line per failing element: where, rule id, impact, target selector and axe's failure summary."""
    return [f"{where}: {v['id']} ({v['impact']}) {v['help']}\n    target: {node['target']}\n    "
            f"{' '.join(node['summary'].split())}\n    html: {node['html']}"
            for v in found for node in v["nodes"]]


def contrast(a: tuple, b: tuple) -> float:
    """WCAG contrast ratio of two sRGB colours (0-255 each)."""
    def luminance(rgb: tuple) -> float:
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb[:3])]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focus_indicator(page, margin: int = 4) -> dict:
    """How visibly the focused element shows its focus: the pixels in and around the box where its indicator is
    drawn (margin px each way) whose colour focused and unfocused differ by a contrast of at least 3:1 (WCAG's measure
    for non-text contrast), against the half-perimeter of that box (a 1-pixel ring all round changes twice that).
    The element is blurred for the second picture and focused again."""
    from PIL import Image

    box = page.evaluate(FOCUS_BOX)
    view = page.viewport_size
    left, top = max(0, int(box["x"]) - margin), max(0, int(box["y"]) - margin)
    clip = {"x": left, "y": top, "width": min(view["width"], int(box["x"] + box["w"]) + margin + 1) - left,
            "height": min(view["height"], int(box["y"] + box["h"]) + margin + 1) - top}
    page.wait_for_function(STILL, timeout=10_000)
    focused = Image.open(io.BytesIO(page.screenshot(clip=clip, animations="disabled"))).convert("RGB")
    page.evaluate("window.__focused = document.activeElement; window.__focused.blur()")
    page.wait_for_function(STILL, timeout=10_000)
    unfocused = Image.open(io.BytesIO(page.screenshot(clip=clip, animations="disabled"))).convert("RGB")
    page.evaluate("window.__focused.focus({preventScroll: true})")  # after a key press, this focus is visible too
    page.wait_for_function(STILL, timeout=10_000)
    before, after = focused.tobytes(), unfocused.tobytes()
    changed = sum(1 for i in range(0, len(before), 3)
                  if before[i:i + 3] != after[i:i + 3] and contrast(before[i:i + 3], after[i:i + 3]) >= 3)
    return {"changed": changed, "needed": int(min(box["w"], view["width"]) + min(box["h"], view["height"])),
            "box": box}


def overlap(a: dict, b: dict, tolerance: float = 1.0) -> bool:
    """True when two boxes ({x, y, w, h}) share more than a sliver (tolerance px each way)."""
    return (min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > tolerance
            and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > tolerance)


def inside(inner: dict, outer: dict, tolerance: float = 1.0) -> bool:
    """True when a box lies within another (tolerance px each way)."""
    return (inner["x"] >= outer["x"] - tolerance and inner["y"] >= outer["y"] - tolerance
            and inner["x"] + inner["w"] <= outer["x"] + outer["w"] + tolerance
            and inner["y"] + inner["h"] <= outer["y"] + outer["h"] + tolerance)
