"""A one-line progress counter for long command-line runs.

``fair-collect test`` over many scenario files and ``lint`` over a large
template tree can take a while; on a terminal a counter on standard error
shows they are moving. In CI (the ``CI`` environment variable, set by the
common CI services) and whenever standard error is not a terminal, nothing
is written, so logs and JSON output stay clean.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

__all__ = ["Progress"]

#: Seconds between redraws: often enough to look alive, rarely enough to cost nothing.
_INTERVAL = 0.1


class Progress:
    """``step()`` once per unit of work; ``close()`` (or ``with``) clears the line."""

    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._label = label
        self._total = total
        self._count = 0
        self._width = 0
        self._last = 0.0
        isatty = getattr(self._stream, "isatty", None)
        self.enabled = bool(isatty and isatty()) and not os.environ.get("CI")

    def step(self, detail: str = "") -> None:
        self._count += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < _INTERVAL and self._count != self._total:
            return
        self._last = now
        counted = f"{self._count}/{self._total}" if self._total else str(self._count)
        line = f"{self._label} {counted} {detail}".rstrip()[:100]
        self._stream.write("\r" + line.ljust(self._width))
        self._stream.flush()
        self._width = len(line)

    def close(self) -> None:
        if self.enabled and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
