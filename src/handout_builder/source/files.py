"""Finding handout files and the brand that goes with them.

Takes the SOURCES a user named (files or folders; ``handouts/`` by default); gives the handout
files in a stable order, the brand file to use, and whether a YAML file says it is a handout
(``is_handout``: what the pre-commit hook uses to pass over other YAML files).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from handout_builder.errors import UsageError

DEFAULT_SOURCE = Path("handouts")
BRAND_FILE = "brand.yaml"
SUFFIXES = (".yaml", ".yml")
HANDOUT_MARK = re.compile(rb"^(?:schema|\"schema\"|'schema')[ \t]*:", re.MULTILINE)
MARK_BYTES = 1_000_000  # no handout is larger (``reader.MAX_BYTES``)


def find_handouts(sources: Iterable[Path | str]) -> list[Path]:
    """Handout files named directly or found (recursively) in folders; brand files excluded."""
    found: list[Path] = []
    named = [Path(s) for s in sources] or [DEFAULT_SOURCE]
    for source in named:
        if source.is_dir():
            found += sorted(
                p
                for p in source.rglob("*")
                if p.suffix in SUFFIXES
                and p.is_file()
                and p.name != BRAND_FILE
                and not any(part.startswith(".") for part in p.relative_to(source).parts)
            )
        elif source.is_file():
            found.append(source)
        else:
            hint = (
                " (run it in a project folder, or name files or folders)"
                if source == DEFAULT_SOURCE
                else ""
            )
            raise UsageError(f"{source}: no such file or folder{hint}")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return [Path(p) for p in unique]


def find_brand(sources: Iterable[Path | str], explicit: Path | None) -> Path | None:
    """The brand file: ``--brand``, else ``brand.yaml`` in the first folder named (or in
    ``handouts/``), else None for the built-in default."""
    if explicit:
        return explicit
    folders = [Path(s) for s in sources if Path(s).is_dir()] or [DEFAULT_SOURCE]
    for folder in folders:
        if (folder / BRAND_FILE).is_file():
            return folder / BRAND_FILE
    return None


def is_handout(path: Path) -> bool:
    """True for a file that says it is a handout: it has a top-level ``schema:`` key, as every
    handout must. The text is searched, not parsed, so a handout with a YAML mistake still
    counts (and has its mistake reported); a file that cannot be read counts too."""
    try:
        with path.open("rb") as fh:
            head = fh.read(MARK_BYTES)
    except OSError:
        return True
    return HANDOUT_MARK.search(head) is not None
