"""Findings: what validation says about a source, as values people can act on."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from etl.contract import rule


@dataclass(frozen=True)
class Finding:
    """One problem or note: rule, severity, where (file, table, row, column), the value and a hint."""

    rule: str
    severity: str
    table: str
    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    hint: str

    def as_dict(self) -> dict:
        """The finding as a plain dict (for JSON and data frames)."""
        return asdict(self)

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        value = "" if self.value is None else f" (value {self.value!r})"
        return f"{self.severity.upper()} [{self.rule}] {where}: {self.message}{value}. {self.hint}"


def finding(
    rule_name: str,
    table: str,
    file: str,
    message: str,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
) -> Finding:
    """A finding for the named rule, taking severity and hint from the contract."""
    r = rule(rule_name)
    shown = _shown(value)
    if shown is not None and len(shown) > 200:
        shown = shown[:197] + "..."
    return Finding(r.name, r.severity, table, file, row, column, shown, message, r.hint)


def _shown(value: object) -> str | None:
    """A value as the user would have written it: dates without a time, whole numbers without '.0'."""
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def errors(findings: list[Finding]) -> list[Finding]:
    """The findings that stop a publish."""
    return [f for f in findings if f.severity == "error"]


class DataQualityError(Exception):
    """A refresh stopped by findings; carries them."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []
