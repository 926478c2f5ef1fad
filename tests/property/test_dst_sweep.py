"""Every DST transition, 2026-2030, in every zone candidate inference can produce.

The zones are read from the data the engine infers them from: the time zones
``phonenumbers`` gives numbers of the US and Canada (+1), China, India,
Indonesia, the Philippines, the UK and Russia, and the zones of every US ZIP
code. Around each transition (the gap of spring-forward, the fold of
fall-back) and at the window's edges on the days either side, a call is
checked and its verdict compared with the local wall-clock time, read
independently with ``zoneinfo``:

* allowed exactly when the local time is inside the window (never outside
  it, and not refused inside it);
* a deny shows the true local time, and its ``next_allowed_at`` is allowed
  while the minute before it is not.

House windows whose edges fall *inside* a gap (a wall time that does not
exist that day) or a fold (one that happens twice) check the same things.

About 400 transitions in all; the sweep takes well under a minute.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from phonenumbers.tzdata import TIMEZONE_DATA

import fair_collect
from fair_collect.facts.zones import us_state_zones
from fair_collect.testing.strategies import dst_transitions

YEARS = list(range(2026, 2031))

#: Country calling codes of the countries whose numbers give candidate zones.
CALLING_CODES = ("1", "7", "44", "62", "63", "86", "91")
US_STATES = [
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "DC",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
    "PR",
    "VI",
    "GU",
    "AS",
    "MP",
]


@functools.cache
def inferable_zones() -> tuple[str, ...]:
    """Every zone a phone number of those countries or a US ZIP code or state can yield."""
    zones = {
        name
        for prefix, names in TIMEZONE_DATA.items()
        if prefix.startswith(CALLING_CODES)
        for name in names
    }
    for state in US_STATES:
        zones.update(us_state_zones(state))
    zones.discard("Etc/Unknown")
    return tuple(sorted(zones))


def transitions(zone: str, year: int) -> tuple[datetime, ...]:
    return dst_transitions(
        zone, datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    )


def test_the_sweep_covers_the_countries_named() -> None:
    zones = set(inferable_zones())
    for expected in (
        "America/New_York",
        "America/Los_Angeles",
        "America/Adak",
        "Pacific/Honolulu",
        "America/Puerto_Rico",
        "America/Toronto",
        "America/St_Johns",
        "America/Vancouver",
        "Asia/Shanghai",
        "Asia/Calcutta",
        "Asia/Jakarta",
        "Asia/Jayapura",
        "Asia/Manila",
        "Europe/London",
        "Europe/Moscow",
        "Asia/Vladivostok",
        "Asia/Kamchatka",
    ):
        assert expected in zones, expected
    with_dst = [z for z in zones if transitions(z, 2026)]
    assert len(with_dst) >= 30  # US, Canada, UK and their neighbours on +1 and +44


# ------------------------------------------------------------------ requests


def call_at(at: datetime, zone: str, jurisdiction: str = "US") -> dict[str, Any]:
    """A consumer call whose only candidate zone is ``zone`` (no number, no address)."""
    return {
        "channel": "call",
        "at": at.isoformat(),
        "collector": {"type": "third_party_collector"},
        "recipient": {"role": "borrower"},
        "borrower": {"location": {"time_zone": zone}},
        "debts": [{"id": "D1"}],
        "history": [],
        "jurisdictions": [jurisdiction],
    }


def _wall(day: date, clock: str, zone: ZoneInfo, fold: int) -> datetime:
    hours, minutes = (int(p) for p in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=zone).replace(fold=fold)


def probes(zone_name: str, year: int, edges: tuple[str, str]) -> Iterator[datetime]:
    """Instants around each transition of the year and at the window edges nearby."""
    zone = ZoneInfo(zone_name)
    found = transitions(zone_name, year)
    if not found:  # no DST: the edges on two days of the year
        found = (datetime(year, 3, 15, 12, tzinfo=UTC), datetime(year, 11, 2, 12, tzinfo=UTC))
    for moment in found:
        for seconds in (-7200, -3600, -1800, -60, -1, 0, 1, 60, 1800, 3600, 7200):
            yield moment + timedelta(seconds=seconds)
        for hours in range(-24, 25, 3):
            yield moment + timedelta(hours=hours, minutes=17)
        local_day = moment.astimezone(zone).date()
        for day in (local_day - timedelta(days=1), local_day, local_day + timedelta(days=1)):
            for clock in edges:
                for fold in (0, 1):  # both readings of a wall time in a fold
                    edge = _wall(day, clock, zone, fold).astimezone(UTC)
                    for minutes in (-1, 0, 1):
                        yield edge + timedelta(minutes=minutes)


def inside(at: datetime, zone: ZoneInfo, start: str, end: str) -> bool:
    local = at.astimezone(zone).strftime("%H:%M")
    return start <= local < end


def assert_window(
    policy: fair_collect.Policy,
    zone_name: str,
    year: int,
    start: str,
    end: str,
    jurisdiction: str = "US",
) -> int:
    """Check every probe; returns how many were checked."""
    zone = ZoneInfo(zone_name)
    count = 0
    for at in sorted(set(probes(zone_name, year, (start, end)))):
        verdict = policy.check(call_at(at, zone_name, jurisdiction))
        local = at.astimezone(zone)
        where = f"{at.isoformat()} = {local:%Y-%m-%d %H:%M:%S%z} in {zone_name}"
        count += 1
        if inside(at, zone, start, end):
            assert verdict.allowed, f"refused inside {start}-{end}: {where} {verdict.codes}"
            continue
        assert not verdict.allowed, f"allowed outside {start}-{end}: {where}"
        shown = {r.evidence.get("local_time") for r in verdict.reasons}
        assert f"{local:%H:%M}" in shown, f"{where}: the deny shows {shown}"
        after = verdict.next_allowed_at
        assert after is not None, where
        assert after >= at, where
        assert policy.check(call_at(after, zone_name, jurisdiction)).allowed, (where, after)
        before = after - timedelta(minutes=1)
        if before >= at:
            assert not policy.check(call_at(before, zone_name, jurisdiction)).allowed, (
                f"{where}: next_allowed_at {after} is not the earliest"
            )
    return count


# ------------------------------------------------------------------ the sweeps


@pytest.fixture(scope="module")
def federal() -> fair_collect.Policy:
    return fair_collect.load_policy(["us/federal"])


@pytest.mark.parametrize("year", YEARS)
def test_regulation_f_hours_hold_across_every_transition(
    federal: fair_collect.Policy, year: int
) -> None:
    checked = sum(assert_window(federal, z, year, "08:00", "21:00") for z in inferable_zones())
    assert checked > 5000


def _zones_of(*prefixes: str, but: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The zones ``phonenumbers`` gives numbers starting with ``prefixes``."""
    return tuple(
        sorted(
            {
                name
                for prefix, names in TIMEZONE_DATA.items()
                if prefix.startswith(prefixes) and not prefix.startswith(but)
                for name in names
            }
            - {"Etc/Unknown"}
        )
    )


#: The shipped packs' own windows in the zones their numbers give (India, the
#: Philippines and Russia keep no DST; a neighbour's zone sharing a prefix may).
COUNTRY_WINDOWS = [
    ("in", "IN", "08:00", "19:00", _zones_of("91")),
    ("ph", "PH", "06:00", "22:00", _zones_of("63")),
    ("ru", "RU", "08:00", "22:00", _zones_of("7", but=("76", "77"))),
]


@pytest.mark.parametrize(("pack", "code", "start", "end", "zones"), COUNTRY_WINDOWS)
def test_country_windows_hold_in_their_zones(
    pack: str, code: str, start: str, end: str, zones: tuple[str, ...]
) -> None:
    policy = fair_collect.load_policy([pack])
    assert zones
    for zone in zones:
        assert_window(policy, zone, 2026, start, end, code)


# ------------------------------------------------------------------ gaps and folds

PACK = """\
id: house/edges
title: A house window with an edge in a DST gap or fold
jurisdiction: US
version: "1"
effective:
  from: "2021-11-30"
binds: [third_party_collector]
sources:
  - source: "House policy"
"""

RULE = """\
rules:
  - id: house.edges.window
    title: Calls between {start} and {end} only
    category: time_of_day
    code: outside_house_hours
    effect: deny
    check:
      local_time_window: {{start: "{start}", end: "{end}"}}
    message: "At {{local_time}} in {{time_zone}} it is outside the house hours."
    citations:
      - source: "House policy"
    examples:
      - name: outside
        expect: deny
        request: {{at: "2026-06-09T{outside}:00-04:00"}}
      - name: inside
        expect: allow
        request: {{at: "2026-06-09T{inside}:00-04:00"}}
"""

#: Windows with an edge at a wall time that some transition skips or repeats:
#: 02:30 (the US spring gap), 01:30 (the UK gap and every fold), 01:00 and
#: 02:00 (the ends of both).
HOUSE_WINDOWS = [("02:30", "21:00"), ("01:30", "21:00"), ("00:00", "01:30"), ("01:00", "02:00")]
EDGE_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Anchorage",
    "America/Adak",
    "America/St_Johns",
    "America/Halifax",
    "Europe/London",
)


def _house_policy(root: Path, start: str, end: str) -> fair_collect.Policy:
    inside_at = "01:45" if start < "01:45" < end else "20:30"
    outside_at = "23:30" if end <= "21:00" else "00:30"
    if start == "00:00":
        inside_at, outside_at = "00:30", "12:00"
    root.mkdir(parents=True)
    (root / "pack.yaml").write_text(PACK, encoding="utf-8")
    (root / "rules.yaml").write_text(
        RULE.format(start=start, end=end, inside=inside_at, outside=outside_at), encoding="utf-8"
    )
    return fair_collect.load_policy([root])


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize(("start", "end"), HOUSE_WINDOWS)
def test_window_edges_in_gaps_and_folds(tmp_path: Path, start: str, end: str, year: int) -> None:
    policy = _house_policy(tmp_path / "edges", start, end)
    for zone in EDGE_ZONES:
        assert transitions(zone, year), zone
        assert_window(policy, zone, year, start, end)


def test_a_window_opening_in_the_gap_opens_when_the_gap_ends(tmp_path: Path) -> None:
    # 2026-03-08 in New York: 02:00 EST jumps to 03:00 EDT, so 02:30 never
    # happens. A window from 02:30 opens at 03:00 EDT (07:00 UTC), the first
    # wall time at or after 02:30.
    policy = _house_policy(tmp_path / "gap", "02:30", "21:00")
    zone = "America/New_York"
    early = datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC)  # 01:59:59 EST
    verdict = policy.check(call_at(early, zone))
    assert not verdict.allowed
    assert verdict.next_allowed_at == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert policy.check(call_at(datetime(2026, 3, 8, 7, 0, tzinfo=UTC), zone)).allowed


def test_a_window_closing_in_the_fold_closes_at_its_first_reading(tmp_path: Path) -> None:
    # 2026-11-01 in New York: 01:00-02:00 happens twice (EDT, then EST). A
    # window ending at 01:30 is closed from 01:30 EDT; at 01:15 EST (the
    # second reading of 01:15) the wall clock is inside it again.
    policy = _house_policy(tmp_path / "fold", "00:00", "01:30")
    zone = "America/New_York"
    first_0115 = datetime(2026, 11, 1, 5, 15, tzinfo=UTC)  # 01:15 EDT
    first_0130 = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    second_0115 = datetime(2026, 11, 1, 6, 15, tzinfo=UTC)  # 01:15 EST
    second_0145 = datetime(2026, 11, 1, 6, 45, tzinfo=UTC)  # 01:45 EST
    assert policy.check(call_at(first_0115, zone)).allowed
    assert not policy.check(call_at(first_0130, zone)).allowed
    assert policy.check(call_at(second_0115, zone)).allowed
    assert not policy.check(call_at(second_0145, zone)).allowed


def test_a_window_opening_in_the_second_reading_of_a_fold_gives_its_opening(
    tmp_path: Path,
) -> None:
    # 01:00 EST on 2026-11-01 is the second reading of 01:00; the window from
    # 01:30 opens at the second reading of 01:30 (06:30 UTC), half an hour later.
    policy = _house_policy(tmp_path / "fold", "01:30", "21:00")
    zone = "America/New_York"
    verdict = policy.check(call_at(datetime(2026, 11, 1, 6, 0, tzinfo=UTC), zone))
    assert not verdict.allowed
    assert verdict.next_allowed_at == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
