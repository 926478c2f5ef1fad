"""The lookback audit and batch checks on Spark (``pip install 'fair_collect[spark]'``).

``audit_dataframe`` partitions a contact log by borrower, and each group is
decided on an executor by ``fair_collect.audit.audit_borrower``, the very
function the pure-Python audit runs: same sort, same bounded history, same
``Policy.check``. ``check_dataframe`` decides a DataFrame of requests (daily
contact planning: one proposed action per row) with ``Policy.check``.

Executors load the packs once per Python worker (a module-level cache keyed
by the pack sources) and refuse to run when their packs' digests differ from
the digests the driver loaded, which are broadcast with the pack paths: every
executor decides under exactly the driver's rules.

pyspark is imported lazily: ``import fair_collect`` never needs it.

Skew: a borrower's events are one group, sorted and walked in one task, and
Spark materialises a group in the executor's memory. The per-event cost is
bounded by the rules' longest window (``history_horizon``), so a borrower
with a huge history costs time linear in its events, not quadratic, but it is
still one task: see ``docs/how-to/lookback-audit.md`` for sizing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from fair_collect.audit import (
    AuditEvent,
    BorrowerContext,
    EventVerdict,
    HistoryHorizon,
    audit_borrower,
    history_horizon,
    load_audit_policy,
)
from fair_collect.engine import Policy
from fair_collect.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "CHECK_FIELDS",
    "VERDICT_SCHEMA",
    "audit_dataframe",
    "check_dataframe",
    "contexts_dataframe",
    "verdict_from_row",
]

#: The verdict rows ``audit_dataframe`` returns (Spark DDL).
VERDICT_SCHEMA = (
    "event_id string, borrower_id string, at string, month string, channel string,"
    " outcome string, rule_ids array<string>, codes array<string>,"
    " categories array<string>, citations array<string>, warnings array<string>,"
    " jurisdictions array<string>, jurisdiction_source string, rule_packs array<string>,"
    " next_allowed_at string,"
    " history_used long, error string"
)
#: The columns ``check_dataframe`` adds (Spark DDL).
CHECK_FIELDS = (
    "outcome string, allowed boolean, codes array<string>, rule_ids array<string>,"
    " next_allowed_at string, error string"
)

_LIST_FIELDS = (
    "rule_ids",
    "codes",
    "categories",
    "citations",
    "warnings",
    "jurisdictions",
    "rule_packs",
)

PackSpec = tuple[tuple[str, ...] | None, tuple[tuple[str, str], ...]]

_lock = threading.Lock()
_POLICIES: dict[PackSpec, tuple[Policy, HistoryHorizon]] = {}


def _worker_policy(spec: PackSpec) -> tuple[Policy, HistoryHorizon]:
    """The policy for ``spec`` (pack sources, digests), built once per Python worker."""
    found = _POLICIES.get(spec)
    if found is None:
        with _lock:
            found = _POLICIES.get(spec)
            if found is None:
                packs, digests = spec
                policy = load_audit_policy(packs, pins=dict(digests))
                found = _POLICIES[spec] = (policy, history_horizon(policy))
    return found


def _driver_spec(packs: Iterable[str | Path] | None, pins: Mapping[str, str] | None) -> PackSpec:
    """Load the packs on the driver (failing early on a broken pack or a pin that
    does not match) and name them for the executors: sources and digests."""
    sources = (
        tuple(str(Path(p).resolve()) if Path(p).exists() else str(p) for p in packs)
        if (packs is not None)
        else None
    )
    policy = load_audit_policy(sources, pins=pins)
    digests = tuple(sorted((p.id, p.ref.digest) for p in policy.packs))
    return sources, digests


def _clean(record: Mapping[str, Any]) -> dict[str, Any]:
    """A pandas record as event fields: nulls dropped (unknown)."""
    out = {}
    for key, value in record.items():
        if value is None:
            continue
        if isinstance(value, float) and value != value:  # NaN
            continue
        out[key] = value
    return out


def _error_row(record: Mapping[str, Any], message: str) -> EventVerdict:
    at = record.get("at")
    return EventVerdict(
        event_id=str(record.get("event_id") or ""),
        borrower_id=str(record.get("borrower_id") or ""),
        at=str(at or ""),
        month=str(at or "")[:7],
        channel=str(record.get("channel") or ""),
        outcome="error",
        error=message,
    )


def _frame(verdicts: Iterable[EventVerdict]) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for verdict in verdicts:
        row = verdict.model_dump()
        for name in _LIST_FIELDS:
            row[name] = list(row[name])
        rows.append(row)
    columns = [part.strip().split(" ")[0] for part in VERDICT_SCHEMA.split(",")]
    return pd.DataFrame(rows, columns=columns)


def _audit_group(
    spec: PackSpec, events: pd.DataFrame, contexts: pd.DataFrame | None
) -> pd.DataFrame:
    policy, horizon = _worker_policy(spec)
    parsed: list[AuditEvent] = []
    errors: list[EventVerdict] = []
    for record in events.to_dict("records"):
        fields = _clean(record)
        try:
            parsed.append(AuditEvent.model_validate(fields))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                for e in exc.errors(include_url=False)
            )
            errors.append(_error_row(fields, problems))
    versions: list[BorrowerContext] = []
    if contexts is not None:
        for text in contexts["context"]:
            try:
                versions.append(BorrowerContext.model_validate_json(text))
            except ValidationError as exc:
                # A broken context record: no event of the borrower can be decided.
                message = f"context: {exc.errors(include_url=False)[0]['msg']}"
                return _frame(
                    [*errors, *(_error_row(e.model_dump(mode="json"), message) for e in parsed)]
                )
    verdicts = list(audit_borrower(policy, parsed, versions, horizon=horizon))
    return _frame([*errors, *verdicts])


def contexts_dataframe(
    spark: SparkSession, contexts: Iterable[BorrowerContext | Mapping[str, Any]]
) -> DataFrame:
    """Borrower context records as the DataFrame ``audit_dataframe`` takes:
    ``borrower_id`` and ``context`` (the record as JSON)."""
    rows = []
    for ctx in contexts:
        item = ctx if isinstance(ctx, BorrowerContext) else BorrowerContext.model_validate(ctx)
        rows.append((item.borrower_id, item.model_dump_json()))
    return spark.createDataFrame(rows, "borrower_id string, context string")


def audit_dataframe(
    events: DataFrame,
    contexts: DataFrame | None = None,
    *,
    packs: Sequence[str | Path] | None = None,
    pins: Mapping[str, str] | None = None,
) -> DataFrame:
    """The lookback audit of a Spark DataFrame of contact events.

    ``events``: columns named as ``fair_collect.audit.AuditEvent`` fields
    (``event_id``, ``borrower_id``, ``at``, ``channel`` required; ``at`` an
    ISO 8601 string with its offset, or a timestamp; ``debt_ids`` an array or
    a ``D1;D2`` string). ``contexts``: ``borrower_id`` and ``context`` (a
    ``BorrowerContext`` record as JSON; ``contexts_dataframe`` builds it), one
    row per version. Returns one verdict row per event (``VERDICT_SCHEMA``),
    the same verdicts as ``fair_collect.audit.audit`` on the same data.
    """
    from pyspark.sql import functions as F

    spec = _driver_spec(packs, pins)
    spark = events.sparkSession
    shared = spark.sparkContext.broadcast(spec)
    if dict(events.dtypes).get("at") == "timestamp":
        events = events.withColumn(
            "at", F.date_format(F.col("at"), "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
        )

    if contexts is None:

        def one(frame: pd.DataFrame) -> pd.DataFrame:
            return _audit_group(shared.value, frame, None)

        return events.groupBy("borrower_id").applyInPandas(one, schema=VERDICT_SCHEMA)

    def both(frame: pd.DataFrame, context: pd.DataFrame) -> pd.DataFrame:
        if frame.empty:
            return _frame([])
        return _audit_group(shared.value, frame, context)

    return (
        events.groupBy("borrower_id")
        .cogroup(contexts.select("borrower_id", "context").groupBy("borrower_id"))
        .applyInPandas(both, schema=VERDICT_SCHEMA)
    )


def verdict_from_row(row: Any) -> EventVerdict:
    """An ``EventVerdict`` from a row of ``audit_dataframe`` (``Row`` or mapping)."""
    data = row.asDict() if hasattr(row, "asDict") else dict(row)
    for name in _LIST_FIELDS:
        data[name] = tuple(data.get(name) or ())
    return EventVerdict.model_validate(data)


def _check_rows(
    spec: PackSpec, frames: Iterator[pd.DataFrame], request_col: str, keep: Sequence[str]
) -> Iterator[pd.DataFrame]:
    import pandas as pd

    policy, _ = _worker_policy(spec)
    for frame in frames:
        rows = []
        for record in frame.to_dict("records"):
            out: dict[str, Any] = {name: record.get(name) for name in keep}
            try:
                verdict = policy.check(record[request_col])
            except InputError as exc:
                out.update(
                    outcome="error",
                    allowed=False,
                    codes=[],
                    rule_ids=[],
                    next_allowed_at=None,
                    error=json.dumps(exc.to_json()["problems"]),
                )
            else:
                out.update(
                    outcome=verdict.outcome,
                    allowed=verdict.allowed,
                    codes=list(verdict.codes),
                    rule_ids=[r.rule_id for r in verdict.reasons],
                    next_allowed_at=verdict.next_allowed_at.isoformat()
                    if verdict.next_allowed_at is not None
                    else None,
                    error=None,
                )
            rows.append(out)
        columns = [*keep, "outcome", "allowed", "codes", "rule_ids", "next_allowed_at", "error"]
        yield pd.DataFrame(rows, columns=columns)


def check_dataframe(
    requests: DataFrame,
    *,
    request_col: str = "request",
    keep: Sequence[str] = (),
    packs: Sequence[str | Path] | None = None,
    pins: Mapping[str, str] | None = None,
) -> DataFrame:
    """``Policy.check_many`` over a DataFrame: one proposed action per row, as
    request JSON text in ``request_col``. Returns the ``keep`` columns and
    ``CHECK_FIELDS``: the outcome, codes, rule ids and ``next_allowed_at``
    (ISO text in the request's offset), or ``error`` (the JSON list of bad
    fields) for an invalid request, which is never an allow."""
    spec = _driver_spec(packs, pins)
    spark = requests.sparkSession
    shared = spark.sparkContext.broadcast(spec)
    kept = ", ".join(f"`{name}` {dict(requests.dtypes)[name]}" for name in keep)
    schema = f"{kept}, {CHECK_FIELDS}" if kept else CHECK_FIELDS
    keep = tuple(keep)

    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        return _check_rows(shared.value, frames, request_col, keep)

    return requests.select(*keep, request_col).mapInPandas(run, schema=schema)
