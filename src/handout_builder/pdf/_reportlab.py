"""Every private ReportLab name that handout-builder relies on, behind small functions of its own.

ReportLab has no public way to do a few things we need: read a table's cells in reading order,
measure a group of flowables as a frame would, build a paragraph's fragments without writing and
parsing markup, hold pages back until the total page count is known, end each line of text with a
space, reach the content stream of the page just finished, draw the pictures inside a vector
drawing as image objects (ReportLab's renderer writes them inline, which tagging cannot mark), and
date a document from a value given to it instead of from the process's environment. Each of those
uses a name that a ReportLab release may remove or rename, so each is here and nowhere else, and
``tests/pdf/test_reportlab_contract.py`` exercises every one of them: when an upgrade breaks one,
that test fails with the name, instead of tagging going quietly wrong. ``pyproject.toml`` bounds
``reportlab`` to the releases that test has passed on.
"""

from __future__ import annotations

import copy
import hashlib
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, cast

from reportlab.graphics.renderbase import renderScaledDrawing
from reportlab.graphics.renderPDF import _PDFRenderer
from reportlab.graphics.shapes import Drawing, Image
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader, TimeStamp, bytestr
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Frame, Paragraph, Table
from reportlab.platypus import paragraph as rl_paragraph

# types-reportlab describes ReportLab's public API only, so mypy knows none of the names below:
# the two functions are imported past it, and the private members of objects are described by
# the Protocols that follow, through which those objects are read (with a cast).
from reportlab.platypus.flowables import _listWrapOn  # type: ignore[attr-defined]
from reportlab.platypus.paragraph import textTransformFrags  # type: ignore[attr-defined]
from reportlab.platypus.paraparser import ParaParser

INTERNALS = (
    "reportlab.platypus.flowables._listWrapOn",
    "reportlab.platypus.paraparser.ParaParser.tt_parse",
    "reportlab.platypus.paragraph.textTransformFrags",
    "Table._cellvalues",
    "Table._height",
    "KeepTogether._content",
    "Paragraph.blPara",
    "Flowable._hAlignAdjust",
    "Frame._generated_content",
    "PDFTextObject._textOut",
    "Canvas._doc.Pages.pages[-1].stream",
    "Canvas._startPage",
    "reportlab.graphics.renderPDF._PDFRenderer",
    "Canvas._doc._timeStamp",
    "Canvas._doc.signature",
    "Paragraph.blPara.lines (ParaLines, FragLine, ParaFrag)",
    "PDFTextObject._formatText",
    "PDFTextObject._setFont",
    "TTFont.state, TTFont.addObjects, PDFDocument.idToObject['toUnicodeCMap:...']",
    "TTFont.hbFont, TTFont.hbAddPrivate, TTFontFace.charWidths, .hmetrics, ._pdfScale",
)
"""The private names used here, for the contract test and for anyone upgrading ReportLab."""


class _TableInternals(Protocol):
    _cellvalues: list[list[Any]]


class _FlowableInternals(Protocol):
    def _hAlignAdjust(self, x: float, sW: float = 0) -> float: ...


class _Page(Protocol):  # a page of the document being written (pdfdoc.PDFPage)
    stream: str


class _CanvasInternals(Protocol):
    _doc: Any  # the document being written (pdfdoc.PDFDocument); its pages are _doc.Pages.pages

    def _startPage(self) -> None: ...


class _RendererInternals(Protocol):  # renderPDF._PDFRenderer while it draws
    _canvas: Canvas


def fragments_from_tree(tree: tuple[Any, ...], style: ParagraphStyle) -> list[Any]:
    """A paragraph's fragments from a parsed-markup tree (``(tag, attrs, children, None)``), as
    ReportLab's parser would make them from the markup, without any markup being read."""
    frags: list[Any]
    _, frags, _ = ParaParser().tt_parse(tree, style)
    textTransformFrags(frags, style)
    return frags


def group_height(flowables: list[Flowable], width: float, canvas: Canvas) -> float:
    """The height a frame gives a list of flowables set one after another at ``width``."""
    height: float
    _, height = _listWrapOn(flowables, width, canvas)
    return height


def table_cells(table: Table) -> list[list[Any]]:
    """A table's cell values, row by row, as they were given to it."""
    return cast(_TableInternals, table)._cellvalues


def table_height(table: Table) -> float:
    """The height a table measured itself at, or 0 before it was measured."""
    return getattr(table, "_height", 0.0)


def held_flowables(container: Flowable) -> list[Flowable]:
    """The flowables a container (a keep-together group, say) holds; none for other flowables."""
    return list(getattr(container, "_content", None) or [])


def hold(container: Flowable, flowables: list[Flowable]) -> None:
    """Make a container of our own hold ``flowables`` where ReportLab's containers keep theirs,
    so that everything that looks inside containers (tagging, ``held_flowables``) finds them."""
    container.__dict__["_content"] = flowables


def is_broken_into_lines(paragraph: Paragraph) -> bool:
    """Whether a paragraph holds the lines it was last broken into (``split`` drops them)."""
    return "blPara" in paragraph.__dict__


def aligned_x(flowable: Flowable, x: float, space_width: float) -> float:
    """Where a flowable with ``hAlign`` starts in a space ``space_width`` wide from ``x``."""
    return cast(_FlowableInternals, flowable)._hAlignAdjust(x, space_width)


class CopiedFrame(Frame):
    """A frame that is copied, not deep-copied, when ReportLab measures a group of flowables
    (``_listWrapOn`` copies the frame for every keep-together group: 3 ms a handout). A frame
    holds numbers and names; the one list, of content generated while measuring, is dropped
    from the copy by ReportLab and made anew."""

    def __deepcopy__(self, memo: dict[int, Any]) -> CopiedFrame:
        clone = copy.copy(self)
        clone.__dict__.pop("_generated_content", None)
        return clone


class SpacedTextObject(PDFTextObject):
    """A text object that ends each line with a space (a Paragraph writes each of its lines
    through ``_textOut(text, TStar=1)``), so text read from the page (by a screen
    reader, a copy and paste, ``pdfinfo -struct-text``) keeps the break between the last word of
    a line and the first of the next. The space is invisible and moves nothing already placed.

    Text that carries ``actual`` (shaped or reordered text, see ``pdf.visual``) is written inside
    a ``Span`` whose ``ActualText`` is what was typed."""

    def _textOut(self, text: str, TStar: int = 0) -> None:
        if TStar and not text.endswith((" ", "\u00a0")):
            if getattr(text, "actual", None) is not None:
                super()._textOut(text, 0)  # type: ignore[misc]  # private: see the imports
                text = " "
            else:
                text += " "
        super()._textOut(text, TStar)  # type: ignore[misc]  # private: see the imports

    def _formatText(self, text: str) -> str:
        code: str = super()._formatText(text)  # type: ignore[misc]  # private: see the imports
        actual: str | None = getattr(text, "actual", None)
        if actual is None:
            return code
        return (
            f"/Span <</ActualText <FEFF{actual.encode('utf-16-be').hex().upper()}>>> BDC {code} EMC"
        )


class _TextInternals(Protocol):
    def _setFont(self, psfontname: str, size: float) -> None: ...

    def _textOut(self, text: str, TStar: int = 0) -> None: ...


def set_text_font(text: PDFTextObject, font: str, size: float) -> None:
    """Switch a text object to ``font`` at ``size`` as a paragraph does between its fragments
    (for an embedded font this writes nothing until text is shown)."""
    cast(_TextInternals, text)._setFont(font, size)


def text_out(text: PDFTextObject, chars: str, end_line: bool) -> None:
    """Show ``chars`` at the current point, then, at the end of a line, move to the next one
    (as a paragraph writes each piece of a line)."""
    cast(_TextInternals, text)._textOut(chars, 1 if end_line else 0)


def rewrite_last_page(canvas: Canvas, rewrite: Callable[[str], str]) -> None:
    """Pass the content stream of the page the canvas has just finished through ``rewrite``."""
    page: _Page = cast(_CanvasInternals, canvas)._doc.Pages.pages[-1]
    page.stream = rewrite(page.stream)


def page_state(canvas: Canvas) -> dict[str, Any]:
    """Everything the canvas holds about the page being drawn, to finish that page later."""
    return dict(canvas.__dict__)


def restore_page_state(canvas: Canvas, state: dict[str, Any]) -> None:
    """Put a page saved by ``page_state`` back on the canvas, to be finished now."""
    canvas.__dict__.update(state)


def start_next_page(canvas: Canvas) -> None:
    """Begin a fresh page without emitting the one being drawn (held back by the caller)."""
    cast(_CanvasInternals, canvas)._startPage()


class _PictureRenderer(_PDFRenderer):
    """ReportLab's PDF renderer, drawing each picture inside a drawing as an image object (an
    XObject, with its transparency) instead of an inline image; a picture named by a file path
    is never opened (svglib's pictures are images in memory)."""

    def drawImage(self, image: Image) -> None:
        picture = image.path
        if hasattr(picture, "mode"):  # a Pillow image
            cast(_RendererInternals, self)._canvas.drawImage(
                ImageReader(picture), image.x, image.y, image.width, image.height, mask="auto"
            )


def draw_drawing(drawing: Drawing, canvas: Canvas, x: float, y: float) -> None:
    """Draw a vector drawing (an SVG picture, say) at (x, y), as ``renderPDF.draw`` does but
    with its pictures as image objects (see ``_PictureRenderer``)."""
    # types-reportlab types the position as int; it is in points, like any other
    _PictureRenderer().draw(renderScaledDrawing(drawing), canvas, x, y)  # type: ignore[arg-type]


class _DocumentTime(TimeStamp):
    """ReportLab's ``TimeStamp`` made from a given time, never from the environment: ``epoch``
    (seconds since 1970, in UTC) as ``SOURCE_DATE_EPOCH`` would give it, or now (local time)."""

    def __init__(self, epoch: int | None) -> None:
        if epoch is not None:
            self.t: float = epoch
            moment = time.gmtime(epoch)
            self.dhh = self.dmm = 0
            self.tzname = "UTC"
        else:
            self.t = time.time()
            moment = time.localtime(self.t)
            self.dhh = int(moment.tm_gmtoff / 3600.0)
            self.dmm = (moment.tm_gmtoff % 3600) % 60  # as ReportLab works it out
            self.tzname = moment.tm_zone
        m = moment
        self.lt = (
            *(m.tm_year, m.tm_mon, m.tm_mday, m.tm_hour, m.tm_min, m.tm_sec),
            *(m.tm_wday, m.tm_yday, m.tm_isdst),
        )
        self.YMDhms = self.lt[:6]


def date_document(canvas: Canvas, epoch: int | None) -> None:
    """Date the document a new canvas is writing (its creation and modification dates, and the
    seed of its /ID) from ``epoch``, or from now when it is None, whatever the environment
    holds. ReportLab reads ``SOURCE_DATE_EPOCH`` itself when it makes the document; this puts
    back what it makes then, from the value given: the same bytes as that variable set to
    ``epoch`` would give."""
    document = cast(_CanvasInternals, canvas)._doc
    stamp = _DocumentTime(epoch)
    document._timeStamp = stamp
    signature = hashlib.md5(b"a reportlab document", usedforsecurity=False)
    signature.update(bytestr(ascii(stamp.t)))
    document.signature = signature


def line_pieces(paragraph: Paragraph) -> list[tuple[list[tuple[Any, str]], float, Any]]:
    """The lines a paragraph was broken into (``Paragraph.blPara``): for each, its pieces
    (ReportLab fragment, text) in logical order, the width it may fill, and the line itself."""
    blpara: Any = paragraph.__dict__["blPara"]  # set by wrap, which always comes first
    out: list[tuple[list[tuple[Any, str]], float, Any]] = []
    if blpara.kind == 0:  # one font for the whole paragraph: lines are (extra space, words)
        frag = blpara.clone()
        for name in ("lines", "kind", "text"):
            frag.__dict__.pop(name, None)
        for extra, words in blpara.lines:
            text = " ".join(words)
            room = extra + stringWidth(text, frag.fontName, frag.fontSize)
            out.append(([(frag, text)], room, None))
        return out
    for line in blpara.lines:
        pieces = [(f, f.text) for f in line.words if not hasattr(f, "cbDefn")]
        used = sum(stringWidth(t, f.fontName, f.fontSize) for f, t in pieces)
        out.append((pieces, line.extraSpace + used, line))
    return out


@contextmanager
def drawn_lines(
    paragraph: Paragraph, lines: list[tuple[list[tuple[Any, str]], float, Any]]
) -> Iterator[None]:
    """While inside, the paragraph draws ``lines`` (its lines made of the pieces given, each with
    the space left over as its ``extraSpace``, never negative) instead of those it was broken
    into."""
    logical: Any = paragraph.__dict__["blPara"]
    paragraph.__dict__["blPara"] = _frag_lines(logical, lines)
    try:
        yield
    finally:
        paragraph.__dict__["blPara"] = logical


def _frag_lines(blpara: Any, lines: list[tuple[list[tuple[Any, str]], float, Any]]) -> Any:
    made = []
    for pieces, extra, line in lines:
        words = [frag.clone(text=text) for frag, text in pieces]
        size = max((f.fontSize for f in words), default=blpara.fontSize if blpara.kind == 0 else 0)
        if line is None:
            line = rl_paragraph.FragLine(
                wordCount=1,
                lineBreak=False,
                fontSize=size,
                ascent=blpara.ascent,
                descent=blpara.descent,
            )
        made.append(line.clone(words=words, extraSpace=max(extra, 0.0)))
    return rl_paragraph.ParaLines(kind=1, lines=made)


_BFCHAR = re.compile(r"^<([0-9A-F]{2})> <([0-9A-F]{4})>$", re.MULTILINE)


class ShapingFont(TTFont):
    """A TrueType font for text that HarfBuzz shapes, whose ``ToUnicode`` map gives each glyph
    the text it was shaped from. ReportLab names a glyph by a character that maps to it: a
    presentation form (an Arabic letter in one of its joined shapes) or, for a glyph no character
    maps to (a conjunct, a ligature), a private-use one, which text extraction would give as is.
    ``unicode_of`` holds what each such character stands for, filled in as text is shaped."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self.unicode_of: dict[int, str] = {}

    def hbFont(self, fontSize: float = 10) -> Any:
        """HarfBuzz's font, as ReportLab makes it; and a glyph that ReportLab gives a private-use
        character is given its own advance width, from the font's ``hmtx`` table. ReportLab gives
        it the advance HarfBuzz positioned it with (a half form before a conjunct is narrower
        than the glyph), so the font's ``/Widths`` would disagree with its program, which PDF/UA-1
        (7.21.5, page-validation's ``FONT-GLYPH-WIDTH``) forbids. Where it is drawn, ReportLab
        makes up the difference from the positioned advance, so nothing moves."""
        font = super().hbFont(fontSize)
        add_private: Callable[[str, int, float], int] = self.__dict__["hbAddPrivate"]
        face = cast(Any, self).face

        def add_with_own_width(name: str, glyph: int, advance: float) -> int:
            code = add_private(name, glyph, advance)
            face.charWidths[code] = face._pdfScale(face.hmetrics[glyph][0])
            return code

        self.__dict__["hbAddPrivate"] = add_with_own_width
        return font

    def addObjects(self, doc: Any) -> None:
        state = getattr(self, "state", {}).get(doc)
        count = len(state.subsets) if state is not None else 0
        super().addObjects(doc)
        face = cast(Any, self).face
        for n in range(count):
            base = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = _BFCHAR.sub(self._mapped, stream.content)

    def _mapped(self, match: re.Match[str]) -> str:
        text = self.unicode_of.get(int(match.group(2), 16))
        if not text:
            return match.group(0)
        return f"<{match.group(1)}> <{text.encode('utf-16-be').hex().upper()}>"
