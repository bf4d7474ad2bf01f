"""The input contract: every table, column, vocabulary and rule data staff must meet, described once."""

from __future__ import annotations

from dataclasses import dataclass

CITIZENSHIP = ("us_citizen", "noncitizen_national", "permanent_resident", "temporary_visa", "unknown")
NRSA_ELIGIBLE = ("us_citizen", "noncitizen_national", "permanent_resident")
GENDER = ("female", "male", "nonbinary", "not_reported")
LEVEL = ("predoctoral", "postdoctoral", "certificate")
STATUS = ("active", "on_leave", "graduated", "withdrawn", "transferred")
FUNDING_SOURCE = ("nlm_t15", "nih_training_other", "institutional", "external_fellowship", "self_funded")
NIH_SOURCES = ("nlm_t15", "nih_training_other")
SECTOR = ("academia", "government", "for_profit", "nonprofit", "other", "unknown")
CAREER_TYPE = (
    "further_training",
    "primarily_research",
    "primarily_teaching",
    "science_related",
    "not_related_to_science",
    "unknown",
)
ROLE_GROUP = (
    "academic",
    "cio_informatics_leadership",
    "consulting",
    "industry",
    "clinical_practice",
    "government",
    "further_training",
    "other",
)
MILESTONE = (
    "thesis_proposal",
    "clinical_immersion",
    "thesis_defense",
    "oral_presentation",
    "national_presentation",
    "manuscript",
    "degree_conferred",
)
CAREER_LEVEL = ("predoctoral", "postdoctoral")

# How each coded value reads on pages and reports (one definition; snapshots carry it as main.vocabulary).
LABELS = {
    "us_citizen": "US citizen",
    "noncitizen_national": "Non-citizen national",
    "permanent_resident": "Permanent resident",
    "temporary_visa": "Temporary visa",
    "unknown": "Unknown",
    "female": "Female",
    "male": "Male",
    "nonbinary": "Nonbinary",
    "not_reported": "Not reported",
    "predoctoral": "Predoctoral",
    "postdoctoral": "Postdoctoral",
    "certificate": "Certificate",
    "active": "Active",
    "on_leave": "On leave",
    "graduated": "Graduated",
    "withdrawn": "Withdrawn",
    "transferred": "Transferred",
    "nlm_t15": "NLM T15",
    "nih_training_other": "Other NIH training grant",
    "institutional": "Institutional",
    "external_fellowship": "External fellowship",
    "self_funded": "Self-funded",
    "academia": "Academia",
    "government": "Government",
    "for_profit": "For-profit",
    "nonprofit": "Nonprofit",
    "other": "Other",
    "further_training": "Further training",
    "primarily_research": "Primarily research",
    "primarily_teaching": "Primarily teaching",
    "science_related": "Science-related",
    "not_related_to_science": "Not related to science",
    "academic": "Academic",
    "cio_informatics_leadership": "CIO / informatics leadership",
    "consulting": "Consulting",
    "industry": "Industry",
    "clinical_practice": "Clinical practice",
    "thesis_proposal": "Thesis proposal",
    "clinical_immersion": "Clinical immersion",
    "thesis_defense": "Thesis defense",
    "oral_presentation": "Oral presentation",
    "national_presentation": "National presentation",
    "manuscript": "Manuscript",
    "degree_conferred": "Degree conferred",
}
# Every vocabulary, in the order pages list it; role_group also has 'unknown' (an alumnus with no position on file).
VOCABULARIES = {
    "citizenship": CITIZENSHIP,
    "gender": GENDER,
    "level": LEVEL,
    "status": STATUS,
    "funding_source": FUNDING_SOURCE,
    "sector": SECTOR,
    "career_type": CAREER_TYPE,
    "role_group": (*ROLE_GROUP, "unknown"),
    "milestone": MILESTONE,
    "career_level": CAREER_LEVEL,
}

TYPES = ("text", "integer", "number", "boolean", "date", "category")
BOOLEAN_WORDS = {"true": True, "yes": True, "y": True, "t": True, "1": True,
                 "false": False, "no": False, "n": False, "f": False, "0": False}


@dataclass(frozen=True)
class Column:
    """One column of an input table: its type and the rules on its values."""

    name: str
    type: str
    description: str
    nullable: bool = False
    values: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    references: str | None = None
    optional: bool = False
    default: str | None = None
    empty_is_zero: bool = False

    def __post_init__(self) -> None:
        assert self.type in TYPES, self.type
        assert (self.type == "category") == bool(self.values), self.name


@dataclass(frozen=True)
class Table:
    """One input table (a CSV file or a workbook sheet of the same name)."""

    name: str
    grain: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = True
    may_be_empty: bool = False
    reference: bool = False

    def column(self, name: str) -> Column:
        """The column called name."""
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        """Column names in contract order."""
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Rule:
    """A named check with a severity: errors stop the publish, warnings publish and are listed."""

    name: str
    severity: str
    checks: str
    hint: str


def _c(name: str, type_: str, description: str, **kw) -> Column:
    return Column(name, type_, description, **kw)


_CITIZENSHIP_DOC = "citizenship at entry; NRSA-eligible: us_citizen, noncitizen_national, permanent_resident"

TABLES: tuple[Table, ...] = (
    Table(
        "programs",
        "one row per training program",
        (
            _c("program_id", "text", "short stable identifier, e.g. hst_md"),
            _c("program_name", "text", "name as printed on reports"),
            _c("school", "text", "awarding school or institution"),
            _c("degree", "text", "degree or certificate awarded, e.g. MD, PhD, MMSc"),
            _c("level", "category", "NIH career level of the program", values=LEVEL),
            _c("nominal_years", "integer", "expected length of training in years", min=1, max=10),
        ),
        key=("program_id",),
    ),
    Table(
        "tracks",
        "one row per track (specialization) of a program",
        (
            _c("track_id", "text", "short stable identifier, e.g. bmi_imaging"),
            _c("program_id", "text", "the program the track belongs to", references="programs.program_id"),
            _c("track_name", "text", "name as printed on reports"),
        ),
        key=("track_id",),
        may_be_empty=True,
    ),
    Table(
        "applicants",
        "one row per application in an admissions cycle",
        (
            _c("applicant_id", "text", "identifier of the application"),
            _c("program_id", "text", "program applied to", references="programs.program_id"),
            _c("track_id", "text", "track applied to, if any", nullable=True, references="tracks.track_id"),
            _c(
                "cycle_year", "integer", "academic year of intended entry (1 July Y to 30 June Y+1)", min=1900, max=2100
            ),
            _c("citizenship", "category", _CITIZENSHIP_DOC, values=CITIZENSHIP),
            _c("gender", "category", "gender as reported by the applicant", values=GENDER),
            _c("is_urm", "boolean", "from a group underrepresented in biomedical research (NIH definition)"),
            _c("interviewed", "boolean", "was interviewed"),
            _c("admitted", "boolean", "received an offer of admission"),
            _c("matriculated", "boolean", "enrolled; true only if admitted"),
        ),
        key=("applicant_id",),
    ),
    Table(
        "trainees",
        "one row per enrollment of a person in a program",
        (
            _c("trainee_id", "text", "identifier of the enrollment"),
            _c(
                "applicant_id",
                "text",
                "the application that led to it",
                nullable=True,
                references="applicants.applicant_id",
            ),
            _c("program_id", "text", "program enrolled in", references="programs.program_id"),
            _c("track_id", "text", "track within the program", nullable=True, references="tracks.track_id"),
            _c("cohort_year", "integer", "academic year of entry (1 July Y to 30 June Y+1)", min=1900, max=2100),
            _c("start_date", "date", "first day of training"),
            _c("status", "category", "enrollment status", values=STATUS),
            _c("end_date", "date", "last day of training; required unless active or on_leave", nullable=True),
            _c("degree_awarded", "text", "degree conferred; required when graduated", nullable=True),
            _c("prior_degrees", "text", "degrees held at entry, ';'-separated, e.g. MD;PhD", nullable=True),
            _c("residency_completed", "boolean", "completed clinical residency before entry", nullable=True),
            _c("citizenship", "category", _CITIZENSHIP_DOC, values=CITIZENSHIP),
            _c("gender", "category", "gender as reported by the trainee", values=GENDER),
            _c("is_urm", "boolean", "from a group underrepresented in biomedical research (NIH definition)"),
            _c("given_name", "text", "given name (education record: administrators only)"),
            _c("family_name", "text", "family name (education record: administrators only)"),
            _c("email", "text", "e-mail address (education record: administrators only)"),
            _c("mentor", "text", "faculty mentor(s)", nullable=True),
            _c("research_topic", "text", "research topic", nullable=True, max_length=200),
            _c(
                "person_id",
                "text",
                "links the enrollments of one person, e.g. an MD-PhD student",
                nullable=True,
                optional=True,
                default="trainee_id",
            ),
            _c(
                "postdoc_experience_years",
                "integer",
                "full years of postdoctoral experience at entry (sets the NRSA level)",
                nullable=True,
                optional=True,
                min=0,
                max=60,
            ),
        ),
        key=("trainee_id",),
    ),
    Table(
        "appointments",
        "one row per funded appointment period of a trainee",
        (
            _c("appointment_id", "text", "identifier of the appointment"),
            _c("trainee_id", "text", "the trainee appointed", references="trainees.trainee_id"),
            _c("fiscal_year", "integer", "fiscal year as labelled by the source", min=1900, max=2100),
            _c("funding_source", "category", "who pays", values=FUNDING_SOURCE),
            _c("grant_number", "text", "grant number; required for NIH sources", nullable=True),
            _c("start_date", "date", "first day of the appointment"),
            _c("end_date", "date", "last day of the appointment"),
            _c(
                "stipend_usd",
                "number",
                "stipend paid for this appointment (not an annual rate)",
                nullable=True,
                min=0,
                empty_is_zero=True,
            ),
            _c("tuition_fees_usd", "number", "tuition and fees paid", nullable=True, min=0, empty_is_zero=True),
            _c("health_insurance_usd", "number", "health insurance paid", nullable=True, min=0, empty_is_zero=True),
            _c("travel_usd", "number", "training-related travel paid", nullable=True, min=0, empty_is_zero=True),
            _c(
                "citizenship_at_appointment",
                "category",
                "citizenship when appointed; eligibility is judged on it",
                nullable=True,
                optional=True,
                values=CITIZENSHIP,
                default="the trainee's citizenship",
            ),
        ),
        key=("appointment_id",),
        may_be_empty=True,
    ),
    Table(
        "positions",
        "one row per position an alumnus or trainee has held",
        (
            _c("position_id", "text", "identifier of the position"),
            _c("trainee_id", "text", "who held it", references="trainees.trainee_id"),
            _c("start_year", "integer", "calendar year the position started", min=1900, max=2100),
            _c("end_year", "integer", "calendar year it ended; empty while current", nullable=True, min=1900, max=2100),
            _c("title", "text", "job title", nullable=True),
            _c("employer", "text", "employer", nullable=True),
            _c("sector", "category", "UCOT tier 1", values=SECTOR),
            _c("career_type", "category", "UCOT tier 2", values=CAREER_TYPE),
            _c("job_function", "text", "UCOT tier 3, e.g. faculty member (tenure track)", nullable=True),
            _c("role_group", "category", "program-level role group", values=ROLE_GROUP),
        ),
        key=("position_id",),
        may_be_empty=True,
    ),
    Table(
        "milestones",
        "one row per milestone a trainee reached on a date",
        (
            _c("trainee_id", "text", "who reached it", references="trainees.trainee_id"),
            _c("milestone", "category", "which milestone", values=MILESTONE),
            _c("milestone_date", "date", "when"),
        ),
        key=("trainee_id", "milestone", "milestone_date"),
        required=False,
        may_be_empty=True,
    ),
    Table(
        "nrsa_stipend_levels",
        "one row per fiscal year, career level and years of experience (reference data from NIH notices)",
        (
            _c("fiscal_year", "integer", "federal fiscal year of the NIH notice", min=1970, max=2100),
            _c("career_level", "category", "predoctoral or postdoctoral", values=CAREER_LEVEL),
            _c(
                "experience_years",
                "integer",
                "postdoctoral years of experience (7 = 7 or more); 0 for predoctoral",
                min=0,
                max=7,
            ),
            _c("annual_stipend_usd", "number", "annual stipend level", min=1),
        ),
        key=("fiscal_year", "career_level", "experience_years"),
        reference=True,
    ),
)

SOURCE_TABLES = tuple(t for t in TABLES if not t.reference)
# A workbook sheet of this name holds notes for people (the template's column list); it is never read as a table.
NOTES_SHEET = "README"
REFERENCE_TABLES = tuple(t for t in TABLES if t.reference)


def table(name: str) -> Table:
    """The table called name."""
    return next(t for t in TABLES if t.name == name)


RULES: tuple[Rule, ...] = (
    # Reading files
    Rule(
        "file_unreadable",
        "error",
        "the file can be opened and read as CSV or XLSX",
        "Save the file as UTF-8 CSV or as an .xlsx workbook.",
    ),
    Rule(
        "table_missing",
        "error",
        "every required table is present as a CSV file or a sheet",
        "Add the file or sheet; download the template for its columns.",
    ),
    Rule(
        "table_duplicated",
        "error",
        "each table comes from one file or sheet only",
        "Keep one copy of the table: remove the other file or sheet.",
    ),
    Rule(
        "table_unknown",
        "warning",
        "files and sheets that are not part of the contract are ignored",
        "Rename it to a table name if it was meant to be loaded.",
    ),
    Rule(
        "table_empty",
        "error",
        "a table that must have rows has at least one",
        "The file has a header but no data rows.",
    ),
    Rule(
        "read_encoding",
        "warning",
        "text that is not UTF-8 is read as Windows-1252 (UTF-16 with a byte-order mark as UTF-16)",
        "Save as UTF-8 to be sure accented names are read as intended.",
    ),
    Rule(
        "row_too_long",
        "error",
        "no row has more values than the header has columns",
        "A value holding the delimiter (e.g. a comma in a name) must be in double quotes.",
    ),
    Rule(
        "read_header_row",
        "warning",
        "a title or notes above the header row are skipped (the header names at least half the columns)",
        "Keep the header on the first row.",
    ),
    Rule(
        "read_formula",
        "warning",
        "workbook formula cells are read as the value Excel saved with them",
        "Paste the values (Paste Special > Values) so the file holds what you see.",
    ),
    Rule(
        "formula_without_value",
        "error",
        "a workbook formula cell has a saved value",
        "Open the workbook in Excel and save it, or paste the values in place of the formulas.",
    ),
    Rule(
        "read_delimiter",
        "warning",
        "a file separated by ';' or tabs instead of ',' is read with that separator",
        "Save as comma-separated CSV.",
    ),
    Rule(
        "read_amount",
        "warning",
        "amounts written like $1,234.50 are read as plain numbers",
        "Write plain numbers, e.g. 1234.50.",
    ),
    Rule(
        "column_missing",
        "error",
        "every column the contract lists is present (optional columns excepted)",
        "Add the column header; names match case-insensitively.",
    ),
    Rule(
        "column_unknown",
        "warning",
        "a column that is not part of the contract is ignored",
        "Remove or rename the column.",
    ),
    Rule("column_duplicated", "error", "no column header appears twice", "Remove the duplicate column."),
    # Values
    Rule("not_null", "error", "required values are present", "Fill in the value."),
    Rule("type_integer", "error", "whole-number columns hold whole numbers", "Write a whole number such as 2024."),
    Rule("type_number", "error", "amount columns hold numbers", "Write a number such as 1234.50."),
    Rule("type_boolean", "error", "yes/no columns hold true/false, yes/no, y/n, t/f or 1/0", "Write yes or no."),
    Rule(
        "type_date",
        "error",
        "dates are ISO YYYY-MM-DD (or date cells in XLSX); Excel serial numbers are refused in CSV",
        "Write the date as YYYY-MM-DD, e.g. 2024-07-01.",
    ),
    Rule(
        "vocabulary",
        "error",
        "coded columns hold one of the allowed values",
        "Use one of the allowed values (case does not matter).",
    ),
    Rule("range", "error", "numbers lie within the allowed range", "Check the value; amounts cannot be negative."),
    Rule("max_length", "error", "text fits the allowed length", "Shorten the text."),
    Rule(
        "duplicate_key",
        "error",
        "each key identifies exactly one row",
        "Remove the duplicate row or give it its own identifier.",
    ),
    Rule(
        "orphan_reference",
        "error",
        "every reference points to an existing row of the referenced table",
        "Add the referenced row or correct the identifier.",
    ),
    # Row logic
    Rule(
        "track_program_mismatch",
        "error",
        "a track belongs to the same program as the applicant or trainee",
        "Use a track of this program, or leave track_id empty.",
    ),
    Rule(
        "matriculated_without_admitted",
        "error",
        "an applicant matriculated only if admitted",
        "Set admitted to yes, or matriculated to no.",
    ),
    Rule(
        "end_date_required",
        "error",
        "trainees who are no longer active or on leave have an end date",
        "Fill in end_date (the date of graduation, withdrawal or transfer).",
    ),
    Rule("end_before_start", "error", "an end date (or end year) is not before its start", "Check both dates."),
    Rule(
        "degree_required",
        "error",
        "graduated trainees have the degree they were awarded",
        "Fill in degree_awarded, e.g. PhD.",
    ),
    Rule(
        "grant_number_required",
        "error",
        "NIH-funded appointments (nlm_t15, nih_training_other) carry a grant number",
        "Fill in grant_number, e.g. T15LM007092.",
    ),
    Rule(
        "nrsa_ineligible",
        "warning",
        "NIH training-grant appointments go to US citizens, non-citizen nationals or permanent residents",
        "Check the citizenship at appointment or the funding source.",
    ),
    Rule(
        "appointment_outside_training",
        "warning",
        "an appointment lies within the trainee's start and end dates",
        "Check the appointment dates against the trainee's dates.",
    ),
    # Checks after loading
    Rule(
        "post_load_check",
        "error",
        "the marts agree with the loaded tables (counts, totals, shares)",
        "This is a defect in the product, not in your data: report it.",
    ),
)


def rule(name: str) -> Rule:
    """The rule called name."""
    return next(r for r in RULES if r.name == name)
