"""Input limits: a request beyond a limit is an ``InputError`` naming the field,
raised promptly (never a hang, never a verdict); within the limits nothing changes."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import fair_collect
from fair_collect import DEFAULT_LIMITS, InputError, Limits

Factory = Callable[..., dict[str, Any]]

MIB = 1024 * 1024

#: Generous: the point is "answers promptly", not a performance target (see bench/).
PROMPT = 10.0


#: The base request's instant (2026-06-09 10:30 in New York).
AT = datetime(2026, 6, 9, 14, 30, tzinfo=UTC)


def _event(minutes_before: int) -> dict[str, Any]:
    """An unanswered call ``minutes_before`` the base request's instant."""
    at = AT - timedelta(minutes=1 + minutes_before)
    return {"at": at.isoformat(), "channel": "call", "outcome": "no_answer"}


def _refused(policy: fair_collect.Policy, request: object) -> InputError:
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        policy.check(request)  # type: ignore[arg-type]
    assert time.perf_counter() - started < PROMPT
    return caught.value


@pytest.fixture(scope="module")
def small() -> fair_collect.Policy:
    limits = Limits(
        max_request_bytes=64 * 1024,
        max_message_bytes=1000,
        max_history=20,
        max_candidate_zones=2,
    )
    return fair_collect.load_policy(["us/federal"], limits=limits)


def test_the_defaults_are_documented_and_generous() -> None:
    assert Limits() == DEFAULT_LIMITS
    assert DEFAULT_LIMITS.max_message_bytes == MIB
    assert DEFAULT_LIMITS.max_history == 10_000
    assert DEFAULT_LIMITS.max_candidate_zones == 32
    assert DEFAULT_LIMITS.max_request_bytes == 16 * MIB
    assert fair_collect.load_policy(["us/federal"]).limits == DEFAULT_LIMITS


def test_limits_are_immutable_and_validated() -> None:
    limits = Limits()
    with pytest.raises(AttributeError):
        limits.max_history = 5  # type: ignore[misc]
    for bad in ({"max_history": -1}, {"max_message_bytes": 1.5}, {"max_candidate_zones": 0}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            Limits(**bad)  # type: ignore[arg-type]


def test_a_message_over_the_limit_names_the_field(
    small: fair_collect.Policy, request_for: Factory
) -> None:
    request = request_for(channel="sms", message={"text": "a" * 1001})
    error = _refused(small, request)
    assert error.fields == ("message.text",)
    assert "1,001" in str(error)
    assert "1,000" in str(error)
    assert error.problems[0].type == "too_long"


def test_the_message_limit_counts_utf8_bytes(
    small: fair_collect.Policy, request_for: Factory
) -> None:
    # 334 Chinese characters are 1002 bytes of UTF-8: over a 1000-byte limit.
    error = _refused(small, request_for(channel="sms", message={"text": "债" * 334}))
    assert error.fields == ("message.text",)
    assert small.check(request_for(channel="sms", message={"text": "债" * 333})).outcome


@pytest.mark.parametrize("field", ["subject", "envelope_text", "sender_name"])
def test_every_message_text_field_is_limited(
    small: fair_collect.Policy, request_for: Factory, field: str
) -> None:
    request = request_for(channel="email", message={field: "x" * 2000})
    request["recipient"] = {"role": "borrower", "address": "jane@example.com"}
    assert _refused(small, request).fields == (f"message.{field}",)


def test_a_message_at_the_limit_is_checked(
    small: fair_collect.Policy, request_for: Factory
) -> None:
    verdict = small.check(request_for(channel="sms", message={"text": "a" * 1000}))
    assert verdict.outcome in ("allow", "deny")


def test_a_history_over_the_limit_names_history(
    small: fair_collect.Policy, request_for: Factory
) -> None:
    request = request_for(history=[_event(i) for i in range(21)])
    for form in (request, json.dumps(request), fair_collect.parse_request(request)):
        error = _refused(small, form)
        assert error.fields == ("history",)
        assert "21" in str(error)
        assert "20" in str(error)
    assert small.check(request_for(history=[_event(i) for i in range(20)])).outcome


def test_an_enormous_history_is_refused_before_it_is_validated(request_for: Factory) -> None:
    # Two million events (invalid ones, even): counted, not validated, so the
    # answer comes at once and names the limit, not the millionth event.
    policy = fair_collect.load_policy(["us/federal"])
    request = request_for(history=[{"at": "not a time", "channel": "fax"}] * 2_000_000)
    started = time.perf_counter()
    error = _refused(policy, request)
    assert time.perf_counter() - started < 1.0
    assert error.fields == ("history",)
    assert "2,000,000" in str(error)


def test_too_many_candidate_zones_is_an_input_error(
    small: fair_collect.Policy, request_for: Factory
) -> None:
    request = request_for()
    # New York (ZIP, region, phone), Chicago, Los Angeles: three distinct zones.
    request["borrower"]["phones"] += [
        {"number": "+13125550199", "kind": "mobile"},
        {"number": "+14155550199", "kind": "mobile"},
    ]
    error = _refused(small, request)
    assert error.fields == ("borrower.phones",)
    assert error.problems[0].type == "too_many_zones"
    assert "3 candidate time zones" in str(error)
    request["borrower"]["phones"].pop()
    assert len(small.check(request).time_zones) >= 2  # two zones: within the limit


def test_json_text_over_the_request_limit_is_refused_unparsed(
    small: fair_collect.Policy, request_for: Factory
) -> None:
    text = json.dumps(request_for()) + " " * (64 * 1024)
    for form in (text, text.encode()):
        error = _refused(small, form)
        assert error.problems[0].type == "request_too_large"
        assert error.fields == ("",)
    # Not even JSON: the size is what is reported, without parsing.
    assert _refused(small, "[" * (65 * 1024)).problems[0].type == "request_too_large"


def test_several_limits_are_reported_together(
    small: fair_collect.Policy, request_for: Factory
) -> None:
    request = request_for(
        channel="sms",
        message={"text": "a" * 5000, "subject": "b" * 5000},
        history=[_event(i) for i in range(50)],
    )
    assert set(_refused(small, request).fields) == {"history", "message.text", "message.subject"}


def test_an_over_limit_request_is_never_an_allow_in_check_many_or_lint(
    small: fair_collect.Policy, request_for: Factory
) -> None:
    request = request_for(channel="sms", message={"text": "x" * 5000})
    with pytest.raises(InputError):
        small.check_many([request_for(), request])
    with pytest.raises(InputError):
        small.lint(request)


def test_a_1_mib_message_is_within_the_default_limit(request_for: Factory) -> None:
    policy = fair_collect.load_policy(["us/federal"])
    text = ("Please call us back. " * (MIB // 21 + 1))[:MIB]
    assert len(text.encode()) == MIB
    assert policy.check(request_for(channel="sms", message={"text": text})).outcome
    with pytest.raises(InputError) as caught:
        policy.check(request_for(channel="sms", message={"text": text + "!"}))
    assert caught.value.fields == ("message.text",)


def test_default_limits_accept_a_long_but_real_history(request_for: Factory) -> None:
    policy = fair_collect.load_policy(["us/federal"])
    history = [_event(i * 5) for i in range(2000)]  # a week of calls
    verdict = policy.check(request_for(history=copy.deepcopy(history)))
    assert not verdict.allowed
    assert "call_frequency_exceeded" in verdict.codes


#: 1 MiB messages of adversarial content (see bench/bench_hostile_text.py, which
#: measures them against the 100 ms target). Here only "answers, no hang".
HOSTILE_UNITS = {
    "near-matches": "we will su legal acti arrest warran 爆通讯 起诉 ",
    "combining marks": "s" + "\u0301" * 15 + "u" + "\u0308" * 15 + "e ",
    "zero-width runs": "s\u200b\u200c\u200du\u2060\ufeffe\u202e \u200b" * 3,
    "mixed": "ｓｕｅ\u200b y\u0301ou 通\u200d讯录 1234-5678 уоu ",
}
#: A hang guard, not a performance target: ten times the worst time seen on a
#: loaded two-core machine.
NO_HANG = 20.0


@pytest.mark.parametrize("kind", sorted(HOSTILE_UNITS))
def test_a_1_mib_hostile_message_gets_a_verdict_without_hanging(
    request_for: Factory, kind: str
) -> None:
    policy = fair_collect.load_policy(["us/federal"])
    unit = HOSTILE_UNITS[kind]
    cut = (unit * (MIB // len(unit.encode()) + 1)).encode()[:MIB].decode("utf-8", "ignore")
    request = request_for(channel="sms", message={"text": cut})
    started = time.perf_counter()
    verdict = policy.check(request)
    assert time.perf_counter() - started < NO_HANG
    assert not verdict.allowed  # every kind carries threat-like or missing required wording
