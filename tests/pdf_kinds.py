"""Every kind of PDF handout-builder makes, for the tests that must hold for all of them (the
independent PDF/UA-1 validator and our own checker: ``tests/pdf/test_validator.py``).

``PDF_KINDS`` maps a short name to a function that makes one PDF into an empty folder it is given
and returns the PDF's path. The ``made_pdf`` fixture (``conftest.py``) makes each kind once per
test session.

To add a kind (a new layout, a new script or language, a new application that writes PDFs): write
a function here that builds it from fixed input (a file in ``tests/data/``, a shipped handout, or
a handout written by ``fixtures``), through the public API as a user would, and add it to
``PDF_KINDS``. Every test parametrised over ``PDF_KINDS`` then runs on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fixtures import (
    DATA,
    ESPALDA,
    LAYOUT_CASES,
    SHIPPED,
    TESTS,
    build_layout,
    large_print_layout,
    layout_case_id,
    long_table_handout,
    write_handout,
    write_library,
)
from handout_builder import build, make_packet

FULL = DATA / "full-handout.yaml"
LANGUAGES = TESTS / "languages"  # one short handout per language and script (issue 15)
MakePdf = Callable[[Path], Path]


def _built(source: Path, *, large_print: bool = False, paper: str | None = None) -> MakePdf:
    """``source`` built; in large print, in the layout the front desk would give it."""

    def make(out: Path) -> Path:
        layout = large_print_layout(source) if large_print else None
        [result] = build([source], out, large_print=large_print, paper=paper, layout=layout)
        assert result.output is not None, result.problems
        return result.output

    return make


def _in_layout(layout: str, large_print: bool = False, **options: Any) -> MakePdf:
    """A handout in a layout (the short tools handout, with a QR code, by default)."""

    def make(out: Path) -> Path:
        return build_layout(out, layout, large_print, **options)

    return make


def _packet(ids: list[str], sources: Callable[[Path], list[Path]], **options: Any) -> MakePdf:
    def make(out: Path) -> Path:
        packet = make_packet(ids, sources(out), **options)
        path = out / "packet.pdf"
        path.write_bytes(packet.data)
        return path

    return make


def _long_table(out: Path) -> Path:
    """A side-effect table over several pages: its header row repeated as an artifact."""
    return _built(long_table_handout(out / "source"))(out)


def _spanish(out: Path) -> Path:
    """A handout in Spanish (labels, dates and /Lang in Spanish)."""
    return _built(write_library(out / "library") / f"{ESPALDA}.yaml")(out)


def _shipped_folder(_out: Path) -> list[Path]:
    return [SHIPPED[0].parent]


def _mixed_folder(out: Path) -> list[Path]:
    library = write_library(out / "library")
    (library / FULL.name).write_bytes(FULL.read_bytes())
    (library / "picture.png").write_bytes((DATA / "picture.png").read_bytes())
    for stem in ("en", "ar"):  # an Arabic translation and its English source
        (library / f"{stem}.yaml").write_bytes((LANGUAGES / f"{stem}.yaml").read_bytes())
    return [library]


def _svg_pictures(out: Path) -> Path:
    """A brand whose SVG logo holds a PNG with transparency, and a handout showing an SVG that
    holds one too: the pictures are image objects inside the drawings (issue 12)."""
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (12, 12), (200, 30, 30, 160)).save(buffer, "PNG")
    picture = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="40" height="40"><rect width="40" height="40" fill="#1F4E79"/>'
        f'<image x="5" y="5" width="24" height="24" xlink:href="{picture}"/></svg>'
    )
    folder = out / "source"
    folder.mkdir()
    (folder / "logo.svg").write_text(svg, encoding="utf-8")
    (folder / "figure.svg").write_text(svg, encoding="utf-8")
    (folder / "brand.yaml").write_text("organisation: Test Clinic\nlogo: logo.svg\n")
    image = {"src": "figure.svg", "alt": "A red square on a blue square"}
    write_handout(folder, symptoms=[{"image": image}])
    return _built(folder)(out)  # the folder: its brand.yaml is the brand


PDF_KINDS: dict[str, MakePdf] = {
    **{f"{s.stem}": _built(s) for s in SHIPPED},
    **{f"{s.stem}-large-print": _built(s, large_print=True) for s in SHIPPED},
    "full-handout": _built(FULL),
    "full-handout-large-print": _built(FULL, large_print=True),
    "full-handout-a4": _built(FULL, paper="a4"),
    "long-table": _long_table,
    "spanish": _spanish,
    "svg-pictures": _svg_pictures,
    "packet": _packet(
        [s.stem for s in SHIPPED],
        _shipped_folder,
        patient="Ann Example",
        note="Take the first tablet on Monday evening.\nCall us if you feel dizzy.",
        date=dt.date(2026, 11, 30),
        drafts=True,  # the shipped handouts are drafts: a reviewer's copy, marked on every page
    ),
    **{f"language-{s.stem}": _built(s) for s in sorted(LANGUAGES.glob("*.yaml"))},
    **{f"tools-{layout_case_id(case)}": _in_layout(*case) for case in LAYOUT_CASES},
    **{f"{s.stem}-booklet": _in_layout("booklet", source=s, brand=None) for s in SHIPPED},
    **{
        f"language-ar-{layout}": _in_layout(layout, source=LANGUAGES / "ar.yaml")
        for layout in ("sheet", "booklet", "trifold")  # right to left: mirrored sheets
    },
    "packet-large-print-a4-three-languages": _packet(
        ["full-handout", ESPALDA, "paracetamol-ar"],
        _mixed_folder,
        date=dt.date(2026, 11, 30),
        paper="a4",
        large_print=True,
        drafts=True,  # an approved handout beside drafts: the marked pages are the drafts'
    ),
}
