"""Page furniture: the branded header on the first page and the footer on every page, for
handouts and packet covers alike.

Takes a ``Theme`` (and, for a handout, the ``Handout``); gives the ``PageSetup`` that the page
module (``pdf.page``) lays a story out with: frames that leave room for header and footer, the
document's metadata, a header with the logo and the organisation's name, and a footer with the
contact lines (and for a handout, its version and review dates and "Page X of Y").
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from handout_builder.inline import literal
from handout_builder.layout.markup import to_markup
from handout_builder.layout.text import direction
from handout_builder.look.brand import Brand, contact_line
from handout_builder.look.labels import labels_for, long_date
from handout_builder.look.theme import Theme
from handout_builder.model import Handout
from handout_builder.pdf.page import Box, Footer, PageSetup
from handout_builder.pdf.tagging import TaggedParagraph

HEADER_HEIGHT = 20 * mm


def leaflet_lines(handout: Handout, brand: Brand) -> list[str]:
    """Who made the leaflet, how to reach them and which version it is: the contact line, the
    brand's footer line and the version and review line. Every page's footer repeats them (as
    artifacts, which a screen reader skips); the contact block at the end of the leaflet
    (``sections.contact``) says them once, as content."""
    labels = labels_for(handout.language)
    review_line = " · ".join(
        [
            labels["version"].format(version=handout.version),
            labels["reviewed"].format(date=long_date(handout.last_reviewed, handout.language)),
            labels["review_due"].format(date=long_date(handout.review_due, handout.language)),
        ]
    )
    return [contact_line(brand), *([brand.footer] if brand.footer else []), review_line]


def handout_pages(handout: Handout, theme: Theme) -> PageSetup:
    """The pages of a handout: header on the first, a footer with its version, review dates
    and "Page X of Y" on every page."""
    labels = labels_for(handout.language)
    lines = leaflet_lines(handout, theme.brand)

    draw = _footer(theme, lines, page_labels=True)

    def footer(canvas: Canvas, page: int, total: int) -> None:
        draw(canvas, labels["page"].format(page=page, pages=total))

    return _setup(
        theme,
        title=handout.title,
        subject=handout.subtitle or handout.title,
        language=handout.language,
        keywords=handout.tags,
        footer=footer,
    )


def cover_pages(theme: Theme, title: str, subject: str, language: str) -> PageSetup:
    """The pages of a packet's cover: the same header, and the contact lines as its footer."""
    draw = _footer(theme, [contact_line(theme.brand)], page_labels=False)

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
    room = width - m.left * mm - m.right * mm
    canvas.saveState()
    if theme.loaded.logo:
        # the logo leads: on the left, or on the right in a right-to-left handout
        logo_x = width - m.right * mm - logo_size if theme.rtl else x
        _draw_logo(canvas, theme.loaded.logo, logo_x, top - logo_size, logo_size)
        room -= logo_size + 4 * mm
        x += 0 if theme.rtl else logo_size + 4 * mm
    org = _furniture_para(
        theme,
        to_markup(literal(brand.organisation), theme.fonts),
        ParagraphStyle("org", parent=theme.style("h2"), spaceBefore=0, spaceAfter=0),
    )
    _, h = org.wrap(room, logo_size)
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


def _footer(
    theme: Theme, lines: list[str], *, page_labels: bool
) -> Callable[[Canvas, str | None], None]:
    """What draws a document's footer on a page: a rule, then the footer's lines on the left
    and the page label (if any) on the right. The lines are the same on every page, so they are
    made into a paragraph and measured once, on the first page."""
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
    # the contact lines lead (left, or right in a right-to-left handout); the page label trails
    lead: Literal[0, 2] = TA_RIGHT if theme.rtl else TA_LEFT
    trail: Literal[0, 2] = TA_LEFT if theme.rtl else TA_RIGHT
    left_style.alignment = lead
    right_style = ParagraphStyle(
        "footer_r", parent=left_style, alignment=trail, fontName=theme.fonts.primary.bold
    )
    top = m.bottom * mm + theme.footer_height - 2 * mm
    lw = width * 0.78 if page_labels else width
    lead_x, trail_x = (
        (m.left * mm + width - lw, m.left * mm) if theme.rtl else (m.left * mm, m.left * mm + lw)
    )
    made: list[tuple[TaggedParagraph, float]] = []

    def draw(canvas: Canvas, page_label: str | None) -> None:
        if not made:
            text = "<br/>".join(to_markup(literal(x), theme.fonts) for x in lines)
            left = _furniture_para(theme, text, left_style)
            made.append((left, left.wrap(lw, theme.footer_height)[1]))
        left, h = made[0]
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
