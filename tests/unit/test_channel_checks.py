"""Channel, mail, credit-reporting and TCPA checks: evidence matches what each
kind declares, addresses are compared as ``facts.addresses`` does, envelope
words match whole, the credit-reporting wait ends on local days and counts
only messages that arrived, an automated call needs a consent for the dialled
number, and unknown facts never permit an action."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from pydantic import ValidationError

import fair_collect
from fair_collect.checks import DEFAULT_CHECKS, channels, mail, reporting, tcpa
from fair_collect.checks.base import Check, CheckKind, Finding, PackContext
from fair_collect.checks.mail import EnvelopeWordingParams
from fair_collect.facts.core import Facts
from fair_collect.model import parse_request
from fair_collect.testing.scenarios import deep_merge

Factory = Callable[..., dict[str, Any]]

CTX = PackContext(pack_id="us/federal", jurisdiction="US")
MODULES = (channels, mail, reporting, tcpa)
KINDS = {kind.name: kind for module in MODULES for kind in module.KINDS}
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
    "qualified_electronic_address": ({}, {"channel": "sms"}),
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
        {"terms": [{"text": "debts", "language": "en", "category": "debt"}]},
        {"channel": "letter", "recipient": HOME, "message": {"envelope_text": "Debts Dept."}},
    ),
    "contact_before_reporting": ({}, {"channel": "credit_report", "recipient": CRA}),
    "automated_call_consent": ({}, {"automated": True}),
}


def test_every_channel_kind_has_a_violation_case() -> None:
    assert set(VIOLATIONS) == set(KINDS)


def test_every_kind_of_the_split_modules_is_registered_once() -> None:
    names = [kind.name for module in MODULES for kind in module.KINDS]
    assert len(names) == len(set(names))
    for name in names:
        assert DEFAULT_CHECKS[name] is KINDS[name]


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
    ("opted_out", "dialled", "blocked"),
    [
        ("+1 (212) 555-0123", "+12125550123", True),
        ("(212) 555-0123", "+12125550123", True),
        ("2125550123", "+12125550123", True),
        ("+12125550124", "+12125550123", False),
        # A 7-digit fragment denotes no number: it matches none (review O1).
        ("555-0123", "+13105550123", False),
        ("555-0123", "+12125550123", False),
        # A national number is read in the dialled number's country.
        ("07911 123456", "+447911123456", True),
        ("020 7183 8750", "+12071838750", False),
    ],
)
def test_an_opt_out_blocks_exactly_the_number_it_denotes(
    opted_out: str, dialled: str, blocked: bool, facts: Callable[..., Facts]
) -> None:
    finding = build("medium_opt_out").evaluate(
        facts(
            recipient={"role": "borrower", "address": dialled, "address_kind": "mobile"},
            borrower={
                "phones": [{"number": dialled, "kind": "mobile"}],
                "opt_outs": [{"channel": "call", "address": opted_out}],
            },
        )
    )
    assert (finding is not None) is blocked


def test_email_addresses_compare_case_insensitively(facts: Callable[..., Facts]) -> None:
    check = build("employer_email")
    work = {"role": "borrower", "address": "Jane@Employer.example ", "address_kind": "work_email"}
    used = facts(
        channel="email",
        recipient=work,
        borrower={
            "emails": [
                {"address": "jane@employer.example", "kind": "work_email", "consumer_used": True}
            ]
        },
    )
    assert check.evaluate(used) is None


# ----------------------------------------------------------------- envelopes

ENVELOPE_TERMS = [
    {"text": "debt", "forms": ["debts"], "language": "en", "category": "debt"},
    {"text": "collection", "forms": ["collections"], "language": "en", "category": "debt"},
    {"text": "past due", "language": "en", "category": "overdue"},
    {"text": "owe", "language": "en", "category": "debt"},
]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("ACME COLLECTIONS, PO Box 1", ["collections"]),
        ("Past\n  Due", ["past due"]),
        ("PAST-DUE", ["past due"]),
        ("Recollect Press, 5 Elm St", []),
        ("Indebted Books", []),
        ("Acme Collectibles Inc, 4 Debtford Rd", []),
        ("Powell & Owens, Owensboro", []),
        ("Amount you owe: $812", ["owe"]),
        ("Debts Dept.", ["debts"]),
    ],
)
def test_envelope_terms_match_whole_words(
    text: str, matched: list[str], facts: Callable[..., Facts]
) -> None:
    check = build("envelope_wording", terms=ENVELOPE_TERMS, require_envelope_text=False)
    finding = check.evaluate(
        facts(channel="letter", recipient=HOME, message={"envelope_text": text})
    )
    if not matched:
        assert finding is None
    else:
        assert finding is not None
        assert finding.evidence["matched_terms"] == matched
        assert finding.evidence["field"] == "message.envelope_text"


@pytest.mark.parametrize("term", ["", "debt*", "collect?", "  ", "-"])
def test_a_malformed_term_is_refused(term: str) -> None:
    with pytest.raises(ValidationError):
        EnvelopeWordingParams.model_validate(
            {"terms": [{"text": term, "language": "en", "category": "debt"}]}
        )


def test_an_undescribed_envelope_is_a_missing_fact_when_required(
    facts: Callable[..., Facts],
) -> None:
    check = build("envelope_wording", terms=ENVELOPE_TERMS, require_envelope_text=True)
    finding = check.evaluate(facts(channel="letter", recipient=HOME))
    assert finding is not None
    assert finding.missing_fact == "envelope_text"
    named = check.evaluate(
        facts(channel="letter", recipient=HOME, message={"sender_name": "Debt Co"})
    )
    assert named is not None
    assert named.missing_fact is None  # a definite violation is reported, not the gap
    empty = check.evaluate(facts(channel="letter", recipient=HOME, message={"envelope_text": ""}))
    assert empty is None  # an explicit empty envelope shows nothing but the addresses


def test_the_collectors_name_stands_in_for_a_missing_sender_name(
    facts: Callable[..., Facts],
) -> None:
    check = build("envelope_wording", terms=ENVELOPE_TERMS)
    ficus = {"type": "third_party_collector", "name": "Ficus Debt Collection Services"}
    envelope = {"envelope_text": "PO Box 12, Springfield, IL 62701"}
    finding = check.evaluate(
        facts(channel="letter", recipient=HOME, collector=ficus, message=envelope)
    )
    assert finding is not None
    assert finding.evidence["field"] == "collector.name"
    assert finding.evidence["matched_terms"] == ["debt", "collection"]
    # A sender name on the message is what the envelope shows instead.
    trade_name = check.evaluate(
        facts(
            channel="letter",
            recipient=HOME,
            collector=ficus,
            message={**envelope, "sender_name": "FS Services"},
        )
    )
    assert trade_name is None


@pytest.mark.parametrize(
    ("envelope", "allowed"),
    [
        ("Example LLC, PO Box 12 -- PAY NOW: FINAL DEMAND", False),
        ("Example LLC. SECOND NOTICE re: Account #4411, balance $812", False),
        ("Example LLC - AVISO DE DEUDA VENCIDA", False),
        ("Example LLC - Cobranza", False),
        ("Example LLC - PAST-DUE", False),
        ("Example LLC - delinquent", False),
        ("Acme Collectibles Inc, 4 Debtford Rd, Springfield, IL 62701", True),
        ("Example Recovery LLC, PO Box 12. Personal and confidential", True),
        ("Example Recovery LLC. U.S. POSTAGE PAID, PERMIT NO. 12", True),
        ("", True),
    ],
)
def test_the_federal_envelope_list(
    federal: fair_collect.Policy, request_for: Factory, envelope: str, allowed: bool
) -> None:
    verdict = federal.check(
        deep_merge(
            request_for(),
            {"channel": "letter", "recipient": HOME, "message": {"envelope_text": envelope}},
        )
    )
    codes = {r.code for r in verdict.reasons}
    assert ("envelope_indicates_debt_collection" not in codes) is allowed, codes


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


def sms_event(at: str, address: str | None = "+12125550123", **fields: Any) -> dict[str, Any]:
    return {"at": at, "channel": "sms", "recipient_role": "borrower", "address": address, **fields}


OPTED_OUT = {
    "phones": [
        {"number": "+12125550123", "kind": "mobile"},
        {"number": "+12125550199", "kind": "mobile"},
    ],
    "opt_outs": [{"channel": "sms", "at": "2026-06-01T12:00:00-04:00"}],
}


def mobile(number: str) -> dict[str, Any]:
    return {"role": "borrower", "address": number, "address_kind": "mobile"}


@pytest.mark.parametrize(
    ("reply_to", "inbound_from", "refusal"),
    [
        ("+12125550123", "+12125550123", None),
        ("+12125550123", "(212) 555-0123", None),
        ("+12125550199", "+12125550123", "reply_not_to_the_inbound_address"),
        ("+12125550123", None, "reply_not_to_the_inbound_address"),
    ],
)
def test_the_one_reply_goes_to_the_address_the_borrower_initiated_from(
    facts: Callable[..., Facts], reply_to: str, inbound_from: str | None, refusal: str | None
) -> None:
    finding = build("medium_opt_out").evaluate(
        facts(
            channel="sms",
            purpose="response_to_consumer",
            recipient=mobile(reply_to),
            borrower=OPTED_OUT,
            history=[sms_event("2026-06-09T09:50:00-04:00", inbound_from, direction="inbound")],
        )
    )
    if refusal is None:
        assert finding is None
    else:
        assert finding is not None
        assert finding.evidence["exception_refused"] == refusal


def test_each_inbound_contact_opens_one_reply_to_its_own_address(
    facts: Callable[..., Facts],
) -> None:
    check = build("medium_opt_out")
    history = [
        sms_event("2026-06-09T09:00:00-04:00", "+12125550123", direction="inbound"),
        sms_event("2026-06-09T09:10:00-04:00", "+12125550123"),
        sms_event("2026-06-09T09:50:00-04:00", "+12125550199", direction="inbound"),
    ]
    request = {"channel": "sms", "purpose": "response_to_consumer", "borrower": OPTED_OUT}
    to_second = facts(**request, recipient=mobile("+12125550199"), history=history)
    assert check.evaluate(to_second) is None
    to_first = check.evaluate(facts(**request, recipient=mobile("+12125550123"), history=history))
    assert to_first is not None
    assert to_first.evidence["exception_refused"] == "reply_not_to_the_inbound_address"


def test_an_inbound_text_in_the_second_of_the_opt_out_opens_no_reply(
    facts: Callable[..., Facts],
) -> None:
    finding = build("medium_opt_out").evaluate(
        facts(
            channel="sms",
            purpose="response_to_consumer",
            borrower={"opt_outs": [{"channel": "sms", "at": "2026-06-09T10:00:00-04:00"}]},
            history=[sms_event("2026-06-09T10:00:00-04:00", direction="inbound")],
        )
    )
    assert finding is not None
    assert finding.evidence["exception_refused"] == "no_inbound_after_opt_out"


@pytest.mark.parametrize(
    ("sent_at", "refusal"),
    [
        ("2026-06-09T09:59:59-04:00", None),
        ("2026-06-09T10:00:00-04:00", "confirmation_already_sent"),
        ("2026-06-09T10:00:01-04:00", "confirmation_already_sent"),
    ],
)
def test_an_outbound_text_in_the_second_of_the_opt_out_counts_as_the_confirmation(
    facts: Callable[..., Facts], sent_at: str, refusal: str | None
) -> None:
    finding = build("medium_opt_out").evaluate(
        facts(
            channel="sms",
            purpose="opt_out_confirmation",
            borrower={"opt_outs": [{"channel": "sms", "at": "2026-06-09T10:00:00-04:00"}]},
            history=[sms_event(sent_at, outcome="delivered")],
        )
    )
    if refusal is None:
        assert finding is None
    else:
        assert finding is not None
        assert finding.evidence["exception_refused"] == refusal


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


@pytest.mark.parametrize(
    ("channel", "outcome", "counts"),
    [
        ("email", "delivered", True),
        ("email", "opened", True),
        ("sms", "replied", True),
        ("sms", "delivered", True),
        ("email", None, False),
        ("sms", None, False),
        ("sms", "not_in_service", False),
        ("sms", "busy", False),
        ("email", "no_answer", False),
        ("email", "conversation", False),
        ("letter", None, True),
        ("letter", "delivered", True),
        ("letter", "no_answer", False),
    ],
)
def test_only_a_message_that_arrived_counts_as_sent(
    facts: Callable[..., Facts], channel: str, outcome: str | None, counts: bool
) -> None:
    address = "jane@mail.example" if channel == "email" else "+12125550123"
    if channel == "letter":
        address = "1 Main St, New York, NY 10001"
    sent = {
        "at": "2026-05-01T10:00:00-04:00",
        "channel": channel,
        "recipient_role": "borrower",
        "address": address,
        "debt_ids": ["D1"],
        "outcome": outcome,
    }
    finding = build("contact_before_reporting").evaluate(
        facts(channel="credit_report", recipient=CRA, history=[sent])
    )
    if counts:
        assert finding is None
    else:
        assert finding is not None
        assert finding.evidence["status"] == "no_contact"


def returned(
    address: str | None, debt_ids: list[str] | None, channel: str = "letter"
) -> dict[str, Any]:
    return {
        "at": "2026-05-08T10:00:00-04:00",
        "channel": channel,
        "direction": "inbound",
        "address": address,
        "debt_ids": debt_ids,
        "outcome": "undeliverable",
    }


TWO_DEBTS = [{"id": "D1", "kind": "credit_card"}, {"id": "D2", "kind": "medical"}]


@pytest.mark.parametrize(
    ("return_event", "disqualifies"),
    [
        (returned("1 Main St, New York, NY 10001", ["D2"]), True),  # the same address
        (returned("1 MAIN ST,  New York, NY 10001", None), True),
        (returned("1 Main Street, New York NY 10001", None), True),  # written another way
        (returned("1 Main Street, New York NY 10001", ["D1", "D2"]), True),
        (returned(None, ["D2"]), True),  # an unknown address may be the same
        (returned("9 Old Rd, Albany, NY 12201", ["D2"]), False),
        (returned("1 Main St, New York, NY 10001", None, channel="email"), False),
    ],
)
def test_a_letter_return_at_any_address_about_its_debt_disqualifies_it(
    facts: Callable[..., Facts], return_event: dict[str, Any], disqualifies: bool
) -> None:
    finding = build("contact_before_reporting").evaluate(
        facts(
            channel="credit_report",
            recipient=CRA,
            debts=TWO_DEBTS,
            debt_ids=["D1"],
            history=[letter("2026-05-01T10:00:00-04:00"), return_event],
        )
    )
    if disqualifies:
        assert finding is not None
        assert finding.evidence["status"] == "undeliverable"
    else:
        assert finding is None


def test_an_email_bounce_is_matched_by_address_only(facts: Callable[..., Facts]) -> None:
    check = build("contact_before_reporting")
    email = {
        "at": "2026-05-01T10:00:00-04:00",
        "channel": "email",
        "recipient_role": "borrower",
        "address": "jane@mail.example",
        "debt_ids": ["D1"],
        "outcome": "delivered",
    }
    other = returned("old@mail.example", ["D1"], channel="email")
    assert (
        check.evaluate(facts(channel="credit_report", recipient=CRA, history=[email, other]))
        is None
    )
    same = returned("Jane@Mail.example", ["D2"], channel="email")
    blocked = check.evaluate(facts(channel="credit_report", recipient=CRA, history=[email, same]))
    assert blocked is not None
    assert blocked.evidence["status"] == "undeliverable"


def test_a_wait_ending_after_the_last_valid_instant_has_no_next_pass(
    facts: Callable[..., Facts],
) -> None:
    check = build("contact_before_reporting")
    found = facts(
        channel="credit_report",
        recipient=CRA,
        at="2199-12-26T12:00:00-05:00",
        history=[letter("2199-12-24T10:00:00-05:00")],
    )
    assert check.evaluate(found) is not None
    assert check.next_pass(found) is None


# ----------------------------------------------------------------- automated calls


def autodialed(**fields: Any) -> dict[str, Any]:
    return {"kind": "autodialed", "given_at": "2026-01-15T12:00:00-05:00", **fields}


@pytest.mark.parametrize(
    ("consents", "status"),
    [
        ([autodialed(address="+12125550123")], None),
        ([autodialed(address="212-555-0123")], None),
        ([autodialed(address="+12125550123", channel="call")], None),
        ([autodialed()], "consent_names_no_number"),
        ([autodialed(channel="call")], "consent_names_no_number"),
        ([autodialed(address="+13125550100")], "no_consent"),
        ([autodialed(address="555-0123")], "no_consent"),
        ([autodialed(address="+12125550123", channel="sms")], "no_consent"),
        (
            [{"kind": "call", "given_at": "2026-01-15T12:00:00-05:00", "address": "+12125550123"}],
            "no_consent",
        ),
        ([], "no_consent"),
    ],
)
def test_an_automated_call_needs_a_consent_naming_the_dialled_number(
    facts: Callable[..., Facts], consents: list[dict[str, Any]], status: str | None
) -> None:
    finding = build("automated_call_consent").evaluate(
        facts(automated=True, borrower={"consents": consents})
    )
    if status is None:
        assert finding is None
    else:
        assert finding is not None
        assert finding.evidence["consent_status"] == status


@pytest.mark.parametrize(
    ("opt_out", "revoked"),
    [
        ({"channel": "call", "at": "2026-06-01T12:00:00-04:00"}, True),
        ({"channel": "voicemail", "address": "(212) 555-0123"}, True),
        ({"channel": "call", "address": "+12125550199"}, False),
        ({"channel": "call", "at": "2026-01-01T12:00:00-05:00"}, False),  # before the consent
        # Whether a STOP text revokes consent to calls is unconfirmed; not assumed.
        ({"channel": "sms", "at": "2026-06-01T12:00:00-04:00"}, False),
    ],
)
def test_an_opt_out_of_the_medium_after_the_consent_revokes_it(
    facts: Callable[..., Facts], opt_out: dict[str, Any], revoked: bool
) -> None:
    finding = build("automated_call_consent").evaluate(
        facts(
            automated=True,
            borrower={"consents": [autodialed(address="+12125550123")], "opt_outs": [opt_out]},
        )
    )
    if revoked:
        assert finding is not None
        assert finding.evidence["consent_status"] == "revoked_by_opt_out"
    else:
        assert finding is None


def test_texts_and_calls_are_separate_rules(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    text = federal.check(deep_merge(request_for(), {"channel": "sms", "automated": True}))
    call = federal.check(deep_merge(request_for(), {"automated": True}))
    assert [r.rule_id for r in text.reasons if r.code.startswith("automated")] == [
        "us.federal.tcpa.automated_text_to_mobile"
    ]
    assert [r.rule_id for r in call.reasons if r.code.startswith("automated")] == [
        "us.federal.tcpa.automated_call_to_mobile"
    ]


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
    (
        "an automated call under a consent for another number",
        {
            "automated": True,
            "collector": {"type": "first_party_creditor", "name": "Example Bank"},
            "borrower": {
                "consents": [
                    {
                        "kind": "autodialed",
                        "given_at": "2026-01-15T12:00:00Z",
                        "address": "+13125550100",
                    }
                ]
            },
        },
        ("borrower", "consents", 0, "address"),
    ),
    (
        "a reply to another number than the borrower texted from",
        {
            "channel": "sms",
            "purpose": "response_to_consumer",
            "recipient": {"role": "borrower", "address": "+12125550199", "address_kind": "mobile"},
            "borrower": {"opt_outs": [{"channel": "sms", "at": "2026-06-01T12:00:00Z"}]},
            "history": [
                {
                    "at": "2026-06-08T12:00:00Z",
                    "channel": "sms",
                    "direction": "inbound",
                    "recipient_role": "borrower",
                    "address": "+12125550123",
                }
            ],
        },
        ("history", 0, "address"),
    ),
    (
        "a letter returned at another address about the same debt",
        {
            "channel": "credit_report",
            "recipient": CRA,
            "history": [
                letter("2026-05-01T10:00:00Z"),
                {
                    "at": "2026-05-05T10:00:00Z",
                    "channel": "letter",
                    "direction": "inbound",
                    "address": "1 Main Street, New York NY 10001",
                    "debt_ids": ["D1"],
                    "outcome": "undeliverable",
                },
            ],
        },
        ("history", 1, "debt_ids"),
    ),
    (
        "a text whose delivery failed before furnishing",
        {
            "channel": "credit_report",
            "recipient": CRA,
            "history": [
                {
                    "at": "2026-05-01T10:00:00Z",
                    "channel": "sms",
                    "recipient_role": "borrower",
                    "address": "+12125550123",
                    "debt_ids": ["D1"],
                    "outcome": "not_in_service",
                }
            ],
        },
        ("history", 0, "outcome"),
    ),
    (
        "a letter whose envelope shows a dunning word",
        {"channel": "letter", "recipient": HOME, "message": {"envelope_text": "FINAL NOTICE"}},
        ("message", "envelope_text"),
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
