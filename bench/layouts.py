"""What each layout costs: lay out the short tools handout and the shipped handouts in every layout
several times (in this process, no files written) and report the median time, the part spent
imposing folded layouts on their sheets, the pages laid out and printed, and the file size.

Usage: python bench/layouts.py [ROUNDS]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

from handout_builder import pipeline
from handout_builder.layout.layouts import LAYOUTS
from handout_builder.look.brand import load_brand
from handout_builder.look.theme import Theme
from handout_builder.model import Handout
from handout_builder.pdf import impose as imposition
from handout_builder.source.reader import read_source
from handout_builder.source.validation import validate

REPO = Path(__file__).resolve().parent.parent


def main(rounds: int = 5) -> None:
    sources = [
        REPO / "tests" / "data" / "tools-handout.yaml",
        *sorted(p for p in (REPO / "handouts").glob("*.yaml") if p.name != "brand.yaml"),
    ]
    theme = Theme(load_brand(REPO / "tests" / "data" / "online" / "brand.yaml"), "letter")
    imposing: list[float] = []
    real_impose = imposition.impose

    def timed_impose(*args: Any, **kwargs: Any) -> bytes:
        start = time.perf_counter()
        try:
            return real_impose(*args, **kwargs)
        finally:
            imposing.append(time.perf_counter() - start)

    imposition.impose = timed_impose  # type: ignore[assignment]  # page imports it when it imposes
    print(
        f"{'handout':40} {'layout':8} {'median':>8} {'impose':>8} {'laid out':>9} "
        f"{'printed':>8} {'KiB':>5}"
    )
    for path in sources:
        source = read_source(path)
        handout = validate(source, Handout)
        for layout in LAYOUTS:
            times: list[float] = []
            imposing.clear()
            done = None
            for _ in range(rounds):
                start = time.perf_counter()
                done = pipeline.render_handout(
                    handout,
                    theme,
                    source.base_dir,
                    source.name,
                    approval=None,  # a draft, marked: as the shipped handouts are
                    layout=layout,
                    source=source,
                    enforce=False,
                    epoch=0,
                )
                times.append(time.perf_counter() - start)
            assert done is not None
            impose = f"{statistics.median(imposing) * 1000:.0f} ms" if imposing else "-"
            print(
                f"{path.stem[:40]:40} {layout:8} {statistics.median(times) * 1000:5.0f} ms "
                f"{impose:>8} {done.laid_out:9} {done.pages:8} {len(done.data) // 1024:5}"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
