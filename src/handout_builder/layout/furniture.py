"""Page furniture: the branded header on the first page and the footer on every page, for
handouts and packet covers alike.

Takes a ``Theme`` (and, for a handout, the ``Handout`` and the ``Approval`` that holds for it, if
any); gives the ``PageSetup`` that the page module (``pdf.page``) lays a story out with: frames
that leave room for header and footer, the document's metadata, a header with the logo and the
organisation's name, and a footer with the contact lines (and for a handout, its version, who
approved it when or "Draft", the next review date and "Page X of Y"). A draft (a handout without
an approval that holds, or a packet with one in it) carries the draft mark on every page: a dark
band across the top margin saying "DRAFT — not approved for patient use" in the reader's
language (white on near-black, so it survives a black-and-white copier and is never covered by
content), and a large diagonal "DRAFT" beneath the content, grey enough to read through; and its
title starts with "Draft".
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from handout_builder.inline import literal, plain_text
from handout_builder.layout.markup import to_markup
from handout_builder.look.brand import contact_line
from handout_builder.look.labels import labels_for
from handout_builder.look.theme import Theme
from handout_builder.model import Approval, Handout
from handout_builder.pdf.page import Box, Footer, PageSetup, Watermark

HEADER_HEIGHT = 20 * mm
# The draft mark. The diagonal word in grey 0.82 shows on a grey-scale copy of the page, and
# body text (#1A1A1A) drawn over it keeps a contrast ratio above 10:1. The band is white on
# near-black (contrast 17:1). The word is drawn beneath everything else on the page, so the
# white around its letters hides nothing.
MARK_GREY = colors.Color(0.82, 0.82, 0.82)
BAND_COLOUR = colors.HexColor("#1A1A1A")
MARK_SIZE = 150.0  # points high, at most: a long word is set smaller
MARK_PIXELS = 300
BAND_GAP = 2 * mm  # between the band and the page's edge, and the band and the header


def handout_pages(handout: Handout, theme: Theme, approval: Approval | None) -> PageSetup:
    """The pages of a handout: header on the first, a footer with its version, who approved
    it when (or "Draft"), the next review date and "Page X of Y" on every page. Without an
    ``approval`` it is a draft: marked on every page, and its title says so."""
    labels = labels_for(handout.language)
    version = labels["version"].format(version=handout.version)
    if approval is None:
        review_line = f"{version} · {labels['draft']}"
    else:
        approved = labels["approved"].format(date=approval.date.isoformat(), name=approval.by)
        due = labels["review_due"].format(date=handout.review_due.isoformat())
        review_line = f"{version} · {approved} · {due}"
    brand = theme.brand
    lines = [contact_line(brand), *([brand.footer] if brand.footer else []), review_line]

    def footer(canvas: Canvas, page: int, total: int) -> None:
        _draw_footer(canvas, theme, lines, labels["page"].format(page=page, pages=total))

    title = plain_text(handout.title, theme.fields)
    draft = approval is None
    return _setup(
        theme,
        title=labels["draft_title"].format(title=title) if draft else title,
        subject=plain_text(handout.subtitle, theme.fields) if handout.subtitle else title,
        language=handout.language,
        keywords=handout.tags,
        footer=footer,
        watermark=draft_mark(theme, handout.language) if draft else None,
    )


def cover_pages(
    theme: Theme, title: str, subject: str, language: str, *, draft: bool = False
) -> PageSetup:
    """The pages of a packet's cover: the same header, and the contact lines as its footer.
    The cover of a packet with a draft in it carries the draft mark, and its title says so."""
    lines = [contact_line(theme.brand)]

    def footer(canvas: Canvas, page: int, total: int) -> None:
        _draw_footer(canvas, theme, lines, None)

    labels = labels_for(language)
    return _setup(
        theme,
        title=labels["draft_title"].format(title=title) if draft else title,
        subject=subject,
        language=language,
        footer=footer,
        watermark=draft_mark(theme, language) if draft else None,
    )


def draft_mark(theme: Theme, language: str) -> Watermark:
    """The draft mark of every page, in ``language``: the band with the notice "DRAFT — not
    approved for patient use" (read once), and a large grey "DRAFT" across the page beneath
    the content (decoration)."""
    labels = labels_for(language)
    return Watermark(
        background=functools.partial(_draw_diagonal, theme=theme, text=labels["draft_mark"]),
        notice=functools.partial(_draw_band, theme=theme, text=labels["draft_notice"]),
    )


def _draw_band(canvas: Canvas, theme: Theme, text: str) -> None:
    """``text`` in white, at the size of body text, on a near-black band across the top
    margin (smaller only where the margin is too narrow for it)."""
    height = theme.pagesize[1]
    m = theme.brand.margins
    gap = min(BAND_GAP, m.top * mm / 5)
    band = min(theme.body_size * 1.5, m.top * mm - 2 * gap)
    left, span = m.left * mm, theme.frame_width
    bold = theme.fonts.primary.bold
    pad = theme.body_size * 0.6
    fits = (span - 2 * pad) / (stringWidth(text, bold, 1) or 1)
    size = min(theme.body_size, band / 1.5, fits)
    style = ParagraphStyle(
        "draft_band", fontName=bold, fontSize=size, leading=size * 1.2, textColor=colors.white
    )
    paragraph = Paragraph(to_markup(literal(text), theme.fonts), style)
    _, h = paragraph.wrap(span - 2 * pad, band)
    bottom = height - gap - band
    canvas.saveState()
    canvas.setFillColor(BAND_COLOUR)
    canvas.rect(left, bottom, span, band, stroke=0, fill=1)
    paragraph.drawOn(canvas, left + pad, bottom + (band - h) / 2 + size * 0.1)
    canvas.restoreState()


def _draw_diagonal(canvas: Canvas, theme: Theme, text: str) -> None:
    """``text`` large, centred on the page's diagonal from lower left to upper right. It is a
    picture of the word, not text: letters of a rotated word would be read into the lines they
    cross by anything that takes text from the page (copy and paste, search)."""
    width, height = theme.pagesize
    diagonal = math.hypot(width, height)
    fonts = theme.fonts
    family = fonts.primary if fonts.primary.drawable.issuperset(text) else fonts.fallback
    font_file = family.files.get("bold")
    if not font_file:  # a family registered without its files: the band still says it
        return
    picture = _word_picture(text, font_file)
    w, h = picture.getSize()
    scale = min(MARK_SIZE / h, diagonal * 0.62 / w)
    canvas.saveState()
    canvas.translate(width / 2, height / 2)
    canvas.rotate(math.degrees(math.atan2(height, width)))
    canvas.drawImage(picture, -w * scale / 2, -h * scale / 2, w * scale, h * scale)
    canvas.restoreState()


@functools.lru_cache(maxsize=8)
def _word_picture(text: str, font_file: str) -> ImageReader:
    """A grey picture of ``text`` on white, 300 pixels high (about 150 dpi at the largest
    size the mark is drawn), made once per process."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(font_file, MARK_PIXELS)
    left, top, right, bottom = (round(x) for x in font.getbbox(text))
    pad = MARK_PIXELS // 10
    image = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 255)
    grey = round(MARK_GREY.red * 255)
    ImageDraw.Draw(image).text((pad - left, pad - top), text, font=font, fill=grey)
    return ImageReader(image)


def _setup(
    theme: Theme,
    *,
    title: str,
    subject: str,
    language: str,
    footer: Footer,
    keywords: list[str] | tuple[str, ...] = (),
    watermark: Watermark | None = None,
) -> PageSetup:
    m = theme.brand.margins
    bottom = m.bottom * mm + theme.footer_height
    return PageSetup(
        pagesize=theme.pagesize,
        first=Box(m.left * mm, bottom, theme.frame_width, theme.frame_height - HEADER_HEIGHT),
        later=Box(m.left * mm, bottom, theme.frame_width, theme.frame_height),
        title=title,
        author=theme.brand.organisation,
        subject=subject,
        language=language,
        keywords=tuple(keywords),
        font=theme.fonts.primary.regular,
        font_size=theme.body_size,
        header=functools.partial(draw_header, theme=theme),
        footer=footer,
        watermark=watermark,
    )


def draw_header(canvas: Canvas, theme: Theme) -> None:
    """The branded band at the top of the first page: logo and organisation name (named in the
    document's metadata too)."""
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


def _draw_footer(canvas: Canvas, theme: Theme, lines: list[str], page_label: str | None) -> None:
    """A rule, then the footer's lines on the left and the page label (if any) on the right."""
    m = theme.brand.margins
    width = theme.frame_width
    size = theme.footer_size
    left_style = ParagraphStyle(
        "footer",
        fontName=theme.fonts.primary.regular,
        fontSize=size,
        leading=size * 1.3,
        textColor=theme.colour("muted"),
    )
    left = Paragraph("<br/>".join(to_markup(literal(x), theme.fonts) for x in lines), left_style)
    canvas.saveState()
    top = m.bottom * mm + theme.footer_height - 2 * mm
    canvas.setStrokeColor(theme.colour("primary"))
    canvas.setLineWidth(0.8)
    canvas.line(m.left * mm, top, m.left * mm + width, top)
    lw = width * 0.78 if page_label is not None else width
    _, h = left.wrap(lw, theme.footer_height)
    left.drawOn(canvas, m.left * mm, top - 2 * mm - h)
    if page_label is not None:
        right_style = ParagraphStyle(
            "footer_r", parent=left_style, alignment=TA_RIGHT, fontName=theme.fonts.primary.bold
        )
        page = Paragraph(page_label, right_style)
        _, ph = page.wrap(width - lw, theme.footer_height)
        page.drawOn(canvas, m.left * mm + lw, top - 2 * mm - ph)
    canvas.restoreState()
