"""Work shared among forked workers that inherit the run's state.

Status counting and memory-only pre-translation hold large state (a project's
stamps, a translation memory) that would cost more to pickle than to use: a
forked worker inherits it instead. Results come back in job order, so output
never depends on how many workers there were, and an error in a job is the
run's error, raised where a sequential run would have raised it.

:class:`HeadStart` is the small case: one worker that does ahead of time what
this process will need later (a check reads the sources while it loads the
glossary), with nothing to import but :mod:`marshal`.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import struct
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
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
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_all_start_methods, get_context

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


#: Each result's length before it, in :class:`HeadStart`'s pipe.
_LENGTH = struct.Struct("<Q")


class HeadStart:
    """``work()`` run in a forked child while this process goes on; its results
    come back one at a time, in order, through a pipe.

    Only ever a head start: when there is no second core, no ``fork``, other
    threads (a fork would copy their locks held), or when the child fails,
    dies or is stopped, :meth:`next` answers None and the caller does the
    rest itself. So an error is raised by the caller, where a run without a
    head start raises it, with the same message. Results are what
    :mod:`marshal` writes (numbers, strings, tuples, lists, dicts): the
    child is our own, and marshal runs no code.
    """

    def __init__(self, work: Callable[[], Iterable[Any]]) -> None:
        self._pid: int | None = None
        self._pipe: Any = None
        if not can_fork():
            return
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its output would repeat the parent's
            os.close(read_end)
            _run_child(work, write_end)
        os.close(write_end)
        self._pid = pid
        self._pipe = os.fdopen(read_end, "rb")

    def next(self) -> Any | None:
        """The child's next result; None once it has no more (or gave up)."""
        if self._pipe is None:
            return None
        try:
            head = self._pipe.read(_LENGTH.size)
            if len(head) == _LENGTH.size:
                (size,) = _LENGTH.unpack(head)
                body = self._pipe.read(size)
                if len(body) == size:
                    return marshal.loads(body)
        except (OSError, ValueError, EOFError, TypeError):
            pass
        self.stop()
        return None

    def stop(self) -> None:
        """End the child, finished or not, and reap it."""
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._pid is not None:
            with contextlib.suppress(OSError):  # it has exited already
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None

    def __enter__(self) -> HeadStart:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def can_fork() -> bool:
    """Whether a forked child would run beside this process, safely."""
    if not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) >= 2
    return (os.cpu_count() or 1) >= 2


def _run_child(work: Callable[[], Iterable[Any]], write_end: int) -> None:
    """In the forked child: write each result, then leave without running the
    parent's exit handlers or flushing its buffers."""
    try:
        null = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):
            os.dup2(null, descriptor)
        with os.fdopen(write_end, "wb") as pipe:
            for result in work():
                body = marshal.dumps(result)
                pipe.write(_LENGTH.pack(len(body)) + body)
                pipe.flush()
    finally:
        os._exit(0)
