"""A batch build: which handouts need building, building them on workers, committing the PDFs.

Takes the handout files (in order), ``BuildSettings`` and how to run (in this process, on ``jobs``
worker processes, or on a caller's ``Executor``); gives one ``BuildResult`` per handout, then one
per stale PDF. The steps:

1. **Plan.** A handout whose PDF the manifest shows to be up to date (and whose review date means
   what it meant when it was checked) is skipped without parsing; its warnings are replayed.
2. **Check the brand** when anything is to be built: an error in it (or, in a strict or release
   build, a warning; in a release build, a placeholder brand) stops the build before it starts.
3. **Build** the rest on the workers, each checked with every rule of ``handout check`` first. A
   worker process that dies is reported against the handout it was building (found by retrying
   the suspects one at a time), and the batch goes on. A retired handout is never built.
4. **Commit.** Each id goes to the first handout (in file order) that claims it, whatever order the
   workers finished in; its staged PDF is renamed into place. The others fail as duplicates and
   their staged PDFs are removed. Then stale PDFs (of handouts deleted, retired or now with another
   id) are reported (or removed) and the manifest saved.

Ctrl-C stops submitting work, lets the workers finish the handouts they hold, commits the PDFs
already finished, removes the temporary files its workers left and re-raises
``KeyboardInterrupt``: no PDF is ever half-written. Temporary files of builds that were killed
(whose process is gone) are removed when the next build starts (see ``atomic.remove_orphans``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections import deque
from collections.abc import Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import asdict
from pathlib import Path
from typing import Any

from handout_builder._version import __version__
from handout_builder.batch.atomic import remove_orphans
from handout_builder.batch.manifest import Entry, FileHashes, Manifest
from handout_builder.batch.worker import (
    BuildSettings,
    Outcome,
    brand_findings,
    build_handout,
    check_settings,
    discard,
    review_state,
    start_worker,
)
from handout_builder.errors import HandoutError, Problem, display_path
from handout_builder.pipeline import BuildResult, Progress

CRASHED = (
    "the worker process building this handout stopped unexpectedly (it crashed or was "
    "killed); the other handouts were built"
)

Item = tuple[int, Path]  # a handout's place in the batch, and its file


def run_batch(
    sources: list[Path],
    settings: BuildSettings,
    *,
    jobs: int = 1,
    executor: Executor | None = None,
    force: bool = False,
    clean: bool = False,
    progress: Progress | None = None,
) -> list[BuildResult]:
    if settings.out_dir.is_dir():
        remove_orphans(settings.out_dir)  # files a killed build was writing
    manifest = Manifest.load(settings.out_dir)
    fingerprint = settings_fingerprint(settings)
    digest = FileHashes()
    results: list[BuildResult | None] = [None] * len(sources)
    claims: dict[str, int] = {}  # id -> place of the handout that owns it
    outcomes: dict[int, Outcome] = {}
    done = 0

    def report(result: BuildResult) -> None:
        if progress:
            progress(result, done, len(sources))

    begin = getattr(progress, "begin", None)
    if callable(begin):  # a progress bar can show before the first handout is done
        begin(len(sources))

    before = dict(manifest.entries)
    todo: list[Item] = []
    known = manifest.by_source()
    window = check_settings(settings).review_warning_days

    def current(entry: Entry) -> bool:
        due = dt.date.fromisoformat(entry.review_due) if entry.review_due else None
        state = review_state(due, settings.today, window) if due else None
        return state == entry.review_state and manifest.is_current(entry, fingerprint, digest)

    for place, source in enumerate(sources):
        entry = None if force else next((e for e in known.get(source, []) if current(e)), None)
        if entry is None:
            todo.append((place, source))
            continue
        skipped = _skipped(entry, source, manifest, settings)
        results[place] = skipped
        claims.setdefault(entry.handout_id, place)
        done += 1
        report(skipped)

    if todo:  # a bad brand file, or a brand its checks refuse, raises here: nothing is built
        refused = [
            f.problem_with_rule()
            for f in brand_findings(settings)
            if f.severity == "error" or settings.strict or settings.release
        ]
        if refused:
            raise HandoutError(refused)
    crashes: list[Path] = []  # workers that died may leave temporary files behind
    running = _execute(todo, settings, jobs, executor, crashes)
    try:
        for place, outcome in running:
            outcomes[place] = outcome
            results[place] = outcome.result
            done += 1
            loser = _claim(place, outcome.result, claims, results, sources)
            report(outcome.result)
            if loser is not None and loser != place:
                duplicate = results[loser]
                assert duplicate is not None  # _claim names only places that have a result
                report(duplicate)  # it had looked built; now it is a duplicate
    except KeyboardInterrupt:
        running.close()  # the workers finish what they hold; their staged PDFs are removed
        _commit(outcomes, results, manifest, fingerprint)
        if manifest.entries != before:
            manifest.save()
        remove_orphans(settings.out_dir)
        raise
    _commit(outcomes, results, manifest, fingerprint)
    if crashes:  # every staged PDF is now committed or removed; what is left was orphaned
        remove_orphans(settings.out_dir)
    stale = _stale(manifest, results, clean, fingerprint)
    if manifest.damaged or manifest.entries != before:
        manifest.save()
    return [r for r in results if r is not None] + stale


def settings_fingerprint(settings: BuildSettings) -> str:
    """Everything besides files that changes a PDF's bytes (all of it in ``settings``), or
    whether it may be built: a release build refuses more, so it never reuses a PDF that another
    build made."""
    epoch = "-" if settings.epoch is None else str(settings.epoch)
    brand = settings.brand_path.as_posix() if settings.brand_path else "built-in"
    return (
        f"handout-builder {__version__}; paper {settings.paper or 'brand'}; brand {brand}; "
        f"large print {'yes' if settings.large_print else 'no'}; "
        f"layout {settings.layout or 'handout'}; max pages {settings.max_pages or '-'}; "
        f"release {'yes' if settings.release else 'no'}; SOURCE_DATE_EPOCH {epoch}"
    )


def _skipped(
    entry: Entry, source: Path, manifest: Manifest, settings: BuildSettings
) -> BuildResult:
    """An up-to-date PDF, with the warnings its checks gave when it was built."""
    name = display_path(source) if entry.warnings else ""  # worked out only when it is needed
    warnings = [Problem(name, **w) for w in entry.warnings]
    result = BuildResult(
        source,
        "skipped",
        output=settings.out_dir / entry.output,
        pages=entry.pages,
        bytes=entry.bytes,
        handout_id=entry.handout_id,
        warnings=warnings,
        sha256=entry.pdf,
        layout=entry.layout,
    )
    if settings.strict and warnings:
        result.status, result.problems, result.warnings = "failed", warnings, []
    return result


def _claim(
    place: int,
    result: BuildResult,
    claims: dict[str, int],
    results: list[BuildResult | None],
    sources: list[Path],
) -> int | None:
    """Give the result's id to the first handout in file order that has it; fail the other.
    Gives the place of the handout that lost, if any."""
    hid = result.handout_id
    if hid is None or result.status == "retired":
        return None
    owner = claims.setdefault(hid, place)
    if owner == place:
        return None
    first, second = sorted((owner, place))
    claims[hid] = first
    loser = results[second]
    assert loser is not None
    loser.status = "failed"
    loser.output = None
    loser.problems = [
        *loser.problems,
        Problem(
            display_path(sources[second]),
            0,
            0,
            "id",
            f"id '{hid}' is already used by {display_path(sources[first])}",
        ),
    ]
    return second


def _commit(
    outcomes: dict[int, Outcome],
    results: list[BuildResult | None],
    manifest: Manifest,
    fingerprint: str,
) -> None:
    for outcome in outcomes.values():
        result = outcome.result
        if result.status != "built" or outcome.staged is None or result.output is None:
            discard(outcome)
            continue
        try:
            os.replace(outcome.staged, result.output)
        except OSError as exc:
            discard(outcome)
            result.status, result.output = "failed", None
            result.problems = [
                Problem(
                    display_path(manifest.folder),
                    0,
                    0,
                    "",
                    f"cannot write PDF: {exc.strerror or exc}",
                )
            ]
            continue
        outcome.staged = None
        review_due, state = outcome.review or (None, None)
        manifest.entries[result.output.name] = Entry(
            output=result.output.name,
            source=manifest.relative(result.source),
            handout_id=result.handout_id or "",
            settings=fingerprint,
            files={manifest.relative(Path(p)): d for p, d in sorted(outcome.inputs.items())},
            pdf=result.sha256 or "",
            pages=result.pages,
            bytes=result.bytes,
            review_due=review_due,
            review_state=state,
            warnings=[_stored(w) for w in result.warnings],
            layout=result.layout or "leaflet",
        )


def _stored(problem: Problem) -> dict[str, Any]:
    """A warning as the manifest keeps it: the file is the entry's own."""
    fields = asdict(problem)
    del fields["file"]
    return fields


def _stale(
    manifest: Manifest, results: list[BuildResult | None], clean: bool, fingerprint: str
) -> list[BuildResult]:
    """PDFs the manifest knows whose handout was deleted or retired, now has another id, or,
    built with the same settings, now makes a PDF of another name (its ``layout:`` changed)."""
    done = [r for r in results if r is not None]
    now_makes = {r.source: r.handout_id for r in done if r.handout_id and r.status != "retired"}
    retired = {r.source for r in done if r.status == "retired"}
    now_writes = {
        r.source: r.output.name
        for r in done
        if r.output is not None and r.status in ("built", "skipped")
    }
    out = []
    for name, entry in sorted(manifest.entries.items()):
        source = manifest.absolute(entry.source)
        renamed = entry.settings == fingerprint and now_writes.get(source, name) != name
        if (
            source.is_file()
            and source not in retired
            and now_makes.get(source, entry.handout_id) == entry.handout_id
            and not renamed
        ):
            continue
        pdf = manifest.folder / name
        if not pdf.is_file():
            del manifest.entries[name]
            continue
        result = BuildResult(
            source,
            "stale",
            output=pdf,
            pages=entry.pages,
            bytes=entry.bytes,
            handout_id=entry.handout_id,
            sha256=entry.pdf,
            layout=entry.layout,
        )
        if clean:
            if manifest.written_by_us(entry) is None:
                result.warnings = [
                    Problem(
                        display_path(pdf),
                        0,
                        0,
                        "",
                        "not removed: it was changed after it was built (or is not a PDF "
                        "this builder wrote); delete it yourself if it is not needed",
                    )
                ]
            else:
                pdf.unlink()
                del manifest.entries[name]
                result.status = "removed"
        out.append(result)
    return out


def _execute(
    items: list[Item],
    settings: BuildSettings,
    jobs: int,
    executor: Executor | None,
    crashes: list[Path],
) -> Generator[tuple[int, Outcome], None, None]:
    """Build every item, giving each outcome as it is ready (in no particular order). The
    handouts whose worker died (or was lost) are added to ``crashes``."""
    if executor is not None:
        for place, outcome in _on_executor(executor, items, settings):
            if outcome.lost:
                crashes.append(outcome.result.source)
            yield place, outcome
    elif jobs <= 1 or len(items) == 1:
        for place, source in items:
            yield place, build_handout(source, settings)
    else:
        yield from _on_process_pool(items, settings, jobs, crashes)


def _on_executor(
    executor: Executor, items: list[Item], settings: BuildSettings
) -> Iterator[tuple[int, Outcome]]:
    """A caller's executor: everything is submitted; a task that raises (the executor broke,
    a remote worker was lost) fails its handout and the rest go on. A task whose worker died
    may only have been beside the one that killed it (a cluster fails every task a dead worker
    held): each such task is tried once more, alone, and reported only if it fails again."""
    futures: dict[Future[Outcome], Item] = {}
    suspects: list[Item] = []
    try:
        for item in items:
            try:
                futures[executor.submit(build_handout, item[1], settings)] = item
            except Exception as exc:  # a broken executor: nothing more can be submitted
                yield item[0], _lost(item[1], exc)
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                if _worker_died(future):
                    suspects.append(futures[future])
                else:
                    yield futures[future][0], _outcome(future, futures[future][1])
        for place, source in suspects:
            retry = executor.submit(build_handout, source, settings, 2)
            futures[retry] = (place, source)
            yield place, _outcome(retry, source)
    except BaseException:
        for future in futures:
            future.cancel()
        for future in futures:  # let running ones finish, so their staged PDFs can be removed
            if not future.cancelled():
                with contextlib.suppress(BaseException):  # abandoned either way
                    discard(future.result())
        raise


def _worker_died(future: Future[Outcome]) -> bool:
    exc = None if future.cancelled() else future.exception()
    return exc is not None and type(exc).__name__ in WORKER_DIED


def _on_process_pool(
    items: list[Item], settings: BuildSettings, jobs: int, crashes: list[Path]
) -> Iterator[tuple[int, Outcome]]:
    """Our own pool of ``jobs`` processes, each loading the brand once. At most ``jobs``
    handouts are in flight, so when a worker dies there are few suspects: each is retried
    alone in a fresh process, and the one that brings its process down again is reported."""
    waiting = deque(items)
    while waiting:
        suspects = yield from _drain(waiting, settings, min(jobs, len(waiting)))
        crashes.extend(source for _, source in suspects)
        for place, source in suspects:
            yield place, _alone(source, settings)


def _drain(
    waiting: deque[Item], settings: BuildSettings, workers: int
) -> Generator[tuple[int, Outcome], None, list[Item]]:
    """Run items from ``waiting`` on a new pool until it is empty or the pool breaks; returns
    the items that were in flight when it broke."""
    # imported here: multiprocessing is a tenth of a second that one-file builds do not need
    from concurrent.futures.process import BrokenProcessPool, ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, initializer=start_worker, initargs=(settings,))
    running: dict[Future[Outcome], Item] = {}
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                item = waiting.popleft()
                running[pool.submit(build_handout, item[1], settings)] = item
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            if any(isinstance(f.exception(), BrokenProcessPool) for f in finished):
                break
            for future in finished:
                yield running.pop(future)[0], future.result()
        else:
            return []
        # A worker died. Whatever finished is kept; the rest in flight are suspects.
        pool.shutdown(wait=True)
        suspects: list[Item] = []
        for future, item in running.items():
            if future.exception() is None:
                yield item[0], future.result()
            else:
                suspects.append(item)
        running.clear()
        return suspects
    except BaseException:
        # Ctrl-C (or a bug): start nothing new, let the workers finish what they hold
        # (they ignore SIGINT), and remove the PDFs they staged.
        pool.shutdown(wait=True, cancel_futures=True)
        for future in running:
            if not future.cancelled() and future.exception() is None:
                discard(future.result())
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _alone(source: Path, settings: BuildSettings) -> Outcome:
    """Build one handout in a fresh process of its own; if that process dies, say so."""
    from concurrent.futures.process import ProcessPoolExecutor

    with ProcessPoolExecutor(1, initializer=start_worker, initargs=(settings,)) as pool:
        return _outcome(pool.submit(build_handout, source, settings), source)


def _outcome(future: Future[Outcome], source: Path) -> Outcome:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        return _lost(source, None)
    except Exception as exc:
        return _lost(source, exc)


# How executors say that the process running a task died: our pool's, and a cluster's lost
# worker (Dask's ``KilledWorker``, raised once the task has killed every worker it was sent to).
WORKER_DIED = frozenset({"BrokenProcessPool", "BrokenExecutor", "KilledWorker"})


def _lost(source: Path, exc: BaseException | None) -> Outcome:
    message = (
        CRASHED
        if exc is None or type(exc).__name__ in WORKER_DIED
        else f"the executor could not build this handout ({type(exc).__name__}: {exc})"
    )
    problem = Problem(display_path(source), 0, 0, "", message)
    return Outcome(BuildResult(source, "failed", problems=[problem]), lost=True)
