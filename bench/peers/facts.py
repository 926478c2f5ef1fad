"""Fact extraction for the peers, in plain Python, before any engine is called.

A team building the subset on a general rules engine computes the facts the
engine cannot (local time, window counts, status flags, a phrase match) in
Python and hands the engine a flat record of scalars. Every peer uses this
step, and its cost is part of every peer's time per decision.

The facts follow the subset's semantics (``bench/subset_pack``):

* the candidate zones of the borrower: an explicit ``time_zone``, the US ZIP
  code's zone, the state's zone when the state has one, a single-zone
  country's zone, and the zones of the borrower's phones and of the dialled
  number; a time-of-day rule must hold in every candidate;
* ``min_local_hour`` / ``max_local_hour`` over the candidates (08:00-21:00 in
  every zone is ``min >= 8 and max < 21``);
* ``calls_7d``: the most outbound calls and voicemails to the borrower about
  one of the action's debts in the 7 local calendar days ending today, over
  the candidate zones (busy and not-in-service attempts excluded, an attempt
  without a recorded outcome counted; a contact without a debt counts against
  every debt);
* ``days_since_conversation``: local calendar days since the latest telephone
  conversation about one of the action's debts (0 is today; an attempt without
  a recorded outcome may have been one); 999 when none. Regulation F counts
  the cooldown in days, the day of the conversation being day 1, so hours
  since the conversation would give the wrong answer at night;
* ``attorney_blocks`` and ``cease_blocks``: whether a known attorney (neither
  consenting nor lapsed after an unanswered communication) or a written cease
  request in force covers one of the action's debts;
* ``threat_hit``: whether the message text or subject holds a listed threat
  phrase (case-insensitive; English phrases on word boundaries).

Phone zones come from ``phonenumbers``' exchange-level data and ZIP zones from
``zipcodes``, both cached per value as a service would. The workload's area
codes lie in one zone each; an area code spanning two zones would need the
area-code union fair_collect uses.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from phonenumbers import timezone as pn_timezone

from workloads import THREATS_EN, THREATS_ZH

__all__ = ["CALL_CHANNELS", "TIMED_CHANNELS", "extract"]

#: Channels the hours rule times; channels the frequency rules count.
TIMED_CHANNELS = ("call", "voicemail", "sms", "email")
CALL_CHANNELS = ("call", "voicemail")
_PHONE_CHANNELS = frozenset({"call", "voicemail", "sms"})
_COUNTED_OUTCOMES = frozenset(
    {"conversation", "voicemail", "limited_content_message", "no_answer", "delivered", None}
)
_CONVERSATION = frozenset({"conversation", None})
_SAME_PERSON = frozenset({"borrower", None})
_ATTORNEY_PERIOD = timedelta(days=30)
_NONE = 999

_THREATS = re.compile(
    "|".join([rf"\b{re.escape(p)}\b" for p in THREATS_EN] + [re.escape(p) for p in THREATS_ZH]),
    re.IGNORECASE,
)


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=4096)
def _zip_zone(zip5: str) -> str | None:
    import zipcodes

    found = zipcodes.matching(zip5)
    return found[0].get("timezone") if found else None


@lru_cache(maxsize=128)
def _state_zones(state: str) -> tuple[str, ...]:
    import zipcodes

    return tuple(sorted({e["timezone"] for e in zipcodes.filter_by(state=state) if e["timezone"]}))


@lru_cache(maxsize=65536)
def _phone_zones(number: str) -> tuple[str, ...]:
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return ()
    return tuple(
        z for z in pn_timezone.time_zones_for_number(parsed) if z != pn_timezone.UNKNOWN_TIMEZONE
    )


_COUNTRY_ZONES = {"CN": "Asia/Shanghai", "IN": "Asia/Kolkata", "PH": "Asia/Manila"}


@lru_cache(maxsize=16384)
def _zones(location: tuple[Any, ...] | None, phones: tuple[str, ...]) -> tuple[ZoneInfo, ...]:
    names: list[str] = []
    if location is not None:
        time_zone, country, region, postal_code = location
        if time_zone:
            names.append(time_zone)
        if country == "US":
            zip_zone = _zip_zone(postal_code[:5]) if postal_code else None
            if zip_zone:
                names.append(zip_zone)
            if region:
                states = _state_zones(region)
                if len(states) == 1 or zip_zone is None:
                    names.extend(states)
        elif country in _COUNTRY_ZONES:
            names.append(_COUNTRY_ZONES[country])
    for number in phones:
        names.extend(_phone_zones(number))
    return tuple(zone(n) for n in dict.fromkeys(names))


def _ts(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def _covers(action_debts: list[str] | None, named: list[str] | None) -> bool:
    """Whether a status naming ``named`` (None: every debt) covers the action's debts."""
    return named is None or action_debts is None or not set(action_debts).isdisjoint(named)


def extract(request: dict[str, Any]) -> dict[str, Any]:
    """The flat fact record every peer decides on."""
    channel = request["channel"]
    at = datetime.fromisoformat(request["at"])
    borrower = request.get("borrower") or {}
    location = borrower.get("location")
    phones = [p["number"] for p in borrower.get("phones", ())]
    recipient = request.get("recipient") or {}
    if channel in _PHONE_CHANNELS and recipient.get("address"):
        phones.append(recipient["address"])
    zones = _zones(
        (
            location.get("time_zone"),
            location.get("country"),
            location.get("region"),
            location.get("postal_code"),
        )
        if location
        else None,
        tuple(phones),
    )
    hours = [at.astimezone(z).hour for z in zones] or [-1]  # no zone: fail closed

    action_debts = request.get("debt_ids") or [d["id"] for d in request.get("debts", ())] or None
    calls = 0
    since_conversation = _NONE
    history = request.get("history")
    if channel in CALL_CHANNELS and history:
        starts = []
        for z in zones:
            today = at.astimezone(z).date()
            first = datetime.combine(today - timedelta(days=6), time(), z).timestamp()
            starts.append((z, today, first))
        earliest = min(s[2] for s in starts)
        wanted = set(action_debts) if action_debts else None
        # One bucket per debt of the action; a contact without a debt is in every bucket.
        buckets: dict[str | None, list[float]] = {d: [] for d in wanted or (None,)}
        conversations: list[float] = []
        for event in history:
            if event["channel"] not in CALL_CHANNELS:
                continue
            if event.get("recipient_role") not in _SAME_PERSON:
                continue
            ts = _ts(event["at"])
            if ts < earliest:
                continue
            debts = event.get("debt_ids")
            if wanted is not None and debts and wanted.isdisjoint(debts):
                continue
            outcome = event.get("outcome")
            if outcome in _CONVERSATION:
                conversations.append(ts)
            if event.get("direction", "outbound") == "outbound" and outcome in _COUNTED_OUTCOMES:
                for debt, stamps in buckets.items():
                    if not debts or debt is None or debt in debts:
                        stamps.append(ts)
        for _z, _today, first in starts:
            for stamps in buckets.values():
                calls = max(calls, sum(1 for ts in stamps if ts >= first))
        for ts in conversations:
            for z, today, first in starts:
                if ts >= first:
                    days = (today - datetime.fromtimestamp(ts, UTC).astimezone(z).date()).days
                    since_conversation = min(since_conversation, days)

    attorney = borrower.get("represented_by_attorney")
    attorney_blocks = bool(
        attorney is not None
        and attorney.get("attorney_known", True)
        and not attorney.get("attorney_consented", False)
        and _covers(action_debts, attorney.get("debt_ids"))
        and not (
            attorney.get("attorney_last_communicated_at") is not None
            and attorney.get("attorney_responded") is False
            and at
            >= datetime.fromisoformat(attorney["attorney_last_communicated_at"]) + _ATTORNEY_PERIOD
        )
    )
    cease = borrower.get("cease_request")
    cease_blocks = bool(
        cease is not None
        and cease["in_writing"]
        and datetime.fromisoformat(cease["received_at"]) <= at
        and _covers(action_debts, cease.get("debt_ids"))
    )
    message = request.get("message") or {}
    text = " \n ".join(t for t in (message.get("text"), message.get("subject")) if t)
    return {
        "channel": channel,
        "purpose": request.get("purpose", "collection"),
        "min_local_hour": min(hours),
        "max_local_hour": max(hours),
        "calls_7d": calls,
        "days_since_conversation": since_conversation,
        "attorney_blocks": attorney_blocks,
        "cease_blocks": cease_blocks,
        "threat_hit": bool(text) and _THREATS.search(text) is not None,
    }
