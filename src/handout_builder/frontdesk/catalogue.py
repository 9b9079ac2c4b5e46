"""The topics a front desk chooses from: the handouts in SOURCES, kept up to date while running.

Takes the SOURCES and brand file a user named, the check settings, and whether drafts are shown
(for reviewers); gives one ``Topic`` per handout file the front desk may list, the topics as rows
(a topic with its translations), and each handout's PDF, laid out once per paper size and kept in
memory (in the handout's own layout, or as a leaflet when that is folded after printing: see
``packet_layout``). Every handout is checked with the rules of ``handout check``: one that fails
them (or cannot be read, or laid out) is a topic marked unavailable, with a reason a receptionist
can pass on, and never hides the others. Only approved handouts are offered, unless drafts are
shown, and then they are marked (and printed with the draft mark); an approved handout changed
since is listed as unavailable until it is approved again; retired handouts are never listed. A
brand whose checks find an error is refused as a whole. The files are looked at again on every
``refresh()`` (and checked again when the date changes), so edited, new and removed handouts are
picked up without a restart. Safe to share between threads. Holds no patient data: names and
notes never reach this module.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from handout_builder import pipeline
from handout_builder.errors import HandoutError, Problem, display_path
from handout_builder.frontdesk.words import ENGLISH
from handout_builder.inline import plain_text
from handout_builder.layout.layouts import DEFAULT, LAYOUTS
from handout_builder.lint.brand_rules import lint_brand
from handout_builder.lint.config import LintConfig, load_config
from handout_builder.look.brand import LoadedBrand, load_brand
from handout_builder.look.theme import Theme
from handout_builder.model import ID_PATTERN, Handout
from handout_builder.source.approval import Standing
from handout_builder.source.files import find_brand, find_handouts
from handout_builder.source.reader import read_source

SUMMARY_CHARS = 160


@dataclass(frozen=True)
class Rendered:
    """One handout laid out on one paper size."""

    data: bytes
    pages: int


@dataclass(frozen=True)
class Topic:
    """One handout file as the front desk sees it: what it is about, or why it is unavailable."""

    id: str
    source: Path
    handout: Handout | None
    problems: tuple[Problem, ...] = ()
    pages: int = 0
    standing: Standing = field(default_factory=lambda: Standing("draft"))
    why: str = "broken"  # broken, checks or changed: why it is unavailable (see ``reason``)
    fields: dict[str, str] = field(default_factory=dict, compare=False)  # the brand's values
    warnings: tuple[Problem, ...] = ()  # what its checks warn of (it can still be printed)

    @property
    def available(self) -> bool:
        return self.handout is not None and not self.problems

    @property
    def draft(self) -> bool:
        """Offered although not approved (the front desk shows drafts to reviewers)."""
        return self.standing.draft

    @property
    def reason(self) -> str:
        """Why it cannot be printed, in words a receptionist can pass on (empty if it can)."""
        return self.reason_in(ENGLISH)

    def reason_in(self, words: Mapping[str, str]) -> str:
        """``reason`` in the page's words (``frontdesk.words``): which of ``reason_broken``,
        ``reason_checks`` or ``reason_changed`` applies, and whom to tell."""
        if self.available:
            return ""
        ask = words["ask_keeper"].format(file=display_path(self.source))
        return f"{words['reason_' + self.why]} {ask}"

    @property
    def title(self) -> str:
        return plain_text(self.handout.title, self.fields) if self.handout else self.source.name

    @property
    def language(self) -> str:
        return self.handout.language if self.handout else ""

    @property
    def source_id(self) -> str:
        """The id of the topic this one translates (``translation_of``), else its own."""
        return (self.handout.translation_of if self.handout else None) or self.id

    @property
    def summary(self) -> str:
        """One line: the subtitle, else the first sentence of the overview."""
        if self.handout is None:
            return ""
        if self.handout.subtitle:
            return plain_text(self.handout.subtitle, self.fields)
        first = next((b.paragraph for b in self.handout.overview if b.paragraph), "")
        sentence = re.split(r"(?<=[.!?])\s", plain_text(first, self.fields), maxsplit=1)[0]
        return (
            sentence
            if len(sentence) <= SUMMARY_CHARS
            else sentence[: SUMMARY_CHARS - 1].rstrip() + "…"
        )


@dataclass
class _Entry:
    signature: tuple[int, int, int]
    checked: pipeline.CheckResult
    topic_id: str
    checked_on: dt.date
    failed_checks: list[Problem] = field(default_factory=list)  # errors found by the rules
    warnings: list[Problem] = field(default_factory=list)  # warnings found by the rules
    rendered: dict[tuple[str, bool], Rendered | HandoutError] = field(default_factory=dict)


class Catalogue:
    """The handouts in ``sources`` (default ``handouts/``) with the brand that goes with them,
    checked with ``config`` (default: the settings file found from the working folder). With
    ``drafts``, drafts are offered too (marked); otherwise only approved handouts are.

    Raises ``HandoutError`` for a bad brand file (or one whose checks find an error) and
    ``UsageError`` for a source that does not exist, at creation and on ``refresh()``.
    """

    def __init__(
        self,
        sources: list[Path | str] | tuple[Path | str, ...] = (),
        brand_path: Path | None = None,
        *,
        drafts: bool = False,
        config: LintConfig | None = None,
    ) -> None:
        self._sources = list(sources)
        self._brand_path = brand_path
        self.drafts = drafts
        self._config = config or load_config()
        self._lock = threading.RLock()
        self._brand: LoadedBrand | None = None
        self._brand_signature: tuple | None = None
        self._themes: dict[tuple[str, bool], Theme] = {}
        self._entries: dict[Path, _Entry] = {}
        self._topics: dict[str, Topic] = {}
        self._hidden: dict[str, str] = {}  # id -> "draft" or "retired", for those not listed
        self.refresh()

    @property
    def brand(self) -> LoadedBrand:
        assert self._brand is not None
        return self._brand

    def theme(self, paper: str | None = None, large_print: bool = False) -> Theme:
        """The brand's theme on ``paper`` (default: the brand's own paper size), in large print
        if asked."""
        key = (paper or self.brand.brand.paper, large_print)
        with self._lock:
            if key not in self._themes:
                self._themes[key] = Theme(self.brand, key[0], large_print=large_print)
            return self._themes[key]

    def refresh(self) -> list[Topic]:
        """Look at the files again; re-read only those that changed. Gives every topic, in file
        order."""
        with self._lock:
            self._load_brand()
            today = dt.date.today()
            entries: dict[Path, _Entry] = {}
            for path in find_handouts(self._sources):
                try:
                    signature = _signature(path)
                except OSError:  # removed since it was listed
                    continue
                old = self._entries.get(path)
                if old is None or old.signature != signature or old.checked_on != today:
                    old = self._check(path, signature, today)
                entries[path] = old
            self._entries = entries
            self._topics = self._make_topics()
            return list(self._topics.values())

    def topics(self) -> list[Topic]:
        """Every topic as of the last ``refresh()``."""
        with self._lock:
            return list(self._topics.values())

    def get(self, topic_id: str) -> Topic | None:
        with self._lock:
            return self._topics.get(topic_id)

    def waiting(self) -> int:
        """How many drafts are not offered (they wait for a clinician's approval)."""
        with self._lock:
            return sum(1 for why in self._hidden.values() if why == "draft")

    def hidden(self, topic_id: str) -> str | None:
        """Why a handout with this id is not listed: "draft" or "retired"; None if it is
        listed or there is none."""
        with self._lock:
            return self._hidden.get(topic_id)

    def rows(self) -> list[list[Topic]]:
        """The topics as the front desk lists them: one row per topic, its source first and
        then its translations (``translation_of``) in file order. A translation whose source
        is missing has a row of its own."""
        with self._lock:
            topics = list(self._topics.values())
        rows: dict[str, list[Topic]] = {}
        for topic in topics:
            key = topic.source_id if topic.source_id in self._topics else topic.id
            rows.setdefault(key, [])
            if topic.id == key:
                rows[key].insert(0, topic)
            else:
                rows[key].append(topic)
        return list(rows.values())

    def versions(self, topic_id: str) -> dict[str, Topic]:
        """The available versions of a topic by language: the topic (or its source) and its
        translations. Empty for an unknown id."""
        found: dict[str, Topic] = {}
        for row in self.rows():
            if any(t.id == topic_id for t in row):
                for topic in row:
                    if topic.available:
                        found.setdefault(topic.language, topic)
        return found

    def render(
        self, topic_id: str, paper: str | None = None, large_print: bool = False
    ) -> Rendered:
        """The PDF of one available topic; raises ``KeyError`` for an unknown id and
        ``HandoutError`` for a topic that is unavailable."""
        paper = paper or self.brand.brand.paper
        with self._lock:
            topic = self._topics[topic_id]
            if not topic.available:
                raise HandoutError(list(topic.problems))
            return self._render(self._entries[topic.source], paper, large_print)

    def _check(self, path: Path, signature: tuple[int, int, int], today: dt.date) -> _Entry:
        """One handout file read, validated and, unless retired, checked with every rule."""
        from handout_builder.lint.engine import review  # the rules load only once needed

        checked = pipeline.check_file(path, self.brand, today)
        topic_id = checked.handout.id if checked.handout else _declared_id(path)
        entry = _Entry(signature, checked, topic_id, today)
        handout, loaded = checked.handout, checked.loaded
        if handout is not None and loaded is not None and not checked.standing.retired:
            found = review(handout, loaded, self.brand, self._config, today)
            for f in found.findings:
                kept = entry.failed_checks if f.severity == "error" else entry.warnings
                kept.append(f.problem_with_rule())
        return entry

    def _load_brand(self) -> None:
        path = find_brand(self._sources, self._brand_path)
        signature = (path, _signature(path)) if path else None
        if self._brand is None or signature != self._brand_signature:
            brand = load_brand(path)
            errors = [f for f in lint_brand(brand, self._config) if f.severity == "error"]
            if errors:
                raise HandoutError([f.problem_with_rule() for f in errors])
            self._brand = brand
            self._brand_signature = signature
            self._themes.clear()
            self._entries.clear()  # integrity checks and layouts depend on the brand

    def _render(self, entry: _Entry, paper: str, large_print: bool = False) -> Rendered:
        key = (paper, large_print)
        if key not in entry.rendered:
            checked = entry.checked
            assert checked.handout is not None and checked.loaded is not None
            try:
                done = pipeline.render_handout(
                    checked.handout,
                    self.theme(paper, large_print),
                    checked.loaded.base_dir,
                    checked.loaded.name,
                    approval=checked.standing.approval,
                    layout=packet_layout(checked.handout, large_print),
                    source=checked.loaded,
                    epoch=pipeline.source_date_epoch(),
                )
                entry.rendered[key] = Rendered(done.data, done.pages)
            except HandoutError as exc:
                entry.rendered[key] = exc
        result = entry.rendered[key]
        if isinstance(result, HandoutError):
            raise result
        return result

    def _make_topics(self) -> dict[str, Topic]:
        topics: dict[str, Topic] = {}
        fields = self.theme().fields
        self._hidden = {}
        for path, entry in self._entries.items():
            checked = entry.checked
            handout = checked.handout
            where = checked.standing
            if handout is not None and (
                where.retired or (where.draft and not where.changed and not self.drafts)
            ):  # never listed: retired, or a draft (unless drafts are shown)
                self._hidden.setdefault(handout.id, where.status)
                continue
            topic_id = entry.topic_id
            problems = list(checked.problems)
            why = "broken"
            if where.changed and not self.drafts:
                problems.append(where.changed)
                why = "changed"
            elif entry.failed_checks and not problems:
                problems += entry.failed_checks
                why = "checks"
            pages = 0
            if topic_id in topics:
                first = display_path(topics[topic_id].source)
                problems.append(
                    Problem(
                        display_path(path),
                        0,
                        0,
                        "id",
                        f"id '{topic_id}' is already used by {first}",
                    )
                )
                topic_id = f"{topic_id}@{display_path(path)}"
            elif handout is not None and not problems:
                try:
                    pages = self._render(entry, self.brand.brand.paper).pages
                except HandoutError as exc:
                    problems += exc.problems
            topics[topic_id] = Topic(
                topic_id,
                path,
                handout,
                tuple(problems),
                pages,
                where,
                why,
                fields,
                tuple(entry.warnings),
            )
        return topics


def packet_layout(handout: Handout, large_print: bool) -> str:
    """The layout a handout is given in a packet: its own, unless that is folded after printing
    (a booklet, a trifold) or has no large-print version when large print is asked for; then
    the leaflet, which every packet can hold."""
    own = LAYOUTS[handout.layout or DEFAULT]
    if own.folded or (large_print and not own.large_print):
        return DEFAULT
    return own.name


def _declared_id(path: Path) -> str:
    """The id a broken file gives itself, when it can be read; else its file name."""
    try:
        declared = read_source(path).data.get("id")
    except HandoutError:
        declared = None
    return (
        declared if isinstance(declared, str) and re.fullmatch(ID_PATTERN, declared) else path.stem
    )


def _signature(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size)
