"""The audit log: sign-ins, publishes, rollbacks and downloads of row-level data — who, when, what — kept in the run
history beside the snapshots (not in them), and shown to administrators only on About the data."""

from __future__ import annotations

from etl import pipeline
from etl.history import History
from etl.warehouse import Warehouse
from tests.conftest import SMALL, build, open_page
from tests.test_sign_in import open_signed_in


def events(warehouse) -> list[tuple[str, str, str]]:
    return [(e["user"], e["action"], e["detail"]) for e in History(Warehouse(warehouse).history_file).audit_events()]


def test_publishes_and_rollbacks_are_logged_with_who_and_which_run(tmp_path):
    warehouse = tmp_path / "wh"
    first = build(SMALL, warehouse, user="alice")
    second = build(SMALL, warehouse, user="bob")
    rolled = pipeline.rollback(warehouse, user="carol")
    assert rolled.outcome == "rolled_back"
    # Newest first: carol's rollback re-points to alice's run.
    assert events(warehouse) == [("carol", "rollback", f"run {first.run_id}"),
                                 ("bob", "publish", f"run {second.run_id}"),
                                 ("alice", "publish", f"run {first.run_id}")]
    snapshot_files = sorted(p.name for p in (warehouse / "snapshots").iterdir())
    assert all(name.endswith(".duckdb") for name in snapshot_files)  # the log is not inside any snapshot


def test_a_sign_in_is_logged_once_per_session(small_warehouse, tmp_path, monkeypatch):
    roles_file = tmp_path / "roles.toml"
    roles_file.write_text('[[grant]]\nemail = "admin@example.edu"\nroles = ["administrator"]\n', encoding="utf-8")
    at = open_signed_in("overview", {"email": "admin@example.edu"}, roles_file, monkeypatch)
    at.run()  # a second run of the same session
    signed_in = [e for e in events(small_warehouse) if e[1] == "sign_in"]
    assert signed_in == [("admin@example.edu", "sign_in", "roles: administrator")]


def test_administrators_see_the_access_log_and_leadership_does_not(small_warehouse):
    admin = open_page("about")
    assert not admin.exception
    log = next(d.value for d in admin.dataframe if "action" in d.value.columns)
    assert log[["user", "action"]].values.tolist() == [["cli", "publish"]]  # the build that made the fixture
    lead = open_page("about", role="leadership")
    assert not lead.exception
    assert not any("action" in d.value.columns for d in lead.dataframe)
    assert "Access log" not in [s.value for s in lead.subheader]
