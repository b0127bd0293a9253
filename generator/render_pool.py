"""Work spread over every core: forked worker processes, and progress on a terminal.

Rendering a page through Material's template is pure CPU work in Python, so threads would not
help (the GIL); worker *processes* started with ``fork`` inherit the whole build state (the
MkDocs configuration, the Jinja environment, the navigation, the portal model) without
pickling any of it. Each task is an index into a list the caller prepared before the fork;
workers write their results to disk themselves (pages) or return small values, so memory
stays flat: one page per worker at a time.

Where ``fork`` is unavailable, with one core, or for a handful of tasks, everything runs in
the calling process; the output is the same either way (each task is a pure function of its
inputs and the order of writing does not matter).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TextIO, TypeVar

T = TypeVar("T")

#: Environment variable overriding the number of worker processes (``1`` = no workers).
JOBS_ENV = "PORTAL_JOBS"
#: Tasks handed to a worker at a time: large enough to amortise the round trip, small enough
#: to balance the load and to show progress.
CHUNK = 32
#: Below this many tasks a pool costs more than it saves.
MIN_PARALLEL_TASKS = 2 * CHUNK

_task: Callable[[int], Any] | None = None


def worker_count() -> int:
    """Worker processes to use: ``PORTAL_JOBS`` if set, else every core this process may use."""
    configured = os.environ.get(JOBS_ENV, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _run_chunk(bounds: tuple[int, int]) -> tuple[int, int, list[Any]]:
    """In a worker: run tasks ``start..stop``; return how many, MkDocs warnings, results."""
    assert _task is not None
    counter = _WarningCounter()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    try:
        results = [_task(index) for index in range(*bounds)]
    finally:
        logger.removeHandler(counter)
    return bounds[1] - bounds[0], counter.count, results


def _chunks(count: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, count, size):
        yield (start, min(start + size, count))


class Progress:
    """``label: done/total`` on one stderr line, only on an interactive terminal outside CI."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.total = total
        self.done = 0
        self.enabled = total > 0 and progress_wanted(self.stream)
        self._last = 0.0

    def advance(self, amount: int) -> None:
        self.done += amount
        now = time.monotonic()
        if self.enabled and (now - self._last >= 0.2 or self.done >= self.total):
            self._last = now
            self.stream.write(f"\r{self.label}: {self.done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            self.stream.write("\n")
            self.stream.flush()


def progress_wanted(stream: TextIO) -> bool:
    """Progress lines only help a person watching a terminal; CI logs and pipes stay quiet."""
    if os.environ.get("CI"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def run_tasks(
    count: int,
    task: Callable[[int], T],
    *,
    label: str,
    parallel: bool = True,
    chunk: int = CHUNK,
) -> tuple[list[T], int]:
    """Run ``task(0) … task(count - 1)``; return the results in task order and the number of
    MkDocs warnings logged by worker processes (the caller re-reports them, see the plugin)."""
    global _task
    progress = Progress(label, count)
    workers = min(worker_count(), max(1, count // chunk))
    use_pool = (
        parallel
        and workers > 1
        and count >= MIN_PARALLEL_TASKS
        and "fork" in multiprocessing.get_all_start_methods()
    )
    results: list[Any] = [None] * count
    warnings = 0
    try:
        if not use_pool:
            for index in range(count):
                results[index] = task(index)
                progress.advance(1)
            return results, 0
        _task = task
        frozen = gc.get_freeze_count() > 0  # the caller's own freeze outlives this pool
        gc.collect()
        gc.freeze()  # keep the inherited objects out of the workers' collections (no copies)
        try:
            context = multiprocessing.get_context("fork")
            bounds: Sequence[tuple[int, int]] = list(_chunks(count, chunk))
            # Workers collect garbage even when the caller paused collection (bulk_load).
            with context.Pool(workers, initializer=gc.enable) as pool:
                ordered = pool.imap(_run_chunk, bounds)
                for (start, _stop), (done, chunk_warnings, chunk_results) in zip(
                    bounds, ordered, strict=True
                ):
                    results[start : start + done] = chunk_results
                    warnings += chunk_warnings
                    progress.advance(done)
        finally:
            if not frozen:
                gc.unfreeze()
            _task = None
        return results, warnings
    finally:
        progress.close()
