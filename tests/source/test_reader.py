"""The two YAML composers (libyaml, and the pure-Python one that refuses anchors) read the same
text into the same Source: data, positions of values and keys, and scalar styles."""

from __future__ import annotations

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
