"""The front desk offers only approved handouts: drafts only to reviewers (``--drafts``), plainly
marked; a handout that fails its checks, or changed since it was approved, is shown unavailable
with a reason staff can pass on; retired handouts are never shown or printed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fixtures import (
    DRAFT_NOTICE,
    approved,
    flat,
    library_handout,
    pdf_pages,
    results,
    write_yaml,
)
from handout_builder.cli import main
from handout_builder.errors import PacketError
from handout_builder.frontdesk import web
from handout_builder.frontdesk.catalogue import Catalogue
from handout_builder.frontdesk.packet import build_bundle

APPROVED, DRAFT, CHANGED, RETIRED, FAILING = (
    "approved-topic",
    "draft-topic",
    "changed-topic",
    "retired-topic",
    "failing-topic",
)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "handouts"
    folder.mkdir()
    write_yaml(folder / "approved.yaml", library_handout(APPROVED, "Approved topic"))
    write_yaml(folder / "draft.yaml", library_handout(DRAFT, "Draft topic", draft=True))
    changed = library_handout(CHANGED, "Changed topic")
    changed["overview"] = [*changed["overview"], "A sentence added after approval."]
    write_yaml(folder / "changed.yaml", changed)
    write_yaml(
        folder / "retired.yaml",
        approved(library_handout(RETIRED, "Retired topic")) | {"status": "retired"},
    )
    failing = library_handout(FAILING, "Failing topic", draft=True)
    del failing["seek_care"]  # no "When to get help": an error of the safety checks
    write_yaml(folder / "failing.yaml", approved(failing))
    return folder


def test_only_approved_handouts_are_offered(library: Path) -> None:
    catalogue = Catalogue([library])
    topics = {t.id: t for t in catalogue.topics()}
    assert sorted(topics) == [APPROVED, CHANGED, FAILING]  # no draft, nothing retired
    assert topics[APPROVED].available and not topics[APPROVED].draft
    assert not topics[CHANGED].available and not topics[FAILING].available
    assert topics[CHANGED].reason == (
        "Not available: it was changed after it was approved, and must be approved again "
        "before it is given to patients. Please tell the person who looks after the handouts "
        f"(file {library / 'changed.yaml'})."
    )
    assert topics[FAILING].reason.startswith(
        "Not available: it did not pass its safety and reading checks. Please tell"
    )
    assert [p.rule for p in topics[FAILING].problems] == ["HB-SAFE-001"]
    assert catalogue.hidden(DRAFT) == "draft" and catalogue.hidden(RETIRED) == "retired"
    assert catalogue.waiting() == 1 and Catalogue([library], drafts=True).waiting() == 0


def test_the_page_and_serve_say_how_many_drafts_wait(library: Path) -> None:
    """A newcomer's page is never silently empty: it says drafts wait for approval."""
    page = web.create_app(Catalogue([library])).test_client().get("/").text
    assert "1 handout is a draft waiting for a clinician&#39;s approval" in page
    reviewing = web.create_app(Catalogue([library], drafts=True)).test_client().get("/").text
    assert "waiting for a clinician" not in reviewing


def test_the_page_shows_the_reason_and_the_details_apart(library: Path) -> None:
    items = results(web.create_app(Catalogue([library])).test_client().get("/").text)
    assert set(items) == {APPROVED, "Changed topic", "Failing topic"}
    failing = items["Failing topic"]
    assert (
        "Unavailable Not available: it did not pass its safety and reading checks."
        in (failing["text"])
    )
    assert "Details for the handout editor (1 problem)" in failing["text"]
    assert "[error HB-SAFE-001]" in failing["text"]
    assert (
        "Review copy mode" not in web.create_app(Catalogue([library])).test_client().get("/").text
    )


def test_drafts_and_retired_handouts_cannot_be_printed(library: Path) -> None:
    catalogue = Catalogue([library])
    with pytest.raises(PacketError) as caught:
        build_bundle([DRAFT, RETIRED, "no-such-topic"], catalogue)
    unknown, *hidden = caught.value.reasons
    assert unknown.startswith("There is no topic with the id 'no-such-topic'")
    assert hidden == [
        f"'{DRAFT}' is a draft, not approved for patient use: only a reviewer's copy (with "
        "drafts shown) can include it.",
        f"'{RETIRED}' is retired: it is no longer given to patients.",
    ]
    client = web.create_app(catalogue).test_client()
    response = client.post("/packet", data={"topic": [DRAFT]})
    assert response.status_code == 400 and "is a draft, not approved" in response.text


def test_reviewers_see_drafts_plainly_marked(library: Path) -> None:
    catalogue = Catalogue([library], drafts=True)
    client = web.create_app(catalogue).test_client()
    page = client.get("/").text
    assert "Review copy mode:" in page
    items = results(page)
    assert set(items) == {APPROVED, DRAFT, CHANGED, "Failing topic"}  # still nothing retired
    assert "Draft — not approved for patient use" in items[DRAFT]["text"]
    assert "Draft — not approved" in items[CHANGED]["text"]  # changed: a draft again
    assert "Draft —" not in items[APPROVED]["text"]
    packet = client.post("/packet", data={"topic": [APPROVED, DRAFT]})
    assert packet.status_code == 200
    pages = pdf_pages(packet.data)
    cover = flat(pages[0])
    assert cover.startswith(DRAFT_NOTICE)
    assert "1. Approved topic (1 page)" in cover and "2. Draft topic (draft) (1 page)" in cover
    assert DRAFT_NOTICE not in pages[1]  # the approved handout's own page says who approved it
    assert DRAFT_NOTICE in pages[2]


def test_bundle_takes_a_draft_only_with_drafts(library: Path, tmp_path: Path) -> None:
    target = tmp_path / "packet.pdf"
    runner = CliRunner()
    refused = runner.invoke(main, ["bundle", str(library), DRAFT, "-o", str(target)])
    assert refused.exit_code == 2 and not target.exists()
    assert "is a draft, not approved for patient use" in refused.stderr
    done = runner.invoke(main, ["bundle", str(library), DRAFT, "-o", str(target), "--drafts"])
    assert done.exit_code == 0, done.output
    assert done.stderr == (
        f"warning: drafts, marked DRAFT on every page: {DRAFT}; not for patients\n"
    )
    assert all(DRAFT_NOTICE in page for page in pdf_pages(target.read_bytes()))
