"""Inline markup: only **bold** and *italic*; everything else literal and escaped."""

from __future__ import annotations

import pytest

from handout_builder.fonts import load_fontset
from handout_builder.markup import Run, parse_inline, plain_text, to_markup


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
