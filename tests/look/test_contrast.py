"""Colour: the default brand meets WCAG AA contrast for every pairing the leaflets use."""

from __future__ import annotations

import pytest

from handout_builder.look.brand import Colours, load_brand
from handout_builder.look.contrast import colour_pairs, contrast_problems, contrast_ratio


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)


def test_default_brand_meets_wcag_aa_everywhere() -> None:
    colours = load_brand().brand.colours
    assert contrast_problems(colours) == []
    assert len(colour_pairs(colours)) == 11


def test_low_contrast_is_reported() -> None:
    pale = Colours(muted="#AAAAAA", today="#F5B041")
    problems = contrast_problems(pale)
    assert any(p.startswith("muted text on white: contrast 2.32:1") for p in problems)
    assert any(p.startswith("white today badge text") for p in problems)


def test_warnings_are_marked_in_words_not_only_in_red(tmp_path) -> None:
    from fixtures import pdf_text, write_handout
    from handout_builder import build

    path = write_handout(
        tmp_path,
        overview=[
            {"callout": {"kind": "warning", "title": "TITLED", "text": "Careful."}},
            {"callout": {"kind": "warning", "text": "UNTITLED warning text."}},
            {"callout": {"kind": "tip", "text": "A TIP."}},
        ],
    )
    [result] = build([path], tmp_path / "out")
    text = pdf_text(result.output)
    assert "⚠ TITLED" in text
    assert "⚠ Warning\nUNTITLED" in text
    assert text.count("⚠") == 2
