"""The contract with ReportLab: every private name that ``pdf/_reportlab.py`` wraps still does
what we rely on, on the installed release.

ReportLab does not promise to keep these names, so ``pyproject.toml`` admits only the releases
this file has passed on (``reportlab>=5.1,<5.2``). Before raising that bound, run this file on the
new release: a failure names the wrapper, and so the private name, that changed.
"""

from __future__ import annotations

import copy
import io
import re
import tomllib
from importlib.metadata import version

import pypdf
import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import shapeStr
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, KeepTogether, Paragraph, Table

from fixtures import REPO
from handout_builder.look.fonts import load_fontset
from handout_builder.pdf import _reportlab as rl

FONTS = load_fontset()
STYLE = ParagraphStyle("t", fontName=FONTS.primary.regular, fontSize=12, leading=15)


def paragraph(text: str) -> Paragraph:
    return Paragraph(text, STYLE)


def test_the_installed_release_is_one_this_contract_admits() -> None:
    wanted = next(
        d
        for d in tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
        if d.startswith("reportlab")
    )
    low, high = re.findall(r"[<>]=?\s*([\d.]+)", wanted)
    installed = tuple(int(x) for x in version("reportlab").split(".")[:2])
    assert (
        tuple(int(x) for x in low.split(".")) <= installed < tuple(int(x) for x in high.split("."))
    ), f"reportlab {version('reportlab')} is outside {wanted}"


def test_fragments_from_a_tree_are_what_markup_would_give() -> None:
    tree = ("para", {}, ["plain ", ("b", {}, ["bold <b>"], None)], None)
    frags = rl.fragments_from_tree(tree, STYLE)
    assert [(f.text, f.fontName) for f in frags] == [
        ("plain ", FONTS.primary.regular),
        ("bold <b>", FONTS.primary.bold),
    ]


def test_group_height_is_the_height_a_frame_gives_the_group() -> None:
    canvas = Canvas(io.BytesIO())
    group = [paragraph("one line"), paragraph("another line")]
    assert rl.group_height(group, 400, canvas) == pytest.approx(30.0)


def test_table_cells_are_given_back_in_rows() -> None:
    table = Table([["a", "b"], ["c", "d"]])
    assert rl.table_cells(table) == [["a", "b"], ["c", "d"]]


def test_table_height_is_known_once_measured() -> None:
    table = Table([["a"], ["b"]], rowHeights=[20, 30])
    assert rl.table_height(table) == 0.0
    table.wrap(100, 100)
    assert rl.table_height(table) == 50


def test_held_flowables_of_a_group_and_of_a_plain_flowable() -> None:
    one, two = paragraph("a"), paragraph("b")
    assert rl.held_flowables(KeepTogether([one, two])) == [one, two]
    assert rl.held_flowables(one) == []
    ours = Flowable()
    rl.hold(ours, [one, two])  # a container of our own is looked inside as ReportLab's are
    assert rl.held_flowables(ours) == [one, two]


def test_a_paragraph_knows_whether_it_holds_its_lines() -> None:
    para = paragraph("some words " * 30)
    assert not rl.is_broken_into_lines(para)
    para.wrap(200, 1000)
    assert rl.is_broken_into_lines(para)
    assert para.split(200, 5) == []  # no room for a line: it must move on whole
    assert not rl.is_broken_into_lines(para)  # and ReportLab has dropped its lines


def test_aligned_x_follows_h_align() -> None:
    flowable = Flowable()
    for align, x in (("LEFT", 10), ("CENTER", 60), ("RIGHT", 110)):
        flowable.hAlign = align
        assert rl.aligned_x(flowable, 10, 100) == x


def test_a_copied_frame_drops_what_it_generated() -> None:
    frame = rl.CopiedFrame(0, 0, 100, 100)
    frame._generated_content = ["measured"]  # what ReportLab keeps while measuring
    clone = copy.deepcopy(frame)
    assert clone is not frame and not hasattr(clone, "_generated_content")
    assert isinstance(clone, Frame) and clone._width == frame._width


def pdf_of(draw: object) -> pypdf.PdfReader:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    draw(canvas)  # type: ignore[operator]
    canvas.save()
    return pypdf.PdfReader(io.BytesIO(buffer.getvalue()))


class SpacedCanvas(Canvas):
    def beginText(self, x: float = 0, y: float = 0, direction: object = None) -> rl.PDFTextObject:
        return rl.SpacedTextObject(self, x, y, direction=direction)


def lines_drawn(canvas_class: type[Canvas]) -> list[str]:
    buffer = io.BytesIO()
    canvas = canvas_class(buffer)
    para = Paragraph("first line<br/>second line", STYLE)
    para.wrap(400, 100)
    para.drawOn(canvas, 72, 600)
    canvas.save()
    return pypdf.PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text().split("\n")[:2]


def test_paragraph_lines_are_written_through_the_spaced_text_object() -> None:
    assert lines_drawn(Canvas) == ["first line", "second line"]
    assert lines_drawn(SpacedCanvas) == ["first line ", "second line "]


def test_the_last_page_can_be_rewritten() -> None:
    def draw(canvas: Canvas) -> None:
        canvas.drawString(72, 700, "kept")
        canvas.showPage()
        rl.rewrite_last_page(canvas, lambda stream: stream.replace("(kept)", "(changed)"))

    assert pdf_of(draw).pages[0].extract_text().strip() == "changed"


def test_a_page_can_be_held_back_and_finished_later() -> None:
    def draw(canvas: Canvas) -> None:
        canvas.drawString(72, 700, "page one")
        held = rl.page_state(canvas)
        rl.start_next_page(canvas)
        canvas.drawString(72, 700, "never written")
        rl.restore_page_state(canvas, held)
        canvas.drawString(72, 600, "footer")
        canvas.showPage()

    reader = pdf_of(draw)
    assert len(reader.pages) == 1
    assert reader.pages[0].extract_text().split() == ["page", "one", "footer"]


def test_pictures_in_a_drawing_are_drawn_as_image_objects_and_paths_never_opened() -> None:
    from PIL import Image as PILImage
    from reportlab.graphics.shapes import Drawing
    from reportlab.graphics.shapes import Image as ImageShape

    drawing = Drawing(40, 40)
    drawing.add(ImageShape(0, 0, 20, 20, PILImage.new("RGBA", (8, 8), (255, 0, 0, 128))))
    drawing.add(ImageShape(20, 20, 20, 20, "/etc/hostname"))  # a path: never read

    def draw(canvas: Canvas) -> None:
        rl.draw_drawing(drawing, canvas, 72, 600)
        canvas.showPage()

    reader = pdf_of(draw)
    page = reader.pages[0]
    images = page["/Resources"]["/XObject"]
    assert len(images) == 1  # the picture in memory, with its transparency as a soft mask
    assert "/SMask" in next(iter(images.values())).get_object()
    assert b"BI " not in page.get_contents().get_data()  # no inline image


def test_a_document_is_dated_from_the_epoch_given_not_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def made(environment: str | None, epoch: int | None, *, dated: bool) -> bytes:
        if environment is None:
            monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        else:
            monkeypatch.setenv("SOURCE_DATE_EPOCH", environment)
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1)
        if dated:
            rl.date_document(canvas, epoch)
        canvas.drawString(72, 700, "dated")
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    reportlabs_own = made("1767225600", None, dated=False)  # what ReportLab reads itself
    assert made(None, 1767225600, dated=True) == reportlabs_own
    assert made("946684800", 1767225600, dated=True) == reportlabs_own
    info = pypdf.PdfReader(io.BytesIO(reportlabs_own)).metadata
    assert info["/CreationDate"].startswith("D:20260101000000")


def test_a_private_glyph_gets_the_width_its_font_gives_it() -> None:
    """``ShapingFont.hbFont``: a glyph ReportLab names by a private-use character (a half form
    in a conjunct, which no character maps to) has the advance width of the font's ``hmtx``, as
    ``/Widths`` must, not the narrower advance HarfBuzz positioned it with."""
    text = "क्या त्वचा हल्की"  # half forms of KA, TA, LA: narrower where they join
    [(family, _)] = FONTS.runs(text)
    shaped = shapeStr(text, family.regular, 12)
    face = getFont(family.regular).face
    private = {ord(c) for c in shaped if 0xE000 <= ord(c) <= 0xF8FF}
    assert private, "the text no longer needs a glyph without a character"
    for code in private:
        own = face._pdfScale(face.hmetrics[face.charToGlyph[code]][0])
        assert face.charWidths[code] == own
