"""Blocks (paragraph, subheading, lists, table, callout, image) to flowables.

Takes one ``Block`` and the render context; gives a list of flowables. One function per kind of
block, chosen from ``BLOCK_RENDERERS``; an unknown kind raises.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, ListFlowable, ListItem, Spacer, Table
from reportlab.platypus import Image as ImageFlowable

from handout_builder.model import Block, Callout, Image
from handout_builder.model import Table as TableModel

if TYPE_CHECKING:
    from handout_builder.render.sections import RenderContext


def render_blocks(blocks: list[Block], ctx: RenderContext) -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks:
        renderer = BLOCK_RENDERERS[block.kind]
        out.extend(renderer(getattr(block, block.kind), ctx))
    return out


def paragraph(text: str, ctx: RenderContext) -> list[Flowable]:
    return [ctx.theme.text(text)]


def subheading(text: str, ctx: RenderContext) -> list[Flowable]:
    return [ctx.theme.text(text, "h3")]


def bullets(items: list[str], ctx: RenderContext, *, numbered: bool = False) -> list[Flowable]:
    theme = ctx.theme
    size = theme.brand.body_size
    flow = ListFlowable(
        [ListItem(theme.text(item, "list")) for item in items],
        bulletType="1" if numbered else "bullet",
        start=None if numbered else "\u2022",
        bulletFormat="%s." if numbered else None,
        bulletFontName=theme.fonts.primary.regular,
        bulletFontSize=size,
        bulletColor=theme.colour("text"),
        leftIndent=size * 1.6,
        bulletDedent=size * 1.1 if not numbered else size * 1.5,
        spaceAfter=size * 0.5,
    )
    return [flow]


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
    rows: list[list[Flowable]],
    ctx: RenderContext,
    extra_style: list[tuple] | None = None,
    width: float | None = None,
) -> Table:
    """A table whose cells wrap, which splits across pages with the header row repeated."""
    theme = ctx.theme
    size = theme.brand.body_size
    data = [[theme.text(col, "cell_head") for col in header], *rows]
    return styled_table(
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


def styled_table(data: list, ctx: RenderContext, style: list[tuple], **kwargs: object) -> Table:
    """A Table whose own default font is ours (ReportLab's default would pull in Helvetica)."""
    table = Table(data, hAlign="LEFT", splitInRow=1, **kwargs)
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), ctx.theme.fonts.primary.regular), *style])
    return table


def table(model: TableModel, ctx: RenderContext) -> list[Flowable]:
    rows = [[ctx.theme.text(cell, "cell") for cell in row] for row in model.rows]
    out: list[Flowable] = [grid_table(model.columns, rows, ctx)]
    if model.caption:
        out.append(ctx.theme.text(model.caption, "caption"))
    else:
        out.append(Spacer(0, ctx.theme.brand.body_size * 0.6))
    return out


def callout(model: Callout, ctx: RenderContext) -> list[Flowable]:
    theme = ctx.theme
    size = theme.brand.body_size
    edge = theme.colour("emergency" if model.kind == "warning" else "primary")
    inner: list[Flowable] = []
    if model.title:
        inner.append(theme.text(model.title, "callout_title"))
    if model.text:
        inner.append(theme.text(model.text, "cell"))
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
    )
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
    flow.hAlign = "LEFT"
    flow._hb_alt = model.alt  # kept for tagging and for tests
    parts: list[Flowable] = [flow]
    parts.append(theme.text(model.caption, "caption") if model.caption else Spacer(0, 4 * mm))
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
