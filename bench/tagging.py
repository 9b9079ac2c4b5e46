"""How much tagging costs: build the shipped handouts (regular and large print) several times and
report the time per build, the parts spent marking artifacts (as each page is written) and in the
tagged-PDF pass (structure tree, metadata, saving with pikepdf), and the file sizes.

Usage: python bench/tagging.py [ROUNDS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from handout_builder import api
from handout_builder.pdf import page as document
from handout_builder.pdf import tagging

REPO = Path(__file__).resolve().parent.parent


def main(rounds: int = 5) -> None:
    sources = sorted(p for p in (REPO / "handouts").glob("*.yaml") if p.name != "brand.yaml")
    finish_times: list[float] = []
    marking_times: list[float] = []

    def timed(function, times):
        def run(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                times.append((time.perf_counter() - start) * 1000)

        return run

    document.finish = timed(document.finish, finish_times)
    tagging.mark_artifacts = timed(tagging.mark_artifacts, marking_times)
    with tempfile.TemporaryDirectory() as out:
        for large in (False, True):
            builds: list[float] = []
            finish_times.clear()
            sizes: dict[str, int] = {}
            # large print: the handouts whose own layout has it (a sheet's is a leaflet's)
            built = [s for s in sources if not large or api.load_handout(s).layout != "sheet"]
            api.build(built, out, large_print=large, force=True)  # warm up: fonts, imports
            finish_times.clear()
            marking_times.clear()
            for _ in range(rounds):
                for result in api.build(built, out, large_print=large, force=True):
                    builds.append(result.milliseconds)
                    sizes[result.output.name] = result.bytes
            label = "large print" if large else "regular"
            print(
                f"{label:11}  build {statistics.median(builds):6.1f} ms (median of {len(builds)})"
                f"  of which artifacts {sum(marking_times) / len(builds):4.1f} ms"
                f" and tagged-PDF pass {statistics.median(finish_times):4.1f} ms"
            )
            for name, size in sorted(sizes.items()):
                print(f"             {name}: {size / 1024:.1f} KiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
