"""Deterministic, realistic sample data for every source table of the contract: python -m etl.sample --out DIR."""

from __future__ import annotations

import argparse
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from etl.config import SAMPLE_AS_OF
from etl.contract import CITIZENSHIP, FUNDING_SOURCE, NRSA_ELIGIBLE, ROLE_GROUP, SOURCE_TABLES, table

AS_OF = np.datetime64(SAMPLE_AS_OF)  # the data describe the world on this day
LAST_COHORT = 2025
FIRST_APPLICANT_YEAR = 1990  # admissions records start here; earlier trainees have no applicant_id
FIRST_APPOINTMENT_FY = 2000
LEVELS_FILE = Path(__file__).resolve().parents[1] / "data" / "reference" / "nrsa_stipend_levels.csv"
LEVEL_YEARS = np.arange(1990, 2031)  # fiscal years of the stipend-level grid

PROGRAMS = (
    ("bmi_mmsc", "Biomedical Informatics MMSc / LCS Fellowship", "Harvard Medical School", "MMSc", "postdoctoral", 2),
    ("hst_gems", "Graduate Education in Medical Sciences (GEMS)", "Harvard–MIT HST", "Certificate", "certificate", 2),
    ("hst_md", "HST Medical Sciences", "Harvard–MIT HST", "MD", "predoctoral", 4),
    ("hst_memp", "HST Medical Engineering and Medical Physics", "Harvard–MIT HST", "PhD", "predoctoral", 6),
)
PROGRAM_IDS = tuple(p[0] for p in PROGRAMS)
DEGREE = {p[0]: p[3] for p in PROGRAMS}
TRACKS = (
    ("bmi_bioinformatics", "bmi_mmsc", "Bioinformatics"),
    ("bmi_clinical", "bmi_mmsc", "Clinical Informatics"),
    ("bmi_imaging", "bmi_mmsc", "Imaging Informatics"),
    ("bmi_population", "bmi_mmsc", "Population Health Informatics"),
    ("memp_bioastronautics", "hst_memp", "Bioastronautics"),
    ("memp_neuroimaging", "hst_memp", "Neuroimaging"),
)
TRACK_MIX = {  # every BMI fellow has a track; a few MEMP students a year take a specialization
    "bmi_mmsc": (("bmi_clinical", "bmi_population", "bmi_imaging", "bmi_bioinformatics"), (0.45, 0.15, 0.15, 0.25)),
    "hst_memp": ((None, "memp_neuroimaging", "memp_bioastronautics"), (0.80, 0.13, 0.07)),
}
COHORTS = {  # first cohort year, mean entrants a year in the first and in the latest cohort
    "bmi_mmsc": (1992, 7, 14),
    "hst_gems": (2000, 8, 8),
    "hst_md": (1975, 30, 31),
    "hst_memp": (1978, 11, 17),
}
FUNNEL = {  # applicants per entrant (low, high), yield of offers, interviews per offer
    "bmi_mmsc": (5.5, 8, 0.7, 2.0),
    "hst_gems": (5.5, 7, 0.8, 1.5),
    "hst_md": (12, 18, 0.75, 3.0),
    "hst_memp": (5.5, 8, 0.6, 1.8),
}
OUTCOMES = {  # shares graduated, withdrawn, transferred
    "bmi_mmsc": (0.88, 0.08, 0.04),
    "hst_gems": (0.85, 0.12, 0.03),
    "hst_md": (0.95, 0.03, 0.02),
    "hst_memp": (0.86, 0.11, 0.03),
}
CITIZENSHIP_MIX = {  # shares in CITIZENSHIP order: us_citizen, noncitizen_national, permanent_resident, visa, unknown
    "bmi_mmsc": (0.72, 0.005, 0.12, 0.14, 0.015),
    "hst_gems": (0.66, 0.005, 0.08, 0.24, 0.015),
    "hst_md": (0.855, 0.005, 0.06, 0.065, 0.015),
    "hst_memp": (0.70, 0.005, 0.08, 0.20, 0.015),
}
PRIOR_DEGREES = {
    "bmi_mmsc": (("MD", "MD;PhD", "PhD", "MD;MPH", "RN;PhD", "PharmD"), (0.52, 0.12, 0.24, 0.07, 0.03, 0.02)),
    "hst_gems": (("BS", "BS;MS", "BA"), (0.60, 0.30, 0.10)),
    "hst_md": (("BS", "BA", "BS;MS", "BA;MPhil"), (0.55, 0.30, 0.10, 0.05)),
    "hst_memp": (("BS", "BS;MS", "BEng", "BA"), (0.62, 0.22, 0.10, 0.06)),
}
GIVEN_F = tuple(
    "Aisha Alice Amelia Ana Chloé Deborah Elena Emily Fatima Grace Hannah Ingrid Isabel Jia Julia "
    "Katherine Laura Leila Maria Maya Mei Nadia Naomi Olivia Priya Rachel Rosa Sarah Sofia Yuki "
    "Zoë".split()
)
GIVEN_M = tuple(
    "Aaron Ahmed Andrew Benjamin Carlos Daniel David Ethan Gabriel Hiroshi James Javier José Kevin Kwame "
    "Lucas Marco Matthew Michael Nikhil Omar Paul Rahul Samuel Stefan Thomas Victor Wei William "
    "Yusuf".split()
)
FAMILY = tuple(
    "Abbott Adeyemi Alvarez Andersson Bauer Bennett Brooks Castillo Chen Cohen Das Dubois Edwards Fischer "
    "Fitzgerald García Goldberg Gupta Hansen Hernández Ito Jackson Johnson Kapoor Kim Kowalski Larsen Lee "
    "Levine Liu Martin McCarthy Mendoza Miller Moreau Murphy Nakamura Nguyen Novak O'Brien Okafor Olsen "
    "Patel Peterson Quinn Ramirez Reyes Robinson Rossi Sato Schmidt Shah Silva Singh Sullivan Tan Taylor "
    "Thompson Tran Walsh Wang Weber Williams Wong Yamamoto Zhang".split()
)
FACULTY = {
    "bmi_mmsc": (
        "Dr. Alice Chen",
        "Dr. Jonathan Weiss",
        "Dr. Rebecca Stone",
        "Dr. Anil Mehta",
        "Dr. Catherine Doyle",
        "Dr. Victor Morales",
        "Dr. Naomi Friedman",
        "Dr. Peter Lindgren",
        "Dr. Yuki Tanaka",
        "Dr. Olivia Grant",
        "Dr. Marcus Bell",
        "Dr. Ingrid Sørensen",
        "Dr. Daniel Abramson",
        "Dr. Leah Cohen",
        "Dr. Kwame Mensah",
    ),
    "hst_memp": (
        "Dr. Maria Alvarez",
        "Dr. Samuel Okafor",
        "Dr. Priya Raman",
        "Dr. Thomas Becker",
        "Dr. Hannah Kim",
        "Dr. David Goldberg",
        "Dr. Fatima Haddad",
        "Dr. Kenji Watanabe",
        "Dr. Laura Rossi",
        "Dr. Michael O'Neill",
        "Dr. Elena Petrova",
        "Dr. James Whitfield",
        "Dr. Grace Liu",
        "Dr. Ahmed Nasser",
        "Dr. Sofia Lindqvist",
    ),
}
TOPICS = {  # research field (track, or program): (methods, subjects); a topic reads "<method> for <subject>"
    "bmi_clinical": (
        (
            "Clinical decision support",
            "Natural language processing of clinical notes",
            "Predictive modeling",
            "Electronic health record phenotyping",
            "Medication safety alerting",
            "Patient-facing mobile tools",
        ),
        (
            "sepsis early warning",
            "inpatient medication reconciliation",
            "heart failure readmissions",
            "pediatric asthma care",
            "emergency department triage",
            "opioid prescribing",
        ),
    ),
    "bmi_population": (
        (
            "Syndromic surveillance",
            "Geospatial analysis",
            "Causal inference from claims data",
            "Health information exchange",
            "Agent-based simulation",
        ),
        (
            "influenza-like illness",
            "childhood vaccination coverage",
            "diabetes care disparities",
            "opioid overdose prevention",
            "community health worker programs",
        ),
    ),
    "bmi_imaging": (
        ("Deep learning", "Radiomics", "Federated learning", "Weakly supervised segmentation"),
        (
            "chest radiograph triage",
            "mammography screening",
            "brain MRI lesion detection",
            "CT pulmonary embolism detection",
            "digital pathology slides",
        ),
    ),
    "bmi_bioinformatics": (
        (
            "Statistical genetics",
            "Single-cell transcriptomics",
            "Network analysis",
            "Variant interpretation pipelines",
            "Integrative multi-omics",
        ),
        (
            "autism spectrum disorder",
            "rare pediatric diseases",
            "cancer drug resistance",
            "pharmacogenomic dosing",
            "inflammatory bowel disease",
        ),
    ),
    "hst_memp": (
        (
            "Microfluidic devices",
            "Optical coherence tomography",
            "Computational modeling",
            "Biomaterial scaffolds",
            "Wearable sensors",
            "Ultrasound elastography",
            "Targeted nanoparticles",
        ),
        (
            "circulating tumor cell capture",
            "cardiac arrhythmia",
            "cartilage repair",
            "liver fibrosis staging",
            "continuous glucose monitoring",
            "hearing restoration",
            "sepsis diagnosis",
        ),
    ),
    "memp_neuroimaging": (
        (
            "Functional MRI",
            "Diffusion tractography",
            "Simultaneous EEG-fMRI",
            "Ultra-high-field MRI reconstruction",
            "PET kinetic modeling",
        ),
        (
            "language networks in epilepsy",
            "early Alzheimer's disease",
            "traumatic brain injury",
            "pain processing",
            "sleep and memory",
        ),
    ),
    "memp_bioastronautics": (
        (
            "Countermeasure design",
            "Vestibular modeling",
            "Musculoskeletal loading analysis",
            "Cardiovascular deconditioning models",
            "Artificial gravity protocols",
        ),
        (
            "long-duration spaceflight",
            "partial-gravity locomotion",
            "astronaut bone loss",
            "spatial disorientation",
            "orthostatic intolerance",
        ),
    ),
}
FUNDING_MIX = {  # (program, NRSA-eligible, in the first two training years): shares in FUNDING_SOURCE order
    ("bmi_mmsc", True, True): (0.92, 0, 0.03, 0.05, 0),
    ("bmi_mmsc", True, False): (0.92, 0, 0.03, 0.05, 0),
    ("bmi_mmsc", False, True): (0, 0, 0, 0.45, 0.55),
    ("bmi_mmsc", False, False): (0, 0, 0, 0.45, 0.55),
    ("hst_memp", True, True): (0, 0.55, 0.30, 0.15, 0),
    ("hst_memp", True, False): (0, 0.15, 0.60, 0.25, 0),
    ("hst_memp", False, True): (0, 0, 0.75, 0.25, 0),
    ("hst_memp", False, False): (0, 0, 0.75, 0.25, 0),
}
GRANTS = {"nlm_t15": "T15LM007092", "nih_training_other": "T32EB001680"}
BUILTIN_LEVELS = {  # fiscal year: predoctoral level, postdoctoral levels 0..7 (used when LEVELS_FILE is absent)
    2016: (23376, (43692, 45444, 47268, 49152, 51120, 53160, 55296, 57504)),
    2017: (None, (47484, 47844, 48216, 50316, 52140, 54228, 56400, 58560)),
    2018: (24324, (48432, 48804, 49188, 51324, 53184, 55308, 57528, 59736)),
    2019: (None, (50004, 50376, 50760, 52896, 54756, 56880, 59100, 61308)),
    2021: (25836, ()),
    2022: (26352, (54840, 55224, 55632, 57852, 59784, 61992, 64296, 66600)),
    2023: (27144, (56484, 56880, 57300, 59592, 61572, 63852, 66228, 68604)),
    2024: (28224, (61008, 61428, 61884, 64356, 66492, 68964, 71532, 74088)),
    2025: (28788, ()),
    2026: (None, (63480, 63900, 64380, 66948, 69180, 71748, 74424, 77076)),
}
HOSPITALS = (
    "Massachusetts General Hospital",
    "Brigham and Women's Hospital",
    "Boston Children's Hospital",
    "Beth Israel Deaconess Medical Center",
    "UCSF Health",
    "Johns Hopkins Hospital",
    "Stanford Health Care",
    "NewYork-Presbyterian Hospital",
    "Vanderbilt University Medical Center",
    "Mass General Brigham",
)
UNIVERSITIES = (
    "Harvard Medical School",
    "Massachusetts Institute of Technology",
    "Stanford University",
    "University of California, San Francisco",
    "Johns Hopkins University",
    "Columbia University",
    "University of Pittsburgh",
    "Oregon Health & Science University",
    "University of Utah",
    "Yale School of Medicine",
    "University of Washington",
)
CONSULTING = "business development, consulting and strategic alliances"
ROLES = {  # role group: (title, sector, career type, UCOT job function, employers); academic titles are built apart
    "cio_informatics_leadership": (
        ("Chief Medical Information Officer", "nonprofit", "science_related", "administration", HOSPITALS),
        ("Associate Chief Medical Information Officer", "nonprofit", "science_related", "administration", HOSPITALS),
        ("Chief Information Officer", "nonprofit", "science_related", "administration", HOSPITALS),
        ("Director of Clinical Informatics", "nonprofit", "science_related", "administration", HOSPITALS),
        (
            "Chief Health Informatics Officer",
            "government",
            "science_related",
            "administration",
            ("U.S. Department of Veterans Affairs",),
        ),
    ),
    "consulting": tuple(
        (
            title,
            "for_profit",
            "science_related",
            CONSULTING,
            ("Deloitte", "McKinsey & Company", "Booz Allen Hamilton", "Accenture", "Huron Consulting Group"),
        )
        for title in ("Senior Consultant", "Manager", "Principal", "Associate Partner")
    ),
    "industry": (
        (
            "Senior Data Scientist",
            "for_profit",
            "science_related",
            "data science, analytics and software engineering",
            ("Google Health", "Microsoft Research", "Epic Systems", "Flatiron Health", "Amazon Web Services"),
        ),
        (
            "Research Scientist",
            "for_profit",
            "primarily_research",
            "research staff or technical director",
            ("Pfizer", "Novartis Institutes for BioMedical Research", "Moderna", "Vertex Pharmaceuticals"),
        ),
        (
            "Medical Director",
            "for_profit",
            "science_related",
            "clinical research management",
            ("Pfizer", "Biogen", "Takeda", "Epic Systems"),
        ),
        (
            "Product Manager",
            "for_profit",
            "science_related",
            "technical support and product development",
            ("Philips Healthcare", "Siemens Healthineers", "GE HealthCare", "Medtronic"),
        ),
        (
            "Co-founder and Chief Executive Officer",
            "for_profit",
            "science_related",
            "entrepreneurship",
            ("Lumen Diagnostics", "Corvista Health", "Brightline Imaging"),
        ),
        (
            "Principal Engineer",
            "for_profit",
            "primarily_research",
            "research staff or technical director",
            ("Medtronic", "Boston Scientific", "Analog Devices"),
        ),
    ),
    "clinical_practice": (
        ("Attending Physician", "nonprofit", "science_related", "healthcare provider", HOSPITALS),
        ("Staff Radiologist", "nonprofit", "science_related", "healthcare provider", HOSPITALS),
        (
            "Physician",
            "for_profit",
            "science_related",
            "healthcare provider",
            ("Atrius Health", "Kaiser Permanente", "One Medical"),
        ),
    ),
    "government": (
        (
            "Medical Officer",
            "government",
            "science_related",
            "regulatory affairs",
            ("U.S. Food and Drug Administration",),
        ),
        (
            "Program Officer",
            "government",
            "science_related",
            "science policy and government affairs",
            ("National Library of Medicine", "National Institute of Biomedical Imaging and Bioengineering"),
        ),
        (
            "Staff Scientist",
            "government",
            "primarily_research",
            "research staff or technical director",
            ("National Institutes of Health", "Centers for Disease Control and Prevention"),
        ),
        (
            "Chief Technology Officer",
            "government",
            "science_related",
            "administration",
            ("Office of the National Coordinator for Health IT",),
        ),
    ),
    "other": (
        (
            "Science Writer",
            "for_profit",
            "science_related",
            "science writing and communication",
            ("STAT News", "Scientific American"),
        ),
        (
            "Patent Agent",
            "for_profit",
            "science_related",
            "intellectual property and law",
            ("Wolf, Greenfield & Sacks", "Fish & Richardson"),
        ),
        (
            "Investment Analyst",
            "for_profit",
            "not_related_to_science",
            "not directly related to science",
            ("Fidelity Investments", "Bain Capital"),
        ),
        (
            "Science Teacher",
            "nonprofit",
            "primarily_teaching",
            "science education and outreach",
            ("Boston Latin School",),
        ),
        (None, "unknown", "unknown", None, (None,)),
    ),
    "further_training_clinical": tuple(
        (title, "academia", "further_training", "healthcare provider", HOSPITALS)
        for title in (
            "Resident in Internal Medicine",
            "Resident in Radiology",
            "Resident in Pediatrics",
            "Resident in General Surgery",
            "Clinical Fellow in Cardiology",
        )
    ),
    "further_training_research": tuple(
        (title, "academia", "further_training", "postdoctoral", UNIVERSITIES)
        for title in ("Postdoctoral Fellow", "Postdoctoral Associate", "Research Fellow")
    ),
}
RANKS = ("Instructor in", "Assistant Professor of", "Associate Professor of", "Professor of")
DEPARTMENTS = {
    True: ("Medicine", "Radiology", "Pediatrics", "Biomedical Informatics", "Emergency Medicine", "Pathology"),
    False: (
        "Biomedical Engineering",
        "Radiology",
        "Electrical Engineering",
        "Physics",
        "Health Sciences and Technology",
    ),
}
ROLE_MIX = {  # program: (first position, later positions), shares in ROLE_GROUP order
    "bmi_mmsc": ((0.56, 0.08, 0.10, 0.13, 0.05, 0.05, 0, 0.03), (0.52, 0.17, 0.10, 0.11, 0.03, 0.05, 0, 0.02)),
    "hst_gems": ((0.08, 0, 0.08, 0.35, 0, 0.04, 0.40, 0.05), (0.38, 0.02, 0.08, 0.40, 0, 0.06, 0, 0.06)),
    "hst_md": ((0.06, 0, 0.01, 0.02, 0.04, 0.01, 0.85, 0.01), (0.38, 0.03, 0.03, 0.07, 0.42, 0.04, 0, 0.03)),
    "hst_memp": ((0.10, 0, 0.07, 0.30, 0, 0.05, 0.43, 0.05), (0.40, 0.02, 0.07, 0.38, 0, 0.07, 0, 0.06)),
}


def _choice(rng: np.random.Generator, values, p, size: int) -> np.ndarray:
    """Draw size values with probabilities p (normalised)."""
    p = np.asarray(p, dtype=float)
    return np.array(values, dtype=object)[rng.choice(len(values), size=size, p=p / p.sum())]


def _pick(rng: np.random.Generator, values, size: int) -> np.ndarray:
    """Draw size values uniformly."""
    return np.array(values, dtype=object)[rng.integers(0, len(values), size)]


def _ymd(year, month, day) -> np.ndarray:
    """Dates from year, month and day arrays (a day past the month's end rolls over)."""
    months = (np.asarray(year, dtype=np.int64) - 1970) * 12 + np.asarray(month, dtype=np.int64) - 1
    return months.astype("datetime64[M]").astype("datetime64[D]") + (np.asarray(day, dtype=np.int64) - 1)


def _parts(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of each date."""
    months = dates.astype("datetime64[M]")
    m = months.astype(np.int64)
    return m // 12 + 1970, m % 12 + 1, (dates - months.astype("datetime64[D]")).astype(np.int64) + 1


def _days(column: pd.Series) -> np.ndarray:
    """A date column as datetime64[D] (NaT kept)."""
    return column.to_numpy().astype("datetime64[D]")


def _rank(counts: np.ndarray) -> np.ndarray:
    """Position of each row within its run, for runs of the given lengths laid end to end."""
    counts = np.asarray(counts, dtype=np.int64)
    return np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)


def _ids(prefix: str, n: int) -> np.ndarray:
    """Zero-padded text ids prefix000001.. (wider when n needs it)."""
    numbers = pd.Series(np.arange(1, n + 1)).astype("str").str.zfill(max(6, len(str(n))))
    return (prefix + numbers).to_numpy(dtype=object)


def _ascii(name: str) -> str:
    """A name as lower-case ASCII letters for an e-mail address."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def _demographics(rng: np.random.Generator, program: np.ndarray, year: np.ndarray) -> dict[str, np.ndarray]:
    """Citizenship, gender and URM status of people entering program in year."""
    n = len(program)
    citizenship = np.empty(n, dtype=object)
    for pid in PROGRAM_IDS:
        m = program == pid
        citizenship[m] = _choice(rng, CITIZENSHIP, CITIZENSHIP_MIX[pid], int(m.sum()))
    female = 0.25 + 0.25 * (year - 1975) / 50
    nonbinary = np.where(year >= 2015, 0.012, 0.0)
    u = rng.random(n)
    gender = np.select([u < female, u < 0.99 - nonbinary, u < 0.99], ["female", "male", "nonbinary"], "not_reported")
    is_urm = rng.random(n) < 0.08 + 0.10 * (year - 1975) / 50
    return {"citizenship": citizenship, "gender": gender.astype(object), "is_urm": is_urm}


def _tracks(rng: np.random.Generator, program: np.ndarray) -> np.ndarray:
    """A track for each person: every BMI fellow, a few MEMP students, nobody else."""
    track = np.full(len(program), None, dtype=object)
    for pid, (values, p) in TRACK_MIX.items():
        m = program == pid
        track[m] = _choice(rng, values, p, int(m.sum()))
    return track


def _entrants(rng: np.random.Generator, scale: int) -> pd.DataFrame:
    """Program and cohort of every entrant, sorted by cohort, program and a random order (_rank: place in it)."""
    programs, years = [], []
    for pid, (first, n0, n1) in COHORTS.items():
        cohort_years = np.arange(first, LAST_COHORT + 1)
        sizes = np.maximum(3, rng.poisson(np.linspace(n0, n1, len(cohort_years)))) * scale
        programs.append(np.full(sizes.sum(), pid, dtype=object))
        years.append(np.repeat(cohort_years, sizes))
    program, year = np.concatenate(programs), np.concatenate(years)
    code = pd.Index(PROGRAM_IDS).get_indexer(program)
    order = np.lexsort((rng.random(len(program)), code, year))
    frame = pd.DataFrame({"program_id": program[order], "cohort_year": year[order], "_code": code[order]})
    frame["_rank"] = frame.groupby(["cohort_year", "program_id"], sort=False).cumcount().to_numpy()
    return frame


def _planned_outcomes(rng: np.random.Generator, program: np.ndarray, start: np.ndarray) -> tuple:
    """Status, end date and degree each entrant will reach, ignoring the as-of date."""
    n, year = len(program), _parts(start)[0]
    status, degree = np.empty(n, dtype=object), np.full(n, None, dtype=object)
    end = np.empty(n, dtype="datetime64[D]")
    for pid in PROGRAM_IDS:
        m = np.flatnonzero(program == pid)
        k = len(m)
        status[m] = _choice(rng, ("graduated", "withdrawn", "transferred"), OUTCOMES[pid], k)
        if pid == "hst_md":  # commencement in late May, 4 years on, longer with research years
            years = _choice(rng, (4, 5, 6, 7), (0.6, 0.3, 0.08, 0.02), k).astype(int)
            grad = _ymd(year[m] + years, 5, rng.integers(20, 32, k))
        elif pid == "hst_memp":  # a PhD takes 5-8 years and ends whenever the thesis is accepted
            years = _choice(rng, (5, 6, 7, 8), (0.2, 0.4, 0.28, 0.12), k).astype(int)
            grad = start[m] + (years * 365.25).astype(int) + rng.integers(-150, 150, k)
        elif pid == "hst_gems":
            grad = _ymd(year[m] + 2, rng.integers(5, 7, k), rng.integers(10, 29, k))
        else:
            years = _choice(rng, (2, 3), (0.72, 0.28), k).astype(int)
            grad = _ymd(year[m] + years, 6, rng.integers(10, 31, k))
        sm = (pid == "hst_memp") & (rng.random(k) < 0.65)  # MEMP leavers after the qualifying years get an SM
        left = start[m] + np.where(sm, rng.integers(700, 1500, k), rng.integers(120, 1100, k))
        end[m] = np.where(status[m] == "graduated", grad, left)
        terminal_sm = np.where(sm & (status[m] == "withdrawn"), "SM", None)
        degree[m] = np.where(status[m] == "graduated", DEGREE[pid], terminal_sm)
    return status, end, degree


def _md_phd(t: pd.DataFrame, scale: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the MD and the MEMP enrollment of each MD-PhD student (about one a year, MEMP entry two years on)."""
    md = t.index[(t.program_id == "hst_md") & (t._rank < scale) & t.cohort_year.between(1985, LAST_COHORT - 2)]
    memp = t.index[(t.program_id == "hst_memp") & (t._rank < scale) & t.cohort_year.between(1987, LAST_COHORT)]
    key_md = pd.Series(md, index=pd.MultiIndex.from_arrays([t.cohort_year[md] + 2, t._rank[md]]))
    key_memp = pd.Series(memp, index=pd.MultiIndex.from_arrays([t.cohort_year[memp], t._rank[memp]]))
    both = key_md.index.intersection(key_memp.index, sort=False)
    return key_md[both].to_numpy(), key_memp[both].to_numpy()


def _trainees(rng: np.random.Generator, scale: int) -> pd.DataFrame:
    """Every enrollment: who, when, in what, and how it ended (or not yet) by the as-of date."""
    t = _entrants(rng, scale)
    n, program, year = len(t), t.program_id.to_numpy(), t.cohort_year.to_numpy()
    t["trainee_id"], t["applicant_id"], t["track_id"] = _ids("T", n), None, _tracks(rng, program)
    start = _ymd(year, 7, 1) + np.where(program == "hst_md", rng.integers(25, 45, n), rng.integers(0, 75, n))
    t["start_date"] = start
    for col, values in _demographics(rng, program, year).items():
        t[col] = values
    gender = t.gender.to_numpy()
    t["given_name"] = np.select(
        [gender == "female", gender == "male"],
        [_pick(rng, GIVEN_F, n), _pick(rng, GIVEN_M, n)],
        _pick(rng, GIVEN_F + GIVEN_M, n),
    )
    t["family_name"] = _pick(rng, FAMILY, n)
    prior = np.empty(n, dtype=object)
    for pid, (values, p) in PRIOR_DEGREES.items():
        prior[program == pid] = _choice(rng, values, p, int((program == pid).sum()))
    t["prior_degrees"] = prior
    bmi = program == "bmi_mmsc"
    physician = bmi & pd.Series(prior).str.contains("MD").to_numpy()
    t["residency_completed"] = pd.array(np.where(physician, rng.random(n) < 0.85, None), dtype="boolean")
    experience = rng.choice(5, n, p=(0.35, 0.3, 0.18, 0.1, 0.07))
    t["postdoc_experience_years"] = pd.array(np.where(bmi, experience, None), dtype="Int64")
    _research(rng, t)
    status, end, degree = _planned_outcomes(rng, program, start)
    md, memp = _md_phd(t, scale)
    for col in ("given_name", "family_name", "citizenship", "gender", "is_urm"):
        t.loc[memp, col] = t.loc[md, col].to_numpy()
    t["person_id"] = None
    t.loc[md, "person_id"] = t.loc[memp, "person_id"] = t.trainee_id[md].to_numpy()
    status[md], status[memp], degree[md], degree[memp] = "graduated", "graduated", "MD", "PhD"
    end[md] = _ymd(_parts(end[memp])[0] + 2, 5, rng.integers(20, 32, len(md)))  # clinical years after the PhD
    future = end > AS_OF
    status[future] = np.where(rng.random(int(future.sum())) < 0.05, "on_leave", "active")
    t["status"], t["end_date"] = status, np.where(future, np.datetime64("NaT"), end)
    t["degree_awarded"] = np.where(future, None, degree)
    plain = {name: _ascii(name) for name in GIVEN_F + GIVEN_M + FAMILY}
    number = pd.Series(np.arange(1, n + 1)).astype("str")
    t["email"] = t.given_name.map(plain) + "." + t.family_name.map(plain) + "." + number + "@example.edu"
    t.loc[memp, "email"] = t.email[md].to_numpy()  # one person, one address
    return t


def _research(rng: np.random.Generator, t: pd.DataFrame) -> None:
    """Mentor(s) and research topic of MEMP students and BMI fellows."""
    mentor, topic = np.full(len(t), None, dtype=object), np.full(len(t), None, dtype=object)
    program = t.program_id.to_numpy()
    field = t.track_id.fillna(t.program_id).to_numpy()
    for pid, names in FACULTY.items():
        m = np.flatnonzero(program == pid)
        first, second = _pick(rng, names, len(m)), _pick(rng, names, len(m))
        both = (rng.random(len(m)) < 0.15) & (first != second)
        mentor[m] = np.where(both, first + "; " + second, first)
    for key, (methods, subjects) in TOPICS.items():
        m = np.flatnonzero((field == key) & np.isin(program, list(FACULTY)))
        topic[m] = _pick(rng, methods, len(m)) + " for " + _pick(rng, subjects, len(m))
    t["mentor"], t["research_topic"] = mentor, topic


def _applicants(rng: np.random.Generator, t: pd.DataFrame) -> pd.DataFrame:
    """Applications per cycle from 1990: each entrant's own (matriculated), declined offers, interviews, the rest."""
    linked = t[t.cohort_year >= FIRST_APPLICANT_YEAR].sort_values(["_code", "cohort_year", "trainee_id"])
    groups = linked.groupby(["_code", "cohort_year"], sort=True).size()
    code, year = groups.index.get_level_values(0).to_numpy(), groups.index.get_level_values(1).to_numpy()
    entrants, funnel = groups.to_numpy(), np.array([FUNNEL[p] for p in PROGRAM_IDS])[code]
    total = np.ceil(entrants * rng.uniform(funnel[:, 0], funnel[:, 1])).astype(int)
    offer_yield = np.clip(funnel[:, 2] + rng.normal(0, 0.05, len(code)), 0.4, 0.95)
    admitted = np.minimum(total, np.ceil(entrants / offer_yield))
    interviewed = np.minimum(total, np.ceil(admitted * funnel[:, 3]))
    rank, group = _rank(total), np.repeat(np.arange(len(total)), total)
    program, cycle = np.array(PROGRAM_IDS, dtype=object)[code[group]], year[group]
    a = pd.DataFrame({"program_id": program, "cycle_year": cycle, **_demographics(rng, program, cycle)})
    a["track_id"] = _tracks(rng, program)
    a["interviewed"], a["admitted"] = rank < interviewed[group], rank < admitted[group]
    a["matriculated"] = matriculated = rank < entrants[group]
    for col in ("track_id", "citizenship", "gender", "is_urm"):
        a.loc[matriculated, col] = linked[col].to_numpy()
    order = np.lexsort((rng.random(len(a)), code[group], cycle))
    ids = np.empty(len(a), dtype=object)
    ids[order] = _ids("A", len(a))
    a["applicant_id"] = ids
    t.loc[linked.index, "applicant_id"] = ids[matriculated]
    return a.iloc[order]


def _nrsa_levels() -> tuple[np.ndarray, np.ndarray]:
    """Annual NRSA levels for LEVEL_YEARS: predoctoral, and postdoctoral by experience 0..7 (years x 8)."""
    known: dict[tuple[str, int], dict[int, float]] = {}
    if LEVELS_FILE.exists():
        for r in pd.read_csv(LEVELS_FILE).itertuples(index=False):
            key = (r.career_level, int(r.experience_years))
            known.setdefault(key, {})[int(r.fiscal_year)] = float(r.annual_stipend_usd)
    else:
        for fy, (pre, post) in BUILTIN_LEVELS.items():
            for key, amount in [(("predoctoral", 0), pre)] + [(("postdoctoral", i), v) for i, v in enumerate(post)]:
                if amount:
                    known.setdefault(key, {})[fy] = amount
    post = np.stack([_fill_years(known[("postdoctoral", i)]) for i in range(8)], axis=1)
    return _fill_years(known[("predoctoral", 0)]), post


def _fill_years(levels: dict[int, float]) -> np.ndarray:
    """A level for every fiscal year: as published, interpolated between, 3% a year beyond (to multiples of 12)."""
    years = np.array(sorted(levels))
    inside = np.interp(LEVEL_YEARS, years, [levels[y] for y in years])
    beyond = np.clip(LEVEL_YEARS - years[-1], 0, None) - np.clip(years[0] - LEVEL_YEARS, 0, None)
    return np.round(inside * 1.03**beyond / 12) * 12


def _appointments(rng: np.random.Generator, t: pd.DataFrame, scale: int) -> pd.DataFrame:
    """One appointment per training year (fiscal years 2000 on) for MEMP students and BMI fellows, with funding."""
    who = t[t.program_id.isin(["hst_memp", "bmi_mmsc"])]
    start, end = _days(who.start_date), _days(who.end_date)
    limit = np.where(np.isnat(end), AS_OF, end)
    years = (limit - start).astype(int) // 365 + 1
    row, k = np.repeat(np.arange(len(who)), years), _rank(years)
    y, m, d = _parts(start[row])
    a_start, a_end = _ymd(y + k, m, d), np.minimum(_ymd(y + k + 1, m, d) - 1, limit[row])
    a_year, a_month, _ = _parts(a_start)
    fiscal = a_year + (a_month >= 10)
    keep = (a_end - a_start >= 30) & (fiscal >= FIRST_APPOINTMENT_FY)  # no stub appointment in a last month
    row, k = row[keep], k[keep]
    a = pd.DataFrame(
        {
            "trainee_id": who.trainee_id.to_numpy()[row],
            "fiscal_year": fiscal[keep],
            "start_date": a_start[keep],
            "end_date": a_end[keep],
            "_year": k,
            "_program": who.program_id.to_numpy()[row],
        }
    )
    moving, at = _citizenship_changes(rng, a, who.citizenship.to_numpy()[row], scale)
    a["citizenship_at_appointment"] = np.where(moving, at, None)
    _funding(rng, a, at, moving, scale)
    _amounts(rng, a, who.postdoc_experience_years.to_numpy(dtype=float, na_value=0.0)[row].astype(int))
    a.insert(0, "appointment_id", _ids("AP", len(a)))
    return a


def _citizenship_changes(rng: np.random.Generator, a: pd.DataFrame, entry: np.ndarray, scale: int) -> tuple:
    """A few visa holders who become permanent residents during training: (rows of theirs, citizenship per row)."""
    nth = a.groupby("trainee_id", sort=False).cumcount().to_numpy()
    counts = a.groupby("trainee_id", sort=False).size()
    first_entry = entry[nth == 0]
    candidates = counts.index.to_numpy()[(counts.to_numpy() >= 2) & (first_entry == "temporary_visa")]
    movers = rng.permutation(candidates)[: 8 * scale]
    switch = pd.Series(rng.integers(1, counts[movers].to_numpy()), index=movers)
    moving = a.trainee_id.isin(movers).to_numpy()
    after = nth >= a.trainee_id.map(switch).fillna(np.inf).to_numpy()
    return moving, np.where(moving & after, "permanent_resident", entry).astype(object)


def _funding(
    rng: np.random.Generator, a: pd.DataFrame, citizenship: np.ndarray, moving: np.ndarray, scale: int
) -> None:
    """Funding source and grant number: NLM T15 for eligible BMI fellows, a mix for MEMP students."""
    program, early = a._program.to_numpy(), a._year.to_numpy() < 2
    eligible = np.isin(citizenship, NRSA_ELIGIBLE)
    source = np.empty(len(a), dtype=object)
    for (pid, is_eligible, is_early), p in FUNDING_MIX.items():
        m = (program == pid) & (eligible == is_eligible) & (early == is_early)
        source[m] = _choice(rng, FUNDING_SOURCE, p, int(m.sum()))
    slips = np.flatnonzero((program == "bmi_mmsc") & (citizenship == "temporary_visa") & ~moving)
    source[rng.permutation(slips)[: 3 * scale]] = "nlm_t15"  # a data-entry problem the validator warns about
    a["funding_source"] = source
    a["grant_number"] = a.funding_source.map(GRANTS)


def _amounts(rng: np.random.Generator, a: pd.DataFrame, experience: np.ndarray) -> None:
    """Stipend, tuition, insurance and travel: NRSA levels prorated by days / 365.25, with a few mispayments."""
    n, bmi, source = len(a), a._program.to_numpy() == "bmi_mmsc", a.funding_source.to_numpy()
    nih = np.isin(source, list(GRANTS))
    pre, post = _nrsa_levels()
    fy = np.clip(a.fiscal_year.to_numpy() - LEVEL_YEARS[0], 0, len(LEVEL_YEARS) - 1)
    annual = np.where(bmi, post[fy, np.minimum(7, experience + a._year.to_numpy())], pre[fy])
    share = ((a.end_date - a.start_date).dt.days.to_numpy() + 1) / 365.25
    external = np.where(bmi, rng.uniform(0.95, 1.3, n), rng.uniform(1.25, 1.45, n))  # fellowships pay their own rate
    factor = np.select(
        [source == "institutional", source == "external_fellowship", source == "self_funded"],
        [np.where(bmi, 1.0, 1.6), external, 0.0],
        1.0,
    )
    mispaid = nih & (rng.random(n) < 0.03)
    factor = np.where(mispaid, rng.choice([0.9, 0.95, 1.05, 1.1], n), factor)
    a["stipend_usd"] = np.round(annual * factor * share, 2)
    full_tuition = 26000 * 1.035 ** (a.fiscal_year.to_numpy() - 2000)
    capped = np.where(source == "nih_training_other", np.minimum(16000, 0.6 * full_tuition), full_tuition)
    tuition = np.where(bmi, rng.integers(2500, 4501, n), capped)
    insurance = np.where(bmi, rng.uniform(3000, 6000, n), rng.uniform(2000, 4200, n))
    paid = source != "self_funded"
    a["tuition_fees_usd"] = np.where(paid, np.round(tuition * share, 2), np.nan)
    a["health_insurance_usd"] = np.where(paid, np.round(insurance * share, 2), np.nan)
    travel = np.where(bmi, rng.uniform(1000, 2500, n), rng.uniform(300, 1500, n))
    a["travel_usd"] = np.where(nih, np.round(travel, 2), np.nan)


def _positions(rng: np.random.Generator, t: pd.DataFrame) -> pd.DataFrame:
    """Career positions of alumni (UCOT tiers and role group): 0-4 each, from the completion year on."""
    second_of_md_phd = t.person_id.notna() & (t.program_id == "hst_memp")  # careers are kept on the MD row
    alumni = t[(t.status == "graduated") & ~second_of_md_phd]
    done = _parts(_days(alumni.end_date))[0]
    counts = np.clip(1 + rng.poisson((2026 - done) / 7), 1, 4) * (rng.random(len(alumni)) >= 0.07)
    row, idx = np.repeat(np.arange(len(alumni)), counts), _rank(counts)
    n = len(row)
    gap = np.where(idx == 0, done[row] + (rng.random(n) < 0.2), 1 + rng.poisson(3, n))
    gap = np.where((idx > 0) & (rng.random(n) < 0.04), 0, gap)  # two positions starting the same year
    start = pd.Series(gap).groupby(row).cumsum().to_numpy()
    keep = start <= 2026
    row, idx, start, gap = row[keep], idx[keep], start[keep], gap[keep]
    n, last = len(row), np.append(row[1:] != row[:-1], True)
    next_start, tie_next = np.append(start[1:], 0), np.append(gap[1:], 1) == 0
    end = np.where(
        tie_next, np.minimum(2026, start + rng.integers(1, 5, n)), np.maximum(start, next_start - (rng.random(n) < 0.3))
    )
    end = np.where(last, np.where(rng.random(n) < 0.1, np.minimum(2026, start + rng.integers(0, 6, n)), np.nan), end)
    several = np.unique(row[idx >= 1])  # a few keep their first position open and left a newer one
    odd = np.isin(row, rng.permutation(several)[: max(3, len(alumni) // 60)])
    end = np.where(odd & (idx == 0), np.nan, np.where(odd & last, np.minimum(2026, start + rng.integers(0, 3, n)), end))
    program = alumni.program_id.to_numpy()[row]
    p = pd.DataFrame(
        {
            "trainee_id": alumni.trainee_id.to_numpy()[row],
            "start_year": start,
            "end_year": pd.array(np.where(np.isnan(end), None, end), dtype="Int64"),
        }
    )
    role = np.empty(n, dtype=object)
    for pid, (initial, later) in ROLE_MIX.items():
        for is_first, mix in ((True, initial), (False, later)):
            m = (program == pid) & ((idx == 0) == is_first)
            role[m] = _choice(rng, ROLE_GROUP, mix, int(m.sum()))
    p["role_group"] = role
    _describe_positions(rng, p, program, idx)
    p.insert(0, "position_id", _ids("P", n))
    return p


def _describe_positions(rng: np.random.Generator, p: pd.DataFrame, program: np.ndarray, idx: np.ndarray) -> None:
    """Title, employer, sector, career type and job function that fit each position's role group."""
    role, clinical = p.role_group.to_numpy(), np.isin(program, ["hst_md", "bmi_mmsc"])
    columns = ("title", "employer", "sector", "career_type", "job_function")
    out = {c: np.full(len(p), None, dtype=object) for c in columns}
    training = np.where(clinical, "further_training_clinical", "further_training_research")
    kind = np.where(role == "further_training", training, role)
    for group, templates in ROLES.items():
        m = np.flatnonzero(kind == group)
        pick = rng.integers(0, len(templates), len(m))
        for j, (title, sector, career, function, employers) in enumerate(templates):
            rows = m[pick == j]
            out["title"][rows], out["sector"][rows], out["career_type"][rows] = title, sector, career
            out["job_function"][rows], out["employer"][rows] = function, _pick(rng, employers, len(rows))
    m = np.flatnonzero(role == "academic")  # rank rises with each position; MD and PhD alumni train first
    rank = np.clip(idx[m] - (program[m] != "bmi_mmsc") + rng.integers(0, 2, len(m)), 0, 3)
    department = np.where(clinical[m], _pick(rng, DEPARTMENTS[True], len(m)), _pick(rng, DEPARTMENTS[False], len(m)))
    out["title"][m] = np.array(RANKS, dtype=object)[rank] + " " + department
    out["employer"][m] = _pick(rng, HOSPITALS + UNIVERSITIES, len(m))
    out["sector"][m], out["career_type"][m] = "academia", "primarily_research"
    out["job_function"][m] = np.where(rank == 0, "faculty member (non-tenure track)", "faculty member (tenure track)")
    for col, values in out.items():
        p[col] = values


def _milestones(rng: np.random.Generator, t: pd.DataFrame) -> pd.DataFrame:
    """Milestones of MEMP students and BMI fellows within their training (defense and degree for graduates)."""
    who = t[t.program_id.isin(["hst_memp", "bmi_mmsc"])]
    start, end = _days(who.start_date), _days(who.end_date)
    limit = np.where(np.isnat(end), AS_OF, end)
    memp, n = who.program_id.to_numpy() == "hst_memp", len(who)
    span, everyone = (limit - start).astype(int), np.arange(n)
    parts = []

    def add(name: str, rows: np.ndarray, dates: np.ndarray) -> None:
        ok = (dates >= start[rows]) & (dates <= limit[rows])
        parts.append(
            pd.DataFrame(
                {"trainee_id": who.trainee_id.to_numpy()[rows[ok]], "milestone": name, "milestone_date": dates[ok]}
            )
        )

    def within(rows: np.ndarray, low: float) -> np.ndarray:
        return start[rows] + (rng.uniform(low, 1, len(rows)) * span[rows]).astype(int)

    immersion = np.flatnonzero(memp)  # 12 weeks at a teaching hospital, the summer after year 1 or 2
    add(
        "clinical_immersion",
        immersion,
        _ymd(_parts(start[immersion])[0] + rng.integers(1, 3, len(immersion)), 6, rng.integers(1, 16, len(immersion))),
    )
    add("thesis_proposal", everyone, start + np.where(memp, rng.integers(840, 1280, n), rng.integers(150, 330, n)))
    oral = np.flatnonzero(rng.random(n) < 0.8)
    add("oral_presentation", oral, within(oral, 0.3))
    for name, mean in (("national_presentation", 1.4), ("manuscript", 1.6)):
        rows = np.repeat(everyone, rng.poisson(np.where(memp, mean + 0.6, mean)))
        add(name, rows, within(rows, 0.35))
    grad = np.flatnonzero(who.status.to_numpy() == "graduated")
    before = np.where(memp[grad], rng.integers(14, 90, len(grad)), rng.integers(7, 60, len(grad)))
    add("thesis_defense", grad, end[grad] - before)
    add("degree_conferred", grad, end[grad])
    return pd.concat(parts, ignore_index=True).drop_duplicates(["trainee_id", "milestone", "milestone_date"])


def generate(scale: int = 1, seed: int = 2026) -> dict[str, pd.DataFrame]:
    """Every source table of the contract, as typed frames in contract column order, sorted by key."""
    rng = np.random.default_rng(seed)
    trainees = _trainees(rng, scale)
    frames = {
        "programs": pd.DataFrame(list(PROGRAMS), columns=table("programs").column_names),
        "tracks": pd.DataFrame(list(TRACKS), columns=table("tracks").column_names),
        "applicants": _applicants(rng, trainees),
        "trainees": trainees,
        "appointments": _appointments(rng, trainees, scale),
        "positions": _positions(rng, trainees),
        "milestones": _milestones(rng, trainees),
    }
    out = {}
    for spec in SOURCE_TABLES:
        frame = frames[spec.name]
        if len(spec.key) > 1 or not frame[spec.key[0]].is_monotonic_increasing:
            frame = frame.sort_values(list(spec.key))
        out[spec.name] = frame[spec.column_names].reset_index(drop=True)
    return out


def _cell(value) -> str:
    """One non-text value as CSV text: true/false, ISO date, amounts with 2 decimals."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (float, np.floating)):
        return f"{value:.2f}"
    return str(value)


def _as_text(column: pd.Series) -> pd.Series:
    """A column as CSV cells: '' for NULL, text quoted when it holds a comma, quote or newline."""
    codes, uniques = pd.factorize(column)  # format each distinct value once
    if pd.api.types.infer_dtype(uniques, skipna=True) == "string":
        labels = pd.Series(uniques, dtype="str")
        quote = labels.str.contains('[",\r\n]', regex=True)
        labels = labels.where(~quote, '"' + labels.str.replace('"', '""', regex=False) + '"')
    else:
        labels = pd.Series([_cell(v) for v in uniques], dtype="str")
    labels = pd.concat([labels, pd.Series([""], dtype="str")], ignore_index=True)
    return labels.take(np.where(codes < 0, len(labels) - 1, codes)).reset_index(drop=True)


def write(frames: dict[str, pd.DataFrame], out_dir) -> None:
    """Write each frame as out_dir/<table>.csv: UTF-8, a header row, '\\n' line endings."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        lines = [",".join(frame.columns)]
        if len(frame):
            cells = [_as_text(frame[c]) for c in frame.columns]
            rows = cells[0]
            for column in cells[1:]:
                rows = rows + "," + column
            lines.append(rows.str.cat(sep="\n"))
        (out_dir / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")


def main(argv: list[str] | None = None) -> None:
    """Command line: python -m etl.sample --out DIR [--scale K] [--seed S]."""
    parser = argparse.ArgumentParser(prog="python -m etl.sample", description=__doc__)
    parser.add_argument("--out", required=True, help="folder to write the CSV files into")
    parser.add_argument("--scale", type=int, default=1, help="multiply every cohort by K (default 1)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    args = parser.parse_args(argv)
    frames = generate(args.scale, args.seed)
    write(frames, args.out)
    print(", ".join(f"{name} {len(frame):,}" for name, frame in frames.items()))


if __name__ == "__main__":
    main()
