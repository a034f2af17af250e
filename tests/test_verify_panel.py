"""The result panel on the page: static HTML and SVG, everything escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from dockerfile_docs.render.results import render_result_panel
from dockerfile_docs.verify.results import Failure, RunOutcome, StageMeasure, TargetResult

from tests.test_verify_results import make_result

SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_of(panel: str) -> ET.Element:
    match = re.search(r"<svg.*?</svg>", panel, re.DOTALL)
    assert match is not None
    return ET.fromstring(match.group(0))


def test_no_result_gives_a_not_verified_panel() -> None:
    panel = render_result_panel(None)
    assert "dd-result-unverified" in panel
    assert "Not verified yet" in panel
    assert "dockerfile-docs verify" in panel


def test_passed_panel_says_when_with_which_engine_and_how_long() -> None:
    panel = render_result_panel(make_result())
    assert "dd-result-passed" in panel
    assert "Verified" in panel
    assert '<time datetime="2025-01-31T12:00:00+00:00">2025-01-31 12:00 UTC</time>' in panel
    assert "Docker Engine 26.1.5" in panel
    assert "build time 3.2 s" in panel
    assert "built with local stand-in dockerfile-docs/busybox:local for busybox:1.36" in panel
    assert "usage: app" in panel
    assert "<script" not in panel


def test_size_chart_has_a_bar_per_stage_with_the_final_image_last_and_highlighted() -> None:
    svg = svg_of(render_result_panel(make_result()))
    groups = svg.findall(f"{SVG_NS}g")
    assert [group.get("class") for group in groups] == ["dd-bar", "dd-bar dd-bar-final"]
    widths = [float(group.find(f"{SVG_NS}rect").get("width")) for group in groups]  # type: ignore[union-attr]
    assert widths[0] > widths[1] > 0
    texts = ["".join(text.itertext()) for text in svg.iter(f"{SVG_NS}text")]
    assert texts == ["build", "812 MB", "runtime (final)", "4.2 MB"]
    assert "var(--dd-accent" in ET.tostring(groups[1], encoding="unicode")
    title = svg.find(f"{SVG_NS}title")
    assert title is not None and "runtime (final): 4.2 MB" in (title.text or "")


def test_a_tiny_final_image_still_gets_a_visible_bar() -> None:
    result = make_result()
    result.targets[0].stages = [StageMeasure("toolchain", False, 900_000_000_000, 9, 1.0), StageMeasure("app", True, 10, 1, 0.1)]
    widths = [float(rect.get("width") or 0) for rect in svg_of(render_result_panel(result)).iter(f"{SVG_NS}rect")]
    assert widths[1] >= 2


def test_failed_panel_shows_the_failing_step_line_and_log_in_place() -> None:
    failure = Failure(
        "hello", "runtime", "build", "the build of stage runtime failed: exit code: 3", line=4, step="[runtime 2/3] RUN make", log_tail=("#6 ERROR: boom",)
    )
    result = make_result(failures=[failure])
    panel = render_result_panel(result)
    assert "dd-result-failed" in panel
    assert "Failed" in panel
    assert "Dockerfile line 4: the build of stage runtime failed: exit code: 3" in panel
    assert "<code>[runtime 2/3] RUN make</code>" in panel
    assert "#6 ERROR: boom" in panel


def test_everything_from_an_example_is_escaped() -> None:
    hostile = "<script>alert(1)</script>"
    result = make_result(name=hostile)
    result.title = hostile
    target: TargetResult = result.targets[0]
    target.target = hostile
    target.stages[0] = StageMeasure(hostile, False, 10, 1, 0.1)
    target.run = RunOutcome((hostile,), 0, hostile + "\n&amp;", 0.1)
    target.failures.append(Failure(hostile, hostile, "build", hostile, step=hostile, log_tail=(hostile,)))
    panel = render_result_panel(result, stale_reason=hostile)
    assert "<script" not in panel
    assert "&lt;script&gt;" in panel
    assert "&amp;amp;" in panel
    svg_of(panel)


def test_stale_result_is_shown_with_the_reason() -> None:
    panel = render_result_panel(make_result(), stale_reason="changed since it was verified: Dockerfile changed")
    assert "Out of date" in panel
    assert "Dockerfile changed" in panel
    assert "Verified" in panel


def test_expected_failure_shows_where_the_build_stopped() -> None:
    result = make_result()
    target = result.targets[0]
    target.expected_build = "failure"
    target.build_succeeded = False
    target.stages = []
    target.run = None
    target.failed_line = 3
    target.failed_step = "[2/2] RUN test -f /x"
    target.log_tail = ("exit code: 1",)
    panel = render_result_panel(result)
    assert "the build is expected to fail" in panel
    assert "stopped, as expected, at Dockerfile line 3" in panel
    assert "<svg" not in panel
