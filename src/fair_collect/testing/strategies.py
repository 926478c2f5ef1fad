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
    for entry in zipcodes.list_all():  # type: ignore[no-untyped-call]
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
def _borrower_phone(draw: DrawFn, region: str, area_codes: tuple[str, ...]) -> dict[str, Any]:
    """A ``borrower.phones`` entry: usually from the borrower's own area codes."""
    local = bool(area_codes) and draw(st.integers(0, 2)) != 0
    phone: dict[str, Any] = {
        "number": draw(phone_numbers(region, area_codes=area_codes if local else ()))
    }
    kind = draw(st.sampled_from(("mobile", "mobile", "landline", "work_phone", None)))
    if kind is not None:
        phone["kind"] = kind
    return phone


def _borrower(
    draw: DrawFn,
    *,
    country: str | None,
    at: datetime | None,
    min_phones: int,
    max_phones: int,
    status_facts: bool,
    call_consent: bool | None = None,
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
            _borrower_phone(region, area_codes),
            min_size=min_phones,
            max_size=max_phones,
            unique_by=itemgetter("number"),
        )
    )
    if draw(st.booleans()):
        work = draw(st.booleans())
        borrower["emails"] = [
            {
                "address": "jane.roe@employer.example" if work else "jane.roe@mail.example",
                "kind": "work_email" if work else "personal_email",
                "consumer_used": draw(st.booleans()),
            }
        ]
    if _sometimes(draw, 5):
        borrower["inconvenient_times"] = [_clock_span(draw)]
    if call_consent or (call_consent is None and _sometimes(draw, 5)):
        given = now - draw(st.timedeltas(timedelta(minutes=1), timedelta(days=4)))
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
            consent["window_start"] = iso(opens.astimezone(now.tzinfo))
            consent["window_end"] = iso(closes.astimezone(now.tzinfo))
        borrower["consents"] = [consent]
    if _sometimes(draw, 6):
        borrower["language"] = draw(st.sampled_from(("en", "es", "zh", "en-US")))
    if status_facts and _sometimes(draw, 6):
        fact = draw(
            st.sampled_from(
                ("cease", "attorney", "dispute", "bankruptcy", "deceased", "hardship", "opt_out")
            )
        )
        received = iso(now - draw(st.timedeltas(timedelta(hours=1), timedelta(days=60))))
        if fact == "cease":
            borrower["cease_request"] = {"received_at": received, "in_writing": draw(st.booleans())}
        elif fact == "attorney":
            borrower["represented_by_attorney"] = {"attorney_known": draw(st.booleans())}
        elif fact == "dispute":
            borrower["disputes"] = [{"debt_id": "D1", "received_at": received, "in_writing": True}]
        elif fact == "opt_out":
            borrower["opt_outs"] = [
                {"channel": draw(st.sampled_from(("sms", "email"))), "at": received}
            ]
        else:
            borrower[fact] = True
    return borrower


_borrower_strategy = st.composite(_borrower)


def borrowers(
    *,
    country: str | None = "US",
    at: datetime | None = None,
    min_phones: int = 0,
    max_phones: int = 2,
    status_facts: bool = True,
    call_consent: bool | None = None,
) -> SearchStrategy[dict[str, Any]]:
    """``borrower`` objects: a location (real US ZIP codes for ``country="US"``),
    ``min_phones`` to ``max_phones`` distinct phone numbers (often from the ZIP
    code's own area codes, sometimes from elsewhere), and now and then an
    email, declared inconvenient times, a call consent given shortly before
    ``at`` (always with ``call_consent=True``, never with False; half of them
    name a call-back window that may be past, open or still to come), a
    language, and (``status_facts``) a cease request, attorney, dispute,
    opt-out, bankruptcy, death or hardship.

    ``country=None`` gives borrowers without a location (and US numbers). The
    location is left out in about one draw in eight either way.

    >>> from hypothesis import given
    >>> @given(borrowers(min_phones=1))
    ... def test_phone(borrower):
    ...     assert borrower["phones"][0]["number"].startswith("+1")
    >>> test_phone()
    """
    _size(min_phones, max_phones, "borrowers")
    return _borrower_strategy(
        country=country,
        at=at,
        min_phones=min_phones,
        max_phones=max_phones,
        status_facts=status_facts,
        call_consent=call_consent,
    )


# ------------------------------------------------------------------------ debts


@functools.lru_cache(maxsize=64)
def debts(*, min_size: int = 1, max_size: int = 3) -> SearchStrategy[list[dict[str, Any]]]:
    """``debts`` lists with unique ids ``D1``, ``D2``, ...

    Kinds mix the known ones with free text; student loans sometimes share a
    servicing account (Regulation F counts them as one debt). Amounts are
    decimal strings.

    >>> from hypothesis import given
    >>> @given(debts(min_size=2))
    ... def test_ids(items):
    ...     assert len({d["id"] for d in items}) == len(items)
    >>> test_ids()
    """
    _size(min_size, max_size, "debts")

    @st.composite
    def debt_list(draw: DrawFn) -> list[dict[str, Any]]:
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
            items.append(debt)
        return items

    return debt_list()


# ------------------------------------------------------------- contact history


@dataclass(frozen=True, slots=True)
class _EventKnobs:
    channels: SearchStrategy[str]
    roles: SearchStrategy[str | None]
    directions: SearchStrategy[str | None]
    addresses: SearchStrategy[str | None]
    debt_ids: SearchStrategy[tuple[str, ...] | None]

    @classmethod
    def of(
        cls,
        channels: Knob,
        recipient_roles: Knob,
        directions: Knob,
        addresses: Sequence[str],
        debt_ids: Sequence[str],
    ) -> _EventKnobs:
        ids = tuple(dict.fromkeys(debt_ids))
        debt_choices: list[tuple[str, ...] | None] = []
        debt_choices += [(i,) for i in ids] * 4
        debt_choices += [ids[:2]] if len(ids) > 1 else []
        address_choices: list[str | None] = []
        address_choices += list(dict.fromkeys(addresses)) * 4
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
        )


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
        at = (before - back).astimezone(written)
    else:
        at = draw(instants())
    entry: dict[str, Any] = {"at": iso(at), "channel": channel}
    if direction is not None:
        entry["direction"] = direction
    role = draw(knobs.roles)
    if role is not None:
        entry["recipient_role"] = role
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
) -> SearchStrategy[dict[str, Any]]:
    """One earlier contact (a ``history`` entry) with a realistic outcome.

    With ``before``, the event falls in the ``days`` days before that instant
    (strictly before it); otherwise anywhere in the default range. Mostly
    outbound calls to the borrower at one of ``addresses`` about some of
    ``debt_ids``; outcomes follow the channel and direction (outbound calls:
    mostly no answer, then voicemail, conversation, busy, not in service;
    inbound calls: mostly conversations). Unknown facts (``outcome``,
    ``recipient_role``, ``debt_ids``, ``address``) are left out now and then.
    ``channels``, ``recipient_roles`` and ``directions`` are knobs (a value,
    a list or a strategy).

    >>> from hypothesis import given
    >>> at = datetime(2026, 6, 9, 14, 30, tzinfo=UTC)
    >>> @given(contact_events(before=at, channels="call", debt_ids=["D1"]))
    ... def test_event(event):
    ...     assert event["channel"] == "call"
    >>> test_event()
    """
    _days(days, "contact_events")
    knobs = _EventKnobs.of(channels, recipient_roles, directions, addresses, debt_ids)
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
) -> SearchStrategy[list[dict[str, Any]]]:
    """``history`` lists of ``contact_events``, in no particular order.

    Takes the knobs of ``contact_events`` plus the list size. Eight or more
    calls in a week (``channels=["call", "voicemail"]``, ``min_size=8``)
    usually reach Regulation F's 7-in-7 presumption.

    >>> from hypothesis import given
    >>> at = datetime(2026, 6, 9, 14, 30, tzinfo=UTC)
    >>> @given(histories(before=at, min_size=1, debt_ids=["D1"]))
    ... def test_before(history):
    ...     assert all(datetime.fromisoformat(e["at"]) < at for e in history)
    >>> test_before()
    """
    _size(min_size, max_size, "histories")
    _days(days, "histories")
    knobs = _EventKnobs.of(channels, recipient_roles, directions, addresses, debt_ids)
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


def _recipient(
    draw: DrawFn, channel: str, role: str, borrower: dict[str, Any], region: str
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
            recipient["address"] = emails[0]["address"]
            recipient["address_kind"] = emails[0]["kind"]
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
        recipient["name"] = draw(st.sampled_from(("Jane Roe", "John Roe", "J. Roe")))
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
    status_facts: bool
    call_consent: bool | None
    min_phones: int
    max_phones: int
    jurisdictions: tuple[str, ...] | None
    time_zone: SearchStrategy[str] | None


def _history_knobs(
    draw: DrawFn,
    knobs: _RequestKnobs,
    channel: str,
    borrower: dict[str, Any],
    recipient: dict[str, Any] | None,
    debt_list: list[dict[str, Any]],
) -> _EventKnobs:
    """History knobs for one request: its own numbers and debts, and either a
    realistic mix of channels or (half the time) calls to the same person,
    which is what the frequency rules count."""
    addresses = [p["number"] for p in borrower.get("phones") or []]
    if recipient and recipient.get("address") and channel in PHONE_CHANNELS:
        addresses.append(recipient["address"])
    focused = draw(st.booleans())
    role = (recipient or {}).get("role") or "borrower"
    return _EventKnobs.of(
        channels=knobs.history_channels
        if knobs.history_channels is not None
        else (_CALLS_ONLY if focused else None),
        recipient_roles=[role] * 6 + ["borrower"] if focused else None,
        directions=None,
        addresses=addresses,
        debt_ids=[d["id"] for d in debt_list],
    )


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
    debt_list = draw(debts())
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
    )
    if knobs.time_zone is not None:
        location = borrower.setdefault("location", {})
        location["time_zone"] = draw(knobs.time_zone)
    request["borrower"] = borrower
    with_recipient = knobs.with_recipient
    if with_recipient is None:
        with_recipient = draw(st.integers(0, 9)) != 0
    if with_recipient:
        role = draw(knobs.recipient_role)
        request["recipient"] = _recipient(draw, channel, role, borrower, knobs.country or "US")
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
    if _sometimes(draw, 3):
        message: dict[str, Any] = {"text": draw(st.sampled_from(_SCRIPTS))}
        if draw(st.booleans()):
            message["sender_name"] = "Example Recovery LLC"
        request["message"] = message
    with_history = knobs.with_history
    if with_history is None:
        with_history = draw(st.integers(0, 4)) != 0
    if with_history:
        event_knobs = _history_knobs(
            draw, knobs, channel, borrower, request.get("recipient"), debt_list
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
    status_facts: bool = True,
    call_consent: bool | None = None,
    min_phones: int = 0,
    max_phones: int = 2,
    jurisdictions: Sequence[str] | None = None,
    time_zone: Knob = None,
) -> SearchStrategy[dict[str, Any]]:
    """Valid, JSON-ready request dicts (SPEC.md section 2) for ``Policy.check``.

    Knobs taking a value (``channel``, ``collector_type``, ``recipient_role``,
    ``purpose``, ``history_channels``, ``time_zone``) accept one value, a list
    to choose from, a strategy, or None for a realistic mix (recipients are
    mostly the borrower, channels mostly telephone).

    * ``at``: a datetime, a strategy of them, or None for ``instants()``.
    * History: ``min_history``..``max_history`` events in the
      ``history_days`` days before ``at``; by default half the histories are
      calls to the same person, half a mix of media. ``with_history=None``
      sometimes leaves ``history`` out (a missing fact), ``False`` always.
    * ``with_collector`` / ``with_recipient`` / ``automated`` /
      ``call_consent``: True always, False never, None sometimes.
    * Borrower: ``country`` (None: no location), ``min_phones``..``max_phones``
      distinct numbers, ``status_facts`` (cease, attorney, dispute, ... now and then),
      ``time_zone`` sets ``borrower.location.time_zone`` so that zone is
      always a candidate (e.g. the zone given to ``dst_edge_instants``).
    * ``jurisdictions`` sets the request's jurisdiction override.

    >>> from hypothesis import given
    >>> import fair_collect
    >>> policy = fair_collect.load_policy()
    >>> @given(requests(channel=["call", "sms"], collector_type="third_party_collector"))
    ... def test_check(request):
    ...     assert policy.check(request).outcome in ("allow", "deny")
    >>> test_check()
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
        status_facts=status_facts,
        call_consent=call_consent,
        min_phones=min_phones,
        max_phones=max_phones,
        jurisdictions=_jurisdiction_codes(jurisdictions) if jurisdictions is not None else None,
        time_zone=_knob(time_zone, st.nothing(), "time_zone", _check_zone("time_zone"))
        if time_zone is not None
        else None,
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
