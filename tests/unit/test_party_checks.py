"""Checks about who is reached and where (``checks/parties.py``): what each one
reports, how it tells people and places apart, and that it fails closed."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, get_args

import pytest
from pydantic import ValidationError

import fair_collect
from fair_collect import parse_request
from fair_collect.checks import DEFAULT_CHECKS, Finding, PackContext
from fair_collect.checks.parties import KINDS, RecontactReason
from fair_collect.checks.terms import KINDS as TERM_KINDS
from fair_collect.checks.terms import TermEntry, TermList, term_key
from fair_collect.facts.core import Facts
from fair_collect.model import Recipient

Factory = Callable[..., dict[str, Any]]

CTX = PackContext(pack_id="test", jurisdiction="US")
CONSUMER = ["borrower", "co_borrower", "spouse", "parent_of_minor", "guardian", "executor"]
NEIGHBOUR = "+12125550166"
WORK = "+12125550155"
PLACES = {
    "address_kind_places": {
        "home": "home",
        "landline": "home",
        "workplace": "workplace",
        "work_phone": "workplace",
        "work_email": "workplace",
    },
    "place_terms": [
        {"text": "workplace", "language": "en", "category": "workplace"},
        {"text": "work", "forms": ["working"], "language": "en", "category": "workplace"},
        {"text": "office", "language": "en", "category": "workplace"},
        {"text": "home", "forms": ["house"], "language": "en", "category": "home"},
        {"text": "hospital", "language": "en", "category": "hospital"},
    ],
    "placeless_channels": ["social_media"],
}
SCRIPT = (
    "Hi, this is Pat Lee of Example Recovery LLC, confirming location information for Jane Roe."
)


def evaluate(name: str, params: dict[str, Any], request: dict[str, Any]) -> Finding | None:
    kind = DEFAULT_CHECKS[name]
    check = kind.build(kind.params.model_validate(params), CTX)
    assert check.time_based is False
    facts = Facts.of(parse_request(request))
    assert check.next_pass(facts) is None
    return check.evaluate(facts)


def reported(name: str, params: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    """The evidence of a violation, checked against the keys the kind declares."""
    finding = evaluate(name, params, request)
    assert finding is not None, "expected a violation"
    assert finding.missing_fact is None, finding.evidence
    assert set(finding.evidence) == DEFAULT_CHECKS[name].evidence
    return dict(finding.evidence)


def missing(name: str, params: dict[str, Any], request: dict[str, Any]) -> str:
    finding = evaluate(name, params, request)
    assert finding is not None, "expected a missing fact"
    assert finding.missing_fact, finding.evidence
    assert set(finding.evidence) == {"fact", "needed"}
    return finding.missing_fact


def test_recontact_reasons_are_the_request_models() -> None:
    field = Recipient.model_fields["recontact_reason"]
    assert set(get_args(RecontactReason)) | {None} == {
        v for arg in get_args(field.annotation) for v in (get_args(arg) or (None,))
    }


def test_every_kind_is_registered_and_summarised() -> None:
    for kind in (*KINDS, *TERM_KINDS):
        assert DEFAULT_CHECKS[kind.name] is kind
        assert kind.summary


# ------------------------------------------------------------ third parties

THIRD_PARTY = {
    "consumer_roles": CONSUMER,
    "permitted_roles": ["attorney"],
    "consent_kind": "third_party",
}


@pytest.mark.parametrize("role", [*CONSUMER, "attorney"])
def test_the_consumer_and_the_attorney_may_be_told(request_for: Factory, role: str) -> None:
    request = request_for(recipient={"role": role, "address": "+12125550188"})
    assert evaluate("third_party_recipient", THIRD_PARTY, request) is None


@pytest.mark.parametrize(
    ("address", "channel", "borrower"),
    [
        ("+12125550123", "call", {}),  # the borrower's listed mobile
        ("+1 212 555 0123", "sms", {}),
        (
            " JANE@Example.com ",
            "email",
            {"emails": [{"address": "jane@example.com", "kind": "personal_email"}]},
        ),
    ],
)
def test_without_a_role_a_listed_address_is_the_borrower(
    request_for: Factory, address: str, channel: str, borrower: dict[str, Any]
) -> None:
    request = request_for(
        channel=channel,
        recipient={"address": address},
        borrower={**request_for()["borrower"], **borrower},
    )
    assert evaluate("third_party_recipient", THIRD_PARTY, request) is None


@pytest.mark.parametrize(
    "recipient",
    [
        {"address": "+12125550166", "address_kind": "mobile"},  # a number nobody tied to her
        {"address": "+13125550123"},  # the same seven digits, another area
        {"address_kind": "mobile"},
        None,
    ],
)
def test_without_a_role_any_other_address_is_a_missing_fact(
    request_for: Factory, recipient: dict[str, Any] | None
) -> None:
    request = request_for(recipient=recipient)
    assert missing("third_party_recipient", THIRD_PARTY, request) == "recipient.role"
    # The borrower's consent to third-party contact covers whoever it is.
    consent = {"kind": "third_party", "given_at": "2026-06-01T10:00:00-04:00"}
    consented = {**request_for()["borrower"], "consents": [consent]}
    request = request_for(recipient=recipient, borrower=consented)
    assert evaluate("third_party_recipient", THIRD_PARTY, request) is None


@pytest.mark.parametrize("role", ["employer", "neighbour", "other"])
def test_anyone_else_is_a_third_party(request_for: Factory, role: str) -> None:
    request = request_for(recipient={"role": role, "address": "+12125550144"})
    evidence = reported("third_party_recipient", THIRD_PARTY, request)
    assert evidence["recipient_role"] == role
    assert evidence["permitted_roles"] == ["attorney"]


@pytest.mark.parametrize(
    ("consent", "allowed"),
    [
        ({"kind": "third_party", "given_at": "2026-06-08T10:00:00-04:00"}, True),
        ({"kind": "third_party", "given_at": "2026-06-09T10:30:00-04:00"}, True),
        ({"kind": "third_party", "given_at": "2026-06-09T10:31:00-04:00"}, False),
        ({"kind": "call", "given_at": "2026-06-08T10:00:00-04:00"}, False),
        ({"kind": "third_party", "given_at": "2026-06-08T10:00:00-04:00", "channel": "sms"}, False),
        (
            {
                "kind": "third_party",
                "given_at": "2026-06-08T10:00:00-04:00",
                "channel": "voicemail",
            },
            True,
        ),
        (
            {
                "kind": "third_party",
                "given_at": "2026-06-08T10:00:00-04:00",
                "window_end": "2026-06-09T10:30:00-04:00",
            },
            False,
        ),
    ],
)
def test_the_borrowers_consent_counts_when_in_force_for_the_medium(
    request_for: Factory, consent: dict[str, Any], allowed: bool
) -> None:
    borrower = {**request_for()["borrower"], "consents": [consent]}
    request = request_for(recipient={"role": "neighbour"}, borrower=borrower)
    assert (evaluate("third_party_recipient", THIRD_PARTY, request) is None) is allowed


# ------------------------------------------------------- location contacts

LIMIT = {
    "channels": ["call", "voicemail", "sms", "email", "letter", "visit"],
    "outcomes": ["conversation", "voicemail", "delivered"],
    "consumer_roles": [*CONSUMER, "attorney"],
    "recontact_reasons": ["requested_by_recipient"],
}


def location_call(
    request_for: Factory, *events: dict[str, Any], **recipient: Any
) -> dict[str, Any]:
    who = {"role": "neighbour", "address": NEIGHBOUR, "name": "Sam Smith", **recipient}
    base = {"at": "2026-06-02T11:00:00-04:00", "channel": "call", "outcome": "conversation"}
    # A None value leaves the fact out of the event (unknown).
    history = [{k: v for k, v in (base | e).items() if v is not None} for e in events]
    return request_for(
        purpose="location_information",
        recipient=who,
        message={"text": SCRIPT},
        history=history,
    )


SAME = {"purpose": "location_information", "recipient_role": "neighbour", "address": NEIGHBOUR}


def test_an_earlier_location_contact_with_the_person_blocks_the_next(request_for: Factory) -> None:
    evidence = reported("location_contact_limit", LIMIT, location_call(request_for, SAME))
    assert evidence == {
        "earlier_contacts": 1,
        "max": 1,
        "last_contact_at": "2026-06-02T11:00:00-04:00",
        "matched_on": ["address"],
    }


@pytest.mark.parametrize(
    ("event", "matched_on"),
    [
        ({**SAME, "address": "+1 212 555 0166"}, "address"),
        ({**SAME, "address": "3 Main St", "recipient_name": " sam   SMITH "}, "name"),
        ({"purpose": "location_information", "recipient_role": "neighbour"}, "unknown"),
        ({"recipient_role": "neighbour", "address": NEIGHBOUR}, "address"),  # purpose unknown
        ({**SAME, "outcome": None}, "address"),  # outcome unknown
        ({**SAME, "recipient_role": None}, "address"),
        ({**SAME, "by_agency": True}, "address"),
        ({**SAME, "address": "(212) 555-0166"}, "address"),  # national format
        ({**SAME, "address": "212.555.0166"}, "address"),
        ({**SAME, "address": "2125550166"}, "address"),
        # The same address or name whatever the recorded role (review 3 F3).
        ({**SAME, "recipient_role": "employer"}, "address"),
        ({**SAME, "recipient_role": "reference"}, "address"),
        (
            {
                **SAME,
                "recipient_role": "family",
                "address": "3 Main St",
                "recipient_name": "Sam Smith",
            },
            "name",
        ),
    ],
)
def test_what_makes_an_earlier_event_the_same_persons_contact(
    request_for: Factory, event: dict[str, Any], matched_on: str
) -> None:
    evidence = reported("location_contact_limit", LIMIT, location_call(request_for, event))
    assert evidence["matched_on"] == [matched_on]


@pytest.mark.parametrize(
    "event",
    [
        {**SAME, "address": "+12125550167"},  # another number, no names
        {**SAME, "address": "3 Main St", "recipient_name": "Pat Doe"},  # other address and name
        {"purpose": "location_information", "recipient_role": "employer"},  # another role
        {**SAME, "address": "(310) 555-0166"},  # another area code
        {**SAME, "address": "555-0166"},  # a fragment is no number
        {**SAME, "recipient_role": "borrower"},  # the consumer: not a location contact
        {**SAME, "purpose": "collection"},
        {**SAME, "outcome": "no_answer"},
        {**SAME, "direction": "inbound"},
        {**SAME, "channel": "app_push"},  # a channel the rule does not count
        {**SAME, "at": "2026-06-09T10:31:00-04:00"},  # after the action
    ],
)
def test_events_that_are_not_an_earlier_contact_with_this_person(
    request_for: Factory, event: dict[str, Any]
) -> None:
    assert evaluate("location_contact_limit", LIMIT, location_call(request_for, event)) is None


def test_the_same_address_is_the_same_person_whatever_the_names(request_for: Factory) -> None:
    event = {**SAME, "recipient_name": "Pat Doe"}
    evidence = reported("location_contact_limit", LIMIT, location_call(request_for, event))
    assert evidence["matched_on"] == ["address"]


def test_a_recontact_reason_the_rule_accepts_lifts_the_limit(request_for: Factory) -> None:
    asked = location_call(request_for, SAME, recontact_reason="requested_by_recipient")
    assert evaluate("location_contact_limit", LIMIT, asked) is None
    # The rule above accepts only the person's own request.
    believed = location_call(request_for, SAME, recontact_reason="earlier_answer_incomplete")
    assert evaluate("location_contact_limit", LIMIT, believed) is not None


def test_max_counts_earlier_contacts(request_for: Factory) -> None:
    twice = {**LIMIT, "max": 2}
    assert evaluate("location_contact_limit", twice, location_call(request_for, SAME)) is None
    later = {**SAME, "at": "2026-06-03T11:00:00-04:00"}
    evidence = reported("location_contact_limit", twice, location_call(request_for, SAME, later))
    assert evidence["earlier_contacts"] == 2
    assert evidence["last_contact_at"] == "2026-06-03T11:00:00-04:00"


def test_without_a_history_the_limit_is_a_missing_fact(request_for: Factory) -> None:
    request = location_call(request_for)
    request["history"] = None
    assert missing("location_contact_limit", LIMIT, request) == "history"


@pytest.mark.parametrize(
    "field", ["address", "recipient_role", "purpose", "outcome", "recipient_name"]
)
def test_forgetting_an_event_fact_never_lifts_the_limit(request_for: Factory, field: str) -> None:
    """Fail closed: an event that counted still counts when it records less,
    unless the fact forgotten was the one proof of the same person against a
    known difference (the same name at another address: without the name, the
    address says another person, as for the frequency rules' neighbours)."""
    events = [
        SAME,
        {**SAME, "recipient_name": "Sam Smith"},
        {**SAME, "address": "3 Main St", "recipient_name": "Sam Smith"},
        {"recipient_role": "neighbour", "address": NEIGHBOUR, "outcome": None},
    ]
    for event in events:
        request = location_call(request_for, event)
        assert evaluate("location_contact_limit", LIMIT, request) is not None, event
        if field == "recipient_name" and event.get("address") not in (None, NEIGHBOUR):
            continue
        request["history"][0].pop(field, None)
        assert evaluate("location_contact_limit", LIMIT, request) is not None, (event, field)


def test_channel_for_purpose(request_for: Factory) -> None:
    params = {"channels": ["postcard"], "purposes": ["location_information"]}
    card = request_for(
        channel="postcard",
        purpose="location_information",
        recipient={"role": "neighbour", "address": "3 Main St", "address_kind": "home"},
    )
    assert reported("channel_for_purpose", params, card) == {
        "channel": "postcard",
        "purpose": "location_information",
    }
    assert evaluate("channel_for_purpose", params, {**card, "channel": "letter"}) is None
    assert evaluate("channel_for_purpose", params, {**card, "purpose": "collection"}) is None


# ------------------------------------------------------------ word lists


def entry(text: str, category: str = "x", **more: Any) -> TermEntry:
    return TermEntry.model_validate({"text": text, "language": "en", "category": category, **more})


@pytest.mark.parametrize(
    ("terms", "text", "found"),
    [
        (["debt"], "About your DEBT.", ["debt"]),
        (["debt"], "Debtford Road; indebted; debts", []),  # whole words only
        (["past due"], "It is Past-Due, past\n  due, PAST_due.", ["past due"]),
        (["past due"], "It is past\u2013due", ["past due"]),  # an en dash
        (["past-due"], "past due", ["past due"]),
        (["past due", "past"], "the past due amount, in the past", ["past due", "past"]),
        (["debt"], "\uff24\uff25\uff22\uff34", ["debt"]),  # full-width letters (NFKC)
        (["collector's"], "the Collector\u2019s office", ["collector's"]),  # curly apostrophe
        (["stra\u00dfe"], "STRASSE 5", ["strasse"]),  # case folding
        (
            ["\u503a\u52a1"],
            "\u60a8\u7684\u503a\u52a1\u5df2\u903e\u671f",
            ["\u503a\u52a1"],
        ),  # no spaces in Chinese
        (["debt"], "\u503a\u52a1debt", []),  # a Latin edge still needs a word edge
        (["owe"], "", []),
    ],
)
def test_terms_match_whole_words_in_any_case_with_flexible_gaps(
    terms: list[str], text: str, found: list[str]
) -> None:
    assert TermList.of(entry(t) for t in terms).find(text) == found


def test_word_forms_are_listed_and_report_their_own_key() -> None:
    terms = TermList.of(
        [
            entry("owe", "debt_reference", forms=["owes", "owed"]),
            entry("sue", "legal_threat", forms=["suing", "lawsuit"]),
            entry("lawsuit", "court", language="en-US"),
        ]
    )
    assert terms.find("She OWED us; we are suing. A lawsuit, owing.") == [
        "owed",
        "suing",
        "lawsuit",
    ]
    # One key may carry several categories; each is reported once, sorted.
    assert terms.categories_of(["lawsuit", "owed"]) == ["court", "debt_reference", "legal_threat"]
    assert terms.categories_in("owes") == ["debt_reference"]
    assert terms.categories == {"court", "debt_reference", "legal_threat"}


def test_an_empty_list_finds_nothing() -> None:
    empty = TermList.of([])
    assert empty.find("debt") == []
    assert empty.categories == frozenset()


def test_term_keys_fold_case_and_gaps() -> None:
    assert term_key("  Past -- DUE_ ") == "past due"
    assert entry("owe", forms=["Owe", "owes"]).term_keys() == ("owe", "owes")


@pytest.mark.parametrize(
    "bad",
    [
        {"text": " - ", "language": "en", "category": "x"},
        {"text": "debt*", "language": "en", "category": "x"},  # wildcards: list the forms
        {"text": "debt", "forms": ["debt?"], "language": "en", "category": "x"},
        {"text": "debt", "forms": [""], "language": "en", "category": "x"},
        {"text": "debt", "language": "English", "category": "x"},
        {"text": "debt", "language": "en", "category": "Debt Reference"},
        {"text": "debt", "language": "en"},
        {"text": "debt", "language": "en", "category": "x", "weight": 2},
    ],
)
def test_bad_term_entries_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        TermEntry.model_validate(bad)


# ---------------------------------------------------------- message terms

TERMS = {
    "fields": ["text", "subject", "sender_name"],
    "require": ["text"],
    "terms": [
        {"text": "debt", "language": "en", "category": "debt_reference"},
        {"text": "past due", "language": "en", "category": "delinquency"},
        {"text": "collection", "language": "en", "category": "debt_collection"},
    ],
}


@pytest.mark.parametrize(
    ("message", "found", "fields"),
    [
        ({"text": "About your DEBT."}, ["debt"], ["text"]),
        ({"text": "It is Past-Due."}, ["past due"], ["text"]),
        ({"text": "It is past\n  due."}, ["past due"], ["text"]),
        ({"text": "Hello", "sender_name": "Acme Collection Co"}, ["collection"], ["sender_name"]),
        (
            {"text": "A debt, past due.", "subject": "debt"},
            ["debt", "past due"],
            ["text", "subject"],
        ),
    ],
)
def test_listed_terms_are_found_as_whole_words_in_any_case(
    request_for: Factory, message: dict[str, str], found: list[str], fields: list[str]
) -> None:
    evidence = reported("message_terms", TERMS, request_for(message=message))
    assert evidence["terms_found"] == found
    assert evidence["fields"] == fields
    assert evidence["term_categories"] == sorted(
        {"debt": "debt_reference", "past due": "delinquency", "collection": "debt_collection"}[t]
        for t in found
    )


def test_message_terms_accept_word_forms(request_for: Factory) -> None:
    params = {
        "fields": ["text"],
        "terms": [
            {
                "text": "sue",
                "forms": ["lawsuit", "court"],
                "language": "en",
                "category": "legal_threat",
            }
        ],
    }
    message = {"text": "We will take you to COURT."}
    evidence = reported("message_terms", params, request_for(message=message))
    assert evidence == {
        "terms_found": ["court"],
        "term_categories": ["legal_threat"],
        "fields": ["text"],
    }


@pytest.mark.parametrize(
    "text", ["Debtford Road", "recollections", "a pasta due tomorrow", "Hello", "collections"]
)
def test_words_that_only_contain_a_term_do_not_match(request_for: Factory, text: str) -> None:
    assert evaluate("message_terms", TERMS, request_for(message={"text": text})) is None


def test_fields_not_listed_are_not_read(request_for: Factory) -> None:
    message = {"text": "Hello", "envelope_text": "Debt collection"}
    assert evaluate("message_terms", TERMS, request_for(message=message)) is None


@pytest.mark.parametrize("message", [None, {"subject": "Hello"}, {"text": "   "}])
def test_a_required_field_that_is_missing_is_a_missing_fact(
    request_for: Factory, message: dict[str, str] | None
) -> None:
    assert missing("message_terms", TERMS, request_for(message=message)) == "message.text"


@pytest.mark.parametrize(
    "bad",
    [
        {"terms": []},
        {"terms": [{"text": " - ", "language": "en", "category": "x"}]},
        {"terms": [{"text": "debt", "language": "English", "category": "x"}]},
        {"terms": [{"text": "debt", "language": "en"}]},
        {"terms": [{"text": "collect*", "language": "en", "category": "x"}]},
        {"terms": [{"text": "debt", "language": "en", "category": "x"}], "fields": ["body"]},
    ],
)
def test_bad_term_lists_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        DEFAULT_CHECKS["message_terms"].params.model_validate(bad)


# ------------------------------------------------------------------ places

WORKPLACE = {**PLACES, "place": "workplace"}


def borrower_with(request_for: Factory, **more: Any) -> dict[str, Any]:
    borrower = copy.deepcopy(request_for()["borrower"])
    borrower["phones"] = [
        {"number": "+12125550123", "kind": "mobile"},
        {"number": WORK, "kind": "work_phone"},
    ]
    borrower["emails"] = [{"address": "Jane@Employer.example", "kind": "work_email"}]
    return borrower | more


@pytest.mark.parametrize(
    ("recipient", "source"),
    [
        ({"address": WORK, "address_kind": "work_phone"}, "recipient.address_kind"),
        ({"address": WORK, "address_kind": "mobile"}, "borrower.phones"),
        ({"address": "+1 212-555-0155"}, "borrower.phones"),
        (
            {"address": "+12125550100", "address_kind": "other", "place": "the office"},
            "recipient.place",
        ),
        ({"address": "+12125550100", "place": "Office"}, "recipient.place"),
        ({"address": "+12125550100", "place": "where she works"}, None),  # "works" is not listed
        ({"address": "+12125550100", "place": "the gym"}, None),  # a place, not the workplace
    ],
)
def test_every_fact_can_show_the_workplace(
    request_for: Factory, recipient: dict[str, Any], source: str | None
) -> None:
    borrower = borrower_with(request_for, workplace_contact_prohibited={"in_writing": False})
    request = request_for(recipient={"role": "borrower", **recipient}, borrower=borrower)
    if source is None:
        assert evaluate("workplace_contact", WORKPLACE, request) is None
        return
    evidence = reported("workplace_contact", WORKPLACE, request)
    assert evidence["place"] == "workplace"
    assert evidence["place_source"] == source
    assert evidence["prohibited_since"] is None
    assert evidence["in_writing"] is False


def test_an_employer_provided_email_is_the_workplace(request_for: Factory) -> None:
    borrower = borrower_with(request_for, workplace_contact_prohibited={})
    request = request_for(
        channel="email",
        recipient={"role": "borrower", "address": "jane@employer.example"},
        borrower=borrower,
    )
    assert reported("workplace_contact", WORKPLACE, request)["place_source"] == "borrower.emails"


@pytest.mark.parametrize(
    ("since", "denied"),
    [
        ("2026-06-09T10:30:00-04:00", True),
        ("2026-06-09T14:30:00Z", True),  # the same instant
        ("2026-06-09T10:30:01-04:00", False),
        (None, True),
    ],
)
def test_the_prohibition_binds_from_when_it_is_known(
    request_for: Factory, since: str | None, denied: bool
) -> None:
    prohibition = {"since": since} if since else {}
    borrower = borrower_with(request_for, workplace_contact_prohibited=prohibition)
    request = request_for(recipient={"role": "borrower", "address": WORK}, borrower=borrower)
    finding = evaluate("workplace_contact", WORKPLACE, request)
    assert (finding is not None) is denied
    if finding is not None and since:
        assert finding.evidence["prohibited_since"] == "2026-06-09T10:30:00-04:00"


@pytest.mark.parametrize(
    "recipient",
    [
        {"address": "+12125550100"},
        {"address": "+12125550100", "address_kind": "other"},
        None,
    ],
)
def test_an_unknown_place_is_a_missing_fact_when_work_is_prohibited(
    request_for: Factory, recipient: dict[str, Any] | None
) -> None:
    borrower = borrower_with(request_for, workplace_contact_prohibited={})
    request = request_for(
        recipient={"role": "borrower", **recipient} if recipient else None, borrower=borrower
    )
    assert missing("workplace_contact", WORKPLACE, request) == "recipient.place"
    no_prohibition = request_for(
        recipient=request["recipient"], borrower=borrower_with(request_for)
    )
    assert evaluate("workplace_contact", WORKPLACE, no_prohibition) is None


def test_a_mobile_or_home_is_not_the_workplace(request_for: Factory) -> None:
    borrower = borrower_with(request_for, workplace_contact_prohibited={})
    for recipient in (
        {"address": "+12125550123"},
        {"address": "+12125550100", "address_kind": "landline"},
    ):
        request = request_for(recipient={"role": "borrower", **recipient}, borrower=borrower)
        assert evaluate("workplace_contact", WORKPLACE, request) is None


def test_a_placeless_channel_lands_where_recipient_place_says(request_for: Factory) -> None:
    borrower = borrower_with(request_for, workplace_contact_prohibited={})
    message = {"text": "Hello", "visibility": "private"}
    anywhere = request_for(
        channel="social_media",
        recipient={"role": "borrower", "address": "@jane", "address_kind": "other"},
        message=message,
        borrower=borrower,
    )
    assert evaluate("workplace_contact", WORKPLACE, anywhere) is None
    anywhere["recipient"] = None
    assert evaluate("workplace_contact", WORKPLACE, anywhere) is None
    at_work = request_for(
        channel="social_media",
        recipient={"role": "borrower", "address": "@jane", "place": "at work"},
        message=message,
        borrower=borrower,
    )
    assert reported("workplace_contact", WORKPLACE, at_work)["place_source"] == "recipient.place"


DECLARED = {**PLACES, "reply_exception": True, "channel_places": {"letter": ["workplace"]}}


def declared(request_for: Factory, places: list[str], **recipient: Any) -> dict[str, Any]:
    return request_for(
        recipient={"role": "borrower", **recipient},
        borrower=borrower_with(request_for, inconvenient_places=places),
    )


@pytest.mark.parametrize(
    ("places", "recipient", "place"),
    [
        (["home"], {"address": "+12125550100", "address_kind": "landline"}, "home"),
        (["  OFFICE "], {"address": WORK}, "workplace"),
        (["Place of  Work"], {"address": WORK, "address_kind": "work_phone"}, "workplace"),
        (["at work"], {"address": WORK}, "workplace"),
        (["when I'm working"], {"address": WORK}, "workplace"),
        (["my mother's house"], {"address": "+12125550100", "address_kind": "landline"}, "home"),
        (["home office"], {"address": WORK}, "workplace"),  # both places
        (["home office"], {"address": "+12125550100", "address_kind": "landline"}, "home"),
        (["hospital"], {"address": "+12125550123", "place": "Hospital"}, "hospital"),
        (["the gym"], {"address": "+12125550123", "place": "The  Gym"}, "the gym"),
    ],
)
def test_a_declared_place_the_action_reaches_is_denied(
    request_for: Factory, places: list[str], recipient: dict[str, Any], place: str
) -> None:
    evidence = reported(
        "declared_inconvenient_place", DECLARED, declared(request_for, places, **recipient)
    )
    assert evidence["place"] == place


@pytest.mark.parametrize(
    ("places", "recipient"),
    [
        ([], {"address": WORK}),
        (["hospital"], {"address": "+12125550123", "address_kind": "mobile"}),
        (["hospital"], {"address": "+12125550100", "address_kind": "landline"}),  # known, not home
        (["workplace"], {"address": "+12125550100", "address_kind": "landline"}),
        (["home"], {"address": "+12125550123", "address_kind": "mobile"}),
        (["the gym"], {"address": "+12125550123", "address_kind": "mobile"}),  # no place at all
        (["the gym"], {"address": WORK, "place": "the office"}),  # the caller named the place
        (["   "], {"address": WORK}),
    ],
)
def test_places_not_declared_or_not_reached_pass(
    request_for: Factory, places: list[str], recipient: dict[str, Any]
) -> None:
    request = declared(request_for, places, **recipient)
    assert evaluate("declared_inconvenient_place", DECLARED, request) is None


def test_an_unknown_place_with_declared_places_is_a_missing_fact(request_for: Factory) -> None:
    request = declared(request_for, ["hospital"], address="+12125550100", address_kind="other")
    assert missing("declared_inconvenient_place", DECLARED, request) == "recipient.place"


@pytest.mark.parametrize(
    "recipient",
    [
        {"address": WORK},  # the listed work phone
        {"address": "+12125550100", "address_kind": "landline"},  # the home
    ],
)
def test_a_declared_place_the_rule_cannot_read_may_be_the_place_reached(
    request_for: Factory, recipient: dict[str, Any]
) -> None:
    """Fail closed: "the warehouse" may be the workplace, "my flat" the home;
    the caller settles it by naming the place in the borrower's words."""
    for place in ("the warehouse", "my flat"):
        request = declared(request_for, [place, "hospital"], **recipient)
        finding = evaluate("declared_inconvenient_place", DECLARED, request)
        assert finding is not None
        assert finding.missing_fact == "recipient.place"
        assert repr(place) in finding.evidence["needed"]
        named = declared(request_for, [place], **recipient, place="somewhere else")
        assert evaluate("declared_inconvenient_place", DECLARED, named) is None


def letter(request_for: Factory, places: list[str], **recipient: Any) -> dict[str, Any]:
    request = declared(request_for, places, **recipient)
    return request | {"channel": "letter", "message": {"envelope_text": "Example LLC"}}


@pytest.mark.parametrize(
    ("places", "recipient", "outcome"),
    [
        (["workplace"], {"address": "500 Fifth Ave", "address_kind": "workplace"}, "deny"),
        (["office"], {"address": "1 Main St", "address_kind": "other", "place": "work"}, "deny"),
        (["home"], {"address": "1 Main St", "address_kind": "home"}, None),
        (["home"], {"address": "1 Main St", "address_kind": "other"}, None),  # only work matters
        (
            ["hospital"],
            {"address": "1 Main St", "address_kind": "other", "place": "hospital"},
            None,
        ),
        (["workplace"], {"address": "1 Main St", "address_kind": "other"}, "missing"),
        (["the warehouse"], {"address": "500 Fifth Ave", "address_kind": "workplace"}, "missing"),
        (["the warehouse"], {"address": "1 Main St", "address_kind": "home"}, None),
    ],
)
def test_letters_are_protected_only_at_the_workplace(
    request_for: Factory, places: list[str], recipient: dict[str, Any], outcome: str | None
) -> None:
    finding = evaluate(
        "declared_inconvenient_place", DECLARED, letter(request_for, places, **recipient)
    )
    if outcome is None:
        assert finding is None
    else:
        assert finding is not None
        assert bool(finding.missing_fact) is (outcome == "missing")


def test_a_placeless_channel_reaches_a_declared_place_only_when_named(request_for: Factory) -> None:
    request = declared(request_for, ["workplace"], address="@jane", address_kind="other")
    request |= {"channel": "social_media", "message": {"text": "Hi", "visibility": "private"}}
    assert evaluate("declared_inconvenient_place", DECLARED, request) is None
    request["recipient"]["place"] = "her office"
    assert reported("declared_inconvenient_place", DECLARED, request)["place"] == "workplace"


def inbound(
    address: str | None, at: str = "2026-06-09T10:00:00-04:00", **more: Any
) -> dict[str, Any]:
    event = {
        "at": at,
        "channel": "call",
        "direction": "inbound",
        "recipient_role": "borrower",
        "outcome": "no_answer",
    }
    if address is not None:
        event["address"] = address
    return {k: v for k, v in (event | more).items() if v is not None}


def outbound(
    address: str | None, at: str = "2026-06-09T10:10:00-04:00", **more: Any
) -> dict[str, Any]:
    return inbound(address, at, direction="outbound", **more)


@pytest.mark.parametrize(
    ("history", "replying"),
    [
        ([inbound(WORK)], True),
        ([inbound(WORK, channel="voicemail")], True),  # the same telephone medium
        ([inbound("(212) 555-0155")], True),  # the same number, written nationally
        ([inbound("2125550155")], True),
        ([inbound(WORK, channel="sms")], False),
        ([inbound("+12125550123")], False),  # from another number
        ([inbound(None)], False),
        ([inbound(WORK, recipient_role=None)], False),  # who called is unknown
        ([inbound(WORK, recipient_role="coworker")], False),
        ([outbound(WORK), inbound(WORK, at="2026-06-09T10:20:00-04:00")], True),  # a new contact
        ([inbound(WORK), outbound(WORK)], False),
        ([inbound(WORK), outbound("212-555-0155")], False),  # the reply, written nationally
        ([inbound(WORK), outbound(None)], False),  # may have been the reply
        ([inbound(WORK), outbound(None, recipient_role="neighbour")], True),
        ([inbound(WORK), outbound(WORK, recipient_role="spouse")], False),  # at that number
        ([inbound(WORK), outbound("+12125550123")], True),  # to another number
        ([inbound(WORK), outbound(WORK, channel="sms")], True),  # another medium
        # The same second, whatever the order of the history (review 3 F10).
        ([outbound(WORK, at="2026-06-09T10:00:00-04:00"), inbound(WORK)], False),
        ([outbound(WORK, at="2026-06-09T09:59:59-04:00"), inbound(WORK)], True),
        ([inbound(WORK, at="2026-06-09T10:31:00-04:00")], False),  # after the action
        ([inbound(WORK, at="2026-06-09T00:00:00-04:00")], True),  # the same local day
        ([inbound(WORK, at="2026-06-08T23:59:59-04:00")], False),  # yesterday
        ([inbound(WORK, at="2026-01-09T10:10:00-05:00")], False),  # months ago
    ],
)
def test_one_reply_to_the_borrowers_own_contact_from_the_place(
    request_for: Factory, history: list[dict[str, Any]], replying: bool
) -> None:
    request = declared(request_for, ["workplace"], address=WORK, address_kind="work_phone")
    request["history"] = history
    finding = evaluate("declared_inconvenient_place", DECLARED, request)
    assert (finding is None) is replying
    without = {**DECLARED, "reply_exception": False}
    assert evaluate("declared_inconvenient_place", without, request) is not None


def test_the_reply_day_is_the_local_day_in_every_candidate_zone(request_for: Factory) -> None:
    """Yesterday 22:30 in Los Angeles is today 01:30 in New York: with both zones
    possible, the contact was not on the action's day everywhere."""
    borrower = borrower_with(request_for, inconvenient_places=["workplace"])
    borrower["phones"].append({"number": "+13105550100", "kind": "mobile"})
    request = request_for(
        at="2026-06-09T12:30:00-04:00",
        recipient={"role": "borrower", "address": WORK, "address_kind": "work_phone"},
        borrower=borrower,
        history=[inbound(WORK, at="2026-06-09T01:30:00-04:00")],
    )
    assert evaluate("declared_inconvenient_place", DECLARED, request) is not None
    any_day = {**DECLARED, "reply_same_local_day": False}
    assert evaluate("declared_inconvenient_place", any_day, request) is None
    borrower["phones"].pop()
    assert (
        evaluate(
            "declared_inconvenient_place",
            DECLARED,
            request_for(**{**request, "borrower": borrower}),
        )
        is None
    )


def test_the_reply_also_lifts_a_missing_place(request_for: Factory) -> None:
    request = declared(request_for, ["the warehouse"], address=WORK)
    assert missing("declared_inconvenient_place", DECLARED, request) == "recipient.place"
    request["history"] = [inbound(WORK)]
    assert evaluate("declared_inconvenient_place", DECLARED, request) is None


def test_place_params_refuse_unknown_address_kinds_and_places() -> None:
    workplace = DEFAULT_CHECKS["workplace_contact"].params
    declared_params = DEFAULT_CHECKS["declared_inconvenient_place"].params
    with pytest.raises(ValidationError):
        workplace.model_validate({"address_kind_places": {"cubicle": "workplace"}})
    with pytest.raises(ValidationError):
        declared_params.model_validate({"address_kind_places": {}})
    with pytest.raises(ValidationError, match="not one of the rule's places"):
        workplace.model_validate({**PLACES, "place": "factory"})
    with pytest.raises(ValidationError, match="not among the rule's places"):
        declared_params.model_validate({**PLACES, "channel_places": {"letter": ["factory"]}})
    with pytest.raises(ValidationError):
        declared_params.model_validate({**PLACES, "placeless_channels": ["pigeon"]})
    # A place the word list names is in the vocabulary.
    declared_params.model_validate({**PLACES, "channel_places": {"letter": ["Hospital"]}})


# ------------------------------------------------------------ in the pack


def test_the_shipped_rules_report_codes_categories_and_no_next_instant(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    employer = federal.check(request_for(recipient={"role": "employer", "address": "+12125550144"}))
    (reason,) = employer.reasons
    assert (reason.code, reason.category) == ("third_party_disclosure", "privacy")
    assert reason.evidence["recipient_role"] == "employer"
    assert "employer" in reason.message
    assert "attorney" in reason.message
    assert employer.next_allowed_at is None

    borrower = borrower_with(
        request_for, inconvenient_places=["workplace"], workplace_contact_prohibited={}
    )
    work = federal.check(
        request_for(recipient={"role": "borrower", "address": WORK}, borrower=borrower)
    )
    assert {(r.code, r.category) for r in work.reasons} == {
        ("workplace_contact_prohibited", "privacy"),
        ("inconvenient_place", "place"),
    }
    assert work.next_allowed_at is None
