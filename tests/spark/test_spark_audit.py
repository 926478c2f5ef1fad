"""The Spark audit gives the verdicts of the pure-Python audit (``local[2]``)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from typing import Any

import pytest

if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs a Java runtime (java on PATH or JAVA_HOME)", allow_module_level=True)
pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")
pytest.importorskip("pandas")

from pyspark.sql import SparkSession

import fair_collect
from fair_collect.audit import audit
from fair_collect.spark import (
    audit_dataframe,
    check_dataframe,
    contexts_dataframe,
    verdict_from_row,
)
from fair_collect.testing.audit_logs import generate_log

# Spark and py4j warn about their own internals (sockets, deprecated pandas
# paths); those are not ours to fix, and the suite turns warnings into errors.
pytestmark = pytest.mark.filterwarnings("ignore")

_EVENT_SCHEMA = (
    "event_id string, borrower_id string, at string, channel string, direction string,"
    " debt_ids array<string>, outcome string, recipient_role string,"
    " recipient_address string, address_kind string, message_text string"
)


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("fair-collect-audit-tests")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _events_frame(spark: SparkSession, events: list[dict[str, Any]]) -> Any:
    columns = [part.strip().split(" ")[0] for part in _EVENT_SCHEMA.split(",")]
    rows = [tuple(e.get(c) for c in columns) for e in events]
    return spark.createDataFrame(rows, _EVENT_SCHEMA)


@pytest.fixture(scope="module")
def generated() -> Any:
    return generate_log(4000, per_borrower=60, planted_per_kind=3)


def test_spark_audit_matches_pure_python(spark: SparkSession, generated: Any) -> None:
    policy = fair_collect.load_policy()
    expected = {v.event_id: v for v in audit(generated.events, generated.contexts, policy=policy)}
    frame = audit_dataframe(
        _events_frame(spark, generated.events),
        contexts_dataframe(spark, generated.contexts),
    )
    got = {v.event_id: v for v in map(verdict_from_row, frame.collect())}
    assert len(got) == len(generated.events)
    assert got.keys() == expected.keys()
    differ = [k for k in expected if expected[k].key() != got[k].key()]
    assert not differ, [(expected[k], got[k]) for k in differ[:3]]
    jurisdictions = {j for v in got.values() for j in v.jurisdictions}
    assert {"US-TX", "US-MA", "US-WA", "US-NY-NYC", "CN", "IN", "GB"} <= jurisdictions
    denied = {k for k, v in got.items() if v.outcome == "deny"}
    assert denied == set().union(*generated.planted.values())
    for code, ids in generated.planted.items():
        assert {k for k in denied if code in got[k].codes} == ids


def test_check_dataframe_plans_contacts(spark: SparkSession) -> None:
    base = {
        "channel": "call",
        "collector": {"type": "third_party_collector"},
        "recipient": {"role": "borrower", "address": "+12142301234", "address_kind": "mobile"},
        "borrower": {
            "location": {"country": "US", "region": "TX", "postal_code": "75201"},
            "phones": [{"number": "+12142301234", "kind": "mobile"}],
        },
        "debts": [{"id": "D1"}],
        "history": [],
    }
    requests = [
        ("r1", json.dumps({**base, "at": "2026-06-09T10:30:00-05:00"})),
        ("r2", json.dumps({**base, "at": "2026-06-09T06:30:00-05:00"})),
        ("r3", json.dumps({**base, "at": "2026-06-09T10:30:00"})),  # naive: invalid
    ]
    frame = spark.createDataFrame(requests, "id string, request string")
    rows = {r["id"]: r for r in check_dataframe(frame, keep=["id"]).collect()}
    assert rows["r1"]["outcome"] == "allow"
    assert rows["r2"]["outcome"] == "deny"
    assert "outside_permitted_hours" in rows["r2"]["codes"]
    assert rows["r2"]["next_allowed_at"] == "2026-06-09T08:00:00-05:00"
    assert rows["r3"]["outcome"] == "error"
    assert not rows["r3"]["allowed"]
    assert "at" in rows["r3"]["error"]
