"""What every check shares: the ``Rule`` it enforces, the ``Finding`` it reports, and the
``LintContext`` it reads.

A rule has a stable id (``HB-READ-001``), a short name (``reading-grade``), a default severity, a
one-line summary and advice on how to fix what it finds. A finding is one ``Problem`` (file, line,
column, field path, message) found by one rule, with the severity that applies after the
project's settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

from handout_builder.errors import Problem
from handout_builder.lint.config import LintConfig
from handout_builder.lint.text import TextPiece, pieces
from handout_builder.look.brand import LoadedBrand, brand_fields
from handout_builder.model import Handout
from handout_builder.source.reader import PathKey, Source

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    """One check: id, name, family, default severity, what it checks and how to fix it."""

    id: str
    name: str
    family: str
    severity: Severity
    summary: str
    fix: str


def severity(rule: Rule, config: LintConfig) -> Severity | None:
    """The severity that applies to ``rule`` under ``config``; None when it is turned off."""
    setting = config.rules.get(rule.id) or config.rules.get(rule.name)
    if setting == "off":
        return None
    return setting or rule.severity


@dataclass(frozen=True, order=True)
class Finding:
    """One thing a rule found, at one place.

    Printed as ``file:line:col: field.path: message [severity RULE-ID]``; a handout that does not
    even match the format prints its problems exactly as ``handout build`` does.
    """

    problem: Problem
    rule: str
    severity: Severity = "error"

    def __str__(self) -> str:
        if self.rule == "HB-SCHEMA-001":
            return str(self.problem)
        return f"{self.problem} [{self.severity} {self.rule}]"

    def problem_with_rule(self) -> Problem:
        """The problem, carrying the id of the rule that found it (none for a problem of the
        format itself), as builds report it."""
        if self.rule == "HB-SCHEMA-001":
            return self.problem
        return replace(self.problem, rule=self.rule)


@dataclass(frozen=True)
class Hit:
    """What a check yields before settings are applied: the rule, where, and the message."""

    rule: Rule
    path: PathKey
    message: str
    key: bool = False  # point at the key of ``path`` rather than its value
    offset: int | None = None  # point at this character of the text at ``path``

    def problem(self, source: Source) -> Problem:
        """Where the hit is, as a problem placed in ``source``."""
        found = source.problem(self.path, self.message, key=self.key)
        if self.offset is None:
            return found
        line, column = source.char_position(self.path, self.offset)
        return replace(found, line=line, column=column)


@dataclass
class LintContext:
    """A valid handout with everything the checks read: its source, brand, settings, today, and
    whether it is checked for a release (see ``governance.RELEASE_RULES``)."""

    handout: Handout
    source: Source
    brand: LoadedBrand
    config: LintConfig
    today: dt.date = field(default_factory=dt.date.today)
    others: Mapping[str, Handout] = field(default_factory=dict)  # every handout checked, by id
    release: bool = False

    @cached_property
    def pieces(self) -> list[TextPiece]:
        return pieces(self.handout, self.fields)

    @cached_property
    def fields(self) -> dict[str, str]:
        """The brand values content names in braces, those the brand gives."""
        return {k: v for k, v in brand_fields(self.brand.brand).items() if v is not None}

    @property
    def language(self) -> str:
        """The primary language subtag: 'es' for 'es-MX'."""
        return self.handout.language.split("-")[0].lower()

    def has(self, path: PathKey) -> bool:
        return path in self.source.positions
