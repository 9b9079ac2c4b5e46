"""ReportLab's PDF read as numbered objects and written again compactly: every object kept,
dictionaries extended, objects added, streams untouched, object streams and a cross-reference
stream that other readers accept, the same bytes for the same input."""

from __future__ import annotations

import io

import pikepdf
import pypdf
import pytest
from reportlab.pdfgen.canvas import Canvas

from handout_builder.pdf.rawpdf import RawPdf, pdf_string, pdf_text


def _reportlab_pdf(pages: int = 3) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.setTitle("Café — Жирный (x) \\ done")
    for n in range(pages):
        canvas.drawString(72, 700, f"Page {n + 1}")
        canvas.linkURL("https://example.org/a(b)", (72, 690, 200, 710))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_objects_pages_and_annotations_are_read() -> None:
    pdf = RawPdf(_reportlab_pdf())
    pages = pdf.pages()
    assert len(pages) == 3
    assert all(len(pdf.annotations(p)) == 1 for p in pages)
    with pikepdf.open(io.BytesIO(_reportlab_pdf())) as original:
        assert len(pdf.objects) == len(original.objects)
        assert [p.objgen[0] for p in original.pages] == pages


def test_written_again_with_additions_it_reads_the_same_elsewhere() -> None:
    data = _reportlab_pdf()
    pdf = RawPdf(data)
    extra = pdf.add(b"<< /Marked true >>")
    pdf.add_entries(pdf.root, b"/MarkInfo %d 0 R" % extra)
    for n, page in enumerate(pdf.pages()):
        pdf.add_entries(page, b"/StructParents %d" % n)
    out = pdf.write()
    assert out.startswith(b"%PDF-1.7\n")
    with pikepdf.open(io.BytesIO(out)) as written, pikepdf.open(io.BytesIO(data)) as original:
        assert not written.check_pdf_syntax()
        assert written.Root.MarkInfo.Marked is True
        assert [int(p.StructParents) for p in written.pages] == [0, 1, 2]
        for a, b in zip(written.pages, original.pages, strict=True):
            assert a.Contents.read_bytes() == b.Contents.read_bytes()
        assert str(written.docinfo.Title) == "Café — Жирный (x) \\ done"
        kinds = {str(o.get("/Type")) for o in written.objects if isinstance(o, pikepdf.Stream)}
        assert {"/ObjStm", "/XRef"} <= kinds
    reader = pypdf.PdfReader(io.BytesIO(out))
    assert [p.extract_text().strip() for p in reader.pages] == ["Page 1", "Page 2", "Page 3"]


def test_the_same_objects_give_the_same_bytes() -> None:
    data = _reportlab_pdf()
    assert RawPdf(data).write() == RawPdf(data).write()
    assert RawPdf(data).write() != RawPdf(_reportlab_pdf(2)).write()


def test_a_file_not_written_that_way_is_refused() -> None:
    with pytest.raises(ValueError, match="startxref"):
        RawPdf(b"%PDF-1.4\nnot really")


@pytest.mark.parametrize("text", ["plain", "a (b) \\ c", "Café — Жирный", "😀 emoji", ""])
def test_strings_are_written_and_read_back(text: str) -> None:
    assert pdf_text(pdf_string(text)) == text


def test_reportlab_strings_are_read() -> None:
    pdf = RawPdf(_reportlab_pdf())
    assert pdf.info is not None
    title = pdf.string(pdf.info, "Title")
    assert title is not None and pdf_text(title) == "Café — Жирный (x) \\ done"
    assert pdf.string(pdf.info, "NoSuchKey") is None
