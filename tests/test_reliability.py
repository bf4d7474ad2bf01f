"""Reliability: every mistake of the corpus is accepted as meant or refused where it is, with the published snapshot
byte-identical after a refusal; random corruptions never crash a refresh nor slip past it; a refresh killed anywhere,
or stopped by a full disk, leaves the old or the new snapshot published, readable and consistent with its lineage."""

from __future__ import annotations

import random
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import config, pipeline
from reliability import corpus, corrupt, faults
from tests.conftest import AS_OF, SMALL

CASES = corpus.cases()


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    return corpus.Runner(tmp_path_factory.mktemp("corpus"))


def test_the_corpus_holds_at_least_thirty_committed_mistakes_each_with_its_file():
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)
    assert all(c.source_file.exists() for c in CASES), [c.name for c in CASES if not c.source_file.exists()]
    assert {c.expect for c in CASES} == {"accepted", "refused"}
    # every refusal says which rule, which file, and (for a cell or row) which row and column
    assert all(c.rule and c.file for c in CASES if c.expect == "refused")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_mistake_is_accepted_as_meant_or_refused_where_it_is(runner, case):
    out = runner.run(case)
    assert out.correct, out.why
    if case.expect == "refused":
        assert out.outcome == "failed" and not out.published_changed
    else:
        assert out.outcome == "published"


@pytest.mark.parametrize("case", [c for c in CASES if c.name in ("binary_renamed", "workbook_renamed")],
                         ids=lambda c: c.name)
def test_a_file_whose_content_is_not_its_name_is_refused_at_upload_too(runner, case):
    assert "whatever its name says" in runner.run(case).upload


def test_a_100_mb_file_is_refused_by_the_upload_and_read_whole_by_a_refresh(tmp_path):
    out = corpus.run_large(tmp_path)
    assert f"over the {config.upload_limit_mb():g} MB limit" in out.upload
    assert out.correct, out.why  # every generated row reached the marts (counted in the file, not by the product)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), changes=st.integers(1, 3))
def test_random_corruptions_never_crash_nor_slip_past_and_never_touch_the_published(tmp_path_factory, seed, changes):
    work = tmp_path_factory.mktemp("corrupt")
    warehouse = work / "wh"
    assert pipeline.refresh(SMALL, warehouse, as_of=AS_OF).outcome == "published"
    source = corrupt.fresh_copy(SMALL, work / "src")
    rng = random.Random(seed)
    done = [corrupt.corrupt(source, rng) for _ in range(changes)]
    before = corpus.fingerprint(warehouse)
    result = pipeline.refresh(source, warehouse, as_of=AS_OF)
    wrong = corrupt.problems(result, before, corpus.fingerprint(warehouse), lambda: faults.consistent(warehouse))
    assert wrong == [], (done, wrong)
    shutil.rmtree(work)


@pytest.fixture
def published_small(tmp_path):
    warehouse = tmp_path / "wh"
    return warehouse, faults.fresh_warehouse(SMALL, warehouse)


def test_a_refresh_killed_inside_the_publish_step_leaves_the_old_snapshot_and_is_cleaned_up(published_small, tmp_path):
    warehouse, old = published_small
    kill = faults.kill_at_step(warehouse, config.SAMPLE_DIR, "kept", old, tmp_path)
    assert (kill.published, kill.problems, kill.cleaned) == ("old", [], True)


def test_refreshes_killed_at_random_moments_leave_the_old_or_the_new_snapshot(published_small):
    warehouse, old = published_small
    rng = random.Random(20261123)
    kills = [faults.kill_at_random(warehouse, config.SAMPLE_DIR, 3.0, faults.fresh_warehouse(SMALL, warehouse), rng)
             for _ in range(3)]
    assert all(k.published in ("old", "new") and k.problems == [] and k.cleaned for k in kills), kills


def test_a_full_disk_fails_the_refresh_cleanly_and_leaves_the_published_snapshot(published_small, tmp_path):
    warehouse, _ = published_small
    report = faults.disk_full(warehouse, config.SAMPLE_DIR, tmp_path)
    assert report["exit"] == 1 and "the disk holding the warehouse is full" in report["output"]
    assert "Traceback" not in report["output"]
    assert report["unchanged"] and report["problems"] == [] and report["building_left"] == []
    assert report["after_space_freed"] == 0  # with space again, the next refresh publishes
