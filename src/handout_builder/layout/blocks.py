"""Blocks (paragraph, subheading, lists, table, callout, image, checklist, tracker, steps) to
flowables.

Takes one ``Block`` and the render context; gives a list of tagged flowables (see ``tagging``):
lists as ``L``/``LI``/``Lbl``/``LBody`` (a pictogram beside an item is its label, a ``Figure``
with alt text; a checklist's label is an empty tick box, a step's its number in a disc), tables
as ``Table``/``TR``/``TH``/``TD`` (or, where the theme says columns would be too narrow, as
stacked rows of "Column: value" lines), a tracker as a table of empty ``TD`` cells to write in,
with a ``TH`` heading each column and each row, pictures as ``Figure`` with their alt text. One
function per kind of block, chosen from ``BLOCK_RENDERERS``; an unknown kind raises.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal, TypedDict, Unpack

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table
from reportlab.platypus import Image as ImageFlowable

from handout_builder.inline import literal, plain_text
from handout_builder.layout.context import RenderContext
from handout_builder.layout.fields import mark
from handout_builder.layout.flowables import (
    ListEntry,
    Picture,
    SplitTable,
    StepBadge,
    WholeBox,
    WriteIn,
)
from handout_builder.layout.markup import to_markup
from handout_builder.layout.mirror import mirror_rows, mirror_style
from handout_builder.layout.pictograms import alt_label, pictogram
from handout_builder.layout.text import label_para, markup_para, para
from handout_builder.look.theme import Theme
from handout_builder.model import Block, Callout, Image, ListItem, Tracker
from handout_builder.model import Table as TableModel
from handout_builder.pdf.tagging import Figure, StructNode, node_of, with_node
from handout_builder.source.images import svg_drawing
from handout_builder.source.reader import PathKey

INTRODUCED = frozenset({"bullets", "numbered", "checklist", "steps"})
"""Lists that a paragraph just before them introduces ("Stop and rest if:"): the paragraph stays
with the first item. (A table or diary moves whole with what keeps with it, so a paragraph kept
with one could leave half a page empty; a diary's own ``title`` keeps with it.)"""


def render_blocks(blocks: list[Block], ctx: RenderContext, path: PathKey = ()) -> list[Flowable]:
    """The flowables of ``blocks``, written at ``path`` in the handout; each is marked with
    the field it shows (``ctx.where`` tells a renderer where its block is). A paragraph keeps
    with the first item of a list that follows it."""
    out: list[Flowable] = []
    for i, block in enumerate(blocks):
        renderer = BLOCK_RENDERERS[block.kind]
        ctx.where = (*path, i, block.kind)
        flowables = mark(renderer(getattr(block, block.kind), ctx), ctx.where)
        following = blocks[i + 1].kind if i + 1 < len(blocks) else None
        if block.kind == "paragraph" and following in INTRODUCED and flowables:
            flowables[-1].keepWithNext = 1
        out.extend(flowables)
    return out


def paragraph(text: str, ctx: RenderContext) -> list[Flowable]:
    return [para(ctx.theme, text)]


def subheading(text: str, ctx: RenderContext) -> list[Flowable]:
    return [para(ctx.theme, text, "h3", ctx.subheading_role())]


def bullets(
    items: Sequence[str | ListItem],
    ctx: RenderContext,
    *,
    numbered: bool = False,
    path: PathKey | None = None,
) -> list[Flowable]:
    """One ``ListEntry`` per item under one ``L`` (``ListNumbering`` ``Decimal`` or ``Disc``;
    ``None`` when pictograms stand for bullets); labels are drawn in the brand's own font. An
    item with a pictogram has the pictogram as its label instead of the bullet. Each item's text
    is marked with its field: ``path`` and its index (``ctx.where`` when ``path`` is not given,
    as for a bullets block)."""
    where = ctx.where if path is None else path
    theme = ctx.theme
    size = theme.body_size
    icons = any(isinstance(item, ListItem) and item.icon for item in items)
    indent = icon_size(ctx) + size * 0.6 if icons else size * (1.9 if numbered else 1.2)
    group = StructNode("L", numbering="Decimal" if numbered else "None" if icons else "Disc")
    out: list[Flowable] = []
    for n, item in enumerate(items, 1):
        entry = group.add(StructNode("LI"))
        icon = item.icon if isinstance(item, ListItem) else None
        label: Flowable
        if icon:
            label = icon_figure(icon, ctx)
            entry.add(StructNode("Lbl")).add(node_of(label))
        else:
            label = label_para(theme, f"{n}." if numbered else "\u2022", "list_label", "Lbl")
            entry.add(node_of(label))
        body = mark([para(theme, _words(item), "list", "LBody")], (*where, n - 1))[0]
        entry.add(node_of(body))
        last = n == len(items)
        out.append(ListEntry(label, body, indent, entry, size * 0.5 if last else 0, theme.rtl))
    return out


def _words(item: str | ListItem) -> str:
    return item.text if isinstance(item, ListItem) else item


def icon_size(ctx: RenderContext) -> float:
    """How big a pictogram is drawn beside words: two lines of text high."""
    return ctx.theme.body_size * 2


def icon_figure(name: str, ctx: RenderContext) -> Figure:
    """A pictogram as a ``Figure`` whose alt text says what it means, in the handout's language."""
    theme = ctx.theme
    drawing = pictogram(name, icon_size(ctx), theme.colour("primary"), theme.colour("emergency"))
    return Figure(drawing, ctx.labels[alt_label(name)])


def numbered(items: list[str], ctx: RenderContext) -> list[Flowable]:
    return bullets(items, ctx, numbered=True)


def checklist(items: list[str], ctx: RenderContext) -> list[Flowable]:
    """Items each beside an empty tick box (the character ☐, so it is read and copied as a
    box), with room between them; tagged as a list whose labels are the boxes."""
    theme = ctx.theme
    size = theme.body_size
    group = StructNode("L", numbering="None")  # the labels are boxes, not numbers or bullets
    out: list[Flowable] = []
    for n, item in enumerate(items, 1):
        entry = group.add(StructNode("LI"))
        box = label_para(theme, "\u2610", "tick_box", "Lbl")
        body = mark([para(theme, item, "list", "LBody")], (*ctx.where, n - 1))[0]
        entry.add(node_of(box))
        entry.add(node_of(body))
        last = n == len(items)
        gap = size * (0.8 if last else 0.35)
        out.append(ListEntry(box, body, size * 2, entry, gap, theme.rtl))
    return out


def steps(items: list[ListItem], ctx: RenderContext) -> list[Flowable]:
    """Numbered actions, each number white in a disc of the primary colour, a pictogram (if the
    step has one) between the number and the words; tagged ``L`` > ``LI`` > ``Lbl`` (the
    number) + ``LBody`` (the pictogram's ``Figure`` and the words)."""
    theme = ctx.theme
    size = theme.body_size
    disc = size * 2
    group = StructNode("L", numbering="Decimal")
    out: list[Flowable] = []
    for n, item in enumerate(items, 1):
        entry = group.add(StructNode("LI"))
        number = label_para(theme, str(n), "step_number", "Lbl")
        entry.add(node_of(number))
        words = mark([para(theme, item.text, "list", "P")], (*ctx.where, n - 1))[0]
        body: Flowable = words
        if item.icon:
            icon = icon_figure(item.icon, ctx)
            holder = entry.add(StructNode("LBody"))
            holder.add(node_of(icon))
            holder.add(node_of(words))
            body = ListEntry(icon, words, icon_size(ctx) + size * 0.5, holder, rtl=theme.rtl)
        else:
            node_of(words).role = "LBody"
            entry.add(node_of(words))
        badge = StepBadge(number, disc, theme.colour("primary"))
        last = n == len(items)
        gap = size * (0.8 if last else 0.5)
        out.append(ListEntry(badge, body, disc + size * 0.7, entry, gap, theme.rtl))
    return out


def _write_in_widths(
    columns: Sequence[str], room: float, padding: float, theme: Theme
) -> list[float]:
    """The widths of a diary's columns in ``room``: equal when every word of every heading fits
    its column; else in proportion to each heading's longest word, so that on a narrow page
    (a large-print booklet) no word is broken when the words can fit at all."""
    equal = room / len(columns)
    bold, size = theme.fonts.primary.bold, theme.body_size
    needed = [
        max(stringWidth(word, bold, size) for word in plain_text(text, theme.fields).split())
        + 2 * padding
        + 2
        for text in columns
    ]
    if all(n <= equal for n in needed):
        return [equal] * len(columns)
    return [room * n / sum(needed) for n in needed]


def tracker(model: Tracker, ctx: RenderContext) -> list[Flowable]:
    """A diary to fill in: a heading row of what to record, a row per day (or label) headed by
    its label, and empty cells with room to write. It splits across pages with the heading row
    repeated. Tagged ``Table`` > ``THead`` > ``TR`` > ``TH`` (what to record, ``Scope Column``),
    then ``TBody`` > ``TR`` > ``TH`` (the day, ``Scope Row``) and ``TD`` (each empty cell, its
    ``Headers`` its column's heading and its row's)."""
    theme = ctx.theme
    size = theme.body_size
    labels = ctx.labels
    corner = model.row_heading or literal(labels["tracker_row_heading"])
    if model.rows is not None:
        row_labels = list(model.rows)
    else:
        row_labels = [
            literal(labels["tracker_day"].format(n=n)) for n in range(1, model.row_count + 1)
        ]
    where = ctx.where
    header: list[Flowable] = [para(theme, corner, "cell_head", "TH")]
    header += [
        mark([para(theme, column, "cell_head", "TH")], (*where, "columns", c))[0]
        for c, column in enumerate(model.columns)
    ]
    rows: list[list[Flowable]] = [
        [
            mark([para(theme, label, "cell_head", "TH")], (*where, "rows", r))[0],
            *(WriteIn(StructNode("TD")) for _ in model.columns),
        ]
        for r, label in enumerate(row_labels)
    ]
    padding = size * 0.45
    widest = max(
        stringWidth(plain_text(text, theme.fields), theme.fonts.primary.bold, size)
        for text in [corner, *row_labels]
    )
    first = min(max(widest + 2 * padding + 2, size * 4), theme.frame_width * 0.35)
    widths = _write_in_widths(model.columns, theme.frame_width - first, padding, theme)
    table = styled_table(
        [header, *rows],
        ctx,
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), theme.colour("tint")),
            ("BACKGROUND", (0, 1), (0, -1), theme.colour("tint")),
            ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#7A7A7A")),
            ("LINEBELOW", (0, 0), (-1, 0), 1.2, theme.colour("primary")),
            ("BOX", (0, 0), (-1, -1), 1, theme.colour("primary")),
            ("LEFTPADDING", (0, 0), (-1, -1), padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), size * 0.3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.4),
            ("NOSPLIT", (0, 0), (-1, min(2, len(rows)))),  # nor the first day alone at a foot
            ("NOSPLIT", (0, -2), (-1, -1)),  # never the last day alone on a page
        ],
        colWidths=[first, *widths],
        rowHeights=[None] + [max(size * 2.4, 10 * mm)] * len(rows),
        repeatRows=1,
        splitByRow=1,
        rows_split=False,  # a day's row is never cut in two
    )
    node = StructNode("Table")
    head = node.add(StructNode("THead")).add(StructNode("TR"))
    columns = [head.add(node_of(cell)) for cell in header]
    for column in columns:
        column.table = {"Scope": "Column"}
    body = node.add(StructNode("TBody"))
    for row in rows:
        tr = body.add(StructNode("TR"))
        label, *cells = (tr.add(node_of(cell)) for cell in row)
        label.table = {"Scope": "Row"}
        label.headers = [columns[0]]
        for column, cell in zip(columns[1:], cells, strict=True):
            cell.headers = [column, label]
    out: list[Flowable] = []
    if model.title:
        out += mark([para(theme, model.title, "h3", ctx.subheading_role())], (*where, "title"))
    out += [with_node(table, node), Spacer(0, size * 0.8)]
    return out


def column_widths(count: int, width: float) -> list[float]:
    """A first column a little wider than the rest, which share what is left."""
    if count == 1:
        return [width]
    first = width * max(0.3, min(0.42, 1.4 / count))
    return [first] + [(width - first) / (count - 1)] * (count - 1)


def grid_table(
    header: list[str],
    rows: Sequence[Sequence[Flowable | str]],
    ctx: RenderContext,
    extra_style: list[tuple] | None = None,
    width: float | None = None,
) -> Table:
    """A table whose cells wrap, which splits across pages with the header row repeated.

    Tagged ``Table`` > ``THead`` > ``TR`` > ``TH`` (``Scope Column``) for the header row, then
    ``TBody`` > ``TR`` > ``TD`` for the cells. A row of one cell that spans the table (a group
    label) is a ``TH`` with ``Scope Row`` that begins a ``TBody`` of its own: the group. Each
    ``TD`` names its headers (``Headers``): its column's header and its group's label.
    """
    theme = ctx.theme
    size = theme.body_size
    data: list[Sequence[Flowable | str]] = [
        [para(theme, col, "cell_head", "TH") for col in header],
        *rows,
    ]
    table = styled_table(
        data,
        ctx,
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), theme.colour("tint")),
            ("LINEBELOW", (0, 0), (-1, 0), 1.2, theme.colour("primary")),
            ("LINEBELOW", (0, 1), (-1, -1), 0.5, colors.HexColor("#9A9A9A")),
            ("BOX", (0, 0), (-1, -1), 0.8, theme.colour("primary")),
            ("LEFTPADDING", (0, 0), (-1, -1), size * 0.45),
            ("RIGHTPADDING", (0, 0), (-1, -1), size * 0.45),
            ("TOPPADDING", (0, 0), (-1, -1), size * 0.3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.4),
            *(extra_style or []),
        ],
        colWidths=column_widths(len(header), width or theme.frame_width),
        repeatRows=1,
        splitByRow=1,
    )
    return with_node(table, _table_structure(data))


def _table_structure(data: Sequence[Sequence[Flowable | str]]) -> StructNode:
    """``Table`` > ``THead`` (the first row) + a ``TBody`` per group of rows (see
    ``grid_table``)."""
    node = StructNode("Table")
    head, *rows = data
    columns = [node_of(cell) for cell in head if not isinstance(cell, str)]
    header_row = node.add(StructNode("THead")).add(StructNode("TR"))
    for column in columns:
        header_row.add(column)
        column.role, column.table = "TH", {"Scope": "Column"}
    body: StructNode | None = None
    group: StructNode | None = None
    for row in rows:
        cells = [node_of(cell) for cell in row if not isinstance(cell, str)]
        if len(cells) == 1 and len(row) > 1:  # a group label: a new group begins
            body = node.add(StructNode("TBody"))
            group = body.add(StructNode("TR")).add(cells[0])
            group.role, group.table = "TH", {"Scope": "Row", "ColSpan": len(row)}
            continue
        if body is None:
            body = node.add(StructNode("TBody"))
        tr = body.add(StructNode("TR"))
        for column, cell in zip(columns, cells, strict=True):
            tr.add(cell).role = "TD"
            cell.headers = [column, *([group] if group is not None else [])]
    return node


def fits_as_grid(count: int, ctx: RenderContext) -> bool:
    """Whether every column of a ``count``-column table is as wide as the theme needs."""
    return min(column_widths(count, ctx.theme.frame_width)) >= ctx.theme.min_column_width


def stacked_rows(
    header: list[str],
    groups: Sequence[tuple[str | None, list[list[str]], bool]],
    ctx: RenderContext,
    paths: Sequence[PathKey] = (),
) -> Table:
    """A table too wide for its text size, one row under another: each row a block of
    "Column: value" lines, each group led by its label on a tinted band (with a warning edge when
    it is serious). One column only; tagged as paragraphs, the label of a group as a heading."""
    theme = ctx.theme
    size = theme.body_size
    data: list[list[Flowable]] = []
    style: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.8, theme.colour("primary")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#9A9A9A")),
        ("LEFTPADDING", (0, 0), (-1, -1), size * 0.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), size * 0.5),
        ("TOPPADDING", (0, 0), (-1, -1), size * 0.35),
        ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.45),
    ]
    for g, (label, rows, serious) in enumerate(groups):
        where = paths[g] if g < len(paths) else ctx.where
        if label is not None:
            style += [
                ("BACKGROUND", (0, len(data)), (0, len(data)), theme.colour("tint")),
                ("NOSPLIT", (0, len(data)), (0, len(data) + 1)),
            ]
            if serious:
                edge = theme.colour("emergency")
                style.append(("LINEBEFORE", (0, len(data)), (0, len(data)), 4, edge))
            data.append(
                mark([para(theme, label, "group", ctx.subheading_role())], (*where, "label"))
            )
        for r, row in enumerate(rows):
            lines = [
                f"<b>{to_markup(col, theme.fonts, theme.fields)}:</b> "
                f"{to_markup(cell, theme.fonts, theme.fields)}"
                for col, cell in zip(header, row, strict=True)
            ]
            data.append(
                mark([markup_para(theme, "<br/>".join(lines), "cell")], (*where, "rows", r))
            )
    return styled_table(data, ctx, style, colWidths=[theme.frame_width])


class TableOptions(TypedDict, total=False):
    """The settings of ReportLab's ``Table`` that ``styled_table`` passes on."""

    colWidths: Sequence[float]
    rowHeights: Sequence[float | None]
    repeatRows: int
    splitByRow: int


def styled_table(
    data: list,
    ctx: RenderContext,
    style: list[tuple],
    *,
    whole: bool = False,
    rows_split: bool = True,
    **kwargs: Unpack[TableOptions],
) -> Table:
    """A Table whose own default font is ours (ReportLab's default would pull in Helvetica).
    A ``whole`` one (a box) moves to the next page rather than split, unless taller than a page.
    Its rows split across pages unless not ``rows_split`` (rows of a fixed height). In a
    right-to-left handout it is mirrored (see ``mirror``), read in the order given."""
    table: Table
    split = 1 if rows_split else 0
    rows = data
    align: Literal["LEFT", "RIGHT"] = "LEFT"
    if ctx.theme.rtl and data:
        columns = len(data[0])
        rows, style, align = mirror_rows(data), mirror_style(style, columns), "RIGHT"
        if "colWidths" in kwargs:
            kwargs["colWidths"] = list(kwargs["colWidths"])[::-1]
    if whole:
        box = WholeBox(rows, hAlign=align, splitInRow=split, **kwargs)
        box.page_height = ctx.theme.frame_height
        table = box
    else:
        table = SplitTable(rows, hAlign=align, splitInRow=split, **kwargs)
    if rows is not data:
        table.__dict__["reading_order"] = data
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), ctx.theme.fonts.primary.regular), *style])
    return table


def table(model: TableModel, ctx: RenderContext) -> list[Flowable]:
    if not fits_as_grid(len(model.columns), ctx):
        grid = stacked_rows(model.columns, [(None, model.rows, False)], ctx)
        caption_role = "P"
    else:
        where = ctx.where
        rows = [
            [
                mark([para(ctx.theme, cell, "cell")], (*where, "rows", r, c))[0]
                for c, cell in enumerate(row)
            ]
            for r, row in enumerate(model.rows)
        ]
        grid = grid_table(model.columns, rows, ctx)
        caption_role = "Caption"
    out: list[Flowable] = [grid]
    if model.caption:
        caption = mark(
            [para(ctx.theme, model.caption, "caption", caption_role)], (*ctx.where, "caption")
        )[0]
        node: StructNode | None = getattr(grid, "node", None)  # stacked rows have none
        if node is not None:
            node.add(node_of(caption))  # a table's caption is its last kid
        out.append(caption)
    else:
        out.append(Spacer(0, ctx.theme.body_size * 0.6))
    return out


def callout(model: Callout, ctx: RenderContext) -> list[Flowable]:
    """A tinted box with a coloured edge, tagged as a ``Div``. A warning also says so with a
    sign and, when it has no title, a word: its red edge is never the only cue."""
    theme = ctx.theme
    size = theme.body_size
    warning = model.kind == "warning"
    edge = theme.colour("emergency" if warning else "primary")
    inner: list[Flowable] = []
    if warning:
        title = model.title or literal(ctx.labels["warning"])
        inner.append(para(theme, f"⚠ {title}", "callout_title"))
    elif model.title:
        inner.append(para(theme, model.title, "callout_title"))
    if model.text:
        inner += mark([para(theme, model.text, "cell")], (*ctx.where, "text"))
    if model.bullets:
        if model.text:
            inner.append(Spacer(0, size * 0.3))
        inner.extend(bullets(model.bullets, ctx, path=(*ctx.where, "bullets")))
    box = styled_table(
        [[inner]],
        ctx,
        [
            ("BACKGROUND", (0, 0), (-1, -1), theme.colour("tint")),
            ("LINEBEFORE", (0, 0), (0, -1), 4, edge),
            ("LEFTPADDING", (0, 0), (-1, -1), size * 0.9),
            ("RIGHTPADDING", (0, 0), (-1, -1), size * 0.7),
            ("TOPPADDING", (0, 0), (-1, -1), size * 0.6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.3),
        ],
        colWidths=[theme.frame_width],
        whole=True,
    )
    with_node(box, StructNode("Div", open=True))
    return [box, Spacer(0, size * 0.8)]


def image(model: Image, ctx: RenderContext) -> list[Flowable]:
    theme = ctx.theme
    path = ctx.asset(model.src)
    max_w = theme.frame_width * model.width_percent / 100
    max_h = theme.frame_height * 0.6
    if path.suffix.lower() == ".svg":
        flow = _svg(path, max_w, max_h)
    else:
        flow = ImageFlowable(str(path))
        w, h = flow.imageWidth, flow.imageHeight
        scale = min(max_w / w, max_h / h)
        flow.drawWidth, flow.drawHeight = w * scale, h * scale
    flow.hAlign = "RIGHT" if theme.rtl else "LEFT"
    parts: list[Flowable] = [Figure(flow, model.alt)]
    parts.append(para(theme, model.caption, "caption") if model.caption else Spacer(0, 4 * mm))
    return [KeepTogether(parts)]


def _svg(path: Path, max_w: float, max_h: float) -> Flowable:
    """An SVG picture that ``source.images`` has passed, scaled to fit."""
    drawing = svg_drawing(path.read_bytes())
    scale = min(max_w / drawing.width, max_h / drawing.height)
    drawing.scale(scale, scale)
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    return Picture(drawing)


BLOCK_RENDERERS: dict[str, Callable[..., list[Flowable]]] = {
    "paragraph": paragraph,
    "subheading": subheading,
    "bullets": bullets,
    "numbered": numbered,
    "table": table,
    "callout": callout,
    "image": image,
    "checklist": checklist,
    "tracker": tracker,
    "steps": steps,
}
