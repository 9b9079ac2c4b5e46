"""Build reports for CI: the results of a build as JSON, and as JUnit XML.

Takes the ``BuildResult``s of one build and the warnings about its brand; gives a JSON document
in the builder's envelope (``{"version": 1, "builder": ...}``; per handout: source, output,
status, layout, pages of the PDF, bytes, milliseconds, warnings and errors with
``file:line:column`` and the rule that found each; the brand's warnings apart) and a JUnit XML
document with one test case per handout, so CI systems show each failing handout by name (the
brand's warnings go to the suite's output). Paths are written as the user would type them
(relative to the working folder when below it).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from handout_builder.errors import Problem, display_path
from handout_builder.output import json_document, json_text, plural
from handout_builder.pipeline import BuildResult

STATUSES = ("built", "skipped", "failed", "retired", "stale", "removed")


def summary(results: list[BuildResult]) -> dict[str, int]:
    counts = Counter(r.status for r in results)
    return {
        "handouts": sum(counts[s] for s in ("built", "skipped", "failed", "retired")),
        **{s: counts[s] for s in STATUSES},
    }


def json_report(
    results: list[BuildResult], seconds: float | None = None, brand: Sequence[Problem] = ()
) -> dict[str, Any]:
    """The build as one JSON document in the builder's envelope (``output.json_document``)."""
    return json_document(
        summary=summary(results),
        seconds=None if seconds is None else round(seconds, 3),
        brand={"warnings": [_problem(p) for p in brand]},
        handouts=[_handout(r) for r in results],
    )


def write_json(
    results: list[BuildResult],
    path: Path,
    seconds: float | None = None,
    brand: Sequence[Problem] = (),
) -> None:
    _write(path, json_text(json_report(results, seconds, brand)) + "\n")


def junit_report(
    results: list[BuildResult], seconds: float | None = None, brand: Sequence[Problem] = ()
) -> ET.ElementTree[ET.Element]:
    counts = summary(results)
    total = (
        f"{(seconds if seconds is not None else sum(r.milliseconds for r in results) / 1000):.3f}"
    )
    attrs = {
        "name": "handout build",
        "tests": str(len(results)),
        "failures": str(counts["failed"]),
        "errors": "0",
        "skipped": str(counts["retired"]),
        "time": total,
    }
    suites = ET.Element("testsuites", attrs)
    suite = ET.SubElement(suites, "testsuite", attrs)
    for r in results:
        name = _path(r.source) if r.status not in ("stale", "removed") else _path(r.output)
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": "handout",
                "name": name,
                "file": _path(r.source),
                "time": f"{r.milliseconds / 1000:.3f}",
            },
        )
        if r.status == "failed":
            first = r.problems[0].labelled("error") if r.problems else "failed"
            failure = ET.SubElement(case, "failure", {"message": first, "type": "HandoutError"})
            failure.text = "\n".join(p.labelled("error") for p in r.problems)
        elif r.status == "retired":
            ET.SubElement(case, "skipped", {"message": "retired: not built"})
        ET.SubElement(case, "system-out").text = _describe(r)
        if r.warnings:
            ET.SubElement(case, "system-err").text = "\n".join(
                f"warning: {w.labelled('warning')}" for w in r.warnings
            )
    if brand:
        ET.SubElement(suite, "system-err").text = "\n".join(
            f"warning: {p.labelled('warning')}" for p in brand
        )
    ET.indent(suites)
    return ET.ElementTree(suites)


def write_junit(
    results: list[BuildResult],
    path: Path,
    seconds: float | None = None,
    brand: Sequence[Problem] = (),
) -> None:
    tree = junit_report(results, seconds, brand)
    _write(path, ET.tostring(tree.getroot(), encoding="unicode", xml_declaration=True) + "\n")


def _handout(r: BuildResult) -> dict[str, Any]:
    return {
        "source": _path(r.source),
        "id": r.handout_id,
        "output": _path(r.output) if r.output else None,
        "status": r.status,
        "layout": r.layout,
        "pages": r.pages,
        "bytes": r.bytes,
        "milliseconds": r.milliseconds,
        "sha256": r.sha256,
        "warnings": [_problem(p) for p in r.warnings],
        "errors": [_problem(p) for p in r.problems],
    }


def _problem(p: Problem) -> dict[str, Any]:
    return {
        "file": p.file,
        "line": p.line,
        "column": p.column,
        "path": p.path,
        "message": p.message,
        "rule": p.rule or None,
        "text": str(p),
    }


def _describe(r: BuildResult) -> str:
    if r.status == "built":
        return f"built {_path(r.output)} ({plural(r.pages, 'page')}, {plural(r.bytes, 'byte')})"
    if r.status == "skipped":
        return f"up to date: {_path(r.output)} ({plural(r.pages, 'page')})"
    if r.status == "stale":
        return (
            f"stale: {_path(r.output)} was made from {_path(r.source)}, which is gone, retired "
            "or now makes another PDF (build with --clean to remove it)"
        )
    if r.status == "removed":
        return f"removed stale {_path(r.output)}"
    if r.status == "retired":
        return "retired: not built (status: retired)"
    return "not built"


def _path(path: Path | None) -> str:
    return display_path(path) if path else ""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
