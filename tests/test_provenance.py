"""Each table of a snapshot knows where its rows came from, through partial uploads: read by this run (the built-in
sample's own file or not) or carried from the published snapshot with the provenance it had there."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from etl import config, lineage, pipeline, uploads
from etl.warehouse import Warehouse

TABLES = ["programs", "tracks", "applicants", "trainees", "appointments", "positions", "milestones"]


@pytest.fixture
def sample_warehouse(tmp_path):
    """A warehouse whose published snapshot is the built-in sample, as on first start."""
    warehouse = tmp_path / "wh"
    assert pipeline.refresh(config.SAMPLE_DIR, warehouse, as_of=config.SAMPLE_AS_OF).outcome == "published"
    return warehouse


def renamed_program(name: str) -> bytes:
    """The sample's programs.csv with hst_md's name changed (a real program's file, no longer the sample's)."""
    text = (config.SAMPLE_DIR / "programs.csv").read_text(encoding="utf-8")
    assert "hst_md,HST Medical Sciences," in text
    return text.replace("hst_md,HST Medical Sciences,", f"hst_md,{name},").encode("utf-8")


def publish_upload(files, warehouse) -> tuple[uploads.Upload, dict]:
    """Stage files as the browser does, refresh from the staging folder, and return the new lineage."""
    staged = uploads.stage(files, warehouse)
    result = pipeline.refresh(staged.source, warehouse, user="staff", run_id=staged.run_id)
    assert result.outcome == "published", result.message
    return staged, lineage.read(Warehouse(warehouse).published())


def by_table(info: dict) -> dict[str, tuple]:
    return {s["table"]: (s["file"], s["read_by_run"], s["carried_from"], s["is_sample"]) for s in info["table_sources"]}


def test_the_built_in_sample_is_sample_in_every_table(sample_warehouse):
    info = lineage.read(Warehouse(sample_warehouse).published())
    assert info["is_sample"] and info["sample_tables"] == TABLES
    assert all(run == info["run_id"] and carried is None for _, run, carried, _ in by_table(info).values())


def test_one_uploaded_table_leaves_six_sample_tables_carried_from_the_published_run(sample_warehouse):
    first = Warehouse(sample_warehouse).published().run_id
    staged, info = publish_upload([("programs.csv", renamed_program("HST Medical Sciences (MD)"))], sample_warehouse)
    assert not info["is_sample"]
    assert info["sample_tables"] == TABLES[1:]
    sources = by_table(info)
    assert sources["programs"] == ("programs.csv", staged.run_id, None, False)
    assert sources["trainees"] == ("trainees.csv", first, first, True)  # read by the sample's run, carried from it

    # A second partial upload carries the first one's programs (read by its run) and the sample's other tables.
    tracks = (config.SAMPLE_DIR / "tracks.csv").read_text(encoding="utf-8").replace("Bioastronautics", "Space")
    second, info = publish_upload([("tracks.csv", tracks.encode("utf-8"))], sample_warehouse)
    assert info["sample_tables"] == TABLES[2:]
    sources = by_table(info)
    assert sources["programs"] == ("programs.csv", staged.run_id, staged.run_id, False)
    assert sources["tracks"] == ("tracks.csv", second.run_id, None, False)
    assert sources["applicants"] == ("applicants.csv", first, staged.run_id, True)


def test_the_sample_s_own_file_uploaded_again_is_still_the_sample(sample_warehouse):
    _, info = publish_upload([("programs.csv", (config.SAMPLE_DIR / "programs.csv").read_bytes())], sample_warehouse)
    assert info["is_sample"] and info["sample_tables"] == TABLES


def test_a_carried_file_changed_after_staging_counts_as_read_by_the_run(sample_warehouse):
    staged = uploads.stage([("programs.csv", renamed_program("MD"))], sample_warehouse)
    tracks = staged.source / "tracks.csv"  # carried from the sample; edited by hand before the refresh
    tracks.write_text(tracks.read_text(encoding="utf-8").replace("Bioastronautics", "Space"), encoding="utf-8")
    assert pipeline.refresh(staged.source, sample_warehouse, run_id=staged.run_id).outcome == "published"
    sources = by_table(lineage.read(Warehouse(sample_warehouse).published()))
    assert sources["tracks"] == ("tracks.csv", staged.run_id, None, False)
    assert sources["trainees"][3] is True


def test_a_snapshot_from_before_provenance_reads_from_its_run(sample_warehouse, tmp_path):
    wh = Warehouse(sample_warehouse)
    old = wh.snapshot_path("19990101T000000000000Z-0ld000")
    shutil.copyfile(wh.published().path, old)
    old.chmod(0o644)
    con = duckdb.connect(str(old))
    con.execute("drop table meta.table_sources")
    con.execute("update meta.run set run_id = '19990101T000000000000Z-0ld000'")
    con.close()
    wh.point_to(old.stem, "publish", "test")
    info = lineage.read(wh.published())
    assert info["sample_tables"] == TABLES
    assert by_table(info)["trainees"] == ("trainees.csv", old.stem, None, True)
