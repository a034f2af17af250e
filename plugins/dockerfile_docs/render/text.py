"""Text from a Dockerfile made safe to show: invisible characters become visible.

Bidirectional controls (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F,
U+061C) can make code read differently from what it is ("Trojan Source"),
and zero-width characters hide text; both are shown as ``⟨U+202E⟩`` in the
listing and the diagram instead of taking effect. Escaping for HTML or XML
is the caller's, after this.
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def reveal_invisible(text: str) -> str:
    if not _INVISIBLE.search(text):
        return text
    return _INVISIBLE.sub(lambda match: f"⟨U+{ord(match.group(0)):04X}⟩", text)
