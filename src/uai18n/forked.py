"""Work shared among forked workers that inherit the run's state.

Status counting and memory-only pre-translation hold large state (a project's
stamps, a translation memory) that would cost more to pickle than to use: a
forked worker inherits it instead. Results come back in job order, so output
never depends on how many workers there were, and an error in a job is the
run's error, raised where a sequential run would have raised it.

:class:`HeadStart` is the small case: one worker that does ahead of time what
this process will need later (a check reads the sources while it loads the
glossary); :class:`Helper` one that answers its questions (a lemma), having
imported what the answers need meanwhile. Both import nothing heavy.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import marshal
import os
import signal
import struct
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Self, TypeVar

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

    workers = min(usable_cores(), len(jobs))
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


#: Each message's length before it, in the pipes of :class:`HeadStart` and :class:`Helper`.
_LENGTH = struct.Struct("<Q")
#: What :func:`_receive` gives when the other end has closed or sent garbage.
_NOTHING = object()


class _Child:
    """A forked child and the pipes to it; :meth:`stop` ends and reaps it.

    Messages are what :mod:`marshal` writes (numbers, strings, tuples, lists,
    dicts): the child is our own, and marshal runs no code.
    """

    def __init__(self) -> None:
        self._pid: int | None = None
        self._pipes: list[Any] = []

    def _fork(self, child: Callable[[int, int], None]) -> tuple[Any, Any] | None:
        """Fork ``child(reads, writes)`` with two pipes; this process's ends of them
        (to read, to write), or None when no child should be forked."""
        if not can_fork():
            return None
        ends: list[int] = []
        try:
            ends += os.pipe()  # this process -> the child
            ends += os.pipe()  # the child -> this process
            pid = os.fork()
        except OSError:  # no file descriptors or processes left: no shortcut
            for end in ends:
                os.close(end)
            return None
        down_read, down_write, up_read, up_write = ends
        if pid == 0:
            os.close(down_write)
            os.close(up_read)
            try:
                # the inherited objects out of its collections: traversing
                # them would copy every page they are on
                gc.freeze()
                null = os.open(os.devnull, os.O_RDWR)
                for descriptor in (0, 1, 2):  # its output would repeat this process's
                    os.dup2(null, descriptor)
                child(down_read, up_write)
            finally:  # never the parent's exit handlers, never its buffers flushed
                os._exit(0)
        os.close(down_read)
        os.close(up_write)
        self._pid = pid
        self._pipes = [os.fdopen(up_read, "rb"), os.fdopen(down_write, "wb")]
        return self._pipes[0], self._pipes[1]

    def stop(self) -> None:
        """End the child, finished or not, and reap it."""
        for pipe in self._pipes:
            with contextlib.suppress(OSError):
                pipe.close()
        self._pipes = []
        if self._pid is not None:
            with contextlib.suppress(OSError):  # it has exited already
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):  # reaped by an os.wait() elsewhere
                os.waitpid(self._pid, 0)
            self._pid = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


class HeadStart(_Child):
    """``work()`` run in a forked child while this process goes on; its results
    come back one at a time, in order, through a pipe.

    Only ever a head start: when there is no second core, no ``fork``, other
    threads (a fork would copy their locks held), or when the child fails,
    dies or is stopped, :meth:`next` answers None and the caller does the
    rest itself. So an error is raised by the caller, where a run without a
    head start raises it, with the same message.
    """

    def __init__(self, work: Callable[[], Iterable[Any]]) -> None:
        super().__init__()
        pipes = self._fork(functools.partial(_produce, work))
        self._results = pipes[0] if pipes is not None else None

    def next(self) -> Any | None:
        """The child's next result; None once it has no more (or gave up)."""
        if self._results is None:
            return None
        result = _receive(self._results)
        if result is _NOTHING:
            self._results = None
            self.stop()
            return None
        return result


class Helper(_Child):
    """A forked child that answers this process's questions, having first done
    ``warm_up()``, which it starts on at once: what the answers need (a
    library to import, data to load) is made ready beside this process's
    other work instead of in its way. ``warm_up`` is a generator: at each
    of its steps the child stops warming up if a question is waiting.

    Only ever a shortcut, as :class:`HeadStart`: when no child could be
    forked, or it fails, dies or is stopped, :meth:`ask` answers None and
    the caller answers itself.
    """

    def __init__(self, warm_up: Callable[[], Iterable[None]], answer: Callable[[Any], Any]) -> None:
        super().__init__()
        self._ends = self._fork(functools.partial(_serve, warm_up, answer))

    def ask(self, question: Any) -> Any | None:
        """The child's answer to ``question`` (it may still be warming up)."""
        if self._ends is None:
            return None
        answers, questions = self._ends
        try:
            _send(questions, question)
            answer = _receive(answers)
        except OSError:  # it is gone: a broken pipe
            answer = _NOTHING
        if answer is _NOTHING:
            self._ends = None
            self.stop()
            return None
        return answer

    def stop(self) -> None:
        self._ends = None
        super().stop()


def usable_cores() -> int:
    """The cores this process may use: its affinity mask, which a container or
    ``taskset`` narrows (``os.cpu_count`` counts every core of the host)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)  # not on Linux


def can_fork() -> bool:
    """Whether a forked child would run beside this process, safely."""
    if not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    return usable_cores() >= 2


def _send(pipe: Any, message: Any) -> None:
    body = marshal.dumps(message)
    pipe.write(_LENGTH.pack(len(body)) + body)
    pipe.flush()


def _receive(pipe: Any) -> Any:
    """The next message, or :data:`_NOTHING` at the end of the pipe or on garbage."""
    try:
        head = pipe.read(_LENGTH.size)
        if len(head) == _LENGTH.size:
            (size,) = _LENGTH.unpack(head)
            body = pipe.read(size)
            if len(body) == size:
                return marshal.loads(body)
    except (OSError, ValueError, EOFError, TypeError):
        pass
    return _NOTHING


def _produce(work: Callable[[], Iterable[Any]], _: int, results: int) -> None:
    """In :class:`HeadStart`'s child: send each result."""
    with os.fdopen(results, "wb") as pipe:
        for result in work():
            _send(pipe, result)


def _serve(
    warm_up: Callable[[], Iterable[None]], answer: Callable[[Any], Any], asked: int, answers: int
) -> None:
    """In :class:`Helper`'s child: warm up until a question comes, then answer
    each question until this process closes its end."""
    import select

    with os.fdopen(asked, "rb") as questions, os.fdopen(answers, "wb") as replies:
        for _ in warm_up():
            if select.select([asked], [], [], 0)[0]:
                break
        while (question := _receive(questions)) is not _NOTHING:
            _send(replies, answer(question))
