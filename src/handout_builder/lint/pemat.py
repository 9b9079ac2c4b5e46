"""A PEMAT-P summary: the items of AHRQ's Patient Education Materials Assessment Tool (printable
materials) that a program can judge, judged; the rest marked for a person.

Takes a ``LintContext`` and the handout's findings; gives a ``Pemat`` whose items are each
``met``, ``not met``, ``n/a`` or ``person`` (left for a reviewer). The share met is met / judged,
where judged counts the items marked met or not met. It is not a PEMAT score: a PEMAT score comes
from a trained rater judging every item, and PEMAT does not assess accuracy at all; ``summary()``
says so in its words. Item numbers are PEMAT's own (13 and 14 are for audio-visual material only).
The judgements are heuristics, each described in docs/checks.md; they inform a reviewer and never
fail a check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handout_builder.lint.core import Finding, LintContext
from handout_builder.lint.text import CELL, HEADING, ITEM, PROSE, sentences
from handout_builder.model import Block, Handout, ListItem, Table
from handout_builder.output import plural

MET, NOT_MET, NA, PERSON = "met", "not met", "n/a", "person"
MAX_LIST_ITEMS = 9  # a list longer than this is not a chunk a reader takes in at once
PASSIVE_SHARE = 0.10
DIRECT_SHARE = 0.75
SUMMARY = re.compile(
    r"\b(key points?|summary|in short|remember|main points|puntos clave|resumen|"
    r"recuerde)\b",
    re.IGNORECASE,
)
GENERIC_HEADING = re.compile(
    r"^\W*(information|info|notes?|other|more|misc\w*|details|section|"
    r"general|informaci[oó]n|otros?|notas?)\W*$",
    re.IGNORECASE,
)
ACTION_COLUMN = re.compile(r"\b(what to do|action|do next|qu[eé] hacer)\b", re.IGNORECASE)
# A sentence speaks to the reader if it says "you" or starts with a command ("Take it ...").
DIRECT = {
    "en": re.compile(
        r"\b(you|your|yours|yourself)\b|^\W*(do not|don't|never|always|please|take|call|tell|ask|"
        r"stop|avoid|keep|sip|drink|eat|stand|sit|get|go|use|try|swallow|skip|put|rest|walk|"
        r"store|bring|talk|watch|let|make|see|read|check|wear|lift|hold|chew|choose|plan|write|"
        r"give|wait|lie|move|follow|start|carry|have)\b",
        re.IGNORECASE,
    ),
    "es": re.compile(
        r"\b(usted|ustedes|su|sus)\b|^\W*(no|nunca|siempre|tome|llame|hable|pregunte|deje|"
        r"evite|beba|coma|use|lleve|guarde|vaya|espere|siga|consulte|avise)\b",
        re.IGNORECASE,
    ),
}
# Where a handout describes actions: how to take a medicine, tips, a missed dose, what to do
# about a side effect, notes in when-to-get-help. (Lists of signs and of things to avoid stand
# under the builder's own headings, which already speak to the reader.)
ACTION_FIELDS = {"how_to_take", "tips", "missed_dose", "note", "intro"}
PASSIVE = re.compile(
    r"\b(am|is|are|was|were|be|been|being)\s+(\w+ly\s+)?(\w+ed|born|done|given|known|made|seen|"
    r"shown|taken|told|written|found|kept|held|left|put|set|brought|bought|caught|taught|thought|"
    r"meant|sent|spent|built|felt|heard|paid|said|sold|worn|eaten|drunk|broken|chosen|driven|"
    r"frozen|spoken|stolen|hidden|beaten|forgotten|gotten)\b",
    re.IGNORECASE,
)
DECIMAL_OR_PERCENT = re.compile(
    r"(?<![\d-])\d+[.,]\d+(?![\d-])|%|\bper ?cent\b|\bpor ciento\b", re.IGNORECASE
)


@dataclass(frozen=True)
class PematItem:
    number: int
    area: str  # "understandability" or "actionability"
    text: str
    verdict: str
    why: str


@dataclass(frozen=True)
class Pemat:
    items: tuple[PematItem, ...]

    @property
    def met(self) -> int:
        return sum(i.verdict == MET for i in self.items)

    @property
    def judged(self) -> int:
        return sum(i.verdict in (MET, NOT_MET) for i in self.items)

    @property
    def score(self) -> float | None:
        """Share of judged items that are met (0 to 1), or None if none could be judged."""
        return self.met / self.judged if self.judged else None

    @property
    def for_a_person(self) -> list[int]:
        """The numbers of the items that need a human rater."""
        return [i.number for i in self.items if i.verdict == PERSON]

    def summary(self) -> str:
        """One line that says what it is: items a program can judge, and those it cannot."""
        left = self.for_a_person
        return (
            f"PEMAT-P, items a program can judge: {self.met} of {self.judged} met; "
            f"{plural(len(left), 'item')} need{'s' if len(left) == 1 else ''} "
            f"a human rater: {', '.join(map(str, left)) or 'none'}"
        )


def assess(ctx: LintContext, findings: list[Finding]) -> Pemat:
    """Judge the items a program can judge; see the module docstring."""
    h = ctx.handout
    rules = {f.rule for f in findings}
    prose = [p for p in ctx.pieces if p.kind in (PROSE, ITEM, CELL)]
    all_sentences = [s for p in prose for s in sentences(p.text)]
    english = ctx.language == "en"
    items: list[PematItem] = []

    def add(number: int, area: str, text: str, verdict: str, why: str) -> None:
        items.append(PematItem(number, area, text, verdict, why))

    u, a = "understandability", "actionability"
    first = h.overview[0].kind
    add(
        1,
        u,
        "The material makes its purpose completely evident.",
        MET
        if len(h.title.split()) >= 2 and first in ("paragraph", "bullets", "callout")
        else NOT_MET,
        "a title of two or more words, and an overview that opens with text",
    )
    add(
        2,
        u,
        "The material does not include information that distracts from its purpose.",
        PERSON,
        "needs a reader's judgement",
    )
    hard = {"HB-READ-001", "HB-READ-003"} & rules
    add(
        3,
        u,
        "The material uses common, everyday language.",
        NOT_MET if hard else MET,
        "no reading-grade or long-sentence finding"
        if not hard
        else f"findings: {', '.join(sorted(hard))}",
    )
    jargon_used = "HB-JARGON-001" in rules
    add(
        4,
        u,
        "Medical terms are used only to familiarize audience with the terms; when used, "
        "they are defined.",
        NOT_MET if jargon_used else MET,
        "a jargon term is neither explained nor said plainly"
        if jargon_used
        else "every listed medical term is explained or said plainly",
    )
    if english and all_sentences:
        passive = sum(bool(PASSIVE.search(s)) for s in all_sentences) / len(all_sentences)
        add(
            5,
            u,
            "The material uses the active voice.",
            MET if passive <= PASSIVE_SHARE else NOT_MET,
            f"{passive:.0%} of sentences look passive (limit {PASSIVE_SHARE:.0%})",
        )
    else:
        add(5, u, "The material uses the active voice.", PERSON, "judged for English only")
    odd = [p for p in prose if DECIMAL_OR_PERCENT.search(p.text)]
    add(
        6,
        u,
        "Numbers appearing in the material are clear and easy to understand.",
        NOT_MET if odd else MET,
        "decimals or percentages found" if odd else "whole numbers only, no percentages",
    )
    add(
        7,
        u,
        "The material does not expect the user to perform calculations.",
        PERSON,
        "needs a reader's judgement",
    )
    lists = _list_lengths(ctx)
    chunked = "HB-READ-004" not in rules and max(lists, default=0) <= MAX_LIST_ITEMS
    add(
        8,
        u,
        "The material breaks or 'chunks' information into short sections.",
        MET if chunked else NOT_MET,
        f"no long paragraph and no list over {MAX_LIST_ITEMS} items"
        if chunked
        else f"a long paragraph or a list over {MAX_LIST_ITEMS} items",
    )
    vague = [
        s.heading
        for s in h.sections
        if len(s.heading.split()) < 2 or GENERIC_HEADING.match(s.heading)
    ]
    add(
        9,
        u,
        "The material's sections have informative headers.",
        NOT_MET if vague else MET,
        f"vague headings: {', '.join(vague)}" if vague else "headings of two or more words",
    )
    add(
        10,
        u,
        "The material presents information in a logical sequence.",
        PERSON,
        "the section order is fixed; the order within sections needs a reader",
    )
    headings = [p.text for p in ctx.pieces if p.kind == HEADING]
    has_summary = any(SUMMARY.search(t) for t in headings) or any(
        b.callout and b.callout.kind in ("tip", "info") for b in h.overview
    )
    add(
        11,
        u,
        "The material provides a summary.",
        MET if h.key_points or has_summary else NOT_MET,
        "key facts first, on page 1"
        if h.key_points
        else "a 'Key points' callout or subheading, or a tip box in the overview"
        if has_summary
        else "no key_points, no callout or subheading titled 'Key points', 'Summary' or "
        "'Remember', and no tip box in the overview",
    )
    cues = bool(lists) or any(b.callout for b in h.overview) or "**" in str(ctx.source.data)
    add(
        12,
        u,
        "The material uses visual cues to draw attention to key points.",
        MET if cues else NOT_MET,
        "bullets, callouts or bold text" if cues else "none found",
    )
    images = [p for p in ctx.pieces if p.path[-2:] == ("image", "alt")]
    tables = _block_tables(ctx)
    icons = _pictograms(h)
    add(
        15,
        u,
        "The material uses visual aids whenever they could make content more easily understood.",
        MET if images or icons else PERSON,
        f"{len(images)} pictures and {icons} pictograms"
        if images or icons
        else "no pictures or pictograms; needs a reader's judgement",
    )
    add(
        16,
        u,
        "The material's visual aids reinforce rather than distract from the content.",
        PERSON if images else NA,
        "needs a reader's judgement" if images else "no images",
    )
    if images or tables:
        uncaptioned = sum(not _has(ctx, (*p.path[:-1], "caption")) for p in images) + sum(
            t.caption is None for t in tables
        )
        add(
            17,
            u,
            "The material's visual aids have clear titles or captions.",
            NOT_MET if uncaptioned else MET,
            f"{uncaptioned} without a caption" if uncaptioned else "all captioned",
        )
    else:
        add(
            17,
            u,
            "The material's visual aids have clear titles or captions.",
            NA,
            "no images or tables",
        )
    add(
        18,
        u,
        "The material uses illustrations and photographs that are clear and uncluttered.",
        PERSON if images else NA,
        "needs a reader's judgement" if images else "no images",
    )
    all_tables = [t.columns for t in tables] + [t.columns for t in h.side_effects]
    if all_tables:
        simple = all(
            len(cols) <= 4 and all(len(c.split()) <= 5 for c in cols) for cols in all_tables
        )
        add(
            19,
            u,
            "The material uses simple tables with short and clear row and column headings.",
            MET if simple else NOT_MET,
            "at most 4 columns, headings of at most 5 words"
            if simple
            else "a table with over 4 columns or long headings",
        )
    else:
        add(
            19,
            u,
            "The material uses simple tables with short and clear row and column headings.",
            NA,
            "no tables",
        )

    acts = bool(h.seek_care) or any(m.how_to_take for m in h.medications)
    add(
        20,
        a,
        "The material clearly identifies at least one action the user can take.",
        MET if acts else NOT_MET,
        "when-to-get-help or how-to-take steps" if acts else "none",
    )
    direct = DIRECT.get(ctx.language)
    actions = [
        s
        for p in prose
        if ACTION_FIELDS & set(map(str, p.path)) or _is_action_cell(ctx, p.path)
        for s in sentences(p.text)
    ]
    if direct and actions:
        share = sum(bool(direct.search(s)) for s in actions) / len(actions)
        add(
            21,
            a,
            "The material addresses the user directly when describing actions.",
            MET if share >= DIRECT_SHARE else NOT_MET,
            f"{share:.0%} of action sentences say 'you' or give a direct instruction "
            f"(at least {DIRECT_SHARE:.0%})",
        )
    else:
        add(
            21,
            a,
            "The material addresses the user directly when describing actions.",
            PERSON,
            "judged for English and Spanish only" if not direct else "no action text found",
        )
    if h.medications:
        stepped = all(
            any(b.bullets or b.numbered or b.steps for b in m.how_to_take) for m in h.medications
        )
        add(
            22,
            a,
            "The material breaks down any action into manageable, explicit steps.",
            MET if stepped else NOT_MET,
            "how-to-take given as a list for every medicine"
            if stepped
            else "a medicine's how-to-take is not a list of steps",
        )
    else:
        add(
            22,
            a,
            "The material breaks down any action into manageable, explicit steps.",
            PERSON,
            "no medicines; needs a reader's judgement",
        )
    tools = [b.kind for b in _all_blocks(h) if b.checklist or b.tracker]
    add(
        23,
        a,
        "The material provides a tangible tool whenever it could help the user take action.",
        MET if tools else PERSON,
        f"a {' and a '.join(sorted(set(tools)))} to fill in"
        if tools
        else "no checklist or tracker; needs a reader's judgement",
    )
    add(
        24,
        a,
        "The material provides simple instructions or examples of how to perform calculations.",
        PERSON,
        "needs a reader's judgement",
    )
    if h.side_effects:
        guided = all(any(ACTION_COLUMN.search(c) for c in t.columns) for t in h.side_effects)
        add(
            25,
            a,
            "The material explains how to use the charts, graphs, tables, or diagrams to "
            "take actions.",
            MET if guided else NOT_MET,
            "every side-effect table has a 'What to do' column"
            if guided
            else "a side-effect table has no 'What to do' column",
        )
    else:
        add(
            25,
            a,
            "The material explains how to use the charts, graphs, tables, or diagrams to "
            "take actions.",
            PERSON if tables else NA,
            "needs a reader" if tables else "no tables",
        )
    add(
        26,
        a,
        "The material uses visual aids whenever they could make it easier to act on the "
        "instructions.",
        MET if icons else PERSON,
        f"{icons} pictograms beside instructions"
        if icons
        else "no pictograms beside instructions; needs a reader's judgement",
    )
    return Pemat(tuple(items))


def _is_action_cell(ctx: LintContext, path: tuple) -> bool:
    """A cell in the 'What to do' column of a side-effect table."""
    if len(path) != 7 or path[0] != "side_effects":
        return False
    columns = ctx.handout.side_effects[path[1]].columns
    return bool(ACTION_COLUMN.search(columns[path[-1]])) if path[-1] < len(columns) else False


def _has(ctx: LintContext, path: tuple) -> bool:
    return path in ctx.source.positions


def _list_lengths(ctx: LintContext) -> list[int]:
    counts: dict[tuple, int] = {}
    for p in ctx.pieces:
        if p.kind == ITEM:
            counts[p.path[:-1]] = counts.get(p.path[:-1], 0) + 1
    return list(counts.values())


def _block_tables(ctx: LintContext) -> list[Table]:
    return [b.table for b in _all_blocks(ctx.handout) if b.table]


def _all_blocks(h: Handout) -> list[Block]:
    """Every block of the handout, in the order the file gives them."""
    out = [*h.overview, *h.symptoms]
    for m in h.medications:
        for key in ("used_for", "how_to_take", "dose_notes", "missed_dose"):
            out += getattr(m, key)
    for s in h.sections:
        out += s.blocks
    return out


def _pictograms(h: Handout) -> int:
    """How many list items, key facts and steps have a pictogram beside them."""
    items: list[ListItem] = [*(h.key_points or [])]
    for m in h.medications:
        items += [*m.tips, *m.avoid]
    for b in _all_blocks(h):
        items += [*(b.bullets or []), *(b.steps or [])]
    return sum(item.icon is not None for item in items)
