"""Content text turned into what a ReportLab Paragraph takes, through the inline markup
(``inline``).

Takes text from a content file, the brand's fonts and the brand values that names in braces
stand for (``Theme.fields``); gives either ReportLab markup (``to_markup``), ReportLab's fragments
built straight from the text's runs (``to_fragments``, the same result without writing and
parsing markup, a third faster), or the pieces the lean text path draws (``to_pieces``: each
fragment's font and text, and nothing else). In all three, ``**bold**`` and ``*italic*`` are the
only formatting, ``{emergency_number}`` and the other brand names are filled in, and every other
character, ``<``, ``&`` and ``<font color=...>`` included, is printed exactly as typed. Characters
the primary font lacks are set in the fallback font. These are the only ways content reaches a
Paragraph.
"""

from __future__ import annotations

from collections.abc import Mapping

from reportlab.lib.styles import ParagraphStyle

from handout_builder.inline import escape, parse_inline
from handout_builder.look.fonts import FontSet
from handout_builder.pdf._reportlab import fragments_from_tree


def to_markup(text: str, fonts: FontSet, fields: Mapping[str, str] | None = None) -> str:
    """ReportLab paragraph markup for content text (see the module docstring)."""
    out: list[str] = []
    for run in parse_inline(text, fields):
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


FACE_OF = {
    (False, False): "regular",
    (True, False): "bold",
    (False, True): "italic",
    (True, True): "bold_italic",
}


def to_pieces(
    text: str, fonts: FontSet, style: ParagraphStyle, fields: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """(font name, text) for each of the fragments ``to_fragments`` makes of content text: in
    the primary family, the run's emphasis added to the style's face; in another family, the
    style's face (ReportLab lets a ``<font face>`` inside ``<b>`` keep its face)."""
    face = next((k for k, v in fonts.primary.faces.items() if v == style.fontName), "regular")
    bold, italic = face in ("bold", "bold_italic"), face in ("italic", "bold_italic")
    return [
        (
            family.faces[FACE_OF[bold or run.bold, italic or run.italic]]
            if family is fonts.primary
            else family.faces[face],
            chunk,
        )
        for run in parse_inline(text.strip(), fields)
        for family, chunk in fonts.runs(run.text)
    ]


def to_fragments(
    text: str, fonts: FontSet, style: ParagraphStyle, fields: Mapping[str, str] | None = None
) -> list:
    """ReportLab's fragments of content text in ``style``: what parsing ``to_markup(text)`` gives,
    made by handing ReportLab's parser the runs as a tree, so the text is never read as markup.
    A run in another family takes the face of the style (a bold heading's Greek is bold)."""
    face = next((k for k, v in fonts.primary.faces.items() if v == style.fontName), "regular")
    children: list = []
    for run in parse_inline(text.strip(), fields):  # as ReportLab's cleaner trims markup
        node: list = [
            chunk
            if family is fonts.primary
            else ("font", {"face": family.faces[face]}, [chunk], None)
            for family, chunk in fonts.runs(run.text)
        ]
        if run.italic:
            node = [("i", {}, node, None)]
        if run.bold:
            node = [("b", {}, node, None)]
        children += node
    return fragments_from_tree(("para", {}, children, None), style)
