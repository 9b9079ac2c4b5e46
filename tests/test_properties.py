"""Property tests (Hypothesis): whatever text a person or a tool puts in a handout, a brand file
or a field, handout-builder gives a result or positioned one-line problems, never a traceback.

Bounded so that the whole suite stays quick: a modest number of examples each, no deadline
(the machine may be busy). Each property names what it promises.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fixtures import handout_data
from handout_builder.errors import HandoutError, Problem
from handout_builder.inline import literal, parse_inline, plain_text
from handout_builder.layout.markup import to_fragments, to_markup
from handout_builder.look.brand import load_brand
from handout_builder.look.theme import Theme
from handout_builder.pipeline import check_file
from handout_builder.source.reader import SourceError, parse_source

BOUNDED = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

# Characters that mean something to YAML, to the inline markup or to the checks, and some that
# are not allowed at all (control characters, direction controls, a lone surrogate's stand-in).
SIGNIFICANT = [
    *":-?[]{},#&*!|>'\"%@`\\ \t\n\r~.0123456789abcxyzABC",
    *("\x00", "\x07", "\x1b", "\x85", "\u202e", "\u2066", "\ufeff", "é", "診", "\U0001f600"),
]
yaml_like = st.text(alphabet=st.sampled_from(SIGNIFICANT), max_size=120)
any_text = st.text(max_size=200)

HANDOUT = yaml.safe_dump(handout_data(), allow_unicode=True, sort_keys=False)
BRAND = "organisation: Test Clinic\ncolours:\n  primary: '#1F4E79'\nfooter: Open 8am to 6pm\n"


def mutated(base: str) -> st.SearchStrategy[str]:
    """``base`` with some YAML-like text put in at, or over, a place in it."""
    return st.tuples(
        st.integers(0, len(base)), st.integers(0, 12), st.one_of(yaml_like, any_text)
    ).map(lambda t: base[: t[0]] + t[2] + base[t[0] + t[1] :])


def assert_positioned(problems: list[Problem], name: str, text: str) -> None:
    """Each problem is one line, names the file, and points inside it (or at the whole file)."""
    lines = text.count("\n") + text.count("\r") + 2
    assert problems
    for problem in problems:
        shown = str(problem)
        assert "\n" not in shown and "\r" not in shown, shown
        assert shown.startswith(f"{name}:"), shown
        assert 0 <= problem.line <= lines and problem.column >= 0, shown
        assert "Traceback" not in shown and " object at 0x" not in shown, shown


@BOUNDED
@given(st.one_of(yaml_like, any_text, mutated(HANDOUT), st.binary(max_size=80)))
@example('title: "never closed\n')
@example("a: [1, 2\nb: 3\n")
@example("a: te\x07xt\n")
@example("&a [*a, *a]")
def test_the_yaml_reader_gives_a_tree_or_positioned_problems(text: str | bytes) -> None:
    try:
        source = parse_source(text, "h.yaml")
    except SourceError as exc:
        raw = text if isinstance(text, str) else text.decode("utf-8", "replace")
        assert_positioned(exc.problems, "h.yaml", raw)
    else:
        assert isinstance(source.data, dict)


BRAND_ONCE = load_brand()


@BOUNDED
@given(st.one_of(mutated(HANDOUT), yaml_like))
@example(HANDOUT.replace("Test handout", "Test \u202ehandout"))
@example(HANDOUT.replace("OVERVIEW-MARK", "**bold *both** ends*"))
def test_checking_a_handout_gives_a_model_or_positioned_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "h.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        result = check_file(path, BRAND_ONCE)
    if result.problems:
        assert_positioned(result.problems, str(path), text)
        assert result.handout is None
    else:
        assert result.handout is not None


@BOUNDED
@given(st.one_of(mutated(BRAND), yaml_like))
@example("organisation: X\nlogo: ../outside.svg\n")
@example("organisation: X\nlogo: logo.svg\n")
@example("organisation: 'Clinic \u2066name'\n")
def test_loading_a_brand_gives_a_brand_or_positioned_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "brand.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        (Path(folder) / "logo.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><rect width="9" '
            'height="9"/></svg>'
        )
        try:
            loaded = load_brand(path)
        except HandoutError as exc:
            assert_positioned(exc.problems, str(path), text)
        else:
            assert loaded.brand.organisation


FONTS = BRAND_ONCE.fonts
STYLE = Theme(BRAND_ONCE, "letter").style("body")


@BOUNDED
@given(st.one_of(st.text(alphabet=st.sampled_from(list("*\\ab <>&\n")), max_size=80), any_text))
@example("**bold** and *italic* and \\* and ** unclosed")
@example("<font color='red'>x</font> &amp; <b>")
def test_inline_markup_is_total_and_literal_round_trips(text: str) -> None:
    runs = parse_inline(text)
    assert "".join(run.text for run in runs) == plain_text(text)
    # what a person typed, made literal, reads back exactly (white space folded)
    assert plain_text(literal(text)) == re.sub(r"\s+", " ", text)
    assert all(not run.bold and not run.italic for run in parse_inline(literal(text)))
    to_markup(text, FONTS)  # never raises, whatever the text
    to_fragments(text, FONTS, STYLE)
