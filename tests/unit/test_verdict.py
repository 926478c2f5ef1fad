"""The verdict: its JSON shape (SPEC section 3), ``raise_for_outcome``, and the request
digest that lets an auditor replay a decision."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

import fair_collect
import fair_collect.verdict
from fair_collect import DeniedError, Verdict, parse_request, request_digest
from spec_shapes import CATEGORIES, REASON_KEYS, SHA256, VERDICT_KEYS

Factory = Callable[..., dict[str, Any]]

EARLY = "2026-06-09T07:30:00-04:00"


# ------------------------------------------------------------------ raise_for_outcome


def test_raise_for_outcome_raises_on_deny(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    verdict = federal.check(request_for(at=EARLY))
    assert verdict.outcome == "deny"
    with pytest.raises(DeniedError, match="outside_permitted_hours") as caught:
        verdict.raise_for_outcome()
    assert caught.value.verdict is verdict
    assert isinstance(caught.value, fair_collect.FairCollectError)


def test_raise_for_outcome_returns_the_verdict_on_allow(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    verdict = federal.check(request_for())
    assert verdict.outcome == "allow"
    assert verdict.raise_for_outcome() is verdict


def test_warnings_do_not_make_raise_for_outcome_raise(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    history = [
        {
            "at": "2026-06-09T10:27:00-04:00",
            "channel": "call",
            "recipient_role": "borrower",
            "address": "+12125550123",
            "debt_ids": ["D1"],
            "outcome": "no_answer",
        }
    ]
    verdict = federal.check(request_for(history=history))
    assert verdict.allowed
    assert [w.code for w in verdict.warnings] == ["calls_in_rapid_succession"]
    assert all(w.effect == "warn" for w in verdict.warnings)
    assert verdict.raise_for_outcome() is verdict


def test_outcome_and_allowed_agree(federal: fair_collect.Policy, request_for: Factory) -> None:
    for at in (EARLY, "2026-06-09T10:30:00-04:00", "2026-06-09T21:00:00-04:00"):
        verdict = federal.check(request_for(at=at))
        assert verdict.allowed is (verdict.outcome == "allow")
        assert bool(verdict.reasons) is (not verdict.allowed)


# ------------------------------------------------------------------ request digest


def _reordered(value: Any) -> Any:
    """The same JSON value with every object's keys in reverse order."""
    if isinstance(value, dict):
        return {k: _reordered(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reordered(v) for v in value]
    return value


def _rich(request_for: Factory) -> dict[str, Any]:
    return request_for(
        borrower={
            "id": "B1",
            "location": {"country": "US", "region": "NY", "postal_code": "10001"},
            "phones": [{"number": "+12125550123", "kind": "mobile"}],
            "cease_request": {"received_at": "2026-06-01T13:00:00Z", "in_writing": False},
            "inconvenient_times": [{"days": ["sun"], "start": "00:00", "end": "24:00"}],
        },
        history=[
            {
                "at": "2026-06-01T10:00:00-04:00",
                "channel": "call",
                "recipient_role": "borrower",
                "debt_ids": ["D1"],
                "outcome": "no_answer",
            }
        ],
    )


def test_digest_ignores_key_order_and_utc_offsets(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    original = _rich(request_for)
    same = _reordered(copy.deepcopy(original))
    same["at"] = "2026-06-09T14:30:00Z"
    same["history"][0]["at"] = "2026-06-01T15:00:00+01:00"
    same["borrower"]["cease_request"]["received_at"] = "2026-06-01T09:00:00-04:00"
    digest = request_digest(parse_request(original))
    assert SHA256.fullmatch(digest)
    assert request_digest(parse_request(same)) == digest
    assert request_digest(parse_request(json.dumps(same))) == digest
    assert federal.check(same).request_digest == federal.check(original).request_digest == digest


def test_canonical_json_sorts_keys_and_uses_utc(request_for: Factory) -> None:
    text = fair_collect.canonical_request_json(parse_request(_rich(request_for)))
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["at"] == "2026-06-09T14:30:00Z"
    assert data["history"][0]["at"] == "2026-06-01T14:00:00Z"


CHANGES: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("channel", lambda r: r.update(channel="sms")),
    ("instant", lambda r: r.update(at="2026-06-09T10:31:00-04:00")),
    ("automated", lambda r: r.update(automated=True)),
    ("purpose", lambda r: r.update(purpose="location_information")),
    ("recipient role", lambda r: r["recipient"].update(role="spouse")),
    ("dialled number", lambda r: r["recipient"].update(address="+12125550124")),
    ("postal code", lambda r: r["borrower"]["location"].update(postal_code="10002")),
    ("phone kind", lambda r: r["borrower"]["phones"][0].update(kind="landline")),
    ("inconvenient day", lambda r: r["borrower"]["inconvenient_times"][0].update(days=["sat"])),
    ("cease in writing", lambda r: r["borrower"]["cease_request"].update(in_writing=True)),
    ("bankruptcy", lambda r: r["borrower"].update(bankruptcy=True)),
    ("debt amount", lambda r: r["debts"][0].update(amount="812.01")),
    ("history outcome", lambda r: r["history"][0].update(outcome="conversation")),
    ("history instant", lambda r: r["history"][0].update(at="2026-06-01T10:00:01-04:00")),
    ("history address kind", lambda r: r["history"][0].update(address_kind="work_phone")),
    ("history unknown", lambda r: r.update(history=None)),
    ("history empty", lambda r: r.update(history=[])),
    ("message", lambda r: r.update(message={"text": "Please call us."})),
    ("jurisdictions", lambda r: r.update(jurisdictions=["US"])),
    ("debt ids", lambda r: r.update(debt_ids=["D1"])),
]


@pytest.mark.parametrize("change", [pytest.param(c, id=name) for name, c in CHANGES])
def test_digest_changes_when_any_fact_changes(
    request_for: Factory, change: Callable[[dict[str, Any]], None]
) -> None:
    original = _rich(request_for)
    changed = copy.deepcopy(original)
    change(changed)
    assert changed != original
    assert request_digest(parse_request(changed)) != request_digest(parse_request(original))


# ------------------------------------------------------------------ JSON shape and round trip


def test_verdict_json_round_trip_keeps_the_digest(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    verdict = federal.check(request_for(at=EARLY))
    text = verdict.model_dump_json()
    back = Verdict.model_validate_json(text)
    assert back.request_digest == verdict.request_digest
    assert back.model_dump(mode="json") == verdict.model_dump(mode="json")
    assert back.codes == verdict.codes
    assert back.next_allowed_at == verdict.next_allowed_at
    # and from parsed JSON (a log line read with json.loads)
    again = Verdict.model_validate(json.loads(text))
    assert again.request_digest == verdict.request_digest


def test_json_verdict_has_every_spec_key(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    body = federal.check(request_for(at=EARLY)).model_dump(mode="json")
    assert set(body) >= VERDICT_KEYS
    assert body["outcome"] == "deny"
    assert body["allowed"] is False
    assert body["next_allowed_at"] == "2026-06-09T08:00:00-04:00"
    assert body["jurisdictions"] == ["US", "US-NY", "US-NY-NYC"]  # ZIP 10001: Manhattan
    assert SHA256.fullmatch(body["request_digest"])
    (reason,) = body["reasons"]
    assert set(reason) >= REASON_KEYS
    assert reason["rule_id"] == "us.federal.reg_f.inconvenient_time"
    assert reason["code"] == "outside_permitted_hours"
    assert reason["category"] in CATEGORIES
    assert reason["effect"] == "deny"
    assert reason["pack"] == "us/federal"
    assert reason["evidence"]["local_time"] == "07:30"
    assert reason["citations"][0] == {
        "source": "12 CFR 1006.6(b)(1)(i)",
        "url": "https://www.consumerfinance.gov/rules-policy/regulations/1006/6/",
    }
    assert all(set(c) >= {"source", "url"} for c in reason["citations"])
    assert all(set(z) >= {"zone", "source"} for z in body["time_zones"])
    (pack,) = body["packs"]
    assert set(pack) >= {"id", "version", "digest"}
    assert SHA256.fullmatch(pack["digest"])
    json.dumps(body)  # plain JSON all the way down


def test_json_allow_verdict(federal: fair_collect.Policy, request_for: Factory) -> None:
    body = federal.check(request_for()).model_dump(mode="json")
    assert set(body) >= VERDICT_KEYS
    assert (body["outcome"], body["allowed"], body["reasons"]) == ("allow", True, [])
    assert body["next_allowed_at"] == "2026-06-09T10:30:00-04:00"


def test_missing_fact_deny_names_the_fact(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    verdict = federal.check(request_for(history=None))
    assert not verdict.allowed
    missing = [r for r in verdict.reasons if r.category == "missing_fact"]
    assert missing
    assert all(r.code == "missing_fact" for r in missing)
    assert {r.evidence.get("fact") for r in missing} == {"history"}
    assert verdict.next_allowed_at is None  # waiting will not supply the history


def test_verdict_is_frozen(federal: fair_collect.Policy, request_for: Factory) -> None:
    verdict = federal.check(request_for(at=EARLY))
    with pytest.raises(Exception, match="frozen"):
        verdict.outcome = "allow"  # type: ignore[misc]
    assert verdict.outcome == "deny"


def test_the_category_list_is_the_spec_list() -> None:
    assert set(fair_collect.verdict.CATEGORIES) == CATEGORIES
