"""Page furniture: the branded header on the first page and the footer on every page, for
handouts and packet covers alike.

Takes a ``Theme`` (and, for a handout, the ``Handout`` and the ``Approval`` that holds for it, if
any); gives the ``PageSetup`` that the page module (``pdf.page``) lays a story out with: frames
that leave room for header and footer, the document's metadata, a header with the logo and the
organisation's name, and a footer with the contact lines (and for a handout, its version, who
approved it when or "Draft", the next review date and "Page X of Y"). The other layouts
(``layouts``) draw with the same pieces: ``draw_header``, a ``compact_header`` for the pages after
the first and a ``one_line_footer``.

A draft (a handout without an approval that holds, or a packet with one in it) carries the draft
mark on every page, in every layout: a dark band across the top margin saying "DRAFT — not
approved for patient use" in the reader's language (white on near-black, so it survives a
black-and-white copier and is never covered by content), and a large diagonal "DRAFT" beneath the
content, grey enough to read through; and its title starts with "Draft".

A logo keeps its proportions: it is drawn at the brand's ``logo_height`` (a wide wordmark no
wider than half the text), with the organisation's name beside it, centred on the same line, and
the header is as tall as the logo needs.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypedDict

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from handout_builder.inline import literal, plain_text
from handout_builder.layout.markup import to_markup
from handout_builder.layout.text import direction
from handout_builder.look.brand import Brand, contact_line
from handout_builder.look.labels import labels_for, long_date
from handout_builder.look.theme import Theme
from handout_builder.model import Approval, Handout
from handout_builder.pdf._reportlab import draw_drawing
from handout_builder.pdf.page import Box, Footer, PageSetup, Watermark
from handout_builder.pdf.tagging import TaggedParagraph
from handout_builder.source.images import svg_drawing

HEADER_HEIGHT = 20 * mm  # with a logo of the default height; see header_height
HEADER_PADDING = 6 * mm  # below the logo: the rule and the space under it
LOGO_GAP = 4 * mm  # between the logo and the organisation's name
COMPACT_HEADER_HEIGHT = 10 * mm
# The draft mark. The diagonal word in grey 0.82 shows on a grey-scale copy of the page, and
# body text (#1A1A1A) drawn over it keeps a contrast ratio above 10:1. The band is white on
# near-black (contrast 17:1). The word is drawn beneath everything else on the page, so the
# white around its letters hides nothing.
MARK_GREY = colors.Color(0.82, 0.82, 0.82)
BAND_COLOUR = colors.HexColor("#1A1A1A")
MARK_SIZE = 150.0  # points high, at most: a long word is set smaller
MARK_PIXELS = 300
BAND_GAP = 2 * mm  # between the band and the page's edge, and the band and the header


def header_height(theme: Theme) -> float:
    """The height of the branded header: 20 mm, or more for a logo taller than 14 mm."""
    return max(HEADER_HEIGHT, _logo_box(theme)[1] + HEADER_PADDING)


def review_line(handout: Handout, approval: Approval | None) -> str:
    """The handout's version and where it stands, on one line (a one-line footer's): see
    ``review_lines``."""
    return " · ".join(review_lines(handout, approval))


def review_lines(handout: Handout, approval: Approval | None) -> list[str]:
    """The handout's version and where it stands, as every footer prints them: the next review
    date, then who approved it when; or "Draft", without an ``approval`` that holds. A line
    each, so that no date is broken over two lines."""
    labels = labels_for(handout.language)
    language = handout.language
    version = labels["version"].format(version=handout.version)
    if approval is None:
        return [f"{version} · {labels['draft']}"]
    approved = labels["approved"].format(date=long_date(approval.date, language), name=approval.by)
    due = labels["review_due"].format(date=long_date(handout.review_due, language))
    return [f"{version} · {due}", approved]


def leaflet_lines(handout: Handout, brand: Brand, approval: Approval | None) -> list[str]:
    """Who made the leaflet, how to reach them and which version it is: the contact line, the
    brand's footer line and the version and review line. Every page's footer repeats them (as
    artifacts, which a screen reader skips); the contact block at the end of the leaflet
    (``sections.contact``) says them once, as content."""
    lines = review_lines(handout, approval)
    return [contact_line(brand), *([brand.footer] if brand.footer else []), *lines]


def handout_pages(handout: Handout, theme: Theme, approval: Approval | None) -> PageSetup:
    """The pages of a handout: header on the first, a footer with its version, who approved
    it when (or "Draft"), the next review date and "Page X of Y" on every page. Without an
    ``approval`` it is a draft: marked on every page, and its title says so."""
    labels = labels_for(handout.language)
    lines = leaflet_lines(handout, theme.brand, approval)

    draw = _footer(theme, lines)

    def footer(canvas: Canvas, page: int, total: int) -> None:
        draw(canvas, labels["page"].format(page=page, pages=total))

    return _setup(theme, footer=footer, **handout_metadata(handout, theme, approval))


def handout_metadata(handout: Handout, theme: Theme, approval: Approval | None) -> Metadata:
    """What a handout's PDF says about itself and is marked with: title ("Draft: ..." for a
    draft), subject, language, keywords and, for a draft, the draft mark."""
    title = plain_text(handout.title, theme.fields)
    draft = approval is None
    labels = labels_for(handout.language)
    return {
        "title": labels["draft_title"].format(title=title) if draft else title,
        "subject": plain_text(handout.subtitle, theme.fields) if handout.subtitle else title,
        "language": handout.language,
        "keywords": handout.tags,
        "watermark": draft_mark(theme, handout.language) if draft else None,
    }


class Metadata(TypedDict):
    """The document information a handout's ``PageSetup`` carries, and its draft mark."""

    title: str
    subject: str
    language: str
    keywords: list[str]
    watermark: Watermark | None


def cover_pages(
    theme: Theme, title: str, subject: str, language: str, *, draft: bool = False
) -> PageSetup:
    """The pages of a packet's cover: the same header, and the contact lines as its footer.
    The cover of a packet with a draft in it carries the draft mark, and its title says so."""
    draw = _footer(theme, [contact_line(theme.brand)])

    def footer(canvas: Canvas, page: int, total: int) -> None:
        draw(canvas, None)

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
    m = theme.margins
    gap = min(BAND_GAP, m.top * mm / 5)
    band = min(theme.body_size * 1.5, m.top * mm - 2 * gap)
    left, span = m.left * mm, theme.text_width
    bold = theme.fonts.primary.bold
    pad = theme.body_size * 0.6
    fits = (span - 2 * pad) / (stringWidth(text, bold, 1) or 1)
    size = min(theme.body_size, band / 1.5, fits)
    style = ParagraphStyle(
        "draft_band",
        fontName=bold,
        fontSize=size,
        leading=size * 1.2,
        textColor=colors.white,
        alignment=TA_RIGHT if theme.rtl else TA_LEFT,
    )
    paragraph = _furniture_para(theme, f"<b>{to_markup(literal(text), theme.fonts)}</b>", style)
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
    runs = theme.fonts.runs(text)  # the family that draws most of the word
    family = max(runs, key=lambda run: len(run[1].strip()))[0] if runs else theme.fonts.primary
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
    m = theme.margins
    bottom = m.bottom * mm + theme.footer_height
    return PageSetup(
        pagesize=theme.pagesize,
        first=Box(
            m.left * mm, bottom, theme.frame_width, theme.frame_height - header_height(theme)
        ),
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
    document's metadata too), side by side and centred on the same line."""
    brand = theme.brand
    m = theme.margins
    width, height = theme.pagesize
    top = height - m.top * mm
    logo_w, logo_h = _logo_box(theme)
    band = max(logo_h, HEADER_HEIGHT - HEADER_PADDING)  # the name's line, centred in the band
    x = m.left * mm
    room = width - m.left * mm - m.right * mm
    canvas.saveState()
    if theme.loaded.logo:
        # the logo leads: on the left, or on the right in a right-to-left handout
        logo_x = width - m.right * mm - logo_w if theme.rtl else x
        _draw_logo(canvas, theme.loaded.logo, logo_x, top - band / 2 - logo_h / 2, logo_w, logo_h)
        room -= logo_w + LOGO_GAP
        x += 0 if theme.rtl else logo_w + LOGO_GAP
    org = _furniture_para(
        theme,
        to_markup(literal(brand.organisation), theme.fonts),
        ParagraphStyle("org", parent=theme.style("h2"), spaceBefore=0, spaceAfter=0),
    )
    _, h = org.wrap(room, band)
    org.drawOn(canvas, x, top - band / 2 - h / 2)
    canvas.setStrokeColor(theme.colour("primary"))
    canvas.setLineWidth(2)
    rule_y = top - header_height(theme) + 3 * mm
    canvas.line(m.left * mm, rule_y, width - m.right * mm, rule_y)
    canvas.restoreState()


def compact_header(canvas: Canvas, theme: Theme, title: str) -> None:
    """A one-line header for the pages after the first: the handout's title leading (on the
    left, or on the right in a right-to-left handout), the organisation at the other end, a
    thin rule under them (``COMPACT_HEADER_HEIGHT`` tall)."""
    m = theme.margins
    width, height = theme.pagesize
    size = theme.footer_size
    left, right = m.left * mm, width - m.right * mm
    baseline = height - m.top * mm - size
    org = theme.brand.organisation
    org_w = _width(theme, org, size, bold=False)
    words = _fitted(
        theme, plain_text(title, theme.fields), size, right - left - org_w - 6 * mm, bold=True
    )
    words_w = _width(theme, words, size, bold=True)
    words_x, org_x = (right - words_w, left) if theme.rtl else (left, right - org_w)
    _line(canvas, theme, words, words_x, baseline, size, bold=True, colour="primary")
    _line(canvas, theme, org, org_x, baseline, size, bold=False, colour="muted")
    canvas.saveState()
    canvas.setStrokeColor(theme.colour("primary"))
    canvas.setLineWidth(0.8)
    canvas.line(left, baseline - size * 0.6, right, baseline - size * 0.6)
    canvas.restoreState()


def one_line_footer(
    canvas: Canvas, theme: Theme, lines: list[str], spare: str | None, page_label: str
) -> None:
    """A footer of one line: a rule, the footer's ``lines`` joined (with ``spare`` before the
    last of them if there is room for it; the type made smaller, down to 7.5 pt, if there is not
    room for the rest) leading, and the page label at the other end."""
    m = theme.margins
    left, width = m.left * mm, theme.text_width
    size = theme.footer_size
    room = width - _width(theme, page_label, size, bold=True) - 4 * mm
    text = " · ".join(lines)
    if spare:
        fuller = " · ".join([*lines[:-1], spare, *lines[-1:]])
        if _width(theme, fuller, size, bold=False) <= room:
            text = fuller
    while size > 7.5 and _width(theme, text, size, bold=False) > room:
        size -= 0.25
    top = m.bottom * mm + theme.footer_height - 2 * mm
    canvas.saveState()
    canvas.setStrokeColor(theme.colour("primary"))
    canvas.setLineWidth(0.8)
    canvas.line(left, top, left + width, top)
    canvas.restoreState()
    baseline = top - 2 * mm - size
    text = _fitted(theme, text, size, room, bold=False)
    text_w = _width(theme, text, size, bold=False)
    label_w = _width(theme, page_label, size, bold=True)
    text_x, label_x = (left + width - text_w, left) if theme.rtl else (left, left + width - label_w)
    _line(canvas, theme, text, text_x, baseline, size)
    _line(canvas, theme, page_label, label_x, baseline, size, bold=True)


def _width(theme: Theme, text: str, size: float, *, bold: bool) -> float:
    """How wide a line of plain text is, each character in the font that draws it."""
    face = "bold" if bold else "regular"
    return sum(
        stringWidth(chunk, family.faces[face], size) for family, chunk in theme.fonts.runs(text)
    )


def _fitted(theme: Theme, text: str, size: float, room: float, *, bold: bool) -> str:
    """Plain ``text``, cut at a word and ended with an ellipsis if wider than ``room``."""
    if _width(theme, text, size, bold=bold) <= room:
        return text
    words = text.split()
    while words and _width(theme, " ".join(words) + " …", size, bold=bold) > room:
        words.pop()
    return " ".join(words) + " …" if words else "…"


def _line(
    canvas: Canvas,
    theme: Theme,
    text: str,
    x: float,
    baseline: float,
    size: float,
    *,
    bold: bool = False,
    colour: str = "muted",
) -> None:
    """One line of plain text (printed as it is) in the box that starts at x, on ``baseline``:
    each character in the font that draws it, shaped and ordered as the text needs."""
    family = theme.fonts.primary
    style = ParagraphStyle(
        "furniture",
        fontName=family.bold if bold else family.regular,
        fontSize=size,
        leading=size * 1.2,
        textColor=theme.colour(colour),
        alignment=TA_RIGHT if theme.rtl else TA_LEFT,
    )
    line = _furniture_para(theme, to_markup(literal(text), theme.fonts), style)
    _, h = line.wrap(_width(theme, text, size, bold=bold) + size, size * 4)
    shift = size if theme.rtl else 0.0  # the slack given to the wrap, on the side away from x
    line.drawOn(canvas, x - shift, baseline - size * 0.2 - (h - size * 1.2))


def _logo_box(theme: Theme) -> tuple[float, float]:
    """The width and height the logo is drawn at (0 x 0 without a logo): the brand's height,
    its own proportions, no wider than half the text."""
    path = theme.loaded.logo
    if path is None:
        return 0.0, 0.0
    stat = path.stat()
    ratio = _aspect_ratio(str(path), (stat.st_mtime_ns, stat.st_size))
    height = theme.brand.logo_height * mm
    width = min(height * ratio, theme.text_width / 2)
    return width, width / ratio


@functools.lru_cache(maxsize=8)
def _aspect_ratio(path: str, version: tuple[int, int]) -> float:
    """The width of a logo file divided by its height (1 for one that cannot be measured), read
    once per process and again if the file changes (``version``: its time and size)."""
    if path.lower().endswith(".svg"):
        drawing = svg_drawing(Path(path).read_bytes())
        size = (drawing.width, drawing.height)
    else:
        size = ImageReader(path).getSize()
    width, height = (float(v) for v in size)
    return width / height if width > 0 and height > 0 else 1.0


def _draw_logo(canvas: Canvas, path: Path, x: float, y: float, width: float, height: float) -> None:
    if path.suffix.lower() == ".svg":
        stat = path.stat()
        drawing = _svg_logo(str(path), (stat.st_mtime_ns, stat.st_size), width, height)
        draw_drawing(drawing, canvas, x, y)
    else:
        canvas.drawImage(str(path), x, y, width=width, height=height, mask="auto")


@functools.lru_cache(maxsize=8)
def _svg_logo(path: str, version: tuple[int, int], width: float, height: float) -> Drawing:
    """An SVG logo (passed by ``source.images`` when the brand was loaded) read and scaled to
    ``width`` x ``height`` (its own proportions) once per process, and again if the file changes
    (``version`` is its modification time and size); drawing it does not change it."""
    drawing = svg_drawing(Path(path).read_bytes())
    drawing.scale(width / drawing.width, height / drawing.height)
    return drawing


def _footer(theme: Theme, lines: list[str]) -> Callable[[Canvas, str | None], None]:
    """What draws a document's footer on a page: a rule, then the footer's lines on the left
    and the page label (if any) on the right. The lines are the same on every page, so they are
    made into a paragraph and measured once for each width they are given (the label keeps a
    fifth of the width, or more if it needs it)."""
    m = theme.margins
    width = theme.text_width
    size = theme.footer_size
    left_style = ParagraphStyle(
        "footer",
        fontName=theme.fonts.primary.regular,
        fontSize=size,
        leading=size * 1.3,
        textColor=theme.colour("muted"),
    )
    # the contact lines lead (left, or right in a right-to-left handout); the page label trails
    lead: Literal[0, 2] = TA_RIGHT if theme.rtl else TA_LEFT
    trail: Literal[0, 2] = TA_LEFT if theme.rtl else TA_RIGHT
    left_style.alignment = lead
    right_style = ParagraphStyle(
        "footer_r", parent=left_style, alignment=trail, fontName=theme.fonts.primary.bold
    )
    top = m.bottom * mm + theme.footer_height - 2 * mm
    made: dict[float, tuple[TaggedParagraph, float]] = {}  # width -> the lines, their height

    def draw(canvas: Canvas, page_label: str | None) -> None:
        lw = width
        if page_label is not None:
            lw = min(width * 0.78, width - _width(theme, page_label, size, bold=True) - 4 * mm)
        lead_x, trail_x = (
            (m.left * mm + width - lw, m.left * mm)
            if theme.rtl
            else (m.left * mm, m.left * mm + lw)
        )
        if lw not in made:
            text = "<br/>".join(to_markup(literal(x), theme.fonts) for x in lines)
            left = _furniture_para(theme, text, left_style)
            made[lw] = (left, left.wrap(lw, theme.footer_height)[1])
        left, h = made[lw]
        canvas.saveState()
        canvas.setStrokeColor(theme.colour("primary"))
        canvas.setLineWidth(0.8)
        canvas.line(m.left * mm, top, m.left * mm + width, top)
        left.drawOn(canvas, lead_x, top - 2 * mm - h)
        if page_label is not None:
            page = _furniture_para(theme, to_markup(page_label, theme.fonts), right_style)
            _, ph = page.wrap(width - lw, theme.footer_height)
            page.drawOn(canvas, trail_x, top - 2 * mm - ph)
        canvas.restoreState()

    return draw


def _furniture_para(theme: Theme, markup: str, style: ParagraphStyle) -> TaggedParagraph:
    """An untagged paragraph of page furniture (an artifact), shaped and ordered like the text."""
    paragraph = TaggedParagraph(markup, style)
    paragraph.direction = direction(theme, markup)
    return paragraph
