"""Sections of a handout to flowables, in a fixed order.

Takes a ``Handout`` and a ``RenderContext``; ``story()`` gives every flowable of the document:
title, the key facts, then overview, symptoms, medications, side-effect tables, when to get help,
words to know, sources and the disclaimer, a QR code of the online version and the contact block,
with each free section right after the fixed section it names (``render_sections`` gives those of
some sections only, for a layout that places parts of the story apart). Each flowable is tagged
(see ``tagging``): the title is ``H1``, section headings ``H2``, headings inside a section one
level below the heading they follow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import white
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from handout_builder.inline import literal
from handout_builder.layout.blocks import (
    bullets,
    fits_as_grid,
    grid_table,
    render_blocks,
    stacked_rows,
    styled_table,
)
from handout_builder.layout.context import RenderContext
from handout_builder.layout.fields import mark
from handout_builder.layout.flowables import ListEntry, Together, tier_icon
from handout_builder.layout.furniture import leaflet_lines
from handout_builder.layout.markup import to_markup
from handout_builder.layout.text import label_para, markup_para, para
from handout_builder.look.brand import online_address
from handout_builder.look.theme import Theme
from handout_builder.model import FreeSection, Handout, Reference, SeekCareTier, SideEffectTable
from handout_builder.pdf.tagging import LinkedFigure, StructNode, node_of, with_node
from handout_builder.source.reader import PathKey


def title(handout: Handout, ctx: RenderContext) -> list[Flowable]:
    out: list[Flowable] = mark([para(ctx.theme, handout.title, "title", "H1")], ("title",))
    if handout.subtitle:
        out += mark([para(ctx.theme, handout.subtitle, "subtitle")], ("subtitle",))
    else:
        out.append(Spacer(0, ctx.theme.body_size * 0.6))
    return out


def key_facts(handout: Handout, ctx: RenderContext) -> list[Flowable]:
    """The key points in a box of their own, headed "Key facts" and tagged as a list (each
    with its pictogram, if it has one), and, when ``seek_care.on_first_page`` asks for it, the
    emergency tier in compact form under them. Tagged as one ``Div``."""
    points = handout.key_points or []
    care = handout.seek_care
    emergency = care.emergency if care and care.on_first_page else None
    if not points and emergency is None:
        return []
    theme = ctx.theme
    size = theme.body_size
    pad = size * 0.8
    inner_width = theme.frame_width - 2 * pad - 3
    inner: list[Flowable] = [ctx.heading(ctx.labels["key_facts"], style_name="key_facts_title")]
    inner += bullets(points, ctx, path=("key_points",))
    if emergency is not None:
        if points:
            inner.append(Spacer(0, size * 0.2))
        inner += care_tier("emergency", emergency, ctx, width=inner_width, compact=True)
    box = styled_table(
        [[inner]],
        ctx,
        [
            ("BACKGROUND", (0, 0), (-1, -1), theme.colour("tint")),
            ("BOX", (0, 0), (-1, -1), 1.2, theme.colour("primary")),
            ("LINEBEFORE", (0, 0), (0, -1), 5, theme.colour("primary")),
            ("LEFTPADDING", (0, 0), (-1, -1), pad + 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.5),
        ],
        colWidths=[theme.frame_width],  # not whole: it starts on page 1 even if it runs over
    )
    with_node(box, StructNode("Div", open=True))
    return [box, Spacer(0, size * 0.9)]


def overview(handout: Handout, ctx: RenderContext) -> list[Flowable]:
    return [
        ctx.heading(ctx.labels["overview"]),
        *render_blocks(handout.overview, ctx, ("overview",)),
    ]


def symptoms(handout: Handout, ctx: RenderContext) -> list[Flowable]:
    if not handout.symptoms:
        return []
    return [
        ctx.heading(ctx.labels["symptoms"]),
        *render_blocks(handout.symptoms, ctx, ("symptoms",)),
    ]


def medications(handout: Handout, ctx: RenderContext) -> list[Flowable]:
    meds = handout.medications
    if not meds:
        return []
    labels = ctx.labels
    theme = ctx.theme
    many = len(meds) > 1
    out: list[Flowable] = [ctx.heading(labels["medications_many"])] if many else []
    for m, med in enumerate(meds):
        if many:
            out.append(ctx.heading(med.name, level=1, content=True))
        else:
            out.append(ctx.heading(f"{labels['medications']}: {med.name}"))
        facts = []
        if med.other_names:
            facts.append(f"**{labels['other_names']}:** " + ", ".join(med.other_names))
        if med.drug_class:
            facts.append(f"**{labels['drug_class']}:** {med.drug_class}")
        for n, fact in enumerate(facts, 1):  # the name never ends a page with only some facts
            out.append(para(theme, fact))
            out[-1].keepWithNext = int(n < len(facts))
        for key in ("used_for", "how_to_take", "dose_notes", "missed_dose"):
            blocks = getattr(med, key)
            if blocks:
                out.append(label_para(theme, labels[key], "h3", ctx.subheading_role()))
                out.extend(render_blocks(blocks, ctx, ("medications", m, key)))
            if key == "how_to_take":
                for list_key in ("tips", "avoid"):
                    items = getattr(med, list_key)
                    if items:
                        out.append(label_para(theme, labels[list_key], "h3", ctx.subheading_role()))
                        out.extend(bullets(items, ctx, path=("medications", m, list_key)))
    return out


def side_effects(handout: Handout, ctx: RenderContext) -> list[Flowable]:
    if not handout.side_effects:
        return []
    out: list[Flowable] = [ctx.heading(ctx.labels["side_effects"])]
    for t, table in enumerate(handout.side_effects):
        ctx.where = ("side_effects", t)
        out.extend(mark(side_effect_table(table, ctx), ctx.where))
    return out


def side_effect_table(model: SideEffectTable, ctx: RenderContext) -> list[Flowable]:
    """A grouped table: a full-width label row per group, serious groups marked in words."""
    theme = ctx.theme
    where = ctx.where
    out: list[Flowable] = [para(theme, model.title, "h2", ctx.subheading_role())]
    mark(out, (*where, "title"))
    if model.intro:
        intro = para(theme, model.intro)
        intro.keepWithNext = 1  # with its table, as the title is: neither ends a page alone
        out += mark([intro], (*where, "intro"))
    if fits_as_grid(len(model.columns), ctx):
        out.append(_grouped_grid(model, ctx))
    else:
        depth, ctx.depth = ctx.depth, ctx.depth + 1  # group labels go under the table's title
        groups = [(_group_label(g.label, g.serious, ctx), g.rows, g.serious) for g in model.groups]
        paths = [(*where, "groups", g) for g in range(len(model.groups))]
        out.append(stacked_rows(model.columns, groups, ctx, paths))
        ctx.depth = depth
    out.append(Spacer(0, theme.body_size * 0.8))
    return out


def _group_label(label: str, serious: bool, ctx: RenderContext) -> str:
    if not serious:
        return label
    word = ctx.labels["serious"]
    return f"⚠ {label}" if label.lower().startswith(word.lower()) else f"⚠ {word}: {label}"


def _grouped_grid(model: SideEffectTable, ctx: RenderContext) -> Flowable:
    theme = ctx.theme
    ncols = len(model.columns)
    rows: list[Sequence[Flowable | str]] = []
    extra: list[tuple] = []
    for g, group in enumerate(model.groups):
        where = (*ctx.where, "groups", g)
        r = len(rows) + 1
        label = _group_label(group.label, group.serious, ctx)
        rows.append([*mark([para(theme, label, "group")], (*where, "label")), *[""] * (ncols - 1)])
        extra += [
            ("SPAN", (0, r), (-1, r)),
            ("BACKGROUND", (0, r), (-1, r), theme.colour("tint")),
            # a group label never ends a page: it stays with its first row
            ("NOSPLIT", (0, r), (-1, r + 1)),
        ]
        if group.serious:
            extra.append(("LINEBEFORE", (0, r), (0, r), 4, theme.colour("emergency")))
        for k, row in enumerate(group.rows):
            cells = [para(theme, cell, "cell") for cell in row]
            rows.append([mark([p], (*where, "rows", k, c))[0] for c, p in enumerate(cells)])
    return grid_table(model.columns, rows, ctx, extra)


TIERS = ("emergency", "today", "next_visit")


def seek_care(handout: Handout, ctx: RenderContext) -> list[Flowable]:
    care = handout.seek_care
    if not care:
        return []
    out: list[Flowable] = [
        CondPageBreak(ctx.theme.frame_height * 0.25),
        ctx.heading(ctx.labels["seek_care"]),
    ]
    if care.intro:
        intro = para(ctx.theme, care.intro)
        intro.keepWithNext = 1  # with the first tier: the heading and it never end a page alone
        out += mark([intro], ("seek_care", "intro"))
    for kind in TIERS:
        tier = getattr(care, kind)
        if tier:
            out.extend(mark(care_tier(kind, tier, ctx), ("seek_care", kind)))
            out.append(Spacer(0, ctx.theme.body_size * 0.6))
    return out


def care_tier(
    kind: str,
    tier: SeekCareTier,
    ctx: RenderContext,
    *,
    width: float | None = None,
    compact: bool = False,
) -> list[Flowable]:
    """One tier: a coloured band with an icon and a word (so colour is never the only cue),
    beside the heading and the signs, or above them where the theme wants no side-by-side
    layout. The icon is decoration; the word is read. Tagged as one ``Div``. A ``compact`` tier
    (in the key-facts box) has a smaller icon, less padding, and leaves out the note; ``width``
    is the width it takes (the column's by default)."""
    theme = ctx.theme
    size = theme.body_size
    width = width or theme.frame_width
    colour = theme.colour(kind)
    heading = tier.heading or ctx.labels[kind].format(number=theme.brand.emergency_number)
    where = ("seek_care", kind)
    [title] = mark(
        [para(theme, heading, "tier_heading", ctx.subheading_role())], (*where, "heading")
    )
    first, *signs = bullets(tier.items, ctx, path=(*where, "items"))
    # The heading and the first sign stay together when the box splits across pages.
    body: list[Flowable] = [Together([title, first]), *signs]
    if tier.note and not compact:
        body += mark([para(theme, tier.note, "cell")], (*where, "note"))
    icon = tier_icon(kind, size * (1.5 if compact else 2), colour)
    word = label_para(theme, ctx.labels[f"badge_{kind}"], "tier_badge")
    room = 0.6 if compact else 1.0
    padding = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), size * 0.7 * room),
        ("RIGHTPADDING", (0, 0), (-1, -1), size * 0.7 * room),
        ("TOPPADDING", (0, 0), (-1, -1), size * 0.6 * room),
        ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.2),
    ]
    group = StructNode("Div", open=True)
    if theme.side_badges and width >= size * 30:
        badge_w = _badge_width(ctx)
        box = styled_table(
            [[[Together([icon, Spacer(0, size * 0.3), word])], body]],  # the word under its icon
            ctx,
            [
                ("BACKGROUND", (0, 0), (0, -1), colour),
                ("BOX", (0, 0), (-1, -1), 2, colour),
                *padding,
            ],
            colWidths=[badge_w, width - badge_w],
        )
        with_node(box, group)
        return [box]
    icon_w = size * (2.5 if compact else 3.2)
    band = styled_table(
        [[icon, word]],
        ctx,
        [
            ("BACKGROUND", (0, 0), (-1, -1), colour),
            *padding,
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.6 * room),
            ("RIGHTPADDING", (0, 0), (0, 0), 0),
        ],
        colWidths=[icon_w, width - icon_w],
    )
    band.keepWithNext = 1  # the band stays with the start of its tier
    box = styled_table(
        [[body]],
        ctx,
        [("BOX", (0, 0), (-1, -1), 2, colour), ("BACKGROUND", (0, 0), (-1, -1), white), *padding],
        colWidths=[width],
    )
    with_node(band, group)
    with_node(box, group)
    return [band, box]


def _badge_width(ctx: RenderContext) -> float:
    """The width of the badge column beside every tier: wide enough for the longest word of any
    tier's badge in the handout's language, so no word is ever broken ("NEXT VISIT" is short;
    "СЛЕДУЮЩИЙ ВИЗИТ" is not), and the same for all three tiers so they line up. At most a
    third of the frame; a word longer than that still wraps."""
    theme = ctx.theme
    size = theme.body_size
    style = theme.style("tier_badge")
    words = {w for kind in TIERS for w in ctx.labels[f"badge_{kind}"].split()}
    widest = max(
        (
            sum(stringWidth(chunk, family.bold, style.fontSize) for family, chunk in runs)
            for runs in (theme.fonts.runs(w) for w in words)
        ),
        default=0.0,
    )
    padding = size * 0.7 * 2
    return min(max(size * 8.6, widest + padding + 1), theme.frame_width / 3)


def glossary(handout: Handout, ctx: RenderContext) -> list[Flowable]:
    if not handout.glossary:
        return []
    out: list[Flowable] = [ctx.heading(ctx.labels["glossary"])]
    for g, entry in enumerate(handout.glossary):
        term = literal(entry.term)
        out += mark([para(ctx.theme, f"**{term}:** {entry.meaning}")], ("glossary", g))
    return out


def references(handout: Handout, ctx: RenderContext) -> list[Flowable]:
    """Numbered sources, then the brand's disclaimer. In small print (a sheet, a trifold) the
    sources are set at the footer's size under a smaller heading."""
    theme = ctx.theme
    small = ctx.small_print
    out: list[Flowable] = []
    if handout.references:
        out.append(ctx.heading(ctx.labels["references"], style_name="h3" if small else None))
        out += reference_list(handout.references, theme, small)
    if theme.brand.disclaimer:
        disclaimer = para(theme, literal(theme.brand.disclaimer), "disclaimer")
        disclaimer.keepWithNext = 1  # the closing words stay together with the contact block
        out.append(disclaimer)
    return out


def online(handout: Handout, ctx: RenderContext) -> list[Flowable]:
    """Where to read the handout online, when the brand says (``online_url``): a line saying
    so, a QR code of the address (a ``Figure`` with alt text, inside a ``Link`` with its link
    annotation) and the address printed under it, kept together and with the contact block
    that follows it."""
    url = online_address(ctx.theme.brand, handout.id, handout.language)
    if url is None:
        return []
    theme = ctx.theme
    side = min(26 * mm, theme.frame_width * 0.5)
    widget = QrCodeWidget(url, barLevel="M")  # four modules of white border around it
    widget.barWidth = widget.barHeight = side
    code = Drawing(side, side)
    code.add(widget)
    code.hAlign = "RIGHT" if theme.rtl else "LEFT"
    figure = LinkedFigure(code, ctx.labels["online_alt"].format(url=url), url)
    link = node_of(figure).parent
    assert link is not None
    StructNode("P").add(link)  # a link is inline: it sits inside a paragraph
    address = _link(url, theme, theme.style("online_url"), theme.footer_size / theme.body_size)
    StructNode("P").add(node_of(address))
    kept: list[Flowable] = [
        Spacer(0, theme.body_size * 0.6),
        label_para(theme, ctx.labels["online"], "callout_title"),
        figure,
        address,
    ]
    for flowable in kept:  # together, and with the contact block that follows (on the last page)
        flowable.keepWithNext = 1
    return kept


def reference_list(refs: Sequence[Reference], theme: Theme, small: bool = False) -> list[Flowable]:
    """The sources as a numbered list (``L``, ``ListNumbering Decimal``): the number is the
    ``Lbl``, the citation the ``LBody``, and a source's address, on its own line under the
    citation, a ``Link`` inside that ``LBody``, never split across pages. In ``small`` print, at
    the footer's size."""
    size = theme.footer_size if small else theme.body_size
    label_style = "fine_print" if small else "list_label"
    widest = stringWidth(f"{len(refs)}.", theme.style(label_style).fontName, size)
    indent = max(size * 1.2, widest + size * 0.3)
    rtl = theme.rtl
    url_style = ParagraphStyle(  # the address lines up with the citation, on the label's side
        "reference_url",
        theme.style("fine_print_url" if small else "reference_url"),
        leftIndent=0 if rtl else indent,
        rightIndent=indent if rtl else 0,
    )
    group = StructNode("L", numbering="Decimal")
    out: list[Flowable] = []
    for n, ref in enumerate(refs, 1):
        item = group.add(StructNode("LI"))
        label = label_para(theme, f"{n}.", label_style, "Lbl")
        if small:
            style = "fine_print_head" if ref.url else "fine_print"
        else:
            style = "reference_head" if ref.url else "reference"
        citation = markup_para(
            theme, to_markup(ref.citation, theme.fonts, theme.fields), style, "LBody"
        )
        mark([citation], ("references", n - 1, "citation"))
        item.add(node_of(label))
        body = item.add(node_of(citation))
        entry = ListEntry(label, citation, indent, item, rtl=rtl)
        out.append(entry)
        if ref.url:
            entry.keepWithNext = 1
            link = mark([_link(ref.url, theme, url_style)], ("references", n - 1, "url"))[0]
            body.add(node_of(link))  # a link is inline: it belongs to the citation
            out.append(Together([link]))  # never split across pages: it is read and typed whole
    return out


def _link(url: str, theme: Theme, style: ParagraphStyle, smallest: float = 0.8) -> Flowable:
    """An address as a tagged link, on one line if it can be: an address too wide for the
    column is set smaller, down to ``smallest`` times its style's size (an address cut in two
    is hard to type, and is read with a break in it), and only then wraps."""
    text = to_markup(literal(url), theme.fonts)
    room = theme.frame_width - style.leftIndent - style.rightIndent
    width = stringWidth(url, theme.fonts.primary.regular, style.fontSize)
    if width > room:
        size = max(style.fontSize * smallest, style.fontSize * room / width - 0.05)
        text = f'<font size="{size:.1f}">{text}</font>'
    href = url.replace("&", "&amp;").replace('"', "%22").replace("<", "%3C")
    colour = theme.brand.colours.primary
    return markup_para(theme, f'<link href="{href}" color="{colour}">{text}</link>', style, "Link")


def contact(handout: Handout, ctx: RenderContext) -> list[Flowable]:
    """The contact block at the end: the clinic's name and contact details, the brand's footer
    line and the leaflet's version and review line (``furniture.leaflet_lines``), at body size
    under a rule, the first in bold. The footer of every page repeats them as artifacts; here a
    screen reader reads them once, and a reader of large print finds them at the body size.
    Tagged as one ``Div``."""
    theme = ctx.theme
    size = theme.body_size
    reach, *more = leaflet_lines(handout, theme.brand, ctx.approval)
    lines = [
        para(theme, f"**{literal(reach)}**", "contact"),  # how to reach the clinic stands out
        *(label_para(theme, line, "contact") for line in more),
    ]
    block = styled_table(
        [[lines]],
        ctx,
        [
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, theme.colour("primary")),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), size * 0.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ],
        colWidths=[theme.frame_width],
        whole=True,
    )
    block.spaceBefore = size * 0.8  # not a Spacer: the disclaimer keeps with the block itself
    with_node(block, StructNode("Div", open=True))
    return [block]


def free_sections(place: str) -> Callable[[Handout, RenderContext], list[Flowable]]:
    def render(handout: Handout, ctx: RenderContext) -> list[Flowable]:
        out: list[Flowable] = []
        for i, section in enumerate(handout.sections):
            if section.after == place:
                out.extend(mark(free_section(section, ctx, ("sections", i)), ("sections", i)))
        return out

    return render


def free_section(
    section: FreeSection, ctx: RenderContext, path: PathKey = ("sections",)
) -> list[Flowable]:
    heading = mark([ctx.heading(section.heading, content=True)], (*path, "heading"))
    return [*heading, *render_blocks(section.blocks, ctx, (*path, "blocks"))]


SECTION_RENDERERS: dict[str, Callable[[Handout, RenderContext], list[Flowable]]] = {
    "title": title,
    "key_points": key_facts,
    "overview": overview,
    "after:overview": free_sections("overview"),
    "symptoms": symptoms,
    "after:symptoms": free_sections("symptoms"),
    "medications": medications,
    "after:medications": free_sections("medications"),
    "side_effects": side_effects,
    "after:side_effects": free_sections("side_effects"),
    "seek_care": seek_care,
    "after:seek_care": free_sections("seek_care"),
    "glossary": glossary,
    "references": references,
    "online": online,
    "contact": contact,
}
ORDER = tuple(SECTION_RENDERERS)
LEAD = ("title", "key_points")
"""The sections that open page 1: what a layout may set apart (across a sheet's columns, on a
trifold's front cover)."""
BACK = ("references", "online", "contact")
"""The sections that close the handout: what a trifold puts on its back cover."""


def story(handout: Handout, ctx: RenderContext) -> list[Flowable]:
    """Every flowable of the handout, in reading order."""
    return render_sections(handout, ctx, ORDER)


def render_sections(handout: Handout, ctx: RenderContext, names: Sequence[str]) -> list[Flowable]:
    """The flowables of the sections ``names`` (from ``ORDER``), in that order."""
    out: list[Flowable] = []
    for name in names:
        out.extend(SECTION_RENDERERS[name](handout, ctx))
    return out
