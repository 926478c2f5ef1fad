"""``check_many`` pauses the garbage collector for its batch and leaves it as
it found it: running or not, after a return or a raise, with batches in
several threads overlapping. Cyclic garbage made during a batch is still
freed while the batch runs."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import fair_collect
from fair_collect import collector
from fair_collect.errors import InputError

Factory = Callable[..., dict[str, Any]]


@pytest.fixture(autouse=True)
def _collector_left_running() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_a_batch_runs_with_the_collector_paused_and_resumes_it(request_for: Factory) -> None:
    policy = fair_collect.default_policy()
    seen = []

    def requests() -> Iterator[dict[str, Any]]:
        for _ in range(3):
            seen.append(gc.isenabled())
            yield request_for()

    assert len(policy.check_many(requests())) == 3
    assert seen == [False, False, False]
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_application_stays_off(request_for: Factory) -> None:
    gc.disable()
    fair_collect.default_policy().check_many([request_for()])
    assert not gc.isenabled()


def test_a_bad_request_raises_and_the_collector_resumes(request_for: Factory) -> None:
    with pytest.raises(InputError):
        fair_collect.default_policy().check_many([request_for(), {"channel": "call"}])
    assert gc.isenabled()


def test_overlapping_batches_in_threads_resume_the_collector_once_all_end() -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    states: dict[str, bool] = {}

    def first() -> None:
        with collector.paused():
            first_in.set()
            second_in.wait(5)
        states["after first"] = gc.isenabled()
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with collector.paused():
            second_in.set()
            first_out.wait(5)
            states["second, after first ended"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert states == {"after first": False, "second, after first ended": False}
    assert gc.isenabled()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_cycles_made_during_a_batch_are_freed_during_it(
    request_for: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch collects young garbage itself every ``COLLECT_EVERY``
    requests, so garbage another thread (or a check) makes in cycles while
    the collector is paused does not pile up."""
    monkeypatch.setattr(collector, "COLLECT_EVERY", 10)
    alive: list[int] = []

    def requests() -> Iterator[dict[str, Any]]:
        for _ in range(40):
            _Cycle()  # unreachable at once, freed only by a collection
            alive.append(sum(1 for o in gc.get_objects(generation=0) if type(o) is _Cycle))
            yield request_for()

    fair_collect.default_policy().check_many(requests())
    assert max(alive) <= 10


def test_cycles_that_outlive_a_young_collection_are_freed_during_the_batch(
    request_for: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cycle still alive at a young collection moves to an older generation;
    the middle and full collections of the schedule free it once it dies,
    while the batch still runs."""
    monkeypatch.setattr(collector, "COLLECT_EVERY", 2)
    alive: list[int] = []
    held: list[_Cycle] = []

    def requests() -> Iterator[dict[str, Any]]:
        for _ in range(80):
            held.append(_Cycle())  # alive across the next collection...
            if len(held) > 1:
                held.pop(0)  # ...then dropped
            alive.append(sum(1 for o in gc.get_objects() if type(o) is _Cycle))
            yield request_for()

    fair_collect.default_policy().check_many(requests())
    assert max(alive) <= 25


def test_a_child_forked_during_a_batch_has_its_collector_back() -> None:
    read_end, write_end = os.pipe()
    with collector.paused():
        assert not gc.isenabled()
        pid = os.fork()
        if pid == 0:  # the child
            try:
                with collector.paused():  # the lock was reset: no deadlock
                    pass
                os.write(write_end, b"1" if gc.isenabled() else b"0")
            finally:
                os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    assert os.read(read_end, 1) == b"1"
    os.close(read_end)
    assert gc.isenabled()
