"""How much tagging costs: build the shipped handouts (regular and large print) several times and
report the time per build, the part spent in the tagged-PDF pass, and the file sizes.

Usage: python bench/tagging.py [ROUNDS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from handout_builder import api, document

REPO = Path(__file__).resolve().parent.parent


def main(rounds: int = 5) -> None:
    sources = sorted(p for p in (REPO / "handouts").glob("*.yaml") if p.name != "brand.yaml")
    finish_times: list[float] = []
    real_finish = document.finish

    def timed_finish(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real_finish(*args, **kwargs)
        finally:
            finish_times.append((time.perf_counter() - start) * 1000)

    document.finish = timed_finish
    with tempfile.TemporaryDirectory() as out:
        for large in (False, True):
            builds: list[float] = []
            finish_times.clear()
            sizes: dict[str, int] = {}
            api.build(sources, out, large_print=large)  # warm up: fonts, imports
            finish_times.clear()
            for _ in range(rounds):
                for result in api.build(sources, out, large_print=large):
                    builds.append(result.milliseconds)
                    sizes[result.output.name] = result.bytes
            label = "large print" if large else "regular"
            print(
                f"{label:11}  build {statistics.median(builds):6.1f} ms (median of {len(builds)})"
                f"  of which tagged-PDF pass {statistics.median(finish_times):5.1f} ms"
            )
            for name, size in sorted(sizes.items()):
                print(f"             {name}: {size / 1024:.1f} KiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
