"""Error messages are data: each bad input file in cases/ beside the exact messages expected.

Run ``pytest --update-golden`` to rewrite the .expected files from actual output (then read the
diff before committing).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fixtures import write_handout
from handout_builder.cli import main

CASES = Path(__file__).parent / "cases"
INPUTS = sorted(CASES.glob("*.yaml"))


def test_there_are_error_cases() -> None:
    assert len(INPUTS) >= 15  # a glob that finds nothing would run no case below


@pytest.mark.parametrize("case", INPUTS, ids=[p.stem for p in INPUTS])
def test_error_case(case: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    monkeypatch.chdir(CASES.parent)
    result = CliRunner().invoke(main, ["check", "-q", f"cases/{case.name}"])  # findings only
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr == ""
    messages = [ln for ln in result.stdout.splitlines() if ln]
    expected_file = case.with_suffix(".expected")
    if update_golden:
        expected_file.write_text("\n".join(messages) + "\n", encoding="utf-8")
    assert messages == expected_file.read_text(encoding="utf-8").splitlines()
    assert messages
    for message in messages:
        assert message.startswith(f"cases/{case.name}:")


def test_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "big.yaml").write_text("title: " + "x" * 1_200_000)
    result = CliRunner().invoke(main, ["check", "-q", "big.yaml"])
    assert result.exit_code == 1
    assert result.stdout.strip() == (
        "big.yaml:1:1: file is too large (1,200,007 bytes; the limit is 1,000,000)"
    )


def test_errors_in_several_files_all_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_handout(tmp_path, "good.yaml")
    (tmp_path / "a.yaml").write_text("schema: 1\n")
    (tmp_path / "b.yaml").write_text("x: [\n")
    result = CliRunner().invoke(main, ["check", "."])
    assert result.exit_code == 1
    assert "a.yaml:1:1: id: field required" in result.stdout
    assert (
        "b.yaml:1:4: YAML syntax error: the [ list that starts here is never closed"
        in result.stdout
    )
    assert "3 handouts checked: 1 ok, 2 with errors" in result.stdout
