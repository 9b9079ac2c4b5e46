"""What the command line prints and where: findings and summaries on stdout in every format (the
tool's own errors alone on stderr), -q and -v on every command, colour on a terminal that honours
NO_COLOR and --color, counted nouns, one JSON envelope, and `list`'s table and exit status."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from fixtures import run_cli, write_handout
from handout_builder.cli import main

ANSI = re.compile(r"\x1b\[[0-9;]*m")
JARGON = "OVERVIEW-MARK plain paragraph. Tell us about your hypertension."


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """handouts/ with one good handout, one with a warning and one with an error."""
    handouts = tmp_path / "handouts"
    write_handout(handouts, "good.yaml", id="good-one")
    write_handout(handouts, "warned.yaml", id="warned-one", overview=[JARGON])
    write_handout(handouts, "wrong.yaml", id="wrong-one", reviewed_by="TBD")
    return tmp_path


# --- findings on stdout ------------------------------------------------------------------------


def test_check_prints_findings_then_summary_on_stdout_and_nothing_on_stderr(
    project: Path,
) -> None:
    done = run_cli("check", cwd=project)
    assert done.exit_code == 1
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0].startswith("handouts/warned.yaml:") and "[warning HB-JARGON-001]" in lines[0]
    assert lines[1].startswith("handouts/wrong.yaml:") and "[error HB-GOV-003]" in lines[1]
    assert lines[-1] == "3 handouts checked: 2 ok, 1 with errors (1 error, 1 warning)"


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_machine_formats_are_one_document_on_stdout(project: Path, fmt: str) -> None:
    done = run_cli("check", "--format", fmt, cwd=project)
    assert done.exit_code == 1 and done.stderr == ""
    document = json.loads(done.stdout)
    assert "HB-GOV-003" in json.dumps(document)


def test_brand_findings_come_first_and_are_counted(project: Path) -> None:
    for name in ("warned.yaml", "wrong.yaml"):
        (project / "handouts" / name).unlink()
    (project / "handouts" / "brand.yaml").write_text(
        'organisation: Test\ncolours:\n  primary: "#8FB3D9"\n'
    )
    done = run_cli("check", cwd=project)
    assert done.exit_code == 1 and done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0].startswith("handouts/brand.yaml:3:12: colours.primary:")
    assert lines[-1] == (
        "1 handout checked: 1 ok, 0 with errors; brand handouts/brand.yaml has 1 error "
        "(1 error, 0 warnings in all)"
    )


def test_a_brand_that_cannot_be_loaded_is_a_finding_and_the_handouts_are_still_checked(
    project: Path,
) -> None:
    (project / "handouts" / "brand.yaml").write_text("organisation: [Test\n")
    done = run_cli("check", "--format", "json", cwd=project)
    assert done.exit_code == 1 and done.stderr == ""
    document = json.loads(done.stdout)
    [finding] = document["brand"]["findings"]
    assert finding["file"] == "handouts/brand.yaml" and finding["rule"] == "HB-SCHEMA-001"
    assert [h["ok"] for h in document["handouts"]] == [True, True, False]


def test_build_failures_and_warnings_go_to_stdout(project: Path) -> None:
    (project / "handouts" / "broken.yaml").write_text("schema: 1\nid: broken-one\n")
    soon = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    write_handout(
        project / "handouts", "due.yaml", id="due-one", last_reviewed="2020-01-01", review_due=soon
    )
    done = run_cli("build", "-j", "1", cwd=project)
    assert done.exit_code == 1 and done.stderr == ""
    assert "failed handouts/broken.yaml\n  handouts/broken.yaml:1:1: " in done.stdout
    assert "handouts/broken.yaml:1:1: overview: field required" in done.stdout
    assert "warning: handouts/due.yaml:" in done.stdout and "is due in 10 days" in done.stdout
    assert "failed handouts/wrong.yaml" in done.stdout  # its checks find an error: not built
    assert done.stdout.splitlines()[-1].startswith("3 built, 2 failed (5 handouts in ")


# --- -q and -v ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_takes_quiet_verbose_and_color(command: str) -> None:
    shown = run_cli(command, "--help").stdout
    for option in ("-q, --quiet", "-v, --verbose", "--color, --colour [auto|always|never]"):
        assert option in shown


def test_a_command_added_later_gets_them_too() -> None:
    @click.command()
    def extra() -> None:
        """An extra command."""

    group = type(main)(name="handout")
    group.add_command(extra)
    assert {"--quiet", "--verbose", "--color"} <= {o for p in extra.params for o in p.opts}


def test_quiet_and_verbose_together_is_a_usage_error(project: Path) -> None:
    done = run_cli("check", "-q", "-v", cwd=project)
    assert done.exit_code == 2
    assert "-q/--quiet and -v/--verbose cannot be used together" in done.stderr


def test_quiet_check_prints_only_the_findings(project: Path) -> None:
    done = run_cli("check", "-q", cwd=project)
    assert done.exit_code == 1
    assert [line.split(":")[0] for line in done.stdout.splitlines()] == [
        "handouts/warned.yaml",
        "handouts/wrong.yaml",
    ]


def test_quiet_before_the_command_works_too(project: Path) -> None:
    assert run_cli("-q", "check", cwd=project).stdout == run_cli("check", "-q", cwd=project).stdout


def test_quiet_new_and_list(project: Path) -> None:
    assert run_cli("new", "quiet-topic", "-q", cwd=project).stdout == ""
    listed = run_cli("list", "-q", cwd=project).stdout.splitlines()  # no header
    assert [line.split()[0] for line in listed] == [
        "good-one",
        "quiet-topic",
        "warned-one",
        "wrong-one",
    ]


def test_verbose_says_which_settings_apply_on_stderr(project: Path) -> None:
    (project / "handout.toml").write_text("review_warning_days = 0\n")
    done = run_cli("check", "-v", "--format", "json", cwd=project)
    json.loads(done.stdout)  # stdout stays one JSON document
    assert "settings for the default sources: handout.toml" in done.stderr


# --- colour ------------------------------------------------------------------------------------


def _on_a_terminal(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    """What ``handout ARGS`` writes to standard output when that is a terminal."""
    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment.update({"TERM": "xterm", **(env or {})})
    with subprocess.Popen(
        [sys.executable, "-m", "handout_builder", *args],
        cwd=cwd,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=environment,
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed once the program has ended
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode()


def test_findings_are_coloured_on_a_terminal(project: Path) -> None:
    shown = _on_a_terminal("check", "handouts/wrong.yaml", cwd=project)
    assert "\x1b[31m\x1b[1merror\x1b[0m" in shown and "\x1b[1mhandouts/wrong.yaml:" in shown
    assert ANSI.sub("", shown).splitlines()[0].endswith("[error HB-GOV-003]")


@pytest.mark.parametrize(
    ("env", "args"),
    [({"NO_COLOR": "1"}, ()), ({}, ("--color", "never"))],
    ids=["NO_COLOR", "never"],
)
def test_no_colour_when_asked(project: Path, env: dict[str, str], args: tuple[str, ...]) -> None:
    shown = _on_a_terminal("check", "handouts/wrong.yaml", *args, cwd=project, env=env)
    assert "[error HB-GOV-003]" in shown and not ANSI.search(shown)


def test_colour_always_colours_a_pipe_too(project: Path) -> None:
    piped = run_cli("check", "handouts/wrong.yaml", "--color", "always", cwd=project).stdout
    plain = run_cli("check", "handouts/wrong.yaml", cwd=project).stdout
    assert ANSI.search(piped) and not ANSI.search(plain)
    assert ANSI.sub("", piped) == plain


# --- words -------------------------------------------------------------------------------------


def test_one_of_a_thing_is_singular(tmp_path: Path) -> None:
    write_handout(tmp_path / "handouts", "one.yaml", id="one-topic", overview=[JARGON])
    checked = run_cli("check", cwd=tmp_path).stdout.splitlines()[-1]
    assert checked == "1 handout checked: 1 ok, 0 with errors (0 errors, 1 warning)"
    built = run_cli("build", cwd=tmp_path).stdout.splitlines()
    assert "(1 page, " in next(ln for ln in built if ln.startswith("built"))
    assert re.fullmatch(r"1 built, 0 failed \(1 handout in (\d+ ms|\d\.\d s)\)", built[-1])
    pdf = run_cli("check", "--pdf", "dist", cwd=tmp_path).stdout
    assert pdf.splitlines()[-1] == "1 PDF checked: 1 ok, 0 with problems"


# Counted nouns written straight after a number the code computes ("{n} handouts"), in Python,
# JavaScript and the page template; a constant (``{MAX_TOPICS} topics``) is never one.
COUNTED = re.compile(
    r"(?:\$\{|\{\{?)\s*([^{}]+?)\s*\}\}? (?:(?:more|content) )?"
    r"(handout|page|pdf|error|warning|topic|file|item|finding|rule|problem|day|cell|column"
    r"|operator|minute|second|character|word)s\b",
    re.IGNORECASE,
)
PACKAGE = Path(__file__).resolve().parents[2] / "src" / "handout_builder"


def test_no_message_counts_with_a_fixed_plural() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix not in (".py", ".js", ".html") or path.name in ("labels.py", "words.py"):
            # catalogues of words: each count has its one and many forms (key_one, key)
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in COUNTED.finditer(line):
                counted = match.group(1)
                if re.fullmatch(r"[A-Z_]+|.*[Mm]ax.*|len\(text\)|n", counted):
                    continue  # constants and limits (always many), and counts above a limit
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert found == []


# --- one JSON envelope -------------------------------------------------------------------------


def test_every_json_document_has_the_same_envelope(project: Path) -> None:
    (project / "handouts" / "wrong.yaml").unlink()
    documents = {
        "check": json.loads(run_cli("check", "--format", "json", cwd=project).stdout),
        "list": json.loads(run_cli("list", "--json", cwd=project).stdout),
    }
    assert run_cli("build", "--report", "build.json", cwd=project).exit_code == 0
    documents["build --report"] = json.loads((project / "build.json").read_text())
    documents["check --pdf"] = json.loads(
        run_cli("check", "--pdf", "dist", "--format", "json", cwd=project).stdout
    )
    for name, document in documents.items():
        assert isinstance(document, dict), name
        assert document["version"] == 1, name
        assert document["builder"].startswith("handout-builder "), name
        assert "summary" in document, name
    assert [h["id"] for h in documents["list"]["handouts"]] == ["good-one", "warned-one"]
    assert documents["check --pdf"]["summary"] == {"pdfs": 2, "ok": 2, "with_problems": 0}


# --- list --------------------------------------------------------------------------------------


def test_list_exits_1_and_names_a_broken_file(project: Path) -> None:
    (project / "handouts" / "broken.yaml").write_text("schema: 1\nid: [oops\n")
    done = run_cli("list", cwd=project)
    assert done.exit_code == 1
    assert done.stderr == "cannot list handouts/broken.yaml: it has errors (see 'handout check')\n"
    assert "good-one" in done.stdout
    document = json.loads(run_cli("list", "--json", cwd=project).stdout)
    assert document["broken"][0]["source"] == "handouts/broken.yaml"
    assert document["summary"] == {"handouts": 4, "listed": 3, "broken": 1}


def test_list_cuts_long_titles_and_tags_with_an_ellipsis_within_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    title = "A very long title that goes on well past the width of its column"
    tags = [f"tag-number-{n}" for n in range(12)]
    write_handout(tmp_path / "handouts", "long.yaml", id="long-one", title=title, tags=tags)
    monkeypatch.setenv("COLUMNS", "110")
    lines = run_cli("list", cwd=tmp_path).stdout.splitlines()
    assert all(len(line) < 110 for line in lines)
    assert "A very long title that goes on" in lines[1] and "…" in lines[1]
    assert lines[1].endswith("…") and "tag-number-0" in lines[1]
    monkeypatch.delenv("COLUMNS")
    piped = run_cli("list", cwd=tmp_path).stdout.splitlines()  # not a terminal: tags whole
    assert piped[1].endswith("tag-number-11") and title[:47] + "…" in piped[1]
