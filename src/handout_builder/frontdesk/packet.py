"""A patient's packet: a branded cover sheet, then each chosen handout, as one PDF.

Takes topic ids, a ``Catalogue`` and what the clinician typed (patient name, note, date); gives
one PDF: a cover with the name, the date, the note and the list of topics, then every handout
exactly as it prints alone, so each keeps its own "Page X of Y" and its outline. The cover is
tagged as the handouts are, and the packet is one tagged PDF (PDF/UA-1, see ``pdf.join``). It
all happens in memory. Patient text is checked against sensible limits, printed literally (see
``layout.cover``) and never logged, cached or written anywhere by this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from handout_builder.errors import HandoutError, PacketError
from handout_builder.frontdesk.catalogue import Catalogue, Topic
from handout_builder.frontdesk.limits import MAX_NAME, MAX_NOTE, MAX_TOPICS
from handout_builder.layout.cover import cover_story
from handout_builder.layout.furniture import cover_pages
from handout_builder.look.labels import labels_for
from handout_builder.look.theme import PAPER, Theme
from handout_builder.pdf.join import Part, join
from handout_builder.pdf.page import render

__all__ = ["MAX_NAME", "MAX_NOTE", "MAX_TOPICS", "Packet", "build_bundle"]


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
    day: dt.date | None = None
    if isinstance(date, str):
        try:
            day = dt.date.fromisoformat(date.strip()) if date.strip() else None
        except ValueError:
            reasons.append("The date must be a real date written like 2025-11-21.")
    else:
        day = date
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
        theme, language, patient, note, day or dt.date.today(), contents
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
    title = labels_for(language)["packet_title"]
    subject = "; ".join(t for t, _ in contents)
    theme = theme.for_language(language)
    story = cover_story(theme, language, patient, note, date, contents)
    return render(story, cover_pages(theme, title, subject, language))


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
