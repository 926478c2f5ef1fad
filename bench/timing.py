"""Timing helpers shared by ``bench/run.py`` and the peer subprocesses."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any


def time_calls(fn: Callable[[Any], Any], inputs: Sequence[Any]) -> tuple[list[float], list[Any]]:
    """Per-call µs (``perf_counter_ns`` around each call) and the results, in order."""
    clock = time.perf_counter_ns
    samples = []
    results = []
    for item in inputs:
        start = clock()
        result = fn(item)
        samples.append((clock() - start) / 1000)
        results.append(result)
    return samples, results


def summary(rounds: list[list[float]]) -> dict[str, float]:
    """Median and p99 over all samples, and the spread of the per-round medians."""
    ordered = sorted(x for samples in rounds for x in samples)
    medians = [statistics.median(samples) for samples in rounds]
    return {
        "median_us": statistics.median(ordered),
        "p99_us": ordered[max(0, int(len(ordered) * 0.99) - 1)],
        "mean_us": statistics.fmean(ordered),
        "round_median_min_us": min(medians),
        "round_median_max_us": max(medians),
        "median_of_round_medians_us": statistics.median(medians),
        "n": len(ordered),
    }


def speed_reference() -> float:
    """Median µs of ``sum(range(1000))``: how fast the machine is right now."""
    samples = []
    for _ in range(500):
        start = time.perf_counter_ns()
        sum(range(1000))
        samples.append((time.perf_counter_ns() - start) / 1000)
    return statistics.median(samples)
