"""The library API: load, check and build handouts. The command line is a thin layer over it.

``load_handout(path)`` gives a validated ``Handout``; ``check(sources)`` gives one
``CheckResult`` per file; ``build(sources, out_dir)`` writes one PDF per good handout and gives
one ``BuildResult`` per file. None of them print; none stop at the first bad handout.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.platypus.doctemplate import LayoutError as RLLayoutError

from handout_builder.brand import LoadedBrand, load_brand
from handout_builder.document import render_pdf, write_atomic
from handout_builder.errors import HandoutError, LayoutError, Problem, display_path
from handout_builder.integrity import integrity_problems
from handout_builder.library import find_brand, find_handouts
from handout_builder.model import Handout
from handout_builder.render import RenderContext, story
from handout_builder.source import Source, read_source
from handout_builder.theme import Theme
from handout_builder.validation import validate


@dataclass
class CheckResult:
    """One handout file checked: the model if it is valid, else the problems."""

    source: Path
    handout: Handout | None = None
    problems: list[Problem] = field(default_factory=list)
    loaded: Source | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class BuildResult:
    """One handout file built (or not): where the PDF went, its size, and any problems."""

    source: Path
    status: str  # "built" or "failed"
    output: Path | None = None
    pages: int = 0
    bytes: int = 0
    milliseconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    handout_id: str | None = None


def load_handout(path: Path | str, brand: LoadedBrand | None = None) -> Handout:
    """Read, validate and integrity-check one handout; raise ``HandoutError`` listing all
    problems."""
    result = _check_file(Path(path), brand or load_brand())
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


def build(
    sources: Iterable[Path | str] = (),
    out_dir: Path | str = "dist",
    brand_path: Path | None = None,
    paper: str | None = None,
    large_print: bool = False,
) -> list[BuildResult]:
    """Build a PDF for every good handout into ``out_dir/<id>.pdf`` (``<id>-large-print.pdf`` in
    large print); bad ones are reported in their result and never stop the others. A failed
    build leaves any earlier PDF untouched."""
    sources = list(sources)
    brand = load_brand(find_brand(sources, brand_path))
    theme = Theme(brand, paper or brand.brand.paper, large_print=large_print)
    results = []
    for checked in check_with(sources, brand):
        results.append(_build_one(checked, theme, Path(out_dir)))
    return results


def check_with(sources: list[Path | str], brand: LoadedBrand) -> list[CheckResult]:
    """Check every handout in ``sources`` against an already loaded brand."""
    results = [_check_file(p, brand) for p in find_handouts(sources)]
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


def _build_one(checked: CheckResult, theme: Theme, out_dir: Path) -> BuildResult:
    start = time.perf_counter()
    result = BuildResult(checked.source, "failed", problems=list(checked.problems))
    if checked.handout is None or checked.problems:
        return result
    handout = checked.handout
    result.handout_id = handout.id
    assert checked.loaded is not None
    try:
        data, pages = render_handout(handout, theme, checked.loaded.base_dir, checked.loaded.name)
        target = out_dir / theme.file_name(handout.id)
        write_atomic(data, target)
    except HandoutError as exc:
        result.problems = exc.problems
        return result
    except OSError as exc:
        result.problems = [
            Problem(display_path(out_dir), 1, 1, "", f"cannot write PDF: {exc.strerror or exc}")
        ]
        return result
    result.status = "built"
    result.output = target
    result.pages = pages
    result.bytes = len(data)
    result.milliseconds = (time.perf_counter() - start) * 1000
    return result


def _check_file(path: Path, brand: LoadedBrand) -> CheckResult:
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
