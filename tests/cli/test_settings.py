"""Settings files on the command line: found upward from each source as ruff finds them, build
options set there (paths relative to the file), the command line always winning, and every
mistake placed on its line."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from fixtures import pdf_text, reader, run_cli, write_handout
from handout_builder.cli import main
from handout_builder.source.settings import COMMAND_OPTIONS, find_settings, group_sources

LONG = "OVERVIEW-MARK plain paragraph. " + "A rather long sentence follows here " * 3 + "end."


def _page_width(pdf: Path) -> float:
    return float(reader(pdf).pages[0].mediabox.width)


def test_build_takes_out_paper_and_strict_from_the_settings_file(tmp_path: Path) -> None:
    (tmp_path / "handout.toml").write_text('out = "pdf"\npaper = "a4"\njobs = 1\n')
    write_handout(tmp_path / "handouts", "one.yaml", id="one-topic")
    done = run_cli("build", cwd=tmp_path)
    assert done.exit_code == 0, done.output
    pdf = tmp_path / "pdf" / "one-topic.pdf"
    assert _page_width(pdf) == pytest.approx(595.28, abs=0.5)  # A4
    assert not (tmp_path / "dist").exists()


def test_the_command_line_wins(tmp_path: Path) -> None:
    (tmp_path / "handout.toml").write_text('out = "pdf"\npaper = "a4"\nstrict = true\n')
    write_handout(tmp_path / "handouts", "one.yaml", id="one-topic", review_due="2099-01-01")
    done = run_cli("build", "-o", "elsewhere", "--paper", "letter", "--no-strict", cwd=tmp_path)
    assert done.exit_code == 0, done.output
    assert _page_width(tmp_path / "elsewhere" / "one-topic.pdf") == pytest.approx(612, abs=0.5)
    assert not (tmp_path / "pdf").exists()


def test_strict_from_the_settings_file_fails_a_handout_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "handout.toml").write_text("strict = true\n")
    write_handout(
        tmp_path / "handouts",
        "soon.yaml",
        id="soon-topic",
        last_reviewed="2020-01-01",
        review_due=_in_days(5),
    )
    assert run_cli("build", cwd=tmp_path).exit_code == 1
    assert run_cli("build", "--no-strict", cwd=tmp_path).exit_code == 0


def _in_days(days: int) -> str:
    import datetime as dt

    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def test_paths_in_settings_are_relative_to_the_settings_file(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "clinic").mkdir(parents=True)
    (project / "clinic" / "brand.yaml").write_text("organisation: Riverside Test Clinic\n")
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.handout]\nout = "build/pdf"\nbrand = "clinic/brand.yaml"\n'
    )
    write_handout(project / "handouts", "one.yaml", id="one-topic")
    done = run_cli("build", "project/handouts", cwd=tmp_path)  # from outside the project
    assert done.exit_code == 0, done.output
    pdf = project / "build" / "pdf" / "one-topic.pdf"
    assert "Riverside Test Clinic" in pdf_text(pdf)


def test_each_project_is_built_with_its_own_settings(tmp_path: Path) -> None:
    for name, paper in (("a", "a4"), ("b", "letter")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "handout.toml").write_text(f'out = "out"\npaper = "{paper}"\n')
        write_handout(tmp_path / name / "handouts", "one.yaml", id=f"topic-{name}")
    done = run_cli("build", "a/handouts", "b/handouts", "-j", "1", cwd=tmp_path)
    assert done.exit_code == 0, done.output
    assert _page_width(tmp_path / "a" / "out" / "topic-a.pdf") == pytest.approx(595.28, abs=0.5)
    assert _page_width(tmp_path / "b" / "out" / "topic-b.pdf") == pytest.approx(612, abs=0.5)
    assert done.stdout.splitlines()[-1].startswith("2 built, 0 failed (2 handouts in ")


def test_projects_that_would_share_an_output_folder_with_different_settings_are_refused(
    tmp_path: Path,
) -> None:
    for name, paper in (("a", "a4"), ("b", "letter")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "handout.toml").write_text(f'paper = "{paper}"\n')
        write_handout(tmp_path / name, "one.yaml", id=f"topic-{name}")
    done = run_cli("build", "a", "b", "-o", "shared", cwd=tmp_path)
    assert done.exit_code == 2
    assert "a and b have different settings but would both write to shared" in done.stderr
    assert not (tmp_path / "shared").exists()


def test_check_uses_the_rules_found_upward_from_each_file(tmp_path: Path) -> None:
    for name, words in (("strict", 5), ("lenient", 100)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "handout.toml").write_text(f"max_sentence_words = {words}\n")
        write_handout(tmp_path / name, "one.yaml", id=f"topic-{name}", overview=[LONG])
    done = run_cli("check", "strict/one.yaml", "lenient/one.yaml", "--format", "json", cwd=tmp_path)
    found = {
        h["file"]: {f["rule"] for f in h["findings"]} for h in json.loads(done.stdout)["handouts"]
    }
    assert "HB-READ-003" in found["strict/one.yaml"]
    assert "HB-READ-003" not in found["lenient/one.yaml"]


def test_settings_are_found_from_the_file_not_the_working_folder(tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "handout.toml").write_text("reading_grade = 7\n")
    write_handout(tmp_path / "project" / "handouts", "one.yaml")
    assert find_settings(tmp_path / "project" / "handouts" / "one.yaml") == (
        tmp_path / "project" / "handout.toml"
    )
    [(settings, members)] = group_sources([tmp_path / "project" / "handouts" / "one.yaml"])
    assert settings is not None and settings.values == {"reading_grade": 7}
    assert members == [tmp_path / "project" / "handouts" / "one.yaml"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("jobs = 0\n", "handout.toml:1:1: jobs: 0 is not in the range x>=1."),
        ("workers = 0\n", "handout.toml:1:1: workers: 0 is not in the range x>=1."),
        (
            '\n  paper = "legal"\n',
            "handout.toml:2:3: paper: 'legal' is not one of 'letter', 'a4'.",
        ),
        ("outt = 'x'\n", "handout.toml:1:1: outt: no such setting; did you mean 'out'?"),
        ("jobs = [\n", "handout.toml:2:1: cannot read settings: Invalid value\n"),
        ("jobs = 2 3\n", "handout.toml:1:10: cannot read settings: Expected newline"),
    ],
)
def test_a_mistake_in_the_settings_names_file_line_and_setting(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "handout.toml").write_text(text)
    write_handout(tmp_path / "handouts", "one.yaml")
    for command in ("build", "check", "list"):
        done = run_cli(command, cwd=tmp_path)
        assert done.exit_code == 1, (command, done.output)
        assert done.stderr.startswith(message), (command, done.stderr)
        assert "Traceback" not in done.stderr


def test_a_rule_that_does_not_exist_is_placed_on_its_line(tmp_path: Path) -> None:
    (tmp_path / "handout.toml").write_text("[rules]\nHB-NOPE-1 = 'off'\n")
    write_handout(tmp_path / "handouts", "one.yaml")
    done = run_cli("check", cwd=tmp_path)
    assert done.exit_code == 1
    assert done.stderr.startswith("handout.toml:2:1: rules.HB-NOPE-1: no such rule")


def test_a_mistake_in_tool_handout_is_placed_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.handout]\nreading_grade = 8\njobs = "many"\n'
    )
    write_handout(tmp_path / "handouts", "one.yaml")
    done = run_cli("build", cwd=tmp_path)
    assert done.exit_code == 1
    assert done.stderr.startswith("pyproject.toml:6:1: tool.handout.jobs: ")


def test_an_explicit_config_is_used_for_every_source(tmp_path: Path) -> None:
    (tmp_path / "handout.toml").write_text("max_sentence_words = 100\n")
    (tmp_path / "ci.toml").write_text("max_sentence_words = 5\n")
    write_handout(tmp_path / "handouts", "one.yaml", overview=[LONG])
    plain = run_cli("check", "--format", "json", cwd=tmp_path).stdout
    strict = run_cli("check", "--config", "ci.toml", "--format", "json", cwd=tmp_path).stdout
    assert "HB-READ-003" not in plain and "HB-READ-003" in strict


# --- the table of settings and options ---------------------------------------------------------


def test_every_setting_gives_an_option_its_default() -> None:
    params = {p.name: p for command in main.commands.values() for p in command.params}
    for setting, name in COMMAND_OPTIONS.items():
        assert name in params, f"{setting} names no option"
        param = params[name]
        if isinstance(param, click.Option) and param.is_flag:
            assert param.secondary_opts, f"--{name} needs a --no- form to undo the setting"


# Options of one run rather than of a project: they are never taken from a settings file.
ONE_RUN = {"sources", "force", "clean", "json_path", "junit_path", "config_path"}


def test_every_build_option_can_be_set_in_a_settings_file() -> None:
    """A new build option (--release, --layout, --max-pages...) needs its line in
    COMMAND_OPTIONS, or this fails."""
    build = main.commands["build"]
    options = {p.name for p in build.params if p.expose_value} - ONE_RUN
    assert options <= set(COMMAND_OPTIONS.values())
