"""How the builder words its own output, the same way in every command and report.

Takes counts, texts and durations; gives counted nouns (``1 handout``, ``2 handouts``), text cut
to a width with an ellipsis, durations and rates given with the precision they have, and the
JSON envelope (``{"version": 1, "builder": ..., ...}``) that every ``--json`` and
``--format json`` document shares. Patients never read these words (theirs are in
``look.labels``).
"""

from __future__ import annotations

import json
from typing import Any

from handout_builder._version import __version__

JSON_VERSION = 1
ELLIPSIS = "…"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 handout``, ``0 handouts``, ``2 PDFs``; ``many`` for nouns that do not take an s."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, ending in an ellipsis when it was cut."""
    if len(text) <= width:
        return text
    if width <= 0:
        return ""
    return text[: width - 1].rstrip() + ELLIPSIS


def duration(seconds: float) -> str:
    """A duration with the precision a person can use: ``410 ms``, ``1.3 s``, ``42 s``,
    ``3 min 05 s``."""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def rate(count: int, seconds: float) -> str | None:
    """``count`` over ``seconds`` to two significant figures (``1.5/s``, ``12/s``), or None
    when there is too little to measure (fewer than two, or no time)."""
    if count < 2 or seconds <= 0:
        return None
    per_second = count / seconds
    places = 0 if per_second >= 10 else (1 if per_second >= 1 else 2)
    shown = f"{per_second:.{places}f}"
    return f"{shown}/s"


def json_document(**content: Any) -> dict[str, Any]:
    """The envelope of every JSON document the command line prints or writes:
    ``{"version": 1, "builder": "handout-builder X.Y.Z", ...content}``."""
    return {"version": JSON_VERSION, "builder": f"handout-builder {__version__}", **content}


def json_text(document: dict[str, Any]) -> str:
    """A JSON document as the builder prints it: indented, UTF-8 text kept as typed."""
    return json.dumps(document, indent=2, ensure_ascii=False)
