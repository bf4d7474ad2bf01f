"""Load, small: three Chromium sessions click through pages of a real server while a refresh publishes; no view
fails and every Overview view shows the figures of the snapshot it names (old or new, never a mix). The full run
(20 sessions, a 30-minute soak) is `python -m reliability`; its committed report is generated from its figures."""

from __future__ import annotations

import json

from reliability import load
from reliability.__main__ import DOCS, markdown


def test_sessions_clicking_through_a_publish_see_the_old_or_the_new_figures_never_a_mix(tmp_path):
    report = load.run(tmp_path, sessions=3, rounds=3)
    assert report.errors == [], [(v.page, v.error) for v in report.errors]
    assert report.mixed == [], report.mixed
    seen = {report.runs.get(v.run_id) for v in report.views}
    assert seen == {"old", "new"}  # the publish happened while they clicked, and was seen
    overview = [v for v in report.views if v.page == "Overview"]
    assert len(overview) == 9 and all(v.figures for v in overview)


def test_the_one_more_trainee_source_adds_one_entrant_and_one_active_trainee(tmp_path):
    from etl import config

    old = load.expected_figures(config.SAMPLE_DIR)
    new = load.expected_figures(load.with_one_more_trainee(config.SAMPLE_DIR, tmp_path / "plus"))
    assert {k: new[k] - old[k] for k in old} == {"Entrants": 1, "Active trainees": 1}


def test_the_committed_reliability_report_is_the_one_its_figures_make():
    figures = json.loads((DOCS / "reliability.json").read_text(encoding="utf-8"))
    assert (DOCS / "reliability.md").read_text(encoding="utf-8") == markdown(figures)
