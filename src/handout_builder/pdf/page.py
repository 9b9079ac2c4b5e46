"""Page layout and PDF writing: flowables in, the bytes of a finished PDF out.

Takes a ``Handout``, its ``Theme`` and the story of flowables; gives the bytes of a tagged PDF
(see ``tagging`` and ``tagged_pdf``) with a branded header on the first page, a running footer with
"Page X of Y" on every page (both marked as pagination artifacts), metadata and an outline.
"""

from __future__ import annotations

import copy
import functools
import io
import os
from pathlib import Path

from reportlab import rl_config
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
)

from handout_builder import __version__
from handout_builder.layout.flowables import KeepWithStart, add_bookmark
from handout_builder.layout.markup import literal, to_markup
from handout_builder.look.brand import contact_line
from handout_builder.look.labels import labels_for
from handout_builder.look.theme import Theme
from handout_builder.model import Handout
from handout_builder.pdf.structure import finish
from handout_builder.pdf.tagging import TaggedCanvas, Tagger, artifact, document_tree

HEADER_HEIGHT = 20 * mm


def render_pdf(handout: Handout, theme: Theme, story: list[Flowable]) -> tuple[bytes, int]:
    """Lay out the story and return the bytes of the tagged PDF and the number of pages."""
    # Vector drawings (logo, tier icons) start from this font; keep Helvetica out of the PDF.
    rl_config.defaultGraphicsFontName = theme.fonts.primary.regular
    # Streams stay binary: ASCII85 cost 4 ms a handout, only for the tagging pass to undo it.
    rl_config.useA85 = 0
    tree = document_tree(story)
    tagger = Tagger()
    buffer = io.BytesIO()
    doc = _doc_template(buffer, handout, theme)
    maker = functools.partial(FooterCanvas, handout=handout, theme=theme, tagger=tagger)
    doc.build([NextPageTemplate("later"), *story], canvasmaker=maker)
    return finish(buffer.getvalue(), tree, tagger), doc.page


def _doc_template(buffer: io.BytesIO, handout: Handout, theme: Theme) -> BaseDocTemplate:
    brand = theme.brand
    m = brand.margins
    width, height = theme.pagesize
    bottom = m.bottom * mm + theme.footer_height
    first = PageFrame(
        m.left * mm,
        bottom,
        theme.frame_width,
        theme.frame_height - HEADER_HEIGHT,
        id="first",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    later = PageFrame(
        m.left * mm,
        bottom,
        theme.frame_width,
        theme.frame_height,
        id="later",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    invariant = 1 if os.environ.get("SOURCE_DATE_EPOCH", "").strip() else 0
    doc = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        title=handout.title,
        author=brand.organisation,
        subject=handout.subtitle or handout.title,
        keywords=list(handout.tags),
        creator=f"handout-builder {__version__}",
        producer=f"handout-builder {__version__} (ReportLab)",
        lang=handout.language,
        displayDocTitle=1,
        invariant=invariant,
        initialFontName=theme.fonts.primary.regular,
        initialFontSize=theme.body_size,
        pageTemplates=[
            PageTemplate("first", frames=[first], onPage=lambda c, d: draw_header(c, theme)),
            PageTemplate("later", frames=[later]),
        ],
    )
    doc.keepTogetherClass = KeepWithStart  # headings keep with the start of what follows
    return doc


class PageFrame(Frame):
    """A frame that is copied, not deep-copied, when ReportLab measures a group of flowables
    (``_listWrapOn`` copies the frame for every keep-together group: 3 ms a handout). A frame
    holds numbers and names; the one list, of content generated while measuring, is dropped
    from the copy by ReportLab and made anew."""

    def __deepcopy__(self, memo: dict) -> PageFrame:
        clone = copy.copy(self)
        clone.__dict__.pop("_generated_content", None)
        return clone


def draw_header(canvas: Canvas, theme: Theme) -> None:
    """The branded band at the top of the first page: logo and organisation name, marked as a
    pagination artifact (the organisation is named in the document's metadata)."""
    with artifact(canvas, "Header"):
        _draw_header(canvas, theme)


def _draw_header(canvas: Canvas, theme: Theme) -> None:
    brand = theme.brand
    m = brand.margins
    width, height = theme.pagesize
    top = height - m.top * mm
    logo_size = HEADER_HEIGHT - 6 * mm
    x = m.left * mm
    canvas.saveState()
    if theme.loaded.logo:
        _draw_logo(canvas, theme.loaded.logo, x, top - logo_size, logo_size)
        x += logo_size + 4 * mm
    org = Paragraph(
        to_markup(literal(brand.organisation), theme.fonts),
        ParagraphStyle("org", parent=theme.style("h2"), spaceBefore=0, spaceAfter=0),
    )
    _, h = org.wrap(width - x - m.right * mm, logo_size)
    org.drawOn(canvas, x, top - logo_size / 2 - h / 2)
    canvas.setStrokeColor(theme.colour("primary"))
    canvas.setLineWidth(2)
    rule_y = top - HEADER_HEIGHT + 3 * mm
    canvas.line(m.left * mm, rule_y, width - m.right * mm, rule_y)
    canvas.restoreState()


def _draw_logo(canvas: Canvas, path: Path, x: float, y: float, size: float) -> None:
    if path.suffix.lower() == ".svg":
        from reportlab.graphics import renderPDF

        stat = path.stat()
        drawing = _svg_logo(str(path), (stat.st_mtime_ns, stat.st_size), size)
        if drawing is not None:
            renderPDF.draw(drawing, canvas, x, y)
    else:
        canvas.drawImage(
            str(path),
            x,
            y,
            width=size,
            height=size,
            preserveAspectRatio=True,
            anchor="sw",
            mask="auto",
        )


@functools.lru_cache(maxsize=8)
def _svg_logo(path: str, version: tuple[int, int], size: float) -> Drawing | None:
    """An SVG logo read and scaled to ``size`` once per process, and again if the file changes
    (``version`` is its modification time and size); drawing it does not change it."""
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(path)
    if drawing is not None:
        scale = min(size / drawing.width, size / drawing.height)
        drawing.scale(scale, scale)
    return drawing


class FooterCanvas(TaggedCanvas):
    """A tagged canvas that holds pages back until the end, so each footer can say "Page X of
    Y"."""

    def __init__(
        self, *args: object, handout: Handout, theme: Theme, tagger: Tagger, **kwargs: object
    ) -> None:
        super().__init__(*args, tagger=tagger, **kwargs)
        self._handout = handout
        self._theme = theme
        self._saved_pages: list[dict] = []
        self.pending_bookmarks: list[tuple] = []

    def showPage(self) -> None:
        self._saved_pages.append(dict(self.__dict__))
        self.pending_bookmarks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            for entry in self.pending_bookmarks:
                add_bookmark(self, *entry)
            with artifact(self, "Footer"):
                self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        theme = self._theme
        handout = self._handout
        brand = theme.brand
        labels = labels_for(handout.language)
        m = brand.margins
        width = theme.frame_width
        size = theme.footer_size
        left_style = ParagraphStyle(
            "footer",
            fontName=theme.fonts.primary.regular,
            fontSize=size,
            leading=size * 1.3,
            textColor=theme.colour("muted"),
        )
        right_style = ParagraphStyle(
            "footer_r", parent=left_style, alignment=TA_RIGHT, fontName=theme.fonts.primary.bold
        )
        line1 = contact_line(brand)
        line2 = " · ".join(
            [
                labels["version"].format(version=handout.version),
                labels["reviewed"].format(date=handout.last_reviewed.isoformat()),
                labels["review_due"].format(date=handout.review_due.isoformat()),
            ]
        )
        lines = [line1, *([brand.footer] if brand.footer else []), line2]
        left = Paragraph(
            "<br/>".join(to_markup(literal(x), theme.fonts) for x in lines), left_style
        )
        page = Paragraph(labels["page"].format(page=self._pageNumber, pages=total), right_style)
        self.saveState()
        top = m.bottom * mm + theme.footer_height - 2 * mm
        self.setStrokeColor(theme.colour("primary"))
        self.setLineWidth(0.8)
        self.line(m.left * mm, top, m.left * mm + width, top)
        lw = width * 0.78
        _, h = left.wrap(lw, theme.footer_height)
        left.drawOn(self, m.left * mm, top - 2 * mm - h)
        _, ph = page.wrap(width - lw, theme.footer_height)
        page.drawOn(self, m.left * mm + lw, top - 2 * mm - ph)
        self.restoreState()
