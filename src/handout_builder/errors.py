"""The project's exceptions, and ``Problem``: one user mistake with the place it was made.

Every error a user can cause is a ``HandoutError``; the command line prints its problems and exits
with status 1. Anything else is a bug in handout-builder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in an input file, as ``file:line:column: field.path: what is wrong``.

    ``line`` and ``column`` are 1-based; 0 means the whole file (no position to point at).
    ``rule`` is the id of the check that found it (``HB-READ-001``), when a check did.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    rule: str = ""

    def __str__(self) -> str:
        where = self.file if self.line == 0 else f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    def labelled(self, severity: str) -> str:
        """As a list of findings prints it: with its severity and rule, when a check found it."""
        return f"{self} [{severity} {self.rule}]" if self.rule else str(self)


def display_path(path: Path | str) -> str:
    """A path as users typed it: relative to the working folder when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


class HandoutError(Exception):
    """A mistake in the user's input; carries every problem found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SourceError(HandoutError):
    """A file that cannot be read as YAML at all: missing, empty, binary, too large, malformed."""


class ValidationError(HandoutError):
    """A YAML file whose content does not match the handout or brand format."""


class LayoutError(HandoutError):
    """Content that cannot be laid out on the page even after wrapping, scaling and splitting."""


class UsageError(Exception):
    """A command-line mistake that is not about a content file (e.g. no handouts found)."""


class PacketError(UsageError):
    """A packet that cannot be made as asked: no topics, unknown topics, too many, or patient
    text that is too long or cannot be printed. Carries every reason, each a full sentence, and
    for each the form field it is about (``topic``, ``patient``, ``note``, ``date``, ``paper``,
    ``from``; empty when it is about none)."""

    def __init__(self, reasons: list[str], fields: list[str] | None = None) -> None:
        self.reasons = list(reasons)
        self.fields = list(fields) if fields is not None else [""] * len(self.reasons)
        super().__init__("\n".join(self.reasons))
