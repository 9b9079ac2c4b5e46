"""Placeholders: text that stands in for a clinic's real details and must never reach a patient.

Takes a string; ``placeholder_in(text)`` says which placeholder it holds, if any: an address at
``example.org``, ``example.com`` or ``example.net`` (RFC 2606 names reserved for examples, so no
clinic can own them), a telephone number of the 555-0100 to 555-0199 range (reserved for fiction
in North America), or a sentence of the starter that ``handout new`` writes.
``placeholder_values(data)`` finds them in every text value of a file's plain data, with the path
of each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from handout_builder.source.reader import PathKey, text_values
from handout_builder.source.starter import PLACEHOLDER_TEXTS

EXAMPLE_DOMAIN = re.compile(r"(?<![\w-])(?:[\w-]+\.)*example\.(?:org|com|net)(?![\w-])", re.I)
FICTIONAL_PHONE = re.compile(r"(?<![\d-])555[-. ]?01\d\d(?!\d)")
_STARTER = {" ".join(t.split()).casefold() for t in PLACEHOLDER_TEXTS}


def placeholder_in(text: str) -> tuple[str, int | None] | None:
    """What placeholder ``text`` holds, in words, and where it starts in ``text`` (None for
    the whole text); None when it holds none."""
    domain = EXAMPLE_DOMAIN.search(text)
    if domain:
        return f"'{domain.group(0)}' is an example address (reserved for examples)", domain.start()
    phone = FICTIONAL_PHONE.search(text)
    if phone:
        return (
            f"'{phone.group(0)}' is a fictional telephone number (555-0100 to 555-0199)",
            phone.start(),
        )
    if " ".join(text.split()).casefold() in _STARTER:
        return "this is the starter's placeholder text from 'handout new'", None
    return None


def placeholder_values(
    data: Any, skip: frozenset[str] = frozenset()
) -> Iterator[tuple[PathKey, str, int | None]]:
    """(path, what it holds, where in the text) for each text value in ``data`` that holds a
    placeholder; the keys in ``skip`` are not looked into."""
    for path, value in text_values(data, skip):
        found = placeholder_in(value)
        if found:
            yield path, *found
