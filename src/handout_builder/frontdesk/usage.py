"""A record of what education was given, without the patient: one line per packet.

Takes the topics of each packet the front desk made, with their languages, the layout and the
paper; gives a JSON Lines file (``serve --usage-log FILE``), one object per packet::

    {"time": "2026-03-04T10:15:02Z", "topics": ["knee-pain-basics"], "languages": ["en"],
     "layout": "regular", "paper": "letter", "pages": 2, "action": "print"}

and a summary of such a file per month and topic (``handout usage FILE``). A line never holds a
name, a note, a date of birth or anything else typed about a patient: ``record`` is given none.
Lines are appended whole under a lock, so a file shared by the server's threads stays readable;
a line that cannot be read (a crash mid-write, a hand edit) is counted and skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from handout_builder.frontdesk.catalogue import Topic


class UsageLog:
    """Appends one line per packet to ``path`` (created when missing)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)  # fail at start, not at the first packet

    def record(
        self,
        topics: Sequence[Topic],
        *,
        layout: str,
        paper: str,
        pages: int,
        action: str,
        when: dt.datetime | None = None,
    ) -> None:
        moment = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
        line = {
            "time": moment.isoformat().replace("+00:00", "Z"),
            "topics": [t.id for t in topics],
            "languages": [t.language for t in topics],
            "layout": layout,
            "paper": paper,
            "pages": pages,
            "action": action,
        }
        text = json.dumps(line, ensure_ascii=False) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(text)


@dataclass(frozen=True)
class UsageSummary:
    """Packets per month, and how often each topic was given in each month and language."""

    packets: dict[str, int]  # month -> packets
    given: dict[tuple[str, str, str], int]  # (month, topic, language) -> times given
    skipped: int  # lines that could not be read


def summarise(path: Path) -> UsageSummary:
    """Count a usage log's packets per month, and topics given per month and language."""
    packets: Counter[str] = Counter()
    given: Counter[tuple[str, str, str]] = Counter()
    skipped = 0
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                month = dt.datetime.fromisoformat(entry["time"]).strftime("%Y-%m")
                topics = [str(t) for t in entry["topics"]]
                languages = [str(x) for x in entry.get("languages", [])]
            except (ValueError, KeyError, TypeError):
                skipped += 1
                continue
            packets[month] += 1
            for i, topic in enumerate(topics):
                given[(month, topic, languages[i] if i < len(languages) else "")] += 1
    return UsageSummary(dict(sorted(packets.items())), dict(sorted(given.items())), skipped)
