"""The public face of handout-builder: one plain function per thing a user does, and the types
they give. Nothing inside the package imports this module; the command line is a thin layer over
it.

- ``load_handout(path)``: one valid ``Handout``, or a ``HandoutError`` naming every problem.
- ``validate(sources)``: each handout file read, validated and integrity-checked
  (``CheckResult``); never raises for bad content.
- ``page_counts(checked)``: each valid handout's layout and page count (``PageCount``), as
  ``handout list`` shows them.
- ``check(sources)``: what ``handout check`` runs: ``validate``, then the plain-language, safety,
  governance and design rules and the PEMAT summary (``LintReport``).
- ``build(sources, out_dir)``: a tagged PDF per handout that passes its checks (``BuildResult``),
  in parallel, skipping unchanged ones; ``release=True`` refuses drafts and placeholders too.
  ``check_brand(sources)`` gives what the checks find in the brand a build would use.
- ``approve(handout_id, by)``: mark a handout approved by a named person, today, with the
  fingerprint of its content, editing its file in place (``Approved``).
- ``make_packet(ids, sources)``: a patient's packet, a cover sheet and the chosen handouts as one
  tagged PDF (``Packet``); drafts only with ``drafts=True``, and then marked.
- ``check_pdf(path)``: what a PDF lacks for PDF/UA-1 (a list of sentences, empty when it passes).

None of them print; none stop at the first bad handout.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handout_builder.batch.atomic import write_atomic
from handout_builder.batch.runner import run_batch
from handout_builder.batch.worker import BuildSettings, brand_findings
from handout_builder.errors import HandoutError, UsageError, display_path
from handout_builder.pipeline import (
    BuildResult,
    CheckResult,
    Progress,
    check_file,
    check_files,
    no_large_print,
    render_handout,
)
from handout_builder.source.files import find_brand, find_handouts

# The brand, layouts and themes (ReportLab, the fonts) are imported in the functions that use
# them: a build that finds every PDF up to date needs none of them. The rules load only to
# check (textstat only once text is measured).
if TYPE_CHECKING:
    from handout_builder.frontdesk.packet import Packet
    from handout_builder.lint.config import LintConfig
    from handout_builder.lint.core import Finding
    from handout_builder.lint.engine import LintReport
    from handout_builder.look.brand import LoadedBrand
    from handout_builder.model import Approval, Handout


def load_handout(path: Path | str, brand: LoadedBrand | None = None) -> Handout:
    """Read, validate and integrity-check one handout (against ``brand``'s fonts, the built-in
    brand by default); raise ``HandoutError`` listing all problems."""
    from handout_builder.look.brand import load_brand

    result = check_file(Path(path), brand or load_brand())
    if result.problems:
        raise HandoutError(result.problems)
    assert result.handout is not None
    return result.handout


def validate(
    sources: Iterable[Path | str] = (), brand_path: Path | None = None
) -> list[CheckResult]:
    """Read, validate and integrity-check every handout in ``sources`` (files or folders,
    default ``handouts/``): one ``CheckResult`` per file, in a stable order. A bad brand file
    raises ``HandoutError``: without a brand nothing can be checked fully."""
    from handout_builder.look.brand import load_brand

    sources = list(sources)
    return check_files(sources, load_brand(find_brand(sources, brand_path)))


@dataclass(frozen=True)
class PageCount:
    """How a handout builds as it stands: in which layout, how many pages its PDF has (None
    when it cannot be laid out at all), and whether that is within what its layout and its
    ``max_pages`` allow."""

    layout: str
    pages: int | None
    fits: bool


def page_counts(
    checked: Iterable[CheckResult],
    sources: Iterable[Path | str] = (),
    brand_path: Path | None = None,
) -> list[PageCount | None]:
    """Lay out each valid handout of ``checked`` (from ``validate(sources, brand_path)``) in
    its own layout on the brand's paper and count its pages, a handout too long for its layout
    all the same; None for one that is not valid."""
    from handout_builder.layout.layouts import DEFAULT
    from handout_builder.look.brand import load_brand
    from handout_builder.look.theme import Theme

    brand = load_brand(find_brand(list(sources), brand_path))
    theme = Theme(brand, brand.brand.paper)
    out: list[PageCount | None] = []
    for result in checked:
        handout, loaded = result.handout, result.loaded
        if handout is None or loaded is None:
            out.append(None)
            continue
        try:
            done = render_handout(
                handout,
                theme,
                loaded.base_dir,
                loaded.name,
                approval=result.standing.approval,
                source=loaded,
                enforce=False,
            )
        except HandoutError:  # content that cannot be laid out at all
            out.append(PageCount(handout.layout or DEFAULT, None, False))
            continue
        out.append(PageCount(done.layout, done.pages, done.too_long is None))
    return out


def check(
    sources: Iterable[Path | str] = (),
    brand_path: Path | None = None,
    config: LintConfig | None = None,
    today: dt.date | None = None,
    *,
    release: bool = False,
) -> LintReport:
    """Everything ``handout check`` runs: ``validate``, then every rule on each valid handout
    and the brand. Settings come from ``config``, else from the handout.toml / pyproject.toml
    found upward from each source (sources under different settings files are each checked
    with their own); ``today`` is the date review dates are judged by. A brand file that cannot
    be loaded is reported as findings on the brand, and the handouts are checked with the
    built-in brand meanwhile. With ``release``, also what a release build refuses: drafts,
    changes since approval, overdue reviews, unreviewed builder words and placeholders, in the
    handouts and the brand, as errors."""
    from handout_builder.lint.engine import combine, config_from
    from handout_builder.source.settings import group_sources

    named = [Path(s) for s in sources]
    if config is not None:
        groups = [(config, named)]
    else:
        groups = [(config_from(found), members) for found, members in group_sources(named)]
    return combine(
        [_check_group(members, brand_path, rules, today, release) for rules, members in groups]
    )


def _check_group(
    sources: list[Path],
    brand_path: Path | None,
    config: LintConfig,
    today: dt.date | None,
    release: bool,
) -> LintReport:
    from handout_builder.lint.engine import check_handouts, schema_findings
    from handout_builder.look.brand import load_brand

    chosen = find_brand(sources, brand_path)
    try:
        brand = load_brand(chosen)
    except HandoutError as exc:
        report = check_handouts(sources, load_brand(None), config, today, release=release)
        report.brand = display_path(chosen) if chosen else report.brand
        report.brand_findings = schema_findings(exc.problems)
        return report
    return check_handouts(sources, brand, config, today, release=release)


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
    layout: str | None = None,
    max_pages: int | None = None,
    release: bool = False,
    config_path: Path | None = None,
) -> list[BuildResult]:
    """Build a PDF for every good handout into ``out_dir/<id>.pdf`` (``<id>-large-print.pdf``
    with ``large_print``); bad ones are reported in their result and never stop the others. A
    failed build leaves any earlier PDF untouched.

    ``layout`` (``leaflet``, ``sheet``, ``booklet`` or ``trifold``) builds every handout in that
    layout, into ``<id>-<layout>.pdf``; without it each handout is built in its own ``layout:``
    (the leaflet if it names none). A handout that needs more pages than its layout, its
    ``max_pages`` or ``max_pages`` here allow fails with the pages it needs. A layout with no
    large-print version asked for in large print raises ``UsageError``.

    ``jobs`` > 1 builds on that many worker processes; ``executor`` runs the builds on any
    ``concurrent.futures.Executor`` instead (a thread or process pool, or a cluster's). The
    PDFs are the same either way. Unchanged handouts are skipped unless ``force``; ``clean``
    deletes stale PDFs; ``today`` is the date review dates are judged by.

    Each handout is checked first with every rule of ``handout check`` (settings from
    ``config_path``, else from handout.toml / pyproject.toml found upward from the first
    source): one with an error is not built; its warnings are in its result. ``strict`` fails
    handouts that have warnings; ``release`` implies it and also fails drafts, handouts changed
    since they were approved, overdue reviews and placeholder text. Drafts that are built carry
    the draft mark on every page. Retired handouts are never built.

    A bad brand file, or a brand whose checks find an error (or, when ``strict`` or
    ``release``, a warning; in a release, placeholder details), raises ``HandoutError`` before
    anything is built; Ctrl-C (``KeyboardInterrupt``) is re-raised once the PDFs finished so
    far are committed.
    """
    _check_layout(layout, large_print, max_pages)
    settings = _build_settings(
        list(sources),
        out_dir,
        brand_path,
        paper,
        strict,
        today,
        large_print,
        release,
        config_path,
        layout=layout,
        max_pages=max_pages,
    )
    return run_batch(
        find_handouts(list(sources)),
        settings,
        jobs=jobs,
        executor=executor,
        force=force,
        clean=clean,
        progress=progress,
    )


def check_brand(
    sources: Iterable[Path | str] = (),
    brand_path: Path | None = None,
    *,
    release: bool = False,
    config_path: Path | None = None,
) -> list[Finding]:
    """What ``build`` finds in the brand it would use (text contrast and size; placeholder
    details, as errors with ``release``): for a caller to show once, before building."""
    settings = _build_settings(
        list(sources), "dist", brand_path, None, False, None, False, release, config_path
    )
    return brand_findings(settings)


def _build_settings(
    sources: list[Path | str],
    out_dir: Path | str,
    brand_path: Path | None,
    paper: str | None,
    strict: bool,
    today: dt.date | None,
    large_print: bool,
    release: bool,
    config_path: Path | None,
    *,
    layout: str | None = None,
    max_pages: int | None = None,
) -> BuildSettings:
    """The settings every worker builds with; the check settings are ``config_path``, else the
    settings file found upward from the first source (or the working folder)."""
    from handout_builder.lint.config import find_config

    chosen = find_brand(sources, brand_path)
    settings_file = config_path or find_config(Path(sources[0]) if sources else None)
    return BuildSettings(
        Path(out_dir).resolve(),
        chosen.resolve() if chosen else None,
        paper,
        today or dt.date.today(),
        strict or release,
        large_print,
        layout=layout,
        max_pages=max_pages,
        release=release,
        config_path=settings_file.resolve() if settings_file else None,
    )


@dataclass(frozen=True)
class Approved:
    """A handout that ``approve`` marked approved: its file, the approval written into it, and
    the warnings its checks still give."""

    source: Path
    approval: Approval
    warnings: list[Finding]


_APPROVER = re.compile(r"^[^,]*\w[^,]*,\s*\S.*$")


def approve(
    handout_id: str,
    by: str,
    sources: Iterable[Path | str] = (),
    brand_path: Path | None = None,
    *,
    config: LintConfig | None = None,
    today: dt.date | None = None,
) -> Approved:
    """Mark the handout ``handout_id`` (found in ``sources``, default ``handouts/``) approved by
    ``by`` ("Name, credentials"), dated ``today``, for its version and with the fingerprint of
    its content; its file is edited in place, every other line left as it was.

    Refused, with ``HandoutError`` naming each reason at its place, when the handout's checks
    find an error or anything a release refuses besides being a draft (placeholder text, an
    overdue review), and when it is retired or in schema 1. ``UsageError`` when no handout has
    that id or ``by`` does not name a person and their credentials.
    """
    from handout_builder.lint import governance
    from handout_builder.lint.engine import load_config, review
    from handout_builder.look.brand import load_brand
    from handout_builder.model import Handout
    from handout_builder.source.approval import approval_for, approved_text, standing
    from handout_builder.source.reader import parse_source
    from handout_builder.source.validation import validate as validate_source

    name = " ".join(by.split())
    if not _APPROVER.match(name) or len(name) > 300:
        raise UsageError(
            f"--by {by!r}: give the approver's name and credentials, e.g. "
            '"Jane Doe, MD" (up to 300 characters)'
        )
    sources = list(sources)
    path = _find_by_id(handout_id, sources)
    brand = load_brand(find_brand(sources, brand_path))
    [checked] = check_files([path], brand)
    if checked.handout is None or checked.loaded is None:
        raise HandoutError(checked.problems)
    handout, loaded = checked.handout, checked.loaded
    if handout.schema_version == 1:
        raise HandoutError(
            [
                loaded.problem(
                    ("schema",),
                    "approval needs schema 2: change schema to 2 and add 'status: draft'",
                )
            ]
        )
    if standing(handout, loaded).retired:
        raise HandoutError(
            [
                loaded.problem(
                    ("status",),
                    "a retired handout cannot be approved: set status to "
                    "draft first if it is to be used again",
                )
            ]
        )
    found = review(handout, loaded, brand, config or load_config(), today, release=True)
    waived = {governance.NOT_APPROVED.id, governance.CHANGED.id}  # what approving resolves
    refused = [f for f in found.findings if f.severity == "error" and f.rule not in waived]
    if refused:
        raise HandoutError([f.problem_with_rule() for f in refused])
    approval = approval_for(handout, name, today or dt.date.today())
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = approved_text(raw.decode("utf-8-sig"), approval)
    # The edit must leave the content as it was: read it back before writing it.
    again = validate_source(parse_source(text, loaded.name, base_dir=loaded.base_dir), Handout)
    if not standing(again, loaded).status == "approved":  # pragma: no cover - a bug if so
        raise AssertionError(f"{display_path(path)}: the approval did not hold after writing")
    write_atomic(((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")), path)
    warnings = [f for f in found.findings if f.severity == "warning"]
    return Approved(path, approval, warnings)


def _find_by_id(handout_id: str, sources: list[Path | str]) -> Path:
    """The handout file that declares ``handout_id`` (read without validating it)."""
    from handout_builder.source.reader import read_source

    declared: dict[str, Path] = {}
    unreadable: list[str] = []
    for path in find_handouts(sources):
        try:
            value = read_source(path).data.get("id")
        except HandoutError:
            unreadable.append(display_path(path))
            continue
        if isinstance(value, str):
            declared.setdefault(value, path)
    if handout_id not in declared:
        known = ", ".join(sorted(declared)) or "none"
        broken = (
            f"; not readable: {', '.join(unreadable)}, see 'handout check'" if unreadable else ""
        )
        raise UsageError(f"no handout has the id '{handout_id}' (ids: {known}{broken})")
    return declared[handout_id]


def _check_layout(layout: str | None, large_print: bool, max_pages: int | None = None) -> None:
    """Raise ``UsageError`` for build settings that cannot work together: a layout that does not
    exist, large print in a layout that has none, a page limit under one."""
    if layout is not None:
        from handout_builder.layout.layouts import LAYOUTS

        if layout not in LAYOUTS:
            raise UsageError(f"no layout named '{layout}'; the layouts are {', '.join(LAYOUTS)}")
        if large_print and not LAYOUTS[layout].large_print:
            raise UsageError(no_large_print(layout))
    if max_pages is not None and max_pages < 1:
        raise UsageError("the most pages a handout may take must be 1 or more")


def make_packet(
    ids: Iterable[str],
    sources: Iterable[Path | str] = (),
    brand_path: Path | None = None,
    *,
    patient: str | None = None,
    note: str | None = None,
    date: dt.date | str | None = None,
    paper: str | None = None,
    large_print: bool = False,
    drafts: bool = False,
) -> Packet:
    """A patient's packet: a cover sheet (the patient's name, the date, a note and the list of
    topics), then each handout in ``ids`` from ``sources``, as one tagged PDF made in memory.
    Only approved handouts can be chosen unless ``drafts`` (a reviewer's copy, marked as a
    draft). Raises ``PacketError`` with every reason the request cannot be met, and
    ``HandoutError`` when a chosen handout is broken or fails its checks. The patient's details
    are kept nowhere."""
    from handout_builder.frontdesk.catalogue import Catalogue
    from handout_builder.frontdesk.packet import build_bundle

    catalogue = Catalogue(list(sources), brand_path, drafts=drafts)
    return build_bundle(
        ids,
        catalogue,
        patient=patient,
        note=note,
        date=date,
        paper=paper,
        large_print=large_print,
    )


def check_pdf(path: Path | str) -> list[str]:
    """What a PDF file lacks for the machine-checkable requirements of PDF/UA-1: one sentence
    per finding, none when it passes."""
    from handout_builder.pdf.pdfua import check_pdf as _check_pdf

    return _check_pdf(Path(path))
