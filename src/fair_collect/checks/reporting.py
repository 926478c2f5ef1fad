"""Passive collection through credit reporting (12 CFR 1006.30(a)): before a debt
is furnished to a consumer reporting agency, the consumer must have been spoken
to about it, or sent a letter or electronic message about it that did not come
back within a waiting period.

The one channel check that waiting cures: ``next_pass`` is the start of the
first local day after the wait, in every candidate zone.

Facts that could only let the furnishing through (a delivered message, a
conversation about the debt) are read strictly: an unknown outcome, role or
debt does not establish them. A notice of undeliverability is read broadly:
for postal mail, whose addresses are written too many ways to compare, a
return recorded at any address about an overlapping or unknown debt counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field

from fair_collect.checks.base import CheckKind, CheckParams, Finding, PackContext
from fair_collect.checks.common import events_until, evidence_instant
from fair_collect.checks.frequency import missing_history
from fair_collect.checks.time import missing_zone
from fair_collect.facts.addresses import same_address
from fair_collect.facts.clock import day_start
from fair_collect.facts.core import Facts
from fair_collect.facts.history import ANY_DEBT
from fair_collect.facts.zones import ZoneCandidate
from fair_collect.model import LATEST, PHONE_CHANNELS, Channel, ContactEvent, Outcome, RecipientRole

__all__ = ["KINDS"]

#: How far ahead the wait is searched for ``next_pass``.
_HORIZON = timedelta(days=400)

DEBT_FACT = "debt_ids"

#: Why a debt may not be furnished yet. ``no_zone``: only a conversation could
#: pass without a time zone, and there was none (reported as a missing fact).
ReportStatus = Literal["no_contact", "waiting", "undeliverable", "no_zone"]


class ContactBeforeReportingParams(CheckParams):
    """Before furnishing a debt to a consumer reporting agency, speak to the
    consumer about it, or send a letter or electronic message about it and
    wait ``wait_days`` consecutive days (the day of sending not counted) with
    no notice that it was undeliverable (Regulation F 1006.30(a)).

    A message counts as sent when its outcome is one of
    ``delivered_outcomes``, or when it has no recorded outcome and its channel
    is one of ``sent_when_outcome_unknown`` (postal mail reports returns, not
    deliveries). Any other outcome (not in service, busy, no answer, ...)
    shows no delivery, and an email or text whose outcome is unknown may have
    bounced: neither counts (fail closed). A message whose own outcome is one
    of ``undeliverable_outcomes`` was sent and came back.

    A notice of undeliverability is a later event on the message's channel
    with one of ``undeliverable_outcomes``, at the same address (an unknown
    address may be the same) or, for ``returns_match_by_debt`` channels, at
    any address when it concerns a debt the message was about or an unknown
    debt.
    """

    wait_days: int = Field(default=14, ge=1, le=366)
    conversation_channels: tuple[Channel, ...] = Field(
        default=("call", "voicemail", "visit"), min_length=1
    )
    notice_channels: tuple[Channel, ...] = Field(default=("letter", "email", "sms"), min_length=1)
    consumer_roles: tuple[RecipientRole, ...] = Field(default=("borrower",), min_length=1)
    delivered_outcomes: tuple[Outcome, ...] = Field(
        default=("delivered", "opened", "replied"), min_length=1
    )
    undeliverable_outcomes: tuple[Outcome, ...] = Field(
        default=("undeliverable", "failed"), min_length=1
    )
    sent_when_outcome_unknown: tuple[Channel, ...] = ("letter",)
    returns_match_by_debt: tuple[Channel, ...] = ("letter",)
    validation_notice_counts: bool = True


@dataclass(frozen=True, slots=True)
class _Notice:
    """A letter or electronic message about the debt (channel None: the
    validation notice, whose channel and address the request does not record)."""

    channel: str | None
    address: str | None
    debt_ids: frozenset[str]
    sent: datetime
    sent_ts: float


@dataclass(frozen=True, slots=True)
class _Blocked:
    """The first debt that may not be furnished yet, and why."""

    debt_id: str
    status: ReportStatus
    notice: _Notice | None = None
    ready: datetime | None = None
    bounced: datetime | None = None


@dataclass(frozen=True, slots=True)
class ContactBeforeReporting:
    wait_days: int
    conversation_channels: frozenset[str]
    notice_channels: frozenset[str]
    roles: frozenset[str]
    delivered: frozenset[str]
    undeliverable: frozenset[str]
    unknown_outcome_sent: frozenset[str]
    returns_by_debt: frozenset[str]
    validation_notice_counts: bool
    fallback_zone: ZoneInfo | None

    @property
    def time_based(self) -> bool:
        return True  # the wait after a notice ends

    # -- facts of one debt

    def _about(self, event: ContactEvent, debt_id: str) -> bool:
        """The event concerned this debt and reached the consumer (both known)."""
        return (
            event.debt_ids is not None
            and debt_id in event.debt_ids
            and event.recipient_role in self.roles
        )

    def _sent(self, event: ContactEvent) -> bool:
        """The message went out: delivered, returned, or a letter with no outcome."""
        if event.outcome is None:
            return event.channel in self.unknown_outcome_sent
        return event.outcome in self.delivered or event.outcome in self.undeliverable

    def _notices(self, facts: Facts, debt_id: str, until: float | None) -> list[_Notice]:
        notices = []
        for event, ts in zip(*facts.base.history.ordered(), strict=True):
            if until is not None and ts > until:
                break
            if (
                event.direction == "outbound"
                and event.channel in self.notice_channels
                and self._about(event, debt_id)
                and self._sent(event)
            ):
                assert event.debt_ids is not None  # _about
                notices.append(
                    _Notice(event.channel, event.address, frozenset(event.debt_ids), event.at, ts)
                )
        if self.validation_notice_counts:
            debt = next((d for d in facts.request.debts if d.id == debt_id), None)
            sent = debt.validation_notice_sent_at if debt is not None else None
            if sent is not None and (until is None or sent.timestamp() <= until):
                notices.append(_Notice(None, None, frozenset((debt_id,)), sent, sent.timestamp()))
        return notices

    def _returns(self, event: ContactEvent, notice: _Notice) -> bool:
        """Whether ``event`` (an undeliverable outcome on the notice's channel) may
        be the notice coming back."""
        if event.recipient_role is not None and event.recipient_role not in self.roles:
            return False
        if notice.address is None or event.address is None:
            return True  # an unknown address may be the same one
        if same_address(event.address, notice.address, notice.channel in PHONE_CHANNELS):
            return True
        return notice.channel in self.returns_by_debt and (
            event.debt_ids is None or not notice.debt_ids.isdisjoint(event.debt_ids)
        )

    def _bounced(self, facts: Facts, notice: _Notice) -> datetime | None:
        """When a notice of undeliverability that may be this message's came in.

        The message's own undeliverable outcome, or a later event on its
        channel (for the validation notice, any notice channel) with such an
        outcome that may concern it (``_returns``). Any such notice known now
        counts, even one that came after the wait: the address is known to be
        bad.
        """
        for event, ts in events_until(facts):
            if ts < notice.sent_ts or event.outcome not in self.undeliverable:
                continue
            if notice.channel is None:
                if event.channel not in self.notice_channels:
                    continue
            elif event.channel != notice.channel:
                continue
            if self._returns(event, notice):
                return event.at
        return None

    def _ready(self, notice: _Notice, zones: tuple[ZoneCandidate, ...]) -> datetime:
        """The start of the first local day after the wait, in every candidate zone."""
        return max(
            day_start(
                notice.sent.astimezone(c.zone).date() + timedelta(days=self.wait_days + 1), c.zone
            )
            for c in zones
        )

    def _spoke(self, facts: Facts, debt_id: str) -> bool:
        return any(
            event.outcome == "conversation"
            and event.channel in self.conversation_channels
            and self._about(event, debt_id)
            for event, _ in events_until(facts)
        )

    def _debt(
        self, facts: Facts, debt_id: str, zones: tuple[ZoneCandidate, ...]
    ) -> _Blocked | None:
        if self._spoke(facts, debt_id):
            return None
        if not zones:
            return _Blocked(debt_id, "no_zone")  # days are local days
        waiting: list[tuple[datetime, _Notice]] = []
        bounced: list[tuple[datetime, _Notice]] = []
        for notice in self._notices(facts, debt_id, facts.at_ts):
            bounce = self._bounced(facts, notice)
            if bounce is not None:
                bounced.append((bounce, notice))
                continue
            ready = self._ready(notice, zones)
            if ready <= facts.at:
                return None
            waiting.append((ready, notice))
        if waiting:
            ready, notice = min(waiting, key=lambda pair: pair[0])
            return _Blocked(debt_id, "waiting", notice, ready=ready)
        if bounced:
            bounce, notice = max(bounced, key=lambda pair: pair[0])
            return _Blocked(debt_id, "undeliverable", notice, bounced=bounce)
        return _Blocked(debt_id, "no_contact")

    # -- the check

    def _zones(self, facts: Facts) -> tuple[ZoneCandidate, ...]:
        return facts.zones(self.fallback_zone)

    @staticmethod
    def _missing(facts: Facts) -> Finding | None:
        """A fact the check cannot do without, whatever the instant."""
        if facts.request.history is None:
            return missing_history()
        if ANY_DEBT in facts.base.debt_ids():
            return Finding(
                {
                    "fact": DEBT_FACT,
                    "needed": "which debt is furnished: debt_ids, or the debts of the request",
                },
                missing_fact=DEBT_FACT,
            )
        return None

    def _first_blocked(self, facts: Facts) -> _Blocked | None:
        """The first debt that may not be furnished at this instant (None: all may)."""
        zones = self._zones(facts)
        for debt_id in facts.base.debt_ids():
            blocked = self._debt(facts, debt_id, zones)
            if blocked is not None:
                return blocked
        return None

    def evaluate(self, facts: Facts) -> Finding | None:
        missing = self._missing(facts)
        if missing is not None:
            return missing
        blocked = self._first_blocked(facts)
        if blocked is None:
            return None
        if blocked.status == "no_zone":
            return missing_zone()
        notice = blocked.notice
        return Finding(
            {
                "debt_id": blocked.debt_id,
                "status": blocked.status,
                "wait_days": self.wait_days,
                "notice_channel": (notice.channel or "validation_notice") if notice else None,
                "notice_sent_at": evidence_instant(notice.sent, facts) if notice else None,
                "waiting_ends_at": evidence_instant(blocked.ready, facts),
                "undeliverable_at": evidence_instant(blocked.bounced, facts),
            }
        )

    def next_pass(self, facts: Facts) -> datetime | None:
        """The first instant at which every debt has a conversation or a waited-out
        notice: the check only starts to pass at a conversation or at the end of
        a wait, so those instants are the only candidates to try, in order."""
        if self._missing(facts) is not None:
            return None  # waiting cannot supply a missing fact
        blocked = self._first_blocked(facts)
        if blocked is None:
            return facts.at
        zones = self._zones(facts)
        if blocked.status == "no_zone" or not zones:
            return None
        limit = min(facts.at + _HORIZON, LATEST)
        candidates: set[datetime] = set()
        for debt_id in facts.base.debt_ids():
            for notice in self._notices(facts, debt_id, None):
                candidates.add(self._ready(notice, zones))
            for event, _ in zip(*facts.base.history.ordered(), strict=True):
                if (
                    event.outcome == "conversation"
                    and event.channel in self.conversation_channels
                    and self._about(event, debt_id)
                ):
                    candidates.add(event.at)
        for when in sorted(c for c in candidates if facts.at < c <= limit):
            if self._first_blocked(facts.at_instant(when)) is None:
                return when
        return None


def _build_reporting(
    params: ContactBeforeReportingParams, ctx: PackContext
) -> ContactBeforeReporting:
    return ContactBeforeReporting(
        wait_days=params.wait_days,
        conversation_channels=frozenset(params.conversation_channels),
        notice_channels=frozenset(params.notice_channels),
        roles=frozenset(params.consumer_roles),
        delivered=frozenset(params.delivered_outcomes),
        undeliverable=frozenset(params.undeliverable_outcomes),
        unknown_outcome_sent=frozenset(params.sent_when_outcome_unknown),
        returns_by_debt=frozenset(params.returns_match_by_debt),
        validation_notice_counts=params.validation_notice_counts,
        fallback_zone=ctx.time_zone,
    )


CONTACT_BEFORE_REPORTING = CheckKind(
    name="contact_before_reporting",
    params=ContactBeforeReportingParams,
    build=_build_reporting,
    evidence=frozenset(
        {
            "debt_id",
            "status",
            "wait_days",
            "notice_channel",
            "notice_sent_at",
            "waiting_ends_at",
            "undeliverable_at",
        }
    ),
    summary=(
        "Violated when a debt is furnished before the consumer was spoken to about it, or before"
        " wait_days have passed since a delivered letter or electronic message about it that did"
        " not come back."
    ),
)

KINDS: tuple[CheckKind, ...] = (CONTACT_BEFORE_REPORTING,)
