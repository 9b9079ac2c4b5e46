"""Checks on a valid handout that need more than one field, the file system or the fonts.

Takes a ``Handout``, its ``Source`` and the brand's fonts (any ``Glyphs``, such as
``look.fonts.FontSet``); gives a list of ``Problem``s:
table rows of the wrong length, a side-effect table naming a medication that is not there,
images that are missing, unreadable or outside the handout's folder, duplicate medication names,
characters that no embedded font can draw, and invisible direction controls.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from handout_builder.errors import Problem
from handout_builder.model import Block, Handout
from handout_builder.output import plural
from handout_builder.source.images import CONTENT, image_problem
from handout_builder.source.reader import PathKey, Source, format_path

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


class Glyphs(Protocol):
    """What the checks need to know of a brand's fonts: which characters none of them draws."""

    def missing(self, text: str) -> list[tuple[int, str]]:
        """(offset, character) for each character of ``text`` that no font can draw."""
        ...

    def install_hint(self, ch: str) -> str:
        """How to get a font for ``ch`` when one exists but is not installed, else ''."""
        ...


def integrity_problems(handout: Handout, source: Source, fonts: Glyphs) -> list[Problem]:
    problems: list[Problem] = []
    problems += _table_shapes(handout, source)
    problems += _medication_links(handout, source)
    problems += _images(handout, source)
    problems += undrawable_characters(source, fonts)
    problems += direction_controls(source)
    return problems


def _table_shapes(handout: Handout, source: Source) -> list[Problem]:
    out = []
    for i, table in enumerate(handout.side_effects):
        n = len(table.columns)
        for j, group in enumerate(table.groups):
            for k, row in enumerate(group.rows):
                if len(row) != n:
                    out.append(
                        source.problem(
                            ("side_effects", i, "groups", j, "rows", k),
                            _row_message(len(row), n),
                        )
                    )
    for path, block in _blocks(handout):
        if block.table:
            n = len(block.table.columns)
            for k, row in enumerate(block.table.rows):
                if len(row) != n:
                    out.append(
                        source.problem(
                            (*path, "table", "rows", k),
                            _row_message(len(row), n),
                        )
                    )
    return out


def _row_message(cells: int, columns: int) -> str:
    return f"this row has {plural(cells, 'cell')} but the table has {plural(columns, 'column')}"


def _medication_links(handout: Handout, source: Source) -> list[Problem]:
    out = []
    names = [m.name for m in handout.medications]
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name.casefold() in seen:
            out.append(source.problem(("medications", i, "name"), f"'{name}' is listed twice"))
        seen.add(name.casefold())
    for i, table in enumerate(handout.side_effects):
        if table.medication and table.medication.casefold() not in seen:
            choices = ", ".join(names) or "none are listed"
            out.append(
                source.problem(
                    ("side_effects", i, "medication"),
                    f"no medication named '{table.medication}' ({choices})",
                )
            )
    return out


def _images(handout: Handout, source: Source) -> list[Problem]:
    out = []
    base = source.base_dir.resolve()
    for path, block in _blocks(handout):
        if not block.image:
            continue
        where = (*path, "image", "src")
        src = block.image.src
        target = (base / src).resolve()
        if not target.is_relative_to(base):
            out.append(source.problem(where, f"'{src}' is outside the handout's folder"))
        elif target.suffix.lower() not in IMAGE_SUFFIXES:
            out.append(source.problem(where, "expected a .png, .jpg, .jpeg or .svg file"))
        elif not target.is_file():
            out.append(source.problem(where, f"image not found: {src}"))
        else:
            reason = image_problem(target, CONTENT)
            if reason:
                out.append(source.problem(where, reason))
    return out


def _blocks(handout: Handout) -> list[tuple[PathKey, Block]]:
    """Every block in the handout with the path where it was written."""
    found: list[tuple[PathKey, Block]] = []

    def add(prefix: PathKey, blocks: list[Block]) -> None:
        found.extend(((*prefix, i), b) for i, b in enumerate(blocks))

    add(("overview",), handout.overview)
    add(("symptoms",), handout.symptoms)
    for i, med in enumerate(handout.medications):
        for key in ("used_for", "how_to_take", "dose_notes", "missed_dose"):
            add(("medications", i, key), getattr(med, key))
    for i, section in enumerate(handout.sections):
        add(("sections", i, "blocks"), section.blocks)
    return found


def undrawable_characters(source: Source, fonts: Glyphs) -> list[Problem]:
    """Every text value with a character that no embedded font can draw (three per value)."""

    def undrawable(value: str) -> list[tuple[int, str]]:
        return [(i, ch) for i, ch in fonts.missing(value) if ch not in DIRECTION_CONTROLS]

    def describe(ch: str) -> str:
        what = f"character {ch!r} (U+{ord(ch):04X}) cannot be drawn by the"
        hint = fonts.install_hint(ch)
        if hint:
            return f"{what} fonts on this machine; install its font: {hint}"
        return f"{what} embedded fonts; replace it"

    return _characters(source, undrawable, describe)


DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Unicode's explicit directional formatting characters (embeddings, overrides, isolates and
their ends). They reorder the characters around them, so text can show one way on screen and
another on paper (the "Trojan Source" trick); they are refused in every field. The directional
marks U+200E, U+200F and U+061C reorder nothing around them and right-to-left text needs them,
so they are allowed (and, like every character, must be drawable by the fonts)."""


def direction_controls(source: Source) -> list[Problem]:
    """Every directional formatting character in a text value (three per value)."""

    def controls(value: str) -> list[tuple[int, str]]:
        if DIRECTION_CONTROLS.isdisjoint(value):
            return []
        return [(i, ch) for i, ch in enumerate(value) if ch in DIRECTION_CONTROLS]

    def describe(ch: str) -> str:
        name = unicodedata.name(ch, "directional formatting character").lower()
        return (
            f"invisible direction control U+{ord(ch):04X} ({name}) can make this text read "
            "differently on screen and on paper; remove it"
        )

    return _characters(source, controls, describe)


def _characters(
    source: Source,
    find: Callable[[str], list[tuple[int, str]]],
    describe: Callable[[str], str],
) -> list[Problem]:
    """A problem for each character ``find`` picks out of a text value (three per value), at
    its own line and column, in the words ``describe`` gives it."""
    return [
        _at_character(source, path, value, offset, describe(ch))
        for path, value in text_values(source.data)
        for offset, ch in find(value)[:3]
    ]


def text_values(value: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """Every string in plain data (a ``Source``'s), with its path, in file order."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from text_values(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from text_values(v, (*path, i))


def _at_character(source: Source, path: PathKey, value: str, offset: int, message: str) -> Problem:
    line, col = _char_position(source, path, value, offset)
    return Problem(source.name, line, col, format_path(path), message)


def _char_position(source: Source, path: PathKey, value: str, offset: int) -> tuple[int, int]:
    """Where a character stands: exact for a plain or quoted scalar on one line, else the start
    of the value (block scalars begin on the line after their indicator)."""
    line, col = source.position(path)
    style = source.styles.get(path)
    if "\n" in value or style not in (None, "'", '"'):
        return line, col
    return line, col + offset + (0 if style is None else 1)


def asset_files(handout: Handout, source: Source) -> list[Path]:
    """Every image file the handout shows (resolved), for change detection."""
    base = source.base_dir.resolve()
    return list(
        dict.fromkeys(
            (base / block.image.src).resolve() for _, block in _blocks(handout) if block.image
        )
    )
