"""Channel checks: evidence matches what each kind declares, addresses match
across formats, envelope words match whole, the credit-reporting wait ends on
local days, and unknown facts never permit an action."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from pydantic import ValidationError

import fair_collect
from fair_collect.checks import channels
from fair_collect.checks.base import Check, CheckKind, Finding, PackContext
from fair_collect.checks.channels import EnvelopeWordingParams, same_address
from fair_collect.facts.core import Facts
from fair_collect.model import parse_request
from fair_collect.testing.scenarios import deep_merge

Factory = Callable[..., dict[str, Any]]

CTX = PackContext(pack_id="us/federal", jurisdiction="US")
KINDS = {kind.name: kind for kind in channels.KINDS}
CRA = {"role": "other", "address": "Example Credit Bureau", "address_kind": "other"}
HOME = {"role": "borrower", "address": "1 Main St, New York, NY 10001", "address_kind": "home"}
WORK_EMAIL = {"role": "borrower", "address": "jane@employer.example", "address_kind": "work_email"}


def build(name: str, **params: Any) -> Check:
    kind: CheckKind = KINDS[name]
    return kind.build(kind.params.model_validate(params), CTX)


@pytest.fixture
def facts(request_for: Factory) -> Callable[..., Facts]:
    """Facts of the base request with a fragment merged over it (mappings key by key)."""

    def make(**fragment: Any) -> Facts:
        return Facts.of(parse_request(deep_merge(request_for(), fragment)))

    return make


# ----------------------------------------------------------------- evidence

#: For each kind: parameters and a request it finds a violation in.
VIOLATIONS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "medium_opt_out": (
        {},
        {"channel": "sms", "borrower": {"opt_outs": [{"channel": "sms"}]}},
    ),
    "employer_email": ({}, {"channel": "email", "recipient": WORK_EMAIL}),
    "electronic_address_qualified": ({}, {"channel": "sms"}),
    "message_visibility": (
        {},
        {
            "channel": "social_media",
            "recipient": {"role": "borrower", "address": "@jane", "address_kind": "other"},
            "message": {"visibility": "public"},
        },
    ),
    "prohibited_channel": ({"channels": ["postcard"]}, {"channel": "postcard", "recipient": HOME}),
    "envelope_wording": (
        {"terms": [{"term": "debt*"}]},
        {"channel": "letter", "recipient": HOME, "message": {"envelope_text": "Debts Dept."}},
    ),
    "contact_before_reporting": ({}, {"channel": "credit_report", "recipient": CRA}),
    "automated_call_consent": ({}, {"automated": True}),
}


def test_every_channel_kind_has_a_violation_case() -> None:
    assert set(VIOLATIONS) == set(KINDS)


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_a_finding_carries_exactly_the_declared_evidence(
    name: str, facts: Callable[..., Facts]
) -> None:
    params, request = VIOLATIONS[name]
    finding = build(name, **params).evaluate(facts(**request))
    assert finding is not None
    assert finding.missing_fact is None
    assert set(finding.evidence) == KINDS[name].evidence


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_non_time_checks_never_promise_a_time(name: str, facts: Callable[..., Facts]) -> None:
    params, request = VIOLATIONS[name]
    check = build(name, **params)
    if not check.time_based:
        assert check.next_pass(facts(**request)) is None


# ----------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("first", "second", "phone", "same"),
    [
        ("+12125550123", "+1 (212) 555-0123", True, True),
        ("(212) 555-0123", "+12125550123", True, True),
        ("12125550123", "+12125550123", True, True),
        ("+12125550123", "+12125550124", True, False),
        ("+442071838750", "+12071838750", True, False),
        ("020 7183 8750", "+442071838750", True, True),
        ("2125550123", "2125550124", True, False),
        ("Jane.Roe@Mail.example ", "jane.roe@mail.example", False, True),
        ("jane.roe@mail.example", "jane.roe@employer.example", False, False),
    ],
)
def test_same_address(first: str, second: str, phone: bool, same: bool) -> None:
    assert same_address(first, second, phone) is same
    assert same_address(second, first, phone) is same


# ----------------------------------------------------------------- envelopes


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("ACME COLLECTIONS, PO Box 1", ["collect*"]),
        ("Past\n  Due", ["past due"]),
        ("Recollect Press, 5 Elm St", []),
        ("Indebted Books", []),
        ("Powell & Owens, Owensboro", []),
        ("Amount you owe: $812", ["owe"]),
        ("Debtor services", ["debt*"]),
    ],
)
def test_envelope_terms_match_whole_words(
    text: str, matched: list[str], facts: Callable[..., Facts]
) -> None:
    check = build(
        "envelope_wording",
        terms=[{"term": t} for t in ("debt*", "collect*", "past due", "owe")],
        require_envelope_text=False,
    )
    finding = check.evaluate(
        facts(channel="letter", recipient=HOME, message={"envelope_text": text})
    )
    if not matched:
        assert finding is None
    else:
        assert finding is not None
        assert finding.evidence["matched_terms"] == matched


@pytest.mark.parametrize("term", ["", "debt collection*x", "past  due", "*debt", "debt!"])
def test_a_malformed_term_is_refused(term: str) -> None:
    with pytest.raises(ValidationError):
        EnvelopeWordingParams.model_validate({"terms": [{"term": term}]})


def test_an_undescribed_envelope_is_a_missing_fact_when_required(
    facts: Callable[..., Facts],
) -> None:
    check = build("envelope_wording", terms=[{"term": "debt*"}], require_envelope_text=True)
    finding = check.evaluate(facts(channel="letter", recipient=HOME))
    assert finding is not None
    assert finding.missing_fact == "envelope_text"
    named = check.evaluate(
        facts(channel="letter", recipient=HOME, message={"sender_name": "Debt Co"})
    )
    assert named is not None
    assert named.missing_fact is None  # a definite violation is reported, not the gap


# ----------------------------------------------------------------- opt-outs


def test_a_definite_opt_out_deny_wins_over_another_opt_outs_missing_time(
    facts: Callable[..., Facts],
) -> None:
    check = build("medium_opt_out")
    finding = check.evaluate(
        facts(
            channel="sms",
            purpose="response_to_consumer",
            borrower={
                "opt_outs": [
                    {"channel": "sms"},
                    {"channel": "sms", "at": "2026-06-01T12:00:00-04:00"},
                ]
            },
        )
    )
    assert finding is not None
    assert finding.missing_fact is None
    assert finding.evidence["exception_refused"] == "no_inbound_after_opt_out"


# ----------------------------------------------------------------- credit reporting


def letter(at: str, **fields: Any) -> dict[str, Any]:
    return {
        "at": at,
        "channel": "letter",
        "recipient_role": "borrower",
        "address": "1 Main St, New York, NY 10001",
        "debt_ids": ["D1"],
        **fields,
    }


def test_the_wait_counts_local_days_across_the_end_of_dst(facts: Callable[..., Facts]) -> None:
    check = build("contact_before_reporting")
    found = facts(
        channel="credit_report",
        recipient=CRA,
        at="2026-10-25T12:00:00-04:00",
        history=[letter("2026-10-20T10:00:00-04:00")],
    )
    # Day 14 after Tuesday 10-20 is Tuesday 11-03; DST ended on 11-01.
    assert check.next_pass(found) == datetime.fromisoformat("2026-11-04T00:00:00-05:00")


def test_a_conversation_recorded_before_the_wait_ends_is_the_next_pass(
    facts: Callable[..., Facts],
) -> None:
    check = build("contact_before_reporting")
    conversation = {
        "at": "2026-06-11T15:00:00-04:00",
        "channel": "call",
        "direction": "inbound",
        "recipient_role": "borrower",
        "debt_ids": ["D1"],
        "outcome": "conversation",
    }
    found = facts(
        channel="credit_report",
        recipient=CRA,
        history=[letter("2026-06-08T10:00:00-04:00"), conversation],
    )
    assert check.evaluate(found) is not None
    assert check.next_pass(found) == datetime.fromisoformat("2026-06-11T15:00:00-04:00")


def test_without_a_zone_only_a_conversation_can_pass(facts: Callable[..., Facts]) -> None:
    check = build("contact_before_reporting")
    nowhere = {"location": None, "phones": []}
    waiting = check.evaluate(
        facts(
            channel="credit_report",
            recipient=CRA,
            borrower=nowhere,
            history=[letter("2026-05-01T10:00:00-04:00")],
        )
    )
    assert waiting is not None
    assert waiting.missing_fact == "time_zone"


# ----------------------------------------------------------------- fail closed

#: Requests one channel rule denies, each with a path to a fact that could only
#: have permitted the action. Forgetting the fact must not turn the deny into
#: an allow.
FORGET_CASES: list[tuple[str, dict[str, Any], tuple[str | int, ...]]] = [
    (
        "a reply after an inbound text the borrower sent from another number",
        {
            "channel": "sms",
            "purpose": "response_to_consumer",
            "borrower": {
                "opt_outs": [
                    {"channel": "sms", "address": "+12125550123", "at": "2026-06-01T12:00:00Z"}
                ]
            },
            "history": [
                {
                    "at": "2026-06-08T12:00:00Z",
                    "channel": "sms",
                    "direction": "inbound",
                    "recipient_role": "borrower",
                    "address": "+12125550199",
                }
            ],
        },
        ("history", 0, "address"),
    ),
    (
        "a reply already sent to another number",
        {
            "channel": "sms",
            "purpose": "response_to_consumer",
            "borrower": {"opt_outs": [{"channel": "sms", "at": "2026-06-01T12:00:00Z"}]},
            "history": [
                {
                    "at": "2026-06-08T12:00:00Z",
                    "channel": "sms",
                    "direction": "inbound",
                    "recipient_role": "borrower",
                    "address": "+12125550123",
                },
                {
                    "at": "2026-06-08T12:05:00Z",
                    "channel": "sms",
                    "recipient_role": "borrower",
                    "address": "+12125550123",
                },
            ],
        },
        ("history", 1, "recipient_role"),
    ),
    (
        "an email that bounced before furnishing",
        {
            "channel": "credit_report",
            "recipient": CRA,
            "history": [
                {
                    "at": "2026-05-01T10:00:00Z",
                    "channel": "email",
                    "recipient_role": "borrower",
                    "address": "jane@mail.example",
                    "debt_ids": ["D1"],
                    "outcome": "failed",
                }
            ],
        },
        ("history", 0, "outcome"),
    ),
    (
        "a letter returned from the same address",
        {
            "channel": "credit_report",
            "recipient": CRA,
            "history": [
                letter("2026-05-01T10:00:00Z"),
                {
                    "at": "2026-05-05T10:00:00Z",
                    "channel": "letter",
                    "direction": "inbound",
                    "address": "1 Main St, New York, NY 10001",
                    "outcome": "undeliverable",
                },
            ],
        },
        ("history", 1, "address"),
    ),
    (
        "an automated call to a number listed as a mobile",
        {
            "automated": True,
            "recipient": {"role": "borrower", "address": "+12125550123", "address_kind": None},
        },
        ("borrower", "phones", 0, "kind"),
    ),
    (
        "a social-media post shown to the borrower's contacts",
        {
            "channel": "social_media",
            "recipient": {"role": "borrower", "address": "@jane", "address_kind": "other"},
            "message": {"visibility": "contacts"},
        },
        ("message", "visibility"),
    ),
    (
        "an email to a work address the request also calls work",
        {"channel": "email", "recipient": WORK_EMAIL},
        ("recipient", "address_kind"),
    ),
]


@pytest.mark.parametrize(
    ("request_data", "path"),
    [(r, p) for _, r, p in FORGET_CASES],
    ids=[name for name, _, _ in FORGET_CASES],
)
def test_forgetting_a_fact_never_lifts_a_channel_deny(
    federal: fair_collect.Policy,
    request_for: Factory,
    request_data: dict[str, Any],
    path: tuple[str | int, ...],
) -> None:
    request = deep_merge(request_for(), request_data)
    before = federal.check(request)
    assert not before.allowed, before.model_dump(mode="json")
    reduced = copy.deepcopy(request)
    node: Any = reduced
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    after = federal.check(reduced)
    assert not after.allowed, f"forgetting {'.'.join(map(str, path))} allowed the action"


def test_a_missing_fact_finding_names_its_fact(facts: Callable[..., Facts]) -> None:
    finding = build("message_visibility").evaluate(
        facts(
            channel="social_media",
            recipient={"role": "borrower", "address": "@jane", "address_kind": "other"},
        )
    )
    assert isinstance(finding, Finding)
    assert finding.missing_fact == "message_visibility"
    assert set(finding.evidence) == {"fact", "needed"}
