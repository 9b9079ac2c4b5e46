"""The page module: one template for handouts and packet covers, and ReportLab's process-wide
settings held under one lock, so layouts on threads give the bytes they give in series."""

from __future__ import annotations

import io
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pikepdf
import pytest

from fixtures import SHIPPED, write_handout
from handout_builder import pipeline
from handout_builder.layout.layouts import LAYOUTS
from handout_builder.look.brand import load_brand
from handout_builder.look.theme import Theme
from handout_builder.model import Handout
from handout_builder.source.reader import read_source
from handout_builder.source.validation import validate


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")


def themes(tmp_path: Path) -> list[Theme]:
    """The built-in brand, and one set in DejaVu Sans on A4: vector drawings start from a
    different font in each, which ReportLab keeps in a process-wide setting."""
    brand = tmp_path / "brand.yaml"
    brand.write_text("organisation: Other Clinic\nfont: DejaVu Sans\npaper: a4\n")
    return [
        Theme(load_brand(), "letter"),
        Theme(load_brand(), "letter", large_print=True),
        Theme(load_brand(brand), "a4"),
    ]


def jobs(tmp_path: Path) -> list[tuple[Handout, Theme, Path]]:
    files = [*SHIPPED[:3], write_handout(tmp_path / "h")]  # a sheet, Spanish, English, a test one
    assert len(files) == 4
    out = []
    for path in files:
        source = read_source(path)
        handout = validate(source, Handout)
        out += [(handout, theme, source.base_dir) for theme in themes(tmp_path)]
    return out


def render(job: tuple[Handout, Theme, Path]) -> bytes:
    handout, theme, folder = job
    own = LAYOUTS[handout.layout or "leaflet"]
    layout = "leaflet" if theme.large_print and not own.large_print else None  # a sheet's
    return pipeline.render_handout(  # drafts
        handout,
        theme,
        folder,
        handout.id,
        approval=None,
        layout=layout,
        enforce=False,  # a sheet in a wider font runs over; the bytes are what is compared
        epoch=pipeline.source_date_epoch(),
    ).data


def test_layouts_on_threads_give_the_bytes_they_give_in_series(tmp_path: Path, epoch: None) -> None:
    work = jobs(tmp_path) * 2
    serial = [render(job) for job in work]
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns as often as they can
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            threaded = list(pool.map(render, work))
    finally:
        sys.setswitchinterval(switch)
    assert len(set(serial)) == len(work) // 2  # each handout and theme gives its own PDF
    assert threaded == serial


def test_vector_drawings_use_the_brand_font(tmp_path: Path, epoch: None) -> None:
    """The setting the lock guards matters: a leaflet names only its own brand's fonts."""
    for handout, theme, folder in jobs(tmp_path)[:3]:
        data = render((handout, theme, folder))
        with pikepdf.open(io.BytesIO(data)) as pdf:
            names = {
                str(font.BaseFont).split("+")[-1]
                for page in pdf.pages
                for font in page.Resources.Font.values()
            }
        family = theme.fonts.primary.name.replace(" ", "")
        assert any(n.startswith(family) for n in names), names
        assert not any(n.startswith("Helvetica") for n in names)
