"""Large print: the same content at 18 pt with wider line spacing, in one column, in a file whose
name says so; regular builds are unchanged beside it."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from fixtures import DATA, TESTS, pdf_text, run_cli, write_handout
from handout_builder import build

WIDE_TABLE = TESTS / "layout" / "wide-table.yaml"  # test material with a three-column table


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """A handout with a three-column table, regular and large print."""
    out = tmp_path_factory.mktemp("large")
    source = WIDE_TABLE
    [regular] = build([source], out)
    [large] = build([source], out, large_print=True)
    assert regular.status == large.status == "built"
    return {False: regular.output, True: large.output}


def _chars(pdf: Path) -> list[dict]:
    with pdfplumber.open(pdf) as doc:
        return [c for page in doc.pages for c in page.chars]


def test_file_names_say_which_variant(pair: dict[bool, Path]) -> None:
    assert pair[False].name == "wide-table-handout.pdf"
    assert pair[True].name == "wide-table-handout-large-print.pdf"
    assert pair[False].parent == pair[True].parent


def test_body_text_is_18_point(pair: dict[bool, Path]) -> None:
    sizes = Counter(round(c["size"], 1) for c in _chars(pair[True]))
    assert sizes.most_common(1)[0][0] == 18.0
    # nothing that is read is smaller than body text, footer aside
    with pdfplumber.open(pair[True]) as doc:
        for page in doc.pages:
            footer_top = page.height - 120
            small = [c for c in page.chars if round(c["size"], 1) < 18 and c["top"] < footer_top]
            assert not small, "".join(c["text"] for c in small)[:80]
    assert Counter(round(c["size"], 1) for c in _chars(pair[False])).most_common(1)[0][0] == 12.0


def test_line_spacing_is_one_and_a_half(pair: dict[bool, Path]) -> None:
    with pdfplumber.open(pair[True]) as doc:
        words = doc.pages[0].extract_words()
    first = next(w for w in words if w["text"] == "Your" and w["x0"] < 60 and w["top"] > 150)
    lines = sorted({round(w["top"], 1) for w in words if first["top"] <= w["top"] < 500})
    gaps = [b - a for a, b in itertools.pairwise(lines)]
    assert gaps[0] == pytest.approx(27.0, abs=0.2)


def test_same_content_in_both(pair: dict[bool, Path]) -> None:
    def words(pdf: Path) -> set[str]:
        return set(pdf_text(pdf).split())

    regular, large = words(pair[False]), words(pair[True])
    # stacked rows repeat the column names; otherwise the words are the same
    assert regular - large <= {"Page", "of"} | {str(n) for n in range(1, 20)}
    assert {w for w in large - regular if not w.isdigit()} <= {"effect:", "with:", "do:"}


def test_wide_tables_become_stacked_rows(pair: dict[bool, Path]) -> None:
    text = pdf_text(pair[True])
    assert "Side effect: Sleepiness, dry mouth, constipation" in text
    assert "Most likely with: Tricyclics" in text
    assert "Side effect: Sleepiness" not in pdf_text(pair[False])


def test_no_side_by_side_layout(pair: dict[bool, Path]) -> None:
    """Every line of text starts near the left margin: nothing sits beside anything else."""
    with pdfplumber.open(pair[True]) as doc:
        for page in doc.pages:
            body = [w for w in page.extract_words() if w["top"] < page.height - 120]
            starts: dict[float, float] = {}
            for w in body:
                starts.setdefault(round(w["top"]), w["x0"])
            assert all(x < page.width * 0.2 for x in starts.values()), starts


def test_tier_badge_is_a_band_above_the_tier(pair: dict[bool, Path]) -> None:
    def position(pdf: Path, text: str) -> tuple[int, float, float]:
        with pdfplumber.open(pdf) as doc:
            for n, page in enumerate(doc.pages):
                for w in page.search(text):
                    return n, w["top"], w["x0"]
        raise AssertionError(text)

    _, badge_top, _ = position(pair[True], "EMERGENCY")
    _, heading_top, _ = position(pair[True], "Call 911 or go to the emergency room")
    assert badge_top < heading_top - 18
    _, badge_top, badge_x = position(pair[False], "EMERGENCY")
    _, heading_top, heading_x = position(pair[False], "Call 911 or go to the emergency room")
    assert abs(badge_top - heading_top) < 30 and badge_x < heading_x


def test_narrow_enough_tables_stay_tables(tmp_path: Path) -> None:
    table = {"columns": ["Name", "Value"], "rows": [["TWO-COL-A", "TWO-COL-B"]]}
    path = write_handout(tmp_path, overview=[{"table": table}])
    [result] = build([path], tmp_path, large_print=True)
    text = pdf_text(result.output)
    assert "TWO-COL-A TWO-COL-B" in text and "Name: TWO-COL-A" not in text


def test_build_large_print_command(tmp_path: Path) -> None:
    done = run_cli("build", DATA, "-o", "out", "--large-print", cwd=tmp_path)
    assert done.exit_code == 0, done.stderr
    assert "full-handout-large-print.pdf" in done.stdout
    pdfs = sorted(p.name for p in (tmp_path / "out").glob("*.pdf"))
    assert pdfs == ["full-handout-large-print.pdf", "tools-handout-large-print.pdf"]
