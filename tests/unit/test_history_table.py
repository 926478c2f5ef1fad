"""The history as the checks read it is derived when a request is validated.

A backend that holds validated requests must get the same verdicts as one
that passes dicts, and a request copied with another history (``model_copy``
does not validate) must be checked against the history it now has, never
the one it was copied from.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import fair_collect
from fair_collect import ProposedAction, parse_request
from fair_collect.facts import history as history_module
from fair_collect.model import ROW_FIELDS, ContactEvent, history_table

Factory = Callable[..., dict[str, Any]]

SEVEN_IN_SEVEN = "us.federal.reg_f.call_frequency_7_in_7"


def _calls(count: int) -> list[dict[str, Any]]:
    """``count`` unanswered calls to the borrower about D1 in the six days before
    the base request (Tuesday 2026-06-09, 10:30 New York), newest first."""
    return [
        {
            "at": f"2026-06-0{8 - i % 6}T{10 + i // 6}:00:00-04:00",
            "channel": "call",
            "recipient_role": "borrower",
            "address": "+12125550123",
            "debt_ids": ["D1"],
            "outcome": "no_answer",
        }
        for i in range(count)
    ]


def _rules(verdict: fair_collect.Verdict) -> set[str]:
    return {reason.rule_id for reason in verdict.reasons}


def test_a_copy_with_a_fuller_history_is_checked_against_it(
    request_for: Factory,
    federal: fair_collect.Policy,
) -> None:
    quiet = parse_request(request_for(history=_calls(2)))
    assert federal.check(quiet).allowed
    events = tuple(ContactEvent.model_validate(e) for e in _calls(7))
    busy = quiet.model_copy(update={"history": events})
    verdict = federal.check(busy)
    assert not verdict.allowed
    assert SEVEN_IN_SEVEN in _rules(verdict)
    # The original is unchanged by its copy.
    assert federal.check(quiet).allowed


def test_a_copy_with_an_emptied_history_is_allowed(
    request_for: Factory, federal: fair_collect.Policy
) -> None:
    busy = parse_request(request_for(history=_calls(7)))
    assert SEVEN_IN_SEVEN in _rules(federal.check(busy))
    assert federal.check(busy.model_copy(update={"history": ()})).allowed


def test_model_construct_derives_the_table_too(
    request_for: Factory, federal: fair_collect.Policy
) -> None:
    validated = parse_request(request_for(history=_calls(7)))
    constructed = ProposedAction.model_construct(**dict(validated))
    assert history_table(constructed).rows == history_table(validated).rows
    assert _rules(federal.check(constructed)) == _rules(federal.check(validated))


def test_rows_are_in_time_order_and_ties_keep_the_given_order(request_for: Factory) -> None:
    events = [
        {"at": "2026-06-08T12:00:00Z", "channel": "sms", "address": "late"},
        {"at": "2026-06-07T12:00:00Z", "channel": "call", "address": "first"},
        {"at": "2026-06-08T08:00:00-04:00", "channel": "call", "address": "tie 1"},
        {"at": "2026-06-08T12:00:00Z", "channel": "email", "address": "tie 2"},
    ]
    table = history_table(parse_request(request_for(history=events)))
    address = ROW_FIELDS.index("address")
    assert [row[address] for row in table.rows] == ["first", "late", "tie 1", "tie 2"]
    assert list(table.instants) == sorted(table.instants)
    assert [row[0] for row in table.rows] == list(table.instants)


def test_a_row_holds_the_event_fields_it_names(request_for: Factory) -> None:
    event = {
        "at": "2026-06-08T10:00:00-04:00",
        "channel": "voicemail",
        "direction": "outbound",
        "recipient_role": "spouse",
        "address": "+12125550199",
        "debt_ids": ["D1"],
        "outcome": "limited_content_message",
        "with_consent": True,
        "by_agency": True,
        "address_kind": "mobile",
    }
    request = parse_request(request_for(history=[event]))
    (row,) = history_table(request).rows
    assert request.history is not None
    (model,) = request.history
    assert row == tuple(getattr(model, name) for name in ROW_FIELDS)


def test_no_history_and_an_empty_history_have_no_rows(request_for: Factory) -> None:
    for history in (None, []):
        table = history_table(parse_request(request_for(history=history)))
        assert table.rows == ()
        assert table.instants == ()


def test_equal_pickled_and_copied_requests_give_the_same_verdict(
    request_for: Factory,
    federal: fair_collect.Policy,
) -> None:
    data = request_for(history=_calls(7))
    request = parse_request(data)
    assert request == parse_request(copy.deepcopy(data))
    for same in (pickle.loads(pickle.dumps(request)), copy.deepcopy(request), copy.copy(request)):
        assert same == request
        assert federal.check(same).model_dump() == federal.check(request).model_dump()


def test_a_row_starts_with_its_instant_and_holds_its_kind_in_one_slice() -> None:
    # ``History`` bisects rows on their first value and reads an event's kind
    # as one slice: a reordered ROW_FIELDS must fail here, not miscount.
    assert ROW_FIELDS[0] == "at"
    assert ROW_FIELDS[history_module._KIND] == (
        "channel",
        "direction",
        "outcome",
        "with_consent",
        "by_agency",
    )
