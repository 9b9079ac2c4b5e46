"""Lines of shaped and bidirectional text, in the order they are seen.

Takes the lines ReportLab broke a paragraph into (pieces of text with their fonts, in logical
order, as typed) and the paragraph's direction; gives the same lines with their pieces in visual
order, ready for ReportLab to draw:

- each line's embedding levels come from the Unicode Bidirectional Algorithm (UAX #9, as
  python-bidi implements it), with the paragraph's direction as the base level, so numbers and
  Latin drug names inside Arabic or Hebrew read correctly;
- each run of one font and one level is shaped by ReportLab's HarfBuzz support (``shapeStr``):
  Arabic letters join, Devanagari and Bengali form conjuncts and place their vowel signs, and
  right-to-left runs come out reversed; a right-to-left run of punctuation only (which HarfBuzz
  sets left to right) is reversed and mirrored here (rule L4);
- the runs are put in visual order (rule L2).

Every piece that was shaped or reordered keeps the text it was made from as ``actual``, which the
text object writes as its ``ActualText``: copying, searching and screen readers get the
characters as typed, not glyph codes or presentation forms.

ReportLab's own right-to-left support needs ``rlbidi``, which is not published on PyPI, and
ReportLab 5.1 applies it only to paragraphs of a single font; hence this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bidi import algorithm as uax9
from bidi.mirror import MIRRORED
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfbase.ttfonts import ShapedStr, shapeFragWord

FEATURES = {"kern": True, "liga": True, "dlig": False}
"""OpenType features for shaping: kerning and standard ligatures; no discretionary ligatures,
whose decorative letter pairs are harder to read."""


class VisualText(str):
    """Text in visual order that is not what was typed: ``actual`` is what was."""

    actual: str


@dataclass(frozen=True)
class Piece:
    """Text in one font on a line: ``frag`` is ReportLab's fragment (font, size, colour, link)."""

    frag: Any
    text: str


def levels(text: str, rtl: bool) -> list[int]:
    """The embedding level of each character of one line (UAX #9 rules X1 to I2 and L1)."""
    storage = uax9.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uax9.get_embedding_levels(text, storage)
    every = list(storage["chars"])  # rule X9 takes joiners and embeddings out of storage
    uax9.explicit_embed_and_overrides(storage, False)
    uax9.resolve_weak_types(storage, False)
    uax9.resolve_neutral_types(storage, False)
    uax9.resolve_implicit_levels(storage, False)
    kept = {id(ch) for ch in storage["chars"]}
    out: list[int] = []
    for ch in every:  # a character X9 took out takes the level of the one before it
        out.append(ch["level"] if id(ch) in kept or not out else out[-1])
    if len(out) != len(text):  # a character outside the Basic Multilingual Plane, on UCS-2
        out = (out + [storage["base_level"]] * len(text))[: len(text)]
    # L1: white space at the end of the line goes back to the paragraph's level
    end = len(text)
    while end and text[end - 1].isspace():
        end -= 1
        out[end] = storage["base_level"]
    return out


def needs_visual_order(text: str) -> bool:
    """Whether any character of ``text`` is right to left (then the line must be reordered)."""
    return any(uax9.bidirectional(ch) in ("R", "AL", "AN") for ch in text)


def visual_line(pieces: Sequence[Piece], rtl: bool) -> list[Piece]:
    """One line's pieces, shaped and in visual order (see the module docstring)."""
    text = "".join(p.text for p in pieces)
    if not text:
        return list(pieces)
    level_of = levels(text, rtl)
    runs: list[tuple[Any, int, str]] = []  # (frag, level, logical text)
    at = 0
    for piece in pieces:
        for ch in piece.text:
            level = level_of[at]
            at += 1
            if runs and runs[-1][0] is piece.frag and runs[-1][1] == level:
                runs[-1] = (piece.frag, level, runs[-1][2] + ch)
            else:
                runs.append((piece.frag, level, ch))
    shaped = [
        (level, Piece(frag, _shape(frag, chars, level % 2 == 1))) for frag, level, chars in runs
    ]
    return [piece for _, piece in _reorder(shaped)]


def _shape(frag: Any, text: str, odd: bool) -> str:
    """A run shaped by HarfBuzz (through ReportLab), reversed and mirrored if it is right to left
    and HarfBuzz would not reverse it (punctuation and spaces only)."""
    if odd and not any(uax9.bidirectional(ch) in ("R", "AL") for ch in text):
        out = VisualText("".join(MIRRORED.get(ch, ch) for ch in reversed(text)))
        out.actual = text
        return out if len(text) > 1 or out != text else text
    word = shapeFragWord([0, (frag, text)], features=FEATURES)
    shaped = word[1][1] if len(word) == 2 else None
    if not isinstance(shaped, ShapedStr):
        if odd or not hasattr(getFont(frag.fontName), "unicode_of"):
            return text
        # a script family's run HarfBuzz left alone still says what it is: pdftotext would
        # otherwise join its vowel signs to the glyphs of the run before it
        plain = VisualText(text)
        plain.actual = text
        return plain
    _remember_glyphs(frag.fontName, text, shaped, odd)
    if not odd:  # text extraction reverses right-to-left text itself, glyph by glyph
        shaped.actual = text  # type: ignore[attr-defined]  # ShapedStr keeps a __dict__
    return shaped


def _remember_glyphs(font_name: str, text: str, shaped: ShapedStr, odd: bool) -> None:
    """Tell a ``ShapingFont`` what each glyph drawn for ``text`` stands for: the characters of
    its cluster (in the order they are seen, for a right-to-left glyph), when the cluster is that
    one glyph."""
    unicode_of: dict[int, str] | None = getattr(getFont(font_name), "unicode_of", None)
    if unicode_of is None:
        return
    data = shaped.__shapeData__  # type: ignore[attr-defined]
    starts = sorted({d.cluster for d in data if d.cluster >= 0})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    glyphs: dict[int, int] = {}
    for d in data:
        glyphs[d.cluster] = glyphs.get(d.cluster, 0) + 1
    for ch, d in zip(shaped, data, strict=False):
        chars = text[d.cluster : ends.get(d.cluster, len(text))]
        if glyphs.get(d.cluster) == 1 and chars and ch != chars:
            unicode_of.setdefault(ord(ch), chars[::-1] if odd else chars)


def _reorder(runs: list[tuple[int, Piece]]) -> list[tuple[int, Piece]]:
    """Rule L2: from the highest level to the lowest odd one, reverse every sequence of runs at
    that level or higher (a run's own glyphs are already in visual order)."""
    if not runs:
        return runs
    highest = max(level for level, _ in runs)
    odd = [level for level, _ in runs if level % 2]
    if not odd:
        return runs
    out = list(runs)
    for level in range(highest, min(odd) - 1, -1):
        i = 0
        while i < len(out):
            if out[i][0] >= level:
                j = i
                while j < len(out) and out[j][0] >= level:
                    j += 1
                out[i:j] = out[i:j][::-1]
                i = j
            else:
                i += 1
    return out


def width(pieces: Sequence[Piece]) -> float:
    """How wide the pieces are when drawn (a shaped piece by its glyphs' advances)."""
    total = 0.0
    for piece in pieces:
        text, frag = piece.text, piece.frag
        if isinstance(text, ShapedStr):
            data = text.__shapeData__  # type: ignore[attr-defined]
            total += sum(d.x_advance for d in data) * frag.fontSize / 1000
        else:
            total += stringWidth(text, frag.fontName, frag.fontSize)
    return total
