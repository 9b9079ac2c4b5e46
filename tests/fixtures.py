"""What the tests share: handouts written into temporary folders (approved, with the fingerprint of
their content, unless a test asks for a draft), a small front-desk library, and readers for what
users get (page text in reading order, the structure tree a screen reader reads, what it should
read). Imported by the tests as ``fixtures``; pytest's own hooks and fixtures are in
``conftest.py``.
"""

from __future__ import annotations

import copy
import io
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pdfplumber
import pydantic
import pypdf
import yaml
from click.testing import CliRunner, Result
from pypdf import PdfReader

from handout_builder.cli import main
from handout_builder.inline import plain_text
from handout_builder.layout.furniture import leaflet_lines
from handout_builder.look.brand import Brand, brand_fields, load_brand, online_address
from handout_builder.look.labels import labels_for
from handout_builder.model import Block, Handout
from handout_builder.source.approval import fingerprint

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
DATA = TESTS / "data"  # test inputs shared by more than one stage
SHIPPED = sorted(p for p in (REPO / "handouts").glob("*.yaml") if p.name != "brand.yaml")
TOOLS = DATA / "tools-handout.yaml"  # short: key facts, pictograms, checklist, steps, a diary
ONLINE_BRAND = DATA / "online" / "brand.yaml"  # a wide logo and an online_url (a QR code)
TOOLS_ONLINE = "https://clinic.example/handouts/en/tools-handout"  # TOOLS' address in that brand

LAYOUT_CASES: list[tuple[str, bool]] = [
    ("leaflet", False),
    ("leaflet", True),
    ("sheet", False),
    ("booklet", False),
    ("booklet", True),
    ("trifold", False),
]
"""Every layout, and its large print where it has one: (layout, large print). Each is one more
PDF for every check of built PDFs (``build_layout`` makes it)."""


def layout_case_id(case: tuple[str, bool]) -> str:
    return case[0] + ("-large-print" if case[1] else "")


def build_layout(
    out: Path,
    layout: str,
    large_print: bool = False,
    source: Path = TOOLS,
    brand: Path | None = ONLINE_BRAND,
) -> Path:
    """Build ``source`` in ``layout`` into ``out`` (the short tools handout, with the brand
    that has a QR code, by default); give the PDF."""
    from handout_builder import build

    [result] = build([source], out, brand, layout=layout, large_print=large_print)
    assert result.status == "built", [str(p) for p in result.problems]
    assert result.output is not None
    return result.output


MINIMAL: dict[str, Any] = {
    "schema": 2,
    "status": "draft",
    "id": "test-handout",
    "title": "Test handout",
    "subtitle": "For the test suite",
    "version": "1.0",
    "last_reviewed": "2026-01-01",
    "review_due": "2099-01-01",
    "reviewed_by": "Test Reviewer",
    "tags": ["test"],
    "key_points": ["Key fact one.", "Key fact two.", "Key fact three."],
    "overview": ["OVERVIEW-MARK plain paragraph."],
    "seek_care": {"emergency": {"items": ["You cannot breathe."]}},
    "references": [{"citation": "Test source.", "url": "https://medlineplus.gov/"}],
}
CLINIC_BRAND = """\
organisation: Northside Family Practice
contact:
  phone: "Phone: 614-555-2368"
  website: northside-family.org
emergency_number: "911"
crisis_line: "988"
"""
"""A clinic's own brand: no placeholder details, so strict and release builds accept it."""
UK_BRAND = """\
organisation: Riverside Surgery
contact:
  phone: "Tel: 020 7946 0321"
  website: riverside-surgery.nhs.uk
paper: a4
emergency_number: "999"
crisis_line: "116 123"
"""


def write_brand(folder: Path, text: str = CLINIC_BRAND) -> Path:
    """``text`` as ``folder/brand.yaml``, the brand a build of ``folder`` uses."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "brand.yaml"
    path.write_text(text, encoding="utf-8")
    return path


APPROVER = "Test Approver, MD"
APPROVED_ON = "2026-01-02"
DRAFT_NOTICE = "DRAFT — not approved for patient use"


def run_cli(*args: str | Path, cwd: Path | None = None) -> Result:
    """``handout ARGS`` run in this process, from ``cwd`` (the working folder by default): the
    exit code, and what went to stdout and to stderr, apart."""
    previous = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, [str(a) for a in args])
    finally:
        os.chdir(previous)


def allowing(*rules: tuple[str, str]) -> list[dict[str, str]]:
    """``allow:`` entries (rule, at) for a test handout whose text is not written for patients
    (a layout test's giant words, say), so the checks that gate builds let it through."""
    reason = "Test input for the layout, not text for patients."
    return [{"rule": rule, "at": at, "reason": reason} for rule, at in rules]


def handout_data(*, draft: bool = False, **changes: Any) -> dict[str, Any]:
    """The minimal handout with ``changes``: approved (by ``APPROVER`` on ``APPROVED_ON``, for
    exactly this content) unless ``draft`` or the data is not a valid handout."""
    data = copy.deepcopy(MINIMAL)
    data.update(changes)
    return data if draft else approved(data)


def approved(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (schema 2) approved for the content it holds; unchanged if it is not valid."""
    if data.get("schema") != 2:
        return data
    content = {k: v for k, v in data.items() if k not in ("status", "approval")}
    try:
        handout = Handout.model_validate({**content, "status": "draft"})
    except pydantic.ValidationError:
        return data
    approval = {
        "by": APPROVER,
        "date": APPROVED_ON,
        "version": handout.version,
        "fingerprint": fingerprint(handout),
    }
    return {**content, "status": "approved", "approval": approval}


def approved_copy(path: Path, folder: Path, **missing: Any) -> Path:
    """A copy of the handout at ``path`` in ``folder``, approved for its content (comments are
    not copied); ``missing`` gives fields the handout does not have."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()}
    data = {**missing, **data}
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    write_yaml(target, approved(data))
    return target


def write_handout(
    folder: Path, name: str = "test.yaml", *, draft: bool = False, **changes: Any
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        yaml.safe_dump(handout_data(draft=draft, **changes), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return path


def pdf_pages_text(path: Path | bytes) -> list[str]:
    """The text of each page, in reading order (top to bottom, left to right)."""
    source = io.BytesIO(path) if isinstance(path, bytes) else path
    with pdfplumber.open(source) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def pdf_text(path: Path | bytes) -> str:
    return "\n".join(pdf_pages_text(path))


def reader(path: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(str(path))


def long_table_handout(folder: Path, rows: int = 60) -> Path:
    """A handout whose side-effect table (columns HEAD-EFFECT, HEAD-ACTION; rows ROW-00...)
    runs over several pages."""
    data = [
        [f"ROW-{i:02d} effect", "What to do about it, in a sentence that wraps a little."]
        for i in range(rows)
    ]
    table = {
        "title": "Many side effects",
        "columns": ["HEAD-EFFECT", "HEAD-ACTION"],
        "groups": [{"label": "Common", "rows": data}],
    }
    return write_handout(folder, side_effects=[table])


# --- the front desk's handout library ---------------------------------------------------------

AMI = "amitriptyline-stenosis"
KNEE = "knee-pain-basics"
ESPALDA = "dolor-de-espalda"
LONG = "living-with-sciatica"


def library_handout(
    handout_id: str,
    title: str,
    *,
    tags: list[str] = (),
    conditions: list[str] = (),
    medication: dict | None = None,
    language: str = "en",
    subtitle: str | None = None,
    paragraphs: int = 2,
    review_due: str = "2099-01-01",
    draft: bool = False,
) -> dict:
    """The data of a valid handout that passes its checks, approved unless ``draft``;
    ``paragraphs`` makes it longer (about 8 per page)."""
    body = [
        f"Paragraph {n} about {title.lower()}. " + "It explains one thing in plain words. " * 8
        for n in range(1, paragraphs + 1)
    ]
    data = {
        "schema": 2,
        "status": "draft",
        "id": handout_id,
        "title": title,
        "language": language,
        "version": "1.0",
        "last_reviewed": "2025-01-01",
        "review_due": review_due,
        "reviewed_by": "Test Clinician, MD",
        "tags": list(tags),
        "conditions": list(conditions),
        "overview": body,
    }
    if subtitle:
        data["subtitle"] = subtitle
    if medication:
        data["medications"] = [medication]
        data["side_effects"] = [
            {
                "title": f"Side effects of {medication['name']}",
                "groups": [{"label": "Common", "rows": [["Dry mouth", "Sip water."]]}],
            }
        ]
    data["seek_care"] = {"emergency": {"items": ["You cannot breathe."]}}
    data["references"] = [{"citation": f"A source about {title.lower()}. 2025."}]
    return data if draft else approved(data)


def library_data() -> dict[str, dict]:
    return {
        AMI: library_handout(
            AMI,
            "Amitriptyline for spinal stenosis",
            tags=["back-pain", "medicines"],
            conditions=["Lumbar spinal stenosis"],
            subtitle="How it may help and how to take it",
            medication={
                "name": "Amitriptyline",
                "other_names": ["Elavil"],
                "used_for": ["Nerve pain."],
                "how_to_take": ["Once a day at night."],
                "avoid": [
                    "Do not stop it suddenly.",
                    "Other medicines that can cause serotonin syndrome.",
                    "Taking too much. An overdose can kill.",
                ],
                "tips": ["Call {crisis_line} if you have thoughts of suicide."],
            },
        ),
        KNEE: library_handout(
            KNEE,
            "Knee pain basics",
            tags=["knee", "exercise"],
            conditions=["Osteoarthritis of the knee"],
        ),
        ESPALDA: library_handout(
            ESPALDA,
            "Dolor de espalda",
            tags=["back-pain"],
            language="es",
            conditions=["Síntomas de la espalda"],
        ),
        LONG: library_handout(LONG, "Living with sciatica", tags=["back-pain"], paragraphs=13),
    }


def write_library(folder: Path, data: dict[str, dict] | None = None) -> Path:
    """Write the test handouts (one YAML file each) into ``folder``; give the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for handout_id, content in (data or library_data()).items():
        write_yaml(folder / f"{handout_id}.yaml", content)
    return folder


KNEE_ES = "dolor-de-rodilla"
KNEE_ZH = "knee-pain-zh"


def coded_library(folder: Path) -> Path:
    """The test library with codes on two topics, and the knee topic in Spanish and Chinese."""
    data = library_data()
    data[AMI]["codes"] = [
        {"system": "icd-10-cm", "code": "M48.06", "display": "Spinal stenosis, lumbar region"},
        {"system": "snomed-ct", "code": "18347007"},
        {"system": "rxnorm", "code": "704", "display": "Amitriptyline"},
    ]
    data[KNEE]["codes"] = [{"system": "icd-10-cm", "code": "M17", "display": "Osteoarthritis"}]
    data[KNEE_ES] = {
        **data[KNEE],
        "id": KNEE_ES,
        "title": "Dolor de rodilla: lo básico",
        "language": "es",
        "translation_of": KNEE,
        "codes": [],
    }
    data[KNEE_ZH] = {**data[KNEE], "id": KNEE_ZH, "language": "zh", "translation_of": KNEE}
    return write_library(folder, {k: approved(v) for k, v in data.items()})  # for what they hold


def write_yaml(path: Path, content: dict) -> None:
    path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8")


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, in order."""
    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text() or "" for page in reader.pages]


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces folded, for phrase searches."""
    return " ".join(text.split())


# --- what the front-desk page shows ---------------------------------------------------------


class Results(HTMLParser):
    """The topics a page shows: {id or title: (shown, available)}, plus the visible text of each."""

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, dict] = {}
        self._current: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "li" and "topic" in (a.get("class") or ""):
            self._current = {
                "shown": "hidden" not in a,
                "text": "",
                "value": None,
                "available": "unavailable" not in (a.get("class") or ""),
            }
        elif tag == "input" and self._current is not None and a.get("type") == "checkbox":
            self._current["value"] = a.get("value")

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._current is not None:
            self._current["text"] = flat(self._current["text"])
            key = self._current["value"] or self._current["text"].split(" Unavailable")[0]
            self.items[key] = self._current
            self._current = None


def results(html: str) -> dict[str, dict]:
    parser = Results()
    parser.feed(html)
    return parser.items


# --- what a screen reader reads --------------------------------------------------------------

FOOTER_LABELS = {
    "page",
    "version",
    "reviewed",
    "review_due",
    "for",
    "draft",
    "draft_mark",
    "draft_title",
    "approved",
}
PLACES = ("overview", "symptoms", "medications", "side_effects", "seek_care")


def structure_texts(pdf: Path) -> list[str]:
    """The text of each structure element, in the order of the structure tree."""
    return [text for part in _struct_text(pdf, split=False) for text in part]


def structure_parts(pdf: Path) -> list[list[str]]:
    """The text of each structure element, one list per ``Part`` element (a packet's cover and
    each of its handouts), in the order of the structure tree."""
    return _struct_text(pdf, split=True)[1:]


def _struct_text(pdf: Path, split: bool) -> list[list[str]]:
    out = subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    parts: list[list[str]] = [[]]
    for line in out.splitlines():
        line = line.strip()
        if split and line.split(" ")[0] == "Part":
            parts.append([])
        elif len(line) >= 2 and line.startswith('"') and line.endswith('"'):
            parts[-1].append(_norm(line[1:-1]))
    return parts


def structure_roles(pdf: Path) -> list[str]:
    """The role of each structure element, in tree order."""
    out = subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    roles = []
    for line in out.splitlines():
        word = line.strip().split(" ")[0].rstrip(":")
        if word and word[0].isalpha() and word[0].isupper():
            roles.append(word)
    return roles


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _blocks(blocks: list[Block], language: str = "en") -> list[str]:
    out: list[str] = []
    for block in blocks:
        kind = block.kind
        value = getattr(block, kind)
        if kind in ("paragraph", "subheading"):
            out.append(value)
        elif kind in ("bullets", "steps"):
            out += [item.text for item in value]
        elif kind in ("numbered", "checklist"):
            out += value
        elif kind == "tracker":
            labels = labels_for(language)
            days = [labels["tracker_day"].format(n=n) for n in range(1, value.row_count + 1)]
            out += [value.title] if value.title else []
            out += [value.row_heading] if value.row_heading else []
            out += [*value.columns, *(value.rows or days)]
        elif kind == "table":
            out += [cell for row in value.rows for cell in row]
            out += [value.caption] if value.caption else []
        elif kind == "callout":
            out += [x for x in (value.title, value.text) if x] + value.bullets
        elif kind == "image":
            out += [value.caption] if value.caption else []
    return out


def expected_texts(h: Handout, brand: Brand | None = None) -> list[str]:
    """The handout's own text, in layout order (the YAML's order within each section), then
    what the brand (the built-in brand if None) adds at the end: its disclaimer, the address of
    the online version and the contact block."""

    def blocks(items: list[Block]) -> list[str]:
        return _blocks(items, h.language)

    def free(place: str) -> list[str]:
        out: list[str] = []
        for section in h.sections:
            if section.after == place:
                out += [section.heading, *blocks(section.blocks)]
        return out

    out: list[str] = [h.title, *([h.subtitle] if h.subtitle else [])]
    out += [point.text for point in h.key_points or []]
    if h.seek_care and h.seek_care.on_first_page and h.seek_care.emergency:
        first = h.seek_care.emergency
        out += [*([first.heading] if first.heading else []), *first.items]
    out += blocks(h.overview) + free("overview")
    out += blocks(h.symptoms) + free("symptoms")
    for med in h.medications:
        out += [med.name, *med.other_names, *([med.drug_class] if med.drug_class else [])]
        out += blocks(med.used_for) + blocks(med.how_to_take)
        out += [item.text for item in [*med.tips, *med.avoid]]
        out += blocks(med.dose_notes) + blocks(med.missed_dose)
    out += free("medications")
    for table in h.side_effects:
        out += [table.title, *([table.intro] if table.intro else [])]
        for group in table.groups:
            out += [group.label, *(cell for row in group.rows for cell in row)]
    out += free("side_effects")
    if h.seek_care:
        out += [h.seek_care.intro] if h.seek_care.intro else []
        for kind in ("emergency", "today", "next_visit"):
            tier = getattr(h.seek_care, kind)
            if tier:
                out += [*([tier.heading] if tier.heading else []), *tier.items]
                out += [tier.note] if tier.note else []
    out += free("seek_care")
    for entry in h.glossary:
        out += [entry.term, entry.meaning]
    for ref in h.references:
        out += [ref.citation, *([ref.url] if ref.url else [])]
    brand = brand or load_brand().brand
    out += [brand.disclaimer] if brand.disclaimer else []
    address = online_address(brand, h.id, h.language)
    out += [address] if address else []  # under the QR code of the online version
    approval = h.approval if h.status == "approved" else None  # as its fingerprint holds
    out += leaflet_lines(h, brand, approval)  # the contact block: contacts, version, review
    fields = {k: v for k, v in brand_fields(brand).items() if v is not None}
    return [_norm(plain_text(t, fields)) for t in out]


def allowed_words(h: Handout) -> list[str]:
    """What may be read besides the handout's text: labels, list labels, column names."""
    brand = load_brand().brand
    labels = labels_for(h.language)
    words = [
        value.replace("{number}", brand.emergency_number)
        for key, value in labels.items()
        if key not in FOOTER_LABELS
    ]  # the draft notice among them: a draft's first element
    for table in h.side_effects:
        words += table.columns
    for block in _all_blocks(h):
        if block.kind == "table":
            words += block.table.columns
    return sorted(words, key=len, reverse=True)


def large_print_layout(path: Path) -> str | None:
    """The layout to build a handout in for large print: its own, unless that has no large print
    (a sheet), then the leaflet, as the front desk gives it."""
    from handout_builder import load_handout
    from handout_builder.layout.layouts import LAYOUTS

    own = load_handout(path).layout
    return "leaflet" if own is not None and not LAYOUTS[own].large_print else None


def diary_rows(h: Handout) -> set[str]:
    """The row labels of the handout's diaries (trackers), as printed."""
    words = labels_for(h.language)
    out: set[str] = set()
    for block in _all_blocks(h):
        if block.kind == "tracker":
            days = range(1, block.tracker.row_count + 1)
            out.update(block.tracker.rows or (words["tracker_day"].format(n=n) for n in days))
    return out


def _all_blocks(h: Handout) -> list[Block]:
    out = list(h.overview) + list(h.symptoms)
    for med in h.medications:
        out += [*med.used_for, *med.how_to_take, *med.dose_notes, *med.missed_dose]
    for section in h.sections:
        out += section.blocks
    return out


def reading_order_problems(texts: list[str], h: Handout, brand: Brand | None = None) -> list[str]:
    """Why ``texts`` (what a screen reader reads) is not the handout in order, if it is not
    (built with ``brand``, the built-in brand if None)."""
    problems = []
    joined = " ".join(texts)
    cursor = 0
    spans = []
    for item in expected_texts(h, brand):
        found = joined.find(item, cursor)
        if found < 0:
            where = "earlier" if item in joined else "nowhere"
            problems.append(f"{item[:60]!r} is out of order (found {where})")
            continue
        spans.append((found, found + len(item)))
        cursor = found + len(item)
    leftover = list(joined)
    for start, end in spans:
        leftover[start:end] = [" "] * (end - start)
    rest = "".join(leftover)
    for word in allowed_words(h):
        rest = rest.replace(word, " ")
    rest = re.sub(r"\d+\.?|[•⚠☐:,\s]", "", rest)  # list labels, steps' numbers, tick boxes
    if rest:
        problems.append(f"read but not handout content: {rest[:200]!r}")
    return problems
