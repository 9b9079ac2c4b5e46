"""Checks gate builds: a build runs the rules of ``handout check`` on every handout (in the worker)
and builds nothing that fails them; warnings are printed and reported; ``--strict`` fails on them;
``--release`` refuses drafts, changes since approval, overdue reviews and placeholders; the brand
is checked once, before anything is built; retired handouts are never built."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fixtures import (
    CLINIC_BRAND,
    approved,
    handout_data,
    run_cli,
    write_brand,
    write_handout,
    write_yaml,
)
from handout_builder import api
from handout_builder.errors import HandoutError

HARD = (
    "Notwithstanding considerable interindividual heterogeneity, pharmacological "
    "interventions demonstrate substantive efficacy regarding symptomatic amelioration."
)
WORDY = "You can " + " ".join(["walk a little more"] * 8) + " each day."


def library(folder: Path, *, brand: bool = True) -> Path:
    """Three handouts: one that passes, one with a warning (a long sentence), one with an error
    (it reads far above the target grade); all approved. With the clinic's brand."""
    write_handout(folder, "good.yaml", id="good-topic")
    write_handout(folder, "wordy.yaml", id="wordy-topic", overview=[WORDY])
    write_handout(folder, "hard.yaml", id="hard-topic", overview=[HARD, HARD])
    if brand:
        write_brand(folder)
    return folder


def test_an_error_builds_nothing_for_that_handout_and_the_others_are_built(
    tmp_path: Path,
) -> None:
    library(tmp_path / "h")
    done = run_cli("build", "h", "-o", "out", "-j", "2", cwd=tmp_path)
    assert done.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == [
        "good-topic.pdf",
        "wordy-topic.pdf",
    ]
    err = done.stdout.splitlines()  # findings go to standard output, with the summary
    failed = err.index("failed h/hard.yaml")
    assert err[failed + 1].startswith("  h/hard.yaml:3:1: title: the handout reads at grade ")
    assert err[failed + 1].endswith("[error HB-READ-001]")
    [warning] = [ln for ln in err if ln.startswith("warning: h/wordy.yaml")]
    assert warning.startswith("warning: h/wordy.yaml:16:3: overview[0]: a sentence of 36 words")
    assert warning.endswith("[warning HB-READ-003]")
    assert done.stdout.splitlines()[-1].startswith("2 built, 1 failed (3 handouts in ")


def test_the_same_checks_as_handout_check(tmp_path: Path) -> None:
    library(tmp_path / "h")
    checked = run_cli("check", "h", cwd=tmp_path)
    built = run_cli("build", "h", "-o", "out", cwd=tmp_path)
    found = {ln.strip().removeprefix("warning: ") for ln in built.stdout.splitlines()}
    findings = [ln for ln in checked.stdout.splitlines() if ln.endswith("]") and " [" in ln]
    assert findings
    for line in findings:
        assert line in found


def test_warnings_and_errors_go_into_the_reports(tmp_path: Path) -> None:
    library(tmp_path / "h")
    run_cli("build", "h", "-o", "out", "--report", "b.json", "--junit", "j.xml", cwd=tmp_path)
    report = json.loads((tmp_path / "b.json").read_text())
    entries = {e["id"]: e for e in report["handouts"]}
    [warning] = entries["wordy-topic"]["warnings"]
    assert (warning["rule"], warning["line"], warning["column"]) == ("HB-READ-003", 16, 3)
    assert entries["hard-topic"]["status"] == "failed"
    assert entries["hard-topic"]["output"] is None
    assert [e["rule"] for e in entries["hard-topic"]["errors"]] == ["HB-READ-001"]
    assert report["brand"] == {"warnings": []}
    cases = {c.get("name"): c for c in ET.parse(tmp_path / "j.xml").getroot().iter("testcase")}
    failure = cases["h/hard.yaml"].find("failure")
    assert failure is not None and "[error HB-READ-001]" in (failure.get("message") or "")
    err = cases["h/wordy.yaml"].find("system-err")
    assert err is not None and "[warning HB-READ-003]" in (err.text or "")


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    library(tmp_path / "h")
    done = run_cli("build", "h", "-o", "out", "--strict", cwd=tmp_path)
    assert done.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == ["good-topic.pdf"]
    assert "failed h/wordy.yaml" in done.stdout


def test_the_settings_file_is_honoured_and_its_change_rebuilds(tmp_path: Path) -> None:
    library(tmp_path / "h")
    (tmp_path / "handout.toml").write_text('[rules]\nreading-grade = "warning"\n')
    first = run_cli("build", "h", "-o", "out", cwd=tmp_path)
    assert first.exit_code == 0, first.output
    assert "[warning HB-READ-001]" in first.stdout
    (tmp_path / "handout.toml").write_text('[rules]\nreading-grade = "error"\n')
    second = run_cli("build", "h", "-o", "out", cwd=tmp_path)
    assert second.exit_code == 1 and "failed h/hard.yaml" in second.stdout


def test_skipped_pdfs_report_their_warnings_again(tmp_path: Path) -> None:
    library(tmp_path / "h")
    run_cli("build", "h", "-o", "out", cwd=tmp_path)
    again = run_cli("build", "h", "-o", "out", cwd=tmp_path)
    assert "up to date h/wordy.yaml" in again.stdout
    assert "[warning HB-READ-003]" in again.stdout
    assert "failed h/hard.yaml" in again.stdout  # a failed handout is checked every time


# --- the brand -------------------------------------------------------------------------------


def test_the_built_in_brand_gives_one_warning(tmp_path: Path) -> None:
    write_handout(tmp_path / "h", "a.yaml", id="one-topic")
    write_handout(tmp_path / "h", "b.yaml", id="two-topic")
    done = run_cli("build", "h", "-o", "out", cwd=tmp_path)
    assert done.exit_code == 0
    [warning] = [ln for ln in done.stdout.splitlines() if ln.startswith("warning: ")]
    assert warning.endswith("[warning HB-GOV-009]")
    assert done.stdout.splitlines()[-2] == warning  # after the handouts, beside the summary
    assert "placeholder: this is the built-in brand, so the leaflets carry placeholder contact" in (
        warning
    )
    assert "(Your Clinic · Phone: 555-0100 · example.org)" in warning
    report = run_cli("build", "h", "-o", "out", "--report", "r.json", cwd=tmp_path)
    assert report.exit_code == 0
    [stored] = json.loads((tmp_path / "r.json").read_text())["brand"]["warnings"]
    assert stored["rule"] == "HB-GOV-009" and stored["path"] == "placeholder"


def test_a_brand_whose_checks_fail_stops_the_build_before_it_starts(tmp_path: Path) -> None:
    library(tmp_path / "h")
    (tmp_path / "h" / "brand.yaml").write_text(CLINIC_BRAND + 'colours:\n  muted: "#BBBBBB"\n')
    done = run_cli("build", "h", "-o", "out", cwd=tmp_path)
    assert done.exit_code == 1
    assert not (tmp_path / "out").exists()
    assert done.stdout.splitlines() == [
        "h/brand.yaml:8:10: colours.muted: muted #BBBBBB on white #FFFFFF (subtitle, captions, "
        "disclaimer and footer) has a contrast ratio of 1.92:1; it needs 4.5:1 or more: make "
        "muted darker [error HB-DESIGN-001]",
    ]
    assert done.stderr == "nothing was built: the brand's checks failed\n"
    with pytest.raises(HandoutError, match=r"contrast ratio of 1\.92"):
        api.build([tmp_path / "h"], tmp_path / "out")


# --- release builds --------------------------------------------------------------------------


def release_library(folder: Path) -> Path:
    """An approved handout, a draft, one changed since it was approved, one overdue for review,
    one with placeholder text; the clinic's brand."""
    write_handout(folder, "approved.yaml", id="approved-topic")
    write_handout(folder, "draft.yaml", id="draft-topic", draft=True)
    changed = write_handout(folder, "changed.yaml", id="changed-topic")
    changed.write_text(changed.read_text().replace("OVERVIEW-MARK", "OVERVIEW-EDITED"))
    write_yaml(
        folder / "overdue.yaml",
        approved(
            handout_data(
                draft=True, id="overdue-topic", last_reviewed="2025-01-01", review_due="2026-01-01"
            )
        ),
    )
    write_handout(
        folder,
        "placeholder.yaml",
        id="placeholder-topic",
        references=[{"citation": "A source.", "url": "https://example.com/x"}],
    )
    write_brand(folder)
    return folder


def test_a_release_refuses_each_with_one_positioned_line(tmp_path: Path) -> None:
    release_library(tmp_path / "h")
    done = run_cli("build", "h", "-o", "out", "--release", cwd=tmp_path)
    assert done.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == ["approved-topic.pdf"]
    refusals = sorted(ln.strip() for ln in done.stdout.splitlines() if ln.startswith("  "))
    assert refusals == [
        "h/changed.yaml:24:9: status: changed since it was approved on 2026-01-02 by Test "
        "Approver, MD — approve it again [error HB-GOV-008]",
        "h/draft.yaml:2:9: status: a draft is not approved for patient use, so a release build "
        "refuses it: approve it with 'handout approve draft-topic --by \"Name, credentials\"' "
        "[error HB-GOV-010]",
        f"h/overdue.yaml:7:13: review_due: the review was due on 2026-01-01 "
        f"({(dt.date.today() - dt.date(2026, 1, 1)).days} days ago): have it reviewed, then "
        "update last_reviewed and review_due [error HB-GOV-001]",
        "h/placeholder.yaml:23:16: references[0].url: 'example.com' is an example address "
        "(reserved for examples): replace it with the real one [error HB-GOV-009]",
    ]


def test_a_release_refuses_what_settings_and_allow_entries_would_let_through(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "h"
    write_handout(
        folder,
        "placeholder.yaml",
        id="placeholder-topic",
        references=[{"citation": "A source.", "url": "https://example.com/x"}],
        allow=[{"rule": "placeholder-text", "at": "references", "reason": "we know; it is fine"}],
    )
    write_brand(folder)
    (tmp_path / "handout.toml").write_text('[rules]\nplaceholder-text = "off"\n')
    assert run_cli("build", "h", "-o", "out", cwd=tmp_path).exit_code == 0
    done = run_cli("build", "h", "-o", "rel", "--release", cwd=tmp_path)
    assert done.exit_code == 1 and "[error HB-GOV-009]" in done.stdout


def test_a_release_with_the_built_in_brand_builds_nothing(tmp_path: Path) -> None:
    write_handout(tmp_path / "h", "a.yaml", id="one-topic")
    done = run_cli("build", "h", "-o", "out", "--release", cwd=tmp_path)
    assert done.exit_code == 1 and not (tmp_path / "out").exists()
    [refusal] = done.stdout.splitlines()
    assert "brand.yaml:3:1: placeholder: this is the built-in brand" in refusal
    assert refusal.endswith("[error HB-GOV-009]")
    assert done.stderr == "nothing was built: the brand's checks failed\n"


def test_a_release_refuses_a_brand_with_placeholder_details(tmp_path: Path) -> None:
    write_handout(tmp_path / "h", "a.yaml", id="one-topic")
    (tmp_path / "h" / "brand.yaml").write_text(
        CLINIC_BRAND.replace("614-555-2368", "555-0142").replace(
            "northside-family.org", "www.example.org"
        )
    )
    done = run_cli("build", "h", "-o", "out", "--release", cwd=tmp_path)
    assert done.exit_code == 1
    assert done.stdout.splitlines()[:2] == [
        "h/brand.yaml:3:18: contact.phone: '555-0142' is a fictional telephone number "
        "(555-0100 to 555-0199): replace it with your clinic's [error HB-GOV-009]",
        "h/brand.yaml:4:12: contact.website: 'www.example.org' is an example address (reserved "
        "for examples): replace it with your clinic's [error HB-GOV-009]",
    ]


def test_check_release_reports_the_same_refusals_without_building(tmp_path: Path) -> None:
    release_library(tmp_path / "h")
    done = run_cli("check", "h", "--release", cwd=tmp_path)
    assert done.exit_code == 1 and not (tmp_path / "dist").exists()
    assert "[error HB-GOV-010]" in done.stdout and "[error HB-GOV-008]" in done.stdout


def test_a_release_reuses_no_pdf_of_another_build(tmp_path: Path) -> None:
    release_library(tmp_path / "h")
    run_cli("build", "h", "-o", "out", cwd=tmp_path)  # drafts built, marked
    assert (tmp_path / "out" / "draft-topic.pdf").is_file()
    done = run_cli("build", "h", "-o", "out", "--release", cwd=tmp_path)
    assert "up to date" not in done.stdout
    assert "failed h/draft.yaml" in done.stdout


# --- retired handouts ------------------------------------------------------------------------


def test_a_retired_handout_is_never_built_and_its_old_pdf_is_stale(tmp_path: Path) -> None:
    folder = tmp_path / "h"
    path = write_handout(folder, "old.yaml", id="old-topic")
    write_handout(folder, "new.yaml", id="new-topic")
    run_cli("build", "h", "-o", "out", cwd=tmp_path)
    assert (tmp_path / "out" / "old-topic.pdf").is_file()
    path.write_text(path.read_text().replace("status: approved", "status: retired"))
    done = run_cli("build", "h", "-o", "out", "--report", "r.json", cwd=tmp_path)
    assert done.exit_code == 0
    assert "retired h/old.yaml (status: retired; not built)" in done.stdout
    assert "stale   out/old-topic.pdf (made from h/old.yaml, which is gone, retired" in done.stdout
    summary = json.loads((tmp_path / "r.json").read_text())["summary"]
    assert (summary["retired"], summary["stale"]) == (1, 1)
    cleaned = run_cli("build", "h", "-o", "out", "--clean", cwd=tmp_path)
    assert cleaned.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == ["new-topic.pdf"]
    listed = run_cli("list", "h", "--json", cwd=tmp_path)
    assert [row["id"] for row in json.loads(listed.stdout)["handouts"]] == ["new-topic"]
