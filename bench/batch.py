"""Benchmark of batch builds: throughput, efficiency, no-change rebuilds, memory, cold start.

Generates N realistic handouts (see ``corpus.py``; with ``--shipped``, numbered copies of the
shipped handouts, each with text of its own) into a temporary folder and runs the real
command line (``python -m handout_builder build``) on them, as CI would, with SOURCE_DATE_EPOCH
set. Prints, for each N: handouts per second with --jobs 1 and --jobs 2 and the parallel
efficiency, the wall time of a rebuild in which nothing changed, and the peak RSS of the largest
process; then the cold-start time of a one-file build beside a bare
``python -c "import reportlab.platypus, yaml, click"``. Beside each wall time, the CPU time
(user and system, of the command and the workers it waited for), which other work on a shared
machine disturbs far less: per handout for the --jobs 1 build.

    python bench/batch.py                 # N = 10, 100, 1000 (a few minutes on 2 cores)
    python bench/batch.py --sizes 10 100  # quicker
    python bench/batch.py --serial-max 100  # --jobs 1 only up to N=100 (it is the slow part)
    python bench/batch.py --shipped --sizes 200 1000  # copies of the shipped handouts
    PYTHONPATH=/elsewhere/src python bench/batch.py --schema 1   # an older builder, same corpus

Every handout of the corpus passes the checks, so every one is checked and built. ``--schema 1``
writes the corpus in schema 1, which builders before schema 2 read too (this one reads it as
drafts): to compare builders on the same leaflets. ``--approved`` approves the corpus (or the
copies), so its pages carry no draft mark.

Timings are wall-clock and include process start-up, as a user sees them.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_copies, write_corpus

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "PYTHONDONTWRITEBYTECODE": "1"}


def run(args: list[str]) -> tuple[float, int, float]:
    """Run a command; give its wall time in seconds, the peak RSS (MB) of its largest process
    (itself or a worker it waited for) and the CPU seconds it and its workers used."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0,):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{err}")
    return seconds, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def build(src: Path, out: Path, *extra: str) -> tuple[float, int, float]:
    return run(
        [
            sys.executable,
            "-m",
            "handout_builder",
            "build",
            str(src),
            "-o",
            str(out),
            "--quiet",
            *extra,
        ]
    )


def median_time(args: list[str], repeat: int) -> tuple[float, float]:
    """The median wall and CPU seconds of ``repeat`` runs."""
    runs = [run(args) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[2] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument(
        "--serial-max", type=int, default=1000, help="largest N also built with --jobs 1"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs of each cold-start timing")
    parser.add_argument(
        "--shipped", action="store_true", help="copies of the shipped handouts, not generated ones"
    )
    parser.add_argument("--schema", type=int, default=2, choices=[1, 2], help="corpus format")
    parser.add_argument(
        "--approved", action="store_true", help="approve the corpus (schema 2): no draft marks"
    )
    opts = parser.parse_args()

    def write(folder: Path, count: int) -> list[Path]:
        if opts.shipped:
            return write_copies(folder, count, opts.approved)
        return write_corpus(folder, count, opts.schema, opts.approved)

    work = Path(tempfile.mkdtemp(prefix="handout-bench-"))
    spec = importlib.util.find_spec("handout_builder")
    builder = Path(spec.origin).parent if spec and spec.origin else "?"
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    state = "approved" if opts.approved else "drafts"
    corpus = "copies of the shipped handouts" if opts.shipped else f"corpus in schema {opts.schema}"
    print(f"builder {builder}; {corpus}, {state}")
    print(
        f"{'N':>5} {'jobs=1 /s':>10} {'jobs=2 /s':>10} {'efficiency':>10} "
        f"{'no-change s':>12} {'peak RSS MB':>12} {'cpu ms/h j1':>12} {'no-change cpu':>14}"
    )
    try:
        for n in opts.sizes:
            src = work / f"h{n}"
            write(src, n)
            rate1 = cpu1 = None
            if n <= opts.serial_max:
                t1, _, c1 = build(src, work / f"serial{n}", "--jobs", "1")
                rate1, cpu1 = n / t1, c1 * 1000 / n
            t2, rss, _ = build(src, work / f"out{n}", "--jobs", "2")
            rate2 = n / t2
            t0, rss0, c0 = build(src, work / f"out{n}", "--jobs", "2")
            eff = f"{rate2 / (2 * rate1):.0%}" if rate1 else "-"
            r1 = f"{rate1:.1f}" if rate1 else "-"
            per = f"{cpu1:.0f}" if cpu1 else "-"
            print(
                f"{n:>5} {r1:>10} {rate2:>10.1f} {eff:>10} {t0:>12.3f} {max(rss, rss0):>12} "
                f"{per:>12} {c0:>14.3f}",
                flush=True,
            )
        one = write(work / "one", 1)[0]
        bare, bare_cpu = median_time(
            [sys.executable, "-c", "import reportlab.platypus, yaml, click"], opts.repeat
        )
        colds = [build(one, work / f"cold{i}") for i in range(opts.repeat)]
        cold = statistics.median(c[0] for c in colds)
        cold_cpu = statistics.median(c[2] for c in colds)
        print(
            f"cold one-file build {cold:.3f} s (cpu {cold_cpu:.3f} s); bare import {bare:.3f} s "
            f"(cpu {bare_cpu:.3f} s); ratio {cold / bare:.2f}x (median of {opts.repeat})"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
