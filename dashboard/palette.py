"""One colour per category, the same on every page, in the report and in the public output, whatever the filters.

Coded categories (funding sources, role groups, genders, UCOT tiers, …) and the measures charts draw get a fixed
colour here, by the label they are shown with (contract.LABELS: one label per code). Programs and tracks are data:
a program takes the palette colour of its place among every program of the published snapshot (never among the
filtered ones), a track that of its place among its program's tracks. Past the palette's colours a hatch keeps
repeated colours apart."""

from __future__ import annotations

import threading

from etl.contract import LABELS

# Okabe–Ito: distinguishable with the common colour-vision deficiencies, on light and dark backgrounds.
BLUE, ORANGE, GREEN, PINK, SKY, VERMILION, YELLOW, GREY = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
PALETTE = (BLUE, ORANGE, GREEN, PINK, SKY, VERMILION, YELLOW, GREY)
# "Unknown", "no data", "not reported" and the like: always this pale grey.
UNKNOWN = "#BBBBBB"
# Bars beyond the palette's length repeat its colours with these hatches, in turn.
HATCHES = ("", "/", ".", "x")

# Each family's categories, by code, with their colours: distinct within a family; a label two families share
# (Government, Other, Further training, Unknown) has the same colour in both.
FAMILIES: dict[str, dict[str, str]] = {
    "funding_source": {"nlm_t15": BLUE, "nih_training_other": SKY, "institutional": ORANGE,
                       "external_fellowship": GREEN, "self_funded": PINK},
    "gender": {"female": VERMILION, "male": BLUE, "nonbinary": GREEN, "not_reported": UNKNOWN},
    "citizenship": {"us_citizen": BLUE, "noncitizen_national": SKY, "permanent_resident": GREEN,
                    "temporary_visa": ORANGE, "unknown": UNKNOWN},
    "status": {"active": BLUE, "on_leave": SKY, "graduated": GREEN, "withdrawn": VERMILION, "transferred": ORANGE},
    "role_group": {"academic": BLUE, "cio_informatics_leadership": ORANGE, "consulting": GREEN, "industry": PINK,
                   "clinical_practice": SKY, "government": VERMILION, "further_training": YELLOW, "other": GREY,
                   "unknown": UNKNOWN},
    "sector": {"academia": BLUE, "government": VERMILION, "for_profit": PINK, "nonprofit": GREEN, "other": GREY,
               "unknown": UNKNOWN},
    "career_type": {"further_training": YELLOW, "primarily_research": BLUE, "primarily_teaching": SKY,
                    "science_related": GREEN, "not_related_to_science": ORANGE, "unknown": UNKNOWN},
}
# Labels that are not codes of the contract: measures and groupings the pages draw, with their colours (and a hatch
# where a colour is shared with a category the same chart may hold).
MEASURES: dict[str, str | tuple[str, str]] = {
    "URM": ORANGE, "Not URM": SKY,
    "Entrants": BLUE, "Graduates": GREEN, "Trainees": BLUE, "Trainee-years": ORANGE,
    "Stipend": BLUE, "Tuition & fees": ORANGE, "Health insurance": GREEN, "Travel": PINK,
    "Paid": BLUE, "Expected at NRSA level": GREY,
    "Initial position": SKY, "Current position": BLUE,
    "Within 8 years": SKY, "Within 10 years": BLUE,
    "Withdrew without a degree": VERMILION, "Withdrew with a terminal degree": PINK,
    "Admit rate": BLUE, "Yield": ORANGE,
    "No track": UNKNOWN, "Not reported": UNKNOWN, "Unknown": UNKNOWN,
    "Suppressed": (UNKNOWN, "x"), "Pooled categories": (GREY, "/"),  # the public output's
    "Women": VERMILION, "Men": BLUE, "Another gender or not reported": GREEN,
}


def _fixed() -> dict[str, tuple[str, str]]:
    """Every fixed label with its colour and hatch (a test checks no label gets two)."""
    out = {label: look if isinstance(look, tuple) else (look, "") for label, look in MEASURES.items()}
    for family in FAMILIES.values():
        for code, colour in family.items():
            out.setdefault(LABELS.get(code, code), (colour, ""))
    return out


FIXED = _fixed()

_lock = threading.Lock()
_learned: dict[str, tuple[str, str]] = {}  # program and track names -> (colour, hatch), from the published snapshot


def learn(programs: list[str], tracks: dict[str, list[str]]) -> None:
    """Take the snapshot's programs (in their order) and each program's tracks (by program name, in order)."""
    learned: dict[str, tuple[str, str]] = {}
    for number, name in enumerate(programs):
        learned[name] = _nth(number)
    for names in tracks.values():
        for number, name in enumerate(names):
            learned.setdefault(name, _nth(number))
    global _learned
    with _lock:
        _learned = learned


def _nth(number: int) -> tuple[str, str]:
    """The colour and hatch of the number-th member of a family without fixed colours."""
    return PALETTE[number % len(PALETTE)], HATCHES[(number // len(PALETTE)) % len(HATCHES)]


def style(name: str) -> tuple[str, str] | None:
    """The colour and hatch of a category shown as `name`, or None when it has no fixed colour."""
    return FIXED.get(name) or _learned.get(name)


def state() -> str:
    """What the learned colours are (part of a kept figure's identity)."""
    return repr(sorted(_learned.items()))
