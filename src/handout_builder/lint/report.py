"""A ``LintReport`` written out for people, for programs (JSON) and for code scanning (SARIF).

Takes the ``LintReport`` of ``lint.engine.check_handouts``; gives text. ``human`` gives lines of
``file:line:column: field.path: message [severity RULE-ID]`` (the brand's first), then each
handout's PEMAT summary and the count line, coloured by the caller's ``style`` if it likes;
``to_json`` gives one JSON document in the builder's envelope (``output.json_document``);
``to_sarif`` gives a SARIF 2.1.0 log whose artifact locations are relative to the repository root
(the nearest folder upward with ``.git``), so GitHub code scanning shows each finding on its line
of the YAML. The rules' help travels inside the log, since the documentation is in the package
(``handout docs checks``) rather than at an address on the web.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from handout_builder._version import __version__
from handout_builder.lint.engine import RULES, SCHEMA, Finding, HandoutReport, LintReport, Pemat
from handout_builder.lint.pemat import NOT_MET, PERSON
from handout_builder.output import json_document, json_text, plural

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
Style = Callable[[str, str], str]


def plain(text: str, role: str) -> str:
    """No colour."""
    return text


def counts(report: LintReport) -> tuple[int, int]:
    """(errors, warnings) over the whole report."""
    found = report.findings()
    errors = sum(f.severity == "error" for f in found)
    return errors, len(found) - errors


def human(
    report: LintReport, *, pemat_items: bool = False, style: Style = plain
) -> tuple[list[str], list[str]]:
    """(finding lines, summary lines) for a terminal or a log: every finding, the brand's first;
    then each handout's PEMAT summary and the count line."""
    lines = [finding_line(f, style) for f in report.findings()]
    summary = []
    for r in report.results:
        if r.pemat is None:
            continue
        summary.append(f"{_name(r)}: {r.pemat.summary()}")
        for item in r.pemat.items:
            if pemat_items or item.verdict == NOT_MET:
                summary.append(f"  {item.number:>2}. {item.verdict:<7}  {item.text} ({item.why})")
    summary.append(count_line(report, style))
    return lines, summary


def finding_line(f: Finding, style: Style = plain) -> str:
    """``file:line:column: field.path: message [severity RULE-ID]``, as ``str(f)``, styled."""
    p = f.problem
    where = p.file if p.line == 0 else f"{p.file}:{p.line}:{p.column}"
    text = f"{style(where, 'path')}: " + (f"{p.path}: " if p.path else "") + p.message
    if f.rule == SCHEMA.id:
        return text
    return f"{text} [{style(f.severity, f.severity)} {style(f.rule, 'rule')}]"


def count_line(report: LintReport, style: Style = plain) -> str:
    """``2 handouts checked: 1 ok, 1 with errors (1 error, 1 warning)``, and what the brand
    has when it has findings."""
    bad = sum(r.failed for r in report.results)
    ok = len(report.results) - bad
    errors, warnings = counts(report)
    shown_ok = style(f"{ok} ok", "ok") if ok else "0 ok"
    shown_bad = style(f"{bad} with errors", "error") if bad else "0 with errors"
    text = f"{plural(len(report.results), 'handout')} checked: {shown_ok}, {shown_bad}"
    if report.brand_findings:
        brand_errors = sum(f.severity == "error" for f in report.brand_findings)
        brand_warnings = len(report.brand_findings) - brand_errors
        has = [plural(n, w) for n, w in ((brand_errors, "error"), (brand_warnings, "warning")) if n]
        text += f"; brand {report.brand} has {' and '.join(has)}"
    total = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    return f"{text} ({total}{' in all' if report.brand_findings else ''})"


def to_json(report: LintReport) -> str:
    errors, warnings = counts(report)
    bad = sum(r.failed for r in report.results)
    doc = json_document(
        brand={"file": report.brand, "findings": [_finding(f) for f in report.brand_findings]},
        handouts=[
            {
                "file": _name(r),
                "id": r.handout.id if r.handout else None,
                "ok": not r.failed,
                "findings": [_finding(f) for f in r.findings],
                "pemat": _pemat(r.pemat) if r.pemat else None,
            }
            for r in report.results
        ],
        summary={
            "handouts": len(report.results),
            "ok": len(report.results) - bad,
            "with_errors": bad,
            "errors": errors,
            "warnings": warnings,
            "failed": report.failed,
        },
    )
    return json_text(doc)


def to_sarif(report: LintReport, root: Path | None = None) -> str:
    root = (root or repository_root()).resolve()
    rule_ids = list(RULES)
    results = [_sarif_result(f, rule_ids, root) for f in report.findings()]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "handout-builder",
                "version": __version__,
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
        "fullDescription": {"text": rule.summary},
        "help": {
            "text": f"{rule.fix} (All rules: run 'handout docs checks'.)",
            "markdown": f"{rule.fix}\n\nAll rules and settings: run `handout docs checks`.",
        },
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
