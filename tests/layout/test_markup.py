"""Inline markup: only **bold** and *italic*; everything else literal and escaped."""

from __future__ import annotations

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from handout_builder.inline import Run, parse_inline, plain_text
from handout_builder.layout.markup import to_fragments, to_markup
from handout_builder.look.fonts import load_fontset


@pytest.fixture(scope="module")
def fonts():
    return load_fontset()


def test_bold_and_italic_runs() -> None:
    assert parse_inline("Take **one** tablet *at night*.") == [
        Run("Take "),
        Run("one", bold=True),
        Run(" tablet "),
        Run("at night", italic=True),
        Run("."),
    ]


def test_unmatched_markers_and_escapes_stay_literal() -> None:
    assert plain_text("5 * 3 and **open") == "5 * 3 and **open"
    assert plain_text(r"\*not italic\*") == "*not italic*"


def test_reportlab_markup_is_escaped(fonts) -> None:
    hostile = '<font color="red">x</font> <a href="http://evil">y</a> <img src="a.png"/> & <b>'
    out = to_markup(hostile, fonts)
    assert "<" not in out.replace("&lt;", "")
    assert "&amp;" in out and "&lt;font" in out and "&lt;img" in out


def test_characters_missing_from_primary_use_the_fallback(fonts) -> None:
    out = to_markup("dose ≥ 5 µg", fonts)
    assert f'<font face="{fonts.fallback.regular}">≥</font>' in out
    assert "µg" in out  # in the primary font


@pytest.mark.parametrize(
    "text",
    [
        "Take **one** tablet *at night*.",
        "***both*** and **bold *inside* bold** and \\*stars\\* and a lone * here",
        'Dose ≥ 5 mg; α-blockers; <font color="red">red</font> & <a href="x">link</a> <br/>',
        "  spaces   and\nnew lines\tand tabs  ",
        "**≥ 10** *Ωmega* text",
        "",
    ],
)
def test_fragments_are_what_parsing_the_markup_gives(fonts, text: str) -> None:
    style = ParagraphStyle("t", fontName=fonts.primary.regular, fontSize=12, leading=15)
    parsed = Paragraph(to_markup(text, fonts), style).frags
    built = Paragraph(None, style, frags=to_fragments(text, fonts, style)).frags
    # The parser cuts text at every entity (&lt; &amp;), so compare character by character.
    assert _styled_characters(built) == _styled_characters(parsed)
    assert "".join(f.text for f in built) == plain_text(text).strip()


def _styled_characters(frags: list) -> list[tuple]:
    return [
        (ch, *sorted((k, repr(v)) for k, v in vars(f).items() if k != "text"))
        for f in frags
        for ch in f.text
    ]
