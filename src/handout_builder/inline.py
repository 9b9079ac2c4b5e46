"""The inline markup of content text: ``**bold**`` and ``*italic*`` are the only formatting,
``\\*`` is a literal asterisk, a brand value named in braces (``{emergency_number}``) is filled in,
``{{`` and ``}}`` are literal braces, and every other character is text, printed exactly as typed.

Takes text from a content file (and the values that names in braces stand for); gives its runs of
plain, bold and italic text (``parse_inline``), the words a reader sees (``plain_text``), the names
in braces with where they stand (``field_references``), text escaped so that it reads literally
(``literal``) and XML escaping (``escape``). Knows nothing of fonts, brands or ReportLab: the
layout stage turns runs into what a paragraph is drawn from (``layout.markup``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML entities (as ``xml.sax.saxutils.escape``, whose import pulls
    in ``urllib.request`` and ``ssl``: a sixtieth of a second at every start)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_TOKEN = re.compile(r"\\[\\*]|\*\*|\*|\{\{|\}\}|\{[^{}]*\}|[^\\*{}]+|\\|[{}]")
_SPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"[\\*{}]")  # a character that can begin a token other than plain text
FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
"""A name in braces (group 1), or a doubled brace (no group)."""


@dataclass(frozen=True)
class Run:
    """A piece of text and its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


def parse_inline(text: str, fields: Mapping[str, str] | None = None) -> list[Run]:
    """Split text into runs of plain, bold and italic text. Unmatched markers stay literal.
    ``{name}`` becomes ``fields[name]`` (its characters are text, never markup); a name that
    ``fields`` lacks, or any name when ``fields`` is None, stays as typed. ``{{`` and ``}}`` are
    one brace each; a lone brace is itself."""
    folded = _SPACE.sub(" ", text)
    if not _MARKUP.search(folded):  # most text: no markers, escapes or braces at all
        return [Run(folded)] if folded else []
    tokens = _TOKEN.findall(folded)
    last = {t: i for i, t in enumerate(tokens) if t in ("*", "**")}  # each marker's last place
    runs: list[Run] = []
    bold = italic = False
    buffer = ""

    def flush() -> None:
        nonlocal buffer
        if buffer:
            runs.append(Run(buffer, bold, italic))
            buffer = ""

    for i, token in enumerate(tokens):
        if token in ("*", "**"):
            is_open = bold if token == "**" else italic
            has_closer = last[token] > i
            if is_open or has_closer:
                flush()
                if token == "**":
                    bold = not bold
                else:
                    italic = not italic
                continue
        buffer += _token_text(token, fields)
    flush()
    return runs


def _token_text(token: str, fields: Mapping[str, str] | None) -> str:
    if token.startswith("\\") and len(token) == 2:
        return token[1]
    if token in ("{{", "}}"):
        return token[0]
    if len(token) > 1 and token[0] == "{":
        value = fields.get(token[1:-1]) if fields is not None else None
        return token if value is None else " ".join(value.split())
    return token


def plain_text(text: str, fields: Mapping[str, str] | None = None) -> str:
    """The text a reader sees: markup markers removed, white space folded, names in braces
    filled from ``fields`` (left as typed without them)."""
    return "".join(run.text for run in parse_inline(text, fields))


def field_references(text: str) -> Iterator[tuple[int, str]]:
    """(offset, name) of each ``{name}`` in ``text``; doubled braces are not references."""
    for match in FIELD.finditer(text):
        if match.group(1) is not None:
            yield match.start(), match.group(1)


def literal(text: str) -> str:
    """Text with its markup markers and braces escaped, so ``to_markup`` prints it exactly as
    typed (for text typed by people who do not know the markup, such as a patient's name)."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("{", "{{").replace("}", "}}")
