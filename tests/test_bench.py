"""The benchmarks in bench/ still run against the code as it is: each is run once at its smallest
size and must finish and print its report. Nothing here is timed or compared with a figure
(timings belong in bench/ and docs/performance.md); this only keeps a change to the package from
silently breaking a benchmark that docs/performance.md tells people to run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fixtures import DATA, REPO, SHIPPED

BENCH = REPO / "bench"
HANDOUTS = [DATA / "tools-handout.yaml", DATA / "full-handout.yaml", *SHIPPED]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["side_by_side.py", "--copies", "1", "--tools", "handout-builder"], "× Typst"),
        (["batch.py", "--sizes", "2", "--repeat", "1", "--serial-max", "0"], "cold one-file"),
        (["layouts.py", "1"], "trifold"),
        (["pdfua.py", "1"], "rules passed"),
        (["tagging.py", "1"], "tagged-PDF pass"),
        (["serve_load.py", "--clients", "1", "--requests", "2", "--workers", "1"], "2/2 correct"),
    ],
    ids=lambda v: v[0] if isinstance(v, list) else None,
)
def test_the_benchmark_runs(args: list[str], expected: str) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert expected in done.stdout, done.stdout


@pytest.mark.parametrize("path", HANDOUTS, ids=lambda p: p.stem)
def test_other_tools_get_every_kind_of_block(path: Path) -> None:
    """The Typst and HTML copies of a handout (key points, checklists, steps, lists of items
    with pictograms, tables, callouts, care tiers) are made without error and hold its title."""
    sys.path.insert(0, str(BENCH))
    try:
        from other_tools import html_source, typst_source
    finally:
        sys.path.remove(str(BENCH))
    from handout_builder.look.brand import load_brand
    from handout_builder.model import Handout
    from handout_builder.source.reader import read_source
    from handout_builder.source.validation import validate

    handout = validate(read_source(path), Handout)
    brand = load_brand(None).brand
    title_word = handout.title.split()[0]
    assert title_word in typst_source(handout, brand)
    assert title_word in html_source(handout, brand, str(REPO))
