"""map_forked: the same results, in job order, whether forked or not."""

from __future__ import annotations

import os
import threading

import pytest

from uai18n import forked


class _State:
    """Unpicklable (a lock): a worker can only have it by inheritance."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.base = 100


def _add(state: _State, job: int) -> tuple[int, int]:
    if job < 0:
        raise ValueError(f"job {job}")
    return job + state.base, os.getpid()


def test_forked_results_come_in_job_order_from_other_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    jobs = list(range(40))
    alone = list(forked.map_forked(_add, _State(), jobs, parallel=False))
    shared = list(forked.map_forked(_add, _State(), jobs, chunks_per_worker=4))
    assert [value for value, _ in shared] == [value for value, _ in alone] == list(range(100, 140))
    assert {pid for _, pid in alone} == {os.getpid()}
    assert os.getpid() not in {pid for _, pid in shared}
    assert forked._INHERITED is None  # nothing of the run left behind


def test_a_job_s_error_is_raised_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    seen = []
    jobs = [*range(13), -1, *range(13, 30)]
    with pytest.raises(ValueError, match="job -1"):
        for value, _ in forked.map_forked(_add, _State(), jobs, chunks_per_worker=30):
            seen.append(value)
    assert seen == list(range(100, 113))
    assert forked._INHERITED is None


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})


def _pids_then(count: int, fail: bool = False):
    def work():
        for index in range(count):
            yield (index, os.getpid())
        if fail:
            raise ValueError("the worker's error")

    return work


def test_a_head_start_s_results_come_in_order_from_another_process(two_cores: None) -> None:
    with forked.HeadStart(_pids_then(3)) as ahead:
        results = [ahead.next() for _ in range(4)]
    assert [result[0] for result in results[:3]] == [0, 1, 2]
    assert {result[1] for result in results[:3]} - {os.getpid()}  # not this process
    assert results[3] is None  # then nothing: the caller does what is left


def test_a_head_start_that_fails_gives_what_it_had_then_none(two_cores: None) -> None:
    with forked.HeadStart(_pids_then(2, fail=True)) as ahead:
        assert [ahead.next()[0], ahead.next()[0]] == [0, 1]
        assert ahead.next() is None
        assert ahead.next() is None


def test_a_head_start_still_running_is_stopped_and_reaped(two_cores: None) -> None:
    def forever():
        yield "first"
        threading.Event().wait()

    ahead = forked.HeadStart(forever)
    assert ahead.next() == "first"
    pid = ahead._pid
    ahead.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left
    assert ahead.next() is None


@pytest.mark.parametrize("why", ["one core", "other threads"])
def test_no_head_start_without_a_second_core_or_with_threads(
    monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    """With one core a fork only adds its cost; with threads it could copy a
    lock another thread holds and hang. The caller then does the work."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0} if why == "one core" else {0, 1})
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    if why == "other threads":
        thread.start()
    try:
        ahead = forked.HeadStart(_pids_then(3))
        assert ahead._pid is None
        assert ahead.next() is None
    finally:
        stop.set()
        if thread.is_alive():
            thread.join()


class _Counting:
    """A helper's state: warm-up steps done, as the child counts them."""

    def __init__(self, steps: int, pause: float) -> None:
        self.steps, self.pause, self.done = steps, pause, 0

    def warm_up(self):
        for _ in range(self.steps):
            threading.Event().wait(self.pause)
            self.done += 1
            yield

    def answer(self, question: int) -> tuple[int, int, int]:
        if question < 0:
            raise ValueError("the child's error")
        return question * 2, self.done, os.getpid()


def test_a_helper_answers_from_another_process_after_warming_up(two_cores: None) -> None:
    state = _Counting(steps=3, pause=0)
    with forked.Helper(state.warm_up, state.answer) as helper:
        threading.Event().wait(0.2)  # time to warm up before the first question
        answers = [helper.ask(number) for number in (1, 2, 3)]
    assert [answer[0] for answer in answers] == [2, 4, 6]
    assert {answer[1] for answer in answers} == {3}  # warmed up, in the child
    assert {answer[2] for answer in answers} - {os.getpid()}
    assert state.done == 0  # not here


def test_a_question_stops_the_warm_up_between_steps(two_cores: None) -> None:
    """An answer is wanted now: what is not warmed up yet is done when needed."""
    state = _Counting(steps=50, pause=0.02)
    with forked.Helper(state.warm_up, state.answer) as helper:
        doubled, done, _ = helper.ask(21)
    assert doubled == 42
    assert 1 <= done < 50


def test_a_helper_that_fails_answers_none_from_then_on(two_cores: None) -> None:
    state = _Counting(steps=0, pause=0)
    helper = forked.Helper(state.warm_up, state.answer)
    assert helper.ask(1)[0] == 2
    pid = helper._pid
    assert helper.ask(-1) is None  # the child's error: the caller answers itself
    assert helper.ask(2) is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped


def test_no_helper_with_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0})
    state = _Counting(steps=1, pause=0)
    helper = forked.Helper(state.warm_up, state.answer)
    assert helper._pid is None
    assert helper.ask(1) is None
    helper.stop()


@pytest.mark.parametrize("call", ["fork", "pipe"])
def test_no_child_when_the_system_has_no_process_or_descriptor_left(
    monkeypatch: pytest.MonkeyPatch, two_cores: None, call: str
) -> None:
    """EAGAIN from fork (a process limit), EMFILE from pipe: the caller does
    the work, and no descriptor is left open."""
    import errno

    def refuse(*_: object) -> None:
        code = errno.EAGAIN if call == "fork" else errno.EMFILE
        raise OSError(code, os.strerror(code))

    before = set(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(os, call, refuse)
    state = _Counting(steps=1, pause=0)
    helper = forked.Helper(state.warm_up, state.answer)
    ahead = forked.HeadStart(_pids_then(2))
    assert helper.ask(1) is None and ahead.next() is None
    assert set(os.listdir("/proc/self/fd")) == before
