"""Helpers for the tagged-PDF and large-print tests: what a screen reader reads, and what it
should read.

``structure_texts(pdf)`` runs Poppler's ``pdfinfo -struct-text`` and gives the text of each
structure element in tree order; ``structure_parts(pdf)`` groups it by ``Part``, as in a packet.
``expected_texts(handout)`` gives the handout's own text in the order the YAML says it is laid
out. ``allowed_words(handout)`` is what else may be read: the builder's own headings and labels,
list labels, table column names. Footer and header words (page numbers, version, review dates,
the organisation) are not allowed.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from handout_builder.inline import plain_text
from handout_builder.look.brand import load_brand
from handout_builder.look.labels import labels_for
from handout_builder.model import Block, Handout

FOOTER_LABELS = {"page", "version", "reviewed", "review_due", "for"}
PLACES = ("overview", "symptoms", "medications", "side_effects", "seek_care")


def structure_texts(pdf: Path) -> list[str]:
    """The text of each structure element, in the order of the structure tree."""
    return [text for part in _struct_text(pdf, split=False) for text in part]


def structure_parts(pdf: Path) -> list[list[str]]:
    """The text of each structure element, one list per ``Part`` element (a packet's cover and
    each of its handouts), in the order of the structure tree."""
    return _struct_text(pdf, split=True)[1:]


def _struct_text(pdf: Path, split: bool) -> list[list[str]]:
    out = subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    parts: list[list[str]] = [[]]
    for line in out.splitlines():
        line = line.strip()
        if split and line.split(" ")[0] == "Part":
            parts.append([])
        elif len(line) >= 2 and line.startswith('"') and line.endswith('"'):
            parts[-1].append(_norm(line[1:-1]))
    return parts


def structure_roles(pdf: Path) -> list[str]:
    """The role of each structure element, in tree order."""
    out = subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    roles = []
    for line in out.splitlines():
        word = line.strip().split(" ")[0].rstrip(":")
        if word and word[0].isalpha() and word[0].isupper():
            roles.append(word)
    return roles


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _blocks(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        kind = block.kind
        value = getattr(block, kind)
        if kind in ("paragraph", "subheading"):
            out.append(value)
        elif kind in ("bullets", "numbered"):
            out += value
        elif kind == "table":
            out += [cell for row in value.rows for cell in row]
            out += [value.caption] if value.caption else []
        elif kind == "callout":
            out += [x for x in (value.title, value.text) if x] + value.bullets
        elif kind == "image":
            out += [value.caption] if value.caption else []
    return out


def expected_texts(h: Handout) -> list[str]:
    """The handout's own text, in layout order (the YAML's order within each section)."""

    def free(place: str) -> list[str]:
        out: list[str] = []
        for section in h.sections:
            if section.after == place:
                out += [section.heading, *_blocks(section.blocks)]
        return out

    out: list[str] = [h.title, *([h.subtitle] if h.subtitle else [])]
    out += _blocks(h.overview) + free("overview")
    out += _blocks(h.symptoms) + free("symptoms")
    for med in h.medications:
        out += [med.name, *med.other_names, *([med.drug_class] if med.drug_class else [])]
        out += _blocks(med.used_for) + _blocks(med.how_to_take) + med.tips + med.avoid
        out += _blocks(med.dose_notes) + _blocks(med.missed_dose)
    out += free("medications")
    for table in h.side_effects:
        out += [table.title, *([table.intro] if table.intro else [])]
        for group in table.groups:
            out += [group.label, *(cell for row in group.rows for cell in row)]
    out += free("side_effects")
    if h.seek_care:
        out += [h.seek_care.intro] if h.seek_care.intro else []
        for kind in ("emergency", "today", "next_visit"):
            tier = getattr(h.seek_care, kind)
            if tier:
                out += [*([tier.heading] if tier.heading else []), *tier.items]
                out += [tier.note] if tier.note else []
    out += free("seek_care")
    for entry in h.glossary:
        out += [entry.term, entry.meaning]
    for ref in h.references:
        out += [ref.citation, *([ref.url] if ref.url else [])]
    disclaimer = load_brand().brand.disclaimer
    out += [disclaimer] if disclaimer else []
    return [_norm(plain_text(t)) for t in out]


def allowed_words(h: Handout) -> list[str]:
    """What may be read besides the handout's text: labels, list labels, column names."""
    brand = load_brand().brand
    labels = labels_for(h.language)
    words = [
        value.replace("{number}", brand.emergency_number)
        for key, value in labels.items()
        if key not in FOOTER_LABELS
    ]
    for table in h.side_effects:
        words += table.columns
    for block in _all_blocks(h):
        if block.kind == "table":
            words += block.table.columns
    return sorted(words, key=len, reverse=True)


def _all_blocks(h: Handout) -> list[Block]:
    out = list(h.overview) + list(h.symptoms)
    for med in h.medications:
        out += [*med.used_for, *med.how_to_take, *med.dose_notes, *med.missed_dose]
    for section in h.sections:
        out += section.blocks
    return out


def reading_order_problems(texts: list[str], h: Handout) -> list[str]:
    """Why ``texts`` (what a screen reader reads) is not the handout in order, if it is not."""
    problems = []
    joined = " ".join(texts)
    cursor = 0
    spans = []
    for item in expected_texts(h):
        found = joined.find(item, cursor)
        if found < 0:
            where = "earlier" if item in joined else "nowhere"
            problems.append(f"{item[:60]!r} is out of order (found {where})")
            continue
        spans.append((found, found + len(item)))
        cursor = found + len(item)
    leftover = list(joined)
    for start, end in spans:
        leftover[start:end] = [" "] * (end - start)
    rest = "".join(leftover)
    for word in allowed_words(h):
        rest = rest.replace(word, " ")
    rest = re.sub(r"\d+\.|[•⚠:,\s]", "", rest)
    if rest:
        problems.append(f"read but not handout content: {rest[:200]!r}")
    return problems
