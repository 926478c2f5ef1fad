"""Time: the written offset never matters, calls stay inside 08:00-21:00 in every
candidate zone (DST edges included), and ``next_allowed_at`` is the earliest
instant that is actually allowed."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import event, given
from hypothesis import strategies as st

import fair_collect
from fair_collect.testing.strategies import (
    CONSUMER_ROLES,
    dst_edge_instants,
    instants,
    iso,
    requests,
    rewritten_offsets,
    time_zones,
    wall_clock_instants,
)

POLICY = fair_collect.load_policy()
TIME_BASED = frozenset({"time_of_day", "frequency"})
OPENS, CLOSES = time(8, 0), time(21, 0)


@st.composite
def timed_requests(draw: st.DrawFn, **knobs: Any) -> dict[str, Any]:
    """Requests whose ``at`` is often at a DST transition or near 08:00 / 21:00
    in a zone that is then made a candidate (``borrower.location.time_zone``)."""
    zone = draw(time_zones())
    at = draw(
        st.one_of(
            instants(),
            dst_edge_instants(zone, within=timedelta(hours=12)),
            wall_clock_instants(zone, ("08:00", "21:00"), within=timedelta(minutes=3)),
        )
    )
    pinned = draw(st.booleans())
    return draw(requests(at=at, time_zone=zone if pinned else None, **knobs))


def at_of(request: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(request["at"])


def summary(verdict: fair_collect.Verdict) -> dict[str, Any]:
    """What a caller acts on, with instants compared as instants."""
    return {
        "outcome": verdict.outcome,
        "reasons": [(r.rule_id, r.code, r.category) for r in verdict.reasons],
        "warnings": [(r.rule_id, r.code) for r in verdict.warnings],
        "next_allowed_at": verdict.next_allowed_at.astimezone(UTC)
        if verdict.next_allowed_at
        else None,
        "time_zones": verdict.time_zones,
        "jurisdictions": verdict.jurisdictions,
        "packs": verdict.packs,
        "request_digest": verdict.request_digest,
    }


# ----------------------------------------------------------------- offsets


@given(st.data())
def test_the_same_instant_written_with_other_offsets_gets_the_same_verdict(
    data: st.DataObject,
) -> None:
    request = data.draw(timed_requests(with_history=None), label="request")
    rewritten = data.draw(rewritten_offsets(request), label="rewritten")
    assert summary(POLICY.check(rewritten)) == summary(POLICY.check(request))


@given(st.data())
def test_whether_a_pack_is_in_force_does_not_depend_on_the_written_offset(
    data: st.DataObject,
) -> None:
    # Regulation F took effect on 2021-11-30: the answer for one instant near
    # that date must not depend on how the instant is written.
    near = instants(datetime(2021, 11, 28, tzinfo=UTC), datetime(2021, 12, 2, tzinfo=UTC))
    request = data.draw(requests(at=near, with_history=None), label="request")
    rewritten = data.draw(rewritten_offsets(request), label="rewritten")
    assert summary(POLICY.check(rewritten)) == summary(POLICY.check(request))


# -------------------------------------------------------------------- hours


def _local(at: datetime, zone: str) -> datetime:
    return at.astimezone(ZoneInfo(zone))


def _inside_hours(local: datetime) -> bool:
    return OPENS <= local.time().replace(tzinfo=None) < CLOSES


CONSUMER_CALLS: dict[str, Any] = {
    "channel": ["call", "voicemail", "sms"],
    "recipient_role": list(CONSUMER_ROLES),
    "collector_type": "third_party_collector",
    "with_history": None,
}


@given(timed_requests(**CONSUMER_CALLS))
def test_no_call_is_allowed_outside_8_to_21_in_any_listed_zone(request: dict[str, Any]) -> None:
    verdict = POLICY.check(request)
    at = at_of(request)
    outside = [
        f"{z.zone} ({z.source}) {_local(at, z.zone):%H:%M:%S}"
        for z in verdict.time_zones
        if not _inside_hours(_local(at, z.zone))
    ]
    event("outside hours in a listed zone" if outside else "inside hours everywhere")
    if outside:
        assert not verdict.allowed, f"allowed at {', '.join(outside)}"


FEDERAL_HOURS = "us.federal.reg_f.inconvenient_time"


@given(timed_requests(**CONSUMER_CALLS))
def test_an_hours_deny_shows_the_true_local_time_in_a_listed_zone(
    request: dict[str, Any],
) -> None:
    """Every hours reason (any pack) names a zone the verdict lists, or the
    rule's own zone (China counts Beijing time whatever the request says),
    and the local time there; the federal one is outside 08:00-21:00."""
    verdict = POLICY.check(request)
    zones = {(z.zone, z.source) for z in verdict.time_zones}
    for reason in verdict.reasons:
        if reason.code != "outside_permitted_hours":
            continue
        evidence = reason.evidence
        assert (evidence["time_zone"], evidence["zone_source"]) in zones or (
            evidence["zone_source"] == "rule"
        )
        local = _local(at_of(request), evidence["time_zone"])
        assert evidence["local_time"] == f"{local:%H:%M}"
        if reason.rule_id == FEDERAL_HOURS:
            assert not _inside_hours(local)
        closed_day = evidence.get("holiday") or (
            local.strftime("%a").lower() not in evidence["permitted_days"]
        )
        assert closed_day or not (evidence["start"] <= f"{local:%H:%M}" < evidence["end"])


# ---------------------------------------------------------- next_allowed_at


#: Timed requests, half of them calls after a busy week of calls (so that
#: frequency rules deny and ``next_allowed_at`` has something to say).
DENY_LEANING = st.one_of(
    timed_requests(with_history=None),
    timed_requests(
        channel=["call", "voicemail"],
        history_channels=["call", "voicemail"],
        min_history=6,
        max_history=14,
        history_days=7,
    ),
)


@given(DENY_LEANING)
def test_next_allowed_at_is_allowed_and_not_before_at(request: dict[str, Any]) -> None:
    verdict = POLICY.check(request)
    at = at_of(request)
    if verdict.allowed:
        event("allow")
        assert verdict.next_allowed_at == at
        return
    if any(r.category == "missing_fact" for r in verdict.reasons):
        assert verdict.next_allowed_at is None
    event(f"deny, next_allowed_at {'null' if verdict.next_allowed_at is None else 'set'}")
    if verdict.next_allowed_at is None:
        return
    assert verdict.next_allowed_at >= at
    later = POLICY.check({**request, "at": iso(verdict.next_allowed_at)})
    blocking = [(r.rule_id, r.code) for r in later.reasons if r.category in TIME_BASED]
    assert not blocking, f"still blocked at next_allowed_at {verdict.next_allowed_at}"
    assert later.allowed


def _probes(request: dict[str, Any], at: datetime, until: datetime, cut: int) -> list[datetime]:
    """Instants in [at, until) to try: one drawn at random, the second before
    ``until``, and each call-back window the borrower asked for that opens in
    between."""
    probes = [at + (until - at) * (cut / 2**32), until - timedelta(seconds=1)]
    for consent in (request.get("borrower") or {}).get("consents") or []:
        if "window_start" in consent:
            probes.append(datetime.fromisoformat(consent["window_start"]))
    return [p for p in probes if at <= p < until]


def _check_nothing_allowed_before_next(request: dict[str, Any], cut: int) -> None:
    verdict = POLICY.check(request)
    at = at_of(request)
    if verdict.next_allowed_at is None or verdict.next_allowed_at <= at:
        event("nothing to probe")
        return
    probes = _probes(request, at, verdict.next_allowed_at, cut)
    event(f"{len(probes)} instants probed")
    for earlier in probes:
        assert not POLICY.check({**request, "at": iso(earlier)}).allowed, (
            f"allowed at {earlier}, before next_allowed_at {verdict.next_allowed_at}"
        )


@given(DENY_LEANING, st.integers(0, 2**32))
def test_nothing_is_allowed_before_next_allowed_at(request: dict[str, Any], cut: int) -> None:
    _check_nothing_allowed_before_next(request, cut)


@st.composite
def call_back_requests(draw: st.DrawFn) -> dict[str, Any]:
    """A call to a borrower in one zone who, after many earlier calls, asked to
    be called back in a one-hour daytime window today or in the next two days."""
    zone_name = draw(time_zones(us_only=True))
    zone = ZoneInfo(zone_name)
    request = draw(
        requests(
            channel="call",
            recipient_role="borrower",
            collector_type="third_party_collector",
            call_consent=True,
            time_zone=zone_name,
            max_phones=0,
            with_recipient=True,
            history_channels="call",
            min_history=5,
            max_history=12,
            history_days=7,
        )
    )
    request["recipient"].pop("address", None)  # no dialled number: one candidate zone
    request["recipient"].pop("address_kind", None)
    day = at_of(request).astimezone(zone).date() + timedelta(days=draw(st.integers(0, 2)))
    opens = datetime.combine(
        day, time(draw(st.integers(8, 19)), 15 * draw(st.integers(0, 3))), tzinfo=zone
    )
    consent = request["borrower"]["consents"][0]
    consent["window_start"] = iso(opens)
    consent["window_end"] = iso(opens + timedelta(hours=1))
    return request


@given(call_back_requests(), st.integers(0, 2**32))
def test_next_allowed_at_does_not_skip_a_call_back_window(
    request: dict[str, Any], cut: int
) -> None:
    _check_nothing_allowed_before_next(request, cut)
