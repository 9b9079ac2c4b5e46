"""Packets: the cover sheet, the handouts after it, and every way a request can be wrong."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from fixtures import (
    AMI,
    DATA,
    ESPALDA,
    KNEE,
    LONG,
    approved,
    flat,
    library_handout,
    pdf_pages,
    pdf_text,
    reading_order_problems,
    structure_parts,
    structure_texts,
    write_library,
    write_yaml,
)
from handout_builder import build, load_handout
from handout_builder.cli import main
from handout_builder.errors import HandoutError, PacketError
from handout_builder.frontdesk.catalogue import Catalogue
from handout_builder.frontdesk.packet import (
    MAX_FROM,
    MAX_NAME,
    MAX_NOTE,
    MAX_TOPICS,
    build_bundle,
    plan_bundle,
)
from handout_builder.pdf.join import Part, join
from handout_builder.pdf.pdfua import check_pdf
from pdf_validator import richness_problems, validate

NAME = "Zoë O'Brien <b>&"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_library(tmp_path_factory.mktemp("handouts"))


@pytest.fixture(scope="module")
def catalogue(library: Path) -> Catalogue:
    return Catalogue([library])


def test_cover_prints_name_date_note_and_topics_literally(catalogue: Catalogue) -> None:
    note = "Take it with **food** & water.\nCall us if <anything> worries you \\ *twice*."
    made = build_bundle(
        [AMI, LONG], catalogue, patient=f"  {NAME} ", note=note, date=dt.date(2025, 3, 4)
    )
    cover = flat(pdf_pages(made.data)[0])
    assert f"Prepared for: {NAME}" in cover
    assert "Date: March 4, 2025" in cover
    assert "A note from your care team" in cover
    assert "Take it with **food** & water." in cover
    assert "Call us if <anything> worries you \\ *twice*." in cover
    assert "1. Amitriptyline for spinal stenosis (2 pages)" in cover
    assert "2. Living with sciatica (3 pages)" in cover
    assert [t.id for t in made.topics] == [AMI, LONG]


def test_cover_says_who_it_is_from_and_the_plan_counts_its_pages(catalogue: Catalogue) -> None:
    made = build_bundle([AMI, LONG], catalogue, given_by=" Dr  Lee, Spine team <b> ")
    cover = flat(pdf_pages(made.data)[0])
    assert "From: Dr Lee, Spine team <b>" in cover
    assert "Dr Lee" not in str(PdfReader(io.BytesIO(made.data)).metadata)
    plan = plan_bundle([AMI, LONG], catalogue, given_by="Dr Lee")
    assert plan.pages == made.pages == len(pdf_pages(made.data)) == 6
    assert [p.pages for p in plan.parts] == [2, 3] and plan.cover_pages == 1


SCRIPT_NAMES = {
    "王小明": "DroidSansFallback",
    "陳大文": "DroidSansFallback",
    "김민준": "NanumGothic",
    "محمد علي": "NotoSansArabic",
    "אנה כהן": "NotoSansHebrew",
    "अनीता शर्मा": "NotoSansDevanagari",
    "আমিনা": "NotoSansBengali",
    "Ольга Петрова": "AtkinsonHyperlegible",
    "Nguyễn Thị Hương": "AtkinsonHyperlegible",
    "Ζωή Παπαδοπούλου": "AtkinsonHyperlegible",
    "Zoë 😀": "DejaVuSans",
}
PLAIN = {"王小明", "陳大文", "김민준", "Ольга Петрова", "Nguyễn Thị Hương", "Ζωή Παπαδοπούλου"}


@pytest.mark.parametrize("name", list(SCRIPT_NAMES))
def test_a_name_in_any_script_prints_on_an_english_cover(
    catalogue: Catalogue, name: str, tmp_path: Path
) -> None:
    """The cover draws every writing system the builder has fonts for (docs/languages.md), so
    a name prints as typed whatever the packet's language: in the family for its script, and
    (where text extraction can follow the script's shaping) read back exactly."""
    made = build_bundle([KNEE], catalogue, patient=name, given_by=name)
    pdf = tmp_path / "packet.pdf"
    pdf.write_bytes(made.data)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert SCRIPT_NAMES[name] in fonts
    if name in PLAIN:
        cover = pdf_text(made.data).split("\n")
        assert f"Prepared for: {name}" in cover and f"From: {name}" in cover


def test_cover_without_patient_text_has_no_empty_labels(catalogue: Catalogue) -> None:
    made = build_bundle([KNEE], catalogue, date="2025-12-31")
    cover = flat(pdf_pages(made.data)[0])
    assert "Prepared for" not in cover
    assert "A note from your care team" not in cover
    assert "Date: December 31, 2025" in cover
    assert "1. Knee pain basics (1 page)" in cover


def test_each_handout_keeps_its_own_page_numbers(catalogue: Catalogue) -> None:
    made = build_bundle([LONG, KNEE, AMI], catalogue)
    pages = pdf_pages(made.data)
    numbers = [re.findall(r"Page (\d+) of (\d+)", text) for text in pages]
    assert numbers == [
        [],
        [("1", "3")],
        [("2", "3")],
        [("3", "3")],
        [("1", "1")],
        [("1", "2")],
        [("2", "2")],
    ]
    assert made.pages == len(pages) == 7
    assert "Living with sciatica" in pages[1]
    assert "Knee pain basics" in pages[4]
    assert "Amitriptyline for spinal stenosis" in pages[5]


def test_packet_outline_has_the_cover_and_each_handout_at_its_first_page(
    catalogue: Catalogue,
) -> None:
    reader = PdfReader(io.BytesIO(build_bundle([LONG, KNEE], catalogue).data))
    top = [
        (item.title, reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]
    assert top == [("Information for you", 0), ("Living with sciatica", 1), ("Knee pain basics", 4)]


def test_paper_size_is_used_for_cover_and_handouts(catalogue: Catalogue) -> None:
    reader = PdfReader(io.BytesIO(build_bundle([KNEE], catalogue, paper="a4").data))
    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    }
    assert sizes == {(595, 842)}


def test_large_print_packet_uses_18_point_text(catalogue: Catalogue) -> None:
    import pdfplumber

    def body_size(data: bytes) -> float:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            sizes = Counter(round(c["size"], 1) for page in pdf.pages[1:] for c in page.chars)
        return sizes.most_common(1)[0][0]

    regular = build_bundle([KNEE], catalogue).data
    large = build_bundle([KNEE], catalogue, large_print=True).data
    assert body_size(regular) == 12.0
    assert body_size(large) == 18.0


def test_cover_speaks_the_language_of_its_handouts(catalogue: Catalogue) -> None:
    cover = flat(pdf_pages(build_bundle([ESPALDA], catalogue, patient="Ana").data)[0])
    assert "Información para usted" in cover
    assert "Preparado para: Ana" in cover
    mixed = flat(pdf_pages(build_bundle([ESPALDA, KNEE], catalogue).data)[0])
    assert "Information for you" in mixed


def test_repeated_ids_are_printed_once(catalogue: Catalogue) -> None:
    made = build_bundle([KNEE, KNEE, " knee-pain-basics "], catalogue)
    assert [t.id for t in made.topics] == [KNEE]


@pytest.mark.parametrize(
    ("kwargs", "field", "reason"),
    [
        ({"ids": []}, "topic", "Choose at least one topic."),
        ({"ids": ["", "  "]}, "topic", "Choose at least one topic."),
        (
            {"ids": [KNEE, "no-such-topic", "other"]},
            "topic",
            "There is no topic with the id 'no-such-topic', 'other'.",
        ),
        (
            {"patient": "x" * (MAX_NAME + 1)},
            "patient",
            f"The name is too long: {MAX_NAME + 1} characters; the limit is {MAX_NAME}. "
            "Please shorten it.",
        ),
        (
            {"note": "y" * (MAX_NOTE + 1)},
            "note",
            f"The note is too long: {MAX_NOTE + 1} characters; the limit is {MAX_NOTE}. "
            "Please shorten it.",
        ),
        (
            {"given_by": "z" * (MAX_FROM + 1)},
            "from",
            f"The 'From' is too long: {MAX_FROM + 1} characters; the limit is {MAX_FROM}. "
            "Please shorten it.",
        ),
        (
            {"ids": [f"t{n}" for n in range(MAX_TOPICS + 1)]},
            "topic",
            f"Choose at most {MAX_TOPICS} topics (you chose {MAX_TOPICS + 1}).",
        ),
        (
            {"patient": "Ann \U0001d11e"},
            "patient",
            "The name has characters that cannot be printed: \U0001d11e. Please remove them "
            "(they would print as empty boxes).",
        ),
        (
            {"date": "2025-02-30"},
            "date",
            "The date must be a real date written like 2025-11-21.",
        ),
        ({"paper": "legal"}, "paper", "The paper size must be one of letter, a4."),
        (
            {"note": "Take \u202e2 daily\u202c"},
            "note",
            "The note has invisible direction controls (U+202C, U+202E) that could make it "
            "read differently on paper; type it again without them.",
        ),
    ],
)
def test_bad_requests_are_refused_with_a_clear_reason_beside_its_field(
    catalogue: Catalogue, kwargs: dict, field: str, reason: str
) -> None:
    ids = kwargs.pop("ids", [KNEE])
    with pytest.raises(PacketError) as caught:
        build_bundle(ids, catalogue, **kwargs)
    assert (field, reason) in zip(caught.value.fields, caught.value.reasons, strict=True)


def test_every_reason_is_given_at_once(catalogue: Catalogue) -> None:
    with pytest.raises(PacketError) as caught:
        build_bundle(["nope"], catalogue, patient="x" * 500, note="y" * 900)
    assert len(caught.value.reasons) == 3


def test_limits_are_inclusive(catalogue: Catalogue) -> None:
    made = build_bundle([KNEE], catalogue, patient="n" * MAX_NAME, note="m" * MAX_NOTE)
    squeezed = "".join(pdf_pages(made.data)[0].split())  # long words wrap
    assert "n" * MAX_NAME in squeezed and "m" * MAX_NOTE in squeezed


def test_a_broken_handout_cannot_be_printed_but_others_can(tmp_path: Path) -> None:
    folder = write_library(tmp_path, {KNEE: library_handout(KNEE, "Knee pain basics")})
    (folder / "broken.yaml").write_text("schema: 1\nid: broken\ntitle: [unclosed\n")
    catalogue = Catalogue([folder])
    with pytest.raises(HandoutError) as caught:
        build_bundle(["broken", KNEE], catalogue)
    assert "broken.yaml:3:8: YAML syntax error" in str(caught.value)
    assert build_bundle([KNEE], catalogue).pages == 2


def test_cli_bundle_writes_the_packet(library: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "packet.pdf"
    result = CliRunner().invoke(
        main,
        [
            "bundle",
            str(library),
            KNEE,
            AMI,
            "-o",
            str(target),
            "--patient",
            NAME,
            "--note",
            "See you Monday",
            "--date",
            "2025-06-01",
            "--paper",
            "a4",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "(4 pages: cover and 2 handouts)" in result.output
    # the checks' warnings of the topics in the packet ("stenosis" is jargon)
    assert '"stenosis" is medical jargon' in result.stdout
    assert "[warning HB-JARGON-001]" in result.stdout
    cover = flat(pdf_pages(target.read_bytes())[0])
    assert NAME in cover and "See you Monday" in cover and "June 1, 2025" in cover
    assert sorted(p.name for p in target.parent.iterdir()) == ["packet.pdf"]


def test_cli_bundle_refuses_bad_requests_and_keeps_the_old_file(
    library: Path, tmp_path: Path
) -> None:
    target = tmp_path / "packet.pdf"
    target.write_bytes(b"earlier packet")
    result = CliRunner().invoke(
        main,
        ["bundle", str(library), "nope", "-o", str(target), "--force", "--patient", "x" * 101],
    )
    assert result.exit_code == 2
    assert "There is no topic with the id 'nope'." in result.output
    assert "The name is too long: 101 characters; the limit is 100." in result.output
    assert target.read_bytes() == b"earlier packet"
    assert list(tmp_path.iterdir()) == [target]


def test_cli_bundle_reports_a_broken_handout_with_its_place(tmp_path: Path) -> None:
    write_yaml(tmp_path / "bad.yaml", library_handout("bad-one", "Bad", review_due="2020-01-01"))
    result = CliRunner().invoke(
        main, ["bundle", "bad-one", "-o", str(tmp_path / "p.pdf"), "--from", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert re.search(r"bad\.yaml:\d+:\d+: review_due: must be after last_reviewed", result.output)
    assert not (tmp_path / "p.pdf").exists()


# --- Tagged packets (PDF/UA-1): the checker, reading order, bookmarks, metadata ---------------


def _saved(data: bytes, folder: Path, name: str = "packet.pdf") -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """Two handouts whose references are links, so each part has link annotations."""
    data = {}
    for n in (1, 2):
        data[f"linked-{n}"] = approved(
            {
                **library_handout(f"linked-{n}", f"Linked handout {n}"),
                "references": [
                    {"citation": f"Source {n}{x}.", "url": f"https://medlineplus.gov/{n}{x}"}
                    for x in "ab"
                ],
            }
        )
    return Catalogue([write_library(tmp_path_factory.mktemp("linked"), data)])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"ids": [AMI, LONG], "patient": NAME, "note": "Line one.\n\nLine two."},
        {"ids": [KNEE, AMI], "large_print": True, "patient": "Ann"},
        {"ids": [ESPALDA, KNEE], "paper": "a4"},
    ],
    ids=["note", "large-print", "mixed-languages-a4"],
)
def test_packet_passes_the_pdfua_checker(
    catalogue: Catalogue, tmp_path: Path, kwargs: dict
) -> None:
    made = build_bundle(kwargs.pop("ids"), catalogue, **kwargs)
    assert check_pdf(_saved(made.data, tmp_path)) == []


def test_links_of_every_part_stay_reachable(linked: Catalogue, tmp_path: Path) -> None:
    """Each part numbers its pages and links from 0; joined, every number must be unique."""
    made = build_bundle(["linked-1", "linked-2"], linked)
    assert check_pdf(_saved(made.data, tmp_path)) == []
    with pikepdf.open(io.BytesIO(made.data)) as pdf:
        keys = [int(p.obj.StructParents) for p in pdf.pages]
        links = [a for p in pdf.pages for a in p.obj.get("/Annots", [])]
        keys += [int(a.StructParent) for a in links]
        assert len(links) == 4
        assert len(set(keys)) == len(keys)
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) == max(keys) + 1


def test_packet_reads_the_cover_then_each_handout_in_order(
    catalogue: Catalogue, library: Path, tmp_path: Path
) -> None:
    made = build_bundle(
        [AMI, LONG],
        catalogue,
        patient=NAME,
        note="Line one.\n\nLine two.",
        date=dt.date(2025, 3, 4),
    )
    cover, *handouts = structure_parts(_saved(made.data, tmp_path))
    assert cover == [
        "Information for you",
        f"Prepared for: {NAME}",
        "Date: March 4, 2025",
        "A note from your care team",
        "Line one.",
        "Line two.",
        "In this packet",
        "1.",
        "Amitriptyline for spinal stenosis (2 pages)",
        "2.",
        "Living with sciatica (3 pages)",
    ]
    assert len(handouts) == 2
    for texts, topic in zip(handouts, [AMI, LONG], strict=True):
        assert reading_order_problems(texts, load_handout(library / f"{topic}.yaml")) == []
        alone = _saved(catalogue.render(topic).data, tmp_path, f"{topic}.pdf")
        assert texts == structure_texts(alone)


def test_a_cover_longer_than_a_page_splits_its_note(catalogue: Catalogue, tmp_path: Path) -> None:
    lines = [f"Line {n}." for n in range(60)]
    note = "\n".join(lines)[:MAX_NOTE].rsplit("\n", 1)[0]
    made = build_bundle([KNEE], catalogue, note=note, large_print=True)
    path = _saved(made.data, tmp_path)
    assert made.pages == len(pdf_pages(made.data))
    assert made.pages - catalogue.render(KNEE, large_print=True).pages >= 2
    assert check_pdf(path) == []
    cover = structure_parts(path)[0]
    assert cover[cover.index("Line 0.") :][: note.count("\n") + 1] == note.split("\n")


def _outline(pdf: pikepdf.Pdf) -> list[tuple[str, int, list]]:
    """Each bookmark: its title, the index of its page and its kids."""
    pages = {p.obj.objgen: n for n, p in enumerate(pdf.pages)}

    def walk(items: list[pikepdf.OutlineItem], shift: int) -> list[tuple[str, int, list]]:
        return [
            (i.title, pages[i.destination[0].objgen] + shift, walk(i.children, shift))
            for i in items
        ]

    with pdf.open_outline() as outline:
        return walk(outline.root, 0)


def test_each_handouts_own_bookmarks_sit_under_it(catalogue: Catalogue) -> None:
    with pikepdf.open(io.BytesIO(build_bundle([KNEE, LONG], catalogue).data)) as pdf:
        packet = _outline(pdf)
    expected = [("Information for you", 0, [])]
    first = 1
    for topic in (KNEE, LONG):
        rendered = catalogue.render(topic)
        with pikepdf.open(io.BytesIO(rendered.data)) as alone:
            own = _outline(alone)
        assert own, f"{topic} has no bookmarks of its own"
        expected.append((catalogue.get(topic).title, first, _shifted(own, first)))
        first += rendered.pages
    assert packet == expected


def _shifted(items: list[tuple[str, int, list]], by: int) -> list[tuple[str, int, list]]:
    return [(title, page + by, _shifted(kids, by)) for title, page, kids in items]


def test_a_handout_in_another_language_says_so_in_its_part(catalogue: Catalogue) -> None:
    with pikepdf.open(io.BytesIO(build_bundle([ESPALDA, KNEE], catalogue).data)) as pdf:
        document = pdf.Root.StructTreeRoot.K
        parts = list(document.K)
        assert str(pdf.Root.Lang) == "en"
        assert str(document.S) == "/Document"
        assert [str(p.S) for p in parts] == ["/Part"] * 3
        assert [str(p.get("/Lang", "")) for p in parts] == ["", "es", ""]
        assert {p.P.objgen for p in parts} == {document.objgen}


def test_packet_metadata_names_the_packet_never_the_patient(catalogue: Catalogue) -> None:
    made = build_bundle([KNEE, AMI], catalogue, patient=NAME, note="Private words")
    with pikepdf.open(io.BytesIO(made.data)) as pdf:
        info = {key: str(value) for key, value in pdf.docinfo.items()}
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert pdf.Root.PageMode == pikepdf.Name.UseOutlines
    assert info["/Title"] == "Information for you"
    assert info["/Author"] == "Your Clinic"
    assert info["/Creator"].startswith("handout-builder ")
    assert info["/Subject"] == "Knee pain basics; Amitriptyline for spinal stenosis"
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    for private in ("O'Brien", "O&apos;Brien", "Private words"):
        assert private not in xmp and all(private not in v for v in info.values())


def test_the_same_request_gives_the_same_bytes(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    kwargs = {"patient": "Ann", "note": "See you soon", "date": "2025-01-02"}
    first = build_bundle([LONG, AMI], catalogue, **kwargs).data
    assert build_bundle([LONG, AMI], catalogue, **kwargs).data == first
    assert build_bundle([LONG, AMI], catalogue, **{**kwargs, "patient": "Bo"}).data != first


def _changed(data: bytes, change) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _second_top(pdf: pikepdf.Pdf) -> None:
    root = pdf.Root.StructTreeRoot
    extra = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root)
    )
    root.K = pikepdf.Array([root.K, extra])


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda pdf: pdf.Root.__delitem__("/StructTreeRoot"), "part 2 is not a tagged PDF"),
        (
            lambda pdf: setattr(
                pdf.Root.StructTreeRoot, "RoleMap", pikepdf.Dictionary(Note2=pikepdf.Name.P)
            ),
            "part 2: a RoleMap cannot be joined",
        ),
        (_second_top, "part 2: the structure tree does not hold one Document element"),
    ],
    ids=["untagged", "role-map", "two-tops"],
)
def test_join_refuses_a_part_it_cannot_keep_whole(
    catalogue: Catalogue, tmp_path: Path, change, reason: str
) -> None:
    tagged = catalogue.render(KNEE).data
    assert check_pdf(_saved(join([Part(tagged, "a"), Part(tagged, "b")]), tmp_path)) == []
    with pytest.raises(ValueError, match=reason):
        join([Part(tagged, "a"), Part(_changed(tagged, change), "b")])


def test_join_needs_a_part() -> None:
    with pytest.raises(ValueError, match="nothing to join"):
        join([])


def test_join_names_every_font_subset_and_element_id_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each part names its font subsets from AAAAAA and its header cells from th-1: joined,
    every subset has a tag of its own and every ID (with the Headers naming it) a part prefix,
    the same way every time."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    [built] = build([DATA / "full-handout.yaml"], tmp_path)
    data = built.output.read_bytes()
    joined = join([Part(data, "first"), Part(data, "second")])
    assert join([Part(data, "first"), Part(data, "second")]) == joined
    with pikepdf.open(io.BytesIO(data)) as alone:
        own = {str(f.BaseFont) for p in alone.pages for f in p.Resources.Font.values()}
    path = _saved(joined, tmp_path, "joined.pdf")
    with pikepdf.open(path) as pdf:
        fonts = {f.objgen: str(f.BaseFont) for p in pdf.pages for f in p.Resources.Font.values()}
        ids = [bytes(k) for k in pdf.Root.StructTreeRoot.IDTree.Names[::2]]
    assert len(fonts) == 2 * len(own) == len(set(fonts.values()))
    assert own <= set(fonts.values())  # the first part keeps its names
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == 12  # 6 header cells a part
    assert {i.split(b"-")[0] for i in ids} == {b"part1", b"part2"}
    assert richness_problems(path) == []
    assert validate(path).failures == []
