"""Handouts for benchmarks.

``write_corpus``: takes a folder and a count; writes ``handout-0001.yaml`` ... into it (plus one
small PNG they all show): two-to-three page leaflets, each with an overview, symptoms, a
medication, a side-effect table, free sections (the safety warnings its medicine needs among
them), when to get help, words to know and references, using every kind of block. Every handout
passes the checks, so that every one is built. Text varies by number so no two handouts are the
same; the same N always gives the same files. ``schema`` 1 writes files that builders before
schema 2 read too (as drafts, in this one); 2 writes drafts in schema 2; ``approved`` approves
them as ``handout approve`` would (no draft mark on their pages).

``write_copies``: numbered copies of the shipped handouts (``handouts/``), each with text of its
own: the copy's mark (its number in letters) added to the title and to every piece of content
text; ``approved`` as above.
"""

from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path
from typing import Any

import yaml

TOPICS = [
    ("Amitriptyline", "low back pain", "Tricyclic antidepressant (TCA)"),
    ("Duloxetine", "knee osteoarthritis", "Serotonin and norepinephrine reuptake inhibitor"),
    ("Gabapentin", "sciatica", "Anticonvulsant"),
    ("Naproxen", "neck pain", "Non-steroidal anti-inflammatory drug (NSAID)"),
    ("Nortriptyline", "shingles pain", "Tricyclic antidepressant (TCA)"),
    ("Pregabalin", "fibromyalgia", "Anticonvulsant"),
]
WORDS = [
    "pain",
    "sleep",
    "walk",
    "stand",
    "sit",
    "rest",
    "move",
    "stretch",
    "doctor",
    "nurse",
    "pharmacist",
    "dose",
    "tablet",
    "water",
    "food",
    "week",
    "month",
    "morning",
    "evening",
    "dizzy",
    "tired",
    "mouth",
    "stomach",
    "leg",
    "back",
    "neck",
    "arm",
    "hand",
    "foot",
    "nerve",
    "muscle",
    "joint",
    "help",
    "call",
    "visit",
    "plan",
    "note",
    "diary",
    "drive",
    "work",
    "home",
    "family",
]


def sentence(rng: random.Random, words: int = 14) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    chosen[0] = chosen[0].capitalize()
    if words > 6:
        chosen[3] = f"**{chosen[3]}**"
        chosen[6] = f"*{chosen[6]}*"
    return " ".join(chosen) + "."


def paragraph(rng: random.Random, sentences: int = 3) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def q(text: str) -> str:
    """A double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# The warnings medicines of some classes must carry (see data/drug_safety.yaml), in English and
# Spanish, so every handout of the corpus passes the safety checks whatever its language.
SAFETY_WARNINGS = (
    "Do not stop suddenly (no deje de tomarlo de golpe).",
    "If you have thoughts of suicide (suicidio), call {crisis_line}.",
    "Serotonin syndrome (síndrome serotoninérgico) is rare.",
    "An overdose (sobredosis) can kill.",
)


def handout_yaml(n: int, schema: int = 2) -> str:
    rng = random.Random(n)
    drug, condition, drug_class = TOPICS[n % len(TOPICS)]
    hid = f"handout-{n:04d}"
    lines = [
        f"schema: {schema}",
        *(["status: draft"] if schema >= 2 else []),
        f"id: {hid}",
        f"title: {drug} for {condition} ({n})",
        "subtitle: How this medicine may help, how to take it safely, and when to get help",
        "language: en" if n % 5 else "language: es",
        "audience: Adults",
        'version: "1.0"',
        "last_reviewed: 2026-01-15",
        "review_due: 2028-01-15",
        "reviewed_by: Benchmark content team",
        f"tags: [bench, {drug.lower()}]",
        f"conditions: [{condition.capitalize()}]",
        "overview:",
        f"  - {q(paragraph(rng, 2))}",
        "  - callout:",
        "      kind: tip",
        "      title: Key points",
        "      bullets:",
        *[f"        - {q(sentence(rng, 10))}" for _ in range(2)],
        "symptoms:",
        f"  - {q(paragraph(rng, 1))}",
        "  - bullets:",
        *[f"      - {q(sentence(rng, 12))}" for _ in range(2)],
        "  - callout:",
        "      kind: warning",
        "      title: A rare emergency",
        f"      text: {q(paragraph(rng, 1))}",
        "medications:",
        f"  - name: {drug}",
        "    other_names: [Brandname]",
        f"    drug_class: {drug_class}",
        "    used_for:",
        f"      - {q(paragraph(rng, 1))}",
        "      - subheading: What the research says",
        f"      - {q(paragraph(rng, 1))}",
        "    how_to_take:",
        "      - numbered:",
        *[f"          - {q(sentence(rng, 12))}" for _ in range(3)],
        "    dose_notes:",
        "      - table:",
        "          columns: [Week, Dose, Note]",
        "          rows:",
        *[f"            - [Week {w}, {10 * w} mg, {q(sentence(rng, 6))}]" for w in range(1, 3)],
        "          caption: A usual way to start. Your prescriber may suggest another.",
        "    tips:",
        *[f"      - {q(sentence(rng, 10))}" for _ in range(2)],
        "    avoid:",
        *[f"      - {q(sentence(rng, 10))}" for _ in range(2)],
        "side_effects:",
        f"  - title: Side effects of {drug.lower()}",
        f"    medication: {drug}",
        f"    intro: {q(sentence(rng))}",
        "    groups:",
        "      - label: Common",
        "        rows:",
        *[f"          - [{q(sentence(rng, 4))}, {q(sentence(rng, 10))}]" for _ in range(2)],
        "      - label: Serious",
        "        serious: true",
        "        rows:",
        *[f"          - [{q(sentence(rng, 4))}, {q(sentence(rng, 10))}]" for _ in range(2)],
        "sections:",
        "  - heading: Living with it",
        "    after: side_effects",
        "    blocks:",
        f"      - {q(paragraph(rng, 1))}",
        "      - image:",
        "          src: figure.png",
        "          alt: A person stretching their back, seen from the side",
        "          caption: Gentle movement every day helps.",
        "          width_percent: 25",
        "  - heading: Safety warnings",
        "    after: side_effects",
        "    blocks:",
        "      - callout:",
        "          kind: warning",
        "          bullets:",
        *[
            f"            - {q(w if schema >= 2 else w.replace('{crisis_line}', '988'))}"
            for w in SAFETY_WARNINGS
        ],
        "seek_care:",
        f"  intro: {q(sentence(rng))}",
        *[
            line
            for tier in ("emergency", "today")
            for line in (
                f"  {tier}:",
                "    items:",
                *[f"      - {q(sentence(rng, 9))}" for _ in range(2)],
            )
        ],
        "glossary:",
        *[
            line
            for _ in range(1)
            for line in (
                f"  - term: {rng.choice(WORDS).capitalize()}",
                f"    meaning: {q(sentence(rng, 10))}",
            )
        ],
        "references:",
        "  - citation: National Institute for Health and Care Excellence. Low back pain. 2020.",
        "    url: https://www.nice.org.uk/guidance/ng59",
        "  - citation: Example A, Example B. A study of pain medicines. J Pain. 2021;1:1-10.",
    ]
    return "\n".join(lines) + "\n"


def approve(text: str) -> str:
    """The handout's text approved for its content, as ``handout approve`` writes it."""
    import datetime as dt

    from handout_builder.model import Handout
    from handout_builder.source.approval import approval_for, approved_text
    from handout_builder.source.reader import parse_source
    from handout_builder.source.validation import validate

    handout = validate(parse_source(text, "corpus.yaml"), Handout)
    return approved_text(text, approval_for(handout, "Bench Approver, MD", dt.date(2026, 1, 2)))


def png(width: int = 120, height: int = 80) -> bytes:
    """A small RGB PNG (a blue diagonal band), written without any imaging library."""
    rows = b"".join(
        b"\x00"
        + b"".join(
            bytes((31, 78, 121)) if abs(x * height // width - y) < 10 else b"\xea\xf1\xf8"
            for x in range(width)
        )
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def write_corpus(folder: Path, count: int, schema: int = 2, approved: bool = False) -> list[Path]:
    """Write ``count`` handouts and their picture into ``folder``; give the handout paths."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "figure.png").write_bytes(png())
    paths = []
    for n in range(1, count + 1):
        path = folder / f"handout-{n:04d}.yaml"
        text = handout_yaml(n, schema)
        path.write_text(approve(text) if approved else text, encoding="utf-8")
        paths.append(path)
    return paths


REPO = Path(__file__).resolve().parent.parent
FIXED = {
    "schema", "id", "language", "version", "last_reviewed", "review_due", "reviewed_by", "tags",
    "conditions", "url", "src", "kind", "after", "serious", "width_percent", "columns", "allow",
    "translation_of", "audience", "medication", "name", "codes", "approval", "status", "layout",
    "max_pages", "icon",
}  # fmt: skip
"""Keys whose values are not content text, left as they are in every copy."""


def tag(n: int) -> str:
    """``n`` in letters (0 is a, 25 z, 26 ba...): a copy's mark that no check can take for a
    number (copy 112 would be an emergency number typed into the text)."""
    letters = ""
    while True:
        n, rest = divmod(n, 26)
        letters = chr(ord("a") + rest) + letters
        if n == 0:
            return letters


def numbered(data: Any, n: int, key: str = "") -> Any:
    """The handout's data with the copy's ``tag`` added to every piece of content text."""
    if key in FIXED:
        return data
    if isinstance(data, dict):
        return {k: numbered(v, n, k) for k, v in data.items()}
    if isinstance(data, list):
        return [numbered(v, n, key) for v in data]
    if isinstance(data, str):
        return f"{data} ({tag(n)})"
    return data


def write_copies(folder: Path, count: int, approved: bool = False) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    shipped = sorted(p for p in (REPO / "handouts").glob("*.yaml") if p.name != "brand.yaml")
    originals = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in shipped]
    paths = []
    for n in range(1, count + 1):
        data = numbered(originals[n % len(originals)], n)
        data["id"] = f"{data['id']}-{n:03d}"
        path = folder / f"{data['id']}.yaml"
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text(approve(text) if approved else text, "utf-8")
        paths.append(path)
    return paths
