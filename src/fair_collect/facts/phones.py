"""Phone numbers: parsing, normalisation to E.164 and the time zones a number implies.

Parsing with ``phonenumbers`` is slow (tens of microseconds), so results are
cached per raw string; lenders check the same numbers over and over.

Time zones follow DESIGN.md section 4:

* a number whose type carries no location (toll-free, premium, VoIP, ...)
  adds no candidate;
* a number whose best match is the whole country (a Russian mobile maps to
  every Russian zone) carries no location either, unless the country has a
  single zone;
* a North American number adds every zone of its *area code*, not only the
  zone of its exchange: area code 850 (Florida) spans Eastern and Central time,
  and an exchange-level answer would hide that.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType
from phonenumbers import timezone as pn_timezone
from phonenumbers.tzdata import TIMEZONE_DATA

__all__ = ["PhoneInfo", "PhoneNumberInvalid", "parse_phone"]

_UNLOCATED_TYPES = frozenset(
    {
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.SHARED_COST,
        PhoneNumberType.VOIP,
        PhoneNumberType.PERSONAL_NUMBER,
        PhoneNumberType.PAGER,
        PhoneNumberType.UAN,
        PhoneNumberType.VOICEMAIL,
    }
)


class PhoneNumberInvalid(ValueError):
    """The text is not a possible phone number in international form."""


@dataclass(frozen=True, slots=True)
class PhoneInfo:
    """What a phone number tells us: its canonical form, country and zones."""

    e164: str
    region: str | None
    zones: tuple[str, ...]
    number_type: int


@cache
def _nanp_area_code_zones() -> dict[str, tuple[str, ...]]:
    """Union of the zones of every prefix under each North American area code."""
    by_area: defaultdict[str, set[str]] = defaultdict(set)
    for prefix, zones in TIMEZONE_DATA.items():
        if prefix.startswith("1") and len(prefix) >= 4:
            by_area[prefix[1:4]].update(zones)
    return {area: tuple(sorted(zones)) for area, zones in by_area.items()}


def _zones_for(number: phonenumbers.PhoneNumber, number_type: int) -> tuple[str, ...]:
    if number_type in _UNLOCATED_TYPES:
        return ()
    country_zones = TIMEZONE_DATA.get(str(number.country_code), ())
    if number.country_code == 1:
        national = str(number.national_number)
        zones = _nanp_area_code_zones().get(national[:3], ())
    else:
        zones = tuple(
            z
            for z in pn_timezone.time_zones_for_number(number)
            if z != pn_timezone.UNKNOWN_TIMEZONE
        )
    if not zones:
        return ()
    if len(country_zones) > 1 and set(zones) >= set(country_zones):
        # The data only knows the country, and the country has several zones.
        return ()
    return tuple(sorted(zones))


@lru_cache(maxsize=65536)
def parse_phone(raw: str) -> PhoneInfo:
    """Parse a number written in international form (``+`` and country code).

    Raises ``PhoneNumberInvalid`` when the text is not a possible number.
    """
    text = raw.strip()
    if not text.startswith("+"):
        raise PhoneNumberInvalid(
            "phone numbers must be in international form, starting with + and the country code"
        )
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as exc:
        raise PhoneNumberInvalid(f"not a phone number: {exc}") from None
    if not phonenumbers.is_possible_number(number):
        raise PhoneNumberInvalid("not a possible phone number for its country (wrong length)")
    number_type = phonenumbers.number_type(number)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    region = phonenumbers.region_code_for_number(number)
    return PhoneInfo(
        e164=e164,
        region=region if region and region != "ZZ" else None,
        zones=_zones_for(number, number_type),
        number_type=number_type,
    )
