"""Warnings: things a handout can still be built with, but that someone should look at.

Takes a handout's review date (and where it was written) and today's date; gives a list of
``Problem``s: the review date has passed, or falls within ``DUE_SOON_DAYS``. A build reports
warnings beside its result; ``--strict`` turns them into failures. Other checks can add their own
warnings to the same list.
"""

from __future__ import annotations

import datetime as dt

from handout_builder.errors import Problem

DUE_SOON_DAYS = 30


def review_warnings(
    review_due: dt.date, file: str, line: int, column: int, today: dt.date
) -> list[Problem]:
    days = (review_due - today).days
    if days < 0:
        message = (
            f"review was due on {review_due.isoformat()} ({-days} days ago); "
            "have the content reviewed and update last_reviewed and review_due"
        )
    elif days <= DUE_SOON_DAYS:
        message = f"review is due on {review_due.isoformat()} (in {days} days)"
    else:
        return []
    return [Problem(file, line, column, "review_due", message)]
