"""Governance: the handout has been reviewed, by someone named, not too long ago, from sources;
the builder's words in its language have been reviewed; a translation keeps up with its source;
it says where it stands (schema 2), still holds the content it was approved with, and carries no
placeholder text.

Takes a ``LintContext`` (with today's date, every handout checked with it, and whether the build
is a release); gives ``Hit``s for a review date that has passed or falls due soon, a reviewer that
is missing or a placeholder, missing references, builder words not yet reviewed by a translator,
a translation of an older version of its source, a schema 1 file (read as a draft), content
changed since it was approved, placeholder text (example addresses, fictional telephone numbers,
the starter's sentences) and, in a release build only, a draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from handout_builder.lint.core import Hit, LintContext, Rule
from handout_builder.lint.placeholders import placeholder_values
from handout_builder.look.labels import catalogue_for
from handout_builder.source.approval import standing
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
SCHEMA_OUTDATED = Rule(
    "HB-GOV-007",
    "schema-outdated",
    FAMILY,
    "warning",
    "The handout is in schema 2, which says whether it is a draft, approved or retired (a "
    "schema 1 file is read as a draft).",
    "Change 'schema: 1' to 'schema: 2' and add 'status: draft'; approve it with 'handout "
    'approve ID --by "Name, credentials"\' once a clinician has checked every fact.',
)
CHANGED = Rule(
    "HB-GOV-008",
    "changed-since-approval",
    FAMILY,
    "warning",
    "An approved handout still has the content it was approved with (its fingerprint matches); "
    "a changed one is treated as a draft until it is approved again.",
    "Have a clinician check the change, then run 'handout approve ID --by \"Name, "
    "credentials\"' again.",
)
PLACEHOLDER = Rule(
    "HB-GOV-009",
    "placeholder-text",
    FAMILY,
    "warning",
    "No text is a placeholder: an example.org/.com/.net address, a 555-01xx telephone number, "
    "or a sentence of the starter that 'handout new' writes.",
    "Replace it with the real text, address or number.",
)
NOT_APPROVED = Rule(
    "HB-GOV-010",
    "not-approved",
    FAMILY,
    "error",
    "In a release build (handout build --release), every handout is approved (status: "
    "approved, with an approval that still holds).",
    "Have a clinician check every fact, then run 'handout approve ID --by \"Name, "
    "credentials\"'; or leave the draft out of the release.",
)
RULES = (
    OVERDUE,
    DUE_SOON,
    REVIEWER,
    REFERENCES,
    DRAFT_WORDS,
    TRANSLATION_BEHIND,
    SCHEMA_OUTDATED,
    CHANGED,
    PLACEHOLDER,
    NOT_APPROVED,
)
RELEASE_RULES = frozenset({OVERDUE, DRAFT_WORDS, CHANGED, PLACEHOLDER, NOT_APPROVED})
"""What a release build refuses whatever the settings and allow: entries say."""
# Values no patient reads and no placeholder can hide in (approval names a real person).
_NOT_LOOKED_AT = frozenset({"allow", "approval", "status", "id", "schema"})

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
    yield from _approval(ctx)
    for where, what, at in placeholder_values(ctx.source.data, _NOT_LOOKED_AT):
        yield Hit(PLACEHOLDER, where, f"{what}: replace it with the real one", offset=at)


def _approval(ctx: LintContext) -> Iterator[Hit]:
    h = ctx.handout
    if h.schema_version == 1:
        yield Hit(
            SCHEMA_OUTDATED,
            ("schema",),
            "schema 1 says nothing of approval, so this handout is read as a draft: change "
            "schema to 2 and add 'status: draft'",
        )
    where = standing(h, ctx.source)
    if where.changed:
        yield Hit(CHANGED, ("status",), where.changed.message)
    elif ctx.release and where.draft:
        path = ("schema",) if h.schema_version == 1 else ("status",)
        yield Hit(
            NOT_APPROVED,
            path,
            "a draft is not approved for patient use, so a release build refuses it: approve "
            f"it with 'handout approve {h.id} --by \"Name, credentials\"'",
        )


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """A version for comparing: '1.10' after '1.9', numbers as numbers."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"[.\-]", version.lower())
    )
