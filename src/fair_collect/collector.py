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
collects the youngest generation itself every ``COLLECT_EVERY`` requests:
that frees the cycles the batch (and any other thread) made since the last
time, and never walks the caller's older objects. Memory stays bounded and
the collector is back to its former state when the batch ends, whether it
returned or raised.

``gc.disable`` acts on the whole process. Batches in several threads share
one pause: the first to start records whether the collector was running and
pauses it; the last to end resumes it only if it was. An application that
switches the collector on or off itself while a batch runs gets the state the
first batch saw when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Requests decided between two collections of the youngest generation.
COLLECT_EVERY = 1000

_lock = threading.Lock()
_batches = 0  # batches running now
_resume = False  # whether the last batch to end turns the collector back on


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
