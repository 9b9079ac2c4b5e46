"""The commented starter handout that ``handout new ID`` writes.

Takes an id and today's date; gives YAML text that passes ``handout check`` as it stands.
"""

from __future__ import annotations

import datetime as dt

TEMPLATE = """\
# A patient handout for handout-builder. Every field is described by:  handout docs format
# Check it with:  handout check {path}     Build it with:  handout build {path}
# Text may use **bold** and *italic*; every other character prints exactly as typed.
schema: 1
id: {id}                      # names the PDF: dist/{id}.pdf
title: {title}
subtitle: A short line that says who this is for and what it covers
language: en
audience: Adults
version: "0.1"
last_reviewed: {today}        # YYYY-MM-DD
review_due: {due}
reviewed_by: Name and role of the clinician who checked every fact
tags: [draft]                 # words that help staff find this handout
conditions: []
# layout: sheet               # leaflet (the default), sheet, booklet or trifold
# max_pages: 2                # fail the build if it needs more pages than this

key_points:                   # 3 to 6 short lines, printed first in a box on page 1
  - What matters most, in one short line.
  - {{text: A second line with a picture beside it., icon: evening}}
  - When to get help, in one short line.

overview:                     # a list of blocks; a plain line is a paragraph
  - Say in two or three short sentences what this leaflet is about.
  - bullets:
      - One idea per bullet.
      - Use words the reader uses every day.

symptoms: []                  # blocks, as in overview (leave empty if not needed)

medications: []               # 'handout docs format' shows a full medication entry

seek_care:                    # when to get help; the most urgent tier comes first
  emergency:
    items:
      - A sign that needs emergency care right away.
  today:
    items:
      - A sign that needs a call to the care team today.

references:                   # real sources a reader can find
  - citation: Author or organisation. Title. Publisher; year.
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
