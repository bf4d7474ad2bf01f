"""The sample-data generator: the shipped sample is its output, passes validation and models the programs coherently."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.contract import SOURCE_TABLES
from etl.extract import extract
from etl.sample import AS_OF, PROGRAM_IDS, generate, write
from etl.validate import validate

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    """The generated tables at scale 1 with the default seed."""
    return generate()


def test_shipped_sample_is_the_generator_output(frames, tmp_path):
    write(frames, tmp_path)
    shipped = sorted(p.name for p in SAMPLE.glob("*.csv"))
    assert shipped == sorted(f"{t.name}.csv" for t in SOURCE_TABLES)
    for name in shipped:
        hint = f"{name} differs: regenerate with python -m etl.sample --out data/sample"
        assert (SAMPLE / name).read_bytes() == (tmp_path / name).read_bytes(), hint


def test_files_follow_the_csv_conventions():
    for spec in SOURCE_TABLES:
        data = (SAMPLE / f"{spec.name}.csv").read_bytes()
        assert b"\r" not in data and data.endswith(b"\n")
        text = data.decode("utf-8")
        assert text.splitlines()[0] == ",".join(spec.column_names)
    trainees = (SAMPLE / "trainees.csv").read_text(encoding="utf-8")
    assert ",true," in trainees and ",false," in trainees and "True" not in trainees
    appointments = pd.read_csv(SAMPLE / "appointments.csv", dtype=str, keep_default_na=False)
    assert appointments.start_date.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert appointments.stipend_usd.str.fullmatch(r"\d+(\.\d{1,2})?").all()


def test_sample_passes_validation_without_errors():
    checked = validate(extract(SAMPLE, SOURCE_TABLES), SOURCE_TABLES)
    assert checked.errors == [], "\n".join(str(f) for f in checked.errors)
    warned = [f.rule for f in checked.findings if f.severity == "warning"]
    assert 2 <= warned.count("nrsa_ineligible") <= 5
    assert set(warned) == {"nrsa_ineligible"}


def test_same_seed_same_frames_other_seed_other_frames(frames):
    again = generate()
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, again[name])
    assert not generate(seed=7)["trainees"].equals(frames["trainees"])


def test_population_and_programs(frames):
    trainees = frames["trainees"]
    assert 2_500 <= len(trainees) <= 3_500
    assert set(frames["programs"].program_id) == set(PROGRAM_IDS)
    assert set(trainees.program_id) == set(PROGRAM_IDS)
    tracks = frames["tracks"]
    assert set(tracks.track_name[tracks.program_id == "bmi_mmsc"]) == {
        "Clinical Informatics", "Population Health Informatics", "Imaging Informatics", "Bioinformatics"}
    assert not ({"hst_md", "hst_gems"} & set(tracks.program_id))  # programs without tracks exist
    bmi = trainees[trainees.program_id == "bmi_mmsc"]
    assert bmi.track_id.notna().all()
    memp = trainees[trainees.program_id == "hst_memp"]
    assert 0 < memp.track_id.notna().mean() < 0.35


def test_applicants_cover_every_entrant(frames):
    trainees, applicants = frames["trainees"], frames["applicants"]
    linked = trainees[trainees.applicant_id.notna()]
    assert (linked.cohort_year >= 1990).all() and trainees.applicant_id[trainees.cohort_year >= 1990].notna().all()
    entrants = linked.groupby("cohort_year").size()
    pool = applicants.groupby("cycle_year").size()
    assert set(pool.index) == set(entrants.index)
    assert (pool >= 5 * entrants).all()
    assert not (applicants.matriculated & ~applicants.admitted).any()
    assert not (applicants.admitted & ~applicants.interviewed).any()
    matriculated = applicants[applicants.matriculated].groupby(["program_id", "cycle_year"]).size()
    pd.testing.assert_series_equal(matriculated, linked.groupby(["program_id", "cohort_year"]).size(),
                                   check_names=False)
    joined = linked.merge(applicants, on="applicant_id", suffixes=("", "_applicant"))
    assert len(joined) == len(linked) and joined.matriculated.all()
    assert (joined.cohort_year == joined.cycle_year).all()
    for column in ("program_id", "citizenship", "gender", "is_urm"):
        assert (joined[column] == joined[f"{column}_applicant"]).all(), column
    assert (joined.track_id.fillna("") == joined.track_id_applicant.fillna("")).all()


def test_status_dates_and_degrees(frames):
    trainees = frames["trainees"]
    open_ended = trainees.status.isin(["active", "on_leave"])
    assert (trainees.end_date.isna() == open_ended).all()
    assert (trainees.end_date.dropna() <= pd.Timestamp(AS_OF)).all()
    assert (trainees.end_date.dropna() >= trainees.start_date[trainees.end_date.notna()]).all()
    assert trainees.degree_awarded[trainees.status == "graduated"].notna().all()
    withdrawn_memp = trainees[(trainees.program_id == "hst_memp") & (trainees.status == "withdrawn")]
    assert (withdrawn_memp.degree_awarded == "SM").sum() >= 3
    assert {"transferred", "on_leave", "active"} <= set(trainees.status)


def test_md_phd_students_share_a_person_id(frames):
    trainees = frames["trainees"]
    shared = trainees[trainees.person_id.notna()].groupby("person_id")
    assert (shared.size() == 2).sum() >= 3
    assert (shared.program_id.agg(lambda s: tuple(sorted(s))) == ("hst_md", "hst_memp")).all()


def test_appointments(frames):
    appointments, trainees = frames["appointments"], frames["trainees"]
    assert (appointments.fiscal_year >= 2000).all()
    assert (appointments.end_date <= pd.Timestamp(AS_OF)).all()
    changes = appointments.dropna(subset=["citizenship_at_appointment"]).groupby("trainee_id")
    assert (changes.citizenship_at_appointment.nunique() > 1).sum() >= 3
    programs = appointments.trainee_id.map(trainees.set_index("trainee_id").program_id)
    assert set(programs) == {"hst_memp", "bmi_mmsc"}
    t15 = appointments[appointments.funding_source == "nlm_t15"]
    assert (t15.grant_number == "T15LM007092").all() and (programs[t15.index] == "bmi_mmsc").all()
    assert (appointments.tuition_fees_usd[programs == "bmi_mmsc"].dropna() <= 4_500).all()


def test_positions(frames):
    positions, trainees = frames["positions"], frames["trainees"]
    graduates = trainees[trainees.status == "graduated"]
    assert (~graduates.trainee_id.isin(positions.trainee_id)).any()
    assert positions.duplicated(["trainee_id", "start_year"]).any()
    latest = positions.groupby("trainee_id").start_year.transform("max")
    assert (positions.end_year.isna() & (positions.start_year < latest)).any()
    assert (positions.start_year <= 2026).all() and (positions.end_year.dropna() <= 2026).all()
    bmi = positions.trainee_id.map(trainees.set_index("trainee_id").program_id) == "bmi_mmsc"
    assert {"academic", "cio_informatics_leadership", "consulting"} <= set(positions.role_group[bmi])


def test_milestones_lie_within_training(frames):
    milestones, trainees = frames["milestones"], frames["trainees"]
    dates = milestones.merge(trainees[["trainee_id", "start_date", "end_date", "status"]], on="trainee_id")
    assert (dates.milestone_date >= dates.start_date).all()
    assert (dates.milestone_date <= dates.end_date.fillna(pd.Timestamp(AS_OF))).all()
    conferred = dates[dates.milestone == "degree_conferred"]
    assert (conferred.milestone_date == conferred.end_date).all() and (conferred.status == "graduated").all()
    assert not milestones.duplicated(["trainee_id", "milestone", "milestone_date"]).any()


def test_scale_multiplies_cohorts_and_keeps_ids_unique(frames):
    double = generate(scale=2)
    ratio = len(double["trainees"]) / len(frames["trainees"])
    assert ratio == pytest.approx(2, abs=0.2)
    for spec in SOURCE_TABLES:
        assert not double[spec.name].duplicated(list(spec.key)).any(), spec.name
