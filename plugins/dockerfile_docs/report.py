"""The stable JSON form of an :class:`~dockerfile_docs.model.Analysis` (``dockerfile-docs analyze --format json``).

Other tools and wikis read this, so its keys only ever grow: ``schema`` is
bumped on any change that is not an addition. Documented in the handbook's
CLI guide.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .model import Analysis, Stage

SCHEMA_VERSION = 1


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "file": analysis.dockerfile.path,
        "build": {
            "build_args": dict(analysis.options.build_args),
            "target": analysis.options.target,
            "platform": analysis.options.target_platform,
            "build_platform": analysis.options.build_platform,
        },
        "global_args": {name: v.value for name, v in analysis.global_args.items()},
        "stages": [_stage(stage) for stage in analysis.stages],
        "target": analysis.target,
        "edges": [
            {"from": e.source, "to": e.target, "kind": e.kind, "line": e.line, **({"paths": list(e.paths)} if e.paths else {})}
            for e in analysis.edges
        ],
        "unused_build_args": list(analysis.unused_build_args),
        "build_errors": [{"line": e.line, "stage": e.stage, "message": e.message} for e in analysis.build_errors],
        "findings": [
            {
                "rule": f.rule,
                "name": f.name,
                "severity": f.severity,
                "line": f.line,
                "message": f.message,
                **({"buildkit": f.buildkit} if f.buildkit else {}),
            }
            for f in analysis.findings
        ],
    }


def _stage(stage: Stage) -> dict[str, Any]:
    return {
        "index": stage.index,
        "name": stage.name,
        "base": stage.base_resolved,
        "base_stage": stage.base_stage,
        "platform": stage.platform_resolved,
        "line": stage.from_line,
        "end_line": stage.end_line,
        "instructions": len(stage.instructions),
        "needed": stage.needed,
        "vars": stage.set_vars(),
        "unset_args": sorted(n for n, v in stage.vars.items() if v.value is None),
    }


def analysis_to_text(analysis: Analysis) -> str:
    """A reading for people: stages, bases, needed or skipped, variables per stage."""
    lines = [f"{analysis.dockerfile.path}: {len(analysis.stages)} stage(s), target {analysis.target_stage.label}"]
    if analysis.global_args:
        shown = ", ".join(f"{n}={v.value}" if v.value is not None else f"{n} (unset)" for n, v in analysis.global_args.items())
        lines.append(f"global ARGs (FROM lines only): {shown}")
    for stage in analysis.stages:
        base = f"stage {analysis.stages[stage.base_stage].label}" if stage.base_stage is not None else stage.base_resolved
        status = "target" if stage.index == analysis.target else ("needed" if stage.needed else "skipped by BuildKit")
        lines.append(f"[{stage.index}] {stage.label}  FROM {base}  (line {stage.from_line}, {status})")
        for name, variable in stage.vars.items():
            value = "(unset)" if variable.value is None else repr(variable.value)
            lines.append(f"      {variable.kind.upper():3} {name} = {value}  [{variable.source or 'no value'}]")
    for edge in analysis.edges:
        if edge.kind == "from":
            continue
        source = analysis.stages[edge.source].label if isinstance(edge.source, int) else edge.source
        lines.append(f"edge line {edge.line}: {source} -> {analysis.stages[edge.target].label} ({edge.kind})")
    if analysis.unused_build_args:
        lines.append("build args no ARG declares (ignored): " + ", ".join(analysis.unused_build_args))
    for error in analysis.build_errors:
        lines.append(f"{analysis.dockerfile.path}:{error.line}: the build of this target fails here: {error.message}")
    for finding in analysis.findings:
        lines.append(f"{analysis.dockerfile.path}:{finding.line}: {finding.severity}: {finding.message} [{finding.rule}]")
    return "\n".join(lines) + "\n"
