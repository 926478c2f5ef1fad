"""Frequency checks: counts in rolling windows of local days, cooldowns, spacing.

One mechanism serves every counting rule. Parameters say which earlier events
count (channels, directions, outcomes, consent, agency), how they are grouped
(per recipient, per address, per debt) and the window (N consecutive local
calendar days, the day of the action included). Days are local days in every
candidate zone, or in a fixed zone the rule names (China counts in
Asia/Shanghai); a rule must hold in every zone.

The proposed action itself counts as connected: a call that may be answered
must be allowed as if it will be.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from pydantic import Field

from fair_collect.checks.base import CheckKind, CheckParams, Finding, PackContext
from fair_collect.checks.common import consents_for_medium
from fair_collect.checks.time import missing_zone
from fair_collect.facts.clock import day_start
from fair_collect.facts.core import Facts
from fair_collect.facts.history import (
    ANY_DEBT,
    SINGULAR_ROLES,
    Concerning,
    EventKinds,
    address_key,
    same_person_roles,
)
from fair_collect.facts.zoneinfo_cache import get_zone
from fair_collect.facts.zones import ZoneCandidate
from fair_collect.model import (
    MEDIUM,
    AddressKind,
    Channel,
    Consent,
    ConsentKind,
    Outcome,
    ZoneName,
    field_values,
)

__all__ = ["KINDS"]

Unit = Literal["recipient", "address", "debt"]
Direction = Literal["inbound", "outbound"]

_MAX_STEPS = 64
_HORIZON = timedelta(days=400)

HISTORY_FACT = "history"


def missing_history() -> Finding:
    return Finding(
        {
            "fact": HISTORY_FACT,
            "needed": "history: the earlier contacts (an empty list when there were none)",
        },
        missing_fact=HISTORY_FACT,
    )


class ConsentExemption(CheckParams):
    """Actions placed with the person's prior consent, given directly, do not count.

    Regulation F 1006.14(b)(3)(i): consent lasts ``valid_days`` consecutive days
    (the day it is received is day 1) and ends earlier at the next event with
    an outcome in ``ends_on``.
    """

    kind: ConsentKind = "call"
    valid_days: int = Field(ge=1)
    ends_on: tuple[Outcome, ...] = ("conversation",)


class EventFilter(CheckParams):
    """Which earlier events a rule looks at, and how they are grouped."""

    channels: tuple[Channel, ...] = Field(min_length=1)
    directions: tuple[Direction, ...] = ("outbound",)
    outcomes: tuple[Outcome, ...] | None = None
    unknown_outcome: Literal["count", "ignore"] = "count"
    exclude_with_consent: bool = True
    include_agency: bool = True
    per: tuple[Unit, ...] = ("recipient", "debt")
    merge_servicing_account_kinds: tuple[str, ...] = ()
    #: Count only events to addresses of these kinds (None: every kind). An
    #: event's kind is its ``address_kind``, else the kind the borrower's
    #: phones and emails list for its address; an event of unknown kind
    #: counts (fail closed).
    address_kinds: tuple[AddressKind, ...] | None = Field(default=None, min_length=1)


class WindowFilter(EventFilter):
    """An event filter counted in windows of local days, with consent exemptions."""

    zone: ZoneName | None = None
    consent_exemption: ConsentExemption | None = None


class ContactCountParams(WindowFilter):
    """At most ``max`` counted contacts in any ``window_days`` consecutive local days."""

    window_days: int = Field(ge=1, le=366)
    max: int = Field(ge=0)


class CooldownAfterParams(WindowFilter):
    """No action on the ``days`` local days starting with the day of a listed outcome."""

    days: int = Field(ge=1, le=366)
    directions: tuple[Direction, ...] = ("inbound", "outbound")
    outcomes: tuple[Outcome, ...] | None = ("conversation",)
    exclude_with_consent: bool = False


class ContactSpacingParams(EventFilter):
    """At least ``min_minutes`` between a counted earlier event and this action."""

    min_minutes: int = Field(ge=1)
    per: tuple[Unit, ...] = ("address",)


class _Bucket(NamedTuple):
    """One counting bucket: who (roles, address) and which debt.

    Named tuples, here and for ``_WindowViolation``: they are made on every
    check, and a tuple is built in C where a frozen dataclass runs one
    ``object.__setattr__`` per field.
    """

    roles: frozenset[str | None] | None
    address: str | None
    #: The debt the evidence names (the first of the bucket the request names).
    debt_id: str | None
    #: Every debt id counted in this bucket (None: any debt).
    debt_ids: frozenset[str] | None = None

    @property
    def who(self) -> Concerning:
        """(roles, address, debt_ids): what ``History.select`` asks about."""
        return (self.roles, self.address, self.debt_ids)


#: ``_bucket((roles, address, debt_id, debt_ids))``: a bucket built in C (a
#: named tuple's own constructor is a Python function, several times dearer).
_bucket = partial(tuple.__new__, _Bucket)


@dataclass(frozen=True, slots=True)
class _Events:
    """Compiled event filter shared by the frequency checks."""

    kinds: EventKinds
    per: frozenset[str]
    fixed_zone: ZoneInfo | None
    fallback_zone: ZoneInfo | None
    consent: ConsentExemption | None
    #: How far before the requested instant an event can still matter. Checks
    #: only move later than the requested instant, so older events never count.
    lookback: timedelta
    #: Key of this grouping's buckets in the per-request memo (rules that group
    #: the same way share them); derived from ``per`` and the merged kinds.
    buckets_key: tuple[object, ...] = field(init=False)

    def __post_init__(self) -> None:
        key = ("frequency.buckets", self.per, self.kinds.merge_kinds)
        object.__setattr__(self, "buckets_key", key)

    @classmethod
    def of(cls, params: EventFilter, ctx: PackContext, lookback: timedelta) -> _Events:
        window = params if isinstance(params, WindowFilter) else None
        return cls(
            kinds=EventKinds.of(
                channels=params.channels,
                directions=params.directions,
                outcomes=params.outcomes,
                unknown_outcome_counts=params.unknown_outcome == "count",
                exclude_with_consent=params.exclude_with_consent,
                include_agency=params.include_agency,
                merge_kinds=params.merge_servicing_account_kinds,
                address_kinds=params.address_kinds,
            ),
            per=frozenset(params.per),
            fixed_zone=get_zone(window.zone) if window and window.zone else None,
            fallback_zone=ctx.time_zone,
            consent=window.consent_exemption if window else None,
            lookback=lookback,
        )

    def zones(self, facts: Facts) -> tuple[ZoneCandidate, ...]:
        return facts.zones(self.fallback_zone, self.fixed_zone)

    def since(self, facts: Facts) -> datetime:
        """The earliest instant an event can matter at: the requested instant
        less the lookback (checks only move later than it)."""
        return facts.base.at_utc - self.lookback

    def buckets(self, facts: Facts) -> tuple[_Bucket, ...]:
        """One bucket per counting unit the proposed action falls into (shared by
        every rule that groups the same way)."""
        memo = facts.base.memo
        found = memo.get(self.buckets_key)
        if found is None:
            found = memo[self.buckets_key] = self._buckets(facts)
        return found  # type: ignore[return-value]

    def _buckets(self, facts: Facts) -> tuple[_Bucket, ...]:
        role, address = _recipient(facts)
        roles = same_person_roles(role) if "recipient" in self.per else None
        if "address" in self.per:
            sel_address = address
        elif "recipient" in self.per and (role or "borrower") not in SINGULAR_ROLES:
            # People of a role that may be many (neighbours, references) are told
            # apart by address; a spouse reached on two numbers is one person.
            sel_address = address
        else:
            sel_address = None
        if "debt" not in self.per:
            return (_bucket((roles, sel_address, None, None)),)
        keys = facts.base.history.debt_keys(self.kinds.merge_kinds)
        buckets: dict[frozenset[str] | None, _Bucket] = {}
        for debt_id in facts.base.debt_ids():
            if debt_id == ANY_DEBT:
                buckets.setdefault(None, _bucket((roles, sel_address, debt_id, None)))
                continue
            ids = keys.bucket(debt_id)
            # Two debts of one servicing account are one bucket (the first names it).
            if ids not in buckets:
                buckets[ids] = _bucket((roles, sel_address, debt_id, ids))
        return tuple(buckets.values())

    def _consents(self, facts: Facts) -> list[Consent]:
        """The borrower's consents that could exempt this action, by kind and medium."""
        exemption = self.consent
        if exemption is None:
            return []
        role, _ = _recipient(facts)
        if (role or "borrower") != "borrower":
            return []  # the borrower's consent covers calls to the borrower only
        return consents_for_medium(facts, exemption.kind)

    def _consent_holds(
        self, consent: Consent, at: datetime, facts: Facts, zones: tuple[ZoneCandidate, ...]
    ) -> bool:
        """Whether ``consent`` covers an action at ``at``: given before it, inside its
        call-back window, within its valid days in every zone, and not yet ended."""
        exemption = self.consent
        assert exemption is not None
        if consent.given_at > at:
            return False
        if consent.window_start is not None and at < consent.window_start:
            return False
        if consent.window_end is not None and at >= consent.window_end:
            return False
        last_day = timedelta(days=exemption.valid_days - 1)
        for cand in zones:
            if (
                at.astimezone(cand.zone).date()
                > consent.given_at.astimezone(cand.zone).date() + last_day
            ):
                return False
        given, now = consent.given_at.timestamp(), at.timestamp()
        medium = MEDIUM[facts.request.channel]
        # An event whose outcome was not recorded may have been the conversation
        # that ends the consent (fail closed).
        return not any(
            given < ts <= now
            and (event.outcome is None or event.outcome in exemption.ends_on)
            and MEDIUM[event.channel] == medium
            and (event.recipient_role or "borrower") == "borrower"
            for event, ts in zip(*facts.base.history.ordered(), strict=True)
        )

    def consented(self, facts: Facts, zones: tuple[ZoneCandidate, ...]) -> bool:
        """The proposed action is placed with prior direct consent still in force."""
        return any(self._consent_holds(c, facts.at, facts, zones) for c in self._consents(facts))

    def consent_opens(self, facts: Facts, zones: tuple[ZoneCandidate, ...]) -> datetime | None:
        """The earliest instant after ``facts.at`` at which a consent starts to cover
        the action (a call-back window that opens later), if any."""
        earliest = None
        for consent in self._consents(facts):
            opens = max(facts.at, consent.given_at, consent.window_start or facts.at)
            if opens > facts.at and self._consent_holds(consent, opens, facts, zones):
                earliest = opens if earliest is None else min(earliest, opens)
        return earliest


_RECIPIENT = "frequency.recipient"


def _recipient(facts: Facts) -> tuple[str | None, str | None]:
    """The proposed recipient's role and canonical address (``address_key``),
    read once per request for every grouping."""
    memo = facts.base.memo
    found = memo.get(_RECIPIENT)
    if found is None:
        recipient = facts.base.fields["recipient"]
        if recipient is None:
            found = (None, None)
        else:
            fields = field_values(recipient)
            raw = fields["address"]
            found = (fields["role"], address_key(raw) if raw else None)
        memo[_RECIPIENT] = found
    return found  # type: ignore[return-value]


#: (bucket, its selected instants) for each bucket a counting rule looks at.
_Selections = tuple[tuple[_Bucket, tuple[datetime, ...]], ...]


class _WindowViolation(NamedTuple):
    bucket: _Bucket
    zone: ZoneCandidate
    events: int  # events in the window, the proposed action included when it counts
    window_start: date
    window_end: date
    next_day: date | None  # earliest local day on which this bucket passes in this zone


def _window_violation(
    instants: tuple[datetime, ...],
    day: date,
    zone: ZoneInfo,
    window_days: int,
    max_count: int,
    proposed: int,
    trailing_only: bool,
) -> tuple[int, date, date, date | None] | None:
    """The fullest window of ``window_days`` local days containing ``day`` above ``max_count``.

    With ``trailing_only`` only the window ending on ``day`` is considered (a
    cooldown looks back, never forward). Returns (count, first day, last day,
    first later day on which the check passes, None if never) or None.
    """
    span = timedelta(days=window_days)
    one = timedelta(days=1)
    allowed = max_count - proposed  # earlier events a window may hold
    first = day - span + one
    start = day_start(first, zone)
    end = day_start(day + one, zone)
    low, high = bisect_left(instants, start), bisect_left(instants, end)
    later_events = high < len(instants) and not trailing_only
    if not later_events:
        # Only the window ending on ``day`` can be the fullest.
        count = high - low
        if count <= allowed:
            return None
        if allowed < 0:
            return (count + proposed, first, day, None)
        # Passes once the (allowed+1)-th latest event has left the window.
        pivot = instants[high - allowed - 1].astimezone(zone).date()
        return (count + proposed, first, day, pivot + span)

    # Events after ``day`` exist (a replayed or hypothetical history): check
    # every window that contains ``day``, and walk forward day by day.
    def worst_on(d: date) -> tuple[int, date, date] | None:
        worst = None
        for k in range(window_days):
            begin = d - timedelta(days=k)
            count = bisect_left(instants, day_start(begin + span, zone)) - bisect_left(
                instants, day_start(begin, zone)
            )
            if count > allowed and (worst is None or count > worst[0]):
                worst = (count + proposed, begin, begin + span - one)
        return worst

    found = worst_on(day)
    if found is None:
        return None
    if allowed < 0:
        return (*found, None)
    limit = instants[-1].astimezone(zone).date() + span + one
    later = day + one
    while later <= limit and worst_on(later) is not None:
        later += one
    return (*found, later)


@dataclass(frozen=True, slots=True)
class _WindowCheck:
    """``contact_count`` and, looking back only, ``cooldown_after``."""

    events: _Events
    window_days: int
    max_count: int
    proposed: int  # 1 when the proposed action counts itself
    trailing_only: bool

    @property
    def time_based(self) -> bool:
        return True

    def violation(self, facts: Facts) -> _WindowViolation | Finding | None:
        """The first violated window at ``facts.at`` (memoised per instant: the
        engine asks ``evaluate`` and then ``next_pass`` at the same instant)."""
        memo = facts.memo
        key = id(self)  # the check outlives the facts; identity is enough
        if key in memo:
            return memo[key]  # type: ignore[return-value]
        found = memo[key] = self._violation(facts)
        return found

    def _violation(self, facts: Facts) -> _WindowViolation | Finding | None:
        if facts.base.fields["history"] is None:
            return missing_history()
        candidates = self._candidates(facts)
        if not candidates:
            return None
        zones = self.events.zones(facts)
        if not zones:
            return missing_zone()
        if self.events.consented(facts, zones):
            return None
        for bucket, instants in candidates:
            for cand in zones:
                found = _window_violation(
                    instants,
                    facts.local_date(cand.zone),
                    cand.zone,
                    self.window_days,
                    self.max_count,
                    self.proposed,
                    self.trailing_only,
                )
                if found is not None:
                    count, first, last, next_day = found
                    return _WindowViolation(bucket, cand, count, first, last, next_day)
        return None

    def _candidates(self, facts: Facts) -> _Selections:
        """The buckets whose selected events could fill a window, with those
        events. They do not depend on the instant (selections start from the
        requested one), so they are found once per request however many
        instants ``next_allowed_at`` tries."""
        memo = facts.base.memo
        key = id(self)  # in the request's memo; ``violation`` keys the instant's memo alike
        found = memo.get(key)
        if found is None:
            found = memo[key] = self._find_candidates(facts)
        return found  # type: ignore[return-value]

    def _find_candidates(self, facts: Facts) -> _Selections:
        events = self.events
        history = facts.base.history
        since = events.since(facts)
        kinds = events.kinds
        allowed = self.max_count - self.proposed
        if allowed < 0:  # the action alone is too many: every bucket violates
            return tuple((b, history.select(kinds, b.who, since)) for b in events.buckets(facts))
        if history.count_since(since) <= allowed:
            return ()  # too few events of any kind, for anyone: no window can fill
        # Fewer selected events than the limit allows cannot fill any window,
        # whatever the zone or consent: the common case, answered without either.
        found = []
        for bucket in events.buckets(facts):
            instants = history.select(kinds, bucket.who, since)
            if len(instants) > allowed:
                found.append((bucket, instants))
        return tuple(found)

    def evaluate(self, facts: Facts) -> Finding | None:
        found = self.violation(facts)
        if found is None or isinstance(found, Finding):
            return found
        evidence = _base_evidence(found)
        if self.trailing_only:  # a cooldown
            evidence["days"] = self.window_days
            evidence["events_in_window"] = found.events
        else:
            evidence["count"] = found.events
            evidence["max"] = self.max_count
            evidence["window_days"] = self.window_days
        return Finding(evidence)

    def next_pass(self, facts: Facts) -> datetime | None:
        limit = facts.at + _HORIZON
        current = facts
        for _ in range(_MAX_STEPS):
            found = self.violation(current)
            if found is None:
                return current.at
            if isinstance(found, Finding):
                return None
            options = [] if found.next_day is None else [day_start(found.next_day, found.zone.zone)]
            consent = self.events.consent_opens(current, self.events.zones(current))
            if consent is not None:
                options.append(consent)
            when = min(options, default=None)
            if when is None or when <= current.at or when > limit:
                return None
            current = current.at_instant(when)
        return None


def _base_evidence(v: _WindowViolation) -> dict[str, object]:
    return {
        "debt_id": v.bucket.debt_id,
        "time_zone": v.zone.name,
        "zone_source": v.zone.source,
        "window_start": v.window_start.isoformat(),
        "window_end": v.window_end.isoformat(),
        "allowed_from_date": v.next_day.isoformat() if v.next_day else None,
    }


def _window_lookback(days: int) -> timedelta:
    """Seconds before an instant that a window of ``days`` local days containing it
    can reach: the days themselves, plus a day for the local day's start and a
    day for the widest UTC offsets and DST."""
    return timedelta(days=days + 2)


def _build_count(params: ContactCountParams, ctx: PackContext) -> _WindowCheck:
    events = _Events.of(params, ctx, _window_lookback(params.window_days))
    return _WindowCheck(events, params.window_days, params.max, 1, False)


def _build_cooldown(params: CooldownAfterParams, ctx: PackContext) -> _WindowCheck:
    # "No action within N days of an event" is "at most 0 such events in the
    # N-day window ending today", not counting the action itself.
    return _WindowCheck(
        _Events.of(params, ctx, _window_lookback(params.days)), params.days, 0, 0, True
    )


_WINDOW_EVIDENCE = frozenset(
    {"debt_id", "time_zone", "zone_source", "window_start", "window_end", "allowed_from_date"}
)

CONTACT_COUNT = CheckKind(
    name="contact_count",
    params=ContactCountParams,
    build=_build_count,
    evidence=_WINDOW_EVIDENCE | {"count", "max", "window_days"},
    summary=(
        "Violated when, counting this action, more than max counted contacts fall in some window"
        " of window_days consecutive local days that contains it."
    ),
)

COOLDOWN_AFTER = CheckKind(
    name="cooldown_after",
    params=CooldownAfterParams,
    build=_build_cooldown,
    evidence=_WINDOW_EVIDENCE | {"days", "events_in_window"},
    summary=(
        "Violated when a listed outcome (by default a conversation) happened within the last"
        " `days` local days, its own day being day 1."
    ),
)


# ------------------------------------------------------------------------ spacing


@dataclass(frozen=True, slots=True)
class ContactSpacing:
    events: _Events
    min_gap: timedelta

    @property
    def time_based(self) -> bool:
        return True

    def _last_too_close(self, facts: Facts) -> tuple[_Bucket, datetime] | Finding | None:
        if facts.base.fields["history"] is None:
            return missing_history()
        now = facts.at
        for bucket, instants in self._selections(facts):
            index = bisect_right(instants, now)  # events at the same instant are earlier
            if index and now - instants[index - 1] < self.min_gap:
                return bucket, instants[index - 1]
        return None

    def _selections(self, facts: Facts) -> _Selections:
        """Each bucket's selected instants, found once per request (they start
        from the requested instant), however many instants ``next_pass`` tries."""
        memo = facts.base.memo
        key = id(self)
        found = memo.get(key)
        if found is None:
            events = self.events
            history = facts.base.history
            since = events.since(facts)
            if not history.count_since(since):
                found = ()
            else:
                kinds = events.kinds
                found = tuple(
                    (b, history.select(kinds, b.who, since)) for b in events.buckets(facts)
                )
            memo[key] = found
        return found  # type: ignore[return-value]

    def evaluate(self, facts: Facts) -> Finding | None:
        found = self._last_too_close(facts)
        if found is None or isinstance(found, Finding):
            return found
        bucket, last = found
        return Finding(
            {
                "debt_id": bucket.debt_id,
                "minutes_since_last": round((facts.at - last).total_seconds() / 60, 1),
                "min_minutes": round(self.min_gap.total_seconds() / 60, 1),
            }
        )

    def next_pass(self, facts: Facts) -> datetime | None:
        current = facts
        for _ in range(_MAX_STEPS):
            found = self._last_too_close(current)
            if found is None:
                return current.at
            if isinstance(found, Finding):
                return None
            _, last = found
            when = current.at + (last + self.min_gap - current.at)
            current = current.at_instant(when)
        return None


def _build_spacing(params: ContactSpacingParams, ctx: PackContext) -> ContactSpacing:
    # Only the last event before the instant matters, and only if it is recent.
    min_gap = timedelta(minutes=params.min_minutes)
    return ContactSpacing(_Events.of(params, ctx, min_gap + timedelta(seconds=1)), min_gap)


CONTACT_SPACING = CheckKind(
    name="contact_spacing",
    params=ContactSpacingParams,
    build=_build_spacing,
    evidence=frozenset({"debt_id", "minutes_since_last", "min_minutes"}),
    summary="Violated when a counted earlier event happened less than min_minutes before this action.",
)

KINDS = (CONTACT_COUNT, COOLDOWN_AFTER, CONTACT_SPACING)
