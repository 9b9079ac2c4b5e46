"""The same handout for other typesetters: Typst markup and HTML for WeasyPrint.

Takes a validated ``Handout`` and the brand; gives a document for each tool with the leaflet's
content in the same order (title, sections, lists, tables with their groups, callouts, care tiers,
words to know, sources, disclaimer), the same paper, margins, font (Atkinson Hyperlegible, from
``fonts/``), text size, line spacing and colours, a footer with "Page X of Y", and a tagged PDF
where the tool makes one. It is a fair copy for timing, not a second renderer: the icons, the logo
and the exact spacing of handout-builder's own leaflets are left out, which only makes the other
tools' work lighter. Only ``**bold**`` and ``*italic*`` are read in the text, as in handouts.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from handout_builder.inline import parse_inline
from handout_builder.look.brand import Brand
from handout_builder.model import Block, Handout

TIERS = (
    ("emergency", "Call {number} now"),
    ("today", "Call your care team today"),
    ("next_visit", "Tell us at your next visit"),
)
PAPER = {"letter": "us-letter", "a4": "a4"}


def _sections(handout: Handout) -> Iterator[tuple[str, str, object]]:
    """(kind, heading, content) for each part of the leaflet, in handout-builder's order."""
    free = {place: [s for s in handout.sections if s.after == place] for place in _PLACES}
    yield "blocks", "What you need to know", handout.overview
    for place in _PLACES:
        if place == "symptoms" and handout.symptoms:
            yield "blocks", "Symptoms", handout.symptoms
        if place == "medications" and handout.medications:
            yield "medications", "Medicines", handout.medications
        if place == "side_effects" and handout.side_effects:
            yield "side_effects", "Side effects", handout.side_effects
        if place == "seek_care" and handout.seek_care:
            yield "seek_care", "When to get help", handout.seek_care
        for section in free[place]:
            yield "blocks", section.heading, section.blocks
    if handout.glossary:
        yield "glossary", "Words to know", handout.glossary
    if handout.references:
        yield "references", "Sources", handout.references


_PLACES = ("overview", "symptoms", "medications", "side_effects", "seek_care")


# --- Typst ---------------------------------------------------------------------------------------


def _t(text: str) -> str:
    """Content text as Typst markup: literal strings, bold and italic runs."""
    out = []
    for run in parse_inline(text):
        piece = '#"' + run.text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if run.italic:
            piece = f"#emph[{piece}]"
        if run.bold:
            piece = f"#strong[{piece}]"
        out.append(piece)
    return "".join(out)


def _typst_blocks(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        kind = block.kind
        value = getattr(block, kind)
        if kind == "paragraph":
            out.append(_t(value) + "\n")
        elif kind == "subheading":
            out.append(f"=== {_t(value)}\n")
        elif kind in ("bullets", "numbered"):
            mark = "+" if kind == "numbered" else "-"
            out += [f"{mark} {_t(item)}" for item in value] + [""]
        elif kind == "table":
            out.append(_typst_table(value.columns, [(None, value.rows, False)], value.caption))
        elif kind == "callout":
            inner = []
            if value.title or value.kind == "warning":
                inner.append(f"#strong[{_t(value.title or 'Warning')}]\n")
            if value.text:
                inner.append(_t(value.text) + "\n")
            inner += [f"- {_t(item)}" for item in value.bullets]
            edge = "emergency" if value.kind == "warning" else "primary"
            body = "\n".join(inner)
            out.append(
                f"#block(fill: tint, stroke: (left: 4pt + {edge}), inset: (x: 10pt, y: 7pt),"
                f" width: 100%, breakable: false)[\n{body}\n]\n"
            )
        elif kind == "image":
            out.append(f"_{_t(value.alt)}_\n")
    return out


def _typst_table(
    columns: list[str], groups: list[tuple[str | None, list[list[str]], bool]], caption: str | None
) -> str:
    cells = [f"table.header({', '.join(f'[*{_t(c)}*]' for c in columns)})"]
    for label, rows, serious in groups:
        if label is not None:
            mark = "⚠ " if serious else ""
            cells.append(f"table.cell(colspan: {len(columns)}, fill: tint)[*{mark}{_t(label)}*]")
        cells += [f"[{_t(cell)}]" for row in rows for cell in row]
    first = "1.4fr" if len(columns) > 1 else "1fr"
    widths = ", ".join([first] + ["1fr"] * (len(columns) - 1))
    table = (
        f"#table(columns: ({widths},), stroke: 0.5pt + luma(60%), inset: 6pt,\n  "
        + ",\n  ".join(cells)
        + ")\n"
    )
    return table + (f"_{_t(caption)}_\n" if caption else "")


def typst_source(handout: Handout, brand: Brand) -> str:
    """The handout as one Typst document (see the module docstring)."""
    c = brand.colours
    m = brand.margins
    size = brand.body_size
    head = [
        f'#set document(title: "{handout.title}", author: "{brand.organisation}")',
        f'#set text(font: "Atkinson Hyperlegible", size: {size}pt, lang: "{handout.language}",'
        f' fill: rgb("{c.text}"), top-edge: 1em, bottom-edge: "baseline")',
        # lines 1.4 × the text size apart, baseline to baseline; 0.6 × between paragraphs
        f"#set par(leading: {size * 0.4}pt, spacing: {size}pt)",
        f'#let primary = rgb("{c.primary}")',
        f'#let tint = rgb("{c.tint}")',
        f'#let emergency = rgb("{c.emergency}")',
        f'#set page(paper: "{PAPER[brand.paper]}", margin: (top: {m.top}mm, bottom:'
        f" {m.bottom + 14}mm, left: {m.left}mm, right: {m.right}mm), footer: context ["
        f"#set text(size: 9.5pt)\n#line(length: 100%, stroke: 0.8pt + primary)\n"
        f"{_t(brand.organisation)} · {_t(brand.contact.phone or '')}"
        " #h(1fr) *Page #counter(page).display() of #counter(page).final().first()*])",
        "#show heading: set text(fill: primary)",
        f"#show heading.where(level: 1): set text(size: {size * 2.1}pt)",
        f"#show heading.where(level: 2): set text(size: {size * 1.5}pt)",
        f"#show heading.where(level: 3): set text(size: {size * 1.2}pt)",
        f"#set list(indent: 2pt, body-indent: {size * 0.6}pt, spacing: {size * 0.65}pt)",
        f"#set enum(spacing: {size * 0.65}pt)",
        "",
        f"= {_t(handout.title)}",
    ]
    if handout.subtitle:
        subtitle = _t(handout.subtitle)
        head.append(f'#text(size: {size * 1.25}pt, fill: rgb("{c.muted}"))[{subtitle}]\n')
    body: list[str] = []
    for kind, heading, content in _sections(handout):
        body.append(f"== {_t(heading)}")
        if kind == "blocks":
            body += _typst_blocks(content)  # type: ignore[arg-type]
        elif kind == "medications":
            for med in content:  # type: ignore[attr-defined]
                body.append(f"=== {_t(med.name)}")
                if med.other_names:
                    body.append(f"*Also called:* {_t(', '.join(med.other_names))}\n")
                if med.drug_class:
                    body.append(f"*Type of medicine:* {_t(med.drug_class)}\n")
                for label, blocks in (
                    ("What it is for", med.used_for),
                    ("How to take it", med.how_to_take),
                    ("Doses", med.dose_notes),
                    ("If you miss a dose", med.missed_dose),
                ):
                    if blocks:
                        body.append(f"*{label}*\n")
                        body += _typst_blocks(blocks)
                for label, items in (("Tips", med.tips), ("Avoid", med.avoid)):
                    if items:
                        body.append(f"*{label}*\n")
                        body += [f"- {_t(i)}" for i in items] + [""]
        elif kind == "side_effects":
            for table in content:  # type: ignore[attr-defined]
                body.append(f"=== {_t(table.title)}")
                if table.intro:
                    body.append(_t(table.intro) + "\n")
                groups = [(g.label, g.rows, g.serious) for g in table.groups]
                body.append(_typst_table(table.columns, groups, None))
        elif kind == "seek_care":
            if content.intro:  # type: ignore[attr-defined]
                body.append(_t(content.intro) + "\n")  # type: ignore[attr-defined]
            for tier_kind, default in TIERS:
                tier = getattr(content, tier_kind)
                if tier is None:
                    continue
                colour = getattr(c, tier_kind)
                heading_text = tier.heading or default.format(number=brand.emergency_number)
                items = "\n".join(f"- {_t(i)}" for i in tier.items)
                note = _t(tier.note) if tier.note else ""
                body.append(
                    f'#grid(columns: ({size * 8.6}pt, 1fr), stroke: 2pt + rgb("{colour}"),'
                    f' inset: 8pt, grid.cell(fill: rgb("{colour}"))[#text(fill: white)['
                    f"*{tier_kind.replace('_', ' ').upper()}*]],"
                    f" [*{_t(heading_text)}*\n\n{items}\n\n{note}])\n"
                )
        elif kind == "glossary":
            for entry in content:  # type: ignore[attr-defined]
                body.append(f"*{_t(entry.term)}:* {_t(entry.meaning)}\n")
        elif kind == "references":
            for n, ref in enumerate(content, 1):  # type: ignore[arg-type]
                body.append(f"{n}. {_t(ref.citation)}")
                if ref.url:
                    body.append(f'\\ #link("{ref.url}")[{_t(ref.url)}]')
                body.append("")
    if brand.disclaimer:
        body.append(f'#text(fill: rgb("{c.muted}"))[{_t(brand.disclaimer)}]')
    return "\n".join(head + body) + "\n"


# --- HTML for WeasyPrint -------------------------------------------------------------------------


def _h(text: str) -> str:
    out = []
    for run in parse_inline(text):
        piece = html.escape(run.text)
        if run.italic:
            piece = f"<em>{piece}</em>"
        if run.bold:
            piece = f"<strong>{piece}</strong>"
        out.append(piece)
    return "".join(out)


def _html_blocks(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        kind = block.kind
        value = getattr(block, kind)
        if kind == "paragraph":
            out.append(f"<p>{_h(value)}</p>")
        elif kind == "subheading":
            out.append(f"<h3>{_h(value)}</h3>")
        elif kind in ("bullets", "numbered"):
            tag = "ol" if kind == "numbered" else "ul"
            out.append(f"<{tag}>" + "".join(f"<li>{_h(i)}</li>" for i in value) + f"</{tag}>")
        elif kind == "table":
            out.append(_html_table(value.columns, [(None, value.rows, False)], value.caption))
        elif kind == "callout":
            inner = ""
            if value.title or value.kind == "warning":
                inner += f"<p><strong>{_h(value.title or 'Warning')}</strong></p>"
            if value.text:
                inner += f"<p>{_h(value.text)}</p>"
            if value.bullets:
                inner += "<ul>" + "".join(f"<li>{_h(i)}</li>" for i in value.bullets) + "</ul>"
            out.append(f'<aside class="{value.kind}">{inner}</aside>')
        elif kind == "image":
            out.append(f"<p><em>{_h(value.alt)}</em></p>")
    return out


def _html_table(
    columns: list[str], groups: list[tuple[str | None, list[list[str]], bool]], caption: str | None
) -> str:
    rows = ["<thead><tr>" + "".join(f"<th>{_h(c)}</th>" for c in columns) + "</tr></thead><tbody>"]
    for label, cells, serious in groups:
        if label is not None:
            mark = "⚠ " if serious else ""
            span = len(columns)
            rows.append(f'<tr class="group"><th colspan="{span}">{mark}{_h(label)}</th></tr>')
        rows += ["<tr>" + "".join(f"<td>{_h(c)}</td>" for c in row) + "</tr>" for row in cells]
    cap = f"<caption>{_h(caption)}</caption>" if caption else ""
    return f"<table>{cap}{''.join(rows)}</tbody></table>"


def html_source(handout: Handout, brand: Brand, font_dir: str) -> str:
    """The handout as one HTML page with its print style sheet (see the module docstring)."""
    c = brand.colours
    m = brand.margins
    size = brand.body_size
    faces = "".join(
        f"@font-face {{ font-family: 'Atkinson Hyperlegible'; src: url('file://{font_dir}/"
        f"AtkinsonHyperlegible-{face}.ttf'); font-weight: {weight}; font-style: {style}; }}"
        for face, weight, style in (
            ("Regular", 400, "normal"),
            ("Bold", 700, "normal"),
            ("Italic", 400, "italic"),
            ("BoldItalic", 700, "italic"),
        )
    )
    css = f"""{faces}
@page {{ size: {brand.paper}; margin: {m.top}mm {m.right}mm {m.bottom + 14}mm {m.left}mm;
  @bottom-left {{ content: "{brand.organisation} · {brand.contact.phone or ""}";
    font: 9.5pt 'Atkinson Hyperlegible'; border-top: 0.8pt solid {c.primary}; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages);
    font: bold 9.5pt 'Atkinson Hyperlegible'; border-top: 0.8pt solid {c.primary}; }} }}
body {{ font-family: 'Atkinson Hyperlegible'; font-size: {size}pt; line-height: 1.4;
  color: {c.text}; }}
p {{ margin: 0 0 {size * 0.6}pt; }}
h1, h2, h3 {{ color: {c.primary}; margin: {size * 0.8}pt 0 {size * 0.3}pt; }}
h1 {{ font-size: {size * 2.1}pt; }} h2 {{ font-size: {size * 1.5}pt; }}
h3 {{ font-size: {size * 1.2}pt; }} .subtitle {{ font-size: {size * 1.25}pt; color: {c.muted}; }}
ul, ol {{ margin: 0 0 {size * 0.5}pt; padding-left: {size * 1.2}pt; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: {size * 0.6}pt; }}
th, td {{ border: 0.5pt solid #9A9A9A; padding: 4pt 5pt; text-align: left;
  vertical-align: top; }}
thead th {{ background: {c.tint}; }} tr.group th {{ background: {c.tint}; }}
aside {{ background: {c.tint}; border-left: 4pt solid {c.primary}; padding: 7pt 10pt;
  margin-bottom: {size * 0.8}pt; page-break-inside: avoid; }}
aside.warning {{ border-left-color: {c.emergency}; }}
.tier {{ display: flex; margin-bottom: {size * 0.6}pt; }}
.tier .badge {{ width: {size * 8.6}pt; color: white; font-weight: bold; padding: 8pt; }}
.tier .body {{ flex: 1; padding: 8pt; }}
"""
    body = [f"<h1>{_h(handout.title)}</h1>"]
    if handout.subtitle:
        body.append(f'<p class="subtitle">{_h(handout.subtitle)}</p>')
    for kind, heading, content in _sections(handout):
        body.append(f"<h2>{_h(heading)}</h2>")
        if kind == "blocks":
            body += _html_blocks(content)  # type: ignore[arg-type]
        elif kind == "medications":
            for med in content:  # type: ignore[attr-defined]
                body.append(f"<h3>{_h(med.name)}</h3>")
                if med.other_names:
                    names = _h(", ".join(med.other_names))
                    body.append(f"<p><strong>Also called:</strong> {names}</p>")
                if med.drug_class:
                    body.append(f"<p><strong>Type of medicine:</strong> {_h(med.drug_class)}</p>")
                for label, blocks in (
                    ("What it is for", med.used_for),
                    ("How to take it", med.how_to_take),
                    ("Doses", med.dose_notes),
                    ("If you miss a dose", med.missed_dose),
                ):
                    if blocks:
                        body.append(f"<p><strong>{label}</strong></p>")
                        body += _html_blocks(blocks)
                for label, items in (("Tips", med.tips), ("Avoid", med.avoid)):
                    if items:
                        body.append(f"<p><strong>{label}</strong></p><ul>")
                        body += [f"<li>{_h(i)}</li>" for i in items] + ["</ul>"]
        elif kind == "side_effects":
            for table in content:  # type: ignore[attr-defined]
                body.append(f"<h3>{_h(table.title)}</h3>")
                if table.intro:
                    body.append(f"<p>{_h(table.intro)}</p>")
                groups = [(g.label, g.rows, g.serious) for g in table.groups]
                body.append(_html_table(table.columns, groups, None))
        elif kind == "seek_care":
            if content.intro:  # type: ignore[attr-defined]
                body.append(f"<p>{_h(content.intro)}</p>")  # type: ignore[attr-defined]
            for tier_kind, default in TIERS:
                tier = getattr(content, tier_kind)
                if tier is None:
                    continue
                colour = getattr(c, tier_kind)
                heading_text = tier.heading or default.format(number=brand.emergency_number)
                items = "".join(f"<li>{_h(i)}</li>" for i in tier.items)
                note = f"<p>{_h(tier.note)}</p>" if tier.note else ""
                body.append(
                    f'<div class="tier" style="border: 2pt solid {colour}">'
                    f'<div class="badge" style="background: {colour}">'
                    f"{tier_kind.replace('_', ' ').upper()}</div>"
                    f'<div class="body"><p><strong>{_h(heading_text)}</strong></p>'
                    f"<ul>{items}</ul>{note}</div></div>"
                )
        elif kind == "glossary":
            for entry in content:  # type: ignore[attr-defined]
                body.append(f"<p><strong>{_h(entry.term)}:</strong> {_h(entry.meaning)}</p>")
        elif kind == "references":
            for n, ref in enumerate(content, 1):  # type: ignore[arg-type]
                link = f'<br><a href="{html.escape(ref.url)}">{_h(ref.url)}</a>' if ref.url else ""
                body.append(f"<p>{n}. {_h(ref.citation)}{link}</p>")
    if brand.disclaimer:
        body.append(f'<p style="color: {c.muted}">{_h(brand.disclaimer)}</p>')
    return (
        f'<!doctype html><html lang="{handout.language}"><head><meta charset="utf-8">'
        f"<title>{html.escape(handout.title)}</title><style>{css}</style></head>"
        f"<body>{''.join(body)}</body></html>"
    )
