"""The command line beside the tools CI engineers use: the pre-commit hook, shell completion, the
documentation from an installed package, `bundle` taking its sources as the other commands do and
never replacing a packet without --force, topic suggestions, and the build summary's figures."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shlex
import stat
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from fixtures import (
    AMI,
    KNEE,
    REPO,
    library_data,
    pdf_pages,
    run_cli,
    write_handout,
    write_library,
)
from handout_builder import manual
from handout_builder.batch.progress import BuildProgress, summary
from handout_builder.cli import _is_source, main
from handout_builder.output import duration, rate
from handout_builder.pipeline import BuildResult
from handout_builder.source.files import is_handout
from handout_builder.source.starter import starter_text

# --- the pre-commit hook -----------------------------------------------------------------------

HOOK = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[0]


def _hook_files(files: list[str]) -> list[str]:
    """The files pre-commit passes the hook: those its `files` matches and `exclude` does not."""
    return [f for f in files if re.search(HOOK["files"], f) and not re.search(HOOK["exclude"], f)]


def _run_hook(project: Path, files: list[str]) -> object:
    entry = shlex.split(HOOK["entry"])
    assert entry[0] == "handout"
    return run_cli(*entry[1:], *_hook_files(files), cwd=project)


def _repository(tmp_path: Path) -> Path:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text(
        "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
    )
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: Clinic\n")
    write_handout(tmp_path / "handouts", "one.yaml", id="one-topic")
    (tmp_path / "handouts" / "brand.yaml").write_text("organisation: Test Clinic\n")
    return tmp_path


def test_the_hook_checks_only_handouts(tmp_path: Path) -> None:
    project = _repository(tmp_path)
    files = [
        ".github/workflows/ci.yml",
        ".pre-commit-config.yaml",
        "mkdocs.yml",
        "handouts/one.yaml",
        "handouts/brand.yaml",
        "README.md",
    ]
    done = _run_hook(project, files)
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[-1].startswith("1 handout checked: 1 ok")


def test_the_hook_still_fails_a_broken_handout(tmp_path: Path) -> None:
    project = _repository(tmp_path)
    (project / "handouts" / "two.yaml").write_text("schema: 1\nid: [oops\n")
    done = _run_hook(project, [".github/workflows/ci.yml", "handouts/two.yaml"])
    assert done.exit_code == 1
    assert "handouts/two.yaml:2:5: YAML syntax error" in done.stdout


def test_a_commit_without_handouts_passes(tmp_path: Path) -> None:
    project = _repository(tmp_path)
    done = _run_hook(project, [".github/workflows/ci.yml", "mkdocs.yml"])
    assert done.exit_code == 0, done.output
    assert "one-topic" not in done.stdout  # handouts/ was not checked in their place


def test_what_counts_as_a_handout(tmp_path: Path) -> None:
    cases = {
        "handout.yaml": "# comment\nschema: 1\nid: x\n",
        "quoted.yaml": '"schema": 1\n',
        "broken.yaml": "schema: 1\nid: [oops\n",
        "workflow.yml": "name: ci\njobs:\n  a:\n    schema: nested\n",
        "empty.yaml": "",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
    assert {n for n in cases if is_handout(tmp_path / n)} == {
        "handout.yaml",
        "quoted.yaml",
        "broken.yaml",
    }
    assert is_handout(tmp_path / "missing.yaml")  # cannot be read: let check say why
    (tmp_path / "starter.yaml").write_text(starter_text("x-y-z", dt.date.today()))
    assert is_handout(tmp_path / "starter.yaml")  # what 'handout new' writes


# --- shell completion --------------------------------------------------------------------------

CLI_DOCS = (REPO / "docs" / "cli.md").read_text()


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "complete -o nosort -F"), ("zsh", "compdef"), ("fish", "complete --no-files")],
)
def test_completion_scripts_for_bash_zsh_and_fish_as_documented(shell: str, marker: str) -> None:
    assert f"_HANDOUT_COMPLETE={shell}_source handout" in CLI_DOCS
    done = CliRunner().invoke(
        main, [], prog_name="handout", env={"_HANDOUT_COMPLETE": f"{shell}_source"}
    )
    assert done.exit_code == 0
    assert marker in done.output and "_HANDOUT_COMPLETE" in done.output


def test_completion_completes_commands_and_choices() -> None:
    def complete(words: str) -> list[str]:
        env = {
            "_HANDOUT_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        done = CliRunner().invoke(main, [], prog_name="handout", env=env)
        return [line.split(",", 1)[1] for line in done.output.splitlines()]

    assert complete("handout bu") == ["build", "bundle"]
    assert complete("handout check --format ") == ["human", "json", "sarif"]


# --- documentation from an installed package ---------------------------------------------------


def test_docs_lists_and_prints_the_pages() -> None:
    listed = run_cli("docs").stdout
    for name in ("checks", "cli", "format", "ci", "front-desk", "accessibility"):
        assert re.search(rf"^{name} +\S", listed, re.MULTILINE), name
    page = run_cli("docs", "checks")
    assert page.exit_code == 0
    assert page.stdout.startswith("# Checks: plain language, safety, governance and design")
    assert "HB-JARGON-001" in page.stdout
    unknown = run_cli("docs", "chekcs")
    assert unknown.exit_code == 2 and "did you mean checks?" in unknown.stderr


def test_every_page_ships_in_the_wheel() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    shipped = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    pages = {f"docs/{p.name}" for p in (REPO / "docs").glob("*.md")}
    assert {k for k in shipped if k.startswith("docs/")} == pages
    assert all(shipped[p] == f"handout_builder/{p}" for p in pages)
    assert set(manual.pages()) == {p.removeprefix("docs/").removesuffix(".md") for p in pages}


def test_what_users_read_points_at_handout_docs_not_at_repository_files() -> None:
    texts = [run_cli(c, "--help").stdout for c in [*main.commands, ""] if c] + [
        run_cli("--help").stdout,
        starter_text("x-y-z", dt.date(2026, 1, 1)),
        run_cli("schema").stdout,
        run_cli("schema", "--brand").stdout,
    ]
    for text in texts:
        assert not re.search(r"docs/\w+\.md", text), text[:200]
    assert "handout docs format" in texts[-3]


def test_sarif_points_at_no_placeholder_address(tmp_path: Path) -> None:
    write_handout(tmp_path / "handouts", "one.yaml", reviewed_by="TBD")
    text = run_cli("check", "--format", "sarif", cwd=tmp_path).stdout
    assert "<owner>" not in text and "github.com/handout-builder" not in text
    driver = json.loads(text)["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver
    for rule in driver["rules"]:
        assert "helpUri" not in rule
        assert "handout docs checks" in rule["help"]["text"]


# --- bundle ------------------------------------------------------------------------------------


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "lib", {k: v for k, v in library_data().items() if k != AMI})


@pytest.fixture
def full_library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "lib")


def test_bundle_takes_its_sources_as_arguments(library: Path, tmp_path: Path) -> None:
    done = run_cli("bundle", "lib", KNEE, "-o", "packet.pdf", cwd=tmp_path)
    assert done.exit_code == 0, done.output
    wrote, *warnings = done.stdout.splitlines()
    assert wrote == "wrote packet.pdf (2 pages: cover and 1 handout)"
    assert all(w.startswith("warning: lib/knee-pain-basics.yaml:") for w in warnings)
    assert "Knee pain basics" in pdf_pages((tmp_path / "packet.pdf").read_bytes())[0]


def test_bundle_from_is_a_deprecated_alias(library: Path, tmp_path: Path) -> None:
    done = run_cli("bundle", KNEE, "-o", "packet.pdf", "--from", "lib", cwd=tmp_path)
    assert done.exit_code == 0, done.output
    assert "--from is deprecated" in done.stderr
    assert (tmp_path / "packet.pdf").is_file()


def test_bundle_never_replaces_a_packet_without_force(library: Path, tmp_path: Path) -> None:
    target = tmp_path / "packet.pdf"
    target.write_bytes(b"Ann Lee's packet")
    done = run_cli("bundle", "lib", KNEE, "-o", "packet.pdf", "--patient", "Bo Chen", cwd=tmp_path)
    assert done.exit_code == 1
    assert "packet.pdf already exists and may hold another patient's details" in done.stderr
    assert "--force" in done.stderr
    assert target.read_bytes() == b"Ann Lee's packet"
    forced = run_cli("bundle", "lib", KNEE, "-o", "packet.pdf", "--force", cwd=tmp_path)
    assert forced.exit_code == 0, forced.output
    assert target.read_bytes().startswith(b"%PDF")


def test_a_packet_is_readable_by_its_owner_only(library: Path, tmp_path: Path) -> None:
    run_cli("bundle", "lib", KNEE, "-o", "packet.pdf", "--patient", "Ann Lee", cwd=tmp_path)
    mode = stat.S_IMODE(os.stat(tmp_path / "packet.pdf").st_mode)
    assert mode == 0o600


def test_an_unknown_id_gets_topics_suggested_by_other_names(
    full_library: Path, tmp_path: Path
) -> None:
    done = run_cli("bundle", "lib", "elavil", "-o", "packet.pdf", cwd=tmp_path)
    assert done.exit_code == 2
    assert (
        f"There is no topic with the id 'elavil'; did you mean '{AMI}' "
        "(Amitriptyline for spinal stenosis)?" in done.stderr
    )
    typo = run_cli("bundle", "lib", "knee-pain-basic", "-o", "p.pdf", cwd=tmp_path).stderr
    assert f"did you mean '{KNEE}' (Knee pain basics)?" in typo
    by_title = run_cli("bundle", "lib", "sciatica", "-o", "p.pdf", cwd=tmp_path).stderr
    assert "'living-with-sciatica' (Living with sciatica)" in by_title
    nothing = run_cli("bundle", "lib", "zzzz-qqqq", "-o", "p.pdf", cwd=tmp_path).stderr
    assert "There is no topic with the id 'zzzz-qqqq'.\n" in nothing
    assert not list(tmp_path.glob("*.pdf"))


def test_bundle_takes_brand_and_paper_from_the_settings(library: Path, tmp_path: Path) -> None:
    (tmp_path / "handout.toml").write_text('paper = "a4"\n')
    assert run_cli("bundle", "lib", KNEE, "-o", "packet.pdf", cwd=tmp_path).exit_code == 0
    width = float(PdfReader(tmp_path / "packet.pdf").pages[0].mediabox.width)
    assert width == pytest.approx(595.28, abs=0.5)


def test_an_argument_is_a_source_when_it_is_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "lib").mkdir()
    monkeypatch.chdir(tmp_path)
    assert _is_source("lib") and _is_source("other/handouts") and _is_source("x.yaml")
    assert not _is_source(KNEE) and not _is_source("elavil")


# --- the build summary -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0.0412, "41 ms"), (1.27, "1.3 s"), (9.96, "10.0 s"), (42.4, "42 s"), (185, "3 min 05 s")],
)
def test_durations_have_the_precision_a_person_can_use(seconds: float, shown: str) -> None:
    assert duration(seconds) == shown


@pytest.mark.parametrize(
    ("count", "seconds", "shown"),
    [(1, 1.3, None), (2, 1.3, "1.5/s"), (40, 1.3, "31/s"), (3, 7.0, "0.43/s"), (5, 0, None)],
)
def test_rates_have_two_significant_figures(count: int, seconds: float, shown: str | None) -> None:
    assert rate(count, seconds) == shown


def test_the_summary_line(tmp_path: Path) -> None:
    results = [BuildResult(tmp_path / f"{n}.yaml", "built", pages=1) for n in range(2)]
    assert summary(results, 1.3) == "2 built, 0 failed (2 handouts in 1.3 s, 1.5/s)"
    assert summary(results[:1], 0.4) == "1 built, 0 failed (1 handout in 400 ms)"


def test_the_bar_is_drawn_before_the_first_handout_is_done() -> None:
    out, err = io.StringIO(), io.StringIO()
    bar = BuildProgress(out, err, "bar")
    bar.begin(3)
    assert "[------------------------] 0/3  0 built, 0 up to date, 0 failed" in err.getvalue()
    assert out.getvalue() == ""
