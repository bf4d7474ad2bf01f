"""A report's HTML printed to PDF by headless Chromium: vector charts, selectable text, numbered pages."""

from __future__ import annotations

import concurrent.futures
from html import escape
from pathlib import Path

from etl import config

FOOTER = """<div style="font-size:8px; width:100%; padding:0 0.6in; color:#52606d; display:flex;
justify-content:space-between;"><span>{title}</span><span>Page <span class="pageNumber"></span> of
<span class="totalPages"></span></span></div>"""


# On paper a chart is a picture: tagged as one figure whose alternative text is its heading (the table under it
# holds its numbers), rather than as dozens of untitled shapes; its mode bar is left out.
CHARTS_AS_FIGURES = """
() => document.querySelectorAll('.js-plotly-plot').forEach((plot) => {
  const heading = plot.closest('.chart')?.querySelector('h3')?.textContent || 'Chart';
  plot.setAttribute('role', 'img');
  plot.setAttribute('aria-label', `${heading}. Its numbers are in the table that follows.`);
  plot.querySelectorAll('.modebar-container').forEach((bar) => bar.remove());
})
"""


class ChromiumMissing(RuntimeError):
    """No Chromium to print with."""


def chromium_path() -> str:
    """The Chromium that prints reports (CHROMIUM_PATH)."""
    return config.chromium_path()


def available() -> bool:
    """True when PDF reports can be printed on this machine."""
    return Path(chromium_path()).exists()


def render(html: str, title: str, charts: int) -> bytes:
    """Print the HTML to PDF (US Letter), once its `charts` plotly charts have been drawn."""
    if not available():
        raise ChromiumMissing(f"PDF reports need Chromium at {chromium_path()}: install it (Debian: apt-get install "
                              "chromium) or set CHROMIUM_PATH; the HTML report needs nothing.")
    # Playwright's sync API refuses to run on a thread with an asyncio loop: print on a thread of its own.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, html, title, charts).result()


def _print(html: str, title: str, charts: int) -> bytes:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            # Nothing beyond the document itself may load: a report never fetches fonts, scripts or data.
            page.route("**/*", lambda route: route.abort())
            page.set_content(html, wait_until="load")
            page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
                                   timeout=60_000)
            page.emulate_media(media="print")
            page.evaluate(CHARTS_AS_FIGURES)
            # Tagged (a structure tree of headings, paragraphs, lists and tables, for screen readers and reflow) and
            # outlined (bookmarks from the headings), as accessible PDFs must be.
            return page.pdf(format="Letter", print_background=True, display_header_footer=True,
                            header_template="<span></span>", footer_template=FOOTER.format(title=escape(title)),
                            margin={"top": "0.6in", "bottom": "0.7in", "left": "0.6in", "right": "0.6in"},
                            tagged=True, outline=True)
        finally:
            browser.close()
