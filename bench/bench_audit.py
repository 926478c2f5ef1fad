"""Throughput of the lookback audit: events per second, pure Python and Spark.

    python bench/bench_audit.py --events 100000              # pure Python, one core
    python bench/bench_audit.py --events 1000000 --spark     # Spark local[2] as well

The log comes from ``fair_collect.testing.audit_logs`` (fixed seed, the
generator the tests use): borrowers in eight jurisdictions, about
``--per-borrower`` events each, four kinds of planted violations.

Pure Python streams the log one borrower at a time (constant memory) and
times validating each event (``AuditEvent``) and deciding it
(``audit_borrower``), not generating it. Spark first writes the log to
Parquet in a temporary folder, then times ``audit_dataframe`` read from it
and written to the ``noop`` sink (every verdict computed, none stored), after
a warm-up run on a small slice so that session start-up is not counted.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import fair_collect
from fair_collect.audit import AuditEvent, BorrowerContext, audit_borrower, history_horizon
from fair_collect.testing.audit_logs import SEED, iter_borrowers


def _reference() -> float:
    """Median microseconds of ``sum(range(1000))``: how fast the machine is right now."""
    samples = []
    for _ in range(200):
        start = time.perf_counter()
        sum(range(1000))
        samples.append(time.perf_counter() - start)
    samples.sort()
    return samples[len(samples) // 2] * 1e6


def bench_python(events: int, per_borrower: int, seed: int) -> None:
    policy = fair_collect.load_policy()
    horizon = history_horizon(policy)
    outcomes: Counter[str] = Counter()
    elapsed = 0.0
    count = 0
    longest = 0
    for log, _kind, _bad in iter_borrowers(events, seed=seed, per_borrower=per_borrower):
        start = time.perf_counter()
        parsed = [AuditEvent.model_validate(e) for e in log.events]
        context = BorrowerContext.model_validate(log.context)
        for verdict in audit_borrower(policy, parsed, [context], horizon=horizon):
            outcomes[verdict.outcome] += 1
            longest = max(longest, verdict.history_used)
        elapsed += time.perf_counter() - start
        count += len(parsed)
    print(
        f"pure Python: {count} events in {elapsed:.1f} s = {count / elapsed:,.0f} events/s"
        f" (one core); outcomes {dict(outcomes)}; longest history handed to a check: {longest}"
    )


def _write_parquet(events: int, per_borrower: int, seed: int, folder: Path) -> tuple[Path, Path]:
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = [
        "event_id",
        "borrower_id",
        "at",
        "channel",
        "direction",
        "debt_ids",
        "outcome",
        "recipient_role",
        "recipient_address",
        "address_kind",
        "message_text",
    ]
    schema = pa.schema(
        [(c, pa.list_(pa.string()) if c == "debt_ids" else pa.string()) for c in columns]
    )
    events_path = folder / "events.parquet"
    contexts_path = folder / "contexts.parquet"
    batch: list[dict[str, object]] = []
    contexts: list[dict[str, str]] = []
    with pq.ParquetWriter(events_path, schema) as writer:
        for log, _kind, _bad in iter_borrowers(events, seed=seed, per_borrower=per_borrower):
            batch.extend({c: e.get(c) for c in columns} for e in log.events)
            contexts.append({"borrower_id": log.borrower_id, "context": json.dumps(log.context)})
            if len(batch) >= 100_000:
                writer.write_table(pa.Table.from_pylist(batch, schema))
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema))
    pq.write_table(pa.Table.from_pylist(contexts), contexts_path)
    return events_path, contexts_path


def bench_spark(events: int, per_borrower: int, seed: int, master: str, partitions: int) -> None:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from fair_collect.spark import audit_dataframe

    spark = (
        SparkSession.builder.master(master)
        .appName("fair-collect-audit-bench")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        events_path, contexts_path = _write_parquet(events, per_borrower, seed, Path(tmp))
        print(f"spark: wrote {events} events to Parquet in {time.perf_counter() - start:.1f} s")
        frame = spark.read.parquet(str(events_path))
        contexts = spark.read.parquet(str(contexts_path))
        # Warm-up: start the Python workers and load the packs in each.
        warm = frame.limit(2_000)
        audit_dataframe(warm, contexts).write.format("noop").mode("overwrite").save()
        start = time.perf_counter()
        audit_dataframe(frame, contexts).write.format("noop").mode("overwrite").save()
        elapsed = time.perf_counter() - start
        print(
            f"spark {master}: {events} events in {elapsed:.1f} s = {events / elapsed:,.0f} events/s"
            f" ({partitions} shuffle partitions)"
        )
    spark.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--per-borrower", type=int, default=150)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--spark", action="store_true", help="also run the Spark audit")
    parser.add_argument("--no-python", action="store_true", help="skip the pure-Python run")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=8, help="spark.sql.shuffle.partitions")
    args = parser.parse_args()
    print(f"speed reference: {_reference():.1f} us for sum(range(1000))")
    if not args.no_python:
        bench_python(args.events, args.per_borrower, args.seed)
    if args.spark:
        bench_spark(args.events, args.per_borrower, args.seed, args.master, args.partitions)
    print(f"speed reference after: {_reference():.1f} us")


if __name__ == "__main__":
    main()
