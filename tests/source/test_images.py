"""Pictures (handout images and logos): what passes the check draws, with nothing from outside.

The refusals themselves are error cases (``cases/bad-pictures.yaml`` and ``tests/look/cases``);
here the pictures that pass are built into real PDFs and read back, and the render-time defences
are tried on their own.
"""

from __future__ import annotations

import base64
import io
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from reportlab.graphics.shapes import Group
from reportlab.graphics.shapes import Image as ImageShape

from fixtures import write_handout
from handout_builder import build
from handout_builder.errors import HandoutError
from handout_builder.pdf.pdfua import check_pdf
from handout_builder.source.images import CONTENT, SvgError, image_problem, svg_drawing

SVG = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def png_data_uri(colour: str = "red", mode: str = "RGB") -> str:
    buffer = io.BytesIO()
    Image.new(mode, (12, 12), colour).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def svg_with_picture(colour: str = "red", mode: str = "RGB") -> str:
    return (
        f'<svg {SVG} width="40" height="40"><rect width="40" height="40" fill="#1F4E79"/>'
        f'<image x="5" y="5" width="20" height="20" xlink:href="{png_data_uri(colour, mode)}"/>'
        "</svg>"
    )


def unembedded_fonts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    return [row.split()[0] for row in rows if " no " in row]


def image_objects(pdf: Path) -> int:
    with pikepdf.open(pdf) as doc:
        return sum(
            1
            for obj in doc.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        )


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "P"])
def test_svgs_with_embedded_pictures_draw_as_logo_and_as_image(tmp_path: Path, mode: str) -> None:
    (tmp_path / "logo.svg").write_text(svg_with_picture("red", mode), encoding="utf-8")
    (tmp_path / "figure.svg").write_text(svg_with_picture("green", mode), encoding="utf-8")
    (tmp_path / "brand.yaml").write_text("organisation: X\nlogo: logo.svg\n", encoding="utf-8")
    write_handout(tmp_path, symptoms=[{"image": {"src": "figure.svg", "alt": "A green square"}}])
    [result] = build([tmp_path], tmp_path / "out")
    assert result.status == "built", result.problems
    assert image_objects(result.output) >= 2  # the logo's picture and the figure's
    assert unembedded_fonts(result.output) == []
    assert check_pdf(result.output) == []


def test_svg_text_in_any_namespace_never_brings_an_unembedded_font(tmp_path: Path) -> None:
    """Text is refused at check time; were it to reach the renderer, it is refused there too
    (svglib would set it in Times-Roman, a font the PDF cannot embed)."""
    namespaced = (
        '<s:svg xmlns:s="http://www.w3.org/2000/svg" width="20" height="20">'
        '<s:text x="1" y="10">Hi</s:text></s:svg>'
    )
    with pytest.raises(SvgError, match="holds text"):
        svg_drawing(namespaced.encode())
    (tmp_path / "logo.svg").write_text(namespaced, encoding="utf-8")
    (tmp_path / "brand.yaml").write_text("organisation: X\nlogo: logo.svg\n", encoding="utf-8")
    write_handout(tmp_path)
    with pytest.raises(
        HandoutError, match=r"brand\.yaml:2:7: logo: SVG logos may not contain text"
    ):
        build([tmp_path], tmp_path / "out")


def test_the_renderer_cannot_open_files_an_svg_names(tmp_path: Path) -> None:
    """svglib gets the bytes, never the path: an outside picture or drawing that exists (and
    would have been drawn before) is not reached even without the check."""
    Image.new("RGB", (10, 10), "red").save(tmp_path / "secret.png")
    (tmp_path / "shape.svg").write_text(
        f'<svg {SVG} width="9" height="9"><rect id="s" width="9" height="9"/></svg>'
    )
    svg = (
        f'<svg {SVG} width="20" height="20"><image width="10" height="10" '
        'xlink:href="secret.png"/><use xlink:href="shape.svg#s"/></svg>'
    )
    (tmp_path / "picture.svg").write_text(svg)
    assert image_problem(tmp_path / "picture.svg", CONTENT) is not None
    drawing = svg_drawing(svg.encode())

    def shapes(node: object) -> list[object]:
        kids = node.contents if isinstance(node, Group) else []
        return [node, *(s for kid in kids for s in shapes(kid))]

    found = shapes(drawing)
    assert not [s for s in found if isinstance(s, ImageShape) and s.path is not None]
    assert len(found) <= 4  # the drawing and its empty groups: no rectangle came from outside


def test_a_content_image_over_the_pixel_limit_is_refused(tmp_path: Path) -> None:
    Image.new("L", (6000, 4200)).save(tmp_path / "big.png")
    assert image_problem(tmp_path / "big.png", CONTENT) == (
        "image is too large (6000x4200 pixels; the limit is 25,000,000 pixels): scale it down"
    )
    Image.new("L", (6000, 4000)).save(tmp_path / "fits.png")
    assert image_problem(tmp_path / "fits.png", CONTENT) is None


def test_a_gif_named_png_is_refused(tmp_path: Path) -> None:
    Image.new("RGB", (10, 10)).save(tmp_path / "picture.png", format="GIF")
    assert image_problem(tmp_path / "picture.png", CONTENT) == (
        "not a readable PNG or JPEG image (the file is of another kind)"
    )
