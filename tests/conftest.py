"""Shared test helpers: write handouts into a temporary folder, build them, read PDFs back."""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import pdfplumber
import pypdf
import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SHIPPED = sorted(p for p in (REPO / "handouts").glob("*.yaml") if p.name != "brand.yaml")

MINIMAL: dict[str, Any] = {
    "schema": 1,
    "id": "test-handout",
    "title": "Test handout",
    "subtitle": "For the test suite",
    "version": "1.0",
    "last_reviewed": "2026-01-01",
    "review_due": "2099-01-01",
    "reviewed_by": "Test Reviewer",
    "tags": ["test"],
    "overview": ["OVERVIEW-MARK plain paragraph."],
    "seek_care": {"emergency": {"items": ["You cannot breathe."]}},
    "references": [{"citation": "Test source.", "url": "https://example.org/"}],
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the expected messages of the error cases from actual output.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def handout_data(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    data.update(changes)
    return data


def write_handout(folder: Path, name: str = "test.yaml", **changes: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        yaml.safe_dump(handout_data(**changes), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return path


def pdf_pages_text(path: Path | bytes) -> list[str]:
    """The text of each page, in reading order (top to bottom, left to right)."""
    source = io.BytesIO(path) if isinstance(path, bytes) else path
    with pdfplumber.open(source) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def pdf_text(path: Path | bytes) -> str:
    return "\n".join(pdf_pages_text(path))


def reader(path: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(str(path))


def long_table_handout(folder: Path, rows: int = 60) -> Path:
    """A handout whose side-effect table (columns HEAD-EFFECT, HEAD-ACTION; rows ROW-00...)
    runs over several pages."""
    data = [
        [f"ROW-{i:02d} effect", "What to do about it, in a sentence that wraps a little."]
        for i in range(rows)
    ]
    table = {
        "title": "Many side effects",
        "columns": ["HEAD-EFFECT", "HEAD-ACTION"],
        "groups": [{"label": "Common", "rows": data}],
    }
    return write_handout(folder, side_effects=[table])
