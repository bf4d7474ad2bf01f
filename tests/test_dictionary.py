"""The data dictionary and settings docs are generated from code and cannot drift from it."""

from __future__ import annotations

import re

from etl import config, dictionary
from etl.contract import RULES, TABLES
from tests.conftest import PROJECT_ROOT


def test_committed_data_dictionary_matches_the_contract():
    committed = (PROJECT_ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == dictionary.markdown(), "run: python -m etl dictionary --out docs/data-dictionary.md"


def test_dictionary_lists_every_table_column_and_rule():
    text = dictionary.markdown()
    for table in TABLES:
        assert f"## `{table.name}`" in text
        for col in table.columns:
            assert f"| `{col.name}` |" in text
    for r in RULES:
        assert f"| `{r.name}` | {r.severity} |" in text


def test_every_environment_variable_is_documented():
    source = (PROJECT_ROOT / "etl" / "config.py").read_text(encoding="utf-8")
    read = set(re.findall(r'environ(?:\.get)?\(\s*"([A-Z_]+)"', source))
    assert read == set(config.SETTINGS)
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name in config.SETTINGS:
        assert name in readme
