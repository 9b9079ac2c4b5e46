"""The brand's numbers in the text: ``{emergency_number}``, ``{crisis_line}``, ``{clinic_phone}``
and ``{organisation}`` are filled in from the brand when a leaflet is laid out; ``{{`` is a
literal brace; nothing else in braces is read; a UK brand gives a UK leaflet throughout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fixtures import (
    SHIPPED,
    UK_BRAND,
    approved_copy,
    pdf_text,
    run_cli,
    structure_texts,
    write_brand,
    write_handout,
)
from handout_builder import build
from handout_builder.inline import literal, parse_inline, plain_text
from handout_builder.look.brand import brand_fields, load_brand

KEY_POINTS = [
    "Take it the way your care team told you.",
    "Call {emergency_number} if you have the signs of an emergency.",
    "Ask your pharmacist if you are not sure.",
]


def uk_brand(folder: Path) -> Path:
    return write_brand(folder, UK_BRAND)


def test_names_in_braces_are_filled_and_doubled_braces_are_literal() -> None:
    fields = {"emergency_number": "999", "organisation": "A*B **Clinic**"}
    assert plain_text("Call {emergency_number} now.", fields) == "Call 999 now."
    assert plain_text("{{emergency_number}} and {{ }}", fields) == "{emergency_number} and { }"
    assert plain_text("a lone { or } stays", fields) == "a lone { or } stays"
    # a value is text, never markup, and keeps the emphasis around it
    runs = parse_inline("**Call {emergency_number}** at {organisation}", fields)
    assert [(r.text, r.bold) for r in runs] == [("Call 999", True), (" at A*B **Clinic**", False)]
    assert plain_text("{unknown} {emergency_number}") == "{unknown} {emergency_number}"
    assert plain_text(literal("{emergency_number} *x*"), fields) == "{emergency_number} *x*"


def test_clinic_phone_is_the_number_without_its_label(tmp_path: Path) -> None:
    brand = load_brand(uk_brand(tmp_path))
    assert brand_fields(brand.brand) == {
        "emergency_number": "999",
        "crisis_line": "116 123",
        "clinic_phone": "020 7946 0321",
        "organisation": "Riverside Surgery",
    }


def test_the_pdf_says_the_brands_numbers(tmp_path: Path) -> None:
    uk_brand(tmp_path)
    path = write_handout(
        tmp_path,
        overview=[
            "Call {emergency_number} in an emergency, or {clinic_phone} to reach "
            "{organisation}. Write {{ and }} for braces.",
        ],
        seek_care={
            "emergency": {
                "items": ["Thoughts of suicide. Call or text **{crisis_line}**."],
                "heading": "Call {emergency_number} now if you have:",
            }
        },
    )
    [result] = build([tmp_path], tmp_path / "out")
    assert result.status == "built", result.problems
    text = " ".join(pdf_text(result.output).split())
    assert (
        "Call 999 in an emergency, or 020 7946 0321 to reach Riverside Surgery. "
        "Write { and } for braces." in text
    )
    assert "Call 999 now if you have:" in text
    assert "Thoughts of suicide. Call or text 116 123." in text
    assert "{" not in text.replace("Write { and }", "")
    read = " ".join(structure_texts(result.output))
    assert "Call or text 116 123" in read and "{crisis_line}" not in read
    assert result.source == path


@pytest.mark.parametrize("shipped", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_uk_brand_gives_a_uk_leaflet_throughout(shipped: Path, tmp_path: Path) -> None:
    folder = tmp_path / "handouts"
    approved_copy(shipped, folder, key_points=KEY_POINTS)  # a release refuses warnings too
    uk_brand(folder)
    [result] = build([folder], tmp_path / "out", release=True)
    assert result.status == "built", result.problems
    text = pdf_text(result.output)
    assert "911" not in text
    assert "999" in text  # every handout says when to call for an emergency
    crisis = "{crisis_line}" in shipped.read_text(encoding="utf-8")  # not the procedure leaflets
    assert ("116 123" in text) == crisis
    named = text.replace("988 Suicide & Crisis Lifeline", "").replace("988lifeline", "")
    assert not re.search(r"(?<![\d/])988(?!\d)", named)  # the Lifeline's own name stays in the
    # sources; a number in an address (PubMed 24988555) is not a crisis line


def test_a_name_the_brand_leaves_out_is_a_positioned_error(tmp_path: Path) -> None:
    (tmp_path / "brand.yaml").write_text(UK_BRAND.replace('crisis_line: "116 123"\n', ""))
    write_handout(tmp_path, overview=["If you feel unsafe, call {crisis_line} now."])
    done = run_cli("check", ".", cwd=tmp_path)
    assert done.exit_code == 1
    assert done.stdout.splitlines()[0] == (
        "test.yaml:16:28: overview[0]: {crisis_line} names the brand's crisis_line, which the "
        "brand file does not give: add crisis_line to it"
    )
    built = run_cli("build", ".", "-o", "out", cwd=tmp_path)
    assert built.exit_code == 1 and not (tmp_path / "out" / "test-handout.pdf").exists()


def test_a_hard_coded_number_that_is_not_the_brands_is_reported(tmp_path: Path) -> None:
    uk_brand(tmp_path)
    write_handout(tmp_path, overview=["Call 911 or 999 now. Take 112 mg."])
    done = run_cli("check", ".", cwd=tmp_path)
    assert done.exit_code == 1
    assert [ln for ln in done.stdout.splitlines() if ln.endswith("]")] == [
        "test.yaml:16:8: overview[0]: '911' is an emergency number for the US and Canada, "
        "typed into the text; this brand's is 999: write {emergency_number} instead, so each "
        "leaflet gives its brand's number [error HB-SAFE-005]"
    ]
