"""Colours and fonts as attributes, for a diagram pasted where no stylesheet survives.

The diagram normally styles itself with an embedded ``<style>`` (classes,
light and dark palettes). Wiki sanitizers drop that block or, worse, keep
its text: a portable diagram carries every colour and font as presentation
attributes instead. With no stylesheet it cannot switch palettes, so its
text is ``currentColor`` (the host's own text colour, whatever its scheme)
and its lines and boxes use mid-tones that keep 3:1 (WCAG's ratio for
graphics) against both a white page and a dark one.
"""

from __future__ import annotations

PORTABLE_COLOURS: dict[str, str] = {
    "stroke": "#768390",
    "target": "#2f81f7",
    "badge": "#0969da",
    "badge-text": "#ffffff",
    "edge-from": "#768390",
    "edge-copy": "#d1590d",
    "edge-mount": "#9a6dd7",
    "edge-arg": "#2f9e44",
    "args-stroke": "#9a6700",
    "edge-fail": "#e5534b",
}
PORTABLE_BACKGROUNDS = ("#ffffff", "#0d1117", "#1e2129")
"""The pages the portable colours are checked against: white, GitHub's dark, the handbook's dark."""

SANS = "system-ui,-apple-system,Segoe UI,Roboto,Helvetica Neue,Arial,Noto Sans,Liberation Sans,DejaVu Sans,sans-serif"
MONO = "ui-monospace,SFMono-Regular,Menlo,Consolas,Liberation Mono,DejaVu Sans Mono,monospace"

_DASHES = {"from": "", "copy": "6 4", "mount": "1.5 3.5", "arg": "8 3 2 3", "fail": ""}
_WIDTHS = {"from": "1.6", "copy": "1.6", "mount": "2.2", "arg": "1.3", "fail": "2.4"}
_TEXT = {
    "heading": ' font-size="14" font-weight="700"',
    "code": f' font-size="12" font-family="{MONO}"',
    "body": ' font-size="12"',
    "note": ' font-size="12" font-style="italic"',
    "fail": ' font-size="12" font-weight="700"',
    "caption": ' font-size="11"',
    "legend": ' font-size="12"',
}


class Paint:
    """What each drawn element adds to its tag: nothing (the stylesheet styles it by class) or its attributes."""

    def __init__(self, *, portable: bool) -> None:
        self.portable = portable

    def root(self) -> str:
        return f' font-family="{SANS}"' if self.portable else ""

    def box(self, kind: str, *, target: bool, skipped: bool, failing: bool = False) -> str:
        if not self.portable:
            return ""
        stroke = PORTABLE_COLOURS["target"] if target else PORTABLE_COLOURS["args-stroke" if kind == "args" else "stroke"]
        if failing:
            stroke = PORTABLE_COLOURS["edge-fail"]
        width = "2.5" if target or failing else "1.2"
        dashes = ' stroke-dasharray="5 3"' if skipped else ""
        return f' fill="none" stroke="{stroke}" stroke-width="{width}"{dashes}'

    def text(self, style: str) -> str:
        return f' fill="currentColor"{_TEXT[style]}' if self.portable else ""

    def badge(self) -> str:
        return f' fill="{PORTABLE_COLOURS["badge"]}"' if self.portable else ""

    def badge_text(self) -> str:
        return f' fill="{PORTABLE_COLOURS["badge-text"]}" font-size="10.5" font-weight="700"' if self.portable else ""

    def edge_line(self, kind: str, *, skipped: bool, failing: bool = False) -> str:
        if not self.portable:
            return ""
        if failing:
            kind = "fail"
        dashes = f' stroke-dasharray="{_DASHES[kind]}"' if _DASHES[kind] else ""
        opacity = ' stroke-opacity="0.55"' if skipped else ""
        return f' fill="none" stroke="{PORTABLE_COLOURS["edge-" + kind]}" stroke-width="{_WIDTHS[kind]}"{dashes}{opacity}'

    def arrow(self, kind: str) -> str:
        return f' fill="{PORTABLE_COLOURS["edge-" + kind]}"' if self.portable else ""

    def label_box(self, kind: str) -> str:
        return f' fill="none" stroke="{PORTABLE_COLOURS["edge-" + kind]}" stroke-width="0.8"' if self.portable else ""

    def label_text(self) -> str:
        return ' fill="currentColor" font-size="11.5"' if self.portable else ""


STYLESHEET_PAINT = Paint(portable=False)
PORTABLE_PAINT = Paint(portable=True)
