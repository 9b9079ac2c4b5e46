"""What ``handout build`` shows while it works: a progress bar, plain lines, or almost nothing.

Takes each ``BuildResult`` as it is done (the library's ``progress`` callback; ``begin`` is called
with the number of handouts before any is done, once per batch) and text streams; gives, on a
terminal, one progress line with counts and the latest file, redrawn in place on the error
stream from the start of the build; when output is not a terminal (CI logs), one plain line per
handout; with ``quiet``, only failures (no summary either). Failures with every problem,
warnings and the summary line go to the output stream, so ``handout build > log.txt`` keeps
them all. ``style`` colours a word for its role (``ok``, ``error``, ``warning``, ``path``) when
the caller wants colour.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from handout_builder.errors import display_path
from handout_builder.output import duration, plural, rate
from handout_builder.pipeline import BuildResult

BAR_WIDTH = 24
REDRAW_SECONDS = 0.1
Style = Callable[[str, str], str]


def plain(text: str, role: str) -> str:
    """No colour."""
    return text


class BuildProgress:
    """The ``progress`` callback of a build, drawing for a person (``bar``), a log (``lines``)
    or neither (``quiet``). With ``verbose``, a terminal gets the plain lines too, above the
    bar."""

    def __init__(
        self,
        out: TextIO,
        err: TextIO,
        mode: str = "lines",
        *,
        verbose: bool = False,
        style: Style = plain,
    ) -> None:
        if mode not in ("bar", "lines", "quiet"):
            raise ValueError(f"unknown progress mode {mode!r}")
        self.out, self.err, self.mode, self.verbose, self.style = out, err, mode, verbose, style
        self.counts: Counter[str] = Counter()
        self.total = 0
        self._seen: dict[object, str] = {}
        self._bar_shown = False
        self._last_draw = 0.0

    def begin(self, total: int) -> None:
        """``total`` more handouts are about to be built: show the bar at once."""
        self.total += total
        if self.mode == "bar":
            self._draw(None, force=True)

    def __call__(self, result: BuildResult, done: int, total: int) -> None:
        before = self._seen.get(result.source)
        if before:  # reported again: a duplicate id found after it had been built
            self.counts[before] -= 1
        self._seen[result.source] = result.status
        self.counts[result.status] += 1
        self.total = max(self.total, len(self._seen))
        if result.status == "failed":
            self._write(self._failure(result))
        elif self.mode != "quiet" and result.warnings:
            self._write(
                "".join(
                    f"{self.style('warning', 'warning')}: {w.labelled('warning')}\n"
                    for w in result.warnings
                )
            )
        if self.mode == "lines" or (self.mode == "bar" and self.verbose):
            line = self._line(result)
            if line:
                self._write(line + "\n")
        if self.mode == "bar":
            self._draw(result)

    def finish(self, results: list[BuildResult], seconds: float) -> None:
        """The stale PDFs and the summary line (neither when quiet)."""
        self._clear_bar()
        if self.mode == "quiet":
            return
        for r in results:
            if r.status in ("stale", "removed"):
                word = "stale  " if r.status == "stale" else "removed"
                why = (
                    f" (made from {_rel(r.source)}, which is gone, retired or now makes "
                    "another PDF)"
                    if r.status == "stale"
                    else ""
                )
                self.out.write(f"{self.style(word, 'warning')} {_rel(r.output)}{why}\n")
                for warning in r.warnings:  # a stale PDF --clean did not dare remove
                    self.out.write(f"{self.style('warning', 'warning')}: {warning}\n")
        self.out.write(summary(results, seconds, self.style) + "\n")
        self.out.flush()

    def _line(self, r: BuildResult) -> str | None:
        if r.status == "built":
            return (
                f"{self.style('built', 'ok')}  {_rel(r.source)} -> {_rel(r.output)} "
                f"({plural(r.pages, 'page')}, {duration(r.milliseconds / 1000)})"
            )
        if r.status == "skipped":
            return f"up to date {_rel(r.source)} -> {_rel(r.output)}"
        if r.status == "retired":
            return f"retired {_rel(r.source)} (status: retired; not built)"
        return None

    def _failure(self, r: BuildResult) -> str:
        head = f"{self.style('failed', 'error')} {self.style(_rel(r.source), 'path')}\n"
        warning = self.style("warning", "warning")
        return (
            head
            + "".join(f"  {p.labelled('error')}\n" for p in r.problems)
            + "".join(f"  {warning}: {w.labelled('warning')}\n" for w in r.warnings)
        )

    def _write(self, text: str) -> None:
        self._clear_bar()
        self.out.write(text)
        self.out.flush()
        if self.mode == "bar" and self.counts:
            self._draw(None, force=True)

    def _draw(self, current: BuildResult | None, *, force: bool = False) -> None:
        now = time.monotonic()
        done = len(self._seen)
        if not force and done < self.total and now - self._last_draw < REDRAW_SECONDS:
            return
        self._last_draw = now
        filled = BAR_WIDTH * done // max(self.total, 1)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        counts = (
            f"{self.counts['built']} built, {self.counts['skipped']} up to date, "
            f"{self.counts['failed']} failed"
        )
        text = f"[{bar}] {done}/{self.total}  {counts}  "
        width = shutil.get_terminal_size((100, 20)).columns - 1
        name = _rel(current.source) if current else ""
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


def summary(results: list[BuildResult], seconds: float, style: Style = plain) -> str:
    """The last line of a build: ``2 built, 1 failed (3 handouts in 1.3 s, 2.3/s)``."""
    counts = Counter(r.status for r in results)
    handouts = counts["built"] + counts["skipped"] + counts["failed"] + counts["retired"]
    failed = f"{counts['failed']} failed"
    parts = [f"{counts['built']} built", style(failed, "error") if counts["failed"] else failed]
    if counts["skipped"]:
        parts.append(f"{counts['skipped']} up to date")
    if counts["retired"]:
        parts.append(f"{counts['retired']} retired (not built)")
    if counts["stale"]:
        parts.append(f"{counts['stale']} stale (build with --clean to remove)")
    if counts["removed"]:
        parts.append(f"{counts['removed']} stale removed")
    speed = rate(handouts, seconds)
    took = f"{plural(handouts, 'handout')} in {duration(seconds)}" + (f", {speed}" if speed else "")
    return f"{', '.join(parts)} ({took})"


def _rel(path: Path | None) -> str:
    return display_path(path) if path else "-"
