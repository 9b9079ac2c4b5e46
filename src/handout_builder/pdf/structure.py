"""Finish a laid-out PDF as a tagged PDF (PDF/UA-1): structure tree and metadata, in one pass.

Takes the bytes ReportLab wrote (content already wrapped in ``BDC``/``EMC`` with MCIDs, and
everything else marked as artifacts, by ``tagging``), the ``Document`` node and the ``Tagger`` that
numbered the marked content; gives the bytes of a tagged PDF with:

- a ``StructTreeRoot`` with the nodes as structure elements, a ``ParentTree`` from each page's
  ``StructParents`` (and each link's ``StructParent``) back to the elements, ``Tabs /S`` on pages;
- the attributes the nodes carry: a table cell's ``Scope``, spans and ``Headers`` (every header
  cell that a cell names gets an ``ID``, ``th-1``, ``th-2``... in tree order, found through the
  root's ``IDTree``) and a list's ``ListNumbering``;
- ``MarkInfo /Marked true`` and XMP metadata that repeats the document info and says PDF/UA-1;
- fonts whose Unicode maps give every character its text (``fonts.clean_cmap``).

The structure is written as PDF text straight into ReportLab's objects (``rawpdf``), which then
go out once, packed into compressed object streams: no PDF library opens, parses and saves the
file again. The output is deterministic: the same input bytes give the same output bytes.
"""

from __future__ import annotations

from handout_builder.pdf.fonts import clean_cmap
from handout_builder.pdf.rawpdf import RawPdf, pdf_string, pdf_text
from handout_builder.pdf.tagging import LinkAnnotation, MarkedContent, StructNode, Tagger
from handout_builder.pdf.xmp import xmp_packet

INFO_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer")
DATE_KEYS = ("CreationDate", "ModDate")


def finish(data: bytes, tree: StructNode, tagger: Tagger) -> bytes:
    """The tagged PDF for ``data`` (see the module docstring)."""
    pdf = RawPdf(data)
    tree_root = _structure(pdf, tree, tagger)
    _clean_unicode_maps(pdf)
    metadata = pdf.add(_metadata(pdf))
    pdf.add_entries(
        pdf.root,
        b"/MarkInfo << /Marked true >> /Metadata %d 0 R /StructTreeRoot %d 0 R"
        % (metadata, tree_root),
    )
    return pdf.write()


def _metadata(pdf: RawPdf) -> bytes:
    """The XMP metadata stream: the document info dictionary repeated, and the language."""
    info: dict[str, str] = {}
    if pdf.info is not None:
        for key in INFO_KEYS + DATE_KEYS:
            token = pdf.string(pdf.info, key)
            if token is not None:
                info["/" + key] = pdf_text(token)
    lang = pdf.string(pdf.root, "Lang")
    packet = xmp_packet(info, pdf_text(lang) if lang else "")
    return b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream" % (
        len(packet),
        packet,
    )


def _structure(pdf: RawPdf, tree: StructNode, tagger: Tagger) -> int:
    """Add the structure tree of ``tree`` to ``pdf``; the number of its StructTreeRoot."""
    pages = pdf.pages()
    annotations: dict[int, list[int]] = {}
    marked: dict[int, list[int | None]] = {
        n: [None] * len(owners) for n, owners in tagger.marked.items()
    }
    links: list[tuple[int, int]] = []  # (annotation, element)
    kept = _elements(tree)
    ids = _element_ids(tree)
    named: list[tuple[str, int]] = []
    root = pdf.reserve()

    def element(node: StructNode, parent: int) -> int:
        number = pdf.reserve()
        kids: list[bytes] = []
        for item in node.content:
            page = pages[item.page - 1]
            if isinstance(item, MarkedContent):
                kids.append(b"<< /Type /MCR /Pg %d 0 R /MCID %d >>" % (page, item.mcid))
                marked[item.page][item.mcid] = number
            elif isinstance(item, LinkAnnotation):
                if page not in annotations:
                    annotations[page] = pdf.annotations(page)
                annot = annotations[page][item.index]
                kids.append(b"<< /Type /OBJR /Pg %d 0 R /Obj %d 0 R >>" % (page, annot))
                links.append((annot, number))
        kids += [b"%d 0 R" % element(kid, number) for kid in node.kids if kid in kept]
        entries = [
            b"/Type /StructElem /S /%s /P %d 0 R" % (node.role.encode("ascii"), parent),
            b"/K [ " + b" ".join(kids) + b" ]",
        ]
        if node.content:
            entries.append(b"/Pg %d 0 R" % pages[node.content[0].page - 1])
        if node.alt:
            entries.append(b"/Alt " + pdf_string(node.alt))
        if node in ids:
            entries.append(b"/ID " + pdf_string(ids[node]))
            named.append((ids[node], number))
        if node.numbering:
            entries.append(b"/A << /O /List /ListNumbering /%s >>" % node.numbering.encode())
        elif node.table or node.headers:
            attrs = [b"/%s %s" % (k.encode("ascii"), _value(v)) for k, v in node.table.items()]
            if node.headers:
                headers = b" ".join(pdf_string(ids[h]) for h in node.headers if h in ids)
                attrs.append(b"/Headers [ " + headers + b" ]")
            entries.append(b"/A << /O /Table " + b" ".join(attrs) + b" >>")
        pdf.objects[number] = b"<< " + b" ".join(entries) + b" >>"
        return number

    document = element(tree, root) if tree in kept else None
    for n, owners in tagger.marked.items():
        lost = [node.role for node, elem in zip(owners, marked[n], strict=True) if elem is None]
        if lost:
            raise RuntimeError(f"page {n}: tagged {lost[0]} drawn but not in the structure tree")
    nums: list[bytes] = []
    for n, page in enumerate(pages):
        pdf.add_entries(page, b"/StructParents %d /Tabs /S" % n)
        elements = b" ".join(b"%d 0 R" % e for e in marked.get(n + 1, []) if e is not None)
        nums.append(b"%d [ %s ]" % (n, elements))
    for key, (annot, elem) in enumerate(links, len(pages)):
        entries = b"/StructParent %d" % key
        uri = pdf.string(annot, "URI")
        if b"/Contents" not in pdf.objects[annot] and uri is not None:
            entries += b" /Contents " + uri
        pdf.add_entries(annot, entries)
        nums.append(b"%d %d 0 R" % (key, elem))
    parent_tree = pdf.add(b"<< /Nums [ " + b" ".join(nums) + b" ] >>")
    id_tree = b""
    if named:  # a name tree of one leaf, keys in byte order, as name trees must be
        pairs = sorted(named, key=lambda pair: pair[0].encode())
        leaf = b" ".join(b"%s %d 0 R" % (pdf_string(key), elem) for key, elem in pairs)
        id_tree = b" /IDTree %d 0 R" % pdf.add(b"<< /Names [ " + leaf + b" ] >>")
    pdf.objects[root] = (
        b"<< /Type /StructTreeRoot /K %s /ParentTree %d 0 R /ParentTreeNextKey %d%s >>"
        % (
            b"%d 0 R" % document if document is not None else b"[ ]",
            parent_tree,
            len(pages) + len(links),
            id_tree,
        )
    )
    return root


def _element_ids(tree: StructNode) -> dict[StructNode, str]:
    """An ID for every node that a table cell names as one of its headers, in tree order."""
    named = {h for node in tree.walk() for h in node.headers}
    ids: dict[StructNode, str] = {}
    for node in tree.walk():
        if node in named:
            ids[node] = f"th-{len(ids) + 1}"
    return ids


def _clean_unicode_maps(pdf: RawPdf) -> None:
    """Every font's ToUnicode CMap without the entries PDF/UA-1 forbids (``fonts.clean_cmap``)."""
    for number in sorted(pdf.references("ToUnicode")):
        data = pdf.stream_data(number)
        if data is not None:
            cleaned = clean_cmap(data)
            if cleaned != data:
                pdf.set_stream(number, cleaned)


def _elements(tree: StructNode) -> set[StructNode]:
    """The nodes that become elements: those with content of their own or below them."""
    kept: set[StructNode] = set()

    def visit(node: StructNode) -> bool:
        has = bool(node.content)
        for kid in node.kids:
            has = visit(kid) or has
        if has:
            kept.add(node)
        return has

    visit(tree)
    return kept


def _value(value: object) -> bytes:
    """An attribute's value: text as a PDF name, a number as a number."""
    if isinstance(value, str):
        return b"/" + value.encode("ascii")
    return str(value).encode("ascii")
