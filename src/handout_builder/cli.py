"""The ``handout`` command line: arguments in, calls to the library, messages and exit codes out.

Exit status: 0 when everything worked, 1 when any handout (or the brand) has a problem, 2 for a
usage mistake. Problems are printed as ``file:line:column: field.path: what is wrong``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

import click

from handout_builder import __version__, api
from handout_builder.errors import HandoutError, UsageError, display_path
from handout_builder.library import DEFAULT_SOURCE
from handout_builder.model import ID_PATTERN, Handout
from handout_builder.starter import starter_text

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
    "--large-print",
    is_flag=True,
    help="18 pt text, wider line spacing, one column (<id>-large-print.pdf).",
)
def build(
    sources: tuple[Path, ...],
    out_dir: Path,
    brand: Path | None,
    paper: str | None,
    large_print: bool,
) -> None:
    """Build a PDF for every handout in SOURCES (files or folders; default: handouts/).

    Every good handout is built even when others fail; the exit status is 1 if any failed.
    A failed build never leaves a partial PDF or overwrites a good one.

    \b
    Examples:
      handout build
      handout build handouts/amitriptyline-lumbar-spinal-stenosis.yaml -o out/
      handout build --brand clinic/brand.yaml --paper a4
      handout build --large-print
    """
    results = _run(lambda: api.build(sources, out_dir, brand, paper, large_print))
    failed = 0
    for r in results:
        if r.status == "built":
            click.echo(f"built  {_rel(r.source)} -> {_rel(r.output)} ({r.pages} pages)")
        else:
            failed += 1
            click.echo(f"failed {_rel(r.source)}", err=True)
            for problem in r.problems:
                click.echo(f"  {problem}", err=True)
    click.echo(f"{len(results) - failed} built, {failed} failed")
    sys.exit(1 if failed else 0)


@main.command()
@SOURCES
@BRAND
@click.option(
    "--pdf",
    "pdf",
    is_flag=True,
    help="SOURCES are PDFs (files or folders; default dist/) to check for PDF/UA-1.",
)
def check(sources: tuple[Path, ...], brand: Path | None, pdf: bool) -> None:
    """Validate every handout in SOURCES without writing PDFs; exit 1 on any error.

    With --pdf, check PDFs instead: tags, marked content and artifacts, alt text, table
    headers, language, title and metadata (the machine-checkable part of PDF/UA-1).

    \b
    Examples:
      handout check
      handout check handouts/new-topic.yaml
      handout check --pdf dist/back-pain-basics.pdf
      handout check --pdf dist/
    """
    if pdf:
        _check_pdfs(sources or (Path("dist"),))
    results = _run(lambda: api.check(sources, brand))
    bad = [r for r in results if r.problems]
    for r in bad:
        for problem in r.problems:
            click.echo(str(problem), err=True)
    click.echo(
        f"{len(results)} handouts checked: {len(results) - len(bad)} ok, {len(bad)} with errors"
    )
    sys.exit(1 if bad else 0)


@main.command(name="list")
@SOURCES
@click.option("--tag", "tags", multiple=True, help="Only handouts with this tag (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@BRAND
def list_(
    sources: tuple[Path, ...], tags: tuple[str, ...], as_json: bool, brand: Path | None
) -> None:
    """List the handouts in SOURCES: id, title, language, tags and when review is due.

    \b
    Examples:
      handout list
      handout list --tag antidepressants --json
    """
    results = _run(lambda: api.check(sources, brand))
    rows = []
    for r in results:
        if r.handout is None:
            click.echo(f"skipped {_rel(r.source)}: has errors (run 'handout check')", err=True)
            continue
        h = r.handout
        if tags and not set(tags) & set(h.tags):
            continue
        rows.append(
            {
                "id": h.id,
                "title": h.title,
                "language": h.language,
                "tags": list(h.tags),
                "review_due": h.review_due.isoformat(),
                "source": _rel(r.source),
            }
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    header = ("ID", "TITLE", "LANG", "REVIEW DUE", "TAGS")
    table = [header] + [
        (x["id"], x["title"], x["language"], x["review_due"], ", ".join(x["tags"])) for x in rows
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
    from handout_builder.brand import Brand

    model = Brand if which else Handout
    click.echo(json.dumps(model.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))


def _check_pdfs(sources: tuple[Path, ...]) -> None:
    from handout_builder.pdfua import check_pdf

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


def _run(call):
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
