"""Drafts look like drafts: every page of a PDF made from a draft carries the notice, a screen
reader hears it once, the title and footer say so; an approved leaflet carries none of it, and says
who approved it when."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from fixtures import (
    APPROVED_ON,
    APPROVER,
    DRAFT_NOTICE,
    pdf_pages_text,
    reader,
    structure_texts,
    write_handout,
)
from handout_builder import build, check_pdf

SPANISH_NOTICE = "BORRADOR — no aprobado para uso con pacientes"
LONG = [f"Paragraph {n}. " + "It says one plain thing about the knee. " * 12 for n in range(16)]


def made(tmp_path: Path, **changes: object) -> Path:
    [result] = build([write_handout(tmp_path, **changes)], tmp_path / "out")
    assert result.status == "built", result.problems
    assert result.output is not None
    return result.output


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large-print"])
def test_every_page_of_a_draft_carries_the_notice_read_once(
    tmp_path: Path, large_print: bool
) -> None:
    path = write_handout(tmp_path, draft=True, overview=LONG)
    [result] = build([path], tmp_path / "out", large_print=large_print)
    pages = pdf_pages_text(result.output)
    assert len(pages) >= 2
    for page in pages:
        assert page.splitlines()[0] == DRAFT_NOTICE  # the band, at the top of every page
        assert page.count("DRAFT") == 1  # the diagonal word is a picture, never text
        assert page.rstrip().endswith("Version 1.0 · Draft")
    read = structure_texts(result.output)
    assert read[0] == DRAFT_NOTICE and read[1] == "Test handout"
    assert sum(DRAFT_NOTICE in t for t in read) == 1
    assert reader(result.output).metadata.title == "Draft: Test handout"
    assert check_pdf(result.output) == []


def test_the_marks_on_later_pages_are_artifacts(tmp_path: Path) -> None:
    path = write_handout(tmp_path, draft=True, overview=LONG)
    [result] = build([path], tmp_path / "out")
    with pikepdf.open(result.output) as pdf:
        assert len(pdf.pages) >= 2
        for number, page in enumerate(pdf.pages, 1):
            content = page.obj.Contents.read_bytes()
            watermarks = content.count(b"/Artifact <</Type /Pagination /Subtype /Watermark>> BDC")
            # the diagonal word on every page, and the band everywhere but where it is read
            assert watermarks == (1 if number == 1 else 2), number


def test_an_approved_leaflet_says_who_approved_it_and_carries_no_mark(tmp_path: Path) -> None:
    pdf = made(tmp_path, overview=LONG)
    pages = pdf_pages_text(pdf)
    for page in pages:
        assert "DRAFT" not in page
        approved = "Approved January 2, 2026"  # APPROVED_ON, as the leaflet's language writes it
        assert "Version 1.0 · Next review January 1, 2099" in page
        assert f"{approved} by {APPROVER}" in page
    assert not any(DRAFT_NOTICE in t for t in structure_texts(pdf))
    assert reader(pdf).metadata.title == "Test handout"
    with pikepdf.open(pdf) as doc:
        assert all(b"/Watermark" not in p.obj.Contents.read_bytes() for p in doc.pages)


def test_a_change_after_approval_is_built_as_a_draft(tmp_path: Path) -> None:
    path = write_handout(tmp_path)
    path.write_text(path.read_text().replace("OVERVIEW-MARK", "OVERVIEW-CHANGED"))
    [result] = build([path], tmp_path / "out")
    assert result.status == "built"
    [warning] = result.warnings
    assert warning.rule == "HB-GOV-008" and warning.path == "status"
    assert warning.message.startswith(f"changed since it was approved on {APPROVED_ON}")
    assert pdf_pages_text(result.output)[0].splitlines()[0] == DRAFT_NOTICE


def test_schema_1_is_read_as_a_draft(tmp_path: Path) -> None:
    path = write_handout(tmp_path, draft=True, schema=1, status=None)
    [result] = build([path], tmp_path / "out")
    assert result.status == "built", result.problems
    assert [w.rule for w in result.warnings] == ["HB-GOV-007"]
    assert pdf_pages_text(result.output)[0].splitlines()[0] == DRAFT_NOTICE


def test_the_notice_is_in_the_language_of_the_handout(tmp_path: Path) -> None:
    path = write_handout(
        tmp_path,
        draft=True,
        language="es",
        title="Dolor de rodilla",
        overview=["El dolor de rodilla es común. Casi siempre mejora en unas semanas."],
        seek_care={"emergency": {"items": ["No puede respirar."]}},
    )
    [result] = build([path], tmp_path / "out")
    page = pdf_pages_text(result.output)[0]
    assert page.splitlines()[0] == SPANISH_NOTICE
    assert page.rstrip().endswith("Versión 1.0 · Borrador")
    assert structure_texts(result.output)[0] == SPANISH_NOTICE
    assert reader(result.output).metadata.title == "Borrador: Dolor de rodilla"
