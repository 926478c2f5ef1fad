"""Whether two recorded addresses reach the same mailbox, number or place.

One answer for every rule: an opt-out, a once-per-person limit, a reply
exception and a per-address count must agree on what "the same address" is,
or one of them slips through on the way an address was written down.

* Phone numbers compare in E.164. A number written without its country code
  ("(212) 555-0123", "020 7183 8750") is read in the country of the
  international number it is compared with, so it matches exactly the
  number it denotes there, and a fragment ("555-0123") matches nothing.
* Other text (email addresses, handles, postal addresses) compares with
  runs of white space made one and case folded.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from fair_collect.facts.phones import PhoneNumberInvalid, parse_phone

__all__ = ["address_key", "same_address"]

_SPACES = re.compile(r"\s+")
#: A number written nationally: digits with the usual separators, nothing else.
_NATIONAL = re.compile(r"[0-9(][0-9 ().\-/]*")


@lru_cache(maxsize=65536)
def address_key(address: str) -> str:
    """A canonical form of an address: E.164 for a number in international form,
    otherwise the text with white space collapsed and case folded. Equal keys
    mean the same address; different keys may still (see ``same_address``)."""
    text = address.strip()
    if text.startswith("+"):
        try:
            return parse_phone(text).e164
        except PhoneNumberInvalid:
            return text
    return _SPACES.sub(" ", text).casefold()


@lru_cache(maxsize=65536)
def _national_in(text: str, region: str) -> str | None:
    """``text`` read as a national number of ``region``, in E.164; None if it is not one."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def same_address(first: str, second: str, phone: bool = True) -> bool:
    """Whether two recorded addresses denote the same number (``phone``) or mailbox.

    With ``phone`` False the canonical texts must be equal. Two numbers written
    nationally compare digit by digit; text that is not a number (an email
    address, a handle) never matches a number.
    """
    a, b = address_key(first), address_key(second)
    if a == b:
        return True
    if not phone:
        return False
    a_intl, b_intl = a.startswith("+"), b.startswith("+")
    if a_intl == b_intl:
        if a_intl or not (_NATIONAL.fullmatch(a) and _NATIONAL.fullmatch(b)):
            return False  # two different international numbers, or not numbers
        return _digits(a) == _digits(b)
    national, international = (a, b) if b_intl else (b, a)
    if not _NATIONAL.fullmatch(national):
        return False
    try:
        region = parse_phone(international).region
    except PhoneNumberInvalid:
        return False
    return region is not None and _national_in(national, region) == international
