"""A ``LintReport`` written out for people, for programs (JSON) and for code scanning (SARIF).

Takes the ``LintReport`` of ``lint.engine.check_handouts``; gives text. ``human`` gives lines of
``file:line:column: severity RULE-ID: field.path: message`` and each handout's PEMAT summary;
``to_json`` gives one JSON document; ``to_sarif`` gives a SARIF 2.1.0 log whose artifact
locations are relative to the repository root (the nearest folder upward with ``.git``), so
GitHub code scanning shows each finding on its line of the YAML.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from handout_builder._version import __version__
from handout_builder.lint.engine import RULES, Finding, HandoutReport, LintReport, Pemat
from handout_builder.lint.pemat import NOT_MET, PERSON

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/handout-builder/handout-builder/blob/main/docs/checks.md"


def counts(report: LintReport) -> tuple[int, int]:
    """(errors, warnings) over the whole report."""
    found = report.findings()
    errors = sum(f.severity == "error" for f in found)
    return errors, len(found) - errors


def human(report: LintReport, *, pemat_items: bool = False) -> tuple[list[str], list[str]]:
    """(finding lines, summary lines) for a terminal."""
    lines = [str(f) for f in report.findings()]
    summary = []
    for r in report.results:
        if r.pemat is None:
            continue
        summary.append(f"{_name(r)}: {r.pemat.summary()}")
        for item in r.pemat.items:
            if pemat_items or item.verdict == NOT_MET:
                summary.append(f"  {item.number:>2}. {item.verdict:<7}  {item.text} ({item.why})")
    return lines, summary


def to_json(report: LintReport) -> str:
    errors, warnings = counts(report)
    doc = {
        "version": 1,
        "brand": {"file": report.brand, "findings": [_finding(f) for f in report.brand_findings]},
        "handouts": [
            {
                "file": _name(r),
                "id": r.handout.id if r.handout else None,
                "ok": not any(f.severity == "error" for f in r.findings),
                "findings": [_finding(f) for f in r.findings],
                "pemat": _pemat(r.pemat) if r.pemat else None,
            }
            for r in report.results
        ],
        "summary": {"handouts": len(report.results), "errors": errors, "warnings": warnings},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def to_sarif(report: LintReport, root: Path | None = None) -> str:
    root = (root or repository_root()).resolve()
    rule_ids = list(RULES)
    results = [_sarif_result(f, rule_ids, root) for f in report.findings()]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "handout-builder",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_sarif_rule(RULES[i]) for i in rule_ids],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "pemat": {
                _uri(r.source, root)[0]: _pemat(r.pemat, items=False)
                for r in report.results
                if r.pemat
            }
        },
    }
    return json.dumps(
        {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False
    )


def repository_root(start: Path | None = None) -> Path:
    """The nearest folder upward holding ``.git``; the working folder if there is none."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def _name(r: HandoutReport) -> str:
    from handout_builder.errors import display_path

    return display_path(r.source)


def _finding(f: Finding) -> dict[str, Any]:
    p = f.problem
    return {
        "rule": f.rule,
        "name": RULES[f.rule].name,
        "severity": f.severity,
        "file": p.file,
        "line": p.line,
        "column": p.column,
        "path": p.path,
        "message": p.message,
    }


def _pemat(p: Pemat, *, items: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "summary": p.summary(),
        "score": None if p.score is None else round(p.score, 3),
        "met": p.met,
        "judged": p.judged,
        "for_a_person": sum(i.verdict == PERSON for i in p.items),
        "items_for_a_person": p.for_a_person,
    }
    if items:
        out["items"] = [
            {"number": i.number, "area": i.area, "item": i.text, "verdict": i.verdict, "why": i.why}
            for i in p.items
        ]
    return out


def _sarif_rule(rule: Any) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "help": {"text": rule.fix},
        "helpUri": f"{INFORMATION_URI}#{rule.id.lower()}",
        "defaultConfiguration": {"level": rule.severity},
        "properties": {"tags": [rule.family]},
    }


def _sarif_result(f: Finding, rule_ids: list[str], root: Path) -> dict[str, Any]:
    p = f.problem
    uri, relative = _uri(Path(p.file), root)
    artifact: dict[str, Any] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = "%SRCROOT%"
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": artifact}}
    if p.line > 0:
        location["physicalLocation"]["region"] = {
            "startLine": p.line,
            "startColumn": max(p.column, 1),
        }
    if p.path:
        location["logicalLocations"] = [{"fullyQualifiedName": p.path, "kind": "member"}]
    message = f"{p.path}: {p.message}" if p.path else p.message
    return {
        "ruleId": f.rule,
        "ruleIndex": rule_ids.index(f.rule),
        "level": f.severity,
        "message": {"text": message},
        "locations": [location],
    }


def _uri(path: Path, root: Path) -> tuple[str, bool]:
    """A file's URI relative to ``root`` (and True), or its absolute file URI (and False)."""
    full = path.resolve()
    try:
        return quote(full.relative_to(root).as_posix()), True
    except ValueError:
        return full.as_uri(), False
