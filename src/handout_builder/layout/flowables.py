"""Flowables of our own: tagged headings that add themselves to the PDF outline (on the lean
text path, ``LeanHeading``, or ReportLab's, ``Heading``), list entries with a label and a body, a
step's number in a disc, an empty table cell to write in, a callout box that moves whole, a table
that never carries only padding over, flowables kept together at the top of a table cell, an SVG
picture, and the tier icon.

Takes styled text from the renderers; gives ReportLab flowables.
"""

from __future__ import annotations

from typing import Any, TypedDict, Unpack, cast

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table

from handout_builder.pdf._reportlab import (
    draw_drawing,
    held_flowables,
    hold,
    table_cells,
    table_height,
)
from handout_builder.pdf.page import bookmark
from handout_builder.pdf.tagging import StructNode, TaggedParagraph, marked
from handout_builder.pdf.textflow import TextParagraph


def _outline_entry(flowable: Flowable, outline: tuple[str, str, int]) -> None:
    """Bookmark where a heading is being drawn, once (a heading split over two pages)."""
    canv = flowable.canv
    key, title, level = outline
    done: set[str] = canv.__dict__.setdefault("_hb_outline_keys", set())
    if key not in done:
        done.add(key)
        x, y = canv.absolutePosition(0, flowable.height)
        bookmark(canv, key, title, level, x, y)


class _Outlined:
    """Adds an outline (bookmark) entry where the heading it is mixed into is drawn."""

    outline: tuple[str, str, int] = ("", "", 0)  # key, title, level

    def draw(self) -> None:
        _outline_entry(cast(Flowable, self), self.outline)
        super().draw()  # type: ignore[misc]  # the paragraph class it is mixed into

    def _carried(self) -> dict[str, Any]:
        return {**super()._carried(), "outline": self.outline}  # type: ignore[misc]


class Heading(_Outlined, TaggedParagraph):
    """A tagged heading that adds an outline (bookmark) entry where it is drawn."""


class LeanHeading(_Outlined, TextParagraph):
    """A ``Heading`` on the lean text path."""


class Picture(Flowable):
    """A vector drawing (an SVG image) as a flowable, drawn so that the pictures it holds are
    image objects that tagging can mark (see ``pdf._reportlab.draw_drawing``)."""

    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.width, self.height = drawing.width, drawing.height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_drawing(self.drawing, self.canv, 0, 0)


class ListEntry(Flowable):
    """One list item: a label (bullet or number) beside its text, tagged ``LI`` > ``Lbl`` +
    ``LBody``. The text splits across pages; the label stays with the first part. In a
    right-to-left list (``rtl``) the label stands on the right."""

    def __init__(
        self,
        label: Flowable | None,
        body: Flowable,
        indent: float,
        node: StructNode,
        space_after: float = 0,
        rtl: bool = False,
    ) -> None:
        super().__init__()
        self.label, self.body, self.indent, self.node = label, body, indent, node
        self.space_after = space_after
        self.rtl = rtl

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, body_h = self.body.wrap(availWidth - self.indent, availHeight)
        label_h = self.label.wrap(self.indent, availHeight)[1] if self.label else 0
        self.width, self.height = availWidth, max(body_h, label_h)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self.body.split(availWidth - self.indent, availHeight)
        if len(parts) < 2:
            return []
        first, *rest = parts
        out: list[Flowable] = [ListEntry(self.label, first, self.indent, self.node, rtl=self.rtl)]
        out += [
            ListEntry(None, p, self.indent, self.node, self.space_after, self.rtl) for p in rest
        ]
        return out

    def getSpaceBefore(self) -> float:
        return self.body.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return max(self.space_after, self.body.getSpaceAfter())

    def draw(self) -> None:
        # Text shorter than its label (a line beside a pictogram or a step's disc) is centred on
        # the label; longer text starts level with the label's top.
        label_x, body_x = (self.width - self.indent, 0.0) if self.rtl else (0.0, self.indent)
        body_y = self.height - self.body.height
        if self.label:
            self.label.drawOn(self.canv, label_x, self.height - self.label.height)
            if self.label.height > self.body.height:
                body_y = (self.height - self.body.height) / 2
        self.body.drawOn(self.canv, body_x, body_y)


class StepBadge(Flowable):
    """A step's number (a tagged paragraph) in white, centred in a disc ``size`` across; the
    disc is decoration (an artifact), the number is read."""

    def __init__(self, number: Flowable, size: float, colour: colors.Color) -> None:
        super().__init__()
        self.number, self.size, self.colour = number, size, colour

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = self.height = self.size
        return self.size, self.size

    def draw(self) -> None:
        canv = self.canv
        r = self.size / 2
        canv.saveState()
        canv.setFillColor(self.colour)
        canv.circle(r, r, r, stroke=0, fill=1)
        canv.restoreState()
        _, h = self.number.wrap(self.size, self.size)
        self.number.drawOn(canv, 0, r - h / 2)


class WriteIn(Flowable):
    """An empty table cell to write in by hand, tagged (its ``node``, a ``TD``) by an empty
    marked-content sequence, so the table keeps every cell for a screen reader."""

    def __init__(self, node: StructNode) -> None:
        super().__init__()
        self.node = node

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, 0

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        with marked(canvas, self):
            pass


class SplitTable(Table):
    """A table whose rows may split across pages, but never so that nothing but a row's padding
    goes over: ReportLab would draw that as an empty box at the top of the next page."""

    def split(self, aW: float, aH: float) -> list:
        parts = super().split(aW, aH)
        rest = parts[1] if len(parts) == 2 else None
        if isinstance(rest, Table) and not any(cell for row in table_cells(rest) for cell in row):
            return []
        return parts


class WholeBox(SplitTable):
    """A one-cell box (a callout) that moves to the next page whole rather than split and leave
    an empty box behind; one taller than a page (``page_height``) still splits inside its cell.
    Unlike a ``KeepTogether``, it is a plain flowable, so a heading before it keeps with it."""

    page_height: float = 0.0

    def split(self, aW: float, aH: float) -> list:
        if table_height(self) <= self.page_height:
            return []
        return super().split(aW, aH)


class Together(Flowable):
    """Flowables drawn one under another that never split apart: for the start of a table cell.
    ReportLab splits a cell's flowables across pages without heeding ``keepWithNext``, so a
    heading at the top of a cell could end a page alone; a heading and what follows it in one
    ``Together`` move on as one, and the cell then splits after them or not at all. Each keeps
    its own tags (it is drawn as it would be alone) and its field: it holds them as a
    keep-together group does."""

    def __init__(self, flowables: list[Flowable]) -> None:
        super().__init__()
        hold(self, flowables)
        self._gaps: list[float] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        height, self._gaps = 0.0, []
        for n, flowable in enumerate(self.flowables):
            gap = 0.0
            if n:
                before = self.flowables[n - 1].getSpaceAfter()
                gap = max(before, flowable.getSpaceBefore())
            self._gaps.append(gap)
            height += gap + flowable.wrap(availWidth, availHeight)[1]
        self.width, self.height = availWidth, height
        return self.width, self.height

    @property
    def flowables(self) -> list[Flowable]:
        return held_flowables(self)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def getSpaceBefore(self) -> float:
        return self.flowables[0].getSpaceBefore() if self.flowables else 0.0

    def getSpaceAfter(self) -> float:
        return self.flowables[-1].getSpaceAfter() if self.flowables else 0.0

    def draw(self) -> None:
        y = self.height
        for flowable, gap in zip(self.flowables, self._gaps, strict=True):
            y -= gap + flowable.height
            flowable.drawOn(self.canv, 0, y)


class _RectStyle(TypedDict, total=False):
    fillColor: colors.Color | None
    strokeColor: colors.Color | None
    strokeWidth: float


def _rect(
    x: float,
    y: float,
    width: float,
    height: float,
    rx: float = 0,
    ry: float = 0,
    **style: Unpack[_RectStyle],
) -> Rect:
    """A ``Rect``, its style checked. types-reportlab types ``Rect``'s keywords as
    ``**kw: _SolidShapeKwArgs`` (without ``Unpack``), so it takes no keyword as valid."""
    return Rect(x, y, width, height, rx, ry, **style)  # type: ignore[arg-type]


def tier_icon(kind: str, size: float, colour: colors.Color) -> Drawing:
    """A small vector icon for a care tier, white on the tier colour, so meaning is not by colour
    alone: a warning triangle (emergency), a telephone handset (today), a calendar (next visit)."""
    d = Drawing(size, size)
    white = colors.white
    s = size
    if kind == "emergency":
        d.add(
            Polygon(
                [s * 0.5, s * 0.95, s * 0.03, s * 0.08, s * 0.97, s * 0.08],
                fillColor=white,
                strokeColor=None,
            )
        )
        d.add(_rect(s * 0.455, s * 0.35, s * 0.09, s * 0.38, fillColor=colour, strokeColor=None))
        d.add(Circle(s * 0.5, s * 0.22, s * 0.055, fillColor=colour, strokeColor=None))
    elif kind == "today":
        d.add(
            _rect(
                s * 0.3,
                s * 0.05,
                s * 0.4,
                s * 0.9,
                rx=s * 0.08,
                ry=s * 0.08,
                fillColor=white,
                strokeColor=None,
            )
        )
        d.add(_rect(s * 0.36, s * 0.22, s * 0.28, s * 0.6, fillColor=colour, strokeColor=None))
        d.add(Circle(s * 0.5, s * 0.13, s * 0.045, fillColor=colour, strokeColor=None))
    else:
        d.add(_rect(s * 0.08, s * 0.08, s * 0.84, s * 0.72, fillColor=white, strokeColor=None))
        d.add(
            _rect(
                s * 0.08,
                s * 0.62,
                s * 0.84,
                s * 0.18,
                fillColor=white,
                strokeColor=colour,
                strokeWidth=s * 0.04,
            )
        )
        for x in (0.3, 0.7):
            d.add(Line(s * x, s * 0.72, s * x, s * 0.95, strokeColor=white, strokeWidth=s * 0.08))
        for row in (0.42, 0.22):
            for col in (0.22, 0.44, 0.66):
                d.add(
                    _rect(s * col, s * row, s * 0.12, s * 0.11, fillColor=colour, strokeColor=None)
                )
    return d


__all__ = [
    "Heading",
    "LeanHeading",
    "ListEntry",
    "SplitTable",
    "StepBadge",
    "Together",
    "WholeBox",
    "WriteIn",
    "tier_icon",
]
