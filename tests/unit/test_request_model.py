"""The request model: every invalid input is an ``InputError`` naming its field; valid
input parses the same from a dict, JSON text, bytes or a model, and is frozen."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

import fair_collect
from fair_collect import InputError, ProposedAction, parse_request

Factory = Callable[..., dict[str, Any]]


def _with(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation setting ``value`` at a dotted ``path`` (list indexes as numbers)."""

    def apply(request: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = request
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return apply


# (case id, mutation of a valid request, dotted path the error must name)
INVALID = [
    ("naive at", _with("at", "2026-06-09T10:30:00"), "at"),
    ("date-only at", _with("at", "2026-06-09"), "at"),
    (
        "naive history at",
        _with("history", [{"at": "2026-06-01T10:00:00", "channel": "call"}]),
        "history.0.at",
    ),
    (
        "naive history at in a later event",
        _with(
            "history",
            [
                {"at": "2026-06-01T10:00:00Z", "channel": "call"},
                {"at": "2026-06-02T10:00:00", "channel": "call"},
            ],
        ),
        "history.1.at",
    ),
    (
        "naive cease request time",
        _with("borrower.cease_request", {"received_at": "2026-06-01T09:00:00", "in_writing": True}),
        "borrower.cease_request.received_at",
    ),
    ("unknown channel", _with("channel", "fax"), "channel"),
    (
        "unknown history channel",
        _with("history", [{"at": "2026-06-01T10:00:00Z", "channel": "telegram"}]),
        "history.0.channel",
    ),
    ("unknown recipient role", _with("recipient.role", "boss"), "recipient.role"),
    ("unknown purpose", _with("purpose", "marketing"), "purpose"),
    (
        "phone without country code",
        _with("borrower.phones", [{"number": "2125550123"}]),
        "borrower.phones.0.number",
    ),
    (
        "phone too short",
        _with("borrower.phones", [{"number": "+12125550123"}, {"number": "+1212"}]),
        "borrower.phones.1.number",
    ),
    (
        "phone that is text",
        _with("borrower.phones", [{"number": "+call me"}]),
        "borrower.phones.0.number",
    ),
    (
        "dialled address not a number (call)",
        _with("recipient.address", "jane@example.com"),
        "recipient.address",
    ),
    (
        "dialled address without + (call)",
        _with("recipient.address", "12125550123"),
        "recipient.address",
    ),
    (
        "unknown IANA zone",
        _with("borrower.location.time_zone", "America/Nowhere"),
        "borrower.location.time_zone",
    ),
    (
        "zone abbreviation",
        _with("borrower.location.time_zone", "Eastern"),
        "borrower.location.time_zone",
    ),
    (
        "'localtime' is not a zone",
        _with("borrower.location.time_zone", "localtime"),
        "borrower.location.time_zone",
    ),
    (
        "four-digit US ZIP",
        _with("borrower.location.postal_code", "1000"),
        "borrower.location.postal_code",
    ),
    (
        "letters as US ZIP",
        _with("borrower.location.postal_code", "SW1A 1AA"),
        "borrower.location.postal_code",
    ),
    (
        "bad ZIP+4",
        _with("borrower.location.postal_code", "10001-12"),
        "borrower.location.postal_code",
    ),
    (
        "US ZIP in Arabic-Indic digits (no ZIP lookup would find it)",
        _with("borrower.location.postal_code", "\u0669\u0669\u0665\u0660\u0661"),
        "borrower.location.postal_code",
    ),
    (
        "US ZIP in full-width digits",
        _with("borrower.location.postal_code", "\uff11\uff10\uff10\uff10\uff11"),
        "borrower.location.postal_code",
    ),
    ("lower-case country", _with("borrower.location.country", "us"), "borrower.location.country"),
    ("lower-case jurisdiction", _with("jurisdictions", ["us"]), "jurisdictions.0"),
    ("three-letter country", _with("jurisdictions", ["US", "USA"]), "jurisdictions.1"),
    ("dangling dash", _with("jurisdictions", ["US-"]), "jurisdictions.0"),
    ("state name for code", _with("jurisdictions", ["US-New York"]), "jurisdictions.0"),
    ("extra field at top level", _with("colour", "red"), "colour"),
    (
        "extra field nested",
        _with("borrower.location.zipcode", "10001"),
        "borrower.location.zipcode",
    ),
    ("extra field in a list item", _with("debts.0.balance", "1.00"), "debts.0.balance"),
    (
        "clock time 25:00",
        _with("borrower.inconvenient_times", [{"start": "25:00", "end": "09:00"}]),
        "borrower.inconvenient_times.0.start",
    ),
    (
        "clock time 24:01",
        _with("borrower.inconvenient_times", [{"start": "18:00", "end": "24:01"}]),
        "borrower.inconvenient_times.0.end",
    ),
    (
        "clock time without leading zero",
        _with("borrower.inconvenient_times", [{"start": "8:00", "end": "09:00"}]),
        "borrower.inconvenient_times.0.start",
    ),
    (
        "clock time 12:60",
        _with("borrower.inconvenient_times", [{"start": "12:60", "end": "13:00"}]),
        "borrower.inconvenient_times.0.start",
    ),
    (
        "empty time span",
        _with("borrower.inconvenient_times", [{"start": "09:00", "end": "09:00"}]),
        "borrower.inconvenient_times.0",
    ),
    (
        "time span starting at 24:00",
        _with("borrower.inconvenient_times", [{"start": "24:00", "end": "09:00"}]),
        "borrower.inconvenient_times.0",
    ),
    (
        "unknown weekday",
        _with(
            "borrower.inconvenient_times", [{"days": ["sunday"], "start": "00:00", "end": "24:00"}]
        ),
        "borrower.inconvenient_times.0.days.0",
    ),
    ("negative days past due", _with("debts.0.days_past_due", -1), "debts.0.days_past_due"),
    ("lower-case currency", _with("debts.0.currency", "usd"), "debts.0.currency"),
    ("empty debt id", _with("debts.0.id", ""), "debts.0.id"),
]


def _invalid(request_for: Factory, mutate: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    request = request_for()
    mutate(request)
    return request


@pytest.mark.parametrize(
    ("mutate", "field"), [pytest.param(m, f, id=name) for name, m, f in INVALID]
)
def test_invalid_field_is_named(request_for: Factory, mutate: Any, field: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_request(_invalid(request_for, mutate))
    assert field in caught.value.fields
    assert field in str(caught.value)


@pytest.mark.parametrize(
    ("mutate", "field"), [pytest.param(m, f, id=name) for name, m, f in INVALID]
)
def test_check_refuses_invalid_input_instead_of_deciding(
    federal: fair_collect.Policy, request_for: Factory, mutate: Any, field: str
) -> None:
    with pytest.raises(InputError) as caught:
        federal.check(_invalid(request_for, mutate))
    assert field in caught.value.fields


def test_duplicate_debt_ids_name_the_debts(request_for: Factory) -> None:
    request = request_for(debts=[{"id": "D1"}, {"id": "D2"}, {"id": "D1"}])
    with pytest.raises(InputError) as caught:
        parse_request(request)
    problem = caught.value.problems[0]
    assert problem.type == "duplicate_debt_id"
    assert "D1" in problem.msg
    # The caller must be told which field to fix, not just "the request".
    assert problem.loc == "debts" or problem.loc.startswith("debts."), caught.value.fields


def test_debt_ids_naming_an_unknown_debt_name_debt_ids(request_for: Factory) -> None:
    request = request_for(debt_ids=["D1", "D9"])
    with pytest.raises(InputError) as caught:
        parse_request(request)
    problem = caught.value.problems[0]
    assert problem.type == "unknown_debt_id"
    assert "D9" in problem.msg
    assert problem.loc == "debt_ids" or problem.loc.startswith("debt_ids."), caught.value.fields


@pytest.mark.parametrize(
    "at", [20260609, 1780000000, "1780000000"], ids=["yyyymmdd", "epoch", "epoch-text"]
)
def test_at_as_a_number_is_not_an_iso_8601_time(
    federal: fair_collect.Policy, request_for: Factory, at: object
) -> None:
    # SPEC: times are ISO 8601 with an offset or zone. A number is silently read
    # as epoch seconds (20260609 becomes 1970-08-23), when no pack is in force,
    # which turns a typo into an allow with no rule checked.
    with pytest.raises(InputError) as caught:
        federal.check(request_for(at=at))
    assert "at" in caught.value.fields


def test_every_problem_is_reported_at_once(request_for: Factory) -> None:
    request = request_for(channel="fax", at="2026-06-09T10:30:00", colour="red")
    with pytest.raises(InputError) as caught:
        parse_request(request)
    assert {"channel", "at", "colour"} <= set(caught.value.fields)
    assert len(caught.value.problems) >= 3


@pytest.mark.parametrize("missing", ["channel", "at"])
def test_required_fields(request_for: Factory, missing: str) -> None:
    request = request_for()
    del request[missing]
    with pytest.raises(InputError) as caught:
        parse_request(request)
    assert caught.value.fields == (missing,)


def test_input_error_is_a_value_error_with_json_problems(request_for: Factory) -> None:
    with pytest.raises(ValueError, match="channel") as caught:
        parse_request(request_for(channel="fax"))
    assert isinstance(caught.value, fair_collect.FairCollectError)
    body = caught.value.to_json()  # type: ignore[attr-defined]
    assert body["error"] == "invalid_input"
    assert [p["loc"] for p in body["problems"]] == ["channel"]


# ------------------------------------------------------------------ JSON and other inputs


def test_json_text_with_a_bad_field_names_it(request_for: Factory) -> None:
    text = json.dumps(request_for(at="2026-06-09T10:30:00"))
    with pytest.raises(InputError) as caught:
        parse_request(text)
    assert caught.value.fields == ("at",)


def test_json_bytes_with_a_bad_field_names_it(request_for: Factory) -> None:
    data = json.dumps(request_for(borrower={"phones": [{"number": "555-0123"}]})).encode("utf-8")
    with pytest.raises(InputError) as caught:
        parse_request(data)
    assert caught.value.fields == ("borrower.phones.0.number",)


@pytest.mark.parametrize(
    "text",
    ["{not json", '"a string"', "[1, 2]", "null", "42", ""],
    ids=["malformed", "string", "array", "null", "number", "empty"],
)
def test_json_that_is_not_an_object_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_request(text)
    assert caught.value.fields == ("",)


@pytest.mark.parametrize(
    "value", [42, None, 3.5, ["call"], ("call",), object()], ids=lambda v: type(v).__name__
)
def test_non_mapping_input_is_an_input_error(federal: fair_collect.Policy, value: object) -> None:
    with pytest.raises(InputError) as caught:
        parse_request(value)
    assert caught.value.fields == ("",)
    with pytest.raises(InputError):
        federal.check(value)  # type: ignore[arg-type]


# ------------------------------------------------------------------ valid input


def test_dict_json_text_bytes_and_model_parse_to_the_same_request(request_for: Factory) -> None:
    data = request_for(
        history=[{"at": "2026-06-01T10:00:00-04:00", "channel": "call", "outcome": "no_answer"}]
    )
    from_dict = parse_request(data)
    assert parse_request(json.dumps(data)) == from_dict
    assert parse_request(json.dumps(data).encode("utf-8")) == from_dict
    assert parse_request(bytearray(json.dumps(data), "utf-8")) == from_dict
    assert parse_request(from_dict) is from_dict
    assert isinstance(from_dict, ProposedAction)


def test_a_model_is_accepted_by_check(federal: fair_collect.Policy, request_for: Factory) -> None:
    data = request_for(at="2026-06-09T07:30:00-04:00")
    model = ProposedAction.model_validate(data)
    assert federal.check(model).codes == federal.check(data).codes == ("outside_permitted_hours",)


def test_minimal_request_is_valid() -> None:
    request = parse_request({"channel": "sms", "at": "2026-06-09T14:30:00Z"})
    assert request.channel == "sms"
    assert request.at.utcoffset() is not None
    assert request.purpose == "collection"
    assert request.history is None  # unknown, not "no contacts"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("borrower.phones", [{"number": "+1 (212) 555-0123", "kind": "landline"}]),
        ("borrower.location.postal_code", "10001-1234"),
        ("borrower.location", {"country": "GB", "postal_code": "SW1A 1AA"}),
        ("borrower.location.time_zone", "America/New_York"),
        ("jurisdictions", ["US", "US-NY", "US-NY-NYC"]),
        ("borrower.inconvenient_times", [{"days": ["sun"], "start": "00:00", "end": "24:00"}]),
        ("borrower.inconvenient_times", [{"start": "21:00", "end": "09:00"}]),
        ("debts", [{"id": "D1", "kind": "payday advance", "creditor": "银行"}]),
        ("at", "2026-06-09T14:30:00Z"),
    ],
)
def test_valid_values_are_accepted(request_for: Factory, path: str, value: Any) -> None:
    request = request_for()
    _with(path, value)(request)
    parse_request(request)


@pytest.mark.parametrize(
    ("channel", "address", "kind"),
    [
        ("letter", "1 Main St, New York, NY 10001", "home"),
        ("email", "jane@example.com", "personal_email"),
        ("visit", "1 Main St, New York, NY 10001", "home"),
    ],
)
def test_non_phone_addresses_are_not_checked_as_numbers(
    request_for: Factory, channel: str, address: str, kind: str
) -> None:
    request = request_for(
        channel=channel, recipient={"role": "borrower", "address": address, "address_kind": kind}
    )
    assert parse_request(request).recipient.address == address  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("channel", "kind"),
    [("call", "home"), ("sms", "personal_email"), ("letter", "mobile"), ("email", "home")],
)
def test_address_kind_must_fit_the_channel(request_for: Factory, channel: str, kind: str) -> None:
    request = request_for(channel=channel, recipient={"role": "borrower", "address_kind": kind})
    with pytest.raises(InputError) as caught:
        parse_request(request)
    assert caught.value.fields == ("recipient.address_kind",)


def test_a_history_address_kind_must_fit_its_channel(request_for: Factory) -> None:
    event = {"at": "2026-06-01T10:00:00Z", "channel": "call", "address_kind": "work_email"}
    with pytest.raises(InputError) as caught:
        parse_request(request_for(history=[event]))
    assert caught.value.fields == ("history.0.address_kind",)
    event["address_kind"] = "work_phone"
    [parsed] = parse_request(request_for(history=[event])).history or ()
    assert parsed.address_kind == "work_phone"


def test_sms_address_is_checked_as_a_number(request_for: Factory) -> None:
    request = request_for(channel="sms", recipient={"role": "borrower", "address": "555-0123"})
    with pytest.raises(InputError) as caught:
        parse_request(request)
    assert caught.value.fields == ("recipient.address",)


# ------------------------------------------------------------------ frozen


def test_request_models_are_frozen(request_for: Factory) -> None:
    request = parse_request(
        request_for(history=[{"at": "2026-06-01T10:00:00Z", "channel": "call"}])
    )
    with pytest.raises(ValidationError):
        request.channel = "sms"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        request.borrower.location.country = "CA"  # type: ignore[misc,union-attr]
    with pytest.raises(ValidationError):
        request.history[0].outcome = "conversation"  # type: ignore[index,misc]
    with pytest.raises(AttributeError):
        request.debts.append(request.debts[0])  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        request.borrower.phones.append(None)  # type: ignore[attr-defined,union-attr]
    assert hash(request) == hash(parse_request(request.model_dump()))


def test_request_round_trips_through_its_own_dump(request_for: Factory) -> None:
    request = parse_request(
        request_for(
            history=[{"at": "2026-06-01T10:00:00-04:00", "channel": "call", "outcome": "busy"}],
            borrower={
                "inconvenient_times": [{"days": ["sun"], "start": "00:00", "end": "24:00"}],
                "cease_request": {"received_at": "2026-06-01T09:00:00Z", "in_writing": True},
            },
        )
    )
    assert parse_request(request.model_dump(mode="json")) == request
    assert parse_request(request.model_dump_json()) == request


def test_field_values_is_the_dict_of_every_model_in_a_request() -> None:
    """The engine reads hot fields through ``field_values`` (the ``__dict__``
    slot, without pydantic's attribute hook): it must be each model's own
    field dict, for the request and every model inside it."""
    from pydantic import BaseModel

    from fair_collect.model import field_values

    request = parse_request(
        {
            "channel": "call",
            "at": "2026-06-09T10:00:00-04:00",
            "recipient": {"role": "borrower", "address": "+12125550123"},
            "borrower": {
                "id": "B1",
                "location": {"country": "US", "postal_code": "10001"},
                "phones": [{"number": "+12125550123", "kind": "mobile"}],
            },
            "debts": [{"id": "D1", "kind": "student_loan", "servicing_account": "A1"}],
            "history": [{"at": "2026-06-08T10:00:00Z", "channel": "call", "debt_ids": ["D1"]}],
        }
    )
    seen = 0
    pending: list[Any] = [request]
    while pending:
        item = pending.pop()
        if isinstance(item, BaseModel):
            assert field_values(item) is vars(item)
            assert set(field_values(item)) == set(type(item).model_fields)
            seen += 1
            pending.extend(vars(item).values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    assert seen >= 7


@pytest.mark.parametrize(
    ("written", "offset_hours"), [("2026-06-09T10:00:00-04:00", -4), ("2026-06-09T14:00:00Z", 0)]
)
def test_a_written_offset_is_kept_in_a_standard_library_timezone(
    written: str, offset_hours: int
) -> None:
    """A parsed offset comes back as ``datetime.timezone`` of the same offset (the
    engine's local-time arithmetic is several times cheaper on it than on
    pydantic-core's tzinfo): the same instant, written back the same way."""
    from datetime import UTC, datetime, timedelta, timezone

    request = parse_request({"channel": "call", "at": written})
    assert type(request.at.tzinfo) is timezone
    assert request.at.utcoffset() == timedelta(hours=offset_hours)
    assert request.at == datetime(2026, 6, 9, 14, 0, tzinfo=UTC)
    assert json.loads(request.model_dump_json())["at"] == written
    assert parse_request(request.model_dump_json()) == request


def test_a_zone_given_by_the_caller_is_kept() -> None:
    """A ``ZoneInfo`` instant keeps its zone: its offset depends on the date, and
    ``next_allowed_at`` is written in it."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("America/New_York")
    request = ProposedAction(channel="call", at=datetime(2026, 6, 9, 10, 0, tzinfo=zone))
    assert request.at.tzinfo is zone
