"""Validate: turn extracted text tables into typed frames, and list every rule they break."""

from __future__ import annotations

import difflib
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.contract import BOOLEAN_WORDS, NIH_SOURCES, NRSA_ELIGIBLE, Column, Table
from etl.extract import XLSX_SUFFIXES, Extracted, RawTable
from etl.findings import Finding, finding

MAX_ROWS_PER_RULE = 100
_PANDERA = threading.Lock()  # tables are typed in threads; pandera is not known to be thread-safe (and
# importing it from two threads at once can deadlock)
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_EXCEL_SERIAL = r"^\d{4,6}(\.\d+)?$"
_AMOUNT = r"^\(?-?\$?\s*-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\)?$"


@dataclass
class Validated:
    """Typed frames (index = the row number the user sees) and the findings about them."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Findings that stop a publish."""
        return [f for f in self.findings if f.severity == "error"]


def validate(extracted: Extracted, tables: tuple[Table, ...]) -> Validated:
    """Type every table of the contract and check it, then check the rules that span rows and tables."""
    out = Validated(findings=list(extracted.findings))
    workbook = next((f.name for f in extracted.files if f.name.lower().endswith(XLSX_SUFFIXES)), None)
    with ThreadPoolExecutor(max_workers=2) as pool:  # tables are typed two at a time; findings keep contract order
        typing = {s.name: pool.submit(_type_table, s, extracted.tables[s.name]) for s in tables
                  if s.name in extracted.tables}
        _keep_typed(out, extracted, tables, typing, workbook)
    labels = {name: raw.file for name, raw in extracted.tables.items()}
    out.findings.extend(_cross_rules(out.tables, labels))
    return out


def _keep_typed(
    out: Validated, extracted: Extracted, tables: tuple[Table, ...], typing: dict[str, Future], workbook: str | None
) -> None:
    """Add each table's typed frame and findings in contract order, or say that it is missing."""
    unreadable = {f.table for f in extracted.findings if f.rule in ("file_unreadable", "table_empty")}
    for spec in tables:
        raw = extracted.tables.get(spec.name)
        if raw is None:
            # An unreadable source ('' table) already has its one error; do not pile a "missing" on every table.
            if spec.required and spec.name not in unreadable and "" not in unreadable:
                file, what = (workbook, "sheet") if workbook else (f"{spec.name}.csv", "file")
                ignored = [f.table for f in extracted.findings if f.rule == "table_unknown"]
                close = difflib.get_close_matches(spec.name, ignored, n=1, cutoff=0.6)
                near = f"; the {what} '{close[0]}' was ignored — is it this one, misnamed?" if close else ""
                message = f"the {what} '{spec.name}' is missing{near}"
                out.findings.append(finding("table_missing", spec.name, file, message))
            continue
        typed, found = typing[spec.name].result()
        out.findings.extend(found)
        if typed is not None:
            out.tables[spec.name] = typed


def _type_table(spec: Table, raw: RawTable) -> tuple[pd.DataFrame | None, list[Finding]]:
    found: list[Finding] = []
    file = raw.file
    positions: dict[str, int] = {}
    for i, header in enumerate(raw.headers):
        if header == "":
            if raw.frame[i].notna().any():
                found.append(finding("column_unknown", spec.name, file, f"column {i + 1} has no header; it is ignored",
                                     row=raw.header_row))
        elif header in positions:
            found.append(
                finding(
                    "column_duplicated",
                    spec.name,
                    file,
                    f"the column '{header}' appears twice (columns {positions[header] + 1} and {i + 1})",
                    row=raw.header_row,
                    column=header,
                )
            )
        else:
            positions[header] = i
    unknown = [h for h in positions if h not in spec.column_names]
    for header in unknown:
        found.append(
            finding(
                "column_unknown",
                spec.name,
                file,
                f"'{header}' is not a column of {spec.name}; it is ignored",
                row=raw.header_row,
                column=header,
            )
        )
    for col in spec.columns:
        if col.name not in positions and not col.optional:
            close = difflib.get_close_matches(col.name, unknown, n=1, cutoff=0.6)
            near = f"; the file has '{close[0]}' — a typo?" if close else ""
            found.append(
                finding("column_missing", spec.name, file, f"the column '{col.name}' is missing{near}",
                        row=raw.header_row, column=col.name)
            )
    if any(f.rule in ("column_missing", "column_duplicated") for f in found):
        return None, found
    if raw.frame.empty and not spec.may_be_empty:
        found.append(finding("table_empty", spec.name, file, f"{spec.name} has a header but no data rows"))
        return None, found
    typed = pd.DataFrame(index=raw.frame.index.copy())
    bad_cells: set[tuple[int, str]] = set()
    for col in spec.columns:
        text = (
            raw.frame[positions[col.name]]
            if col.name in positions
            else pd.Series(pd.NA, index=raw.frame.index, dtype="string")
        )
        values, bad, notes = _parse(col, text.astype("string"), spec.name, file)
        typed[col.name] = values
        found.extend(notes)
        bad_rows = bad.index[bad]
        bad_cells.update((row, col.name) for row in bad_rows)
        found.extend(
            _at_most(
                (
                    finding(
                        f"type_{_type_rule(col)}",
                        spec.name,
                        file,
                        _type_message(col, text[row]),
                        row=int(row),
                        column=col.name,
                        value=text[row],
                    )
                    for row in bad_rows
                ),
                len(bad_rows),
            )
        )
    typed_text = {c.name: raw.frame[positions[c.name]] for c in spec.columns if c.name in positions}
    found.extend(_schema_findings(spec, typed, file, bad_cells, typed_text))
    return typed, found


def _type_rule(col: Column) -> str:
    return {"integer": "integer", "number": "number", "boolean": "boolean", "date": "date"}[col.type]


def _type_message(col: Column, value: str) -> str:
    if col.type == "date":
        if pd.Series([value]).str.fullmatch(_EXCEL_SERIAL).iloc[0]:
            return "this looks like an Excel serial number, not a date"
        if pd.Series([value]).str.fullmatch(_ISO_DATE).iloc[0]:
            return "this date does not exist"
        return "the date is not in YYYY-MM-DD form"
    return {
        "integer": "this is not a whole number",
        "number": "this is not a number",
        "boolean": "this is not a yes/no value",
    }[col.type]


def _parse(col: Column, text: pd.Series, table: str, file: str) -> tuple[pd.Series, pd.Series, list[Finding]]:
    """Parse one text column to its type: (values, mask of unparseable cells, notes on how values were read)."""
    present = text.notna()
    notes: list[Finding] = []
    if col.type in ("text",):
        return text, present & False, notes
    if col.type == "category":
        lowered = text.str.lower()
        return (text if lowered.equals(text) else lowered), present & False, notes  # (shared when already lower)
    if col.type == "boolean":
        values = _each_value(text, lambda t: t.str.lower().map(BOOLEAN_WORDS).astype("boolean"))
        return values, present & values.isna(), notes
    if col.type == "date":
        values = _each_value(text, _dates)
        return values, present & values.isna(), notes
    numbers = _each_value(text, _numbers)
    if col.type == "number":
        retry = present & numbers.isna()
        if retry.any():  # (the pattern is matched where a cell is not a plain number; elsewhere retry stays False)
            retry[retry] = text[retry].str.fullmatch(_AMOUNT).fillna(False).astype(bool)
        if retry.any():
            cleaned = text[retry].str.replace(r"[\s$,()]", "", regex=True)
            negative = text[retry].str.startswith("(") & text[retry].str.endswith(")")
            amounts = pd.to_numeric(cleaned, errors="coerce").astype("Float64")
            amounts = amounts.where(~negative, -amounts)
            numbers = numbers.copy()
            numbers[retry] = amounts
            first = int(retry.index[retry][0])
            notes.append(
                finding(
                    "read_amount",
                    table,
                    file,
                    f"{int(retry.sum())} amount(s) written with '$' or ',' were read as plain numbers,"
                    f" e.g. {text[first]!r} as {amounts[first]}",
                    row=first,
                    column=col.name,
                    value=text[first],
                )
            )
        return numbers, present & numbers.isna(), notes
    whole = numbers.notna() & (numbers % 1 == 0)
    values = numbers.where(whole).astype("Int64")
    return values, present & ~whole.fillna(False).astype(bool), notes


def _dates(text: pd.Series) -> pd.Series:
    """ISO dates (YYYY-MM-DD) as dates; anything else missing."""
    iso = text.str.fullmatch(_ISO_DATE).fillna(False).astype(bool)
    return pd.to_datetime(text.where(iso), format="%Y-%m-%d", errors="coerce")


def _numbers(text: pd.Series) -> pd.Series:
    """Plain numbers as numbers (infinity is none); anything else missing."""
    numbers = pd.to_numeric(text, errors="coerce").astype("Float64")
    return numbers.where(numbers.abs() != float("inf"))  # "inf" is not an amount or a count


def _each_value(text: pd.Series, parse) -> pd.Series:
    """parse(text), computed once per distinct value when values repeat (see _per_distinct)."""
    sample = text.iloc[:10_000]
    if sample.nunique(dropna=False) * 2 > len(sample):  # mostly distinct values (amounts, say): parse them all
        return parse(text)
    return _per_distinct(text, parse)


def _per_distinct(text: pd.Series, parse) -> pd.Series:
    """parse(text) by parsing each distinct value once: the same result, since parse works value by value and sees
    the same set of values (a missing one included) either way."""
    codes, distinct = pd.factorize(text, use_na_sentinel=False)
    if len(distinct) * 2 > len(text):
        return parse(text)
    parsed = parse(pd.Series(distinct, dtype=text.dtype))
    return pd.Series(parsed.array.take(codes), index=text.index, name=text.name)


_CHECK_RULES = (
    ("not_nullable", "not_null"),
    ("isin", "vocabulary"),
    ("in_range", "range"),
    ("greater_than", "range"),
    ("less_than", "range"),
    ("str_length", "max_length"),
    ("uniqueness", "duplicate_key"),
)


def _schema(spec: Table):
    """The table's column rules and key as a pandera schema."""
    import pandera.pandas as pandera  # a slow import, needed only when a rule is broken

    columns = {}
    for col in spec.columns:
        checks = []
        if col.values:
            checks.append(pandera.Check.isin(list(col.values)))
        if col.min is not None or col.max is not None:
            lo = col.min if col.min is not None else float("-inf")
            hi = col.max if col.max is not None else float("inf")
            checks.append(pandera.Check.in_range(lo, hi))
        if col.max_length:
            checks.append(pandera.Check.str_length(max_value=col.max_length))
        columns[col.name] = pandera.Column(None, checks=checks, nullable=col.nullable)
    return pandera.DataFrameSchema(columns, unique=list(spec.key), report_duplicates="exclude_first")


def _schema_findings(
    spec: Table, typed: pd.DataFrame, file: str, skip: set[tuple[int, str]], text: dict[str, pd.Series]
) -> Iterator[Finding]:
    """Column rules checked by pandera, leaving out cells already reported as the wrong type; values shown as typed."""
    if not _may_break_rules(spec, typed):
        return
    with _PANDERA:  # imported and run for one table at a time
        from pandera.errors import SchemaErrors

        try:
            _schema(spec).validate(typed, lazy=True)
            return
        except SchemaErrors as exc:
            cases = exc.failure_cases.copy()
    if skip:
        cells = list(zip(cases["index"], cases["column"], strict=False))
        cases = cases[[cell not in skip for cell in cells]]
    if cases.empty:
        return
    cases["rule"] = [next(r for prefix, r in _CHECK_RULES if prefix in str(c)) for c in cases["check"]]
    duplicates = cases[cases["rule"] == "duplicate_key"].drop_duplicates("index")
    key = ", ".join(spec.key)
    rows = [int(r) for r in duplicates["index"]]
    yield from _at_most(
        (
            finding(
                "duplicate_key",
                spec.name,
                file,
                f"the key ({key}) repeats row {_first_duplicate(typed, spec.key, row)}",
                row=row,
                column=key,
                value=", ".join(str(typed.at[row, k]) for k in spec.key),
            )
            for row in rows
        ),
        len(rows),
    )
    for (rule, column), group in cases[cases["rule"] != "duplicate_key"].groupby(["rule", "column"], sort=False):
        col = spec.column(column)
        yield from _at_most(
            (
                finding(
                    rule,
                    spec.name,
                    file,
                    _rule_message(rule, col),
                    row=None if pd.isna(c.index) else int(c.index),
                    column=column,
                    value=_as_typed(text, column, c.index, c.failure_case),
                )
                for c in group.itertuples(index=False)
            ),
            len(group),
        )


def _may_break_rules(spec: Table, typed: pd.DataFrame) -> bool:
    """False only when no column rule or key of the schema can fail (then pandera, much slower, has nothing to say):
    no missing required value, no value outside its vocabulary, range or length, no repeated key."""
    for col in spec.columns:
        values = typed[col.name]
        missing = values.isna()
        if not col.nullable and missing.any():
            return True
        if col.values and not (_isin(values, col.values) | missing).all():
            return True
        # (comparisons with a missing value are missing, and all() passes over them)
        if col.min is not None and not (values >= col.min).all():
            return True
        if col.max is not None and not (values <= col.max).all():
            return True
        if col.max_length and not (values.str.len() <= col.max_length).all():
            return True
    if len(spec.key) == 1 and _is_text(typed[spec.key[0]]):
        keys = _arrow(typed[spec.key[0]])
        return len(pc.unique(keys)) < len(keys)  # (missing keys count as one value, as in duplicated)
    return bool(typed.duplicated(subset=list(spec.key)).any())


def _as_typed(text: dict[str, pd.Series], column: str, row, fallback):
    """The cell as the user typed it, where the source has it."""
    if column in text and not pd.isna(row) and row in text[column].index:
        value = text[column][row]
        return None if pd.isna(value) else value
    return None if pd.isna(fallback) else fallback


def _first_duplicate(typed: pd.DataFrame, key: tuple[str, ...], row: int) -> int:
    """The first row with the same key as row; blank parts match blank parts, as `duplicated` counts them."""
    same = pd.Series(True, index=typed.index)
    for column in key:
        value = typed.at[row, column]
        same &= typed[column].isna() if pd.isna(value) else typed[column].eq(value).fillna(False)
    return int(same.index[same][0])


def _rule_message(rule: str, col: Column) -> str:
    if rule == "not_null":
        return f"{col.name} is required"
    if rule == "vocabulary":
        return f"allowed values are {', '.join(col.values)}"
    if rule == "range":
        lo = "" if col.min is None else f"at least {col.min:g}"
        hi = "" if col.max is None else f"at most {col.max:g}"
        return f"{col.name} must be {' and '.join(x for x in (lo, hi) if x)}"
    if rule == "max_length":
        return f"{col.name} may hold at most {col.max_length} characters"
    raise ValueError(rule)


def _flag(
    rule: str,
    table: str,
    file: str,
    frame: pd.DataFrame,
    mask: pd.Series,
    column: str,
    message,
    value_column: str | None = None,
) -> Iterator[Finding]:
    """A finding per row where mask holds; message is text or a function of the row; the value shown is
    the cell of `column`, or of `value_column` when the rule judged a derived value."""
    value_column = value_column or column
    mask = mask.fillna(False).astype(bool)
    rows = frame.index[mask]

    def each() -> Iterator[Finding]:
        for row in rows:
            text = message(frame.loc[row]) if callable(message) else message
            value = frame.at[row, value_column] if value_column in frame.columns else None
            yield finding(rule, table, file, text, row=int(row), column=column, value=None if pd.isna(value) else value)

    yield from _at_most(each(), len(rows))


def _at_most(found: Iterator[Finding], total: int) -> Iterator[Finding]:
    """The first MAX_ROWS_PER_RULE findings of one rule and column, then one line counting the rest."""
    first = None
    for i, f in enumerate(found):
        if i == MAX_ROWS_PER_RULE:
            break
        first = first or f
        yield f
    if total > MAX_ROWS_PER_RULE and first is not None:
        yield finding(
            first.rule,
            first.table,
            first.file,
            f"and {total - MAX_ROWS_PER_RULE} more rows like these",
            column=first.column,
        )


def _isin(values: pd.Series, allowed) -> pd.Series:
    """Series.isin for text, through Arrow's hash table (pandas would check Arrow-backed strings in a Python loop)."""
    allowed = allowed if isinstance(allowed, pd.Series) else pd.Series(list(allowed), dtype="string")
    if _is_text(values) and _is_text(allowed):
        found = _arrow_isin(_arrow(values), _arrow(allowed))
        return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index, name=values.name)
    return values.astype(object).isin(allowed.astype(object).unique())


def _arrow_isin(values: pa.Array, allowed: pa.Array) -> pa.Array:
    """Which values are among the allowed ones (a missing value matching a missing one)."""
    if len(allowed) > 2 * len(values):  # hash the smaller side: keep the allowed values that occur among values
        occurring = pc.is_in(allowed, value_set=pc.unique(values), skip_nulls=False)
        allowed = pc.unique(allowed.filter(occurring))
    return pc.is_in(values, value_set=allowed, skip_nulls=False)


def _lookup(keys: pd.Series, table: pd.Series) -> pd.Series:
    """keys.map(table) (a missing key matching a missing index value too), by Arrow's hash lookup for text keys."""
    if keys.empty or table.empty or not (_is_text(keys) and _is_text(table.index)):
        return keys.map(table)  # (pandas gives an empty lookup types of its own)
    at = pc.index_in(_arrow(keys), value_set=_arrow(table.index), skip_nulls=False)
    positions = at.fill_null(-1).to_numpy(zero_copy_only=False)
    return pd.Series(table.array.take(positions, allow_fill=True), index=keys.index, name=keys.name)


def _is_text(values: pd.Series | pd.Index) -> bool:
    """True for Arrow-backed text (the type every text cell is read as)."""
    return isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"


def _arrow(values: pd.Series | pd.Index) -> pa.Array:
    """The values as one Arrow array."""
    array = pa.array(values.array)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _cross_rules(t: dict[str, pd.DataFrame], labels: dict[str, str]) -> Iterator[Finding]:
    """Rules that span columns or tables: references, tracks within programs, dates and NIH eligibility."""
    from etl.contract import SOURCE_TABLES

    for spec in SOURCE_TABLES:
        frame = t.get(spec.name)
        if frame is None:
            continue
        for col in spec.columns:
            if not col.references:
                continue
            ref_table, ref_col = col.references.split(".")
            if ref_table not in t:
                continue
            keys = t[ref_table][ref_col].dropna()
            orphan = frame[col.name].notna() & ~_isin(frame[col.name], keys)
            yield from _flag(
                "orphan_reference",
                spec.name,
                labels[spec.name],
                frame,
                orphan,
                col.name,
                f"no row of {ref_table} has this {ref_col}",
            )

    tracks = t.get("tracks")
    if tracks is not None:
        track_program = tracks.drop_duplicates("track_id").set_index("track_id")["program_id"]
        for name in ("applicants", "trainees"):
            frame = t.get(name)
            if frame is None:
                continue
            owner = _lookup(frame["track_id"], track_program)
            wrong = owner.notna() & frame["program_id"].notna() & (owner != frame["program_id"])
            yield from _flag(
                "track_program_mismatch",
                name,
                labels[name],
                frame,
                wrong,
                "track_id",
                lambda r: f"track {r.track_id} belongs to program {track_program[r.track_id]}, not {r.program_id}",
            )

    applicants = t.get("applicants")
    if applicants is not None:
        yield from _flag(
            "matriculated_without_admitted",
            "applicants",
            labels["applicants"],
            applicants,
            applicants["matriculated"] & ~applicants["admitted"],
            "matriculated",
            "matriculated is yes but admitted is no",
        )

    trainees = t.get("trainees")
    if trainees is not None:
        file = labels["trainees"]
        ended = trainees["status"].notna() & ~_isin(trainees["status"], ["active", "on_leave"])
        yield from _flag(
            "end_date_required",
            "trainees",
            file,
            trainees,
            ended & trainees["end_date"].isna(),
            "end_date",
            lambda r: f"a {r.status} trainee needs an end date",
        )
        yield from _flag(
            "end_before_start",
            "trainees",
            file,
            trainees,
            trainees["end_date"] < trainees["start_date"],
            "end_date",
            lambda r: f"end_date {r.end_date:%Y-%m-%d} is before start_date {r.start_date:%Y-%m-%d}",
        )
        yield from _flag(
            "degree_required",
            "trainees",
            file,
            trainees,
            (trainees["status"] == "graduated") & trainees["degree_awarded"].isna(),
            "degree_awarded",
            "a graduated trainee needs the degree awarded",
        )

    appointments = t.get("appointments")
    if appointments is not None:
        file = labels["appointments"]
        nih = _isin(appointments["funding_source"], NIH_SOURCES)
        yield from _flag(
            "grant_number_required",
            "appointments",
            file,
            appointments,
            nih & appointments["grant_number"].isna(),
            "grant_number",
            lambda r: f"a {r.funding_source} appointment needs a grant number",
        )
        yield from _flag(
            "end_before_start",
            "appointments",
            file,
            appointments,
            appointments["end_date"] < appointments["start_date"],
            "end_date",
            lambda r: f"end_date {r.end_date:%Y-%m-%d} is before start_date {r.start_date:%Y-%m-%d}",
        )
        if trainees is not None:
            by_id = trainees.drop_duplicates("trainee_id").set_index("trainee_id")
            citizenship = appointments["citizenship_at_appointment"].fillna(
                _lookup(appointments["trainee_id"], by_id["citizenship"])
            )
            ineligible = nih & citizenship.notna() & ~_isin(citizenship, NRSA_ELIGIBLE)
            judged = appointments.assign(judged_citizenship=citizenship)
            yield from _flag(
                "nrsa_ineligible",
                "appointments",
                file,
                judged,
                ineligible,
                "citizenship_at_appointment",
                lambda r: (
                    f"a {r.funding_source} appointment for trainee {r.trainee_id},"
                    f" whose citizenship is {r.judged_citizenship}"
                ),
                value_column="judged_citizenship",
            )
            t_start = _lookup(appointments["trainee_id"], by_id["start_date"])
            t_end = _lookup(appointments["trainee_id"], by_id["end_date"])
            outside = (appointments["start_date"] < t_start) | (t_end.notna() & (appointments["end_date"] > t_end))
            yield from _flag(
                "appointment_outside_training",
                "appointments",
                file,
                appointments,
                outside,
                "start_date",
                lambda r: (
                    f"the appointment {r.start_date:%Y-%m-%d} to {r.end_date:%Y-%m-%d}"
                    f" lies outside trainee {r.trainee_id}'s training dates"
                ),
            )

    positions = t.get("positions")
    if positions is not None:
        yield from _flag(
            "end_before_start",
            "positions",
            labels["positions"],
            positions,
            positions["end_year"] < positions["start_year"],
            "end_year",
            lambda r: f"end_year {r.end_year} is before start_year {r.start_year}",
        )
