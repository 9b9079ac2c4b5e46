"""Tagged content while laying out: structure elements, marked content and the document tree.

Renderers give each content flowable a ``StructNode`` (its role: ``P``, ``H2``, ``TD``, ``Figure``
...). ``document_tree(story)`` hangs those nodes under one ``Document`` in story order, which is the
reading order. While the pages are drawn, a ``Tagger`` on the canvas wraps each content flowable in
``/Role <</MCID n>> BDC ... EMC`` and records (page, MCID) on its node; a paragraph split over two
pages gets one MCID on each. Everything drawn outside a tagged flowable (header, footer, rules,
backgrounds, icons) is left for ``tagged_pdf`` to mark as an artifact. A flowable drawn a second
time (a table's header row repeated on the next page) is drawn as an artifact, so nothing is read
twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Self, TypeVar

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Paragraph, Table

from handout_builder.pdf._reportlab import (
    SpacedTextObject,
    aligned_x,
    drawn_lines,
    held_flowables,
    is_broken_into_lines,
    line_pieces,
    rewrite_last_page,
    table_cells,
)
from handout_builder.pdf.artifacts import mark_artifacts
from handout_builder.pdf.visual import Piece, visual_line, width


@dataclass(frozen=True)
class MarkedContent:
    """One marked-content sequence: the MCID it has on its page (pages count from 1)."""

    page: int
    mcid: int


@dataclass(frozen=True)
class LinkAnnotation:
    """A link annotation: the n-th one made on its page (pages count from 1)."""

    page: int
    index: int


@dataclass(eq=False)
class StructNode:
    """One structure element. Container nodes get ``kids`` when the story is made; leaf nodes get
    ``content`` (marked content, link annotations) when they are drawn."""

    role: str
    alt: str | None = None
    table: dict[str, Any] = field(default_factory=dict)  # /A attributes owned by /Table
    # a table cell's header cells: written as its /Headers, each of them given an /ID
    headers: list[StructNode] = field(default_factory=list)
    numbering: str | None = None  # a list's /ListNumbering: Disc, Decimal, ...
    kids: list[StructNode] = field(default_factory=list)
    content: list[MarkedContent | LinkAnnotation] = field(default_factory=list)
    parent: StructNode | None = None
    # an open node takes as kids the nodes of the flowables it holds (e.g. a callout box)
    open: bool = False

    def add(self, kid: StructNode) -> StructNode:
        kid.parent = self
        self.kids.append(kid)
        return kid

    def walk(self) -> Iterator[StructNode]:
        yield self
        for kid in self.kids:
            yield from kid.walk()


class Tagger:
    """Numbers the marked content of each page as it is drawn and remembers which node owns it."""

    def __init__(self) -> None:
        self.marked: dict[int, list[StructNode]] = {}  # page -> node of each MCID
        self.links: dict[int, list[StructNode]] = {}  # page -> node of each link annotation
        self._open: StructNode | None = None
        self.link_owner: StructNode | None = None  # takes the links made while it is set

    def begin(self, canvas: Canvas, node: StructNode) -> None:
        if self._open is not None:
            raise RuntimeError(f"tagged {node.role} drawn inside tagged {self._open.role}")
        page = canvas.getPageNumber()
        owners = self.marked.setdefault(page, [])
        node.content.append(MarkedContent(page, len(owners)))
        canvas.addLiteral(f"/{node.role} <</MCID {len(owners)}>> BDC")
        owners.append(node)
        self._open = node

    def end(self, canvas: Canvas) -> None:
        canvas.addLiteral("EMC")
        self._open = None

    @property
    def drawing(self) -> StructNode | None:
        """The node whose content is being drawn, if any."""
        return self._open

    def link(self, canvas: Canvas) -> None:
        """A link annotation was just made on the page: it belongs to the ``link_owner`` if one
        is set, else to the node being drawn."""
        owner = self.link_owner or self._open
        if owner is None:
            raise RuntimeError("a link outside tagged content cannot be reached by a screen reader")
        page = canvas.getPageNumber()
        owners = self.links.setdefault(page, [])
        owner.content.append(LinkAnnotation(page, len(owners)))
        owners.append(owner)


@contextmanager
def marked(canvas: Canvas, flowable: Any) -> Iterator[None]:
    """Draw ``flowable`` as tagged content the first time, as an artifact after that."""
    tagger: Tagger | None = getattr(canvas, "tagger", None)
    node: StructNode | None = getattr(flowable, "node", None)
    if tagger is None or node is None or getattr(flowable, "_drawn", False):
        yield
        return
    flowable._drawn = True
    tagger.begin(canvas, node)
    try:
        yield
    finally:
        tagger.end(canvas)


@contextmanager
def artifact(canvas: Canvas, subtype: str) -> Iterator[None]:
    """Mark what is drawn inside as a pagination artifact (``Header`` or ``Footer``)."""
    canvas.addLiteral(f"/Artifact <</Type /Pagination /Subtype /{subtype}>> BDC")
    try:
        yield
    finally:
        canvas.addLiteral("EMC")


class TaggedParagraph(Paragraph):
    """A paragraph of content, drawn as marked content of its ``node``; split parts keep it.

    Line breaking is the largest cost of a build, and tables, lists and keep-together groups
    measure their paragraphs again at the width already measured; that repeat is answered from
    the last result, which depends on nothing but the width.
    """

    node: StructNode | None = None
    _wrapped_at: float | None = None
    direction: str | None = None
    """'ltr' or 'rtl' for a paragraph whose lines are shaped or reordered before they are drawn
    (see ``visual``); None for one drawn as ReportLab breaks it."""

    @classmethod
    def of_fragments(cls, frags: list[Any], style: ParagraphStyle) -> Self:
        """A paragraph of ready-made fragments, with no markup to parse."""
        # ReportLab takes None for the text when it is given the fragments; types-reportlab
        # types the text as str only
        return cls(None, style, frags=frags)  # type: ignore[arg-type]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # ``split`` deletes the lines when the paragraph must move on whole: then break again.
        if availWidth == self._wrapped_at and is_broken_into_lines(self):
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth if is_broken_into_lines(self) else None
        return size

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        with marked(canvas, self):
            # Flowable.drawOn takes the space width (_sW) too; types-reportlab leaves it out
            super().drawOn(canvas, x, y, _sW)  # type: ignore[call-arg]

    def drawPara(self, debug: int = 0) -> None:
        """Draw the lines in visual order: ReportLab breaks and splits the paragraph in the
        order it was typed; only what is drawn is shaped and reordered."""
        if self.direction is None:
            super().drawPara(debug)
            return
        rtl = self.direction == "rtl"
        lines = []
        for pieces, room, line in line_pieces(self):
            seen = visual_line([Piece(f, t) for f, t in pieces], rtl)
            lines.append(([(p.frag, p.text) for p in seen], room - width(seen), line))
        with drawn_lines(self, lines):
            super().drawPara(debug)

    def split(self, availWidth: float, availHeight: float) -> list:
        parts = super().split(availWidth, availHeight)
        for part in parts:
            if part is not self:
                part.__dict__.update(self._carried())
        return parts

    def _carried(self) -> dict[str, Any]:
        carried = {"node": self.node, "direction": self.direction}
        # ``field``: what input the paragraph shows, when its maker said (``layout.fields``)
        if "field" in self.__dict__:
            carried["field"] = self.__dict__["field"]
        return carried


class Figure(Flowable):
    """A picture (image or drawing) tagged as ``Figure`` with its alt text."""

    def __init__(self, picture: Flowable, alt: str) -> None:
        super().__init__()
        self.picture = picture
        self.node = StructNode("Figure", alt=alt)
        self.hAlign = getattr(picture, "hAlign", "LEFT")

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.picture.wrap(availWidth, availHeight)
        return self.width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        with marked(canvas, self):
            self.picture.drawOn(canvas, aligned_x(self, x, _sW), y)


class LinkedFigure(Figure):
    """A picture that is also a link (a QR code of an address): tagged ``Link`` > ``Figure``,
    the picture with its alt text, the link annotation over it owned by the ``Link``."""

    def __init__(self, picture: Flowable, alt: str, url: str) -> None:
        super().__init__(picture, alt)
        self.url = url
        StructNode("Link").add(self.node)

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        super().drawOn(canvas, x, y, _sW)
        tagger: Tagger | None = getattr(canvas, "tagger", None)
        if tagger is None or self.node.parent is None or getattr(self, "_linked", False):
            return
        self._linked = True
        left = aligned_x(self, x, _sW)
        tagger.link_owner = self.node.parent
        try:
            canvas.linkURL(
                self.url, (left, y, left + self.width, y + self.height), relative=1, thickness=0
            )
        finally:
            tagger.link_owner = None


_F = TypeVar("_F", bound=Flowable)


def with_node(flowable: _F, node: StructNode) -> _F:
    """Give a flowable ``node`` as its structure element and return it. ReportLab's flowables
    declare no such attribute, so it goes into the instance's ``__dict__``, as ``split`` carries
    it to the parts."""
    flowable.__dict__["node"] = node
    return flowable


def node_of(flowable: Flowable) -> StructNode:
    """The structure node a content flowable was given (a ``TaggedParagraph`` made by the layout
    helpers always has one)."""
    node: StructNode | None = getattr(flowable, "node", None)
    if node is None:
        raise ValueError(f"untagged {type(flowable).__name__} where tagged content was expected")
    return node


def tag(flowable: _F, role: str, **attrs: Any) -> _F:
    """Give a flowable a fresh structure node and return it."""
    return with_node(flowable, StructNode(role, **attrs))


def document_tree(story: Iterable[Flowable]) -> StructNode:
    """The ``Document`` element with every node of the story under it, in story order."""
    root = StructNode("Document")
    _attach(story, root, root)
    return root


def _attach(flowables: Iterable[Any], parent: StructNode, root: StructNode) -> None:
    for f in flowables:
        node: StructNode | None = getattr(f, "node", None)
        if node is not None:
            top = node
            while top.parent is not None:
                top = top.parent
            if top is not root:
                parent.add(top)
            if not node.open:
                continue
        _attach(_held(f), node if node is not None else parent, root)


def _held(flowable: Any) -> list[Any]:
    """The flowables a container holds, in reading order (table cells row by row, as given in
    ``reading_order`` when the table is drawn in another order)."""
    if isinstance(flowable, Table):
        cells: list[Any] = []
        # a mirrored (right-to-left) table keeps the rows as they are read
        for row in flowable.__dict__.get("reading_order") or table_cells(flowable):
            for cell in row:
                cells.extend(cell if isinstance(cell, (list, tuple)) else [cell])
        return cells
    return held_flowables(flowable)


class TaggedCanvas(Canvas):
    """A canvas that carries the ``Tagger`` the content flowables mark themselves with, gives
    each link annotation to the element being drawn, writes text that keeps its line breaks
    (see ``SpacedTextObject``) and marks what is drawn outside tagged content as artifacts."""

    def __init__(self, *args: Any, tagger: Tagger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tagger = tagger

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:
        drawing = self.tagger.drawing
        if drawing is not None and drawing.role == "Link":
            # An address wrapped onto two lines is one word: a space at the break would make a
            # screen reader read two broken pieces.
            return PDFTextObject(self, x, y, direction=direction)
        return SpacedTextObject(self, x, y, direction=direction)

    def linkURL(self, *args: Any, **kwargs: Any) -> None:
        super().linkURL(*args, **kwargs)
        self.tagger.link(self)

    def showPage(self) -> None:
        super().showPage()
        rewrite_last_page(self, mark_artifacts)
