"""Wall-clock arithmetic in a zone, correct across DST gaps and folds.

Rules speak in local clock times and local calendar days ("08:00", "day 1 is
the day of the conversation"); the engine works in instants. These helpers
turn one into the other:

* ``wall_instant(day, minutes, zone)`` is the *earliest instant* whose local
  wall-clock time on ``day`` is at or after ``minutes`` past midnight. In a
  spring-forward gap (02:30 does not exist) that is the end of the gap; in a
  fall-back fold (01:30 happens twice) it is the first occurrence.
* ``day_start(day, zone)`` is the instant the local calendar day begins.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

__all__ = [
    "day_start",
    "minutes_of",
    "wall_instant",
    "wall_instant_after",
]

_MIDNIGHT = time(0, 0)


def minutes_of(local: datetime) -> int:
    """Minutes past local midnight of a local datetime."""
    return local.hour * 60 + local.minute


def _naive_wall(day: date, minutes: int) -> datetime:
    return datetime.combine(day, _MIDNIGHT) + timedelta(minutes=minutes)


@lru_cache(maxsize=16384)
def wall_instant(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """Earliest instant (UTC) at which the wall clock in ``zone`` reads ``day`` + ``minutes``.

    ``minutes`` may be 1440 (24:00, the start of the next day).
    """
    target = _naive_wall(day, minutes)
    first = target.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == target:
        return first  # exists (in a fold, fold=0 is the earlier instant)
    # The wall time falls in a gap. The answer is the transition instant: the
    # first instant whose wall time is later than the target. fold=1 reads the
    # wall time with the post-transition offset, which lands before the gap.
    low = target.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = first
    if low > high:
        low, high = high, low
    while (high - low) > timedelta(seconds=1):
        mid = low + (high - low) / 2
        if mid.astimezone(zone).replace(tzinfo=None) >= target:
            high = mid
        else:
            low = mid
    # Transitions fall on whole seconds; step to the first one at or after target.
    candidate = high.replace(microsecond=0)
    while candidate.astimezone(zone).replace(tzinfo=None) < target:
        candidate += timedelta(seconds=1)
    return candidate


def wall_instant_after(day: date, minutes: int, zone: ZoneInfo, after: datetime) -> datetime | None:
    """The earliest instant later than ``after`` at which the wall clock in
    ``zone`` reads ``day`` + ``minutes``, or None.

    Where the wall time occurs twice (the hour repeated when clocks go back),
    the second reading counts too: at 01:00 in the repeated hour, a window
    opening at 01:30 opens at the second 01:30, although the first has passed.
    """
    first = wall_instant(day, minutes, zone)
    if first > after:
        return first
    target = _naive_wall(day, minutes)
    second = target.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if second > after and second.astimezone(zone).replace(tzinfo=None) == target:
        return second
    return None


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The instant (UTC) at which local calendar ``day`` begins in ``zone``."""
    return wall_instant(day, 0, zone)
