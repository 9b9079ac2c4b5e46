"""Blocks (paragraph, subheading, lists, table, callout, image) to flowables.

Takes one ``Block`` and the render context; gives a list of tagged flowables (see ``tagging``):
lists as ``L``/``LI``/``Lbl``/``LBody``, tables as ``Table``/``TR``/``TH``/``TD`` (or, where the
theme says columns would be too narrow, as stacked rows of "Column: value" lines), pictures as
``Figure`` with their alt text. One function per kind of block, chosen from ``BLOCK_RENDERERS``; an
unknown kind raises.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal, TypedDict, Unpack

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table
from reportlab.platypus import Image as ImageFlowable

from handout_builder.inline import literal
from handout_builder.layout.context import RenderContext
from handout_builder.layout.flowables import ListEntry, WholeBox
from handout_builder.layout.markup import to_markup
from handout_builder.layout.mirror import mirror_rows, mirror_style
from handout_builder.layout.text import label_para, markup_para, para
from handout_builder.model import Block, Callout, Image
from handout_builder.model import Table as TableModel
from handout_builder.pdf.tagging import Figure, StructNode, node_of, with_node


def render_blocks(blocks: list[Block], ctx: RenderContext) -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks:
        renderer = BLOCK_RENDERERS[block.kind]
        out.extend(renderer(getattr(block, block.kind), ctx))
    return out


def paragraph(text: str, ctx: RenderContext) -> list[Flowable]:
    return [para(ctx.theme, text)]


def subheading(text: str, ctx: RenderContext) -> list[Flowable]:
    return [para(ctx.theme, text, "h3", ctx.subheading_role())]


def bullets(items: list[str], ctx: RenderContext, *, numbered: bool = False) -> list[Flowable]:
    """One ``ListEntry`` per item under one ``L`` (``ListNumbering`` ``Decimal`` or ``Disc``);
    labels are drawn in the brand's own font."""
    theme = ctx.theme
    size = theme.body_size
    indent = size * (1.9 if numbered else 1.2)
    group = StructNode("L", numbering="Decimal" if numbered else "Disc")
    out: list[Flowable] = []
    for n, item in enumerate(items, 1):
        entry = group.add(StructNode("LI"))
        label = label_para(theme, f"{n}." if numbered else "\u2022", "list_label", "Lbl")
        body = para(theme, item, "list", "LBody")
        entry.add(node_of(label))
        entry.add(node_of(body))
        last = n == len(items)
        out.append(ListEntry(label, body, indent, entry, size * 0.5 if last else 0, theme.rtl))
    return out


def numbered(items: list[str], ctx: RenderContext) -> list[Flowable]:
    return bullets(items, ctx, numbered=True)


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
    for label, rows, serious in groups:
        if label is not None:
            style += [
                ("BACKGROUND", (0, len(data)), (0, len(data)), theme.colour("tint")),
                ("NOSPLIT", (0, len(data)), (0, len(data) + 1)),
            ]
            if serious:
                edge = theme.colour("emergency")
                style.append(("LINEBEFORE", (0, len(data)), (0, len(data)), 4, edge))
            data.append([para(theme, label, "group", ctx.subheading_role())])
        for row in rows:
            lines = [
                f"<b>{to_markup(col, theme.fonts)}:</b> {to_markup(cell, theme.fonts)}"
                for col, cell in zip(header, row, strict=True)
            ]
            data.append([markup_para(theme, "<br/>".join(lines), "cell")])
    return styled_table(data, ctx, style, colWidths=[theme.frame_width])


class TableOptions(TypedDict, total=False):
    """The settings of ReportLab's ``Table`` that ``styled_table`` passes on."""

    colWidths: Sequence[float]
    repeatRows: int
    splitByRow: int


def styled_table(
    data: list,
    ctx: RenderContext,
    style: list[tuple],
    *,
    whole: bool = False,
    **kwargs: Unpack[TableOptions],
) -> Table:
    """A Table whose own default font is ours (ReportLab's default would pull in Helvetica).
    A ``whole`` one (a box) moves to the next page rather than split, unless taller than a page.
    In a right-to-left handout it is mirrored (see ``mirror``), read in the order given."""
    table: Table
    rows = data
    align: Literal["LEFT", "RIGHT"] = "LEFT"
    if ctx.theme.rtl and data:
        columns = len(data[0])
        rows, style, align = mirror_rows(data), mirror_style(style, columns), "RIGHT"
        if "colWidths" in kwargs:
            kwargs["colWidths"] = list(kwargs["colWidths"])[::-1]
    if whole:
        box = WholeBox(rows, hAlign=align, splitInRow=1, **kwargs)
        box.page_height = ctx.theme.frame_height
        table = box
    else:
        table = Table(rows, hAlign=align, splitInRow=1, **kwargs)
    if rows is not data:
        table.__dict__["reading_order"] = data
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), ctx.theme.fonts.primary.regular), *style])
    return table


def table(model: TableModel, ctx: RenderContext) -> list[Flowable]:
    if not fits_as_grid(len(model.columns), ctx):
        grid = stacked_rows(model.columns, [(None, model.rows, False)], ctx)
        caption_role = "P"
    else:
        rows = [[para(ctx.theme, cell, "cell") for cell in row] for row in model.rows]
        grid = grid_table(model.columns, rows, ctx)
        caption_role = "Caption"
    out: list[Flowable] = [grid]
    if model.caption:
        caption = para(ctx.theme, model.caption, "caption", caption_role)
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
        inner.append(para(theme, model.text, "cell"))
    if model.bullets:
        if model.text:
            inner.append(Spacer(0, size * 0.3))
        inner.extend(bullets(model.bullets, ctx))
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
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(str(path))
    if drawing is None or not drawing.width or not drawing.height:
        raise ValueError(f"cannot read SVG image {path.name}")
    scale = min(max_w / drawing.width, max_h / drawing.height)
    drawing.scale(scale, scale)
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    return drawing


BLOCK_RENDERERS: dict[str, Callable[..., list[Flowable]]] = {
    "paragraph": paragraph,
    "subheading": subheading,
    "bullets": bullets,
    "numbered": numbered,
    "table": table,
    "callout": callout,
    "image": image,
}
