"""The benchmark's peers agree with fair_collect on the subset, and its workloads are fixed.

Runs only where the bench extra is installed (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import fair_collect

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

workloads = pytest.importorskip("workloads")
peers = pytest.importorskip("peers")

#: Peer -> the module its engine is imported as (None: plain Python).
IN_PROCESS = {"plain": None, "zen": "zen", "cedar": "cedarpy", "rule-engine": "rule_engine"}


@pytest.fixture(scope="module")
def requests() -> list[dict[str, object]]:
    return workloads.w1_requests(50)


@pytest.fixture(scope="module")
def subset_codes(requests: list[dict[str, object]]) -> list[frozenset[str]]:
    policy = fair_collect.load_policy([BENCH / "subset_pack"])
    return [frozenset(r.code for r in policy.check(q).reasons) for q in requests]


def test_workload_generator_is_deterministic() -> None:
    assert workloads.w1_requests(20) == workloads.w1_requests(20)
    assert workloads.w3_requests(5) == workloads.w3_requests(5)
    assert workloads.w3_texts(300, 3, True) == workloads.w3_texts(300, 3, True)
    assert workloads.w1_requests(5) != workloads.w1_requests(5, seed=1)


def test_workload_requests_are_valid(requests: list[dict[str, object]]) -> None:
    workloads.validate(requests)


@pytest.mark.parametrize("name", list(IN_PROCESS))
def test_peer_agrees_with_fair_collect_subset(
    name: str, requests: list[dict[str, object]], subset_codes: list[frozenset[str]]
) -> None:
    engine = IN_PROCESS[name]
    if engine is not None:
        pytest.importorskip(engine)
    module = peers.module(name)
    decide = module.build()
    got = [decide(q) for q in requests]
    wrong = [
        i for i, (want, have) in enumerate(zip(subset_codes, got, strict=True)) if want != have
    ]
    assert not wrong, f"{name} disagrees on requests {wrong}"
    assert any(subset_codes)  # the sample has denies ...
    assert not all(subset_codes)  # ... and allows
