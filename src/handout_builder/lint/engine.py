"""Plain-language, safety, governance and design checks on valid handouts: what ``handout check``
runs.

``check_handouts(files, brand, config)`` checks every file (``pipeline.check_files``) and runs
the rules on each valid handout, giving a ``LintReport``: per file a ``HandoutReport`` (validation
problems as findings of ``HB-SCHEMA-001``, the rules' findings, the PEMAT summary), and the
findings about the brand. ``lint(handout, source, brand, config)`` gives the ``Finding``s for one
handout, with the project's severities applied and the handout's own ``allow:`` entries honoured;
``review(...)`` gives them with the PEMAT summary; ``lint_brand(brand, config)`` gives the
findings about the brand file. A retired handout is validated only: it is never built or
offered. ``RULES`` lists every rule by id. One module per family of rules: ``readability``,
``jargon``, ``safety``, ``governance``, ``design``; ``pemat`` scores and never fails.

With ``release``, the rules a release build enforces (``governance.RELEASE_RULES``: an overdue
review, content changed since approval, placeholder text, a draft) are errors whatever the
settings say, and no ``allow:`` entry silences them; ``release_brand(brand)`` gives what a
release refuses in the brand (the built-in placeholder brand, example addresses, fictional
telephone numbers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from handout_builder.errors import Problem, ValidationError
from handout_builder.lint import design, governance, jargon, readability, safety
from handout_builder.lint.brand_rules import brand_placeholders, lint_brand
from handout_builder.lint.config import LintConfig, config_from, load_config
from handout_builder.lint.core import Finding, Hit, LintContext, Rule, Severity, severity
from handout_builder.lint.governance import RELEASE_RULES
from handout_builder.lint.pemat import Pemat, assess
from handout_builder.look.brand import LoadedBrand
from handout_builder.model import Handout
from handout_builder.pipeline import CheckResult, check_files
from handout_builder.source.reader import Source, format_path

SCHEMA = Rule(
    "HB-SCHEMA-001",
    "invalid-handout",
    "schema",
    "error",
    "The file is readable YAML in the handout format, and its parts fit together.",
    "Fix what the message names; 'handout schema' prints the format for editors.",
)
ALLOW_UNKNOWN = Rule(
    "HB-ALLOW-001",
    "allow-unknown-rule",
    "allow",
    "error",
    "Every allow: entry names a rule that exists.",
    "Use a rule id or name that 'handout docs checks' lists.",
)
ALLOW_UNUSED = Rule(
    "HB-ALLOW-002",
    "allow-unused",
    "allow",
    "warning",
    "Every allow: entry silences a finding (a stale one hides nothing and misleads readers).",
    "Remove the entry, or correct its 'at' to the field path the finding names.",
)
FAMILIES = (readability, jargon, safety, governance, design)
RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        SCHEMA,
        *(r for family in FAMILIES for r in family.RULES),
        ALLOW_UNKNOWN,
        ALLOW_UNUSED,
    )
}
_BY_NAME = {r.name: r for r in RULES.values()}

__all__ = [
    "RULES",
    "Finding",
    "HandoutReport",
    "LintConfig",
    "LintReport",
    "Pemat",
    "Review",
    "Rule",
    "brand_placeholders",
    "check_handouts",
    "combine",
    "config_from",
    "find_rule",
    "lint",
    "lint_brand",
    "load_config",
    "review",
    "schema_findings",
]


def find_rule(ref: str) -> Rule | None:
    """A rule by id (any case) or by name."""
    return RULES.get(ref.upper()) or _BY_NAME.get(ref.lower())


@dataclass(frozen=True)
class Review:
    """One handout's findings and its PEMAT summary."""

    findings: list[Finding]
    pemat: Pemat


@dataclass
class HandoutReport:
    """One handout file checked with every rule: what validation gave, the findings (validation
    problems among them) and, for a valid handout, the PEMAT summary."""

    checked: CheckResult
    findings: list[Finding] = field(default_factory=list)
    pemat: Pemat | None = None

    @property
    def source(self) -> Path:
        return self.checked.source

    @property
    def handout(self) -> Handout | None:
        return self.checked.handout

    @property
    def failed(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


@dataclass
class LintReport:
    """Handouts checked with every rule, and the findings about the brand file they use."""

    results: list[HandoutReport]
    brand: str
    brand_findings: list[Finding] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        """Every finding: the brand's, then each handout's (validation problems included)."""
        return [*self.brand_findings, *(f for r in self.results for f in r.findings)]

    @property
    def failed(self) -> bool:
        return any(f.severity == "error" for f in self.findings())


def check_handouts(
    files: Iterable[Path | str],
    brand: LoadedBrand,
    config: LintConfig,
    today: dt.date | None = None,
    *,
    release: bool = False,
) -> LintReport:
    """Check every handout in ``files`` (files or folders), run the rules on each valid one
    that is not retired, and check the brand (with ``release``, as a release build would).
    Raises ``ValidationError`` for settings that name no rule."""
    check_config(config)
    results = []
    checked_files = check_files(files, brand)
    by_id = {c.handout.id: c.handout for c in checked_files if c.handout is not None}
    for checked in checked_files:
        if checked.handout is None or checked.loaded is None:
            results.append(HandoutReport(checked, schema_findings(checked.problems)))
        elif checked.standing.retired:
            results.append(HandoutReport(checked))
        else:
            found = review(
                checked.handout, checked.loaded, brand, config, today, by_id, release=release
            )
            results.append(HandoutReport(checked, found.findings, found.pemat))
    brand_findings = lint_brand(brand, config)
    if release:
        brand_findings = sorted(brand_findings + brand_placeholders(brand, release=True))
    return LintReport(results, brand.name, brand_findings)


def combine(reports: list[LintReport]) -> LintReport:
    """Reports of handouts checked in groups (each with the settings and brand that apply to
    it) as one report; a brand's findings appear once however many groups used it."""
    if len(reports) == 1:
        return reports[0]
    brands = ", ".join(dict.fromkeys(r.brand for r in reports))
    brand_findings = sorted({f for r in reports for f in r.brand_findings})
    return LintReport([x for r in reports for x in r.results], brands, brand_findings)


def lint(
    handout: Handout,
    source: Source,
    brand: LoadedBrand,
    config: LintConfig | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    """Every finding for one valid handout, sorted by place."""
    return review(handout, source, brand, config, today).findings


def review(
    handout: Handout,
    source: Source,
    brand: LoadedBrand,
    config: LintConfig | None = None,
    today: dt.date | None = None,
    others: Mapping[str, Handout] | None = None,
    *,
    release: bool = False,
) -> Review:
    """The findings and the PEMAT summary for one valid handout (``others``: every handout
    checked with it, by id, for what depends on more than one); with ``release``, as a release
    build judges it (see the module docstring)."""
    config = config or LintConfig()
    ctx = LintContext(
        handout, source, brand, config, today or dt.date.today(), others or {}, release
    )
    hits = [hit for family in FAMILIES for hit in family.check(ctx)]
    kept, used = _apply_allows(hits, handout, config, release)
    made = [_finding(hit, source, config, release) for hit in kept]  # None where it is off
    made += _allow_findings(handout, source, config, used)
    findings = sorted(f for f in made if f is not None)
    return Review(findings, assess(ctx, findings))


def schema_findings(problems: Iterable[Problem]) -> list[Finding]:
    """Validation problems as findings, so that every report has one shape."""
    return [Finding(p, SCHEMA.id, "error") for p in problems]


def check_config(config: LintConfig) -> None:
    """Raise ``ValidationError`` if the settings name a rule that does not exist."""
    unknown = [ref for ref in config.rules if find_rule(ref) is None or ref != ref.strip()]
    if unknown:
        raise ValidationError(
            [
                config.problem(
                    ("rules", ref),
                    "no such rule; 'handout docs checks' lists the rule ids and names",
                )
                for ref in unknown
            ]
        )


def _finding(hit: Hit, source: Source, config: LintConfig, release: bool = False) -> Finding | None:
    level: Severity | None = (
        "error" if release and hit.rule in RELEASE_RULES else severity(hit.rule, config)
    )
    if level is None:
        return None
    return Finding(hit.problem(source), hit.rule.id, level)


def _apply_allows(
    hits: list[Hit], handout: Handout, config: LintConfig, release: bool = False
) -> tuple[list[Hit], set[int]]:
    """Drop the hits an ``allow:`` entry covers (none that a release enforces, in a release);
    say which entries were used."""
    kept, used = [], set()
    for hit in hits:
        if release and hit.rule in RELEASE_RULES:
            kept.append(hit)
            continue
        where = format_path(hit.path)
        match = next(
            (
                i
                for i, a in enumerate(handout.allow)
                if find_rule(a.rule) is hit.rule and _within(where, a.at)
            ),
            None,
        )
        if match is None:
            kept.append(hit)
        else:
            used.add(match)
    return kept, used


def _within(path: str, at: str) -> bool:
    at = at.strip()
    return path == at or path.startswith((f"{at}.", f"{at}["))


def _allow_findings(
    handout: Handout, source: Source, config: LintConfig, used: set[int]
) -> list[Finding | None]:
    out: list[Finding | None] = []
    for i, allow in enumerate(handout.allow):
        rule = find_rule(allow.rule)
        if rule is None:
            out.append(
                _finding(
                    Hit(
                        ALLOW_UNKNOWN,
                        ("allow", i, "rule"),
                        f"no rule '{allow.rule}'; use an id such as HB-JARGON-001 "
                        "or a name such as jargon",
                    ),
                    source,
                    config,
                )
            )
        elif i not in used and severity(rule, config) is not None:
            out.append(
                _finding(
                    Hit(
                        ALLOW_UNUSED,
                        ("allow", i),
                        f"nothing to allow: {rule.id} finds nothing at "
                        f"'{allow.at}'; remove this entry or correct 'at'",
                    ),
                    source,
                    config,
                )
            )
    return out
