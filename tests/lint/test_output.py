"""``handout check`` output: human lines and exit codes, JSON, and SARIF 2.1.0 that validates
against the official schema (tests/data/sarif-schema-2.1.0.json) with paths that GitHub code
scanning can place on the lines of the YAML."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import Result

from fixtures import DATA, run_cli

CASES = Path(__file__).parent / "cases"
SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
# Not jsonschema.validate(): it checks the schema first, and the official schema's run.language
# pattern is not a Python regex (see tests/data/sarif-schema-2.1.0.NOTICE.md).
SARIF = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git-less project: handouts/ with one handout that has an error and a warning."""
    (tmp_path / ".git").mkdir()  # marks the repository root for SARIF paths
    handouts = tmp_path / "handouts"
    handouts.mkdir()
    text = (CASES / "reviewer-missing" / "fail.yaml").read_text()
    text = text.replace(
        "Ibuprofen eases pain and swelling.",
        "Ibuprofen eases pain and swelling. Avoid it with hypertension.",
    )
    (handouts / "knee.yaml").write_text(text)
    ok = (CASES / "jargon" / "pass.yaml").read_text()
    (handouts / "ok.yaml").write_text(ok.replace("id: knee-pain-basics", "id: knee-pain-ok"))
    (tmp_path / "handout.toml").write_text("review_warning_days = 0\n")
    return tmp_path


def run(project: Path, *args: str) -> Result:
    return run_cli("check", *args, cwd=project)


def test_human_output_names_place_severity_rule_and_fix(project: Path) -> None:
    done = run(project)
    assert done.exit_code == 1
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[:2] == [
        "handouts/knee.yaml:8:14: reviewed_by: 'TBD' does not name a reviewer:"
        " write the name and role of the clinician who checked the facts [error HB-GOV-003]",
        "handouts/knee.yaml:23:9: medications[0].used_for[0]: "
        '"hypertension" is medical jargon: say "high blood pressure" instead, or explain it in '
        "the glossary [warning HB-JARGON-001]",
    ]
    assert (
        "handouts/ok.yaml: PEMAT-P, items a program can judge: 14 of 14 met; 7 items need a "
        "human rater: 2, 7, 10, 15, 23, 24, 26" in done.stdout
    )
    assert (
        done.stdout.splitlines()[-1]
        == "2 handouts checked: 1 ok, 1 with errors (1 error, 1 warning)"
    )


def test_warnings_alone_do_not_fail(project: Path) -> None:
    knee = project / "handouts" / "knee.yaml"
    knee.write_text(knee.read_text().replace("reviewed_by: TBD", "reviewed_by: Dr Lee, GP"))
    done = run(project)
    assert done.exit_code == 0, done.output
    assert "[warning HB-JARGON-001]" in done.stdout


def test_json_output(project: Path) -> None:
    done = run(project, "--format", "json")
    assert done.exit_code == 1
    doc = json.loads(done.stdout)
    assert doc["version"] == 1 and doc["builder"].startswith("handout-builder ")
    assert doc["summary"] == {
        "handouts": 2,
        "ok": 1,
        "with_errors": 1,
        "errors": 1,
        "warnings": 1,
        "failed": True,
    }
    knee = next(h for h in doc["handouts"] if h["file"] == "handouts/knee.yaml")
    assert knee["ok"] is False
    assert [(f["rule"], f["name"], f["line"], f["column"]) for f in knee["findings"]] == [
        ("HB-GOV-003", "reviewer-missing", 8, 14),
        ("HB-JARGON-001", "jargon", 23, 9),
    ]
    items = knee["pemat"]["items"]
    assert {i["verdict"] for i in items} <= {"met", "not met", "n/a", "person"}
    assert knee["pemat"]["met"] == sum(i["verdict"] == "met" for i in items)
    person = [i["number"] for i in items if i["verdict"] == "person"]
    assert knee["pemat"]["items_for_a_person"] == person
    assert knee["pemat"]["summary"] == (
        f"PEMAT-P, items a program can judge: {knee['pemat']['met']} of "
        f"{knee['pemat']['judged']} met; {len(person)} items need a human rater: "
        + ", ".join(map(str, person))
    )


def test_sarif_output_validates_against_the_sarif_2_1_0_schema(project: Path) -> None:
    done = run(project, "--format", "sarif")
    assert done.exit_code == 1
    log = json.loads(done.stdout)
    SARIF.validate(log)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    results = run_["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("HB-GOV-003", "error"),
        ("HB-JARGON-001", "warning"),
    ]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        where = result["locations"][0]["physicalLocation"]
        assert where["artifactLocation"] == {"uri": "handouts/knee.yaml", "uriBaseId": "%SRCROOT%"}
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 8,
        "startColumn": 14,
    }
    pemat = run_["properties"]["pemat"]["handouts/knee.yaml"]
    assert pemat["summary"].startswith("PEMAT-P, items a program can judge: ")
    assert "need a human rater: 2, 7, 10" in pemat["summary"]


def test_sarif_of_an_invalid_handout_still_validates(project: Path) -> None:
    (project / "handouts" / "broken.yaml").write_text("schema: 1\nid: [oops\n")
    log = json.loads(run(project, "--format", "sarif").stdout)
    SARIF.validate(log)
    assert "HB-SCHEMA-001" in {r["ruleId"] for r in log["runs"][0]["results"]}


def test_a_bad_brand_colour_is_reported_on_the_brand_file(project: Path) -> None:
    (project / "handouts" / "brand.yaml").write_text(
        'organisation: Test\ncolours:\n  primary: "#8FB3D9"\n'
    )
    done = run(project, "--format", "sarif")
    log = json.loads(done.stdout)
    contrast = [r for r in log["runs"][0]["results"] if r["ruleId"] == "HB-DESIGN-001"]
    assert len(contrast) == 1
    where = contrast[0]["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == "handouts/brand.yaml"
    assert where["region"] == {"startLine": 3, "startColumn": 12}


def test_a_bad_settings_file_fails_cleanly(project: Path) -> None:
    (project / "handout.toml").write_text("reading_grade = 'x'\n")
    done = run(project)
    assert done.exit_code == 1
    assert done.stderr.startswith("handout.toml:1:1: reading_grade:")
    assert "Traceback" not in done.stderr
