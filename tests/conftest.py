"""Shared pytest settings. Each section belongs to the tests named in its heading."""

from __future__ import annotations

import pytest


# --- checks (tests/test_checks*.py): regenerate expected findings with --update-golden -------
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite expected-output files (tests/lint_cases/*/expected.txt) from "
                     "what the code gives now, instead of comparing with them.")
