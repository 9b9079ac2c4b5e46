"""Handouts for benchmarks.

``write_corpus``: takes a folder and a count; writes ``handout-0001.yaml`` ... into it (plus one
small PNG they all show): two-to-three page leaflets, each with an overview, symptoms, a
medication, a side-effect table, a free section, when to get help, words to know and references,
using every kind of block. Text varies by number so no two handouts are the same; the same N
always gives the same files.

``write_copies``: numbered copies of the shipped handouts (``handouts/``), each with text of its
own: the copy's number added to the title and to every piece of content text.
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


def handout_yaml(n: int) -> str:
    rng = random.Random(n)
    drug, condition, drug_class = TOPICS[n % len(TOPICS)]
    hid = f"handout-{n:04d}"
    lines = [
        "schema: 1",
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


def write_corpus(folder: Path, count: int) -> list[Path]:
    """Write ``count`` handouts and their picture into ``folder``; give the handout paths."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "figure.png").write_bytes(png())
    paths = []
    for n in range(1, count + 1):
        path = folder / f"handout-{n:04d}.yaml"
        path.write_text(handout_yaml(n), encoding="utf-8")
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


def numbered(data: Any, n: int, key: str = "") -> Any:
    """The handout's data with `` (n)`` added to every piece of content text."""
    if key in FIXED:
        return data
    if isinstance(data, dict):
        return {k: numbered(v, n, k) for k, v in data.items()}
    if isinstance(data, list):
        return [numbered(v, n, key) for v in data]
    if isinstance(data, str):
        return f"{data} ({n})"
    return data


def write_copies(folder: Path, count: int) -> list[Path]:
    shipped = sorted((REPO / "handouts").glob("*.yaml"))
    originals = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in shipped]
    paths = []
    for n in range(1, count + 1):
        data = numbered(originals[n % len(originals)], n)
        data["id"] = f"{data['id']}-{n:03d}"
        path = folder / f"{data['id']}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        paths.append(path)
    return paths
