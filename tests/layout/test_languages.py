"""Every script a clinic serves, built and read back: the fixtures in tests/data/languages (one
short handout per language, not shipped content) become PDFs whose text extracts as it was typed
(after Unicode normalisation), whose fonts are embedded, whose /Lang is the handout's language and
which pass our PDF/UA checker; and the pieces under them (bidirectional order, font choice,
catalogues, linked translations) each do their one job."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pytest

from fixtures import TESTS, run_cli
from handout_builder import build, make_packet
from handout_builder.inline import plain_text
from handout_builder.look.brand import load_brand
from handout_builder.look.labels import ENGLISH, catalogue_for, catalogues, labels_for, long_date
from handout_builder.model import Handout
from handout_builder.pdf.pdfua import check_pdf
from handout_builder.pdf.visual import levels
from handout_builder.source.reader import read_source
from handout_builder.source.validation import validate

LANGUAGES = TESTS / "languages"
FIXTURES = sorted(LANGUAGES.glob("*.yaml"))
RTL = {"ar", "fa", "he"}
SCRIPT_FONT = {
    "ar": "NotoSansArabic",
    "fa": "NotoSansArabic",
    "he": "NotoSansHebrew",
    "hi": "NotoSansDevanagari",
    "bn": "NotoSansBengali",
    "zh-Hans": "DroidSansFallback",
    "zh-Hant": "DroidSansFallback",
    "ja": "DroidSansFallback",
    "ko": "NanumGothic",
    "ru": "DejaVuSans",
    "el": "DejaVuSans",
    "vi": "DejaVuSans",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("languages")
    results = build([LANGUAGES], out)
    assert all(r.ok for r in results), [str(p) for r in results for p in r.problems]
    return {r.source.stem: r.output for r in results if r.output is not None}


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def texts(handout: Handout) -> list[str]:
    """The plain text of the title, the overview, the tables and the care tiers."""
    out = [handout.title]
    for block in handout.overview:
        if block.paragraph:
            out.append(block.paragraph)
        out += [item.text for item in block.bullets or []] + (block.numbered or [])
    for table in handout.side_effects:
        out += [table.title, *table.columns]
        for group in table.groups:
            out += [group.label, *(cell for row in group.rows for cell in row)]
    care = handout.seek_care
    assert care is not None
    for tier in (care.emergency, care.today, care.next_visit):
        assert tier is not None
        out += tier.items
    return [_norm(plain_text(t)) for t in out]


def extracted(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    return _norm(re.sub("[\u200e\u200f\u202a-\u202e]", "", text))  # poppler's direction marks


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_each_script_reads_back_as_typed(fixture: Path, built: dict[str, Path]) -> None:
    handout = validate(read_source(fixture), Handout)
    pdf = built[fixture.stem]
    text = extracted(pdf)
    squeezed = re.sub(r"\s+", "", text)
    if fixture.stem in RTL:
        squeezed = "".join(c for c in squeezed if unicodedata.category(c) != "Mn")
    for value in texts(handout):
        if fixture.stem in RTL:
            # glyphs stand in visual order, and pdftotext puts each right-to-left run back in
            # the order it was typed (joining runs of two directions without a space): every
            # word comes back whole, as typed
            for word in re.findall(r"[^\s()]+", value):
                if re.search(r"[0-9A-Za-z]", word):
                    continue  # a word of two directions: pdftotext orders its pieces by itself
                # pdftotext drops Arabic vowel marks (harakat) drawn over their letter
                bare = "".join(c for c in word if unicodedata.category(c) != "Mn")
                assert bare.strip(".,:،") in squeezed, (word, value)
        else:
            assert re.sub(r"\s+", "", value) in squeezed, value


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_each_script_is_embedded_tagged_and_in_its_language(
    fixture: Path, built: dict[str, Path]
) -> None:
    pdf = built[fixture.stem]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes yes " in row for row in rows), fonts
    if fixture.stem in SCRIPT_FONT:
        assert SCRIPT_FONT[fixture.stem] in fonts
    with pikepdf.open(pdf) as opened:
        assert str(opened.Root.Lang) == fixture.stem
    assert check_pdf(pdf) == []


def test_shaped_text_keeps_its_characters(built: dict[str, Path]) -> None:
    """Arabic letters join and Devanagari forms conjuncts, yet the text is what was typed: no
    presentation forms, no private-use glyph codes."""
    for stem in ("ar", "fa", "hi", "bn"):
        text = extracted(built[stem])
        assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff\ue000-\uf8ff]", text), stem
    assert "ज़्यादा" in extracted(built["hi"])  # a conjunct with a nukta
    assert "لا تتناول" in extracted(built["ar"])  # lam-alef, one glyph for two letters


def test_numbers_and_latin_names_in_right_to_left_text_follow_uax9() -> None:
    line = "تناول 500 mg من Paracetamol"
    got = levels(line, rtl=True)
    arabic = [got[i] for i, ch in enumerate(line) if "\u0600" <= ch <= "\u06ff"]
    assert set(arabic) == {1}
    assert {got[line.index(ch)] for ch in "500"} == {2}
    assert {got[line.index("P") + i] for i in range(len("Paracetamol"))} == {2}
    assert levels("Take 500 mg", rtl=False) == [0] * len("Take 500 mg")


def test_fonts_follow_the_script_of_each_character() -> None:
    fonts = load_brand().fonts
    families = {family.name for family, _ in fonts.runs("Take ابلع दवा 약 药 שלום")}
    assert {
        "Atkinson Hyperlegible",
        "Noto Sans Arabic",
        "Noto Sans Devanagari",
        "Nanum Gothic",
        "Droid Sans Fallback",
        "Noto Sans Hebrew",
    } <= families
    # digits inside Arabic stay in the Arabic family, as do the marks of a word
    [(family, run)] = fonts.runs("كل 6 ساعات")
    assert family.name == "Noto Sans Arabic" and run == "كل 6 ساعات"


def test_every_catalogue_has_every_label_with_its_placeholders() -> None:
    assert len(catalogues()) >= 15
    for catalogue in catalogues().values():
        assert catalogue.missing() == [], catalogue.language
        for key, english in ENGLISH.items():
            wanted = set(re.findall(r"\{\w+\}", english))
            assert set(re.findall(r"\{\w+\}", catalogue.labels[key])) == wanted, (
                catalogue.language,
                key,
            )
    assert catalogues()["es"].reviewed
    assert not catalogues()["ar"].reviewed


def test_a_tag_uses_its_most_specific_catalogue() -> None:
    assert labels_for("es-MX")["overview"] == "Lo que debe saber"
    assert catalogue_for("zh-TW") is catalogues()["zh-Hant"]
    assert catalogue_for("zh") is catalogues()["zh-Hans"]
    assert catalogue_for("sw") is None
    assert long_date(dt.date(2026, 11, 30), "es") == "30 de noviembre de 2026"


def test_a_language_without_words_is_a_check_error(tmp_path: Path) -> None:
    text = (LANGUAGES / "en.yaml").read_text().replace("language: en", "language: sw")
    (tmp_path / "sw.yaml").write_text(text)
    result = run_cli("check", tmp_path / "sw.yaml")
    assert result.exit_code == 1
    assert "sw.yaml:6:11: language: handout-builder has no words in Swahili (sw)" in result.output
    assert "docs/languages.md" in result.output


def test_a_translation_behind_its_source_is_a_warning(tmp_path: Path) -> None:
    source = (LANGUAGES / "en.yaml").read_text().replace('version: "1.0"', 'version: "1.1"')
    (tmp_path / "en.yaml").write_text(source)
    (tmp_path / "ar.yaml").write_text((LANGUAGES / "ar.yaml").read_text())
    result = run_cli("check", tmp_path)
    assert "this translation is of version 1.0, but its source 'paracetamol-en' is now " in (
        result.output
    )
    assert "[warning HB-GOV-006]" in result.output


def test_list_shows_a_topic_with_its_languages() -> None:
    result = run_cli("list", LANGUAGES)
    assert result.exit_code == 0
    line = next(x for x in result.output.splitlines() if x.startswith("paracetamol-en"))
    assert "ar" in line.split() or "ar," in line


def test_a_packet_cover_prints_names_and_notes_in_any_script(tmp_path: Path) -> None:
    packet = make_packet(
        ["paracetamol-ar"],
        [LANGUAGES],
        patient="محمد علي · 王小明 · राम शर्मा",
        note="خذ القرص الأول يوم الاثنين.\n请星期一晚上开始服药。",
        date=dt.date(2026, 11, 30),
        drafts=True,  # the test handouts are drafts: a reviewer's copy, marked
    )
    path = tmp_path / "packet.pdf"
    path.write_bytes(packet.data)
    text = extracted(path)
    for word in ("محمد", "علي", "王小明", "शर्मा", "الاثنين", "请星期一晚上开始服药"):
        assert word in text, word
    assert check_pdf(path) == []
