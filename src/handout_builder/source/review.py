"""Warnings: things a handout can still be built with, but that someone should look at.

Takes a handout's review date (and where it was written) and today's date; gives a list of
``Problem``s: the review date has passed, or falls within ``DUE_SOON_DAYS``. A build reports
warnings beside its result; ``--strict`` turns them into failures. Other checks can add their own
warnings to the same list.
"""

from __future__ import annotations

import datetime as dt

from handout_builder.errors import Problem
from handout_builder.output import plural

DUE_SOON_DAYS = 30


def review_status(
    review_due: dt.date, today: dt.date, window: int = DUE_SOON_DAYS
) -> tuple[str, str] | None:
    """("overdue" or "due-soon", a message saying what to do), or None when review is not near.

    The one place that decides this: ``handout build`` warns with it, and the governance rules
    of ``handout check`` report it as an error (overdue) or a warning (due soon).
    """
    days = (review_due - today).days
    if days < 0:
        return "overdue", (
            f"the review was due on {review_due.isoformat()} ({plural(-days, 'day')} ago): have it "
            "reviewed, then update last_reviewed and review_due"
        )
    if days <= window:
        when = "today" if days == 0 else f"in {plural(days, 'day')}"
        return "due-soon", f"the review is due {when} ({review_due.isoformat()}): plan it now"
    return None


def review_warnings(
    review_due: dt.date, file: str, line: int, column: int, today: dt.date
) -> list[Problem]:
    status = review_status(review_due, today)
    return [Problem(file, line, column, "review_due", status[1])] if status else []
