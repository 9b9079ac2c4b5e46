"""The inline markup of content text: ``**bold**`` and ``*italic*`` are the only formatting,
``\\*`` is a literal asterisk, and every other character is text, printed exactly as typed.

Takes text from a content file; gives its runs of plain, bold and italic text (``parse_inline``),
the words a reader sees (``plain_text``), text escaped so that it reads literally (``literal``)
and XML escaping (``escape``). Knows nothing of fonts or ReportLab: the layout stage turns runs
into what a paragraph is drawn from (``layout.markup``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML entities (as ``xml.sax.saxutils.escape``, whose import pulls
    in ``urllib.request`` and ``ssl``: a sixtieth of a second at every start)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_TOKEN = re.compile(r"\\[\\*]|\*\*|\*|[^\\*]+|\\")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Run:
    """A piece of text and its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


def parse_inline(text: str) -> list[Run]:
    """Split text into runs of plain, bold and italic text. Unmatched markers stay literal."""
    folded = _SPACE.sub(" ", text)
    if "*" not in folded and "\\" not in folded:  # most text: no markup at all
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
        buffer += token[1] if token.startswith("\\") and len(token) == 2 else token
    flush()
    return runs


def plain_text(text: str) -> str:
    """The text a reader sees: markup markers removed, white space folded."""
    return "".join(run.text for run in parse_inline(text))


def literal(text: str) -> str:
    """Text with its markup markers escaped, so ``to_markup`` prints it exactly as typed
    (for text typed by people who do not know the markup, such as a patient's name)."""
    return text.replace("\\", "\\\\").replace("*", "\\*")
