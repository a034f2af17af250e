"""Renders of the stage diagram to PNG with headless Chromium, to look at (opt-in).

Run with ``DD_DIAGRAM_PNGS=1 pytest tests/test_diagram_png.py``; the images
land in ``test-artifacts/diagrams/`` in a light and a dark (mkdocs-material
``slate``) page. Each render is checked to be a PNG of the requested size.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from dockerfile_docs.pipeline import analyze_file, analyze_text
from dockerfile_docs.render.svg import render_diagram

sys.path.insert(0, str(Path(__file__).parent / "diagrams"))
from many_stages import many_stage_dockerfile

REPO = Path(__file__).resolve().parent.parent
CASES = Path(__file__).parent / "diagrams"
OUT = REPO / "test-artifacts" / "diagrams"

PAGES = {
    "light": '<html><body style="margin:16px;background:#ffffff">{svg}</body></html>',
    "dark": '<html data-md-color-scheme="slate" style="background:#1e2129"><body style="margin:16px">{svg}</body></html>',
}

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DD_DIAGRAM_PNGS"), reason="set DD_DIAGRAM_PNGS=1 to render PNGs"),
    pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium"),
]


def _diagrams() -> dict[str, str]:
    diagrams = {
        name: render_diagram(analyze_file(str(CASES / name / "Dockerfile")))
        for name in ("two-stage-go", "dev-test-prod", "hostile-names", "global-arg-base", "mounts-and-image-copies")
    }
    diagrams["thirty-stages"] = render_diagram(analyze_text(many_stage_dockerfile(30), "Dockerfile"))
    return diagrams


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("scheme", sorted(PAGES))
def test_diagrams_render_to_png_in_light_and_dark_pages(scheme: str, tmp_path: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, svg in _diagrams().items():
        width = int(float(svg.split('width="', 1)[1].split('"', 1)[0])) + 40
        height = int(float(svg.split('height="', 1)[1].split('"', 1)[0])) + 40
        page = tmp_path / f"{name}-{scheme}.html"
        page.write_text(PAGES[scheme].format(svg=svg), encoding="utf-8")
        target = OUT / f"{name}-{scheme}.png"
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--screenshot={target}", f"--window-size={width},{height}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
        assert _png_size(target) == (width, height)
