"""pytest's hooks and fixtures for the whole suite. Shared helpers are in ``fixtures.py``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite golden files (expected error messages, page images) from actual output.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def made_pdf(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The PDF of a kind in ``pdf_kinds.PDF_KINDS``, made once per session."""
    from pdf_kinds import PDF_KINDS  # builds PDFs: imported only by the tests that ask

    made: dict[str, Path] = {}

    def make(kind: str) -> Path:
        if kind not in made:
            made[kind] = PDF_KINDS[kind](tmp_path_factory.mktemp(kind))
        return made[kind]

    return make
