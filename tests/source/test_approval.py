"""Approval: the fingerprint counts what a patient could read and nothing else; ``handout approve``
edits the file in place, every other byte kept; an approval holds only while the content is the
content that was approved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fixtures import run_cli
from handout_builder.model import Handout
from handout_builder.source.approval import (
    ApprovalEditError,
    approval_for,
    approved_text,
    fingerprint,
    standing,
)
from handout_builder.source.reader import parse_source
from handout_builder.source.validation import validate

TODAY = dt.date.today()
DRAFT = """\
# Knee pain: a draft.   (a comment, kept as it is)
schema: 2
status: draft          # draft until a clinician approves it
id: knee-pain-basics
title: Knee pain and how to ease it
language: en
version: "1.0"
last_reviewed: 2026-01-10
review_due: 2099-01-10
reviewed_by: Dr Ana Ruiz, family doctor

overview:
  # two short paragraphs
  - Knee pain is common. Most knee pain gets better in a few weeks with rest and gentle exercise.
  - 'Rest your knee,   but keep moving a little each day.'
seek_care:
  emergency:
    items:
      - You cannot stand on your leg at all.
      - "Your leg is cold, pale or numb. Call {emergency_number}."
references:
  - citation: "NHS. Knee pain. 2024."
    url: https://www.nhs.uk/conditions/knee-pain/
key_points:
  - Most knee pain gets better in a few weeks.
  - Rest your knee, but keep moving a little each day.
  - "Call {emergency_number} if your leg is cold, pale or numb."
"""


def handout(text: str) -> Handout:
    return validate(parse_source(text, "knee.yaml"), Handout)


def test_comments_key_order_quoting_and_wrapping_do_not_change_the_fingerprint() -> None:
    same = (
        DRAFT.replace("  # two short paragraphs\n", "")
        .replace(
            "  - 'Rest your knee,   but keep moving a little each day.'",
            '  - "Rest your knee, but\n    keep moving a little each day."',
        )
        .replace('language: en\nversion: "1.0"', "version: '1.0'\nlanguage: en")
        .replace("status: draft          # draft until", "status: retired  # was")
    )
    assert same != DRAFT
    assert fingerprint(handout(same)) == fingerprint(handout(DRAFT))
    # a plain line and a written-out paragraph block are the same paragraph
    spelled = DRAFT.replace("  - Knee pain is common.", "  - paragraph: Knee pain is common.")
    assert fingerprint(handout(spelled)) == fingerprint(handout(DRAFT))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Most knee pain", "Most knee aches"),  # a word
        ("a few weeks", "a few days"),  # a fact
        ('version: "1.0"', 'version: "1.1"'),
        ("review_due: 2099-01-10", "review_due: 2099-01-11"),
        ("{emergency_number}", "911"),
        ("knee-pain/", "knee-pain"),  # a reference
        ("language: en", "language: en-GB"),
    ],
)
def test_any_change_of_content_changes_the_fingerprint(old: str, new: str) -> None:
    assert old in DRAFT
    assert fingerprint(handout(DRAFT.replace(old, new))) != fingerprint(handout(DRAFT))


def test_approving_writes_status_and_approval_and_keeps_every_other_byte() -> None:
    approval = approval_for(handout(DRAFT), "Jane Doe, MD", dt.date(2026, 11, 30))
    text = approved_text(DRAFT, approval)
    before, after = DRAFT.splitlines(keepends=True), text.splitlines(keepends=True)
    assert after[2] == "status: approved          # draft until a clinician approves it\n"
    assert after[3:8] == [
        "approval:\n",
        '  by: "Jane Doe, MD"\n',
        "  date: 2026-11-30\n",
        '  version: "1.0"\n',
        f"  fingerprint: {approval.fingerprint}\n",
    ]
    assert after[:2] + after[8:] == before[:2] + before[3:]
    again = handout(text)
    assert again.status == "approved" and again.approval == approval
    assert standing(again, parse_source(text, "knee.yaml")).status == "approved"


def test_approving_again_replaces_the_old_approval_only() -> None:
    first = approved_text(
        DRAFT, approval_for(handout(DRAFT), "Jane Doe, MD", dt.date(2026, 11, 30))
    )
    changed = first.replace("Most knee pain", "Most knee aches")
    second = approved_text(
        changed, approval_for(handout(changed), "Sam Lee, PharmD", dt.date(2026, 12, 1))
    )
    lines = second.splitlines()
    assert lines[3:6] == ["approval:", '  by: "Sam Lee, PharmD"', "  date: 2026-12-01"]
    assert second.count("approval:") == 1
    assert [ln for ln in second.splitlines() if "fingerprint" not in ln and "by:" not in ln][
        6:
    ] == [ln for ln in changed.splitlines() if "fingerprint" not in ln and "by:" not in ln][6:]
    assert standing(handout(second), parse_source(second, "k.yaml")).status == "approved"


def test_windows_line_endings_and_quoted_status_are_kept() -> None:
    crlf = DRAFT.replace("status: draft          #", 'status: "draft"  #').replace("\n", "\r\n")
    approval = approval_for(handout(crlf), "Jane Doe, MD", TODAY)
    text = approved_text(crlf, approval)
    assert "\n" not in text.replace("\r\n", "")
    assert "status: approved  # draft until" in text
    assert handout(text).approval == approval


def test_a_status_the_edit_cannot_place_is_refused() -> None:
    with pytest.raises(ApprovalEditError, match="no 'status:' line"):
        approved_text(
            DRAFT.replace("status: draft", "# no status"),
            approval_for(handout(DRAFT), "Jane Doe, MD", TODAY),
        )
    with pytest.raises(ApprovalEditError, match="block mapping"):
        approved_text("{schema: 2, status: draft}", approval_for(handout(DRAFT), "J, MD", TODAY))


def test_a_change_after_approval_makes_it_a_draft_with_a_positioned_message() -> None:
    approval = approval_for(handout(DRAFT), "Jane Doe, MD", dt.date(2026, 11, 30))
    edited = approved_text(DRAFT, approval).replace("a few weeks", "a few days")
    source = parse_source(edited, "knee.yaml")
    where = standing(validate(source, Handout), source)
    assert where.draft and where.approval is None
    assert str(where.changed) == (
        "knee.yaml:3:9: status: changed since it was approved on 2026-11-30 by Jane Doe, MD "
        "— approve it again"
    )


# --- the command -----------------------------------------------------------------------------


def project(tmp_path: Path, text: str = DRAFT) -> Path:
    folder = tmp_path / "handouts"
    folder.mkdir(parents=True)
    (folder / "knee.yaml").write_text(text, encoding="utf-8")
    return folder / "knee.yaml"


def test_handout_approve_then_check_then_an_edit(tmp_path: Path) -> None:
    path = project(tmp_path)
    done = run_cli("approve", "knee-pain-basics", "--by", "Jane  Doe,  MD", cwd=tmp_path)
    assert done.exit_code == 0, done.output
    assert done.stdout == (
        f"approved handouts/knee.yaml: version 1.0, by Jane Doe, MD, on {TODAY.isoformat()}\n"
    )
    assert 'by: "Jane Doe, MD"' in path.read_text()
    checked = run_cli("check", cwd=tmp_path)
    assert checked.exit_code == 0 and "HB-GOV" not in checked.stdout, checked.output
    path.write_text(path.read_text().replace("a few weeks", "a few days"))
    changed = run_cli("check", cwd=tmp_path)
    assert changed.exit_code == 0  # a warning: it is a draft again until approved again
    assert (
        f"handouts/knee.yaml:3:9: status: changed since it was approved on {TODAY.isoformat()} "
        "by Jane Doe, MD — approve it again [warning HB-GOV-008]\n"
    ) in changed.stdout
    listed = run_cli("list", "--json", cwd=tmp_path)
    assert '"status": "changed"' in listed.stdout
    assert (
        run_cli("approve", "knee-pain-basics", "--by", "Jane Doe, MD", cwd=tmp_path).exit_code == 0
    )
    assert "HB-GOV" not in run_cli("check", cwd=tmp_path).stdout


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("  - Knee pain is common.", "  - Knee pain is usually idiopathic and self-limiting."),
            'handouts/knee.yaml:14:5: overview[0]: "idiopathic" is medical jargon',
        ),
        (
            ("url: https://www.nhs.uk/conditions/knee-pain/", "url: https://example.org/knee"),
            "handouts/knee.yaml:23:18: references[0].url: 'example.org' is an example address "
            "(reserved for examples): replace it with the real one [error HB-GOV-009]",
        ),
        (
            ("review_due: 2099-01-10", "review_due: 2026-01-11"),
            "handouts/knee.yaml:9:13: review_due: the review was due on 2026-01-11",
        ),
        (
            (
                "schema: 2\nstatus: draft          # draft until a clinician approves it\n",
                "schema: 1\n",
            ),
            "handouts/knee.yaml:2:9: schema: approval needs schema 2",
        ),
        (
            ("status: draft ", "status: retired "),
            "handouts/knee.yaml:3:9: status: a retired handout cannot be approved",
        ),
        (
            ("seek_care:\n  emergency:", "seek_care:\n  today:"),
            "handouts/knee.yaml:16:1: seek_care: seek_care has no emergency tier",
        ),
    ],
    ids=["warning-only", "placeholder", "overdue", "schema-1", "retired", "check-error"],
)
def test_approval_is_refused_while_a_check_or_a_release_would_refuse(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    assert change[0] in DRAFT
    path = project(tmp_path, DRAFT.replace(*change))
    before = path.read_bytes()
    done = run_cli("approve", "knee-pain-basics", "--by", "Jane Doe, MD", cwd=tmp_path)
    if change[1].endswith("self-limiting."):  # a warning never stops an approval
        assert done.exit_code == 0, done.output
        assert done.stdout.startswith("warning: " + expected)
        return
    assert done.exit_code == 1, done.output
    assert expected in done.stderr and "Traceback" not in done.output
    assert path.read_bytes() == before


def test_approve_needs_a_name_with_credentials_and_a_known_id(tmp_path: Path) -> None:
    project(tmp_path)
    for by in ("Jane Doe", "", ", MD", "   "):
        done = run_cli("approve", "knee-pain-basics", "--by", by, cwd=tmp_path)
        assert done.exit_code == 2 and "name and credentials" in done.stderr, by
    unknown = run_cli("approve", "knee-pain", "--by", "Jane Doe, MD", cwd=tmp_path)
    assert unknown.exit_code == 2
    assert unknown.stderr == "Error: no handout has the id 'knee-pain' (ids: knee-pain-basics)\n"


def test_an_unreadable_file_is_named_when_the_id_is_not_found(tmp_path: Path) -> None:
    project(tmp_path, DRAFT.replace("schema: 2\n", "schema: 2\nsubtitle: [\n"))
    done = run_cli("approve", "knee-pain-basics", "--by", "Jane Doe, MD", cwd=tmp_path)
    assert done.exit_code == 2
    assert done.stderr == (
        "Error: no handout has the id 'knee-pain-basics' (ids: none; not readable: "
        "handouts/knee.yaml, see 'handout check')\n"
    )
