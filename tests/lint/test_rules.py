"""The parts of the checks that the example files do not pin down: settings, allow: entries,
Spanish reading level, contrast arithmetic, drug classes, PEMAT, and the shipped handouts."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from fixtures import REPO
from handout_builder import api
from handout_builder.errors import ValidationError, display_path
from handout_builder.lint.config import LintConfig, find_config
from handout_builder.lint.design import contrast_ratio
from handout_builder.lint.engine import find_rule, load_config
from handout_builder.lint.readability import measure
from handout_builder.lint.safety import safety_data
from handout_builder.model import Medication

CASES = Path(__file__).parent / "cases"
TODAY = dt.date(2026, 6, 1)


def rules_found(path: Path, config: LintConfig | None = None) -> list[str]:
    return [
        f.rule for f in api.check([path], config=config or LintConfig(), today=TODAY).findings()
    ]


# --- settings -------------------------------------------------------------------------------


def test_settings_are_found_upward_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.handout]\nmax_sentence_words = 12\n'
        '[tool.handout.rules]\njargon = "error"\nHB-READ-004 = "off"\n'
    )
    below = tmp_path / "handouts" / "deep"
    below.mkdir(parents=True)
    assert find_config(below) == tmp_path / "pyproject.toml"
    config = load_config(start=below)
    assert config.max_sentence_words == 12
    assert config.rules == {"jargon": "error", "HB-READ-004": "off"}


def test_handout_toml_wins_over_a_pyproject_further_up(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.handout]\nreading_grade = 6\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "handout.toml").write_text("reading_grade = 7\n")
    assert load_config(start=tmp_path / "sub").reading_grade == 7


def test_a_pyproject_without_tool_handout_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "handout.toml").write_text("reading_grade = 6\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(start=tmp_path / "sub").reading_grade == 6


def test_no_settings_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(start=tmp_path) if find_config(tmp_path) is None else LintConfig()
    assert (config.reading_grade, config.max_sentence_words, config.review_warning_days) == (
        8,
        20,
        30,
    )


def test_a_bad_setting_is_reported_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "handout.toml").write_text('reading_grade = "eight"\nmax_sentnce_words = 3\n')
    with pytest.raises(ValidationError) as err:
        load_config(tmp_path / "handout.toml")
    text = str(err.value)
    assert "handout.toml:1:1: reading_grade:" in text
    assert (
        "handout.toml:2:1: max_sentnce_words: no such setting; did you mean "
        "'max_sentence_words'?" in text
    )


def test_a_setting_for_an_unknown_rule_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / "jargon")
    with pytest.raises(ValidationError, match=r"rules\.HB-NOPE-9: no such rule"):
        api.check(["pass.yaml"], config=LintConfig(rules={"HB-NOPE-9": "off"}))


def test_rules_can_be_turned_off_or_made_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / "jargon")
    default = api.check(["fail.yaml"], config=LintConfig(), today=TODAY)
    assert [(f.rule, f.severity) for f in default.findings()] == [("HB-JARGON-001", "warning")]
    assert not default.failed
    stricter = api.check(["fail.yaml"], config=LintConfig(rules={"jargon": "error"}), today=TODAY)
    assert [f.severity for f in stricter.findings()] == ["error"] and stricter.failed
    off = api.check(["fail.yaml"], config=LintConfig(rules={"HB-JARGON-001": "off"}), today=TODAY)
    assert off.findings() == []


def test_targets_come_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / "long-sentence")
    assert "HB-READ-003" not in rules_found(Path("fail.yaml"), LintConfig(max_sentence_words=30))
    assert "HB-READ-003" in rules_found(Path("pass.yaml"), LintConfig(max_sentence_words=8))
    monkeypatch.chdir(CASES / "review-due-soon")
    assert rules_found(Path("fail.yaml"), LintConfig(review_warning_days=10)) == []


def test_project_jargon_files_add_and_remove_terms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(CASES / "jargon" / "fail.yaml", tmp_path / "h.yaml")
    (tmp_path / "ours.yaml").write_text("en:\n  hypertension: null\n  ibuprofen: a pain pill\n")
    monkeypatch.chdir(tmp_path)
    config = LintConfig(jargon_files=["ours.yaml"])
    report = api.check(["h.yaml"], config=config, today=TODAY)
    assert [
        (f.problem.path, f.problem.message.split(":")[0].casefold()) for f in report.findings()
    ] == [
        ("medications[0].used_for[0]", '"ibuprofen" is medical jargon'),
        ("side_effects[0].title", '"ibuprofen" is medical jargon'),
    ]


# --- allow: entries -------------------------------------------------------------------------


def test_an_allow_entry_silences_one_rule_at_one_place(tmp_path: Path) -> None:
    text = (CASES / "jargon" / "fail.yaml").read_text()
    text = text.replace(
        "  - name: Ibuprofen", "  - name: Ibuprofen\n    tips: [Skip it if you have hypertension.]"
    )
    text += (
        "allow:\n  - rule: jargon\n    at: medications[0].used_for\n"
        "    reason: Doctors at this clinic say this word to every patient.\n"
    )
    (tmp_path / "h.yaml").write_text(text)
    found = api.check([tmp_path / "h.yaml"], config=LintConfig(), today=TODAY).findings()
    assert [(f.rule, f.problem.path) for f in found] == [
        ("HB-JARGON-001", "medications[0].tips[0]")
    ]


def test_an_allow_entry_needs_a_reason(tmp_path: Path) -> None:
    text = (CASES / "jargon" / "fail.yaml").read_text()
    (tmp_path / "h.yaml").write_text(text + "allow:\n  - rule: jargon\n    at: overview[0]\n")
    found = api.check([tmp_path / "h.yaml"], config=LintConfig(), today=TODAY).findings()
    assert [str(f.problem) for f in found] == [
        f"{display_path(tmp_path / 'h.yaml')}:55:5: allow[0].reason: field required"
    ]


# --- reading level --------------------------------------------------------------------------


def test_spanish_is_measured_with_spanish_formulas() -> None:
    easy = [
        "Tome una pastilla cada noche. Puede darle sueño. No maneje si tiene sueño.",
        "Llame a su médico si tiene fiebre o si le duele mucho el pecho.",
    ]
    reading = measure(easy, "es")
    assert reading is not None and reading.formula == "crawford"
    assert set(reading.scores) == {"crawford", "fernandez-huerta", "szigriszt-pazos"}
    hard = [
        "La administración concomitante de inhibidores selectivos de la recaptación "
        "constituye una contraindicación relativa considerablemente documentada."
    ]
    assert measure(hard, "es").grade > reading.grade  # type: ignore[union-attr]
    assert measure(easy, "fr") is None


def test_english_grade_can_be_judged_by_the_average() -> None:
    texts = ["Take one pill at night. It can make you sleepy."]
    fk = measure(texts, "en")
    avg = measure(texts, "en", "average")
    assert fk and avg and avg.formula == "average"
    assert avg.grade == round(sum(fk.scores.values()) / 3, 1)


# --- contrast and drug classes --------------------------------------------------------------


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    ("name", "drug_class", "classes"),
    [
        (
            "Amitriptyline",
            "Tricyclic antidepressant (TCA)",
            {"antidepressant", "serotonergic", "tricyclic"},
        ),
        ("Bupropion", "Norepinephrine and dopamine reuptake inhibitor (NDRI)", {"antidepressant"}),
        (
            "Serotonin and norepinephrine reuptake inhibitors (SNRIs)",
            None,
            {"antidepressant", "serotonergic"},
        ),
        ("Tramadol", "Opioid pain medicine", {"serotonergic"}),
        ("Ibuprofen", "Pain reliever that eases swelling", set()),
    ],
)
def test_drug_classes_come_from_names_and_classes(
    name: str, drug_class: str | None, classes: set[str]
) -> None:
    med = Medication(name=name, drug_class=drug_class, used_for=["x"], how_to_take=["x"])
    assert {c.name for c in safety_data().classes_of(med)} == classes


# --- PEMAT ----------------------------------------------------------------------------------


def test_pemat_judges_what_a_program_can_and_leaves_the_rest() -> None:
    result = api.check([CASES / "jargon" / "fail.yaml"], config=LintConfig(), today=TODAY)
    pemat = result.results[0].pemat
    assert pemat is not None
    verdicts = {i.number: i.verdict for i in pemat.items}
    assert verdicts[4] == "not met"  # a jargon term is not explained
    assert verdicts[11] == "met"  # the 'Key points' callout
    assert verdicts[2] == verdicts[7] == "person"
    assert pemat.judged == sum(v in ("met", "not met") for v in verdicts.values())
    assert pemat.score == pemat.met / pemat.judged
    assert find_rule("jargon") is find_rule("HB-JARGON-001")


# --- the shipped handouts -------------------------------------------------------------------

SHIPPED = sorted((REPO / "handouts").glob("*.yaml")) if (REPO / "handouts").is_dir() else []


@pytest.mark.skipif(not SHIPPED, reason="no shipped handouts in handouts/")
def test_the_shipped_handouts_pass_every_check_at_default_targets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    report = api.check([REPO / "handouts"], config=LintConfig())
    # Key facts come with the rewrite of the shipped content (a later issue); until then the
    # shipped handouts are warned that they have none, and that is all they are told.
    missing = find_rule("key-points-missing")
    assert missing is not None
    assert [str(f) for f in report.findings() if f.rule != missing.id] == []
    assert {f.rule for f in report.findings()} <= {missing.id}
