"""Refresh data page (data staff): upload through the file uploader, read the findings and the comparison, publish
in a separate process, see the dashboard change, roll back and see it return."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd

from dashboard import roles
from etl import pipeline
from tests.conftest import AS_OF, SMALL, copy_source, fingerprint, open_page


def overview_stipends(warehouse_env) -> str:
    """The Overview's "Stipends paid" for academic year 2022-23 as the administrator sees it."""
    at = open_page("overview")
    at.selectbox(key="overview_year").set_value(2022)
    at.run()
    return next(m.value for m in at.metric if m.label == "Stipends paid")


def upload(at, files: list[tuple[str, bytes]]):
    at.file_uploader(key="upload_files").set_value([(name, data, "text/csv") for name, data in files])
    at.run()
    at.date_input(key="upload_as_of").set_value(AS_OF)
    at.button(key="upload_check").click()
    return at.run()


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
    at.selectbox(key="rollback_to").set_value(published_before.run_id)
    at.run()
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
    assert at.date_input(key="upload_as_of").value == dt.date.today()  # figures measured as of today by default


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
