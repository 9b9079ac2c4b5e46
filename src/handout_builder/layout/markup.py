"""The small, safe inline markup of handout text, turned into what a ReportLab Paragraph takes.

Takes text from a content file; gives either ReportLab markup (``to_markup``) or ReportLab's
fragments built straight from the text's runs (``to_fragments``, the same result without writing
and parsing markup, a third faster). In both, ``**bold**`` and ``*italic*`` are the only
formatting, ``\\*`` is a literal asterisk, and every other character, ``<``, ``&`` and
``<font color=...>`` included, is printed exactly as typed. Characters the primary font lacks are
set in the fallback font. These are the only ways content reaches a Paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paragraph import textTransformFrags
from reportlab.platypus.paraparser import ParaParser

from handout_builder.look.fonts import FontSet


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
    tokens = _TOKEN.findall(_SPACE.sub(" ", text))
    markers = [i for i, t in enumerate(tokens) if t in ("*", "**")]
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
            has_closer = any(j > i and tokens[j] == token for j in markers)
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


def to_markup(text: str, fonts: FontSet) -> str:
    """ReportLab paragraph markup for content text (see the module docstring)."""
    out: list[str] = []
    for run in parse_inline(text):
        piece = "".join(
            escape(chunk)
            if family is fonts.primary
            else f'<font face="{family.regular}">{escape(chunk)}</font>'
            for family, chunk in fonts.runs(run.text)
        )
        if run.italic:
            piece = f"<i>{piece}</i>"
        if run.bold:
            piece = f"<b>{piece}</b>"
        out.append(piece)
    return "".join(out)


def to_fragments(text: str, fonts: FontSet, style: ParagraphStyle) -> list:
    """ReportLab's fragments of content text in ``style``: what parsing ``to_markup(text)`` gives,
    made by handing ReportLab's parser the runs as a tree, so the text is never read as markup."""
    children: list = []
    for run in parse_inline(text.strip()):  # as ReportLab's cleaner trims markup
        node: list = [
            chunk if family is fonts.primary else ("font", {"face": family.regular}, [chunk], None)
            for family, chunk in fonts.runs(run.text)
        ]
        if run.italic:
            node = [("i", {}, node, None)]
        if run.bold:
            node = [("b", {}, node, None)]
        children += node
    _, frags, _ = ParaParser().tt_parse(("para", {}, children, None), style)
    textTransformFrags(frags, style)
    return frags
