"""Lookback audit: was each past collection contact lawful when it was made?

A lookback review asks of every historical contact the question the pre-send
check asks of a proposed one. Each event of a contact log becomes a
``ProposedAction`` at its own time, with the borrower's earlier events as its
``history`` and the borrower context in force at that time, and is decided by
``Policy.check``: there is no second evaluator.

Per borrower the events are sorted by time (ties by event id, so any input
order gives the same verdicts). The history handed to each check is bounded:

* a sliding window of the most recent events, as long as the longest window
  any loaded rule counts in (frequency windows, cooldowns, spacing, consent
  exemptions, declared inconvenient times), computed from the rules'
  parameters by ``history_horizon``;
* plus the few older events that rules without a time limit still read
  ("landmarks"): the borrower's own inbound contacts, the latest outbound
  event per medium and address (opt-out confirmations and replies, the one
  reply to a contact from a declared inconvenient place), location-information
  contacts (one per person, ever) and, for credit-report events only, the
  notices and conversations that 12 CFR 1006.30(a) looks back to.

Each event therefore costs the same however long the borrower's history is;
the whole audit is O(n log n) (the sort). Landmarks are a small set in a real
log; ``HistoryHorizon`` documents which rule kinds need them, and a check kind
the module does not know gets the whole history (exact, not bounded).

Borrower context (location, phones, consents, opt-outs, cease requests...)
comes from ``BorrowerContext`` records keyed by borrower id. A record may
carry ``valid_from``: an event is decided with the latest record in force at
its time (a slowly changing dimension), so facts the request model cannot
date (an attorney, a bankruptcy, a move) are still event-time correct.
Facts that carry their own time (``cease_request.received_at``,
``opt_outs[].at``, ``consents[].given_at``, ``disputes[].received_at``,
``workplace_contact_prohibited.since``) are applied by the checks themselves
from that time on.

Opt-outs the log itself records are derived too: an inbound electronic
message (SMS, email, social-media or in-app message) whose whole text or
subject is an opt-out keyword (``STOP``, ``UNSUBSCRIBE``, ``退订``...; see
``OPT_OUT_REPLIES``) opts its medium out for the address it came from, from
its time on, as if the context listed it in ``borrower.opt_outs``. A request
worded otherwise ("please don't text me") is still a request not to use the
medium (12 CFR 1006.14(h)) but is not read from free text: give it in the
context.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)

from fair_collect.checks import DEFAULT_CHECKS
from fair_collect.checks.channels import ELECTRONIC_CHANNELS
from fair_collect.engine import Policy, load_policy
from fair_collect.errors import FieldProblem, InputError
from fair_collect.model import (
    ADDRESS_KINDS_BY_CHANNEL,
    MEDIUM,
    AddressKind,
    Borrower,
    Channel,
    Collector,
    CollectorType,
    ContactEvent,
    Debt,
    Instant,
    JurisdictionCode,
    Message,
    OptOut,
    Outcome,
    ProposedAction,
    Purpose,
    Recipient,
    RecipientRole,
)

__all__ = [
    "OPT_OUT_REPLIES",
    "AuditEvent",
    "AuditResult",
    "AuditSummary",
    "BorrowerContext",
    "EventInputError",
    "EventVerdict",
    "HistoryHorizon",
    "SummaryBuilder",
    "audit",
    "audit_borrower",
    "derived_opt_out",
    "history_horizon",
    "iter_audit",
    "load_audit_policy",
    "read_contexts",
    "read_events",
    "summarize",
]

EVENT_FORMATS = ("jsonl", "csv", "parquet")


# ------------------------------------------------------------------ input


def _split_ids(value: object) -> object:
    """``debt_ids`` as a list, or in a CSV cell as ``D1;D2`` (``|`` and ``,`` also
    separate); an empty cell is unknown (None)."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text.startswith("["):
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                return value
        for sep in ("|", ","):
            text = text.replace(sep, ";")
        return [part.strip() for part in text.split(";") if part.strip()]
    if value is not None and not isinstance(value, list | tuple):
        # pandas / Arrow hand lists over as arrays
        tolist = getattr(value, "tolist", None)
        if callable(tolist):
            return tolist()
    return value


def _blank_none(value: object) -> object:
    """An empty CSV cell (or a pandas NaN) is an unknown value."""
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def _bool_cell(value: object) -> object:
    value = _blank_none(value)
    return False if value is None else value


Opt = BeforeValidator(_blank_none)
Flag = Annotated[bool, BeforeValidator(_bool_cell)]


class AuditEvent(BaseModel):
    """One attempted or completed contact from a dialer, SMS or email log.

    One row per attempt (an unanswered call is an event too). ``outcome`` is
    what happened, as in a request's history; the audit decides the attempt
    itself, so a deny means the attempt should not have been made, whatever
    its outcome. ``direction: inbound`` rows (the borrower called or wrote)
    are not decided: they are history for later events (replies, qualified
    addresses). ``at`` must carry an offset; its local month is the month of
    the summary. Empty values are unknown and are counted against the
    collector (fail closed), as in a request.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    event_id: Annotated[str, Field(min_length=1)]
    borrower_id: Annotated[str, Field(min_length=1)]
    at: Instant
    channel: Channel
    debt_ids: Annotated[
        tuple[Annotated[str, Field(min_length=1)], ...] | None, BeforeValidator(_split_ids)
    ] = None
    outcome: Annotated[Outcome | None, Opt] = None
    direction: Annotated[
        Literal["outbound", "inbound"], BeforeValidator(lambda v: _blank_none(v) or "outbound")
    ] = "outbound"
    purpose: Annotated[Purpose, BeforeValidator(lambda v: _blank_none(v) or "collection")] = (
        "collection"
    )
    recipient_role: Annotated[RecipientRole | None, Opt] = None
    recipient_address: Annotated[str | None, Opt] = None
    address_kind: Annotated[AddressKind | None, Opt] = None
    recipient_name: Annotated[str | None, Opt] = None
    message_text: Annotated[str | None, Opt] = None
    message_subject: Annotated[str | None, Opt] = None
    automated: Flag = False
    by_agency: Flag = False
    with_consent: Flag = False
    collector_type: Annotated[CollectorType | None, Opt] = None

    def history_entry(self) -> ContactEvent:
        """The event as a ``history`` entry of later actions (already validated:
        built without a second validation, its instant in UTC as ``ContactEvent``
        keeps it)."""
        return ContactEvent.model_construct(
            at=self.at.astimezone(UTC),
            channel=self.channel,
            direction=self.direction,
            purpose=self.purpose,
            recipient_role=self.recipient_role,
            recipient_name=self.recipient_name,
            address=self.recipient_address,
            debt_ids=self.debt_ids,
            outcome=self.outcome,
            by_agency=self.by_agency,
            with_consent=self.with_consent,
            # A kind that does not fit the channel (the event's own verdict is
            # an error) is left unknown, so that it counts under every cap.
            address_kind=self.address_kind
            if self.address_kind in ADDRESS_KINDS_BY_CHANNEL[self.channel]
            else None,
        )


class BorrowerContext(BaseModel):
    """What the collector knew about a borrower, from ``valid_from`` on.

    ``borrower`` and ``debts`` are the request's (SPEC.md section 2);
    ``collector`` and ``jurisdictions`` too. Several records per borrower are
    versions: an event uses the latest whose ``valid_from`` is at or before
    its time (a record without ``valid_from`` holds from the beginning). An
    event with no record in force is decided without borrower facts, so the
    rules that need them fail closed (``missing_fact``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    borrower_id: Annotated[str, Field(min_length=1)]
    valid_from: Instant | None = None
    borrower: Borrower | None = None
    debts: tuple[Debt, ...] = ()
    collector: Collector | None = None
    jurisdictions: tuple[JurisdictionCode, ...] | None = None


class EventInputError(InputError):
    """Invalid rows of an events or context file; each problem names the line
    (or Parquet row) and the field: ``loc`` is ``"line 12: at"``."""


def _problems(exc: ValidationError, where: str) -> list[FieldProblem]:
    out = []
    for err in exc.errors(include_url=False):
        fieldname = ".".join(str(p) for p in err["loc"]) or "<row>"
        out.append(FieldProblem(loc=f"{where}: {fieldname}", type=err["type"], msg=err["msg"]))
    return out


def _fmt_of(path: Path, fmt: str | None) -> str:
    if fmt:
        if fmt not in EVENT_FORMATS:
            raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(EVENT_FORMATS)})")
        return fmt
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    return "jsonl"


def _rows(path: Path, fmt: str | None) -> Iterator[tuple[str, Any]]:
    """(where, raw row) pairs: ``where`` is ``line N`` or ``row N``."""
    kind = _fmt_of(path, fmt)
    if kind == "parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError(
                "reading Parquet needs pyarrow: pip install 'fair_collect[audit]'"
            ) from exc
        number = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=8192):
            for row in batch.to_pylist():
                number += 1
                yield f"row {number}", row
        return
    with path.open(encoding="utf-8", newline="") as handle:
        if kind == "csv":
            reader = csv.DictReader(handle)
            for row in reader:
                extra = row.pop(None, None)
                if extra:
                    row["<extra columns>"] = extra
                yield f"line {reader.line_num}", row
            return
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield f"line {number}", json.loads(line)
            except json.JSONDecodeError as exc:
                yield f"line {number}", _BadJson(exc.msg)


@dataclass(frozen=True, slots=True)
class _BadJson:
    msg: str


def _validate_rows(
    rows: Iterable[tuple[str, Any]], model: type[BaseModel], limit: int
) -> Iterator[Any]:
    problems: list[FieldProblem] = []
    for where, row in rows:
        if isinstance(row, _BadJson):
            problems.append(FieldProblem(loc=f"{where}: <row>", type="json_invalid", msg=row.msg))
        elif not isinstance(row, dict):
            problems.append(
                FieldProblem(loc=f"{where}: <row>", type="row_type", msg="expected a JSON object")
            )
        else:
            try:
                item = model.model_validate(row)
            except ValidationError as exc:
                problems.extend(_problems(exc, where))
            else:
                if not problems:
                    yield item
        if len(problems) >= limit:
            break
    if problems:
        raise EventInputError(problems)


def read_events(
    path: str | Path, *, fmt: str | None = None, max_problems: int = 50
) -> list[AuditEvent]:
    """Read and validate a contact log: JSON Lines (default), CSV (a header row
    with the ``AuditEvent`` field names; ``debt_ids`` as ``D1;D2``) or Parquet.
    Raises ``EventInputError`` naming the line or row and field of each bad
    value (up to ``max_problems``)."""
    return list(_validate_rows(_rows(Path(path), fmt), AuditEvent, max_problems))


def read_contexts(path: str | Path, *, max_problems: int = 50) -> list[BorrowerContext]:
    """Read borrower context records, one JSON object per line (``BorrowerContext``)."""
    return list(_validate_rows(_rows(Path(path), "jsonl"), BorrowerContext, max_problems))


# ------------------------------------------------------------- the horizon

#: Check kinds that never read the history.
_HISTORY_FREE = frozenset(
    {
        "address_kind",
        "attorney_representation",
        "automated_call_consent",
        "borrower_status",
        "cease_communication",
        "channel_for_purpose",
        "collector_flag",
        "consent_missing",
        "debt_flag",
        "employer_email",
        "envelope_wording",
        "local_time_window",
        "message_flag",
        "message_terms",
        "message_visibility",
        "pending_dispute",
        "personal_data",
        "prohibited_channel",
        "required_content",
        "third_party_recipient",
        "wording",
        "workplace_contact",
    }
)

#: Slack added to every window: a window of local days reaches one day
#: further back for the local day's start, and one more for the widest UTC
#: offsets and daylight-saving shifts (as the frequency checks do themselves).
_SLACK = timedelta(days=2)

Landmark = Literal["inbound", "latest_outbound", "location", "reporting"]


@dataclass(frozen=True, slots=True)
class _LocationFilter:
    purposes: frozenset[str | None]
    consumer_roles: frozenset[str]

    def keeps(self, event: AuditEvent) -> bool:
        return (
            event.direction == "outbound"
            and event.purpose in self.purposes
            and event.recipient_role not in self.consumer_roles
        )


@dataclass(frozen=True, slots=True)
class _ReportingFilter:
    notice_channels: frozenset[str]
    conversation_channels: frozenset[str]

    def keeps(self, event: AuditEvent) -> bool:
        if event.direction == "outbound" and event.channel in self.notice_channels:
            return True
        return event.outcome == "conversation" and event.channel in self.conversation_channels


@dataclass(frozen=True, slots=True)
class HistoryHorizon:
    """How much history the loaded rules can read, from their parameters.

    ``window``: the longest span before an action that a windowed rule counts
    in (``None``: some rule reads the whole history, so nothing is dropped).
    ``landmarks``: per channel, the older events the rules binding that
    channel still read (see the module docstring). ``unbounded``: channels on
    which a rule of a check kind this module does not know applies; events on
    them get the whole history.
    """

    window: timedelta
    landmarks: Mapping[str, frozenset[Landmark]]
    unbounded: frozenset[str]
    location: tuple[_LocationFilter, ...] = ()
    reporting: tuple[_ReportingFilter, ...] = ()

    def describe(self) -> dict[str, Any]:
        return {
            "window_days": round(self.window / timedelta(days=1), 3),
            "landmarks": {c: sorted(v) for c, v in sorted(self.landmarks.items()) if v},
            "unbounded_channels": sorted(self.unbounded),
        }


def _leaves(raw: Any) -> Iterator[tuple[str, Any]]:
    ((name, value),) = raw.items()
    if name in ("all", "any"):
        for item in value:
            yield from _leaves(item)
    elif name == "not":
        yield from _leaves(value)
    else:
        yield name, value or {}


def history_horizon(policy: Policy) -> HistoryHorizon:
    """The history the policy's rules need, read from each rule's check parameters.

    Windows come from ``contact_count.window_days``, ``cooldown_after.days``,
    ``contact_spacing.min_minutes``, ``consent_exemption.valid_days`` and the
    two local days a declared inconvenient time can span; each gets two days
    of slack for local days and UTC offsets.
    """
    window = timedelta(days=3)  # declared_inconvenient_time: today and yesterday's span
    landmarks: dict[str, set[Landmark]] = {}
    unbounded: set[str] = set()
    location: list[_LocationFilter] = []
    reporting: list[_ReportingFilter] = []
    from fair_collect.model import CHANNELS

    for rule in policy.rules:
        channels = tuple(rule.channels) if rule.channels is not None else CHANNELS
        for name, raw in _leaves(rule.spec.check):
            needs: set[Landmark] = set()
            if name in _HISTORY_FREE or name == "declared_inconvenient_time":
                pass
            elif name in ("contact_count", "cooldown_after", "contact_spacing"):
                params = DEFAULT_CHECKS[name].params.model_validate(raw)
                if name == "contact_count":
                    span = timedelta(days=params.window_days)  # type: ignore[attr-defined]
                elif name == "cooldown_after":
                    span = timedelta(days=params.days)  # type: ignore[attr-defined]
                else:
                    span = timedelta(minutes=params.min_minutes)  # type: ignore[attr-defined]
                exemption = getattr(params, "consent_exemption", None)
                if exemption is not None:
                    span = max(span, timedelta(days=exemption.valid_days))
                window = max(window, span + _SLACK)
            elif name == "qualified_electronic_address":
                needs = {"inbound"}
            elif name in ("medium_opt_out", "declared_inconvenient_place"):
                needs = {"inbound", "latest_outbound"}
            elif name == "location_contact_limit":
                params = DEFAULT_CHECKS[name].params.model_validate(raw)
                purposes: set[str | None] = set(params.purposes)  # type: ignore[attr-defined]
                if params.unknown_purpose == "count":  # type: ignore[attr-defined]
                    purposes.add(None)
                location.append(
                    _LocationFilter(
                        frozenset(purposes),
                        frozenset(params.consumer_roles),  # type: ignore[attr-defined]
                    )
                )
                needs = {"location"}
            elif name == "contact_before_reporting":
                params = DEFAULT_CHECKS[name].params.model_validate(raw)
                reporting.append(
                    _ReportingFilter(
                        frozenset(params.notice_channels),  # type: ignore[attr-defined]
                        frozenset(params.conversation_channels),  # type: ignore[attr-defined]
                    )
                )
                needs = {"reporting"}
            else:
                unbounded.update(channels)
            for channel in channels:
                landmarks.setdefault(channel, set()).update(needs)
    return HistoryHorizon(
        window=window,
        landmarks={c: frozenset(v) for c, v in landmarks.items()},
        unbounded=frozenset(unbounded),
        location=tuple(location),
        reporting=tuple(reporting),
    )


# --------------------------------------------------------------- verdicts


class EventVerdict(BaseModel):
    """The audit's answer for one event.

    ``outcome``: ``allow`` / ``deny`` as ``Policy.check`` decided the attempt;
    ``not_audited`` for inbound events (history only); ``error`` when the
    event and its context do not make a valid request (``error`` says why).
    ``rule_ids``, ``codes``, ``categories`` and ``citations`` come from the
    deny reasons, most relevant first; ``warnings`` lists the rule ids of
    warnings. ``month`` is the local month of ``at`` as written.
    ``jurisdiction_source``: where the verdict's jurisdictions came from;
    ``all_packs`` means no loaded pack for the event's jurisdiction was in
    force at its time (or none was known), so every loaded pack decided it:
    fail closed before a send, but in a lookback over data older than a
    pack's effective date such denials may be another law's. The summary
    counts them, so an auditor can set them apart.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str
    borrower_id: str
    at: str
    month: str
    channel: str
    outcome: Literal["allow", "deny", "not_audited", "error"]
    rule_ids: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    jurisdiction_source: str | None = None
    #: The pack of each deny rule, in the order of ``rule_ids``.
    rule_packs: tuple[str, ...] = ()
    next_allowed_at: str | None = None
    history_used: int = 0
    error: str | None = None

    def key(self) -> tuple[Any, ...]:
        """Everything but ``history_used``: what two audits must agree on."""
        return tuple(v for k, v in self.model_dump().items() if k != "history_used")


def _verdict_row(event: AuditEvent, **fields: Any) -> EventVerdict:
    # Every value comes from validated models: construct without validating again.
    return EventVerdict.model_construct(
        event_id=event.event_id,
        borrower_id=event.borrower_id,
        at=event.at.isoformat(),
        month=event.at.strftime("%Y-%m"),
        channel=event.channel,
        **fields,
    )


# ----------------------------------------------------------- per borrower


def _medium_key(event: AuditEvent) -> tuple[str, str | None, bool]:
    return (
        MEDIUM[event.channel],
        event.recipient_address,
        event.recipient_role in (None, "borrower"),
    )


class _BorrowerHistory:
    """The bounded history of one borrower as the audit walks forward in time."""

    def __init__(self, horizon: HistoryHorizon | None) -> None:
        self.horizon = horizon
        self.window: deque[tuple[float, ContactEvent, AuditEvent]] = deque()
        self.everything: list[ContactEvent] = []  # only without a horizon
        self.inbound: list[ContactEvent] = []
        self.latest_outbound: dict[tuple[str, str | None, bool], ContactEvent] = {}
        self.location: list[ContactEvent] = []
        self.reporting: list[ContactEvent] = []
        self.retired: list[ContactEvent] = []  # only for unknown check kinds

    def before(self, event: AuditEvent, ts: float) -> tuple[ContactEvent, ...]:
        horizon = self.horizon
        if horizon is None:
            return tuple(self.everything)
        since = ts - horizon.window.total_seconds()
        while self.window and self.window[0][0] < since:
            _, entry, old = self.window.popleft()
            self._retire(entry, old)
        recent = tuple(entry for _, entry, _ in self.window)
        if event.channel in horizon.unbounded:
            return (*self.retired, *recent)
        needs = horizon.landmarks.get(event.channel, frozenset())
        if not needs:
            return recent
        older: dict[int, ContactEvent] = {}
        if "inbound" in needs:
            older.update((id(e), e) for e in self.inbound)
        if "latest_outbound" in needs:
            older.update((id(e), e) for e in self.latest_outbound.values())
        if "location" in needs:
            older.update((id(e), e) for e in self.location)
        if "reporting" in needs:
            older.update((id(e), e) for e in self.reporting)
        return (*older.values(), *recent)

    def _retire(self, entry: ContactEvent, event: AuditEvent) -> None:
        horizon = self.horizon
        assert horizon is not None
        if horizon.unbounded:
            self.retired.append(entry)
        if event.direction == "inbound":
            self.inbound.append(entry)
        else:
            self.latest_outbound[_medium_key(event)] = entry
        if any(f.keeps(event) for f in horizon.location):
            self.location.append(entry)
        if any(f.keeps(event) for f in horizon.reporting):
            self.reporting.append(entry)

    def add(self, ts: float, entry: ContactEvent, event: AuditEvent) -> None:
        if self.horizon is None:
            self.everything.append(entry)
        else:
            self.window.append((ts, entry, event))


def _context_at(contexts: Sequence[BorrowerContext], at: datetime) -> BorrowerContext | None:
    found = None
    for ctx in contexts:  # sorted by valid_from, None first
        if ctx.valid_from is None or ctx.valid_from <= at:
            found = ctx
        else:
            break
    return found


def _sort_contexts(contexts: Iterable[BorrowerContext]) -> list[BorrowerContext]:
    return sorted(
        contexts,
        key=lambda c: (c.valid_from is not None, c.valid_from.timestamp() if c.valid_from else 0),
    )


def _request(
    event: AuditEvent,
    ctx: BorrowerContext | None,
    history: tuple[ContactEvent, ...],
    opt_outs: tuple[OptOut, ...] = (),
) -> ProposedAction:
    borrower = ctx.borrower if ctx is not None else None
    if borrower is None:
        borrower = Borrower(id=event.borrower_id)
    elif borrower.id is None:
        borrower = borrower.model_copy(update={"id": event.borrower_id})
    if opt_outs:
        borrower = borrower.model_copy(update={"opt_outs": (*borrower.opt_outs, *opt_outs)})
    collector = ctx.collector if ctx is not None else None
    if event.collector_type is not None:
        collector = (
            collector.model_copy(update={"type": event.collector_type})
            if collector is not None
            else Collector(type=event.collector_type)
        )
    if event.by_agency:
        collector = (
            collector.model_copy(update={"agency": True})
            if collector is not None
            else Collector(agency=True)
        )
    message = None
    if event.message_text is not None or event.message_subject is not None:
        message = Message(text=event.message_text, subject=event.message_subject)
    data: dict[str, Any] = {
        "channel": event.channel,
        "at": event.at,
        "automated": event.automated,
        "purpose": event.purpose,
        "debt_ids": event.debt_ids,
        "recipient": Recipient(
            role=event.recipient_role,
            address=event.recipient_address,
            address_kind=event.address_kind,
            name=event.recipient_name,
        ),
        "message": message,
        "collector": collector,
        "borrower": borrower,
        "debts": ctx.debts if ctx is not None else (),
        "history": history,
    }
    if ctx is not None and ctx.jurisdictions:
        data["jurisdictions"] = ctx.jurisdictions
    return ProposedAction.model_validate(data)


#: Whole replies that opt out of the medium they are sent on: the keywords
#: carriers honour for text messages and the FCC's 2024 order on revoking
#: consent names (stop, quit, end, revoke, opt out, cancel, unsubscribe),
#: "stop all", and 退订 / TD, the unsubscribe replies of Chinese SMS.
OPT_OUT_REPLIES = frozenset(
    {
        "stop",
        "stop all",
        "stopall",
        "quit",
        "end",
        "revoke",
        "opt out",
        "optout",
        "cancel",
        "unsubscribe",
        "退订",
        "td",
    }
)
_NOT_A_WORD = re.compile(r"[\W_]+")


def derived_opt_out(event: AuditEvent) -> OptOut | None:
    """The opt-out an inbound electronic message makes when its whole text (or,
    for an email, its subject) is one of ``OPT_OUT_REPLIES``, ignoring case,
    spaces and punctuation; None otherwise. It covers the address the message
    came from (``recipient_address``; every address of the medium when the log
    does not say) from the message's time on."""
    if event.direction != "inbound" or event.channel not in ELECTRONIC_CHANNELS:
        return None
    for text in (event.message_text, event.message_subject):
        if text and _NOT_A_WORD.sub(" ", text.casefold()).strip() in OPT_OUT_REPLIES:
            return OptOut(channel=event.channel, address=event.recipient_address, at=event.at)
    return None


def _sort_key(event: AuditEvent) -> tuple[float, str]:
    return (event.at.timestamp(), event.event_id)


def audit_borrower(
    policy: Policy,
    events: Iterable[AuditEvent],
    contexts: Iterable[BorrowerContext] = (),
    *,
    horizon: HistoryHorizon | None = None,
    bounded: bool = True,
) -> Iterator[EventVerdict]:
    """Decide every event of one borrower, oldest first (ties by event id).

    The one per-borrower function both the pure-Python audit and the Spark
    audit call. ``horizon`` defaults to ``history_horizon(policy)``;
    ``bounded=False`` hands every check the whole earlier history (slow,
    for checking that the bound changes nothing).
    """
    if bounded and horizon is None:
        horizon = history_horizon(policy)
    ordered = sorted(events, key=_sort_key)
    versions = _sort_contexts(contexts)
    state = _BorrowerHistory(horizon if bounded else None)
    opt_outs: list[OptOut] = []  # derived from the log (see ``derived_opt_out``)
    for event in ordered:
        ts = event.at.timestamp()
        history = state.before(event, ts)
        entry = event.history_entry()
        if event.direction == "inbound":
            yield _verdict_row(event, outcome="not_audited", history_used=len(history))
            opt_out = derived_opt_out(event)
            if opt_out is not None:
                opt_outs.append(opt_out)
        else:
            ctx = _context_at(versions, event.at)
            yield _decide(policy, event, ctx, history, tuple(opt_outs))
        state.add(ts, entry, event)


def _decide(
    policy: Policy,
    event: AuditEvent,
    ctx: BorrowerContext | None,
    history: tuple[ContactEvent, ...],
    opt_outs: tuple[OptOut, ...] = (),
) -> EventVerdict:
    try:
        request = _request(event, ctx, history, opt_outs)
        verdict = policy.check(request)
    except (ValidationError, InputError) as exc:
        if isinstance(exc, ValidationError):
            text = "; ".join(str(p) for p in _problems(exc, "request"))
        else:
            text = "; ".join(str(p) for p in exc.problems)
        return _verdict_row(event, outcome="error", error=text, history_used=len(history))
    reasons = verdict.reasons
    citations: dict[str, None] = {}
    for reason in reasons:
        for citation in reason.citations:
            citations.setdefault(citation.source)
    return _verdict_row(
        event,
        outcome=verdict.outcome,
        rule_ids=tuple(r.rule_id for r in reasons),
        codes=tuple(r.code for r in reasons),
        categories=tuple(r.category for r in reasons),
        citations=tuple(citations),
        warnings=tuple(w.rule_id for w in verdict.warnings),
        jurisdictions=verdict.jurisdictions,
        jurisdiction_source=verdict.jurisdiction_source,
        rule_packs=tuple(r.pack for r in reasons),
        next_allowed_at=verdict.next_allowed_at.isoformat()
        if verdict.next_allowed_at is not None and not verdict.allowed
        else None,
        history_used=len(history),
    )


# ------------------------------------------------------------------ audit


def load_audit_policy(
    packs: Iterable[str | Path] | None = None, *, pins: Mapping[str, str] | None = None
) -> Policy:
    """``load_policy(packs)`` with ``pins`` (pack id -> ``sha256:...``, as a
    verdict's ``packs`` lists them) as its ``require_digests``: an audit under
    pinned versions runs on exactly those rules or not at all. Give the folder
    of an older pack version with ``packs`` to audit under it."""
    return load_policy(packs, require_digests=pins or None)


def group_by_borrower(events: Iterable[AuditEvent]) -> dict[str, list[AuditEvent]]:
    groups: dict[str, list[AuditEvent]] = {}
    for event in events:
        groups.setdefault(event.borrower_id, []).append(event)
    return groups


def iter_audit(
    policy: Policy,
    events: Iterable[AuditEvent | Mapping[str, Any]],
    contexts: Iterable[BorrowerContext | Mapping[str, Any]] = (),
    *,
    horizon: HistoryHorizon | None = None,
    bounded: bool = True,
) -> Iterator[EventVerdict]:
    """The verdicts of a contact log as they are decided: borrowers in id
    order, each borrower's events in time order. ``contexts``:
    ``BorrowerContext`` records (or mappings of their fields). What ``audit``
    and ``fair-collect audit`` share; the command streams verdicts to a file
    and a summary instead of keeping them."""
    horizon = horizon if horizon is not None else history_horizon(policy)
    parsed = [e if isinstance(e, AuditEvent) else AuditEvent.model_validate(e) for e in events]
    by_borrower: dict[str, list[BorrowerContext]] = {}
    for ctx in contexts:
        item = ctx if isinstance(ctx, BorrowerContext) else BorrowerContext.model_validate(ctx)
        by_borrower.setdefault(item.borrower_id, []).append(item)
    groups = group_by_borrower(parsed)
    for borrower_id in sorted(groups):
        yield from audit_borrower(
            policy,
            groups[borrower_id],
            by_borrower.get(borrower_id, ()),
            horizon=horizon,
            bounded=bounded,
        )


def audit(
    events: Iterable[AuditEvent | Mapping[str, Any]],
    contexts: Iterable[BorrowerContext | Mapping[str, Any]] = (),
    *,
    policy: Policy | None = None,
    bounded: bool = True,
    on_event: Callable[[EventVerdict], None] | None = None,
) -> list[EventVerdict]:
    """Audit a contact log: one verdict per event, borrowers in id order, each
    borrower's events in time order. ``contexts``: ``BorrowerContext`` records
    (or mappings of their fields). ``policy`` defaults to every shipped pack."""
    policy = policy if policy is not None else load_policy()
    out: list[EventVerdict] = []
    for verdict in iter_audit(policy, events, contexts, bounded=bounded):
        out.append(verdict)
        if on_event is not None:
            on_event(verdict)
    return out


# ---------------------------------------------------------------- summary


class AuditSummary(BaseModel):
    """Counts over an audit: per rule, jurisdiction and month, and the worst borrowers.

    ``by_rule``: denied events per rule id. ``by_jurisdiction``: events and
    denied events per jurisdiction code of the events. ``by_month``: events
    and denied events per local month. ``rows``: denied events per (rule,
    the rule's pack, month). ``worst_borrowers``: the borrowers with the most
    denied events (ties by borrower id).
    """

    model_config = ConfigDict(frozen=True)

    events: int
    audited: int
    allowed: int
    denied: int
    errors: int
    not_audited: int
    #: Audited events decided by every loaded pack, no pack for their
    #: jurisdiction being in force (``EventVerdict.jurisdiction_source``), and
    #: how many of them were denied.
    under_every_pack: dict[str, int] = {"events": 0, "denied": 0}
    by_rule: dict[str, int]
    by_code: dict[str, int]
    by_jurisdiction: dict[str, dict[str, int]]
    by_month: dict[str, dict[str, int]]
    rows: list[dict[str, Any]]
    worst_borrowers: list[dict[str, Any]]
    packs: list[dict[str, str]] = []
    history_window_days: float | None = None

    def render_text(self) -> str:
        lines = [
            f"{self.events} events: {self.audited} audited, {self.denied} denied,"
            f" {self.allowed} allowed, {self.errors} errors, {self.not_audited} inbound (history only)",
        ]
        if self.packs:
            lines.append("packs: " + ", ".join(f"{p['id']} {p['version']}" for p in self.packs))
        if self.under_every_pack["events"]:
            lines.append(
                f"{self.under_every_pack['events']} events ({self.under_every_pack['denied']} denied)"
                " were decided by every loaded pack: no pack for their jurisdiction was in force"
                " at their time (jurisdiction_source all_packs)"
            )
        if self.by_rule:
            lines.append("")
            lines.append("denied events by rule:")
            width = max(len(r) for r in self.by_rule)
            for rule_id, count in self.by_rule.items():
                lines.append(f"  {rule_id:<{width}}  {count:>8}")
        if self.by_jurisdiction:
            lines.append("")
            lines.append("by jurisdiction (denied / events):")
            for code, counts in self.by_jurisdiction.items():
                lines.append(f"  {code:<12} {counts['denied']:>8} / {counts['events']}")
        if self.by_month:
            lines.append("")
            lines.append("by month (denied / events):")
            for month, counts in self.by_month.items():
                lines.append(f"  {month:<12} {counts['denied']:>8} / {counts['events']}")
        if self.worst_borrowers:
            lines.append("")
            lines.append("borrowers with the most denied events:")
            for row in self.worst_borrowers:
                codes = ", ".join(f"{c} x{n}" for c, n in row["codes"].items())
                lines.append(
                    f"  {row['borrower_id']:<16} {row['denied']:>6} of {row['events']}  {codes}"
                )
        return "\n".join(lines) + "\n"


@dataclass
class SummaryBuilder:
    """Builds an ``AuditSummary`` one verdict at a time (constant memory per key)."""

    top: int = 10
    counts: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    by_code: Counter[str] = field(default_factory=Counter)
    juris_events: Counter[str] = field(default_factory=Counter)
    juris_denied: Counter[str] = field(default_factory=Counter)
    month_events: Counter[str] = field(default_factory=Counter)
    month_denied: Counter[str] = field(default_factory=Counter)
    rows: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    borrower_events: Counter[str] = field(default_factory=Counter)
    borrower_denied: Counter[str] = field(default_factory=Counter)
    borrower_codes: dict[str, Counter[str]] = field(default_factory=dict)
    every_pack: Counter[str] = field(default_factory=Counter)

    def add(self, verdict: EventVerdict) -> None:
        self.counts[verdict.outcome] += 1
        if verdict.outcome == "not_audited":
            return
        denied = verdict.outcome == "deny"
        if verdict.jurisdiction_source == "all_packs":
            self.every_pack["events"] += 1
            self.every_pack["denied"] += denied
        self.month_events[verdict.month] += 1
        self.borrower_events[verdict.borrower_id] += 1
        for code in verdict.jurisdictions or ("(none)",):
            self.juris_events[code] += 1
            if denied:
                self.juris_denied[code] += 1
        if not denied:
            return
        self.month_denied[verdict.month] += 1
        self.borrower_denied[verdict.borrower_id] += 1
        codes = self.borrower_codes.setdefault(verdict.borrower_id, Counter())
        for rule_id, code, pack in zip(
            verdict.rule_ids, verdict.codes, verdict.rule_packs or verdict.rule_ids, strict=False
        ):
            self.by_rule[rule_id] += 1
            self.by_code[code] += 1
            codes[code] += 1
            self.rows[(rule_id, pack, verdict.month)] += 1

    def build(
        self, packs: Sequence[Mapping[str, str]] = (), horizon: HistoryHorizon | None = None
    ) -> AuditSummary:
        worst = heapq.nsmallest(
            self.top, self.borrower_denied.items(), key=lambda item: (-item[1], item[0])
        )
        return AuditSummary(
            events=sum(self.counts.values()),
            audited=self.counts["allow"] + self.counts["deny"] + self.counts["error"],
            allowed=self.counts["allow"],
            denied=self.counts["deny"],
            errors=self.counts["error"],
            not_audited=self.counts["not_audited"],
            under_every_pack={
                "events": self.every_pack["events"],
                "denied": self.every_pack["denied"],
            },
            by_rule=dict(sorted(self.by_rule.items(), key=lambda i: (-i[1], i[0]))),
            by_code=dict(sorted(self.by_code.items(), key=lambda i: (-i[1], i[0]))),
            by_jurisdiction={
                code: {"events": n, "denied": self.juris_denied[code]}
                for code, n in sorted(self.juris_events.items())
            },
            by_month={
                month: {"events": n, "denied": self.month_denied[month]}
                for month, n in sorted(self.month_events.items())
            },
            rows=[
                {"rule_id": r, "pack": p, "month": m, "denied": n}
                for (r, p, m), n in sorted(self.rows.items())
            ],
            worst_borrowers=[
                {
                    "borrower_id": borrower_id,
                    "denied": denied,
                    "events": self.borrower_events[borrower_id],
                    "codes": dict(self.borrower_codes[borrower_id].most_common()),
                }
                for borrower_id, denied in worst
            ],
            packs=[dict(p) for p in packs],
            history_window_days=round(horizon.window / timedelta(days=1), 3)
            if horizon is not None
            else None,
        )


def summarize(
    verdicts: Iterable[EventVerdict], *, top: int = 10, policy: Policy | None = None
) -> AuditSummary:
    """The summary of a list of verdicts (``policy`` adds the packs and window)."""
    builder = SummaryBuilder(top=top)
    for verdict in verdicts:
        builder.add(verdict)
    if policy is None:
        return builder.build()
    packs = [{"id": p.id, "version": p.ref.version, "digest": p.ref.digest} for p in policy.packs]
    return builder.build(packs, history_horizon(policy))


@dataclass(frozen=True, slots=True)
class AuditResult:
    verdicts: list[EventVerdict]
    summary: AuditSummary


def write_verdicts(verdicts: Iterable[EventVerdict], out: io.TextIOBase | Any) -> int:
    """Write verdicts as JSON Lines; returns the number written."""
    count = 0
    for verdict in verdicts:
        out.write(verdict.model_dump_json() + "\n")
        count += 1
    return count
