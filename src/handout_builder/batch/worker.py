"""One build worker: the brand, theme and check settings it holds, and the one task it runs.

Takes ``BuildSettings`` (small and picklable, so any ``concurrent.futures.Executor`` can ship them);
``prepare`` loads the brand, fonts, theme, check settings and the checks themselves once per
process (a process pool's initializer, and lazily for any other executor); ``build_handout``
checks one handout file with every rule of ``handout check`` (``lint``), and, when no error is
found (nor, in a strict build, a warning; nor, in a release build, anything a release refuses),
lays it out and stages its PDF, giving an ``Outcome``. A retired handout is never built. A staged
PDF is complete but under a temporary name until the batch commits it (see ``batch.py``), so
duplicate ids are resolved the same way whatever the order in which workers finish. Nothing here
prints, and no exception escapes ``build_handout``.
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
from handout_builder.lint.config import LintConfig, load_config
from handout_builder.pipeline import BuildResult, check_file, source_date_epoch
from handout_builder.source.review import review_status

# The brand, theme and layouts are loaded by a worker that builds (``prepare``), not by a batch
# with nothing to do.
if TYPE_CHECKING:
    from handout_builder.lint.core import Finding
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
    release: bool = False  # refuse drafts, changes since approval, overdue reviews, placeholders
    config_path: Path | None = None  # the check settings (handout.toml, pyproject.toml)


@dataclass
class Workshop:
    """What a worker loads once and uses for every handout: the brand, its theme, the check
    settings, and the SHA-256 of every file the brand and the settings are made from."""

    brand: LoadedBrand
    theme: Theme
    brand_files: dict[str, str]
    config: LintConfig = field(default_factory=LintConfig)
    stamps: dict[Path, tuple[int, int] | None] = field(default_factory=dict)

    def current(self) -> bool:
        """Whether the files it was made from (brand, logo, fonts, settings, jargon lists) are
        as they were (by size and modification time), so that one edited while a process lives
        is loaded again."""
        return all(_stamp(p) == stamp for p, stamp in self.stamps.items())


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


@dataclass
class Outcome:
    """One handout built (or not) by a worker, with what the batch needs to commit it."""

    result: BuildResult
    staged: Path | None = None  # the finished PDF under a temporary name, until committed
    inputs: dict[str, str] = field(default_factory=dict)  # absolute path -> SHA-256
    review: tuple[str, str | None] | None = None  # review_due (ISO), its state when checked
    lost: bool = False  # the worker died or the executor lost the task


_workshops: dict[tuple[Path | None, str | None, bool, Path | None], Workshop] = {}
_lock = threading.Lock()


def prepare(settings: BuildSettings) -> Workshop:
    """The worker's brand, theme and check settings, loaded on first use in this process and
    kept while the files they were made from are unchanged."""
    key = (settings.brand_path, settings.paper, settings.large_print, settings.config_path)
    with _lock:
        if key not in _workshops or not _workshops[key].current():
            _workshops[key] = _open_workshop(settings)
        return _workshops[key]


def start_worker(settings: BuildSettings) -> None:
    """Initializer of the worker processes that ``batch`` starts. Ctrl-C is the main process's
    business: a worker finishes (or never starts) its handout, so no PDF is left half-written."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    prepare(settings)


def _open_workshop(settings: BuildSettings) -> Workshop:
    # Hash the brand's files before loading them: if one changes meanwhile, the manifest records
    # the older digest and the next build redoes the work, never wrongly skips it.
    path = settings.brand_path
    own = [p for p in (path, settings.config_path) if p is not None]
    stamps = {p: _stamp(p) for p in own}
    before = {str(p.resolve()): file_digest(p) for p in own}
    from handout_builder.lint import engine
    from handout_builder.look.brand import load_brand
    from handout_builder.look.theme import Theme

    brand = load_brand(path)
    config = check_settings(settings)
    engine.check_config(config)
    files = {str(p): file_digest(p) or "" for p in brand.files()}
    files.update({str(p.resolve()): file_digest(p) or "" for p in config.jargon_paths()})
    files.update({k: v or "" for k, v in before.items()})
    theme = Theme(brand, settings.paper or brand.brand.paper, large_print=settings.large_print)
    for extra in (*brand.files(), *config.jargon_paths()):
        stamps.setdefault(extra, _stamp(extra))
    return Workshop(brand, theme, files, config, stamps)


def check_settings(settings: BuildSettings) -> LintConfig:
    """The check settings a build uses (the defaults without a settings file)."""
    return load_config(settings.config_path) if settings.config_path else LintConfig()


def review_state(due: dt.date, today: dt.date, window: int) -> str | None:
    """ "overdue", "due-soon" or None: what the review date means today."""
    status = review_status(due, today, window)
    return status[0] if status else None


def brand_findings(settings: BuildSettings) -> list[Finding]:
    """What the checks find in the brand a build uses: text contrast and size, and its
    placeholder details (warnings, or errors in a release build)."""
    from handout_builder.lint.brand_rules import brand_placeholders, lint_brand

    workshop = prepare(settings)
    found = lint_brand(workshop.brand, workshop.config)
    return sorted(found + brand_placeholders(workshop.brand, release=settings.release))


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
    elif result.status == "retired":
        result.output = None
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
    if checked.handout is None or checked.loaded is None:
        return
    handout, loaded = checked.handout, checked.loaded
    result.handout_id = handout.id
    if checked.standing.retired:
        result.status = "retired"
        return
    from handout_builder.lint import engine

    found = engine.review(
        handout, loaded, workshop.brand, workshop.config, settings.today, release=settings.release
    )
    result.problems = [f.problem_with_rule() for f in found.findings if f.severity == "error"]
    result.warnings = [f.problem_with_rule() for f in found.findings if f.severity == "warning"]
    window = workshop.config.review_warning_days
    outcome.review = (
        handout.review_due.isoformat(),
        review_state(handout.review_due, settings.today, window),
    )
    if result.problems:
        return
    if (settings.strict or settings.release) and result.warnings:
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
        approval=checked.standing.approval,
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
