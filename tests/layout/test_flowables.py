"""Keeping what belongs together on one page where ReportLab's rules are not enough: ``Together``
keeps a care tier's heading with its first sign when the tier's box splits across pages, and a
sentence that introduces a list keeps with its first item."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table

from fixtures import write_handout
from handout_builder import load_handout
from handout_builder.layout.blocks import render_blocks
from handout_builder.layout.context import RenderContext
from handout_builder.layout.flowables import SplitTable, Together
from handout_builder.look.brand import load_brand
from handout_builder.look.fonts import load_fontset
from handout_builder.look.theme import Theme
from handout_builder.model import Block
from handout_builder.pdf._reportlab import table_cells

STYLE = ParagraphStyle("t", fontName=load_fontset().primary.regular, fontSize=12, leading=15)
WIDTH = 300.0


def box(cell: list[Flowable]) -> Table:
    """A one-cell box whose cell may split across pages, top-aligned, as a care tier's box is."""
    table = Table([[cell]], colWidths=[WIDTH], splitInRow=1)
    table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP")])
    return table


def lines(name: str, n: int) -> Paragraph:
    return Paragraph("<br/>".join(f"{name} {i}" for i in range(n)), STYLE)


def cell_texts(table: Flowable) -> list[str]:
    """The first word of each paragraph in the box's cell, those kept together included."""
    assert isinstance(table, Table)
    [[cell]] = table_cells(table)
    parts = [p for f in cell for p in getattr(f, "flowables", [f])]
    return [p.getPlainText().split()[0] for p in parts]


def test_a_cell_split_strands_a_heading_unless_it_is_kept_with_what_follows() -> None:
    room_for_heading = 4 + 15 * 1 + 6  # the padding and one line: the heading alone fits
    loose = box([lines("HEADING", 1), lines("FIRST", 3), lines("SECOND", 3)])
    top, _ = loose.split(WIDTH, room_for_heading)
    assert cell_texts(top) == ["HEADING"]  # ReportLab leaves the heading alone
    kept = box([Together([lines("HEADING", 1), lines("FIRST", 3)]), lines("SECOND", 3)])
    assert kept.split(WIDTH, room_for_heading) == []  # the box moves on whole


def test_kept_flowables_split_from_the_rest_as_one() -> None:
    room = 4 + 15 * 4 + 10  # the heading and the first sign, not the second
    kept = box([Together([lines("HEADING", 1), lines("FIRST", 3)]), lines("SECOND", 3)])
    top, rest = kept.split(WIDTH, room)
    assert cell_texts(top) == ["HEADING", "FIRST"]
    assert cell_texts(rest) == ["SECOND"]


def test_together_is_as_tall_as_what_it_holds_and_never_splits() -> None:
    parts = [lines("A", 2), lines("B", 1)]
    together = Together(parts)
    _, height = together.wrap(WIDTH, 1000)
    assert height == sum(p.wrap(WIDTH, 1000)[1] for p in parts)
    assert together.split(WIDTH, 20) == []


def test_a_sentence_before_a_list_keeps_with_its_first_item(tmp_path: Path) -> None:
    """'Stop and rest if:' never ends a page with its list on the next: a paragraph just before
    a list keeps with the list's first item; one before another paragraph does not."""
    handout = load_handout(write_handout(tmp_path))
    ctx = RenderContext(handout, Theme(load_brand(), "letter"), tmp_path)
    blocks = [
        Block.model_validate(b)
        for b in ["Stop and rest if:", {"bullets": ["one", "two"]}, "Next.", "Last."]
    ]
    intro, _first, _second, next_, last = render_blocks(blocks, ctx)
    assert intro.getKeepWithNext() and not next_.getKeepWithNext()
    assert not last.getKeepWithNext()


def test_a_box_never_carries_only_its_padding_to_the_next_page() -> None:
    """Where the signs fit but the box's bottom padding does not, ReportLab would split the row
    and draw an empty box at the top of the next page; the box moves on whole instead."""
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 12)]
    room = 4 + 15 * 2 + 3  # the padding above, both lines, not the padding below
    plain = Table([[[lines("SIGN", 2)]]], colWidths=[WIDTH], splitInRow=1)
    plain.setStyle(style)
    top, rest = plain.split(WIDTH, room)
    assert cell_texts(top) == ["SIGN"] and not any(table_cells(rest)[0][0])
    ours = SplitTable([[[lines("SIGN", 2)]]], colWidths=[WIDTH], splitInRow=1)
    ours.setStyle(style)
    assert ours.split(WIDTH, room) == []
