"""The commented starter handout that ``handout new ID`` writes, and the words it uses as
placeholders.

Takes an id and today's date; gives YAML text (schema 2, ``status: draft``) that passes ``handout
check`` as it stands, with warnings for the placeholder text that must be replaced before it can
be approved or released. ``PLACEHOLDER_TEXTS`` are those texts, for the checks to recognise.
"""

from __future__ import annotations

import datetime as dt

SUBTITLE = "A short line that says who this is for and what it covers"
REVIEWER = "Name and role of the clinician who checked every fact"
OPENING = "Say in two or three short sentences what this leaflet is about."
BULLET_ONE = "One idea per bullet."
BULLET_TWO = "Use words the reader uses every day."
EMERGENCY_SIGN = "A sign that needs emergency care right away."
TODAY_SIGN = "A sign that needs a call to the care team today."
CITATION = "Author or organisation. Title. Publisher; year."
KEY_ONE = "What matters most, in one short line."
KEY_TWO = "A second line with a picture beside it."
KEY_THREE = "When to get help, in one short line."
PLACEHOLDER_TEXTS = (
    KEY_ONE,
    KEY_TWO,
    KEY_THREE,
    SUBTITLE,
    REVIEWER,
    OPENING,
    BULLET_ONE,
    BULLET_TWO,
    EMERGENCY_SIGN,
    TODAY_SIGN,
    CITATION,
)
"""The starter's own sentences: a handout that still holds one is not ready for patients."""

TEMPLATE = f"""\
# A patient handout for handout-builder. Every field is described by:  handout docs format
# Check it with:  handout check {{path}}     Build it with:  handout build {{path}}
# Text may use **bold** and *italic*, and {{{{emergency_number}}}}, {{{{crisis_line}}}},
# {{{{clinic_phone}}}} or {{{{organisation}}}} for the brand's values; every other character prints
# exactly as typed. A draft is printed with a DRAFT mark on every page; when a clinician has
# checked every fact, approve it with:  handout approve {{id}} --by "Name, credentials"
schema: 2
status: draft                 # draft, approved (by 'handout approve') or retired
id: {{id}}                      # names the PDF: dist/{{id}}.pdf
title: {{title}}
subtitle: {SUBTITLE}
language: en
audience: Adults
version: "0.1"
last_reviewed: {{today}}        # YYYY-MM-DD
review_due: {{due}}
reviewed_by: {REVIEWER}
tags: [draft]                 # words that help staff find this handout
conditions: []
# layout: sheet               # leaflet (the default), sheet, booklet or trifold
# max_pages: 2                # fail the build if it needs more pages than this

key_points:                   # 3 to 6 short lines, printed first in a box on page 1
  - {KEY_ONE}
  - {{{{text: {KEY_TWO}, icon: evening}}}}
  - {KEY_THREE}

overview:                     # a list of blocks; a plain line is a paragraph
  - {OPENING}
  - bullets:
      - {BULLET_ONE}
      - {BULLET_TWO}

symptoms: []                  # blocks, as in overview (leave empty if not needed)

medications: []               # 'handout docs format' shows a full medication entry

seek_care:                    # when to get help; the most urgent tier comes first
  emergency:
    items:
      - {EMERGENCY_SIGN}
  today:
    items:
      - {TODAY_SIGN}

references:                   # real sources a reader can find
  - citation: {CITATION}
    url: https://example.org/
"""


def starter_text(handout_id: str, today: dt.date) -> str:
    title = handout_id.replace("-", " ").capitalize()
    due = (
        today.replace(year=today.year + 1)
        if not (today.month == 2 and today.day == 29)
        else dt.date(today.year + 1, 3, 1)
    )
    return TEMPLATE.format(
        id=handout_id,
        title=title,
        today=today.isoformat(),
        due=due.isoformat(),
        path=f"handouts/{handout_id}.yaml",
    )
