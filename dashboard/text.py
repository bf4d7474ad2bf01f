"""Values from data or the address bar made safe to show: markdown that renders as the plain text it holds."""

from __future__ import annotations

import re

# Every character markdown (and Streamlit's extensions: colour directives, LaTeX, emoji and icon shortcodes) reads.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md(value: object) -> str:
    """A value as markdown that shows exactly its text: no link, image, emphasis, HTML or directive."""
    return _SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ")
