"""Imposition: the pages of a laid-out document placed on the sheets that are printed and folded.

Takes the bytes ReportLab wrote (not yet tagged), an ``Imposition`` (the size of a printed sheet
side and which page goes where on each: see ``folding``), and the document's
structure tree and ``Tagger``; gives the bytes of a PDF with one page per printed sheet side, and
moves every tag along with its content, so ``structure.finish`` then tags the imposed file.

Each page's content is copied into its sheet's content stream inside ``q``/``Q``, shifted into its
slot and clipped to it; its resources are merged (a name that two pages use for different objects
is renamed); its marked-content ids are renumbered after those of the pages placed before it on
the same sheet; its link annotations move with it, and so do the bookmarks that point into it.
The structure tree is not reordered: a screen reader reads the pages in the order they were laid
out (a booklet's own page order, a trifold's panel order), whatever their place on the sheet.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

from handout_builder.pdf.folding import Imposition, Side
from handout_builder.pdf.tagging import LinkAnnotation, MarkedContent, StructNode, Tagger


@dataclass(frozen=True)
class _Placed:
    """Where a laid-out page went: its sheet side (from 1), the shift of its content, and the
    first marked-content id and annotation index it has there."""

    side: int
    dx: float
    dy: float
    mcid: int
    annot: int


def impose(data: bytes, imposition: Imposition, tree: StructNode, tagger: Tagger) -> bytes:
    """The PDF of ``data`` imposed as ``imposition`` says, with ``tree`` and ``tagger`` moved to
    match (see the module docstring)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = list(pdf.pages)
        sides = imposition.plan(len(pages))
        placed: dict[int, _Placed] = {}
        made = [
            _side(pdf, pages, slots, n, imposition.size, tagger, placed)
            for n, slots in enumerate(sides, 1)
        ]
        _move_bookmarks(pdf, pages, made, placed)
        del pdf.pages[:]
        for side in made:
            pdf.pages.append(side)
        _move_tags(tree, tagger, placed)
        out = io.BytesIO()
        # objects in order and a cross-reference table, as ``rawpdf`` reads them for tagging
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable)
        return out.getvalue()


RESOURCE_OPERANDS = {
    "Tf": ("/Font", 0),
    "Do": ("/XObject", 0),
    "gs": ("/ExtGState", 0),
    "sh": ("/Shading", 0),
    "cs": ("/ColorSpace", 0),
    "CS": ("/ColorSpace", 0),
    "scn": ("/Pattern", -1),
    "SCN": ("/Pattern", -1),
    "BDC": ("/Properties", 1),
    "DP": ("/Properties", 1),
}
"""Operators that name a resource: the kind of resource, and which operand names it."""


def _side(
    pdf: pikepdf.Pdf,
    pages: list[pikepdf.Page],
    slots: Side,
    number: int,
    size: tuple[float, float],
    tagger: Tagger,
    placed: dict[int, _Placed],
) -> pikepdf.Page:
    resources = Dictionary()
    annots = Array()
    content: list[bytes] = []
    mcid = 0
    for slot in slots:
        if slot.page is None:
            continue
        page = pages[slot.page - 1]
        box = [float(v) for v in page.mediabox]
        dx = slot.x + (slot.width - (box[2] - box[0])) / 2 - box[0]
        dy = slot.y + (slot.height - (box[3] - box[1])) / 2 - box[1]
        theirs = page.obj.get("/Resources")
        renamed = _merge_resources(
            resources, theirs if isinstance(theirs, Dictionary) else Dictionary(), slot.page
        )
        placed[slot.page] = _Placed(number, dx, dy, mcid, len(annots))
        instructions = [_rewritten(i, renamed, mcid) for i in pikepdf.parse_content_stream(page)]
        clip = " ".join(_text(v) for v in (slot.x, slot.y, slot.width, slot.height))
        content += [
            f"q {clip} re W n 1 0 0 1 {_text(dx)} {_text(dy)} cm\n".encode(),
            pikepdf.unparse_content_stream(instructions),
            b"\nQ\n",
        ]
        for annot in page.obj.get("/Annots", Array()):
            annot.Rect = _shifted(annot.Rect, dx, dy)
            annots.append(annot)
        mcid += len(tagger.marked.get(slot.page, []))
    side = Dictionary(
        Type=Name.Page,
        MediaBox=Array([0, 0, _n(size[0]), _n(size[1])]),
        Resources=resources,
        Contents=pdf.make_stream(b"".join(content)),
    )
    if annots:
        side.Annots = annots
    return pikepdf.Page(pdf.make_indirect(side))


def _merge_resources(into: Dictionary, theirs: Dictionary, page: int) -> dict[str, dict[str, str]]:
    """Add a page's resources to a side's; give, per kind, the names that had to change."""
    renamed: dict[str, dict[str, str]] = {}
    for kind, entries in theirs.items():
        if kind == "/ProcSet":
            into.ProcSet = Array([Name.PDF, Name.Text, Name.ImageB, Name.ImageC, Name.ImageI])
            continue
        mine = into.get(kind)
        if mine is None:
            into[kind] = mine = Dictionary()
        for name, obj in entries.items():
            if name not in mine:
                mine[name] = obj
            elif not _same(mine[name], obj):
                new = f"{name}_p{page}"
                mine[new] = obj
                renamed.setdefault(kind, {})[name] = new
    return renamed


def _same(a: pikepdf.Object, b: pikepdf.Object) -> bool:
    if a.is_indirect and b.is_indirect:
        return a.objgen == b.objgen
    return a.unparse() == b.unparse()


def _rewritten(
    instruction: pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage,
    renamed: dict[str, dict[str, str]],
    first_mcid: int,
) -> pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage:
    if not isinstance(instruction, pikepdf.ContentStreamInstruction):
        return instruction
    op = str(instruction.operator)
    operands = list(instruction.operands)
    if op == "BDC" and isinstance(operands[1], Dictionary) and "/MCID" in operands[1]:
        props = Dictionary({key: value for key, value in operands[1].items()})
        props.MCID = int(props.MCID) + first_mcid
        operands[1] = props
    elif op in RESOURCE_OPERANDS and operands:
        kind, at = RESOURCE_OPERANDS[op]
        name = operands[at]
        if isinstance(name, Name) and str(name) in renamed.get(kind, {}):
            operands[at] = Name(renamed[kind][str(name)])
    else:
        return instruction
    return pikepdf.ContentStreamInstruction(operands, Operator(op))


def _shifted(rect: pikepdf.Object, dx: float, dy: float) -> Array:
    x0, y0, x1, y1 = (float(v) for v in rect)
    return Array([_n(x0 + dx), _n(y0 + dy), _n(x1 + dx), _n(y1 + dy)])


def _move_bookmarks(
    pdf: pikepdf.Pdf,
    pages: list[pikepdf.Page],
    sides: list[pikepdf.Page],
    placed: dict[int, _Placed],
) -> None:
    """Point every bookmark at the sheet side its page went to, at the same spot."""
    number = {page.obj.objgen: n for n, page in enumerate(pages, 1)}
    for item in _outline_items(pdf.Root.get("/Outlines")):
        dest = item.get("/Dest")
        if not isinstance(dest, Array) or len(dest) < 2:
            continue
        n = number.get(dest[0].objgen)
        if n is None or n not in placed:
            continue
        where = placed[n]
        moved: list[object] = [sides[where.side - 1].obj, *list(dest)[1:]]
        if str(dest[1]) == "/XYZ" and len(dest) >= 4:
            moved[2] = _n(float(dest[2]) + where.dx)
            moved[3] = _n(float(dest[3]) + where.dy)
        item.Dest = Array(moved)


def _outline_items(outlines: pikepdf.Object | None) -> Iterator[pikepdf.Object]:
    item = outlines.get("/First") if outlines is not None else None
    seen: set[tuple[int, int]] = set()
    while item is not None and item.objgen not in seen:
        seen.add(item.objgen)
        yield item
        yield from _outline_items(item)
        item = item.get("/Next")


def _move_tags(tree: StructNode, tagger: Tagger, placed: dict[int, _Placed]) -> None:
    """Renumber every tag's content to the sheet side and ids it has now."""
    for node in tree.walk():
        node.content = [_moved(item, placed) for item in node.content]
    marked: dict[int, list[StructNode]] = {}
    links: dict[int, list[StructNode]] = {}
    for page in sorted(placed, key=lambda p: (placed[p].side, placed[p].mcid)):
        side = placed[page].side
        marked.setdefault(side, []).extend(tagger.marked.get(page, []))
    for page in sorted(placed, key=lambda p: (placed[p].side, placed[p].annot)):
        links.setdefault(placed[page].side, []).extend(tagger.links.get(page, []))
    tagger.marked, tagger.links = marked, links


def _moved(
    item: MarkedContent | LinkAnnotation, placed: dict[int, _Placed]
) -> MarkedContent | LinkAnnotation:
    where = placed[item.page]
    if isinstance(item, MarkedContent):
        return MarkedContent(where.side, item.mcid + where.mcid)
    return LinkAnnotation(where.side, item.index + where.annot)


def _n(value: float) -> Decimal:
    """A number rounded to a thousandth of a point, so the output is the same every time."""
    return Decimal(_text(value))


def _text(value: float) -> str:
    """A number as a content stream writes it: no exponent, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
