"""What ``handout build`` shows while it works: a progress bar, plain lines, or almost nothing.

Takes each ``BuildResult`` as it is done (the library's ``progress`` callback) and text streams;
gives, on a terminal, one progress line with counts and the current file, redrawn in place; when
output is not a terminal (CI logs), one plain line per handout; with ``quiet``, only failures.
Failures and their problems always go to the error stream, followed by a summary line.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

from handout_builder.errors import display_path
from handout_builder.pipeline import BuildResult

BAR_WIDTH = 24
REDRAW_SECONDS = 0.1


class BuildProgress:
    """The ``progress`` callback of a build, drawing for a person (``bar``), a log (``lines``)
    or neither (``quiet``)."""

    def __init__(self, out: TextIO, err: TextIO, mode: str = "lines") -> None:
        if mode not in ("bar", "lines", "quiet"):
            raise ValueError(f"unknown progress mode {mode!r}")
        self.out, self.err, self.mode = out, err, mode
        self.counts: Counter[str] = Counter()
        self._seen: dict[object, str] = {}
        self._bar_shown = False
        self._last_draw = 0.0

    def __call__(self, result: BuildResult, done: int, total: int) -> None:
        before = self._seen.get(result.source)
        if before:  # reported again: a duplicate id found after it had been built
            self.counts[before] -= 1
        self._seen[result.source] = result.status
        self.counts[result.status] += 1
        if result.status == "failed":
            self._above_bar(self._failure(result), self.err)
        elif self.mode != "quiet" and result.warnings:
            self._above_bar("".join(f"warning: {w}\n" for w in result.warnings), self.err)
        if self.mode == "lines":
            line = self._line(result)
            if line:
                self.out.write(line + "\n")
                self.out.flush()
        elif self.mode == "bar":
            self._draw(done, total, result)

    def finish(self, results: list[BuildResult], seconds: float) -> None:
        """The stale PDFs and the summary line."""
        self._clear_bar()
        for r in results:
            if r.status in ("stale", "removed") and self.mode != "quiet":
                word = "stale  " if r.status == "stale" else "removed"
                why = (
                    f" (made from {_rel(r.source)}, which is gone or now makes another PDF)"
                    if r.status == "stale"
                    else ""
                )
                self.out.write(f"{word} {_rel(r.output)}{why}\n")
                for warning in r.warnings:  # a stale PDF --clean did not dare remove
                    self.err.write(f"warning: {warning}\n")
        counts = Counter(r.status for r in results)
        handouts = counts["built"] + counts["skipped"] + counts["failed"]
        parts = [f"{counts['built']} built", f"{counts['failed']} failed"]
        if counts["skipped"]:
            parts.append(f"{counts['skipped']} up to date")
        if counts["stale"]:
            parts.append(f"{counts['stale']} stale (build with --clean to remove)")
        if counts["removed"]:
            parts.append(f"{counts['removed']} stale removed")
        rate = f", {handouts / seconds:.0f}/s" if seconds > 0 and handouts > 1 else ""
        noun = "handout" if handouts == 1 else "handouts"
        self.out.write(f"{', '.join(parts)} ({handouts} {noun} in {seconds:.1f} s{rate})\n")
        self.out.flush()

    def _line(self, r: BuildResult) -> str | None:
        if r.status == "built":
            return (
                f"built  {_rel(r.source)} -> {_rel(r.output)} ({r.pages} pages, "
                f"{r.milliseconds:.0f} ms)"
            )
        if r.status == "skipped":
            return f"up to date {_rel(r.source)} -> {_rel(r.output)}"
        return None

    @staticmethod
    def _failure(r: BuildResult) -> str:
        return f"failed {_rel(r.source)}\n" + "".join(f"  {p}\n" for p in r.problems)

    def _above_bar(self, text: str, stream: TextIO) -> None:
        self._clear_bar()
        stream.write(text)
        stream.flush()

    def _draw(self, done: int, total: int, current: BuildResult) -> None:
        now = time.monotonic()
        if done < total and now - self._last_draw < REDRAW_SECONDS:
            return
        self._last_draw = now
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        counts = (
            f"{self.counts['built']} built, {self.counts['skipped']} up to date, "
            f"{self.counts['failed']} failed"
        )
        text = f"[{bar}] {done}/{total}  {counts}  "
        width = shutil.get_terminal_size((100, 20)).columns - 1
        name = _rel(current.source)
        room = width - len(text)
        if room < len(name):
            name = "..." + name[-max(room - 3, 0) :] if room > 3 else ""
        self.err.write("\r" + (text + name)[:width].ljust(width))
        self.err.flush()
        self._bar_shown = True

    def _clear_bar(self) -> None:
        if self._bar_shown:
            width = shutil.get_terminal_size((100, 20)).columns - 1
            self.err.write("\r" + " " * width + "\r")
            self.err.flush()
            self._bar_shown = False


def _rel(path: Path | None) -> str:
    return display_path(path) if path else "-"
