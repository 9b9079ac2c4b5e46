"""Checks on a valid handout that need more than one field, the file system or the fonts.

Takes a ``Handout``, its ``Source`` and the brand's fonts (any ``Glyphs``, such as
``look.fonts.FontSet``); gives a list of ``Problem``s:
table rows of the wrong length, a side-effect table naming a medication that is not there,
images that are missing, unreadable or outside the handout's folder, duplicate medication names,
and characters that no embedded font can draw.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from handout_builder.errors import Problem
from handout_builder.model import Block, Handout
from handout_builder.output import plural
from handout_builder.source.reader import PathKey, Source, format_path

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
MAX_IMAGE_PIXELS = 40_000_000


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
            reason = _unreadable_image(target)
            if reason:
                out.append(source.problem(where, reason))
    return out


def _unreadable_image(path: Path) -> str | None:
    if path.suffix.lower() == ".svg":
        data = path.read_bytes()
        if b"<svg" not in data[:4096]:
            return "not an SVG file"
        if b"<text" in data:
            return "SVG images may not contain <text>; convert the text to paths"
        return None
    from PIL import Image as PILImage

    try:
        with PILImage.open(path) as img:
            if img.width * img.height > MAX_IMAGE_PIXELS:
                return f"image is too large ({img.width}x{img.height} pixels)"
            img.verify()
    except Exception:
        return "not a readable PNG or JPEG image"
    return None


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
    out = []

    def walk(value: Any, path: PathKey) -> None:
        if isinstance(value, str):
            for offset, ch in fonts.missing(value)[:3]:
                line, col = _char_position(source, path, value, offset)
                out.append(
                    Problem(
                        source.name,
                        line,
                        col,
                        format_path(path),
                        f"character {ch!r} (U+{ord(ch):04X}) cannot be drawn by the "
                        + (
                            f"fonts on this machine; install its font: {hint}"
                            if (hint := fonts.install_hint(ch))
                            else "embedded fonts; replace it"
                        ),
                    )
                )
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*path, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*path, i))

    walk(source.data, ())
    return out


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
