"""Safety structure: when to get help, side effects for every medicine, the warnings that
medicines of some classes must carry, and the right numbers to call.

Takes a ``LintContext``; gives ``Hit``s. Which classes need which warnings is data
(``data/drug_safety.yaml``): a medication is put in a class by words in its name, other names or
drug class, and a warning counts as given when one of its phrases appears anywhere in the
handout's text. An emergency number or crisis line typed into the text (``911``, ``999``,
``988``, ``116 123`` ...) that is not the brand's is reported: ``{emergency_number}`` and
``{crisis_line}`` give every leaflet its brand's numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from handout_builder.inline import plain_text
from handout_builder.lint.core import Hit, LintContext, Rule
from handout_builder.lint.text import NAME
from handout_builder.model import Medication
from handout_builder.source.reader import parse_source

FAMILY = "safety"
SEEK_CARE = Rule(
    "HB-SAFE-001",
    "seek-care-missing",
    FAMILY,
    "error",
    "The handout says when to get help (a seek_care section).",
    "Add seek_care: with an emergency tier (signs that need emergency care now), then today "
    "and next_visit tiers as needed.",
)
EMERGENCY = Rule(
    "HB-SAFE-002",
    "emergency-tier-missing",
    FAMILY,
    "error",
    "When-to-get-help starts with an emergency tier (it is always printed first).",
    "Add seek_care.emergency.items: the signs that need a call to emergency services now.",
)
SIDE_EFFECTS = Rule(
    "HB-SAFE-003",
    "side-effects-missing",
    FAMILY,
    "error",
    "Every medication has side effects listed: a side_effects table that names it, or a table "
    "without 'medication:', which covers every medicine in the handout.",
    "Add a side_effects entry with medication: <the medication's name>, listing common and "
    "serious side effects and what to do about each.",
)
CLASS_WARNING = Rule(
    "HB-SAFE-004",
    "class-warning-missing",
    FAMILY,
    "error",
    "Medicines of a class carry the warnings that class needs (antidepressants: thoughts of "
    "self-harm, not stopping suddenly; serotonergic medicines: serotonin syndrome; tricyclics: "
    "overdose).",
    "Add the warning named in the message, e.g. as a warning callout in a free section after "
    "side_effects.",
)
HARD_CODED_NUMBER = Rule(
    "HB-SAFE-005",
    "hard-coded-number",
    FAMILY,
    "error",
    "No emergency number or crisis line is typed into the text unless it is the brand's own "
    "(a leaflet built with another brand would send patients to a number that does not work "
    "there).",
    "Write {emergency_number} or {crisis_line}: the brand's numbers are filled in when the "
    "leaflet is laid out.",
)
RULES = (SEEK_CARE, EMERGENCY, SIDE_EFFECTS, CLASS_WARNING, HARD_CODED_NUMBER)

# Emergency numbers and crisis lines, and where they work. Written with their usual spacing;
# the text may write them with spaces, hyphens or neither between the groups.
EMERGENCY_NUMBERS = {
    "911": "the US and Canada",
    "999": "the UK and Ireland",
    "112": "Europe",
    "000": "Australia",
    "119": "Japan and Korea",
}
CRISIS_LINES = {
    "988": "the US",
    "116 123": "the UK and Ireland",
    "13 11 14": "Australia",
    "1-800-273-8255": "the US (its old number)",
}
_UNIT = (
    r"\s*(?:mg|mcg|µg|g|kg|ml|l|mmol|%|mm|cm|m|units?|iu|days?|weeks?|months?|hours?|"
    r"minutes?|years?|people|patients|times|tablets?|steps?|calories)\b"
)


def _number_pattern(number: str) -> re.Pattern[str]:
    groups = re.findall(r"\d+", number)
    body = r"[ -]?".join(groups)
    return re.compile(rf"(?<![\w.,/-]){body}(?!\w|[.,/-]\d|{_UNIT})", re.IGNORECASE)


_NUMBERS = tuple(
    (_number_pattern(number), number, where, name)
    for table, name in ((EMERGENCY_NUMBERS, "emergency_number"), (CRISIS_LINES, "crisis_line"))
    for number, where in table.items()
)


@dataclass(frozen=True)
class DrugClass:
    name: str
    label: str
    match: tuple[re.Pattern[str], ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class ClassWarning:
    key: str
    title: str
    example: str
    phrases: dict[str, tuple[re.Pattern[str], ...]]


@dataclass(frozen=True)
class SafetyData:
    classes: tuple[DrugClass, ...]
    warnings: dict[str, ClassWarning]

    def classes_of(self, med: Medication) -> list[DrugClass]:
        words = " | ".join(
            plain_text(t) for t in (med.name, *med.other_names, med.drug_class or "")
        )
        return [c for c in self.classes if any(p.search(words) for p in c.match)]


def data_path() -> Path:
    return Path(str(resources.files("handout_builder") / "data" / "drug_safety.yaml"))


@lru_cache(maxsize=1)
def safety_data() -> SafetyData:
    raw = parse_source(data_path().read_bytes(), "drug_safety.yaml").data
    warnings = {
        key: ClassWarning(
            key,
            w["title"],
            w["example"],
            {
                lang: tuple(re.compile(p, re.IGNORECASE) for p in phrases)
                for lang, phrases in w.items()
                if lang not in ("title", "example")
            },
        )
        for key, w in raw["warnings"].items()
    }
    classes = tuple(
        DrugClass(name, c["label"], tuple(_word(m) for m in c["match"]), tuple(c["warnings"]))
        for name, c in raw["classes"].items()
    )
    for c in classes:
        unknown = set(c.warnings) - set(warnings)
        assert not unknown, f"drug_safety.yaml: class {c.name} names unknown warnings {unknown}"
    return SafetyData(classes, warnings)


def _word(text: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(w) for w in text.split())
    return re.compile(rf"(?<![\w-]){words}s?(?![\w-])", re.IGNORECASE)


def check(ctx: LintContext) -> Iterator[Hit]:
    h = ctx.handout
    if h.seek_care is None:
        yield Hit(
            SEEK_CARE,
            ("seek_care",),
            "no 'When to get help' section: add seek_care with an emergency tier first",
        )
    elif h.seek_care.emergency is None:
        yield Hit(
            EMERGENCY,
            ("seek_care",),
            "seek_care has no emergency tier: add seek_care.emergency with the signs that "
            "need emergency care now (it is printed first)",
            key=True,
        )
    linked = {t.medication.casefold() for t in h.side_effects if t.medication}
    shared = any(t.medication is None for t in h.side_effects)  # a table for every medicine
    for i, med in enumerate(h.medications):
        if med.name.casefold() not in linked and not shared:
            yield Hit(
                SIDE_EFFECTS,
                ("medications", i, "name"),
                f"no side-effect table for '{plain_text(med.name)}': add a side_effects "
                f"entry with medication: {med.name}",
            )
    yield from _class_warnings(ctx)
    yield from _hard_coded_numbers(ctx)


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def _hard_coded_numbers(ctx: LintContext) -> Iterator[Hit]:
    brand = ctx.brand.brand
    own = {
        "emergency_number": _digits(brand.emergency_number),
        "crisis_line": _digits(brand.crisis_line),
    }
    for piece in ctx.pieces:
        if piece.kind == NAME:
            continue
        # The text as written (as in the file, where it is there as one value): markup around
        # a number does not hide it, and a name in braces holds no digits.
        raw = ctx.source.value(piece.path)
        written = raw if isinstance(raw, str) else piece.written
        for pattern, number, where, field in _NUMBERS:
            found = pattern.search(written)
            if found is None or own[field] == _digits(number):
                continue
            kind = "an emergency number" if field == "emergency_number" else "a crisis line"
            value = getattr(brand, field)
            theirs = f"this brand's is {value}" if value else f"this brand gives no {field}"
            yield Hit(
                HARD_CODED_NUMBER,
                piece.path,
                f"'{number}' is {kind} for {where}, typed into the text; {theirs}: write "
                f"{{{field}}} instead, so each leaflet gives its brand's number",
                offset=found.start(),
            )


def _class_warnings(ctx: LintContext) -> Iterator[Hit]:
    data = safety_data()
    text = "\n".join(p.text for p in ctx.pieces)
    given: dict[str, bool] = {}
    for i, med in enumerate(ctx.handout.medications):
        needed: dict[str, DrugClass] = {}
        for cls in data.classes_of(med):
            for key in cls.warnings:
                needed.setdefault(key, cls)
        where = ("medications", i, "drug_class" if med.drug_class else "name")
        for key, cls in needed.items():
            warning = data.warnings[key]
            phrases = warning.phrases.get(ctx.language)
            if phrases is None:
                continue  # no phrases for this language yet: a person has to check it
            if key not in given:
                given[key] = any(p.search(text) for p in phrases)
            if not given[key]:
                yield Hit(
                    CLASS_WARNING,
                    where,
                    f"'{plain_text(med.name)}' is {cls.label}, so the handout needs "
                    f"{warning.title}: add {warning.example}",
                )
