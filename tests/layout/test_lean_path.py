"""Which paragraphs take the lean text path, and that whole leaflets come out the same to the byte
whether their paragraphs take it or ReportLab's Paragraph (every script of the languages issue
included: those that need shaping, right to left or CJK breaking never take it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import DATA, SHIPPED, TESTS
from handout_builder import pipeline
from handout_builder.layout import RenderContext, story
from handout_builder.layout import text as layout_text
from handout_builder.look.brand import load_brand
from handout_builder.look.theme import Theme
from handout_builder.pdf.tagging import TaggedParagraph
from handout_builder.pdf.textflow import TextParagraph

BRAND = load_brand(None)
LANGUAGES = TESTS / "languages"
EPOCH = 1767225600  # both builds dated alike
TOOLS = DATA / "tools-handout.yaml"  # key points, pictograms, checklist, steps, diary
LEAFLET = next(s for s in SHIPPED if s.stem == "amitriptyline-lumbar-spinal-stenosis")


def _build(path: Path, large_print: bool = False, layout: str = "leaflet") -> bytes:
    checked = pipeline.check_file(path, BRAND)
    assert checked.handout is not None and checked.loaded is not None, checked.problems
    theme = Theme(BRAND, "letter", large_print=large_print)
    return pipeline.render_handout(
        checked.handout,
        theme,
        checked.loaded.base_dir,
        checked.loaded.name,
        approval=checked.standing.approval,  # a draft (the shipped ones) has its draft mark
        layout=layout,
        epoch=EPOCH,
    ).data


def _paragraphs(path: Path) -> list[object]:
    checked = pipeline.check_file(path, BRAND)
    assert checked.handout is not None
    theme = Theme(BRAND, "letter").for_language(checked.handout.language)
    out: list[object] = []

    def walk(item: object) -> None:
        if isinstance(item, (list, tuple)):
            for each in item:
                walk(each)
        elif isinstance(item, (TextParagraph, TaggedParagraph)):
            out.append(item)
        elif hasattr(item, "__dict__"):
            for name in ("_content", "_cellvalues", "label", "body"):
                walk(item.__dict__.get(name))

    walk(story(checked.handout, RenderContext(checked.handout, theme, checked.loaded.base_dir)))
    return out


@pytest.mark.parametrize(
    ("path", "large_print", "layout"),
    [
        (DATA / "full-handout.yaml", False, "leaflet"),
        (DATA / "full-handout.yaml", True, "leaflet"),
        (LEAFLET, False, "leaflet"),
        (LANGUAGES / "ru.yaml", False, "leaflet"),
        (LANGUAGES / "vi.yaml", True, "leaflet"),
        (LANGUAGES / "ar.yaml", False, "leaflet"),
        (LANGUAGES / "zh-Hans.yaml", False, "leaflet"),
        (TOOLS, False, "leaflet"),
        (TOOLS, False, "sheet"),
        (DATA / "full-handout.yaml", False, "sheet"),  # a word too wide for a table's column
        (TOOLS, False, "trifold"),
        (LEAFLET, True, "booklet"),
        (LANGUAGES / "he.yaml", False, "booklet"),
    ],
    ids=lambda v: v.stem if isinstance(v, Path) else str(v),
)
def test_leaflets_are_the_same_on_either_path(
    path: Path, large_print: bool, layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lean = _build(path, large_print, layout)
    monkeypatch.setattr(layout_text, "takes", lambda style: False)
    assert _build(path, large_print, layout) == lean


def test_english_paragraphs_take_the_lean_path() -> None:
    found = _paragraphs(LEAFLET)
    lean = [p for p in found if isinstance(p, TextParagraph)]
    # only the sources (markup with links) are left to ReportLab
    assert len(lean) > 100 and len(lean) / len(found) > 0.9


@pytest.mark.parametrize("language", ["ar", "he", "fa", "zh-Hans", "zh-Hant", "ja"])
def test_right_to_left_and_cjk_handouts_stay_with_paragraph(language: str) -> None:
    found = _paragraphs(LANGUAGES / f"{language}.yaml")
    assert found and not any(isinstance(p, TextParagraph) for p in found)


@pytest.mark.parametrize("language", ["hi", "bn", "en"])
def test_text_that_must_be_shaped_stays_with_paragraph(language: str) -> None:
    found = _paragraphs(LANGUAGES / f"{language}.yaml")
    lean = [p for p in found if isinstance(p, TextParagraph)]
    shaped = [p for p in found if isinstance(p, TaggedParagraph) and p.direction]
    assert lean  # the Latin-only lines (drug names, numbers) take the lean path
    if language != "en":
        assert shaped
    for paragraph in lean:
        text = "".join(t for _, t in paragraph.pieces)
        assert not any("\u0900" <= ch <= "\u09ff" for ch in text), text
