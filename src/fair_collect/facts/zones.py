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

The ZIP and state tables are built from ``zipcodes`` on first use (about half
a second, once per process) and never at import time.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from phonenumbers import country_code_for_region
from phonenumbers.tzdata import TIMEZONE_DATA

from fair_collect.facts.phones import PhoneNumberInvalid, parse_phone
from fair_collect.facts.zoneinfo_cache import ZoneNotFound, get_zone
from fair_collect.model import PHONE_CHANNELS, US_ZIP, Location, ProposedAction

__all__ = ["ZoneCandidate", "candidate_zones", "us_state_zones", "us_zip_zone"]


@dataclass(frozen=True, slots=True)
class ZoneCandidate:
    """One candidate zone and the request fact it was derived from."""

    name: str
    zone: ZoneInfo
    source: str


class _UsZipTable:
    """ZIP code -> zone and state -> zones, built once from the zipcodes package."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._zip: dict[str, str] | None = None
        self._state: dict[str, tuple[str, ...]] = {}

    def _build(self) -> dict[str, str]:
        with self._lock:
            if self._zip is not None:
                return self._zip
            import zipcodes  # deferred: materialises 42,000 records

            by_zip: dict[str, str] = {}
            by_state: defaultdict[str, set[str]] = defaultdict(set)
            for entry in zipcodes._zips:
                name = entry.get("timezone") or ""
                try:
                    get_zone(name)
                except ZoneNotFound:
                    continue  # a handful of records carry no usable zone
                by_zip[entry["zip_code"]] = name
                by_state[entry["state"]].add(name)
            self._state = {state: tuple(sorted(z)) for state, z in by_state.items()}
            self._zip = by_zip
            return by_zip

    def zip_zone(self, zip5: str) -> str | None:
        table = self._zip if self._zip is not None else self._build()
        return table.get(zip5)

    def state_zones(self, state: str) -> tuple[str, ...]:
        if self._zip is None:
            self._build()
        return self._state.get(state, ())


_US = _UsZipTable()


def us_zip_zone(postal_code: str) -> str | None:
    """The zone of a US ZIP code (``10001`` or ``10001-1234``), or None if unknown."""
    match = US_ZIP.fullmatch(postal_code.strip())
    return _US.zip_zone(match.group(1)) if match else None


def us_state_zones(state: str) -> tuple[str, ...]:
    """Every zone used by some ZIP code of a US state or territory (``NY``, ``TX``)."""
    return _US.state_zones(state)


def _country_zone(country: str) -> str | None:
    code = country_code_for_region(country)
    zones = TIMEZONE_DATA.get(str(code), ()) if code else ()
    return zones[0] if len(zones) == 1 else None


def _phone_zones(number: str) -> tuple[str, ...]:
    try:
        return parse_phone(number).zones
    except PhoneNumberInvalid:
        return ()


def candidate_zones(request: ProposedAction) -> tuple[ZoneCandidate, ...]:
    """Every candidate zone of the request, deduplicated by (zone, source)."""
    borrower = request.borrower
    recipient = request.recipient
    dialled = (
        recipient.address
        if request.channel in PHONE_CHANNELS and recipient is not None and recipient.address
        else None
    )
    return _candidates(
        borrower.location if borrower else None,
        tuple(p.number for p in borrower.phones) if borrower else (),
        dialled,
    )


@lru_cache(maxsize=16384)
def _candidates(
    location: Location | None, phones: tuple[str, ...], dialled: str | None
) -> tuple[ZoneCandidate, ...]:
    found: list[tuple[str, str]] = []
    if location is not None:
        if location.time_zone:
            found.append((location.time_zone, "time_zone"))
        is_us = location.country == "US" or (
            location.country is None
            and location.region is not None
            and bool(us_state_zones(location.region))
        )
        zip_zone = None
        if is_us and location.postal_code:
            zip_zone = us_zip_zone(location.postal_code)
            if zip_zone:
                found.append((zip_zone, "postal_code"))
        if is_us and location.region:
            state_zones = us_state_zones(location.region)
            if len(state_zones) == 1 or zip_zone is None:
                found.extend((z, "region") for z in state_zones)
        if location.country and not is_us:
            zone = _country_zone(location.country)
            if zone:
                found.append((zone, "country"))
    for number in phones:
        found.extend((z, "phone") for z in _phone_zones(number))
    if dialled is not None:
        found.extend((z, "dialled_number") for z in _phone_zones(dialled))
    seen: set[tuple[str, str]] = set()
    result = []
    for name, source in found:
        if (name, source) not in seen:
            seen.add((name, source))
            result.append(ZoneCandidate(name=name, zone=get_zone(name), source=source))
    return tuple(result)
