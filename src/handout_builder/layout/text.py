"""Paragraphs of text, tagged and in a theme's named style: the one way text reaches a page.

Takes a ``Theme``, text and the name of a style; gives a ``TaggedParagraph`` whose structure node
has the role asked for. ``para`` takes content text (only ``**bold**`` and ``*italic*`` honoured,
every other character printed as typed), ``label_para`` the builder's own words (printed exactly),
and ``markup_para`` ReportLab markup that ``layout.markup.to_markup`` has already made safe.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle

from handout_builder.inline import literal
from handout_builder.layout.markup import to_fragments
from handout_builder.look.fonts import is_rtl
from handout_builder.look.theme import Theme
from handout_builder.pdf.tagging import StructNode, TaggedParagraph


def direction(theme: Theme, text: str) -> str | None:
    """How a paragraph's lines are drawn: 'rtl' in a right-to-left handout, 'ltr' for text that
    must be shaped or has right-to-left words, None for text ReportLab draws as it is."""
    if theme.rtl:
        return "rtl"
    if is_rtl(text) or theme.fonts.needs_shaping(text):
        return "ltr"
    return None


def para(theme: Theme, content: str, style: str = "body", role: str = "P") -> TaggedParagraph:
    """A paragraph of content text, tagged as a structure element of ``role``."""
    chosen = theme.style(style)
    paragraph = TaggedParagraph.of_fragments(to_fragments(content, theme.fonts, chosen), chosen)
    paragraph.node = StructNode(role)
    paragraph.direction = direction(theme, content)
    return paragraph


def label_para(theme: Theme, words: str, style: str, role: str = "P") -> TaggedParagraph:
    """A paragraph of the builder's own words (headings, labels), printed exactly as given."""
    return para(theme, literal(words), style, role)


def markup_para(
    theme: Theme, markup: str, style: str | ParagraphStyle, role: str = "P"
) -> TaggedParagraph:
    """A tagged paragraph of markup that has already been made safe by ``to_markup``, in a
    named style of the theme or one derived from it."""
    chosen = theme.style(style) if isinstance(style, str) else style
    paragraph = TaggedParagraph(markup, chosen)
    paragraph.node = StructNode(role)
    paragraph.direction = direction(theme, markup)
    return paragraph
