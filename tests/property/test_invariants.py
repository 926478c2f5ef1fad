"""Invariants every verdict keeps, whatever the request: determinism, well-formed
reasons, a neutral ``explain``, JSON round-trips, and fail-closed facts."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import fair_collect
import fair_collect.verdict
from fair_collect.testing.strategies import requests
from spec_shapes import CATEGORIES, SHA256

POLICY = fair_collect.load_policy()

SLUG = re.compile(r"[a-z][a-z0-9_]*")

#: Requests of every shape, history sometimes missing (a missing fact).
ANY_REQUEST = requests(with_history=None)


def dump(verdict: fair_collect.Verdict) -> dict[str, Any]:
    return verdict.model_dump(mode="json")


@given(ANY_REQUEST)
def test_the_same_request_always_gets_the_same_verdict(request: dict[str, Any]) -> None:
    first = dump(POLICY.check(request))
    assert dump(POLICY.check(copy.deepcopy(request))) == first
    assert dump(POLICY.check(json.dumps(request))) == first
    assert dump(POLICY.check(dict(reversed(request.items())))) == first
    assert dump(POLICY.check(fair_collect.parse_request(request))) == first
    assert [dump(v) for v in POLICY.check_many([request, request])] == [first, first]
    assert SHA256.fullmatch(first["request_digest"])


@given(ANY_REQUEST)
def test_every_deny_names_its_rule_code_category_and_law(request: dict[str, Any]) -> None:
    verdict = POLICY.check(request)
    assert verdict.allowed == (verdict.outcome == "allow")
    assert verdict.allowed == (not verdict.reasons)
    pack_ids = {p.id for p in verdict.packs}
    for reason in (*verdict.reasons, *verdict.warnings):
        assert reason.rule_id
        assert SLUG.fullmatch(reason.code), reason.code
        assert reason.category in CATEGORIES
        assert reason.citations, f"{reason.rule_id} cites no law"
        assert all(c.source.strip() for c in reason.citations)
        assert reason.pack in pack_ids
        assert reason.message
    assert all(r.effect == "deny" for r in verdict.reasons)
    assert all(w.effect == "warn" for w in verdict.warnings)


@given(ANY_REQUEST)
def test_explain_changes_nothing_but_the_explanation(request: dict[str, Any]) -> None:
    plain = dump(POLICY.check(request))
    explained = dump(POLICY.check(request, explain=True))
    assert plain["explanation"] is None
    assert explained["explanation"] is not None
    plain.pop("explanation")
    explained.pop("explanation")
    assert explained == plain


@given(ANY_REQUEST)
def test_a_verdict_read_back_from_json_is_the_same_verdict(request: dict[str, Any]) -> None:
    verdict = POLICY.check(request)
    text = verdict.model_dump_json()
    again = fair_collect.Verdict.model_validate_json(text)
    assert dump(again) == dump(verdict)
    assert json.loads(text) == dump(verdict)


# ------------------------------------------------------------- fail closed
#
# Each "forgetter" removes one fact that can only ever permit an action (the
# history, every source of the borrower's zone, who the collector is, a
# consent, what an earlier contact was about or how it ended). Knowing less
# must never turn a deny into an allow.

Forgetter = Callable[[dict[str, Any], st.DataObject], bool]


def _forget_history(request: dict[str, Any], data: st.DataObject) -> bool:
    return request.pop("history", None) is not None


def _forget_zone_sources(request: dict[str, Any], data: st.DataObject) -> bool:
    borrower = request.get("borrower") or {}
    changed = borrower.pop("location", None) is not None
    changed |= bool(borrower.pop("phones", None))
    recipient = request.get("recipient") or {}
    changed |= recipient.pop("address", None) is not None
    recipient.pop("address_kind", None)
    return changed


def _forget_collector_type(request: dict[str, Any], data: st.DataObject) -> bool:
    collector = request.get("collector")
    if not collector:
        return False
    if data.draw(st.booleans(), label="drop the whole collector"):
        del request["collector"]
    else:
        collector.pop("type", None)
    return True


def _forget_debt_ids(request: dict[str, Any], data: st.DataObject) -> bool:
    return request.pop("debt_ids", None) is not None


def _forget_consents(request: dict[str, Any], data: st.DataObject) -> bool:
    return bool((request.get("borrower") or {}).pop("consents", None))


def _forget_event_field(field: str) -> Forgetter:
    def forget(request: dict[str, Any], data: st.DataObject) -> bool:
        events = [e for e in request.get("history") or [] if field in e]
        if not events:
            return False
        event = data.draw(st.sampled_from(events), label=f"event losing {field}")
        del event[field]
        return True

    return forget


FORGETTERS: dict[str, Forgetter] = {
    "history": _forget_history,
    "every_zone_source": _forget_zone_sources,
    "collector_type": _forget_collector_type,
    "request_debt_ids": _forget_debt_ids,
    "consents": _forget_consents,
    "event_outcome": _forget_event_field("outcome"),
    "event_debt_ids": _forget_event_field("debt_ids"),
    "event_recipient_role": _forget_event_field("recipient_role"),
    "event_address": _forget_event_field("address"),
    "event_with_consent": _forget_event_field("with_consent"),
}


def _provide_debt_ids(request: dict[str, Any], data: st.DataObject) -> None:
    debts = [d["id"] for d in request.get("debts") or []]
    if debts and not request.get("debt_ids"):
        request["debt_ids"] = data.draw(
            st.lists(st.sampled_from(debts), min_size=1, unique=True), label="debt_ids"
        )


def _provide_event_consent(request: dict[str, Any], data: st.DataObject) -> None:
    events = request.get("history") or []
    if events and not any(e.get("with_consent") for e in events):
        data.draw(st.sampled_from(events), label="event placed with consent")["with_consent"] = True


#: Facts the generated requests rarely carry: each is added first (when absent),
#: so that forgetting it is tested on a request that had it.
PROVIDERS: dict[str, Callable[[dict[str, Any], st.DataObject], None]] = {
    "request_debt_ids": _provide_debt_ids,
    "event_with_consent": _provide_event_consent,
}

#: Telephone requests, leaning towards denies: half of the borrowers asked for
#: a call back (a consent); a third have a busy week of calls behind them.
TELEPHONE = st.one_of(
    requests(channel=["call", "call", "voicemail", "sms"]),
    requests(channel=["call", "voicemail"], call_consent=True),
    requests(
        channel=["call", "voicemail"],
        history_channels=["call", "voicemail"],
        min_history=6,
        max_history=14,
        history_days=7,
    ),
)


@pytest.mark.parametrize("fact", sorted(FORGETTERS))
@given(request=TELEPHONE, data=st.data())
def test_forgetting_a_fact_never_turns_a_deny_into_an_allow(
    fact: str, request: dict[str, Any], data: st.DataObject
) -> None:
    if fact in PROVIDERS:
        PROVIDERS[fact](request, data)
    before = POLICY.check(request)
    if before.allowed:
        event("allowed already")
        return
    reduced = copy.deepcopy(request)
    if not FORGETTERS[fact](reduced, data):
        event("nothing to forget")
        return
    event("deny, fact forgotten")
    after = POLICY.check(reduced)
    assert not after.allowed, (
        f"forgetting {fact} turned a deny ({', '.join(before.codes)}) into an allow"
    )


@given(ANY_REQUEST)
def test_rules_left_out_of_a_message_less_plan_would_have_passed(request: dict[str, Any]) -> None:
    """The engine does not evaluate rules that pass whenever the action has no
    message (wording, personal data); evaluated anyway, they must pass."""
    from fair_collect.facts.core import Facts

    req = fair_collect.parse_request(request).model_copy(update={"message": None})
    facts = Facts.of(req, POLICY.lexicon)
    skipped = [r for r in POLICY.rules if r.passes_without_message]
    assert skipped, "the shipped packs have message-only rules"
    for rule in skipped:
        assert rule.check.evaluate(facts) is None, rule.id
    explained = POLICY.check(req, explain=True).explanation
    assert explained is not None
    results = {step.rule_id: step for step in explained}
    for rule in skipped:
        if rule.id in results:  # rules of the packs in force
            assert results[rule.id].result in ("pass", "not_applicable"), results[rule.id]
