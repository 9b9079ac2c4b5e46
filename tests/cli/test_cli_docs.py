"""docs/cli.md is what scripts/cli-docs writes from the commands, so it cannot drift from them."""

from __future__ import annotations

import runpy
from pathlib import Path

import click
import pytest

from fixtures import REPO
from handout_builder.cli import main

GENERATOR = runpy.run_path(str(REPO / "scripts" / "cli-docs"))


def test_the_reference_is_up_to_date() -> None:
    written = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == GENERATOR["render"](), "docs/cli.md is out of date: run scripts/cli-docs"


def test_the_reference_covers_every_command_and_option() -> None:
    text = GENERATOR["render"]()
    for name, command in main.commands.items():
        assert f"## handout {name}\n" in text
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert any(f"`{opt}" in text or f", {opt}" in text for opt in param.opts), (
                    name,
                    param.opts,
                )


def test_the_check_mode_fails_on_a_stale_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text("# Command-line reference\n\nAn old version.\n")
    monkeypatch.setitem(GENERATOR["run"].__globals__, "TARGET", stale)
    assert GENERATOR["run"](["cli-docs", "--check"]) == 1
    assert GENERATOR["run"](["cli-docs"]) == 0
    assert GENERATOR["run"](["cli-docs", "--check"]) == 0
