"""One ``Policy`` shared by 8 threads (and the same packs in worker processes) gives
exactly the verdicts sequential checking gives, request for request.

Requests vary (channels, zones, histories, messages, status facts) so that the
policy's memo tables and the shared caches fill while threads race. The
threaded run starts on a freshly loaded policy, with a short switch interval
so threads interleave often. Verdicts are compared whole (their canonical
JSON, digested).

The default suite checks 3,000 requests; ``-m slow`` runs 200,000 (or
``FAIR_COLLECT_CONCURRENCY_REQUESTS``: CI bounds its budget with a smaller
count; the full count is a documented run).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import fair_collect

THREADS = 8
PROCESSES = 2

PLACES = [
    ("US", "NY", "10001", "+1212555", -4),
    ("US", "CA", "94105", "+1415555", -7),
    ("US", "WA", "98101", "+1206555", -7),
    ("US", "MA", "02108", "+1617555", -4),
    ("US", "TX", "79901", "+1915555", -6),
    ("US", "AZ", "85001", "+1602555", -7),
    ("CN", None, None, "+86138001", 8),
    ("GB", None, None, "+4479111", 1),
]
CHANNELS = ["call"] * 5 + ["voicemail", "sms", "sms", "email", "letter"]
OUTCOMES = ["no_answer"] * 4 + ["voicemail", "busy", "conversation", "delivered", None]
TEXTS = [
    None,
    "This is Example Recovery LLC. Please call us back at 800-555-0100.",
    "We will sue you and tell your employer unless you pay today.",
    "Reply STOP to opt out. This is an attempt to collect a debt.",
    "你好，请尽快还款，否则我们将联系你的家人。",
    "Your card 4111 1111 1111 1111 is past due.",
]


def make_request(rng: random.Random) -> dict[str, Any]:
    country, region, postal, prefix, offset = rng.choice(PLACES)
    number = f"{prefix}{rng.randrange(1000, 9999)}"
    tz = timezone(timedelta(hours=offset))
    at = datetime(2026, 6, 1, 6, tzinfo=tz) + timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
    channel = rng.choice(CHANNELS)
    location: dict[str, Any] = {"country": country}
    if region:
        location |= {"region": region, "postal_code": postal}
    request: dict[str, Any] = {
        "channel": channel,
        "at": at.isoformat(),
        "collector": {"type": rng.choice(["third_party_collector", "first_party_creditor"])},
        "borrower": {"id": f"B{rng.randrange(50)}", "location": location},
        "debts": [{"id": "D1", "kind": "credit_card"}, {"id": "D2", "kind": "medical"}],
    }
    if rng.random() < 0.8:
        request["borrower"]["phones"] = [{"number": number, "kind": "mobile"}]
    if channel in ("call", "voicemail", "sms"):
        request["recipient"] = {"role": rng.choice(["borrower"] * 5 + ["spouse", "employer"])}
        if rng.random() < 0.9:
            request["recipient"] |= {"address": number, "address_kind": "mobile"}
    elif channel == "email":
        request["recipient"] = {"role": "borrower", "address": "jane@example.com"}
    text = rng.choice(TEXTS)
    if text is not None and channel != "call":
        request["message"] = {"text": text}
    if rng.random() < 0.1:
        request["borrower"]["cease_request"] = {
            "received_at": (at - timedelta(days=3)).isoformat(),
            "in_writing": True,
        }
    if rng.random() < 0.9:
        request["history"] = [
            {
                "at": (at - timedelta(minutes=rng.randrange(30, 60 * 24 * 9))).isoformat(),
                "channel": rng.choice(["call", "call", "sms", "voicemail"]),
                "address": number,
                "debt_ids": [rng.choice(["D1", "D2"])],
                "outcome": rng.choice(OUTCOMES),
            }
            for _ in range(rng.randrange(0, 12))
        ]
    return request


def make_requests(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [make_request(rng) for _ in range(count)]


def fingerprint(verdict: fair_collect.Verdict) -> str:
    dump = json.dumps(verdict.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(dump.encode()).hexdigest()


def _check_all(policy: fair_collect.Policy, requests: list[dict[str, Any]]) -> list[str]:
    return [fingerprint(policy.check(r)) for r in requests]


_WORKER_POLICY: fair_collect.Policy | None = None


def _worker_start() -> None:
    global _WORKER_POLICY
    _WORKER_POLICY = fair_collect.load_policy()


def _worker_check(requests: list[dict[str, Any]]) -> list[str]:
    assert _WORKER_POLICY is not None
    return _check_all(_WORKER_POLICY, requests)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def threaded(policy: fair_collect.Policy, requests: list[dict[str, Any]]) -> list[str]:
    """Fingerprints in request order, from ``THREADS`` threads taking small chunks."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # interleave as often as possible
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            parts = pool.map(lambda chunk: _check_all(policy, chunk), _chunks(requests, 16))
            return [f for part in parts for f in part]
    finally:
        sys.setswitchinterval(previous)


def in_processes(requests: list[dict[str, Any]]) -> list[str]:
    context = multiprocessing.get_context("spawn")  # no fork of a threaded process
    with ProcessPoolExecutor(PROCESSES, mp_context=context, initializer=_worker_start) as pool:
        parts = pool.map(_worker_check, _chunks(requests, 500))
        return [f for part in parts for f in part]


def assert_same(expected: list[str], actual: list[str], requests: list[dict[str, Any]]) -> None:
    assert len(actual) == len(expected)
    differ = [i for i, (a, b) in enumerate(zip(expected, actual, strict=True)) if a != b]
    assert not differ, f"{len(differ)} verdicts differ, first: {json.dumps(requests[differ[0]])}"


def run(count: int, seed: int, processes: bool) -> None:
    requests = make_requests(count, seed)
    sequential = fair_collect.load_policy()
    reference = _check_all(sequential, requests)
    outcomes = {sequential.check(r).outcome for r in requests[:200]}
    assert outcomes == {"allow", "deny"}, "the mix must hold allows and denies"
    assert_same(reference, threaded(fair_collect.load_policy(), requests), requests)
    if processes:
        assert_same(reference, in_processes(requests), requests)


def test_eight_threads_give_the_sequential_verdicts() -> None:
    run(3_000, seed=1, processes=False)


@pytest.mark.slow
def test_threads_and_processes_give_the_sequential_verdicts_over_200k_requests() -> None:
    run(int(os.environ.get("FAIR_COLLECT_CONCURRENCY_REQUESTS", "200000")), seed=2, processes=True)
