"""Leadership reports: `python -m reports build` writes a PDF or a self-contained HTML report of an academic year —
key figures with their change and trend, notable changes in words, key charts, NIH tables, lineage — and the Reports
page shows the same, with the downloads. Figures are worked out by hand (fixture) or with pandas on the source CSVs
(sample), never read from the product."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import PROJECT_ROOT, SMALL, build, every_tab, links_in, open_page, rendered

SAMPLE = PROJECT_ROOT / "data" / "sample"
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")


def run_cli(*args: str, warehouse: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reports", *args, "--warehouse", str(warehouse)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300)


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return [document[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(document))]
    finally:
        document.close()


def flat(text: str) -> str:
    """Text with every run of white space (table cells wrap over lines) made one space."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory) -> Path:
    warehouse = tmp_path_factory.mktemp("sample_reports") / "wh"
    assert build(SAMPLE, warehouse).outcome == "published"
    return warehouse


@pytest.fixture(scope="module")
def small_reports(tmp_path_factory) -> dict[str, Path]:
    """The fixture's academic-year-2020 report (trend from 2018, its first cohort) as PDF, for each reader."""
    folder = tmp_path_factory.mktemp("small_reports")
    warehouse = folder / "wh"
    assert build(SMALL, warehouse).outcome == "published"
    out = {}
    for role in ("administrator", "leadership"):
        out[role] = folder / f"{role}.pdf"
        done = run_cli("build", "--year", "2020", "--from", "2018", "--format", "pdf", "--out", str(out[role]),
                       "--role", role, warehouse=warehouse)
        assert done.returncode == 0, done.stderr
    out["warehouse"] = warehouse
    return out


# By hand from tests/fixtures/small, academic year 2020 (July 2020 - June 2021) against 2019:
# entrants: cohort 2020 T07 T08 T12 = 3 (all p_post); cohort 2019 T04 T05 T06 = 3 (all p_phd).
# applicants: cycle 2020 A11-A14 = 4 (p_post); cycle 2019 A07-A10 = 4 (p_phd).
# graduates: none in either year (the first, T07 and T12, on 2022-06-30).
# active: AY2020 T01 T02 T04 T05 T06 T07 T08 T12 = 8; AY2019 T01-T06 = 6 (T03 left 2020-06-30, inside AY2019).
# stipends on appointments starting in the year: AY2020 AP04 53,000 + AP06 50,000 = 103,000; AY2019 AP02 24,000.
# Trend from 2018: entrants 3 (2018: T01 T02 T03), 3, 3; active 3, 6, 8; stipends $53,000 (AP01 23,000 + AP03 30,000),
# $24,000, $103,000.
# Completion rate and median time to degree are per program: no cohort's nominal length ran out by then (p_phd 5 years:
# cohort 2013-2015; p_post 2 years: 2016-2018; p_cert 1 year: 2017-2019 — nobody entered), and nobody graduated.
KEY_FIGURES_2020 = [
    "Entrants 3 3 3 no change",
    "Active trainees 3 6 8 +2",
    "Graduates 0 0 0 no change",
    "Stipends paid $53,000 $24,000 $103,000 +$79,000",
    "Completion rate, Test PhD Program — — — —",
    "Median time to degree, Test Informatics Fellowship — — — —",
]
# Notable (at least 3 people and 20%): p_post applicants 0 -> 4 and p_phd 4 -> 0; entrants p_post 0 -> 3 and p_phd
# 3 -> 0. Track counts change by 2 at most (Imaging 2 -> 0). Ordered by size of change, then measure, then program.
SENTENCES_2020 = [
    "Applications to Test Informatics Fellowship rose from 0 to 4.",
    "Applications to Test PhD Program fell from 4 to 0.",
    "Entrants to Test Informatics Fellowship rose from 0 to 3.",
    "Entrants to Test PhD Program fell from 3 to 0.",
]


def test_the_pdf_holds_the_title_page_key_figures_and_sentences_worked_out_by_hand(small_reports):
    pages = pdf_pages(small_reports["administrator"])
    title = pages[0]
    assert "Training program report, academic year 2020–21" in title
    assert "All programs" in title and "2018–19 to 2020–21" in title
    assert "Data as of 2026-06-30" in flat(title)
    text = flat(" ".join(pages))
    for row in KEY_FIGURES_2020:
        assert row in text, row
    for sentence in SENTENCES_2020:
        assert sentence in text, sentence
    # Every page is numbered in its footer.
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_the_pdf_holds_the_nih_tables_worked_out_by_hand(small_reports):
    text = flat(" ".join(pdf_pages(small_reports["administrator"])))
    # Table 6A through 2020 (cycle years 2016-2020): p_phd 2018 6 4 3 2, 2019 4 3 3 3, no grant appointees; mean over
    # five years 10/5 = 2, 7/5 = 1.4, 6/5 = 1.2, 5/5 = 1, 0. Table 6B: p_post 2020 4 3 3 2 and T07, T08 appointed.
    assert "Test PhD Program 2018 6 4 3 2 0" in text
    assert "Test PhD Program Five-year mean 2 1.4 1.2 1 0" in text
    assert "Test Informatics Fellowship 2020 4 3 3 2 2" in text
    # Table 8B Part III through 2020: grant-supported entrants of 2011-2020 are T07 and T08 (T09 entered in 2021),
    # both completed: 100%, (729 + 1,094) / 2 days = 2.5 years.
    assert "Test Informatics Fellowship 2 2 0 0 100 2.5" in text
    # Part I (names) is never in the PDF, whoever it is for.
    assert not any(name in text for name in ("Ruiz", "Ibsen", "Janssen", "Quill"))


def test_the_leadership_pdf_holds_the_same_exact_figures_and_no_names(small_reports):
    text = flat(" ".join(pdf_pages(small_reports["leadership"])))
    assert "Leadership (aggregates only: no names)" in text
    for row in KEY_FIGURES_2020:  # exact, as administrators read them
        assert row in text, row
    for sentence in SENTENCES_2020:
        assert sentence in text, sentence
    assert "Test PhD Program 2018 6 4 3 2 0" in text
    assert "<5" not in text
    assert not any(name in text for name in ("Ruiz", "Ibsen", "Janssen", "Quill"))


def test_a_pdf_page_renders_legibly_to_png(small_reports):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(small_reports["administrator"]))
    try:
        page = document[2]  # the first page of key charts
        image = page.render(scale=150 / 72).to_pil()
        chars = page.get_textpage().count_chars()
    finally:
        document.close()
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "report-page-3.png")
    assert image.size[0] >= 1200 and chars > 100  # 8.5 in at 150 dpi, with text (not a picture of text)
    assert sum(image.convert("L").histogram()[:128]) > 2000  # ink on the page: a chart and a table drawn



def test_the_html_report_references_nothing_beyond_itself_and_draws_interactive_charts(small_reports, tmp_path):
    out = tmp_path / "report.html"
    done = run_cli("build", "--year", "2020", "--from", "2018", "--format", "html", "--out", str(out),
                   warehouse=small_reports["warehouse"])
    assert done.returncode == 0, done.stderr
    document = out.read_text(encoding="utf-8")
    assert links_in(document) == []
    assert "<script src" not in document and "<link" not in document
    for sentence in SENTENCES_2020:
        assert sentence in document  # the CLI's default reader is leadership, who reads exact figures

    # As administrators read it, every chart is drawn: open it in Chromium, offline.
    done = run_cli("build", "--year", "2020", "--from", "2018", "--format", "html", "--out", str(out), "--role",
                   "administrator", warehouse=small_reports["warehouse"])
    assert done.returncode == 0, done.stderr
    assert links_in(out.read_text(encoding="utf-8")) == []
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing at /usr/bin/chromium (apt-get install chromium, as .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            requests = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(out.as_uri())
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4", timeout=60_000)
            # Interactive: plotly's hover layer is there on every chart.
            assert page.locator(".js-plotly-plot .nsewdrag").count() >= 4
        finally:
            browser.close()
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:", "about:"))] == []


def test_the_cli_names_what_is_wrong_and_exits_non_zero(small_reports, tmp_path):
    out = tmp_path / "r.html"
    empty = run_cli("build", "--year", "2020", "--format", "html", "--out", str(out), warehouse=tmp_path / "none")
    assert empty.returncode == 4 and "nothing is published" in empty.stderr
    unknown = run_cli("build", "--year", "2020", "--format", "html", "--out", str(out), "--program", "p_nope",
                      warehouse=small_reports["warehouse"])
    assert unknown.returncode == 2 and "p_nope" in unknown.stderr and "p_phd" in unknown.stderr
    early = run_cli("build", "--year", "2018", "--format", "html", "--out", str(out),
                    warehouse=small_reports["warehouse"])  # the first cohort is 2018: no year before it to compare
    assert early.returncode == 2 and "--year must be from 2019" in early.stderr
    assert not out.exists()


def test_a_program_report_counts_only_that_program(small_reports, tmp_path):
    out = tmp_path / "r.html"
    done = run_cli("build", "--year", "2020", "--from", "2018", "--program", "p_phd", "--format", "html", "--out",
                   str(out), "--role", "administrator", warehouse=small_reports["warehouse"])
    assert done.returncode == 0, done.stderr
    document = out.read_text(encoding="utf-8")
    # p_phd: entrants 2018 T01-T03 = 3, 2019 T04-T06 = 3, 2020 none; active 2018 3, 2019 6, 2020 T01 T02 T04 T05 T06
    # = 5 (T03 left in June 2020).
    assert re.search(r"<td>Entrants</td><td class=n>3</td><td class=n>3</td><td class=n>0</td><td class=n>-3</td>",
                     document)
    assert re.search(r"<td>Active trainees</td><td class=n>3</td><td class=n>6</td><td class=n>5</td>"
                     r"<td class=n>-1</td>", document)
    assert "Entrants to Test PhD Program fell from 3 to 0." in document
    assert "Test Informatics Fellowship" not in document.split("<section")[1]  # not in the summary


def sample_sentences(year: int) -> set[str]:
    """The notable changes from year - 1 to year, with pandas on the sample's source CSVs."""
    trainees = pd.read_csv(SAMPLE / "trainees.csv", parse_dates=["start_date", "end_date"])
    applicants = pd.read_csv(SAMPLE / "applicants.csv")
    programs = pd.read_csv(SAMPLE / "programs.csv").set_index("program_id")["program_name"]
    tracks = pd.read_csv(SAMPLE / "tracks.csv").set_index("track_id")["track_name"]
    end_year = trainees["end_date"].dt.year - (trainees["end_date"].dt.month < 7)
    graduates = trainees[trainees["status"] == "graduated"].assign(academic_year=end_year)
    counts = []
    for measure, frame, year_column, by in (
        ("entrants", trainees, "cohort_year", ["program_id"]),
        ("track", trainees.dropna(subset=["track_id"]), "cohort_year", ["program_id", "track_id"]),
        ("graduates", graduates, "academic_year", ["program_id"]),
        ("applicants", applicants, "cycle_year", ["program_id"]),
    ):
        chosen = frame[frame[year_column].isin([year - 1, year])]
        table = chosen.groupby([*by, year_column]).size().unstack(fill_value=0)
        for key, row in table.reindex(columns=[year - 1, year], fill_value=0).iterrows():
            counts.append((measure, key, int(row[year - 1]), int(row[year])))
    out = set()
    for measure, key, before, now in counts:
        change = now - before
        if abs(change) < 3 or (before and abs(change) < 0.2 * before):
            continue
        figures = f"{'rose' if change > 0 else 'fell'} from {before:,} to {now:,}"
        if measure == "track":
            out.add(f"Entrants to the {tracks[key[1]]} track ({programs[key[0]]}) {figures}.")
        else:
            subject = {"entrants": "Entrants to", "graduates": "Graduates of", "applicants": "Applications to"}[measure]
            out.add(f"{subject} {programs[key if isinstance(key, str) else key[0]]} {figures}.")
    return out


def test_sentences_on_the_sample_match_a_pandas_count_of_the_source_files(sample_warehouse, tmp_path):
    out = tmp_path / "sample.html"
    done = run_cli("build", "--year", "2024", "--format", "html", "--out", str(out), "--role", "administrator",
                   warehouse=sample_warehouse)
    assert done.returncode == 0, done.stderr
    document = out.read_text(encoding="utf-8")
    summary = document.split("Notable changes from")[1].split("</ul>")[0]
    shown = set(re.findall(r"<li>(.*?)</li>", summary))
    expected = sample_sentences(2024)
    assert expected, "the sample should have notable changes in 2024"
    assert {s.replace("&#x27;", "'").replace("&amp;", "&") for s in shown} == expected


def test_the_reports_page_shows_the_summary_and_nih_tables_with_part_i_for_administrators_only(small_app):
    at = open_page("reports")
    assert not at.exception
    at.selectbox(key="report_year").set_value(2020)
    at = at.run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    for sentence in SENTENCES_2020:
        assert sentence in rendered(text)
    at.session_state["reports_section"] = "nih"
    at = at.run()
    titles = [m.value for m in at.markdown if m.value.startswith("**Table")]
    assert "**Table 6A**" in titles and "**Table 8B Part III**" in titles
    # Part I (names) is not sent to the page: its size, and the workbook to download. Ibsen and Ruiz were first on
    # the grant by June 2021.
    assert any("Table 8B Part I, 2 trainees" in m.value for m in at.markdown)
    assert not any("Trainee" in df.value.columns for df in at.dataframe)

    lead = open_page("reports", role="leadership")
    lead.selectbox(key="report_year").set_value(2020)
    everything = ""
    for view in every_tab(lead.run()):
        assert not view.exception
        assert not any("Trainee" in df.value.columns for df in view.dataframe)
        assert not any("Part I, " in m.value for m in view.markdown)
        everything += " ".join(m.value for m in view.markdown) + " ".join(str(df.value.to_dict())
                                                                         for df in view.dataframe)
    assert not any(name in everything for name in ("Ruiz", "Ibsen", "Janssen", "Quill"))
    assert all(sentence in rendered(everything) for sentence in SENTENCES_2020)


def test_the_page_builds_the_pdf_for_the_viewer(small_app, tmp_path):
    at = open_page("reports", role="leadership")
    at.selectbox(key="report_year").set_value(2020)
    at = at.run()
    at.button(key="report_pdf_build").click()
    at = at.run(timeout=180)
    assert not at.exception
    assert [b.proto.label for b in at.get("download_button") if b.proto.label == "PDF report"] == ["PDF report"]
    built = at.session_state["report_pdf"]
    assert built.startswith(b"%PDF")
    (tmp_path / "page.pdf").write_bytes(built)
    text = flat(" ".join(pdf_pages(tmp_path / "page.pdf")))
    assert "Leadership (aggregates only: no names)" in text and "Entrants 3 3 3 no change" in text


def test_the_sample_pdf_holds_key_figures_counted_with_pandas_from_the_source_files(sample_warehouse, tmp_path):
    out = tmp_path / "sample.pdf"
    done = run_cli("build", "--year", "2024", "--format", "pdf", "--out", str(out), "--role", "administrator",
                   warehouse=sample_warehouse)
    assert done.returncode == 0, done.stderr
    trainees = pd.read_csv(SAMPLE / "trainees.csv", parse_dates=["start_date", "end_date"])
    appointments = pd.read_csv(SAMPLE / "appointments.csv", parse_dates=["start_date"])
    years = range(2020, 2025)  # five academic years through 2024-25
    starts = {y: pd.Timestamp(y, 7, 1) for y in years}
    ends = {y: pd.Timestamp(y + 1, 6, 30) for y in years}
    entrants = [int((trainees["cohort_year"] == y).sum()) for y in years]
    active = [int(((trainees["start_date"] <= ends[y])
                   & (trainees["end_date"].isna() | (trainees["end_date"] >= starts[y]))).sum()) for y in years]
    graduated = trainees[trainees["status"] == "graduated"]
    graduates = [int(graduated["end_date"].between(starts[y], ends[y]).sum()) for y in years]
    stipends = [appointments.loc[appointments["start_date"].between(starts[y], ends[y]), "stipend_usd"].fillna(0).sum()
                for y in years]

    def change(values: list, money: bool = False) -> str:
        delta = round(values[-1]) - round(values[-2])
        if not delta:
            return "no change"
        return (f"{'+' if delta > 0 else '-'}${abs(delta):,}" if money else f"{delta:+,}")

    text = flat(" ".join(pdf_pages(out)))
    assert "Sample data." in text  # the title page says the figures are invented
    assert f"Entrants {' '.join(f'{v:,}' for v in entrants)} {change(entrants)}" in text
    assert f"Active trainees {' '.join(f'{v:,}' for v in active)} {change(active)}" in text
    assert f"Graduates {' '.join(f'{v:,}' for v in graduates)} {change(graduates)}" in text
    assert f"Stipends paid {' '.join(f'${v:,.0f}' for v in stipends)} {change(stipends, True)}" in text


def test_a_kept_report_follows_a_publish(small_warehouse, tmp_path):
    """The page keeps a built report per snapshot and scope; once a refresh publishes, it shows the new figures."""
    def entrants_in_2021() -> str:
        at = open_page("reports")
        at.selectbox(key="report_year").set_value(2021)
        at = at.run()
        assert not at.exception
        (figures,) = [t.value for t in at.table]  # the key figures, one row per measure
        return figures.loc["Entrants", "2021–22"]

    before = entrants_in_2021()
    source = tmp_path / "src"
    shutil.copytree(SMALL, source)
    with (source / "trainees.csv").open("a", encoding="utf-8") as f:
        f.write("T99,,p_cert,,2021,2021-09-01,active,,,BS,,us_citizen,female,false,New,Person,"
                "new.person@example.edu,,,,\n")
    assert build(source, small_warehouse).outcome == "published"
    # The small fixture's 2021 cohort: T09 (p_post), T10 and T11 (p_cert) = 3 entrants; T99 makes 4.
    assert (before, entrants_in_2021()) == ("3", "4")


def test_the_nih_workbook_holds_part_i_for_administrators_only(small_snapshot):
    import io

    import duckdb
    from openpyxl import load_workbook

    from dashboard import queries
    from reports import content, nih

    con = duckdb.connect(str(small_snapshot), read_only=True)
    try:
        with queries.reading(con):
            sheets = {}
            for role in ("administrator", "leadership"):
                scope = content.Scope(2020, 2018, (), role)
                tables = content.nih_figures(scope)
                book = load_workbook(io.BytesIO(nih.workbook({**tables, **content.nih_part1(scope)})))
                sheets[role] = {name: [r for r in book[name].iter_rows(values_only=True)] for name in book.sheetnames}
    finally:
        con.close()
    part1 = [name for name in sheets["administrator"] if "Part I" in name and "Part III" not in name]
    assert part1 == ["Table 8B Part I"]
    names = {row[0] for row in sheets["administrator"]["Table 8B Part I"]}
    assert {"Ibsen, Hal", "Ruiz, Gia"} <= names  # T08 and T07, first on the grant by June 2021
    assert not [name for name in sheets["leadership"] if "Part I" in name and "Part III" not in name]
