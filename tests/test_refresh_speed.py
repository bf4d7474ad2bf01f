"""The fast paths of a refresh give exactly what the plain pandas paths give: they only go faster.

Reading: pyarrow's CSV reader is used only on plain CSV, where it must read the cells pandas' reader reads.
Typing: a value is parsed once however often it repeats. Rules: pandera runs whenever one of its rules can fail.
"""

from __future__ import annotations

import csv
import io
import shutil

import pandas as pd
import pandera.pandas as pandera
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import arrow_csv, config, extract, validate
from etl.contract import BOOLEAN_WORDS, SOURCE_TABLES
from tests.conftest import SMALL


def pandas_table(text: str, delimiter: str):
    """The table as read before pyarrow: pandas' C reader (None where pandas refuses the file)."""
    try:
        grid = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
                           na_filter=False, skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL, engine="c")
    except (pd.errors.ParserError, ValueError):
        return None
    grid.index = pd.RangeIndex(1, len(grid) + 1)
    return extract._table_from_grid("trainees", "trainees.csv", grid)


def assert_same_table(fast, slow) -> None:
    assert (fast.headers, fast.header_row, fast.rows_above, fast.too_long) == (
        slow.headers, slow.header_row, slow.rows_above, slow.too_long)
    assert type(fast.frame.index) is type(slow.frame.index)
    pd.testing.assert_frame_equal(fast.frame, slow.frame, check_exact=True, check_index_type=True,
                                  check_column_type=True)


def check_reader(text: str, delimiter: str = ",") -> None:
    columns = arrow_csv.read_plain(text.encode("utf-8"), delimiter)
    if columns is not None:  # read fast: pandas must read the very same table
        slow = pandas_table(text, delimiter)
        assert slow is not None, "pyarrow read a file pandas refuses"
        assert_same_table(extract._table_from_columns("trainees", "trainees.csv", columns), slow)


PLAIN = [
    "trainee_id,given_name\nT01,Ana\nT02,Bo\n",
    "trainee_id,given_name\r\nT01, Ana \r\n\r\nT02,\r\n",
    'trainee_id,given_name\nT01,"Núñez, Zoë"\nT02,"say ""hi"""\n',
    "Trainees export,,\ntrainee_id,given_name,status\nT01,Ana,active\n",
    "a;b\n1;2\n",
    "a\tb\n\u00a01\u3000\t\x0b2\x1c\n",
    "only\n\n\nrow\n",
]
NOT_PLAIN = [
    "\ntrainee_id\nT01\n",  # a blank first line: pandas refuses the file
    "a,b\nx\ry,2\n",  # a lone carriage return ends a line for pandas
    'a,b\n"open,2\n',  # an unclosed quote
    'a,b\nx"y,2\n',  # a quote inside a value
    'a,b\n"multi\nline",2\n',  # a quoted line break
    "a,b,c\n1,2\n",  # a short row
    "Trainees export\ntrainee_id,given_name\nT01,Ana\n",  # a title above the header (a shorter row)
    "\ufeffa,b\n1,2\n",  # a second byte-order mark
    "a,b\n1,\x002\n",  # NUL
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_csv_is_read_fast_and_as_pandas_reads_it(text):
    delimiter = extract._delimiter(text)
    assert arrow_csv.read_plain(text.encode(), delimiter) is not None
    check_reader(text, delimiter)


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_anything_but_plain_csv_is_left_to_pandas(text):
    assert arrow_csv.read_plain(text.encode(), ",") is None


FIELD = st.one_of(
    st.text(alphabet='ab1 é,;\t"\r\n\x0b\x1c\u00a0\u2028', max_size=4),
    st.text(alphabet='ab ,;"\u3000', max_size=4).map(lambda v: '"' + v.replace('"', '""') + '"'),
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(FIELD, min_size=1, max_size=4), min_size=1, max_size=6),
       delimiter=st.sampled_from([",", ";", "\t"]), end=st.sampled_from(["\n", "\r\n"]), last=st.booleans())
def test_whatever_pyarrow_reads_pandas_reads_the_same(rows, delimiter, end, last):
    check_reader(end.join(delimiter.join(r) for r in rows) + (end if last else ""), delimiter)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="a,;\t \n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85", max_size=12))
def test_ascii_files_are_judged_blank_and_split_into_lines_as_decoded_text_is(text):
    if text.isascii():
        data = text.encode("ascii")
        assert extract._blank(data) == extract._blank(text)
        assert extract._first_nonblank_line(data) == extract._first_nonblank_line(text)


def test_the_built_in_sample_is_read_fast():
    for path in sorted(config.SAMPLE_DIR.glob("*.csv")):
        data = path.read_bytes()
        assert arrow_csv.read_plain(data, extract._delimiter(data.decode())) is not None, path.name


# Typing ----------------------------------------------------------------------------------------------------------
VALUES = ["", "1", "01", "2024", "-5", "1.5", "1e309", "nan", "inf", "0x1F", "1_000", "+5", ".5", "٣", "2024-02-29",
          "2023-02-29", "2024-2-3", "٢٠٢٤-٠١-٠١", "yes", "N", "true", "T", "x", "$1,234.50", "9007199254740993"]
PARSERS = {
    "numbers": validate._numbers,
    "dates": validate._dates,
    "booleans": lambda t: t.str.lower().map(BOOLEAN_WORDS).astype("boolean"),
}


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.sampled_from(VALUES + [None]), min_size=60, max_size=80), kind=st.sampled_from(list(PARSERS)))
def test_parsing_each_distinct_value_once_gives_every_value_as_parsing_them_all(values, kind):
    text = pd.Series(values, dtype="string", index=range(2, len(values) + 2))
    parse = PARSERS[kind]
    pd.testing.assert_series_equal(validate._per_distinct(text, parse), parse(text), check_exact=True)


# Lookups ---------------------------------------------------------------------------------------------------------
KEYS = st.lists(st.sampled_from(["a", "b", "c", "é", None]), max_size=12)


@settings(max_examples=100, deadline=None)
@given(values=KEYS, allowed=KEYS)
def test_membership_is_pandas_membership_missing_values_included(values, allowed):
    values, allowed = pd.Series(values, dtype="string"), pd.Series(allowed, dtype="string")
    expected = values.astype(object).isin(allowed.astype(object).unique())
    pd.testing.assert_series_equal(validate._isin(values, allowed), expected, check_names=False)


@settings(max_examples=100, deadline=None)
@given(keys=KEYS, index=st.lists(st.sampled_from(["a", "b", "c", None]), unique=True))
def test_lookup_is_pandas_map_missing_keys_included(keys, index):
    keys = pd.Series(keys, dtype="string")
    for values in (pd.Series(range(len(index)), dtype="Int64"), pd.Series([f"v{i}" for i in index], dtype="string"),
                   pd.to_datetime(pd.Series(["2020-01-01"] * len(index)))):
        table = pd.Series(values.array, index=pd.Index(index, dtype="string"))
        assert outcome(validate._lookup, keys, table) == outcome(pd.Series.map, keys, table)


def outcome(function, *args) -> tuple:
    """What a call gives, comparable: its values and type, or the error it raises."""
    try:
        result = function(*args)
    except Exception as exc:  # (pandas' own map fails on some empty lookups; so must ours)
        return (type(exc).__name__, str(exc))
    return (str(result.dtype), list(result.index), [None if pd.isna(v) else v for v in result])


# Rules -----------------------------------------------------------------------------------------------------------
CELLS = ["", "x", "-1", "0", "99999", "2101", "T01", "T02", "A01", "p_phd", "graduated", "GRADUATED", "nlm_t15",
         "x" * 201, "1.5", "2024-01-01"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 30), st.sampled_from(CELLS)), max_size=6))
def test_pandera_checks_a_table_whenever_one_of_its_rules_can_fail(tmp_path_factory, edits):
    src = tmp_path_factory.mktemp("rules")
    shutil.copytree(SMALL, src, dirs_exist_ok=True)
    for path in sorted(src.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for row, col, value in edits:
            frame.iat[row % len(frame), col % frame.shape[1]] = value
        if edits:
            frame = pd.concat([frame, frame.iloc[:1]])  # and a repeated key
        frame.to_csv(path, index=False)
    extracted = extract.extract(src, SOURCE_TABLES)
    for spec in SOURCE_TABLES:
        try:
            typed, _ = validate._type_table(spec, extracted.tables[spec.name])
        except IndexError:  # a repeated key with a missing part: an error reading it, whatever the fast path does
            continue
        if typed is None:
            continue
        try:
            validate._schema(spec).validate(typed, lazy=True)
        except pandera.errors.SchemaErrors:
            assert validate._may_break_rules(spec, typed), spec.name
