"""The public outcomes as files: one self-contained HTML page, an XLSX workbook (About, a sheet per table, the audit)
and one tidy CSV; every text cell a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import io
from html import escape
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import describe, exports
from etl.contract import LABELS
from reports import disclosure as sdc
from reports import html as report_html
from reports.public import TABLES, Band, Column, PublicOutcomes, Table, charts, figures_of

FORMATS = {
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
TITLE = "Training program outcomes"
# The report's look (reports/html.py), and what only these tables need: suppressed cells and the list of programs.
STYLE = report_html.STYLE + """
td.n { white-space: nowrap; }
td.s { text-align: right; color: var(--muted); font-style: italic; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; }
dt { color: var(--muted); } dd { margin: 0; }
"""


def kind_of(path: str | Path) -> str | None:
    """The format a file name asks for (html, xlsx or csv), or None."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def render(outcomes: PublicOutcomes, kind: str) -> bytes:
    """The public outcomes as a file of this kind (refused unless the audit passed: nothing unaudited is written)."""
    if not outcomes.audit.passed:
        raise sdc.DisclosureError(f"the audit found {len(outcomes.audit.failures)} small count(s) unprotected")
    return {"html": lambda o: html(o).encode("utf-8"), "xlsx": xlsx, "csv": csv}[kind](outcomes)


def write(outcomes: PublicOutcomes, path: str | Path) -> None:
    """Write the public outcomes to a file, in the format its name ends with."""
    kind = kind_of(path)
    if kind is None:
        raise ValueError(f"{path}: the file name must end in .html, .xlsx or .csv")
    Path(path).write_bytes(render(outcomes, kind))


def text(value, status: str, kind: str) -> str:
    """A figure as printed."""
    if status != "shown":
        return "—" if status == "n/a" else status
    if kind == "percent":
        return f"{value}%"
    if kind == "median":
        return f"{value:.1f}"
    return f"{value:,}"


def protection_words(outcomes: PublicOutcomes) -> list[str]:
    """How to read the tables and how they are protected, in sentences."""
    t, summary = outcomes.threshold, outcomes.summary
    bands = ", ".join(b.label for b in outcomes.bands)
    last = outcomes.bands[-1]
    partial = (f" The latest band holds the cohorts {last.start}–{outcomes.last_cohort_year} so far."
               if outcomes.last_cohort_year < last.end else "")
    return [
        f"Each program is reported on its own, never blended with another, over the same fixed five-year bands of "
        f"entering cohorts (admissions: of the cycle year of intended entry): {bands}.{partial} The set of figures "
        "is fixed: no one can filter it, so every figure below is all that is published.",
        f"Counts from 1 to {t - 1} read \"suppressed\", and so does every percent or median resting on them; a zero "
        "is always shown. Where a suppressed count could be worked out from what is shown (a row's total less its "
        "other cells, the same people in another table, a percent), further counts are suppressed too, and career "
        f"categories under {t} are pooled into one row that names them (an empty category may be among them).",
        "The whole set is audited as statistical agencies audit published tables: every published number becomes a "
        "linear constraint and, for each suppressed count, linear programming finds the lowest and highest value "
        f"the published figures allow. Every small count's range reaches beyond 1–{t - 1}: the published figures "
        f"neither give it away nor show that it is small. This release suppresses {summary['counts suppressed']} "
        f"counts and pools {summary['categories pooled away']} career categories; the audit "
        f"{'passed' if summary['audit passed'] else 'FAILED'} ({summary['linear programs solved']} linear programs).",
        "\"In progress\": completion within 8 (10) years is shown for a band only once all its entrants have had 8 "
        "(10) years by the data's as-of date; until then the figure could still rise and is not shown.",
        "URM is counted among domestic entrants only (US citizens, non-citizen nationals and permanent residents), "
        "as CNGLS reports it. Time to degree is elapsed time, leaves included.",
    ]


def html(outcomes: PublicOutcomes) -> str:
    """The public outcomes as one self-contained HTML document (plotly.js inline, nothing fetched)."""
    from plotly.offline import get_plotlyjs

    info = outcomes.lineage
    facts = {
        "Programs": ", ".join(outcomes.programs.values()),
        "Cohort bands": ", ".join(b.label for b in outcomes.bands),
        "Data as of": info.get("as_of_date", "—"),
        "Run": info.get("run_id", "—"),
        "Generated": outcomes.generated_at,
    }
    sample = ('<p class="banner"><strong>Sample data.</strong> These figures come from the built-in, invented sample '
              "— not a real program's records.</p>") if info.get("is_sample") else ""
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in facts.items())
    words = "".join(f"<li>{escape(s)}</li>" for s in protection_words(outcomes))
    body = [f"<h1>{TITLE}</h1>{sample}<dl>{items}</dl>",
            f"<section><h2>How to read these tables, and how they are protected</h2><ul>{words}</ul></section>"]
    for number, program_id in enumerate(outcomes.programs):
        body.append(program_section(outcomes, program_id, number))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{TITLE}</title><style>{STYLE}</style><script>{get_plotlyjs()}</script></head>"
            f"<body>{''.join(body)}</body></html>")


def program_section(outcomes: PublicOutcomes, program_id: str, number: int) -> str:
    """One program's tables and charts."""
    parts = [f"<section><h2>{escape(outcomes.programs[program_id])}</h2>"]
    for table in TABLES:
        parts.append(f"<h3>{escape(table.title)}</h3>{html_table(outcomes, table, program_id)}")
        note = table.note.format(threshold=outcomes.threshold)
        if table.sheet == "Completion":
            for years in (8, 10):
                waiting = outcomes.in_progress(program_id, years)
                if waiting:
                    note += f" Within {years} years, still in progress: cohorts {', '.join(waiting)}."
        parts.append(f'<p class="note">{escape(note)}</p>')
    for index, (title, figure, note) in enumerate(charts(outcomes, program_id)):
        parts.append(f"<h3>{escape(title)}</h3>")
        if figure is None:
            parts.append('<p class="note">Nothing to draw: every figure is suppressed or in progress.</p>')
            continue
        parts.append(f'<p class="note">{escape(describe.sentence(figure))}</p>')
        # The heading above carries the title; room for the axis titles (as reports/html.py lays its charts out).
        figure = go.Figure(figure).update_layout(title_text="", margin={"l": 70, "b": 60})
        parts.append(pio.to_html(figure, full_html=False, include_plotlyjs=False, div_id=f"chart-{number}-{index}",
                                 config={"displaylogo": False, "responsive": True}))
        if note:
            parts.append(f'<p class="note">{escape(note)}</p>')
    return "".join(parts) + "</section>"


def html_table(outcomes: PublicOutcomes, table: Table, program_id: str) -> str:
    """A table for one program: a row per band (per category in the careers tables), a count and its percent per
    cell."""
    header = [table.band_label, *(["Category"] if table.careers else [])]
    for column in table.columns:
        hint = column.percent_label.split(", ")[-1] if column.percent else ""
        header.append(f"{column.label} ({hint})" if hint else column.label)
    rows = []
    for band, row, prefix in outcomes.rows(table, program_id):
        cells = [f"<td>{escape(band.label)}</td>"] + ([f"<td>{escape(row)}</td>"] if table.careers else [])
        for column in table.columns:
            figures = _cells(outcomes, program_id, band, prefix, column)
            (value, status, kind), share = figures[0], figures[1:]
            written = text(value, status, kind)
            if status == "shown" and share and share[0][1] == "shown":
                written += f" ({text(*share[0])})"
            cells.append(f'<td class="{"n" if status == "shown" else "s"}">{escape(written)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cells(outcomes: PublicOutcomes, program_id: str, band: Band, prefix: str, column: Column) -> list[tuple]:
    """The (value, status, kind) of a column's figures in one row: the count (or median), then its percent."""
    return [(*outcomes.cell(program_id, band, measure, kind), kind) for measure, _, kind in figures_of(column, prefix)]


def sheet(outcomes: PublicOutcomes, table: Table) -> tuple[pd.DataFrame, list[str]]:
    """A table as a sheet, every program stacked (percents as fractions), and the names of its percent columns."""
    rows, percents = [], []
    for program_id, program in outcomes.programs.items():
        for band, row, prefix in outcomes.rows(table, program_id):
            out = {"Program": program, table.band_label: band.label}
            if table.careers:
                out["Category"] = row
            for column in table.columns:
                for (value, status, kind), (_, label, _) in zip(
                        _cells(outcomes, program_id, band, prefix, column), figures_of(column, prefix),
                        strict=True):
                    if kind == "percent":
                        percents.append(label)
                        value = value / 100 if value is not None else None
                    out[label] = value if status == "shown" else (None if status == "n/a" else status)
            rows.append(out)
    return pd.DataFrame(rows), sorted(set(percents))


def audit_sheet(outcomes: PublicOutcomes) -> pd.DataFrame:
    """Every suppressed or pooled-away count with the range the published figures allow (no true value, and not
    which were small: those would themselves disclose)."""
    rows = []
    for interval in outcomes.audit.intervals:
        program_id, band_start, _ = interval.key
        rows.append({
            "Program": outcomes.programs[program_id],
            "Band": next(b.label for b in outcomes.bands if b.start == band_start),
            "Figure": figure_label(outcomes, interval.key),
            "Published as": "pooled" if interval.status == sdc.POOLED else "suppressed",
            "Lowest value the published figures allow": interval.lower,
            "Highest value the published figures allow": "no limit" if interval.upper == float("inf")
            else interval.upper,
            "Protected": "yes" if interval.protected else "NO",
        })
    return pd.DataFrame(rows, columns=["Program", "Band", "Figure", "Published as",
                                       "Lowest value the published figures allow",
                                       "Highest value the published figures allow", "Protected"])


def figure_label(outcomes: PublicOutcomes, key: tuple) -> str:
    """A count as a reader would name it, e.g. "Enrollment: Women" or "Career sector: Government (pooled)"."""
    program_id, band_start, measure = key
    for table in TABLES:
        for column in table.columns:
            if column.measure == measure and not table.careers:
                return f"{table.sheet}: {column.label}"
    dimension, _, code = measure.partition(":")
    name = {"sector": "Career sector", "career_type": "Career type"}[dimension]
    if code == "pooled":
        careers = outcomes.frames["public_careers"]
        row = careers[(careers["program_id"] == program_id) & (careers["band_start"] == band_start)
                      & (careers["dimension"] == dimension) & (careers["category"] == "pooled")]
        return f"{name}: {row['label'].iloc[0]}"
    pooled = (program_id, band_start, measure) not in outcomes.release.counts
    return f"{name}: {LABELS.get(code, code)}{' (pooled)' if pooled else ''}"


def about(outcomes: PublicOutcomes) -> pd.DataFrame:
    """The About sheet: what the workbook holds, as of when, how it is protected and the audit's summary."""
    info = outcomes.lineage
    rows = [
        ("Title", TITLE),
        ("Data as of", info.get("as_of_date", "—")),
        ("Run", info.get("run_id", "—")),
        ("Published", str(info.get("published_at", "—")).replace("T", " ")),
        ("Generated", outcomes.generated_at),
        ("Sample data", "yes: invented figures" if info.get("is_sample") else "no"),
        ("Programs", "; ".join(outcomes.programs.values())),
        ("Cohort bands", ", ".join(b.label for b in outcomes.bands)),
        ("Suppression threshold", f"counts from 1 to {outcomes.threshold - 1} are suppressed"),
    ]
    rows += [(f"How to read ({i})", s) for i, s in enumerate(protection_words(outcomes), start=1)]
    rows += [(f"Audit: {k}", "yes" if v is True else "NO" if v is False else v) for k, v in outcomes.summary.items()
             if "primary" not in k and "complementary" not in k]
    return pd.DataFrame(rows, columns=["Item", "Value"])


def xlsx(outcomes: PublicOutcomes) -> bytes:
    """The workbook: About, one sheet per table (percents as percent-formatted numbers), and Audit."""
    from openpyxl.utils import get_column_letter

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        exports.neutralise(about(outcomes)).to_excel(writer, sheet_name="About", index=False)
        for table in TABLES:
            frame, percents = sheet(outcomes, table)
            exports.neutralise(frame).to_excel(writer, sheet_name=table.sheet, index=False)
            worksheet = writer.sheets[table.sheet]
            for position, name in enumerate(frame.columns, start=1):
                letter = get_column_letter(position)
                worksheet.column_dimensions[letter].width = max(12, min(40, len(str(name)) + 2))
                if name in percents:
                    for (cell,) in worksheet.iter_rows(min_row=2, min_col=position, max_col=position):
                        if isinstance(cell.value, int | float):
                            cell.number_format = "0%"
        exports.neutralise(audit_sheet(outcomes)).to_excel(writer, sheet_name="Audit", index=False)
        writer.sheets["About"].column_dimensions["A"].width = 28
        writer.sheets["About"].column_dimensions["B"].width = 120
    return buffer.getvalue()


def tidy(outcomes: PublicOutcomes) -> pd.DataFrame:
    """Every published figure, one row each: table, program, band, measure, and the value or why it is missing."""
    rows = []
    for record in outcomes.records():
        measure = f"{record['row']}: {record['measure']}" if record["row"] else record["measure"]
        if record["kind"] == "percent" and "%" not in measure:
            measure += " (%)"
        value = record["value"] if record["status"] == "shown" else ("" if record["status"] == "n/a"
                                                                     else record["status"])
        rows.append({"table": record["table"], "program": record["program"], "band": record["band"],
                     "measure": measure, "value": value})
    return pd.DataFrame(rows, columns=["table", "program", "band", "measure", "value"])


def csv(outcomes: PublicOutcomes) -> bytes:
    """The tidy CSV (UTF-8 with a byte-order mark, formula-like text neutralised)."""
    return exports.csv_bytes(tidy(outcomes))
