"""Fuzzing the request: whatever ``check`` is handed, it returns a verdict or raises
``InputError`` (nothing else), and a missing fact is never an allow.

* valid requests broken in one to four places: a field replaced by any JSON
  value (huge numbers, odd unicode, naive or malformed instants, unknown
  zones, nested junk), a field deleted, an unknown field added; empty and
  enormous histories; the same requests as JSON text and bytes;
* a request that is denied (a call at night in the borrower's zone) stays
  denied when any fact is taken out of it (zone sources, phones, history,
  recipient, collector): forgetting a fact never buys an allow;
* a request with no candidate zone, or without ``history``, is never allowed
  where a rule needs them.

The ``ci`` hypothesis profile keeps this quick; ``HYPOTHESIS_PROFILE=long``
runs thousands of examples per property.
"""

from __future__ import annotations

import copy
import json
import math
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, event, given, note
from hypothesis import strategies as st

import fair_collect
from fair_collect import InputError, Limits
from fair_collect.testing.strategies import (
    CONSUMER_ROLES,
    invalid_requests,
    requests,
    time_zones,
    wall_clock_instants,
)

POLICY = fair_collect.load_policy()
#: The same packs under small limits, so that fuzzed input crosses them often.
SMALL = fair_collect.load_policy(
    limits=Limits(
        max_request_bytes=256 * 1024,
        max_message_bytes=4096,
        max_history=40,
        max_candidate_zones=3,
    )
)

# ------------------------------------------------------------------ values

#: Text that stresses every layer: controls, surrogates, zero-width and bidi
#: marks, combining runs, full-width and astral characters, NUL.
ODD_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec=None), max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\ud800",
            "\u200b\u200c\u200d\u2060\ufeff" * 8,
            "\u202e+12125550123",
            "a" + "\u0301" * 200,
            "ＣＡＬＬ",
            "𝐜𝐚𝐥𝐥",
            "2026-06-09T10:30:00",
            "2026-06-09T10:30:00[America/New_York]",
            "2026-06-09T10:30:00-04:00",
            "2026-03-08T02:30:00-05:00",
            "America/New_York",
            "Mars/Olympus_Mons",
            "+12125550123",
            "+1212555012" + "3" * 30,
            "NaN",
            "Infinity",
            "-0",
            "1e999",
            "9" * 400,
            "null",
            "../../etc/passwd",
            "%s%n%x",
            "{placeholder}",
        ]
    ),
)
HUGE_NUMBERS = st.one_of(
    st.sampled_from([2**63, -(2**63) - 1, 10**100, -(10**308), 1e308, -1e-308, 0.1, -0.0]),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
)
JSON_SCALARS = st.one_of(st.none(), st.booleans(), HUGE_NUMBERS, ODD_TEXT)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(ODD_TEXT, inner, max_size=4)
    ),
    max_leaves=12,
)
#: Values only a Python caller can pass (no JSON form).
PYTHON_ONLY = st.sampled_from(
    [math.nan, math.inf, -math.inf, b"bytes", (1, 2), {1, 2}, object(), 1j, ...]
)


def _paths(node: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _at(root: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        root = root[part]
    return root


def _parent(root: Any, path: tuple[str | int, ...]) -> Any:
    return _at(root, path[:-1])


@st.composite
def mangled_requests(draw: st.DrawFn, python_values: bool = False) -> dict[str, Any]:
    """A valid request broken in one to four places."""
    request = copy.deepcopy(draw(requests(with_history=None)))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(request)
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "add" or not paths:
            target: Any = request
            dicts = [p for p in paths if isinstance(_at(request, p), dict)]
            if dicts and draw(st.booleans()):
                target = _at(request, draw(st.sampled_from(dicts)))
            target[draw(ODD_TEXT)] = draw(JSON_VALUES)
            continue
        path = draw(st.sampled_from(paths))
        parent = _parent(request, path)
        if action == "delete":
            del parent[path[-1]]
        else:
            values = st.one_of(JSON_VALUES, PYTHON_ONLY) if python_values else JSON_VALUES
            parent[path[-1]] = draw(values)
    return request


# ------------------------------------------------------------------ nothing but InputError


def _verdict_or_input_error(
    policy: fair_collect.Policy, request: object
) -> fair_collect.Verdict | None:
    try:
        verdict = policy.check(request)  # type: ignore[arg-type]
    except InputError as error:
        problems = error.problems
    else:
        problems = None
    if problems is not None:
        assert problems, "an InputError names at least one problem"
        event("InputError")
        return None
    assert verdict.outcome in ("allow", "deny")
    assert verdict.allowed == (verdict.outcome == "allow")
    assert verdict.allowed or verdict.reasons
    event(verdict.outcome)
    return verdict


def _summary(verdict: fair_collect.Verdict | None) -> Any:
    return None if verdict is None else verdict.model_dump(mode="json")


@given(st.one_of(mangled_requests(), invalid_requests(requests(with_history=None))))
def test_check_raises_nothing_but_input_error(case: Any) -> None:
    request = case[0] if isinstance(case, tuple) else case
    verdict = _verdict_or_input_error(POLICY, request)
    _verdict_or_input_error(SMALL, request)
    text = json.dumps(request)
    # The JSON entry point agrees with the mapping one, as text and as bytes.
    assert _summary(_verdict_or_input_error(POLICY, text)) == _summary(verdict)
    assert _summary(_verdict_or_input_error(POLICY, text.encode())) == _summary(verdict)


@given(mangled_requests(python_values=True))
def test_python_values_without_a_json_form_are_input_errors_or_verdicts(
    request: dict[str, Any],
) -> None:
    _verdict_or_input_error(POLICY, request)


@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "replace")))
def test_arbitrary_bytes_are_input_errors_or_verdicts(data: bytes) -> None:
    _verdict_or_input_error(POLICY, data)
    _verdict_or_input_error(POLICY, data.decode("utf-8", "replace"))


@given(JSON_VALUES)
def test_any_json_document_is_an_input_error_or_a_verdict(value: Any) -> None:
    _verdict_or_input_error(POLICY, value)
    _verdict_or_input_error(POLICY, json.dumps(value))


EVENT = st.fixed_dictionaries(
    {"at": st.sampled_from(["2026-06-01T10:00:00Z", "2026-06-08T23:30:00+05:45"])},
    optional={
        "channel": st.sampled_from(["call", "sms", "fax", ""]),
        "outcome": st.sampled_from(["conversation", "no_answer", "busy", "answered"]),
        "debt_ids": st.lists(st.sampled_from(["D1", "D2", ""]), max_size=3),
    },
)


@given(requests(with_history=True), st.lists(EVENT, max_size=120), st.booleans())
def test_empty_and_long_histories_are_verdicts_or_input_errors(
    request: dict[str, Any], extra: list[dict[str, Any]], empty: bool
) -> None:
    request = copy.deepcopy(request)
    request["history"] = [] if empty else request["history"] + extra
    note(f"{len(request['history'])} events")
    _verdict_or_input_error(POLICY, request)
    small = _verdict_or_input_error(SMALL, request)
    if len(request["history"]) > 40:
        assert small is None, "a history over the limit must be refused"


def test_a_history_at_the_default_limit_is_checked_and_one_more_is_refused() -> None:
    event_ = {"at": "2026-06-08T14:00:00Z", "channel": "call", "outcome": "no_answer"}
    request = {
        "channel": "call",
        "at": "2026-06-09T10:30:00-04:00",
        "collector": {"type": "third_party_collector"},
        "recipient": {"role": "borrower", "address": "+12125550123", "address_kind": "mobile"},
        "borrower": {"location": {"country": "US", "region": "NY", "postal_code": "10001"}},
        "history": [event_] * POLICY.limits.max_history,
    }
    assert not POLICY.check(request).allowed  # 10,000 calls in a week
    request["history"].append(event_)
    with pytest.raises(InputError) as caught:
        POLICY.check(request)
    assert caught.value.fields == ("history",)


# ------------------------------------------------------------------ missing facts


@st.composite
def night_calls(draw: st.DrawFn) -> dict[str, Any]:
    """A consumer call at night (22:00-06:00) in a US zone that is a candidate, and
    outside 08:00-21:00 in every other candidate zone too: a deny whichever
    candidate is right, so no fact filled in could make it an allow."""
    zone = draw(time_zones(us_only=True))
    at = draw(
        wall_clock_instants(
            zone, ["22:00", "23:30", "02:00", "05:45"], within=timedelta(minutes=20)
        )
    )
    request = draw(
        requests(
            channel=["call", "voicemail", "sms"],
            recipient_role=list(CONSUMER_ROLES),
            collector_type="third_party_collector",
            at=at,
            time_zone=zone,
            with_history=None,
        )
    )
    zones = POLICY.check(request).time_zones
    assume(all(not 8 <= at.astimezone(ZoneInfo(z.zone)).hour < 21 for z in zones))
    return request


def _drop(request: dict[str, Any], *path: str) -> bool:
    node: Any = request
    for part in path[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    return isinstance(node, dict) and node.pop(path[-1], None) is not None


#: Ways of taking facts out of a request; each returns whether it changed anything.
#: (Taking out one zone source while another remains is not a missing fact: the
#: engine checks every zone it is told of, which is why the night calls are at
#: night in each of them.)
FORGET = {
    "borrower.location": lambda r: _drop(r, "borrower", "location"),
    "borrower.location.time_zone": lambda r: _drop(r, "borrower", "location", "time_zone"),
    "borrower.phones": lambda r: _drop(r, "borrower", "phones"),
    "recipient.address": lambda r: _drop(r, "recipient", "address"),
    "every zone source": lambda r: (
        (_drop(r, "borrower", "location") | _drop(r, "borrower", "phones"))
        | _drop(r, "recipient", "address")
    ),
    "history": lambda r: _drop(r, "history"),
    "borrower": lambda r: _drop(r, "borrower"),
    "recipient": lambda r: _drop(r, "recipient"),
    "collector": lambda r: _drop(r, "collector"),
    "collector.type": lambda r: _drop(r, "collector", "type"),
    "debts": lambda r: _drop(r, "debts") | _drop(r, "debt_ids"),
}


@given(request=night_calls())
def test_a_night_call_stays_denied_whatever_fact_is_missing(request: dict[str, Any]) -> None:
    before = POLICY.check(request)
    assert not before.allowed, "a call at night in every candidate zone is a deny"
    for fact, forget in FORGET.items():
        reduced = copy.deepcopy(request)
        if not forget(reduced):
            continue
        event(f"forgot {fact}")
        try:
            after = POLICY.check(reduced)
        except InputError:
            continue  # e.g. an address_kind left without its address
        assert not after.allowed, f"without {fact} the night call ({before.codes}) is allowed"


@given(
    requests(
        channel=["call", "voicemail", "sms"],
        recipient_role="borrower",
        collector_type="third_party_collector",
        with_history=True,
        country=None,
        max_phones=0,
    )
)
def test_a_call_with_no_candidate_zone_is_never_allowed(request: dict[str, Any]) -> None:
    request = copy.deepcopy(request)
    request["jurisdictions"] = ["US"]
    (request.get("recipient") or {}).pop("address", None)
    (request.get("recipient") or {}).pop("address_kind", None)
    verdict = POLICY.check(request)
    assert not verdict.allowed
    assert "missing_fact" in verdict.codes or "outside_permitted_hours" in verdict.codes


@given(
    requests(
        channel=["call", "voicemail"],
        recipient_role="borrower",
        collector_type="third_party_collector",
        purpose="collection",
        with_history=False,
    )
)
def test_a_call_without_history_is_never_allowed(request: dict[str, Any]) -> None:
    request = copy.deepcopy(request)
    request.pop("history", None)
    request["jurisdictions"] = ["US"]
    verdict = POLICY.check(request)
    assert not verdict.allowed
    assert any(
        r.category == "missing_fact" and r.evidence.get("fact") == "history"
        for r in verdict.reasons
    ), verdict.codes
