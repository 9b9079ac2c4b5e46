"""Finding and reading a project's settings file, as ruff does: upward from each file.

Takes a file or folder (a SOURCE, or the working folder); gives the ``Settings`` that apply
there: ``handout.toml`` (top level) or ``pyproject.toml`` under ``[tool.handout]``, from the
nearest folder upward that has either (``handout.toml`` first; a ``pyproject.toml`` without
``[tool.handout]`` is passed over). ``group_sources`` splits the SOURCES a user named by the
settings file that applies to each, so handouts of two projects are each handled with their own.

A settings file holds two kinds of setting. The checks' own (``reading_grade``, ``rules``...)
are validated by ``lint.config``. The others give a command-line option its default; which
option each sets is listed in ``COMMAND_OPTIONS``, and the command line always wins. A mistake
is a ``ValidationError`` whose problems name the file, the line and the setting.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handout_builder.errors import Problem, ValidationError, display_path
from handout_builder.source.files import DEFAULT_SOURCE

CONFIG_FILE = "handout.toml"
PYPROJECT = "pyproject.toml"

COMMAND_OPTIONS: dict[str, str] = {
    # setting in the file -> the command-line option (its parameter name) it gives a default to,
    # on every command that has that option. Values are checked as the option checks them, and
    # paths are relative to the settings file. A flag needs a --no- form, so that the command
    # line can turn off what the file turns on.
    "out": "out_dir",
    "brand": "brand",
    "paper": "paper",
    "jobs": "jobs",
    "strict": "strict",
    "release": "release",
    "large_print": "large_print",
    "layout": "layout",
    "max_pages": "max_pages",
    "workers": "workers",
}

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class Settings:
    """One settings file: where it is, its handout-builder table, and its text (to place
    mistakes on their lines)."""

    path: Path
    values: dict[str, Any]
    text: str = field(repr=False, default="")

    @property
    def folder(self) -> Path:
        """Relative paths in the settings are relative to this folder."""
        return self.path.parent

    @property
    def table(self) -> tuple[str, ...]:
        """Where the settings are in the file: the top level, or ``[tool.handout]``."""
        return ("tool", "handout") if self.path.name == PYPROJECT else ()

    def problem(self, key: Key, message: str) -> Problem:
        """A mistake in the setting at ``key`` (``("rules", "jargon")``), placed on its line."""
        names = tuple(str(part) for part in key)
        line, column = _locate(self.text, (*self.table, *names))
        return Problem(
            display_path(self.path), line, column, ".".join((*self.table, *names)), message
        )


def find_settings(start: Path | None = None) -> Path | None:
    """The settings file that applies to ``start`` (a file, or a folder; default the working
    folder), found upward; None when there is none."""
    here = (start or Path.cwd()).resolve()
    if here.is_file() or (not here.exists() and here.suffix):
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder / CONFIG_FILE
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and "handout" in _parse(pyproject, _read(pyproject)).get("tool", {}):
            return pyproject
    return None


def read_settings(path: Path) -> Settings:
    """The settings in ``path`` (a ``handout.toml``, or a ``pyproject.toml``'s
    ``[tool.handout]``)."""
    text = _read(path)
    data = _parse(path, text)
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("handout", {})
    return Settings(path.resolve(), data, text)


def settings_for(start: Path | None = None) -> Settings | None:
    """The settings that apply to ``start`` (default: the working folder), or None."""
    path = find_settings(start)
    return read_settings(path) if path else None


def group_sources(
    sources: Iterable[Path | str], explicit: Path | None = None
) -> list[tuple[Settings | None, list[Path]]]:
    """The SOURCES (default ``handouts/``) split by the settings file found upward from each,
    in the order first named; with ``explicit`` (``--config``), that file for all of them."""
    named = [Path(s) for s in sources]
    if explicit is not None:
        return [(read_settings(explicit), named)]
    read: dict[Path | None, Settings | None] = {}
    groups: dict[Path | None, list[Path]] = {}
    for source in named or [DEFAULT_SOURCE]:
        path = find_settings(source)
        if path not in read:
            read[path] = read_settings(path) if path else None
        groups.setdefault(path, []).append(source)
    if not named:  # nothing named: the command's own default, with the settings found for it
        return [(read[path], []) for path in groups]
    return [(read[path], members) for path, members in groups.items()]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _unreadable(path, exc) from None


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        at = re.search(r" \(at line (\d+), column (\d+)\)$", reason)
        if at:
            line, column = int(at.group(1)), int(at.group(2))
        else:  # "(at end of document)"
            line, column = len(text.splitlines()) + (text.endswith("\n") or not text), 1
        reason = re.sub(r" \(at (line \d+, column \d+|end of document)\)$", "", reason)
        raise ValidationError(
            [Problem(display_path(path), line, column, "", f"cannot read settings: {reason}")]
        ) from None


def _unreadable(path: Path, exc: Exception) -> ValidationError:
    return ValidationError([Problem(display_path(path), 0, 0, "", f"cannot read settings: {exc}")])


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_NAME = r"(?:\"[^\"]*\"|'[^']*'|[\w-]+)"
_KEY = re.compile(rf"^(\s*)({_NAME}(?:\s*\.\s*{_NAME})*)\s*=")
_PART = re.compile(r"\"([^\"]*)\"|'([^']*)'|([\w-]+)")


def _locate(text: str, key: tuple[str, ...]) -> tuple[int, int]:
    """Line and column of the setting at ``key`` in TOML ``text``: where its key is written, or,
    when only a table that holds it is written (``rules = {...}``), that; (0, 0) if neither."""
    best: tuple[int, tuple[int, int]] = (0, (0, 0))
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            table = _parts(header.group(1))
            found, column = table, line.index("[") + 1
        else:
            written = _KEY.match(line)
            if not written:
                continue
            found, column = (*table, *_parts(written.group(2))), len(written.group(1)) + 1
        if found == key:
            return number, column
        if len(found) > best[0] and key[: len(found)] == found:
            best = (len(found), (number, column))
    return best[1]


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(a or b or c for a, b, c in _PART.findall(dotted))
