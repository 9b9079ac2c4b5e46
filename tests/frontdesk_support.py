"""Shared by the front-desk tests (test_bundle, test_serve, test_browser): a small handout library
written into a temporary folder, and PDF reading helpers."""

from __future__ import annotations

import io
from pathlib import Path

import yaml
from pypdf import PdfReader

AMI = "amitriptyline-stenosis"
KNEE = "knee-pain-basics"
ESPALDA = "dolor-de-espalda"
LONG = "living-with-sciatica"


def handout(
    handout_id: str,
    title: str,
    *,
    tags: list[str] = (),
    conditions: list[str] = (),
    medication: dict | None = None,
    language: str = "en",
    subtitle: str | None = None,
    paragraphs: int = 2,
    review_due: str = "2099-01-01",
) -> dict:
    """The data of a valid handout; ``paragraphs`` makes it longer (about 8 per page)."""
    body = [
        f"Paragraph {n} about {title.lower()}. " + "It explains one thing in plain words. " * 8
        for n in range(1, paragraphs + 1)
    ]
    data = {
        "schema": 1,
        "id": handout_id,
        "title": title,
        "language": language,
        "version": "1.0",
        "last_reviewed": "2025-01-01",
        "review_due": review_due,
        "reviewed_by": "Test Clinician, MD",
        "tags": list(tags),
        "conditions": list(conditions),
        "overview": body,
    }
    if subtitle:
        data["subtitle"] = subtitle
    if medication:
        data["medications"] = [medication]
    return data


def library_data() -> dict[str, dict]:
    return {
        AMI: handout(
            AMI,
            "Amitriptyline for spinal stenosis",
            tags=["back-pain", "medicines"],
            conditions=["Lumbar spinal stenosis"],
            subtitle="How it may help and how to take it",
            medication={
                "name": "Amitriptyline",
                "other_names": ["Elavil"],
                "used_for": ["Nerve pain."],
                "how_to_take": ["Once a day at night."],
            },
        ),
        KNEE: handout(
            KNEE,
            "Knee pain basics",
            tags=["knee", "exercise"],
            conditions=["Osteoarthritis of the knee"],
        ),
        ESPALDA: handout(
            ESPALDA,
            "Dolor de espalda",
            tags=["back-pain"],
            language="es",
            conditions=["Síntomas de la espalda"],
        ),
        LONG: handout(LONG, "Living with sciatica", tags=["back-pain"], paragraphs=14),
    }


def write_library(folder: Path, data: dict[str, dict] | None = None) -> Path:
    """Write the test handouts (one YAML file each) into ``folder``; give the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for handout_id, content in (data or library_data()).items():
        write_handout(folder / f"{handout_id}.yaml", content)
    return folder


def write_handout(path: Path, content: dict) -> None:
    path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8")


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, in order."""
    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text() or "" for page in reader.pages]


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces folded, for phrase searches."""
    return " ".join(text.split())
