"""The lean text path: paragraphs of plain runs of text, laid out and drawn without ReportLab's
``Paragraph``.

Takes a paragraph's pieces, ``(font name, text)`` in reading order (one per run of bold, italic or
regular text in one font, as ReportLab's fragments would hold them), a ``ParagraphStyle`` that
``takes`` accepts (left-aligned, no indents, no hyphenation), the paragraph's structure node and a
``fallback``: a way to make the same paragraph as a ReportLab ``Paragraph``. Gives a flowable that

- prepares its words once (``Paragraph`` does it at every wrap), with their widths cached per
  font and size for the process;
- breaks them into lines greedily, by the rule ``Paragraph.breakLines`` follows (a line may be up
  to ``spaceShrinkage`` of its spaces too long, and then its spaces shrink);
- splits across frames as ``Paragraph.split`` does (the style's orphans and widows), into parts
  that carry the node;
- draws each line straight into a text object, with the same operators ``Paragraph.drawPara``
  writes, so the pages are the same to the byte and the text is tagged the same way.

What it does not do, ReportLab does: a paragraph of one word wider than its line (broken between
letters by ReportLab) turns into its ``fallback`` at that width, and so do its parts. Shaped,
right-to-left and CJK text, links and other styles never come here (see ``layout.text``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from handout_builder.pdf._reportlab import set_text_font, text_out
from handout_builder.pdf.tagging import StructNode, marked

FUZZ = 1e-6  # ReportLab's rl_config._FUZZ: narrower than this, nothing fits
Piece = tuple[str, str]
"""Text in one font: (ReportLab font name, text)."""

_widths: dict[tuple[str, float], dict[str, float]] = {}


def text_width(text: str, font: str, size: float) -> float:
    """``stringWidth`` of ``text``, remembered per font and size for the process."""
    known = _widths.get((font, size))
    if known is None:
        if len(_widths) > 256:  # a long-running process with many brands: start again
            _widths.clear()
        known = _widths[(font, size)] = {}
    width = known.get(text)
    if width is None:
        if len(known) > 50_000:
            known.clear()
        width = known[text] = stringWidth(text, font, size)
    return width


def takes(style: ParagraphStyle) -> bool:
    """Whether paragraphs in ``style`` can take the lean path: left-aligned, no indents, bullets,
    borders, backgrounds, hyphenation, automatic leading or other line breaking."""
    return (
        style.alignment == TA_LEFT
        and not (style.leftIndent or style.rightIndent or style.firstLineIndent)
        and not getattr(style, "bulletText", None)
        and not (style.backColor or style.borderWidth or style.endDots or style.textTransform)
        and not (style.hyphenationLang or style.embeddedHyphenation or style.uriWasteReduce)
        and getattr(style, "autoLeading", "") in ("", "off", None)
        and not style.wordWrap
    )


def plain_spaces(text: str) -> bool:
    """Whether every white space in ``text`` is a plain space (ReportLab treats the others, and
    soft hyphens and zero-width spaces, in ways of their own)."""
    return not any(ch.isspace() or ch in "\u00ad\u200b\ufeff" for ch in text if ch != " ")


@dataclass
class Word:
    """A word: its width, its pieces (a word can change font, "(**not**)"), and whether a space
    follows it (measured in the font of its last piece)."""

    width: float
    pieces: list[Piece]
    spaced: bool


@dataclass
class Line:
    """A line: the room left (negative when its spaces must shrink), how many words it has, and
    its text as ReportLab would draw it, in runs of one font each."""

    extra: float
    count: int
    runs: list[list[str]] = field(default_factory=list)  # [font, text]
    start: int = 0  # the index of its first word


def frag_words(pieces: Sequence[Piece], size: float) -> list[Word]:
    """The words of a paragraph of several pieces, as ``paragraph._getFragWords`` makes them
    for text: a space at the start of a piece ends the word before it and leaves an empty word
    that carries the space, in the font of that piece."""
    words: list[Word] = []
    current: list[Piece] = []
    width = 0.0
    stripping = True
    for font, text in pieces:
        if not text:
            continue
        if stripping:
            text = text.lstrip(" ")
            if not text:
                continue
            stripping = False
        parts = text.split()
        if text[0] == " " or not parts:
            if current:
                words.append(Word(width, current, False))
                current, width = [], 0.0
                spaced_before = False
            else:
                spaced_before = bool(words) and words[-1].spaced
            if not spaced_before:
                parts.insert(0, "")
            elif not parts:
                continue
        for part in parts[:-1]:
            current.append((font, part))
            width += text_width(part, font, size)
            words.append(Word(width, current, True))
            current, width = [], 0.0
        part = parts[-1]
        current.append((font, part))
        width += text_width(part, font, size)
        if text[-1] == " ":
            words.append(Word(width, current, True))
            current, width = [], 0.0
    if current:
        words.append(Word(width, current, False))
    return words


class TooWide(Exception):
    """A word is wider than its line: ReportLab would break it between letters."""


def break_words(
    words: Sequence[Word], width: float, size: float, shrinkage: float, split_long: bool = True
) -> list[Line]:
    """Lines of a paragraph of several pieces, as ``Paragraph.breakLines`` makes them."""
    lines: list[Line] = []
    runs: list[list[str]] = []
    count = start = 0
    space = current = 0.0
    for index, word in enumerate(words):
        if not runs:
            count, space, current = 0, 0.0, 0.0
        font, text = word.pieces[0]
        new = current + space + word.width if word.width > 0 else current
        limit = width
        if shrinkage:
            shrink = space
            for run_font, run_text in runs:
                spaces = run_text.count(" ")
                if spaces:
                    shrink += spaces * text_width(" ", run_font, size)
            limit += shrink * shrinkage
        if new > limit and split_long and word.width > width:
            raise TooWide
        last_font = word.pieces[-1][0]
        if not (new > limit and count > 0):
            if text:
                count += 1
            if not runs:
                runs = [[font, text]]
            elif runs[-1][0] != font:
                if space and not runs[-1][1].endswith(" "):
                    runs[-1][1] += " "
                runs.append([font, text])
            elif space:
                runs[-1][1] += text if runs[-1][1].endswith(" ") else " " + text
            else:
                runs[-1][1] += text
            space = text_width(" ", last_font, size) if word.spaced else 0.0
            rest = [[f, t] for f, t in word.pieces[1:]]
            runs += rest
            if not text and any(t for _, t in rest):
                count += 1
            current = new
        else:
            lines.append(Line(width - current, count, runs, start))
            start = index
            space = text_width(" ", last_font, size) if word.spaced else 0.0
            current, count = word.width, 1
            runs = [[font, text]] + [[f, t] for f, t in word.pieces[1:]]
    if runs:
        lines.append(Line(width - current, count, runs, start))
    return lines


def break_plain(
    words: Sequence[str],
    font: str,
    width: float,
    size: float,
    shrinkage: float,
    split_long: bool = True,
) -> list[Line]:
    """Lines of a paragraph in one font, as ``Paragraph.breakLines`` makes them."""
    lines: list[Line] = []
    space = text_width(" ", font, size)
    shrink = shrinkage * space
    line: list[str] = []
    current = -space
    for word in words:
        word_width = text_width(word, font, size)
        new = current + space + word_width
        limit = width + shrink * len(line)
        if new > limit and split_long and word_width > width:
            raise TooWide
        if new <= limit or not line:
            line.append(word)
            current = new
        else:
            lines.append(Line(width - current, len(line), [[font, " ".join(line)]]))
            line, current = [word], word_width
    if line:
        lines.append(Line(width - current, len(line), [[font, " ".join(line)]]))
    return lines


class TextParagraph(Flowable):
    """A paragraph on the lean path (see the module docstring). A paragraph of one piece is
    kept as that font's words (``plain``: ReportLab's "kind 0" paragraph), one of several as its
    ``Word``s, made when it is first measured; the parts of a split keep theirs, as
    ``Paragraph.split`` does."""

    def __init__(
        self,
        pieces: Sequence[Piece],
        style: ParagraphStyle,
        node: StructNode | None,
        fallback: Callable[[], Flowable],
        *,
        plain: tuple[str, list[str]] | None = None,
        words: list[Word] | None = None,
    ) -> None:
        super().__init__()
        self.style = style
        self.node = node
        self.fallback = fallback
        self.pieces = list(pieces)
        if plain is None and words is None and len(self.pieces) == 1:
            font, text = self.pieces[0]
            plain = (font, text.strip(" ").split())
        self.plain = plain
        self._words: list[Word] | None = words
        self._lines: list[Line] | None = None
        self._wrapped_at: float | None = None
        self._instead: Flowable | None = None  # the fallback, once a word did not fit

    # --- measuring -------------------------------------------------------------------------

    def _break(self, width: float) -> list[Line]:
        style = self.style
        size, shrinkage, split_long = style.fontSize, style.spaceShrinkage, style.splitLongWords
        if self.plain is not None:
            font, words = self.plain
            return break_plain(words, font, width, size, shrinkage, bool(split_long))
        if self._words is None:
            self._words = frag_words(self.pieces, size)
        return break_words(self._words, width, size, shrinkage, bool(split_long))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        stale = availWidth != self._wrapped_at or self._lines is None
        if self._instead is None and availWidth >= FUZZ and stale:
            try:
                self._lines = self._break(availWidth)
            except TooWide:
                self._instead = self._made_instead()
            self._wrapped_at = availWidth
        if self._instead is not None:
            # its size is this paragraph's too: a table splitting a row reads ``height``
            self.width, self.height = self._instead.wrap(availWidth, availHeight)
            return self.width, self.height
        if availWidth < FUZZ:
            return 0, 0x7FFFFFFF
        assert self._lines is not None
        self.width = availWidth
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def _made_instead(self) -> Flowable:
        instead = self.fallback()
        instead.__dict__.update(self._carried())
        return instead

    def minWidth(self) -> float:
        size = self.style.fontSize
        if self.plain is not None:
            font, words = self.plain
            return max((text_width(w, font, size) for w in words), default=0.0)
        if self._words is None:
            self._words = frag_words(self.pieces, size)
        return max((w.width for w in self._words), default=0.0)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self._instead is not None:
            return self._instead.split(availWidth, availHeight)
        empty = self.plain is None and not self.pieces and not self._words
        if empty or availWidth < FUZZ or availHeight < FUZZ:
            return []
        if self._lines is None:
            self.wrap(availWidth, availHeight)
            if self._instead is not None:
                return self._instead.split(availWidth, availHeight)
        lines = self._lines or []
        style = self.style
        fit = int(availHeight / float(style.leading))
        if (not style.allowOrphans and fit <= 1) or fit == 0:
            self._lines = None
            return []
        n = len(lines)
        if n <= fit:
            return [self]
        if not style.allowWidows and n == fit + 1:
            if (style.allowOrphans and n == 3) or n > 3:
                fit -= 1
            else:
                self._lines = None
                return []
        first = self._part(lines[:fit], lines[fit].start)
        first._lines, first.width, first.height = lines[:fit], availWidth, fit * style.leading
        return [first, self._part(lines[fit:], None)]

    def _part(self, lines: list[Line], end: int | None) -> TextParagraph:
        """A paragraph of some of the lines, as ``Paragraph.split`` makes it: their words (up
        to the word ``end`` that begins the next line)."""
        if self.plain is not None:
            font = self.plain[0]
            plain = (font, [w for line in lines for w in line.runs[0][1].split(" ")])
            part = type(self)([], self.style, self.node, self.fallback, plain=plain)
        else:
            words = (self._words or [])[lines[0].start : end]
            part = type(self)([], self.style, self.node, self.fallback, words=words)
        part.__dict__.update(self._carried())
        return part

    def _carried(self) -> dict[str, Any]:
        """What every part of a split paragraph keeps (subclasses add theirs)."""
        return {"node": self.node}

    # --- drawing ---------------------------------------------------------------------------

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        if self._instead is not None:
            # Flowable.drawOn takes the space width (_sW) too; types-reportlab leaves it out
            self._instead.drawOn(canvas, x, y, _sW)  # type: ignore[call-arg]
            return
        with marked(canvas, self):
            # Flowable.drawOn takes the space width (_sW) too; types-reportlab leaves it out
            super().drawOn(canvas, x, y, _sW)  # type: ignore[call-arg]

    def draw(self) -> None:
        lines = self._lines or []
        if not lines:
            return
        canvas: Canvas = self.canv
        style = self.style
        size, leading = style.fontSize, style.leading
        canvas.saveState()
        top = self.height - size
        if self.plain is not None:  # as Paragraph draws a paragraph in one font
            font = self.plain[0]
            canvas.setFillColor(style.textColor)
            text = canvas.beginText(0, top)
            text.setFont(font, size, leading)
            for line in lines:
                self._line(text, line, line.count - 1)
        else:  # as Paragraph draws one of several fragments
            text = canvas.beginText(0, top)
            leading_set = coloured = False
            current: str | None = None
            for line in lines:
                spaces = line.count - 1
                squeeze = line.extra <= -1e-8 and spaces > 0
                if squeeze:
                    text.setWordSpace(line.extra / float(spaces))
                if not leading_set:
                    text.setLeading(leading)
                    leading_set = True
                last = line.runs[-1]
                for run in line.runs:
                    if run[0] != current:
                        current = run[0]
                        set_text_font(text, current, size)
                    if not coloured:
                        text.setFillColor(style.textColor)
                        coloured = True
                    text_out(text, run[1], run is last)
                if squeeze:
                    text.setWordSpace(0)
        canvas.drawText(text)
        canvas.restoreState()

    @staticmethod
    def _line(text: Any, line: Line, spaces: int) -> None:
        squeeze = line.extra <= -1e-8 and spaces > 0
        if squeeze:
            text.setWordSpace(line.extra / float(spaces))
        text_out(text, line.runs[0][1], True)
        if squeeze:
            text.setWordSpace(0)
