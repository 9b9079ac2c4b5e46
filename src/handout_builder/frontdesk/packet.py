"""A patient's packet: a branded cover sheet, then each chosen handout, as one PDF.

Takes topic ids, a ``Catalogue`` and what the clinician typed (patient name, note, date, who
gives it); gives one PDF: a cover with the name, the date, who it is from, the note and the list
of topics, then every handout
exactly as it prints alone, so each keeps its own "Page X of Y" and its outline. The cover is
tagged as the handouts are, and the packet is one tagged PDF (PDF/UA-1, see ``pdf.join``). A
packet with a draft in it (only a front desk that shows drafts offers them) says so: its cover
carries the draft mark, its title starts with "Draft", and each draft is marked in the list of
topics and in its bookmark, besides the mark on each of its own pages. It all happens in memory.
Patient text is checked against sensible limits, printed literally (see ``layout.cover``) and
never logged, cached or written anywhere by this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from handout_builder.errors import HandoutError, PacketError
from handout_builder.frontdesk.catalogue import Catalogue, Rendered, Topic
from handout_builder.frontdesk.limits import MAX_FROM, MAX_NAME, MAX_NOTE, MAX_TOPICS
from handout_builder.frontdesk.search import suggest
from handout_builder.layout.cover import cover_story
from handout_builder.layout.furniture import cover_pages
from handout_builder.look.labels import labels_for
from handout_builder.look.theme import PAPER, Theme
from handout_builder.pdf.join import Part, join
from handout_builder.pdf.page import render
from handout_builder.pipeline import source_date_epoch
from handout_builder.source.integrity import DIRECTION_CONTROLS

__all__ = ["MAX_FROM", "MAX_NAME", "MAX_NOTE", "MAX_TOPICS", "Packet", "build_bundle"]


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
    given_by: str | None = None,
) -> Packet:
    """One PDF: the cover sheet, then each handout in ``ids`` (in that order, repeats dropped).

    ``date`` is a date, an ISO date text (``2025-11-21``) or None for today; ``given_by`` names
    the clinician or team it is from. Raises ``PacketError`` with every reason when the request
    cannot be met (no topics, too many, unknown ids, a bad date, over-long or unprintable text)
    and ``HandoutError`` when a chosen handout is broken.
    """
    plan = plan_bundle(
        ids,
        catalogue,
        patient=patient,
        note=note,
        date=date,
        paper=paper,
        large_print=large_print,
        given_by=given_by,
    )
    labels = labels_for(plan.language)
    titles = [
        labels_for(t.handout.language)["draft_title"].format(title=t.title)
        if t.draft and t.handout
        else t.title
        for t in plan.topics
    ]
    cover_title = labels["packet_title"]
    if any(t.draft for t in plan.topics):
        cover_title = labels["draft_title"].format(title=cover_title)
    joined = join(
        [
            Part(plan.cover, cover_title),
            *(Part(part.data, title) for title, part in zip(titles, plan.parts, strict=True)),
        ]
    )
    return Packet(joined, plan.pages, plan.topics)


@dataclass(frozen=True)
class PacketPlan:
    """A packet laid out but not yet joined: the cover, each handout, and their page counts."""

    topics: tuple[Topic, ...]
    language: str
    cover: bytes
    cover_pages: int
    parts: tuple[Rendered, ...]

    @property
    def pages(self) -> int:
        return self.cover_pages + sum(part.pages for part in self.parts)


def plan_bundle(
    ids: Iterable[str],
    catalogue: Catalogue,
    *,
    patient: str | None = None,
    note: str | None = None,
    date: dt.date | str | None = None,
    paper: str | None = None,
    large_print: bool = False,
    given_by: str | None = None,
) -> PacketPlan:
    """Everything ``build_bundle`` does but the joining: how many pages the packet will have
    (the front desk shows it before printing). Raises as ``build_bundle`` does."""
    patient = " ".join((patient or "").split())
    given_by = " ".join((given_by or "").split())
    note = _tidy_note(note or "")
    chosen = list(dict.fromkeys(i.strip() for i in ids if i.strip()))
    problems = _text_reasons(patient, note, given_by, catalogue)
    day: dt.date | None = None
    if isinstance(date, str):
        try:
            day = dt.date.fromisoformat(date.strip()) if date.strip() else None
        except ValueError:
            problems.append(("date", "The date must be a real date written like 2025-11-21."))
    else:
        day = date
    if paper is not None and paper not in PAPER:
        problems.append(("paper", f"The paper size must be one of {', '.join(PAPER)}."))
    if not chosen:
        problems.append(("topic", "Choose at least one topic."))
    elif len(chosen) > MAX_TOPICS:
        problems.append(("topic", f"Choose at most {MAX_TOPICS} topics (you chose {len(chosen)})."))
    unknown = [i for i in chosen if catalogue.get(i) is None and not catalogue.hidden(i)]
    problems += [("topic", r) for r in _unknown_reasons(unknown, catalogue)]
    for i in chosen:
        why = catalogue.hidden(i)
        if why == "draft":
            problems.append(
                (
                    "topic",
                    f"'{i}' is a draft, not approved for patient use: only a reviewer's copy "
                    "(with drafts shown) can include it.",
                )
            )
        elif why == "retired":
            problems.append(("topic", f"'{i}' is retired: it is no longer given to patients."))
    if problems:
        raise PacketError([r for _, r in problems], [f for f, _ in problems])
    topics = tuple(t for t in (catalogue.get(i) for i in chosen) if t is not None)
    broken = [p for t in topics if not t.available for p in t.problems]
    if broken:
        raise HandoutError(broken)
    theme = catalogue.theme(paper, large_print)
    parts = tuple(catalogue.render(t.id, theme.paper, large_print) for t in topics)
    language = _shared_language(topics)
    labels = labels_for(language)
    contents = [
        (f"{t.title} ({labels['packet_draft']})" if t.draft else t.title, part.pages)
        for t, part in zip(topics, parts, strict=True)
    ]
    draft = any(t.draft for t in topics)
    cover, cover_pages = render_cover(
        theme, language, patient, note, day or dt.date.today(), contents, given_by, draft=draft
    )
    return PacketPlan(topics, language, cover, cover_pages, parts)


def render_cover(
    theme: Theme,
    language: str,
    patient: str,
    note: str,
    date: dt.date,
    contents: list[tuple[str, int]],
    given_by: str = "",
    *,
    draft: bool = False,
) -> tuple[bytes, int]:
    """The cover sheet, a tagged PDF in ``language``, and its number of pages: branded header,
    who it is for, the date, who it is from, the note, then the list of topics with their page
    counts; with ``draft``, the draft mark. Patient text is printed exactly as typed."""
    title = labels_for(language)["packet_title"]
    subject = "; ".join(t for t, _ in contents)
    theme = theme.for_language(language)
    story = cover_story(theme, language, patient, note, date, contents, given_by)
    pages = dataclasses.replace(
        cover_pages(theme, title, subject, language, draft=draft), epoch=source_date_epoch()
    )
    return render(story, pages)


def _tidy_note(note: str) -> str:
    """Line breaks kept (one paragraph per line), spaces folded, blank runs cut to one."""
    lines = [" ".join(line.split()) for line in note.replace("\r\n", "\n").split("\n")]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy).strip("\n")


def _text_reasons(
    patient: str, note: str, given_by: str, catalogue: Catalogue
) -> list[tuple[str, str]]:
    """What is wrong with the typed text, each with the form field it is in."""
    reasons = []
    fonts = catalogue.brand.fonts
    for field, what, text, limit in (
        ("patient", "name", patient, MAX_NAME),
        ("note", "note", note, MAX_NOTE),
        ("from", "'From'", given_by, MAX_FROM),
    ):
        if len(text) > limit:
            reasons.append(
                (
                    field,
                    f"The {what} is too long: {len(text)} characters; the limit is {limit}. "
                    "Please shorten it.",
                )
            )
        found = fonts.missing(text.replace("\n", " "))
        missing = "".join(dict.fromkeys(ch for _, ch in found if ch not in DIRECTION_CONTROLS))
        if missing:
            shown = " ".join(ch if ch.isprintable() else f"U+{ord(ch):04X}" for ch in missing)
            reason = (
                f"The {what} has characters that cannot be printed: {shown}. Please remove "
                "them (they would print as empty boxes)"
            )
            hints = sorted({fonts.install_hint(ch) for ch in missing} - {""})
            if hints:
                reason += (
                    ", or ask whoever looks after this computer to add their font: "
                    + "; ".join(hints)
                )
            reasons.append((field, reason + "."))
        controls = sorted({f"U+{ord(ch):04X}" for ch in text if ch in DIRECTION_CONTROLS})
        if controls:
            reasons.append(
                (
                    field,
                    f"The {what} has invisible direction controls ({', '.join(controls)}) that "
                    "could make it read differently on paper; type it again without them.",
                )
            )
    return reasons


def _unknown_reasons(unknown: list[str], catalogue: Catalogue) -> list[str]:
    """One sentence for the unknown ids nothing resembles, and one for each id that may have
    meant a topic: by its title or other names, or by its spelling."""
    lost, guessed = [], []
    for topic_id in unknown:
        near = suggest(catalogue.rows(), topic_id)
        if not near:
            lost.append(topic_id)
            continue
        options = " or ".join(f"'{t.id}' ({t.title})" for t in near)
        guessed.append(f"There is no topic with the id '{topic_id}'; did you mean {options}?")
    if lost:
        guessed.insert(
            0, "There is no topic with the id " + ", ".join(f"'{i}'" for i in lost) + "."
        )
    return guessed


def _shared_language(topics: Iterable[Topic]) -> str:
    languages = {t.handout.language for t in topics if t.handout}
    return languages.pop() if len(languages) == 1 else "en"
