"""Artifact marking: a page's content stream in, the same stream with every graphics object drawn
outside marked content wrapped in ``/Artifact BMC ... EMC``.

A tagged PDF may hold nothing that is neither tagged content nor an artifact: table rules, box
backgrounds, icons and the like are artifacts. One artifact runs from the first graphics object
(a path, a text object, an image or a shading) drawn at marked-content depth 0 to the next
``q``, ``Q``, ``BMC``, ``BDC`` or ``EMC``, so marked content always nests with the graphics state.

The stream is the text ReportLab writes (before compression), read with one regular expression
that steps over strings, names and whole text objects and stops only at operators: a few hundred
matches a page. Each operator ends an instruction, so what follows one is where the next
instruction, operands and all, begins; that is where ``BMC`` and ``EMC`` go.
"""

from __future__ import annotations

import re

_DELIMITED = r"(?![^\s\[<(/%])"  # the token ends here
_TOKENS = re.compile(
    rf"""
    (?<![^\s\]>)])(?P<text>BT(?=\s)(?:[^()E]+|\((?:[^()\\]|\\.)*\)|E(?!T{_DELIMITED}))*ET)
    | \((?:[^()\\]|\\.)*\)              # a string
    | /[^\s/<>\[\]()%{{}}]*             # a name
    | <[0-9A-Fa-f\s]*>                  # a hex string
    | (?P<op>[A-Za-z'"*][A-Za-z0-9'"*]*)
    """,
    re.VERBOSE,
)
GRAPHICS_OBJECT_START = frozenset({"BT", "m", "l", "c", "v", "y", "h", "re", "Do", "sh"})
BREAKS_ARTIFACT = frozenset({"q", "Q", "BMC", "BDC", "EMC"})


def mark_artifacts(content: str) -> str:
    """``content`` with every graphics object outside marked content marked as an artifact."""
    out: list[str] = []
    done = 0  # how much of ``content`` is already in ``out``
    boundary = 0  # where the instruction being read began: just after the last operator
    depth = 0
    open_artifact = False
    for match in _TOKENS.finditer(content):
        kind = match.lastgroup
        if kind is None:  # an operand
            continue
        op = "BT" if kind == "text" else match.group("op")
        if op == "BI":
            raise ValueError("inline images are not supported in tagged content")
        if op in BREAKS_ARTIFACT:
            if open_artifact:
                out += [content[done:boundary], "\nEMC"]
                done = boundary
                open_artifact = False
            depth += 1 if op in ("BMC", "BDC") else -1 if op == "EMC" else 0
        elif depth == 0 and not open_artifact and op in GRAPHICS_OBJECT_START:
            out += [content[done:boundary], "\n/Artifact BMC"]
            done = boundary
            open_artifact = True
        boundary = match.end()
    out.append(content[done:])
    if open_artifact:
        out.append("\nEMC\n")
    return "".join(out)
