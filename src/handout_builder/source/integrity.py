"""Checks on a valid handout that need more than one field, the file system or the fonts.

Takes a ``Handout``, its ``Source``, the brand's fonts (any ``Glyphs``, such as
``look.fonts.FontSet``) and the brand values content may name in braces; gives a list of
``Problem``s: table rows of the wrong length, a side-effect table naming a medication that is not
there, images that are missing, unreadable or outside the handout's folder, duplicate medication
names, characters that no embedded font can draw, invisible direction controls, and names in
braces that the brand does not give (``{emergency_numbr}``, or ``{crisis_line}`` with a brand
that has none).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from handout_builder.errors import Problem
from handout_builder.inline import field_references
from handout_builder.model import Block, Handout
from handout_builder.output import plural
from handout_builder.source.images import CONTENT, image_problem
from handout_builder.source.reader import PathKey, Source, format_path, text_values

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


class Glyphs(Protocol):
    """What the checks need to know of a brand's fonts: which characters none of them draws."""

    def missing(self, text: str) -> list[tuple[int, str]]:
        """(offset, character) for each character of ``text`` that no font can draw."""
        ...

    def install_hint(self, ch: str) -> str:
        """How to get a font for ``ch`` when one exists but is not installed, else ''."""
        ...


def integrity_problems(
    handout: Handout, source: Source, fonts: Glyphs, fields: Mapping[str, str | None]
) -> list[Problem]:
    """Every problem found (see the module docstring). ``fields`` maps each name that content
    may write in braces to the brand's value, or None where the brand has none."""
    problems: list[Problem] = []
    problems += _table_shapes(handout, source)
    problems += _medication_links(handout, source)
    problems += _images(handout, source)
    problems += undrawable_characters(source, fonts)
    problems += field_problems(source, fields)
    problems += direction_controls(source)
    return problems


# Values that are never set as content text: names in braces there are not filled in.
NOT_CONTENT = frozenset(
    {"schema", "id", "language", "version", "last_reviewed", "review_due", "tags"}
    | {"conditions", "allow", "status", "approval"}
)


def field_problems(source: Source, fields: Mapping[str, str | None]) -> list[Problem]:
    """Each ``{name}`` in content text that is not a brand value, or that the brand leaves out;
    web addresses are printed as typed and are not looked at."""
    out = []
    known = ", ".join("{" + name + "}" for name in fields)
    for path, value in text_values(source.data, NOT_CONTENT | {"url"}):
        for offset, name in field_references(value):
            if name not in fields:
                close = difflib.get_close_matches(name, list(fields), n=1, cutoff=0.6)
                message = f"{{{name}}} is not a brand value; " + (
                    f"did you mean {{{close[0]}}}?"
                    if close
                    else f"use one of {known}, or write {{{{ for a literal brace"
                )
            elif fields[name] is None:
                message = (
                    f"{{{name}}} names the brand's {name}, which the brand file does not "
                    f"give: add {name} to it"
                )
            else:
                continue
            line, col = source.char_position(path, offset)
            out.append(Problem(source.name, line, col, format_path(path), message))
    return out


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
        _at_character(source, path, offset, describe(ch))
        for path, value in text_values(source.data)
        for offset, ch in find(value)[:3]
    ]


def _at_character(source: Source, path: PathKey, offset: int, message: str) -> Problem:
    line, col = source.char_position(path, offset)
    return Problem(source.name, line, col, format_path(path), message)


def asset_files(handout: Handout, source: Source) -> list[Path]:
    """Every image file the handout shows (resolved), for change detection."""
    base = source.base_dir.resolve()
    return list(
        dict.fromkeys(
            (base / block.image.src).resolve() for _, block in _blocks(handout) if block.image
        )
    )
