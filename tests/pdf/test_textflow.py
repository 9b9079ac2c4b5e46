"""The lean text path draws what ReportLab's Paragraph draws: the same lines, split the same way,
with the same operators, so the page is the same to the byte; where it cannot (a word wider than
its line), it hands the paragraph to a Paragraph."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from handout_builder.layout.markup import to_fragments, to_pieces
from handout_builder.look.brand import load_brand
from handout_builder.look.theme import Theme
from handout_builder.pdf.tagging import StructNode, TaggedCanvas, TaggedParagraph, Tagger
from handout_builder.pdf.textflow import TextParagraph, plain_spaces, takes

THEME = Theme(load_brand(None), "letter")
TEXTS = [
    "Take it once a day in the evening. It can make you sleepy, so avoid alcohol and do not drive"
    " until you know how it affects you.",
    "**Also called:** Amitriptyline (Elavil), Nortriptyline (Pamelor), Desipramine (Norpramin),"
    " Imipramine (Tofranil)",
    "**Pain.** Some antidepressants seem to *calm* pain signals in the spinal cord and brain. They"
    " may help most with (**nerve**) pain, such as pain that shoots down a leg or arm.",
    "Take **two** tablets *with* food,**then** rest ***at once*** and call 911 — or 988 ≥ 5 mg.",
    "⚠ Warning: Жирный **шрифт** и *курсив* Việt Nam, Ελληνικά **λέξη** mixed with English words.",
    "One",
    "A **b** c",
]
WIDTHS = [90.0, 161.5, 230.0, 468.0]


def _drawn(make: Callable[[], Flowable], width: float, height: float | None) -> bytes:
    """The PDF of a paragraph wrapped at ``width`` and, with ``height``, split there: each part
    drawn on a page of its own."""
    buffer = io.BytesIO()
    canvas = TaggedCanvas(buffer, tagger=Tagger(), invariant=1)
    paragraph = make()
    paragraph.wrapOn(canvas, width, 10_000)
    parts = [paragraph] if height is None else paragraph.splitOn(canvas, width, height)
    for part in parts or [paragraph]:
        _, h = part.wrapOn(canvas, width, 10_000)
        part.drawOn(canvas, 50, 700 - h)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _both(
    text: str, style: ParagraphStyle
) -> tuple[Callable[[], Flowable], Callable[[], Flowable]]:
    def full() -> TaggedParagraph:
        made = TaggedParagraph.of_fragments(to_fragments(text, THEME.fonts, style), style)
        made.node = StructNode("P")
        return made

    def lean() -> TextParagraph:
        return TextParagraph(to_pieces(text, THEME.fonts, style), style, StructNode("P"), full)

    return lean, full


@pytest.mark.parametrize("style", ["body", "h3", "caption", "cell", "tier_badge"])
@pytest.mark.parametrize("text", TEXTS, ids=lambda t: t[:20])
def test_the_lean_path_draws_what_paragraph_draws(text: str, style: str) -> None:
    chosen = THEME.style(style)
    assert takes(chosen)
    lean, full = _both(text, chosen)
    for width in WIDTHS:
        for height in (None, chosen.leading * 2.5, chosen.leading * 3.2):
            assert _drawn(lean, width, height) == _drawn(full, width, height), (width, height)


def test_split_parts_are_lean_and_keep_the_node() -> None:
    style = THEME.style("body")
    lean, _ = _both(TEXTS[2], style)
    paragraph = lean()
    paragraph.wrap(161.5, 10_000)
    first, second = paragraph.split(161.5, style.leading * 3.2)
    assert isinstance(first, TextParagraph) and isinstance(second, TextParagraph)
    assert first.node is paragraph.node is second.node
    assert first.wrap(161.5, 10_000)[1] == 3 * style.leading


def test_a_word_wider_than_its_line_is_left_to_paragraph() -> None:
    style = THEME.style("body")
    text = "Look up **pneumonoultramicroscopicsilicovolcanoconiosis** in the glossary"
    lean, full = _both(text, style)
    assert _drawn(lean, 120, None) == _drawn(full, 120, None)
    paragraph = lean()
    paragraph.wrap(120, 10_000)
    parts = paragraph.split(120, style.leading * 2.5)
    assert parts and all(isinstance(p, TaggedParagraph) for p in parts)
    assert all(p.node is paragraph.node for p in parts)


def test_a_paragraph_left_to_paragraph_reports_its_height() -> None:
    """A table splitting a row reads a cell's ``height`` after wrapping it at the column's width:
    once a word is too wide there, that is the fallback's height, not the lean one's of before."""
    style = THEME.style("cell")
    lean, full = _both("pneumonoultramicroscopicsilicovolcanoconiosis", style)
    paragraph, reference = lean(), full()
    assert paragraph.wrap(468, 10_000) == reference.wrap(468, 10_000)
    assert paragraph.wrap(60, 10_000) == reference.wrap(60, 10_000)
    assert paragraph.height == reference.height > style.leading


@pytest.mark.parametrize(
    ("text", "plain"),
    [("plain words only", True), ("no\u00a0break", False), ("soft\u00adhyphen", False),
     ("zero\u200bwidth", False), ("tab\there", False)],
)  # fmt: skip
def test_only_plain_spaces_take_the_lean_path(text: str, plain: bool) -> None:
    assert plain_spaces(text) is plain


def test_styles_the_lean_path_does_not_take() -> None:
    body = THEME.style("body")
    assert not takes(ParagraphStyle("indented", parent=body, leftIndent=10))
    assert not takes(ParagraphStyle("centred", parent=body, alignment=1))
    assert not takes(ParagraphStyle("cjk", parent=body, wordWrap="CJK"))
    assert not takes(THEME.style("reference_url"))
    assert not takes(THEME.for_language("ar").style("body"))  # right-aligned
