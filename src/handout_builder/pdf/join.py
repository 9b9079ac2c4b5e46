"""Join tagged PDFs into one tagged PDF (PDF/UA-1), as a packet of leaflets is printed.

Takes parts: each the bytes of a tagged PDF (as ``tagged_pdf`` writes them: one ``Document``
element, no role or class map) and the title of its bookmark; gives the bytes of one tagged PDF
with:

- every page of every part, in order, exactly as drawn (each keeps its own "Page X of Y");
- one structure tree: a ``Document`` element holding one ``Part`` per part (the part's own
  ``Document`` element, renamed), with its own ``/Lang`` when it differs from the packet's; each
  page's ``StructParents`` and each annotation's ``StructParent`` renumbered so they stay unique,
  and one ``ParentTree`` made from the parts' own; element IDs (and the table ``Headers`` that
  name them) prefixed with the part's number (``part2-th-1``) so they stay unique too, and one
  ``IDTree`` made of them;
- an outline with one entry per part at its first page, the part's own bookmarks under it;
- a distinct name for every font subset (``fonts.unique_subset_tags``): each part names its
  subsets from ``AAAAAA`` on;
- the document info and language of the first part (a packet's cover says what the packet is),
  the title shown by viewers, ``MarkInfo`` and XMP metadata (see ``declare_tagged``).

Everything happens in memory, and the same parts give the same bytes. A part that is not tagged
that way raises ``ValueError``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TypeVar, cast

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, String

from handout_builder.pdf.fonts import unique_subset_tags
from handout_builder.pdf.xmp import xmp_packet

_T = TypeVar("_T")


@dataclass(frozen=True)
class Part:
    """One tagged PDF to join and the title of its bookmark."""

    data: bytes
    title: str


def join(parts: Sequence[Part]) -> bytes:
    """The tagged PDF of ``parts`` one after another (see the module docstring)."""
    if not parts:
        raise ValueError("nothing to join")
    with ExitStack() as stack:
        # QPDF copies stream data from a source when the joined PDF is saved: keep them open.
        sources = [stack.enter_context(pikepdf.open(io.BytesIO(p.data))) for p in parts]
        pdf = stack.enter_context(pikepdf.new())
        firsts = []
        for source in sources:
            firsts.append(len(pdf.pages))
            pdf.pages.extend(source.pages)  # QPDF remembers each source's copies, so
        firsts.append(len(pdf.pages))  # the structure copied below points at these pages
        language = str(sources[0].Root.get("/Lang", ""))
        _structure(pdf, sources, firsts, language)
        _outline(pdf, sources, [p.title for p in parts], firsts)
        unique_subset_tags(pdf)
        # a copy is of the kind copied; pikepdf types copy_foreign's result only as Object
        pdf.docinfo = cast(Dictionary, pdf.copy_foreign(sources[0].docinfo))
        if language:
            pdf.Root.Lang = String(language)
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        pdf.Root.PageMode = Name.UseOutlines
        declare_tagged(pdf)
        return save(pdf)


def _structure(
    pdf: pikepdf.Pdf, sources: list[pikepdf.Pdf], firsts: list[int], language: str
) -> None:
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root))
    kids: list[pikepdf.Object] = []
    nums: list = []
    named: list[tuple[str, pikepdf.Object]] = []
    offset = 0
    for n, source in enumerate(sources):
        theirs = source.Root.get("/StructTreeRoot")
        if theirs is None:
            raise ValueError(f"part {n + 1} is not a tagged PDF (no structure tree)")
        for unsupported in ("/RoleMap", "/ClassMap"):  # tagged_pdf writes neither
            if unsupported in theirs:
                raise ValueError(f"part {n + 1}: a {unsupported[1:]} cannot be joined")
        tree = pdf.copy_foreign(theirs)
        part = _part(tree, document, n)
        own_language = str(source.Root.get("/Lang", ""))
        if own_language and own_language != language and "/Lang" not in part:
            part.Lang = String(own_language)
        kids.append(part)
        named += _prefixed_ids(tree, f"part{n + 1}-")
        entries = dict(_number_tree(tree.get("/ParentTree")))
        for key in sorted(entries):
            nums += [key + offset, entries[key]]
        for page in pdf.pages[firsts[n] : firsts[n + 1]]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        offset += max(int(tree.get("/ParentTreeNextKey", 0)), max(entries, default=-1) + 1)
    document.K = Array(kids)
    root.K = document
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    root.ParentTreeNextKey = offset
    if named:
        root.IDTree = id_tree(pdf, named)
    pdf.Root.StructTreeRoot = root


def _prefixed_ids(tree: pikepdf.Object, prefix: str) -> list[tuple[str, pikepdf.Object]]:
    """Prefix the ID of every element in a part's ``IDTree``, and every ``Headers`` entry that
    names one in the tables they are in; give the (ID, element) pairs for the joined
    ``IDTree``. Only the tables are walked: reading an element costs tens of microseconds."""
    named: list[tuple[str, pikepdf.Object]] = []
    tables: dict[tuple[int, int], pikepdf.Object] = {}
    for key, elem in _name_tree(tree.get("/IDTree")):
        new = prefix + key
        elem.ID = String(new)
        named.append((new, elem))
        table = elem
        for _ in range(8):  # a cell's table: TH < TR < THead/TBody/TFoot < Table
            if table.get("/S") == Name.Table:
                tables[table.objgen] = table
                break
            table = table.get("/P", table)
    stack = list(tables.values())
    while stack:
        elem = stack.pop()
        attrs = elem.get("/A")
        for a in list(attrs) if isinstance(attrs, Array) else [attrs]:
            if isinstance(a, Dictionary) and "/Headers" in a:
                a.Headers = Array([String(prefix + bytes(h).decode("latin-1")) for h in a.Headers])
        k = elem.get("/K")
        for kid in k if isinstance(k, Array) else [k]:
            if isinstance(kid, Dictionary) and "/S" in kid:
                stack.append(kid)
    return named


def _name_tree(node: pikepdf.Object | None, depth: int = 0) -> Iterator[tuple[str, pikepdf.Object]]:
    """The (key, value) pairs of a name tree, leaves and kids alike."""
    if node is None or depth > 32:
        return
    names = list(node.get("/Names", []))
    for i in range(0, len(names) - 1, 2):
        yield bytes(names[i]).decode("latin-1"), names[i + 1]
    for kid in node.get("/Kids", []):
        yield from _name_tree(kid, depth + 1)


def _part(tree: pikepdf.Object, document: pikepdf.Object, n: int) -> pikepdf.Object:
    """The part's ``Document`` element, made a ``Part`` of ``document``."""
    k = tree.get("/K")
    tops = list(k) if isinstance(k, Array) else [k] if k is not None else []
    if len(tops) != 1 or tops[0].get("/S") != Name.Document:
        raise ValueError(f"part {n + 1}: the structure tree does not hold one Document element")
    part = tops[0]
    part.S = Name.Part
    part.P = document
    return part


def _number_tree(node: pikepdf.Object | None, depth: int = 0) -> Iterator[tuple[int, object]]:
    """The (key, value) pairs of a number tree, leaves and kids alike."""
    if node is None or depth > 32:
        return
    nums = list(node.get("/Nums", []))
    for i in range(0, len(nums) - 1, 2):
        yield int(nums[i]), nums[i + 1]
    for kid in node.get("/Kids", []):
        yield from _number_tree(kid, depth + 1)


def _outline(
    pdf: pikepdf.Pdf, sources: list[pikepdf.Pdf], titles: list[str], firsts: list[int]
) -> None:
    with pdf.open_outline() as outline:
        for source, title, first in zip(sources, titles, firsts[:-1], strict=True):
            item = OutlineItem(title, first)
            theirs = source.open_outline().root  # read only: not opened as a context to save
            item.children.extend(_copied_item(pdf, kid) for kid in theirs)
            outline.root.append(item)


def _copied_item(pdf: pikepdf.Pdf, item: OutlineItem) -> OutlineItem:
    """A bookmark of a part, with its kids, pointing at the joined PDF's copy of its page."""
    copy = OutlineItem(
        item.title,
        _copied(pdf, item.destination) if item.destination is not None else None,
        action=_copied(pdf, item.action) if item.action is not None else None,
    )
    copy.is_closed = item.is_closed
    copy.children.extend(_copied_item(pdf, kid) for kid in item.children)
    return copy


def _copied(pdf: pikepdf.Pdf, obj: _T) -> _T:
    """``obj`` from a part, as the joined PDF sees it: pages and other indirect objects are the
    copies already made, direct arrays and dictionaries are rebuilt around them. Each copy is of
    the kind copied, which mypy cannot follow through the branches (nor copy_foreign's stub)."""
    copy: object = obj
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        copy = pdf.copy_foreign(obj)
    elif isinstance(obj, Array):
        copy = Array([_copied(pdf, x) for x in obj])
    elif isinstance(obj, Dictionary):
        copy = Dictionary({k: _copied(pdf, v) for k, v in obj.items()})
    return cast(_T, copy)


def declare_tagged(pdf: pikepdf.Pdf) -> None:
    """Mark a PDF whose structure tree is in place as tagged, with XMP metadata that repeats its
    document info and language and says PDF/UA-1."""
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    metadata = pdf.make_stream(xmp_packet(pdf.docinfo, str(pdf.Root.get("/Lang", ""))))
    metadata.Type, metadata.Subtype = Name.Metadata, Name.XML
    pdf.Root.Metadata = metadata


def save(pdf: pikepdf.Pdf) -> bytes:
    """The bytes of ``pdf``, the same every time for the same objects."""
    out = io.BytesIO()
    pdf.save(
        out,
        deterministic_id=True,
        min_version="1.7",  # PDF/UA-1 is built on ISO 32000-1 (PDF 1.7)
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return out.getvalue()


def id_tree(pdf: pikepdf.Pdf, named: list[tuple[str, pikepdf.Object]]) -> pikepdf.Object:
    """The name tree from element IDs to elements (one leaf, keys in byte order, as name trees
    must be)."""
    names: list[pikepdf.Object] = []
    for key, elem in sorted(named, key=lambda pair: pair[0].encode()):
        names += [String(key), elem]
    return pdf.make_indirect(Dictionary(Names=Array(names)))
