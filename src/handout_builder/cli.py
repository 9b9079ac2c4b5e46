"""The ``handout`` command line: arguments in, calls to the library, messages and exit codes out.

Exit status: 0 when everything worked, 1 when any handout (or the brand) has a problem, 2 for a
usage mistake. Problems are printed as ``file:line:column: field.path: what is wrong``. What
every command shares (-q/-v/--color, standard output for findings, options from the settings
file) is in ``console``; ``docs/cli.md`` is generated from these commands (scripts/cli-docs).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

import click

from handout_builder import api, manual
from handout_builder._version import __version__
from handout_builder.batch.atomic import write_atomic
from handout_builder.codes import any_covers, parse_asked
from handout_builder.console import (
    HandoutGroup,
    SourceGroup,
    console,
    one_per_output,
    with_settings,
)
from handout_builder.errors import HandoutError, Problem, UsageError, display_path
from handout_builder.frontdesk.limits import MAX_NAME, MAX_NOTE
from handout_builder.lint.config import config_from
from handout_builder.model import ID_PATTERN, LAYOUTS, Handout
from handout_builder.output import cut, json_document, json_text, plural
from handout_builder.source.files import DEFAULT_SOURCE, is_handout
from handout_builder.source.starter import starter_text

if TYPE_CHECKING:  # the rules (and the brand they check) load only where they are run
    from handout_builder.lint.core import Finding

SOURCES = click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
BRAND = click.option(
    "--brand",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Brand file (default: handouts/brand.yaml, else the built-in brand).",
)
CONFIG = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Settings file for every source (default: handout.toml or pyproject.toml "
    "[tool.handout], found upward from each source).",
)
PAPER = click.option(
    "--paper", type=click.Choice(["letter", "a4"]), help="Paper size (default: brand's)."
)


@click.group(
    cls=HandoutGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="handout-builder")
def main() -> None:
    """Turn YAML handouts into branded, print-ready PDF patient leaflets.

    \b
    Examples:
      handout build                      build handouts/ into dist/
      handout check                      validate handouts/ without writing PDFs
      handout new back-pain-basics       start a new handout
      handout approve back-pain-basics --by "Jane Doe, MD"
      handout build --release            what CI builds for patient use
      handout schema > handout.schema.json
      handout bundle amitriptyline-lumbar-spinal-stenosis -o packet.pdf --patient "Ann Lee"
      handout serve                      the front-desk page on http://127.0.0.1:8000/
      handout docs                       the documentation pages, e.g. handout docs checks
    """


@main.command()
@SOURCES
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("dist"),
    show_default=True,
    help="Folder for the PDFs (<id>.pdf).",
)
@BRAND
@PAPER
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes (default: the number of CPUs).",
)
@click.option("--force", is_flag=True, help="Rebuild every PDF, even those that are up to date.")
@click.option(
    "--clean",
    is_flag=True,
    help="Delete stale PDFs: those whose handout was deleted or now has another id.",
)
@click.option(
    "--strict/--no-strict",
    default=False,
    help="Treat warnings (e.g. a review date that is near, a long sentence) as failures.",
)
@click.option(
    "--release/--no-release",
    default=False,
    help="Build for patient use: implies --strict, and refuses drafts, handouts changed since "
    "they were approved, overdue reviews, builder words not yet reviewed in the handout's "
    "language, and placeholders (the built-in brand, example.org addresses, 555-01xx numbers, "
    "the starter's text).",
)
@click.option(
    "--report",
    "json_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write a JSON report of every handout to this file.",
)
@click.option(
    "--junit",
    "junit_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write a JUnit XML report (one test case per handout) to this file.",
)
@click.option(
    "--large-print/--no-large-print",
    default=False,
    help="18 pt text, wider line spacing, one column (<id>-large-print.pdf); "
    "leaflet and booklet only.",
)
@click.option(
    "--layout",
    type=click.Choice(list(LAYOUTS)),
    help="Build every handout in this layout (<id>-<layout>.pdf; a leaflet stays <id>.pdf). "
    "Default: each handout's own 'layout:', else leaflet.",
)
@click.option(
    "--max-pages",
    type=click.IntRange(min=1),
    help="Fail any handout whose PDF would need more pages than this.",
)
@CONFIG
def build(
    sources: tuple[Path, ...],
    out_dir: Path,
    brand: Path | None,
    paper: str | None,
    jobs: int | None,
    force: bool,
    clean: bool,
    strict: bool,
    release: bool,
    json_path: Path | None,
    junit_path: Path | None,
    large_print: bool,
    layout: str | None,
    max_pages: int | None,
    config_path: Path | None,
) -> None:
    """Build a PDF for every handout in SOURCES (files or folders; default: handouts/).

    Each handout is checked first with the rules of 'handout check': one with an error is not
    built, and its warnings are printed. Drafts are built with a DRAFT mark on every page;
    retired handouts are not built. Every good handout is built even when others fail; the exit
    status is 1 if any failed (2 for a usage mistake). A failed build never leaves a partial PDF
    or overwrites a good one. PDFs that are up to date are skipped (see
    OUT/.handout-manifest.json). With SOURCE_DATE_EPOCH set, the PDFs are byte-identical from
    run to run and machine to machine.
    Failures, warnings and the summary go to standard output; the progress bar (on a terminal)
    to standard error. A settings file may set most options ('handout docs cli' lists them).

    \b
    Examples:
      handout build
      handout build handouts/amitriptyline-lumbar-spinal-stenosis.yaml -o out/
      handout build --brand clinic/brand.yaml --paper a4
      handout build --jobs 4 --report build.json --junit report.xml --strict
      handout build --release --brand clinic/brand.yaml
      handout build --large-print
      handout build --layout sheet --max-pages 2
      handout build --layout booklet --large-print

    \b
    Layouts:
      leaflet   the paper's own pages, one column (the default)
      sheet     one sheet, two sides, in two columns
      booklet   half-size pages, two to a side, to fold and staple
      trifold   one landscape sheet folded in three
    """
    from handout_builder.batch import report as reports
    from handout_builder.batch.progress import BuildProgress

    con = console()
    groups = _run(lambda: one_per_output(with_settings(sources, config_path), "out_dir"))
    brand_warnings = _check_brands(groups)
    mode = "quiet" if con.quiet else ("bar" if sys.stderr.isatty() else "lines")
    progress = BuildProgress(sys.stdout, sys.stderr, mode, verbose=con.verbose, style=con.style)
    start = time.perf_counter()
    results = []
    try:
        for group in groups:
            o = group.options
            results += _run(
                api.build,
                group.sources,
                o["out_dir"],
                o["brand"],
                o["paper"],
                jobs=o["jobs"] or _cpus(),
                force=force,
                clean=clean,
                strict=o["strict"],
                progress=progress,
                large_print=o["large_print"],
                layout=o["layout"],
                max_pages=o["max_pages"],
                release=o["release"],
                config_path=group.settings.path if group.settings else None,
            )
    except KeyboardInterrupt:
        progress.finish([], 0)
        con.error("interrupted: the PDFs finished so far are kept; none is half-written")
        sys.exit(130)
    seconds = time.perf_counter() - start
    for warning in brand_warnings:  # after the handouts, beside the summary, where it is seen
        con.info(f"{con.style('warning', 'warning')}: {warning.labelled('warning')}")
    progress.finish(results, seconds)
    if json_path:
        reports.write_json(results, json_path, seconds, brand_warnings)
    if junit_path:
        reports.write_junit(results, junit_path, seconds, brand_warnings)
    sys.exit(1 if any(r.status == "failed" for r in results) else 0)


def _check_brands(groups: list[SourceGroup]) -> list[Problem]:
    """Check the brand of each group before anything is built (text contrast and size;
    placeholder contact details, refused by a release). Exits 1, building nothing, when a brand
    fails (any finding fails under --strict or --release); gives the warnings, to print with the
    summary and keep in the reports."""
    con = console()
    findings: dict[Finding, None] = {}
    refused: dict[Finding, None] = {}
    for group in groups:
        o = group.options
        found = _run(
            api.check_brand,
            group.sources,
            o["brand"],
            release=o["release"],
            config_path=group.settings.path if group.settings else None,
        )
        for finding in found:
            failing = finding.severity == "error" or o["strict"] or o["release"]
            (refused if failing else findings)[finding] = None
    for finding in refused:
        con.out(str(finding))
    if refused:
        con.error("nothing was built: the brand's checks failed")
        sys.exit(1)
    return [f.problem_with_rule() for f in findings]


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@main.command()
@SOURCES
@BRAND
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["human", "json", "sarif"]),
    default="human",
    show_default=True,
    help="How to print the findings (always on standard output).",
)
@CONFIG
@click.option(
    "--pemat", "pemat_items", is_flag=True, help="List every PEMAT item, not only the ones not met."
)
@click.option(
    "--pdf",
    "pdf",
    is_flag=True,
    help="SOURCES are PDFs (files or folders; default dist/) to check for PDF/UA-1.",
)
@click.option(
    "--release/--no-release",
    default=False,
    help="Also report, as errors, what 'handout build --release' refuses: drafts, changes "
    "since approval, overdue reviews, unreviewed builder words and placeholders.",
)
@click.option(
    "--only-handouts",
    is_flag=True,
    help="Pass over named YAML files that are not handouts (no top-level 'schema:' key), "
    "as the pre-commit hook does.",
)
def check(
    sources: tuple[Path, ...],
    brand: Path | None,
    fmt: str,
    config_path: Path | None,
    pemat_items: bool,
    pdf: bool,
    release: bool,
    only_handouts: bool,
) -> None:
    """Check every handout in SOURCES without writing PDFs; exit 1 on any error.

    Validates each handout, then runs the plain-language, safety, governance and design rules
    (run 'handout docs checks'). Errors fail; warnings are shown. Each handout gets a PEMAT
    summary. Findings (the brand's first) and the summary go to standard output in every
    format; -q leaves only the findings. Each handout is checked with the settings file found
    upward from it.

    With --pdf, check PDFs instead: tags, marked content and artifacts, alt text, table
    headers, language, title and metadata (the machine-checkable part of PDF/UA-1).

    \b
    Examples:
      handout check
      handout check handouts/new-topic.yaml --pemat
      handout check --format sarif > handout.sarif
      handout check --release
      handout check --pdf dist/
    """
    if pdf:
        _check_pdfs(sources or (Path("dist"),), fmt)
    from handout_builder.lint import report as out
    from handout_builder.lint.engine import LintReport, combine

    con = console()
    if only_handouts:
        sources = tuple(s for s in sources if s.is_dir() or _is_handout(s))
    if only_handouts and not sources:
        result = LintReport([], "none")  # every file named was passed over
    else:
        result = combine(
            [
                _run(
                    api.check,
                    group.sources,
                    group.options["brand"],
                    _run(config_from, group.settings),
                    release=release,
                )
                for group in _run(with_settings, sources, config_path)
            ]
        )
    if fmt == "json":
        con.out(out.to_json(result))
    elif fmt == "sarif":
        con.out(out.to_sarif(result))
    else:
        findings, summary = out.human(result, pemat_items=pemat_items, style=con.style)
        for line in findings:
            con.out(line)
        for line in summary:
            con.info(line)
    sys.exit(1 if result.failed else 0)


def _is_handout(path: Path) -> bool:
    if is_handout(path):
        return True
    console().note(f"passed over {display_path(path)}: not a handout (no top-level 'schema:' key)")
    return False


class ListedHandout(TypedDict):
    """One handout as ``handout list`` shows it (``--json`` prints these): ``pages`` is the
    number of pages of its PDF in its ``layout`` on the brand's paper (None when it cannot be
    laid out), and ``fits`` whether that is within what the layout and its ``max_pages`` allow."""

    id: str
    title: str
    language: str
    tags: list[str]
    review_due: str
    source: str
    status: str  # approved, draft, or changed (since it was approved)
    translations: dict[str, str]  # language -> id of each handout that translates this one
    codes: list[str]  # system:code of each code the handout names
    layout: str | None
    pages: int | None
    fits: bool


@main.command(name="list")
@SOURCES
@click.option("--tag", "tags", multiple=True, help="Only handouts with this tag (repeatable).")
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar="[SYSTEM:]CODE",
    help="Only handouts coded for this code (repeatable): ICD-10-CM codes match the less "
    "specific codes above them (M48.062 finds M48.06). SYSTEM: icd-10-cm, snomed-ct, rxnorm.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@BRAND
@CONFIG
def list_(
    sources: tuple[Path, ...],
    tags: tuple[str, ...],
    codes: tuple[str, ...],
    as_json: bool,
    brand: Path | None,
    config_path: Path | None,
) -> None:
    """List the handouts in SOURCES: id, title, language, status (approved, draft, or changed
    since it was approved), when review is due, pages (of the PDF a build makes, in the
    handout's own layout on the brand's paper, which is named unless it is the leaflet; '!'
    marks one longer than its layout or max_pages allows) and tags. A translation
    (translation_of) is listed with its source, as one topic in several languages. Retired
    handouts are left out.

    A handout that cannot be read or validated is named on standard error and makes the exit
    status 1; 'handout check' says what is wrong with it. The table fits the terminal (long
    titles and tags end in an ellipsis; -q leaves out the header); --json gives everything.

    \b
    Examples:
      handout list
      handout list --tag antidepressants --json
      handout list --code M48.062 --code rxnorm:704
    """
    con = console()
    try:
        asked = [parse_asked(c) for c in codes]
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--code") from None
    grouped = [
        (group, r)
        for group in _run(with_settings, sources, config_path)
        for r in _run(api.validate, group.sources, group.options["brand"])
    ]
    results = [r for _, r in grouped]
    ids = {r.handout.id for r in results if r.handout is not None}
    translations: dict[str, dict[str, str]] = {}
    for r in results:
        h = r.handout
        if h is not None and h.translation_of in ids:
            translations.setdefault(h.translation_of, {})[h.language] = h.id
    rows: list[ListedHandout] = []
    broken = []
    for r in results:
        if r.handout is None:
            broken.append(r)
            if not as_json:
                con.error(f"cannot list {_rel(r.source)}: it has errors (see 'handout check')")
            continue
        h = r.handout
        if r.standing.retired or (tags and not set(tags) & set(h.tags)):
            continue
        if h.translation_of in ids:
            continue  # listed with its source
        own = [(c.system, c.code) for c in h.codes]
        if asked and not any(any_covers(own, code, system) for system, code in asked):
            continue
        rows.append(
            {
                "id": h.id,
                "title": h.title,
                "language": h.language,
                "tags": list(h.tags),
                "review_due": h.review_due.isoformat(),
                "source": _rel(r.source),
                "status": "changed" if r.standing.changed else r.standing.status,
                "translations": dict(sorted(translations.get(h.id, {}).items())),
                "codes": [f"{c.system}:{c.code}" for c in h.codes],
                "layout": None,
                "pages": None,
                "fits": True,
            }
        )
    _count_pages(rows, grouped)
    if as_json:
        document = json_document(
            handouts=rows,
            broken=[
                {"source": _rel(r.source), "problems": [str(p) for p in r.problems]} for r in broken
            ],
            summary={"handouts": len(results), "listed": len(rows), "broken": len(broken)},
        )
        con.out(json_text(document))
    else:
        on_screen = sys.stdout.isatty() or "COLUMNS" in os.environ
        lines = _table(rows, shutil.get_terminal_size().columns if on_screen else None)
        for line in lines[1:] if con.quiet else lines:  # -q: the rows without the header
            con.out(line)
    sys.exit(1 if broken else 0)


def _count_pages(rows: list[ListedHandout], grouped: list[tuple[SourceGroup, Any]]) -> None:
    """Fill in the layout and page count of each row, laying out only the handouts listed."""
    listed = {row["source"] for row in rows}
    by_row = {row["source"]: row for row in rows}
    groups: dict[int, tuple[SourceGroup, list[Any]]] = {}
    for group, result in grouped:
        if _rel(result.source) in listed:
            groups.setdefault(id(group), (group, []))[1].append(result)
    for group, results in groups.values():
        counts = _run(api.page_counts, results, group.sources, group.options["brand"])
        for result, count in zip(results, counts, strict=True):
            if count is not None:
                row = by_row[_rel(result.source)]
                row["layout"], row["pages"], row["fits"] = count.layout, count.pages, count.fits


TITLE_WIDTH = 48
MIN_TITLE_WIDTH = 16
MIN_TAGS_WIDTH = 12


def _table(rows: list[ListedHandout], width: int | None) -> list[str]:
    """The rows as aligned columns: titles cut at 48 characters with an ellipsis; within
    ``width`` (a terminal's), titles and then tags cut further so no line runs past the edge.
    PAGES is the page count, '!' after it for a handout longer than its layout or max_pages
    allows, and the layout after that when it is not the leaflet ('2 sheet', '5! sheet')."""
    header = ("ID", "TITLE", "LANG", "STATUS", "REVIEW DUE", "PAGES", "TAGS")
    table = [header] + [
        (
            x["id"],
            x["title"],
            ", ".join([x["language"], *x["translations"]]),
            x["status"],
            x["review_due"],
            _pages(x),
            ", ".join(x["tags"]),
        )
        for x in rows
    ]
    fixed = (0, 2, 3, 4, 5)  # columns never cut
    tags = len(header) - 1
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    widths[1] = min(widths[1], TITLE_WIDTH)
    if width is not None:
        room = width - 1 - sum(widths[i] for i in fixed) - 2 * tags  # for title and tags
        least = min(widths[tags], MIN_TAGS_WIDTH)
        widths[1] = max(min(widths[1], room - least), MIN_TITLE_WIDTH)
        widths[tags] = max(room - widths[1], MIN_TAGS_WIDTH)
    return [
        "  ".join(
            [
                *(cut(row[i], widths[i]).ljust(widths[i]) for i in range(tags)),
                cut(row[tags], widths[tags]),
            ]
        ).rstrip()
        for row in table
    ]


def _pages(row: ListedHandout) -> str:
    count = "-" if row["pages"] is None else str(row["pages"])
    count += "" if row["fits"] else "!"
    layout = row["layout"]
    return count if layout in (None, "leaflet") else f"{count} {layout}"


@main.command()
@click.argument("handout_id", metavar="ID")
@click.option(
    "-o",
    "--out",
    "target",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write it (default: handouts/ID.yaml).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(handout_id: str, target: Path | None, force: bool) -> None:
    """Write a commented starter handout that passes 'handout check'.

    \b
    Examples:
      handout new back-pain-basics
      handout new knee-pain -o drafts/knee-pain.yaml
    """
    if not re.fullmatch(ID_PATTERN, handout_id):
        raise click.BadParameter(
            "use lower-case letters, digits and '-' (e.g. back-pain-basics), 3 to 64 long",
            param_hint="ID",
        ) from None
    target = target or DEFAULT_SOURCE / f"{handout_id}.yaml"
    if target.exists() and not force:
        raise click.ClickException(f"{target} already exists (use --force to overwrite)")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(starter_text(handout_id, dt.date.today()), encoding="utf-8")
    console().info(f"wrote {target}; edit it, then run: handout check {target}")


@main.command()
@click.argument("handout_id", metavar="ID")
@SOURCES
@click.option(
    "--by",
    "by",
    required=True,
    help='Who approves it: name and credentials, e.g. "Jane Doe, MD".',
)
@BRAND
@CONFIG
def approve(
    handout_id: str,
    sources: tuple[Path, ...],
    by: str,
    brand: Path | None,
    config_path: Path | None,
) -> None:
    """Mark the handout ID (in SOURCES, default handouts/) approved for patient use by the named
    clinician, dated today.

    Records in the handout's file 'status: approved' and an 'approval:' block (who, when, which
    version, and a fingerprint of the content), changing no other line. Refused when the
    handout's checks find an error, or placeholder text, or its review is overdue. If its
    content changes afterwards, it counts as a draft again until it is approved again.

    \b
    Examples:
      handout approve back-pain-basics --by "Jane Doe, MD"
      handout approve knee-pain clinic/handouts --by "Sam Lee, PharmD"
    """
    con = console()
    [group] = _run(with_settings, sources, config_path, together=True)
    done = _run(
        api.approve,
        handout_id,
        by,
        group.sources,
        group.options["brand"],
        config=_run(config_from, group.settings),
    )
    for finding in done.warnings:
        con.out(f"{con.style('warning', 'warning')}: {finding}")
    a = done.approval
    con.info(
        f"approved {_rel(done.source)}: version {a.version}, by {a.by}, on {a.date.isoformat()}"
    )


@main.command()
@click.option("--brand", "which", flag_value="brand", help="Print the brand file schema instead.")
def schema(which: str | None) -> None:
    """Print the JSON Schema of the handout format (or of brand files with --brand).

    \b
    Examples:
      handout schema > handout.schema.json
      (then start a handout with: # yaml-language-server: $schema=handout.schema.json)
    """
    from handout_builder.look.brand import Brand

    model = Brand if which else Handout
    click.echo(json.dumps(model.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))


@main.command()
@click.argument("names", nargs=-1, required=True, metavar="[SOURCE]... ID...")
@click.option(
    "-o",
    "--out",
    "target",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the packet.",
)
@click.option(
    "--force", is_flag=True, help="Overwrite an existing file (it may hold another patient's name)."
)
@click.option("--patient", default="", help=f"Patient's name for the cover (up to {MAX_NAME}).")
@click.option("--note", default="", help=f"A note from the clinician (up to {MAX_NOTE}).")
@click.option(
    "--date", type=click.DateTime(["%Y-%m-%d"]), help="Date on the cover (default: today)."
)
@click.option(
    "--from",
    "old_sources",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Deprecated: name the handout files or folders as arguments instead.",
)
@BRAND
@PAPER
@click.option(
    "--large-print/--no-large-print",
    default=False,
    help="18 pt text, wider line spacing, one column.",
)
@click.option(
    "--drafts",
    is_flag=True,
    help="Allow drafts (a reviewer's copy): they are marked DRAFT on every page, and so is the "
    "cover.",
)
@CONFIG
def bundle(
    names: tuple[str, ...],
    target: Path,
    force: bool,
    patient: str,
    note: str,
    date: dt.datetime | None,
    old_sources: tuple[Path, ...],
    brand: Path | None,
    paper: str | None,
    large_print: bool,
    drafts: bool,
    config_path: Path | None,
) -> None:
    """Write one packet PDF: a cover sheet with the patient's name, date, note and list of
    topics, then each handout ID in order, each with its own page numbers.

    Arguments that name an existing file or folder (or end in .yaml or .yml, or hold a '/') are
    SOURCES, as for the other commands (default: handouts/); the others are topic IDs. An ID
    that is unknown gets suggestions by title, condition and medicine name. The packet holds a
    patient's name, so an existing file is replaced only with --force, and the new one is
    readable by its owner only. Only approved handouts go into a packet; with --drafts, drafts
    too, marked DRAFT on every page (a reviewer's copy, not for patients).

    \b
    Examples:
      handout bundle amitriptyline-lumbar-spinal-stenosis -o packet.pdf
      handout bundle topic-a topic-b -o packet.pdf --patient "Ann Lee" --note "Start Monday"
      handout bundle clinic/handouts knee-pain-basics -o packet.pdf
      handout bundle new-topic -o review-copy.pdf --drafts
    """
    from handout_builder.frontdesk.catalogue import Catalogue
    from handout_builder.frontdesk.packet import build_bundle

    con = console()
    sources = [Path(n) for n in names if _is_source(n)]
    ids = [n for n in names if not _is_source(n)]
    if old_sources:
        con.error("warning: --from is deprecated; name the sources as arguments instead")
        sources += old_sources
    if target.exists() and not force:
        raise click.ClickException(
            f"{_rel(target)} already exists and may hold another patient's details "
            "(use --force to replace it)"
        )
    [group] = _run(with_settings, sources, config_path, together=True)
    o = group.options
    catalogue = _run(
        Catalogue,
        group.sources,
        o["brand"],
        drafts=drafts,
        config=_run(config_from, group.settings),
    )
    made = _run(
        build_bundle,
        ids,
        catalogue,
        patient=patient,
        note=note,
        date=date.date() if date else None,
        paper=o["paper"],
        large_print=o["large_print"],
    )
    try:
        write_atomic(made.data, target, overwrite=force, mode=0o600)
    except FileExistsError:
        raise click.ClickException(
            f"{_rel(target)} appeared while the packet was made (use --force to replace it)"
        ) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {target}: {exc.strerror or exc}") from None
    con.info(
        f"wrote {_rel(target)} ({plural(made.pages, 'page')}: cover and "
        f"{plural(len(made.topics), 'handout')})"
    )
    for topic in made.topics:
        for warning in topic.warnings:
            con.info(f"{con.style('warning', 'warning')}: {warning.labelled('warning')}")
    marked = [t.id for t in made.topics if t.draft]
    if marked:
        con.error(
            f"warning: drafts, marked DRAFT on every page: {', '.join(marked)}; not for patients"
        )


def _is_source(name: str) -> bool:
    """A ``bundle`` argument that names handouts rather than a topic: a file or folder that
    exists, or something no topic id can be (a path, a YAML file name)."""
    return Path(name).exists() or "/" in name or os.sep in name or name.endswith((".yaml", ".yml"))


@main.command()
@SOURCES
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but 127.0.0.1 lets other computers in.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    help="Processes answering requests (default: the number of CPUs). More than one needs"
    " gunicorn (Linux, macOS); one is served by waitress.",
)
@click.option(
    "--allowed-host",
    "allowed",
    multiple=True,
    metavar="NAME",
    help="Another host name or address the page may be reached by, e.g. the computer's name "
    "on the clinic network (repeatable). localhost, 127.0.0.1, ::1 and --host always are.",
)
@BRAND
@CONFIG
@click.option(
    "--usage-log",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Add a line per packet to FILE: time, topic ids, languages, layout (never a name, "
    "note or date of birth). Summarise it with 'handout usage FILE'.",
)
@click.option(
    "--idle-clear",
    "idle_minutes",
    default=3.0,
    show_default=True,
    type=click.FloatRange(min=0.5, max=120),
    metavar="MINUTES",
    help="Clear the patient's name, note and ticks after this many minutes without use.",
)
@click.option(
    "--page-language",
    default="en",
    show_default=True,
    metavar="TAG",
    help="The language of the page's own words (catalogues in data/locale/frontdesk/).",
)
@click.option(
    "--drafts",
    is_flag=True,
    help="For reviewers: offer drafts too, marked as drafts on the page and on every page they "
    "print.",
)
def serve(
    sources: tuple[Path, ...],
    host: str,
    port: int,
    workers: int | None,
    allowed: tuple[str, ...],
    brand: Path | None,
    config_path: Path | None,
    usage_log: Path | None,
    idle_minutes: float,
    page_language: str,
    drafts: bool,
) -> None:
    """Serve the front-desk page for the handouts in SOURCES (default: handouts/): find topics,
    add a patient's name and print one packet. Edits to the handouts show without a restart.
    EHRs can look handouts up by code at /infobutton (HL7 Infobutton; see docs/front-desk.md).
    Each request is logged on standard error (never a patient's name); -q logs only problems.

    Only approved handouts are offered (drafts too with --drafts, plainly marked); a handout
    that fails its checks is shown as unavailable, with a reason staff can pass on; retired
    handouts are not shown.

    \b
    Examples:
      handout serve
      handout serve --workers 4
      handout serve --host 0.0.0.0 --port 8080 --allowed-host frontdesk.clinic.lan clinic/handouts
      handout serve --usage-log usage.jsonl --idle-clear 5 --page-language es
      handout serve --drafts --port 8081

    The page answers only requests addressed to its allowed host names (so another web site
    cannot reach it by pointing a name of its own at this computer), and takes a packet request
    only from its own page.
    """
    from handout_builder.frontdesk import allowed_hosts, create_app, make_server, urls
    from handout_builder.frontdesk.catalogue import Catalogue
    from handout_builder.frontdesk.server import make_process_server, multi_process_available
    from handout_builder.frontdesk.usage import UsageLog

    con = console()
    [group] = _run(with_settings, sources, config_path, together=True)
    asked = group.options["workers"]
    count = asked or os.cpu_count() or 1
    if count > 1 and not multi_process_available():
        if asked:
            con.error("warning: gunicorn is not available here: serving from one process")
        count = 1
    # every handout is laid out here, once, before the worker processes are made
    catalogue = _run(
        Catalogue,
        group.sources,
        group.options["brand"],
        drafts=drafts,
        config=_run(config_from, group.settings),
    )
    for topic in catalogue.topics():
        if not topic.available:
            con.error(f"unavailable {_rel(topic.source)}: {topic.problems[0]}")
    try:
        log = UsageLog(usage_log) if usage_log else None
    except OSError as exc:
        raise click.ClickException(
            f"cannot write the usage log {usage_log}: {exc.strerror or exc}"
        ) from None
    app = _run(
        create_app,
        catalogue,
        allowed_hosts(host, allowed),
        usage_log=log,
        idle_minutes=idle_minutes,
        page_language=page_language,
    )
    try:
        server = (
            make_process_server(app, host, port, count)
            if count > 1
            else make_server(app, host, port)
        )
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from None
    level = logging.WARNING if con.quiet else (logging.DEBUG if con.verbose else logging.INFO)
    logging.basicConfig(level=level, format="%(asctime)s %(name)s %(message)s")
    processes = f" with {count} processes" if count > 1 else ""
    con.out(
        f"Serving {plural(len(catalogue.topics()), 'topic')} on {' and '.join(urls(server))}"
        f"{processes}"
        " (press Ctrl+C to stop)"
    )
    waiting = 0 if drafts else catalogue.waiting()
    if waiting:
        con.out(
            f"{plural(waiting, 'draft')} not offered: approve each with 'handout approve ID --by "
            '"Name, credentials"\', or start with --drafts to review them'
        )
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@main.command()
@click.argument("log_file", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def usage(log_file: Path, as_json: bool) -> None:
    """Summarise a usage log written by 'handout serve --usage-log FILE': packets per month, and
    how often each topic was given per month and language.

    \b
    Examples:
      handout usage usage.jsonl
      handout usage usage.jsonl --json > usage.json
    """
    from handout_builder.frontdesk.usage import summarise

    con = console()
    try:
        summary = summarise(log_file)
    except OSError as exc:
        raise click.ClickException(f"cannot read {log_file}: {exc.strerror or exc}") from None
    if summary.skipped:
        con.error(
            f"{_rel(log_file)}: skipped {plural(summary.skipped, 'line')} that could not be read"
        )
    if as_json:
        rows = [
            {"month": m, "topic": t, "language": lang, "given": n}
            for (m, t, lang), n in summary.given.items()
        ]
        con.out(json_text(json_document(packets=summary.packets, topics=rows)))
        return
    if not summary.packets:
        con.info("No packets recorded yet.")
        return
    table = [("MONTH", "TOPIC", "LANG", "GIVEN")] + [
        (m, t, lang, str(n)) for (m, t, lang), n in summary.given.items()
    ]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table[1:] if con.quiet else table:
        con.out("  ".join([*(row[i].ljust(widths[i]) for i in range(3)), row[3]]).rstrip())
    con.info("")
    for month, count in summary.packets.items():
        con.info(f"{month}: {plural(count, 'packet')}")


@main.command()
@click.argument("topic", required=False)
def docs(topic: str | None) -> None:
    """Print a page of the documentation, which ships with the package (Markdown text; through
    a pager on a terminal). Without TOPIC, list the pages.

    \b
    Examples:
      handout docs
      handout docs checks
      handout docs format | less
    """
    con = console()
    if topic is None:
        found = manual.pages()
        if not found:
            raise click.ClickException("the documentation is not installed with this package")
        width = max(map(len, found))
        for name, title in found.items():
            con.out(f"{name.ljust(width)}  {title}")
        return
    text = manual.page(topic)
    if text is None:
        near = [n for n in manual.pages() if n.startswith(topic[:3].lower())]
        hint = f"; did you mean {' or '.join(near)}?" if near else ""
        raise click.BadParameter(
            f"no page '{topic}'{hint} ('handout docs' lists them)", param_hint="TOPIC"
        )
    if sys.stdout.isatty():
        click.echo_via_pager(text)
    else:
        con.out(text.rstrip("\n"))


def _check_pdfs(sources: tuple[Path, ...], fmt: str) -> None:
    if fmt == "sarif":
        raise click.BadParameter("--pdf reports as human or json", param_hint="--format")
    pdfs: list[Path] = []
    for source in sources:
        if source.is_dir():
            pdfs += sorted(source.glob("*.pdf"))
        elif source.exists():
            pdfs.append(source)
        else:
            raise click.BadParameter(f"{source} does not exist", param_hint="SOURCES")
    if not pdfs:
        raise click.BadParameter("no PDF files found", param_hint="SOURCES")
    con = console()
    found = {pdf: api.check_pdf(pdf) for pdf in pdfs}
    bad = sum(bool(findings) for findings in found.values())
    if fmt == "json":
        document = json_document(
            pdfs=[
                {"file": _rel(pdf), "ok": not findings, "findings": findings}
                for pdf, findings in found.items()
            ],
            summary={"pdfs": len(pdfs), "ok": len(pdfs) - bad, "with_problems": bad},
        )
        con.out(json_text(document))
    else:
        for pdf, findings in found.items():
            for finding in findings:
                con.out(f"{con.style(_rel(pdf), 'path')}: {finding}")
        con.info(f"{plural(len(pdfs), 'PDF')} checked: {len(pdfs) - bad} ok, {bad} with problems")
    sys.exit(1 if bad else 0)


T = TypeVar("T")


def _run(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call into the library; turn our own errors into messages and exit codes."""
    try:
        return call(*args, **kwargs)
    except HandoutError as exc:
        for problem in exc.problems:
            click.echo(problem.labelled("error"), err=True)
        sys.exit(1)
    except UsageError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)


def _rel(path: Path | None) -> str:
    return display_path(path) if path else "-"
