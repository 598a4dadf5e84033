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
