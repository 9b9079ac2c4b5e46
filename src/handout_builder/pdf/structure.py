"""Finish a laid-out PDF as a tagged PDF (PDF/UA-1): structure tree and metadata.

Takes the bytes ReportLab wrote (content already wrapped in ``BDC``/``EMC`` with MCIDs, and
everything else marked as artifacts, by ``tagging``), the ``Document`` node and the ``Tagger`` that
numbered the marked content; gives the bytes of a tagged PDF with:

- a ``StructTreeRoot`` with the nodes as structure elements, a ``ParentTree`` from each page's
  ``StructParents`` (and each link's ``StructParent``) back to the elements, ``Tabs /S`` on pages;
- the attributes the nodes carry: a table cell's ``Scope``, spans and ``Headers`` (every header
  cell that a cell names gets an ``ID``, ``th-1``, ``th-2``... in tree order, found through the
  root's ``IDTree``) and a list's ``ListNumbering``;
- ``MarkInfo /Marked true`` and XMP metadata that repeats the document info and says PDF/UA-1;
- fonts whose Unicode maps give every character its text (``fonts.clean_unicode_maps``).

The output is deterministic: the same input bytes give the same output bytes.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from handout_builder.pdf.fonts import clean_unicode_maps
from handout_builder.pdf.tagging import LinkAnnotation, MarkedContent, StructNode, Tagger
from handout_builder.pdf.xmp import xmp_packet


def finish(data: bytes, tree: StructNode, tagger: Tagger) -> bytes:
    """The tagged PDF for ``data`` (see the module docstring)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _structure(pdf, tree, tagger)
        clean_unicode_maps(pdf)
        declare_tagged(pdf)
        return save(pdf)


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


def _structure(pdf: pikepdf.Pdf, tree: StructNode, tagger: Tagger) -> None:
    pages = [p.obj for p in pdf.pages]
    marked: dict[int, list[pikepdf.Object | None]] = {
        n: [None] * len(owners) for n, owners in tagger.marked.items()
    }
    links: list[tuple[pikepdf.Object, pikepdf.Object]] = []
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    ids = _element_ids(tree)
    named: list[tuple[str, pikepdf.Object]] = []

    def element(node: StructNode, parent: pikepdf.Object) -> pikepdf.Object | None:
        elem = pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name("/" + node.role), P=parent)
        )
        kids: list[pikepdf.Object] = []
        for item in node.content:
            page = pages[item.page - 1]
            if isinstance(item, MarkedContent):
                kids.append(Dictionary(Type=Name.MCR, Pg=page, MCID=item.mcid))
                marked[item.page][item.mcid] = elem
            elif isinstance(item, LinkAnnotation):
                annot = page.Annots[item.index]
                kids.append(Dictionary(Type=Name.OBJR, Pg=page, Obj=annot))
                links.append((annot, elem))
        for kid in node.kids:
            made = element(kid, elem)
            if made is not None:
                kids.append(made)
        if not kids:
            return None
        elem.K = Array(kids)
        if node.content:
            elem.Pg = pages[node.content[0].page - 1]
        if node.alt:
            elem.Alt = String(node.alt)
        if node in ids:
            elem.ID = String(ids[node])
            named.append((ids[node], elem))
        if node.table or node.headers:
            # node.table's values (Any), text turned into PDF names
            attrs: dict[str, Any] = {
                k: Name("/" + v) if isinstance(v, str) else v for k, v in node.table.items()
            }
            if node.headers:
                attrs["Headers"] = Array([String(ids[h]) for h in node.headers if h in ids])
            elem.A = Dictionary(O=Name.Table, **attrs)
        if node.numbering:
            elem.A = Dictionary(O=Name.List, ListNumbering=Name("/" + node.numbering))
        return elem

    document = element(tree, root)
    for n, owners in tagger.marked.items():
        lost = [node.role for node, elem in zip(owners, marked[n], strict=True) if elem is None]
        if lost:
            raise RuntimeError(f"page {n}: tagged {lost[0]} drawn but not in the structure tree")
    nums: list[int | pikepdf.Object] = []
    for n, page in enumerate(pages):
        page.StructParents = n
        page.Tabs = Name.S
        nums += [n, Array(marked.get(n + 1, []))]
    for key, (annot, elem) in enumerate(links, len(pages)):
        annot.StructParent = key
        if "/Contents" not in annot and "/A" in annot and "/URI" in annot.A:
            annot.Contents = String(str(annot.A.URI))
        nums += [key, elem]
    root.K = document if document is not None else Array()
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    root.ParentTreeNextKey = len(pages) + len(links)
    if named:
        root.IDTree = id_tree(pdf, named)
    pdf.Root.StructTreeRoot = root


def _element_ids(tree: StructNode) -> dict[StructNode, str]:
    """An ID for every node that a table cell names as one of its headers, in tree order."""
    named = {h for node in tree.walk() for h in node.headers}
    ids: dict[StructNode, str] = {}
    for node in tree.walk():
        if node in named:
            ids[node] = f"th-{len(ids) + 1}"
    return ids


def id_tree(pdf: pikepdf.Pdf, named: list[tuple[str, pikepdf.Object]]) -> pikepdf.Object:
    """The name tree from element IDs to elements (one leaf, keys in byte order, as name trees
    must be)."""
    names: list[pikepdf.Object] = []
    for key, elem in sorted(named, key=lambda pair: pair[0].encode()):
        names += [String(key), elem]
    return pdf.make_indirect(Dictionary(Names=Array(names)))
