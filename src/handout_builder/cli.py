"""The ``handout`` command line: arguments in, calls to the library, messages and exit codes out.

Exit status: 0 when everything worked, 1 when any handout (or the brand) has a problem, 2 for a
usage mistake. Problems are printed as ``file:line:column: field.path: what is wrong``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict, TypeVar

import click

from handout_builder import api
from handout_builder._version import __version__
from handout_builder.batch.atomic import write_atomic
from handout_builder.errors import HandoutError, UsageError, display_path
from handout_builder.frontdesk.limits import MAX_NAME, MAX_NOTE
from handout_builder.model import ID_PATTERN, Handout
from handout_builder.source.files import DEFAULT_SOURCE
from handout_builder.source.starter import starter_text

SOURCES = click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
BRAND = click.option(
    "--brand",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Brand file (default: handouts/brand.yaml, else the built-in brand).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="handout-builder")
def main() -> None:
    """Turn YAML handouts into branded, print-ready PDF patient leaflets.

    \b
    Examples:
      handout build                      build handouts/ into dist/
      handout check                      validate handouts/ without writing PDFs
      handout new back-pain-basics       start a new handout
      handout schema > handout.schema.json
      handout bundle amitriptyline-lumbar-spinal-stenosis -o packet.pdf --patient "Ann Lee"
      handout serve                      the front-desk page on http://127.0.0.1:8000/
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
@click.option("--paper", type=click.Choice(["letter", "a4"]), help="Paper size (default: brand's).")
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
    "--strict",
    is_flag=True,
    help="Treat warnings (e.g. a review date that has passed) as failures.",
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
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
@click.option(
    "--large-print",
    is_flag=True,
    help="18 pt text, wider line spacing, one column (<id>-large-print.pdf).",
)
def build(
    sources: tuple[Path, ...],
    out_dir: Path,
    brand: Path | None,
    paper: str | None,
    jobs: int | None,
    force: bool,
    clean: bool,
    strict: bool,
    json_path: Path | None,
    junit_path: Path | None,
    quiet: bool,
    large_print: bool,
) -> None:
    """Build a PDF for every handout in SOURCES (files or folders; default: handouts/).

    Every good handout is built even when others fail; the exit status is 1 if any failed
    (2 for a usage mistake). A failed build never leaves a partial PDF or overwrites a good one.
    PDFs that are up to date are skipped (see OUT/.handout-manifest.json). With
    SOURCE_DATE_EPOCH set, the PDFs are byte-identical from run to run and machine to machine.

    \b
    Examples:
      handout build
      handout build handouts/amitriptyline-lumbar-spinal-stenosis.yaml -o out/
      handout build --brand clinic/brand.yaml --paper a4
      handout build --jobs 4 --report build.json --junit report.xml --strict
      handout build --large-print
    """
    from handout_builder.batch import report as reports
    from handout_builder.batch.progress import BuildProgress

    mode = "quiet" if quiet else ("bar" if sys.stderr.isatty() else "lines")
    progress = BuildProgress(sys.stdout, sys.stderr, mode)
    start = time.perf_counter()
    try:
        results = _run(
            lambda: api.build(
                sources,
                out_dir,
                brand,
                paper,
                jobs=jobs or _cpus(),
                force=force,
                clean=clean,
                strict=strict,
                progress=progress,
                large_print=large_print,
            )
        )
    except KeyboardInterrupt:
        progress.finish([], 0)
        click.echo("interrupted: the PDFs finished so far are kept; none is half-written", err=True)
        sys.exit(130)
    seconds = time.perf_counter() - start
    progress.finish(results, seconds)
    if json_path:
        reports.write_json(results, json_path, seconds)
    if junit_path:
        reports.write_junit(results, junit_path, seconds)
    sys.exit(1 if any(r.status == "failed" for r in results) else 0)


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
    help="How to print the findings.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Settings file (default: handout.toml or pyproject.toml [tool.handout], "
    "searched upward from here).",
)
@click.option(
    "--pemat", "pemat_items", is_flag=True, help="List every PEMAT item, not only the ones not met."
)
@click.option(
    "--pdf",
    "pdf",
    is_flag=True,
    help="SOURCES are PDFs (files or folders; default dist/) to check for PDF/UA-1.",
)
def check(
    sources: tuple[Path, ...],
    brand: Path | None,
    fmt: str,
    config_path: Path | None,
    pemat_items: bool,
    pdf: bool,
) -> None:
    """Check every handout in SOURCES without writing PDFs; exit 1 on any error.

    Validates each handout, then runs the plain-language, safety, governance and design rules
    (see docs/checks.md). Errors fail; warnings are shown. Each handout gets a PEMAT summary.

    With --pdf, check PDFs instead: tags, marked content and artifacts, alt text, table
    headers, language, title and metadata (the machine-checkable part of PDF/UA-1).

    \b
    Examples:
      handout check
      handout check handouts/new-topic.yaml --pemat
      handout check --format sarif > handout.sarif
      handout check --pdf dist/
    """
    if pdf:
        _check_pdfs(sources or (Path("dist"),))
    from handout_builder.lint import report as out
    from handout_builder.lint.engine import load_config

    result = _run(lambda: api.check(sources, brand, load_config(config_path)))
    if fmt == "json":
        click.echo(out.to_json(result))
    elif fmt == "sarif":
        click.echo(out.to_sarif(result))
    else:
        lines, summary = out.human(result, pemat_items=pemat_items)
        for line in lines:
            click.echo(line, err=True)
        for line in summary:
            click.echo(line)
        bad = [r for r in result.results if any(f.severity == "error" for f in r.findings)]
        errors, warnings = out.counts(result)
        click.echo(
            f"{len(result.results)} handouts checked: {len(result.results) - len(bad)} "
            f"ok, {len(bad)} with errors ({errors} errors, {warnings} warnings)"
        )
    sys.exit(1 if result.failed else 0)


class ListedHandout(TypedDict):
    """One handout as ``handout list`` shows it (``--json`` prints these)."""

    id: str
    title: str
    language: str
    tags: list[str]
    review_due: str
    source: str
    translations: dict[str, str]  # language -> id of each handout that translates this one


@main.command(name="list")
@SOURCES
@click.option("--tag", "tags", multiple=True, help="Only handouts with this tag (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@BRAND
def list_(
    sources: tuple[Path, ...], tags: tuple[str, ...], as_json: bool, brand: Path | None
) -> None:
    """List the handouts in SOURCES: id, title, language, tags and when review is due. A
    translation (translation_of) is listed with its source, as one topic in several languages.

    \b
    Examples:
      handout list
      handout list --tag antidepressants --json
    """
    results = _run(lambda: api.validate(sources, brand))
    ids = {r.handout.id for r in results if r.handout is not None}
    translations: dict[str, dict[str, str]] = {}
    for r in results:
        h = r.handout
        if h is not None and h.translation_of in ids:
            translations.setdefault(h.translation_of, {})[h.language] = h.id
    rows: list[ListedHandout] = []
    for r in results:
        if r.handout is None:
            click.echo(f"skipped {_rel(r.source)}: has errors (run 'handout check')", err=True)
            continue
        h = r.handout
        if tags and not set(tags) & set(h.tags):
            continue
        if h.translation_of in ids:
            continue  # listed with its source
        rows.append(
            {
                "id": h.id,
                "title": h.title,
                "language": h.language,
                "tags": list(h.tags),
                "review_due": h.review_due.isoformat(),
                "source": _rel(r.source),
                "translations": dict(sorted(translations.get(h.id, {}).items())),
            }
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    header = ("ID", "TITLE", "LANG", "REVIEW DUE", "TAGS")
    table = [header] + [
        (
            x["id"],
            x["title"],
            ", ".join([x["language"], *x["translations"]]),
            x["review_due"],
            ", ".join(x["tags"]),
        )
        for x in rows
    ]
    widths = [min(48, max(len(row[i]) for row in table)) for i in range(4)]
    for row in table:
        cells = [row[i][: widths[i]].ljust(widths[i]) for i in range(4)]
        click.echo("  ".join([*cells, row[4]]).rstrip())


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
    click.echo(f"wrote {target}; edit it, then run: handout check {target}")


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
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option(
    "-o",
    "--out",
    "target",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the packet.",
)
@click.option("--patient", default="", help=f"Patient's name for the cover (up to {MAX_NAME}).")
@click.option("--note", default="", help=f"A note from the clinician (up to {MAX_NOTE}).")
@click.option(
    "--date", type=click.DateTime(["%Y-%m-%d"]), help="Date on the cover (default: today)."
)
@click.option(
    "--from",
    "sources",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Handout file or folder (repeatable; default: handouts/).",
)
@BRAND
@click.option("--paper", type=click.Choice(["letter", "a4"]), help="Paper size (default: brand's).")
@click.option("--large-print", is_flag=True, help="18 pt text, wider line spacing, one column.")
def bundle(
    ids: tuple[str, ...],
    target: Path,
    patient: str,
    note: str,
    date: dt.datetime | None,
    sources: tuple[Path, ...],
    brand: Path | None,
    paper: str | None,
    large_print: bool,
) -> None:
    """Write one packet PDF: a cover sheet with the patient's name, date, note and list of
    topics, then each handout ID in order, each with its own page numbers.

    \b
    Examples:
      handout bundle amitriptyline-lumbar-spinal-stenosis -o packet.pdf
      handout bundle topic-a topic-b -o packet.pdf --patient "Ann Lee" --note "Start Monday"
    """
    from handout_builder.frontdesk.catalogue import Catalogue
    from handout_builder.frontdesk.packet import build_bundle

    catalogue = _run(lambda: Catalogue(sources, brand))
    made = _run(
        lambda: build_bundle(
            ids,
            catalogue,
            patient=patient,
            note=note,
            date=date.date() if date else None,
            paper=paper,
            large_print=large_print,
        )
    )
    try:
        write_atomic(made.data, target)
    except OSError as exc:
        raise click.ClickException(f"cannot write {target}: {exc.strerror or exc}") from None
    click.echo(f"wrote {_rel(target)} ({made.pages} pages: cover and {len(made.topics)} handouts)")


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
@BRAND
def serve(
    sources: tuple[Path, ...], host: str, port: int, workers: int | None, brand: Path | None
) -> None:
    """Serve the front-desk page for the handouts in SOURCES (default: handouts/): find topics,
    add a patient's name and print one packet. Edits to the handouts show without a restart.

    \b
    Examples:
      handout serve
      handout serve --workers 4
      handout serve --host 0.0.0.0 --port 8080 clinic/handouts
    """
    from handout_builder.frontdesk import create_app, make_server, urls
    from handout_builder.frontdesk.catalogue import Catalogue
    from handout_builder.frontdesk.server import make_process_server, multi_process_available

    count = workers or os.cpu_count() or 1
    if count > 1 and not multi_process_available():
        if workers:
            click.echo("gunicorn is not available here: serving from one process", err=True)
        count = 1
    catalogue = _run(lambda: Catalogue(sources, brand))  # laid out once, before any fork
    for topic in catalogue.topics():
        if not topic.available:
            click.echo(f"unavailable {_rel(topic.source)}: {topic.problems[0]}", err=True)
    app = create_app(catalogue)
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
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    processes = f" with {count} processes" if count > 1 else ""
    click.echo(
        f"Serving {len(catalogue.topics())} topics on {' and '.join(urls(server))}{processes}"
        " (press Ctrl+C to stop)"
    )
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _check_pdfs(sources: tuple[Path, ...]) -> None:
    from handout_builder.pdf.pdfua import check_pdf

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
    bad = 0
    for pdf in pdfs:
        findings = check_pdf(pdf)
        bad += bool(findings)
        for finding in findings:
            click.echo(f"{_rel(pdf)}: {finding}", err=True)
    click.echo(f"{len(pdfs)} PDFs checked: {len(pdfs) - bad} ok, {bad} with problems")
    sys.exit(1 if bad else 0)


T = TypeVar("T")


def _run(call: Callable[[], T]) -> T:
    """Call into the library; turn our own errors into messages and exit codes."""
    try:
        return call()
    except HandoutError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    except UsageError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)


def _rel(path: Path | None) -> str:
    return display_path(path) if path else "-"
