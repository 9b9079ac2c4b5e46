"""Medical jargon: terms from a curated list that the handout neither explains nor says plainly.

Takes a ``LintContext``; gives ``Hit``s. The list ships as ``data/jargon.yaml`` (term -> plain
words, per language) and a project adds to it or takes terms off it with its own files. A term is
fine everywhere once the handout explains it (in its glossary, or in a sentence that defines it:
"X means ...", "this is called X"), and wherever its plain words stand in the same paragraph,
list item or cell. Medicine names and glossary terms themselves are never flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from handout_builder.errors import Problem, ValidationError
from handout_builder.inline import plain_text
from handout_builder.lint.core import Hit, LintContext, Rule
from handout_builder.lint.text import NAME
from handout_builder.source.reader import Source, parse_source, read_source

JARGON = Rule(
    "HB-JARGON-001",
    "jargon",
    "jargon",
    "warning",
    "Medical words from the jargon list are replaced by everyday words or explained in the "
    "glossary.",
    "Use the plain words suggested; if the medical word is needed (a patient will hear it from "
    "staff), keep it and add it to the glossary, or give the plain words beside it.",
)
RULES = (JARGON,)


@dataclass(frozen=True)
class Term:
    """A jargon term, its plain alternatives and the pattern that finds it in text."""

    term: str
    plain: tuple[str, ...]
    pattern: re.Pattern[str]


def builtin_path() -> Path:
    return Path(str(resources.files("handout_builder") / "data" / "jargon.yaml"))


def load_terms(language: str, extra: tuple[Path, ...] = ()) -> list[Term]:
    """The jargon list for a language: the built-in one, then each extra file in order."""
    return list(_load(language, extra))


@lru_cache(maxsize=16)
def _load(language: str, extra: tuple[Path, ...]) -> tuple[Term, ...]:
    table: dict[str, tuple[str, ...]] = {}
    builtin = parse_source(builtin_path().read_bytes(), "jargon.yaml")
    for source in (builtin, *(read_source(p) for p in extra)):
        for term, plain in _entries(source, language):
            key = term.casefold()
            if plain is None:
                table.pop(key, None)
            else:
                table[key] = (term, *plain)
    return tuple(Term(v[0], v[1:], _pattern(v[0])) for v in table.values())


def _entries(source: Source, language: str) -> Iterator[tuple[str, tuple[str, ...] | None]]:
    """(term, plain words or None to remove) for one language, or a ``ValidationError``."""
    problems: list[Problem] = []
    data = source.data
    if not isinstance(data, dict):
        raise ValidationError([source.problem((), "expected a mapping of languages")])
    out: list[tuple[str, tuple[str, ...] | None]] = []
    terms = data.get(language) or {}
    if not isinstance(terms, dict):
        raise ValidationError([source.problem((language,), "expected a mapping of term: plain")])
    for term, plain in terms.items():
        if plain is None:
            out.append((term, None))
        elif isinstance(plain, str):
            out.append((term, (plain,)))
        elif isinstance(plain, list) and plain and all(isinstance(p, str) for p in plain):
            out.append((term, tuple(plain)))
        else:
            problems.append(
                source.problem((language, term), "expected plain words, a list of them, or null")
            )
    if problems:
        raise ValidationError(problems)
    yield from out


# How a sentence defines a term: "X means ...", "X is when ...", "... is called X".
_DEFINES = {
    "en": (
        r"{term}\W{{0,3}}\s+(means|is when|refers to|is the name for)\b",
        r"\b(called|known as|named)\s+(the\s+)?\W{{0,2}}{term}",
    ),
    "es": (
        r"{term}\W{{0,3}}\s+(significa|quiere decir|es cuando|se refiere a)\b",
        r"\b(llamad[oa]s?|se llama|conocid[oa]s? como)\s+(el\s+|la\s+)?\W{{0,2}}{term}",
    ),
}


# Joins the pieces of text into one, to search each term once: no pattern above matches across
# it (it is neither a word character nor white space).
_APART = "\x00"


def _defined(term: Term, text: str, language: str) -> bool:
    """Whether some sentence of ``text`` (the pieces joined by ``_APART``) defines ``term``."""
    core = term.pattern.pattern
    shapes = [re.compile(s.format(term=core), re.IGNORECASE) for s in _DEFINES.get(language, ())]
    return any(shape.search(text) for shape in shapes)


def _pattern(term: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(w) for w in term.split())
    return re.compile(rf"(?<![\w-]){words}(?:e?s)?(?![\w-])", re.IGNORECASE)


def check(ctx: LintContext) -> Iterator[Hit]:
    terms = load_terms(ctx.language, tuple(ctx.config.jargon_paths()))
    text = _APART.join(p.text for p in ctx.pieces if p.kind != NAME)
    used = [t for t in terms if t.pattern.search(text)]  # most of the list never occurs
    glossary = [plain_text(e.term) for e in ctx.handout.glossary]
    explained = {t.term for t in used if any(t.pattern.search(g) for g in glossary)}
    explained |= {t.term for t in used if _defined(t, text, ctx.language)}
    for piece in ctx.pieces:
        if piece.kind == NAME:
            continue
        folded = piece.text.casefold()
        for term in used:
            if term.term in explained or not (found := term.pattern.search(piece.text)):
                continue
            if any(p.casefold() in folded for p in term.plain):
                continue
            said = found.group(0)
            choices = " or ".join(f'"{p}"' for p in term.plain)
            yield Hit(
                JARGON,
                piece.path,
                f'"{said}" is medical jargon: say {choices} instead, or explain it in the glossary',
            )
