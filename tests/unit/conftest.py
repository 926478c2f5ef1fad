"""Shared fixtures for the unit tests: a valid request and the US federal policy."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import fair_collect
from fair_collect.text.keycache import CACHE_ENV

#: A valid request: a Tuesday-morning call from a third-party collector to a
#: New York borrower about one debt, with no earlier contacts.
BASE_REQUEST: dict[str, Any] = {
    "channel": "call",
    "at": "2026-06-09T10:30:00-04:00",
    "purpose": "collection",
    "collector": {"type": "third_party_collector", "name": "Example Recovery LLC"},
    "recipient": {"role": "borrower", "address": "+12125550123", "address_kind": "mobile"},
    "borrower": {
        "id": "B1",
        "location": {"country": "US", "region": "NY", "postal_code": "10001"},
        "phones": [{"number": "+12125550123", "kind": "mobile"}],
    },
    "debts": [{"id": "D1", "kind": "credit_card", "amount": "812.00", "currency": "USD"}],
    "history": [],
}


def make_request(**overrides: Any) -> dict[str, Any]:
    """A deep copy of ``BASE_REQUEST`` with the given top-level keys replaced."""
    request = copy.deepcopy(BASE_REQUEST)
    request.update(copy.deepcopy(overrides))
    return request


@pytest.fixture
def request_for() -> Callable[..., dict[str, Any]]:
    return make_request


@pytest.fixture(scope="session")
def federal() -> fair_collect.Policy:
    """Only the shipped US federal pack, so verdicts do not depend on other packs."""
    return fair_collect.load_policy(["us/federal"])


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache directory of the test's own (``FAIR_COLLECT_CACHE_DIR``)."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def unwritable_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache directory that cannot be made: its parent is a file."""
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    return blocker / "cache"
