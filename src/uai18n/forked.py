"""Work shared among forked workers that inherit the run's state.

Status counting and memory-only pre-translation hold large state (a project's
stamps, a translation memory) that would cost more to pickle than to use: a
forked worker inherits it instead. Results come back in job order, so output
never depends on how many workers there were, and an error in a job is the
run's error, raised where a sequential run would have raised it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from typing import Any, TypeVar

S = TypeVar("S")
J = TypeVar("J")
R = TypeVar("R")


def map_forked(
    function: Callable[[S, J], R],
    state: S,
    jobs: Sequence[J],
    *,
    parallel: bool = True,
    chunks_per_worker: int = 8,
) -> Iterator[R]:
    """``function(state, job)`` for every job, in order.

    With ``parallel`` (the caller judges the work worth a fork), two or more
    cores and ``fork`` available, the jobs go to forked workers in chunks;
    ``state`` is inherited by them, never pickled (jobs and results are).
    """
    workers = min(os.cpu_count() or 1, len(jobs))
    if not parallel or workers < 2 or "fork" not in get_all_start_methods():
        yield from (function(state, job) for job in jobs)
        return
    global _INHERITED
    _INHERITED = (function, state)
    try:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            chunksize = max(1, len(jobs) // (workers * chunks_per_worker))
            results = pool.map(_call_inherited, jobs, chunksize=chunksize)
            try:
                yield from results
            except BaseException:
                pool.shutdown(cancel_futures=True)  # stop where a sequential run would
                raise
    finally:
        _INHERITED = None


_INHERITED: tuple[Callable[[Any, Any], Any], Any] | None = None


def _call_inherited(job: Any) -> Any:
    assert _INHERITED is not None, "run in a worker forked by map_forked"
    function, state = _INHERITED
    return function(state, job)
