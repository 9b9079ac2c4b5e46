"""``handout serve --workers N``: N processes answer (gunicorn), each packet is right, and nothing
of the patient is written anywhere: not to the logs, not to a file, not to a temporary folder."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader

from fixtures import SHIPPED, approved_copy
from handout_builder.frontdesk import server

pytestmark = pytest.mark.skipif(
    not server.multi_process_available(), reason="gunicorn runs where there is fork"
)
PATIENT = "Zelda Quintessa-Marrow"
NOTE = "Bring the blue inhaler 7431"


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _files_mentioning(folder: Path, words: list[str]) -> list[Path]:
    hits = []
    for path in folder.rglob("*"):
        if path.is_file():
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if any(w.encode() in data for w in words):
                hits.append(path)
    return hits


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="counts processes through /proc")
def test_workers_serve_packets_and_write_nothing_of_the_patient(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    for path in SHIPPED:
        approved_copy(path, library)  # the front desk offers approved handouts only
    home, scratch = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    scratch.mkdir()
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(scratch), "XDG_RUNTIME_DIR": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-m", "handout_builder", "serve", "--port", "0", "--workers", "2",
         str(library)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match and "with 2 processes" in line, line
        url = match.group(0)
        deadline = time.monotonic() + 60
        while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = _children(process.pid)
        assert len(workers) == 2

        ids = [p.stem for p in SHIPPED]
        form = urllib.parse.urlencode(
            [("topic", i) for i in ids] + [("patient", PATIENT), ("note", NOTE)]
        ).encode()

        def packet(_: int) -> bytes:
            with urllib.request.urlopen(url + "packet", data=form, timeout=120) as response:
                assert response.status == 200
                return response.read()

        with ThreadPoolExecutor(6) as pool:
            packets = list(pool.map(packet, range(6)))
        for data in packets:
            reader = PdfReader(io.BytesIO(data))
            cover = reader.pages[0].extract_text()
            assert PATIENT in cover and "7431" in cover
        assert len({len(p) for p in packets}) == 1  # every process made the same packet
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "POST /packet 200" in err  # the log has requests, and nothing the user typed
    for text in (out, err):
        assert PATIENT not in text and "Zelda" not in text and "7431" not in text
    assert _files_mentioning(tmp_path, [PATIENT, "Zelda", "7431"]) == []
    assert list(scratch.iterdir()) == [] and list(home.iterdir()) == []
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)  # all stopped


def test_gunicorn_is_set_up_to_keep_requests_in_memory() -> None:
    srv = server.make_process_server(lambda environ, start: [], "127.0.0.1", 0, 3)
    try:
        options = srv.options()
        assert options["workers"] == 3 and options["preload_app"] is True
        assert options["accesslog"] is None and options["control_socket_disable"] is True
        assert options["bind"] == [f"fd://{s.fileno()}" for s in srv.sockets]
        assert server.urls(srv) == [f"http://127.0.0.1:{srv.effective_port}/"]
    finally:
        srv.close()


def test_a_port_in_use_is_refused_before_anything_starts() -> None:
    first = server.make_process_server(lambda environ, start: [], "127.0.0.1", 0, 2)
    try:
        with pytest.raises(OSError):
            server.make_process_server(
                lambda environ, start: [], "127.0.0.1", first.effective_port, 2
            )
    finally:
        first.close()
