"""handout-builder beside Typst and WeasyPrint, on the same leaflets, in one run.

Makes N copies of the shipped handouts (``handouts/``), approved (no draft mark), each with text of
its own (the copy's number, in letters, is added to the title and to every piece of content text,
so no tool can answer from a cache of an earlier copy), and typesets every copy with every tool,
interleaved: copy 1 with each tool, then copy 2, the order of the tools turning from copy to copy,
so a slow minute on a shared machine falls on all of them alike. Every tool sets the leaflets in
Atkinson Hyperlegible from ``fonts/``, on the brand's paper and margins, with the brand's text size
and colours, and writes a tagged PDF (handout-builder and Typst PDF/UA-1, WeasyPrint its PDF/UA-1
variant).

- handout-builder: in this process, as a batch worker does it: read and check the YAML, lay out,
  tag and write the PDF (``pipeline.check_file`` and ``render_handout``), the brand loaded once;
- Typst: through its Python package with one ``Compiler`` reused for every copy, the markup made
  beforehand from the handout (``other_tools.typst_source``; making it is not timed);
- WeasyPrint, when it is installed: HTML and CSS made beforehand (``other_tools.html_source``).

Pages are counted from the PDFs each tool wrote. Prints, per tool: ms per handout (wall and CPU),
pages per handout, ms per page, and each tool's ms per page as a multiple of Typst's.

    pip install -e '.[bench]'
    python bench/side_by_side.py                 # 100 copies
    python bench/side_by_side.py --copies 20 --tools handout-builder typst
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pikepdf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_copies
from other_tools import html_source, typst_source

from handout_builder import pipeline
from handout_builder.look.brand import load_brand
from handout_builder.look.fonts import font_dir
from handout_builder.look.theme import Theme
from handout_builder.model import Handout
from handout_builder.source.reader import read_source
from handout_builder.source.validation import validate

REPO = Path(__file__).resolve().parent.parent


class Tool:
    """One typesetter: ``make(n)`` writes copy n's PDF and gives its path."""

    def __init__(self, name: str, make: Callable[[int], Path]) -> None:
        self.name, self.make = name, make
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.pages: list[int] = []
        self.bytes: list[int] = []

    def run(self, n: int, timed: bool = True) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = self.make(n)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if timed:
            self.wall.append(wall)
            self.cpu.append(cpu)
            with pikepdf.open(pdf) as opened:
                self.pages.append(len(opened.pages))
            self.bytes.append(pdf.stat().st_size)


def handout_builder(sources: list[Path], out: Path) -> Callable[[int], Path]:
    brand = load_brand(None)
    theme = Theme(brand, brand.brand.paper)
    epoch = pipeline.source_date_epoch()

    def make(n: int) -> Path:
        checked = pipeline.check_file(sources[n], brand)
        assert checked.handout is not None and checked.loaded is not None, checked.problems
        rendered = pipeline.render_handout(
            checked.handout,
            theme,
            checked.loaded.base_dir,
            checked.loaded.name,
            approval=checked.standing.approval,
            epoch=epoch,
        )
        target = out / f"hb-{n:03d}.pdf"
        target.write_bytes(rendered.data)
        return target

    return make


def typst_tool(models: list[Handout], out: Path) -> Callable[[int], Path]:
    import typst

    brand = load_brand(None).brand
    compiler = typst.Compiler(font_paths=[str(font_dir())], ignore_system_fonts=True)
    markup = [typst_source(m, brand).encode() for m in models]

    def make(n: int) -> Path:
        target = out / f"typst-{n:03d}.pdf"
        target.write_bytes(compiler.compile(input=markup[n], format="pdf", pdf_standards="ua-1"))
        return target

    return make


def weasyprint_tool(models: list[Handout], out: Path) -> Callable[[int], Path]:
    import weasyprint

    brand = load_brand(None).brand
    pages = [html_source(m, brand, str(font_dir())) for m in models]

    def make(n: int) -> Path:
        target = out / f"weasyprint-{n:03d}.pdf"
        weasyprint.HTML(string=pages[n], base_url=str(REPO)).write_pdf(
            target, pdf_variant="pdf/ua-1"
        )
        return target

    return make


def available(name: str) -> bool:
    module = {"typst": "typst", "weasyprint": "weasyprint"}.get(name)
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def report(tools: list[Tool]) -> None:
    print(f"{'':18} {'ms/handout':>11} {'CPU ms':>8} {'pages':>6} {'ms/page':>8} {'CPU/page':>9}"
          f" {'× Typst':>8} {'KiB':>6}")  # fmt: skip
    base = next((t for t in tools if t.name == "typst"), None)
    for t in tools:
        per_page = 1000 * sum(t.wall) / sum(t.pages)
        cpu_page = 1000 * sum(t.cpu) / sum(t.pages)
        ratio = ""
        if base is not None:
            ratio = f"{per_page / (1000 * sum(base.wall) / sum(base.pages)):.2f}"
        print(
            f"{t.name:18} {1000 * statistics.mean(t.wall):11.1f}"
            f" {1000 * statistics.mean(t.cpu):8.1f}"
            f" {statistics.mean(t.pages):6.2f} {per_page:8.2f} {cpu_page:9.2f} {ratio:>8}"
            f" {statistics.mean(t.bytes) / 1024:6.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument(
        "--tools", nargs="+", default=["handout-builder", "typst", "weasyprint"],
        choices=["handout-builder", "typst", "weasyprint"],
    )  # fmt: skip
    parser.add_argument("--keep", type=Path, help="Copy the PDFs of copy 1 into this folder.")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    names = [n for n in args.tools if available(n)]
    skipped = sorted(set(args.tools) - set(names))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # approved, as a release builds them (no draft mark); copy 0 warms every tool up, untimed
        sources = write_copies(folder, args.copies + 1, approved=True)
        models = [validate(read_source(p), Handout) for p in sources]
        makers = {
            "handout-builder": lambda: handout_builder(sources, folder),
            "typst": lambda: typst_tool(models, folder),
            "weasyprint": lambda: weasyprint_tool(models, folder),
        }
        tools = [Tool(name, makers[name]()) for name in names]
        for tool in tools:
            tool.run(0, timed=False)
        for n in range(1, args.copies + 1):
            turn = n % len(tools)
            for tool in tools[turn:] + tools[:turn]:
                tool.run(n)
            if args.keep and n == 1:
                args.keep.mkdir(parents=True, exist_ok=True)
                for pdf in folder.glob("*-001.pdf"):
                    (args.keep / pdf.name).write_bytes(pdf.read_bytes())
    print(
        f"{args.copies} copies of the shipped handouts, interleaved; load average"
        f" {os.getloadavg()[0]:.1f} at the end on {os.cpu_count()} CPUs"
        + (f"; not installed: {', '.join(skipped)}" if skipped else "")
    )
    report(tools)


if __name__ == "__main__":
    main()
