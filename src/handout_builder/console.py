"""What every command of the ``handout`` command line shares: volume, colour, and settings.

Takes the click context of the running command; gives:

- ``HandoutGroup``: a click group that gives every command registered on it (and itself)
  ``-q/--quiet``, ``-v/--verbose`` and ``--color auto|always|never``, so a new command has
  them without a line of its own;
- ``console()``: how the running command prints. Findings, results and summaries go to standard
  output; standard error is for the tool's own errors, the progress bar and, with ``-v``, notes
  on what it is doing. Colour only where it helps: on a terminal, unless ``NO_COLOR`` is set
  (https://no-color.org) or ``--color`` says otherwise;
- ``with_settings(sources)``: the SOURCES split by the settings file found upward from each
  (``source.settings``), each with the command's parameters as they apply there: given on the
  command line, else set in the file (``COMMAND_OPTIONS`` says which setting sets which
  option), else the option's default.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from handout_builder.errors import UsageError, ValidationError, display_path
from handout_builder.source.settings import COMMAND_OPTIONS, Settings, group_sources

_STATE = "handout_builder.console"
STYLES: dict[str, dict[str, Any]] = {
    "path": {"bold": True},
    "error": {"fg": "red", "bold": True},
    "warning": {"fg": "yellow", "bold": True},
    "rule": {"fg": "cyan"},
    "ok": {"fg": "green"},
    "heading": {"bold": True},
}


@dataclass(frozen=True)
class Console:
    """How the running command prints: how much (``verbosity``: -1 quiet, 0, 1 verbose) and
    whether in colour."""

    verbosity: int = 0
    colour: bool = False

    @property
    def quiet(self) -> bool:
        return self.verbosity < 0

    @property
    def verbose(self) -> bool:
        return self.verbosity > 0

    def out(self, text: str = "") -> None:
        """A finding, a result or a summary: standard output."""
        click.echo(text, color=self.colour)

    def info(self, text: str = "") -> None:
        """Output that ``-q`` leaves out (summaries, confirmations): standard output."""
        if not self.quiet:
            self.out(text)

    def note(self, text: str) -> None:
        """What the tool is doing, for ``-v``: standard error, so data on stdout stays clean."""
        if self.verbose:
            click.echo(text, err=True, color=self.colour)

    def error(self, text: str) -> None:
        """The tool's own error or warning: standard error."""
        click.echo(text, err=True, color=self.colour)

    def style(self, text: str, role: str) -> str:
        """``text`` coloured for its role (``path``, ``error``, ``warning``, ``rule``, ``ok``,
        ``heading``) when this console colours, else as it is."""
        return click.style(text, **STYLES[role]) if self.colour and role in STYLES else text


def console() -> Console:
    """The console of the running command, from ``-q``, ``-v`` and ``--color``."""
    chosen: dict[str, Any] = click.get_current_context().meta.get(_STATE, {})
    if chosen.get("quiet") and chosen.get("verbose"):
        raise click.UsageError("-q/--quiet and -v/--verbose cannot be used together")
    verbosity = -1 if chosen.get("quiet") else (1 if chosen.get("verbose") else 0)
    return Console(verbosity, _colour(chosen.get("color", "auto")))


def _colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):  # any non-empty value, as https://no-color.org asks
        return False
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    source = ctx.get_parameter_source(param.name or "")
    if param.name and source not in (None, ParameterSource.DEFAULT):
        ctx.meta.setdefault(_STATE, {})[param.name] = value


def common_options() -> list[click.Parameter]:
    """``-q``, ``-v`` and ``--color``, made afresh for one command."""
    return [
        _common(
            ["-q", "--quiet"],
            "Print only problems and findings: no progress, summaries or confirmations.",
            is_flag=True,
        ),
        _common(
            ["-v", "--verbose"],
            "Also say what is done (which settings file applies, files passed over), on stderr.",
            is_flag=True,
        ),
        _common(
            ["--color", "--colour"],
            "Colour on a terminal (auto, which honours NO_COLOR), always, or never.",
            type=click.Choice(["auto", "always", "never"]),
            default="auto",
            show_default=True,
        ),
    ]


def _common(opts: list[str], help: str, **kwargs: Any) -> click.Option:
    """An option whose value goes to the console, not to the command's function."""
    return click.Option(opts, help=help, expose_value=False, callback=_remember, **kwargs)


class HandoutGroup(click.Group):
    """A group whose commands all take the common options (``common_options``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(common_options())

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        have = {opt for p in cmd.params for opt in p.opts}
        cmd.params.extend(p for p in common_options() if not set(p.opts) & have)
        super().add_command(cmd, name)


@dataclass(frozen=True)
class SourceGroup:
    """Some of the SOURCES (none: the command's default), the settings file that applies to
    them, and the command's parameters as they apply there."""

    sources: tuple[Path, ...]
    settings: Settings | None
    options: dict[str, Any]


def with_settings(
    sources: Iterable[Path], config: Path | None = None, *, together: bool = False
) -> list[SourceGroup]:
    """The SOURCES split by settings file (``config`` for all when given), each group with its
    parameters. ``together`` keeps the SOURCES as one library (a packet, the front desk) with
    the settings of the first. Every setting is checked, whichever command reads the file."""
    ctx = click.get_current_context()
    sources = list(sources)
    groups = group_sources(sources, config)
    if together:
        groups = [(groups[0][0], sources)]
    made = []
    for settings, members in groups:
        if settings is not None:  # a mistake anywhere in the file is reported by every command
            from handout_builder.lint.config import config_from  # pydantic: only for a file

            config_from(settings)
        made.append(SourceGroup(tuple(members), settings, _options(ctx, settings)))
        where = ", ".join(display_path(m) for m in members) or "the default sources"
        console().note(
            f"settings for {where}: "
            + (display_path(settings.path) if settings else "none found, the defaults apply")
        )
    return made


def one_per_output(groups: list[SourceGroup], option: str) -> list[SourceGroup]:
    """Groups that would be handled alike merged into one; raises ``UsageError`` when groups
    handled differently would write to the same place (the ``option`` parameter)."""
    merged: list[SourceGroup] = []
    for group in groups:
        same = next((m for m in merged if m.options == group.options), None)
        if same is None:
            merged.append(group)
            continue
        merged[merged.index(same)] = replace(same, sources=same.sources + group.sources)
    for i, group in enumerate(merged):
        clash = next((m for m in merged[:i] if m.options[option] == group.options[option]), None)
        if clash is not None:
            raise UsageError(
                f"{_named(clash)} and {_named(group)} have different settings but would both "
                f"write to {display_path(group.options[option])}; set a different output for "
                "each, or handle them one at a time"
            )
    return merged


def _named(group: SourceGroup) -> str:
    return ", ".join(display_path(s) for s in group.sources) or "the default sources"


def _options(ctx: click.Context, settings: Settings | None) -> dict[str, Any]:
    """The command's parameters with the settings applied. Every option setting in the file is
    checked, with the type of the option it sets on whichever command has it."""
    options = dict(ctx.params)
    if settings is None:
        return options
    mine = {p.name: p for p in ctx.command.params if p.name}
    root = ctx.find_root().command
    others = {
        p.name: p
        for command in getattr(root, "commands", {}).values()
        for p in command.params
        if p.name
    }
    for setting, name in COMMAND_OPTIONS.items():
        param = mine.get(name) or others.get(name)
        if setting not in settings.values or param is None:
            continue
        value = _convert(ctx, param, settings, setting)
        if name in mine and ctx.get_parameter_source(name) in (None, ParameterSource.DEFAULT):
            options[name] = value  # else the command line wins
    return options


def _convert(ctx: click.Context, param: click.Parameter, settings: Settings, setting: str) -> Any:
    """A setting's value as its option would take it: checked by the option's type, and a
    path made relative to the settings file."""
    value = settings.values[setting]
    if isinstance(param.type, click.Path) and isinstance(value, str):
        path = Path(value).expanduser()
        value = str(path if path.is_absolute() else settings.folder / path)
    try:
        return param.type_cast_value(ctx, value)
    except click.BadParameter as exc:
        raise ValidationError([settings.problem((setting,), exc.message)]) from None
    except (TypeError, ValueError):
        kind = param.type.name
        raise ValidationError(
            [settings.problem((setting,), f"'{value}' is not a valid {kind}")]
        ) from None
