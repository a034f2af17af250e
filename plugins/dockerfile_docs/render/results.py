"""The result panel: what a real build of an example showed, as an HTML fragment.

Static on purpose: the bar chart is inline SVG drawn here, with no script
and no external resource. Colours are CSS custom properties (``--dd-*``,
defined by the page style and following mkdocs-material's light and dark
schemes) with fallbacks, so the panel stays readable without the style
sheet. Every text that comes from an example, a build log or a run is
escaped.
"""

from __future__ import annotations

import html

from ..records import record
from ..verify.inputs import StandIn
from ..verify.results import (
    Check,
    ExampleResult,
    Failure,
    StageMeasure,
    TargetResult,
    format_size,
)

LOG_LINES_SHOWN = 20

_BAR_HEIGHT = 18
_ROW_HEIGHT = 26
_BAR_AREA = 320
_CHAR_WIDTH = 7.2
_MIN_BAR = 2


def render_result_panel(result: ExampleResult | None, *, stale_reason: str | None = None) -> str:
    """The panel for ``result``: verified or failed, when, which engine, sizes, run output, stand-ins.

    ``None`` gives a "not verified yet" panel; ``stale_reason`` adds a
    warning that the result describes an earlier state of the example.
    """
    if result is None:
        return _not_verified(stale_reason)
    state = "passed" if result.passed else "failed"
    parts = [f'<div class="dd-result dd-result-{state}" style="{_FRAME_STYLE}">\n', _status(result)]
    if stale_reason:
        parts.append(_stale_notice(stale_reason))
    for problem in result.problems:
        parts.append(_failure_block(problem, None))
    for index, target in enumerate(result.targets):
        parts.append(_target_section(result, target, index))
    if result.stand_ins:
        items = "".join(f"<li>{_e(_stand_in_text(stand_in, result))}</li>" for stand_in in result.stand_ins)
        parts.append(f'<ul class="dd-result-stand-ins" style="{_MUTED_STYLE}">{items}</ul>\n')
    parts.append("</div>\n")
    return "".join(parts)


def _stand_in_text(stand_in: StandIn, result: ExampleResult) -> str:
    """A stand-in in words; the built-in frontend is named by the engine that provided it."""
    text = stand_in.describe()
    if stand_in.is_frontend and result.engine is not None:
        text += f" (the Dockerfile frontend of Docker Engine {result.engine.server_version})"
    return text


def render_not_built_panel(reason: str) -> str:
    """The panel of an analysis-only example (``verify: false``): why it is not built, where results would be."""
    return (
        f'<div class="dd-result dd-result-not-built" style="{_FRAME_STYLE}">\n'
        f'<p class="dd-result-status"><strong>Not built by the handbook</strong>: {_e(reason)}</p>\n'
        "<p>The listing, the diagram and the explanations come from the analysis alone; no build checked them.</p>\n"
        "</div>\n"
    )


def not_built_status_html(reason: str) -> str:
    return f'<p class="dd-result-status"><strong>Not built by the handbook</strong>: {_e(reason)}</p>\n'


def result_status_html(result: ExampleResult | None) -> str:
    """The panel's first paragraph alone: the verdict, when and with which engine (what a search indexes)."""
    if result is None:
        return f'<p class="dd-result-status">{_NOT_VERIFIED}</p>\n'
    return _status(result)


_FRAME_STYLE = "border:1px solid var(--dd-border, #d1d9e0);border-radius:4px;padding:0.5em 0.9em;margin:0.5em 0"
_MUTED_STYLE = "color:var(--dd-fg-muted, inherit);font-size:0.9em"
_PRE_STYLE = "background:var(--dd-code-bg, transparent);padding:0.5em;overflow-x:auto;max-height:24em"


_NOT_VERIFIED = "<strong>Not verified yet</strong>: no build of this example has been recorded."


def _not_verified(stale_reason: str | None) -> str:
    reason = f" {_e(stale_reason)}" if stale_reason else ""
    return (
        f'<div class="dd-result dd-result-unverified" style="{_FRAME_STYLE}">\n'
        f'<p class="dd-result-status">{_NOT_VERIFIED}{reason}</p>\n'
        "<p>Run <code>dockerfile-docs verify</code> (or build the site with verification <code>build</code>) to build it and check its expectations.</p>\n"
        "</div>\n"
    )


def _status(result: ExampleResult) -> str:
    if result.passed:
        verdict = '<strong class="dd-result-verdict" style="color:var(--dd-ok, #1a7f37)">&#10003; Verified</strong>'
    else:
        verdict = '<strong class="dd-result-verdict" style="color:var(--dd-error, #cf222e)">&#10007; Failed</strong>'
    count = len(result.failures)
    summary = "every expectation holds" if result.passed else f"{count} expectation{'s' * (count != 1)} did not hold"
    engine = f" with {_e(result.engine.describe())}" if result.engine else ""
    when = f' on <time datetime="{_e(result.verified_at)}">{_e(_readable_time(result.verified_at))}</time>'
    build = f"; build time {result.build_seconds:.1f} s" if result.targets else ""
    platform = f" for {_e(result.platform)}" if result.platform else ""
    return f'<p class="dd-result-status">{verdict}: {summary}. Built{when}{engine}{platform}{build}.</p>\n'


def _stale_notice(reason: str) -> str:
    return (
        '<p class="dd-result-stale" role="note" style="border-left:4px solid var(--dd-warning, #9a6700);padding-left:0.6em">'
        f"<strong>Out of date:</strong> {_e(reason)}. The result below is from an earlier version of the example.</p>\n"
    )


def _target_section(result: ExampleResult, target: TargetResult, index: int) -> str:
    verdict = "passed" if target.passed else "failed"
    expectation = "" if target.expected_build == "success" else " (the build is expected to fail)"
    parts = [
        f'<section class="dd-result-target dd-result-{verdict}">\n',
        f'<p class="dd-result-target-title"><strong>Target <code>{_e(target.name)}</code></strong>{expectation}: {verdict}'
        f", {target.build_seconds:.1f} s</p>\n",
    ]
    if target.stages:
        parts.append(_size_chart(target.stages, f"{result.example}-{index}"))
    if target.expected_build == "failure" and not target.build_succeeded and target.failed_line is not None:
        step = f", step <code>{_e(target.failed_step)}</code>" if target.failed_step else ""
        parts.append(f"<p>The build stopped, as expected, at {_e(result.dockerfile)} line {target.failed_line}{step}.</p>\n")
        parts.append(_log_block(target.log_tail))
    if target.checks:
        parts.append(_checks(target.checks))
    if target.run is not None:
        parts.append(_run_block(target))
    for failure in target.failures:
        parts.append(_failure_block(failure, target))
    parts.append("</section>\n")
    return "".join(parts)


def _checks(checks: list[Check]) -> str:
    items = []
    for check in checks:
        mark, colour = ("&#10003;", "var(--dd-ok, #1a7f37)") if check.passed else ("&#10007;", "var(--dd-error, #cf222e)")
        got = "" if check.passed and check.actual == check.expected else f" (got {_e(check.actual)})"
        state = "ok" if check.passed else "failed"
        items.append(
            f'<li class="dd-check-{state}"><span style="color:{colour}" aria-label="{state}">{mark}</span> '
            f"{_e(check.name)}: {_e(check.expected)}{got}</li>"
        )
    return f'<ul class="dd-result-checks" style="list-style:none;padding-left:0">{"".join(items)}</ul>\n'


def _run_block(target: TargetResult) -> str:
    run = target.run
    assert run is not None
    args = "".join(f" {_e(_shell_word(arg))}" for arg in run.args)
    truncated = " (last part shown)" if run.truncated else ""
    output = run.output if run.output.strip() else "(no output)"
    return (
        f'<p class="dd-result-run">Run: <code>docker run IMAGE{args}</code>, exit code {run.exit_code}, {run.seconds:.1f} s{truncated}</p>\n'
        f'<pre class="dd-result-output" style="{_PRE_STYLE}"><code>{_e(output)}</code></pre>\n'
    )


def _failure_block(failure: Failure, target: TargetResult | None) -> str:
    where = f"{_e(failure.dockerfile)} line {failure.line}: " if failure.line else ""
    step = f'<p>Failing step: <code>{_e(failure.step)}</code></p>\n' if failure.step else ""
    return (
        '<div class="dd-result-failure" role="alert" style="border-left:4px solid var(--dd-error, #cf222e);padding-left:0.6em;margin:0.5em 0">\n'
        f"<p><strong>{where}{_e(failure.message)}</strong></p>\n{step}{_log_block(failure.log_tail)}</div>\n"
    )


def _log_block(lines: tuple[str, ...]) -> str:
    if not lines:
        return ""
    shown = "\n".join(lines[-LOG_LINES_SHOWN:])
    return f'<pre class="dd-result-log" style="{_PRE_STYLE}"><code>{_e(shown)}</code></pre>\n'


@record(frozen=True)
class _Bar:
    label: str
    size: int
    final: bool


def _size_chart(stages: list[StageMeasure], chart_id: str) -> str:
    """Horizontal bars, one per built stage, the final image last and highlighted; sizes in SI units."""
    bars = [_Bar(stage.stage, stage.size, stage.final) for stage in stages if not stage.final]
    bars += [_Bar(stage.stage, stage.size, True) for stage in stages if stage.final]
    largest = max((bar.size for bar in bars), default=0) or 1
    label_width = int(max(len(_bar_label(bar)) for bar in bars) * _CHAR_WIDTH) + 12
    value_width = 80
    width = label_width + _BAR_AREA + value_width
    height = _ROW_HEIGHT * len(bars) + 6
    title_id = f"dd-sizes-{_slug(chart_id)}"
    description = ", ".join(f"{_bar_label(bar)}: {format_size(bar.size)}" for bar in bars)
    rows = []
    for row, bar in enumerate(bars):
        y = 4 + row * _ROW_HEIGHT
        length = max(_MIN_BAR, round(_BAR_AREA * bar.size / largest))
        fill = "var(--dd-accent, #0969da)" if bar.final else "var(--dd-fg-muted, #8c959f)"
        weight = "font-weight:700;" if bar.final else ""
        rows.append(
            f'<g class="dd-bar{" dd-bar-final" if bar.final else ""}">'
            f'<text x="{label_width - 8}" y="{y + _BAR_HEIGHT - 5}" text-anchor="end" style="fill:var(--dd-fg, currentColor);{weight}">{_e(_bar_label(bar))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{_BAR_HEIGHT}" rx="2" style="fill:{fill}"/>'
            f'<text x="{label_width + length + 6}" y="{y + _BAR_HEIGHT - 5}" style="fill:var(--dd-fg, currentColor);{weight}">{_e(format_size(bar.size))}</text>'
            "</g>"
        )
    return (
        '<figure class="dd-result-sizes" style="margin:0.5em 0">\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{title_id}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="max-width:100%;height:auto;font:12px sans-serif">'
        f'<title id="{title_id}">Image size per stage: {_e(description)}</title>'
        + "".join(rows)
        + "</svg>\n"
        f'<figcaption style="{_MUTED_STYLE}">Image size per stage (each built with <code>--target</code>); the final image is highlighted.</figcaption>\n'
        "</figure>\n"
    )


def _bar_label(bar: _Bar) -> str:
    return f"{bar.label} (final)" if bar.final else bar.label


def _readable_time(stamp: str) -> str:
    """``2025-01-31T12:00:00+00:00`` as ``2025-01-31 12:00 UTC``."""
    date, _, rest = stamp.partition("T")
    clock = rest[:5]
    zone = " UTC" if rest.endswith(("+00:00", "Z")) else ""
    return f"{date} {clock}{zone}".strip()


def _shell_word(word: str) -> str:
    return word if word and all(ch.isalnum() or ch in "-_./=:,@%+" for ch in word) else "'" + word.replace("'", "'\\''") + "'"


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text)


def _e(text: str) -> str:
    return html.escape(text, quote=True)
