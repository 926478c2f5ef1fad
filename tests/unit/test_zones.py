"""Candidate time zones: every source is used, each is named in the verdict, and a
time-of-day rule must hold in every candidate zone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import fair_collect
from fair_collect import parse_request
from fair_collect.facts.zones import candidate_zones

Factory = Callable[..., dict[str, Any]]

NY_MOBILE = "+12125550123"
FLORIDA_850 = "+18505550123"
TOLL_FREE = "+18005550123"
RUSSIAN_MOBILE = "+79161234567"
CHINA_MOBILE = "+8613812345678"


def located(
    request_for: Factory,
    location: dict[str, Any] | None = None,
    phones: tuple[str, ...] = (),
    dialled: str | None = None,
    **more: Any,
) -> dict[str, Any]:
    """A call whose zone facts are exactly the ones given."""
    return request_for(
        borrower={"id": "B1", "location": location, "phones": [{"number": n} for n in phones]},
        recipient={
            "role": "borrower",
            "address": dialled,
            "address_kind": "mobile" if dialled else None,
        },
        jurisdictions=["US"],
        **more,
    )


def zones_of(verdict: fair_collect.Verdict) -> set[tuple[str, str]]:
    return {(z.zone, z.source) for z in verdict.time_zones}


def names(verdict: fair_collect.Verdict) -> set[str]:
    return {z.zone for z in verdict.time_zones}


# ------------------------------------------------------------------ postal code and region


@pytest.mark.parametrize(
    ("zip_code", "zone"),
    [
        ("10001", "America/New_York"),
        ("10001-1234", "America/New_York"),
        ("94105", "America/Los_Angeles"),
        ("60601", "America/Chicago"),
        ("80202", "America/Denver"),
        ("96813", "Pacific/Honolulu"),
    ],
)
def test_us_zip_gives_its_zone(
    federal: fair_collect.Policy, request_for: Factory, zip_code: str, zone: str
) -> None:
    verdict = federal.check(located(request_for, {"country": "US", "postal_code": zip_code}))
    assert zones_of(verdict) == {(zone, "postal_code")}


def test_single_zone_state_from_region_alone(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    verdict = federal.check(located(request_for, {"country": "US", "region": "NY"}))
    assert zones_of(verdict) == {("America/New_York", "region")}


def test_multi_zone_state_without_zip_gives_all_its_zones(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    verdict = federal.check(located(request_for, {"country": "US", "region": "TX"}))
    assert {("America/Chicago", "region"), ("America/Denver", "region")} <= zones_of(verdict)
    assert {source for _, source in zones_of(verdict)} == {"region"}


def test_zip_narrows_a_multi_zone_state(federal: fair_collect.Policy, request_for: Factory) -> None:
    # Houston is Central; El Paso's Mountain time must not be added.
    verdict = federal.check(
        located(request_for, {"country": "US", "region": "TX", "postal_code": "77002"})
    )
    assert ("America/Chicago", "postal_code") in zones_of(verdict)
    assert "America/Denver" not in names(verdict)


def test_region_without_country_is_read_as_a_us_state(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    verdict = federal.check(located(request_for, {"region": "NY"}))
    assert zones_of(verdict) == {("America/New_York", "region")}


def test_explicit_zone_is_a_source(federal: fair_collect.Policy, request_for: Factory) -> None:
    verdict = federal.check(
        located(
            request_for, {"country": "US", "postal_code": "10001", "time_zone": "America/Chicago"}
        )
    )
    assert zones_of(verdict) == {
        ("America/Chicago", "time_zone"),
        ("America/New_York", "postal_code"),
    }


def test_single_zone_country(request_for: Factory) -> None:
    request = parse_request(located(request_for, {"country": "CN"}))
    assert {(c.name, c.source) for c in candidate_zones(request)} == {("Asia/Shanghai", "country")}


# ------------------------------------------------------------------ phone numbers


def test_new_york_number_gives_new_york(federal: fair_collect.Policy, request_for: Factory) -> None:
    verdict = federal.check(located(request_for, phones=(NY_MOBILE,)))
    assert zones_of(verdict) == {("America/New_York", "phone")}


def test_area_code_spanning_two_zones_gives_both(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    verdict = federal.check(located(request_for, phones=(FLORIDA_850,)))
    assert zones_of(verdict) == {("America/New_York", "phone"), ("America/Chicago", "phone")}


@pytest.mark.parametrize("number", [TOLL_FREE, "+18885550123", RUSSIAN_MOBILE])
def test_numbers_without_a_location_add_no_zone(request_for: Factory, number: str) -> None:
    request = parse_request(located(request_for, phones=(number,), dialled=number))
    assert candidate_zones(request) == ()


def test_toll_free_number_alone_leaves_the_zone_unknown(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    verdict = federal.check(located(request_for, phones=(TOLL_FREE,), dialled=TOLL_FREE))
    assert verdict.time_zones == ()
    assert not verdict.allowed
    hours = [r for r in verdict.reasons if r.rule_id == "us.federal.reg_f.inconvenient_time"]
    assert [(r.code, r.category) for r in hours] == [("missing_fact", "missing_fact")]
    assert hours[0].evidence["fact"] == "time_zone"


def test_toll_free_number_adds_nothing_to_other_sources(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    verdict = federal.check(located(request_for, phones=(NY_MOBILE, TOLL_FREE), dialled=TOLL_FREE))
    assert zones_of(verdict) == {("America/New_York", "phone")}


def test_china_mobile_gives_shanghai(request_for: Factory) -> None:
    request = parse_request(located(request_for, phones=(CHINA_MOBILE,)))
    assert {(c.name, c.source) for c in candidate_zones(request)} == {("Asia/Shanghai", "phone")}


def test_dialled_number_is_a_source(federal: fair_collect.Policy, request_for: Factory) -> None:
    verdict = federal.check(located(request_for, dialled=FLORIDA_850))
    assert zones_of(verdict) == {
        ("America/New_York", "dialled_number"),
        ("America/Chicago", "dialled_number"),
    }


def test_dialled_number_is_not_used_for_a_letter(request_for: Factory) -> None:
    request = parse_request(
        located(request_for, dialled=None, channel="letter")
        | {"recipient": {"role": "borrower", "address": FLORIDA_850}}
    )
    assert candidate_zones(request) == ()


# ------------------------------------------------------------------ every zone must pass


def test_verdict_lists_every_zone_with_its_source(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    # SPEC example: a New York mobile and a San Francisco address.
    request = request_for(
        borrower={
            "location": {"country": "US", "region": "CA", "postal_code": "94105"},
            "phones": [{"number": NY_MOBILE, "kind": "mobile"}],
        }
    )
    body = federal.check(request).model_dump(mode="json")
    assert {"zone": "America/Los_Angeles", "source": "postal_code"} in body["time_zones"]
    assert {"zone": "America/Los_Angeles", "source": "region"} in body["time_zones"]
    assert {"zone": "America/New_York", "source": "phone"} in body["time_zones"]
    assert {"zone": "America/New_York", "source": "dialled_number"} in body["time_zones"]
    assert all(set(z) == {"zone", "source"} for z in body["time_zones"])


def test_hours_must_hold_in_every_candidate_zone(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    request = request_for(
        at="2026-06-09T10:30:00-04:00",
        borrower={
            "location": {"country": "US", "postal_code": "94105"},
            "phones": [{"number": NY_MOBILE}],
        },
    )
    verdict = federal.check(request)
    assert verdict.codes == ("outside_permitted_hours",)
    evidence = verdict.reasons[0].evidence
    assert (evidence["time_zone"], evidence["zone_source"], evidence["local_time"]) == (
        "America/Los_Angeles",
        "postal_code",
        "07:30",
    )
    assert verdict.next_allowed_at is not None
    assert verdict.next_allowed_at.isoformat() == "2026-06-09T11:00:00-04:00"


@pytest.mark.parametrize(
    ("at", "allowed"),
    [
        ("2026-06-09T08:30:00-04:00", False),  # 07:30 in Pensacola
        ("2026-06-09T09:00:00-04:00", True),  # 08:00 in Pensacola
        ("2026-06-09T20:59:00-05:00", False),  # 21:59 in Tallahassee
        ("2026-06-09T19:59:00-05:00", True),
    ],
)
def test_area_code_850_is_checked_in_both_zones(
    federal: fair_collect.Policy, request_for: Factory, at: str, allowed: bool
) -> None:
    verdict = federal.check(located(request_for, phones=(FLORIDA_850,), at=at))
    assert verdict.allowed is allowed
    if not allowed:
        assert verdict.codes == ("outside_permitted_hours",)


def test_multi_zone_state_is_checked_in_its_westernmost_zone(
    federal: fair_collect.Policy, request_for: Factory
) -> None:
    verdict = federal.check(
        located(request_for, {"country": "US", "region": "TX"}, at="2026-06-09T08:30:00-05:00")
    )
    assert verdict.codes == ("outside_permitted_hours",)
    evidence = verdict.reasons[0].evidence
    assert (evidence["time_zone"], evidence["zone_source"]) == ("America/Denver", "region")
