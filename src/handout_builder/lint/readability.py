"""Reading level, long sentences and long paragraphs.

Takes a ``LintContext``; gives ``Hit``s. Reading level is measured with textstat on the text a
reader sees (inline markup removed, each list item and table cell counted as a sentence,
headings left out), for the whole handout and for each section. English is held to the
Flesch–Kincaid grade by default, with SMOG and Coleman–Liau shown beside it; Spanish is measured
with formulas made for Spanish: the Crawford grade, with the Fernández Huerta and
Szigriszt-Pazos ease scores shown beside it. Other languages are not measured.
"""

from __future__ import annotations

import importlib
import statistics
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from handout_builder.lint.core import Hit, LintContext, Rule
from handout_builder.lint.text import CELL, ITEM, PROSE, TextPiece, as_sentences, sentences, words
from handout_builder.look.fonts import script_of

FAMILY = "readability"
GRADE = Rule(
    "HB-READ-001",
    "reading-grade",
    FAMILY,
    "error",
    "The handout as a whole reads at or below the target school grade (default 8).",
    "Use everyday words and short sentences; split a sentence that joins two ideas; explain a "
    "medical word once in the glossary and use it sparingly.",
)
SECTION_GRADE = Rule(
    "HB-READ-002",
    "section-reading-grade",
    FAMILY,
    "warning",
    "Each section reads at or below the target school grade.",
    "Rewrite the hardest sentences of the section named: shorter sentences, shorter words.",
)
LONG_SENTENCE = Rule(
    "HB-READ-003",
    "long-sentence",
    FAMILY,
    "warning",
    "No sentence is longer than the limit (default 20 words).",
    "Split the sentence in two, or turn a list inside it into bullets.",
)
LONG_PARAGRAPH = Rule(
    "HB-READ-004",
    "long-paragraph",
    FAMILY,
    "warning",
    "No paragraph, list item or callout is longer than the limit (default 100 words).",
    "Break it into shorter paragraphs, or into bullets under a subheading.",
)
RULES = (GRADE, SECTION_GRADE, LONG_SENTENCE, LONG_PARAGRAPH)

if TYPE_CHECKING:
    from textstat.textstat import textstatistics


class _Deferred(types.ModuleType):
    """A module imported only when one of its names is first read. textstat 0.7.3 imports
    pkg_resources (half of its import time, over 0.2 s: it scans every installed distribution)
    only to read word lists that none of the formulas used here reads; standing in for it until
    then keeps that cost off every build's start. Once read, the real module replaces this one
    in ``sys.modules``, and this one passes every name on to it."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


MEASURED = (PROSE, ITEM, CELL)
MIN_SECTION_WORDS = 40  # fewer words than this give grades that mean little
LANGUAGES = {"en": "en_US", "es": "es"}
NAMES = {
    "flesch-kincaid": "Flesch–Kincaid",
    "smog": "SMOG",
    "coleman-liau": "Coleman–Liau",
    "crawford": "Crawford",
    "fernandez-huerta": "Fernández Huerta ease",
    "szigriszt-pazos": "Szigriszt-Pazos ease",
}


@dataclass(frozen=True)
class Reading:
    """How hard some text is: the grade held to the target, by which formula, and the others."""

    grade: float
    formula: str
    scores: dict[str, float]
    words: int

    def describe(self) -> str:
        others = ", ".join(f"{NAMES[k]} {v:g}" for k, v in self.scores.items() if k != self.formula)
        return f"grade {self.grade:g} ({NAMES.get(self.formula, self.formula)}; {others})"


def measure(texts: list[str], language: str, formula: str = "flesch-kincaid") -> Reading | None:
    """The reading level of ``texts`` read one after another; None for a language not measured."""
    code = LANGUAGES.get(language)
    if code is None:
        return None
    text = " ".join(as_sentences(t) for t in texts if t.strip())
    count = len(words(text))
    if not count:
        return None
    ts = _textstat(code)
    if language == "es":
        scores = {
            "crawford": ts.crawford(text),
            "fernandez-huerta": ts.fernandez_huerta(text),
            "szigriszt-pazos": ts.szigriszt_pazos(text),
        }
        return Reading(scores["crawford"], "crawford", scores, count)
    scores = {
        "flesch-kincaid": ts.flesch_kincaid_grade(text),
        "smog": ts.smog_index(text),
        "coleman-liau": ts.coleman_liau_index(text),
    }
    if formula == "average":
        grade = round(statistics.mean(scores.values()), 1)
        return Reading(grade, "average", scores, count)
    return Reading(scores[formula], formula, scores, count)


@lru_cache(maxsize=4)
def _textstat(code: str) -> textstatistics:
    # Imported when first measuring, not with the rules, so a build checks its brand and skips
    # up-to-date PDFs without it; and without importing pkg_resources (see _Deferred).
    if "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = _Deferred("pkg_resources")
    from textstat.textstat import textstatistics

    ts = textstatistics()
    ts.set_lang(code)
    return ts


def check(ctx: LintContext) -> Iterator[Hit]:
    cfg = ctx.config
    measured = [p for p in ctx.pieces if p.kind in MEASURED]
    yield from _grades(ctx, measured)
    for piece in measured:
        if not countable(piece.text):
            continue  # words cannot be counted by spaces here: this rule cannot judge it
        for sentence in sentences(piece.text):
            n = len(words(sentence))
            if n > cfg.max_sentence_words:
                yield Hit(
                    LONG_SENTENCE,
                    piece.path,
                    f"a sentence of {n} words (limit {cfg.max_sentence_words}): "
                    f'"{_clip(sentence)}"; split it into shorter sentences',
                )
        n = len(words(piece.text))
        if n > cfg.max_paragraph_words:
            yield Hit(
                LONG_PARAGRAPH,
                piece.path,
                f"{n} words in one piece of text (limit {cfg.max_paragraph_words}); "
                "break it into shorter paragraphs or bullets",
            )


def _grades(ctx: LintContext, measured: list[TextPiece]) -> Iterator[Hit]:
    target = ctx.config.reading_grade
    formula = ctx.config.reading_formula
    whole = measure([p.text for p in measured], ctx.language, formula)
    if whole and whole.grade > target:
        yield Hit(
            GRADE,
            ("title",),
            f"the handout reads at {whole.describe()}; the target is grade {target:g} or "
            "lower: use shorter sentences and everyday words",
            key=True,
        )
    sections: dict[str, list[TextPiece]] = {}
    for piece in measured:
        sections.setdefault(piece.section.key, []).append(piece)
    for group in sections.values():
        reading = measure([p.text for p in group], ctx.language, formula)
        if reading and reading.words >= MIN_SECTION_WORDS and reading.grade > target:
            section = group[0].section
            path = section.path
            yield Hit(
                SECTION_GRADE,
                path,
                f"section '{section.title}' reads at {reading.describe()}; the target is "
                f"grade {target:g} or lower: shorten its hardest sentences",
                key=isinstance(path[-1], str),
            )


def countable(text: str) -> bool:
    """Whether words can be counted in ``text`` as this module counts them: Latin, Greek and
    Cyrillic letters between spaces. Chinese and Japanese have no spaces, and the marks of
    Arabic, Hebrew, Devanagari and Bengali would split their words: the length rules cannot judge
    those, and say nothing rather than a made-up count."""
    return all(script_of(ch) is None for ch in text)


def _clip(sentence: str, limit: int = 60) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"
