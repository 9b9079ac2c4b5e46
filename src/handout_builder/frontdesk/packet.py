"""A patient's packet: a branded cover sheet, then each chosen handout, as one PDF.

Takes topic ids, a ``Catalogue`` and what the clinician typed (patient name, note, date); gives
one PDF: a cover with the name, the date, the note and the list of topics, then every handout
exactly as it prints alone, so each keeps its own "Page X of Y" and its outline. The cover is
tagged as the handouts are, and the packet is one tagged PDF (PDF/UA-1, see ``joined_pdf``). It
all happens in memory. Patient text is checked against sensible limits, printed literally (through
markup.py) and never logged, cached or written anywhere by this module.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from handout_builder import __version__
from handout_builder.errors import HandoutError, PacketError
from handout_builder.frontdesk.catalogue import RENDER_LOCK, Catalogue, Topic
from handout_builder.layout.flowables import ListEntry
from handout_builder.layout.markup import literal, to_markup
from handout_builder.look.brand import contact_line
from handout_builder.look.labels import labels_for
from handout_builder.look.theme import PAPER, Theme
from handout_builder.pdf.join import Part, join
from handout_builder.pdf.page import HEADER_HEIGHT, draw_header
from handout_builder.pdf.structure import finish
from handout_builder.pdf.tagging import StructNode, TaggedCanvas, Tagger, artifact, document_tree

MAX_NAME = 100
MAX_NOTE = 500
MAX_TOPICS = 20


@dataclass(frozen=True)
class Packet:
    """A finished packet: the PDF, its page count and the topics in it, in order."""

    data: bytes
    pages: int
    topics: tuple[Topic, ...]


def build_bundle(
    ids: Iterable[str],
    catalogue: Catalogue,
    *,
    patient: str | None = None,
    note: str | None = None,
    date: dt.date | str | None = None,
    paper: str | None = None,
    large_print: bool = False,
) -> Packet:
    """One PDF: the cover sheet, then each handout in ``ids`` (in that order, repeats dropped).

    ``date`` is a date, an ISO date text (``2025-11-21``) or None for today. Raises
    ``PacketError`` with every reason when the request cannot be met (no topics, too many,
    unknown ids, a bad date, over-long or unprintable patient text) and ``HandoutError`` when a
    chosen handout is broken.
    """
    patient = " ".join((patient or "").split())
    note = _tidy_note(note or "")
    chosen = list(dict.fromkeys(i.strip() for i in ids if i.strip()))
    reasons = _text_reasons(patient, note, catalogue)
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date.strip()) if date.strip() else None
        except ValueError:
            reasons.append("The date must be a real date written like 2025-11-21.")
    if paper is not None and paper not in PAPER:
        reasons.append(f"The paper size must be one of {', '.join(PAPER)}.")
    if not chosen:
        reasons.append("Choose at least one topic.")
    elif len(chosen) > MAX_TOPICS:
        reasons.append(f"Choose at most {MAX_TOPICS} topics (you chose {len(chosen)}).")
    unknown = [i for i in chosen if catalogue.get(i) is None]
    if unknown:
        reasons.append(
            "There is no topic with the id " + ", ".join(f"'{i}'" for i in unknown) + "."
        )
    if reasons:
        raise PacketError(reasons)
    topics = tuple(t for t in (catalogue.get(i) for i in chosen) if t is not None)
    broken = [p for t in topics if not t.available for p in t.problems]
    if broken:
        raise HandoutError(broken)
    theme = catalogue.theme(paper, large_print)
    parts = [catalogue.render(t.id, theme.paper, large_print) for t in topics]
    language = _shared_language(topics)
    labels = labels_for(language)
    contents = [(t.title, part.pages) for t, part in zip(topics, parts, strict=True)]
    cover, cover_pages = render_cover(
        theme, language, patient, note, date or dt.date.today(), contents
    )
    joined = join(
        [
            Part(cover, labels["packet_title"]),
            *(Part(part.data, title) for (title, _), part in zip(contents, parts, strict=True)),
        ]
    )
    return Packet(joined, cover_pages + sum(part.pages for part in parts), topics)


def render_cover(
    theme: Theme,
    language: str,
    patient: str,
    note: str,
    date: dt.date,
    contents: list[tuple[str, int]],
) -> tuple[bytes, int]:
    """The cover sheet, a tagged PDF in ``language``, and its number of pages: branded header,
    who it is for, the date, the note, then the list of topics with their page counts. Patient
    text is printed exactly as typed."""
    labels = labels_for(language)
    size = theme.brand.body_size
    out: list[Flowable] = [
        theme.label(labels["packet_title"], "title", "H1"),
        Spacer(0, size * 0.4),
    ]
    if patient:
        out.append(theme.text(f"**{literal(labels['packet_for'])}:** {literal(patient)}", "h2"))
    out.append(theme.text(f"**{literal(labels['packet_date'])}:** {date.isoformat()}"))
    if note:
        box = [
            theme.label(labels["packet_note"], "callout_title"),
            *(
                theme.text(literal(line)) if line else Spacer(0, size * 0.4)
                for line in note.split("\n")
            ),
        ]
        out += [Spacer(0, size * 0.6), _boxed(box, theme)]
    out.append(theme.label(labels["packet_contents"], "h1", "H2"))
    out += _contents(theme, labels, contents)
    tree = document_tree(out)
    tagger = Tagger()
    buffer = io.BytesIO()
    with RENDER_LOCK:
        rl_config.defaultGraphicsFontName = theme.fonts.primary.regular
        doc = _cover_template(buffer, theme, labels, language, [t for t, _ in contents])
        doc.build(out, canvasmaker=functools.partial(TaggedCanvas, tagger=tagger))
    return finish(buffer.getvalue(), tree, tagger), doc.page


def _contents(
    theme: Theme, labels: dict[str, str], contents: list[tuple[str, int]]
) -> list[Flowable]:
    """The numbered list of topics, tagged ``L`` > ``LI`` > ``Lbl`` + ``LBody``."""
    size = theme.body_size
    widest = stringWidth(f"{len(contents)}.", theme.fonts.primary.regular, size)
    indent = max(theme.brand.body_size * 2, widest + size * 0.5)
    group = StructNode("L")
    out: list[Flowable] = []
    for n, (title, pages) in enumerate(contents, 1):
        count = (
            labels["packet_pages_one"] if pages == 1 else labels["packet_pages"].format(pages=pages)
        )
        entry = group.add(StructNode("LI"))
        label = theme.label(f"{n}.", "list_label", "Lbl")
        body = theme.text(f"{literal(title)} ({count})", "list", "LBody")
        entry.add(label.node)
        entry.add(body.node)
        out.append(ListEntry(label, body, indent, entry))
    return out


def _cover_template(
    buffer: io.BytesIO, theme: Theme, labels: dict[str, str], language: str, titles: list[str]
) -> BaseDocTemplate:
    m = theme.brand.margins
    bottom = m.bottom * mm + theme.footer_height
    frame = Frame(
        m.left * mm,
        bottom,
        theme.frame_width,
        theme.frame_height - HEADER_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )

    def decorate(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        draw_header(canvas, theme)
        with artifact(canvas, "Footer"):
            _draw_footer(canvas, theme)

    return BaseDocTemplate(
        buffer,
        pagesize=theme.pagesize,
        title=labels["packet_title"],
        author=theme.brand.organisation,
        subject="; ".join(titles),
        creator=f"handout-builder {__version__}",
        producer=f"handout-builder {__version__} (ReportLab)",
        lang=language,
        displayDocTitle=1,
        invariant=1 if os.environ.get("SOURCE_DATE_EPOCH", "").strip() else 0,
        initialFontName=theme.fonts.primary.regular,
        initialFontSize=theme.brand.body_size,
        pageTemplates=[PageTemplate("cover", frames=[frame], onPage=decorate)],
    )


def _draw_footer(canvas: Canvas, theme: Theme) -> None:
    """The organisation and its contact lines under a rule, as on every handout page."""
    brand = theme.brand
    m = brand.margins
    line = contact_line(brand)
    size = theme.footer_size
    style = ParagraphStyle(
        "cover_footer",
        fontName=theme.fonts.primary.regular,
        fontSize=size,
        leading=size * 1.3,
        textColor=theme.colour("muted"),
    )
    para = Paragraph(to_markup(literal(line), theme.fonts), style)
    top = m.bottom * mm + theme.footer_height - 2 * mm
    canvas.saveState()
    canvas.setStrokeColor(theme.colour("primary"))
    canvas.setLineWidth(0.8)
    canvas.line(m.left * mm, top, m.left * mm + theme.frame_width, top)
    _, h = para.wrap(theme.frame_width, theme.footer_height)
    para.drawOn(canvas, m.left * mm, top - 2 * mm - h)
    canvas.restoreState()


def _boxed(flowables: list[Flowable], theme: Theme) -> Table:
    pad = theme.brand.body_size * 0.7
    table = Table([[flowables]], colWidths=[theme.frame_width], splitInRow=1)  # a long note
    table.node = StructNode("Div", open=True)  # the note's paragraphs are its kids
    table.setStyle(
        [
            (
                "FONTNAME",
                (0, 0),
                (-1, -1),
                theme.fonts.primary.regular,
            ),  # not Helvetica, unembedded
            ("BACKGROUND", (0, 0), (-1, -1), theme.colour("tint")),
            ("LINEBEFORE", (0, 0), (0, -1), 4, theme.colour("primary")),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.4),
        ]
    )
    return table


def _tidy_note(note: str) -> str:
    """Line breaks kept (one paragraph per line), spaces folded, blank runs cut to one."""
    lines = [" ".join(line.split()) for line in note.replace("\r\n", "\n").split("\n")]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy).strip("\n")


def _text_reasons(patient: str, note: str, catalogue: Catalogue) -> list[str]:
    reasons = []
    fonts = catalogue.brand.fonts
    for what, text, limit in (("name", patient, MAX_NAME), ("note", note, MAX_NOTE)):
        if len(text) > limit:
            reasons.append(f"The {what} is too long: {len(text)} characters; the limit is {limit}.")
        missing = "".join(dict.fromkeys(ch for _, ch in fonts.missing(text.replace("\n", " "))))
        if missing:
            shown = " ".join(ch if ch.isprintable() else f"U+{ord(ch):04X}" for ch in missing)
            reasons.append(f"The {what} has characters that cannot be printed: {shown}")
    return reasons


def _shared_language(topics: Iterable[Topic]) -> str:
    languages = {t.handout.language for t in topics if t.handout}
    return languages.pop() if len(languages) == 1 else "en"
