"""Latency of ``Policy.check`` for a call with a 20-event history.

Run: ``python bench/bench_check.py`` (after ``pip install -e .``). Prints the
median and p99 per-call time for three inputs:

* ``model``: a validated ``ProposedAction`` (what a backend holding typed
  requests pays per check);
* ``dict``: the same request as a Python dict (validation included);
* ``json``: the same request as JSON text (parsing and validation included).

Requests vary over a fixed-seed set of borrowers, times and histories so that
caches see realistic, not identical, input. Timing uses perf_counter_ns
around each call after a warm-up; garbage collection stays on.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import fair_collect

ZIPS = [
    ("NY", "10001", "+1212555"),
    ("CA", "94105", "+1415555"),
    ("IL", "60601", "+1312555"),
    ("TX", "75201", "+1214555"),
    ("FL", "33101", "+1305555"),
    ("WA", "98101", "+1206555"),
    ("AZ", "85001", "+1602555"),
    ("CO", "80202", "+1303555"),
]
OUTCOMES = (
    ["no_answer"] * 5 + ["voicemail"] * 2 + ["busy", "conversation", "limited_content_message"]
)
OFFSETS = {"NY": -4, "CA": -7, "IL": -5, "TX": -5, "FL": -4, "WA": -7, "AZ": -7, "CO": -6}


def make_request(rng: random.Random, index: int, events: int) -> dict[str, Any]:
    region, zip_code, prefix = rng.choice(ZIPS)
    number = f"{prefix}{rng.randrange(100, 200):04d}"
    tz = timezone(timedelta(hours=OFFSETS[region]))
    day = datetime(2026, 6, 1, tzinfo=tz) + timedelta(days=rng.randrange(0, 60))
    at = day + timedelta(hours=rng.randrange(7, 22), minutes=rng.randrange(0, 60))
    history = []
    for _ in range(events):
        when = at - timedelta(minutes=rng.randrange(30, 60 * 24 * 14))
        history.append(
            {
                "at": when.isoformat(),
                "channel": rng.choice(["call", "call", "call", "sms", "voicemail"]),
                "direction": "outbound" if rng.random() < 0.9 else "inbound",
                "recipient_role": "borrower",
                "address": number,
                "debt_ids": [rng.choice(["D1", "D2"])],
                "outcome": rng.choice(OUTCOMES),
            }
        )
    return {
        "channel": "call",
        "at": at.isoformat(),
        "recipient": {"role": "borrower", "address": number, "address_kind": "mobile"},
        "collector": {"type": "third_party_collector", "name": "Example Recovery LLC"},
        "borrower": {
            "id": f"B{index}",
            "location": {"country": "US", "region": region, "postal_code": zip_code},
            "phones": [{"number": number, "kind": "mobile"}],
        },
        "debts": [{"id": "D1", "kind": "credit_card"}, {"id": "D2", "kind": "medical"}],
        "debt_ids": ["D1"],
        "history": history,
    }


def measure(fn: Any, inputs: list[Any], rounds: int) -> list[list[float]]:
    """Per-call times in µs, one list per round over every input."""
    for item in inputs[:200]:  # warm-up: caches, zone tables, code paths
        fn(item)
    clock = time.perf_counter_ns
    result = []
    for _ in range(rounds):
        samples = []
        for item in inputs:
            start = clock()
            fn(item)
            samples.append((clock() - start) / 1000)
        result.append(samples)
    return result


def summary(rounds: list[list[float]]) -> dict[str, float]:
    """Median and p99 over all samples, and the spread of the per-round medians
    (this machine's speed drifts; the spread shows by how much)."""
    ordered = sorted(x for samples in rounds for x in samples)
    medians = [statistics.median(samples) for samples in rounds]
    return {
        "median_us": round(statistics.median(ordered), 1),
        "p99_us": round(ordered[int(len(ordered) * 0.99) - 1], 1),
        "mean_us": round(statistics.fmean(ordered), 1),
        "round_median_min_us": round(min(medians), 1),
        "round_median_max_us": round(max(medians), 1),
        "n": len(ordered),
    }


def speed_reference() -> float:
    """Median µs of a fixed pure-Python loop: how fast the machine is right now.

    This machine's speed drifts by 2-3x between runs; quote this next to the
    table so that two tables can be compared (``bench/instructions.py`` gives
    a measure that does not drift)."""
    samples = []
    for _ in range(500):
        start = time.perf_counter_ns()
        sum(range(1000))
        samples.append((time.perf_counter_ns() - start) / 1000)
    return round(statistics.median(samples), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--packs",
        nargs="*",
        default=None,
        help="pack ids to load (default: every shipped pack; us/federal alone is issue 2's check)",
    )
    args = parser.parse_args()

    rng = random.Random(20261129)
    dicts = [make_request(rng, i, args.events) for i in range(args.requests)]
    models = [fair_collect.parse_request(d) for d in dicts]
    texts = [json.dumps(d) for d in dicts]
    policy = fair_collect.load_policy(args.packs)
    denied = sum(not policy.check(m).allowed for m in models)

    reference_before = speed_reference()
    results = {
        "model": summary(measure(policy.check, models, args.rounds)),
        "dict": summary(measure(policy.check, dicts, args.rounds)),
        "json": summary(measure(policy.check, texts, args.rounds)),
    }
    reference_after = speed_reference()
    machine = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "processor": platform.processor() or "unknown",
        "cpus": __import__("os").cpu_count(),
        "fair_collect": fair_collect.__version__,
        "history_events": args.events,
        "requests": args.requests,
        "packs": [p.id for p in policy.packs],
        "denied_share": round(denied / len(models), 3),
        "speed_reference_us": [reference_before, reference_after],
    }
    if args.json:
        json.dump({"machine": machine, "results": results}, sys.stdout, indent=2)
        print()
        return
    print(
        f"Policy.check, call with a {args.events}-event history, {args.requests} requests "
        f"({machine['denied_share']:.0%} denied; packs: {', '.join(machine['packs'])});"
        f" Python {machine['python']} on {machine['machine']}, "
        f"{machine['cpus']} CPUs"
    )
    print(
        f"machine speed reference (sum(range(1000)), median µs, before/after):"
        f" {reference_before}/{reference_after}"
    )
    print(
        f"{'input':<8}{'median µs':>12}{'p99 µs':>10}{'mean µs':>10}"
        f"{'round medians µs':>20}{'samples':>10}"
    )
    for name, row in results.items():
        spread = f"{row['round_median_min_us']}-{row['round_median_max_us']}"
        print(
            f"{name:<8}{row['median_us']:>12}{row['p99_us']:>10}{row['mean_us']:>10}"
            f"{spread:>20}{row['n']:>10}"
        )


if __name__ == "__main__":
    main()
