"""A checker for the machine-checkable PDF/UA-1 requirements of any PDF.

Takes a PDF file; gives a list of findings, each a sentence saying what is wrong (empty when the
file passes). It checks:

- the catalog: marked as tagged, a structure tree, a language, the title shown by viewers;
- metadata: a title, XMP that declares PDF/UA-1 (``pdfuaid:part 1``) and repeats the document info;
- the structure tree: every element well formed (its ``/P`` is its parent, roles known or mapped,
  lists, tables and their cells in the places ISO 32000-1 allows), figures with alt text, table
  header cells with a scope, headings that do not skip a level;
- content: every text, path, image and shading operator inside tagged marked content or an
  artifact, every MCID owned by exactly the element the parent tree names, and back;
- annotations: reachable from the structure tree (``StructParent``, ``OBJR``), links described
  (``Contents``), pages with annotations in structure order (``Tabs /S``);
- fonts: embedded, with a Unicode mapping that maps no code to U+0000, U+FEFF or U+FFFE, and
  each font subset with a name of its own (ISO 32000-1 §9.6.4).

What a person must still judge (alt text that says the right thing, a sensible reading order,
colour contrast) is out of its reach; see docs/accessibility.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pikepdf import Name

from handout_builder.output import plural
from handout_builder.pdf.fonts import (
    forbidden_entries,
    malformed_entries,
    page_fonts,
    shared_subset_names,
)
from handout_builder.pdf.xmp import xmp_date

_ROLES = """Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1
    H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference
    BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form"""
STANDARD_ROLES = frozenset(_ROLES.split())
# Where ISO 32000-1 (table 337 and 14.8.4.3) lets structure elements appear.
ALLOWED_KIDS = {
    "L": {"LI", "L", "Caption"},
    "LI": {"Lbl", "LBody"},
    "Table": {"TR", "THead", "TBody", "TFoot", "Caption"},
    "THead": {"TR"},
    "TBody": {"TR"},
    "TFoot": {"TR"},
    "TR": {"TH", "TD"},
}
ALLOWED_PARENTS = {
    "LI": {"L"},
    "Lbl": {"LI", "TOCI", "BibEntry", "Note", "Reference"},
    "LBody": {"LI"},
    "TR": {"Table", "THead", "TBody", "TFoot"},
    "TH": {"TR"},
    "TD": {"TR"},
    "THead": {"Table"},
    "TBody": {"Table"},
    "TFoot": {"Table"},
}
NO_DIRECT_CONTENT = frozenset({"L", "LI", "Table", "TR", "THead", "TBody", "TFoot"})
PAINTING = frozenset(
    {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh"}
) | {"INLINE IMAGE"}
STANDARD_ENCODINGS = frozenset({"/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding"})
MAX_DEPTH = 200


@dataclass
class _Element:
    obj: pikepdf.Object
    role: str  # the standard role it maps to
    parent_role: str | None
    page: pikepdf.Object | None  # the element's /Pg


@dataclass
class _Tree:
    elements: list[_Element] = field(default_factory=list)
    # (page objgen, mcid) -> objgen of the element that claims it
    mcids: dict[tuple[tuple[int, int], int], tuple[int, int]] = field(default_factory=dict)
    # annotation objgen -> element objgen holding an OBJR to it
    annots: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)


def check_pdf(path: Path | str) -> list[str]:
    """Every finding for the PDF at ``path``; an empty list means it passed."""
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        return [f"cannot read it as a PDF: {exc}"]
    with pdf:
        findings: list[str] = []
        findings += _catalog(pdf)
        findings += _metadata(pdf)
        findings += _fonts(pdf)
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            findings.append("no structure tree: the PDF is not tagged")
            findings += _content(pdf, None)
            return findings
        tree = _Tree()
        findings += _structure(pdf, root, tree)
        findings += _content(pdf, tree)
        findings += _parent_tree(pdf, root, tree)
        findings += _annotations(pdf, root, tree)
        return list(dict.fromkeys(findings))


def _catalog(pdf: pikepdf.Pdf) -> list[str]:
    out = []
    root = pdf.Root
    mark_info = root.get("/MarkInfo")
    if mark_info is None or not bool(mark_info.get("/Marked", False)):
        out.append("not marked as tagged (catalog /MarkInfo /Marked true)")
    if not str(root.get("/Lang", "")).strip():
        out.append("no document language (catalog /Lang)")
    prefs = root.get("/ViewerPreferences")
    if prefs is None or not bool(prefs.get("/DisplayDocTitle", False)):
        out.append("viewers show the file name, not the title (/DisplayDocTitle true missing)")
    return out


def _metadata(pdf: pikepdf.Pdf) -> list[str]:
    out = []
    info = pdf.docinfo
    title = str(info.get("/Title", "")).strip()
    if "/Metadata" not in pdf.Root:
        return [*(["no document title"] if not title else []), "no XMP metadata stream"]
    try:
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        part = str(meta.get("{http://www.aiim.org/pdfua/ns/id/}part", "")).strip()
        xmp_title = str(meta.get("dc:title", "") or "").strip()
        creators = meta.get("dc:creator") or []
        pairs = [
            ("dc:title", xmp_title, title),
            ("dc:creator", creators[0] if creators else "", str(info.get("/Author", ""))),
            ("pdf:Producer", meta.get("pdf:Producer", ""), str(info.get("/Producer", ""))),
            ("dc:description", meta.get("dc:description", ""), str(info.get("/Subject", ""))),
            ("pdf:Keywords", meta.get("pdf:Keywords", ""), str(info.get("/Keywords", ""))),
            ("xmp:CreatorTool", meta.get("xmp:CreatorTool", ""), str(info.get("/Creator", ""))),
        ]
        dates = [
            ("xmp:CreateDate", meta.get("xmp:CreateDate", ""), str(info.get("/CreationDate", ""))),
            ("xmp:ModifyDate", meta.get("xmp:ModifyDate", ""), str(info.get("/ModDate", ""))),
        ]
    except Exception as exc:  # a broken XMP packet can fail in many ways inside the XML parser
        return [f"XMP metadata cannot be read: {exc}"]
    if part != "1":
        out.append("XMP metadata does not declare PDF/UA-1 (pdfuaid:part 1)")
    if not (title or xmp_title):
        out.append("no document title (info /Title, XMP dc:title)")
    elif not xmp_title:
        out.append("no title in the XMP metadata (dc:title)")
    for key, xmp_value, info_value in pairs:
        if info_value and str(xmp_value or "").strip() != info_value.strip():
            out.append(f"XMP {key} {str(xmp_value)!r} does not match the document info")
    for key, xmp_value, info_value in dates:
        if info_value and not _same_time(str(xmp_value or ""), info_value):
            out.append(f"XMP {key} {str(xmp_value)!r} does not match the document info")
    return out


def _same_time(xmp_value: str, pdf_date: str) -> bool:
    try:
        a = dt.datetime.fromisoformat(xmp_value.replace("Z", "+00:00"))
        b = dt.datetime.fromisoformat(xmp_date(pdf_date).replace("Z", "+00:00"))
    except ValueError:
        return False
    if (a.tzinfo is None) != (b.tzinfo is None):
        return a.replace(tzinfo=None) == b.replace(tzinfo=None)
    return a == b


def _fonts(pdf: pikepdf.Pdf) -> list[str]:
    out = []
    seen: set[tuple[int, int]] = set()
    for n, page in enumerate(pdf.pages, 1):
        for name, font in page_fonts(page.obj):
            key = font.objgen
            if key != (0, 0) and key in seen:
                continue
            seen.add(key)
            base = str(font.get("/BaseFont", name))
            subtype = font.get("/Subtype")
            if subtype == Name.Type3:
                continue
            descriptor_font = font.DescendantFonts[0] if subtype == Name.Type0 else font
            descriptor = descriptor_font.get("/FontDescriptor")
            if descriptor is None or not any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                out.append(f"page {n}: font {base} is not embedded")
            encoding = font.get("/Encoding")
            standard = (
                subtype != Name.Type0
                and isinstance(encoding, Name)
                and str(encoding) in STANDARD_ENCODINGS
            )
            cmap = font.get("/ToUnicode")
            if cmap is None and not standard:
                out.append(f"page {n}: font {base} has no Unicode mapping (ToUnicode)")
            elif isinstance(cmap, pikepdf.Stream):
                data = cmap.read_bytes()
                bad = forbidden_entries(data)
                if bad:
                    out.append(
                        f"page {n}: font {base} maps {plural(bad, 'code')} to U+0000, U+FEFF "
                        "or U+FFFE (ToUnicode)"
                    )
                malformed = malformed_entries(data)
                if malformed:
                    out.append(
                        f"page {n}: font {base} maps {plural(malformed, 'code')} to text that is "
                        "not UTF-16 (ToUnicode), so the characters read back wrong"
                    )
    for name, count in sorted(shared_subset_names(pdf).items()):
        out.append(f"{count} different font subsets share the name {name}")
    return out


def _role(obj: pikepdf.Object, role_map: pikepdf.Object | None) -> str:
    role = str(obj.get("/S", ""))[1:]
    for _ in range(10):
        if role in STANDARD_ROLES or role_map is None or ("/" + role) not in role_map:
            break
        role = str(role_map["/" + role])[1:]
    return role


def _structure(pdf: pikepdf.Pdf, root: pikepdf.Object, tree: _Tree) -> list[str]:
    out: list[str] = []
    role_map = root.get("/RoleMap")
    page_numbers = {p.obj.objgen: n for n, p in enumerate(pdf.pages, 1)}
    seen: set[tuple[int, int]] = set()
    headings: list[int] = []

    def where(page: pikepdf.Object | None) -> str:
        n = page_numbers.get(page.objgen) if page is not None else None
        return f" on page {n}" if n else ""

    def visit(
        obj: pikepdf.Object, parent: pikepdf.Object, parent_role: str | None, depth: int
    ) -> None:
        if depth > MAX_DEPTH:
            out.append("structure tree is nested too deeply")
            return
        if not isinstance(obj, pikepdf.Dictionary) or "/S" not in obj:
            out.append("structure tree holds something that is not a structure element")
            return
        if obj.objgen != (0, 0):
            if obj.objgen in seen:
                out.append("structure tree has an element in two places")
                return
            seen.add(obj.objgen)
        role = _role(obj, role_map)
        page = obj.get("/Pg")
        here = where(page)
        if role not in STANDARD_ROLES:
            out.append(f"structure element /{role}{here} is not a standard role and has no RoleMap")
        p = obj.get("/P")
        if p is None or p.objgen != parent.objgen:
            out.append(f"structure element {role}{here} does not name its parent (/P)")
        if parent_role in ALLOWED_KIDS and role not in ALLOWED_KIDS[parent_role]:
            out.append(f"{role}{here} may not be a child of {parent_role}")
        if role in ALLOWED_PARENTS and parent_role not in ALLOWED_PARENTS[role]:
            out.append(f"{role}{here} must be inside {' or '.join(sorted(ALLOWED_PARENTS[role]))}")
        if role == "Figure" and not (
            str(obj.get("/Alt", "")).strip() or str(obj.get("/ActualText", "")).strip()
        ):
            out.append(f"Figure{here} has no alternate text (/Alt)")
        if role == "TH" and not _scope(obj) and "/ID" not in obj:
            out.append(f"table header cell{here} has no Scope (and no ID for Headers)")
        if len(role) == 2 and role[0] == "H" and role[1].isdigit():
            level = int(role[1])
            if not headings and level != 1:
                out.append(f"the first heading is H{level}, not H1")
            elif headings and level > headings[-1] + 1:
                out.append(f"heading H{level}{here} skips a level after H{headings[-1]}")
            headings.append(level)
        tree.elements.append(_Element(obj, role, parent_role, page))
        for kid in _kids(obj):
            if isinstance(kid, int):
                _claim(tree, out, page, kid, obj, role)
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == Name.MCR:
                _claim(tree, out, kid.get("/Pg", page), int(kid.MCID), obj, role)
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == Name.OBJR:
                tree.annots[kid.Obj.objgen] = obj.objgen
            else:
                visit(kid, obj, role, depth + 1)
        if role == "Table":
            _table(obj, role_map, out, here)

    kids = list(_kids(root))
    if not kids:
        out.append("structure tree is empty")
    for kid in kids:
        visit(kid, root, None, 0)
    return out


def _kids(obj: pikepdf.Object) -> list:
    k = obj.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _claim(
    tree: _Tree,
    out: list[str],
    page: pikepdf.Object | None,
    mcid: int,
    elem: pikepdf.Object,
    role: str,
) -> None:
    if page is None:
        out.append(f"{role} holds marked content (MCID {mcid}) without saying its page (/Pg)")
        return
    if role in NO_DIRECT_CONTENT:
        out.append(f"{role} holds content directly; it may only hold structure elements")
    key = (page.objgen, mcid)
    if key in tree.mcids:
        out.append(f"MCID {mcid} is claimed by two structure elements")
    tree.mcids[key] = elem.objgen


def _scope(obj: pikepdf.Object) -> bool:
    attrs = obj.get("/A")
    if attrs is None:
        return False
    for a in list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]:
        if isinstance(a, pikepdf.Dictionary) and a.get("/O") == Name.Table and "/Scope" in a:
            return True
    return False


def _table(obj: pikepdf.Object, role_map: pikepdf.Object | None, out: list[str], here: str) -> None:
    def cells(o: pikepdf.Object, depth: int = 0) -> Iterator[str]:
        for kid in _kids(o):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and depth < 4:
                yield _role(kid, role_map)
                yield from cells(kid, depth + 1)

    if "TH" not in set(cells(obj)):
        out.append(f"table{here} has no header cells (TH)")


def _content(pdf: pikepdf.Pdf, tree: _Tree | None) -> list[str]:
    out: list[str] = []
    for n, page in enumerate(pdf.pages, 1):
        loose = 0
        stack: list[str] = []  # "tagged", "artifact" or "other" for each open sequence
        seen: set[int] = set()
        try:
            instructions = pikepdf.parse_content_stream(page)
        except pikepdf.PdfError as exc:
            out.append(f"page {n}: content cannot be read: {exc}")
            continue
        for ins in instructions:
            op = str(ins.operator)
            if op in ("BMC", "BDC"):
                tag = str(ins.operands[0])
                props = ins.operands[1] if op == "BDC" and len(ins.operands) > 1 else None
                mcid = _mcid(props, page.obj)
                if tag == "/Artifact":
                    stack.append("artifact")
                elif mcid is not None:
                    if "artifact" in stack:
                        out.append(f"page {n}: tagged content (MCID {mcid}) inside an artifact")
                    if "tagged" in stack:
                        out.append(f"page {n}: tagged content (MCID {mcid}) inside tagged content")
                    if mcid in seen:
                        out.append(f"page {n}: MCID {mcid} is used twice")
                    seen.add(mcid)
                    stack.append("tagged")
                    if tree is not None and (page.obj.objgen, mcid) not in tree.mcids:
                        out.append(f"page {n}: marked content MCID {mcid} has no structure element")
                else:
                    stack.append("other")
            elif op == "EMC":
                if not stack:
                    out.append(f"page {n}: EMC without a matching BMC/BDC")
                else:
                    stack.pop()
            elif op in PAINTING and not ("tagged" in stack or "artifact" in stack):
                loose += 1
        if stack:
            out.append(f"page {n}: marked content left open at the end of the page")
        if loose:
            out.append(
                f"page {n}: {plural(loose, 'content operator')} (text, paths, images) "
                f"{'is' if loose == 1 else 'are'} neither tagged content nor artifacts"
            )
        if tree is not None:
            for (page_key, mcid), _ in tree.mcids.items():
                if page_key == page.obj.objgen and mcid not in seen:
                    out.append(f"page {n}: a structure element refers to missing MCID {mcid}")
    return out


def _mcid(props: pikepdf.Object | None, page: pikepdf.Object) -> int | None:
    if props is None:
        return None
    if isinstance(props, Name):  # a named property list in the page's resources
        resources = page.get("/Resources", pikepdf.Dictionary())
        props = resources.get("/Properties", pikepdf.Dictionary()).get(str(props))
    if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
        return int(props.MCID)
    return None


def _number_tree(node: pikepdf.Object | None, depth: int = 0) -> dict[int, pikepdf.Object]:
    out: dict[int, pikepdf.Object] = {}
    if node is None or depth > 32:
        return out
    nums = list(node.get("/Nums", []))
    for i in range(0, len(nums) - 1, 2):
        out[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", []):
        out.update(_number_tree(kid, depth + 1))
    return out


def _parent_tree(pdf: pikepdf.Pdf, root: pikepdf.Object, tree: _Tree) -> list[str]:
    out = []
    parents = _number_tree(root.get("/ParentTree"))
    for n, page in enumerate(pdf.pages, 1):
        claimed = {mcid: e for (pg, mcid), e in tree.mcids.items() if pg == page.obj.objgen}
        if not claimed:
            continue
        key = page.obj.get("/StructParents")
        if key is None:
            out.append(f"page {n} has tagged content but no /StructParents")
            continue
        entry = parents.get(int(key))
        if entry is None:
            out.append(f"page {n}: the parent tree has no entry for it")
            continue
        entries = list(entry) if isinstance(entry, pikepdf.Array) else []
        for mcid, elem in claimed.items():
            if mcid >= len(entries) or getattr(entries[mcid], "objgen", None) != elem:
                out.append(f"page {n}: the parent tree does not lead MCID {mcid} to its element")
    return out


def _annotations(pdf: pikepdf.Pdf, root: pikepdf.Object, tree: _Tree) -> list[str]:
    out = []
    parents = _number_tree(root.get("/ParentTree"))
    for n, page in enumerate(pdf.pages, 1):
        annots = [a for a in page.obj.get("/Annots", []) if a.get("/Subtype") != Name.Popup]
        if annots and page.obj.get("/Tabs") != Name.S:
            out.append(f"page {n} has annotations but no /Tabs /S (structure order)")
        for annot in annots:
            kind = str(annot.get("/Subtype", "/Annot"))[1:]
            if kind == "Link" and not str(annot.get("/Contents", "")).strip():
                out.append(f"page {n}: a link has no description (/Contents)")
            key = annot.get("/StructParent")
            owner = tree.annots.get(annot.objgen)
            if key is None or owner is None:
                out.append(f"page {n}: a {kind} annotation is not in the structure tree")
                continue
            target = parents.get(int(key))
            if getattr(target, "objgen", None) != owner:
                out.append(
                    f"page {n}: the parent tree does not lead a {kind} annotation to its tag"
                )
    return out
