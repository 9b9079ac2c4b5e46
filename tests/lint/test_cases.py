"""Every rule has a failing and a passing example: tests/lint_cases/<rule name>/.

``fail.yaml`` must give exactly the findings of that rule listed in ``expected.txt`` (rewrite
them with ``pytest --update-golden`` and read the diff); ``pass.yaml`` must give no findings at
all. Rules about the brand file use ``fail.brand.yaml`` and ``pass.brand.yaml``. A
``handout.toml`` in the case folder applies to both files, and so does a ``brand.yaml``; a file
named ``release`` checks both as a release build would. Checks run as if today were 2026-06-01.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from handout_builder import api
from handout_builder.lint.engine import RULES, find_rule, lint_brand, load_config
from handout_builder.look.brand import load_brand

CASES = Path(__file__).parent / "cases"
TODAY = dt.date(2026, 6, 1)
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def findings(case: Path, which: str, rule: str | None = None) -> list[str]:
    """The findings for one example file as printed, only those of ``rule`` if given."""
    config = load_config(case / "handout.toml" if (case / "handout.toml").exists() else None)
    brand_file = case / f"{which}.brand.yaml"
    if brand_file.exists():
        found = lint_brand(load_brand(brand_file), config)
    else:
        # Other handouts the example refers to (the source of a translation) are checked with
        # it; only the example's own findings count.
        others = sorted(case.glob("source*.yaml"))
        brand = case / "brand.yaml"
        report = api.check(
            [case / f"{which}.yaml", *others],
            brand if brand.exists() else None,
            config=config,
            today=TODAY,
            release=(case / "release").exists(),
        )
        found = [f for f in report.findings() if f.problem.file == f"{which}.yaml"]
    return [str(f) for f in found if rule is None or f.rule == rule]


def test_every_rule_has_a_case() -> None:
    assert sorted(r.name for r in RULES.values()) == CASE_NAMES


@pytest.mark.parametrize("name", CASE_NAMES)
def test_fail_example_gives_the_expected_findings(
    name: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CASES / name
    monkeypatch.chdir(case)
    rule = find_rule(name)
    assert rule is not None
    got = findings(case, "fail", rule.id)
    expected_file = case / "expected.txt"
    if request.config.getoption("--update-golden"):
        expected_file.write_text("".join(f"{line}\n" for line in got))
    assert got, f"{name}: fail example gives no {rule.id} finding"
    assert got == expected_file.read_text().splitlines()


@pytest.mark.parametrize("name", CASE_NAMES)
def test_pass_example_gives_no_findings(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES / name
    monkeypatch.chdir(case)
    assert findings(case, "pass") == []
