"""Jurisdictions from the borrower's location: a US ZIP code names its state and
city (New York City is its five boroughs), and ``jurisdictions`` overrides."""

from __future__ import annotations

from typing import Any

import pytest

import fair_collect
from fair_collect.engine import resolve_jurisdictions
from fair_collect.facts.places import us_zip_place


def _request(location: dict[str, Any] | None = None, **extra: Any) -> fair_collect.ProposedAction:
    body: dict[str, Any] = {"channel": "call", "at": "2026-06-09T10:00:00-04:00", **extra}
    if location is not None:
        body["borrower"] = {"id": "B1", "location": location}
    return fair_collect.parse_request(body)


@pytest.mark.parametrize(
    ("zip_code", "borough"),
    [
        ("10001", "Manhattan"),
        ("10292", "Manhattan"),
        ("11201", "Brooklyn"),
        ("11101", "Queens"),
        ("10451", "Bronx"),
        ("10301", "Staten Island"),
    ],
)
def test_a_zip_code_in_any_borough_is_new_york_city(zip_code: str, borough: str) -> None:
    place = us_zip_place(zip_code)
    assert place is not None, borough
    assert (place.state, place.city) == ("NY", "US-NY-NYC")
    codes, source = resolve_jurisdictions(_request({"country": "US", "postal_code": zip_code}))
    assert codes == ("US", "US-NY", "US-NY-NYC")
    assert source == "location"


@pytest.mark.parametrize("zip_code", ["10501", "11001", "12207", "14604"])
def test_new_york_state_outside_the_city_is_not_the_city(zip_code: str) -> None:
    codes, _ = resolve_jurisdictions(
        _request({"country": "US", "region": "NY", "postal_code": zip_code})
    )
    assert codes == ("US", "US-NY")


def test_a_zip_code_names_the_state_when_the_request_gives_none() -> None:
    codes, _ = resolve_jurisdictions(_request({"country": "US", "postal_code": "02108"}))
    assert codes == ("US", "US-MA")


def test_a_zip_code_of_another_state_adds_that_state_fail_closed() -> None:
    codes, _ = resolve_jurisdictions(
        _request({"country": "US", "region": "NJ", "postal_code": "10001-1234"})
    )
    assert codes == ("US", "US-NJ", "US-NY", "US-NY-NYC")


def test_an_unknown_zip_code_adds_nothing() -> None:
    assert us_zip_place("00000") is None
    codes, _ = resolve_jurisdictions(
        _request({"country": "US", "region": "WA", "postal_code": "00000"})
    )
    assert codes == ("US", "US-WA")


def test_jurisdictions_in_the_request_override_the_location() -> None:
    request = _request(
        {"country": "US", "region": "NY", "postal_code": "10001"}, jurisdictions=["US-WA"]
    )
    assert resolve_jurisdictions(request) == (("US", "US-WA"), "request")


def test_other_countries_keep_country_and_region() -> None:
    codes, _ = resolve_jurisdictions(_request({"country": "CN", "region": "GD"}))
    assert codes == ("CN", "CN-GD")
