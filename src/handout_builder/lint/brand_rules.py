"""The checks of a brand file: text colours that can be read and text large enough (``design``),
and the placeholder details a release refuses.

Takes a ``LoadedBrand`` and the settings; gives ``Finding``s placed in the brand file. Imports
none of the handout rules (nor textstat), so a build can check its brand before loading them.
"""

from __future__ import annotations

from handout_builder.lint import design, governance
from handout_builder.lint.config import LintConfig
from handout_builder.lint.core import Finding, Hit, Severity, severity
from handout_builder.lint.placeholders import placeholder_values
from handout_builder.look.brand import LoadedBrand, contact_line


def lint_brand(brand: LoadedBrand, config: LintConfig | None = None) -> list[Finding]:
    """Findings about the brand file itself (text contrast, text size)."""
    config = config or LintConfig()
    if brand.source is None:
        return []
    found = []
    for hit in design.check_brand(brand, config):
        level = severity(hit.rule, config)
        if level is not None:
            found.append(Finding(hit.problem(brand.source), hit.rule.id, level))
    return sorted(found)


def brand_placeholders(brand: LoadedBrand, *, release: bool) -> list[Finding]:
    """The brand's placeholder details: for the built-in brand one finding saying that the
    leaflets carry its example contact details, else one per example address or fictional
    telephone number. Warnings, or errors for a release build (which refuses them)."""
    if brand.source is None:
        return []
    level: Severity = "error" if release else "warning"
    rule = governance.PLACEHOLDER
    if brand.brand.placeholder:
        problem = brand.source.problem(
            ("placeholder",),
            "this is the built-in brand, so the leaflets carry placeholder contact details "
            f"({contact_line(brand.brand)}): make a brand.yaml with your clinic's name, "
            "numbers and addresses (see the README, Brands)",
            key=True,
        )
        return [Finding(problem, rule.id, level)]
    return [
        Finding(
            Hit(rule, path, f"{what}: replace it with your clinic's", offset=at).problem(
                brand.source
            ),
            rule.id,
            level,
        )
        for path, what, at in placeholder_values(brand.source.data)
    ]
