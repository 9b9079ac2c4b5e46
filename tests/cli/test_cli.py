"""The command line: each command, its help, its output and its exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from fixtures import handout_data, write_handout
from handout_builder._version import __version__
from handout_builder.cli import main


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", ["build", "check", "list", "new", "schema"])
def test_every_command_has_help_with_examples(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output and f"handout {command}" in result.output


def test_bare_build_in_a_project_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_handout(tmp_path / "handouts", "one.yaml", id="one-topic")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dist" / "one-topic.pdf").is_file()
    assert "1 built, 0 failed" in result.stdout


def test_build_reports_failures_and_builds_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_handout(tmp_path / "h", "good.yaml", id="good-one")
    (tmp_path / "h" / "bad.yaml").write_text("schema: 1\nid: bad-one\n")
    result = run("build", "h", "-o", "out")
    assert result.exit_code == 1
    assert (tmp_path / "out" / "good-one.pdf").is_file()
    assert "h/bad.yaml:1:1: overview: field required" in result.stdout
    assert "1 built, 1 failed" in result.stdout
    assert result.stderr == ""


def test_build_missing_source_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert result.exit_code == 2
    assert "handouts: no such file or folder" in result.stderr


def test_duplicate_ids_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_handout(tmp_path, "a.yaml", id="same-id")
    write_handout(tmp_path, "b.yaml", id="same-id")
    result = run("check", ".")
    assert result.exit_code == 1
    assert "b.yaml:2:5: id: id 'same-id' is already used by a.yaml" in result.stdout


def test_list_filters_by_tag_and_prints_json(tmp_path: Path) -> None:
    write_handout(tmp_path, "a.yaml", id="alpha-one", tags=["back"])
    write_handout(tmp_path, "b.yaml", id="beta-two", tags=["knee"], language="es")
    rows = json.loads(run("list", str(tmp_path), "--tag", "knee", "--json").stdout)["handouts"]
    assert [(r["id"], r["language"], r["review_due"]) for r in rows] == [
        ("beta-two", "es", "2099-01-01")
    ]
    table = run("list", str(tmp_path)).stdout
    assert "alpha-one" in table and "beta-two" in table and "REVIEW DUE" in table


def test_new_writes_a_starter_that_passes_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("new", "knee-pain").exit_code == 0
    text = (tmp_path / "handouts" / "knee-pain.yaml").read_text()
    assert text.count("#") > 5  # commented
    assert "schema: 2\nstatus: draft " in text
    checked = run("check")
    assert checked.exit_code == 0
    # ... with a warning for each placeholder the starter holds, at its place
    placeholders = [ln for ln in checked.stdout.splitlines() if "[warning HB-GOV-009]" in ln]
    assert len(placeholders) == 12
    assert placeholders[0].startswith("handouts/knee-pain.yaml:11:11: subtitle: this is the ")
    assert placeholders[-1].startswith(
        "handouts/knee-pain.yaml:48:18: references[0].url: 'example.org' is an example address"
    )
    release = run("build", "--release")
    assert release.exit_code == 1 and not (tmp_path / "dist" / "knee-pain.pdf").exists()
    refused = run("approve", "knee-pain", "--by", "Jane Doe, MD")
    assert refused.exit_code == 1 and "[error HB-GOV-009]" in refused.stderr
    again = run("new", "knee-pain")
    assert again.exit_code == 1 and "already exists" in again.output
    assert run("new", "Bad Id").exit_code == 2


def test_schema_is_valid_json_schema_and_accepts_a_handout() -> None:
    schema = json.loads(run("schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    data = handout_data(overview=["text", {"bullets": ["a"]}])
    assert not list(validator.iter_errors(data))
    bad = handout_data(overview=[{"bulets": ["a"]}])
    assert list(validator.iter_errors(bad))
    assert not list(validator.iter_errors(handout_data(draft=True)))
    no_status = {k: v for k, v in handout_data(draft=True).items() if k != "status"}
    assert list(validator.iter_errors(no_status))  # schema 2 needs a status
    unsigned = {k: v for k, v in data.items() if k != "approval"}
    assert list(validator.iter_errors(unsigned))  # approved, but by whom?
    signed_draft = {**data, "status": "draft"}
    assert list(validator.iter_errors(signed_draft))  # a draft has no approval
    assert not list(validator.iter_errors({**no_status, "schema": 1}))


def test_brand_schema() -> None:
    schema = json.loads(run("schema", "--brand").stdout)
    assert "organisation" in schema["properties"]


def test_python_dash_m_and_console_script(tmp_path: Path) -> None:
    path = write_handout(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "handout_builder", "check", str(path)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "1 ok" in out.stdout


def test_starter_yaml_is_plain_yaml() -> None:
    from datetime import date

    from handout_builder.source.starter import starter_text

    data = yaml.safe_load(starter_text("x-y-z", date(2024, 2, 29)))
    assert str(data["review_due"]) == "2025-03-01"
