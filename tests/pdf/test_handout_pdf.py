"""Build real PDFs and read them back: text in order, page size, fonts, metadata, outline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from fixtures import (
    DATA,
    REPO,
    SHIPPED,
    allowing,
    diary_rows,
    large_print_layout,
    long_table_handout,
    pdf_pages_text,
    pdf_text,
    reader,
    structure_texts,
    write_handout,
)
from handout_builder import build, load_handout
from handout_builder.look.labels import labels_for

ORDER = [
    "Full test handout",
    "MARK-OVERVIEW",
    "MARK-BULLET-ONE",
    "MARK-BULLET-TWO",
    "MARK-NUMBER-ONE",
    "MARK-CALLOUT",
    "MARK-TABLE-CELL",
    "MARK-CAPTION",
    "MARK-IMAGE-CAPTION",
    "MARK-FREE-AFTER-OVERVIEW",
    "MARK-SYMPTOMS",
    "MARK-SUBHEADING",
    "MARK-MEDICINE",
    "MARK-USED-FOR",
    "MARK-HOW-TO-TAKE",
    "MARK-TIP",
    "MARK-AVOID",
    "MARK-DOSE",
    "MARK-MISSED",
    "MARK-SIDE-EFFECTS-TABLE",
    "MARK-GROUP-COMMON",
    "MARK-GROUP-SERIOUS",
    "MARK-FREE-AFTER-SIDE-EFFECTS",
    "MARK-SEEK-INTRO",
    "MARK-EMERGENCY-ITEM",
    "MARK-TODAY-ITEM",
    "MARK-NEXT-ITEM",
    "MARK-TERM",
    "MARK-REFERENCE",
]


@pytest.fixture(scope="module")
def full_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    [result] = build([DATA / "full-handout.yaml"], out)
    assert result.status == "built", result.problems
    return result.output


def test_every_section_present_in_reading_order(full_pdf: Path) -> None:
    text = pdf_text(full_pdf)
    positions = [text.find(marker) for marker in ORDER]
    missing = [m for m, p in zip(ORDER, positions, strict=True) if p < 0]
    assert not missing
    assert positions == sorted(positions), "sections out of order"


def test_inline_markup_is_rendered_not_printed(full_pdf: Path) -> None:
    text = pdf_text(full_pdf)
    assert "this is bold and italic text" in text
    assert "**" not in text


def test_header_and_footer_on_every_page(full_pdf: Path) -> None:
    pages = pdf_pages_text(full_pdf)
    assert "Your Clinic" in pages[0].splitlines()[0]
    for n, page in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in page
        assert "Version 2.3 · Next review January 15, 2099" in page
        assert "Approved November 30, 2026 by Test Reviewer, RN" in page


def test_metadata_and_language(full_pdf: Path) -> None:
    r = reader(full_pdf)
    meta = r.metadata
    assert meta.title == "Full test handout"
    assert meta.author == "Your Clinic"
    assert meta.subject == "Every section kind, for the test suite"
    assert "everything" in meta["/Keywords"]
    assert r.trailer["/Root"]["/Lang"] == "en"
    assert r.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]


def test_outline_has_an_entry_per_section(full_pdf: Path) -> None:
    titles = [item.title for item in reader(full_pdf).outline if not isinstance(item, list)]
    assert titles == [
        "What you need to know",
        "MARK-FREE-AFTER-OVERVIEW",
        "Symptoms",
        "Your medicine: MARK-MEDICINE",
        "Side effects",
        "MARK-FREE-AFTER-SIDE-EFFECTS",
        "When to get help",
        "Words to know",
        "Where this information comes from",
    ]


def test_outline_entries_point_at_the_page_of_their_heading(full_pdf: Path) -> None:
    r = reader(full_pdf)
    pages = pdf_pages_text(full_pdf)
    targets = {}
    for item in r.outline:
        if not isinstance(item, list):
            targets[item.title] = r.get_destination_page_number(item)
    assert len(set(targets.values())) > 1
    for title, page in targets.items():
        assert title in pages[page], f"{title!r} is not on page {page + 1}"


@pytest.mark.parametrize(("paper", "size"), [("letter", (612, 792)), ("a4", (595.3, 841.9))])
def test_page_size(tmp_path: Path, paper: str, size: tuple[float, float]) -> None:
    [result] = build([write_handout(tmp_path)], tmp_path / "out", paper=paper)
    box = reader(result.output).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.2)


def test_every_font_embedded_no_base14(full_pdf: Path) -> None:
    out = subprocess.run(["pdffonts", str(full_pdf)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        assert "Helvetica" not in row and "ZapfDingbats" not in row, row
        emb, sub = row.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), row


def test_fonts_embedded_read_with_pypdf(full_pdf: Path) -> None:
    """The same promise checked without poppler: every font has an embedded font file."""
    for page in reader(full_pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "Helvetica" not in font["/BaseFont"]
            descriptor = font["/FontDescriptor"]
            assert "/FontFile2" in descriptor


def test_non_latin_text_renders(tmp_path: Path) -> None:
    path = write_handout(tmp_path, overview=["Café, niño, über: ≥ 5 µg, Ω, ß, ł."])
    [result] = build([path], tmp_path / "out")
    assert "Café, niño, über: ≥ 5 µg, Ω, ß, ł." in pdf_text(result.output)


def test_hostile_markup_comes_out_literally(tmp_path: Path) -> None:
    hostile = [
        '<font color="#ff0000" size=40>red</font> & <b>not bold</b> &amp; 1 < 2 > 0',
        '<img src="/etc/passwd" width="100"/> and <a href="https://evil.example">click</a>',
        '<link href="javascript:alert(1)">x</link> <para>p</para> <br/> &#x41;',
    ]
    path = write_handout(
        tmp_path,
        title='<font color="red">T</font>',
        overview=hostile,
        references=[],  # a reference's address would be a link
        allow=allowing(("references-missing", "references")),
    )
    [result] = build([path], tmp_path / "out")
    assert result.status == "built", result.problems
    text = pdf_text(result.output)
    for line in hostile:
        assert line in text.replace("\n", " ")
    r = reader(result.output)
    for page in r.pages:
        assert "/Annots" not in page, "a link was created from content text"
        assert "/XObject" not in page["/Resources"], "an image was created from content text"
        content = page.get_contents().get_data()
        assert b"1 0 0 rg" not in content, "content text changed a colour"


def test_long_side_effect_table_repeats_its_header(tmp_path: Path) -> None:
    path = long_table_handout(tmp_path)
    [result] = build([path], tmp_path / "out")
    pages = pdf_pages_text(result.output)
    with_rows = [p for p in pages if "ROW-" in p]
    assert len(with_rows) >= 2
    for page in with_rows:
        assert "HEAD-EFFECT" in page and "HEAD-ACTION" in page
    text = pdf_text(result.output)
    assert all(f"ROW-{i:02d}" in text for i in range(60))


def test_headings_are_never_stranded_at_the_foot_of_a_page(full_pdf: Path) -> None:
    headings = {
        "What you need to know",
        "Symptoms",
        "Side effects",
        "When to get help",
        "Words to know",
        "Where this information comes from",
    }
    for page in pdf_pages_text(full_pdf):
        body = [
            ln
            for ln in page.splitlines()
            if not ln.startswith(("Your Clinic", "Version", "Replace these"))
        ]
        assert body[-1].strip() not in headings


def test_oversized_content_is_wrapped_scaled_or_split(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (4000, 6000), (200, 30, 30)).save(tmp_path / "huge.png")
    long_word = "x" * 400
    url = "https://example.org/" + "a/" * 150
    giant_cell = " ".join(["word"] * 780)
    path = write_handout(
        tmp_path,
        overview=[
            long_word,
            url,
            {"image": {"src": "huge.png", "alt": "A huge picture", "width_percent": 100}},
            {"table": {"columns": ["A", "B"], "rows": [[giant_cell, "short"]]}},
        ],
        allow=allowing(("reading-grade", "title")),
    )
    [result] = build([path], tmp_path / "out")
    assert result.status == "built", result.problems
    text = pdf_text(result.output).replace("\n", "")
    assert long_word in text


def test_byte_identical_rebuilds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    [a] = build([DATA / "full-handout.yaml"], tmp_path / "a")
    [b] = build([DATA / "full-handout.yaml"], tmp_path / "b")
    assert a.output.read_bytes() == b.output.read_bytes()
    assert reader(a.output).metadata["/CreationDate"].startswith("D:20260101")


def test_byte_identical_across_processes(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    outputs = []
    for name in ("a", "b"):
        cmd = [sys.executable, "-m", "handout_builder", "build", str(DATA), "-o", name]
        subprocess.run(cmd, cwd=tmp_path, env=env, check=True, capture_output=True)
        outputs.append((tmp_path / name / "full-handout.pdf").read_bytes())
    assert outputs[0] == outputs[1]


def test_failed_build_keeps_the_previous_pdf(tmp_path: Path) -> None:
    path = write_handout(tmp_path)
    out = tmp_path / "out"
    [good] = build([path], out)
    before = good.output.read_bytes()
    write_handout(tmp_path, overview=[{"image": {"src": "missing.png", "alt": "x"}}])
    [bad] = build([path], out)
    assert bad.status == "failed"
    assert good.output.read_bytes() == before
    made = sorted(p.name for p in out.iterdir() if p.name != ".handout-manifest.json")
    assert made == ["test-handout.pdf"]


def test_one_bad_handout_does_not_stop_the_others(tmp_path: Path) -> None:
    write_handout(tmp_path, "a.yaml", id="first-one")
    (tmp_path / "b.yaml").write_text("schema: 1\nid: [broken\n")
    write_handout(tmp_path, "c.yaml", id="third-one")
    results = build([tmp_path], tmp_path / "out")
    assert [r.status for r in results] == ["built", "failed", "built"]


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_handouts_build(path: Path, tmp_path: Path) -> None:
    [result] = build([path], tmp_path, brand_path=None)
    assert result.status == "built", result.problems
    # one-sheet cards are shipped too; a translation runs a page longer (Spanish is longer)
    assert 1 <= result.pages <= (9 if load_handout(path).translation_of else 8)
    text = "\n".join(structure_texts(result.output))  # reading order, across a sheet's columns
    words = labels_for(load_handout(path).language)  # a translation prints its own language's
    assert words["seek_care"] in text
    first = text.find(words["emergency"].split("{number}")[0] + "911")
    assert first >= 0
    today = text.find(" ".join(words["today"].split()[:4]))
    assert today == -1 or first < today  # a card may have only the emergency tier


def test_shipped_handouts_exist() -> None:
    assert len(SHIPPED) >= 2, f"expected the shipped handouts in {REPO / 'handouts'}"


def test_pdfs_are_readable_by_others(tmp_path: Path) -> None:
    from handout_builder.batch.atomic import write_atomic

    [result] = build([write_handout(tmp_path)], tmp_path / "out")
    assert result.output.stat().st_mode & 0o777 == 0o644
    write_atomic(b"%PDF-1.4", tmp_path / "x.pdf")
    assert (tmp_path / "x.pdf").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large-print"])
@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_no_page_ends_with_a_heading_or_label(
    path: Path, large_print: bool, tmp_path: Path
) -> None:
    """A line drawn all in bold (a heading, a callout title, a care tier's heading, a table
    header or group label) is never the last line of a page, or of a sheet's column: what it
    introduces follows it there. A diary's row label is not one (its row ends with it). A sheet
    in large print is built as the large-print leaflet it is given as."""
    handout = load_handout(path)
    sheet = handout.layout == "sheet"
    layout = large_print_layout(path) if large_print else None
    [result] = build([path], tmp_path, large_print=large_print, layout=layout)
    assert result.status == "built", result.problems
    rows = diary_rows(handout)
    with pdfplumber.open(result.output) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            lines = page.extract_text_lines()
            footer_top = min(ln["top"] for ln in lines if ln["text"].startswith("Your Clinic ·"))
            body = [ln for ln in lines if ln["bottom"] < footer_top]
            middle = page.width / 2
            columns = (
                [
                    [ln for ln in body if ln["x0"] < middle],
                    [ln for ln in body if ln["x0"] >= middle],
                ]
                if sheet and not large_print
                else [body]
            )
            if number == len(pdf.pages):
                columns = columns[:-1]  # the end of the handout
            for column in filter(None, columns):
                last = max(column, key=lambda ln: ln["bottom"])
                chars = [c for c in last["chars"] if c["text"].strip()]
                heading = all("Bold" in c["fontname"] for c in chars) and last["text"] not in rows
                assert not heading, f"page {number} ends with {last['text']!r}"
