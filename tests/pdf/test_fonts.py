"""Fonts as PDF/UA-1 wants them: Unicode maps with no entry to U+0000, U+FEFF or U+FFFE, every
shown code still mapped to its text, and the checker's count of forbidden entries."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest
from reportlab.pdfgen.canvas import Canvas

from fixtures import SHIPPED, pdf_text
from handout_builder.look.fonts import load_fontset
from handout_builder.pdf.fonts import clean_unicode_maps, forbidden_entries, malformed_entries
from pdf_validator import FORBIDDEN_TEXT, shown_text_problems, unicode_map

# More than 100 characters in one subset (the limit of a bfchar block), from two scripts.
TEXT = "".join(chr(c) for c in range(0x21, 0x7F)) + "ÀÉÎÕÜàéîõü–—‘’“”•…€αβγδεζηθλμπσω"


def _reportlab_pdf() -> bytes:
    """A page of text in the fallback family (DejaVu Sans), as ReportLab writes it."""
    font = load_fontset().fallback.regular
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont(font, 10)
    for n in range(0, len(TEXT), 40):
        canvas.drawString(40, 780 - n, TEXT[n : n + 40])
    canvas.save()
    return buffer.getvalue()


def _maps(pdf: pikepdf.Pdf) -> list[dict[bytes, str]]:
    return [unicode_map(f) for f in _fonts(pdf)]


def test_cleaning_drops_only_the_forbidden_entries() -> None:
    with pikepdf.open(io.BytesIO(_reportlab_pdf())) as pdf:
        before = _maps(pdf)
        assert sum(forbidden_entries(f.ToUnicode.read_bytes()) for f in _fonts(pdf)) > 0
        clean_unicode_maps(pdf)
        after = _maps(pdf)
        for font in _fonts(pdf):
            cmap = font.ToUnicode.read_bytes()
            assert forbidden_entries(cmap) == 0
            counts = [int(n) for n in re.findall(rb"(\d+) beginbfchar", cmap)]
            assert max(counts) <= 100 and sum(counts) == len(unicode_map(font))
        assert shown_text_problems(pdf) == []
    kept = [{c: t for c, t in m.items() if not FORBIDDEN_TEXT.intersection(t)} for m in before]
    assert after == kept
    assert sum(len(m) for m in after) > 100  # the second subset is there too


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    """The page's embedded subsets (not the canvas's initial Helvetica)."""
    return [f for f in pdf.pages[0].Resources.Font.values() if "/ToUnicode" in f]


@pytest.mark.parametrize(
    ("cmap", "forbidden"),
    [
        (b"2 beginbfchar\n<00> <0000>\n<01> <0041>\nendbfchar", 1),
        (b"1 beginbfchar <0003> <FEFF> endbfchar", 1),
        (b"1 beginbfchar\n<05> <0066FFFE>\nendbfchar", 1),  # in a two-character text
        (b"1 beginbfrange\n<00> <1F> <0000>\nendbfrange", 1),  # only the first is U+0000
        (b"1 beginbfrange\n<10> <12> <FFFC>\nendbfrange", 1),  # U+FFFC, U+FFFD, U+FFFE
        (b"1 beginbfrange\n<00> <02> [<0041> <0000> <FEFF>]\nendbfrange", 2),
        (b"1 beginbfchar\n<20> <0020>\nendbfchar 1 beginbfrange <41> <5A> <0041> endbfrange", 0),
    ],
)
def test_forbidden_entries_are_counted_in_both_forms(cmap: bytes, forbidden: int) -> None:
    assert forbidden_entries(cmap) == forbidden


def test_characters_beyond_the_basic_plane_read_back_as_themselves(tmp_path: Path) -> None:
    """ReportLab writes U+1F600 as ``<1F600>``, which readers take as UTF-16 (U+1F60, "ὠ");
    the cleaned map has the surrogate pair, and the name prints and reads back as typed."""
    from handout_builder import make_packet

    name = "Zoë 😀 王小明"
    packet = make_packet([SHIPPED[0].stem], [SHIPPED[0].parent], patient=name, drafts=True)
    with pikepdf.open(io.BytesIO(packet.data)) as pdf:
        assert all(malformed_entries(f.ToUnicode.read_bytes()) == 0 for f in _fonts(pdf))
    path = tmp_path / "packet.pdf"
    path.write_bytes(packet.data)
    assert name in pdf_text(path)


def test_the_checker_reports_destinations_that_are_not_utf16() -> None:
    cmap = b"2 beginbfchar\n<01> <1F600>\n<02> <0041>\nendbfchar\n"
    assert malformed_entries(cmap) == 1
