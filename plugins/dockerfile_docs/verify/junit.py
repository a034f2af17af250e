"""JUnit XML for CI systems: one test case per example and target."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .results import ExampleResult, Failure

ERROR_KINDS = frozenset({"timeout", "pull", "parse", "engine"})
"""Kinds reported as ``<error>`` (the example could not be checked) rather than ``<failure>`` (it was checked and is wrong)."""


def junit_xml(results: list[ExampleResult]) -> str:
    suite = ET.Element("testsuite", name="dockerfile-docs verify")
    cases = failures = errors = 0
    total_time = 0.0
    for result in results:
        rows: list[tuple[str, float, list[Failure], str | None]] = [
            (f"[{target.name}]", target.build_seconds, target.failures, target.run.output if target.run else None)
            for target in result.targets
        ]
        if result.problems:
            rows.insert(0, ("[*]", 0.0, result.problems, None))
        for name, seconds, target_failures, output in rows:
            cases += 1
            total_time += seconds
            case = ET.SubElement(suite, "testcase", classname=f"examples.{result.example}", name=f"{result.example} {name}", time=f"{seconds:.3f}")
            if result.from_cache:
                case.set("cached", "true")
            for failure in target_failures:
                tag = "error" if failure.kind in ERROR_KINDS else "failure"
                errors += tag == "error"
                failures += tag == "failure"
                element = ET.SubElement(case, tag, message=failure.one_line(), type=failure.kind)
                details = [failure.one_line()]
                if failure.step:
                    details.append(f"step: {failure.step}")
                element.text = "\n".join([*details, *failure.log_tail])
            if output:
                ET.SubElement(case, "system-out").text = output
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("time", f"{total_time:.3f}")
    root = ET.Element("testsuites", tests=str(cases), failures=str(failures), errors=str(errors), time=f"{total_time:.3f}")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(results: list[ExampleResult], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(junit_xml(results), encoding="utf-8")
