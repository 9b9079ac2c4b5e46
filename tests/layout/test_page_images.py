"""Page-image golden tests: what a reader sees, compared with pictures of pages that a person
looked at and approved.

Each case builds a PDF from fixed input, renders its pages with Poppler (``pdftoppm``, grey, 40
dpi) and compares each page with ``tests/golden/<case>-<page>.png``. Small differences of
anti-aliasing pass; a moved line, a missing box or a changed colour does not. When a change to
the look is intended, look at the new pages first, then rewrite the pictures with
``scripts/test --update-golden tests/layout/test_page_images.py`` and commit them with the
change; a picture is never edited by hand.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from fixtures import DATA, SHIPPED, TESTS, approved_copy, build_layout
from handout_builder import build, make_packet

GOLDEN = TESTS / "golden"
DPI = 40
# A page passes when the mean difference is under 1 grey level in 255 and under 0.3% of its
# pixels differ by more than a quarter of the scale (text moved by a pixel changes far more).
MEAN_LIMIT = 1.0
CHANGED_LIMIT = 0.003


def leaflet(out: Path) -> Path:
    [result] = build([DATA / "full-handout.yaml"], out)
    assert result.output is not None
    return result.output


def large_print(out: Path) -> Path:
    [result] = build([DATA / "full-handout.yaml"], out, large_print=True)
    assert result.output is not None
    return result.output


def a4_shipped_draft(out: Path) -> Path:
    """A shipped handout as it is: a draft, marked on every page."""
    [result] = build([shipped("amitriptyline-lumbar-spinal-stenosis")], out, paper="a4")
    assert result.output is not None
    return result.output


def large_print_draft(out: Path) -> Path:
    [result] = build([shipped("antidepressants-back-neck-pain")], out, large_print=True)
    assert result.output is not None
    return result.output


PACKET = ["amitriptyline-lumbar-spinal-stenosis", "antidepressants-back-neck-pain"]


def shipped(stem: str) -> Path:
    """A shipped handout by its file name."""
    return next(s for s in SHIPPED if s.stem == stem)


def packet(out: Path, *, drafts: bool) -> Path:
    """A packet of two shipped handouts: as drafts (a reviewer's copy), or approved."""
    folder = SHIPPED[0].parent if drafts else out / "approved"
    if not drafts:
        for stem in PACKET:
            approved_copy(shipped(stem), folder)
    made = make_packet(
        PACKET,
        [folder],
        patient="Ann Example",
        note="Take the first tablet on Monday evening.\nCall us if you feel dizzy.",
        date=dt.date(2026, 11, 30),
        drafts=drafts,
    )
    path = out / "packet.pdf"
    out.mkdir(parents=True, exist_ok=True)
    path.write_bytes(made.data)
    return path


def in_layout(layout: str, large: bool = False) -> Callable[[Path], Path]:
    """The short tools handout (key facts, pictograms, checklist, steps, a diary and a QR
    code) in ``layout``."""

    def make(out: Path) -> Path:
        return build_layout(out, layout, large)

    return make


def language(stem: str) -> Callable[[Path], Path]:
    """A fixture of tests/data/languages: Arabic (right to left), Chinese, Hindi (shaped)."""

    def make(out: Path) -> Path:
        [result] = build([TESTS / "languages" / f"{stem}.yaml"], out)
        assert result.output is not None
        return result.output

    return make


CASES: dict[str, tuple[Callable[[Path], Path], list[int]]] = {
    "arabic": (language("ar"), [1, 2]),
    "chinese": (language("zh-Hans"), [1]),
    "hindi": (language("hi"), [1]),
    "leaflet": (leaflet, [1, 2, 3]),
    "large-print": (large_print, [1, 2, 6]),  # 6: the contact block at body size
    "a4-draft": (a4_shipped_draft, [1, 2]),
    "large-print-draft": (large_print_draft, [1]),
    "packet-cover": (functools.partial(packet, drafts=False), [1]),
    "packet-draft": (functools.partial(packet, drafts=True), [1, 2]),
    "tools-leaflet": (in_layout("leaflet"), [1, 2, 3]),
    "sheet": (in_layout("sheet"), [1, 2]),
    "booklet": (in_layout("booklet"), [1, 2, 3, 4]),
    "booklet-large-print": (in_layout("booklet", large=True), [1]),
    "trifold": (in_layout("trifold"), [1, 2]),
}


def page_image(pdf: Path, page: int) -> Image.Image:
    png = subprocess.run(
        ["pdftoppm", "-gray", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    return Image.open(io.BytesIO(png)).convert("L")


def difference(expected: Image.Image, actual: Image.Image) -> tuple[float, float]:
    """The mean grey-level difference, and the share of pixels that differ by more than 64."""
    diff = ImageChops.difference(expected, actual)
    histogram = diff.histogram()
    pixels = expected.width * expected.height
    mean = sum(level * count for level, count in enumerate(histogram)) / pixels
    changed = sum(histogram[65:]) / pixels
    return mean, changed


@pytest.mark.parametrize("case", sorted(CASES))
def test_pages_look_as_approved(case: str, tmp_path: Path, update_golden: bool) -> None:
    make, pages = CASES[case]
    pdf = make(tmp_path / case)
    for page in pages:
        golden = GOLDEN / f"{case}-{page}.png"
        actual = page_image(pdf, page)
        if update_golden:
            GOLDEN.mkdir(exist_ok=True)
            actual.save(golden, optimize=True)
            continue
        assert golden.is_file(), f"no golden image {golden.name}; run with --update-golden"
        expected = Image.open(golden).convert("L")
        assert expected.size == actual.size, f"{golden.name}: page size changed"
        mean, changed = difference(expected, actual)
        if mean >= MEAN_LIMIT or changed >= CHANGED_LIMIT:
            actual.save(tmp_path / golden.name)
            pytest.fail(
                f"{golden.name}: mean difference {mean:.2f}, {changed:.2%} of pixels changed; "
                f"the new page is {tmp_path / golden.name}"
            )


def test_the_comparison_sees_a_line_moved() -> None:
    """The limits are tight enough to catch a layout change: the same page shifted down by
    two pixels (about a point and a half) fails."""
    pdf_page = Image.open(GOLDEN / "leaflet-1.png").convert("L")
    shifted = Image.new("L", pdf_page.size, 255)
    shifted.paste(pdf_page.crop((0, 0, pdf_page.width, pdf_page.height - 2)), (0, 2))
    mean, changed = difference(pdf_page, shifted)
    assert mean >= MEAN_LIMIT or changed >= CHANGED_LIMIT
    assert difference(pdf_page, pdf_page) == (0.0, 0.0)
