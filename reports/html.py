"""A report as one self-contained HTML file: inline styles, plotly.js inline, interactive charts, nothing fetched."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from dashboard import kpis
from reports.content import NOTABLE, Report

STYLE = """
:root { --ink: #1f2933; --muted: #52606d; --rule: #d9e2ec; --accent: #0b5394; }
* { box-sizing: border-box; }
body { font-family: "Helvetica Neue", Arial, "Liberation Sans", sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 960px; padding: 24px; line-height: 1.45; font-size: 14px; }
h1 { font-size: 28px; margin: 0 0 8px; color: var(--accent); }
h2 { font-size: 20px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 12px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 6px; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f0f4f8; }
.title-page { min-height: 90vh; display: flex; flex-direction: column; justify-content: center; }
.title-page dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; margin-top: 24px; }
.title-page dt { color: var(--muted); }
.title-page dd { margin: 0; }
.banner { border: 1px solid #f0b429; background: #fffbea; padding: 8px 12px; margin: 12px 0; }
.note { color: var(--muted); font-size: 12px; }
.chart, .keep { break-inside: avoid; page-break-inside: avoid; margin-bottom: 12px; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
section { break-before: page; page-break-before: always; }
section.summary { break-before: page; }
@media print {
  body { max-width: none; padding: 0; }
  .title-page { min-height: 9in; }
  table { break-inside: auto; }
  tr { break-inside: avoid; }
}
"""


def render(report: Report) -> str:
    """The whole report as an HTML document."""
    body = [title_page(report), summary(report), charts(report), nih(report), lineage(report)]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(report.title)}</title><style>{STYLE}</style>"
        f"<script>{get_plotlyjs()}</script></head><body>{''.join(body)}</body></html>"
    )


def title_page(report: Report) -> str:
    """The title page: what the report covers, for whom, and how current the data is."""
    info = report.lineage
    rows = {
        "Programs": ", ".join(report.program_names) if report.scope.programs else "All programs",
        "Academic years": f"{kpis.academic_year(report.years[0])} to {kpis.academic_year(report.years[-1])} "
                          "(1 July to 30 June)",
        "Prepared for": f"{report.audience} (aggregates only: no names)" if report.scope.role == "leadership"
                        else report.audience,
        "Data as of": info.get("as_of_date", "—"),
        "Published": str(info.get("published_at", "—")).replace("T", " "),
        "Run": info.get("run_id", "—"),
        "Generated": report.generated_at,
    }
    sample = ('<p class="banner"><strong>Sample data.</strong> These figures come from the built-in, invented sample '
              "— not a real program's records.</p>") if info.get("is_sample") else ""
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in rows.items())
    return (f'<div class="title-page"><h1>{escape(report.title)}</h1>'
            f"<p>{escape(report.population)}</p>{sample}<dl>{items}</dl></div>")


def summary(report: Report) -> str:
    """The executive summary: key figures per year with the last change, and the notable changes in words."""
    year, before = kpis.academic_year(report.years[-1]), kpis.academic_year(report.years[-1] - 1)
    header, rows = report.key_figures_table()
    words = "".join(f"<li>{escape(s)}</li>" for s in report.sentences)
    if not report.sentences:
        words = f"<li>No count changed {NOTABLE} from {before} to {year}.</li>"
    return (f'<section class="summary"><h2>Executive summary</h2>'
            f"<h3>Key figures</h3>{table(header, rows, 'Key figures')}"
            f'<p class="note">Entrants: the cohort entering in the year. Active trainees: enrolled at any time in '
            f"the year. Graduates: degrees conferred in the year. Stipends paid: on appointments that began in the "
            f"year. Completion rate and median time to degree, per program: of the cohort whose nominal length ran "
            f"out as the year began, the share graduated by its end; elapsed years from start to degree of the "
            f"year's graduates, leaves included. Alumni: graduates by the end of the year, by the role group of "
            f"their current position.</p>"
            f"<h3>Notable changes from {before} to {year}</h3><ul>{words}</ul></section>")


def charts(report: Report) -> str:
    """The key charts, interactive, each with the rows it draws."""
    parts = ['<section><h2>Key charts</h2>']
    for chart in report.charts:
        parts.append(f'<div class="chart"><h3>{escape(chart.title)}</h3>'
                     f'<p class="note">{escape(chart.scope)}. {escape(chart.summary)}</p>')
        if chart.figure is not None:
            # Printable width (US Letter less margins); the heading above carries the title; room for axis labels.
            figure = go.Figure(chart.figure).update_layout(width=700, margin={"b": 70, "l": 70})
            parts.append(pio.to_html(figure, full_html=False, include_plotlyjs=False,
                                     config={"displaylogo": False, "responsive": False, "displayModeBar": False},
                                     div_id=f"chart-{chart.key}"))
        parts.append("</div>")
        parts.append(frame(chart.table.written(), f"The numbers behind the chart: {chart.title}"))
    parts.append("</section>")
    return "".join(parts)


def nih(report: Report) -> str:
    """NIH Table 6 and Table 8 Part III for the programs in scope."""
    if not report.nih_tables:
        return ""
    parts = ["<section><h2>NIH training data tables</h2>",
             f'<p class="note">Table 6: applicants and entrants per program for the five cycle years through '
             f"{report.years[-1]}; eligible = US citizens, non-citizen nationals and permanent residents. Table 8 "
             "Part III: trainees supported by the training grant who entered in the ten years through "
             f"{report.years[-1]}. Predoctoral programs are in the A tables, postdoctoral in the B tables. Table 8 "
             "Part I lists trainees by name and is in the XLSX download for administrators only.</p>"]
    for name, rows in report.nih_tables.items():
        parts.append(f'<div class="keep"><h3>{escape(name)}</h3>{frame(rows, name)}</div>')
    parts.append("</section>")
    return "".join(parts)


def lineage(report: Report) -> str:
    """Where the figures come from: the published run and its source files."""
    info = report.lineage
    files = [[f["name"], f["bytes"], str(f["sha256"])[:12]] for f in info.get("source_files", [])]
    counts = [[name, rows] for name, rows in info.get("row_counts", {}).items()]
    return ("<section><h2>About the data</h2>"
            f"<p>Data as of {escape(str(info.get('as_of_date', '—')))}; run {escape(str(info.get('run_id', '—')))}, "
            f"published {escape(str(info.get('published_at', '—')).replace('T', ' '))}; "
            f"built from {escape(source_name(info))}.</p>"
            + (table(["Source file", "Bytes", "SHA-256 (first 12)"], files, "Source files") if files else "")
            + (table(["Table", "Rows loaded"], counts, "Rows loaded per table") if counts else "")
            + "<p class=\"note\">Academic year Y runs from 1 July Y to 30 June Y+1. Every figure is computed by the "
            "same definitions as the dashboard's pages.</p></section>")


def source_name(info: dict) -> str:
    """Where the data came from, as a forwarded report may say it: the built-in sample, or the file or folder's name
    (never a path on the server)."""
    if info.get("is_sample"):
        return "the built-in, invented sample"
    return Path(str(info.get("source") or "—")).name


def frame(rows: pd.DataFrame, label: str) -> str:
    """A frame as an HTML table, numbers right-aligned and written as on the pages."""
    return table(list(rows.columns), rows.to_numpy().tolist(), label)


def table(header: list[str], rows: list[list], label: str) -> str:
    """An HTML table named by label (for screen readers), its header cells marked as column headers; cells holding
    figures are right-aligned."""
    years = {i for i, h in enumerate(header) if str(h).lower().endswith("year")}  # 2021, not 2,021

    def cell(value, tag: str, column: int = -1) -> str:
        text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else value
        if column in years and isinstance(text, int | float):
            text = str(int(text))
        elif isinstance(text, float):
            text = f"{text:,.0f}" if text.is_integer() else f"{text:,.1f}"
        elif isinstance(text, int):
            text = f"{text:,}"
        text = str(text)
        numeric = text.replace(",", "").replace("$", "").replace("%", "").replace("<", "").replace(".", "")
        numeric = numeric.replace("+", "").replace("-", "").replace(" y", "").replace(" pts", "").isdigit()
        scope = ' scope="col"' if tag == "th" else ""
        return f'<{tag}{scope}{" class=n" if numeric else ""}>{escape(text)}</{tag}>'
    head = "".join(cell(h, "th") for h in header)
    body = "".join("<tr>" + "".join(cell(v, "td", i) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f'<table aria-label="{escape(label)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
