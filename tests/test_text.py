"""Values from data or the address bar are shown as the text they hold: never a link, an image, emphasis, HTML or a
Streamlit directive, wherever markdown renders them."""

from __future__ import annotations

import re

import pytest

from dashboard import text
from tests.conftest import rendered

HOSTILE = [
    "![x](http://evil.example/p.png)",
    "[Sign in again](https://evil.example/login)",
    "<img src=x onerror=alert(1)>",
    "**bold** _it_ `code` ~~gone~~",
    ":red[alarm] :material/warning: $x^2$",
    "# heading",
    "- a list item",
    "http://evil.example/page",
    "www.evil.example",
    "someone@evil.example",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_reads_back_as_the_text_it_holds(value):
    shown = text.md(value)
    assert rendered(shown) == value  # escapes and zero-width spaces only: the reader sees the value itself
    unescaped = re.sub(r"\\.", "", shown)  # what markdown reads as syntax: every special character is escaped
    assert not set(unescaped) & set("[]()!*_`<>#~$:-|{}+.&"), unescaped
    assert "//evil" not in shown.replace("\u200b", "x") or ":\u200b//" in shown  # no bare address to autolink
    assert "www.e" not in shown and "@e" not in shown


def test_markdown_of_plain_names_is_unchanged_to_the_eye():
    assert rendered(text.md("HST Medical Engineering and Medical Physics (PhD)")) == \
        "HST Medical Engineering and Medical Physics (PhD)"
