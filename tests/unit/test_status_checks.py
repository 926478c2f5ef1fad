"""Consumer-status checks: evidence matches the declared keys, no status is
time-based, the validation period is counted in business days, only an
attorney recorded as not responding lapses, and the request model refuses the
facts these checks would misread (empty debt lists, an instant for a date)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

import fair_collect
from fair_collect.checks import DEFAULT_CHECKS, Check, PackContext
from fair_collect.checks.status import (
    AttorneyRepresentationParams,
    PendingDisputeParams,
    legal_public_holidays,
)
from fair_collect.facts.core import Facts
from fair_collect.model import parse_request
from fair_collect.verdict import canonical_request_json

Factory = Callable[..., dict[str, Any]]
CTX = PackContext(pack_id="test", jurisdiction="US")

ATTORNEY = {"reasonable_period_days": 30}
DISPUTE = {"validation_period_days": 30, "assumed_receipt_business_days": 5}


def build(name: str, params: dict[str, Any]) -> Check:
    kind = DEFAULT_CHECKS[name]
    return kind.build(kind.params.model_validate(params), CTX)


def facts_for(request: dict[str, Any]) -> Facts:
    return Facts.of(parse_request(request))


def with_borrower(request_for: Factory, **borrower: Any) -> dict[str, Any]:
    request = request_for()
    request["borrower"].update(borrower)
    return request


BLOCKED: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("attorney_representation", ATTORNEY, {"represented_by_attorney": {"attorney_known": True}}),
    (
        "cease_communication",
        {},
        {"cease_request": {"received_at": "2026-06-01T09:00:00Z", "in_writing": True}},
    ),
    (
        "pending_dispute",
        DISPUTE,
        {
            "disputes": [
                {"debt_id": "D1", "received_at": "2026-06-01T09:00:00Z", "in_writing": True}
            ]
        },
    ),
    ("borrower_status", {"status": "bankruptcy"}, {"bankruptcy": True}),
    ("borrower_status", {"status": "deceased"}, {"deceased": True}),
]


@pytest.mark.parametrize(("name", "params", "borrower"), BLOCKED)
def test_evidence_is_json_and_has_exactly_the_declared_keys(
    request_for: Factory, name: str, params: dict[str, Any], borrower: dict[str, Any]
) -> None:
    finding = build(name, params).evaluate(facts_for(with_borrower(request_for, **borrower)))
    assert finding is not None
    assert finding.missing_fact is None
    assert set(finding.evidence) == DEFAULT_CHECKS[name].evidence
    assert json.loads(json.dumps(finding.evidence)) == dict(finding.evidence)
    assert finding.evidence["debt_ids"] == ["D1"]


def test_debt_flag_names_the_flagged_debts(request_for: Factory) -> None:
    request = request_for(
        channel="lawsuit",
        recipient={"role": "borrower", "address": "1 Main St", "address_kind": "home"},
        debts=[{"id": "D1", "time_barred": True}, {"id": "D2"}],
    )
    check = build("debt_flag", {"flag": "time_barred"})
    finding = check.evaluate(facts_for(request))
    assert finding is not None
    assert dict(finding.evidence) == {"flag": "time_barred", "debt_ids": ["D1"]}
    assert set(finding.evidence) == DEFAULT_CHECKS["debt_flag"].evidence
    assert check.evaluate(facts_for({**request, "debt_ids": ["D2"]})) is None


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("attorney_representation", ATTORNEY),
        ("cease_communication", {}),
        ("pending_dispute", DISPUTE),
        ("borrower_status", {"status": "bankruptcy"}),
        ("debt_flag", {"flag": "time_barred"}),
    ],
)
def test_statuses_that_waiting_cannot_cure_are_not_time_based(
    request_for: Factory, name: str, params: dict[str, Any]
) -> None:
    check = build(name, params)
    assert not check.time_based
    assert check.next_pass(facts_for(request_for())) is None


def _attorney(request_for: Factory, **rep: Any) -> Facts:
    return facts_for(
        with_borrower(request_for, represented_by_attorney={"attorney_known": True, **rep})
    )


def test_an_attorney_recorded_as_silent_lapses_as_evidence_not_as_a_time(
    request_for: Factory,
) -> None:
    check = build("attorney_representation", ATTORNEY)
    facts = _attorney(
        request_for,
        attorney_last_communicated_at="2026-05-20T10:00:00-04:00",
        attorney_responded=False,
    )
    finding = check.evaluate(facts)
    assert finding is not None
    assert finding.evidence["lapse"] == "lapses_if_still_unanswered"
    assert finding.evidence["contact_allowed_from"] == "2026-06-19T10:00:00-04:00"
    assert check.next_pass(facts) is None  # SPEC section 3: null while an attorney rule blocks
    lapse = datetime.fromisoformat("2026-06-19T10:00:00-04:00")
    assert check.evaluate(facts.at_instant(lapse)) is None
    assert check.evaluate(facts.at_instant(lapse - timedelta(seconds=1))) is not None


def test_evidence_instants_are_written_in_the_requests_offset(request_for: Factory) -> None:
    check = build("attorney_representation", ATTORNEY)
    facts = _attorney(
        request_for,
        attorney_last_communicated_at="2026-05-20T14:00:00Z",
        attorney_responded=False,
    )
    finding = check.evaluate(facts)
    assert finding is not None
    assert finding.evidence["attorney_last_communicated_at"] == "2026-05-20T10:00:00-04:00"
    assert finding.evidence["contact_allowed_from"] == "2026-06-19T10:00:00-04:00"


@pytest.mark.parametrize(
    ("rep", "lapse"),
    [
        ({}, "no_communication_to_attorney_recorded"),
        # Long past the period, but no one recorded whether the attorney responded.
        (
            {"attorney_last_communicated_at": "2026-01-11T15:00:00-05:00"},
            "attorney_response_not_recorded",
        ),
        (
            {
                "attorney_last_communicated_at": "2026-05-01T10:00:00-04:00",
                "attorney_responded": True,
            },
            "attorney_responded",
        ),
    ],
)
def test_an_attorney_bars_contact_unless_recorded_as_silent(
    request_for: Factory, rep: dict[str, Any], lapse: str
) -> None:
    check = build("attorney_representation", ATTORNEY)
    facts = _attorney(request_for, **rep)
    finding = check.evaluate(facts)
    assert finding is not None
    assert finding.evidence["lapse"] == lapse
    assert finding.evidence["contact_allowed_from"] is None
    far = datetime.fromisoformat("2030-06-09T10:30:00-04:00")
    assert check.evaluate(facts.at_instant(far)) is not None


def test_a_policy_verdict_keeps_next_allowed_at_null_for_a_lapsing_attorney(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    request = with_borrower(
        request_for,
        represented_by_attorney={
            "attorney_last_communicated_at": "2026-05-20T10:00:00-04:00",
            "attorney_responded": False,
        },
    )
    verdict = federal.check(request)
    assert verdict.outcome == "deny"
    assert verdict.next_allowed_at is None
    (reason,) = [r for r in verdict.reasons if r.code == "represented_by_attorney"]
    assert reason.evidence["contact_allowed_from"] == "2026-06-19T10:00:00-04:00"
    assert "2026-06-19T10:00:00-04:00" in reason.message


def test_the_attorneys_consent_lifts_only_the_direct_contact_bar(request_for: Factory) -> None:
    rep = {"attorney_known": True, "attorney_consented": True}
    facts = facts_for(with_borrower(request_for, represented_by_attorney=rep))
    assert build("attorney_representation", ATTORNEY).evaluate(facts) is None
    location = build("attorney_representation", {**ATTORNEY, "consent_exception": False})
    assert location.evaluate(facts) is not None


def test_an_action_about_unknown_debts_is_covered_by_every_status(request_for: Factory) -> None:
    request = with_borrower(
        request_for,
        cease_request={
            "received_at": "2026-06-01T09:00:00Z",
            "in_writing": True,
            "debt_ids": ["D7"],
        },
    )
    request["debts"] = []
    finding = build("cease_communication", {}).evaluate(facts_for(request))
    assert finding is not None
    assert finding.evidence["debt_ids"] == ["D7"]


# ------------------------------------------------------------ validation period


def test_legal_public_holidays_2026() -> None:
    assert legal_public_holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 1, 19),  # Martin Luther King, Jr.
        date(2026, 2, 16),  # Washington's Birthday
        date(2026, 5, 25),  # Memorial Day
        date(2026, 6, 19),
        date(2026, 7, 3),  # Independence Day (a Saturday) observed
        date(2026, 7, 4),
        date(2026, 9, 7),  # Labor Day
        date(2026, 10, 12),  # Columbus Day
        date(2026, 11, 11),
        date(2026, 11, 26),  # Thanksgiving Day
        date(2026, 12, 25),
    }


def test_a_saturday_new_year_is_observed_on_the_last_day_of_the_year_before() -> None:
    assert date(2021, 12, 31) in legal_public_holidays(2021)
    assert date(2022, 1, 1) in legal_public_holidays(2022)
    assert date(2022, 1, 3) not in legal_public_holidays(2022)


def _dispute_request(request_for: Factory, sent: str | None, received: str) -> dict[str, Any]:
    debt: dict[str, Any] = {"id": "D1"}
    if sent is not None:
        debt["validation_notice_sent_at"] = sent
    request = with_borrower(
        request_for, disputes=[{"debt_id": "D1", "received_at": received, "in_writing": True}]
    )
    request["debts"] = [debt]
    request["at"] = "2026-06-29T10:30:00-04:00"
    return request


@pytest.mark.parametrize(
    ("sent", "received", "blocked", "basis"),
    [
        # Sent Wed 05-20; Mon 05-25 is Memorial Day: assumed receipt Thu 05-28, last day 06-27.
        ("2026-05-20T12:00:00-04:00", "2026-06-27T23:59:00-04:00", True, "assumed_receipt"),
        ("2026-05-20T12:00:00-04:00", "2026-06-28T00:00:01-04:00", False, "assumed_receipt"),
        # Received before the notice was sent: taken to be timely.
        ("2026-05-20T12:00:00-04:00", "2026-05-19T12:00:00-04:00", True, "assumed_receipt"),
        # No date for the notice: the period cannot be computed and counts as open.
        (None, "2026-06-01T09:00:00-04:00", True, "unknown"),
    ],
)
def test_the_validation_period_decides_whether_a_dispute_stops_collection(
    request_for: Factory, sent: str | None, received: str, blocked: bool, basis: str
) -> None:
    facts = facts_for(_dispute_request(request_for, sent, received))
    finding = build("pending_dispute", DISPUTE).evaluate(facts)
    assert (finding is not None) == blocked
    if finding is not None:
        assert finding.evidence["validation_period_basis"] == basis


def test_a_later_end_stated_in_the_notice_wins(request_for: Factory) -> None:
    request = _dispute_request(
        request_for, "2026-04-01T12:00:00-04:00", "2026-05-20T09:00:00-04:00"
    )
    check = build("pending_dispute", DISPUTE)
    assert check.evaluate(facts_for(request)) is None  # the computed period ended with 05-08
    request["debts"][0]["validation_period_ends_at"] = "2026-06-01"
    finding = check.evaluate(facts_for(request))
    assert finding is not None
    assert finding.evidence["validation_period_basis"] == "stated_in_notice"


def test_without_a_zone_the_period_is_read_as_late_as_any_zone_makes_it(
    request_for: Factory,
) -> None:
    # Sent at 16:00 UTC on 04-01, already 04-02 in UTC+14: assumed receipt Thu 04-09, last
    # day 05-09, which ends in UTC-12 at 12:00 UTC on 05-10. In New York it ended on 05-09.
    request = _dispute_request(request_for, "2026-04-01T12:00:00-04:00", "2026-05-10T11:00:00Z")
    request["borrower"].update(location=None, phones=[])
    request["recipient"] = {"role": "borrower"}
    finding = build("pending_dispute", DISPUTE).evaluate(facts_for(request))
    assert finding is not None
    # Written in the request's offset, like every evidence instant.
    assert finding.evidence["validation_period_ends_at"] == "2026-05-10T08:00:00-04:00"


@pytest.mark.parametrize(
    ("phones", "location", "received", "blocked"),
    [
        # New York only: the stated last day 06-01 ends at 00:00 EDT on 06-02.
        (["+12125550123"], True, "2026-06-01T23:59:00-04:00", True),
        (["+12125550123"], True, "2026-06-02T00:00:01-04:00", False),
        # A Los Angeles number too: the day ends three hours later, at 03:00 EDT.
        (["+12125550123", "+13105550100"], True, "2026-06-02T02:59:00-04:00", True),
        (["+12125550123", "+13105550100"], True, "2026-06-02T03:00:01-04:00", False),
        # No zone at all: the day ends last in UTC-12, at 12:00 UTC on 06-02.
        ([], False, "2026-06-02T11:59:00Z", True),
        ([], False, "2026-06-02T12:00:01Z", False),
    ],
)
def test_a_stated_last_day_ends_at_the_latest_midnight_of_the_candidate_zones(
    request_for: Factory, phones: list[str], location: bool, received: str, blocked: bool
) -> None:
    request = _dispute_request(request_for, None, received)
    request["debts"][0]["validation_period_ends_at"] = "2026-06-01"
    request["borrower"]["phones"] = [{"number": n, "kind": "landline"} for n in phones]
    if not location:
        request["borrower"]["location"] = None
        request["recipient"] = {"role": "borrower"}
    finding = build("pending_dispute", DISPUTE).evaluate(facts_for(request))
    assert (finding is not None) == blocked
    if finding is not None:
        assert finding.evidence["validation_period_basis"] == "stated_in_notice"


@pytest.mark.parametrize(
    ("model", "params"),
    [
        (AttorneyRepresentationParams, {}),
        (AttorneyRepresentationParams, {"reasonable_period_days": 0}),
        (PendingDisputeParams, {"validation_period_days": 30}),
    ],
)
def test_the_pack_must_give_the_periods(model: type[Any], params: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        model.model_validate(params)


# ------------------------------------------------------------ request model


@pytest.mark.parametrize("status", ["represented_by_attorney", "cease_request"])
def test_an_empty_list_of_debts_is_an_input_error_not_no_debt(
    request_for: Factory, status: str
) -> None:
    value: dict[str, Any] = {"debt_ids": []}
    if status == "cease_request":
        value.update(received_at="2026-06-01T09:00:00Z", in_writing=True)
    with pytest.raises(fair_collect.InputError) as caught:
        parse_request(with_borrower(request_for, **{status: value}))
    assert f"borrower.{status}.debt_ids" in caught.value.fields


@pytest.mark.parametrize(
    "value",
    ["2026-06-01T00:00:00-04:00", "2026-06-01T23:59:59", 20260601, "20260601", "06/01/2026"],
)
def test_the_stated_end_of_the_validation_period_is_a_date(
    request_for: Factory, value: object
) -> None:
    request = request_for(debts=[{"id": "D1", "validation_period_ends_at": value}])
    with pytest.raises(fair_collect.InputError) as caught:
        parse_request(request)
    assert "debts.0.validation_period_ends_at" in caught.value.fields


def test_a_stated_date_is_plain_json_in_the_canonical_request(request_for: Factory) -> None:
    request = parse_request(
        request_for(debts=[{"id": "D1", "validation_period_ends_at": "2026-06-01"}])
    )
    assert request.debts[0].validation_period_ends_at == date(2026, 6, 1)
    canonical = json.loads(canonical_request_json(request))
    assert canonical["debts"][0]["validation_period_ends_at"] == "2026-06-01"


def test_the_attorneys_response_is_strictly_a_boolean_or_unknown(request_for: Factory) -> None:
    borrower = parse_request(
        with_borrower(request_for, represented_by_attorney={"attorney_known": True})
    ).borrower
    assert borrower is not None
    assert borrower.represented_by_attorney is not None
    assert borrower.represented_by_attorney.attorney_responded is None
    with pytest.raises(fair_collect.InputError):
        parse_request(
            with_borrower(request_for, represented_by_attorney={"attorney_responded": "false"})
        )
