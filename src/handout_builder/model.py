"""The handout format (schema 2, and schema 1 read as a draft) as frozen, typed pydantic models:
the contract for renderers.

Takes the plain data from ``source.py``; gives a ``Handout``. Field docstrings become the JSON
Schema descriptions that editors show. Renderers only ever see these objects, never raw dicts.
Schema 2 adds governance: a required ``status`` (draft, approved, retired) and, for an approved
handout, an ``approval`` naming who approved which version when, with the fingerprint of the
content they approved (see ``source.approval``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from handout_builder.codes import SYSTEMS, code_problem

SCHEMA_VERSION = 2
"""The schema this version writes (``handout new``) and documents."""
SCHEMA_VERSIONS = (1, 2)
"""Every schema this version reads: a schema 1 file has no status and is read as a draft."""
STATUSES = ("draft", "approved", "retired")
FINGERPRINT_PATTERN = r"^sha256:[0-9a-f]{64}$"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
"""Text that may hold the inline markup **bold** and *italic*; every other character is literal."""
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$"
HandoutId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]


class Strict(BaseModel):
    """Base for every model: immutable, and unknown keys are errors (with did-you-mean)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Reference(Strict):
    """A real, findable source for the facts in the handout."""

    citation: Text = Field(description="Authors, title, journal or publisher, year.")
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = Field(
        None, description="Where a reader can find it (https://...)."
    )


class Table(Strict):
    """A simple table: a header row of column names, then rows of the same length."""

    columns: list[Line] = Field(min_length=1, max_length=6)
    rows: list[list[Text]] = Field(min_length=1)
    caption: Line | None = None


class Callout(Strict):
    """A box that stands out from the text: a tip, a note, or a warning."""

    kind: Literal["info", "tip", "warning"] = "info"
    title: Line | None = None
    text: Text | None = None
    bullets: list[Text] = []

    @model_validator(mode="after")
    def _has_body(self) -> Callout:
        if not self.text and not self.bullets:
            raise ValueError("a callout needs 'text' or 'bullets'")
        return self


class Image(Strict):
    """A picture from a PNG or JPEG file beside the handout (SVG too). Alt text is required."""

    src: Line = Field(
        description="Path relative to the handout file; it may not leave that folder."
    )
    alt: Text = Field(description="What the picture shows, for people who cannot see it.")
    caption: Text | None = None
    width_percent: int = Field(60, ge=10, le=100, description="Width as % of the text column.")


Icon = Literal[
    "evening",
    "morning",
    "with-food",
    "no-alcohol",
    "no-driving",
    "call-care-team",
    "call-emergency",
]
ICONS: tuple[str, ...] = get_args(Icon)
"""The pictograms that can stand beside a list item or a key point (see docs/format.md)."""


def _string_or_mapping(schema: dict[str, Any], what: str) -> None:
    """Let editors accept a bare string wherever a mapping with ``text`` may stand."""
    obj = dict(schema)
    schema.clear()
    schema["anyOf"] = [{"type": "string", "description": what}, obj]


class ListItem(Strict):
    """One item of a list: its words, and a pictogram beside them if you like. A plain string is
    an item without a pictogram."""

    model_config = ConfigDict(
        json_schema_extra=lambda schema: _string_or_mapping(schema, "The item's words."),
    )

    text: Text = Field(description="The item's words; the pictogram never replaces them.")
    icon: Icon | None = Field(
        None,
        description="A pictogram drawn beside the words: " + ", ".join(ICONS) + ".",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value


KEY_POINT_CHARS = 160


class KeyPoint(ListItem):
    """One key fact: a short line (at most 160 characters), with a pictogram if you like."""

    model_config = ConfigDict(
        json_schema_extra=lambda schema: _string_or_mapping(schema, "The key fact."),
    )

    text: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=KEY_POINT_CHARS),
    ] = Field(description="One short line.")


class Tracker(Strict):
    """A diary to fill in by hand: one row per day (``days``) or per label (``rows``), one
    column per thing to record, each cell left empty with room to write."""

    title: Line | None = Field(None, description="A heading printed over the diary.")
    days: int | None = Field(
        None, ge=1, le=62, description="Rows 'Day 1' to 'Day N' (give this or 'rows')."
    )
    rows: list[Line] | None = Field(
        None, min_length=1, max_length=62, description="Row labels, e.g. dates or times."
    )
    row_heading: Line | None = Field(
        None, description="The heading of the label column (default 'Day')."
    )
    columns: list[Line] = Field(
        min_length=1, max_length=6, description="What to record, e.g. 'Pain (0 to 10)'."
    )

    @model_validator(mode="after")
    def _days_or_rows(self) -> Tracker:
        if (self.days is None) == (self.rows is None):
            raise ValueError("a tracker needs 'days' (a number) or 'rows' (labels), not both")
        return self

    @property
    def row_count(self) -> int:
        return self.days if self.days is not None else len(self.rows or [])


BLOCK_KINDS = (
    "paragraph",
    "subheading",
    "bullets",
    "numbered",
    "table",
    "callout",
    "image",
    "checklist",
    "tracker",
    "steps",
)


class Block(Strict):
    """One piece of a section. A plain string is a paragraph; otherwise exactly one key."""

    model_config = ConfigDict(
        json_schema_extra=lambda schema: _block_schema(schema),
    )

    paragraph: Text | None = None
    subheading: Line | None = None
    bullets: list[ListItem] | None = Field(None, min_length=1)
    numbered: list[Text] | None = Field(None, min_length=1)
    table: Table | None = None
    callout: Callout | None = None
    image: Image | None = None
    checklist: list[Text] | None = Field(
        None, min_length=1, description="Items with an empty tick box each, to tick by hand."
    )
    tracker: Tracker | None = None
    steps: list[ListItem] | None = Field(
        None, min_length=1, max_length=12, description="Numbered actions, one instruction each."
    )

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"paragraph": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _exactly_one(self) -> Block:
        given = [k for k in BLOCK_KINDS if getattr(self, k) is not None]
        if len(given) != 1:
            found = ", ".join(given) or "nothing"
            raise ValueError(
                f"a block needs exactly one of {', '.join(BLOCK_KINDS)}; found {found}"
            )
        return self

    @property
    def kind(self) -> str:
        return next(k for k in BLOCK_KINDS if getattr(self, k) is not None)


def _block_schema(schema: dict[str, Any]) -> None:
    """Let editors accept a bare string wherever a block may stand."""
    obj = dict(schema)
    obj["minProperties"] = obj["maxProperties"] = 1
    schema.clear()
    schema["anyOf"] = [{"type": "string", "description": "A paragraph."}, obj]


Blocks = Annotated[list[Block], Field(min_length=1)]


class Medication(Strict):
    """One medicine: what it is, what it is for and how to take it safely."""

    name: Line = Field(description="Generic name, e.g. 'Amitriptyline'.")
    other_names: list[Word] = Field([], description="Brand names and other names.")
    drug_class: Line | None = Field(None, description="e.g. 'Tricyclic antidepressant (TCA)'.")
    used_for: Blocks = Field(description="What it is for and how it may help.")
    how_to_take: Blocks
    dose_notes: list[Block] = Field([], description="Usual doses and how they change.")
    tips: list[ListItem] = []
    avoid: list[ListItem] = Field([], description="Other medicines, alcohol, activities to avoid.")
    missed_dose: list[Block] = Field([], description="What to do if a dose is missed.")


class SideEffectGroup(Strict):
    """Rows of a side-effect table that share how common or how serious they are."""

    label: Line = Field(description="e.g. 'Common: these often ease after a few weeks'.")
    serious: bool = Field(False, description="Marks the group as serious (drawn with a warning).")
    rows: list[list[Text]] = Field(min_length=1)


class SideEffectTable(Strict):
    """A table of side effects, grouped, each row saying what to do about it."""

    title: Line
    medication: Line | None = Field(None, description="Name of the medication it belongs to.")
    intro: Text | None = None
    columns: list[Line] = Field(["Side effect", "What to do"], min_length=2, max_length=5)
    groups: list[SideEffectGroup] = Field(min_length=1)


class SeekCareTier(Strict):
    """One level of urgency: a heading (a default is used if left out) and the signs for it."""

    heading: Line | None = None
    items: list[Text] = Field(min_length=1)
    note: Text | None = None


class SeekCare(Strict):
    """When to get help, most urgent first. At least one tier."""

    intro: Text | None = None
    emergency: SeekCareTier | None = Field(None, description="Call emergency services now.")
    today: SeekCareTier | None = Field(None, description="Call your care team today.")
    next_visit: SeekCareTier | None = Field(None, description="Mention at your next visit.")
    on_first_page: bool = Field(
        False,
        description="Also show the emergency tier, compact, in the key-facts box on page 1.",
    )

    @model_validator(mode="after")
    def _has_tier(self) -> SeekCare:
        if not (self.emergency or self.today or self.next_visit):
            raise ValueError("give at least one tier: emergency, today or next_visit")
        if self.on_first_page and self.emergency is None:
            raise ValueError("on_first_page shows the emergency tier: give seek_care.emergency")
        return self


class GlossaryEntry(Strict):
    """A word the handout has to use, explained in plain words."""

    term: Line
    meaning: Text


class Allow(Strict):
    """Silences one check at one place, with the reason a reviewer accepted the text as it is."""

    rule: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9-]+$")] = (
        Field(description="The rule's id (e.g. 'HB-JARGON-001') or name (e.g. 'jargon').")
    )
    at: Line = Field(
        description="The field path the finding names, e.g. 'overview[2]'; "
        "findings inside that field are silenced too."
    )
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=10, max_length=500)
    ] = Field(description="Why the text is right as it is (required; at least 10 characters).")


class Code(Strict):
    """A clinical code the handout is about, so an EHR can find it (HL7 Infobutton) and
    ``handout list --code`` can too."""

    system: Literal["icd-10-cm", "snomed-ct", "rxnorm"] = Field(
        description="The code system: 'icd-10-cm' (diagnoses), 'snomed-ct' (concepts) or "
        "'rxnorm' (medicines, by RXCUI)."
    )
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)] = (
        Field(
            description="The code as the system writes it: 'M48.06' (an ICD-10-CM code also "
            "answers requests for the more specific codes under it), '18347007', '704'."
        )
    )
    display: Line | None = Field(None, description="The code's name, e.g. 'Spinal stenosis'.")

    @field_validator("code")
    @classmethod
    def _well_formed(cls, value: str, info: Any) -> str:
        system = info.data.get("system")
        if system in SYSTEMS:
            problem = code_problem(system, value)
            if problem:
                raise ValueError(problem)
        return value


PLACES = ("overview", "symptoms", "medications", "side_effects", "seek_care")
LayoutName = Literal["leaflet", "sheet", "booklet", "trifold"]
LAYOUTS: tuple[str, ...] = get_args(LayoutName)
"""The page layouts a handout can be built in (see docs/format.md, Layouts)."""


class FreeSection(Strict):
    """A section of your own: a heading and blocks, placed after one of the fixed sections."""

    heading: Line
    after: Literal["overview", "symptoms", "medications", "side_effects", "seek_care"] = Field(
        "side_effects", description="Which fixed section this one follows."
    )
    blocks: Blocks


class Approval(Strict):
    """Who approved the handout for patient use, when, which version, and the fingerprint of the
    content they approved. Written by ``handout approve``; refused on a draft."""

    by: Line = Field(description="Name and credentials of the approver, e.g. 'Jane Doe, MD'.")
    date: dt.date = Field(description="The day it was approved (YYYY-MM-DD).")
    version: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,19}$")] = (
        Field(description="The handout's version when it was approved.")
    )
    fingerprint: Annotated[str, StringConstraints(pattern=FINGERPRINT_PATTERN)] = Field(
        description="SHA-256 of the approved content ('sha256:' and 64 hex digits); a change to "
        "what a patient reads changes it, so the handout counts as a draft again."
    )


class Handout(Strict):
    """A patient handout (schema 2; schema 1 files are read as drafts)."""

    model_config = ConfigDict(
        title="Handout",
        json_schema_extra={
            "$id": "handout-schema-2",
            "allOf": [
                {  # schema 2 says where the handout stands
                    "if": {"properties": {"schema": {"const": 2}}},
                    "then": {"required": ["status"]},
                },
                {  # an approved one says who approved it
                    "if": {"properties": {"status": {"const": "approved"}}, "required": ["status"]},
                    "then": {"required": ["approval"]},
                },
                {  # and a draft names no approver
                    "if": {"properties": {"status": {"const": "draft"}}, "required": ["status"]},
                    "then": {"not": {"required": ["approval"]}},
                },
            ],
        },
    )

    schema_version: int = Field(
        alias="schema",
        description="Format version: 2 (1 is still read, as a draft).",
        json_schema_extra={"enum": list(SCHEMA_VERSIONS)},
    )
    status: Literal["draft", "approved", "retired"] | None = Field(
        None,
        description="draft (not for patients; printed with a DRAFT mark), approved (by the "
        "person in 'approval') or retired (never built or offered). Required from schema 2.",
        validate_default=True,
    )
    approval: Approval | None = Field(
        None,
        description="Who approved it, when and which content; only when status is approved.",
        validate_default=True,
    )
    id: HandoutId = Field(description="Lower-case letters, digits and '-'; names the PDF file.")
    title: Line
    subtitle: Line | None = None
    language: LanguageTag = Field(
        "en", description="BCP 47 tag, e.g. 'en', 'es', 'en-GB', 'ar', 'zh-Hant'."
    )
    translation_of: HandoutId | None = Field(
        None,
        description="The id of the handout this one translates; lists show them as one topic, "
        "and 'handout check' warns when the source has a newer version.",
    )
    audience: Line | None = Field(None, description="Who it is for, e.g. 'Adults'.")
    version: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,19}$")]
    last_reviewed: dt.date
    review_due: dt.date
    reviewed_by: Line
    tags: list[Word] = []
    conditions: list[Line] = []
    codes: list[Code] = Field(
        [],
        description="Clinical codes the handout is about (ICD-10-CM, SNOMED CT, RxNorm), for "
        "lookup from an EHR. Never printed.",
    )
    references: list[Reference] = []
    key_points: list[KeyPoint] | None = Field(
        None,
        min_length=3,
        max_length=6,
        description="Three to six short lines shown first, in a 'Key facts' box on page 1.",
    )
    layout: LayoutName | None = Field(
        None,
        description="The layout to build in unless the build names one: leaflet (the "
        "default), sheet (one sheet, two sides), booklet (folded A5 or half letter) or trifold.",
    )
    max_pages: int | None = Field(
        None,
        ge=1,
        le=100,
        description="The most pages the handout may take; a build that needs more fails.",
    )
    overview: Blocks
    symptoms: list[Block] = []
    medications: list[Medication] = []
    side_effects: list[SideEffectTable] = []
    sections: list[FreeSection] = []
    seek_care: SeekCare | None = None
    glossary: list[GlossaryEntry] = Field([], description="Words to know, shown near the end.")
    allow: list[Allow] = Field(
        [],
        description="Checks silenced at one place, each with a reason "
        "(run 'handout docs checks'). Never printed.",
    )

    @field_validator("schema_version")
    @classmethod
    def _known_schema(cls, value: int) -> int:
        if value not in SCHEMA_VERSIONS:
            raise ValueError(
                f"unsupported schema version {value}; this version reads "
                f"{' and '.join(map(str, SCHEMA_VERSIONS))}"
            )
        return value

    @field_validator("status")
    @classmethod
    def _status_by_schema(cls, value: str | None, info: Any) -> str | None:
        schema = info.data.get("schema_version")
        if schema == 1 and value is not None:
            raise ValueError("schema 1 has no status: change schema to 2 to use status")
        if schema is not None and schema >= 2 and value is None:
            raise ValueError(f"field required: one of {', '.join(STATUSES)}")
        return value

    @field_validator("approval")
    @classmethod
    def _approval_by_status(cls, value: Approval | None, info: Any) -> Approval | None:
        if info.data.get("schema_version") == 1:
            if value is not None:
                raise ValueError("schema 1 has no approval: change schema to 2 to use it")
            return value
        status = info.data.get("status")
        if status == "approved" and value is None:
            raise ValueError(
                "field required: an approved handout names who approved it, when, which "
                "version and its fingerprint (run 'handout approve ID --by \"Name, credentials\"')"
            )
        if status == "draft" and value is not None:
            raise ValueError(
                "a draft has no approval: remove it, or approve the handout with "
                "'handout approve ID --by \"Name, credentials\"'"
            )
        return value

    @property
    def draft(self) -> bool:
        """Whether the file itself says draft (schema 1 has no status: a draft). An approved
        handout whose content changed since is a draft too: see ``source.approval.standing``."""
        return self.status in (None, "draft")

    @field_validator("review_due")
    @classmethod
    def _due_after_review(cls, value: dt.date, info: Any) -> dt.date:
        reviewed = info.data.get("last_reviewed")
        if reviewed and value <= reviewed:
            raise ValueError(f"must be after last_reviewed ({reviewed.isoformat()})")
        return value
