"""Hypothesis strategies for requests, histories, phone numbers, zones and DST edges.

Public API for auditors' own property tests. It imports ``hypothesis`` (the
``test`` extra), so nothing else in fair_collect imports this module.

Every strategy produces JSON-ready values where the request contract wants
them (SPEC.md section 2): requests, borrowers, debts and contact events are
plain ``dict``/``list``/``str``/``int``/``bool``/``None`` trees, instants are
ISO 8601 strings with an offset. ``instants`` and ``dst_edge_instants``
produce aware ``datetime`` objects, which ``iso`` turns into request text.

    >>> from hypothesis import given
    >>> import fair_collect
    >>> from fair_collect.testing.strategies import requests
    >>> policy = fair_collect.load_policy()
    >>> @given(requests(channel="call"))
    ... def test_every_deny_has_a_reason(request):
    ...     verdict = policy.check(request)
    ...     assert verdict.allowed or verdict.reasons
    >>> test_every_deny_has_a_reason()
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from operator import itemgetter
from typing import Any, TypeAlias, TypeVar, get_args
from zoneinfo import ZoneInfo

import phonenumbers
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy
from phonenumbers import PhoneNumberType
from phonenumbers.tzdata import TIMEZONE_DATA
from pydantic import TypeAdapter, ValidationError

from fair_collect.checks.time import clock_minutes
from fair_collect.errors import InputError
from fair_collect.facts.clock import wall_instant
from fair_collect.facts.zoneinfo_cache import ZoneNotFound, get_zone
from fair_collect.model import (
    ADDRESS_KINDS_BY_CHANNEL,
    CHANNELS,
    COLLECTOR_TYPES,
    EARLIEST,
    LATEST,
    PHONE_CHANNELS,
    PURPOSES,
    RECIPIENT_ROLES,
    WEEKDAYS,
    ClockTime,
    Direction,
    parse_request,
)

__all__ = [
    "CONSUMER_ROLES",
    "DEFAULT_MAX_INSTANT",
    "DEFAULT_MIN_INSTANT",
    "OTHER_TIME_ZONES",
    "STATUS_FACTS",
    "US_TIME_ZONES",
    "Knob",
    "borrowers",
    "contact_events",
    "debts",
    "dst_edge_instants",
    "dst_transitions",
    "histories",
    "instants",
    "invalid_requests",
    "iso",
    "phone_numbers",
    "requests",
    "rewritten_offsets",
    "time_zones",
    "us_locations",
    "utc_offsets",
    "wall_clock_instants",
]

T = TypeVar("T")

#: A strategy knob: a fixed value, a list of values to choose from, a
#: strategy, or None for the default mix.
Knob: TypeAlias = str | Sequence[str] | SearchStrategy[str] | None

#: Zones candidate inference produces for US borrowers: ZIP codes, states and
#: North American area codes (single-zone states, split states, no-DST zones).
US_TIME_ZONES: tuple[str, ...] = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Adak",
    "America/Boise",
    "America/Detroit",
    "America/Indiana/Indianapolis",
    "America/Kentucky/Louisville",
    "America/North_Dakota/Center",
    "America/Juneau",
    "America/Nome",
    "America/Puerto_Rico",
    "America/St_Thomas",
    "Pacific/Guam",
    "Pacific/Pago_Pago",
)

#: Zones outside the US that country codes, phone numbers or an explicit
#: ``time_zone`` produce, chosen for awkward offsets: half- and quarter-hour
#: offsets, southern-hemisphere DST, a 30-minute DST shift, link names.
OTHER_TIME_ZONES: tuple[str, ...] = (
    "Asia/Shanghai",
    "Europe/London",
    "Asia/Calcutta",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "America/Toronto",
    "America/Mexico_City",
    "Europe/Berlin",
)

#: Recipients who are "the consumer" under 12 CFR 1006.6(a).
CONSUMER_ROLES: tuple[str, ...] = (
    "borrower",
    "co_borrower",
    "spouse",
    "parent_of_minor",
    "guardian",
    "executor",
)

#: Default bounds of generated instants: Regulation F is in force throughout.
DEFAULT_MIN_INSTANT = datetime(2022, 1, 1, tzinfo=UTC)
DEFAULT_MAX_INSTANT = datetime(2032, 12, 31, 23, 59, 59, tzinfo=UTC)

_DIRECTIONS_ALLOWED: tuple[str, ...] = get_args(Direction)
#: The request model's own rule for "HH:MM" (00:00 to 24:00), so that a clock
#: time this module accepts is one the engine accepts.
_CLOCK_TIME: TypeAdapter[str] = TypeAdapter(ClockTime)
_DEBT_KINDS = (
    "credit_card",
    "consumer",
    "student_loan",
    "medical",
    "auto_loan",
    "personal_loan",
    "mortgage",
    "consumer_loan",
    "internet_loan",
    "private_loan",
    "utility bill",
)
_CLOCK_TIMES = tuple(f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 15, 30, 45))
_SCRIPTS = (
    "This is Example Recovery LLC calling about a personal business matter. Please call us back.",
    "Hello, this is a message for Jane Roe from Example Recovery LLC. Please call 800-555-0100.",
    "Your account ending 1234 is past due. Reply STOP to opt out.",
    "We are a debt collector. This is an attempt to collect a debt.",
    "您好，这里是示例公司，请回电。",
    "Hello, this is Sam Smith. I am trying to reach Jane Roe; please ask her to call me back.",
)
#: What letters show on the envelope and who they say they are from: neutral
#: text, nothing at all, and words that disclose a debt (15 U.S.C. 1692f(8)).
_ENVELOPE_TEXTS = (
    "Example Recovery LLC, PO Box 12, Springfield, IL 62701",
    "",
    "Personal and confidential",
    "FINAL NOTICE: past-due account",
    "Debt Collection Department",
)
_SENDER_NAMES = ("Example Recovery LLC", "ERS Services", "Example Debt Collection Agency")
_SUBJECTS = ("Your account", "Message from Example Recovery LLC", "Past due balance")
_VISIBILITIES = ("private", "private", "contacts", "public")
#: Places as borrowers and callers name them: canonical names, aliases the
#: federal pack maps (work, office) and places no address kind gives.
_DECLARED_PLACES = ("workplace", "work", "Office", "home", "hospital", "school")
_RECIPIENT_PLACES = ("home", "workplace", "office", "Work", "hospital", "car")
_RECONTACT_REASONS = ("requested_by_recipient", "earlier_answer_incomplete")
#: Recipients a location-information contact is for (15 U.S.C. 1692b): not the
#: consumer, nor the consumer's attorney.
_LOCATION_ROLES: tuple[str, ...] = tuple(
    r for r in RECIPIENT_ROLES if r not in CONSUMER_ROLES and r != "attorney"
)

# Outcomes as they occur in practice, most common first (sampling repeats
# entries to weight them; shrinking moves towards the first).
_OUTCOMES_BY_CHANNEL: dict[str, tuple[str | None, ...]] = {
    "call": (
        "no_answer",
        "no_answer",
        "no_answer",
        "voicemail",
        "voicemail",
        "conversation",
        "busy",
        "not_in_service",
        "limited_content_message",
        None,
    ),
    "voicemail": ("voicemail", "limited_content_message", "failed", None),
    "sms": ("delivered", "delivered", "failed", "replied", "undeliverable", None),
    "email": ("delivered", "opened", "delivered", "replied", "undeliverable", None),
    "letter": ("delivered", "undeliverable", None),
}
_INBOUND_OUTCOMES: dict[str, tuple[str | None, ...]] = {
    "call": ("conversation", "conversation", "no_answer", "voicemail", None),
    "sms": ("replied", "delivered"),
    "email": ("replied", "delivered"),
}
_HISTORY_CHANNELS = (
    "call",
    "call",
    "call",
    "call",
    "call",
    "call",
    "voicemail",
    "sms",
    "sms",
    "email",
    "email",
    "letter",
)


# --------------------------------------------------------------------- helpers


def iso(instant: datetime) -> str:
    """An aware datetime as request text (ISO 8601 with its own offset).

    >>> iso(datetime(2026, 6, 9, 14, 30, tzinfo=UTC))
    '2026-06-09T14:30:00+00:00'
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidArgument(f"iso() needs an aware datetime, got {instant!r}")
    return instant.isoformat()


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _knob(
    value: Knob, default: SearchStrategy[T], name: str, check: Callable[[str], None]
) -> SearchStrategy[T | str]:
    """The strategy a knob stands for. Given values are checked now and drawn
    values of a given strategy when drawn, so that a value the request model
    rejects is an ``InvalidArgument`` naming the knob, not a "valid" request
    that fails validation far from its cause."""
    if value is None:
        return default
    if isinstance(value, SearchStrategy):
        return value.map(functools.partial(_checked, check))
    if isinstance(value, str):
        check(value)
        return st.just(value)
    values = tuple(value)
    if not values:
        raise InvalidArgument(f"{name} must not be an empty list")
    for one in values:
        check(one)
    return st.sampled_from(values)


def _checked(check: Callable[[str], None], value: str) -> str:
    check(value)
    return value


def _check_one_of(allowed: Sequence[str], name: str) -> Callable[[str], None]:
    def check(value: str) -> None:
        if value not in allowed:
            raise InvalidArgument(f"{name}: {value!r} is not one of {', '.join(allowed)}")

    return check


def _check_zone(name: str) -> Callable[[str], None]:
    def check(value: str) -> None:
        try:
            get_zone(value)
        except (ZoneNotFound, TypeError):
            raise InvalidArgument(f"{name}: {value!r} is not an IANA time zone") from None

    return check


def _jurisdiction_codes(codes: Sequence[str]) -> tuple[str, ...]:
    """``codes`` if the request model accepts them as ``jurisdictions``."""
    if isinstance(codes, str):
        raise InvalidArgument(f"jurisdictions: expected a list of codes, got {codes!r}")
    values = tuple(codes)
    probe = {"channel": "call", "at": iso(DEFAULT_MIN_INSTANT), "jurisdictions": list(values)}
    try:
        parse_request(probe)
    except InputError as error:
        problems = "; ".join(f"{p.loc}: {p.msg}" for p in error.problems)
        raise InvalidArgument(f"jurisdictions: {problems}") from None
    return values


def _clock_minutes(text: str, name: str) -> int:
    """Minutes past midnight of a clock time the request model accepts."""
    try:
        _CLOCK_TIME.validate_python(text)
    except ValidationError:
        raise InvalidArgument(f"{name}: {text!r} is not a clock time HH:MM (00:00-24:00)") from None
    return clock_minutes(text)


def _sometimes(draw: DrawFn, one_in: int) -> bool:
    """True about once in ``one_in`` draws; shrinks to False (the simpler request)."""
    return draw(st.integers(0, one_in - 1)) == one_in - 1


def _size(min_size: int, max_size: int, name: str) -> None:
    if min_size < 0 or max_size < min_size:
        raise InvalidArgument(f"{name}: need 0 <= min_size <= max_size")


def _flag(value: object, name: str) -> bool:
    """A True/False knob; anything else (a truthy string, None) is refused."""
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}: expected True or False, got {value!r}")
    return value


def _texts(values: Sequence[str], name: str) -> tuple[str, ...]:
    """A list of free-text values (a lone string is refused, not split into characters)."""
    if isinstance(values, str) or not all(isinstance(v, str) for v in values):
        raise InvalidArgument(f"{name}: expected a list of strings, got {values!r}")
    return tuple(values)


def _in_engine_range(moment: datetime) -> datetime:
    """``moment``, or the nearer end of the instants the request model accepts
    (``model.EARLIEST``..``model.LATEST``) when it falls outside them."""
    return min(max(moment, EARLIEST), LATEST)


def _near(
    draw: DrawFn,
    now: datetime,
    back: timedelta,
    ahead: timedelta = timedelta(0),
    ahead_one_in: int = 0,
) -> str:
    """Request text for an instant up to ``back`` before ``now`` or, about once in
    ``ahead_one_in`` draws, up to ``ahead`` after it (shrinking towards ``now``
    and the past); written in ``now``'s offset, UTC or another offset.

    Durations are elapsed time (computed in UTC), not wall-clock time in
    ``now``'s zone, which a DST change in between would stretch or shrink.
    """
    start = now.astimezone(UTC)
    if ahead_one_in and _sometimes(draw, ahead_one_in):
        moment = start + draw(st.timedeltas(timedelta(seconds=1), max(ahead, timedelta(seconds=1))))
    else:
        moment = start - draw(st.timedeltas(timedelta(0), back))
    written = draw(st.sampled_from(_EVENT_OFFSETS)) or now.tzinfo or UTC
    return iso(_in_engine_range(moment).astimezone(written))


# ----------------------------------------------------------------- time zones


@functools.lru_cache(maxsize=8)
def time_zones(*, us_only: bool = False, with_dst: bool | None = None) -> SearchStrategy[str]:
    """IANA zone names that candidate-zone inference can produce.

    ``us_only`` keeps the US zones (ZIP codes, states, area codes);
    ``with_dst=True`` keeps zones that change offset between
    ``DEFAULT_MIN_INSTANT`` and ``DEFAULT_MAX_INSTANT``, ``False`` those that
    do not (America/Phoenix, Pacific/Honolulu, Asia/Shanghai, ...).

    >>> from hypothesis import given
    >>> @given(time_zones(us_only=True))
    ... def test_zone(name):
    ...     assert name.startswith(("America/", "Pacific/"))
    >>> test_zone()
    """
    names = US_TIME_ZONES if us_only else US_TIME_ZONES + OTHER_TIME_ZONES
    if with_dst is not None:
        names = tuple(n for n in names if bool(dst_transitions(n)) == with_dst)
    return st.sampled_from(names)


def _quarter_hour_offset(quarters: int) -> tzinfo:
    return timezone(timedelta(minutes=15 * quarters))


def _minute_offset(minutes: int) -> tzinfo:
    return timezone(timedelta(minutes=minutes))


def _zone(name: str) -> tzinfo:
    return ZoneInfo(name)


@functools.cache
def utc_offsets() -> SearchStrategy[tzinfo]:
    """Ways of writing an instant: UTC, fixed offsets from -12:00 to +14:00, or a zone.

    Fixed offsets are mostly whole quarter hours, sometimes any whole minute.

    >>> from hypothesis import given
    >>> @given(utc_offsets())
    ... def test_offset(tz):
    ...     assert datetime(2026, 6, 9, tzinfo=tz).utcoffset() is not None
    >>> test_offset()
    """
    quarter_hours = st.integers(-48, 56).map(_quarter_hour_offset)
    minutes = st.integers(-12 * 60, 14 * 60).map(_minute_offset)
    zones = time_zones().map(_zone)
    return st.one_of(st.just(UTC), quarter_hours, zones, minutes)


@functools.lru_cache(maxsize=256)
def instants(
    min_value: datetime = DEFAULT_MIN_INSTANT,
    max_value: datetime = DEFAULT_MAX_INSTANT,
    *,
    offsets: SearchStrategy[tzinfo] | None = None,
) -> SearchStrategy[datetime]:
    """Aware datetimes between ``min_value`` and ``max_value`` (inclusive), each
    written with a random UTC offset or zone (see ``utc_offsets``).

    Naive bounds are taken as UTC. Instants spread over the whole range
    (hypothesis also favours its ends); the written offset is drawn
    independently of the instant.

    >>> from hypothesis import given
    >>> @given(instants(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)))
    ... def test_aware(at):
    ...     assert at.utcoffset() is not None and at.year in (2025, 2026, 2027)
    >>> test_aware()
    """
    low, high = _utc(min_value), _utc(max_value)
    if high < low:
        raise InvalidArgument("instants: max_value is before min_value")
    naive = st.datetimes(min_value=low.replace(tzinfo=None), max_value=high.replace(tzinfo=None))
    return st.builds(_written, naive, offsets if offsets is not None else utc_offsets())


def _written(moment: datetime, tz: tzinfo) -> datetime:
    """A naive UTC moment, written in ``tz``."""
    return moment.replace(tzinfo=UTC).astimezone(tz)


@functools.lru_cache(maxsize=256)
def _transitions(name: str, low: datetime, high: datetime) -> tuple[datetime, ...]:
    zone = ZoneInfo(name)
    step = timedelta(hours=6)
    found: list[datetime] = []
    before = low
    offset = before.astimezone(zone).utcoffset()
    while before < high:
        after = min(before + step, high)
        new_offset = after.astimezone(zone).utcoffset()
        if new_offset != offset:
            lo, hi = before, after  # offset(lo) == offset, offset(hi) != offset
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(zone).utcoffset() == offset:
                    lo = mid
                else:
                    hi = mid
            found.append(hi.replace(microsecond=0))
            offset = new_offset
        before = after
    return tuple(found)


def dst_transitions(
    zone: str,
    min_value: datetime = DEFAULT_MIN_INSTANT,
    max_value: datetime = DEFAULT_MAX_INSTANT,
) -> tuple[datetime, ...]:
    """Instants (UTC) at which ``zone`` changes its UTC offset, read from zoneinfo.

    Nothing is hard-coded: the zone's own rules are sampled and each change
    is located to the second. Empty for zones without DST.

    >>> [t.isoformat() for t in dst_transitions("America/New_York",
    ...     datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))]
    ['2026-03-08T07:00:00+00:00', '2026-11-01T06:00:00+00:00']
    """
    ZoneInfo(zone)  # raise early for an unknown zone
    return _transitions(zone, _utc(min_value), _utc(max_value))


def dst_edge_instants(
    zone: str | None = None,
    *,
    within: timedelta = timedelta(hours=6),
    min_value: datetime = DEFAULT_MIN_INSTANT,
    max_value: datetime = DEFAULT_MAX_INSTANT,
) -> SearchStrategy[datetime]:
    """Instants at most ``within`` from a DST transition of ``zone``.

    Transitions come from ``dst_transitions``. About half of the draws land
    within two minutes of the transition itself. The instant is usually
    written in ``zone`` (so its wall clock sits in the gap or the fold), else
    with another offset. ``zone=None`` picks a zone with DST. A zone without
    transitions in range yields ordinary ``instants`` in that zone. Every
    instant lies between ``min_value`` and ``max_value`` (inclusive).

    >>> from hypothesis import given
    >>> @given(dst_edge_instants("America/New_York", within=timedelta(hours=1)))
    ... def test_edge(at):
    ...     assert any(abs(at - t) <= timedelta(hours=1)
    ...                for t in dst_transitions("America/New_York"))
    >>> test_edge()
    """
    if within < timedelta(0):
        raise InvalidArgument("dst_edge_instants: within must not be negative")
    if zone is not None:
        ZoneInfo(zone)
    low, high = _utc(min_value), _utc(max_value)
    if high < low:
        raise InvalidArgument("dst_edge_instants: max_value is before min_value")
    names = time_zones(with_dst=True) if zone is None else st.just(zone)
    return _dst_edge(names, within, low, high)


@st.composite
def _dst_edge(
    draw: DrawFn, names: SearchStrategy[str], within: timedelta, low: datetime, high: datetime
) -> datetime:
    name = draw(names)
    tz: tzinfo = ZoneInfo(name)
    # Transitions are located to the whole second, which may fall just before a
    # ``low`` with microseconds.
    edges = [t for t in _transitions(name, low, high) if low <= t <= high]
    if not edges:
        moment = draw(st.datetimes(low.replace(tzinfo=None), high.replace(tzinfo=None)))
        return _written(moment, tz)
    written = draw(st.one_of(st.just(tz), st.just(tz), utc_offsets()))
    moment = draw(st.sampled_from(edges))
    # Offsets from the transition that keep the instant inside [low, high];
    # both ranges contain zero because the transition does.
    earliest, latest = max(-within, low - moment), min(within, high - moment)
    near = min(within, timedelta(minutes=2))
    delta = draw(
        st.one_of(
            st.timedeltas(max(-near, earliest), min(near, latest)),
            st.timedeltas(earliest, latest),
        )
    )
    return (moment + delta).astimezone(written)


def wall_clock_instants(
    zone: str,
    clock_times: Sequence[str] = ("08:00", "21:00"),
    *,
    within: timedelta = timedelta(minutes=2),
    min_value: datetime = DEFAULT_MIN_INSTANT,
    max_value: datetime = DEFAULT_MAX_INSTANT,
) -> SearchStrategy[datetime]:
    """Instants at most ``within`` from a local wall-clock time in ``zone``, on any day.

    For probing window boundaries (08:00 and 21:00 by default). Written in
    ``zone``, and between ``min_value`` and ``max_value`` (inclusive). A wall
    time is the instant the engine gives it (``facts.clock.wall_instant``):
    in a spring-forward gap the end of the gap, in a fall-back fold the first
    occurrence.

    >>> from hypothesis import given
    >>> @given(wall_clock_instants("America/Chicago", ["21:00"], within=timedelta(0)))
    ... def test_nine_pm(at):
    ...     assert (at.hour, at.minute) == (21, 0)
    >>> test_nine_pm()
    """
    if within < timedelta(0):
        raise InvalidArgument("wall_clock_instants: within must not be negative")
    tz = ZoneInfo(zone)
    if isinstance(clock_times, str):
        clock_times = [clock_times]
    minutes = tuple(
        sorted({_clock_minutes(text, "wall_clock_instants clock_times") for text in clock_times})
    )
    if not minutes:
        raise InvalidArgument("wall_clock_instants: clock_times must not be empty")
    low, high = _utc(min_value), _utc(max_value)
    if high < low:
        raise InvalidArgument("wall_clock_instants: max_value is before min_value")
    return _near_wall(tz, minutes, _WallRange.of(tz, minutes, low, high, within), within)


@dataclass(frozen=True, slots=True)
class _WallRange:
    """The wall-clock times (day, clock time) with an instant within reach of
    [low, high], numbered in time order: index ``i`` is clock time
    ``minutes[i % n]`` on day ``first_day + i // n``."""

    first_day: date
    first: int
    last: int
    low: datetime
    high: datetime

    @classmethod
    def of(
        cls,
        tz: ZoneInfo,
        minutes: tuple[int, ...],
        low: datetime,
        high: datetime,
        within: timedelta,
    ) -> _WallRange:
        # Wall instants only grow with the index, so the reachable ones form
        # one run: find its ends by walking in from both sides.
        first_day = (low - within).astimezone(tz).date() - timedelta(days=1)
        last_day = (high + within).astimezone(tz).date() + timedelta(days=1)
        count = ((last_day - first_day).days + 1) * len(minutes)

        def reachable(index: int) -> bool:
            day = first_day + timedelta(days=index // len(minutes))
            wall = wall_instant(day, minutes[index % len(minutes)], tz)
            return low - within <= wall <= high + within

        first = next((i for i in range(count) if reachable(i)), None)
        if first is None:
            raise InvalidArgument(
                "wall_clock_instants: no such wall-clock time between min_value and max_value"
            )
        last = next(i for i in reversed(range(count)) if reachable(i))
        return cls(first_day, first, last, low, high)


@st.composite
def _near_wall(
    draw: DrawFn, tz: ZoneInfo, minutes: tuple[int, ...], span: _WallRange, within: timedelta
) -> datetime:
    index = draw(st.integers(span.first, span.last))
    day = span.first_day + timedelta(days=index // len(minutes))
    wall = wall_instant(day, minutes[index % len(minutes)], tz)
    # Only offsets that stay inside [low, high]; never empty for a reachable wall time.
    delta = draw(st.timedeltas(max(-within, span.low - wall), min(within, span.high - wall)))
    return (wall + delta).astimezone(tz)


# ---------------------------------------------------------------- phone numbers


@functools.lru_cache(maxsize=64)
def _nanp_area_codes(region: str) -> tuple[str, ...]:
    codes = sorted({p[1:4] for p in TIMEZONE_DATA if p.startswith("1") and len(p) >= 4})
    found = []
    for code in codes:
        number = phonenumbers.parse(f"+1{code}2345678", None)
        if phonenumbers.region_code_for_number(number) == region and phonenumbers.is_valid_number(
            number
        ):
            found.append(code)
    return tuple(found)


_TOLL_FREE_AREA_CODES = ("800", "833", "844", "855", "866", "877", "888")
_PHONE_KINDS = ("geographic", "mobile", "fixed_line", "toll_free")


def phone_numbers(
    region: str = "US", *, kind: str = "geographic", area_codes: Sequence[str] = ()
) -> SearchStrategy[str]:
    """Valid phone numbers of ``region`` in E.164 form (``+12125550123``).

    North American numbers (``US``, ``CA``, ``PR``, ...) are built from real
    area codes of the region (or the given ``area_codes``) and checked with
    ``phonenumbers.is_valid_number``; other regions vary the last digits of
    ``phonenumbers.example_number_for_type``. ``kind`` is ``geographic``
    (mobile or fixed line), ``mobile``, ``fixed_line`` or ``toll_free``
    (which carries no location, so it adds no candidate zone).

    >>> from hypothesis import given
    >>> @given(phone_numbers("US"))
    ... def test_valid(number):
    ...     assert phonenumbers.is_valid_number(phonenumbers.parse(number))
    >>> test_valid()
    """
    return _phone_numbers(region, kind, tuple(area_codes))


@functools.lru_cache(maxsize=1024)
def _phone_numbers(region: str, kind: str, area_codes: tuple[str, ...]) -> SearchStrategy[str]:
    if kind not in _PHONE_KINDS:
        raise InvalidArgument(f"phone_numbers: kind must be one of {', '.join(_PHONE_KINDS)}")
    if phonenumbers.country_code_for_region(region) == 0:
        raise InvalidArgument(f"phone_numbers: unknown region {region!r}")
    if phonenumbers.country_code_for_region(region) == 1:
        if kind == "toll_free":
            codes: tuple[str, ...] = _TOLL_FREE_AREA_CODES
        else:
            codes = area_codes or _nanp_area_codes(region)
        if not codes:
            raise InvalidArgument(f"phone_numbers: no area codes known for {region!r}")
        return _nanp_numbers(codes)
    types = {
        "geographic": (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE),
        "mobile": (PhoneNumberType.MOBILE,),
        "fixed_line": (PhoneNumberType.FIXED_LINE,),
        "toll_free": (PhoneNumberType.TOLL_FREE,),
    }[kind]
    examples = [
        e for t in types if (e := phonenumbers.example_number_for_type(region, t)) is not None
    ]
    if not examples:
        raise InvalidArgument(f"phone_numbers: no {kind} example number for {region!r}")
    return _varied_numbers(tuple(examples))


@st.composite
def _nanp_numbers(draw: DrawFn, codes: tuple[str, ...]) -> str:
    area = draw(st.sampled_from(codes))
    exchange = draw(st.integers(200, 999))
    line = draw(st.integers(0, 9999))
    text = f"+1{area}{exchange}{line:04d}"
    if not phonenumbers.is_valid_number(phonenumbers.parse(text, None)):
        # Rare (N11 exchanges and the like): fall back to a known-valid shape.
        text = f"+1{area}2345678"
    return text


@st.composite
def _varied_numbers(draw: DrawFn, examples: tuple[phonenumbers.PhoneNumber, ...]) -> str:
    example = draw(st.sampled_from(examples))
    national = str(example.national_number)
    keep = max(len(national) - 4, 2)
    tail = draw(st.integers(0, 10 ** (len(national) - keep) - 1))
    candidate = f"+{example.country_code}{national[:keep]}{tail:0{len(national) - keep}d}"
    if phonenumbers.is_valid_number(phonenumbers.parse(candidate, None)):
        return candidate
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)


# -------------------------------------------------------------------- locations


@functools.lru_cache(maxsize=1)
def _us_zip_records() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    import zipcodes  # deferred: materialises 42,000 records

    state = re.compile(r"[A-Z0-9]{1,3}")
    rows = []
    # A list of its own, not ``list_all()``'s, which zipcodes keeps for good.
    for entry in zipcodes.filter_by():  # type: ignore[no-untyped-call]
        if not entry.get("active") or not state.fullmatch(entry.get("state") or ""):
            continue
        area_codes = tuple(a for a in entry.get("area_codes") or () if re.fullmatch(r"\d{3}", a))
        rows.append((entry["zip_code"], entry["state"], entry.get("timezone") or "", area_codes))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class _UsPlace:
    location: dict[str, Any]
    area_codes: tuple[str, ...]


def _us_place(draw: DrawFn) -> _UsPlace:
    rows = _us_zip_records()
    zip5, state, zone, area_codes = rows[draw(st.integers(0, len(rows) - 1))]
    location: dict[str, Any] = {"country": "US"}
    shape = draw(st.sampled_from(("zip_and_state", "zip_and_state", "zip", "state")))
    if shape != "state":
        plus4 = draw(st.booleans()) and draw(st.booleans())
        location["postal_code"] = f"{zip5}-{draw(st.integers(0, 9999)):04d}" if plus4 else zip5
    if shape != "zip":
        location["region"] = state
    if _sometimes(draw, 4):
        # An explicit zone: usually the ZIP code's own, sometimes another one
        # (a borrower who moved, a stale record).
        same = zone in US_TIME_ZONES and draw(st.booleans())
        location["time_zone"] = zone if same else draw(time_zones(us_only=True))
    return _UsPlace(location, area_codes)


def us_locations() -> SearchStrategy[dict[str, Any]]:
    """``borrower.location`` objects for US addresses drawn from real ZIP codes.

    Each has ``country`` US and a ZIP code (sometimes ZIP+4) and/or its state,
    and sometimes an explicit ``time_zone`` (not always the ZIP code's own).

    >>> from hypothesis import given
    >>> @given(us_locations())
    ... def test_us(location):
    ...     assert location["country"] == "US"
    >>> test_us()
    """
    return _us_location()


@st.composite
def _us_location(draw: DrawFn) -> dict[str, Any]:
    return _us_place(draw).location


_OTHER_LOCATIONS: dict[str, tuple[dict[str, Any], ...]] = {
    "CN": (
        {"country": "CN", "region": "BJ", "postal_code": "100000"},
        {"country": "CN", "region": "SH"},
        {"country": "CN"},
    ),
    "GB": ({"country": "GB", "postal_code": "SW1A 1AA"}, {"country": "GB", "region": "ENG"}),
    "IN": ({"country": "IN", "region": "MH", "postal_code": "400001"}, {"country": "IN"}),
    "CA": (
        {"country": "CA", "region": "ON", "postal_code": "M5V 2T6"},
        {"country": "CA", "region": "BC", "time_zone": "America/Vancouver"},
    ),
}


# -------------------------------------------------------------------- borrowers


def _clock_span(draw: DrawFn) -> dict[str, Any]:
    start = draw(st.sampled_from(_CLOCK_TIMES))
    end = draw(st.sampled_from([t for t in (*_CLOCK_TIMES, "24:00") if t != start]))
    span: dict[str, Any] = {"start": start, "end": end}
    if draw(st.booleans()):
        span["days"] = draw(
            st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=3, unique=True)
        )
    return span


@st.composite
def _borrower_phone(
    draw: DrawFn, region: str, area_codes: tuple[str, ...], now: datetime | None = None
) -> dict[str, Any]:
    """A ``borrower.phones`` entry: usually from the borrower's own area codes.

    With ``now``, now and then the 1006.6(d)(5) facts: the borrower texted from
    it, and when it was last checked for reassignment (rarely after ``now``).
    """
    local = bool(area_codes) and draw(st.integers(0, 2)) != 0
    phone: dict[str, Any] = {
        "number": draw(phone_numbers(region, area_codes=area_codes if local else ()))
    }
    kind = draw(st.sampled_from(("mobile", "mobile", "landline", "work_phone", None)))
    if kind is not None:
        phone["kind"] = kind
    if now is not None:
        if _sometimes(draw, 4):
            phone["consumer_texted"] = True
        if _sometimes(draw, 4):
            phone["reassignment_checked_at"] = _near(
                draw, now, timedelta(days=60), timedelta(days=3), ahead_one_in=8
            )
    return phone


def _borrower_emails(draw: DrawFn, now: datetime, channel_facts: bool) -> list[dict[str, Any]]:
    """One email address (work or personal), and with ``channel_facts`` sometimes
    both, with the 1006.6(d)(4) facts: a creditor notice about the address
    (sent long enough ago or not), a prior collector's use, an unrecorded kind."""
    work = draw(st.booleans())
    kinds = [work]
    if channel_facts and _sometimes(draw, 3):
        kinds.append(not work)
    emails = []
    for is_work in kinds:
        email: dict[str, Any] = {
            "address": "jane.roe@employer.example" if is_work else "jane.roe@mail.example",
            "kind": "work_email" if is_work else "personal_email",
            "consumer_used": draw(st.booleans()),
        }
        if channel_facts:
            if _sometimes(draw, 3):
                # The 35-day wait of 1006.6(d)(4)(ii): over for some, not for others.
                email["creditor_notice_at"] = _near(
                    draw, now, timedelta(days=70), timedelta(days=5), ahead_one_in=10
                )
            if _sometimes(draw, 5):
                email["prior_collector_used"] = True
            if _sometimes(draw, 10):
                del email["kind"]
        emails.append(email)
    return emails


def _national(number: str) -> str:
    """A North American number as people write it, without the country code."""
    if number.startswith("+1") and len(number) == 12:
        return f"({number[2:5]}) {number[5:8]}-{number[8:]}"
    return number


def _address_consent(draw: DrawFn, borrower: dict[str, Any], now: datetime) -> dict[str, Any]:
    """An ``electronic`` (email, texts) or ``autodialed`` consent, usually naming
    one of the borrower's addresses (a number sometimes written without its
    country code), sometimes none or another one."""
    kind = draw(st.sampled_from(("electronic", "electronic", "autodialed")))
    phones = [p["number"] for p in borrower.get("phones") or []]
    emails = [e["address"] for e in borrower.get("emails") or []]
    channels: tuple[str | None, ...] = (
        ("call", "sms", None) if kind == "autodialed" else ("email", "sms", None)
    )
    channel = draw(st.sampled_from(channels))
    consent: dict[str, Any] = {
        "kind": kind,
        "given_at": _near(draw, now, timedelta(days=30), timedelta(days=2), ahead_one_in=10),
    }
    if channel is not None:
        consent["channel"] = channel
    if channel == "email":
        addresses = emails or ["someone@mail.example"]
    elif channel is None and kind == "electronic":
        addresses = [*emails, *phones] or ["+12025550143"]
    else:
        addresses = phones or ["+12025550143"]
    address = draw(st.sampled_from([*addresses, *addresses, None]))
    if address is not None:
        if address.startswith("+") and _sometimes(draw, 4):
            address = _national(address)
        consent["address"] = address
    return consent


def _some_debts(draw: DrawFn, debt_ids: Sequence[str]) -> list[str]:
    return draw(st.lists(st.sampled_from(tuple(debt_ids)), min_size=1, unique=True))


#: The consumer statuses ``status_facts`` names.
STATUS_FACTS: tuple[str, ...] = (
    "cease",
    "attorney",
    "dispute",
    "bankruptcy",
    "deceased",
    "hardship",
    "opt_out",
)


@dataclass(frozen=True, slots=True)
class _Statuses:
    """What ``status_facts`` asks for: which statuses, and whether every
    borrower has one (a named status) or only now and then (True)."""

    names: SearchStrategy[str]
    always: bool

    @classmethod
    def of(cls, value: bool | Knob) -> _Statuses | None:
        if value is True:
            return cls(st.sampled_from(STATUS_FACTS), always=False)
        if value is False or value is None:
            return None
        if not isinstance(value, str | SearchStrategy | list | tuple):
            raise InvalidArgument(
                f"status_facts: expected True, False, a status, a list or a strategy, got {value!r}"
            )
        check = _check_one_of(STATUS_FACTS, "status_facts")
        return cls(_knob(value, st.nothing(), "status_facts", check), always=True)


def _status_fact(
    draw: DrawFn,
    borrower: dict[str, Any],
    now: datetime,
    debt_ids: Sequence[str],
    names: SearchStrategy[str],
) -> None:
    """One consumer status: a cease, an attorney, a dispute, an opt-out, ..."""
    fact = draw(names)
    back = draw(st.timedeltas(timedelta(hours=1), timedelta(days=60)))
    received = iso(_in_engine_range(now.astimezone(UTC) - back).astimezone(now.tzinfo))
    if fact == "cease":
        cease: dict[str, Any] = {"received_at": received, "in_writing": draw(st.booleans())}
        if _sometimes(draw, 4):
            cease["debt_ids"] = _some_debts(draw, debt_ids)
        borrower["cease_request"] = cease
    elif fact == "attorney":
        # 12 CFR 1006.6(b)(2): the attorney's consent lifts the bar, and so does
        # silence (``attorney_responded`` false, not unknown) a reasonable
        # period after the collector's last communication to the attorney.
        # That communication is usually before the action (long enough ago or
        # not), sometimes after it.
        representation: dict[str, Any] = {"attorney_known": draw(st.integers(0, 3)) != 0}
        if _sometimes(draw, 4):
            representation["debt_ids"] = _some_debts(draw, debt_ids)
        if _sometimes(draw, 5):
            representation["attorney_consented"] = True
        if draw(st.integers(0, 3)) != 0:
            representation["attorney_last_communicated_at"] = _near(
                draw, now, timedelta(days=60), timedelta(days=10), ahead_one_in=5
            )
            responded = draw(st.sampled_from((False, False, None, True)))
            if responded is not None:
                representation["attorney_responded"] = responded
        borrower["represented_by_attorney"] = representation
    elif fact == "dispute":
        dispute: dict[str, Any] = {
            "debt_id": draw(st.sampled_from(tuple(debt_ids))),
            "received_at": received,
            "in_writing": not _sometimes(draw, 6),
        }
        if _sometimes(draw, 6):
            dispute["verification_sent"] = True
        borrower["disputes"] = [dispute]
    elif fact == "opt_out":
        channel = draw(st.sampled_from(("sms", "email", "call", "letter")))
        opt_out: dict[str, Any] = {"channel": channel}
        if not _sometimes(draw, 8):
            opt_out["at"] = received
        if channel == "email":
            addresses = [e["address"] for e in borrower.get("emails") or []]
        elif channel == "letter":
            addresses = []
        else:
            addresses = [p["number"] for p in borrower.get("phones") or []]
        if addresses and _sometimes(draw, 3):
            opt_out["address"] = draw(st.sampled_from(addresses))
        borrower["opt_outs"] = [opt_out]
    else:
        borrower[fact] = True


def _party_facts(draw: DrawFn, borrower: dict[str, Any], now: datetime) -> None:
    """Where the borrower may not be reached: an employer's prohibition of
    contact at work (known before the action, or only after it) and places the
    borrower declared inconvenient."""
    if _sometimes(draw, 6):
        prohibition: dict[str, Any] = {}
        if not _sometimes(draw, 4):
            prohibition["since"] = _near(
                draw, now, timedelta(days=90), timedelta(days=5), ahead_one_in=6
            )
        if draw(st.booleans()):
            prohibition["in_writing"] = True
        borrower["workplace_contact_prohibited"] = prohibition
    if _sometimes(draw, 6):
        borrower["inconvenient_places"] = draw(
            st.lists(st.sampled_from(_DECLARED_PLACES), min_size=1, max_size=2, unique=True)
        )


def _borrower(
    draw: DrawFn,
    *,
    country: str | None,
    at: datetime | None,
    min_phones: int,
    max_phones: int,
    status_facts: _Statuses | None,
    call_consent: bool | None = None,
    channel_facts: bool = True,
    party_facts: bool = True,
    debt_ids: Sequence[str] = ("D1",),
) -> dict[str, Any]:
    now = at if at is not None else draw(instants())
    borrower: dict[str, Any] = {"id": f"B{draw(st.integers(1, 999))}"}
    area_codes: tuple[str, ...] = ()
    region = country or "US"
    if country is not None and draw(st.integers(0, 7)) != 0:
        if country == "US":
            place = _us_place(draw)
            borrower["location"] = place.location
            area_codes = tuple(a for a in place.area_codes if a in _nanp_area_codes("US"))
        elif country in _OTHER_LOCATIONS:
            borrower["location"] = dict(draw(st.sampled_from(_OTHER_LOCATIONS[country])))
        else:
            borrower["location"] = {"country": country}
    # Distinct numbers, so that there are as many as asked for.
    borrower["phones"] = draw(
        st.lists(
            _borrower_phone(region, area_codes, now if channel_facts else None),
            min_size=min_phones,
            max_size=max_phones,
            unique_by=itemgetter("number"),
        )
    )
    if draw(st.booleans()):
        borrower["emails"] = _borrower_emails(draw, now, channel_facts)
    if _sometimes(draw, 5):
        borrower["inconvenient_times"] = [_clock_span(draw)]
    # The call consent (when there is one) comes first: callers rely on it.
    consents: list[dict[str, Any]] = []
    if call_consent or (call_consent is None and _sometimes(draw, 5)):
        back = draw(st.timedeltas(timedelta(minutes=1), timedelta(days=4)))
        given = _in_engine_range(now.astimezone(UTC) - back)
        consent: dict[str, Any] = {
            "kind": "call",
            "given_at": iso(given.astimezone(draw(utc_offsets()))),
            "channel": "call",
        }
        if draw(st.booleans()):
            # "Call me back between ...": a window of a few hours that may
            # already be over, be open now, or open later.
            opens = given + timedelta(minutes=15 * draw(st.integers(0, 4 * 24 * 12)))
            closes = opens + timedelta(minutes=15 * draw(st.integers(1, 4 * 8)))
            consent["window_start"] = iso(_in_engine_range(opens).astimezone(now.tzinfo))
            consent["window_end"] = iso(_in_engine_range(closes).astimezone(now.tzinfo))
        consents.append(consent)
    if channel_facts and _sometimes(draw, 3):
        consents.append(_address_consent(draw, borrower, now))
    if party_facts and _sometimes(draw, 8):
        # The borrower's consent to contact with third parties (1006.6(d)(1)).
        third_party: dict[str, Any] = {
            "kind": "third_party",
            "given_at": _near(draw, now, timedelta(days=30), timedelta(days=2), ahead_one_in=8),
        }
        if draw(st.booleans()):
            third_party["channel"] = draw(st.sampled_from(("call", "email", "letter")))
        consents.append(third_party)
    if consents:
        borrower["consents"] = consents
    if _sometimes(draw, 6):
        borrower["language"] = draw(st.sampled_from(("en", "es", "zh", "en-US")))
    if status_facts is not None and (status_facts.always or _sometimes(draw, 5)):
        _status_fact(draw, borrower, now, debt_ids, status_facts.names)
    if party_facts:
        _party_facts(draw, borrower, now)
    return borrower


_borrower_strategy = st.composite(_borrower)


def borrowers(
    *,
    country: str | None = "US",
    at: datetime | None = None,
    min_phones: int = 0,
    max_phones: int = 2,
    status_facts: bool | Knob = True,
    call_consent: bool | None = None,
    channel_facts: bool = True,
    party_facts: bool = True,
) -> SearchStrategy[dict[str, Any]]:
    """``borrower`` objects: a location (real US ZIP codes for ``country="US"``),
    ``min_phones`` to ``max_phones`` distinct phone numbers (often from the ZIP
    code's own area codes, sometimes from elsewhere), and now and then an
    email, declared inconvenient times, a call consent given shortly before
    ``at`` (always with ``call_consent=True``, never with False; half of them
    name a call-back window that may be past, open or still to come; it is
    always ``consents[0]``), a language, and (``status_facts``) a cease
    request, attorney, dispute, opt-out, bankruptcy, death or hardship.
    ``status_facts`` may also name one of ``STATUS_FACTS`` (a value, a list to
    choose from or a strategy, like the other knobs): every borrower then has
    one of those.

    An attorney may have consented to direct contact, and the collector's
    last communication to the attorney is often recorded (usually before
    ``at``, 30 days ago or more or not, sometimes after it) with the
    attorney's answer: none, an answer, or not recorded. Cease requests and
    attorneys sometimes cover only some debts (``D1`` here, the request's
    debts in ``requests``); disputes are sometimes oral or already verified.

    ``channel_facts`` adds, now and then, the Regulation F 1006.6(d)(4)-(5)
    facts: numbers the borrower texted from or that were checked for
    reassignment, a second email address, creditor notices about an address
    and a prior collector's use of it, and an ``electronic`` or ``autodialed``
    consent that usually names one of the borrower's addresses.
    ``party_facts`` adds an employer's prohibition of contact at work, places
    the borrower declared inconvenient and a ``third_party`` consent. Instants
    fall near ``at`` (sometimes after it) and inside the engine's range.

    ``country=None`` gives borrowers without a location (and US numbers). The
    location is left out in about one draw in eight either way.

    >>> from hypothesis import given
    >>> @given(borrowers(min_phones=1))
    ... def test_phone(borrower):
    ...     assert borrower["phones"][0]["number"].startswith("+1")
    >>> test_phone()
    >>> @given(borrowers(status_facts=False, channel_facts=False, party_facts=False))
    ... def test_plain(borrower):
    ...     assert "disputes" not in borrower and "workplace_contact_prohibited" not in borrower
    ...     assert all(c["kind"] == "call" for c in borrower.get("consents", []))
    >>> test_plain()
    >>> @given(borrowers(status_facts="attorney"))
    ... def test_represented(borrower):
    ...     assert "represented_by_attorney" in borrower
    >>> test_represented()
    """
    _size(min_phones, max_phones, "borrowers")
    if at is not None and (at.tzinfo is None or at.utcoffset() is None):
        raise InvalidArgument("borrowers: at must be aware")
    return _borrower_strategy(
        country=country,
        at=at,
        min_phones=min_phones,
        max_phones=max_phones,
        status_facts=_Statuses.of(status_facts),
        call_consent=call_consent,
        channel_facts=_flag(channel_facts, "channel_facts"),
        party_facts=_flag(party_facts, "party_facts"),
    )


# ------------------------------------------------------------------------ debts


def _debt_items(draw: DrawFn, min_size: int, max_size: int, flags: bool) -> list[dict[str, Any]]:
    items = []
    for index in range(draw(st.integers(min_size, max_size))):
        kind = draw(st.sampled_from(_DEBT_KINDS))
        debt: dict[str, Any] = {"id": f"D{index + 1}", "kind": kind}
        if draw(st.booleans()):
            cents = draw(st.integers(1, 5_000_000))
            debt["amount"] = f"{cents // 100}.{cents % 100:02d}"
            debt["currency"] = "USD"
            debt["creditor"] = draw(st.sampled_from(("Example Bank", "Acme Card Services")))
        if draw(st.booleans()):
            debt["days_past_due"] = draw(st.integers(0, 2000))
        if kind == "student_loan" and draw(st.booleans()):
            debt["servicing_account"] = f"SA-{draw(st.integers(1, 2))}"
        if flags and _sometimes(draw, 10):
            debt["time_barred"] = True
        items.append(debt)
    return items


_debt_lists = st.composite(_debt_items)


@functools.lru_cache(maxsize=64)
def debts(*, min_size: int = 1, max_size: int = 3) -> SearchStrategy[list[dict[str, Any]]]:
    """``debts`` lists with unique ids ``D1``, ``D2``, ...

    Kinds mix the known ones with free text; student loans sometimes share a
    servicing account (Regulation F counts them as one debt). Amounts are
    decimal strings. About one debt in ten is time-barred.

    >>> from hypothesis import given
    >>> @given(debts(min_size=2))
    ... def test_ids(items):
    ...     assert len({d["id"] for d in items}) == len(items)
    >>> test_ids()
    """
    _size(min_size, max_size, "debts")
    return _debt_lists(min_size, max_size, True)


def _last_day(moment: datetime, written: tzinfo) -> str:
    """The date (``YYYY-MM-DD``) a notice would state for a period ending near ``moment``."""
    day = moment.astimezone(written).date()
    return min(max(day, EARLIEST.date()), LATEST.date()).isoformat()


def _validation_facts(
    draw: DrawFn, debt_list: list[dict[str, Any]], borrower: dict[str, Any], at: datetime
) -> None:
    """Validation notices and periods (12 CFR 1006.34) for the request's debts.

    A disputed debt often gets the instant its validation notice was sent
    and/or the last day of the period the notice states (a date), placed
    around the dispute so that disputes are received both within the period
    (timely) and after it (late). Any debt now and then gets a notice sent
    shortly before the action, which is what furnishing it to a credit bureau
    waits on.
    """
    by_id = {d["id"]: d for d in debt_list}
    for dispute in borrower.get("disputes") or []:
        debt = by_id.get(dispute["debt_id"])
        if debt is None:
            continue
        received = datetime.fromisoformat(dispute["received_at"])
        shape = draw(st.sampled_from(("none", "stated", "sent", "both")))
        if shape == "none":
            continue
        written = draw(st.sampled_from(_EVENT_OFFSETS)) or received.tzinfo or UTC
        if shape == "stated":
            end = received + draw(st.timedeltas(timedelta(days=-20), timedelta(days=20)))
            debt["validation_period_ends_at"] = _last_day(end, written)
            continue
        # Sent up to 75 days before the dispute: the period (30 days from an
        # assumed receipt 5 business days later) is over for about half.
        sent = received - draw(st.timedeltas(timedelta(0), timedelta(days=75)))
        debt["validation_notice_sent_at"] = iso(_in_engine_range(sent).astimezone(written))
        if shape == "both":
            # A notice states an end at least 30 days after it was sent.
            end = sent + draw(st.timedeltas(timedelta(days=30), timedelta(days=45)))
            debt["validation_period_ends_at"] = _last_day(end, written)
    disputed = {dispute["debt_id"] for dispute in borrower.get("disputes") or []}
    undisputed = [d for d in debt_list if d["id"] not in disputed]
    if undisputed and _sometimes(draw, 8):
        debt = draw(st.sampled_from(undisputed))
        debt["validation_notice_sent_at"] = _near(
            draw, at, timedelta(days=40), timedelta(days=5), ahead_one_in=8
        )


# ------------------------------------------------------------- contact history


@dataclass(frozen=True, slots=True)
class _EventKnobs:
    channels: SearchStrategy[str]
    roles: SearchStrategy[str | None]
    directions: SearchStrategy[str | None]
    addresses: SearchStrategy[str | None]
    debt_ids: SearchStrategy[tuple[str, ...] | None]
    purposes: SearchStrategy[str | None]
    names: SearchStrategy[str | None]
    #: Addresses for events off the telephone (email, letters, ...); None: ``addresses``.
    other_addresses: SearchStrategy[str | None] | None = None

    @classmethod
    def of(
        cls,
        channels: Knob,
        recipient_roles: Knob,
        directions: Knob,
        addresses: Sequence[str],
        debt_ids: Sequence[str],
        purposes: Knob = None,
        recipient_names: Sequence[str] = (),
        *,
        other_addresses: Sequence[str] = (),
        purpose_lean: str | None = None,
        event_facts: bool = True,
    ) -> _EventKnobs:
        ids = tuple(dict.fromkeys(debt_ids))
        debt_choices: list[tuple[str, ...] | None] = []
        debt_choices += [(i,) for i in ids] * 4
        debt_choices += [ids[:2]] if len(ids) > 1 else []
        address_choices: list[str | None] = []
        address_choices += list(dict.fromkeys(addresses)) * 4
        others = list(dict.fromkeys(other_addresses))
        # Purposes and names: mostly unrecorded (None), which the location
        # rules count against the caller; ``purpose_lean`` weights one purpose.
        purpose_mix: list[str | None] = list(_EVENT_PURPOSES)
        if purpose_lean is not None:
            purpose_mix += [purpose_lean] * 3
        name_mix: list[str | None] = [*(None,) * 6, *list(dict.fromkeys(recipient_names)) * 3]
        name_mix.append(_EVENT_NAME)
        return cls(
            channels=_knob(
                channels,
                st.sampled_from(_HISTORY_CHANNELS),
                "channels",
                _check_one_of(CHANNELS, "channels"),
            ),
            roles=_knob(
                recipient_roles,
                st.sampled_from(_HISTORY_ROLES),
                "recipient_roles",
                _check_one_of(RECIPIENT_ROLES, "recipient_roles"),
            ),
            directions=_knob(
                directions,
                st.sampled_from(_DIRECTIONS),
                "directions",
                _check_one_of(_DIRECTIONS_ALLOWED, "directions"),
            ),
            # Unknown facts (None) now and then: the engine must count them against the caller.
            addresses=st.sampled_from([*address_choices, None]),
            debt_ids=st.sampled_from([*debt_choices, None]),
            purposes=_knob(
                purposes,
                st.sampled_from(purpose_mix) if event_facts else st.none(),
                "purposes",
                _check_one_of(PURPOSES, "purposes"),
            ),
            names=st.sampled_from(name_mix) if event_facts else st.none(),
            other_addresses=st.sampled_from([*others * 4, None]) if others else None,
        )


#: What earlier contacts were for, weighted; None is "not recorded".
_EVENT_PURPOSES: tuple[str | None, ...] = (
    *(None,) * 4,
    "collection",
    "collection",
    "location_information",
    "response_to_consumer",
    "payment_confirmation",
)
#: A person other than the one a request names, reached by an earlier contact.
_EVENT_NAME = "Sam Smith"


#: Weighted choices; None is "not given" (unknown role; direction defaulted).
_HISTORY_ROLES: tuple[str | None, ...] = (
    *("borrower",) * 8,
    "spouse",
    "co_borrower",
    "employer",
    "reference",
    None,
)
_DIRECTIONS: tuple[str | None, ...] = (None, None, None, None, "outbound", "outbound", "inbound")
_CALLS_ONLY = ("call",) * 5 + ("voicemail",)
#: How history entries are written: the offset of the action, UTC, or another.
_EVENT_OFFSETS: tuple[tzinfo | None, ...] = (
    None,
    None,
    UTC,
    ZoneInfo("America/New_York"),
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=5, minutes=30)),
)


def _event(draw: DrawFn, knobs: _EventKnobs, before: datetime | None, days: int) -> dict[str, Any]:
    channel = draw(knobs.channels)
    direction = draw(knobs.directions)
    if before is not None:
        back = timedelta(microseconds=draw(st.integers(1, days * 86_400_000_000)))
        written = draw(st.sampled_from(_EVENT_OFFSETS)) or before.tzinfo or UTC
        # Inside the engine's range: still strictly before a ``before`` after its start.
        at = _in_engine_range(before - back).astimezone(written)
    else:
        at = draw(instants())
    entry: dict[str, Any] = {"at": iso(at), "channel": channel}
    if direction is not None:
        entry["direction"] = direction
    role = draw(knobs.roles)
    if role is not None:
        entry["recipient_role"] = role
    if knobs.other_addresses is not None and channel not in PHONE_CHANNELS:
        address = draw(knobs.other_addresses)
    else:
        address = draw(knobs.addresses)
    if address is not None:
        entry["address"] = address
    debt_ids = draw(knobs.debt_ids)
    if debt_ids is not None:
        entry["debt_ids"] = list(debt_ids)
    table = _INBOUND_OUTCOMES if direction == "inbound" else _OUTCOMES_BY_CHANNEL
    outcome = draw(st.sampled_from(table.get(channel, ("delivered", None))))
    if outcome is not None:
        entry["outcome"] = outcome
    flags = draw(st.integers(0, 15))
    if flags in (1, 3):
        entry["by_agency"] = True
    if flags in (2, 3):
        entry["with_consent"] = True
    purpose = draw(knobs.purposes)
    if purpose is not None:
        entry["purpose"] = purpose
    name = draw(knobs.names)
    if name is not None:
        entry["recipient_name"] = name
    return entry


_event_strategy = st.composite(_event)


def _days(days: int, name: str) -> None:
    if days < 1:
        raise InvalidArgument(f"{name}: days must be at least 1")


def contact_events(
    *,
    before: datetime | None = None,
    days: int = 10,
    channels: Knob = None,
    addresses: Sequence[str] = (),
    debt_ids: Sequence[str] = (),
    recipient_roles: Knob = None,
    directions: Knob = None,
    purposes: Knob = None,
    recipient_names: Sequence[str] = (),
) -> SearchStrategy[dict[str, Any]]:
    """One earlier contact (a ``history`` entry) with a realistic outcome.

    With ``before``, the event falls in the ``days`` days before that instant
    (strictly before it); otherwise anywhere in the default range. Mostly
    outbound calls to the borrower at one of ``addresses`` about some of
    ``debt_ids``; outcomes follow the channel and direction (outbound calls:
    mostly no answer, then voicemail, conversation, busy, not in service;
    inbound calls: mostly conversations). Unknown facts (``outcome``,
    ``recipient_role``, ``debt_ids``, ``address``) are left out now and then.
    ``channels``, ``recipient_roles``, ``directions`` and ``purposes`` are
    knobs (a value, a list or a strategy).

    What the contact was for (``purpose``) is mostly not recorded, else
    collection, now and then location information or another purpose;
    ``purposes`` gives it to every event. The person reached
    (``recipient_name``) is now and then one of ``recipient_names`` or
    someone else.

    >>> from hypothesis import given
    >>> at = datetime(2026, 6, 9, 14, 30, tzinfo=UTC)
    >>> @given(contact_events(before=at, channels="call", debt_ids=["D1"]))
    ... def test_event(event):
    ...     assert event["channel"] == "call"
    >>> test_event()
    >>> location = contact_events(
    ...     before=at, purposes="location_information", recipient_roles="family")
    >>> @given(location)
    ... def test_location(event):
    ...     assert event["purpose"] == "location_information"
    >>> test_location()
    """
    _days(days, "contact_events")
    knobs = _EventKnobs.of(
        channels,
        recipient_roles,
        directions,
        addresses,
        debt_ids,
        purposes,
        _texts(recipient_names, "recipient_names"),
    )
    end = _utc(before) if before is not None else None

    return _event_strategy(knobs, end, days)


def histories(
    *,
    before: datetime | None = None,
    min_size: int = 0,
    max_size: int = 12,
    days: int = 10,
    channels: Knob = None,
    addresses: Sequence[str] = (),
    debt_ids: Sequence[str] = (),
    recipient_roles: Knob = None,
    directions: Knob = None,
    purposes: Knob = None,
    recipient_names: Sequence[str] = (),
) -> SearchStrategy[list[dict[str, Any]]]:
    """``history`` lists of ``contact_events``, in no particular order.

    Takes the knobs of ``contact_events`` plus the list size. Eight or more
    calls in a week (``channels=["call", "voicemail"]``, ``min_size=8``)
    usually reach Regulation F's 7-in-7 presumption; location-information
    contacts with one person (``purposes="location_information"``,
    ``recipient_roles="neighbour"``, ``recipient_names=["Sam Smith"]``)
    reach the once-per-person limit of 15 U.S.C. 1692b(3).

    >>> from hypothesis import given
    >>> at = datetime(2026, 6, 9, 14, 30, tzinfo=UTC)
    >>> @given(histories(before=at, min_size=1, debt_ids=["D1"]))
    ... def test_before(history):
    ...     assert all(datetime.fromisoformat(e["at"]) < at for e in history)
    >>> test_before()
    """
    _size(min_size, max_size, "histories")
    _days(days, "histories")
    knobs = _EventKnobs.of(
        channels,
        recipient_roles,
        directions,
        addresses,
        debt_ids,
        purposes,
        _texts(recipient_names, "recipient_names"),
    )
    end = _utc(before) if before is not None else None
    return st.lists(_event_strategy(knobs, end, days), min_size=min_size, max_size=max_size)


# --------------------------------------------------------------------- requests

#: Addresses written for the place and "other" kinds of recipient address.
#: Channels reaching a phone or a mailbox are handled on their own.
_PLACE_ADDRESSES: dict[str, str] = {
    "home": "1 Main St, Springfield",
    "workplace": "200 Market St, Springfield",
}
_OTHER_POSTAL = "PO Box 12, Springfield"
_OTHER_HANDLE = "@jane_roe"
_CONSUMER_NAMES = ("Jane Roe", "John Roe", "J. Roe")
#: Third parties, one of them written as a caller might ("sam  smith"), which
#: names the same person as an earlier contact with "Sam Smith".
_THIRD_PARTY_NAMES = (_EVENT_NAME, "Pat Lee", "sam  smith")


def _recipient(
    draw: DrawFn,
    channel: str,
    role: str,
    borrower: dict[str, Any],
    region: str,
    purpose: str = "collection",
    party_facts: bool = True,
) -> dict[str, Any]:
    recipient: dict[str, Any] = {"role": role}
    phones = borrower.get("phones") or []
    if channel in PHONE_CHANNELS:
        if role in ("borrower", "co_borrower") and phones and draw(st.integers(0, 5)) != 0:
            phone = draw(st.sampled_from(phones))
            recipient["address"] = phone["number"]
            kind = phone.get("kind")
        else:
            recipient["address"] = draw(phone_numbers(region))
            kind = draw(st.sampled_from(("mobile", "landline", "work_phone")))
        if kind is not None:
            recipient["address_kind"] = kind
    elif channel == "email":
        emails = borrower.get("emails") or []
        if emails and role == "borrower":
            email = draw(st.sampled_from(emails))
            recipient["address"] = email["address"]
            recipient["address_kind"] = email.get("kind") or draw(
                st.sampled_from(("personal_email", "work_email"))
            )
        else:
            recipient["address"] = "someone@mail.example"
            recipient["address_kind"] = "personal_email"
    else:
        # The kinds the model allows for the channel, less those this module
        # writes no address for (a "mobile" instant message).
        kinds = [
            k for k in ADDRESS_KINDS_BY_CHANNEL[channel] if k in _PLACE_ADDRESSES or k == "other"
        ]
        kind = draw(st.sampled_from(kinds))
        recipient["address_kind"] = kind
        if kind in _PLACE_ADDRESSES:
            recipient["address"] = _PLACE_ADDRESSES[kind]
        else:
            recipient["address"] = _OTHER_POSTAL if "home" in kinds else _OTHER_HANDLE
    if _sometimes(draw, 4):
        names = _CONSUMER_NAMES if role in CONSUMER_ROLES else _THIRD_PARTY_NAMES
        recipient["name"] = draw(st.sampled_from(names))
    if party_facts:
        # Where the action lands, in the caller's words: most useful where the
        # address kind says nothing ("other"), sometimes beside it.
        if _sometimes(draw, 2 if recipient.get("address_kind") == "other" else 6):
            recipient["place"] = draw(st.sampled_from(_RECIPIENT_PLACES))
        if _sometimes(draw, 3 if purpose == "location_information" else 20):
            recipient["recontact_reason"] = draw(st.sampled_from(_RECONTACT_REASONS))
    if _sometimes(draw, 12):
        recipient.pop("address_kind", None)
    return recipient


@dataclass(frozen=True, slots=True)
class _RequestKnobs:
    channel: SearchStrategy[str]
    collector_type: SearchStrategy[str]
    recipient_role: SearchStrategy[str]
    purpose: SearchStrategy[str]
    at: SearchStrategy[datetime]
    min_history: int
    max_history: int
    history_days: int
    history_channels: SearchStrategy[str] | None
    with_history: bool | None
    country: str | None
    automated: bool | None
    with_collector: bool | None
    with_recipient: bool | None
    status_facts: _Statuses | None
    call_consent: bool | None
    min_phones: int
    max_phones: int
    jurisdictions: tuple[str, ...] | None
    time_zone: SearchStrategy[str] | None
    channel_facts: bool = True
    party_facts: bool = True
    #: Whether ``recipient_role`` is the default mix, which location-information
    #: requests replace with third parties most of the time.
    location_roles: bool = False


def _history_knobs(
    draw: DrawFn,
    knobs: _RequestKnobs,
    channel: str,
    borrower: dict[str, Any],
    recipient: dict[str, Any] | None,
    debt_list: list[dict[str, Any]],
    purpose: str,
) -> _EventKnobs:
    """History knobs for one request: its own numbers, addresses, debts and
    recipient's name, and either a realistic mix of channels or (half the
    time) calls to the same person, which is what the frequency rules count.
    Before a location-information request, earlier contacts lean towards
    that purpose (the once-per-person limit counts them)."""
    addresses = [p["number"] for p in borrower.get("phones") or []]
    recipient = recipient or {}
    if recipient.get("address") and channel in PHONE_CHANNELS:
        addresses.append(recipient["address"])
    # Email and postal events use the borrower's email addresses and the
    # recipient's own address, not a phone number.
    other_addresses = [e["address"] for e in borrower.get("emails") or []]
    if recipient.get("address") and channel not in PHONE_CHANNELS:
        other_addresses.append(recipient["address"])
    focused = draw(st.booleans())
    role = recipient.get("role") or "borrower"
    return _EventKnobs.of(
        channels=knobs.history_channels
        if knobs.history_channels is not None
        else (_CALLS_ONLY if focused else None),
        recipient_roles=[role] * 6 + ["borrower"] if focused else None,
        directions=None,
        addresses=addresses,
        debt_ids=[d["id"] for d in debt_list],
        recipient_names=[recipient["name"]] if recipient.get("name") else [],
        other_addresses=other_addresses,
        purpose_lean=purpose if purpose == "location_information" else None,
        event_facts=knobs.party_facts,
    )


def _message_facts(draw: DrawFn, channel: str, message: dict[str, Any]) -> None:
    """What the medium shows besides the text: a letter's envelope and sender
    (neutral, empty, or disclosing a debt), who can see a social-media message,
    an email's subject. Each is left out now and then (unknown)."""
    if channel in ("letter", "postcard") and draw(st.integers(0, 3)) != 0:
        message["envelope_text"] = draw(st.sampled_from(_ENVELOPE_TEXTS))
        if draw(st.booleans()):
            message["sender_name"] = draw(st.sampled_from(_SENDER_NAMES))
    elif channel == "social_media" and draw(st.integers(0, 5)) != 0:
        message["visibility"] = draw(st.sampled_from(_VISIBILITIES))
    elif channel == "email" and _sometimes(draw, 3):
        message["subject"] = draw(st.sampled_from(_SUBJECTS))


def _request(draw: DrawFn, knobs: _RequestKnobs) -> dict[str, Any]:
    at = draw(knobs.at)
    channel = draw(knobs.channel)
    request: dict[str, Any] = {"channel": channel, "at": iso(at)}
    automated = knobs.automated
    if automated is None:
        automated = channel in PHONE_CHANNELS and _sometimes(draw, 4)
    if automated or draw(st.booleans()):
        request["automated"] = automated
    purpose = draw(knobs.purpose)
    if purpose != "collection" or draw(st.booleans()):
        request["purpose"] = purpose
    debt_list = draw(_debt_lists(1, 3, knobs.status_facts is not None))
    request["debts"] = debt_list
    if len(debt_list) > 1 and _sometimes(draw, 3):
        request["debt_ids"] = draw(
            st.lists(st.sampled_from([d["id"] for d in debt_list]), min_size=1, unique=True)
        )
    borrower = _borrower(
        draw,
        country=knobs.country,
        at=at,
        min_phones=knobs.min_phones,
        max_phones=knobs.max_phones,
        status_facts=knobs.status_facts,
        call_consent=knobs.call_consent,
        channel_facts=knobs.channel_facts,
        party_facts=knobs.party_facts,
        debt_ids=[d["id"] for d in debt_list],
    )
    if knobs.status_facts is not None:
        _validation_facts(draw, debt_list, borrower, at)
    if knobs.time_zone is not None:
        location = borrower.setdefault("location", {})
        location["time_zone"] = draw(knobs.time_zone)
    request["borrower"] = borrower
    with_recipient = knobs.with_recipient
    if with_recipient is None:
        with_recipient = draw(st.integers(0, 9)) != 0
    if with_recipient:
        if (
            purpose == "location_information"
            and knobs.location_roles
            and draw(st.integers(0, 2)) != 0
        ):
            role = draw(st.sampled_from(_LOCATION_ROLES))
        else:
            role = draw(knobs.recipient_role)
        request["recipient"] = _recipient(
            draw, channel, role, borrower, knobs.country or "US", purpose, knobs.party_facts
        )
    with_collector = knobs.with_collector
    if with_collector is None:
        with_collector = draw(st.integers(0, 9)) != 0
    if with_collector:
        collector: dict[str, Any] = {
            "type": draw(knobs.collector_type),
            "name": "Example Recovery LLC",
        }
        if _sometimes(draw, 5):
            collector["agency"] = True
        request["collector"] = collector
    message: dict[str, Any] = {}
    # Location-information contacts are checked for what they say: give them a script more often.
    if _sometimes(draw, 3) or (
        purpose == "location_information" and knobs.party_facts and draw(st.booleans())
    ):
        message["text"] = draw(st.sampled_from(_SCRIPTS))
        if draw(st.booleans()):
            message["sender_name"] = "Example Recovery LLC"
    if knobs.channel_facts:
        _message_facts(draw, channel, message)
    if message:
        request["message"] = message
    with_history = knobs.with_history
    if with_history is None:
        with_history = draw(st.integers(0, 4)) != 0
    if with_history:
        event_knobs = _history_knobs(
            draw, knobs, channel, borrower, request.get("recipient"), debt_list, purpose
        )
        # ``before=at`` as written, not in UTC: events default to the request's own offset.
        request["history"] = draw(
            st.lists(
                _event_strategy(event_knobs, at, knobs.history_days),
                min_size=knobs.min_history,
                max_size=knobs.max_history,
            )
        )
    if knobs.jurisdictions is not None:
        request["jurisdictions"] = list(knobs.jurisdictions)
    return request


_request_strategy = st.composite(_request)


def requests(
    *,
    channel: Knob = None,
    collector_type: Knob = None,
    recipient_role: Knob = None,
    purpose: Knob = None,
    at: datetime | SearchStrategy[datetime] | None = None,
    min_history: int = 0,
    max_history: int = 12,
    history_days: int = 8,
    history_channels: Knob = None,
    with_history: bool | None = True,
    country: str | None = "US",
    automated: bool | None = None,
    with_collector: bool | None = None,
    with_recipient: bool | None = None,
    status_facts: bool | Knob = True,
    call_consent: bool | None = None,
    min_phones: int = 0,
    max_phones: int = 2,
    jurisdictions: Sequence[str] | None = None,
    time_zone: Knob = None,
    channel_facts: bool = True,
    party_facts: bool = True,
) -> SearchStrategy[dict[str, Any]]:
    """Valid, JSON-ready request dicts (SPEC.md section 2) for ``Policy.check``.

    Knobs taking a value (``channel``, ``collector_type``, ``recipient_role``,
    ``purpose``, ``history_channels``, ``time_zone``) accept one value, a list
    to choose from, a strategy, or None for a realistic mix (recipients are
    mostly the borrower, channels mostly telephone; location-information
    requests mostly go to third parties).

    * ``at``: a datetime, a strategy of them, or None for ``instants()``.
    * History: ``min_history``..``max_history`` events in the
      ``history_days`` days before ``at``; by default half the histories are
      calls to the same person, half a mix of media. ``with_history=None``
      sometimes leaves ``history`` out (a missing fact), ``False`` always.
    * ``with_collector`` / ``with_recipient`` / ``automated`` /
      ``call_consent``: True always, False never, None sometimes.
    * Borrower: ``country`` (None: no location), ``min_phones``..``max_phones``
      distinct numbers, ``time_zone`` sets ``borrower.location.time_zone`` so
      that zone is always a candidate (e.g. the zone given to
      ``dst_edge_instants``); ``status_facts`` (cease, attorney, dispute, ...
      now and then, or always one named status), ``channel_facts`` and
      ``party_facts`` as in ``borrowers``, about the request's own debts.
    * ``status_facts`` also places validation notices and periods around a
      dispute (so that disputes are both timely and late), sends a validation
      notice shortly before the action now and then, and makes about one
      debt in ten time-barred.
    * ``channel_facts`` also gives letters an envelope text and sender (neutral
      or naming a debt), social-media messages a visibility (private,
      contacts or public; sometimes unknown) and emails a subject.
    * ``party_facts`` also names, now and then, the place the action lands
      (``recipient.place``) and a reason to contact a third party again
      (``recipient.recontact_reason``, mostly on location-information
      requests), and records the purpose and person of earlier contacts
      (leaning towards location information before such a request).
    * ``jurisdictions`` sets the request's jurisdiction override.

    >>> from hypothesis import given
    >>> import fair_collect
    >>> policy = fair_collect.load_policy()
    >>> @given(requests(channel=["call", "sms"], collector_type="third_party_collector"))
    ... def test_check(request):
    ...     assert policy.check(request).outcome in ("allow", "deny")
    >>> test_check()
    >>> @given(requests(channel="letter", purpose="location_information", with_recipient=True))
    ... def test_location_letter(request):
    ...     verdict = policy.check(request)
    ...     assert verdict.allowed or all(r.citations for r in verdict.reasons)
    >>> test_location_letter()
    """
    _size(min_history, max_history, "requests history")
    _days(history_days, "requests history")
    _size(min_phones, max_phones, "requests phones")
    if isinstance(at, datetime):
        if at.tzinfo is None or at.utcoffset() is None:
            raise InvalidArgument("requests: at must be aware")
        at_s: SearchStrategy[datetime] = st.just(at)
    else:
        at_s = at if at is not None else instants()
    knobs = _RequestKnobs(
        channel=_knob(
            channel,
            st.sampled_from(("call",) * 4 + ("voicemail", "sms", "sms") + CHANNELS),
            "channel",
            _check_one_of(CHANNELS, "channel"),
        ),
        collector_type=_knob(
            collector_type,
            st.sampled_from(("third_party_collector", "debt_buyer", "first_party_creditor")),
            "collector_type",
            _check_one_of(COLLECTOR_TYPES, "collector_type"),
        ),
        recipient_role=_knob(
            recipient_role,
            # RECIPIENT_ROLES lists the consumer roles first, so shrinking
            # moves towards the borrower and then the consumer.
            st.sampled_from(("borrower",) * 6 + RECIPIENT_ROLES),
            "recipient_role",
            _check_one_of(RECIPIENT_ROLES, "recipient_role"),
        ),
        purpose=_knob(
            purpose,
            st.sampled_from(("collection",) * 4 + PURPOSES),
            "purpose",
            _check_one_of(PURPOSES, "purpose"),
        ),
        at=at_s,
        min_history=min_history,
        max_history=max_history,
        history_days=history_days,
        history_channels=_knob(
            history_channels,
            st.nothing(),
            "history_channels",
            _check_one_of(CHANNELS, "history_channels"),
        )
        if history_channels is not None
        else None,
        with_history=with_history,
        country=country,
        automated=automated,
        with_collector=with_collector,
        with_recipient=with_recipient,
        status_facts=_Statuses.of(status_facts),
        call_consent=call_consent,
        min_phones=min_phones,
        max_phones=max_phones,
        jurisdictions=_jurisdiction_codes(jurisdictions) if jurisdictions is not None else None,
        time_zone=_knob(time_zone, st.nothing(), "time_zone", _check_zone("time_zone"))
        if time_zone is not None
        else None,
        channel_facts=_flag(channel_facts, "channel_facts"),
        party_facts=_flag(party_facts, "party_facts"),
        location_roles=recipient_role is None,
    )

    return _request_strategy(knobs)


# ---------------------------------------------------------- rewriting requests


def _parts(path: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in path.split(".")]


def _get(request: dict[str, Any], path: str) -> Any:
    node: Any = request
    for part in _parts(path):
        node = node[part]
    return node


def _set(request: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = _parts(path)
    node: Any = request
    for part in parents:
        node = node[part]
    node[last] = value


#: Where instants live in a request: (path of keys, with "*" for list items).
_INSTANT_PATHS: tuple[tuple[str, ...], ...] = (
    ("at",),
    ("history", "*", "at"),
    ("borrower", "cease_request", "received_at"),
    ("borrower", "opt_outs", "*", "at"),
    ("borrower", "workplace_contact_prohibited", "since"),
    ("borrower", "consents", "*", "given_at"),
    ("borrower", "consents", "*", "window_start"),
    ("borrower", "consents", "*", "window_end"),
    ("borrower", "disputes", "*", "received_at"),
    ("borrower", "represented_by_attorney", "attorney_last_communicated_at"),
    ("borrower", "phones", "*", "reassignment_checked_at"),
    ("borrower", "emails", "*", "creditor_notice_at"),
    ("borrower", "breathing_space_until"),
    ("debts", "*", "validation_notice_sent_at"),
)


def _instant_fields(request: dict[str, Any]) -> list[str]:
    """Dotted paths of every instant present (not None) in a request."""
    found: list[str] = []
    for path in _INSTANT_PATHS:
        frontier: list[tuple[str, Any]] = [("", request)]
        for part in path:
            following: list[tuple[str, Any]] = []
            for prefix, node in frontier:
                if part == "*" and isinstance(node, list):
                    following.extend((f"{prefix}{i}.", item) for i, item in enumerate(node))
                elif isinstance(node, dict) and node.get(part) is not None:
                    following.append((f"{prefix}{part}.", node[part]))
            frontier = following
        found.extend(prefix[:-1] for prefix, _ in frontier)
    return found


def rewritten_offsets(request: dict[str, Any]) -> SearchStrategy[dict[str, Any]]:
    """The same request with every instant written with another UTC offset.

    Each instant (``at``, history ``at``, consents, cease requests, ...) is
    the same moment, written with an offset drawn from ``utc_offsets``. Free
    text is never touched. The input is not modified.

    >>> from hypothesis import given
    >>> original = {"channel": "call", "at": "2026-06-09T10:30:00-04:00"}
    >>> @given(rewritten_offsets(original))
    ... def test_same_instant(other):
    ...     assert datetime.fromisoformat(other["at"]) == datetime.fromisoformat(original["at"])
    >>> test_same_instant()
    """
    return _rewrite(request)


@st.composite
def _rewrite(draw: DrawFn, request: dict[str, Any]) -> dict[str, Any]:
    copied = copy.deepcopy(request)
    for path in _instant_fields(copied):
        value = _get(copied, path)
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        if not isinstance(moment, datetime) or moment.utcoffset() is None:
            raise InvalidArgument(f"rewritten_offsets: {path}={value!r} is not an aware instant")
        _set(copied, path, iso(moment.astimezone(draw(utc_offsets()))))
    return copied


# ------------------------------------------------------------ invalid requests


def _list_fields(request: dict[str, Any], key: str, field: str = "") -> list[str]:
    items = request.get(key)
    if not isinstance(items, list):
        return []
    return [f"{key}.{i}{'.' + field if field else ''}" for i in range(len(items))]


def _phones(request: dict[str, Any]) -> list[Any]:
    borrower = request.get("borrower")
    phones = borrower.get("phones") if isinstance(borrower, dict) else None
    return phones if isinstance(phones, list) else []


def _phone_fields(request: dict[str, Any]) -> list[str]:
    fields = [f"borrower.phones.{i}.number" for i in range(len(_phones(request)))]
    recipient = request.get("recipient") or {}
    # The model parses the recipient's address as a phone number on every
    # phone channel, whatever its address_kind.
    if request.get("channel") in PHONE_CHANNELS and recipient.get("address"):
        fields.append("recipient.address")
    return fields


def _zone_fields(request: dict[str, Any]) -> list[str]:
    return ["borrower.location.time_zone"] if isinstance(request.get("borrower"), dict) else []


def _typed_fields(request: dict[str, Any]) -> list[str]:
    fields = ["at", "channel"]
    fields += [
        k for k in ("borrower", "recipient", "collector", "history", "debts") if k in request
    ]
    fields += _list_fields(request, "history", "at")
    fields += [
        f"history.{i}.outcome"
        for i, event in enumerate(request.get("history") or [])
        if "outcome" in event
    ]
    fields += _list_fields(request, "debts", "id")
    fields += [f"borrower.phones.{i}" for i in range(len(_phones(request)))]
    return fields


def _date_fields(request: dict[str, Any]) -> list[str]:
    """Present calendar dates: the last day of a validation period."""
    return [
        f"debts.{i}.validation_period_ends_at"
        for i, debt in enumerate(request.get("debts") or [])
        if isinstance(debt, dict) and debt.get("validation_period_ends_at") is not None
    ]


#: Not a date as a notice states it: a time, an impossible day, another order, a number.
_BAD_DATES: tuple[Any, ...] = ("2026-07-09T23:59:00-04:00", "2026-02-30", "07/09/2026", 20260709)


def _choice_fields(request: dict[str, Any]) -> list[str]:
    """Present fields that take one of a closed list of words: purposes, a
    message's visibility, a re-contact reason, consent kinds."""
    fields = ["purpose"] if "purpose" in request else []
    for key, field in (("message", "visibility"), ("recipient", "recontact_reason")):
        node = request.get(key)
        if isinstance(node, dict) and field in node:
            fields.append(f"{key}.{field}")
    fields += [
        f"history.{i}.purpose"
        for i, event in enumerate(request.get("history") or [])
        if isinstance(event, dict) and "purpose" in event
    ]
    borrower = request.get("borrower")
    consents = borrower.get("consents") if isinstance(borrower, dict) else None
    if isinstance(consents, list):
        fields += [f"borrower.consents.{i}.kind" for i in range(len(consents))]
    return fields


_BAD_PHONES = (
    "2125550123",
    "+1212555012",
    "+1 212 555 01234 99",
    "+999123456789",
    "phone",
    "",
    "+",
)
_BAD_ZONES = (
    "Mars/Olympus_Mons",
    "EST5EDT6",
    "America/New York",
    "../../etc/passwd",
    "",
    " America/New_York",
    "localtime",
    "UTC+5",
)
#: Numbers (and numeric text) are wrong too: pydantic would read them as Unix
#: time, so the model refuses them (``model._iso_instant``).
_BAD_INSTANTS: tuple[Any, ...] = (
    "yesterday",
    "2026-02-30T10:00:00Z",
    "2026-06-09T25:00:00-04:00",
    "2026-06-09T10:30:00+25:00",
    "",
    20260609,
    "20260609",
    1781015400.0,
)
#: Values of the wrong JSON type for each kind of field.
_WRONG_FOR_OBJECT: tuple[Any, ...] = ([], True, "text", 7, [{"role": "borrower"}])
_WRONG_FOR_LIST: tuple[Any, ...] = (True, "text", 7, {"id": "D1"})
_WRONG_FOR_SCALAR: tuple[Any, ...] = ([], {}, True, ["call"], {"value": 1})
_OBJECT_FIELDS = frozenset({"borrower", "recipient", "collector"})
_LIST_FIELDS = frozenset({"history", "debts"})


def _wrong_value(draw: DrawFn, request: dict[str, Any], path: str) -> None:
    last = path.rsplit(".", 1)[-1]
    if last in _OBJECT_FIELDS or (last.isdigit() and path.startswith("borrower.phones.")):
        choices = _WRONG_FOR_OBJECT
    elif last in _LIST_FIELDS:
        choices = _WRONG_FOR_LIST
    else:
        choices = _WRONG_FOR_SCALAR
    _set(request, path, draw(st.sampled_from(choices)))


def _bad_zone(draw: DrawFn, request: dict[str, Any], path: str) -> None:
    borrower = request["borrower"]
    if not isinstance(borrower.get("location"), dict):
        borrower["location"] = {}
    borrower["location"]["time_zone"] = draw(st.sampled_from(_BAD_ZONES))


def _chooser(values: tuple[Any, ...]) -> Callable[[DrawFn, dict[str, Any], str], None]:
    def apply(draw: DrawFn, request: dict[str, Any], path: str) -> None:
        _set(request, path, draw(st.sampled_from(values)))

    return apply


def _make_naive(draw: DrawFn, request: dict[str, Any], path: str) -> None:
    moment = datetime.fromisoformat(_get(request, path))
    _set(request, path, moment.replace(tzinfo=None).isoformat())


def _unknown_key(draw: DrawFn, request: dict[str, Any], path: str) -> None:
    _set(request, path, "purple")


@dataclass(frozen=True, slots=True)
class _Mutation:
    fields: Callable[[dict[str, Any]], list[str]]
    apply: Callable[[DrawFn, dict[str, Any], str], None]


_MUTATIONS: tuple[_Mutation, ...] = (
    _Mutation(_instant_fields, _make_naive),
    _Mutation(_instant_fields, _chooser(_BAD_INSTANTS)),
    _Mutation(lambda r: ["channel"], _chooser(("fax", "Call", "phone", "carrier_pigeon", ""))),
    _Mutation(lambda r: _list_fields(r, "history", "channel"), _chooser(("fax", "CALL"))),
    _Mutation(
        lambda r: _list_fields(r, "history", "outcome"), _chooser(("answered", "CONVERSATION"))
    ),
    _Mutation(_choice_fields, _chooser(("sometimes", "PUBLIC", "Collection", ""))),
    _Mutation(_date_fields, _chooser(_BAD_DATES)),
    _Mutation(_phone_fields, _chooser(_BAD_PHONES)),
    _Mutation(_zone_fields, _bad_zone),
    _Mutation(_typed_fields, _wrong_value),
    _Mutation(
        lambda r: ["colour", *(["borrower.mood"] if isinstance(r.get("borrower"), dict) else [])],
        _unknown_key,
    ),
)


def invalid_requests(
    base: SearchStrategy[dict[str, Any]] | None = None,
) -> SearchStrategy[tuple[dict[str, Any], str]]:
    """Invalid requests made by breaking one field of a valid one, with that field's path.

    Each draw is ``(request, field)``: a request from ``base`` (default
    ``requests()``) with one field made invalid (a naive or malformed instant,
    an unknown channel or outcome, a phone number that does not parse, an
    unknown time zone, a value of the wrong JSON type, an unknown key), and
    the dotted path of that field as ``InputError.fields`` should name it.
    Words from closed lists (a purpose, a message's visibility, a re-contact
    reason, a consent kind) are replaced by words outside them, and a
    validation period's last day by something that is not a date.

    >>> from hypothesis import given
    >>> import fair_collect, pytest
    >>> @given(invalid_requests())
    ... def test_rejected(case):
    ...     request, field = case
    ...     with pytest.raises(fair_collect.InputError) as info:
    ...         fair_collect.check(request)
    ...     assert any(f == field or f.startswith(field + ".") for f in info.value.fields)
    >>> test_rejected()
    """
    return _broken(base if base is not None else requests())


@st.composite
def _broken(draw: DrawFn, source: SearchStrategy[dict[str, Any]]) -> tuple[dict[str, Any], str]:
    request = copy.deepcopy(draw(source))
    choices = [(m, f) for m in _MUTATIONS for f in m.fields(request)]
    mutation, field = draw(st.sampled_from(choices))
    mutation.apply(draw, request, field)
    return request, field
