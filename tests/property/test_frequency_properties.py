"""Frequency: more history never helps, calls that did not connect never count,
and Regulation F's 7-in-7 and 7-day cooldown count local calendar days."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import event, given
from hypothesis import strategies as st

import fair_collect
from fair_collect.checks.composite import walk
from fair_collect.checks.frequency import _Events
from fair_collect.testing.strategies import (
    histories,
    instants,
    iso,
    requests,
    time_zones,
)

POLICY = fair_collect.load_policy()

#: How far back the loaded counting rules read: their longest window plus the
#: margin each adds for zones and DST (Massachusetts counts 30 days, Russia 31).
LONGEST_LOOKBACK = max(
    part.events.lookback
    for rule in POLICY.rules
    for part in walk(rule.check)
    if isinstance(getattr(part, "events", None), _Events)
)

SEVEN_IN_SEVEN = "call_frequency_exceeded"
COOLDOWN = "call_within_7_days_of_conversation"
#: Outcomes Regulation F counts toward 7-in-7 (busy and not-in-service do not).
COUNTED = ("no_answer", "voicemail", "limited_content_message", "conversation")

#: Calls with a history of calls to the same person: frequency rules bite often.
CALLS = requests(
    channel=["call", "voicemail"],
    history_channels=["call", "call", "voicemail"],
    min_history=3,
    max_history=14,
    history_days=9,
)


def frequency_denies(verdict: fair_collect.Verdict) -> set[tuple[str, str]]:
    return {(r.rule_id, r.code) for r in verdict.reasons if r.category == "frequency"}


def regulation_f_denies(verdict: fair_collect.Verdict) -> set[tuple[str, str]]:
    return {(r.rule_id, r.code) for r in verdict.reasons if r.code in (SEVEN_IN_SEVEN, COOLDOWN)}


def _history_knobs(request: dict[str, Any]) -> dict[str, Any]:
    borrower = request.get("borrower") or {}
    addresses = [p["number"] for p in borrower.get("phones") or []]
    address = (request.get("recipient") or {}).get("address")
    if address:
        addresses.append(address)
    return {
        "before": datetime.fromisoformat(request["at"]),
        "addresses": addresses,
        "debt_ids": [d["id"] for d in request.get("debts") or []],
    }


@given(request=CALLS, data=st.data())
def test_more_history_never_lifts_a_frequency_deny(
    request: dict[str, Any], data: st.DataObject
) -> None:
    before = POLICY.check(request)
    denied = frequency_denies(before)
    event("frequency deny" if denied else "no frequency deny")
    if not denied:
        return
    extra = data.draw(histories(min_size=1, max_size=6, **_history_knobs(request)), label="more")
    longer = copy.deepcopy(request)
    longer["history"] = [*longer["history"], *extra]
    after = POLICY.check(longer)
    assert not after.allowed
    assert frequency_denies(after) >= denied


@given(request=CALLS, data=st.data())
def test_busy_signals_and_dead_numbers_never_count_toward_regulation_f(
    request: dict[str, Any], data: st.DataObject
) -> None:
    """12 CFR 1006.14(b)(3): busy signals and numbers not in service are not
    calls placed; adding them never changes the 7-in-7 or cooldown denies."""
    failed = data.draw(
        histories(
            min_size=1,
            max_size=8,
            channels="call",
            directions="outbound",
            **_history_knobs(request),
        ),
        label="calls that did not connect",
    )
    for call in failed:
        call["outcome"] = data.draw(st.sampled_from(("busy", "not_in_service")))
    more = copy.deepcopy(request)
    more["history"] = [*more["history"], *failed]
    assert regulation_f_denies(POLICY.check(more)) == regulation_f_denies(POLICY.check(request))


#: Categories whose rules count within windows of days. Other rules may rightly
#: remember further back: a location-information contact is allowed once per
#: person, ever (15 U.S.C. 1692b(3)), and an opt-out stays in force.
WINDOWED = ("frequency", "time_of_day")


def windowed_findings(verdict: fair_collect.Verdict) -> list[dict[str, Any]]:
    return [
        r.model_dump(mode="json")
        for r in (*verdict.reasons, *verdict.warnings)
        if r.category in WINDOWED
    ]


@given(request=CALLS, data=st.data())
def test_contacts_older_than_every_window_never_change_the_verdict(
    request: dict[str, Any], data: st.DataObject
) -> None:
    """Counting rules read history only as far back as their window reaches
    (the longest window of the loaded packs plus a margin for zones and DST);
    anything older, however much of it, leaves every frequency and
    time-of-day finding exactly as it was, and the whole verdict too unless a
    rule without a window spoke."""
    knobs = _history_knobs(request)
    knobs["before"] = knobs["before"] - LONGEST_LOOKBACK - timedelta(days=1)
    old = data.draw(histories(min_size=1, max_size=12, days=60, **knobs), label="old contacts")
    longer = copy.deepcopy(request)
    longer["history"] = [*old, *longer["history"]]
    before, after = POLICY.check(request), POLICY.check(longer)
    assert windowed_findings(after) == windowed_findings(before)
    unwindowed = {
        r.rule_id
        for r in (*before.reasons, *before.warnings, *after.reasons, *after.warnings)
        if r.category not in WINDOWED
    }
    event("a rule without a window spoke" if unwindowed else "only windowed rules spoke")
    if not unwindowed:
        assert after.model_dump(exclude={"request_digest"}) == before.model_dump(
            exclude={"request_digest"}
        )


# ------------------------------------------------- Regulation F, counted by hand
#
# One borrower in one zone (only ``location.time_zone``; no phone numbers, so
# no other candidate), one debt, and calls spread over local calendar days.


def _one_zone_request(at: datetime, zone: str, history: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "channel": "call",
        "at": iso(at),
        "collector": {"type": "third_party_collector"},
        "recipient": {"role": "borrower"},
        "borrower": {"id": "B1", "location": {"country": "US", "time_zone": zone}},
        "debts": [{"id": "D1", "kind": "credit_card"}],
        "history": history,
    }


def _local_day_start(day: date, zone: ZoneInfo) -> datetime:
    # An oracle independent of fair_collect.facts.clock.day_start (the code
    # under test), simple because US zones change offset at 02:00, so local
    # midnight always exists.
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


@st.composite
def _call_on_local_day(
    draw: st.DrawFn, at: datetime, zone: ZoneInfo, days_back: int, outcome: str
) -> dict[str, Any]:
    """An outbound call to the borrower about D1 on local day ``at - days_back``, before ``at``."""
    day = at.astimezone(zone).date() - timedelta(days=days_back)
    start = _local_day_start(day, zone)
    end = min(_local_day_start(day + timedelta(days=1), zone), at)
    micros = int((end - start) / timedelta(microseconds=1))
    moment = start + timedelta(microseconds=draw(st.integers(0, max(micros - 1, 0))))
    return {
        "at": iso(moment),
        "channel": "call",
        "direction": "outbound",
        "recipient_role": "borrower",
        "debt_ids": ["D1"],
        "outcome": outcome,
    }


@given(st.data())
def test_the_eighth_counted_call_in_seven_local_days_is_denied(data: st.DataObject) -> None:
    zone_name = data.draw(time_zones(us_only=True), label="zone")
    zone = ZoneInfo(zone_name)
    at = data.draw(instants(), label="at")
    count = data.draw(st.integers(0, 10), label="earlier calls")
    calls = [
        data.draw(
            _call_on_local_day(
                at, zone, data.draw(st.integers(0, 6)), data.draw(st.sampled_from(COUNTED))
            )
        )
        for _ in range(count)
    ]
    verdict = POLICY.check(_one_zone_request(at, zone_name, calls))
    if count >= 7:
        assert SEVEN_IN_SEVEN in verdict.codes
    else:
        assert SEVEN_IN_SEVEN not in verdict.codes


@given(st.data())
def test_a_conversation_blocks_calls_through_its_seventh_local_day(data: st.DataObject) -> None:
    zone_name = data.draw(time_zones(us_only=True), label="zone")
    zone = ZoneInfo(zone_name)
    at = data.draw(instants(), label="at")
    days_back = data.draw(st.integers(0, 10), label="days since the conversation")
    talk = data.draw(_call_on_local_day(at, zone, days_back, "conversation"))
    if data.draw(st.booleans(), label="the borrower called in"):
        talk["direction"] = "inbound"
    verdict = POLICY.check(_one_zone_request(at, zone_name, [talk]))
    # The day of the conversation is day 1: blocked on days 1-7, free on day 8.
    if days_back <= 6:
        assert COOLDOWN in verdict.codes
    else:
        assert COOLDOWN not in verdict.codes
