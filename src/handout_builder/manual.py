"""The user documentation that ships inside the package: the pages ``handout docs`` prints.

Takes a page name (``checks``, ``format``, ``cli``...); gives its Markdown text. The pages are the
repository's ``docs/*.md``, copied into the wheel as ``handout_builder/docs/`` (see
``pyproject.toml``), so they can be read wherever the package is installed, with no address on
the web; in a source checkout they are read from ``docs/`` itself.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

SUFFIX = ".md"


def _folder() -> Traversable | Path | None:
    shipped = resources.files("handout_builder") / "docs"
    if shipped.is_dir():
        return shipped
    checkout = Path(__file__).resolve().parents[2] / "docs"  # src/handout_builder/manual.py
    return checkout if checkout.is_dir() else None


def pages() -> dict[str, str]:
    """Every page's name and title (its first heading), by name."""
    folder = _folder()
    if folder is None:
        return {}
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(SUFFIX):
            name = entry.name[: -len(SUFFIX)]
            found[name] = _title(entry.read_text(encoding="utf-8"), name)
    return dict(sorted(found.items()))


def page(name: str) -> str | None:
    """The Markdown text of the page ``name`` (``checks`` or ``checks.md``), or None."""
    folder = _folder()
    stem = name.removesuffix(SUFFIX).strip().lower()
    if folder is None or stem not in pages():
        return None
    return (folder / f"{stem}{SUFFIX}").read_text(encoding="utf-8")


def _title(text: str, name: str) -> str:
    heading = next((line for line in text.splitlines() if line.startswith("# ")), "")
    return heading[2:].strip() or name
