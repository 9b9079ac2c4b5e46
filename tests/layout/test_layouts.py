"""Layouts: the leaflet, the sheet, the booklet and the trifold, built from the short tools
handout (and the shipped ones), read back: page sizes and counts, where each page went on the
printed sheets, the reading order of the structure tree, the key facts first, the QR code
decoded, tick boxes, tracker cells and pictograms tagged, and every PDF through the checker."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4, LETTER

from fixtures import (
    LAYOUT_CASES,
    ONLINE_BRAND,
    SHIPPED,
    TESTS,
    TOOLS,
    TOOLS_ONLINE,
    approved_copy,
    build_layout,
    flat,
    layout_case_id,
    reading_order_problems,
    run_cli,
    structure_roles,
    structure_texts,
    write_handout,
)
from handout_builder import build, check_pdf, load_handout, make_packet, model
from handout_builder.errors import HandoutError, display_path
from handout_builder.layout.layouts import LAYOUTS
from handout_builder.layout.pictograms import PICTOGRAMS, alt_label
from handout_builder.look.brand import load_brand, online_address
from handout_builder.look.labels import LABELS
from handout_builder.pdf.folding import saddle_stitch_order

LANDSCAPE = (LETTER[1], LETTER[0])
SIZES = {"leaflet": (612.0, 792.0), "sheet": (612.0, 792.0), "booklet": (792.0, 612.0)}
SIZES["trifold"] = SIZES["booklet"]  # Letter paper, landscape
PAGE_LABEL = re.compile(r"Page (\d+) of (\d+)")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], Path]:
    """The tools handout in every layout (and large print where there is one)."""
    out = tmp_path_factory.mktemp("layouts")
    return {case: build_layout(out, *case) for case in LAYOUT_CASES}


def _sizes(pdf: Path) -> list[tuple[float, float]]:
    with pikepdf.open(pdf) as doc:
        return [(float(p.mediabox[2]), float(p.mediabox[3])) for p in doc.pages]


def _parts(pdf: Path, parts: int) -> list[list[str]]:
    """The text of each page cut into ``parts`` equal slices, left to right."""
    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            step = page.width / parts
            out.append(
                [
                    page.crop((n * step, 0, (n + 1) * step, page.height)).extract_text() or ""
                    for n in range(parts)
                ]
            )
    return out


def test_every_layout_the_format_names_is_built_and_tested() -> None:
    assert tuple(LAYOUTS) == model.LAYOUTS
    assert {layout for layout, _ in LAYOUT_CASES} == set(LAYOUTS)
    assert {layout for layout, large in LAYOUT_CASES if large} == {
        name for name, layout in LAYOUTS.items() if layout.large_print
    }
    assert set(PICTOGRAMS) == set(model.ICONS)
    assert all(alt_label(name) in labels for labels in LABELS.values() for name in model.ICONS)


@pytest.mark.parametrize("case", LAYOUT_CASES, ids=layout_case_id)
def test_every_layout_passes_the_pdf_ua_checker(pdfs, case) -> None:
    assert check_pdf(pdfs[case]) == []


@pytest.mark.parametrize("case", LAYOUT_CASES, ids=layout_case_id)
def test_file_names_say_the_layout(pdfs, case) -> None:
    layout, large = case
    name = "tools-handout" + ("" if layout == "leaflet" else f"-{layout}")
    assert pdfs[case].name == name + ("-large-print" if large else "") + ".pdf"


@pytest.mark.parametrize("case", LAYOUT_CASES, ids=layout_case_id)
def test_page_size_and_count(pdfs, case) -> None:
    """Every page is the layout's printed size; a sheet and a trifold are one sheet, two sides;
    a booklet is whole sheets, as many as its own pages need (four to a sheet)."""
    layout, _ = case
    sizes = _sizes(pdfs[case])
    assert {(round(w, 1), round(h, 1)) for w, h in sizes} == {SIZES[layout]}
    with pdfplumber.open(pdfs[case]) as doc:
        labels = [PAGE_LABEL.findall(page.extract_text() or "") for page in doc.pages]
    if layout in ("sheet", "trifold"):
        assert len(sizes) == 2
    if layout == "booklet":
        own = int(labels[0][0][1])  # "Page 1 of N" on the first side
        assert len(sizes) == -(-own // 4) * 2
    if layout in ("leaflet", "sheet"):
        assert [found[0] for found in labels] == [
            (str(n), str(len(sizes))) for n in range(1, len(sizes) + 1)
        ]


@pytest.mark.parametrize("case", LAYOUT_CASES, ids=layout_case_id)
def test_structure_tree_reads_in_the_handout_order(pdfs, case) -> None:
    """However the pages were placed on the printed sheets, a screen reader reads the handout
    from its title to the address of its online version."""
    texts = structure_texts(pdfs[case])
    problems = reading_order_problems(texts, load_handout(TOOLS), load_brand(ONLINE_BRAND).brand)
    assert problems == []


def test_sheet_keeps_body_text_at_12_point(pdfs) -> None:
    """Everything in the columns is 12 pt or more, but for the small print at the end: the
    sources and the address under the QR code, in the right column of page 2."""
    with pdfplumber.open(pdfs[("sheet", False)]) as doc:
        small = []
        for page in doc.pages:
            in_columns = [c for c in page.chars if 60 < c["top"] < page.height - 90]
            assert in_columns
            sources = page.search("Where this information comes from")
            for c in in_columns:
                fine_print = sources and c["x0"] > page.width / 2 and c["top"] > sources[0]["top"]
                if c["size"] < 11.99 and not fine_print:
                    small.append(c["text"])
    assert not small, "".join(small)


def test_sheet_has_two_columns_under_a_full_width_title(pdfs) -> None:
    with pdfplumber.open(pdfs[("sheet", False)]) as doc:
        page = doc.pages[0]
        title = page.search("Starting your new pain medicine")[0]
        overview = page.search("What you need to know")[0]
        medicine = page.search("How to take it")[0]
        middle = page.width / 2
    assert title["x0"] < middle < title["x1"] or title["x1"] - title["x0"] > middle * 0.6
    assert overview["x1"] < middle and medicine["x0"] > middle  # left column, right column
    assert overview["top"] > page.search("Key facts")[0]["bottom"]


def test_booklet_pages_are_imposed_in_saddle_stitch_order(pdfs) -> None:
    """Each side of a sheet holds two half-size pages, read by their own page numbers: blank
    pages make a multiple of four, and folding the stack gives 1, 2, 3, ... in order."""
    sides = _parts(pdfs[("booklet", False)], 2)
    numbers: list[tuple[int | None, int | None]] = []
    total = 0
    for left, right in sides:
        found = [PAGE_LABEL.search(flat(half)) for half in (left, right)]
        numbers.append(tuple(int(m.group(1)) if m else None for m in found))  # type: ignore[arg-type]
        total = max([total, *(int(m.group(2)) for m in found if m)])
    assert total > 4  # the test handout is long enough to show blank pages and a second sheet
    assert numbers == saddle_stitch_order(total)
    assert len(sides) * 2 == -(-total // 4) * 4


def test_booklet_pages_are_half_size_and_numbered_as_the_booklet(pdfs) -> None:
    with pdfplumber.open(pdfs[("booklet", False)]) as doc:
        first = doc.pages[0]
        right = first.crop((first.width / 2, 0, first.width, first.height))
        text = flat(right.extract_text() or "")
    assert "Starting your new pain medicine" in text  # page 1 is the right half of side 1
    assert re.search(r"Page 1 of \d+", text)
    assert LETTER[1] / 2 == pytest.approx(396)  # 5.5 x 8.5 in


def test_booklet_on_a4_is_a5_two_up(tmp_path: Path) -> None:
    brand = tmp_path / "brand.yaml"
    brand.write_text("organisation: A4 Clinic\npaper: a4\n")
    pdf = build_layout(tmp_path, "booklet", brand=brand)
    landscape = (round(A4[1], 1), round(A4[0], 1))  # A4 landscape: two A5 pages
    assert {(round(w, 1), round(h, 1)) for w, h in _sizes(pdf)} == {landscape}


def test_trifold_panels_are_in_letter_fold_order(pdfs) -> None:
    """Outside: inside flap, back cover, front cover; inside: the three inside panels. Read in
    panel order (front, flap, inside left to right, back) the text is the handout in order."""
    (flap, back, front), (inside1, inside2, inside3) = _parts(pdfs[("trifold", False)], 3)
    assert "Starting your new pain medicine" in flat(front)
    assert "Key facts" in flat(front)
    assert flat(flap).startswith("What you need to know")
    assert TOOLS_ONLINE in flat(back)
    assert "Version 1.0" in flat(back)  # the contact lines and review dates close the back
    panels = [front, flap, inside1, inside2, inside3, back]
    marks = ["MARK-KEY-ONE", "MARK-OVERVIEW", "MARK-STEP-ONE", "MARK-TRACKER-TITLE"]
    found = [next(n for n, panel in enumerate(panels) if m in flat(panel)) for m in marks]
    assert found == sorted(found)
    assert found[-1] < 5


def test_trifold_panel_that_folds_in_is_narrower(pdfs) -> None:
    """Each panel is clipped to its slot; the flap (outside left) and the panel behind it
    (inside right) are 1/16 in narrower, so the sheet folds flat."""
    widths = []
    with pikepdf.open(pdfs[("trifold", False)]) as pdf:
        for page in pdf.pages:
            ops = pikepdf.parse_content_stream(page)
            widths.append(
                [
                    round(float(ops[n].operands[2]), 2)
                    for n in range(len(ops) - 1)
                    if str(ops[n].operator) == "re" and str(ops[n + 1].operator) == "W"
                ]
            )
    wide = (LANDSCAPE[0] + 4.5) / 3
    assert widths[0] == pytest.approx([wide - 4.5, wide, wide], abs=0.01)
    assert widths[1] == pytest.approx([wide, wide, wide - 4.5], abs=0.01)
    assert sum(widths[0]) == pytest.approx(LANDSCAPE[0])


@pytest.mark.parametrize("case", LAYOUT_CASES, ids=layout_case_id)
def test_key_facts_come_first_on_page_one(pdfs, case) -> None:
    layout, _ = case
    with pdfplumber.open(pdfs[case]) as doc:
        page = doc.pages[0]
        if layout == "trifold":  # the front cover is the right third of the outside
            page = page.crop((page.width * 2 / 3, 0, page.width, page.height))
        elif layout == "booklet":  # page 1 is the right half of the first side
            page = page.crop((page.width / 2, 0, page.width, page.height))
        text = flat(page.extract_text() or "")
    assert "Key facts" in text
    assert text.index("Key facts") < text.index("MARK-KEY-ONE")
    # the key facts and (seek_care.on_first_page) the emergency tier, in the box, which a
    # large-print booklet's half-size page 1 cannot hold whole: it goes on overleaf
    if case != ("booklet", True):
        assert text.index("MARK-KEY-ONE") < text.index("MARK-KEY-THREE")
        assert text.index("MARK-KEY-THREE") < text.index("MARK-EMERGENCY-ITEM")
        assert "What you need to know" not in text or text.index(
            "MARK-EMERGENCY-ITEM"
        ) < text.index("What you need to know")


def test_key_facts_are_a_list_in_a_box_of_their_own(pdfs) -> None:
    texts = structure_texts(pdfs[("leaflet", False)])
    roles = structure_roles(pdfs[("leaflet", False)])
    assert texts.index("Key facts") < texts.index(
        "MARK-KEY-ONE: take it once a day, in the evening."
    )
    # Div > H2 "Key facts", L of three LI, then the emergency tier's Div
    first_div = roles.index("Div")
    assert roles[first_div + 1 : first_div + 4] == ["H2", "L", "LI"]
    with pikepdf.open(pdfs[("leaflet", False)]) as pdf:
        lists = [e for e in _elements(pdf) if e.S == "/L"]
        key_list = lists[0]
        assert len([k for k in key_list.K if k.S == "/LI"]) == 3


@pytest.mark.parametrize("case", LAYOUT_CASES, ids=layout_case_id)
def test_the_qr_code_reads_back_as_the_exact_address(pdfs, case, tmp_path: Path) -> None:
    """zbarimg (Debian's zbar-tools) decodes one code, on the side that holds the last page
    (a trifold's back cover, a booklet's last page), and it is the handout's address."""
    pdf = pdfs[case]
    subprocess.run(["pdftoppm", "-png", "-r", "200", str(pdf), str(tmp_path / "p")], check=True)
    found = {}
    for png in sorted(tmp_path.glob("p-*.png")):
        done = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True)
        if done.stdout.strip():
            found[int(png.stem.split("-")[-1])] = done.stdout.strip().splitlines()
    [(side, codes)] = found.items()
    assert codes == [TOOLS_ONLINE]
    layout = case[0]
    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
        text = flat(doc.pages[side - 1].extract_text() or "")
    if layout in ("leaflet", "sheet"):
        assert side == pages
    if layout == "trifold":
        assert side == 1  # the back cover is on the outside
    last = max(int(n) for _, n in PAGE_LABEL.findall(text)) if layout == "booklet" else 0
    assert layout != "booklet" or f"Page {last} of {last}" in text


@pytest.mark.parametrize("case", LAYOUT_CASES, ids=layout_case_id)
def test_the_qr_code_is_a_linked_figure_with_alt_text(pdfs, case) -> None:
    with pikepdf.open(pdfs[case]) as pdf:
        links = [e for e in _elements(pdf) if e.S == "/Link"]
        figures = [
            kid
            for link in links
            for kid in _kids(link)
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == "/Figure"
        ]
        assert len(figures) == 1
        assert TOOLS_ONLINE in str(figures[0].Alt)
        [qr_link] = [link for link in links if figures[0] in list(_kids(link))]
        annotations = [k.Obj for k in _kids(qr_link) if k.get("/Type") == "/OBJR"]
        assert [str(a.A.URI) for a in annotations] == [TOOLS_ONLINE]
        uris = [
            str(a.A.URI)
            for page in pdf.pages
            for a in page.obj.get("/Annots", [])
            if "/A" in a and "/URI" in a.A
        ]
        assert uris.count(TOOLS_ONLINE) == 2  # the code and the address printed under it


@pytest.mark.parametrize("case", LAYOUT_CASES, ids=layout_case_id)
def test_tick_boxes_and_tracker_cells_are_present_and_tagged(pdfs, case) -> None:
    pdf = pdfs[case]
    with pdfplumber.open(pdf) as doc:
        text = " ".join(flat(page.extract_text() or "") for page in doc.pages)
    assert text.count("☐") == 3
    assert "Day 12" in text
    with pikepdf.open(pdf) as doc:
        elements = list(_elements(doc))
        labels = [e for e in elements if e.S == "/Lbl" and "☐" in _text_of(e, doc)]
        assert len(labels) == 3
        tables = [e for e in elements if e.S == "/Table"]
        diary = next(t for t in tables if len(_rows(t, "/TBody")) == 12)  # a row a day
        [heading] = _rows(diary, "/THead")
        assert [c.S for c in _kids(heading)] == ["/TH"] * 4
        assert [c.A.Scope for c in _kids(heading)] == ["/Column"] * 4
        column_ids = [bytes(c.ID) for c in _kids(heading)]
        for row in _rows(diary, "/TBody"):
            day, *cells = _kids(row)
            assert day.S == "/TH" and day.A.Scope == "/Row"
            assert [c.S for c in cells] == ["/TD", "/TD", "/TD"]
            for column_id, cell in zip(column_ids[1:], cells, strict=True):
                assert [bytes(h) for h in cell.A.Headers] == [column_id, bytes(day.ID)]


def _rows(table: pikepdf.Object, part: str) -> list[pikepdf.Object]:
    """The rows of a table's ``THead`` or its ``TBody`` parts."""
    return [row for kid in _kids(table) if str(kid.S) == part for row in _kids(kid)]


def test_the_diary_splits_with_its_heading_row_repeated(pdfs) -> None:
    """In the booklet the diary runs onto a second page; its column headings are printed
    again there, as an artifact (read once)."""
    with pdfplumber.open(pdfs[("booklet", False)]) as doc:
        halves = [
            flat(p.crop((x, 0, x + p.width / 2, p.height)).extract_text() or "")
            for p in doc.pages
            for x in (0, p.width / 2)
        ]
    with_days = [h for h in halves if re.search(r"Day \d+", h)]
    assert len(with_days) >= 2
    assert all("Pain (0 to 10)" in h for h in with_days)
    texts = structure_texts(pdfs[("booklet", False)])
    assert texts.count("Pain (0 to 10)") == 1


def test_pictograms_are_figures_with_alt_text_beside_words(pdfs) -> None:
    with pikepdf.open(pdfs[("leaflet", False)]) as pdf:
        alts = [str(e.Alt) for e in _elements(pdf) if e.S == "/Figure" and "/Alt" in e]
    assert alts.count("Take it in the evening") == 2  # a key fact and a step
    assert "Do not drink alcohol" in alts
    assert "Take it with food" in alts
    assert "Do not drive if you feel drowsy" in alts


def test_steps_are_numbered_labels(pdfs) -> None:
    texts = structure_texts(pdfs[("leaflet", False)])
    assert [t for t in texts if t in ("1", "2", "3")] == ["1", "2", "3"]
    first = texts.index("1")
    assert next(t for t in texts[first + 1 :] if t).startswith("MARK-STEP-ONE")


# --- the shipped handouts -------------------------------------------------------------------


@pytest.mark.parametrize("large", [False, True], ids=["regular", "large-print"])
@pytest.mark.parametrize("source", SHIPPED, ids=lambda p: p.stem)
def test_shipped_handouts_build_as_booklets(tmp_path: Path, source: Path, large: bool) -> None:
    pdf = build_layout(tmp_path, "booklet", large, source=source, brand=None)
    assert check_pdf(pdf) == []
    assert reading_order_problems(structure_texts(pdf), load_handout(source)) == []


SHEETS = [s for s in SHIPPED if load_handout(s).layout == "sheet"]
"""The shipped handouts written to fit one sheet: the per-medicine sheets and the emergency card."""


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("source", SHEETS, ids=lambda p: p.stem)
def test_shipped_sheets_fit_one_sheet_as_drafts_and_once_approved(
    tmp_path: Path, source: Path, paper: str
) -> None:
    """On either paper, as the draft it ships as and once a clinician approves it (the draft
    band goes; the contact block gains the approval's line), a shipped sheet fits its two sides
    with no page limit of its own: its large print is a leaflet, which could not."""
    assert load_handout(source).max_pages is None
    for path in (source, approved_copy(source, tmp_path / "approved")):
        [result] = build([path], tmp_path / path.parent.name, paper=paper)
        assert result.status == "built", [str(p) for p in result.problems]
        assert result.layout == "sheet"
        assert result.pages <= 2
        [large] = build([path], tmp_path / "large", paper=paper, layout="leaflet", large_print=True)
        assert large.status == "built", [str(p) for p in large.problems]


@pytest.mark.parametrize("source", [s for s in SHIPPED if s not in SHEETS], ids=lambda p: p.stem)
def test_shipped_handouts_are_too_long_for_a_sheet_or_a_trifold(
    tmp_path: Path, source: Path
) -> None:
    [sheet] = build([source], tmp_path, layout="sheet")
    [problem] = sheet.problems
    assert sheet.status == "failed"
    assert re.fullmatch(
        r"max_pages: needs \d pages, at most 2 allowed on a sheet", str(problem).split(": ", 1)[1]
    )
    [trifold] = build([source], tmp_path, layout="trifold")
    [problem] = trifold.problems
    assert re.fullmatch(
        r"layout: too long for a trifold: needs (\d+) panels, it has 6 "
        r"\(about \d+ panels too long\)",
        str(problem).split(": ", 1)[1],
    )
    assert not list(tmp_path.glob("*.pdf"))


# --- helpers ----------------------------------------------------------------------------------


def _elements(pdf: pikepdf.Pdf):
    def walk(e):
        if isinstance(e, pikepdf.Dictionary) and "/S" in e:
            yield e
            for kid in _kids(e):
                yield from walk(kid)

    yield from walk(pdf.Root.StructTreeRoot.K)


def _kids(element: pikepdf.Object) -> list:
    k = element.get("/K")
    return list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]


def _text_of(element: pikepdf.Object, pdf: pikepdf.Pdf) -> str:
    """The text an element's marked content draws (enough for the tick box's one glyph)."""
    out = []
    for kid in _kids(element):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            page, mcid = kid.Pg, int(kid.MCID)
        elif isinstance(kid, int):
            page, mcid = element.Pg, int(kid)
        else:
            continue
        out.append(_marked_text(pdf, page, mcid))
    return "".join(out)


def _marked_text(pdf: pikepdf.Pdf, page: pikepdf.Object, mcid: int) -> str:
    with pdfplumber.open(pdf.filename) as doc:
        number = next(n for n, p in enumerate(pdf.pages) if p.obj.objgen == page.objgen)
        chars = doc.pages[number].chars
    return "".join(c["text"] for c in chars if c.get("mcid") == mcid)


# --- length budgets, combinations, reports ----------------------------------------------------


def _long(folder: Path, **changes: object) -> Path:
    """The minimal test handout with a long overview (about three leaflet pages)."""
    paragraphs = [
        f"Paragraph {n}. " + "It explains one thing in plain words. " * 12 for n in range(24)
    ]
    return write_handout(folder, overview=paragraphs, **changes)


def test_max_pages_fails_with_the_pages_needed_at_its_line(tmp_path: Path) -> None:
    path = _long(tmp_path / "h", max_pages=2)
    done = run_cli("build", path, "-o", tmp_path / "out")
    assert done.exit_code == 1
    line = next(
        n for n, t in enumerate(path.read_text().splitlines(), 1) if t.startswith("max_pages")
    )
    assert re.search(
        rf"h/test\.yaml:{line}:12: max_pages: needs [3-9] pages, at most 2 allowed$",
        done.stdout,
        re.M,
    ), done.stdout
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


def test_max_pages_from_the_command_line(tmp_path: Path) -> None:
    path = _long(tmp_path / "h")
    done = run_cli("build", path, "-o", tmp_path / "out", "--max-pages", "1")
    assert done.exit_code == 1
    assert re.search(
        r"test\.yaml:1:1: max_pages: needs \d pages, at most 1 allowed by --max-pages$",
        done.stdout,
        re.M,
    ), done.stdout
    ok = run_cli("build", path, "-o", tmp_path / "out", "--max-pages", "9")
    assert ok.exit_code == 0, ok.stderr


def test_the_tightest_page_limit_is_the_one_reported(tmp_path: Path) -> None:
    path = _long(tmp_path / "h", max_pages=1, layout="sheet")
    [result] = build([path], tmp_path / "out", max_pages=3)
    [problem] = result.problems
    assert problem.path == "max_pages"
    assert problem.message.endswith("at most 1 allowed")
    path = _long(tmp_path / "g", max_pages=5, layout="sheet")
    [result] = build([path], tmp_path / "out")
    [problem] = result.problems
    lines = path.read_text().splitlines()
    assert lines[problem.line - 1].startswith("layout: sheet")
    assert problem.message.endswith("at most 2 allowed on a sheet")


def test_a_trifold_too_long_says_by_how_much(tmp_path: Path) -> None:
    path = _long(tmp_path / "h", layout="trifold")
    [result] = build([path], tmp_path / "out")
    [problem] = result.problems
    lines = path.read_text().splitlines()
    assert lines[problem.line - 1].startswith("layout: trifold")
    needed = int(re.search(r"needs (\d+) panels", problem.message).group(1))  # type: ignore[union-attr]
    assert needed > 6
    assert f"about {needed - 6} panels too long" in problem.message


def test_large_print_is_refused_where_there_is_no_room_for_it(tmp_path: Path) -> None:
    for layout in ("sheet", "trifold"):
        done = run_cli("build", TOOLS, "-o", tmp_path / "out", "--layout", layout, "--large-print")
        assert done.exit_code == 2
        assert done.stderr.strip() == (
            f"Error: the {layout} layout has no large-print version "
            "(large print works with leaflet and booklet)"
        )
    path = write_handout(tmp_path / "h", layout="trifold")
    [result] = build([path], tmp_path / "out", large_print=True)
    [problem] = result.problems
    assert path.read_text().splitlines()[problem.line - 1].startswith("layout: trifold")
    assert problem.path == "layout" and "no large-print version" in problem.message
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_a_handouts_own_layout_and_the_build_option(tmp_path: Path) -> None:
    path = write_handout(tmp_path / "h", layout="sheet")
    [own] = build([path], tmp_path / "out")
    assert own.output is not None and own.output.name == "test-handout-sheet.pdf"
    assert own.layout == "sheet" and own.pages in (1, 2)
    [chosen] = build([path], tmp_path / "out", layout="booklet")
    assert chosen.output is not None and chosen.output.name == "test-handout-booklet.pdf"


def test_build_report_gives_layout_and_pages(tmp_path: Path) -> None:
    report = tmp_path / "build.json"
    done = run_cli(
        "build", TOOLS, "-o", tmp_path / "out", "--layout", "booklet", "--report", report
    )
    assert done.exit_code == 0, done.stderr
    [entry] = json.loads(report.read_text())["handouts"]
    with pikepdf.open(tmp_path / "out" / "tools-handout-booklet.pdf") as pdf:
        assert entry["pages"] == len(pdf.pages)
    assert entry["layout"] == "booklet"


def test_list_json_gives_layout_and_page_count(tmp_path: Path) -> None:
    write_handout(tmp_path, "sheet.yaml", id="on-a-sheet", layout="sheet")
    _long(tmp_path, id="too-long-sheet", layout="sheet").rename(tmp_path / "long.yaml")
    listed = json.loads(run_cli("list", tmp_path, "--json").stdout)["handouts"]
    rows = {r["id"]: r for r in listed}
    assert rows["on-a-sheet"]["layout"] == "sheet"
    assert rows["on-a-sheet"]["pages"] in (1, 2) and rows["on-a-sheet"]["fits"] is True
    assert rows["too-long-sheet"]["pages"] > 2 and rows["too-long-sheet"]["fits"] is False
    table = run_cli("list", tmp_path).stdout
    assert re.search(r"too-long-sheet .* \d! sheet", table), table


def test_changing_a_handouts_layout_leaves_the_old_pdf_stale(tmp_path: Path) -> None:
    path = write_handout(tmp_path / "h", layout="sheet")
    build([path], tmp_path / "out")
    write_handout(tmp_path / "h", layout="booklet")
    results = build([path], tmp_path / "out", clean=True)
    assert {(r.status, r.output.name) for r in results if r.output} == {
        ("built", "test-handout-booklet.pdf"),
        ("removed", "test-handout-sheet.pdf"),
    }


# --- logos, addresses, imposition -------------------------------------------------------------


def test_a_wide_logo_keeps_its_proportions_beside_the_name(tmp_path: Path) -> None:
    Image.new("RGB", (300, 100), (31, 78, 121)).save(tmp_path / "wide.png")
    brand = tmp_path / "brand.yaml"
    brand.write_text("organisation: Wide Logo Clinic\nlogo: wide.png\nlogo_height: 15\n")
    pdf = build_layout(tmp_path / "out", "leaflet", brand=brand)
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        [logo] = page.images
        name = page.search("Wide Logo Clinic")[0]
    width, height = logo["x1"] - logo["x0"], logo["bottom"] - logo["top"]
    assert width / height == pytest.approx(3, rel=0.01)
    assert height == pytest.approx(15 / 25.4 * 72, rel=0.01)
    logo_middle = (logo["top"] + logo["bottom"]) / 2
    name_middle = (name["top"] + name["bottom"]) / 2
    assert abs(logo_middle - name_middle) < 3  # on one line with the organisation's name
    assert name["x0"] > logo["x1"]


def test_logo_height_has_sane_limits(tmp_path: Path) -> None:
    brand = tmp_path / "brand.yaml"
    brand.write_text("organisation: X\nlogo_height: 80\n")
    with pytest.raises(HandoutError) as caught:
        load_brand(brand)
    assert [str(p) for p in caught.value.problems] == [
        f"{display_path(brand)}:2:14: logo_height: must be at most 30"
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "https://x.example/{name}",
            "unknown field {name}: only {id} and {language} are filled in",
        ),
        (
            "https://x.example/{id:>9}",
            "unknown field {id:>9}: only {id} and {language} are filled in",
        ),
        ("https://x.example/{id", "a '{' or '}' without its partner; write {{ or }} for a brace"),
        ("x.example/{id}", "expected a web address starting with https://"),
    ],
)
def test_online_url_fills_in_only_id_and_language(tmp_path: Path, url: str, message: str) -> None:
    brand = tmp_path / "brand.yaml"
    brand.write_text(f"organisation: X\nonline_url: '{url}'\n")
    with pytest.raises(HandoutError) as caught:
        load_brand(brand)
    assert [str(p) for p in caught.value.problems] == [
        f"{display_path(brand)}:2:13: online_url: {message}"
    ]


def test_online_address_is_filled_in_literally() -> None:
    brand = load_brand(ONLINE_BRAND).brand
    assert online_address(brand, "tools-handout", "en") == TOOLS_ONLINE
    assert online_address(load_brand().brand, "x", "en") is None


@pytest.mark.parametrize("pages", range(1, 14))
def test_saddle_stitch_order_folds_into_reading_order(pages: int) -> None:
    """Stacking the sides' sheets and folding them gives the pages in order: each sheet holds
    two leaves, outside in; blanks only after the last page."""
    sides = saddle_stitch_order(pages)
    total = len(sides) * 2
    assert total % 4 == 0 and total - 4 < pages <= total
    placed = [p for side in sides for p in side if p is not None]
    assert sorted(placed) == list(range(1, pages + 1))
    for i, (left, right) in enumerate(sides):
        outer, inner = (left, right) if i % 2 == 0 else (right, left)
        n = i + 1  # the page that reads on this side's inner half, from the front
        assert inner in (n, None) and outer in (total + 1 - n, None)


def test_booklet_pages_keep_their_links_and_bookmarks(pdfs) -> None:
    with pikepdf.open(pdfs[("booklet", False)]) as pdf:
        sides = {p.obj.objgen for p in pdf.pages}
        with pdf.open_outline() as outline:
            items = list(outline.root)
            for item in items:
                page = item.destination[0]
                assert page.objgen in sides
        for page in pdf.pages:
            width = float(page.mediabox[2])
            for annot in page.obj.get("/Annots", []):
                x0, _, x1, _ = (float(v) for v in annot.Rect)
                assert 0 <= x0 < x1 <= width
        assert len(items) > 3


# --- the front desk ----------------------------------------------------------------------------


def test_a_packet_gives_a_folded_layout_as_a_leaflet(tmp_path: Path) -> None:
    write_handout(tmp_path, "b.yaml", id="as-a-booklet", layout="booklet")
    write_handout(tmp_path, "s.yaml", id="on-a-sheet", layout="sheet")
    packet = make_packet(["as-a-booklet", "on-a-sheet"], [tmp_path])
    with pikepdf.open(io.BytesIO(packet.data)) as pdf:
        sizes = {(float(p.mediabox[2]), float(p.mediabox[3])) for p in pdf.pages}
    assert sizes == {(612.0, 792.0)}  # no landscape sheet to fold in a packet
    # a sheet has no large print: in a large-print packet it is a large-print leaflet
    large = make_packet(["on-a-sheet"], [tmp_path], large_print=True)
    regular = make_packet(["on-a-sheet"], [tmp_path])
    assert large.pages > regular.pages


# --- right to left ------------------------------------------------------------------------------

ARABIC = TESTS / "languages" / "ar.yaml"


def test_right_to_left_layouts_open_the_other_way(tmp_path: Path) -> None:
    """An Arabic sheet reads its right column first; an Arabic booklet is bound on the right
    (page 1 on the left half of the first side) and an Arabic trifold's front cover is on the
    left of the outside. Each is still tagged in its own reading order. (Latin words of the
    Arabic handout mark the places: its medicine's name, the organisation, the address.)"""
    sheet = build_layout(tmp_path, "sheet", source=ARABIC)
    with pdfplumber.open(sheet) as doc:
        page = doc.pages[0]
        names = page.search("Paracetamol")
        assert names and all(n["x0"] > page.width / 2 for n in names)  # the right column first
    booklet = build_layout(tmp_path, "booklet", source=ARABIC)
    (first_left, first_right), (second_left, second_right) = _parts(booklet, 2)
    assert "Riverside" in flat(first_left) and not first_right.strip()  # page 1, blank back
    assert "clinic.example" in flat(second_left)  # page 3, on the left of side 2
    assert "clinic.example" not in flat(second_right)
    trifold = build_layout(tmp_path, "trifold", source=ARABIC)
    [(front, back, flap), _] = _parts(trifold, 3)
    assert "Riverside" in flat(front) and "clinic.example" not in flat(front)
    assert "clinic.example" in flat(back)
    assert "Paracetamol" in flat(flap) and "Riverside" not in flat(flap)
    for pdf in (sheet, booklet, trifold):
        assert check_pdf(pdf) == []
