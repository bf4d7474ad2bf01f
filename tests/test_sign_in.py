"""Sign-in mode (an [auth] section in secrets): nobody sees data before signing in; roles come from the roles file
(an e-mail or a group, several roles giving the union of pages); no role means a "no access" page; there is never a
"View as" switch; a roles file that cannot be used shuts the door rather than opening it."""

from __future__ import annotations

import pytest

from dashboard import access, roles
from tests.conftest import PROJECT_ROOT, SMALL, build, every_tab

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "c",
        "client_secret": "s", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
ROLES = """
[[grant]]
email = "Lead@Example.edu"
roles = ["leadership"]

[[grant]]
email = "admin@example.edu"
roles = ["administrator"]

[[grant]]
group = "data-office"
roles = ["data_staff"]

[[grant]]
email = "both@example.edu"
roles = ["administrator"]

[[grant]]
group = "deans"
roles = ["leadership"]
"""
NAMES = ("Quill", "Osei", "Ruiz", "Ibsen", "Janssen", "ada.quill@example.edu")


def open_signed_in(page: str, user: dict | None, roles_file, monkeypatch, query: dict | None = None):
    """The app with sign-in configured, as this user (None: nobody signed in), optionally with URL parameters."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ROLES_FILE", str(roles_file))
    script = (f"import sys\nsys.path.insert(0, {str(PROJECT_ROOT)!r})\n"
              f"from dashboard import shell\nshell.run(default={page!r})\n")
    at = AppTest.from_string(script, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user.clear()
    at.user.update({"is_logged_in": False} if user is None else {"is_logged_in": True, **user})
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


@pytest.fixture
def roles_file(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text(ROLES, encoding="utf-8")
    return path


def menu(at) -> list[str]:
    """The titles of the pages the navigation offers."""
    return [p.proto.label for p in at.get("page_link")] or []


def everything(at) -> str:
    """Every text the run produced, tables included."""
    parts = [str(e.value) for kind in ("markdown", "caption", "text", "title", "header", "subheader", "error",
                                       "info", "warning") for e in getattr(at, kind)]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [str(m.value) for m in at.metric]
    return "\n".join(parts)


def test_nobody_signed_in_sees_a_sign_in_button_and_no_data(small_app, roles_file, monkeypatch):
    at = open_signed_in("overview", None, roles_file, monkeypatch)
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    text = everything(at)
    assert "Data as of" not in text and not at.metric and not at.dataframe
    assert at.sidebar.selectbox.len == 0  # no "View as" switch, no filters


def test_a_signed_in_account_without_a_role_sees_no_access_and_nothing_else(small_app, roles_file, monkeypatch):
    at = open_signed_in("overview", {"email": "stranger@example.edu"}, roles_file, monkeypatch)
    assert not at.exception
    assert [t.value for t in at.title] == ["No access"] and "stranger@example.edu" in everything(at)
    assert [b.label for b in at.button] == ["Sign out"]
    assert "Data as of" not in everything(at) and not at.metric


@pytest.mark.parametrize("user, role, may_see_names", [
    ({"email": "lead@example.edu"}, "leadership", False),  # e-mails match without regard to case
    ({"email": "admin@example.edu"}, "administrator", True),
    ({"email": "clerk@example.edu", "groups": ["data-office"]}, "data_staff", False),
])
def test_each_role_gets_its_pages_and_never_a_role_switch(small_app, roles_file, monkeypatch, user, role,
                                                           may_see_names):
    for spec in roles.PAGES:
        at = open_signed_in(spec.key, user, roles_file, monkeypatch)
        assert not at.exception, (spec.key, role)
        assert "view_as" not in [s.key for s in at.sidebar.selectbox]
        # A page the role lacks is neither listed nor served: asking for it opens the role's first page instead.
        opened = spec.title in [t.value for t in at.title]
        assert opened == (role in spec.roles), (spec.key, role)
        text = everything(at)
        if not may_see_names:
            assert not any(name in text for name in NAMES), (spec.key, role)
        assert f"Signed in as {user['email']}" in " ".join(c.value for c in at.sidebar.caption)


def test_several_roles_give_the_union_of_pages_and_the_most_permissive_view(small_app, roles_file, monkeypatch):
    user = {"email": "both@example.edu", "groups": ["data-office", "deans"]}
    held = access.access_of(user["email"], user["groups"], access.read_grants(roles_file))
    assert held == access.Access(frozenset({"administrator", "data_staff", "leadership"}), None)
    for key in ("trainees", "refresh"):  # administrator's page and data staff's page
        at = open_signed_in(key, user, roles_file, monkeypatch)
        assert not at.exception and not any("is not available" in e.value for e in at.error), key
    at = open_signed_in("cohorts", user, roles_file, monkeypatch)
    assert "<5" not in everything(at)  # seen as an administrator: small counts shown


@pytest.mark.parametrize("content, message", [
    (None, "no roles file"),
    ("[[grant]]\nemail = 'a@b.edu'\nroles = ['dean']\n", "grant 1: roles must be"),
    ("[[grant]]\nemail = 'a@b.edu'\ngroup = 'x'\nroles = ['leadership']\n", "grant 1: give exactly one of"),
    ("[[grant]]\nemail = 'a@b.edu'\nroles = ['data_staff']\nprograms = ['p_phd']\n", "cannot be limited"),
    ("[[grant]]\nemail = 'a@b.edu'\nroles = ['leadership']\nprograms = 'p_phd'\n", "programs must be a non-empty"),
    ("[[grant]\n", "not valid TOML"),
])
def test_a_roles_file_that_cannot_be_used_shows_no_data_and_says_why(small_app, tmp_path, monkeypatch, content,
                                                                     message):
    path = tmp_path / "roles.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    at = open_signed_in("overview", {"email": "a@b.edu"}, path, monkeypatch)
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert message in errors and str(path) in errors
    assert "Data as of" not in everything(at) and not at.metric


LIMITED = """
[[grant]]
email = "director@example.edu"
roles = ["administrator"]
programs = ["p_post"]

[[grant]]
email = "dean@example.edu"
roles = ["leadership"]
programs = ["p_post"]

[[grant]]
group = "deans"
roles = ["leadership"]
"""
OTHER_PROGRAMS = ("Quill", "Osei", "Marsh", "Henley", "Farrow", "Ng,", "Fay Ng", "Kent", "Lund", "Test PhD Program",
                  "Test Certificate")


@pytest.fixture
def limited_file(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text(LIMITED, encoding="utf-8")
    return path


def test_a_grant_limited_to_a_program_is_lifted_only_by_an_unlimited_grant(limited_file):
    grants = access.read_grants(limited_file)
    assert access.access_of("director@example.edu", [], grants) == access.Access(frozenset({"administrator"}),
                                                                              frozenset({"p_post"}))
    assert access.access_of("dean@example.edu", ["deans"], grants).programs is None


def test_a_program_director_sees_only_their_program_everywhere(small_app, limited_file, monkeypatch):
    user = {"email": "director@example.edu"}
    # The sidebar offers only p_post, and "All" means p_post; a shared link naming another program changes nothing.
    at = open_signed_in("overview", user, limited_file, monkeypatch)
    assert at.sidebar.multiselect(key="f_programs").options == ["Test Informatics Fellowship"]
    # AY2021 entrants of p_post: T09 only (T10, T11 are p_cert); AY2020: T07, T08, T12.
    entrants = next(m for m in at.metric if m.label == "Entrants")
    assert (entrants.value, entrants.delta) == ("1", "-2")
    # Trainees: p_post's four, whoever the link asks for.
    at = open_signed_in("trainees", user, limited_file, monkeypatch, query={"program": "p_phd"})
    roster_ids = sorted(next(d.value for d in at.dataframe if "Trainee ID" in d.value.columns)["Trainee ID"])
    assert roster_ids == ["T07", "T08", "T09", "T12"]
    for page in ("overview", "cohorts", "careers", "funding", "completion", "trainees", "reports", "about"):
        for view in every_tab(open_signed_in(page, user, limited_file, monkeypatch)):  # every section and view
            assert not view.exception, page
            text = everything(view)
            assert not any(name in text for name in OTHER_PROGRAMS), page
    # About the data: no whole-warehouse row counts (they would size the other programs), no load warnings list.
    at = open_signed_in("about", user, limited_file, monkeypatch)
    assert not any("Rows" in d.value.columns or "Value" in d.value.columns for d in at.dataframe)
    # The report and its NIH tables: the postdoctoral program only (6B, 8B; nothing for 6A).
    at = open_signed_in("reports", user, limited_file, monkeypatch)
    at.session_state["reports_section"] = "nih"
    titles = [m.value for m in at.run().markdown if m.value.startswith("**Table")]
    assert titles and all("B" in t for t in titles), titles


def test_a_signed_in_rollback_is_recorded_under_the_users_e_mail(small_warehouse, roles_file, monkeypatch):
    from etl import pipeline
    from etl.history import History
    from etl.warehouse import Warehouse

    first = pipeline.published(small_warehouse).run_id
    assert build(SMALL, small_warehouse).outcome == "published"  # a second snapshot to roll back from
    user = {"email": "clerk@example.edu", "groups": ["data-office"]}
    at = open_signed_in("refresh", user, roles_file, monkeypatch)
    assert not at.exception
    at.selectbox(key="rollback_to").set_value(first)
    at = at.run()
    at.checkbox(key="rollback_sure").check()
    at = at.run()
    at.button(key="rollback_go").click()
    at = at.run()
    assert not at.exception
    assert pipeline.published(small_warehouse).run_id == first
    history = History(Warehouse(small_warehouse).history_file)
    assert history.runs()[0]["user"] == "clerk@example.edu"
    assert (history.audit_events()[0]["user"], history.audit_events()[0]["action"]) == ("clerk@example.edu",
                                                                                       "rollback")
