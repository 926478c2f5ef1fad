"""A fixed-seed generator of contact logs for the lookback audit.

The tests and ``bench/bench_audit.py`` share it. Background borrowers in
several jurisdictions (Texas, California, Massachusetts, Washington, New York
City, China, India, the United Kingdom) are contacted lawfully: one contact
every four days at 10:00-17:59 local time (never more than two in any seven
days, the tightest cap of the shipped packs), calls and compliant texts, a
conversation followed by a longer pause than any cooldown, and occasional
inbound texts from the borrower. Planted borrowers (Texas and California,
third-party collector) carry exactly one violation each, of four kinds:

* ``call_frequency_exceeded``: the 8th call in 7 days (12 CFR 1006.14(b)(2)(i)(A));
* ``outside_permitted_hours``: a call at 22:00 local time (1006.6(b)(1)(i));
* ``medium_opted_out``: a text after the borrower opted out of texts (1006.14(h));
* ``cease_communication``: a call after a written cease request (1006.6(c)).

``GeneratedLog.planted`` maps each code to the ids of its planted events; an
audit under the shipped packs denies those events and no others.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["PLANTED_CODES", "BorrowerLog", "GeneratedLog", "generate_log", "iter_borrowers"]

SEED = 20261201
START = date(2026, 1, 5)
PLANTED_CODES = (
    "call_frequency_exceeded",
    "outside_permitted_hours",
    "medium_opted_out",
    "cease_communication",
)
_SMS_TEXT = (
    "ABC Recovery is a debt collector. Please contact us about your account. Reply STOP to opt out."
)


@dataclass(frozen=True, slots=True)
class _Region:
    name: str
    location: dict[str, str]
    zone: str
    phone: str  # prefix; the borrower number completes it
    digits: int
    texts: bool
    consent: bool = False  # electronic-contact consent (New York City)


_REGIONS = (
    _Region(
        "tx",
        {"country": "US", "region": "TX", "postal_code": "75201"},
        "America/Chicago",
        "+1214",
        7,
        True,
    ),
    _Region(
        "ca",
        {"country": "US", "region": "CA", "postal_code": "90012"},
        "America/Los_Angeles",
        "+1213",
        7,
        True,
    ),
    _Region(
        "ma",
        {"country": "US", "region": "MA", "postal_code": "02108"},
        "America/New_York",
        "+1617",
        7,
        True,
    ),
    _Region(
        "wa",
        {"country": "US", "region": "WA", "postal_code": "98101"},
        "America/Los_Angeles",
        "+1206",
        7,
        True,
    ),
    _Region(
        "nyc",
        {"country": "US", "region": "NY", "postal_code": "10001"},
        "America/New_York",
        "+1212",
        7,
        True,
        True,
    ),
    _Region(
        "cn", {"country": "CN", "time_zone": "Asia/Shanghai"}, "Asia/Shanghai", "+86138", 8, False
    ),
    _Region(
        "in", {"country": "IN", "time_zone": "Asia/Kolkata"}, "Asia/Kolkata", "+9198", 8, False
    ),
    _Region(
        "gb", {"country": "GB", "time_zone": "Europe/London"}, "Europe/London", "+447911", 6, False
    ),
)


@dataclass
class BorrowerLog:
    """One borrower: its context record and its events (time order)."""

    borrower_id: str
    context: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class GeneratedLog:
    events: list[dict[str, Any]]
    contexts: list[dict[str, Any]]
    #: code -> ids of the planted events that must be denied with it.
    planted: dict[str, frozenset[str]]


def _number(region: _Region, index: int) -> str:
    if region.phone.startswith("+1"):
        exchange = 230 + index // 10_000
        return f"{region.phone}{exchange}{index % 10_000:04d}"
    return f"{region.phone}{index:0{region.digits}d}"


def _local(day: date, minute: int, zone: ZoneInfo) -> str:
    naive = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
    return naive.replace(tzinfo=zone).isoformat()


def _context(borrower_id: str, region: _Region, number: str, debts: list[str]) -> dict[str, Any]:
    borrower: dict[str, Any] = {
        "location": dict(region.location),
        "phones": [{"number": number, "kind": "mobile", "consumer_texted": True}],
    }
    if region.consent:
        borrower["consents"] = [
            {"kind": "electronic", "given_at": "2024-12-01T12:00:00Z", "channel": "sms"}
        ]
    return {
        "borrower_id": borrower_id,
        "borrower": borrower,
        "debts": [{"id": d, "kind": "credit_card", "creditor": "Example Bank"} for d in debts],
        "collector": {"type": "third_party_collector", "name": "ABC Recovery"},
    }


def _event(
    borrower_id: str,
    seq: int,
    at: str,
    channel: str,
    number: str,
    debts: list[str],
    outcome: str,
    direction: str = "outbound",
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "event_id": f"{borrower_id}-{seq:05d}",
        "borrower_id": borrower_id,
        "at": at,
        "channel": channel,
        "direction": direction,
        "debt_ids": list(debts),
        "outcome": outcome,
        "recipient_role": "borrower",
        "recipient_address": number,
        "address_kind": "mobile",
    }
    if channel == "sms" and direction == "outbound":
        event["message_text"] = _SMS_TEXT
    return event


def _background(rng: random.Random, index: int, events: int) -> BorrowerLog:
    region = _REGIONS[index % len(_REGIONS)]
    zone = ZoneInfo(region.zone)
    borrower_id = f"B{index:06d}"
    number = _number(region, index)
    debts = [f"{borrower_id}-D1"] + ([f"{borrower_id}-D2"] if rng.random() < 0.3 else [])
    log = BorrowerLog(borrower_id, _context(borrower_id, region, number, debts))
    day = START + timedelta(days=rng.randrange(30))
    seq = 0
    while seq < events:
        minute = rng.randrange(10 * 60, 18 * 60)
        texts = region.texts and rng.random() < 0.3
        channel = "sms" if texts else "call"
        if texts:
            outcome = "delivered"
        else:
            outcome = rng.choices(
                ["no_answer", "voicemail", "busy", "conversation"], [55, 25, 12, 8]
            )[0]
        log.events.append(
            _event(borrower_id, seq, _local(day, minute, zone), channel, number, debts, outcome)
        )
        seq += 1
        if seq < events and region.texts and rng.random() < 0.05:
            # The borrower texts back the next day (history only).
            reply = _local(day + timedelta(days=1), rng.randrange(9 * 60, 20 * 60), zone)
            log.events.append(
                _event(borrower_id, seq, reply, "sms", number, debts, "delivered", "inbound")
            )
            seq += 1
        day += timedelta(days=8 if outcome == "conversation" else 4)
    return log


def _planted(kind: str, index: int, serial: int, rng: random.Random) -> tuple[BorrowerLog, str]:
    region = _REGIONS[serial % 2]  # Texas or California: Regulation F alone binds
    zone = ZoneInfo(region.zone)
    borrower_id = f"P{index:06d}"
    number = _number(region, 9_000 + index % 1_000)
    debts = [f"{borrower_id}-D1"]
    log = BorrowerLog(borrower_id, _context(borrower_id, region, number, debts))
    day = START + timedelta(days=rng.randrange(60))
    seq = 0

    def add(offset: int, minute: int, channel: str = "call", outcome: str = "no_answer") -> str:
        nonlocal seq
        at = _local(day + timedelta(days=offset), minute, zone)
        event = _event(borrower_id, seq, at, channel, number, debts, outcome)
        log.events.append(event)
        seq += 1
        return str(event["event_id"])

    borrower = log.context["borrower"]
    if kind == "call_frequency_exceeded":
        for offset in range(7):
            add(offset, 10 * 60)
        bad = add(6, 15 * 60)  # the 8th call in 7 days
        add(14, 11 * 60)
    elif kind == "outside_permitted_hours":
        add(0, 11 * 60)
        bad = add(4, 22 * 60)
        add(9, 12 * 60)
    elif kind == "medium_opted_out":
        add(0, 11 * 60, "sms", "delivered")
        add(4, 11 * 60, "sms", "delivered")
        borrower["opt_outs"] = [
            {"channel": "sms", "at": _local(day + timedelta(days=6), 9 * 60, zone)}
        ]
        bad = add(8, 11 * 60, "sms", "delivered")
        add(12, 11 * 60)  # a call: another medium
    elif kind == "cease_communication":
        add(0, 11 * 60)
        add(4, 11 * 60)
        log.context["borrower"]["cease_request"] = {
            "received_at": _local(day + timedelta(days=6), 9 * 60, zone),
            "in_writing": True,
        }
        bad = add(8, 11 * 60)
    else:  # pragma: no cover
        raise ValueError(kind)
    return log, bad


def iter_borrowers(
    events: int, *, seed: int = SEED, per_borrower: int = 150, planted_per_kind: int = 3
) -> Iterator[tuple[BorrowerLog, str | None, str | None]]:
    """Borrowers one at a time (constant memory): ``(log, planted code, planted
    event id)``, the last two None for background borrowers. About ``events``
    events in all (planted borrowers first)."""
    rng = random.Random(seed)
    produced = 0
    index = 0
    for serial in range(planted_per_kind * len(PLANTED_CODES)):
        kind = PLANTED_CODES[serial % len(PLANTED_CODES)]
        log, bad = _planted(kind, index, serial // len(PLANTED_CODES), rng)
        produced += len(log.events)
        index += 1
        yield log, kind, bad
    while produced < events:
        count = min(events - produced, max(1, int(rng.gauss(per_borrower, per_borrower / 4))))
        log = _background(rng, index, count)
        produced += len(log.events)
        index += 1
        yield log, None, None


def generate_log(
    events: int,
    *,
    seed: int = SEED,
    per_borrower: int = 150,
    planted_per_kind: int = 3,
    shuffle: bool = True,
) -> GeneratedLog:
    """A whole log in memory: events (shuffled with the seed unless told not
    to), one context record per borrower, and the planted events by code."""
    all_events: list[dict[str, Any]] = []
    contexts: list[dict[str, Any]] = []
    planted: dict[str, set[str]] = {code: set() for code in PLANTED_CODES}
    for log, kind, bad in iter_borrowers(
        events, seed=seed, per_borrower=per_borrower, planted_per_kind=planted_per_kind
    ):
        all_events.extend(log.events)
        contexts.append(log.context)
        if kind is not None and bad is not None:
            planted[kind].add(bad)
    if shuffle:
        random.Random(seed + 1).shuffle(all_events)
    return GeneratedLog(
        all_events, contexts, {code: frozenset(ids) for code, ids in planted.items()}
    )
