"""Paragraphs of text, tagged and in a theme's named style: the one way text reaches a page.

Takes a ``Theme``, text and the name of a style; gives a tagged paragraph whose structure node
has the role asked for. ``para`` takes content text (only ``**bold**`` and ``*italic*`` honoured,
brand values named in braces filled in from the theme's brand, every other character printed as
typed), ``label_para`` the builder's own words (printed exactly),
and ``markup_para`` ReportLab markup that ``layout.markup.to_markup`` has already made safe.

Content text takes the lean text path (``pdf.textflow.TextParagraph``) when nothing in it needs
ReportLab's ``Paragraph``: left to right and unshaped, in a left-aligned style that ``takes``
accepts, with plain spaces only. Everything else (right to left, shaped scripts, CJK line
breaking, links, markup) is a ``TaggedParagraph``; both draw the same lines.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from handout_builder.inline import literal
from handout_builder.layout.markup import to_fragments, to_pieces
from handout_builder.look.fonts import is_rtl
from handout_builder.look.theme import Theme
from handout_builder.pdf.tagging import StructNode, TaggedParagraph
from handout_builder.pdf.textflow import TextParagraph, plain_spaces, takes


def direction(theme: Theme, text: str) -> str | None:
    """How a paragraph's lines are drawn: 'rtl' in a right-to-left handout, 'ltr' for text that
    must be shaped or has right-to-left words, None for text ReportLab draws as it is."""
    if theme.rtl:
        return "rtl"
    if is_rtl(text) or theme.fonts.needs_shaping(text):
        return "ltr"
    return None


def para(theme: Theme, content: str, style: str = "body", role: str = "P") -> Flowable:
    """A paragraph of content text, tagged as a structure element of ``role``."""
    return styled_para(theme, content, theme.style(style), StructNode(role))


def styled_para(
    theme: Theme,
    content: str,
    style: ParagraphStyle,
    node: StructNode | None,
    lean: type[TextParagraph] = TextParagraph,
    full: type[TaggedParagraph] = TaggedParagraph,
    **attributes: Any,
) -> TextParagraph | TaggedParagraph:
    """Content text in ``style`` as a ``lean`` paragraph where it can be one, else as a ``full``
    one (see the module docstring), with ``attributes`` set on it (such as a heading's outline
    entry); ``node`` is its structure element (None: untagged)."""
    how = direction(theme, content)

    def full_para() -> TaggedParagraph:
        made = full.of_fragments(to_fragments(content, theme.fonts, style, theme.fields), style)
        made.__dict__.update(attributes, node=node, direction=how)
        return made

    if how is None and takes(style):
        pieces = to_pieces(content, theme.fonts, style, theme.fields)
        if pieces and all(plain_spaces(text) for _, text in pieces):
            made = lean(pieces, style, node, full_para)
            made.__dict__.update(attributes)
            return made
    return full_para()


def label_para(theme: Theme, words: str, style: str, role: str = "P") -> Flowable:
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
