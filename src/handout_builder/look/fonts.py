"""Font families: registered once per process, with the characters each can draw.

Takes a family (a built-in name or four TrueType files); gives a registered ``FontSet`` whose
primary family sets the text and whose fallback (DejaVu Sans) draws, character by character,
what the primary cannot. The fallback's four large files are read only when some text needs a
character the primary lacks (they took 0.1 s of every start otherwise). ``FontSet.missing``
finds characters neither can draw, so they are reported at check time instead of printed as
black boxes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FACES = ("regular", "bold", "italic", "bold_italic")
BUILTIN = {
    "Atkinson Hyperlegible": "AtkinsonHyperlegible",
    "DejaVu Sans": "DejaVuSans",
}
FALLBACK = "DejaVu Sans"
_SUFFIX = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "BoldItalic"}
# Characters that never need a glyph: line breaks and the like are folded into spaces.
_IGNORED = frozenset("\n\r\t\u00ad\u200b\ufeff")


def font_dir() -> Path:
    """The folder with the shipped fonts: inside the installed package, else the repository."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "fonts", package.parent.parent / "fonts"):
        if (candidate / "DejaVuSans-Regular.ttf").is_file():
            return candidate
    raise FileNotFoundError("handout-builder's fonts are missing; reinstall the package")


def builtin_files(family: str) -> dict[str, Path]:
    stem = BUILTIN[family]
    return {face: font_dir() / f"{stem}-{_SUFFIX[face]}.ttf" for face in FACES}


@dataclass(frozen=True)
class Family:
    """One registered family: the ReportLab names of its four faces and the characters it has."""

    name: str
    faces: dict[str, str]
    coverage: frozenset[int]
    files: dict[str, str] = field(default_factory=dict)  # face -> TrueType file

    @property
    def regular(self) -> str:
        return self.faces["regular"]

    @property
    def bold(self) -> str:
        return self.faces["bold"]

    @functools.cached_property
    def drawable(self) -> frozenset[str]:
        """The characters this family draws, and those that need no glyph, as strings."""
        return frozenset(map(chr, self.coverage)) | _IGNORED


@functools.cache
def register_family(name: str, files: tuple[tuple[str, str], ...]) -> Family:
    """Register four faces under ``name`` (once per process) and learn what they can draw."""
    paths = dict(files)
    base = "HB-" + "".join(ch for ch in name if ch.isalnum())
    faces = {face: f"{base}-{_SUFFIX[face]}" for face in FACES}
    coverage: frozenset[int] | None = None
    for face in FACES:
        font = TTFont(faces[face], paths[face])
        pdfmetrics.registerFont(font)
        # ReportLab has already read the character map; glyph 0 is "missing" (.notdef).
        cmap = frozenset(char for char, glyph in font.face.charToGlyph.items() if glyph)
        coverage = cmap if coverage is None else coverage & cmap
    pdfmetrics.registerFontFamily(
        faces["regular"],
        normal=faces["regular"],
        bold=faces["bold"],
        italic=faces["italic"],
        boldItalic=faces["bold_italic"],
    )
    styles: tuple[tuple[Literal[0, 1], Literal[0, 1], str], ...] = (
        (0, 0, "regular"),
        (1, 0, "bold"),
        (0, 1, "italic"),
        (1, 1, "bold_italic"),
    )
    for bold, italic, face in styles:
        addMapping(faces["regular"], bold, italic, faces[face])
    return Family(name, faces, coverage or frozenset(), paths)


@dataclass(frozen=True)
class FontSet:
    """The primary family and its fallback; splits text into runs each family can draw."""

    primary: Family
    fallback_files: tuple[tuple[str, str], ...]

    @functools.cached_property
    def fallback(self) -> Family:
        """The fallback family, registered the first time it is needed."""
        return register_family(FALLBACK, self.fallback_files)

    def runs(self, text: str) -> list[tuple[Family, str]]:
        """Consecutive pieces of ``text`` with the family that should draw each."""
        if self.primary.drawable.issuperset(text):  # nearly always: one piece, no fallback
            return [(self.primary, text)] if text else []
        out: list[tuple[Family, str]] = []
        for ch in text:
            fam = (
                self.primary
                if ord(ch) in self.primary.coverage
                or ch in _IGNORED
                or ord(ch) not in self.fallback.coverage
                else self.fallback
            )
            if out and out[-1][0] is fam:
                out[-1] = (fam, out[-1][1] + ch)
            else:
                out.append((fam, ch))
        return out

    def missing(self, text: str) -> list[tuple[int, str]]:
        """(offset, character) for each character that neither family can draw."""
        return [
            (i, ch)
            for i, ch in enumerate(text)
            if ch not in _IGNORED
            and ord(ch) not in self.primary.coverage
            and ord(ch) not in self.fallback.coverage
        ]


def load_fontset(
    family: str = "Atkinson Hyperlegible", files: dict[str, Path] | None = None
) -> FontSet:
    """The font set for a brand: a built-in family name, or a custom family's four files."""
    chosen = files or builtin_files(family)
    primary = register_family(family, tuple(sorted((k, str(v)) for k, v in chosen.items())))
    fallback = tuple(sorted((k, str(v)) for k, v in builtin_files(FALLBACK).items()))
    return FontSet(primary, fallback)
