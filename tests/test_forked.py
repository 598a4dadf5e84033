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
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    jobs = list(range(40))
    alone = list(forked.map_forked(_add, _State(), jobs, parallel=False))
    shared = list(forked.map_forked(_add, _State(), jobs, chunks_per_worker=4))
    assert [value for value, _ in shared] == [value for value, _ in alone] == list(range(100, 140))
    assert {pid for _, pid in alone} == {os.getpid()}
    assert os.getpid() not in {pid for _, pid in shared}
    assert forked._INHERITED is None  # nothing of the run left behind


def test_a_job_s_error_is_raised_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
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
