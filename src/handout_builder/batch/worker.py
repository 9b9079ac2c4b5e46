"""One build worker: the brand and theme it holds, and the one task it runs.

Takes ``BuildSettings`` (small and picklable, so any ``concurrent.futures.Executor`` can ship them);
``prepare`` loads the brand, fonts and theme once per process (a process pool's initializer, and
lazily for any other executor); ``build_handout`` checks, lays out and stages the PDF of one
handout file and gives an ``Outcome``. A staged PDF is complete but under a temporary name until
the batch commits it (see ``batch.py``), so duplicate ids are resolved the same way whatever the
order in which workers finish. Nothing here prints, and no exception escapes ``build_handout``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from handout_builder import pipeline
from handout_builder.batch.atomic import stage
from handout_builder.batch.manifest import file_digest
from handout_builder.errors import HandoutError, Problem, display_path
from handout_builder.pipeline import BuildResult, check_file, source_date_epoch

if (
    TYPE_CHECKING
):  # loaded by the worker that builds (``prepare``), not by a batch with nothing to do
    from handout_builder.look.brand import LoadedBrand
    from handout_builder.look.theme import Theme


@dataclass(frozen=True)
class BuildSettings:
    """What every handout in a batch is built with, sent with each task: everything that
    changes a PDF's bytes travels here, so a worker on another machine reads nothing of its own
    environment. ``epoch`` is ``SOURCE_DATE_EPOCH``, read once where the settings are made."""

    out_dir: Path
    brand_path: Path | None = None
    paper: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    strict: bool = False
    large_print: bool = False
    epoch: int | None = field(default_factory=source_date_epoch)
    layout: str | None = None  # None: each handout's own layout (the leaflet if it names none)
    max_pages: int | None = None  # the most pages any PDF may need


@dataclass
class Workshop:
    """What a worker loads once and uses for every handout: the brand, its theme, and the
    SHA-256 of every file the brand is made from."""

    brand: LoadedBrand
    theme: Theme
    brand_files: dict[str, str]


@dataclass
class Outcome:
    """One handout built (or not) by a worker, with what the batch needs to commit it."""

    result: BuildResult
    staged: Path | None = None  # the finished PDF under a temporary name, until committed
    inputs: dict[str, str] = field(default_factory=dict)  # absolute path -> SHA-256
    review: tuple[str, int, int] | None = None  # review_due (ISO), line, column
    lost: bool = False  # the worker died or the executor lost the task


_workshops: dict[tuple[Path | None, str | None, bool], Workshop] = {}
_lock = threading.Lock()


def prepare(settings: BuildSettings) -> Workshop:
    """The worker's brand and theme, loaded on first use in this process and kept."""
    key = (settings.brand_path, settings.paper, settings.large_print)
    with _lock:
        if key not in _workshops:
            _workshops[key] = _open_workshop(settings)
        return _workshops[key]


def start_worker(settings: BuildSettings) -> None:
    """Initializer of the worker processes that ``batch`` starts. Ctrl-C is the main process's
    business: a worker finishes (or never starts) its handout, so no PDF is left half-written."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    prepare(settings)


def _open_workshop(settings: BuildSettings) -> Workshop:
    from handout_builder.look.brand import load_brand
    from handout_builder.look.theme import Theme

    # Hash the brand's files before loading them: if one changes meanwhile, the manifest records
    # the older digest and the next build redoes the work, never wrongly skips it.
    path = settings.brand_path
    before = {str(path.resolve()): file_digest(path)} if path else {}
    brand = load_brand(path)
    files = {str(p): file_digest(p) or "" for p in brand.files()}
    files.update({k: v or "" for k, v in before.items()})
    theme = Theme(brand, settings.paper or brand.brand.paper, large_print=settings.large_print)
    return Workshop(brand, theme, files)


def build_handout(source: Path, settings: BuildSettings, attempt: int = 1) -> Outcome:
    """Check, lay out and stage one handout. Every failure becomes problems on the result.
    ``attempt`` changes nothing in the build: it makes a retry a task of its own, as a cluster
    (Dask) knows a task by its function and arguments and would give back the failed one."""
    start = time.perf_counter()
    outcome = Outcome(BuildResult(source, "failed"))
    result = outcome.result
    try:
        _build(source, settings, outcome)
    except HandoutError as exc:
        result.problems = exc.problems
    except _CannotWrite as exc:
        where = display_path(settings.out_dir)
        reason = exc.error.strerror or exc.error
        result.problems = [Problem(where, 0, 0, "", f"cannot write PDF: {reason}")]
    except OSError as exc:  # a file read during layout vanished or became unreadable
        where = display_path(Path(exc.filename)) if exc.filename else display_path(source)
        reason = exc.strerror or type(exc).__name__
        result.problems = [Problem(where, 0, 0, "", f"cannot read file: {reason}")]
    except Exception as exc:  # a bug in handout-builder: report it against this handout, go on
        result.problems = [
            Problem(
                display_path(source),
                0,
                0,
                "",
                "could not be built because of "
                f"an internal error ({type(exc).__name__}: {exc}); please "
                "report it",
            )
        ]
    if result.problems:
        result.status = "failed"
        result.output = None
        discard(outcome)
    result.milliseconds = round((time.perf_counter() - start) * 1000, 1)
    return outcome


def _build(source: Path, settings: BuildSettings, outcome: Outcome) -> None:
    from handout_builder.source.integrity import asset_files

    result = outcome.result
    workshop = prepare(settings)
    # Hashed before reading, for the same reason as the brand files.
    outcome.inputs[str(source.resolve())] = file_digest(source) or ""
    checked = check_file(source, workshop.brand, settings.today)
    result.problems = list(checked.problems)
    result.warnings = list(checked.warnings)
    if checked.handout is None or checked.loaded is None:
        return
    handout, loaded = checked.handout, checked.loaded
    result.handout_id = handout.id
    outcome.review = (handout.review_due.isoformat(), *loaded.position(("review_due",)))
    if settings.strict and result.warnings:
        result.problems, result.warnings = result.warnings, []
        return
    for path in asset_files(handout, loaded):
        outcome.inputs[str(path)] = file_digest(path) or ""
    outcome.inputs.update(workshop.brand_files)
    rendered = pipeline.render_handout(
        handout,
        workshop.theme,
        loaded.base_dir,
        loaded.name,
        layout=settings.layout,
        max_pages=settings.max_pages,
        source=loaded,
        epoch=settings.epoch,
    )
    data = rendered.data
    target = settings.out_dir / rendered.file_name
    try:
        outcome.staged = stage(data, target)
    except OSError as exc:
        raise _CannotWrite(exc) from None
    result.status = "built"
    result.output = target
    result.pages = rendered.pages
    result.layout = rendered.layout
    result.bytes = len(data)
    result.sha256 = hashlib.sha256(data).hexdigest()


class _CannotWrite(Exception):
    """The PDF could not be written to the output folder (full, read-only, gone)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def discard(outcome: Outcome) -> None:
    """Remove a staged PDF that will not be committed."""
    if outcome.staged is not None:
        outcome.staged.unlink(missing_ok=True)
        outcome.staged = None
