"""Tagged PDF (PDF/UA-1): every built PDF passes the checker, reads in the handout's order with
no header or footer text, and has alt text, table headers with scope, tagged links and XMP."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from click.testing import Result
from reportlab.pdfgen.canvas import Canvas

from fixtures import (
    DATA,
    SHIPPED,
    allowing,
    large_print_layout,
    long_table_handout,
    pdf_pages_text,
    reading_order_problems,
    run_cli,
    structure_roles,
    structure_texts,
    write_handout,
)
from handout_builder import build, load_handout
from handout_builder.look.labels import labels_for
from handout_builder.pdf.artifacts import mark_artifacts
from handout_builder.pdf.pdfua import check_pdf

SOURCES = [*SHIPPED, DATA / "full-handout.yaml"]
VARIANTS = [(s, large) for s in SOURCES for large in (False, True)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], Path]:
    """Every shipped handout and the full test handout, regular and large print."""
    out = tmp_path_factory.mktemp("tagged")
    pdfs = {}
    for large in (False, True):
        for source in SOURCES:  # a sheet's large print is a large-print leaflet
            layout = large_print_layout(source) if large else None
            [result] = build([source], out, large_print=large, layout=layout)
            assert result.status == "built", result.problems
            pdfs[(result.source.name, large)] = result.output
    return pdfs


def _ids(v: tuple[Path, bool]) -> str:
    return v[0].stem + ("-large" if v[1] else "")


def _elements(pdf: pikepdf.Pdf):
    def walk(e):
        if isinstance(e, pikepdf.Dictionary) and "/S" in e:
            yield e
            k = e.get("/K")
            for kid in list(k) if isinstance(k, pikepdf.Array) else [k]:
                yield from walk(kid)

    yield from walk(pdf.Root.StructTreeRoot.K)


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_every_built_pdf_passes_the_checker(built, variant) -> None:
    source, large = variant
    assert check_pdf(built[(source.name, large)]) == []


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_reading_order_is_the_handout_order(built, variant) -> None:
    source, large = variant
    texts = structure_texts(built[(source.name, large)])
    assert texts, "pdfinfo found no structure text"
    assert reading_order_problems(texts, load_handout(source)) == []


def test_reading_order_check_can_fail(built) -> None:
    """The comparison itself notices a swap and text that is not content."""
    handout = load_handout(DATA / "full-handout.yaml")
    texts = structure_texts(built[("full-handout.yaml", False)])
    i = next(n for n, t in enumerate(texts) if "MARK-SYMPTOMS" in t)
    swapped = [*texts[:i], texts[i + 1], texts[i], *texts[i + 2 :]]
    assert reading_order_problems(swapped, handout)
    assert reading_order_problems([*texts, "Page 1 of 3"], handout)


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_header_and_footer_are_artifacts(built, variant) -> None:
    """The header and every page's footer are artifacts; the footer's contact and version lines
    are read once, from the contact block at the end, as its last elements."""
    source, large = variant
    pdf = built[(source.name, large)]
    read = structure_texts(pdf)
    joined = "\n".join(read)
    words = labels_for(load_handout(source).language)  # the footer is in the handout's language
    page_1 = words["page"].split("{pages}")[0].format(page=1).strip()  # 'Page 1 of'
    version = words["version"].split("{")[0]  # 'Version '
    review = words["review_due"].split("{")[0].strip()  # 'Next review'
    approved_by = words["approved"].split("{")[0]  # 'Approved '
    assert page_1 not in joined
    approved = f"{version}2.3 · {review}" in joined  # else a draft: "Version 1.0 · Draft"
    for footer_words in (version, "Your Clinic · Phone: 555-0100", "Replace these"):
        assert joined.count(footer_words) == 1, footer_words
    assert joined.count(review) == joined.count(approved_by) == int(approved)
    last = 4 if approved else 3  # the approval has a line of its own
    assert read[-last].startswith("Your Clinic · Phone: 555-0100 · example.org")
    assert read[-last + 2].startswith(version)
    assert read[-1].startswith(approved_by if approved else version)
    # ...and the footer is on every page
    pages = pdf_pages_text(pdf)
    page_label = words["page"]
    assert all(
        page_label.format(page=n, pages=len(pages)) in text for n, text in enumerate(pages, 1)
    )
    assert all("Your Clinic · Phone: 555-0100" in text for text in pages)


def test_the_contact_block_says_how_to_reach_the_clinic_at_body_size(built) -> None:
    """Large print: the contact and version lines, which the footer prints at 13 pt, are at
    the body size (18 pt) in the contact block on the last page."""
    pdf = built[("full-handout.yaml", True)]
    with pdfplumber.open(pdf) as doc:
        words = doc.pages[-1].extract_words(extra_attrs=["size"])
    sizes: dict[str, set[float]] = {}
    for word in words:
        sizes.setdefault(word["text"], set()).add(round(word["size"], 1))
    for word in ("555-0100", "2.3", "2099"):  # phone, version, year of the next review
        assert sizes[word] == {13.0, 18.0}, word  # the footer's, and the contact block's


def test_structure_has_the_expected_roles(built) -> None:
    roles = structure_roles(built[("full-handout.yaml", False)])
    assert roles[:3] == ["Document", "H1", "P"]
    for role in ("H2", "H3", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Caption"):
        assert role in roles, role
    assert {"Figure", "Link", "Div"} <= set(roles)


def test_figures_have_their_alt_text(built) -> None:
    with pikepdf.open(built[("full-handout.yaml", False)]) as pdf:
        figures = [e for e in _elements(pdf) if pikepdf.Name.Figure == e.S]
        assert [str(f.Alt) for f in figures] == ["A blue square"]


def test_table_headers_have_scope(built) -> None:
    with pikepdf.open(built[("full-handout.yaml", False)]) as pdf:
        headers = [e for e in _elements(pdf) if e.S == pikepdf.Name.TH]
        scopes = [str(e.A.Scope) for e in headers]
        # block table: 2 column headers; side-effect table: 2 column headers + 2 group labels
        assert scopes.count("/Column") == 4
        assert scopes.count("/Row") == 2
        groups = [e for e in headers if e.A.Scope == pikepdf.Name.Row]
        assert all(int(e.A.ColSpan) == 2 for e in groups)


def test_data_cells_name_their_column_and_group_headers(built) -> None:
    """A side-effect table: THead holds the column headers, each group is a TBody led by its
    label, and every TD names its column's header and its group's label (Headers -> IDs)."""
    with pikepdf.open(built[("full-handout.yaml", False)]) as pdf:
        tables = [e for e in _elements(pdf) if pikepdf.Name.Table == e.S]
        side_effects = tables[1]
        groups = [str(k.S) for k in side_effects.K]
        assert groups == ["/THead", "/TBody", "/TBody"]
        [head_row] = side_effects.K[0].K
        columns = [bytes(th.ID) for th in head_row.K]
        for body in list(side_effects.K)[1:]:
            label_row, *rows = list(body.K)
            [label] = label_row.K
            assert label.S == pikepdf.Name.TH
            for row in rows:
                named = [[bytes(h) for h in td.A.Headers] for td in row.K]
                assert named == [[column, bytes(label.ID)] for column in columns]
        ids = dict(zip(*[iter(pdf.Root.StructTreeRoot.IDTree.Names)] * 2, strict=True))
        assert ids[pikepdf.String(columns[0])].objgen == head_row.K[0].objgen


def test_lists_say_how_they_are_numbered_and_sources_are_a_list(built) -> None:
    with pikepdf.open(built[("full-handout.yaml", False)]) as pdf:
        lists = [e for e in _elements(pdf) if e.S == pikepdf.Name.L]
        numbering = [str(e.A.ListNumbering) for e in lists]
        # bullets, numbered, the callout's bullets, tips, avoid, three care tiers, sources
        assert numbering == ["/Disc", "/Decimal", *["/Disc"] * 6, "/Decimal"]
        [source] = lists[-1].K
        label, body = source.K
        assert pikepdf.Name.Lbl == label.S and pikepdf.Name.LBody == body.S
        assert [k.S for k in body.K if "/S" in k] == [pikepdf.Name.Link]


def test_repeated_header_row_is_read_once(tmp_path: Path) -> None:
    path = long_table_handout(tmp_path)
    [result] = build([path], tmp_path / "out")
    pages_with_header = [p for p in pdf_pages_text(result.output) if "HEAD-EFFECT" in p]
    assert len(pages_with_header) >= 2
    read = structure_texts(result.output)
    assert sum("HEAD-EFFECT" in t for t in read) == 1
    assert sum("ROW-" in t for t in read) == 60
    assert check_pdf(result.output) == []


def test_a_paragraph_split_over_two_pages_is_one_element(tmp_path: Path) -> None:
    filler = " ".join(f"filler{i}" for i in range(330))
    long_text = " ".join(f"word{i}" for i in range(450))
    path = write_handout(
        tmp_path, overview=[filler, long_text], allow=allowing(("reading-grade", "title"))
    )
    [result] = build([path], tmp_path / "out")
    assert result.pages >= 2
    with pikepdf.open(result.output) as pdf:
        split = [e for e in _elements(pdf) if e.S == pikepdf.Name.P and len(e.K) > 1]
        assert split
        for para in split:
            assert len({kid.Pg.objgen for kid in para.K}) == len(para.K)
    # every word break survives, at line ends and at the page break
    assert long_text in " ".join(structure_texts(result.output))


def test_links_are_tagged_and_described(built) -> None:
    with pikepdf.open(built[("full-handout.yaml", False)]) as pdf:
        [link] = [e for e in _elements(pdf) if pikepdf.Name.Link == e.S]
        assert pikepdf.Name.LBody == link.P.S  # the source's address, inside its list item
        [objr] = [k for k in link.K if k.get("/Type") == pikepdf.Name.OBJR]
        annot = objr.Obj
        assert str(annot.A.URI) == "https://medlineplus.gov/source"
        assert str(annot.Contents) == "https://medlineplus.gov/source"
        parents = dict(zip(*[iter(pdf.Root.StructTreeRoot.ParentTree.Nums)] * 2, strict=True))
        assert parents[int(annot.StructParent)].objgen == link.objgen
        assert all(p.obj.Tabs == pikepdf.Name.S for p in pdf.pages)


def test_a_wrapped_address_is_read_as_one_word(tmp_path: Path) -> None:
    """An address too long for one line wraps, but a screen reader hears it whole: no space is
    added where it breaks (other text keeps a space at each line end)."""
    url = "https://www.example.org/" + "very-long-path-segment/" * 6 + "leaflet.pdf"
    path = write_handout(tmp_path, references=[{"citation": "A source.", "url": url}])
    [result] = build([path], tmp_path / "out")
    assert result.output is not None
    with pdfplumber.open(result.output) as doc:
        lines = [ln for page in doc.pages for ln in (page.extract_text() or "").splitlines()]
    assert sum("very-long-path-segment" in ln for ln in lines) >= 2  # it did wrap
    assert url in [text.strip() for text in structure_texts(result.output)]


def test_catalog_and_xmp_metadata(built) -> None:
    with pikepdf.open(built[("full-handout.yaml", False)]) as pdf:
        assert bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.Root.Lang) == "en"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        meta = pdf.open_metadata()
        assert meta["{http://www.aiim.org/pdfua/ns/id/}part"] == "1"
        assert meta["dc:title"] == str(pdf.docinfo.Title) == "Full test handout"
        assert meta["dc:creator"] == ["Your Clinic"]
        assert meta["pdf:Producer"] == str(pdf.docinfo.Producer)
        created = str(pdf.docinfo.CreationDate)  # D:YYYYMMDDHHmmSS+hh'mm'
        assert (
            meta["xmp:CreateDate"]
            .replace("-", "")
            .replace(":", "")
            .startswith(created[2:10] + "T" + created[10:16])
        )


def test_marked_content_nests_with_graphics_state(built) -> None:
    """BDC/EMC never cross q/Q or BT/ET: each q-level and text object closes what it opens."""
    for pdf_path in built.values():
        with pikepdf.open(pdf_path) as pdf:
            for page in pdf.pages:
                stack: list[str] = []
                for ins in pikepdf.parse_content_stream(page):
                    op = str(ins.operator)
                    if op in ("q", "BT", "BMC", "BDC"):
                        stack.append({"q": "q", "BT": "BT"}.get(op, "MC"))
                    elif op in ("Q", "ET", "EMC"):
                        want = {"Q": "q", "ET": "BT", "EMC": "MC"}[op]
                        assert stack and stack.pop() == want, f"{op} closes the wrong thing"
                assert stack == []


def _instructions(content: str) -> list[tuple[str, list[str]]]:
    pdf = pikepdf.new()
    stream = pdf.make_stream(content.encode("latin-1"))
    return [
        (str(i.operator), [str(o) for o in i.operands])
        for i in pikepdf.parse_content_stream(stream)
    ]


def test_artifact_marking_wraps_untagged_drawing() -> None:
    content = "q 0 0 m 1 1 l S Q /P <</MCID 0>> BDC BT (a) Tj ET EMC 1 w"
    ops = [op for op, _ in _instructions(mark_artifacts(content))]
    assert ops[:3] == ["q", "BMC", "m"]
    assert ops[ops.index("S") + 1 : ops.index("S") + 3] == ["EMC", "Q"]
    assert ops.count("BMC") == 1


def test_artifact_marking_keeps_operands_and_reads_strings_as_text() -> None:
    # Strings and names that look like operators are text; operands stay with their operator.
    content = (
        "1 0 0 1 5 5 cm 10 20 m 30 40 l S\n"
        "BT /F1 12 Tf (q Q re \\) BT ET EMC) Tj ET\n"
        "/P <</MCID 0>> BDC BT /re 9 Tf (x) Tj ET EMC\n"
        "q /Im0 Do Q 2 3 4 5 re f"
    )
    got = _instructions(mark_artifacts(content))
    assert [op for op, _ in got] == [
        "cm", "BMC", "m", "l", "S", "BT", "Tf", "Tj", "ET", "EMC",
        "BDC", "BT", "Tf", "Tj", "ET", "EMC",
        "q", "BMC", "Do", "EMC", "Q",
        "BMC", "re", "f", "EMC",
    ]  # fmt: skip
    assert got[1] == ("BMC", ["/Artifact"])
    assert got[2] == ("m", ["10", "20"]) and got[22] == ("re", ["2", "3", "4", "5"])
    assert got[7] == ("Tj", ["q Q re ) BT ET EMC"]) and got[18] == ("Do", ["/Im0"])


def test_artifact_marking_refuses_inline_images() -> None:
    with pytest.raises(ValueError, match="inline images"):
        mark_artifacts("BI /W 1 /H 1 ID x EI")


def _untagged_pdf(path: Path) -> Path:
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "An untagged PDF")
    canvas.save()
    return path


def test_checker_reports_an_untagged_pdf(tmp_path: Path) -> None:
    findings = check_pdf(_untagged_pdf(tmp_path / "plain.pdf"))
    assert "no structure tree: the PDF is not tagged" in findings
    assert any("neither tagged content nor artifacts" in f for f in findings)
    assert any("not embedded" in f for f in findings)
    assert any("/Lang" in f for f in findings)


def test_checker_reports_what_is_broken(built, tmp_path: Path) -> None:
    with pikepdf.open(built[("full-handout.yaml", False)]) as pdf:
        for e in _elements(pdf):
            if pikepdf.Name.Figure == e.S:
                del e["/Alt"]
            if e.S == pikepdf.Name.TH:
                del e["/A"]
                del e["/ID"]
        page = pdf.pages[0]
        page.contents_add(pdf.make_stream(b"BT (loose) Tj ET"), prepend=False)
        del pdf.Root["/Lang"]
        del pdf.Root["/MarkInfo"]
        pdf.docinfo.Title = "Changed title"
        pdf.save(tmp_path / "broken.pdf")
    findings = check_pdf(tmp_path / "broken.pdf")
    expected = [
        "Figure on page 1 has no alternate text (/Alt)",
        "table header cell on page 1 has no Scope (and no ID for Headers)",
        "page 1: 1 content operator (text, paths, images) is neither tagged content nor artifacts",
        "no document language (catalog /Lang)",
        "not marked as tagged (catalog /MarkInfo /Marked true)",
        "XMP dc:title 'Full test handout' does not match the document info",
    ]
    for finding in expected:
        assert finding in findings


def _cli(*args: str, cwd: Path) -> Result:
    return run_cli(*args, cwd=cwd)


def test_check_pdf_command(built, tmp_path: Path) -> None:
    good = built[("full-handout.yaml", False)]
    ok = _cli("check", "--pdf", str(good), cwd=tmp_path)
    assert ok.exit_code == 0, ok.stdout
    assert "1 PDF checked: 1 ok, 0 with problems" in ok.stdout
    _untagged_pdf(tmp_path / "plain.pdf")
    bad = _cli("check", "--pdf", "plain.pdf", str(good), cwd=tmp_path)
    assert bad.exit_code == 1
    assert "plain.pdf: no structure tree: the PDF is not tagged" in bad.stdout.splitlines()
    assert bad.stderr == ""
    assert "2 PDFs checked: 1 ok, 1 with problems" in bad.stdout


def test_tagging_keeps_rebuilds_byte_identical(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    [a] = build([DATA / "full-handout.yaml"], tmp_path / "a", large_print=True)
    [b] = build([DATA / "full-handout.yaml"], tmp_path / "b", large_print=True)
    assert a.output.read_bytes() == b.output.read_bytes()
    with pikepdf.open(io.BytesIO(a.output.read_bytes())) as pdf:
        assert pdf.open_metadata()["xmp:CreateDate"].startswith("2026-01-01T00:00:00")
