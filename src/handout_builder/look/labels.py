"""The builder's own words on the page (section headings, tier labels, footer, packet cover), per
language, from gettext catalogues.

Takes a BCP 47 language tag; gives the labels in that language: English as written below, every
other language from its catalogue, ``data/locale/<tag>.po`` (one message per label, the label's
key as the message context, the English words as the message id), read with Babel the first time
it is needed. A tag uses the most specific catalogue there is: 'zh-Hant-TW' uses 'zh-Hant', 'es-MX'
uses 'es'. Each catalogue says how far it has been checked (``X-Review-State``): ``reviewed`` by
a qualified translator, or ``needs-review``. A language without a catalogue gets English words
here, and ``handout check`` reports it as an error (``language_problem``). Dates follow the
language (CLDR, through Babel). Content text never comes from here.

To add a label: add its key and English words to ``LABELS["en"]``, then its translation to every
catalogue (``tests/look/test_labels.py`` fails until each has it, and regenerates the template
``handout-builder.pot`` with ``--update-golden``). To add a language: docs/languages.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from babel.dates import format_date
from babel.messages.pofile import read_po

from handout_builder.errors import Problem
from handout_builder.look.locale import language_name, locale_of, primary
from handout_builder.source.reader import Source

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "overview": "What you need to know",
        "symptoms": "Symptoms",
        "medications": "Your medicine",
        "medications_many": "Medicines",
        "side_effects": "Side effects",
        "seek_care": "When to get help",
        "glossary": "Words to know",
        "references": "Where this information comes from",
        "other_names": "Also called",
        "drug_class": "Type of medicine",
        "used_for": "What it is for",
        "how_to_take": "How to take it",
        "dose_notes": "Dose",
        "tips": "Tips",
        "avoid": "What to avoid",
        "missed_dose": "If you miss a dose",
        "emergency": "Call {number} or go to the emergency room now if you have:",
        "today": "Call your care team today if you have:",
        "next_visit": "Tell your care team at your next visit about:",
        "badge_emergency": "EMERGENCY",
        "badge_today": "TODAY",
        "badge_next_visit": "NEXT VISIT",
        "serious": "Serious",
        "warning": "Warning",
        "page": "Page {page} of {pages}",
        "version": "Version {version}",
        "reviewed": "Reviewed {date}",
        "review_due": "Next review {date}",
        "for": "For: {audience}",
        "packet_title": "Information for you",
        "packet_for": "Prepared for",
        "packet_date": "Date",
        "packet_from": "From",
        "packet_note": "A note from your care team",
        "packet_contents": "In this packet",
        "packet_pages_one": "1 page",
        "packet_pages": "{pages} pages",
        "key_facts": "Key facts",
        "tracker_day": "Day {n}",
        "tracker_row_heading": "Day",
        "online": "Read this leaflet online",
        "online_alt": "QR code that opens this leaflet online: {url}",
        "icon_evening": "Take it in the evening",
        "icon_morning": "Take it in the morning",
        "icon_with_food": "Take it with food",
        "icon_no_alcohol": "Do not drink alcohol",
        "icon_no_driving": "Do not drive if you feel drowsy",
        "icon_call_care_team": "Call your care team",
        "icon_call_emergency": "Call emergency services",
        "draft_mark": "DRAFT",
        "draft_notice": "DRAFT — not approved for patient use",
        "draft": "Draft",
        "draft_title": "Draft: {title}",
        "approved": "Approved {date} by {name}",
        "packet_draft": "draft",
    },
}
"""The English words, the source of every catalogue. Other languages live in ``data/locale``."""

ENGLISH = LABELS["en"]
REVIEWED = "reviewed"
_REVIEW = re.compile(r'^"X-Review-State:\s*([\w-]+)\s*\\n"$', re.MULTILINE)


@dataclass(frozen=True)
class Catalogue:
    """One language's translations of the builder's words and how far they have been checked."""

    language: str
    path: Path
    labels: dict[str, str]
    review: str

    @property
    def reviewed(self) -> bool:
        return self.review == REVIEWED

    def missing(self) -> list[str]:
        """The keys this catalogue has no translation for."""
        return [key for key in ENGLISH if not self.labels.get(key)]


def catalogue_dir() -> Path:
    return Path(str(resources.files("handout_builder") / "data" / "locale"))


@functools.cache
def catalogues() -> dict[str, Catalogue]:
    """Every catalogue that ships, by language tag."""
    return {path.stem: read_catalogue(path) for path in sorted(catalogue_dir().glob("*.po"))}


def read_catalogue(path: Path) -> Catalogue:
    """A ``.po`` file read with Babel: each message's context is its label key."""
    text = path.read_text(encoding="utf-8")
    with path.open("rb") as handle:
        catalog = read_po(handle)
    labels = {
        str(message.context): str(message.string)
        for message in catalog
        if message.id and message.context and message.string and not message.fuzzy
    }
    found = _REVIEW.search(text)
    return Catalogue(path.stem, path, labels, found.group(1) if found else "needs-review")


def catalogue_for(language: str) -> Catalogue | None:
    """The most specific catalogue for a language tag, or None (English needs none)."""
    known = catalogues()
    parts = language.split("-")
    found = locale_of(language)
    script = found.script if found is not None else None  # zh-TW is written in Hant
    if script is None and parts[0].lower() == "zh":
        script = "Hans"  # plain 'zh': Simplified, as CLDR's likely subtags say
    tags = ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]
    if script:
        tags.insert(len(tags) - 1, f"{parts[0]}-{script}")
    for tag in tags:
        for candidate in (tag, tag.lower()):
            if candidate in known:
                return known[candidate]
    return None


def has_words(language: str) -> bool:
    """Whether the builder has its own words in this language (English, or a catalogue)."""
    return language.split("-")[0].lower() == "en" or catalogue_for(language) is not None


def labels_for(language: str) -> dict[str, str]:
    """The labels for a language tag; English for any label (or language) not translated."""
    found = catalogue_for(language)
    if found is None:
        return dict(ENGLISH)
    return {**ENGLISH, **found.labels}


def long_date(date: dt.date, language: str) -> str:
    """A date as the language writes it in full ('30 de noviembre de 2026')."""
    return format_date(date, "long", locale=locale_of(language) or "en")


def language_problems(language: str, source: Source) -> list[Problem]:
    """An error for ``handout check`` when the builder has no words in a handout's language
    (the handout would get English headings)."""
    if has_words(language):
        return []
    name = language_name(language)
    shown = f"{name} ({language})" if name != language else repr(language)
    return [
        source.problem(
            ("language",),
            f"handout-builder has no words in {shown} for its headings and labels; add a "
            f"catalogue {primary(language)}.po to {catalogue_dir()} "
            "(see docs/languages.md, 'Adding a language')",
        )
    ]
