"""Font families: registered once per process, with the characters each can draw.

Takes a family (a built-in name or four TrueType files) and, optionally, the brand's own files for
a writing system; gives a registered ``FontSet`` that picks, character by character, the family
that draws it: first the families made for the character's writing system (Noto Sans Arabic for
Arabic, Nanum Gothic for Hangul, ...), then the primary family, then DejaVu Sans, then any other
family that happens to have it. A family is read from disk only when some text needs one of its
characters (DejaVu's four files took 0.1 s of every start; a CJK font is 4 MB). ``FontSet.missing``
finds characters no family can draw, so they are reported at check time instead of printed as
black boxes, with the install command when a known script's font is not on the machine.

The families for Arabic, Hebrew, Devanagari and Bengali ship in the package (``fonts/``, 1.8 MB).
The CJK families are large, so they come from the system: Debian's ``fonts-droid-fallback``
(Chinese, Japanese) and ``fonts-nanum`` (Korean), or files a brand names (``script_fonts``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from handout_builder.pdf._reportlab import ShapingFont

FACES = ("regular", "bold", "italic", "bold_italic")
BUILTIN = {
    "Atkinson Hyperlegible": "AtkinsonHyperlegible",
    "DejaVu Sans": "DejaVuSans",
}
FALLBACK = "DejaVu Sans"
_SUFFIX = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "BoldItalic"}
# Characters that never need a glyph: line breaks and the like are folded into spaces.
_IGNORED = frozenset("\n\r\t\u00ad\u200b\ufeff")
# Joiners and marks are drawn with the character before them, never on their own.
_JOINERS = frozenset("\u200c\u200d\u034f")

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

Script = Literal["arabic", "hebrew", "devanagari", "bengali", "hangul", "cjk"]

SCRIPT_RANGES: dict[Script, tuple[tuple[int, int], ...]] = {
    "arabic": (
        (0x0600, 0x06FF),
        (0x0750, 0x077F),
        (0x08A0, 0x08FF),
        (0xFB50, 0xFDFF),
        (0xFE70, 0xFEFF),
    ),
    "hebrew": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    "devanagari": ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF)),
    "bengali": ((0x0980, 0x09FF),),
    "hangul": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)),
    "cjk": (
        (0x2E80, 0x2FDF),
        (0x3000, 0x303F),
        (0x3040, 0x30FF),
        (0x31C0, 0x31FF),
        (0x3200, 0x33FF),
        (0x3400, 0x4DBF),
        (0x4E00, 0x9FFF),
        (0xF900, 0xFAFF),
        (0xFE30, 0xFE4F),
        (0xFF00, 0xFFEF),
        (0x20000, 0x3134F),
    ),
}
"""The writing systems that have families of their own, by Unicode block."""

RTL_SCRIPTS: frozenset[Script] = frozenset({"arabic", "hebrew"})
SHAPED_SCRIPTS: frozenset[Script] = frozenset({"arabic", "hebrew", "devanagari", "bengali"})
"""Scripts whose letters change shape or order with their neighbours (HarfBuzz shapes them)."""


@dataclass(frozen=True, eq=False)
class ScriptFamily:
    """A family made for one writing system: its files (shipped, or where Debian installs them)
    and how a machine without it gets it."""

    name: str
    script: Script
    files: Mapping[str, str]  # face -> a file in fonts/ or an absolute path
    install: str = ""  # the command that installs it, for a family that does not ship


SCRIPT_FAMILIES: tuple[ScriptFamily, ...] = (
    ScriptFamily(
        "Noto Sans Arabic",
        "arabic",
        {"regular": "NotoSansArabic-Regular.ttf", "bold": "NotoSansArabic-Bold.ttf"},
    ),
    ScriptFamily(
        "Noto Sans Hebrew",
        "hebrew",
        {"regular": "NotoSansHebrew-Regular.ttf", "bold": "NotoSansHebrew-Bold.ttf"},
    ),
    ScriptFamily(
        "Noto Sans Devanagari",
        "devanagari",
        {"regular": "NotoSansDevanagari-Regular.ttf", "bold": "NotoSansDevanagari-Bold.ttf"},
    ),
    ScriptFamily(
        "Noto Sans Bengali",
        "bengali",
        {"regular": "NotoSansBengali-Regular.ttf", "bold": "NotoSansBengali-Bold.ttf"},
    ),
    ScriptFamily(
        "Nanum Gothic",
        "hangul",
        {
            "regular": "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
            "bold": "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
        },
        install="apt-get install fonts-nanum",
    ),
    ScriptFamily(
        "Droid Sans Fallback",
        "cjk",
        {"regular": "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"},
        install="apt-get install fonts-droid-fallback",
    ),
)
"""The built-in family for each writing system, in the order they are tried."""


def script_of(ch: str) -> Script | None:
    """The writing system of a character that has families of its own, else None."""
    code = ord(ch)
    if code < 0x0590:
        return None
    for script, ranges in SCRIPT_RANGES.items():
        for low, high in ranges:
            if low <= code <= high:
                return script
    return None


def is_rtl(text: str) -> bool:
    """Whether ``text`` has a right-to-left letter."""
    if text.isascii():
        return False
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


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


def script_files(family: ScriptFamily) -> dict[str, Path] | None:
    """The four faces of a script family (a missing italic is its upright face, a missing bold
    its regular one); None when its files are not on this machine."""
    found = {
        face: Path(name) if Path(name).is_absolute() else font_dir() / name
        for face, name in family.files.items()
    }
    if not all(p.is_file() for p in found.values()):
        return None
    return complete_faces(found)


def complete_faces(files: Mapping[str, Path]) -> dict[str, Path]:
    """Four faces from the ones given: italics fall back to upright, bold to regular."""
    regular = files["regular"]
    bold = files.get("bold", regular)
    return {
        "regular": regular,
        "bold": bold,
        "italic": files.get("italic", regular),
        "bold_italic": files.get("bold_italic", bold),
    }


@dataclass(frozen=True)
class Family:
    """One registered family: the ReportLab names of its four faces, the characters it has and
    the writing system it was chosen for (None for the primary and DejaVu)."""

    name: str
    faces: dict[str, str]
    coverage: frozenset[int]
    script: Script | None = None
    files: dict[str, str] = field(default_factory=dict)  # face -> TrueType file

    @property
    def regular(self) -> str:
        return self.faces["regular"]

    @property
    def bold(self) -> str:
        return self.faces["bold"]

    @property
    def shaped(self) -> bool:
        """Whether text in this family must be shaped (joined, reordered) before it is drawn."""
        return self.script in SHAPED_SCRIPTS

    @functools.cached_property
    def drawable(self) -> frozenset[str]:
        """The characters this family draws, and those that need no glyph, as strings."""
        return frozenset(map(chr, self.coverage)) | _IGNORED


@functools.cache
def register_family(
    name: str, files: tuple[tuple[str, str], ...], script: Script | None = None
) -> Family:
    """Register four faces under ``name`` (once per process) and learn what they can draw. Faces
    that share a file share one registered font, so it is embedded once."""
    paths = dict(files)
    base = "HB-" + "".join(ch for ch in name if ch.isalnum())
    faces: dict[str, str] = {}
    by_path: dict[str, str] = {}
    coverage: frozenset[int] | None = None
    for face in FACES:
        if paths[face] in by_path:
            faces[face] = by_path[paths[face]]
            continue
        faces[face] = by_path[paths[face]] = f"{base}-{_SUFFIX[face]}"
        font = ShapingFont(faces[face], paths[face]) if script else TTFont(faces[face], paths[face])
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
    return Family(name, faces, coverage or frozenset(), script, paths)


def _key(files: Mapping[str, Path]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, str(v)) for k, v in files.items()))


@dataclass(frozen=True)
class FontSet:
    """The primary family, its fallback and the script families; splits text into runs each
    family can draw."""

    primary: Family
    fallback_files: tuple[tuple[str, str], ...]
    script_choices: tuple[tuple[ScriptFamily, tuple[tuple[str, str], ...] | None], ...] = ()

    @functools.cached_property
    def fallback(self) -> Family:
        """The fallback family, registered the first time it is needed."""
        return register_family(FALLBACK, self.fallback_files)

    @functools.cached_property
    def _script_families(self) -> dict[Script, list[ScriptFamily]]:
        out: dict[Script, list[ScriptFamily]] = {}
        for family, _ in self.script_choices:
            out.setdefault(family.script, []).append(family)
        return out

    def script_family(self, family: ScriptFamily) -> Family | None:
        """A script family registered (the first time it is needed), or None if not installed."""
        return self._registered.get(family.name) if self._load(family) else None

    @functools.cached_property
    def _registered(self) -> dict[str, Family]:
        return {}

    def _load(self, family: ScriptFamily) -> bool:
        if family.name not in self._registered:
            files = dict(self.script_choices)[family]
            if files is None:
                return False
            self._registered[family.name] = register_family(family.name, files, family.script)
        return True

    def chain(self, ch: str) -> Iterable[Family]:
        """The families to try for ``ch``, best first."""
        script = script_of(ch)
        for choice in self._script_families.get(script, []) if script else []:
            loaded = self.script_family(choice)
            if loaded is not None:
                yield loaded
        yield self.primary
        yield self.fallback
        if script is None and ord(ch) >= 0x2000:  # symbols that a CJK family may have
            for choice, _ in self.script_choices:
                loaded = self.script_family(choice)
                if loaded is not None:
                    yield loaded

    def family_for(self, ch: str, previous: Family | None = None) -> Family | None:
        """The family that draws ``ch``; a joiner, mark or neutral character (space, digit,
        punctuation) inside a run of a script family stays in that family when it can."""
        if previous is not None and previous.script is not None and ord(ch) in previous.coverage:
            category = unicodedata.category(ch)
            if ch in _JOINERS or category[0] in "MPNZ" or script_of(ch) == previous.script:
                return previous
        for family in self.chain(ch):
            if ord(ch) in family.coverage:
                return family
        return None

    def runs(self, text: str) -> list[tuple[Family, str]]:
        """Consecutive pieces of ``text`` with the family that should draw each."""
        if self.primary.drawable.issuperset(text):  # nearly always: one piece, no fallback
            return [(self.primary, text)] if text else []
        chosen: list[Family] = []
        for ch in text:
            previous = chosen[-1] if chosen else None
            chosen.append(
                previous or self.primary
                if ch in _IGNORED
                else self.family_for(ch, previous) or self.primary
            )
        self._whole_words(text, chosen)
        out: list[tuple[Family, str]] = []
        for ch, fam in zip(text, chosen, strict=True):
            if out and out[-1][0] is fam:
                out[-1] = (fam, out[-1][1] + ch)
            else:
                out.append((fam, ch))
        return out

    def _whole_words(self, text: str, chosen: list[Family]) -> None:
        """A Latin, Greek or Cyrillic word the primary draws only in part ("Việt") is set whole
        in the fallback, so its letters match."""
        for word in _WORD.finditer(text):
            start, end = word.span()
            mixed = len(set(map(id, chosen[start:end]))) > 1
            if (
                mixed
                and all(chosen[i].script is None for i in range(start, end))
                and all(ord(ch) in self.fallback.coverage for ch in word.group())
            ):
                chosen[start:end] = [self.fallback] * (end - start)

    def needs_shaping(self, text: str) -> bool:
        """Whether some of ``text`` is set in a family whose script must be shaped."""
        return any(family.shaped for family, _ in self.runs(text))

    def missing(self, text: str) -> list[tuple[int, str]]:
        """(offset, character) for each character that no family can draw."""
        if self.primary.drawable.issuperset(text):
            return []
        return [
            (i, ch)
            for i, ch in enumerate(text)
            if ch not in _IGNORED and self.family_for(ch) is None
        ]

    def install_hint(self, ch: str) -> str:
        """How to get a font for ``ch`` when its script's family is not on this machine."""
        script = script_of(ch)
        for family, files in self.script_choices:
            if family.script == script and files is None and family.install:
                return f"{family.install} (or set script_fonts.{script} in the brand)"
        return ""

    def families_used(self) -> list[Family]:
        """Every family registered so far: the primary, then those text has needed."""
        return [self.primary, *self._registered.values()]


def load_fontset(
    family: str = "Atkinson Hyperlegible",
    files: dict[str, Path] | None = None,
    script_fonts: Mapping[Script, Mapping[str, Path]] | None = None,
) -> FontSet:
    """The font set for a brand: a built-in family name, or a custom family's four files; and,
    for any writing system, the brand's own family tried before the built-in one."""
    chosen = files or builtin_files(family)
    primary = register_family(family, _key(chosen))
    fallback = _key(builtin_files(FALLBACK))
    choices: list[tuple[ScriptFamily, tuple[tuple[str, str], ...] | None]] = []
    for script, own in (script_fonts or {}).items():
        mine = ScriptFamily(f"Brand {script} {Path(own['regular']).stem}", script, {})
        choices.append((mine, _key(complete_faces(own))))
    for builtin in SCRIPT_FAMILIES:
        found = script_files(builtin)
        choices.append((builtin, _key(found) if found else None))
    return FontSet(primary, fallback, tuple(choices))


def shipped_script_files() -> Sequence[Path]:
    """The script families' files that ship in the package (for change detection)."""
    return [
        font_dir() / name
        for family in SCRIPT_FAMILIES
        for name in family.files.values()
        if not Path(name).is_absolute()
    ]
