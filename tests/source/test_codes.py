"""Clinical codes: well-formed per system (ICD-10-CM pattern, RxNorm digits, SNOMED CT check
digit and partition), ICD-10-CM matching from the more specific code, and ``handout list
--code``. Bad codes in a handout file are positioned errors (``tests/source/cases/bad-codes``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixtures import run_cli, write_handout
from handout_builder.codes import code_problem, covers, normal_form, parse_asked, verhoeff_valid

# Published SNOMED CT concept ids: each ends in its Verhoeff check digit.
SNOMED_CONCEPTS = ["18347007", "22298006", "73211009", "38341003", "279039007", "404684003"]


@pytest.mark.parametrize("sctid", SNOMED_CONCEPTS)
def test_real_snomed_ids_pass_and_every_single_digit_change_is_caught(sctid: str) -> None:
    assert code_problem("snomed-ct", sctid) is None
    for i, digit in enumerate(sctid):
        for other in "0123456789":
            if other != digit and not (i == 0 and other == "0"):
                changed = sctid[:i] + other + sctid[i + 1 :]
                assert not verhoeff_valid(changed), changed


@pytest.mark.parametrize("sctid", SNOMED_CONCEPTS)
def test_swapped_neighbouring_digits_are_caught(sctid: str) -> None:
    for i in range(len(sctid) - 1):
        if sctid[i] != sctid[i + 1]:
            swapped = sctid[:i] + sctid[i + 1] + sctid[i] + sctid[i + 2 :]
            assert not verhoeff_valid(swapped), swapped


def test_a_snomed_description_id_is_not_a_concept() -> None:
    assert "description" in (code_problem("snomed-ct", "685371015") or "")


@pytest.mark.parametrize("code", ["M48.06", "M48.062", "F32.A", "U07.1", "S72.001A", "R51"])
def test_icd10cm_codes_that_exist_in_their_written_form(code: str) -> None:
    assert code_problem("icd-10-cm", code) is None


@pytest.mark.parametrize(
    ("code", "hint"),
    [("m48.06", "M48.06"), ("M4806", "M48.06"), ("48.06", "a letter"), ("M48.06123", "up to 4")],
)
def test_icd10cm_mistakes_say_what_to_write(code: str, hint: str) -> None:
    assert hint in (code_problem("icd-10-cm", code) or "")


def test_rxnorm_is_digits() -> None:
    assert code_problem("rxnorm", "704") is None
    assert "digits only" in (code_problem("rxnorm", "RX704") or "")
    assert code_problem("rxnorm", "0704") is not None


def test_icd10cm_matches_from_the_more_specific_code() -> None:
    assert covers("icd-10-cm", "M48.06", "M48.062")
    assert covers("icd-10-cm", "M48.06", "m48062")  # as EHRs often send it
    assert covers("icd-10-cm", "M48.06", "M48.06")
    assert not covers("icd-10-cm", "M48.062", "M48.06")
    assert not covers("icd-10-cm", "M48.06", "M48.16")
    assert covers("snomed-ct", "18347007", "18347007")
    assert not covers("rxnorm", "704", "7045")
    assert normal_form("icd-10-cm", " m48062 ") == "M48.062"


def test_asked_codes_name_their_system_by_name_or_oid() -> None:
    assert parse_asked("M48.062") == (None, "M48.062")
    assert parse_asked("icd-10-cm:M48.062") == ("icd-10-cm", "M48.062")
    assert parse_asked("2.16.840.1.113883.6.88:704") == ("rxnorm", "704")
    with pytest.raises(ValueError, match="unknown code system 'icd-9'"):
        parse_asked("icd-9:724.02")


def test_list_by_code(tmp_path: Path) -> None:
    codes = [
        {"system": "icd-10-cm", "code": "M48.06", "display": "Spinal stenosis, lumbar region"},
        {"system": "rxnorm", "code": "704"},
    ]
    write_handout(tmp_path, "a.yaml", id="stenosis-topic", codes=codes)
    write_handout(tmp_path, "b.yaml", id="other-topic")

    def listed(code: str) -> list[dict]:
        return json.loads(run_cli("list", "--code", code, "--json", tmp_path).stdout)["handouts"]

    result = run_cli("list", "--code", "M48.062", "--json", tmp_path)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["handouts"]
    assert [r["id"] for r in rows] == ["stenosis-topic"]
    assert rows[0]["codes"] == ["icd-10-cm:M48.06", "rxnorm:704"]
    assert listed("snomed-ct:704") == []
    assert len(listed("rxnorm:704")) == 1
    assert listed("M48") == []
    bad = run_cli("list", "--code", "icd9:724", tmp_path)
    assert bad.exit_code == 2
    assert "unknown code system 'icd9'" in bad.stderr
