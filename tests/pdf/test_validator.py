"""Every kind of PDF handout-builder makes (``tests/pdf_kinds.py``) passes an independent PDF/UA-1
validator (page-validation, ``tests/pdf_validator.py``) with no failed rule, has the richer
tagging the validator does not ask for, and passes our own checker (``handout check --pdf``).
Then both are run on deliberately broken copies, so that what each catches is known and written
down (docs/accessibility.md, "Our checker and the validator")."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from handout_builder.pdf.pdfua import check_pdf
from pdf_kinds import PDF_KINDS
from pdf_validator import (
    assert_accessible,
    elements,
    richness_problems,
    shown_text_problems,
    structure_problems,
    subset_name_problems,
    validate,
)

KINDS = sorted(PDF_KINDS)
MadePdf = Callable[[str], Path]  # the ``made_pdf`` fixture (conftest.py)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_pdf_passes_the_validator(made_pdf: MadePdf, kind: str) -> None:
    verdict = assert_accessible(made_pdf(kind))
    assert verdict.rules == verdict.passed >= 100
    assert verdict.checks_failed == 0


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_pdf_passes_our_checker(made_pdf: MadePdf, kind: str) -> None:
    assert check_pdf(made_pdf(kind)) == []


# --- deliberately broken files -----------------------------------------------------------------


def _first(pdf: pikepdf.Pdf, role: str) -> pikepdf.Object:
    return next(e for e in elements(pdf) if Name("/" + role) == e.S)


def _each(pdf: pikepdf.Pdf, role: str) -> list[pikepdf.Object]:
    return [e for e in elements(pdf) if Name("/" + role) == e.S]


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    seen: dict[tuple[int, int], pikepdf.Object] = {}
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            seen.setdefault(font.objgen, font)
    return list(seen.values())


def no_language(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/Lang"]


def figure_without_alt(pdf: pikepdf.Pdf) -> None:
    del _first(pdf, "Figure")["/Alt"]


def untagged_text(pdf: pikepdf.Pdf) -> None:
    font = next(iter(pdf.pages[1].Resources.Font.keys()))
    text = f"BT {font} 12 Tf 72 72 Td (loose) Tj ET".encode()
    pdf.pages[1].contents_add(pdf.make_stream(text), prepend=False)


def not_marked(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/MarkInfo"]


def title_differs_from_xmp(pdf: pikepdf.Pdf) -> None:
    pdf.docinfo.Title = "Another title"


def no_xmp(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/Metadata"]


def no_pdfua_claim(pdf: pikepdf.Pdf) -> None:
    packet = pdf.Root.Metadata.read_bytes().replace(b"<pdfuaid:part>1</pdfuaid:part>", b"")
    pdf.Root.Metadata.write(packet)


def file_name_shown(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/ViewerPreferences"]


def heading_skips_a_level(pdf: pikepdf.Pdf) -> None:
    _first(pdf, "H2").S = Name.H4


def link_without_description(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            del annot["/Contents"]


def annotations_out_of_order(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        del page.obj["/Tabs"]


def unknown_role(pdf: pikepdf.Pdf) -> None:
    _first(pdf, "P").S = Name("/Para")


def list_item_outside_a_list(pdf: pikepdf.Pdf) -> None:
    _first(pdf, "LI").S = Name.P


def element_names_another_parent(pdf: pikepdf.Pdf) -> None:
    _first(pdf, "LBody").P = _first(pdf, "H1")


def font_without_unicode_map(pdf: pikepdf.Pdf) -> None:
    for font in _fonts(pdf):
        del font["/ToUnicode"]


def unicode_map_to_nul(pdf: pikepdf.Pdf) -> None:
    """As ReportLab wrote them: codes that no character took mapped to U+0000."""
    cmap = _fonts(pdf)[0].ToUnicode
    data = cmap.read_bytes()
    count = int(re.search(rb"(\d+) beginbfchar", data)[1])
    data = data.replace(b"%d beginbfchar" % count, b"%d beginbfchar\n<FE> <0000>" % (count + 1))
    cmap.write(data)


def font_not_embedded(pdf: pikepdf.Pdf) -> None:
    for font in _fonts(pdf):
        del font.FontDescriptor["/FontFile2"]


def parent_tree_emptied(pdf: pikepdf.Pdf) -> None:
    pdf.Root.StructTreeRoot.ParentTree.Nums = Array([])


def element_names_missing_content(pdf: pikepdf.Pdf) -> None:
    para = _first(pdf, "P")
    para.K = Array([Dictionary(Type=Name.MCR, Pg=para.K[0].Pg, MCID=999)])


def table_headers_removed(pdf: pikepdf.Pdf) -> None:
    """Header cells with neither Scope nor ID, data cells without Headers (spans kept)."""
    for cell in _each(pdf, "TH") + _each(pdf, "TD"):
        if "/ID" in cell:
            del cell["/ID"]
        for key in ("/Scope", "/Headers"):
            if "/A" in cell and key in cell.A:
                del cell.A[key]


def subset_names_shared(pdf: pikepdf.Pdf) -> None:
    """Two different subsets of a face given the same name, as packets had them."""
    fonts = _fonts(pdf)
    first = fonts[0]
    twin = next(f for f in fonts[1:] if str(f.BaseFont)[7:] == str(first.BaseFont)[7:])
    twin.BaseFont = first.BaseFont
    twin.FontDescriptor.FontName = first.BaseFont


def group_label_spans_one_column(pdf: pikepdf.Pdf) -> None:
    for cell in _each(pdf, "TH"):
        if "/ColSpan" in cell.A:
            del cell.A["/ColSpan"]


def link_tagged_as_span(pdf: pikepdf.Pdf) -> None:
    _first(pdf, "Link").S = Name.Span


@dataclass(frozen=True)
class Breakage:
    """A way to break a good PDF, and what each checker says: a phrase of one of our findings
    (None: we find nothing) and the validator's failed rules."""

    damage: Callable[[pikepdf.Pdf], None]
    ours: str | None
    validator: frozenset[str]
    kind: str = "full-handout"


def _rules(*names: str) -> frozenset[str]:
    return frozenset(f"PDFUA1-{name}-001" for name in names)


BREAKAGES: dict[str, Breakage] = {
    "no language": Breakage(
        no_language,
        "no document language",
        _rules(
            "ALT-TEXT-LANGUAGE", "ANNOTATION-CONTENTS-LANGUAGE", "OUTLINE-LANGUAGE", "TEXT-LANGUAGE"
        ),
    ),
    "figure without alt text": Breakage(
        figure_without_alt, "no alternate text", _rules("FIGURE-ALTERNATIVE-TEXT")
    ),
    "untagged text": Breakage(
        untagged_text, "neither tagged content nor artifacts", _rules("CONTENT-TAGGING")
    ),
    "not marked as tagged": Breakage(not_marked, "not marked as tagged", _rules("TAGGED-DOCUMENT")),
    "title differs from XMP": Breakage(
        title_differs_from_xmp, "does not match the document info", frozenset()
    ),
    "no XMP": Breakage(
        no_xmp,
        "no XMP metadata",
        _rules("ID-PART", "ID-SCHEMA", "METADATA-STRUCTURE", "METADATA-TITLE"),
    ),
    "no PDF/UA claim": Breakage(
        no_pdfua_claim, "does not declare PDF/UA-1", _rules("ID-PART", "ID-SCHEMA")
    ),
    "file name shown": Breakage(file_name_shown, "DisplayDocTitle", _rules("VIEWER-PREFERENCES")),
    "heading skips a level": Breakage(
        heading_skips_a_level, "skips a level", _rules("HEADING-NESTING")
    ),
    "link without description": Breakage(
        link_without_description, "a link has no description", _rules("LINK-CONTENTS")
    ),
    "annotations out of order": Breakage(
        annotations_out_of_order, "no /Tabs /S", _rules("PAGE-TABS")
    ),
    "unknown role": Breakage(unknown_role, "not a standard role", _rules("STRUCT-TREE-ROLE-MAP")),
    "list item outside a list": Breakage(
        list_item_outside_a_list, "must be inside LI", _rules("L-KIDS", "LBODY-PARENT")
    ),
    "element names another parent": Breakage(
        element_names_another_parent, "does not name its parent", frozenset()
    ),
    "font without Unicode map": Breakage(
        font_without_unicode_map, "has no Unicode mapping", _rules("FONT-UNICODE-MAPPING")
    ),
    "Unicode map to U+0000": Breakage(unicode_map_to_nul, "U+0000", _rules("FONT-UNICODE-VALUE")),
    "font not embedded": Breakage(font_not_embedded, "is not embedded", _rules("FONT-EMBEDDING")),
    "parent tree emptied": Breakage(parent_tree_emptied, "parent tree", _rules("LINK-LINK-TAG")),
    "element names missing content": Breakage(
        element_names_missing_content, "missing MCID", frozenset()
    ),
    "table headers removed": Breakage(
        table_headers_removed, "no Scope (and no ID", _rules("TABLE-HEADERS-SCOPE")
    ),
    "group label spans one column": Breakage(
        group_label_spans_one_column, None, _rules("TABLE-ROW-COLUMNSPAN")
    ),
    "link tagged as Span": Breakage(link_tagged_as_span, None, _rules("LINK-LINK-TAG")),
    "subset names shared": Breakage(subset_names_shared, "share the name", frozenset(), "packet"),
}


def _broken(good: Path, breakage: Breakage, out: Path) -> Path:
    with pikepdf.open(good) as pdf:
        breakage.damage(pdf)
        path = out / "broken.pdf"
        pdf.save(path)
    return path


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_what_each_checker_catches(made_pdf: MadePdf, name: str, tmp_path: Path) -> None:
    breakage = BREAKAGES[name]
    broken = _broken(made_pdf(breakage.kind), breakage, tmp_path)
    ours = check_pdf(broken)
    if breakage.ours is None:
        assert ours == []
    else:
        assert any(breakage.ours in finding for finding in ours), ours
    assert validate(broken).failed_rules == breakage.validator


def test_a_failure_names_its_rule_object_and_page(made_pdf: MadePdf, tmp_path: Path) -> None:
    broken = _broken(made_pdf("full-handout"), BREAKAGES["figure without alt text"], tmp_path)
    with pytest.raises(AssertionError) as failed:
        assert_accessible(broken)
    message = str(failed.value)
    assert "1 of 104 PDF/UA-1 rules failed" in message
    assert re.search(r"PDFUA1-FIGURE-ALTERNATIVE-TEXT-001 \(object \d+ 0, page 1\): ", message)


# --- the checks beyond the validator can fail ---------------------------------------------------


def _damaged(good: Path, damage: Callable[[pikepdf.Pdf], None]) -> list[str]:
    with pikepdf.open(good) as pdf:
        damage(pdf)
        buffer = io.BytesIO()
        pdf.save(buffer)
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        return [*shown_text_problems(pdf), *subset_name_problems(pdf), *structure_problems(pdf)]


def _shown_code_unmapped(pdf: pikepdf.Pdf) -> None:
    cmap = _fonts(pdf)[0].ToUnicode
    cmap.write(re.sub(rb"<41> <[0-9A-F]+>\n", b"", cmap.read_bytes()))  # "A" shows no text


def _list_numbering_removed(pdf: pikepdf.Pdf) -> None:
    del _first(pdf, "L")["/A"]


def _rows_straight_in_table(pdf: pikepdf.Pdf) -> None:
    table = _first(pdf, "Table")
    rows = [
        row for group in table.K if group.get("/S") in (Name.THead, Name.TBody) for row in group.K
    ]
    for row in rows:
        row.P = table
    table.K = Array(rows)


def _headers_removed(pdf: pikepdf.Pdf) -> None:
    for cell in _each(pdf, "TD"):
        del cell.A["/Headers"]


def _headers_name_nothing(pdf: pikepdf.Pdf) -> None:
    _first(pdf, "TD").A.Headers = Array([String("nowhere")])


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (_shown_code_unmapped, "shows code 41 with no text"),
        (_list_numbering_removed, "a list (L) has no ListNumbering"),
        (_rows_straight_in_table, "a table's rows are not all in THead and TBody"),
        (_headers_removed, "a table data cell (TD) names no header (Headers)"),
        (_headers_name_nothing, "a TD's Headers name b'nowhere', no TH of its table"),
        (subset_names_shared, "different font subsets are named"),
    ],
)
def test_the_richer_checks_can_fail(
    made_pdf: MadePdf, damage: Callable[[pikepdf.Pdf], None], expected: str
) -> None:
    kind = "packet" if damage is subset_names_shared else "full-handout"
    assert richness_problems(made_pdf(kind)) == []
    found = _damaged(made_pdf(kind), damage)
    assert any(expected in problem for problem in found), found
