"""Batch builds: parallel == serial, incremental skips, stale PDFs, reports, exit codes, progress,
crashing workers, Ctrl-C and the Executor API. Handouts are small files written into tmp_path.

Faults are made to happen at a known moment through ``batch.atomic``'s fault injection point
(``HANDOUT_BUILDER_FAULT``, see its docstring), set only in the environment of child processes:
a real ``python -m handout_builder build``, or the workers of a pool or a cluster."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner
from PIL import Image

from fixtures import write_brand
from handout_builder import api, pipeline
from handout_builder.batch.atomic import FAULT
from handout_builder.batch.manifest import NAME as MANIFEST
from handout_builder.batch.progress import BuildProgress
from handout_builder.batch.runner import CRASHED
from handout_builder.cli import main
from handout_builder.source import starter
from handout_builder.source.starter import starter_text

TODAY = dt.date(2026, 6, 1)


# --- helpers for this file ------------------------------------------------------------------


def handout(
    folder: Path,
    hid: str,
    *,
    name: str | None = None,
    reviewed: dt.date = TODAY,
    image: bool = False,
    extra: str = "",
) -> Path:
    """A small valid handout (a draft: the starter with its placeholders filled in), optionally
    showing picture.png."""
    text = filled_starter(hid, reviewed)
    folder.mkdir(parents=True, exist_ok=True)
    if image:
        picture(folder / "picture.png")
        text = text.replace(
            "symptoms: []",
            "symptoms:\n  - image:\n      src: picture.png\n      alt: A small square",
        )
    path = folder / (name or f"{hid}.yaml")
    path.write_text(text + extra, encoding="utf-8")
    return path


def filled_starter(hid: str, reviewed: dt.date) -> str:
    """The starter with real-looking text in place of its placeholders: no check finds anything
    in it."""
    text = starter_text(hid, reviewed)
    for n, placeholder in enumerate(starter.PLACEHOLDER_TEXTS):
        text = text.replace(placeholder, f"Line {n} of a short test handout.")
    return text.replace("https://example.org/", "https://medlineplus.gov/")


def picture(path: Path, colour: str = "navy") -> None:
    Image.new("RGB", (40, 30), colour).save(path)


def corpus(folder: Path, count: int = 4) -> Path:
    for n in range(count):
        handout(folder, f"topic-{n:02d}", image=n == 0)
    return folder


def pdfs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}


def by_status(results: list[pipeline.BuildResult]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in results:
        out.setdefault(r.status, []).append(r.handout_id or "")
    return out


def build(src: Path, out: Path, **kw: object) -> list[pipeline.BuildResult]:
    return api.build([src], out, today=TODAY, **kw)  # type: ignore[arg-type]


def cli(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


EPOCH = "1767225600"


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


# --- parallel and reproducible ---------------------------------------------------------------


def test_parallel_pdfs_are_byte_identical_to_serial(tmp_path: Path, epoch: None) -> None:
    src = corpus(tmp_path / "h")
    serial = build(src, tmp_path / "one", jobs=1)
    parallel = build(src, tmp_path / "two", jobs=2)
    assert [r.status for r in serial] == ["built"] * 4
    assert [r.status for r in parallel] == ["built"] * 4
    assert len(pdfs(tmp_path / "one")) == 4
    assert pdfs(tmp_path / "one") == pdfs(tmp_path / "two")
    assert [r.sha256 for r in serial] == [r.sha256 for r in parallel]
    again = build(src, tmp_path / "one", jobs=2, force=True)
    assert {r.status for r in again} == {"built"}
    assert pdfs(tmp_path / "one") == pdfs(tmp_path / "two")


@contextlib.contextmanager
def dask_executor(**cluster: Any) -> Iterator[Executor]:
    """The executor of a Dask ``LocalCluster`` (``client.get_executor()``), as on a cluster."""
    from distributed import Client, LocalCluster

    settings = {"n_workers": 1, "threads_per_worker": 2, "dashboard_address": None, **cluster}
    with LocalCluster(**settings) as local, Client(local) as client:
        yield client.get_executor()


@contextlib.contextmanager
def standard_executor(pool: type, **options: Any) -> Iterator[Executor]:
    with pool(max_workers=2, **options) as executor:
        yield executor


EXECUTORS = {
    "threads": functools.partial(standard_executor, ThreadPoolExecutor),
    "processes": functools.partial(standard_executor, ProcessPoolExecutor),
    "dask": functools.partial(dask_executor, processes=False),
}


@pytest.mark.parametrize("kind", EXECUTORS)
def test_any_executor_builds_the_same_pdfs(tmp_path: Path, epoch: None, kind: str) -> None:
    src = corpus(tmp_path / "h")
    build(src, tmp_path / "serial")
    with EXECUTORS[kind]() as executor:
        results = build(src, tmp_path / "pooled", executor=executor)
    assert [r.status for r in results] == ["built"] * 4
    assert pdfs(tmp_path / "pooled") == pdfs(tmp_path / "serial")
    text = pypdf.PdfReader(tmp_path / "pooled" / "topic-01.pdf").pages[0].extract_text()
    assert "Topic 01" in text


def _worker_epoch(value: str | None) -> None:
    """A worker process's own SOURCE_DATE_EPOCH (a pool's initializer)."""
    if value is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = value


@pytest.mark.parametrize("worker_epoch", [None, "946684800"], ids=["unset", "another"])
def test_workers_use_the_clients_epoch_not_their_own(
    tmp_path: Path, epoch: None, worker_epoch: str | None
) -> None:
    """On a cluster only the client (CI) has SOURCE_DATE_EPOCH: the epoch travels with the
    settings, so workers with none, or another, write the same bytes as the client would."""
    src = corpus(tmp_path / "h", 2)
    serial = build(src, tmp_path / "serial")
    with ProcessPoolExecutor(2, initializer=_worker_epoch, initargs=(worker_epoch,)) as pool:
        pooled = build(src, tmp_path / "pooled", executor=pool)
    assert [r.status for r in pooled] == ["built", "built"]
    assert pdfs(tmp_path / "pooled") == pdfs(tmp_path / "serial")
    assert [r.sha256 for r in pooled] == [r.sha256 for r in serial]
    entry = json.loads((tmp_path / "pooled" / MANIFEST).read_text())["entries"]["topic-00.pdf"]
    assert entry["settings"].endswith(f"SOURCE_DATE_EPOCH {EPOCH}")
    info = pypdf.PdfReader(tmp_path / "pooled" / "topic-00.pdf").metadata
    assert info["/CreationDate"].startswith("D:20260101000000")


def test_a_dask_cluster_with_a_worker_killed_mid_batch(tmp_path: Path, epoch: None) -> None:
    """Dask worker processes with an environment of their own: another SOURCE_DATE_EPOCH, and
    a fault that kills the worker writing crashing-topic.pdf (each time it is tried). That
    handout is reported as crashed (a handout beside it on the dead worker is tried again);
    the others are built, byte for byte as the client builds them."""
    import dask

    src = corpus(tmp_path / "h", 3)
    handout(src, "crashing-topic")
    serial = build(src, tmp_path / "serial")
    env = {"SOURCE_DATE_EPOCH": "946684800", FAULT: "kill-while-writing:crashing-topic.pdf"}
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        dask_executor(processes=True, n_workers=2, threads_per_worker=1, env=env) as executor,
    ):
        results = build(src, tmp_path / "cluster", executor=executor)
    failed = [r for r in results if r.status == "failed"]
    assert [r.source.name for r in failed] == ["crashing-topic.yaml"]
    assert failed[0].problems[0].message == CRASHED
    built = pdfs(tmp_path / "cluster")
    assert sorted(built) == [f"topic-{n:02d}.pdf" for n in range(3)]
    assert built == {k: v for k, v in pdfs(tmp_path / "serial").items() if k in built}
    assert [r for r in serial if r.status != "built"] == []
    # A task whose result the cluster lost may still have run to the end and staged its PDF in
    # a hidden file; once its worker is gone, the next build clears it away.
    again = build(src, tmp_path / "cluster")
    assert by_status(again)["skipped"] == ["topic-00", "topic-01", "topic-02"]
    assert [p.name for p in (tmp_path / "cluster").iterdir() if p.name.endswith(".tmp")] == []


# --- incremental ----------------------------------------------------------------------------


def test_unchanged_handouts_are_skipped_and_changes_rebuilt(tmp_path: Path) -> None:
    src = corpus(tmp_path / "h")
    out = tmp_path / "out"
    first = build(src, out, jobs=2)
    assert by_status(first) == {"built": ["topic-00", "topic-01", "topic-02", "topic-03"]}
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}

    second = build(src, out)
    assert by_status(second) == {"skipped": ["topic-00", "topic-01", "topic-02", "topic-03"]}
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")} == stamps
    assert second[1].pages == first[1].pages and second[1].sha256 == first[1].sha256

    handout(src, "topic-01", extra="audience: Teenagers\n".replace("audience", "# audience"))
    picture(src / "picture.png", "teal")  # the image topic-00 shows
    (out / "topic-02.pdf").write_bytes(b"%PDF-1.4 edited by hand")
    (out / "topic-03.pdf").unlink()
    third = build(src, out)
    assert by_status(third) == {"built": ["topic-00", "topic-01", "topic-02", "topic-03"]}

    fourth = build(src, out, force=True)
    assert by_status(fourth) == {"built": ["topic-00", "topic-01", "topic-02", "topic-03"]}


def loaded_by_build(cwd: Path, args: list[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of ``packages`` that ``handout build ARGS`` has loaded when it is done, in a
    fresh process."""
    script = (
        "import json, sys\n"
        "from handout_builder.cli import main\n"
        "try:\n"
        f"    main(['build', *{args!r}])\n"
        "finally:\n"
        f"    found = {{m.split('.')[0] for m in sys.modules if m.startswith({packages!r})}}\n"
        "    print(json.dumps(sorted(found)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd
    )
    return json.loads(done.stdout)


def test_a_build_with_nothing_to_do_loads_no_layout_engine(tmp_path: Path) -> None:
    """Checking the manifest needs none of the stages that lay out and write PDFs: the layouts,
    the page engine, pikepdf and the front desk stay unloaded until a handout has to be built
    (the brand is loaded: its checks run before every build)."""
    src = corpus(tmp_path / "h", 2)
    out = tmp_path / "out"
    build(src, out)
    heavy = ("pikepdf", "flask", "handout_builder.layout", "handout_builder.pdf.page")
    assert loaded_by_build(tmp_path, [str(src), "-o", str(out), "-q"], heavy) == []
    assert by_status(build(src, out)) == {"skipped": ["topic-00", "topic-01"]}


def test_a_one_file_build_loads_only_what_it_uses(tmp_path: Path) -> None:
    """Not the front desk (Flask), not pikepdf (only folded layouts and packets need it), not
    multiprocessing (one file is built in the process itself)."""
    one = handout(tmp_path / "h", "topic-00")
    unused = ("flask", "werkzeug", "waitress", "gunicorn", "pikepdf", "multiprocessing")
    args = [str(one), "-o", str(tmp_path / "out"), "-q"]
    assert loaded_by_build(tmp_path, args, unused) == []
    assert pdfs(tmp_path / "out")


def test_a_changed_brand_or_paper_rebuilds_everything(tmp_path: Path) -> None:
    src = corpus(tmp_path / "h", 2)
    out = tmp_path / "out"
    build(src, out)
    assert by_status(build(src, out, paper="a4")) == {"built": ["topic-00", "topic-01"]}
    brand = src / "brand.yaml"
    brand.write_text("organisation: Test Clinic\n", encoding="utf-8")
    assert by_status(build(src, out, paper="a4")) == {"built": ["topic-00", "topic-01"]}
    assert by_status(build(src, out, paper="a4")) == {"skipped": ["topic-00", "topic-01"]}
    brand.write_text("organisation: Another Clinic\n", encoding="utf-8")
    assert by_status(build(src, out, paper="a4")) == {"built": ["topic-00", "topic-01"]}


@pytest.mark.parametrize(
    "damage",
    [
        "{not json",
        '{"format": 1, "entries": []}',
        '{"format": 99}',
        "",
        "[1, 2]",
        '{"format": 1, "entries": {"x.pdf": {"source": 3}}}',
    ],
)
def test_a_corrupted_manifest_means_a_full_rebuild(tmp_path: Path, damage: str) -> None:
    src = corpus(tmp_path / "h", 2)
    out = tmp_path / "out"
    build(src, out)
    (out / MANIFEST).write_text(damage, encoding="utf-8")
    assert by_status(build(src, out)) == {"built": ["topic-00", "topic-01"]}
    assert json.loads((out / MANIFEST).read_text())["format"] == 2
    assert by_status(build(src, out)) == {"skipped": ["topic-00", "topic-01"]}


def test_deleted_handouts_leave_stale_pdfs_that_clean_removes(tmp_path: Path) -> None:
    src = corpus(tmp_path / "h", 3)
    out = tmp_path / "out"
    build(src, out)
    (src / "topic-02.yaml").unlink()
    handout(src, "renamed-topic", name="topic-01.yaml")  # same file, new id

    results = build(src, out)
    assert by_status(results) == {
        "skipped": ["topic-00"],
        "built": ["renamed-topic"],
        "stale": ["topic-01", "topic-02"],
    }
    stale = [r for r in results if r.status == "stale"]
    assert [r.output.name for r in stale] == ["topic-01.pdf", "topic-02.pdf"]
    assert (out / "topic-02.pdf").is_file()  # reported, not removed

    results = build(src, out, clean=True)
    assert by_status(results) == {
        "skipped": ["topic-00", "renamed-topic"],
        "removed": ["topic-01", "topic-02"],
    }
    assert sorted(pdfs(out)) == ["renamed-topic.pdf", "topic-00.pdf"]
    assert by_status(build(src, out, clean=True)) == {"skipped": ["topic-00", "renamed-topic"]}


def test_duplicate_ids_go_to_the_first_file_whatever_the_worker_order(tmp_path: Path) -> None:
    src = tmp_path / "h"
    handout(src, "same-topic", name="a.yaml")
    handout(src, "same-topic", name="b.yaml", extra="audience: Children\n".replace("aud", "#aud"))
    for n in range(3):
        handout(src, f"other-{n}")
    results = build(src, tmp_path / "out", jobs=2)
    [a, b] = [r for r in results if r.handout_id == "same-topic"]
    assert (a.source.name, a.status) == ("a.yaml", "built")
    assert (b.source.name, b.status) == ("b.yaml", "failed")
    assert "id 'same-topic' is already used by" in str(b.problems[-1])
    assert not list((tmp_path / "out").glob(".*.tmp"))


# --- failures, warnings and strict ----------------------------------------------------------


def test_bad_handouts_never_stop_the_others(tmp_path: Path) -> None:
    src = corpus(tmp_path / "h", 2)
    (src / "broken.yaml").write_text("schema: 1\nid: [broken\n", encoding="utf-8")
    handout(src, "no-picture", image=True)
    (src / "picture.png").unlink()
    results = build(src, tmp_path / "out", jobs=2)
    statuses = {r.source.name: r.status for r in results}
    assert statuses == {
        "broken.yaml": "failed",
        "no-picture.yaml": "failed",
        "topic-00.yaml": "failed",
        "topic-01.yaml": "built",
    }
    broken = next(r for r in results if r.source.name == "broken.yaml")
    assert (broken.problems[0].line, broken.problems[0].column) == (2, 5)  # the [ never closed
    assert broken.problems[0].message.startswith("YAML syntax error")


def test_review_dates_warn_or_fail_and_strict_fails_on_warnings(tmp_path: Path) -> None:
    src = tmp_path / "h"
    handout(src, "due-soon-topic", reviewed=TODAY - dt.timedelta(days=350))
    handout(src, "overdue-topic", reviewed=TODAY - dt.timedelta(days=400))
    handout(src, "current-topic")
    write_brand(src)  # the built-in brand's placeholder warning would fail a strict build
    out = tmp_path / "out"
    results = build(src, out)
    [current, soon, overdue] = results
    assert (current.status, soon.status, overdue.status) == ("built", "built", "failed")
    assert current.warnings == [] and not (out / "overdue-topic.pdf").exists()
    [warning] = soon.warnings
    assert (warning.path, warning.line, warning.rule) == ("review_due", 16, "HB-GOV-002")
    assert "the review is due in 15 days (2026-06-16)" in warning.message
    [error] = overdue.problems
    assert (error.path, error.rule) == ("review_due", "HB-GOV-001")
    assert "review was due on 2026-04-27 (35 days ago)" in error.message

    skipped = build(src, out)  # skipped handouts still carry their warnings
    assert [r.status for r in skipped] == ["skipped", "skipped", "failed"]
    assert skipped[1].warnings == soon.warnings

    strict = build(src, out, strict=True)
    assert [r.status for r in strict] == ["skipped", "failed", "failed"]
    assert strict[1].problems == soon.warnings


def test_a_review_date_that_falls_due_is_checked_again(tmp_path: Path) -> None:
    src = tmp_path / "h"
    handout(src, "a-topic", reviewed=TODAY - dt.timedelta(days=300))  # due in 65 days
    out = tmp_path / "out"
    assert [r.warnings for r in build(src, out)] == [[]]
    later = api.build([src], out, today=TODAY + dt.timedelta(days=40))
    assert [r.status for r in later] == ["built"]  # checked again, though nothing changed
    assert [w.rule for w in later[0].warnings] == ["HB-GOV-002"]
    assert [r.status for r in api.build([src], out, today=TODAY + dt.timedelta(days=41))] == [
        "skipped"
    ]
    gone = api.build([src], out, today=TODAY + dt.timedelta(days=70))
    assert [(r.status, [p.rule for p in r.problems]) for r in gone] == [("failed", ["HB-GOV-001"])]


# --- crashes and Ctrl-C ---------------------------------------------------------------------


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the crash is injected into workers forked from this process",
)
def test_a_crashing_worker_is_reported_and_the_rest_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.render_handout

    def render_or_die(handout, *args, **kwargs):
        if handout.id == "crashing-topic":
            os._exit(7)  # the worker process dies, as on a segfault or the OOM killer
        return real(handout, *args, **kwargs)

    monkeypatch.setattr(pipeline, "render_handout", render_or_die)
    src = corpus(tmp_path / "h", 5)
    handout(src, "crashing-topic")
    results = build(src, tmp_path / "out", jobs=2)
    crashed = [r for r in results if r.status == "failed"]
    assert [r.source.name for r in crashed] == ["crashing-topic.yaml"]
    assert crashed[0].problems[0].message == CRASHED
    assert sorted(pdfs(tmp_path / "out")) == [f"topic-{n:02d}.pdf" for n in range(5)]
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_ctrl_c_stops_cleanly_without_partial_pdfs(tmp_path: Path) -> None:
    """Ctrl-C while the batch is certainly under way: one worker is held halfway through writing
    topic-12.pdf until the test has sent SIGINT, so the batch cannot finish first."""
    src = corpus(tmp_path / "h", 24)
    out = tmp_path / "out"
    release = tmp_path / "release"
    proc = subprocess.Popen(
        [sys.executable, "-m", "handout_builder", "build", str(src), "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "SOURCE_DATE_EPOCH": EPOCH,
            FAULT: f"hold-while-writing:topic-12.pdf:{release}",
        },
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # a handout is done: the batch is under way
    assert first.startswith("built"), first + proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGINT)
    release.touch()  # only now may topic-12 be finished (and then discarded)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    manifest = json.loads((out / MANIFEST).read_text())
    left = list(out.glob("*.pdf"))
    assert left  # the first handout was built before Ctrl-C
    for pdf in left:  # every PDF left is whole, and the manifest knows it
        assert len(pypdf.PdfReader(pdf).pages) >= 1
        assert pdf.name in manifest["entries"]
    rest = build(src, out)
    assert {r.status for r in rest} <= {"built", "skipped"}
    assert len(pdfs(out)) == 24


# --- command line: exit codes, reports and output -------------------------------------------


def test_exit_codes(tmp_path: Path) -> None:
    src = corpus(tmp_path / "h", 2)
    out = str(tmp_path / "out")
    assert cli("build", str(src), "-o", out, "-j", "1").exit_code == 0
    (src / "broken.yaml").write_text("schema: 1\n", encoding="utf-8")
    assert cli("build", str(src), "-o", out).exit_code == 1
    assert cli("build", str(src), "-o", out, "--jobs", "0").exit_code == 2
    assert cli("build", str(tmp_path / "nowhere"), "-o", out).exit_code == 2
    assert cli("build", "--no-such-option").exit_code == 2


def test_json_and_junit_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    src = corpus(Path("h"), 2)
    (src / "broken.yaml").write_text("schema: 1\nid: ok-id\ntitle: [x\n", encoding="utf-8")
    result = cli("build", "h", "-o", "out", "--report", "r/build.json", "--junit", "r/junit.xml")
    assert result.exit_code == 1

    report = json.loads(Path("r/build.json").read_text())
    assert report["summary"] == {
        "handouts": 3,
        "built": 2,
        "skipped": 0,
        "failed": 1,
        "retired": 0,
        "stale": 0,
        "removed": 0,
    }
    entries = {e["source"]: e for e in report["handouts"]}
    good = entries["h/topic-00.yaml"]
    assert good["status"] == "built" and good["output"] == "out/topic-00.pdf"
    assert good["pages"] == len(pypdf.PdfReader("out/topic-00.pdf").pages) >= 1
    assert good["bytes"] == Path("out/topic-00.pdf").stat().st_size
    assert good["milliseconds"] > 0 and good["errors"] == [] and good["warnings"] == []
    [error] = entries["h/broken.yaml"]["errors"]
    assert (error["file"], error["line"], error["column"]) == ("h/broken.yaml", 3, 8)
    assert error["text"].startswith("h/broken.yaml:3:8: YAML syntax error")

    root = ET.parse("r/junit.xml").getroot()
    assert root.tag == "testsuites" and root.get("tests") == "3" and root.get("failures") == "1"
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == {"h/broken.yaml", "h/topic-00.yaml", "h/topic-01.yaml"}
    failure = cases["h/broken.yaml"].find("failure")
    assert failure is not None and failure.get("message") == error["text"]
    assert cases["h/topic-00.yaml"].find("failure") is None


def test_plain_lines_when_output_is_not_a_terminal(tmp_path: Path) -> None:
    src = corpus(tmp_path / "h", 2)
    result = cli("build", str(src), "-o", str(tmp_path / "out"))
    lines = result.stdout.splitlines()
    first, second = sorted(lines[:2])  # in the order the workers finish
    assert first.startswith("built  ") and "topic-00.pdf (2 pages," in first
    # the starter runs onto a second page (key facts, then the contact block); a one-page
    # line, "(1 page, ...)", is test_output.test_one_of_a_thing_is_singular's
    assert second.startswith("built  ") and "topic-01.pdf (2 pages," in second
    assert lines[-1].startswith("2 built, 0 failed (2 handouts in ")
    again = cli("build", str(src), "-o", str(tmp_path / "out")).stdout.splitlines()
    assert [line.split()[0] for line in again[:2]] == ["up", "up"]
    assert again[-1].startswith("0 built, 0 failed, 2 up to date")


def test_quiet_prints_only_failures(tmp_path: Path) -> None:
    src = corpus(tmp_path / "h", 2)
    (src / "broken.yaml").write_text("schema: 1\n", encoding="utf-8")
    result = cli("build", str(src), "-o", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("failed ") and lines[0].endswith("broken.yaml")
    assert lines[1:] and all(line.startswith("  ") for line in lines[1:])
    assert "field required" in result.stdout
    assert result.stderr == ""


def test_the_progress_bar_redraws_one_line(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    bar = BuildProgress(out, err, "bar")
    src = corpus(tmp_path / "h", 3)
    (src / "broken.yaml").write_text("schema: 1\n", encoding="utf-8")
    results = api.build([src], tmp_path / "out", today=TODAY, progress=bar)
    bar.finish(results, 1.0)
    drawn = err.getvalue()
    assert drawn.startswith("\r[------------------------] 0/4  0 built")  # before the first
    assert "\r[" in drawn and "4/4" in drawn and "3 built, 0 up to date, 1 failed" in drawn
    assert "\n" not in drawn  # one line, redrawn
    shown = out.getvalue()
    assert shown.startswith("failed ") and "broken.yaml" in shown
    assert shown.endswith("3 built, 1 failed (4 handouts in 1.0 s, 4.0/s)\n")


# --- --clean removes only what the builder wrote -----------------------------------------------


def doctor(out: Path, change: dict) -> None:
    """Rewrite the manifest's entries as a careless (or hostile) hand might."""
    data = json.loads((out / MANIFEST).read_text())
    entry = next(iter(data["entries"].values()))
    data["entries"] = {name: {**entry, **fields} for name, fields in change.items()}
    (out / MANIFEST).write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    "name", ["notes.txt", "../outside.pdf", "sub/x.pdf", ".hidden.pdf", "..", "x.pdf/..", ""]
)
def test_clean_never_deletes_a_file_a_doctored_manifest_names(tmp_path: Path, name: str) -> None:
    src = corpus(tmp_path / "h", 1)
    out = tmp_path / "out"
    build(src, out)
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    (out / "sub").mkdir()
    (out / "sub" / "x.pdf").write_bytes(b"%PDF keep")
    (out / ".hidden.pdf").write_bytes(b"%PDF keep")
    (tmp_path / "outside.pdf").write_bytes(b"%PDF keep")
    doctor(out, {name: {"source": "../h/gone.yaml", "handout_id": "gone"}})
    results = build(src, out, clean=True)
    assert {r.status for r in results} == {"built"}  # a manifest like that is not trusted
    assert (out / "notes.txt").read_text() == "keep me"
    assert (out / "sub" / "x.pdf").is_file() and (out / ".hidden.pdf").is_file()
    assert (tmp_path / "outside.pdf").is_file()


def test_clean_keeps_a_stale_pdf_changed_since_it_was_built(tmp_path: Path) -> None:
    src = corpus(tmp_path / "h", 3)
    out = tmp_path / "out"
    build(src, out)
    for n in (1, 2):
        (src / f"topic-0{n}.yaml").unlink()
    (out / "topic-01.pdf").write_bytes(b"%PDF-1.7 someone's own file now")
    (out / "topic-02.pdf").unlink()
    (out / "topic-02.pdf").symlink_to(tmp_path / "h" / "topic-00.yaml")
    results = build(src, out, clean=True)
    assert by_status(results) == {"skipped": ["topic-00"], "stale": ["topic-01", "topic-02"]}
    kept = [r for r in results if r.status == "stale"]
    assert all("not removed: it was changed after it was built" in str(r.warnings) for r in kept)
    assert (out / "topic-01.pdf").read_bytes() == b"%PDF-1.7 someone's own file now"
    assert (out / "topic-02.pdf").is_symlink() and (src / "topic-00.yaml").is_file()
    printed = cli("build", str(src), "-o", str(out), "--clean")
    assert "warning: " in printed.stdout and "not removed" in printed.stdout


# --- faults at a known moment: killed while writing -------------------------------------------


def build_in_child(src: Path, out: Path, fault: str, *options: str) -> subprocess.CompletedProcess:
    """``handout build`` in a process of its own, with a fault injected."""
    return subprocess.run(
        [sys.executable, "-m", "handout_builder", "build", str(src), "-o", str(out), *options],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, FAULT: fault},
        timeout=300,
    )


def staged_files(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.name.endswith(".tmp"))


def test_a_build_killed_while_writing_a_pdf_keeps_the_previous_one(
    tmp_path: Path, epoch: None
) -> None:
    src = corpus(tmp_path / "h", 3)
    out = tmp_path / "out"
    api.build([src], out, today=TODAY)
    before = pdfs(out)
    manifest = (out / MANIFEST).read_bytes()
    handout(src, "topic-01", extra="# edited: the PDF must be made again\n")

    killed = build_in_child(src, out, "kill-while-writing:topic-01.pdf", "-j", "1")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert pdfs(out) == before  # the old PDF whole, and no partial file under a PDF's name
    assert (out / MANIFEST).read_bytes() == manifest
    [partial] = staged_files(out)  # hidden, and only half written
    assert partial.name.startswith(".topic-01.pdf~")
    assert 0 < partial.stat().st_size < len(before["topic-01.pdf"]) * 2

    again = api.build([src], out, today=TODAY)
    assert by_status(again) == {"skipped": ["topic-00", "topic-02"], "built": ["topic-01"]}
    assert staged_files(out) == []  # the next build cleared what the killed one left
    assert len(pypdf.PdfReader(out / "topic-01.pdf").pages) >= 1


def test_a_build_killed_while_writing_the_manifest_keeps_the_previous_one(
    tmp_path: Path, epoch: None
) -> None:
    src = corpus(tmp_path / "h", 2)
    out = tmp_path / "out"
    api.build([src], out, today=TODAY)
    manifest = (out / MANIFEST).read_bytes()
    handout(src, "topic-02")  # a new handout: the manifest must be written again

    killed = build_in_child(src, out, f"kill-while-writing:{MANIFEST}", "-j", "1")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (out / MANIFEST).read_bytes() == manifest  # the old manifest, whole
    assert json.loads(manifest)["entries"].keys() == {"topic-00.pdf", "topic-01.pdf"}
    for pdf in out.glob("*.pdf"):  # every PDF in place is whole (topic-02 was committed)
        assert len(pypdf.PdfReader(pdf).pages) >= 1
    assert [p.name.split("~")[0] for p in staged_files(out)] == [f".{MANIFEST}"]

    again = api.build([src], out, today=TODAY)
    assert by_status(again) == {"skipped": ["topic-00", "topic-01"], "built": ["topic-02"]}
    assert staged_files(out) == []
    assert json.loads((out / MANIFEST).read_text())["entries"].keys() == {
        "topic-00.pdf",
        "topic-01.pdf",
        "topic-02.pdf",
    }


def test_a_worker_killed_while_writing_is_reported_and_the_rest_built(
    tmp_path: Path, epoch: None
) -> None:
    src = corpus(tmp_path / "h", 4)
    handout(src, "crashing-topic")
    out = tmp_path / "out"
    api.build([src], out, today=TODAY)
    before = pdfs(out)
    for name in ("crashing-topic", "topic-02"):
        handout(src, name, extra="# edited\n")

    result = build_in_child(src, out, "kill-while-writing:crashing-topic.pdf", "-j", "2")
    assert result.returncode == 1, result.stderr
    assert "crashing-topic.yaml: " + CRASHED in " ".join(result.stdout.split())
    after = pdfs(out)
    assert after["crashing-topic.pdf"] == before["crashing-topic.pdf"]  # untouched
    assert after.keys() == before.keys()
    assert staged_files(out) == []  # the dead workers' files are gone already
