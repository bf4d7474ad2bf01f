"""Refresh data page (data staff): upload through the file uploader, read the findings and the comparison, publish
in a separate process, see the dashboard change, roll back and see it return."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd

from dashboard import review, roles
from etl import compare, config, lineage, pipeline, uploads
from etl.history import History
from tests.conftest import SMALL, build, copy_source, fingerprint, open_page, rendered


def overview_stipends(warehouse_env) -> str:
    """The Overview's "Stipends paid" for academic year 2022-23 as the administrator sees it."""
    at = open_page("overview")
    at.selectbox(key="overview_year").set_value(2022)
    at.run()
    return next(m.value for m in at.metric if m.label == "Stipends paid")


def upload(at, files: list[tuple[str, bytes]], as_of: dt.date | None = None):
    """Choose files (and an as-of date, else the default stays) and check them."""
    at.file_uploader(key="upload_files").set_value([(name, data, "text/csv") for name, data in files])
    at.run()
    if as_of is not None:
        at.date_input(key="upload_as_of").set_value(as_of)
    at.button(key="upload_check").click()
    return at.run()


def table(at, column: str) -> pd.DataFrame:
    """The page's table with this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def rows(frame: pd.DataFrame) -> list[list]:
    return frame.astype(object).where(frame.notna(), None).values.tolist()


def with_cell(tmp_path, table_name: str, key: str, key_value: str, column: str, value: str) -> bytes:
    """A copy of one fixture table with one cell changed."""
    frame = pd.read_csv(SMALL / f"{table_name}.csv", dtype=str, keep_default_na=False)
    frame.loc[frame[key] == key_value, column] = value
    path = tmp_path / f"{table_name}.csv"
    frame.to_csv(path, index=False)
    return path.read_bytes()


def publish(at):
    """Acknowledge the warnings (if any), publish, and wait for the publish to end."""
    if any(c.key == "upload_ack" for c in at.checkbox):
        at.checkbox(key="upload_ack").check()
        at.run()
    at.button(key="upload_publish").click()
    at = wait_published(at.run())
    assert not at.error, [e.value for e in at.error]
    return at


def when(published_at: str) -> str:
    """How a choice reads a publish time: '2026-12-08 09:15 UTC'."""
    return published_at.replace("T", " ")[:16] + " UTC"


def wait_published(at, timeout: float = 60):
    """Rerun the page (the fragment polls the run history) until the publish has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        at.run()
        if any("Published run" in s.value for s in at.success) or at.error:
            return at
        time.sleep(0.5)
    raise AssertionError("the publish did not end in time")


def test_only_data_staff_have_the_page():
    # Reached directly by another role, the page refuses itself: tests/test_app.py checks every restricted page.
    assert [role for role in roles.ROLES if "refresh" in {p.key for p in roles.pages_for(role)}] == ["data_staff"]


def test_upload_publish_see_the_figure_change_then_roll_back(small_warehouse, tmp_path):
    before = overview_stipends(small_warehouse)
    # AY2022 stipends: AP09 59,592 (appointments starting July 2022 - June 2023). Raise it to 65,000.
    assert before == "$59,592"
    source = copy_source(tmp_path)
    appointments = pd.read_csv(source / "appointments.csv", dtype=str, keep_default_na=False)
    appointments.loc[appointments["appointment_id"] == "AP09", "stipend_usd"] = "65000"
    appointments.to_csv(source / "appointments.csv", index=False)
    published_before = pipeline.published(small_warehouse)

    at = upload(open_page("refresh", "data_staff"), [("appointments.csv", (source / "appointments.csv").read_bytes())])
    assert not at.exception
    assert any("Taken from the published data" in i.value for i in at.info)
    # The fixture's one warning (AP06 for T08 on a temporary visa) needs acknowledging before Publish is enabled.
    assert any(w.value.startswith("1 warning:") for w in at.warning)
    findings = next(d.value for d in at.dataframe if "Rule" in d.value.columns)
    assert findings[["Rule", "File", "Row"]].values.tolist() == [["nrsa_ineligible", "appointments.csv", 7]]
    tables = next(d.value for d in at.dataframe if "Changed" in d.value.columns).set_index("Table")
    assert tables.loc["appointments", ["Added", "Removed", "Changed"]].tolist() == [0, 0, 1]
    # The one cell, named: table, key, column, now and after.
    assert rows(table(at, "Key")) == [["appointments", "AP09", "changed", "stipend_usd", "59592.00", "65000.00"]]
    assert not any("as-of date would change" in w.value for w in at.warning)  # it stays 2026-06-30
    headline = next(d.value for d in at.dataframe if "Figure" in d.value.columns).set_index("Figure")
    assert headline.loc["Stipend dollars", "Change"] == 65000 - 59592
    assert at.button(key="upload_publish").disabled
    assert pipeline.published(small_warehouse) == published_before  # nothing changed yet

    at.checkbox(key="upload_ack").check()
    at.run()
    at.button(key="upload_publish").click()
    at = wait_published(at.run())
    assert not at.error, [e.value for e in at.error]
    now = pipeline.published(small_warehouse)
    assert now.run_id != published_before.run_id and now.user == "local data_staff"
    assert overview_stipends(small_warehouse) == "$65,000"

    at = open_page("refresh", "data_staff")
    runs = next(d.value for d in at.dataframe if "Outcome" in d.value.columns)
    assert runs.iloc[0][["Run", "Outcome", "By"]].tolist() == [now.run_id, "published", "local data_staff"]
    assert at.selectbox(key="rollback_to").value == published_before.run_id  # the one published before
    assert at.button(key="rollback_go").disabled
    at.checkbox(key="rollback_sure").check()
    at.run()
    at.button(key="rollback_go").click()
    at.run()
    assert any("published snapshot" in s.value for s in at.success)
    assert pipeline.published(small_warehouse).run_id == published_before.run_id
    assert overview_stipends(small_warehouse) == "$59,592"


def test_a_bad_upload_shows_its_errors_and_changes_nothing(small_warehouse, tmp_path):
    before = fingerprint(small_warehouse)
    source = copy_source(tmp_path)
    trainees = (source / "trainees.csv").read_text(encoding="utf-8")
    (source / "trainees.csv").write_text(trainees.replace("T01,A01,p_phd", "T01,A01,p_nope", 1), encoding="utf-8")
    at = upload(open_page("refresh", "data_staff"), [("trainees.csv", (source / "trainees.csv").read_bytes())])
    assert any("errors must be fixed" in e.value for e in at.error)
    findings = next(d.value for d in at.dataframe if "Rule" in d.value.columns)
    rows = findings[["Severity", "Rule", "File", "Row"]].values.tolist()
    assert ["error", "orphan_reference", "trainees.csv", 2] in rows
    assert not any(b.key == "upload_publish" for b in at.button)
    assert fingerprint(small_warehouse) == before


def test_a_file_of_the_wrong_kind_is_refused_by_name(small_warehouse):
    at = open_page("refresh", "data_staff")
    at.file_uploader(key="upload_files").set_value([("notes.txt", b"hello", "text/plain")])
    at.run()
    at.button(key="upload_check").click()
    at.run()
    assert any("notes.txt: only CSV files" in e.value for e in at.error)


def test_templates_are_offered_for_every_table(small_warehouse):
    at = open_page("refresh", "data_staff")
    keys = {b.key for b in at.get("download_button")}
    assert "template_xlsx" in keys and {f"template_{t}" for t in ("trainees", "appointments")} <= keys


def test_a_publish_while_another_refresh_runs_is_refused_and_changes_nothing(small_warehouse):
    from etl.warehouse import Warehouse

    at = upload(open_page("refresh", "data_staff"), [(p.name, p.read_bytes()) for p in sorted(SMALL.glob("*.csv"))])
    at.checkbox(key="upload_ack").check()
    at.run()
    before = fingerprint(small_warehouse)
    holder = {"run_id": "other-run", "kind": "refresh", "user": "cli", "started_at": "2026-11-23T09:00:00+00:00"}
    with Warehouse(small_warehouse).lock(holder):  # a refresh from the command line holds the warehouse
        at.button(key="upload_publish").click()
        at = wait_published(at.run())
    message = next(e.value for e in at.error)
    assert "Not published (refused)" in message and "another refresh is running (run other-run, by cli" in message
    assert fingerprint(small_warehouse) == before


def test_a_publish_process_that_dies_is_reported_and_the_published_snapshot_stays(small_warehouse, tmp_path,
                                                                                 monkeypatch):
    at = upload(open_page("refresh", "data_staff"), [(p.name, p.read_bytes()) for p in sorted(SMALL.glob("*.csv"))])
    at.checkbox(key="upload_ack").check()
    at.run()
    marker = tmp_path / "paused"
    monkeypatch.setenv("ETL_PAUSE_AT", "load")  # the publish process stops after validating, before its snapshot
    monkeypatch.setenv("ETL_PAUSE_MARKER", str(marker))
    before = fingerprint(small_warehouse)
    at.button(key="upload_publish").click()
    at.run()
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marker.exists(), "the publish process never reached the load step"
    at.session_state["publish_process"].kill()  # as if the machine killed it mid-way
    at.session_state["publish_process"].wait()
    at = wait_published(at.run())
    assert any("Not published (stopped): the publish process ended unexpectedly" in e.value for e in at.error)
    assert fingerprint(small_warehouse) == before


def test_findings_filter_by_severity_and_table(small_warehouse, tmp_path):
    source = copy_source(tmp_path)
    trainees = (source / "trainees.csv").read_text(encoding="utf-8")
    (source / "trainees.csv").write_text(trainees.replace("T01,A01,p_phd", "T01,A01,p_nope", 1), encoding="utf-8")
    at = upload(open_page("refresh", "data_staff"), [(p.name, p.read_bytes()) for p in sorted(source.glob("*.csv"))])

    def shown() -> list[tuple[str, str]]:
        frame = next(d.value for d in at.dataframe if "Rule" in d.value.columns)
        return sorted(zip(frame["Severity"], frame["Table"], strict=True))

    # Errors: T01's program and track (trainees); warning: AP06 (appointments).
    assert shown() == [("error", "trainees"), ("error", "trainees"), ("warning", "appointments")]
    at.multiselect(key="upload_tables").set_value(["appointments"])
    at.run()
    assert shown() == [("warning", "appointments")]
    at.multiselect(key="upload_tables").set_value([])
    at.segmented_control(key="upload_severity").set_value(["error"])
    at.run()
    assert shown() == [("error", "trainees"), ("error", "trainees")]


def test_the_as_of_date_defaults_to_the_published_one_and_a_change_is_said_before_publishing(tmp_path, monkeypatch):
    warehouse = tmp_path / "wh"
    assert build(SMALL, warehouse, as_of=dt.date(2025, 6, 30)).outcome == "published"
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse))
    at = open_page("refresh", "data_staff")
    assert at.date_input(key="upload_as_of").value == dt.date(2025, 6, 30)  # not today

    files = [("appointments.csv", with_cell(tmp_path, "appointments", "appointment_id", "AP09", "stipend_usd",
                                            "65000"))]
    at = upload(at, files)
    assert not any("as-of date would change" in w.value for w in at.warning)

    at = upload(at, files, as_of=dt.date(2026, 12, 8))
    said = next(w.value for w in at.warning if "as-of date would change" in w.value)
    assert said.startswith("The as-of date would change from 2025-06-30 to 2026-12-08: figures measured against it "
                           "— years since completion, trainees still enrolled past their program's nominal length")
    at = publish(at)
    assert lineage.read(pipeline.published(warehouse))["as_of_date"] == "2026-12-08"  # what was checked

    # The next upload starts from the new published date.
    assert open_page("refresh", "data_staff").date_input(key="upload_as_of").value == dt.date(2026, 12, 8)


def test_an_upload_that_changes_nothing_says_so(small_warehouse):
    at = upload(open_page("refresh", "data_staff"), [("appointments.csv", (SMALL / "appointments.csv").read_bytes())])
    assert any(i.value == "No row of any table would change." for i in at.info)
    assert table(at, "Changed")[["Added", "Removed", "Changed"]].to_numpy().sum() == 0
    assert not any("Key" in d.value.columns for d in at.dataframe)  # no change list
    assert not any(b.key == "upload_diff_changes_csv" for b in at.get("download_button"))


def test_the_change_list_is_capped_on_the_page_with_the_rest_in_the_download(small_warehouse, tmp_path,
                                                                             monkeypatch):
    monkeypatch.setattr(compare, "SHOWN_CHANGES", 2)
    trainees = pd.read_csv(SMALL / "trainees.csv", dtype=str, keep_default_na=False)
    trainees = trainees[trainees["trainee_id"] != "T11"]  # T11 (p_cert, active) has no other rows
    trainees.loc[trainees["trainee_id"] == "T01", "mentor"] = "Dr. Someone Else"  # was Dr. Vera Lind
    trainees.loc[trainees["trainee_id"] == "T02", "mentor"] = "Dr. Ken Oduya Jr."  # was Dr. Ken Oduya
    trainees.to_csv(tmp_path / "trainees.csv", index=False)
    at = upload(open_page("refresh", "data_staff"), [("trainees.csv", (tmp_path / "trainees.csv").read_bytes())])
    # A mentor is personal: the cell is named, its values are not shown (README: data staff read uploads, not names).
    hidden = review.HIDDEN
    assert rows(table(at, "Key")) == [["trainees", "T01", "changed", "mentor", hidden, hidden],
                                      ["trainees", "T02", "changed", "mentor", hidden, hidden]]
    assert "The first 2 of 3: 1 more in the download." in [c.value for c in at.caption]
    labels = {b.key: b.proto.label for b in at.get("download_button")}
    assert (labels["upload_diff_changes_csv"], labels["upload_diff_changes_xlsx"]) == ("Changes (CSV)",
                                                                                     "Changes (XLSX)")
    # The download holds all three: the two cells and T11's row.
    staged = uploads.read(at.session_state["upload_run"], small_warehouse)
    every = review.change_rows(pipeline.published(small_warehouse).path, staged.candidate)
    assert rows(every)[2] == ["trainees", "T11", "removed", None, None, None] and len(every) == 3


def test_roll_back_offers_each_snapshot_by_when_who_and_what_and_defaults_to_the_one_published_before(
        small_warehouse, tmp_path):
    # first (the fixture, by cli) -> second (bob's upload of appointments) -> back to first (carol) -> third (dave,
    # as of 2026-12-08). The newest other snapshot is second; the one published before third is first.
    first = pipeline.published(small_warehouse).run_id
    staged = uploads.stage([("appointments.csv", with_cell(tmp_path, "appointments", "appointment_id", "AP09",
                                                           "stipend_usd", "65000"))], small_warehouse)
    second = pipeline.refresh(staged.source, small_warehouse, user="bob", run_id=staged.run_id).run_id
    assert pipeline.rollback(small_warehouse, to=first, user="carol").ok
    third = build(SMALL, small_warehouse, user="dave", as_of=dt.date(2026, 12, 8)).run_id
    times = {p["seq"]: when(p["published_at"]) for p in History(small_warehouse / "history.sqlite").publications()}
    files = "programs.csv, tracks.csv, applicants.csv, trainees.csv, appointments.csv, positions.csv, milestones.csv"

    at = open_page("refresh", "data_staff")
    assert f"Published now: the snapshot published {times[4]} by dave from {files}." in [rendered(m.value)
                                                                                          for m in at.markdown]
    choice = at.selectbox(key="rollback_to")
    assert choice.options == [f"published {times[1]} by cli, last put back {times[3]} by carol from {files}",
                              f"published {times[2]} by bob from appointments.csv (other tables as then published)"]
    assert choice.value == first
    # third and first hold the same rows: only the as-of date would move back.
    assert any(w.value.startswith("The as-of date would change from 2026-12-08 to 2026-06-30") for w in at.warning)
    assert "No row of any table would change: only the as-of date." in [i.value for i in at.info]

    choice.set_value(second)
    at.run()
    assert rows(table(at, "Key")) == [["appointments", "AP09", "changed", "stipend_usd", "59592.00", "65000.00"]]
    at.selectbox(key="rollback_to").set_value(first)
    at.run()
    at.checkbox(key="rollback_sure").check()
    at.run()
    at.button(key="rollback_go").click()
    at.run()
    assert any(f"published snapshot {first} again (was {third})" in s.value for s in at.success)
    assert pipeline.published(small_warehouse).run_id == first


def test_with_only_the_published_snapshot_kept_there_is_nothing_to_roll_back_to(small_warehouse):
    only = build(SMALL, small_warehouse, keep=1).run_id
    at = open_page("refresh", "data_staff")
    assert "There is no earlier snapshot to go back to: only the published one is kept." in [i.value for i in at.info]
    assert not any(s.key == "rollback_to" for s in at.selectbox)
    assert pipeline.published(small_warehouse).run_id == only


def test_the_sample_banner_counts_the_tables_still_from_the_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "fresh"))
    at = open_page("overview", timeout=180)  # first start: the built-in sample is published
    assert [w.value for w in at.warning if "Sample data" in w.value] == [
        "**Sample data.** These figures come from the built-in, invented sample — not a real program's records."]

    programs = (config.SAMPLE_DIR / "programs.csv").read_text(encoding="utf-8").replace(
        "hst_md,HST Medical Sciences,", "hst_md,HST Medical Sciences (MD),")
    at = upload(open_page("refresh", "data_staff"), [("programs.csv", programs.encode("utf-8"))])
    assert rows(table(at, "Key")) == [["programs", "hst_md", "changed", "program_name", "HST Medical Sciences",
                                       "HST Medical Sciences (MD)"]]
    publish(at)

    banner = [w.value for w in open_page("overview").warning if "Sample data" in w.value]
    assert banner == ["**Sample data:** 6 of 7 tables come from the built-in, invented sample — tracks, applicants, "
                      "trainees, appointments, positions, milestones — so figures mix invented records with yours "
                      "until those tables are uploaded too."]
