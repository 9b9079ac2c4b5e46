"""The public face of handout-builder: one plain function per thing a user does, and the types
they give. Nothing inside the package imports this module; the command line is a thin layer over
it.

- ``load_handout(path)``: one valid ``Handout``, or a ``HandoutError`` naming every problem.
- ``validate(sources)``: each handout file read, validated and integrity-checked
  (``CheckResult``); never raises for bad content.
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
from handout_builder.look.brand import LoadedBrand, load_brand
from handout_builder.model import Approval, Handout
from handout_builder.pipeline import BuildResult, CheckResult, Progress, check_file, check_files
from handout_builder.source.files import find_brand, find_handouts

if TYPE_CHECKING:  # the rules load only to check (textstat only once text is measured)
    from handout_builder.frontdesk.packet import Packet
    from handout_builder.lint.config import LintConfig
    from handout_builder.lint.core import Finding
    from handout_builder.lint.engine import LintReport


def load_handout(path: Path | str, brand: LoadedBrand | None = None) -> Handout:
    """Read, validate and integrity-check one handout (against ``brand``'s fonts, the built-in
    brand by default); raise ``HandoutError`` listing all problems."""
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
    sources = list(sources)
    return check_files(sources, load_brand(find_brand(sources, brand_path)))


def check(
    sources: Iterable[Path | str] = (),
    brand_path: Path | None = None,
    config: LintConfig | None = None,
    today: dt.date | None = None,
    *,
    release: bool = False,
) -> LintReport:
    """Everything ``handout check`` runs: ``validate``, then every rule on each valid handout
    and the brand. Settings come from ``config``, else from handout.toml / pyproject.toml found
    upward from the working folder; ``today`` is the date review dates are judged by. With
    ``release``, also what a release build refuses: drafts, changes since approval, overdue
    reviews and placeholders, in the handouts and the brand, as errors."""
    from handout_builder.lint.engine import check_handouts, load_config

    sources = list(sources)
    brand = load_brand(find_brand(sources, brand_path))
    return check_handouts(sources, brand, config or load_config(), today, release=release)


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
    release: bool = False,
    config_path: Path | None = None,
) -> list[BuildResult]:
    """Build a PDF for every good handout into ``out_dir/<id>.pdf`` (``<id>-large-print.pdf``
    with ``large_print``); bad ones are reported in their result and never stop the others. A
    failed build leaves any earlier PDF untouched.

    ``jobs`` > 1 builds on that many worker processes; ``executor`` runs the builds on any
    ``concurrent.futures.Executor`` instead (a thread or process pool, or a cluster's). The
    PDFs are the same either way. Unchanged handouts are skipped unless ``force``; ``clean``
    deletes stale PDFs; ``today`` is the date review dates are judged by.

    Each handout is checked first with every rule of ``handout check`` (settings from
    ``config_path``, else from handout.toml / pyproject.toml found upward from the working
    folder): one with an error is not built; its warnings are in its result. ``strict`` fails
    handouts that have warnings; ``release`` implies it and also fails drafts, handouts changed
    since they were approved, overdue reviews and placeholder text. Drafts that are built carry
    the draft mark on every page. Retired handouts are never built.

    A bad brand file, or a brand whose checks find an error (or, when ``strict`` or
    ``release``, a warning; in a release, placeholder details), raises ``HandoutError`` before
    anything is built; Ctrl-C (``KeyboardInterrupt``) is re-raised once the PDFs finished so
    far are committed.
    """
    settings = _build_settings(
        list(sources), out_dir, brand_path, paper, strict, today, large_print, release, config_path
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
) -> BuildSettings:
    from handout_builder.lint.config import find_config

    chosen = find_brand(sources, brand_path)
    settings_file = config_path or find_config()
    return BuildSettings(
        Path(out_dir).resolve(),
        chosen.resolve() if chosen else None,
        paper,
        today or dt.date.today(),
        strict or release,
        large_print,
        release,
        settings_file.resolve() if settings_file else None,
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
