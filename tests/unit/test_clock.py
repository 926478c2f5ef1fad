"""Wall-clock arithmetic: ``wall_instant`` is the earliest instant whose local wall
time on a day is at or after a clock time, across DST gaps and folds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from fair_collect.facts.clock import day_start, wall_instant, wall_instant_after
from fair_collect.testing.strategies import dst_transitions

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def hm(hours: int, minutes: int = 0) -> int:
    return hours * 60 + minutes


@pytest.mark.parametrize(
    ("day", "minutes", "zone", "expected", "local"),
    [
        # normal days
        (date(2026, 6, 9), hm(10, 30), NEW_YORK, utc(2026, 6, 9, 14, 30), "10:30-04:00"),
        (date(2026, 1, 15), hm(8), NEW_YORK, utc(2026, 1, 15, 13), "08:00-05:00"),
        (date(2026, 6, 9), 0, NEW_YORK, utc(2026, 6, 9, 4), "00:00-04:00"),
        # spring forward in New York: 02:00-03:00 does not exist
        (date(2026, 3, 8), hm(2, 30), NEW_YORK, utc(2026, 3, 8, 7), "03:00-04:00"),
        (date(2026, 3, 8), hm(2), NEW_YORK, utc(2026, 3, 8, 7), "03:00-04:00"),
        (date(2026, 3, 8), hm(2, 59), NEW_YORK, utc(2026, 3, 8, 7), "03:00-04:00"),
        (date(2026, 3, 8), hm(3), NEW_YORK, utc(2026, 3, 8, 7), "03:00-04:00"),
        (date(2026, 3, 8), hm(1, 59), NEW_YORK, utc(2026, 3, 8, 6, 59), "01:59-05:00"),
        (date(2026, 3, 8), hm(8), NEW_YORK, utc(2026, 3, 8, 12), "08:00-04:00"),
        # fall back in New York: 01:00-02:00 happens twice; the first is EDT
        (date(2026, 11, 1), hm(1, 30), NEW_YORK, utc(2026, 11, 1, 5, 30), "01:30-04:00"),
        (date(2026, 11, 1), hm(1), NEW_YORK, utc(2026, 11, 1, 5), "01:00-04:00"),
        (date(2026, 11, 1), hm(2), NEW_YORK, utc(2026, 11, 1, 7), "02:00-05:00"),
        (date(2026, 11, 1), hm(21), NEW_YORK, utc(2026, 11, 2, 2), "21:00-05:00"),
        # 24:00 is the next midnight
        (date(2026, 6, 9), 1440, NEW_YORK, utc(2026, 6, 10, 4), "00:00-04:00"),
        (date(2026, 3, 7), 1440, NEW_YORK, utc(2026, 3, 8, 5), "00:00-05:00"),
        (date(2026, 10, 31), 1440, NEW_YORK, utc(2026, 11, 1, 4), "00:00-04:00"),
        (date(2026, 12, 31), 1440, NEW_YORK, utc(2027, 1, 1, 5), "00:00-05:00"),
        # London: 01:00-02:00 is skipped on 29 March, repeated on 25 October
        (date(2026, 3, 29), hm(1, 30), LONDON, utc(2026, 3, 29, 1), "02:00+01:00"),
        (date(2026, 3, 29), hm(0, 59), LONDON, utc(2026, 3, 29, 0, 59), "00:59+00:00"),
        (date(2026, 10, 25), hm(1, 30), LONDON, utc(2026, 10, 25, 0, 30), "01:30+01:00"),
        # Lord Howe moves by 30 minutes: 02:00-02:30 is skipped on 4 October ...
        (date(2026, 10, 4), hm(2, 15), LORD_HOWE, utc(2026, 10, 3, 15, 30), "02:30+11:00"),
        (date(2026, 10, 4), hm(2), LORD_HOWE, utc(2026, 10, 3, 15, 30), "02:30+11:00"),
        (date(2026, 10, 4), hm(2, 30), LORD_HOWE, utc(2026, 10, 3, 15, 30), "02:30+11:00"),
        (date(2026, 10, 4), hm(1, 59), LORD_HOWE, utc(2026, 10, 3, 15, 29), "01:59+10:30"),
        # ... and 01:30-02:00 happens twice on 5 April
        (date(2026, 4, 5), hm(1, 45), LORD_HOWE, utc(2026, 4, 4, 14, 45), "01:45+11:00"),
        (date(2026, 4, 5), hm(2), LORD_HOWE, utc(2026, 4, 4, 15, 30), "02:00+10:30"),
    ],
)
def test_wall_instant(
    day: date, minutes: int, zone: ZoneInfo, expected: datetime, local: str
) -> None:
    instant = wall_instant(day, minutes, zone)
    assert instant == expected
    wall = instant.astimezone(zone)
    assert (wall.second, wall.microsecond) == (0, 0)
    assert f"{wall:%H:%M}{wall.isoformat()[19:]}" == local


def test_day_start_when_midnight_does_not_exist() -> None:
    # Havana springs forward at 00:00: the day begins at 01:00.
    havana = ZoneInfo("America/Havana")
    start = day_start(date(2026, 3, 8), havana)
    assert start == utc(2026, 3, 8, 5)
    assert start.astimezone(havana).isoformat() == "2026-03-08T01:00:00-04:00"


def test_day_that_was_skipped_entirely() -> None:
    # Samoa skipped 30 December 2011: every time that day is the start of the 31st.
    apia = ZoneInfo("Pacific/Apia")
    for minutes in (0, hm(10), hm(23, 59)):
        instant = wall_instant(date(2011, 12, 30), minutes, apia)
        assert instant.astimezone(apia).isoformat() == "2011-12-31T00:00:00+14:00"


# ------------------------------------------------------------------ every transition

ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "America/Havana",
    "America/Santiago",
    "Europe/London",
    "Europe/Dublin",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
]


def _transitions(zone: ZoneInfo, year: int) -> Iterator[tuple[datetime, timedelta, timedelta]]:
    """(instant, offset before, offset after) of every offset change in ``year``."""
    first, last = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    for instant in dst_transitions(zone.key, first, last):
        before = (instant - timedelta(seconds=1)).astimezone(zone).utcoffset()
        after = instant.astimezone(zone).utcoffset()
        assert before is not None
        assert after is not None
        yield instant, before, after


def _cases() -> Iterator[object]:
    for name in ZONES:
        zone = ZoneInfo(name)
        for instant, before, after in _transitions(zone, 2026):
            yield pytest.param(zone, instant, before, after, id=f"{name}-{instant:%m%d}")


@pytest.mark.parametrize(("zone", "instant", "before", "after"), list(_cases()))
def test_every_2026_transition(
    zone: ZoneInfo, instant: datetime, before: timedelta, after: timedelta
) -> None:
    wall_before = (instant + before).replace(tzinfo=None)  # wall clock just before
    wall_after = (instant + after).replace(tzinfo=None)  # wall clock just after
    if after > before:  # a gap: wall times in [wall_before, wall_after) do not exist
        middle = wall_before + (wall_after - wall_before) / 2
        for target in (wall_before, middle):
            minutes = (target - datetime.combine(target.date(), datetime.min.time())).seconds // 60
            assert wall_instant(target.date(), minutes, zone) == instant
    else:  # a fold: wall times in [wall_after, wall_before) happen twice
        middle = wall_after + (wall_before - wall_after) / 2
        minutes = (middle - datetime.combine(middle.date(), datetime.min.time())).seconds // 60
        first = middle.replace(tzinfo=UTC) - before
        assert wall_instant(middle.date(), minutes, zone) == first
    # The day of the transition starts at its local midnight (or the end of a gap there).
    day = wall_after.date()
    start = day_start(day, zone)
    assert start.astimezone(zone).date() == day
    assert (start - timedelta(seconds=1)).astimezone(zone).date() < day


def test_the_transition_table_is_not_empty() -> None:
    assert len(list(_cases())) >= 2 * len(ZONES) - 2


def test_a_wall_time_in_the_repeated_hour_is_found_in_its_second_reading() -> None:
    ny = ZoneInfo("America/New_York")
    fall_back = date(2026, 11, 1)  # 01:00-02:00 happens twice
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST
    assert wall_instant_after(fall_back, 90, ny, datetime(2026, 11, 1, 5, 0, tzinfo=UTC)) == first
    assert wall_instant_after(fall_back, 90, ny, datetime(2026, 11, 1, 6, 0, tzinfo=UTC)) == second
    assert wall_instant_after(fall_back, 90, ny, second) is None
    assert wall_instant_after(date(2026, 6, 1), 90, ny, datetime(2026, 6, 1, 6, tzinfo=UTC)) is None
