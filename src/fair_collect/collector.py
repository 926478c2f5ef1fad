"""Pausing Python's cyclic garbage collector for a batch of checks.

``Policy.check_many`` decides thousands of requests in one call, and a caller
holding such a batch holds it as objects: 100,000 W2 request dicts are about
3.6 million of them. Every check allocates, so the collector runs often, and
now and then it runs a full collection, which walks every object the process
holds, however few of them the checks made. On a batch of 20,000 W2 requests
collection took about 40% of the time (1,333 checks/s with the collector
running, 2,140 with it off).

A check leaves little cyclic garbage (reference counting frees nearly all it
makes). So for a batch the automatic collector is paused, and ``check_many``
collects itself, on the schedule of CPython's default thresholds counted in
requests (those of every batch of the process together): the youngest
generation every ``COLLECT_EVERY`` requests, the middle one every ten of
those, and everything every hundred (once per 100,000 requests). The young collections free the cycles the batch, and any
other thread, made since the last one; the middle and full ones free those
that were still alive at a young collection and died later. So memory stays
bounded however long batches run back to back, and the caller's objects
are walked once per 100,000 requests rather than many times. The collector
is back to its former state when the batch ends, whether it returned or
raised.

``gc.disable`` acts on the whole process. Batches in several threads share
one pause: the first to start records whether the collector was running and
pauses it; the last to end resumes it only if it was. An application that
switches the collector on or off itself while a batch runs gets the state the
first batch saw when the last one ends. A process forked while a batch runs
in another thread starts with no batch running and the collector as the
first batch found it.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Requests decided between two collections of the youngest generation; the
#: middle generation is collected every ten of those, all of them every hundred.
COLLECT_EVERY = 1000

_lock = threading.Lock()
_batches = 0  # batches running now
_resume = False  # whether the last batch to end turns the collector back on
_decided = 0  # requests decided in batches, in this process


@contextmanager
def paused() -> Iterator[None]:
    """Pause automatic garbage collection for the ``with`` block (see the module)."""
    global _batches, _resume
    with _lock:
        if _batches == 0:
            _resume = gc.isenabled()
            gc.disable()
        _batches += 1
    try:
        yield
    finally:
        with _lock:
            _batches -= 1
            if _batches == 0 and _resume:
                gc.enable()


def decided_one() -> None:
    """Count one request decided in a batch, and collect what is then due.

    Requests are counted across batches, not per batch: small batches run
    back to back in several threads may keep the collector paused for good,
    and their requests still reach the middle and full collections. (The
    count is not locked: two threads counting at once may skip a collection
    now and then, never make one wrong.)"""
    global _decided
    _decided += 1
    if _decided % COLLECT_EVERY:
        return
    rounds = _decided // COLLECT_EVERY
    gc.collect(2 if rounds % 100 == 0 else 1 if rounds % 10 == 0 else 0)


def _after_fork_in_child() -> None:
    """The child of a fork has only the forking thread: no batch runs there."""
    global _batches, _lock
    _lock = threading.Lock()  # (another thread may have held it at the fork)
    if _batches:
        _batches = 0
        if _resume:
            gc.enable()


os.register_at_fork(after_in_child=_after_fork_in_child)
