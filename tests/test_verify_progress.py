"""The progress display: plain lines off a terminal, a redrawn status line on one."""

from __future__ import annotations

import io

from dockerfile_docs.verify.progress import ConsoleProgress
from dockerfile_docs.verify.runner import ProgressEvent

EVENTS = [
    ProgressEvent("cached", "cached-one", None, "unchanged, result from cache", 0.0, 1, 3, True),
    ProgressEvent("start", "hello", "runtime", "building", 0.0, 1, 3),
    ProgressEvent("step", "hello", "runtime", "building stage builder", 0.0, 1, 3),
    ProgressEvent("finish", "hello", "runtime", "passed", 2.5, 2, 3, True),
    ProgressEvent("finish", "broken", "0", "failed: expected exit code 0, got 1", 0.4, 3, 3, False),
]


def test_plain_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with ConsoleProgress(stream, live=False) as progress:
        for event in EVENTS:
            progress(event)
    assert stream.getvalue().splitlines() == [
        "[1/3] cached-one unchanged, result from cache",
        "[1/3] hello [runtime] building",
        "[1/3] hello [runtime] building stage builder",
        "[2/3] hello [runtime] passed (2.5 s)",
        "[3/3] broken [0] failed: expected exit code 0, got 1 (0.4 s)",
    ]
    assert "\x1b" not in stream.getvalue()


def test_live_status_line_shows_what_builds_and_finished_targets_scroll_by() -> None:
    stream = io.StringIO()
    with ConsoleProgress(stream, live=True) as progress:
        for event in EVENTS[:3]:
            progress(event)
        status = stream.getvalue().rsplit("\r\x1b[K", 1)[-1]
        assert status.startswith("[1/3] hello [runtime] building stage builder ")
        assert status.endswith("s")
        for event in EVENTS[3:]:
            progress(event)
    text = stream.getvalue()
    assert "ok   [2/3] hello [runtime] passed (2.5 s)\n" in text
    assert "FAIL [3/3] broken [0] failed: expected exit code 0, got 1 (0.4 s)\n" in text
    assert text.endswith("\r\x1b[K"), "the status line is cleared at the end"
