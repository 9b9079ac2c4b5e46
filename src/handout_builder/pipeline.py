"""One handout through the stages, and what each step gives back.

``check_file`` reads a handout file (``source.reader``), validates it into the typed model
(``source.validation``) and checks what needs more than one field (``source.integrity``), giving a
``CheckResult`` with the model or every problem, where it stands (draft, approved or retired:
``source.approval``), and the warnings (review dates; content changed since it was approved).
``render_handout`` lays a valid handout out (``layout``) in its layout (the one the build asks
for, else the handout's own ``layout:``, else the leaflet) on its pages (``pdf.page``) and gives
the tagged PDF, marked as a draft on every page unless an approval holds for it, its page counts
and its file name, dated by the epoch it is given (``source_date_epoch`` reads
``SOURCE_DATE_EPOCH`` where a build or a packet is asked for; below here nothing reads the
environment for it); content longer than the layout or the handout's ``max_pages`` allows is a
``LayoutError`` that says how long it is. ``BuildResult`` is what building one handout gives the
batch and the command line. Nothing here prints, and a bad handout never raises past these
functions except as a ``HandoutError`` that names its problems.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from handout_builder.errors import HandoutError, LayoutError, Problem, UsageError, display_path
from handout_builder.output import plural
from handout_builder.source.approval import Standing, standing
from handout_builder.source.files import find_handouts
from handout_builder.source.review import review_warnings

# The stages are imported where they are used: a build that finds every PDF up to date (and
# the command line, before it knows what to do) needs none of them, and they (ReportLab, the
# brand, the fonts) take most of a second to import.
if TYPE_CHECKING:
    from handout_builder.layout.layouts import Layout
    from handout_builder.look.brand import LoadedBrand
    from handout_builder.look.theme import Theme
    from handout_builder.model import Approval, Handout
    from handout_builder.pdf.page import Rendition
    from handout_builder.source.reader import PathKey, Source


@dataclass
class CheckResult:
    """One handout file checked: the model if it is valid, else the problems. Warnings (such as
    a review date that has passed) do not stop a build unless it is strict."""

    source: Path
    handout: Handout | None = None
    problems: list[Problem] = field(default_factory=list)
    loaded: Source | None = None
    warnings: list[Problem] = field(default_factory=list)
    standing: Standing = field(default_factory=lambda: Standing("draft"))

    @property
    def ok(self) -> bool:
        return not self.problems


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
    pages: int = 0  # pages of the PDF
    bytes: int = 0
    milliseconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    handout_id: str | None = None
    warnings: list[Problem] = field(default_factory=list)
    sha256: str | None = None
    layout: str | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass(frozen=True)
class RenderedHandout:
    """One handout laid out: the tagged PDF, its number of pages, how many pages its layout
    counts (a booklet's own pages, a trifold's panels), the layout and the PDF's file name."""

    data: bytes
    pages: int
    laid_out: int
    layout: str
    file_name: str
    too_long: Problem | None = None  # why it is longer than allowed, when that was not enforced


Progress = Callable[[BuildResult, int, int], None]
"""Called as each handout is done: the result, how many are done, and how many there are. A
progress object that also has a ``begin(total)`` method is told, before any handout is done, how
many there will be (``batch.progress.BuildProgress`` draws its bar from then on)."""


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as this process's environment has it (the client's, when settings
    are made), or None when it is not set. A value that is not a whole number of seconds is a
    ``UsageError``."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise UsageError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {raw[:40]!r}"
        )
    return int(raw)


def check_file(path: Path, brand: LoadedBrand, today: dt.date | None = None) -> CheckResult:
    """Read, validate and integrity-check one handout file; problems go in the result, and
    warnings (a review date that has passed or is near) for a valid one."""
    from handout_builder.look.brand import brand_fields
    from handout_builder.look.labels import language_problems
    from handout_builder.model import Handout
    from handout_builder.source.integrity import integrity_problems
    from handout_builder.source.reader import read_source
    from handout_builder.source.validation import validate

    result = CheckResult(path)
    try:
        source = read_source(path)
        handout = validate(source, Handout)
    except HandoutError as exc:
        result.problems = exc.problems
        return result
    result.loaded = source
    fields = brand_fields(brand.brand)
    problems = integrity_problems(handout, source, brand.fonts, fields)
    result.problems = sorted(problems + language_problems(handout.language, source))
    if not result.problems:
        result.handout = handout
        result.standing = standing(handout, source)
        line, column = source.position(("review_due",))
        result.warnings = review_warnings(
            handout.review_due, source.name, line, column, today or dt.date.today()
        )
        if result.standing.changed:
            result.warnings.append(result.standing.changed)
    return result


def check_files(sources: Iterable[Path | str], brand: LoadedBrand) -> list[CheckResult]:
    """Check every handout in ``sources`` (files or folders) against a loaded brand; a second
    handout with an id already used is a problem of its own."""
    results = [check_file(p, brand) for p in find_handouts(list(sources))]
    _flag_duplicate_ids(results)
    return results


def render_handout(
    handout: Handout,
    theme: Theme,
    asset_dir: Path,
    name: str,
    *,
    approval: Approval | None,
    layout: str | None = None,
    max_pages: int | None = None,
    source: Source | None = None,
    enforce: bool = True,
    epoch: int | None = None,
) -> RenderedHandout:
    """Lay out one valid handout in ``layout`` (else its own ``layout:``, else the leaflet),
    dated ``epoch`` (seconds since 1970; now when None). Without the ``approval`` that holds for
    it (``CheckResult.standing.approval``) it is laid out as a draft, marked on every page.
    Content that cannot fit on a page, that needs more pages than the layout, the handout's
    ``max_pages`` or ``max_pages`` here allow (unless not ``enforce``d: to measure it), or a
    layout with no large-print version asked for in large print, is a ``LayoutError`` placed at
    the field concerned in ``source`` (the file ``name`` when there is no source)."""
    from handout_builder.layout import RenderContext
    from handout_builder.layout.fields import culprit
    from handout_builder.layout.layouts import DEFAULT, LAYOUTS
    from handout_builder.pdf.page import MAX_PAGES, ContentTooLarge, lay_out

    chosen = LAYOUTS[layout or handout.layout or DEFAULT]
    where = _Where(name, source, from_handout=layout is None and handout.layout is not None)
    if theme.large_print and not chosen.large_print:
        raise LayoutError([where.layout(no_large_print(chosen.name))])
    ctx = RenderContext(
        handout, chosen.theme(theme).for_language(handout.language), asset_dir, approval
    )
    story, pages = chosen.compose(handout, ctx)
    try:
        done = lay_out(story, dataclasses.replace(pages, epoch=epoch))
    except ContentTooLarge as exc:
        path = culprit(exc.flowables)
        reason = RUNAWAY.format(MAX_PAGES=MAX_PAGES) if exc.runaway else TOO_TALL
        message = reason + "; " + _advice(path or ())
        if path is None or source is None:
            problem = Problem(name, 0, 0, "", message)
        else:
            problem = source.problem(path, message)
        raise LayoutError([problem]) from None
    too_long = length_problem(chosen, done, handout, max_pages, where)
    if too_long is not None and enforce:
        raise LayoutError([too_long])
    return RenderedHandout(
        done.data,
        done.pages,
        done.laid_out,
        chosen.name,
        chosen.file_name(handout.id, theme.large_print),
        too_long,
    )


def no_large_print(layout: str) -> str:
    """Why ``layout`` cannot be built in large print."""
    from handout_builder.layout.layouts import LAYOUTS

    able = " and ".join(n for n, lay in LAYOUTS.items() if lay.large_print)
    return f"the {layout} layout has no large-print version (large print works with {able})"


@dataclass(frozen=True)
class _Where:
    """Where to point a problem with a handout's length or layout: at the first of some fields
    the handout file has, else at its start."""

    name: str
    source: Source | None
    from_handout: bool  # the layout is the handout's own ``layout:``

    def problem(self, path: str, message: str, *fields: str) -> Problem:
        for name in fields:
            if self.source is not None and (name,) in self.source.positions:
                line, column = self.source.position((name,))
                return Problem(self.source.name, line, column, path, message)
        return Problem(self.name, 1, 1, path, message)

    def layout(self, message: str) -> Problem:
        return self.problem("layout", message, *(["layout"] if self.from_handout else []))


def length_problem(
    layout: Layout,
    done: Rendition,
    handout: Handout,
    max_pages: int | None,
    where: _Where,
) -> Problem | None:
    """Why a laid-out handout is too long, if it is: longer than its layout holds (a sheet's two
    pages, a trifold's six panels), than the handout's ``max_pages`` or than ``max_pages`` (the
    build's). The tightest limit is the one reported."""
    limit = layout.page_limit
    if limit is not None and done.laid_out > limit and layout.counts_sheet_sides:
        over = done.laid_out - limit
        return where.layout(
            f"too long for a {layout.name}: needs {plural(done.laid_out, 'panel')}, it has "
            f"{limit} (about {plural(over, 'panel')} too long)"
        )
    pages = done.pages if layout.counts_sheet_sides else done.laid_out
    limits = [
        (n, rank, fields, note)
        for n, rank, fields, note in (
            (handout.max_pages, 0, ("max_pages",), ""),
            (limit, 1, ("layout",) if where.from_handout else (), f" on a {layout.name}"),
            (max_pages, 2, (), " by --max-pages"),
        )
        if n is not None and pages > n
    ]
    if not limits:
        return None
    most, _, fields, note = min(limits, key=lambda x: (x[0], x[1]))
    message = f"needs {plural(pages, 'page')}, at most {most} allowed{note}"
    return where.problem("max_pages", message, *fields)


TOO_TALL = "this is taller than a page and cannot be split across pages"
RUNAWAY = "this cannot be laid out: splitting it across pages never ends (past {MAX_PAGES} pages)"


def _advice(path: PathKey) -> str:
    """What to do about content taller than a page, for the kind of field it is."""
    if "rows" in path:
        return (
            "shorten this table cell, split its text over several rows, or move the longer text "
            "out of the table into paragraphs"
        )
    if "items" in path or "bullets" in path or "tips" in path or "avoid" in path:
        return "shorten this item or split it into several items"
    return "shorten it or split it into several shorter parts"


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
