"""One handout through the stages, and what each step gives back.

``check_file`` reads a handout file (``source.reader``), validates it into the typed model
(``source.validation``) and checks what needs more than one field (``source.integrity``), giving a
``CheckResult`` with the model or every problem, and the review-date warnings.
``render_handout`` lays a valid handout out (``layout``) on its pages (``pdf.page``) and gives the
bytes of the tagged PDF. ``BuildResult`` is what building one handout gives the batch and the
command line. Nothing here prints, and a bad handout never raises past these functions except as a
``HandoutError`` that names its problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.platypus.doctemplate import LayoutError as RLLayoutError

from handout_builder.errors import HandoutError, LayoutError, Problem, display_path
from handout_builder.layout import RenderContext, story
from handout_builder.layout.furniture import handout_pages
from handout_builder.look.brand import LoadedBrand
from handout_builder.look.labels import language_problems
from handout_builder.look.theme import Theme
from handout_builder.model import Handout
from handout_builder.pdf.page import render
from handout_builder.source.files import find_handouts
from handout_builder.source.integrity import integrity_problems
from handout_builder.source.reader import Source, read_source
from handout_builder.source.review import review_warnings
from handout_builder.source.validation import validate


@dataclass
class CheckResult:
    """One handout file checked: the model if it is valid, else the problems. Warnings (such as
    a review date that has passed) do not stop a build unless it is strict."""

    source: Path
    handout: Handout | None = None
    problems: list[Problem] = field(default_factory=list)
    loaded: Source | None = None
    warnings: list[Problem] = field(default_factory=list)

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
"""Called as each handout is done: the result, how many are done, and how many there are. A
progress object that also has a ``begin(total)`` method is told, before any handout is done, how
many there will be (``batch.progress.BuildProgress`` draws its bar from then on)."""


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
    problems = integrity_problems(handout, source, brand.fonts)
    result.problems = sorted(problems + language_problems(handout.language, source))
    if not result.problems:
        result.handout = handout
        line, column = source.position(("review_due",))
        result.warnings = review_warnings(
            handout.review_due, source.name, line, column, today or dt.date.today()
        )
    return result


def check_files(sources: Iterable[Path | str], brand: LoadedBrand) -> list[CheckResult]:
    """Check every handout in ``sources`` (files or folders) against a loaded brand; a second
    handout with an id already used is a problem of its own."""
    results = [check_file(p, brand) for p in find_handouts(list(sources))]
    _flag_duplicate_ids(results)
    return results


def render_handout(handout: Handout, theme: Theme, asset_dir: Path, name: str) -> tuple[bytes, int]:
    """Lay out one valid handout: the bytes of its tagged PDF and its number of pages. Content
    that cannot fit on a page becomes a ``LayoutError``."""
    theme = theme.for_language(handout.language)
    ctx = RenderContext(handout, theme, asset_dir)
    try:
        return render(story(handout, ctx), handout_pages(handout, theme))
    except RLLayoutError as exc:
        detail = str(exc).split("\n")[0][:200]
        raise LayoutError(
            [Problem(name, 1, 1, "", f"content cannot be laid out: {detail}")]
        ) from None


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
