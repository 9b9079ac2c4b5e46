"""Safe YAML reading: a file's bytes in, a plain tree with the position of every node out.

Takes a path (or text) and gives a ``Source``: ``data`` built only from dicts, lists, strings and
``None``, plus the 1-based line and column of every value and every mapping key, keyed by the
path of the value (``("medications", 1, "name")``). Scalars stay strings (``NO`` is not false and
``1.10`` is not 1.1); the typed model converts the ones that are meant as dates or numbers.
Anchors, aliases, duplicate keys, binary files, empty files and very large files are refused with
one ``Problem`` each, never a traceback.

Text that cannot hold an anchor is composed by libyaml when PyYAML has it (fifteen times faster);
anything else, and any text libyaml finds fault with, goes through the pure-Python composer, which
refuses anchors and aliases where they stand and words its errors the same every time. An anchor
is ``&`` followed by its name, whose first character is neither white space nor a line break nor
a flow indicator (YAML 1.2, ``ns-anchor-char``), so "Suicide & Crisis Lifeline" takes the fast
path. An alias (``*name``) is not looked for: without an anchor it names nothing, libyaml refuses
it ("found undefined alias"), and the pure-Python composer reports it in its own words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
import yaml.reader
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from handout_builder.errors import Problem, SourceError, display_path

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
NULLS = {"", "~", "null", "Null", "NULL"}

PathKey = tuple[str | int, ...]


@dataclass
class Source:
    """A YAML file read into plain data, with where each value and key stands in the file."""

    name: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    styles: dict[PathKey, str | None] = field(default_factory=dict)
    base_dir: Path = field(default_factory=Path.cwd)
    folded: set[PathKey] = field(default_factory=set)  # text written over more than one line

    def position(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """The line and column of ``path``, or of its nearest ancestor that has one."""
        table = self.key_positions if key else self.positions
        if path in table:
            return table[path]
        while path:
            path = path[:-1]
            if path in self.positions:
                return self.positions[path]
        return (1, 1)

    def problem(self, path: PathKey, message: str, *, key: bool = False) -> Problem:
        line, column = self.position(path, key=key)
        return Problem(self.name, line, column, format_path(path), message)

    def char_position(self, path: PathKey, offset: int) -> tuple[int, int]:
        """Where character ``offset`` of the text at ``path`` stands: exact for a plain or
        quoted scalar on one line, else the start of the value (a block scalar begins on the
        line after its indicator; a folded line's characters are not where they seem)."""
        line, col = self.position(path)
        value = self.value(path)
        style = self.styles.get(path)
        if (
            not isinstance(value, str)
            or path in self.folded
            or "\n" in value
            or style not in (None, "'", '"')
        ):
            return line, col
        return line, col + offset + (0 if style is None else 1)

    def value(self, path: PathKey) -> Any:
        """The plain value at ``path`` (None where there is none)."""
        node = self.data
        for step in path:
            if isinstance(node, dict) and isinstance(step, str):
                node = node.get(step)
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                node = node[step]
            else:
                return None
        return node


def text_values(data: Any, skip: frozenset[str] = frozenset()) -> Iterator[tuple[PathKey, str]]:
    """(path, text) for every text value in plain data, in file order; the keys in ``skip``
    (at any depth) are not looked into."""

    def walk(value: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for k, v in value.items():
                if k not in skip:
                    yield from walk(v, (*path, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from walk(v, (*path, i))

    yield from walk(data, ())


def format_path(path: PathKey) -> str:
    """``("medications", 1, "name")`` -> ``medications[1].name``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _NoAliasLoader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors and aliases (the 'billion laughs' attack needs them)."""

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (& and *) are not allowed; write the text out",
                problem_mark=event.start_mark,
            )
        # types-PyYAML says the index is an int (a sequence item's); PyYAML also passes None (a
        # document's root, a mapping's key) and the key's node (a mapping's value).
        return super().compose_node(parent, cast(int, index))


_FastLoader = getattr(yaml, "CSafeLoader", None)
# libyaml composes recursively in C, with no depth check: 50,000 nested levels overflow a thread's
# stack (20,000 do not). Every level needs one of these characters, so text with fewer of them
# than this cannot nest deep enough to crash. A handout has a few hundred.
NESTING_CHARACTERS = "[{-:?"
FAST_NESTING_LIMIT = 5_000
MAYBE_ANCHOR = re.compile(r"&[^ \t\r\n,\[\]{}]")
"""Where an anchor could start: ``&`` and a character that may begin its name (YAML 1.2: not
white space, a line break or one of ``,[]{}``). libyaml takes fewer (letters, digits, ``-`` and
``_``), so text without a match holds no anchor for either composer."""


def may_hold_anchor(text: str) -> bool:
    """Whether ``text`` has an ``&`` that could begin an anchor (see ``MAYBE_ANCHOR``)."""
    return MAYBE_ANCHOR.search(text) is not None


def _compose(text: str) -> Node | None:
    """The node tree of ``text``: by libyaml when the text cannot hold an anchor, cannot nest
    deep enough to overflow libyaml's stack, and libyaml takes it; otherwise (and for every error
    message) by ``_NoAliasLoader``."""
    if (
        _FastLoader is not None
        and not may_hold_anchor(text)
        and sum(map(text.count, NESTING_CHARACTERS)) < FAST_NESTING_LIMIT
    ):
        try:
            return yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            pass  # report it in the pure-Python composer's words and positions
    return yaml.compose(text, Loader=_NoAliasLoader)


def read_source(path: Path) -> Source:
    """Read and parse one YAML file; raise ``SourceError`` with a one-line reason if it can't be."""
    name = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _fail(name, f"file is too large ({size:,} bytes; the limit is {MAX_BYTES:,})")
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(name, f"cannot read file: {exc.strerror or exc}") from None
    return parse_source(raw, name, base_dir=path.resolve().parent)


def parse_source(raw: bytes | str, name: str, *, base_dir: Path | None = None) -> Source:
    """Parse YAML text (bytes or str) into a ``Source``; see the module docstring."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            raise _fail(name, f"file is too large ({len(raw):,} bytes; the limit is {MAX_BYTES:,})")
        if b"\x00" in raw:
            raise _fail(name, "this is a binary file, not YAML text")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _fail(name, f"not UTF-8 text (bad byte at offset {exc.start})") from None
    else:
        text = raw
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        raise SourceError([_syntax_problem(name, exc, text)]) from None
    except yaml.reader.ReaderError as exc:
        raise SourceError([_character_problem(name, text, exc)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises only the two kinds above
        raise _fail(name, f"YAML error: {exc}") from None
    except RecursionError:
        raise _fail(name, "the YAML is nested far too deeply") from None
    if node is None:
        raise _fail(name, "file is empty; expected a mapping of fields such as 'schema:' and 'id:'")
    source = Source(name, None, base_dir=base_dir or Path.cwd())
    problems: list[Problem] = []
    source.data = _plain(node, (), source, problems)
    if problems:
        raise SourceError(problems)
    if not isinstance(source.data, dict):
        line, col = source.position(())
        raise SourceError(
            [Problem(name, line, col, "", "expected a mapping of fields (key: value) at the top")]
        )
    return source


def _plain(node: Node, path: PathKey, source: Source, problems: list[Problem]) -> Any:
    """Turn a composed node into dicts, lists and strings, recording positions on the way."""
    source.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if len(path) > MAX_DEPTH:
        problems.append(source.problem(path, "nested too deeply"))
        return None
    if isinstance(node, ScalarNode):
        style = node.style or None  # libyaml gives "" for plain scalars, PyYAML None
        source.styles[path] = style
        if node.end_mark.line != node.start_mark.line:
            source.folded.add(path)
        if style is None and node.value in NULLS:
            return None
        return node.value
    if isinstance(node, SequenceNode):
        return [_plain(item, (*path, i), source, problems) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                problems.append(
                    Problem(source.name, line, col, format_path(path), "a key must be plain text")
                )
                continue
            key = key_node.value
            key_path = (*path, key)
            key_pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key == "<<":
                problems.append(
                    Problem(
                        source.name, *key_pos, format_path(path), "merge keys (<<) are not allowed"
                    )
                )
                continue
            if key in out:
                first = source.key_positions[key_path]
                problems.append(
                    Problem(
                        source.name,
                        *key_pos,
                        format_path(key_path),
                        f"duplicate key (first given on line {first[0]})",
                    )
                )
                continue
            source.key_positions[key_path] = key_pos
            out[key] = _plain(value_node, key_path, source, problems)
        return out
    raise AssertionError(f"unknown YAML node {node!r}")  # pragma: no cover


# What PyYAML's "while ..." contexts are about, in a reader's words.
_OPENED = {
    "while scanning a quoted scalar": "the quoted text",
    "while parsing a flow sequence": "the [ list",
    "while parsing a flow mapping": "the { mapping",
    "while scanning a block scalar": "the block of text",
    "while parsing a block mapping": "the mapping",
    "while parsing a block collection": "the list",
    "while scanning a simple key": "the key",
}

# PyYAML's words for the commonest mistakes, and what they mean for the person writing.
_PROBLEMS = {
    "expected <block end>": "this line is indented differently from the lines above it",
    "mapping values are not allowed here": (
        "a ': ' here cannot start a field; put text that contains ': ' in quotes"
    ),
}


def _syntax_problem(name: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    """A YAML syntax error where the user can fix it. When the text ends inside something never
    closed (a quote, a bracket), that is where it was opened (``context_mark``, or the bracket
    left open), not the end of the file; otherwise it is where PyYAML gave up (``problem_mark``),
    naming what was open."""
    problem = (exc.problem or "invalid YAML").strip()
    for jargon, words in _PROBLEMS.items():
        if problem.startswith(jargon):
            problem = words
    opened = _OPENED.get((exc.context or "").strip(), "what")
    start, mark = exc.context_mark, exc.problem_mark or exc.context_mark
    at_end = "end of stream" in problem or "<stream end>" in problem
    if at_end and opened == "what":
        start = _unclosed_bracket(text)
        opened = "the [ list" if start and _text_at(text, start) == "[" else "the { mapping"
    if start is not None and at_end:
        message = f"{opened} that starts here is never closed (the file ends first)"
        return Problem(name, start.line + 1, start.column + 1, "", f"YAML syntax error: {message}")
    if mark is None:  # pragma: no cover - PyYAML marks every syntax error
        return Problem(name, 1, 1, "", f"YAML syntax error: {problem}")
    if start is not None and (start.line, start.column) != (mark.line, mark.column):
        problem += f" (in {opened} that starts at line {start.line + 1}, column {start.column + 1})"
    return Problem(name, mark.line + 1, mark.column + 1, "", f"YAML syntax error: {problem}")


def _unclosed_bracket(text: str) -> yaml.Mark | None:
    """Where the innermost ``[`` or ``{`` still open when the text stops making sense begins."""
    opened: list[yaml.Mark] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                opened.append(token.start_mark)
            elif (
                isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) and opened
            ):
                opened.pop()
    except yaml.YAMLError:
        pass
    return opened[-1] if opened else None


def _text_at(text: str, mark: yaml.Mark) -> str:
    """The character at a mark (its ``index`` counts characters from the start)."""
    return text[mark.index : mark.index + 1]


def _character_problem(name: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML does not allow (a control character, say), at its line and column."""
    position = max(0, min(exc.position, len(text)))
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    kind = {"Cc": "a control character", "Cs": "half of a surrogate pair"}.get(
        unicodedata.category(chr(code)), "a character YAML does not allow"
    )
    return Problem(
        name, line, column, "", f"character U+{code:04X} ({kind}) is not allowed; remove it"
    )


def _fail(name: str, message: str) -> SourceError:
    return SourceError([Problem(name, 1, 1, "", message)])
