"""Load benchmark for the front desk: many clients at once asking the real server for packets.

Starts ``handout serve --workers N`` (gunicorn with N processes; waitress when N is 1) on a free
loopback port with copies of the handouts in ``handouts/`` (when there are any) plus generated
ones, all approved as ``handout approve`` would approve them (the front desk offers approved
handouts only), then lets ``--clients`` threads each POST ``--requests`` packets of ``--topics``
topics with a patient name, all at once. Every PDF is checked afterwards (so that checking does
not slow the clients down): page count, the name on the cover, each title on its first page.
Prints p50/p95/max latency and throughput; exits 1 on any error or wrong PDF.

    python bench/serve_load.py                      # 20 clients, 2-topic packets, a worker a CPU
    python bench/serve_load.py --workers 1          # one process (waitress), for comparison
    python bench/serve_load.py --clients 1 --requests 30
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import yaml
from pypdf import PdfReader

from handout_builder.frontdesk.catalogue import Catalogue

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import approve

GENERATED = {
    "bench-knee-pain": ("Knee pain: what helps", ["knee"], 10),
    "bench-shoulder-pain": ("Shoulder pain after a fall", ["shoulder"], 16),
    "bench-sleep": ("Sleeping well with long-term pain", ["sleep"], 24),
    "bench-walking": ("Walking more, a little at a time", ["exercise"], 8),
    "bench-heat-and-ice": ("Heat and ice for sore muscles", ["self-care"], 12),
}


def write_generated(folder: Path) -> None:
    """Realistic-length handouts (one to three pages) so that the benchmark stands alone."""
    for handout_id, (title, tags, paragraphs) in GENERATED.items():
        body = [
            f"Part {n}. " + "This paragraph explains one idea in short, plain sentences. " * 6
            for n in range(paragraphs)
        ]
        data = {
            "schema": 2,
            "status": "draft",
            "id": handout_id,
            "title": title,
            "version": "1.0",
            "last_reviewed": "2025-01-01",
            "review_due": "2099-01-01",
            "reviewed_by": "Benchmark",
            "tags": tags,
            "overview": body,
            "seek_care": {"emergency": {"items": ["Sudden weakness in an arm or leg."]}},
            "references": [{"citation": "A source of these facts. 2025."}],
        }
        (folder / f"{handout_id}.yaml").write_text(approve(yaml.safe_dump(data, sort_keys=False)))


def copy_approved(source: Path, folder: Path) -> None:
    """Each handout of ``source`` copied into ``folder``, approved."""
    for path in sorted(source.glob("*.yaml")):
        if path.name != "brand.yaml":
            (folder / path.name).write_text(approve(path.read_text(encoding="utf-8")))


def start_server(sources: list[Path], workers: int | None) -> tuple[subprocess.Popen, str, float]:
    started = time.perf_counter()
    command = [sys.executable, "-m", "handout_builder", "serve", "--port", "0"]
    process = subprocess.Popen(
        [*command, *(["--workers", str(workers)] if workers else []), *map(str, sources)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not match:
        process.kill()
        sys.exit(f"server did not start: {line!r}")
    return process, match.group(0), time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=10, help="packets per client")
    parser.add_argument("--topics", type=int, default=2, help="topics in each packet")
    parser.add_argument(
        "--workers", type=int, help="worker processes (default: the server's, a CPU each)"
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds for the whole run")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="serve-load-") as tmp:
        generated = Path(tmp)
        write_generated(generated)
        if Path("handouts").is_dir():
            copy_approved(Path("handouts"), generated)
        sources = [generated]
        expected = {t.id: t for t in Catalogue(sources).topics() if t.available}
        process, url, startup = start_server(sources, args.workers)
        try:
            return run(url, expected, args, startup)
        finally:
            process.terminate()
            process.wait(timeout=10)


def run(url: str, topics: dict, args: argparse.Namespace, startup: float) -> int:
    ids = sorted(topics)
    rng = random.Random(4)
    jobs = [
        [
            (rng.sample(ids, args.topics), f"Bench Patient {c:02d}-{r:03d}")
            for r in range(args.requests)
        ]
        for c in range(args.clients)
    ]
    results: list[tuple[list[str], str, float, int, bytes]] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + args.timeout

    def client(work: list[tuple[list[str], str]]) -> None:
        for chosen, name in work:
            if time.monotonic() > deadline:
                with lock:
                    errors.append("timed out")
                return
            form = urllib.parse.urlencode(
                [("topic", i) for i in chosen] + [("patient", name), ("action", "print")]
            )
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(
                    url + "packet", data=form.encode(), timeout=args.timeout
                ) as response:
                    status, body = response.status, response.read()
            except (urllib.error.URLError, OSError) as exc:
                with lock:
                    errors.append(f"{name}: {exc}")
                continue
            elapsed = time.perf_counter() - start
            with lock:
                results.append((chosen, name, elapsed, status, body))

    t0 = time.perf_counter()
    urllib.request.urlopen(url).read()  # the page, as staff would open it first
    threads = [threading.Thread(target=client, args=(work,)) for work in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - t0

    for chosen, name, _, status, body in results:
        problem = check_packet(chosen, name, status, body, topics)
        if problem:
            errors.append(f"{name}: {problem}")
    latencies = sorted(r[2] * 1000 for r in results)
    total = args.clients * args.requests
    print(
        f"front desk load: {args.clients} concurrent clients x {args.requests} packets "
        f"({args.topics} topics each) from {len(topics)} topics,"
        f" {args.workers or 'default'} worker processes;"
        f" load average {os.getloadavg()[0]:.1f} at the end on {os.cpu_count()} CPUs"
    )
    print(f"  server start (with first layout of every handout): {startup:.2f} s")
    if latencies:
        q = statistics.quantiles(latencies, n=100, method="inclusive")
        sizes = [len(r[4]) for r in results]
        print(f"  packets: {len(results)}/{total} correct PDFs checked, {len(errors)} errors")
        print(f"  latency ms: p50 {q[49]:.0f}  p95 {q[94]:.0f}  max {latencies[-1]:.0f}")
        print(
            f"  throughput: {len(results) / wall:.1f} packets/s over {wall:.1f} s; "
            f"mean PDF {statistics.mean(sizes) / 1024:.0f} KiB"
        )
    for error in errors[:10]:
        print(f"  error: {error}")
    return 1 if errors or len(results) != total else 0


def check_packet(
    chosen: list[str], name: str, status: int, body: bytes, topics: dict
) -> str | None:
    if status != 200 or not body.startswith(b"%PDF"):
        return f"status {status}, not a PDF"
    reader = PdfReader(io.BytesIO(body))
    want = 1 + sum(topics[i].pages for i in chosen)
    if len(reader.pages) != want:
        return f"{len(reader.pages)} pages, expected {want}"
    if name not in reader.pages[0].extract_text():
        return "name missing from the cover"
    first = 1
    for topic_id in chosen:
        title_words = topics[topic_id].title.split()[:3]
        text = " ".join(reader.pages[first].extract_text().split())
        if " ".join(title_words) not in text:
            return f"{topic_id} not on page {first + 1}"
        first += topics[topic_id].pages
    return None


if __name__ == "__main__":
    sys.exit(main())
