"""The page module: a story of tagged flowables laid out on pages and finished as a tagged PDF.

Takes the flowables (each carrying its structure node, see ``tagging``) and a ``PageSetup``: the
paper size, the document's metadata, the font that vector drawings start from, the page templates
(each a set of frames that text flows through in reading order, one frame per column, and what
to draw on the page first, such as a header), what to draw on every page once the number of pages
is known (a footer that says "Page X of Y") and, for a document printed and folded, how its pages
are imposed on the printed sheets (see ``impose``). Gives the bytes of the tagged PDF (see
``structure``) and its number of pages. Header and footer are marked as pagination artifacts. A
``Watermark`` (a draft's mark) is drawn beneath the content of every page: its notice is read
once, as the document's first element, where the first page draws it, and is an artifact on every
other page, as its background is on all of them. Handouts and packet covers both come through
here; what their pages hold is the layout stage's business (``layout.furniture``,
``layout.layouts``).

ReportLab keeps process-wide settings (``rl_config``). They are set here and nowhere else, under
``LOCK``, which every layout holds: handouts built on threads are laid out one at a time and come
out byte for byte as they do one after another.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
)
from reportlab.platypus.doctemplate import ActionFlowable, LayoutError

from handout_builder._version import __version__
from handout_builder.pdf._reportlab import (
    CopiedFrame,
    date_document,
    group_height,
    held_flowables,
    page_state,
    restore_page_state,
    start_next_page,
)
from handout_builder.pdf.folding import Imposition
from handout_builder.pdf.structure import finish
from handout_builder.pdf.tagging import (
    StructNode,
    TaggedCanvas,
    Tagger,
    artifact,
    document_tree,
)

LOCK = threading.RLock()
"""Held while ReportLab's process-wide settings are set and a document is laid out."""

MAX_PAGES = 200
"""No document is laid out past this many pages. A leaflet has a few; this stops a layout that
runs away (a table row that splits into pieces that each make no progress) before it has used
all the memory there is."""

Header = Callable[[Canvas], None]
Footer = Callable[[Canvas, int, int], None]
"""Draws a page's footer, given the page number and the number of pages."""


@dataclass(frozen=True)
class Box:
    """A frame on the page: its lower-left corner, width and height in points."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Watermark:
    """What is drawn beneath the content of every page: a ``background`` (an artifact) and a
    ``notice`` (tagged as a ``role`` element on the first page, so it is read once; an artifact
    on the others)."""

    background: Header
    notice: Header
    role: str = "P"


@dataclass(frozen=True)
class Template:
    """One kind of page: the frames text flows through, in reading order (one per column), and
    what to draw on the page before its text (a header), if anything."""

    frames: tuple[Box, ...]
    header: Header | None = None


@dataclass(frozen=True)
class PageSetup:
    """How a document's pages are made: size, frames, metadata, font, header and footer.

    The pages are made from ``templates``, one per page in order, the last one repeating. A
    setup without templates has the first page made from the frame ``first`` with the
    ``header``, and every other page from the frame ``later``."""

    pagesize: tuple[float, float]
    title: str
    author: str
    subject: str
    language: str
    font: str  # the regular face: the default for text and for vector drawings
    font_size: float
    first: Box | None = None  # the frame of the first page (below its header)
    later: Box | None = None  # the frame of every page after the first
    keywords: Sequence[str] = ()
    header: Header | None = None  # drawn on the first page
    footer: Footer | None = None  # drawn on every page, once the page count is known
    watermark: Watermark | None = None  # drawn beneath the content of every page
    templates: tuple[Template, ...] = ()
    imposition: Imposition | None = None  # how the pages go on printed sheets, if they are folded
    # The document's date as seconds since 1970 (SOURCE_DATE_EPOCH, read by the caller): the
    # same input then gives the same bytes. None: now, and an ID of its own.
    epoch: int | None = None

    def page_templates(self) -> tuple[Template, ...]:
        """The templates of the pages in order, the last one repeating."""
        if self.templates:
            return self.templates
        if self.first is None or self.later is None:
            raise ValueError("a page setup needs templates, or a first and a later frame")
        return (Template((self.first,), self.header), Template((self.later,)))


@dataclass(frozen=True)
class Rendition:
    """A finished document: the PDF, its number of pages, and how many pages were laid out
    (more than the PDF has when they were imposed two or three to a sheet side)."""

    data: bytes
    pages: int
    laid_out: int


def render(story: list[Flowable], setup: PageSetup) -> tuple[bytes, int]:
    """Lay out ``story`` on pages as ``setup`` says; the tagged PDF's bytes and its page count."""
    done = lay_out(story, setup)
    return done.data, done.pages


def lay_out(story: list[Flowable], setup: PageSetup) -> Rendition:
    """Lay out ``story`` on pages as ``setup`` says, impose them if it says so, and tag them."""
    tree = document_tree(story)
    notice = None
    if setup.watermark is not None:
        notice = StructNode(setup.watermark.role, parent=tree)
        tree.kids.insert(0, notice)  # read first, before the title
    tagger = Tagger()
    buffer = io.BytesIO()
    names = [f"page{n}" for n in range(len(setup.page_templates()))]
    after_first = names[1:] or names
    with LOCK:
        # Vector drawings (logo, tier icons) start from this font; keep Helvetica out of the PDF.
        rl_config.defaultGraphicsFontName = setup.font
        # Streams stay binary: ASCII85 cost 4 ms a handout, only for the tagging pass to undo it.
        rl_config.useA85 = 0
        doc = _template(buffer, setup, tagger, notice)
        maker = functools.partial(
            PagedCanvas, tagger=tagger, footer=setup.footer, epoch=setup.epoch
        )
        cycle = [*after_first[:-1], "*", after_first[-1]]
        doc.build([NextPageTemplate(cycle), *story], canvasmaker=maker)
    data, pages = buffer.getvalue(), doc.page
    if setup.imposition is not None:
        from handout_builder.pdf.impose import impose  # pikepdf: only for folded documents

        data = impose(data, setup.imposition, tree, tagger)
        pages = len(setup.imposition.plan(doc.page))
    return Rendition(finish(data, tree, tagger), pages, doc.page)


class StartOnPage(ActionFlowable):
    """Ends pages until page ``page`` has begun, so what follows starts there (a trifold's back
    cover); does nothing on that page or after it."""

    def __init__(self, page: int) -> None:
        super().__init__()
        self.page = page

    def apply(self, doc: BaseDocTemplate) -> None:
        while doc.page < self.page:
            doc.handle_pageBreak()
            doc.clean_hanging()  # begins the next page now, so doc.page counts it


def _template(
    buffer: io.BytesIO, setup: PageSetup, tagger: Tagger, notice: StructNode | None
) -> BaseDocTemplate:
    def frame(box: Box, name: str) -> CopiedFrame:
        return CopiedFrame(
            box.x,
            box.y,
            box.width,
            box.height,
            id=name,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    watermark = setup.watermark

    def under_content(canvas: Canvas) -> None:
        if watermark is None:
            return
        with artifact(canvas, "Watermark"):
            watermark.background(canvas)
        if notice is not None and not notice.content:  # the first time: read it
            tagger.begin(canvas, notice)
            try:
                watermark.notice(canvas)
            finally:
                tagger.end(canvas)
        else:
            with artifact(canvas, "Watermark"):
                watermark.notice(canvas)

    def page_template(name: str, template: Template) -> PageTemplate:
        header = template.header

        def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
            under_content(canvas)
            if header is not None:
                with artifact(canvas, "Header"):
                    header(canvas)

        frames: list[Frame] = [frame(box, f"{name}.{n}") for n, box in enumerate(template.frames)]
        return PageTemplate(name, frames=frames, onPage=on_page)

    invariant = 0 if setup.epoch is None else 1
    doc = _Document(
        buffer,
        pagesize=setup.pagesize,
        title=setup.title,
        author=setup.author,
        subject=setup.subject,
        keywords=list(setup.keywords),
        creator=f"handout-builder {__version__}",
        producer=f"handout-builder {__version__} (ReportLab)",
        lang=setup.language,
        displayDocTitle=1,
        invariant=invariant,
        initialFontName=setup.font,
        initialFontSize=setup.font_size,
        pageTemplates=[
            page_template(f"page{n}", template) for n, template in enumerate(setup.page_templates())
        ],
    )
    doc.keepTogetherClass = KeepWithStart  # headings keep with the start of what follows
    return doc


class ContentTooLarge(Exception):
    """Content that cannot be laid out: taller than a page and unable to split (ReportLab's
    ``LayoutError``), or splitting without end (``runaway``: past ``MAX_PAGES``). ``flowables``
    are those being placed when it happened (the caller knows what they were made from);
    ``reason`` is ReportLab's own account."""

    def __init__(self, flowables: list[Flowable], reason: str, *, runaway: bool = False) -> None:
        super().__init__(reason)
        self.flowables = flowables
        self.reason = reason
        self.runaway = runaway


class _Runaway(LayoutError):
    """More pages than ``MAX_PAGES``."""


class _Document(BaseDocTemplate):
    """The document template, turning ReportLab's ``LayoutError`` into ``ContentTooLarge`` with
    the flowables it was placing (ReportLab names them only in its message), and stopping a
    layout that runs past ``MAX_PAGES``."""

    _placing: tuple[Flowable, ...] = ()  # the content placed last (not a page-making action)

    def handle_pageBegin(self) -> None:
        super().handle_pageBegin()
        if self.page > MAX_PAGES:
            raise _Runaway(f"more than {MAX_PAGES} pages")

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        # ReportLab may group the first few flowables (keep-with-next) before it places them:
        # whatever leaves the list while it fails is what it was placing.
        ahead = flowables[:50]
        try:
            super().handle_flowable(flowables)
        except LayoutError as exc:
            left = {id(f) for f in flowables}
            placing = [f for f in ahead if id(f) not in left] or ahead[:1]
            if all(isinstance(f, ActionFlowable) for f in placing):
                placing = list(self._placing)  # a page begun for the content before
            raise ContentTooLarge(placing, str(exc), runaway=isinstance(exc, _Runaway)) from None
        if ahead and not isinstance(ahead[0], ActionFlowable):
            self._placing = tuple(ahead[:1])


class PagedCanvas(TaggedCanvas):
    """A tagged canvas that holds pages back until the end, so each footer can say "Page X of
    Y", and adds each page's bookmarks when the page is really written."""

    def __init__(
        self,
        *args: Any,
        tagger: Tagger,
        footer: Footer | None,
        epoch: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, tagger=tagger, **kwargs)
        date_document(self, epoch)  # never from this process's environment
        self._footer = footer
        self._saved_pages: list[dict[str, Any]] = []
        self.pending_bookmarks: list[tuple[str, str, int, float, float]] = []

    def showPage(self) -> None:
        self._saved_pages.append(page_state(self))
        self.pending_bookmarks = []
        start_next_page(self)

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            restore_page_state(self, state)
            for entry in self.pending_bookmarks:
                add_bookmark(self, *entry)
            if self._footer is not None:
                with artifact(self, "Footer"):
                    self._footer(self, self.getPageNumber(), total)
            super().showPage()
        super().save()


def bookmark(canvas: Canvas, key: str, title: str, level: int, x: float, y: float) -> None:
    """An outline entry for a destination at (x, y) on the page being drawn. A ``PagedCanvas``
    holds pages back, so it adds the entry when the page is written and the bookmark points at
    its own page."""
    pending = getattr(canvas, "pending_bookmarks", None)
    if pending is not None:
        pending.append((key, title, level, x, y))
    else:
        add_bookmark(canvas, key, title, level, x, y)


def add_bookmark(canvas: Canvas, key: str, title: str, level: int, x: float, y: float) -> None:
    """A destination at (x, y) on the current page and its outline entry."""
    # types-reportlab types ``left`` as int; it is a position in points, like ``top``
    canvas.bookmarkHorizontalAbsolute(key, top=y, left=x)  # type: ignore[arg-type]
    canvas.addOutlineEntry(title, key, level=level)


class KeepWithStart(KeepTogether):
    """``keepWithNext`` that keeps a heading with the *start* of what follows.

    ReportLab's own grouping moves a heading and everything after it to the next page when they
    do not fit together, which leaves half a page empty before a long table or list. This one
    splits what follows in the space left, so only the heading's first lines or rows go with it;
    when nothing can be split off, it falls back to moving the group as a whole.
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:
        *lead, last = held_flowables(self)
        if lead:
            lead_height = group_height(lead, aW, self.canv)
            gap = max(lead[-1].getSpaceAfter(), last.getSpaceBefore())
            room = aH - lead_height - gap
            if room > 0:
                parts = last.splitOn(self.canv, aW, room)
                if len(parts) >= 2 and self._starts_with_content(parts, aW, room):
                    return [*lead, *parts]
        return super().split(aW, aH)

    def _starts_with_content(self, parts: list[Flowable], aW: float, room: float) -> bool:
        """Whether the first visible piece of ``parts`` fits in ``room`` (a split list, say,
        begins with invisible bookkeeping flowables before its first item)."""
        used = 0.0
        for part in parts:
            if isinstance(part, ActionFlowable):  # a page break before anything is drawn
                return False
            _, height = part.wrapOn(self.canv, aW, room - used)
            used += height
            if height > 0:
                return used <= room
        return False
