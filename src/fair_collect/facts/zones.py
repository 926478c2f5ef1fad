"""Candidate time zones of the person contacted, each with where it came from.

A time-of-day rule must hold in *every* candidate (Regulation F comment
6(b)(1)(i)-1: a New York mobile and a California address mean 11:00-21:00
Eastern). Sources, in the order the verdict lists them:

``time_zone``       the request's explicit ``borrower.location.time_zone``
``postal_code``     a US ZIP code, through the ``zipcodes`` data package
``region``          a US state: its zone when it has one; all of its zones when
                    it has several and no ZIP code narrowed them down
``country``         a country that has a single zone (China, India, ...)
``phone``           each of the borrower's phone numbers (``phonenumbers``)
``dialled_number``  the number this action dials
``jurisdiction``    a pack's declared zone, used only when nothing else is known

ZIP and state lookups read the fields of the ``zipcodes`` database on first
use, from the cache file ``zipdata`` keeps (the database itself takes about
half a second to load, once per machine), and are cached; nothing is loaded
at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import phonenumbers
from phonenumbers import country_code_for_region
from phonenumbers.tzdata import TIMEZONE_DATA

from fair_collect.facts.phones import PhoneNumberInvalid, parse_phone
from fair_collect.facts.zipdata import ZIP_DATA
from fair_collect.facts.zoneinfo_cache import ZoneNotFound, get_zone
from fair_collect.model import PHONE_CHANNELS, US_ZIP, Location, ProposedAction, field_values
from fair_collect.verdict import ZoneRef

__all__ = [
    "ZoneCandidate",
    "ZoneSet",
    "candidate_zones",
    "us_state_zones",
    "us_zip_zone",
    "zone_set",
]


@dataclass(frozen=True, slots=True)
class ZoneCandidate:
    """One candidate zone and the request fact it was derived from."""

    name: str
    zone: ZoneInfo
    source: str


def _usable_zone(name: str | None) -> str | None:
    try:
        return name if name and get_zone(name) else None
    except ZoneNotFound:
        return None  # a handful of records carry no usable zone


@lru_cache(maxsize=1024)
def _zip3_zones(prefix: str) -> dict[str, str]:
    """ZIP code -> zone for every ZIP code starting with a three-digit prefix.

    Cached per ZIP-3 area (``zipdata`` reads a prefix's lines on each
    call): at most about a thousand areas in the life of a process.
    """
    table = {}
    for record in ZIP_DATA.prefix_records(prefix):
        zone = _usable_zone(record.timezone)
        if zone:
            table[record.zip_code] = zone
    return table


def us_zip_zone(postal_code: str) -> str | None:
    """The zone of a US ZIP code (``10001`` or ``10001-1234``), or None if unknown."""
    match = US_ZIP.fullmatch(postal_code.strip())
    if not match:
        return None
    zip5 = match.group(1)
    return _zip3_zones(zip5[:3]).get(zip5)


@lru_cache(maxsize=128)
def us_state_zones(state: str) -> tuple[str, ...]:
    """Every zone used by some ZIP code of a US state or territory (``NY``, ``TX``)."""
    zones = {_usable_zone(name) for name in ZIP_DATA.state_time_zones(state)}
    return tuple(sorted(z for z in zones if z))


def preload_zone_data() -> int:
    """Load now the data candidate inference otherwise reads on first use: the
    US ZIP fields (``zipdata``), phone-number metadata for every region, and
    every IANA zone a ZIP code or a phone number can map to. Returns the
    zones loaded.

    ``Policy.warm_up`` calls it, so that a service's first checks do no I/O
    and take no longer than the rest.
    """
    names = {record.timezone for record in ZIP_DATA.all_records()}
    phonenumbers.PhoneMetadata.load_all()
    names.update(zone for zones in TIMEZONE_DATA.values() for zone in zones)
    return sum(1 for name in sorted(names) if _usable_zone(name))


def _country_zone(country: str) -> str | None:
    code = country_code_for_region(country)
    zones = TIMEZONE_DATA.get(str(code), ()) if code else ()
    return zones[0] if len(zones) == 1 else None


def _phone_zones(number: str) -> tuple[str, ...]:
    try:
        return parse_phone(number).zones
    except PhoneNumberInvalid:
        return ()


@dataclass(frozen=True, slots=True, eq=False)
class ZoneSet:
    """The candidate zones of a request, computed once per distinct location.

    ``all`` lists every (zone, source) pair for the verdict; ``unique`` has one
    candidate per distinct zone (its first source), which is what rules
    evaluate; ``refs`` are the verdict's ``time_zones`` entries.
    """

    all: tuple[ZoneCandidate, ...]
    unique: tuple[ZoneCandidate, ...]
    refs: tuple[ZoneRef, ...]


def candidate_zones(request: ProposedAction) -> tuple[ZoneCandidate, ...]:
    """Every candidate zone of the request, deduplicated by (zone, source)."""
    return zone_set(request).all


def zone_set(request: ProposedAction) -> ZoneSet:
    """The request's candidate zones (see ``ZoneSet``); cached per location."""
    key = place_key(request)
    return candidates_of(key[1], key[2], dialled_number(key))


#: (time_zone, country, region, postal_code): the location fields zones depend on.
LocationKey = tuple[str | None, str | None, str | None, str | None]


def location_key(location: Location) -> LocationKey:
    return (location.time_zone, location.country, location.region, location.postal_code)


#: What jurisdictions and candidate zones depend on, as plain values:
#: (jurisdictions, location, borrower phone numbers, recipient address,
#: whether the channel dials that address). Caches are keyed on it: hashing
#: and comparing a pydantic model costs more than the rest of the lookup.
PlaceKey = tuple[tuple[str, ...] | None, LocationKey | None, tuple[str, ...], str | None, bool]


def place_key(request: ProposedAction) -> PlaceKey:
    """The request fields places depend on, read once (through ``field_values``:
    each attribute read on a model costs as much as a dict lookup ten times)."""
    fields = field_values(request)
    borrower = fields["borrower"]
    if borrower is not None:
        held = field_values(borrower)
        location = held["location"]
        key = location_key(location) if location is not None else None
        phones = tuple([field_values(p)["number"] for p in held["phones"]])
    else:
        key, phones = None, ()
    recipient = fields["recipient"]
    address = field_values(recipient)["address"] if recipient is not None else None
    return fields["jurisdictions"], key, phones, address, fields["channel"] in PHONE_CHANNELS


def dialled_number(key: PlaceKey) -> str | None:
    """The number the action dials (a call, voicemail or SMS to an address), if any."""
    _, _, _, address, dials = key
    return address if dials and address else None


@lru_cache(maxsize=16384)
def candidates_of(
    location: LocationKey | None, phones: tuple[str, ...], dialled: str | None
) -> ZoneSet:
    """The candidate zones of a location (``location_key``), the borrower's phone
    numbers and the dialled number, if any (cached: keyed on plain strings)."""
    found: list[tuple[str, str]] = []
    if location is not None:
        time_zone, country, region, postal_code = location
        if time_zone:
            found.append((time_zone, "time_zone"))
        is_us = country == "US" or (
            country is None and region is not None and bool(us_state_zones(region))
        )
        zip_zone = None
        if is_us and postal_code:
            zip_zone = us_zip_zone(postal_code)
            if zip_zone:
                found.append((zip_zone, "postal_code"))
        if is_us and region:
            state_zones = us_state_zones(region)
            if len(state_zones) == 1 or zip_zone is None:
                found.extend((z, "region") for z in state_zones)
        if country and not is_us:
            zone = _country_zone(country)
            if zone:
                found.append((zone, "country"))
    for number in phones:
        found.extend((z, "phone") for z in _phone_zones(number))
    if dialled is not None:
        found.extend((z, "dialled_number") for z in _phone_zones(dialled))
    pairs = tuple(dict.fromkeys(found))
    candidates = tuple(ZoneCandidate(name=n, zone=get_zone(n), source=s) for n, s in pairs)
    unique: dict[str, ZoneCandidate] = {}
    for cand in candidates:
        unique.setdefault(cand.name, cand)
    return ZoneSet(
        all=candidates,
        unique=tuple(unique.values()),
        refs=tuple(ZoneRef(zone=n, source=s) for n, s in pairs),
    )
