"""The build manifest: what each PDF in an output folder was made from, so unchanged handouts are
skipped on the next build.

Takes the output folder; gives a ``Manifest`` read from ``<out>/.handout-manifest.json`` with one
``Entry`` per PDF: the handout it came from, a SHA-256 of every file it was made from (the handout,
its images, the brand file, logo and fonts, the check settings and their jargon lists), the build
settings (builder version, paper, brand, release or not), a SHA-256 of the PDF as written, and the
warnings its checks gave (replayed when it is skipped; a warning may quote a few words of the
handout, as the build's report does). A review date's state (due soon, overdue) is kept too: when
it has changed, the handout is checked again. A missing, unreadable or corrupted manifest reads
as empty, so the worst case is a full rebuild, never a crash. Paths are stored relative to the
output folder, so a manifest stays valid when a CI checkout moves.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from handout_builder.batch.atomic import write_atomic

NAME = ".handout-manifest.json"
FORMAT = 2


@dataclass(frozen=True)
class Entry:
    """One PDF in the output folder and everything it was made from."""

    output: str  # file name inside the output folder, e.g. "back-pain.pdf"
    source: str  # the handout file, relative to the output folder
    handout_id: str
    settings: str
    files: dict[str, str]  # every input file (relative to the output folder) -> SHA-256
    pdf: str  # SHA-256 of the PDF as written
    pages: int
    bytes: int
    review_due: str | None = None  # ISO date: the review state is worked out again each build
    review_state: str | None = None  # "due-soon", "overdue" or None, when it was last checked
    warnings: list[dict[str, Any]] = field(default_factory=list)  # Problem fields, file left out
    layout: str = "leaflet"


class FileHashes:
    """SHA-256 of files, each read once per build however many handouts share it."""

    def __init__(self) -> None:
        self._known: dict[Path, str | None] = {}

    def __call__(self, path: Path) -> str | None:
        """The file's digest, or None when it cannot be read (deleted, a folder, no access)."""
        if path not in self._known:
            self._known[path] = file_digest(path)
        return self._known[path]


def file_digest(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def is_pdf_name(name: str) -> bool:
    """Whether ``name`` can be a PDF this builder wrote: a plain ``<id>.pdf`` file name, with
    no folder part, nothing hidden and no way out of the output folder."""
    return (
        name.endswith(".pdf")
        and not name.startswith(".")
        and "/" not in name
        and "\\" not in name
        and "\x00" not in name
        and Path(name).name == name
    )


@dataclass
class Manifest:
    """The entries of one output folder, keyed by PDF file name."""

    folder: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    damaged: bool = False  # the file existed but could not be read: everything is rebuilt
    _paths: dict[str, Path] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.root = self.folder.resolve()

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(folder)
        except (OSError, ValueError):
            return cls(folder, damaged=True)
        try:
            if raw["format"] != FORMAT:
                return cls(folder, damaged=True)
            entries = {}
            for output, item in raw["entries"].items():
                entry = Entry(**dict(item, output=output))
                if (
                    not isinstance(entry.files, dict)
                    or not isinstance(entry.warnings, list)
                    or not all(isinstance(w, dict) for w in entry.warnings)
                    or not is_pdf_name(output)
                ):
                    raise ValueError(output)
                entries[output] = entry
        except (KeyError, TypeError, ValueError, AttributeError):
            return cls(folder, damaged=True)
        return cls(folder, entries)

    def save(self) -> None:
        """Write the manifest atomically (a reader sees the old one or the new one)."""
        data: dict[str, Any] = {"format": FORMAT, "entries": {}}
        for output in sorted(self.entries):
            item = asdict(self.entries[output])
            del item["output"]
            data["entries"][output] = item
        text = json.dumps(data, indent=1, sort_keys=True)
        write_atomic(text.encode("utf-8"), self.folder / NAME)

    def relative(self, path: Path) -> str:
        """How a path is stored: relative to the output folder, with '/' separators."""
        return Path(os.path.relpath(path.resolve(), self.root)).as_posix()

    def absolute(self, stored: str) -> Path:
        # The same brand and font files appear in every entry: work each path out once.
        found = self._paths.get(stored)
        if found is None:
            found = self._paths[stored] = Path(os.path.normpath(os.path.join(self.root, stored)))
        return found

    def written_by_us(self, entry: Entry) -> Path | None:
        """The PDF of ``entry`` when it is still exactly what this builder wrote (a regular
        ``.pdf`` file directly in the output folder whose SHA-256 is the one recorded), else
        None: a file edited, replaced or linked since, or named by a doctored manifest, is
        never the builder's to delete."""
        if not is_pdf_name(entry.output):
            return None
        pdf = self.folder / entry.output
        if pdf.is_symlink() or not pdf.is_file() or pdf.resolve().parent != self.root:
            return None
        return pdf if file_digest(pdf) == entry.pdf else None

    def by_source(self) -> dict[Path, list[Entry]]:
        out: dict[Path, list[Entry]] = {}
        for entry in self.entries.values():
            out.setdefault(self.absolute(entry.source), []).append(entry)
        return out

    def is_current(self, entry: Entry, settings: str, digest: FileHashes) -> bool:
        """True when the PDF is still exactly what this build would write: same settings, every
        input file unchanged, and the PDF itself untouched."""
        if entry.settings != settings:
            return False
        for stored, expected in entry.files.items():
            if digest(self.absolute(stored)) != expected:
                return False
        return digest(self.root / entry.output) == entry.pdf
