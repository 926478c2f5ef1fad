"""The public hypothesis strategies keep their promises: the documented examples
run, sizes and bounds are honoured, knob values the request model would reject
are refused up front, and wall-clock times mean what they mean to the engine."""

from __future__ import annotations

import doctest
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import fair_collect
import fair_collect.testing.strategies as strategies
from fair_collect.facts.clock import wall_instant
from fair_collect.model import ADDRESS_KINDS_BY_CHANNEL, RECIPIENT_ROLES, parse_request
from fair_collect.testing.strategies import (
    CONSUMER_ROLES,
    borrowers,
    contact_events,
    dst_edge_instants,
    dst_transitions,
    histories,
    invalid_requests,
    requests,
    wall_clock_instants,
)

NEW_YORK = ZoneInfo("America/New_York")
#: The spring-forward transition of 2026 in New York (02:00 EST -> 03:00 EDT).
SPRING_FORWARD = datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
#: Searches for one example: stop at the first, do not shrink it, never
#: replay a database.
SEARCH = settings(max_examples=2000, database=None, phases=[Phase.generate])


def draw_all(
    strategy: st.SearchStrategy[Any],
    check: Callable[[Any], None],
    budget: settings | None = None,
) -> None:
    """Run ``check`` on draws of ``strategy`` (under the active profile unless
    ``budget`` is given)."""

    @given(strategy)
    def run(value: Any) -> None:
        check(value)

    (budget or settings())(run)()


# ------------------------------------------------------------------- doctests


def test_every_documented_given_test_is_run_and_passes() -> None:
    """An example that only defines a ``@given`` test can never fail."""
    examples = [t for t in doctest.DocTestFinder().find(strategies) if t.examples]
    defined: list[str] = []
    for test in examples:
        sources = [e.source for e in test.examples]
        for index, source in enumerate(sources):
            if not source.startswith("@given"):
                continue
            match = re.search(r"^def (test_\w+)\(", source, re.MULTILINE)
            assert match, f"{test.name}: no test function in {source!r}"
            defined.append(match.group(1))
            assert f"{match.group(1)}()\n" in sources[index + 1 :], (
                f"{test.name}: {match.group(1)} is defined but never run"
            )
    assert len(defined) >= 15
    count = sum(len(t.examples) for t in examples)
    result = doctest.testmod(strategies)
    assert result.failed == 0
    assert result.attempted >= count


# --------------------------------------------------------------- phone counts


@pytest.mark.parametrize("country", ["US", None, "GB"])
def test_borrowers_have_as_many_distinct_phones_as_asked(country: str | None) -> None:
    def check(borrower: dict[str, Any]) -> None:
        numbers = [p["number"] for p in borrower["phones"]]
        assert len(numbers) == 2
        assert len(set(numbers)) == 2

    draw_all(borrowers(country=country, min_phones=2, max_phones=2), check)


def test_requests_have_as_many_distinct_phones_as_asked() -> None:
    def check(request: dict[str, Any]) -> None:
        numbers = [p["number"] for p in request["borrower"]["phones"]]
        assert len(set(numbers)) == len(numbers) == 3

    draw_all(requests(min_phones=3, max_phones=3, with_history=False), check)


# ----------------------------------------------------------- knob validation


@pytest.mark.parametrize(
    ("make", "knob"),
    [
        (lambda: contact_events(channels="fax"), "channels"),
        (lambda: contact_events(recipient_roles=["borrower", "boss"]), "recipient_roles"),
        (lambda: contact_events(directions="sideways"), "directions"),
        (lambda: histories(channels=["call", "fax"]), "channels"),
        (lambda: requests(history_channels="fax"), "history_channels"),
        (lambda: requests(time_zone="Mars/Base"), "time_zone"),
        (lambda: requests(time_zone=["America/Chicago", "America/New York"]), "time_zone"),
        (lambda: requests(jurisdictions=["usa"]), "jurisdictions"),
        (lambda: requests(jurisdictions="US"), "jurisdictions"),
        (lambda: requests(channel="fax"), "channel"),
    ],
)
def test_knob_values_the_model_rejects_are_invalid_arguments(
    make: Callable[[], st.SearchStrategy[Any]], knob: str
) -> None:
    with pytest.raises(InvalidArgument, match=rf"^{knob}\b"):
        make()


def test_a_knob_strategy_drawing_a_value_the_model_rejects_is_an_invalid_argument() -> None:
    once = settings(max_examples=1, database=None, phases=[Phase.generate])
    with pytest.raises(InvalidArgument, match=r"^time_zone"):
        draw_all(requests(time_zone=st.just("Mars/Base")), lambda request: None, once)
    with pytest.raises(InvalidArgument, match=r"^channels"):
        draw_all(contact_events(channels=st.just("fax")), lambda event: None, once)


def test_valid_knob_values_give_requests_the_model_accepts() -> None:
    def check(request: dict[str, Any]) -> None:
        parse_request(request)
        assert request["borrower"]["location"]["time_zone"] == "America/Phoenix"
        assert request["jurisdictions"] == ["US-NY"]
        assert all(e["channel"] in ("sms", "email") for e in request["history"])

    draw_all(
        requests(
            time_zone="America/Phoenix", jurisdictions=["US-NY"], history_channels=["sms", "email"]
        ),
        check,
    )
    draw_all(
        contact_events(directions="inbound", channels="call"),
        lambda event: event["direction"] == "inbound" or pytest.fail(str(event)),
    )


# ---------------------------------------------------------------- wall clocks


def test_a_wall_time_in_the_spring_gap_is_the_instant_the_engine_gives_it() -> None:
    """02:30 does not exist on 2026-03-08 in New York: the engine reads it as 03:00."""
    expected = wall_instant(date(2026, 3, 8), 150, NEW_YORK)
    assert expected == SPRING_FORWARD

    def check(at: datetime) -> None:
        assert at == expected
        assert (at.hour, at.minute) == (3, 0)

    draw_all(
        wall_clock_instants(
            "America/New_York",
            ["02:30"],
            within=timedelta(0),
            min_value=datetime(2026, 3, 8, 5, 0, tzinfo=UTC),
            max_value=datetime(2026, 3, 8, 12, 0, tzinfo=UTC),
        ),
        check,
    )


def test_wall_clock_instants_stay_between_min_and_max() -> None:
    low = datetime(2026, 6, 9, 15, 0, tzinfo=UTC)  # 11:00 in New York
    high = datetime(2026, 6, 12, 0, 59, tzinfo=UTC)  # 20:59 in New York

    def check(at: datetime) -> None:
        assert low <= at <= high
        assert at.tzinfo is NEW_YORK

    draw_all(
        wall_clock_instants(
            "America/New_York",
            ("08:00", "21:00"),
            within=timedelta(minutes=2),
            min_value=low,
            max_value=high,
        ),
        check,
    )


@pytest.mark.parametrize("clock_times", [["8am"], ["25:00"], ["08:00", "8:0"], []])
def test_bad_clock_times_are_invalid_arguments(clock_times: list[str]) -> None:
    with pytest.raises(InvalidArgument, match="clock_times"):
        wall_clock_instants("America/Chicago", clock_times)


def test_no_wall_time_in_range_is_an_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="no such wall-clock time"):
        wall_clock_instants(
            "America/New_York",
            ["08:00"],
            within=timedelta(0),
            min_value=datetime(2026, 6, 9, 13, 0, tzinfo=UTC),
            max_value=datetime(2026, 6, 9, 14, 0, tzinfo=UTC),
        )


# ------------------------------------------------------------------- DST edges


def test_dst_edge_instants_stay_between_min_and_max() -> None:
    low, high = SPRING_FORWARD - timedelta(hours=1), SPRING_FORWARD + timedelta(minutes=30)

    def check(at: datetime) -> None:
        assert low <= at <= high

    draw_all(
        dst_edge_instants(
            "America/New_York", within=timedelta(hours=6), min_value=low, max_value=high
        ),
        check,
    )


def test_dst_edge_instants_near_the_range_end_are_near_a_transition() -> None:
    """The transition sits one minute before ``max_value``; draws stay within reach."""
    high = SPRING_FORWARD + timedelta(minutes=1)

    def check(at: datetime) -> None:
        assert at <= high
        assert any(abs(at - t) <= timedelta(hours=2) for t in dst_transitions("America/New_York"))

    draw_all(
        dst_edge_instants("America/New_York", within=timedelta(hours=2), max_value=high), check
    )


def test_a_zone_without_dst_gives_instants_written_in_that_zone() -> None:
    def check(at: datetime) -> None:
        assert getattr(at.tzinfo, "key", None) == "America/Phoenix"
        assert strategies.DEFAULT_MIN_INSTANT <= at <= strategies.DEFAULT_MAX_INSTANT

    draw_all(dst_edge_instants("America/Phoenix"), check)


# ------------------------------------------------------------ invalid requests

#: A valid request small enough that every way of breaking it is soon tried.
SMALL_CALL: dict[str, Any] = {
    "channel": "call",
    "at": "2026-06-09T10:30:00-04:00",
    "recipient": {"role": "borrower", "address": "+12125550123", "address_kind": "other"},
}


def rejected_naming(request: dict[str, Any], field: str) -> bool:
    with pytest.raises(fair_collect.InputError) as info:
        fair_collect.check(request)
    return any(f == field or f.startswith(field + ".") for f in info.value.fields)


@pytest.mark.parametrize("number", [20260609, "20260609"])
def test_invalid_requests_write_numbers_for_instants(number: int | str) -> None:
    parse_request(SMALL_CALL)
    request, field = find(
        invalid_requests(st.just(SMALL_CALL)),
        lambda case: case[1] == "at" and case[0]["at"] == number,
        settings=SEARCH,
    )
    assert type(request["at"]) is type(number)
    assert rejected_naming(request, field)


def test_invalid_requests_break_the_recipient_number_whatever_its_address_kind() -> None:
    """The model parses ``recipient.address`` on every phone channel, so an
    ``address_kind`` of "other" does not exempt it."""
    parse_request(SMALL_CALL)
    request, field = find(
        invalid_requests(st.just(SMALL_CALL)),
        lambda case: case[1] == "recipient.address",
        settings=SEARCH,
    )
    assert rejected_naming(request, field)


# ----------------------------------------------------------------- simplified


def test_recipient_roles_list_the_consumer_roles_first() -> None:
    """``requests`` samples RECIPIENT_ROLES directly; shrinking relies on this order."""
    assert RECIPIENT_ROLES[: len(CONSUMER_ROLES)] == CONSUMER_ROLES


@pytest.mark.parametrize(
    ("channel", "kind"),
    [
        (channel, kind)
        for channel in ("letter", "visit", "lawsuit", "instant_message", "credit_report")
        for kind in ADDRESS_KINDS_BY_CHANNEL[channel]
        if kind != "mobile"
    ],
)
def test_requests_use_every_address_kind_the_model_allows(channel: str, kind: str) -> None:
    request = find(
        requests(channel=channel, with_recipient=True, with_history=False),
        lambda r: r["recipient"].get("address_kind") == kind,
        settings=SEARCH,
    )
    parse_request(request)
    assert request["recipient"]["address"]


def test_request_histories_honour_their_size_and_days() -> None:
    def check(request: dict[str, Any]) -> None:
        at = datetime.fromisoformat(request["at"])
        assert 2 <= len(request["history"]) <= 4
        for event in request["history"]:
            assert at - timedelta(days=3) <= datetime.fromisoformat(event["at"]) < at

    draw_all(requests(min_history=2, max_history=4, history_days=3), check)
