"""The two YAML composers (libyaml, and the pure-Python one that refuses anchors) read the same
text into the same Source: data, positions of values and keys, and scalar styles."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fixtures import REPO
from handout_builder.source import reader as source_module
from handout_builder.source.reader import parse_source

TRICKY = """\
schema: 1
id: tricky
empty:
tilde: ~
quoted_null: "null"
plain_null: null
"no": NO
version: 1.10
folded: >
  one
  two
literal: |
  a
   b
flow: [a, "b c", {d: e}]
wide: [é診療所, ≥5, {ключ: значение, 😀: x}]
accents: "Café — 診療所 ≥ 5 mg"
nested:
  - - inner
    - x: y
"""


def _read(text: str, *, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple:
    loader = yaml.CSafeLoader if fast else None
    monkeypatch.setattr(source_module, "_FastLoader", loader)
    got = parse_source(text.encode(), "t.yaml")
    return got.data, got.positions, got.key_positions, got.styles


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
@pytest.mark.parametrize(
    "text",
    [TRICKY, *(p.read_text(encoding="utf-8") for p in sorted((REPO / "handouts").glob("*.yaml")))],
    ids=lambda t: t.split("\n", 2)[1][:30],
)
def test_libyaml_and_python_composers_agree(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _read(text, fast=True, monkeypatch=monkeypatch)
    slow = _read(text, fast=False, monkeypatch=monkeypatch)
    assert fast == slow


def test_plain_nulls_are_none_and_quoted_ones_text() -> None:
    data = parse_source(TRICKY.encode(), "t.yaml").data
    assert data["empty"] is None and data["tilde"] is None and data["plain_null"] is None
    assert data["quoted_null"] == "null" and data["no"] == "NO" and data["version"] == "1.10"


def test_deep_nesting_is_refused_not_a_crash() -> None:
    depth = 200_000  # would overflow libyaml's C stack
    with pytest.raises(source_module.SourceError, match="nested far too deeply"):
        parse_source(b"a: " + b"[" * depth + b"]" * depth, "deep.yaml")


def test_anchors_are_refused_where_they_stand() -> None:
    with pytest.raises(source_module.SourceError, match=r"t.yaml:2:4: .*anchors and aliases"):
        parse_source(b"a: x\nb: &k y\nc: *k\n", "t.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Suicide & Crisis Lifeline", False),
        ("ends with &", False),
        ("&\tx", False),
        ("&\nx", False),
        ("&\rx", False),
        *((f"[a &{c} b]", False) for c in ",[]{}"),
        ("&k", True),
        ("&-", True),
        ("&_", True),
        ("&&", True),
        ("&é", True),
        ("&\u00a0", True),  # no-break space is not YAML white space
        ("**bold** and *italic* and *alias", False),  # aliases are not looked for
    ],
)
def test_what_may_begin_an_anchor(text: str, expected: bool) -> None:
    assert source_module.may_hold_anchor(text) is expected


def _composers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The loaders ``parse_source`` composes with, by name, in order."""
    used: list[str] = []
    compose = yaml.compose

    def spy(text: str, Loader: type) -> object:
        used.append(Loader.__name__)
        return compose(text, Loader=Loader)

    monkeypatch.setattr(source_module.yaml, "compose", spy)
    return used


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
@pytest.mark.parametrize("path", sorted((REPO / "handouts").glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_handouts_take_the_fast_path(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    used = _composers(monkeypatch)
    parse_source(text.encode(), path.name)
    # an & that is not an anchor (an organisation's name in a source) keeps the fast path
    named = '  - citation: "988 Suicide & Crisis Lifeline."\n    url: https://988lifeline.org/\n'
    assert text.count("references:\n") == 1
    parse_source(text.replace("references:\n", "references:\n" + named).encode(), path.name)
    assert used == ["CSafeLoader", "CSafeLoader"]


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
@pytest.mark.parametrize(
    ("text", "where", "composers"),
    [
        # an alias with no anchor: libyaml refuses it, the pure-Python composer says why
        (b"a: Salt & pepper\nb: *k\n", "t.yaml:2:4", ["CSafeLoader", "_NoAliasLoader"]),
        # an anchor after an & that is not one: never composed by libyaml
        (b"a: Salt & pepper\nb: &k y\nc: *k\n", "t.yaml:2:4", ["_NoAliasLoader"]),
        (b"a: [x, &k y]\n", "t.yaml:1:8", ["_NoAliasLoader"]),
    ],
)
def test_anchors_and_aliases_are_worded_by_the_pure_python_composer(
    text: bytes, where: str, composers: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    used = _composers(monkeypatch)
    with pytest.raises(source_module.SourceError) as caught:
        parse_source(text, "t.yaml")
    assert [str(p) for p in caught.value.problems] == [
        f"{where}: YAML syntax error: anchors and aliases (& and *) are not allowed; "
        "write the text out"
    ]
    assert used == composers
