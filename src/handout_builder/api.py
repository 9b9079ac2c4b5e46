"""The library API: load, check and build handouts. The command line is a thin layer over it.

``load_handout(path)`` gives a validated ``Handout``; ``check(sources)`` gives one
``CheckResult`` per file; ``lint(sources)`` checks them and runs the plain-language, safety,
governance and design rules too, giving a ``LintReport``; ``build(sources, out_dir)`` writes one
PDF per good handout and gives one ``BuildResult`` per file. None of them print; none stop at the
first bad handout.

``build`` is also the batch builder for CI: it runs on worker processes (``jobs``) or on any
``concurrent.futures.Executor``, skips handouts whose PDF is up to date (a manifest in the output
folder; ``force`` rebuilds all), reports PDFs whose handout is gone as stale (``clean`` removes
them) and calls ``progress`` as each handout is done. See ``batch.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.platypus.doctemplate import LayoutError as RLLayoutError

from handout_builder.errors import HandoutError, LayoutError, Problem, display_path
from handout_builder.layout import RenderContext, story
from handout_builder.lint.review import review_warnings
from handout_builder.look.brand import LoadedBrand, load_brand
from handout_builder.look.theme import Theme
from handout_builder.model import Handout
from handout_builder.pdf.page import render_pdf
from handout_builder.source.files import find_brand, find_handouts
from handout_builder.source.integrity import integrity_problems
from handout_builder.source.reader import Source, read_source
from handout_builder.source.validation import validate

if TYPE_CHECKING:  # the rules (and textstat, a fifth of a second to import) only for ``lint``
    from handout_builder.lint.config import LintConfig
    from handout_builder.lint.engine import Finding, Pemat


@dataclass
class CheckResult:
    """One handout file checked: the model if it is valid, else the problems. Warnings (such as
    a review date that has passed) do not stop a build unless it is strict."""

    source: Path
    handout: Handout | None = None
    problems: list[Problem] = field(default_factory=list)
    loaded: Source | None = None
    warnings: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # filled by ``lint``
    pemat: Pemat | None = None  # filled by ``lint`` for a valid handout

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class LintReport:
    """Handouts checked with every rule, and the findings about the brand file they use."""

    results: list[CheckResult]
    brand: str
    brand_findings: list[Finding] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        """Every finding: the brand's, then each handout's (validation problems included)."""
        return [*self.brand_findings, *(f for r in self.results for f in r.findings)]

    @property
    def failed(self) -> bool:
        return any(f.severity == "error" for f in self.findings())


@dataclass
class BuildResult:
    """One handout file built (or not): where the PDF went, its size, and any problems.

    ``status`` is "built", "skipped" (its PDF is up to date), "failed", or, for a PDF in the
    output folder whose handout was deleted or now has another id, "stale" (or "removed" when
    the build cleans). ``sha256`` is the PDF's digest.
    """

    source: Path
    status: str
    output: Path | None = None
    pages: int = 0
    bytes: int = 0
    milliseconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    handout_id: str | None = None
    warnings: list[Problem] = field(default_factory=list)
    sha256: str | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"


Progress = Callable[[BuildResult, int, int], None]
"""Called as each handout is done: the result, how many are done, and how many there are."""


def load_handout(path: Path | str, brand: LoadedBrand | None = None) -> Handout:
    """Read, validate and integrity-check one handout; raise ``HandoutError`` listing all
    problems."""
    result = check_file(Path(path), brand or load_brand())
    if result.problems:
        raise HandoutError(result.problems)
    assert result.handout is not None
    return result.handout


def check(sources: Iterable[Path | str] = (), brand_path: Path | None = None) -> list[CheckResult]:
    """Check every handout in ``sources`` (default ``handouts/``); never raises for bad content.

    A bad brand file raises ``HandoutError``: without a brand nothing can be checked fully.
    """
    sources = list(sources)
    return check_with(sources, load_brand(find_brand(sources, brand_path)))


def lint(
    sources: Iterable[Path | str] = (),
    brand_path: Path | None = None,
    config: LintConfig | None = None,
    today: dt.date | None = None,
) -> LintReport:
    """``check`` every handout in ``sources``, then run the rules on each valid one.

    Settings come from ``config``, else from handout.toml / pyproject.toml found upward from
    the working folder. Invalid handouts carry their problems as findings of rule HB-SCHEMA-001.
    """
    from handout_builder.lint.engine import check_config, lint_brand, load_config, review
    from handout_builder.lint.engine import schema_findings as _schema_findings

    sources = list(sources)
    config = config or load_config()
    check_config(config)
    brand = load_brand(find_brand(sources, brand_path))
    results = check_with(sources, brand)
    for r in results:
        if r.handout is not None and r.loaded is not None:
            found = review(r.handout, r.loaded, brand, config, today)
            r.findings, r.pemat = found.findings, found.pemat
        else:
            r.findings = _schema_findings(r.problems)
    return LintReport(results, brand.name, lint_brand(brand, config))


def build(
    sources: Iterable[Path | str] = (),
    out_dir: Path | str = "dist",
    brand_path: Path | None = None,
    paper: str | None = None,
    *,
    jobs: int = 1,
    executor: Executor | None = None,
    force: bool = False,
    clean: bool = False,
    strict: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    large_print: bool = False,
) -> list[BuildResult]:
    """Build a PDF for every good handout into ``out_dir/<id>.pdf`` (``<id>-large-print.pdf``
    with ``large_print``); bad ones are reported in their result and never stop the others. A
    failed build leaves any earlier PDF untouched.

    ``jobs`` > 1 builds on that many worker processes; ``executor`` runs the builds on any
    ``concurrent.futures.Executor`` instead (a thread or process pool, or a cluster's). The
    PDFs are the same either way. Unchanged handouts are skipped unless ``force``; ``clean``
    deletes stale PDFs; ``strict`` fails handouts that have warnings; ``today`` is the date
    review warnings are judged by. A bad brand file raises ``HandoutError``; Ctrl-C
    (``KeyboardInterrupt``) is re-raised once the PDFs finished so far are committed.
    """
    from handout_builder.batch.runner import run_batch  # batch and worker import this module
    from handout_builder.batch.worker import BuildSettings

    sources = list(sources)
    found = find_handouts(sources)
    chosen = find_brand(sources, brand_path)
    settings = BuildSettings(
        Path(out_dir).resolve(),
        chosen.resolve() if chosen else None,
        paper,
        today or dt.date.today(),
        strict,
        large_print,
    )
    return run_batch(
        found, settings, jobs=jobs, executor=executor, force=force, clean=clean, progress=progress
    )


def check_with(sources: list[Path | str], brand: LoadedBrand) -> list[CheckResult]:
    """Check every handout in ``sources`` against an already loaded brand."""
    results = [check_file(p, brand) for p in find_handouts(sources)]
    _flag_duplicate_ids(results)
    return results


def render_handout(handout: Handout, theme: Theme, asset_dir: Path, name: str) -> tuple[bytes, int]:
    """Lay out one valid handout; content that cannot fit becomes a ``LayoutError``."""
    ctx = RenderContext(handout, theme, asset_dir)
    try:
        return render_pdf(handout, theme, story(handout, ctx))
    except RLLayoutError as exc:
        detail = str(exc).split("\n")[0][:200]
        raise LayoutError(
            [Problem(name, 1, 1, "", f"content cannot be laid out: {detail}")]
        ) from None


def check_file(path: Path, brand: LoadedBrand, today: dt.date | None = None) -> CheckResult:
    """Read, validate and integrity-check one handout file; problems go in the result, and
    warnings (a review date that has passed or is near) for a valid one."""
    result = CheckResult(path)
    try:
        source = read_source(path)
        handout = validate(source, Handout)
    except HandoutError as exc:
        result.problems = exc.problems
        return result
    result.loaded = source
    result.problems = sorted(integrity_problems(handout, source, brand.fonts))
    if not result.problems:
        result.handout = handout
        line, column = source.position(("review_due",))
        result.warnings = review_warnings(
            handout.review_due, source.name, line, column, today or dt.date.today()
        )
    return result


def _flag_duplicate_ids(results: list[CheckResult]) -> None:
    seen: dict[str, CheckResult] = {}
    for r in results:
        if r.handout is None:
            continue
        first = seen.setdefault(r.handout.id, r)
        if first is not r:
            assert r.loaded is not None
            r.problems.append(
                r.loaded.problem(
                    ("id",), f"id '{r.handout.id}' is already used by {display_path(first.source)}"
                )
            )
            r.handout = None
