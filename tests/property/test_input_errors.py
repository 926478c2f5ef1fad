"""Bad input is an ``InputError`` that names the field, never another exception
and never an allow."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fair_collect
from fair_collect.testing.strategies import invalid_requests, requests

POLICY = fair_collect.load_policy()


def names(error: fair_collect.InputError, field: str) -> bool:
    return any(loc == field or loc.startswith(field + ".") for loc in error.fields)


@given(invalid_requests(requests(with_history=None)))
def test_a_broken_field_is_an_input_error_naming_that_field(
    case: tuple[dict[str, Any], str],
) -> None:
    request, field = case
    with pytest.raises(fair_collect.InputError) as info:
        POLICY.check(request)
    assert names(info.value, field), f"expected {field}, got {info.value.fields}"
    with pytest.raises(fair_collect.InputError):
        POLICY.check(json.dumps(request))


@given(st.one_of(st.lists(st.integers(), max_size=2), st.integers(), st.none(), st.just("{")))
def test_something_that_is_not_a_request_object_is_an_input_error(value: Any) -> None:
    with pytest.raises(fair_collect.InputError):
        POLICY.check(value)


@given(requests(with_history=None), st.data())
def test_inconsistent_debt_ids_are_input_errors_naming_the_field(
    request: dict[str, Any], data: st.DataObject
) -> None:
    broken = copy.deepcopy(request)
    if data.draw(st.booleans(), label="duplicate a debt id"):
        broken["debts"].append({**broken["debts"][0]})
        field = "debts"
    else:
        broken["debt_ids"] = [*broken.get("debt_ids", []), "NO-SUCH-DEBT"]
        field = "debt_ids"
    with pytest.raises(fair_collect.InputError) as info:
        POLICY.check(broken)
    assert names(info.value, field), f"expected {field}, got {info.value.fields}"


#: Instants a parser accepts whose UTC form or next local day falls off the
#: calendar (year 1 or 9999): far outside the 1970-2199 range requests may use.
CALENDAR_EDGES = (
    "9999-12-31T23:59:59-12:00",
    "9999-12-31T20:00:00+00:00",
    "9999-12-31T12:00:00-05:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:30:00+01:00",
)


@settings(report_multiple_bugs=False)
@given(
    requests(with_history=True, min_history=1, max_history=3),
    st.sampled_from(CALENDAR_EDGES),
    st.booleans(),
)
def test_instants_at_the_ends_of_the_calendar_are_input_errors_naming_the_instant(
    request: dict[str, Any], edge: str, in_history: bool
) -> None:
    """Never an internal error and never a verdict: an ``InputError`` naming the instant."""
    broken = copy.deepcopy(request)
    if in_history:
        broken["history"][0]["at"] = edge
        field = "history.0.at"
    else:
        broken["at"] = edge
        field = "at"
    with pytest.raises(fair_collect.InputError) as info:
        POLICY.check(broken)
    assert names(info.value, field), f"expected {field}, got {info.value.fields}"
