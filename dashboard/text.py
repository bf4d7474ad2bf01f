"""Values from data or the address bar made safe to show: markdown that renders as the plain text it holds."""

from __future__ import annotations

import re

# Every character markdown (and Streamlit's extensions: colour directives, LaTeX, emoji and icon shortcodes) reads.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
# What GitHub-flavoured markdown turns into a link even when escaped: bare addresses and e-mail addresses. A zero-width
# space after their marker keeps them text (and looks the same).
_AUTOLINK = re.compile(r"(://|www\.|@)", re.IGNORECASE)


def md(value: object) -> str:
    """A value as markdown that shows exactly its text: no link, image, emphasis, HTML or directive."""
    text = _AUTOLINK.sub(lambda m: m.group(1) + "\u200b", str(value))
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")
