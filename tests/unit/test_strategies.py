"""The public hypothesis strategies keep their promises: the documented examples
run, sizes and bounds are honoured, knob values the request model would reject
are refused up front, and wall-clock times mean what they mean to the engine."""

from __future__ import annotations

import doctest
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import fair_collect
import fair_collect.testing.strategies as strategies
from fair_collect.facts.clock import wall_instant
from fair_collect.model import (
    ADDRESS_KINDS_BY_CHANNEL,
    EARLIEST,
    LATEST,
    RECIPIENT_ROLES,
    parse_request,
)
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


# ------------------------------------------------- facts the federal rules read


def values_at(node: Any, path: str) -> list[Any]:
    """Every value present at a dotted path ("*": each list item; a number: that item)."""
    found = [node]
    for part in path.split("."):
        following: list[Any] = []
        for item in found:
            if part == "*" and isinstance(item, list):
                following.extend(item)
            elif part.isdigit() and isinstance(item, list) and int(part) < len(item):
                following.append(item[int(part)])
            elif isinstance(item, dict) and part in item:
                following.append(item[part])
        found = following
    return found


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def at_of(request: dict[str, Any]) -> datetime:
    return instant(request["at"])


def attorney(request: dict[str, Any]) -> dict[str, Any]:
    representation: dict[str, Any] = request["borrower"].get("represented_by_attorney") or {}
    return representation


def lapsed(request: dict[str, Any]) -> bool | None:
    """Whether 30 days have passed since a communication the attorney did not
    answer (None: no such communication is recorded)."""
    rep = attorney(request)
    last = rep.get("attorney_last_communicated_at")
    if last is None or rep.get("attorney_responded") is not False:
        return None
    return instant(last) + timedelta(days=30) <= at_of(request)


def dispute_and_debt(request: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    disputes = request["borrower"].get("disputes") or []
    if not disputes:
        return None
    debt = next(d for d in request["debts"] if d["id"] == disputes[0]["debt_id"])
    return disputes[0], debt


#: Where a calendar day begins first and where it ends last.
DAY_BEGINS_FIRST, DAY_ENDS_LAST = timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))


def timely(request: dict[str, Any]) -> bool | None:
    """Whether the dispute came in by the last day the validation notice states,
    wherever the borrower is (None: no such day, or it depends on the zone)."""
    found = dispute_and_debt(request)
    if found is None or "validation_period_ends_at" not in found[1]:
        return None
    dispute, debt = found
    received = instant(dispute["received_at"])
    last_day = date.fromisoformat(debt["validation_period_ends_at"])
    if received < datetime.combine(last_day, time(0), DAY_BEGINS_FIRST):
        return True
    if received >= datetime.combine(last_day + timedelta(days=1), time(0), DAY_ENDS_LAST):
        return False
    return None


REQUESTS = requests(with_history=False)
ATTORNEY = requests(status_facts="attorney", with_history=False)
DISPUTE = requests(status_facts="dispute", with_history=False)
SOCIAL = requests(channel="social_media", with_history=False)
LETTER = requests(channel="letter", with_history=False)
Predicate = Callable[[Any], bool]

#: One fact each, the request facts the federal status, channel and
#: third-party rules read: the strategy that should give it, and how to tell.
NEW_FACTS: dict[str, tuple[st.SearchStrategy[Any], Predicate]] = {
    # consumer status
    "attorney consented": (ATTORNEY, lambda r: attorney(r).get("attorney_consented") is True),
    "attorney answered": (ATTORNEY, lambda r: attorney(r).get("attorney_responded") is True),
    "attorney's answer not recorded": (
        ATTORNEY,
        lambda r: (
            "attorney_last_communicated_at" in attorney(r)
            and "attorney_responded" not in attorney(r)
        ),
    ),
    "attorney for some debts": (ATTORNEY, lambda r: "debt_ids" in attorney(r)),
    "attorney silent for 30 days": (ATTORNEY, lambda r: lapsed(r) is True),
    "attorney silent for less than 30 days": (ATTORNEY, lambda r: lapsed(r) is False),
    "attorney written to after the action": (
        ATTORNEY,
        lambda r: any(
            instant(t) > at_of(r) for t in values_at(attorney(r), "attorney_last_communicated_at")
        ),
    ),
    "timely dispute": (DISPUTE, lambda r: timely(r) is True),
    "late dispute": (DISPUTE, lambda r: timely(r) is False),
    "validation notice sent before a dispute": (
        DISPUTE,
        lambda r: bool(values_at(r, "debts.*.validation_notice_sent_at")),
    ),
    "validation notice sent before an action": (
        requests(status_facts="hardship", with_history=False),
        lambda r: bool(values_at(r, "debts.*.validation_notice_sent_at")),
    ),
    "dispute not in writing": (
        DISPUTE,
        lambda r: values_at(r, "borrower.disputes.*.in_writing") == [False],
    ),
    "dispute verified": (
        DISPUTE,
        lambda r: values_at(r, "borrower.disputes.*.verification_sent") == [True],
    ),
    "cease about some debts": (
        requests(status_facts="cease", with_history=False),
        lambda r: bool(values_at(r, "borrower.cease_request.debt_ids")),
    ),
    "opt-out of one address": (
        requests(status_facts="opt_out", min_phones=1, with_history=False),
        lambda r: bool(values_at(r, "borrower.opt_outs.*.address")),
    ),
    "time-barred debt": (REQUESTS, lambda r: True in values_at(r, "debts.*.time_barred")),
    # channels
    "private post": (SOCIAL, lambda r: values_at(r, "message.visibility") == ["private"]),
    "post seen by contacts": (SOCIAL, lambda r: values_at(r, "message.visibility") == ["contacts"]),
    "public post": (SOCIAL, lambda r: values_at(r, "message.visibility") == ["public"]),
    "post of unknown visibility": (
        requests(channel="social_media", with_recipient=True, with_history=False),
        lambda r: not values_at(r, "message.visibility"),
    ),
    "envelope naming a debt": (
        LETTER,
        lambda r: any("debt" in t.casefold() for t in values_at(r, "message.envelope_text")),
    ),
    "envelope showing nothing": (LETTER, lambda r: values_at(r, "message.envelope_text") == [""]),
    "letter sender": (
        LETTER,
        lambda r: values_at(r, "message.sender_name") == ["Example Debt Collection Agency"],
    ),
    "number the borrower texted from": (
        borrowers(min_phones=1),
        lambda b: True in values_at(b, "phones.*.consumer_texted"),
    ),
    "number checked for reassignment": (
        borrowers(min_phones=1),
        lambda b: bool(values_at(b, "phones.*.reassignment_checked_at")),
    ),
    "creditor notice about an email address": (
        borrowers(),
        lambda b: bool(values_at(b, "emails.*.creditor_notice_at")),
    ),
    "email address a prior collector used": (
        borrowers(),
        lambda b: True in values_at(b, "emails.*.prior_collector_used"),
    ),
    "work and personal email addresses": (
        borrowers(),
        lambda b: sorted(values_at(b, "emails.*.kind")) == ["personal_email", "work_email"],
    ),
    "electronic consent naming an address": (
        borrowers(),
        lambda b: any(c["kind"] == "electronic" and "address" in c for c in b.get("consents", [])),
    ),
    "autodialed consent": (borrowers(), lambda b: "autodialed" in values_at(b, "consents.*.kind")),
    "consent naming a number written without its country code": (
        borrowers(min_phones=1),
        lambda b: any(a.startswith("(") for a in values_at(b, "consents.*.address")),
    ),
    # third parties and places
    "third-party consent": (
        borrowers(),
        lambda b: "third_party" in values_at(b, "consents.*.kind"),
    ),
    "workplace contact prohibited, time not recorded": (
        borrowers(),
        lambda b: b.get("workplace_contact_prohibited") == {},
    ),
    "workplace contact prohibited after the action": (
        requests(with_history=False),
        lambda r: any(
            instant(t) > at_of(r)
            for t in values_at(r, "borrower.workplace_contact_prohibited.since")
        ),
    ),
    "inconvenient place": (borrowers(), lambda b: "Office" in b.get("inconvenient_places", [])),
    "recipient's place": (
        requests(with_recipient=True, with_history=False),
        lambda r: r["recipient"].get("place") == "hospital",
    ),
    "re-contact reason": (
        requests(purpose="location_information", with_recipient=True, with_history=False),
        lambda r: r["recipient"].get("recontact_reason") == "earlier_answer_incomplete",
    ),
    "location contact with a third party": (
        requests(purpose="location_information", with_recipient=True, with_history=False),
        lambda r: r["recipient"]["role"] == "neighbour",
    ),
    "earlier location contact with the same person": (
        requests(purpose="location_information", with_recipient=True, min_history=1),
        lambda r: any(
            e.get("purpose") == "location_information"
            and e.get("recipient_name") == r["recipient"].get("name")
            for e in r["history"]
        ),
    ),
    "earlier email at the recipient's address": (
        requests(channel="email", recipient_role="borrower", with_recipient=True, min_history=1),
        lambda r: any(
            e["channel"] == "email" and e.get("address") == r["recipient"]["address"]
            for e in r["history"]
        ),
    ),
}


@pytest.mark.parametrize("fact", sorted(NEW_FACTS))
def test_the_facts_the_federal_rules_read_are_generated(fact: str) -> None:
    strategy, holds = NEW_FACTS[fact]
    found = find(strategy, holds, settings=SEARCH)
    if "channel" not in found:  # a borrower
        found = {"channel": "call", "at": "2026-06-09T10:30:00-04:00", "borrower": found}
    parse_request(found)


def test_location_information_goes_to_the_recipient_role_asked_for() -> None:
    """Only the default mix of roles leans towards third parties."""

    def check(request: dict[str, Any]) -> None:
        assert request["recipient"]["role"] == "borrower"

    draw_all(
        requests(
            purpose="location_information",
            recipient_role="borrower",
            with_recipient=True,
            with_history=False,
        ),
        check,
    )


#: Instants placed around ``at``: (path, days before at most, days after at most).
NEAR_THE_ACTION = (
    ("borrower.represented_by_attorney.attorney_last_communicated_at", 60, 10),
    ("borrower.phones.*.reassignment_checked_at", 60, 3),
    ("borrower.emails.*.creditor_notice_at", 70, 5),
    ("borrower.consents.*.given_at", 30, 2),
    ("borrower.workplace_contact_prohibited.since", 90, 5),
)


@pytest.mark.parametrize("status", ["attorney", "dispute"])
def test_new_instants_stay_near_the_action_and_in_order(status: str) -> None:
    def check(request: dict[str, Any]) -> None:
        at = at_of(request)
        for path, back, ahead in NEAR_THE_ACTION:
            for text in values_at(request, path):
                assert at - timedelta(days=back) <= instant(text) <= at + timedelta(days=ahead)
        found = dispute_and_debt(request)
        if found is None:
            return
        dispute, debt = found
        received = instant(dispute["received_at"])
        last_day = debt.get("validation_period_ends_at")
        if "validation_notice_sent_at" in debt:
            sent = instant(debt["validation_notice_sent_at"])
            assert sent <= received
            if last_day is not None:
                # A notice states a last day at least 30 days after it was sent.
                assert date.fromisoformat(last_day) >= (sent + timedelta(days=29)).date()
        elif last_day is not None:
            assert abs(date.fromisoformat(last_day) - received.date()) <= timedelta(days=21)

    draw_all(requests(status_facts=status, with_history=False), check)


@pytest.mark.parametrize(
    "at",
    [EARLIEST + timedelta(hours=2), LATEST - timedelta(hours=2)],
    ids=["earliest", "latest"],
)
@pytest.mark.parametrize("status", ["attorney", "dispute", "opt_out"])
def test_requests_at_the_ends_of_the_engine_range_are_valid(at: datetime, status: str) -> None:
    """Every instant placed around ``at`` (history, consents, notices, ...) is accepted."""
    draw_all(requests(at=at, status_facts=status, min_history=1), parse_request)


def test_turning_the_fact_knobs_off_leaves_the_facts_out() -> None:
    absent = (
        "borrower.represented_by_attorney",
        "borrower.disputes",
        "borrower.cease_request",
        "borrower.opt_outs",
        "borrower.workplace_contact_prohibited",
        "borrower.inconvenient_places",
        "borrower.phones.*.consumer_texted",
        "borrower.phones.*.reassignment_checked_at",
        "borrower.emails.*.creditor_notice_at",
        "borrower.emails.*.prior_collector_used",
        "debts.*.time_barred",
        "debts.*.validation_notice_sent_at",
        "debts.*.validation_period_ends_at",
        "message.visibility",
        "message.envelope_text",
        "recipient.place",
        "recipient.recontact_reason",
        "history.*.purpose",
        "history.*.recipient_name",
    )

    def check(request: dict[str, Any]) -> None:
        for path in absent:
            assert values_at(request, path) == [], path
        assert all(c["kind"] == "call" for c in request["borrower"].get("consents", []))

    draw_all(
        requests(
            channel=["social_media", "letter", "call", "email"],
            min_phones=1,
            status_facts=False,
            channel_facts=False,
            party_facts=False,
        ),
        check,
    )


def test_a_named_status_is_always_there() -> None:
    keys = {
        "cease": "cease_request",
        "attorney": "represented_by_attorney",
        "dispute": "disputes",
        "opt_out": "opt_outs",
        "bankruptcy": "bankruptcy",
    }

    def check(borrower: dict[str, Any]) -> None:
        assert sum(key in borrower for key in keys.values()) == 1

    draw_all(borrowers(status_facts=st.sampled_from(sorted(keys))), check)
    assert set(strategies.STATUS_FACTS) >= set(keys)


@pytest.mark.parametrize("call_consent", [True, False])
def test_call_consent_keeps_its_meaning_beside_the_other_consents(call_consent: bool) -> None:
    def check(request: dict[str, Any]) -> None:
        kinds = values_at(request, "borrower.consents.*.kind")
        if call_consent:
            assert kinds[0] == "call"
        else:
            assert "call" not in kinds

    draw_all(requests(call_consent=call_consent, with_history=False), check)


@pytest.mark.parametrize(
    ("make", "knob"),
    [
        (lambda: contact_events(purposes="lunch"), "purposes"),
        (lambda: histories(purposes=["collection", "gossip"]), "purposes"),
        (lambda: contact_events(recipient_names="Sam Smith"), "recipient_names"),
        (lambda: histories(recipient_names=["Sam Smith", 7]), "recipient_names"),
        (lambda: requests(channel_facts="yes"), "channel_facts"),
        (lambda: requests(party_facts=None), "party_facts"),
        (lambda: borrowers(channel_facts=1), "channel_facts"),
        (lambda: borrowers(party_facts="no"), "party_facts"),
        (lambda: requests(status_facts="attorny"), "status_facts"),
        (lambda: borrowers(status_facts=["cease", "jail"]), "status_facts"),
        (lambda: requests(status_facts=[]), "status_facts"),
        (lambda: requests(status_facts=3), "status_facts"),
    ],
)
def test_new_knob_values_that_mean_nothing_are_invalid_arguments(
    make: Callable[[], st.SearchStrategy[Any]], knob: str
) -> None:
    with pytest.raises(InvalidArgument, match=rf"^{knob}\b"):
        make()


def test_a_knob_strategy_drawing_a_status_or_purpose_that_does_not_exist_is_invalid() -> None:
    once = settings(max_examples=1, database=None, phases=[Phase.generate])
    with pytest.raises(InvalidArgument, match=r"^purposes"):
        draw_all(contact_events(purposes=st.just("gossip")), lambda event: None, once)
    with pytest.raises(InvalidArgument, match=r"^status_facts"):
        draw_all(borrowers(status_facts=st.just("jail")), lambda borrower: None, once)


def test_event_purposes_and_names_follow_their_knobs() -> None:
    def check(event: dict[str, Any]) -> None:
        assert event["purpose"] in ("location_information", "collection")
        assert event.get("recipient_name") in (None, "Pat Lee", "Sam Smith")

    draw_all(
        contact_events(
            purposes=["location_information", "collection"], recipient_names=["Pat Lee"]
        ),
        check,
    )
    find(
        histories(recipient_names=["Pat Lee"]),
        lambda events: "Pat Lee" in values_at(events, "*.recipient_name"),
        settings=SEARCH,
    )


#: A small request with every fact the new federal rules read.
WITH_NEW_FACTS: dict[str, Any] = {
    "channel": "social_media",
    "at": "2026-06-09T10:30:00-04:00",
    "purpose": "location_information",
    "recipient": {
        "role": "neighbour",
        "address": "@sam",
        "address_kind": "other",
        "place": "home",
        "recontact_reason": "requested_by_recipient",
    },
    "message": {"text": "Please call us back.", "visibility": "private"},
    "borrower": {
        "phones": [
            {
                "number": "+12125550123",
                "consumer_texted": True,
                "reassignment_checked_at": "2026-06-01T09:00:00-04:00",
            }
        ],
        "emails": [
            {"address": "jane.roe@mail.example", "creditor_notice_at": "2026-04-01T09:00:00Z"}
        ],
        "represented_by_attorney": {
            "attorney_last_communicated_at": "2026-05-01T12:00:00+02:00",
            "attorney_responded": False,
        },
        "consents": [
            {
                "kind": "electronic",
                "given_at": "2026-06-01T09:00:00Z",
                "address": "jane.roe@mail.example",
            }
        ],
    },
    "debts": [{"id": "D1", "validation_period_ends_at": "2026-05-15"}],
    "history": [
        {
            "at": "2026-06-02T10:00:00Z",
            "channel": "letter",
            "purpose": "location_information",
            "recipient_name": "Sam Smith",
        }
    ],
}

NEW_INSTANTS = (
    "borrower.phones.0.reassignment_checked_at",
    "borrower.emails.0.creditor_notice_at",
    "borrower.represented_by_attorney.attorney_last_communicated_at",
)


@pytest.mark.parametrize("field", NEW_INSTANTS)
def test_rewritten_offsets_rewrite_the_new_instants(field: str) -> None:
    parse_request(WITH_NEW_FACTS)
    (original,) = values_at(WITH_NEW_FACTS, field)

    def same_instant(other: dict[str, Any]) -> None:
        assert instant(values_at(other, field)[0]) == instant(original)
        # A date is not an instant: it is never rewritten.
        assert other["debts"] == WITH_NEW_FACTS["debts"]

    draw_all(strategies.rewritten_offsets(WITH_NEW_FACTS), same_instant)
    find(
        strategies.rewritten_offsets(WITH_NEW_FACTS),
        lambda other: values_at(other, field)[0] != original,
        settings=SEARCH,
    )


@pytest.mark.parametrize(
    "field",
    [
        *NEW_INSTANTS,
        "debts.0.validation_period_ends_at",
        "message.visibility",
        "recipient.recontact_reason",
        "history.0.purpose",
        "borrower.consents.0.kind",
        "purpose",
    ],
)
def test_invalid_requests_break_the_new_fields(field: str) -> None:
    request, broken = find(
        invalid_requests(st.just(WITH_NEW_FACTS)),
        lambda case: case[1] == field,
        settings=SEARCH,
    )
    assert rejected_naming(request, broken)


#: Requests aimed at one federal rule each, by knobs alone: the facts the
#: strategies generate make the rule deny (or warn) for some of them.
AIMED: dict[str, dict[str, Any]] = {
    "represented_by_attorney": {"status_facts": "attorney", "collector_type": "debt_buyer"},
    "location_contact_attorney_known": {
        "status_facts": "attorney",
        "purpose": "location_information",
        "recipient_role": "neighbour",
        "collector_type": "third_party_collector",
    },
    "dispute_pending_verification": {
        "status_facts": "dispute",
        "collector_type": "third_party_collector",
    },
    "medium_opted_out": {"status_facts": "opt_out", "channel": ["sms", "email", "call"]},
    "time_barred_lawsuit": {"channel": "lawsuit", "collector_type": "third_party_collector"},
    "social_media_not_private": {"channel": "social_media"},
    "envelope_indicates_debt_collection": {"channel": "letter"},
    "employer_provided_email": {"channel": "email", "recipient_role": "borrower"},
    "email_address_not_qualified": {"channel": "email", "recipient_role": "borrower"},
    "text_number_not_qualified": {"channel": "sms", "recipient_role": "borrower"},
    "workplace_contact_prohibited": {"recipient_role": "borrower"},
    "inconvenient_place": {"recipient_role": "borrower"},
    "location_contact_repeated": {
        "purpose": "location_information",
        "recipient_role": ["neighbour", "employer", "family"],
        "min_history": 1,
    },
    "location_contact_mentions_debt": {
        "purpose": "location_information",
        "recipient_role": "reference",
    },
    "automated_call_without_consent": {"channel": ["call", "voicemail"], "automated": True},
}


@pytest.mark.parametrize("code", sorted(AIMED))
def test_generated_requests_reach_the_federal_rules(
    code: str, federal: fair_collect.Policy
) -> None:
    def reached(request: dict[str, Any]) -> bool:
        verdict = federal.check(request)
        return code in {r.code for r in (*verdict.reasons, *verdict.warnings)}

    find(requests(**AIMED[code]), reached, settings=SEARCH)
