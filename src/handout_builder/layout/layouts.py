"""Layouts: the shapes a handout is printed in, each a story and a set of pages.

Takes a ``Handout`` and a ``RenderContext`` (whose theme is already on the layout's pages: see
``Layout.theme``); gives the story of tagged flowables and the ``PageSetup`` to lay it out with.

- ``leaflet``: the paper's own pages, one column, the branded header on page 1, a footer of
  three lines on every page. The default.
- ``sheet``: one sheet, two sides: two columns at the body size, the title and key facts across
  both columns on page 1, a compact header on page 2, a footer of one line, the sources in small
  print. It holds two pages.
- ``booklet``: half-size pages (A5 on A4, 5.5 x 8.5 in on Letter), numbered as the booklet's own,
  imposed two to a side of the paper in saddle-stitch order (``pdf.folding.booklet``), with blank
  pages to make a multiple of four.
- ``trifold``: one sheet in landscape, letter-folded into six panels (``pdf.folding.letter_fold``):
  the title and key facts on the front cover, the text on the inside flap and the three inside
  panels, the sources, the QR code and the contact block on the back cover. It holds six panels.

Large print is a version of the leaflet and the booklet only; the others have no room for it.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass, replace

from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, FrameBreak

from handout_builder.layout.context import RenderContext
from handout_builder.layout.furniture import (
    COMPACT_HEADER_HEIGHT,
    compact_header,
    draw_header,
    handout_metadata,
    handout_pages,
    header_height,
    one_line_footer,
    review_line,
)
from handout_builder.layout.sections import BACK, LEAD, ORDER, render_sections, story
from handout_builder.look.brand import Margins, contact_line
from handout_builder.look.theme import PAPER, PageGeometry, Theme
from handout_builder.model import Handout
from handout_builder.pdf._reportlab import group_height
from handout_builder.pdf.folding import (
    LETTER_FOLD_PANELS,
    Imposition,
    booklet,
    letter_fold,
    panel_size,
)
from handout_builder.pdf.page import Box, Footer, PageSetup, StartOnPage, Template

Composer = Callable[[Handout, RenderContext], tuple[list[Flowable], PageSetup]]

SHEET_PAGES = 2
SHEET_GUTTER = 7 * mm
SHEET_FOOTER = 10 * mm
TRIFOLD_TUCK = inch / 16  # how much narrower the panel that folds in is
TRIFOLD_MARGINS = Margins(top=10, bottom=10, left=9, right=9)
BOOKLET_MARGIN = 14.0  # mm: the most a booklet's half-size page keeps at each side
BOOKLET_FOOTER = 19 * mm
BOOKLET_FOOTER_LARGE = 30 * mm


@dataclass(frozen=True)
class Layout:
    """One layout: its name, whether it has a large-print version, the most pages it can hold
    (as ``page_count`` counts them), the pages it is laid out on, and how."""

    name: str
    summary: str
    large_print: bool
    page_limit: int | None
    geometry: Callable[[Theme], PageGeometry | None]
    compose: Composer
    counts_sheet_sides: bool = False  # a trifold counts its printed sides, not its panels
    folded: bool = False  # its pages are imposed on sheets to fold (a booklet, a trifold)

    def theme(self, base: Theme) -> Theme:
        """The brand's theme on this layout's pages."""
        geometry = self.geometry(base)
        return base if geometry is None else base.on_pages(geometry)

    def file_name(self, handout_id: str, large_print: bool) -> str:
        """``<id>.pdf`` for a leaflet, ``<id>-<layout>.pdf`` otherwise; ``-large-print`` last."""
        parts = [handout_id, *([self.name] if self.name != "leaflet" else [])]
        return "-".join([*parts, *(["large-print"] if large_print else [])]) + ".pdf"


def _leaflet(handout: Handout, ctx: RenderContext) -> tuple[list[Flowable], PageSetup]:
    return story(handout, ctx), handout_pages(handout, ctx.theme, ctx.approval)


def _booklet_geometry(theme: Theme) -> PageGeometry:
    paper_w, paper_h = PAPER[theme.paper]
    m = theme.brand.margins
    return PageGeometry(
        size=(paper_h / 2, paper_w),
        margins=Margins(
            top=min(m.top, BOOKLET_MARGIN),
            bottom=min(m.bottom, BOOKLET_MARGIN),
            left=min(m.left, BOOKLET_MARGIN),
            right=min(m.right, BOOKLET_MARGIN),
        ),
        # the footer's lines wrap on a half-size page: room for one more
        footer_height=(BOOKLET_FOOTER_LARGE if theme.large_print else BOOKLET_FOOTER),
    )


def _booklet(handout: Handout, ctx: RenderContext) -> tuple[list[Flowable], PageSetup]:
    theme = ctx.theme
    return story(handout, ctx), replace(
        handout_pages(handout, theme, ctx.approval), imposition=booklet(theme.pagesize, theme.rtl)
    )


def _sheet_geometry(theme: Theme) -> PageGeometry:
    return PageGeometry(
        size=PAPER[theme.paper], columns=2, gutter=SHEET_GUTTER, footer_height=SHEET_FOOTER
    )


def _sheet(handout: Handout, ctx: RenderContext) -> tuple[list[Flowable], PageSetup]:
    """The title and key facts across the top of page 1 (in a frame as tall as they need),
    then two columns; the sources in small print."""
    theme = ctx.theme
    ctx.small_print = True
    with ctx.across_columns():
        lead = render_sections(handout, ctx, LEAD)
    rest = render_sections(handout, ctx, ORDER[len(LEAD) :])
    m = theme.margins
    page_h = theme.pagesize[1]
    left, bottom = m.left * mm, m.bottom * mm + theme.footer_height
    width, column, gutter = theme.text_width, theme.frame_width, theme.gutter
    top = page_h - m.top * mm - header_height(theme)
    lead_h = group_height(lead, width, Canvas(io.BytesIO())) + 2
    below = top - lead_h - theme.body_size * 0.6

    def columns(top: float) -> tuple[Box, ...]:
        """The two columns in reading order: from the right in a right-to-left handout."""
        boxes = tuple(
            Box(left + n * (column + gutter), bottom, column, top - bottom) for n in range(2)
        )
        return boxes[::-1] if theme.rtl else boxes

    labels = ctx.labels
    lines = [contact_line(theme.brand), review_line(handout, ctx.approval)]

    def footer(canvas: Canvas, page: int, total: int) -> None:
        label = labels["page"].format(page=page, pages=total)
        one_line_footer(canvas, theme, lines, theme.brand.footer, label)

    setup = _pages(
        handout,
        ctx,
        footer,
        (
            Template(
                (Box(left, top - lead_h, width, lead_h), *columns(below)),
                functools.partial(draw_header, theme=theme),
            ),
            Template(
                columns(page_h - m.top * mm - COMPACT_HEADER_HEIGHT),
                functools.partial(compact_header, theme=theme, title=handout.title),
            ),
        ),
    )
    return [*lead, FrameBreak(), *rest], setup


def _trifold_sheet(theme: Theme) -> tuple[float, float]:
    paper_w, paper_h = PAPER[theme.paper]
    return paper_h, paper_w  # landscape


def _trifold_geometry(theme: Theme) -> PageGeometry:
    return PageGeometry(
        size=panel_size(_trifold_sheet(theme), TRIFOLD_TUCK),
        margins=TRIFOLD_MARGINS,
        footer_height=0.0,  # a panel has no footer: the contact block closes the back cover
    )


def _trifold(handout: Handout, ctx: RenderContext) -> tuple[list[Flowable], PageSetup]:
    """The front cover holds the title and key facts; the text starts on the inside flap; the
    sources (in small print), the QR code and the contact block go on the back cover. No panel
    has a page number or a footer."""
    theme = ctx.theme
    ctx.small_print = True
    lead = render_sections(handout, ctx, LEAD)
    body = render_sections(handout, ctx, ORDER[len(LEAD) : -len(BACK)])
    back = render_sections(handout, ctx, BACK)
    m = theme.margins
    left, width = m.left * mm, theme.frame_width
    bottom, top = m.bottom * mm, theme.pagesize[1] - m.top * mm
    panel = Template((Box(left, bottom, width, top - bottom),))
    front = Template(
        (Box(left, bottom, width, top - header_height(theme) - bottom),),
        functools.partial(draw_header, theme=theme),
    )
    setup = _pages(
        handout,
        ctx,
        None,
        (front, panel),
        letter_fold(_trifold_sheet(theme), TRIFOLD_TUCK, theme.rtl),
    )
    story = [*lead, StartOnPage(2), *body, StartOnPage(LETTER_FOLD_PANELS), *back]
    return story, setup


def _pages(
    handout: Handout,
    ctx: RenderContext,
    footer: Footer | None,
    templates: tuple[Template, ...],
    imposition: Imposition | None = None,
) -> PageSetup:
    """A handout's pages made from ``templates``, with its metadata, ``footer`` and, for a
    draft, the draft mark."""
    theme = ctx.theme
    metadata = handout_metadata(handout, theme, ctx.approval)
    return PageSetup(
        pagesize=theme.pagesize,
        title=metadata["title"],
        author=theme.brand.organisation,
        subject=metadata["subject"],
        language=metadata["language"],
        keywords=tuple(metadata["keywords"]),
        font=theme.fonts.primary.regular,
        font_size=theme.body_size,
        footer=footer,
        templates=templates,
        imposition=imposition,
        watermark=metadata["watermark"],
    )


LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout(
            "leaflet",
            "the paper's own pages, one column (the default)",
            large_print=True,
            page_limit=None,
            geometry=lambda theme: None,
            compose=_leaflet,
        ),
        Layout(
            "sheet",
            "one sheet, two sides, in two columns",
            large_print=False,
            page_limit=SHEET_PAGES,
            geometry=_sheet_geometry,
            compose=_sheet,
        ),
        Layout(
            "booklet",
            "half-size pages, two to a side, to fold and staple",
            large_print=True,
            page_limit=None,
            geometry=_booklet_geometry,
            compose=_booklet,
            folded=True,
        ),
        Layout(
            "trifold",
            "one landscape sheet folded in three",
            large_print=False,
            page_limit=LETTER_FOLD_PANELS,
            geometry=_trifold_geometry,
            compose=_trifold,
            counts_sheet_sides=True,
            folded=True,
        ),
    )
}
DEFAULT = "leaflet"
