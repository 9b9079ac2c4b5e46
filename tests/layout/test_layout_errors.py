"""Content that cannot be laid out is reported at the field it came from, with what to do: never
ReportLab's description of a flowable (a memory address, a cut-off repr), never a traceback.
Each case is a real handout that fails at build time (``handout check`` does not lay out)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import run_cli, write_handout

LONG = "word " * 790  # a cell taller than a letter page at 12 pt in a half-width column
CELL_ADVICE = (
    "shorten this table cell, split its text over several rows, or move the longer text out "
    "of the table into paragraphs"
)


def side_effects(rows: list[list[str]], columns: list[str] | None = None) -> list[dict]:
    table = {"title": "Side effects", "groups": [{"label": "Common", "rows": rows}]}
    if columns:
        table["columns"] = columns
    return [table]


# A long cell further down a table splits across pages; the first row of a group cannot, as its
# group's label stays with it.
CASES = {
    "first row of a group": (
        {
            "side_effects": side_effects([[LONG, "Rest."]]),
            # the checks would stop a text of one word repeated before it is laid out
            "allow": [{"rule": "reading-grade", "at": "title", "reason": "Layout test text."}],
        },
        [],
        "side_effects[0].groups[0].rows[0][0]",
        "this is taller than a page and cannot be split across pages; " + CELL_ADVICE,
    ),
    "column names that never fit": (
        {"side_effects": side_effects([["a"] * 5], ["h " * 140] * 5)},
        ["--large-print"],
        "side_effects[0].groups[0].rows[0]",
        "this cannot be laid out: splitting it across pages never ends (past 200 pages); "
        + CELL_ADVICE,
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_content_too_large_names_its_field(case: str, tmp_path: Path) -> None:
    changes, options, field, message = CASES[case]
    path = write_handout(tmp_path / "h", "tall.yaml", **changes)
    lines = path.read_text(encoding="utf-8").splitlines()
    result = run_cli("build", "h", "-o", "out", "-q", *options, cwd=tmp_path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "0x" not in result.output
    [problem] = [  # the layout's problem (the checks may warn about the same text: long)
        line.strip()
        for line in result.output.splitlines()
        if f": {field}: " in line and not line.rstrip().endswith("]")
    ]
    where, rest = problem.split(f": {field}: ")
    file, line, column = where.rsplit(":", 2)
    assert file == "h/tall.yaml" and rest == message
    # the position is the cell's own (its text begins there)
    assert lines[int(line) - 1][int(column) - 1 :].lstrip("'").startswith(("- ", "word", "a"))
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))
