"""Page furniture: the branded header on the first page and the footer on every page, for
handouts and packet covers alike.

Takes a ``Theme`` (and, for a handout, the ``Handout``); gives the ``PageSetup`` that the page
module (``pdf.page``) lays a story out with: frames that leave room for header and footer, the
document's metadata, a header with the logo and the organisation's name, and a footer with the
contact lines (and for a handout, its version and review dates and "Page X of Y"). The other
layouts (``layouts``) draw with the same pieces: ``draw_header``, a ``compact_header`` for the
pages after the first and a ``one_line_footer``.

A logo keeps its proportions: it is drawn at the brand's ``logo_height`` (a wide wordmark no
wider than half the text), with the organisation's name beside it, centred on the same line, and
the header is as tall as the logo needs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypedDict

from reportlab.graphics.shapes import Drawing
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
from handout_builder.model import Handout
from handout_builder.pdf._reportlab import draw_drawing
from handout_builder.pdf.page import Box, Footer, PageSetup
from handout_builder.pdf.tagging import TaggedParagraph
from handout_builder.source.images import svg_drawing

HEADER_HEIGHT = 20 * mm  # with a logo of the default height; see header_height
HEADER_PADDING = 6 * mm  # below the logo: the rule and the space under it
LOGO_GAP = 4 * mm  # between the logo and the organisation's name
COMPACT_HEADER_HEIGHT = 10 * mm


def header_height(theme: Theme) -> float:
    """The height of the branded header: 20 mm, or more for a logo taller than 14 mm."""
    return max(HEADER_HEIGHT, _logo_box(theme)[1] + HEADER_PADDING)


def review_line(handout: Handout) -> str:
    """The handout's version and review dates, as every footer prints them."""
    labels = labels_for(handout.language)
    return " · ".join(
        [
            labels["version"].format(version=handout.version),
            labels["reviewed"].format(date=long_date(handout.last_reviewed, handout.language)),
            labels["review_due"].format(date=long_date(handout.review_due, handout.language)),
        ]
    )


def leaflet_lines(handout: Handout, brand: Brand) -> list[str]:
    """Who made the leaflet, how to reach them and which version it is: the contact line, the
    brand's footer line and the version and review line. Every page's footer repeats them (as
    artifacts, which a screen reader skips); the contact block at the end of the leaflet
    (``sections.contact``) says them once, as content."""
    return [contact_line(brand), *([brand.footer] if brand.footer else []), review_line(handout)]


def handout_pages(handout: Handout, theme: Theme) -> PageSetup:
    """The pages of a handout: header on the first, a footer with its version, review dates
    and "Page X of Y" on every page."""
    labels = labels_for(handout.language)
    lines = leaflet_lines(handout, theme.brand)

    draw = _footer(theme, lines)

    def footer(canvas: Canvas, page: int, total: int) -> None:
        draw(canvas, labels["page"].format(page=page, pages=total))

    return _setup(theme, footer=footer, **handout_metadata(handout))


def handout_metadata(handout: Handout) -> Metadata:
    """What a handout's PDF says about itself: title, subject, language and keywords."""
    return {
        "title": handout.title,
        "subject": handout.subtitle or handout.title,
        "language": handout.language,
        "keywords": handout.tags,
    }


class Metadata(TypedDict):
    """The document information a handout's ``PageSetup`` carries."""

    title: str
    subject: str
    language: str
    keywords: list[str]


def cover_pages(theme: Theme, title: str, subject: str, language: str) -> PageSetup:
    """The pages of a packet's cover: the same header, and the contact lines as its footer."""
    draw = _footer(theme, [contact_line(theme.brand)])

    def footer(canvas: Canvas, page: int, total: int) -> None:
        draw(canvas, None)

    return _setup(theme, title=title, subject=subject, language=language, footer=footer)


def _setup(
    theme: Theme,
    *,
    title: str,
    subject: str,
    language: str,
    footer: Footer,
    keywords: list[str] | tuple[str, ...] = (),
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
    words = _fitted(theme, plain_text(title), size, right - left - org_w - 6 * mm, bold=True)
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
