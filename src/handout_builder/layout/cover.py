"""The cover sheet of a patient's packet: who it is for, the date, the clinician's note and the
list of topics with their page counts.

Takes a ``Theme``, the language of the packet, what the clinician typed and the topics' titles
with their page counts; gives the tagged story of the cover (lay it out with
``furniture.cover_pages``). Patient text is printed exactly as typed and kept nowhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from handout_builder.inline import literal
from handout_builder.layout.flowables import ListEntry
from handout_builder.layout.mirror import mirror_style
from handout_builder.layout.text import label_para, para
from handout_builder.look.labels import labels_for, long_date
from handout_builder.look.theme import Theme
from handout_builder.pdf.tagging import StructNode, node_of, with_node


def cover_story(
    theme: Theme,
    language: str,
    patient: str,
    note: str,
    date: dt.date,
    contents: list[tuple[str, int]],
    given_by: str = "",
) -> list[Flowable]:
    """The cover's flowables: title, who it is for, the date, who it is from, the note in a
    box, then the numbered list of topics."""
    labels = labels_for(language)
    size = theme.brand.body_size
    out: list[Flowable] = [
        label_para(theme, labels["packet_title"], "title", "H1"),
        Spacer(0, size * 0.4),
    ]
    if patient:
        out.append(para(theme, f"**{literal(labels['packet_for'])}:** {literal(patient)}", "h2"))
    when = long_date(date, language)
    out.append(para(theme, f"**{literal(labels['packet_date'])}:** {literal(when)}"))
    if given_by:
        out.append(para(theme, f"**{literal(labels['packet_from'])}:** {literal(given_by)}"))
    if note:
        box = [
            label_para(theme, labels["packet_note"], "callout_title"),
            *(
                para(theme, literal(line)) if line else Spacer(0, size * 0.4)
                for line in note.split("\n")
            ),
        ]
        out += [Spacer(0, size * 0.6), _boxed(box, theme)]
    out.append(label_para(theme, labels["packet_contents"], "h1", "H2"))
    out += _contents(theme, labels, contents)
    return out


def _contents(
    theme: Theme, labels: dict[str, str], contents: list[tuple[str, int]]
) -> list[Flowable]:
    """The numbered list of topics, tagged ``L`` (``ListNumbering Decimal``) > ``LI`` > ``Lbl`` +
    ``LBody``."""
    size = theme.body_size
    widest = stringWidth(f"{len(contents)}.", theme.fonts.primary.regular, size)
    indent = max(theme.brand.body_size * 2, widest + size * 0.5)
    group = StructNode("L", numbering="Decimal")
    out: list[Flowable] = []
    for n, (title, pages) in enumerate(contents, 1):
        count = (
            labels["packet_pages_one"] if pages == 1 else labels["packet_pages"].format(pages=pages)
        )
        entry = group.add(StructNode("LI"))
        label = label_para(theme, f"{n}.", "list_label", "Lbl")
        body = para(theme, f"{literal(title)} ({count})", "list", "LBody")
        entry.add(node_of(label))
        entry.add(node_of(body))
        out.append(ListEntry(label, body, indent, entry, rtl=theme.rtl))
    return out


def _boxed(flowables: Sequence[Flowable], theme: Theme) -> Table:
    pad = theme.brand.body_size * 0.7
    table = Table([[flowables]], colWidths=[theme.frame_width], splitInRow=1)  # a long note
    with_node(table, StructNode("Div", open=True))  # the note's paragraphs are its kids
    style: list[tuple] = [
        # not Helvetica, which would be left unembedded
        ("FONTNAME", (0, 0), (-1, -1), theme.fonts.primary.regular),
        ("BACKGROUND", (0, 0), (-1, -1), theme.colour("tint")),
        ("LINEBEFORE", (0, 0), (0, -1), 4, theme.colour("primary")),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.4),
    ]
    table.setStyle(mirror_style(style, 1) if theme.rtl else style)
    return table
