"""What PDF/UA-1 conformance costs, and what the independent validator takes.

Builds the shipped handouts, approved (regular and large print), and a packet of both several
times and reports, as medians: the time a build spends cleaning the fonts' Unicode maps
(``structure._clean_unicode_maps``, in the one tagging pass), the time a packet's join spends
giving font subsets unique names (``fonts.unique_subset_tags``) and element IDs unique
prefixes, and the time page-validation's PDF/UA-1 profile takes per PDF (with the number of
rules passed).
Times are CPU time of this process (``time.process_time``), which other work on a shared machine
disturbs far less than the time on the clock. Needs the test extra (``page-validation``).

Usage: python bench/pdfua.py [ROUNDS]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import page

from handout_builder import api
from handout_builder.frontdesk import packet as packets
from handout_builder.pdf import join, structure
from handout_builder.pdf import page as document

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import approve  # noqa: E402


def timed(function: Callable[..., Any], times: list[float]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            times.append((time.process_time() - start) * 1000)

    return run


def main(rounds: int = 5) -> None:
    shipped = sorted(p for p in (REPO / "handouts").glob("*.yaml") if p.name != "brand.yaml")
    clean: list[float] = []
    finish: list[float] = []
    retag: list[float] = []
    ids: list[float] = []
    joins: list[float] = []
    structure._clean_unicode_maps = timed(structure._clean_unicode_maps, clean)
    document.finish = timed(document.finish, finish)
    join.unique_subset_tags = timed(join.unique_subset_tags, retag)
    join._prefixed_ids = timed(join._prefixed_ids, ids)
    packets.join = timed(packets.join, joins)
    pdfs: list[Path] = []
    with tempfile.TemporaryDirectory() as out:
        library = Path(out) / "handouts"
        library.mkdir()
        for path in shipped:  # approved, as a packet takes approved handouts only
            (library / path.name).write_text(approve(path.read_text(encoding="utf-8")), "utf-8")
        sources = sorted(library.glob("*.yaml"))
        for large in (False, True):
            api.build(sources, out, large_print=large, force=True)  # warm up: fonts, imports
        for times in (clean, finish):
            times.clear()
        for _ in range(rounds):
            for large in (False, True):
                for result in api.build(sources, out, large_print=large, force=True):
                    if result.output is not None and result.output not in pdfs:
                        pdfs.append(result.output)
        for _ in range(rounds + 1):
            packet = api.make_packet(
                [s.stem for s in sources], [sources[0].parent], date=dt.date(2026, 1, 1)
            )
        packet_path = Path(out) / "packet.pdf"
        packet_path.write_bytes(packet.data)
        pdfs.append(packet_path)
        for times in (retag, ids, joins):
            del times[0]  # the first packet warmed up
        print(
            f"build: Unicode maps {statistics.median(clean):.2f} ms of a tagged-PDF pass of "
            f"{statistics.median(finish):.1f} ms (medians of {len(clean)} builds)"
        )
        print(
            f"packet join: subset tags {statistics.median(retag):.2f} ms, element IDs "
            f"{sum(ids) / len(joins):.2f} ms, of a join of {statistics.median(joins):.1f} ms "
            f"(medians of {len(joins)} packets)"
        )
        for pdf in pdfs:
            runs = []
            for _ in range(rounds):
                start = time.process_time()
                report = page.validate_pdf(pdf, profile=page.ValidationProfile.PDF_UA_1)
                runs.append((time.process_time() - start) * 1000)
            print(
                f"validator: {pdf.name}: {report.rules.passed}/{report.rules.total} rules passed "
                f"in {statistics.median(runs):.1f} ms ({pdf.stat().st_size / 1024:.1f} KiB, "
                f"{report.document.page_count} pages)"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
