"""Governance: the handout has been reviewed, by someone named, not too long ago, from sources.

Takes a ``LintContext`` (with today's date); gives ``Hit``s for a review date that has passed or
falls due soon, a reviewer that is missing or a placeholder, and missing references.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from handout_builder.lint.core import Hit, LintContext, Rule
from handout_builder.look.labels import catalogue_for
from handout_builder.source.review import review_status

FAMILY = "governance"
OVERDUE = Rule(
    "HB-GOV-001",
    "review-overdue",
    FAMILY,
    "error",
    "The review date (review_due) has not passed.",
    "Have a clinician review the handout, then update last_reviewed, review_due, reviewed_by "
    "and version.",
)
DUE_SOON = Rule(
    "HB-GOV-002",
    "review-due-soon",
    FAMILY,
    "warning",
    "The review date is not within the warning window (default 30 days).",
    "Plan the review now; update last_reviewed and review_due when it is done.",
)
REVIEWER = Rule(
    "HB-GOV-003",
    "reviewer-missing",
    FAMILY,
    "error",
    "reviewed_by names a person or team, not a placeholder such as 'TBD'.",
    "Write the name and role of the clinician who checked every fact.",
)
REFERENCES = Rule(
    "HB-GOV-004",
    "references-missing",
    FAMILY,
    "error",
    "The handout lists at least one reference.",
    "Add references: the guidelines, drug information and studies the facts come from.",
)
DRAFT_WORDS = Rule(
    "HB-GOV-005",
    "builder-words-unreviewed",
    FAMILY,
    "warning",
    "The builder's own words (headings, tier labels, footer) in the handout's language have "
    "been reviewed by a qualified translator.",
    "Have a medical translator check the catalogue named (see docs/languages.md), then set its "
    "X-Review-State to reviewed.",
)
TRANSLATION_BEHIND = Rule(
    "HB-GOV-006",
    "translation-behind",
    FAMILY,
    "warning",
    "A translation (translation_of) is of its source's current version.",
    "Translate what changed in the source, then set version to the source's version.",
)
RULES = (OVERDUE, DUE_SOON, REVIEWER, REFERENCES, DRAFT_WORDS, TRANSLATION_BEHIND)

# Whole values that mean nobody has been named.
_PLACEHOLDER = re.compile(
    r"^\W*(tbd|tba|tbc|todo|to do|fixme|xxx+|n/?a|none|nobody|no one|unknown|pending|"
    r"not yet( reviewed)?|reviewer|name|\?+|-+)\W*$",
    re.IGNORECASE,
)


def check(ctx: LintContext) -> Iterator[Hit]:
    h = ctx.handout
    status = review_status(h.review_due, ctx.today, ctx.config.review_warning_days)
    if status:
        kind, message = status
        yield Hit(OVERDUE if kind == "overdue" else DUE_SOON, ("review_due",), message)
    if _PLACEHOLDER.match(h.reviewed_by):
        yield Hit(
            REVIEWER,
            ("reviewed_by",),
            f"'{h.reviewed_by}' does not name a reviewer: write the name and role of the "
            "clinician who checked the facts",
        )
    found = catalogue_for(h.language)
    if found is not None and not found.reviewed:
        yield Hit(
            DRAFT_WORDS,
            ("language",),
            f"the builder's words in {found.language} ({found.path.name}) are a draft that a "
            "qualified translator must review before patients read them",
        )
    source = ctx.others.get(h.translation_of) if h.translation_of else None
    if source is not None and version_key(source.version) > version_key(h.version):
        yield Hit(
            TRANSLATION_BEHIND,
            ("version",),
            f"this translation is of version {h.version}, but its source '{source.id}' is now "
            f"version {source.version}: translate what changed",
        )
    if not h.references:
        path = ("references",)
        yield Hit(
            REFERENCES,
            path,
            "no references: list the sources the facts come from",
            key=path in ctx.source.key_positions,
        )


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """A version for comparing: '1.10' after '1.9', numbers as numbers."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"[.\-]", version.lower())
    )
