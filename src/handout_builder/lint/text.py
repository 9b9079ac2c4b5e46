"""The words a patient reads, taken from a ``Handout`` piece by piece, with where each was written.

Takes a valid ``Handout`` and the brand values that names in braces stand for; gives
``TextPiece``s (plain text without inline markup, brand values filled in as the reader sees them,
the value as written, the path of the value in the YAML (of a list item written with a pictogram,
the item's), the section it belongs to and what kind of text it is) and helpers to split text into
sentences and words. References are left out: citations are not written for patients.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from handout_builder.inline import plain_text
from handout_builder.model import Block, Handout
from handout_builder.source.reader import PathKey

# Kinds of text. Headings are read, but are fragments: they are not measured for reading level.
HEADING = "heading"
PROSE = "prose"  # paragraphs, callout text, intros, notes, glossary meanings
ITEM = "item"  # one bullet or numbered item, one sign in a care tier
CELL = "cell"  # a table cell
NAME = "name"  # medicine names and other names: never jargon, never measured


@dataclass(frozen=True)
class Section:
    """A part of the handout that is measured on its own: its key, a title to show, its path."""

    key: str
    title: str
    path: PathKey


@dataclass(frozen=True)
class TextPiece:
    """One value of patient-facing text."""

    path: PathKey
    text: str  # what the reader sees
    section: Section
    kind: str
    written: str = ""  # the value as written, inline markup and names in braces included


def pieces(handout: Handout, fields: Mapping[str, str] | None = None) -> list[TextPiece]:
    """Every piece of patient-facing text, in the order the YAML gives it, with the brand
    values in ``fields`` filled in."""
    found = list(_walk(handout))
    if not fields:
        return found
    return [_filled(p, fields) if "{" in p.written else p for p in found]


def _filled(piece: TextPiece, fields: Mapping[str, str]) -> TextPiece:
    return replace(piece, text=plain_text(piece.written, fields))


def _walk(h: Handout) -> Iterator[TextPiece]:
    top = Section("title", "Title", ("title",))
    yield _piece(("title",), h.title, top, HEADING)
    if h.subtitle:
        yield _piece(("subtitle",), h.subtitle, top, HEADING)
    if h.key_points:
        facts = Section("key_points", "Key facts", ("key_points",))
        for i, point in enumerate(h.key_points):
            yield _piece(("key_points", i), point.text, facts, ITEM)
    overview = Section("overview", "Overview", ("overview",))
    yield from _blocks(("overview",), h.overview, overview)
    if h.symptoms:
        yield from _blocks(
            ("symptoms",), h.symptoms, Section("symptoms", "Symptoms", ("symptoms",))
        )
    for i, med in enumerate(h.medications):
        here: PathKey = ("medications", i)
        sec = Section(f"medications[{i}]", plain_text(med.name), here)
        yield _piece((*here, "name"), med.name, sec, NAME)
        for j, other in enumerate(med.other_names):
            yield _piece((*here, "other_names", j), other, sec, NAME)
        if med.drug_class:
            yield _piece((*here, "drug_class"), med.drug_class, sec, HEADING)
        for key in ("used_for", "how_to_take", "dose_notes", "missed_dose"):
            yield from _blocks((*here, key), getattr(med, key), sec)
        for key in ("tips", "avoid"):
            for j, item in enumerate(getattr(med, key)):
                yield _piece((*here, key, j), item.text, sec, ITEM)
    for i, table in enumerate(h.side_effects):
        here = ("side_effects", i)
        sec = Section(f"side_effects[{i}]", plain_text(table.title), here)
        yield _piece((*here, "title"), table.title, sec, HEADING)
        if table.intro:
            yield _piece((*here, "intro"), table.intro, sec, PROSE)
        for j, col in enumerate(table.columns):
            yield _piece((*here, "columns", j), col, sec, HEADING)
        for j, group in enumerate(table.groups):
            yield _piece((*here, "groups", j, "label"), group.label, sec, HEADING)
            for k, row in enumerate(group.rows):
                for m, cell in enumerate(row):
                    yield _piece((*here, "groups", j, "rows", k, m), cell, sec, CELL)
    for i, free in enumerate(h.sections):
        here = ("sections", i)
        sec = Section(f"sections[{i}]", plain_text(free.heading), here)
        yield _piece((*here, "heading"), free.heading, sec, HEADING)
        yield from _blocks((*here, "blocks"), free.blocks, sec)
    if h.seek_care:
        care = h.seek_care
        sec = Section("seek_care", "When to get help", ("seek_care",))
        if care.intro:
            yield _piece(("seek_care", "intro"), care.intro, sec, PROSE)
        for kind in ("emergency", "today", "next_visit"):
            tier = getattr(care, kind)
            if not tier:
                continue
            if tier.heading:
                yield _piece(("seek_care", kind, "heading"), tier.heading, sec, HEADING)
            for j, item in enumerate(tier.items):
                yield _piece(("seek_care", kind, "items", j), item, sec, ITEM)
            if tier.note:
                yield _piece(("seek_care", kind, "note"), tier.note, sec, PROSE)
    if h.glossary:
        sec = Section("glossary", "Words to know", ("glossary",))
        for i, entry in enumerate(h.glossary):
            yield _piece(("glossary", i, "term"), entry.term, sec, NAME)
            yield _piece(("glossary", i, "meaning"), entry.meaning, sec, PROSE)


def _blocks(prefix: PathKey, blocks: list[Block], sec: Section) -> Iterator[TextPiece]:
    for i, block in enumerate(blocks):
        here = (*prefix, i)
        if block.paragraph is not None:
            yield _piece(here, block.paragraph, sec, PROSE)
        elif block.subheading is not None:
            yield _piece((*here, "subheading"), block.subheading, sec, HEADING)
        elif block.bullets or block.steps:
            key = "bullets" if block.bullets else "steps"
            for j, item in enumerate(getattr(block, key)):
                yield _piece((*here, key, j), item.text, sec, ITEM)
        elif block.numbered or block.checklist:
            key = "numbered" if block.numbered else "checklist"
            for j, text in enumerate(getattr(block, key)):
                yield _piece((*here, key, j), text, sec, ITEM)
        elif block.tracker:
            diary = block.tracker
            if diary.title:
                yield _piece((*here, "tracker", "title"), diary.title, sec, HEADING)
            if diary.row_heading:
                yield _piece((*here, "tracker", "row_heading"), diary.row_heading, sec, HEADING)
            for j, col in enumerate(diary.columns):
                yield _piece((*here, "tracker", "columns", j), col, sec, HEADING)
            for j, label in enumerate(diary.rows or []):
                yield _piece((*here, "tracker", "rows", j), label, sec, HEADING)
        elif block.table:
            t = block.table
            for j, col in enumerate(t.columns):
                yield _piece((*here, "table", "columns", j), col, sec, HEADING)
            for j, row in enumerate(t.rows):
                for k, cell in enumerate(row):
                    yield _piece((*here, "table", "rows", j, k), cell, sec, CELL)
            if t.caption:
                yield _piece((*here, "table", "caption"), t.caption, sec, PROSE)
        elif block.callout:
            c = block.callout
            if c.title:
                yield _piece((*here, "callout", "title"), c.title, sec, HEADING)
            if c.text:
                yield _piece((*here, "callout", "text"), c.text, sec, PROSE)
            for j, item in enumerate(c.bullets):
                yield _piece((*here, "callout", "bullets", j), item, sec, ITEM)
        elif block.image:
            yield _piece((*here, "image", "alt"), block.image.alt, sec, HEADING)
            if block.image.caption:
                yield _piece((*here, "image", "caption"), block.image.caption, sec, PROSE)


def _piece(path: PathKey, text: str, sec: Section, kind: str) -> TextPiece:
    return TextPiece(path, plain_text(text), sec, kind, text)


# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = re.compile(
    r"\b(e\.g|i\.e|etc|vs|Dr|Mr|Mrs|Ms|St|No|approx|Sr|Sra|Dra|p\.ej|aprox)\.", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“¿¡(]?[A-Z0-9ÁÉÍÓÚÑÜ])")
_WORD = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*")
_PLACEHOLDER = "\x00"


def sentences(text: str) -> list[str]:
    """Split plain text into sentences (a list item without a full stop is one sentence)."""
    protected = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", _PLACEHOLDER), text)
    parts = _SENTENCE_END.split(protected.strip())
    return [p.replace(_PLACEHOLDER, ".").strip() for p in parts if p.strip()]


def words(text: str) -> list[str]:
    """The words of plain text; '1-800-222-1222', 'sugar-free' and 'St.' count as one each."""
    return _WORD.findall(text)


def as_sentences(text: str) -> str:
    """Text that ends like a sentence, so that a list item counts as one when measured."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", ":", ";")) else f"{text}."
