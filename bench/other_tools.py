"""The same handout for other typesetters: Typst markup and HTML for WeasyPrint.

Takes a validated ``Handout`` and the brand; gives a document for each tool with the leaflet's
content in the same order (title, sections, lists, tables with their groups, callouts, care tiers,
words to know, sources, disclaimer), the same paper, margins, font (Atkinson Hyperlegible, from
``fonts/``), text size, line spacing and colours, a footer with "Page X of Y", and a tagged PDF
where the tool makes one. It is a fair copy for timing, not a second renderer: the icons and
pictograms, the logo, trackers, QR codes and the exact spacing of handout-builder's own leaflets
are left out (checklists and steps are plain lists), which only makes the other tools' work
lighter. Only ``**bold**`` and ``*italic*`` are read in the text, as in handouts.

One walk over the handout (``leaflet``) says what comes in which order; ``Typst`` and ``Html``
say how each piece is written.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Protocol

from handout_builder.inline import parse_inline
from handout_builder.look.brand import Brand
from handout_builder.model import Block, Handout, ListItem

TIERS = (
    ("emergency", "Call {number} now"),
    ("today", "Call your care team today"),
    ("next_visit", "Tell us at your next visit"),
)
PLACES = ("overview", "symptoms", "medications", "side_effects", "seek_care")
Groups = list[tuple[str | None, list[list[str]], bool]]  # (label, rows, serious)


class Markup(Protocol):
    """How one tool writes each piece of a leaflet (content text is given with its markup)."""

    def heading(self, level: int, text: str) -> str: ...
    def para(self, text: str, muted: bool = False) -> str: ...
    def label(self, label: str, text: str = "") -> str: ...
    def items(self, items: list[str], numbered: bool = False) -> str: ...
    def table(self, columns: list[str], groups: Groups, caption: str | None) -> str: ...
    def callout(self, kind: str, title: str | None, text: str | None, items: list[str]) -> str: ...
    def tier(self, kind: str, colour: str, heading: str, items: list[str], note: str) -> str: ...
    def source(self, n: int, citation: str, url: str | None) -> str: ...


def _words(items: Sequence[str | ListItem]) -> list[str]:
    """The words of list items (a pictogram beside them is left out)."""
    return [item if isinstance(item, str) else item.text for item in items]


def _blocks(blocks: list[Block], m: Markup) -> list[str]:
    out: list[str] = []
    for block in blocks:
        kind = block.kind
        value = getattr(block, kind)
        if kind == "paragraph":
            out.append(m.para(value))
        elif kind == "subheading":
            out.append(m.heading(3, value))
        elif kind in ("bullets", "numbered", "checklist", "steps"):
            out.append(m.items(_words(value), numbered=kind in ("numbered", "steps")))
        elif kind == "table":
            out.append(m.table(value.columns, [(None, value.rows, False)], value.caption))
        elif kind == "callout":
            title = value.title or ("Warning" if value.kind == "warning" else None)
            out.append(m.callout(value.kind, title, value.text, value.bullets))
        elif kind == "image":
            out.append(m.para(f"*{value.alt}*"))
    return out


def leaflet(handout: Handout, brand: Brand, m: Markup) -> list[str]:
    """The pieces of the leaflet in handout-builder's order, written by ``m``."""
    out = [m.heading(1, handout.title)]
    if handout.subtitle:
        out.append(m.para(handout.subtitle, muted=True))
    free = {place: [s for s in handout.sections if s.after == place] for place in PLACES}
    if handout.key_points:
        out.append(m.items(_words(handout.key_points)))
    out += [m.heading(2, "What you need to know"), *_blocks(handout.overview, m)]
    for place in PLACES:
        if place == "symptoms" and handout.symptoms:
            out += [m.heading(2, "Symptoms"), *_blocks(handout.symptoms, m)]
        if place == "medications" and handout.medications:
            out.append(m.heading(2, "Medicines"))
            for med in handout.medications:
                out.append(m.heading(3, med.name))
                if med.other_names:
                    out.append(m.label("Also called", ", ".join(med.other_names)))
                if med.drug_class:
                    out.append(m.label("Type of medicine", med.drug_class))
                for name, blocks in (
                    ("What it is for", med.used_for),
                    ("How to take it", med.how_to_take),
                    ("Doses", med.dose_notes),
                    ("If you miss a dose", med.missed_dose),
                ):
                    if blocks:
                        out += [m.label(name), *_blocks(blocks, m)]
                for name, items in (("Tips", med.tips), ("Avoid", med.avoid)):
                    if items:
                        out += [m.label(name), m.items(_words(items))]
        if place == "side_effects" and handout.side_effects:
            out.append(m.heading(2, "Side effects"))
            for table in handout.side_effects:
                out.append(m.heading(3, table.title))
                if table.intro:
                    out.append(m.para(table.intro))
                groups: Groups = [(g.label, g.rows, g.serious) for g in table.groups]
                out.append(m.table(table.columns, groups, None))
        if place == "seek_care" and handout.seek_care:
            care = handout.seek_care
            out.append(m.heading(2, "When to get help"))
            if care.intro:
                out.append(m.para(care.intro))
            for kind, default in TIERS:
                tier = getattr(care, kind)
                if tier is not None:
                    heading = tier.heading or default.format(number=brand.emergency_number)
                    colour = getattr(brand.colours, kind)
                    out.append(m.tier(kind, colour, heading, tier.items, tier.note or ""))
        for section in free[place]:
            out += [m.heading(2, section.heading), *_blocks(section.blocks, m)]
    if handout.glossary:
        out.append(m.heading(2, "Words to know"))
        out += [m.label(entry.term, entry.meaning) for entry in handout.glossary]
    if handout.references:
        out.append(m.heading(2, "Sources"))
        out += [m.source(n, r.citation, r.url) for n, r in enumerate(handout.references, 1)]
    if brand.disclaimer:
        out.append(m.para(brand.disclaimer, muted=True))
    return out


def emphasised(text: str, escape: Callable[[str], str], italic: str, bold: str) -> str:
    """Content text in another tool's markup: each run of ``parse_inline`` escaped, then put in
    the ``italic`` and ``bold`` templates (``{}`` is the run) as its emphasis says."""
    out = []
    for run in parse_inline(text):
        piece = escape(run.text)
        if run.italic:
            piece = italic.format(piece)
        if run.bold:
            piece = bold.format(piece)
        out.append(piece)
    return "".join(out)


class Typst:
    """Leaflet pieces as Typst markup: text as string literals, so nothing in it is markup."""

    def __init__(self, brand: Brand) -> None:
        self.brand = brand

    @staticmethod
    def t(text: str) -> str:
        def literal(chunk: str) -> str:
            return '#"' + chunk.replace("\\", "\\\\").replace('"', '\\"') + '"'

        return emphasised(text, literal, "#emph[{}]", "#strong[{}]")

    def heading(self, level: int, text: str) -> str:
        return f"{'=' * level} {self.t(text)}\n"

    def para(self, text: str, muted: bool = False) -> str:
        return f"#text(fill: muted)[{self.t(text)}]\n" if muted else self.t(text) + "\n"

    def label(self, label: str, text: str = "") -> str:
        return f"#strong[{self.t(label)}{':' if text else ''}] {self.t(text)}\n"

    def items(self, items: list[str], numbered: bool = False) -> str:
        return "".join(f"{'+' if numbered else '-'} {self.t(i)}\n" for i in items) + "\n"

    def table(self, columns: list[str], groups: Groups, caption: str | None) -> str:
        cells = [f"table.header({', '.join(f'[*{self.t(c)}*]' for c in columns)})"]
        for label, rows, serious in groups:
            if label is not None:
                mark = "⚠ " if serious else ""
                span = len(columns)
                cells.append(f"table.cell(colspan: {span}, fill: tint)[*{mark}{self.t(label)}*]")
            cells += [f"[{self.t(cell)}]" for row in rows for cell in row]
        widths = ", ".join(["1.4fr" if len(columns) > 1 else "1fr"] + ["1fr"] * (len(columns) - 1))
        out = f"#table(columns: ({widths},), stroke: 0.5pt + luma(60%), inset: 6pt,\n  "
        out += ",\n  ".join(cells) + ")\n"
        return out + (f"#emph[{self.t(caption)}]\n" if caption else "")

    def callout(self, kind: str, title: str | None, text: str | None, items: list[str]) -> str:
        inner = (f"#strong[{self.t(title)}]\n\n" if title else "") + (
            self.t(text) + "\n\n" if text else ""
        )
        edge = "emergency" if kind == "warning" else "primary"
        return (
            f"#block(fill: tint, stroke: (left: 4pt + {edge}), inset: (x: 10pt, y: 7pt),"
            f" width: 100%, breakable: false)[\n{inner}{self.items(items)}]\n"
        )

    def tier(self, kind: str, colour: str, heading: str, items: list[str], note: str) -> str:
        badge = kind.replace("_", " ").upper()
        return (
            f'#grid(columns: ({self.brand.body_size * 8.6}pt, 1fr), stroke: 2pt + rgb("{colour}"),'
            f' inset: 8pt, grid.cell(fill: rgb("{colour}"))[#text(fill: white)[*{badge}*]],'
            f" [#strong[{self.t(heading)}]\n\n{self.items(items)}{self.t(note)}])\n"
        )

    def source(self, n: int, citation: str, url: str | None) -> str:
        link = f' \\ #link("{url}")[{self.t(url)}]' if url else ""
        return f"{n}. {self.t(citation)}{link}\n"


def typst_source(handout: Handout, brand: Brand) -> str:
    """The handout as one Typst document (see the module docstring)."""
    c, m, size = brand.colours, brand.margins, brand.body_size
    paper = {"letter": "us-letter", "a4": "a4"}[brand.paper]
    footer = Typst.t(f"{brand.organisation} · {brand.contact.phone or ''}")
    head = [
        f'#set document(title: "{handout.title}", author: "{brand.organisation}")',
        f'#set text(font: "Atkinson Hyperlegible", size: {size}pt, lang: "{handout.language}",'
        f' fill: rgb("{c.text}"), top-edge: 1em, bottom-edge: "baseline")',
        # lines 1.4 × the text size apart, baseline to baseline; 0.6 × between paragraphs
        f"#set par(leading: {size * 0.4}pt, spacing: {size}pt)",
        f'#let primary = rgb("{c.primary}")',
        f'#let muted = rgb("{c.muted}")',
        f'#let tint = rgb("{c.tint}")',
        f'#let emergency = rgb("{c.emergency}")',
        f'#set page(paper: "{paper}", margin: (top: {m.top}mm, bottom: {m.bottom + 14}mm,'
        f" left: {m.left}mm, right: {m.right}mm), footer: context [#set text(size: 9.5pt)\n"
        f"#line(length: 100%, stroke: 0.8pt + primary)\n{footer}"
        " #h(1fr) *Page #counter(page).display() of #counter(page).final().first()*])",
        "#show heading: set text(fill: primary)",
        f"#show heading.where(level: 1): set text(size: {size * 2.1}pt)",
        f"#show heading.where(level: 2): set text(size: {size * 1.5}pt)",
        f"#show heading.where(level: 3): set text(size: {size * 1.2}pt)",
        f"#set list(indent: 2pt, body-indent: {size * 0.6}pt, spacing: {size * 0.65}pt)",
        f"#set enum(spacing: {size * 0.65}pt)",
        "",
    ]
    return "\n".join(head + leaflet(handout, brand, Typst(brand)))


class Html:
    """Leaflet pieces as HTML, every character of the text escaped."""

    def __init__(self, brand: Brand) -> None:
        self.brand = brand

    @staticmethod
    def h(text: str) -> str:
        return emphasised(text, html.escape, "<em>{}</em>", "<strong>{}</strong>")

    def heading(self, level: int, text: str) -> str:
        return f"<h{level}>{self.h(text)}</h{level}>"

    def para(self, text: str, muted: bool = False) -> str:
        return f'<p class="muted">{self.h(text)}</p>' if muted else f"<p>{self.h(text)}</p>"

    def label(self, label: str, text: str = "") -> str:
        return f"<p><strong>{self.h(label)}{':' if text else ''}</strong> {self.h(text)}</p>"

    def items(self, items: list[str], numbered: bool = False) -> str:
        tag = "ol" if numbered else "ul"
        return f"<{tag}>" + "".join(f"<li>{self.h(i)}</li>" for i in items) + f"</{tag}>"

    def table(self, columns: list[str], groups: Groups, caption: str | None) -> str:
        head = "".join(f"<th>{self.h(c)}</th>" for c in columns)
        rows = [f"<thead><tr>{head}</tr></thead><tbody>"]
        for label, cells, serious in groups:
            if label is not None:
                mark = "⚠ " if serious else ""
                span = len(columns)
                rows.append(
                    f'<tr class="group"><th colspan="{span}">{mark}{self.h(label)}</th></tr>'
                )
            rows += [
                "<tr>" + "".join(f"<td>{self.h(c)}</td>" for c in row) + "</tr>" for row in cells
            ]
        cap = f"<caption>{self.h(caption)}</caption>" if caption else ""
        return f"<table>{cap}{''.join(rows)}</tbody></table>"

    def callout(self, kind: str, title: str | None, text: str | None, items: list[str]) -> str:
        inner = (f"<p><strong>{self.h(title)}</strong></p>" if title else "") + (
            f"<p>{self.h(text)}</p>" if text else ""
        )
        return f'<aside class="{kind}">{inner}{self.items(items) if items else ""}</aside>'

    def tier(self, kind: str, colour: str, heading: str, items: list[str], note: str) -> str:
        badge = kind.replace("_", " ").upper()
        return (
            f'<div class="tier" style="border: 2pt solid {colour}">'
            f'<div class="badge" style="background: {colour}">{badge}</div>'
            f'<div class="body"><p><strong>{self.h(heading)}</strong></p>{self.items(items)}'
            f"{f'<p>{self.h(note)}</p>' if note else ''}</div></div>"
        )

    def source(self, n: int, citation: str, url: str | None) -> str:
        link = f'<br><a href="{html.escape(url)}">{self.h(url)}</a>' if url else ""
        return f"<p>{n}. {self.h(citation)}{link}</p>"


def html_source(handout: Handout, brand: Brand, font_dir: str) -> str:
    """The handout as one HTML page with its print style sheet (see the module docstring)."""
    c, m, size = brand.colours, brand.margins, brand.body_size
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
p {{ margin: 0 0 {size * 0.6}pt; }} .muted {{ color: {c.muted}; }}
h1, h2, h3 {{ color: {c.primary}; margin: {size * 0.8}pt 0 {size * 0.3}pt; }}
h1 {{ font-size: {size * 2.1}pt; }} h2 {{ font-size: {size * 1.5}pt; }}
h3 {{ font-size: {size * 1.2}pt; }}
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
    body = "".join(leaflet(handout, brand, Html(brand)))
    return (
        f'<!doctype html><html lang="{handout.language}"><head><meta charset="utf-8">'
        f"<title>{html.escape(handout.title)}</title><style>{css}</style></head>"
        f"<body>{body}</body></html>"
    )
