"""An independent PDF/UA-1 validator for the tests, and what the tests ask beyond it.

``validate(pdf)`` runs page-validation's PDF/UA-1 profile (the ``page`` package: 104 rules, written
to agree with the veraPDF test corpus) on a PDF file and gives a ``Verdict``: how many rules ran
and passed, and each failure with its rule, message, object and page. The validator names the
object of a failure (often only inside its message) but not always the page; the page is found
here from the object: a page, an annotation, a content stream or font a page uses, a structure
element and the page of its content.

``richness_problems(pdf)`` checks what the validator does not and the issue asks for: every code a
page shows maps to real text (not U+0000, U+FEFF, U+FFFE, nor a private-use character, unless an
``ActualText`` around it says the text), every
font subset has a name of its own, every list says how it is numbered (``ListNumbering``), every
table has ``THead``/``TBody`` and every data cell names its header cells (``Headers``, resolved
through the ``IDTree``).

``assert_accessible(pdf)`` fails a test with one line per problem of either kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import page
import pikepdf
from pikepdf import Name

PROFILE = page.ValidationProfile.PDF_UA_1
_OBJECT = re.compile(r"\bobject (\d+) (\d+)\b")
_PAGE = re.compile(r"\bpage (\d+)\b")


@dataclass(frozen=True)
class Failure:
    """One failed rule: its id, the validator's message, the object (``"12 0"``) and page."""

    rule: str
    message: str
    object: str | None
    page: int | None

    def __str__(self) -> str:
        where = f"object {self.object or '?'}, page {self.page or '?'}"
        return f"{self.rule} ({where}): {self.message}"


@dataclass(frozen=True)
class Verdict:
    """What the validator said about one PDF."""

    rules: int  # rules run
    passed: int
    checks_failed: int  # failed checks (one rule can fail on many objects)
    failures: list[Failure]

    @property
    def failed_rules(self) -> set[str]:
        return {f.rule for f in self.failures}


def validate(pdf: Path) -> Verdict:
    """page-validation's PDF/UA-1 verdict on ``pdf``, each failure with its page."""
    report = page.validate_pdf(pdf, profile=PROFILE)
    failures = []
    with pikepdf.open(pdf) as doc:
        pages = _page_index(doc)
        for failure in report.failures:
            number = _object_number(failure)
            failures.append(
                Failure(
                    failure.rule_id,
                    failure.message,
                    f"{number[0]} {number[1]}" if number else None,
                    _page_of(doc, pages, failure.message, number),
                )
            )
    return Verdict(report.rules.total, report.rules.passed, report.checks.failed, failures)


def _object_number(failure: page.ValidationFailure) -> tuple[int, int] | None:
    if failure.object_id is not None:
        return failure.object_id.object_number, failure.object_id.generation
    found = _OBJECT.search(failure.message)
    return (int(found[1]), int(found[2])) if found else None


def _page_index(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    """Page number of every page, and of each page's annotations, content streams and fonts."""
    index: dict[tuple[int, int], int] = {}
    for n, pg in enumerate(pdf.pages, 1):
        objs = [pg.obj, *pg.obj.get("/Annots", [])]
        contents = pg.obj.get("/Contents")
        objs += list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        resources = pg.obj.get("/Resources") or {}
        objs += list((resources.get("/Font") or {}).values())
        objs += list((resources.get("/XObject") or {}).values())
        for obj in objs:
            if isinstance(obj, pikepdf.Object) and obj.is_indirect:
                index.setdefault(obj.objgen, n)
    return index


def _page_of(
    pdf: pikepdf.Pdf,
    pages: dict[tuple[int, int], int],
    message: str,
    number: tuple[int, int] | None,
) -> int | None:
    said = _PAGE.search(message)
    if said:
        return int(said[1])
    if number is None:
        return None
    if number in pages:
        return pages[number]
    try:
        obj = pdf.get_object(number)
    except (pikepdf.PdfError, ValueError):
        return None
    for pg in _element_pages(obj):  # a structure element: the page of its first content
        if pg.objgen in pages:
            return pages[pg.objgen]
    return None


def _element_pages(elem: pikepdf.Object, depth: int = 0) -> Iterator[pikepdf.Object]:
    if not isinstance(elem, pikepdf.Dictionary) or depth > 50:
        return
    if "/Pg" in elem:
        yield elem.Pg
    for kid in _kids(elem):
        yield from _element_pages(kid, depth + 1)


def _kids(elem: pikepdf.Object) -> list[pikepdf.Object]:
    k = elem.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


# --- what the issue asks beyond the validator -----------------------------------------------

FORBIDDEN_TEXT = frozenset("\u0000\ufeff\ufffe")
SHOWING = frozenset({"Tj", "TJ", "'", '"'})


def richness_problems(pdf: Path) -> list[str]:
    """What ``pdf`` lacks of the tagging the issue asks for beyond PDF/UA-1 (see the module
    docstring); empty when it has it all."""
    with pikepdf.open(pdf) as doc:
        return [
            *shown_text_problems(doc),
            *subset_name_problems(doc),
            *structure_problems(doc),
        ]


def shown_text_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Every code a page shows, in every font, maps to real text through its ToUnicode CMap:
    to something, and not to U+0000, U+FEFF, U+FFFE or a private-use character, unless it is
    inside marked content whose ``ActualText`` gives the text instead (a cluster of shaped
    glyphs that is not one glyph per character)."""
    problems: list[str] = []
    maps: dict[tuple[int, int], dict[bytes, str]] = {}
    for n, pg in enumerate(pdf.pages, 1):
        fonts = (pg.obj.get("/Resources") or {}).get("/Font") or {}
        font: pikepdf.Object | None = None
        saved: list[pikepdf.Object | None] = []  # the font is part of the graphics state
        actual: list[bool] = []  # for each open marked-content sequence: has it ActualText?
        for ins in pikepdf.parse_content_stream(pg):
            op = str(ins.operator)
            if op == "q":
                saved.append(font)
            elif op == "Q" and saved:
                font = saved.pop()
            elif op in ("BMC", "BDC"):
                props = ins.operands[1] if op == "BDC" else None
                actual.append(isinstance(props, pikepdf.Dictionary) and "/ActualText" in props)
            elif op == "EMC" and actual:
                actual.pop()
            elif op == "Tf":
                font = fonts.get(str(ins.operands[0]))
            elif op in SHOWING and font is not None and not any(actual):
                if font.objgen not in maps:
                    maps[font.objgen] = unicode_map(font)
                problems += _unmapped(n, font, maps[font.objgen], ins.operands)
    return sorted(set(problems))


def _unmapped(n: int, font: pikepdf.Object, mapping: dict[bytes, str], operands: list) -> list[str]:
    name = str(font.get("/BaseFont", "?"))[1:]
    width = 2 if font.get("/Subtype") == Name.Type0 else 1
    out = []
    for code in _codes(operands, width):
        text = mapping.get(code)
        if text is None:
            out.append(f"page {n}: {name} shows code {code.hex()} with no text")
        elif FORBIDDEN_TEXT.intersection(text) or any(_private(c) for c in text):
            out.append(f"page {n}: {name} shows code {code.hex()} as {text.encode()!r}")
    return out


def _private(ch: str) -> bool:
    return 0xE000 <= ord(ch) <= 0xF8FF


def _codes(operands: list, width: int) -> Iterator[bytes]:
    for operand in operands:
        if isinstance(operand, pikepdf.String):
            data = bytes(operand)
            yield from (data[i : i + width] for i in range(0, len(data), width))
        elif isinstance(operand, pikepdf.Array):
            yield from _codes(list(operand), width)


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.DOTALL)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")


def unicode_map(font: pikepdf.Object) -> dict[bytes, str]:
    """A font's ToUnicode CMap as code -> text (bfchar and plain bfrange entries)."""
    cmap = font.get("/ToUnicode")
    if not isinstance(cmap, pikepdf.Stream):
        return {}
    data = cmap.read_bytes()
    out: dict[bytes, str] = {}

    def text(hex_digits: bytes) -> str:
        return bytes.fromhex(hex_digits.decode()).decode("utf-16-be", errors="surrogatepass")

    for block in _BFCHAR.findall(data):
        values = _HEX.findall(block)
        for src, dst in zip(values[::2], values[1::2], strict=False):
            out[bytes.fromhex(src.decode())] = text(dst)
    for block in _BFRANGE.findall(data):
        values = _HEX.findall(block)
        for lo, hi, dst in zip(values[::3], values[1::3], values[2::3], strict=False):
            start, end = int(lo, 16), int(hi, 16)
            first = text(dst)
            for offset, code in enumerate(range(start, end + 1)):
                key = code.to_bytes(len(bytes.fromhex(lo.decode())), "big")
                out[key] = first[:-1] + chr(ord(first[-1]) + offset)
    return out


def subset_name_problems(pdf: pikepdf.Pdf) -> list[str]:
    """No two different font subsets share a name (ISO 32000-1 §9.6.4)."""
    owners: dict[str, set[tuple[int, int]]] = {}
    for pg in pdf.pages:
        for font in ((pg.obj.get("/Resources") or {}).get("/Font") or {}).values():
            name = str(font.get("/BaseFont", ""))[1:]
            if re.match(r"^[A-Z]{6}\+", name):
                owners.setdefault(name, set()).add(font.objgen)
    return [
        f"{len(fonts)} different font subsets are named {name}"
        for name, fonts in sorted(owners.items())
        if len(fonts) > 1
    ]


def elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Every structure element, in tree order."""

    def walk(elem: pikepdf.Object, depth: int) -> Iterator[pikepdf.Object]:
        if isinstance(elem, pikepdf.Dictionary) and "/S" in elem and depth < 200:
            yield elem
            for kid in _kids(elem):
                yield from walk(kid, depth + 1)

    for top in _kids(pdf.Root.StructTreeRoot):
        yield from walk(top, 0)


def attribute(elem: pikepdf.Object, owner: str, key: str) -> pikepdf.Object | None:
    """The value of an attribute of ``owner`` (``/Table``, ``/List``) on ``elem``."""
    attrs = elem.get("/A")
    for a in list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]:
        if isinstance(a, pikepdf.Dictionary) and a.get("/O") == Name(owner) and key in a:
            return a[key]
    return None


def id_tree(pdf: pikepdf.Pdf) -> dict[bytes, tuple[int, int]]:
    """The structure tree's IDTree: element ID -> the element it names."""
    out: dict[bytes, tuple[int, int]] = {}

    def walk(node: pikepdf.Object, depth: int) -> None:
        names = list(node.get("/Names", []))
        for key, value in zip(names[::2], names[1::2], strict=False):
            out[bytes(key)] = value.objgen
        for kid in node.get("/Kids", []):
            if depth < 32:
                walk(kid, depth + 1)

    tree = pdf.Root.StructTreeRoot.get("/IDTree")
    if tree is not None:
        walk(tree, 0)
    return out


def structure_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Lists say how they are numbered; tables have THead and TBody, header cells an ID in the
    IDTree and data cells Headers naming header cells of their own table."""
    problems: list[str] = []
    ids = id_tree(pdf)
    pages = {pg.obj.objgen: n for n, pg in enumerate(pdf.pages, 1)}

    def on(elem: pikepdf.Object) -> str:
        first = next(_element_pages(elem), None)
        return f"page {pages.get(first.objgen, '?') if first is not None else '?'}: "

    for elem in elements(pdf):
        role = str(elem.S)[1:]
        if role == "L" and attribute(elem, "/List", "/ListNumbering") is None:
            problems.append(on(elem) + "a list (L) has no ListNumbering")
        if role != "Table":
            continue
        kids = [str(k.S)[1:] for k in _kids(elem) if isinstance(k, pikepdf.Dictionary)]
        if "TR" in kids or "THead" not in kids or "TBody" not in kids:
            problems.append(on(elem) + "a table's rows are not all in THead and TBody")
        cells = list(_table_cells(elem))
        headers = {c.objgen for c in cells if c.S == Name.TH}
        for cell in cells:
            if cell.S == Name.TH:
                if "/ID" not in cell or ids.get(bytes(cell.ID)) != cell.objgen:
                    problems.append(on(cell) + "a table header cell (TH) has no ID in the IDTree")
                continue
            named = attribute(cell, "/Table", "/Headers")
            if named is None or not list(named):
                problems.append(on(cell) + "a table data cell (TD) names no header (Headers)")
                continue
            for ref in named:
                if ids.get(bytes(ref)) not in headers:
                    problems.append(
                        on(cell) + f"a TD's Headers name {bytes(ref)!r}, no TH of its table"
                    )
    return sorted(set(problems))


def _table_cells(table: pikepdf.Object) -> Iterator[pikepdf.Object]:
    for group in _kids(table):
        if not isinstance(group, pikepdf.Dictionary) or "/S" not in group:
            continue
        rows = [group] if group.S == Name.TR else _kids(group)
        for row in rows:
            if isinstance(row, pikepdf.Dictionary) and row.get("/S") == Name.TR:
                yield from (c for c in _kids(row) if isinstance(c, pikepdf.Dictionary))


def assert_accessible(pdf: Path) -> Verdict:
    """Fail the test, one line per problem, unless ``pdf`` passes every rule of the validator's
    PDF/UA-1 profile and has the richer tagging of ``richness_problems``; give the verdict."""
    verdict = validate(pdf)
    lines = [str(f) for f in verdict.failures]
    if verdict.failures:
        lines.insert(0, f"{len(verdict.failed_rules)} of {verdict.rules} PDF/UA-1 rules failed:")
    lines += richness_problems(pdf)
    if lines:
        raise AssertionError(f"{pdf.name}:\n  " + "\n  ".join(lines))
    return verdict
