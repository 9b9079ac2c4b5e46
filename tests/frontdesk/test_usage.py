"""The usage log: one line per packet with time, topics, languages and layout, never the
patient; and ``handout usage FILE`` summarising it per month and topic."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from fixtures import AMI, KNEE, LONG, run_cli, write_library
from handout_builder import frontdesk as web
from handout_builder.frontdesk.catalogue import Catalogue
from handout_builder.frontdesk.usage import UsageLog, summarise

NAME = "Zoë O'Brien"
NOTE = "Private note: start 10 mg on Monday"


def test_each_packet_adds_a_line_without_the_patient(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "usage.jsonl"
    catalogue = Catalogue([write_library(tmp_path / "handouts")])
    client = web.create_app(catalogue, usage_log=UsageLog(log_file)).test_client()
    form = {
        "topic": [AMI, LONG],
        "patient": NAME,
        "note": NOTE,
        "from": "Dr Lee",
        "date": "1950-04-01",
        "size": "large",
        "paper": "a4",
        "action": "download",
    }
    assert client.post("/packet", data=form).status_code == 200
    assert client.post("/packet", data={"topic": [KNEE]}).status_code == 200
    assert client.post("/packet", data={"topic": [KNEE], "date": "bad"}).status_code == 400
    text = log_file.read_text(encoding="utf-8")
    for private in ("Zoë", "Brien", "Monday", "Dr Lee", "1950"):
        assert private not in text
    first, second = (json.loads(line) for line in text.splitlines())
    assert first["topics"] == [AMI, LONG] and first["languages"] == ["en", "en"]
    assert first["layout"] == "large-print" and first["paper"] == "a4"
    assert first["action"] == "download" and first["pages"] >= 3
    assert set(first) == {"time", "topics", "languages", "layout", "paper", "pages", "action"}
    assert dt.datetime.fromisoformat(first["time"]).tzinfo is not None
    assert second["topics"] == [KNEE] and second["layout"] == "regular"
    assert second["action"] == "print"


def test_usage_summary_per_month_and_topic(tmp_path: Path) -> None:
    log_file = tmp_path / "usage.jsonl"
    log = UsageLog(log_file)
    catalogue = Catalogue([write_library(tmp_path / "handouts")])
    ami, knee = catalogue.get(AMI), catalogue.get(KNEE)
    assert ami and knee
    for when, topics in [
        (dt.datetime(2026, 1, 5, tzinfo=dt.UTC), [ami, knee]),
        (dt.datetime(2026, 1, 20, tzinfo=dt.UTC), [knee]),
        (dt.datetime(2026, 2, 1, tzinfo=dt.UTC), [ami]),
    ]:
        log.record(topics, layout="regular", paper="letter", pages=3, action="print", when=when)
    with log_file.open("a", encoding="utf-8") as out:
        out.write('{"time": "broken\n')  # a line cut short by a crash
    summary = summarise(log_file)
    assert summary.packets == {"2026-01": 2, "2026-02": 1}
    assert summary.given == {
        ("2026-01", AMI, "en"): 1,
        ("2026-01", KNEE, "en"): 2,
        ("2026-02", AMI, "en"): 1,
    }
    assert summary.skipped == 1
    result = run_cli("usage", log_file)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["MONTH", "TOPIC", "LANG", "GIVEN"]
    assert lines[2].split() == ["2026-01", KNEE, "en", "2"]
    assert "2026-02: 1 packet" in lines
    assert "skipped 1 line that could not be read" in result.stderr
    data = json.loads(run_cli("usage", log_file, "--json").stdout)
    assert data["packets"] == {"2026-01": 2, "2026-02": 1}
    assert {"month": "2026-02", "topic": AMI, "language": "en", "given": 1} in data["topics"]


def test_usage_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("usage", tmp_path / "nope.jsonl")
    assert result.exit_code == 1
    assert "cannot read" in result.stderr and "No such file" in result.stderr
