"""Search that forgives: find topics from what a receptionist types, misspelt or not.

Takes the catalogue's rows (one per topic, with its translations) and a query; gives the topics
ranked by how well they match, with a score from 0 to 100, and a "did you mean" when a word was
misspelt. A topic's words are its ids, titles, subtitles, tags, conditions, medicine names and
their other names (brand and generic), drug classes, and its codes with their names, in every
language it exists in, folded (lower case, accents dropped). Each word typed is matched to the
closest of them: exactly, as the start of a word ("amitrip"), or within a few typing mistakes
(Damerau-Levenshtein distance through rapidfuzz: "amitryptiline"). Doses and units ("10mg",
"tablets") and words that match nothing at all are set aside, so "Elavil 10mg" finds Elavil.
Every remaining word must match; when no topic has them all, the topics matching most of them
are given and marked partial.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from handout_builder.codes import ICD10CM, normal_form
from handout_builder.frontdesk.catalogue import Topic
from handout_builder.inline import plain_text

NOISE = re.compile(
    r"^(\d{1,2}([.,]\d+)?|\d+([.,]\d+)?(mg|mcg|µg|ug|g|ml|%|iu|units?)|mg|mcg|ml|units?|tabs?"
    r"|tablets?|caps?"
    r"|capsules?|daily|nightly|once|twice)$"
)
ICD_LIKE = re.compile(r"[a-z][0-9][0-9a-z]\.?[0-9a-z]{1,4}")
STOP_WORDS = frozenset(
    {"a", "an", "and", "the", "of", "for", "to", "in", "on", "with", "my", "your", "about"}
    | {"de", "del", "la", "las", "el", "los", "y", "para", "con", "en"}
)
EXACT, PREFIX, SUBSTRING = 1.0, 0.9, 0.7
MIN_SCORE = 0.5


def fold(text: str) -> str:
    """Text for matching: lower case, accents dropped ("Síntomas" -> "sintomas")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    """The folded words of ``text``; dots inside a word are kept (codes such as M48.06)."""
    return [w.strip(".") for w in re.split(r"[^\w.]+", fold(text)) if w.strip(".")]


@dataclass(frozen=True)
class Hit:
    """One topic found: its row (source first, then translations) and how well it matched."""

    row: tuple[Topic, ...]
    score: int
    matched: int  # how many of the query's words it matched

    @property
    def topic(self) -> Topic:
        return self.row[0]

    @property
    def languages(self) -> list[str]:
        return list(dict.fromkeys(t.language for t in self.row if t.available))


@dataclass(frozen=True)
class Found:
    """What a search gives: the hits, best first; the words set aside; a suggestion."""

    query: str
    hits: list[Hit]
    partial: bool = False
    ignored: list[str] = field(default_factory=list)
    did_you_mean: str | None = None


class SearchIndex:
    """The words of every row, each with the rows it belongs to and how much it counts."""

    def __init__(self, rows: Iterable[Iterable[Topic]]) -> None:
        self.rows = [tuple(row) for row in rows]
        self._weights: dict[str, dict[int, float]] = {}
        self._shown: dict[str, str] = {}  # folded word -> as written, for suggestions
        self._icd: dict[str, set[int]] = {}  # ICD-10-CM codes without their dot -> rows
        for i, row in enumerate(self.rows):
            for topic in row:
                for code in topic.handout.codes if topic.handout else ():
                    if code.system == ICD10CM.name:
                        self._icd.setdefault(code.code.replace(".", "").casefold(), set()).add(i)
                for text, weight in _texts(topic):
                    for shown in _raw_words(text):
                        for word in words(shown):
                            self._add(word, shown, i, weight)
        self._vocabulary = list(self._weights)

    def _add(self, word: str, shown: str, row: int, weight: float) -> None:
        entry = self._weights.setdefault(word, {})
        entry[row] = max(entry.get(row, 0.0), weight)
        self._shown.setdefault(word, shown)
        if "." in word:  # a code: also findable without its dot (m4806)
            self._add(word.replace(".", ""), shown, row, weight)

    def search(self, query: str) -> Found:
        meaningful = words_of_query(query)
        if not meaningful:
            return Found(query, [Hit(row, 0, 0) for row in self.rows if _any_available(row)])
        per_token: list[dict[int, float]] = []
        ignored: list[str] = []
        replaced: dict[str, str] = {}
        for token in meaningful:
            scores, fuzzy_word = self._match(token)
            if not scores:
                ignored.append(token)
                continue
            per_token.append(scores)
            if fuzzy_word:
                replaced[token] = self._shown[fuzzy_word]
        suggestion = _suggest(query, replaced) if replaced else None
        if not per_token:
            return Found(query, [], ignored=ignored, did_you_mean=self._near_miss(meaningful))
        totals: dict[int, tuple[int, float]] = {}
        for scores in per_token:
            for row, score in scores.items():
                count, total = totals.get(row, (0, 0.0))
                totals[row] = (count + 1, total + score)
        best = max(count for count, _ in totals.values())
        hits = [
            Hit(self.rows[row], round(100 * total / len(per_token)), count)
            for row, (count, total) in totals.items()
            if count == best and _any_available(self.rows[row])
        ]
        hits.sort(key=lambda h: (-h.score, h.topic.title.casefold()))
        return Found(query, hits, best < len(per_token), ignored, suggestion)

    def _match(self, token: str) -> tuple[dict[int, float], str | None]:
        """Each row's best score for ``token``, and the vocabulary word it was corrected to
        when it only matched within typing mistakes."""
        scores: dict[int, float] = {}

        def credit(word: str, score: float) -> None:
            for row, weight in self._weights[word].items():
                scores[row] = max(scores.get(row, 0.0), score * weight)

        if ICD_LIKE.fullmatch(token):  # a more specific code finds the less specific one
            asked = token.replace(".", "")
            for code, rows in self._icd.items():
                if asked.startswith(code):
                    for row in rows:
                        scores[row] = EXACT
        for word in self._vocabulary:
            if word == token:
                credit(word, EXACT)
            elif word.startswith(token) and (len(token) >= 3 or token[0].isdigit()):
                credit(word, PREFIX)
            elif len(token) >= 4 and token in word:
                credit(word, SUBSTRING)
        if scores:
            return scores, None
        corrected: str | None = None
        if len(token) >= 4:
            allowed = 1 if len(token) <= 5 else 2 if len(token) <= 9 else 3
            close = process.extract(
                token,
                self._vocabulary,
                scorer=DamerauLevenshtein.distance,
                score_cutoff=allowed,
                limit=None,
            )
            for word, distance, _ in sorted(close, key=lambda c: c[1]):
                credit(word, 0.85 - 0.05 * distance)
                corrected = corrected or word
            if not close and len(token) >= 5:  # a misspelt start of a word: "amitryp"
                for word, ratio, _ in process.extract(
                    token,
                    [w for w in self._vocabulary if len(w) > len(token)],
                    scorer=fuzz.partial_ratio,
                    score_cutoff=85,
                    limit=5,
                ):
                    credit(word, 0.75 * ratio / 100)
                    corrected = corrected or word
        return {r: s for r, s in scores.items() if s >= MIN_SCORE * 0.75}, corrected

    def _near_miss(self, tokens: list[str]) -> str | None:
        """A word of the catalogue close to one typed, when nothing matched at all."""
        for token in tokens:
            found = process.extractOne(token, self._vocabulary, scorer=fuzz.WRatio, score_cutoff=70)
            if found:
                return self._shown[found[0]]
        return None


def _texts(topic: Topic) -> Iterable[tuple[str, float]]:
    """The texts of a topic that a search looks at, each with how much a match in it counts."""
    h = topic.handout
    if h is None:
        yield topic.id.replace("-", " "), 0.8
        yield topic.source.stem.replace("-", " "), 0.8
        return
    yield plain_text(h.title), 1.0
    if h.subtitle:
        yield plain_text(h.subtitle), 0.7
    for tag in h.tags:
        yield tag.replace("-", " "), 0.9
    for condition in h.conditions:
        yield plain_text(condition), 0.95
    for med in h.medications:
        yield plain_text(med.name), 1.0
        for other in med.other_names:
            yield plain_text(other), 1.0
        if med.drug_class:
            yield plain_text(med.drug_class), 0.7
    for code in h.codes:
        yield normal_form(code.system, code.code), 1.0
        if code.display:
            yield code.display, 0.9
    yield topic.id.replace("-", " "), 0.8  # last: suggestions use words as written above


def _raw_words(text: str) -> list[str]:
    """The words of ``text`` as written (for suggestions)."""
    return [w.strip(".") for w in re.split(r"[^\w.]+", text) if w.strip(".")]


def _any_available(row: tuple[Topic, ...]) -> bool:
    return any(t.available for t in row)


def _suggest(query: str, replaced: dict[str, str]) -> str:
    """The query with each corrected word replaced by the word it matched."""
    out = []
    for raw in query.split():
        key = words(raw)
        out.append(replaced.get(key[0], raw) if len(key) == 1 else raw)
    return " ".join(out)


def suggest(rows: Iterable[Iterable[Topic]], words: str, limit: int = 3) -> list[Topic]:
    """Available topics that ``words`` (an unknown id, say) may have meant: those the search
    finds for its words (``elavil`` finds the amitriptyline topic, ``knee-pain-basic`` the knee
    one), then those whose id is spelt nearly alike."""
    index = SearchIndex(rows)
    query = " ".join(re.split(r"[-_\s]+", words))
    found = index.search(query) if words_of_query(query) else Found(query, [])
    topics = [hit.topic for hit in found.hits if hit.topic.available]
    ids = {t.id: t for row in index.rows for t in row if t.available}
    topics += [ids[i] for i in difflib.get_close_matches(words, list(ids), n=limit, cutoff=0.6)]
    return list({t.id: t for t in topics}.values())[:limit]


def words_of_query(query: str) -> list[str]:
    """The words of a query that are searched for (not doses, units or stop words)."""
    tokens = [w for w in words(query) if not NOISE.match(w)]
    return [w for w in tokens if w not in STOP_WORDS] or tokens
