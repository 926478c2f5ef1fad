"""``Policy.warm_up``: after it, checks load no data and import nothing.

A service calls ``warm_up`` at start-up so that its first checks are as fast
as the rest and ``check`` does no I/O (SPEC section 1). Loading a module or a
zone file is the I/O a check could otherwise do; both are observable here.
"""

from __future__ import annotations

import gc
import sys
from typing import Any

import pytest

import fair_collect
from fair_collect.facts import zoneinfo_cache
from fair_collect.facts.zones import preload_zone_data


def _request(location: dict[str, Any], number: str) -> dict[str, Any]:
    return {
        "channel": "call",
        "at": "2026-06-09T15:30:00Z",
        "recipient": {"role": "borrower", "address": number},
        "borrower": {"location": location, "phones": [{"number": number, "kind": "mobile"}]},
        "debts": [{"id": "D1", "kind": "credit_card"}],
        "history": [],
    }


#: Places the examples of the shipped packs do not all use: other ZIP areas,
#: other countries' numbers, a zone named only by a phone number.
REQUESTS = [
    _request({"country": "US", "region": "AK", "postal_code": "99501"}, "+19075550123"),
    _request({"country": "US", "region": "HI", "postal_code": "96813"}, "+18085550123"),
    _request({"country": "US", "region": "IN", "postal_code": "46201"}, "+13175550123"),
    _request({"country": "US", "postal_code": "59601"}, "+14065550123"),
    _request({"country": "CN"}, "+8613912345678"),
    _request({"country": "IN"}, "+919812345678"),
    _request({"country": "ID"}, "+6281234567890"),
    _request({"country": "RU"}, "+79161234567"),
    _request({"country": "AU"}, "+61412345678"),
    _request({"country": "BR"}, "+5511912345678"),
]


@pytest.fixture(scope="module")
def warm_policy() -> fair_collect.Policy:
    policy = fair_collect.load_policy()
    assert policy.warm_up() >= sum(len(r.spec.examples) for r in policy.rules) * 0.9
    return policy


def test_after_warm_up_checks_import_nothing_and_load_no_zone(
    warm_policy: fair_collect.Policy,
) -> None:
    modules = set(sys.modules)
    zones_loaded = zoneinfo_cache._lookup.cache_info().misses
    for request in REQUESTS:
        verdict = warm_policy.check(request)
        assert verdict.time_zones, request  # each request did infer zones
    assert set(sys.modules) - modules == set()
    # Every zone lookup, of a name known or not, was answered from memory.
    assert zoneinfo_cache._lookup.cache_info().misses == zones_loaded


def test_preload_loads_every_zone_inference_can_produce() -> None:
    assert preload_zone_data() > 300
    info = zoneinfo_cache._lookup.cache_info()
    assert info.maxsize is not None
    assert info.currsize < info.maxsize  # nothing was evicted


def test_preload_keeps_no_zip_records_for_the_collector_to_walk() -> None:
    """The ZIP database is read once to find its zones, not kept: 42,000
    records held as dicts and lists would be walked by every full garbage
    collection of a service for as long as it runs (about 180,000 objects,
    a pause of a few hundred milliseconds each time)."""
    preload_zone_data()
    gc.collect()
    held = sum(1 for o in gc.get_objects() if type(o) is dict and "zip_code" in o)
    assert held < 100
