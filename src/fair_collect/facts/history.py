"""The contact history, sorted once and sliced per counting unit.

Counting rules (Regulation F 7-in-7, Massachusetts 2-in-7, China's 3 connected
calls a day) differ only in *which* earlier events count and in the window.
An ``EventKinds`` (fixed when a rule is compiled) names the channels,
directions, outcomes and flags that count; a request adds who and which debt.
``History.select`` returns the matching timestamps, sorted, so windows are
answered by bisection instead of rescans.

Unknowns are counted against the caller, never for them (fail closed):

* an event without ``recipient_role`` might have reached the same person;
* an event without ``address`` might have used the same address;
* an event without ``debt_ids`` might have been about every debt;
* an event without ``outcome`` might have connected (when the rule says so).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import product
from operator import attrgetter, le, methodcaller

from fair_collect.facts.addresses import address_key, same_address
from fair_collect.model import OUTCOMES, ContactEvent, Debt, ProposedAction

__all__ = [
    "ANY_DEBT",
    "SINGULAR_ROLES",
    "DebtKeys",
    "EventKinds",
    "History",
    "address_key",
    "same_person_roles",
]

#: The bucket used when the request names no debt at all.
ANY_DEBT = "*"

_BORROWER = "borrower"

#: Roles that name one person however many addresses reach them. Other roles
#: (neighbours, references, coworkers) may be several people, told apart by
#: address.
SINGULAR_ROLES = frozenset(
    {"borrower", "co_borrower", "spouse", "guardian", "executor", "employer"}
)

#: (channel, direction, outcome, with_consent, by_agency): what decides whether
#: an event can count, independent of person and debt.
Kind = tuple[str, str, str | None, bool, bool]


def same_person_roles(proposed_role: str | None) -> frozenset[str | None]:
    """Event roles that may denote the same person as the proposed recipient.

    A request without a recipient role is taken to contact the borrower.
    """
    return frozenset({proposed_role or _BORROWER, None})


@dataclass(frozen=True, slots=True)
class DebtKeys:
    """Maps debt ids to counting buckets.

    Debts of a kind listed in ``merge_kinds`` that share a servicing account
    are one debt (Regulation F 1006.14(b)(4): student loans serviced under one
    account number count as one).
    """

    by_id: dict[str, str]

    @classmethod
    def build(cls, debts: Iterable[Debt], merge_kinds: frozenset[str]) -> DebtKeys:
        by_id = {}
        for debt in debts:
            if debt.servicing_account and debt.kind in merge_kinds:
                by_id[debt.id] = f"account:{debt.servicing_account}"
            else:
                by_id[debt.id] = f"debt:{debt.id}"
        return cls(by_id)

    def key(self, debt_id: str) -> str:
        return self.by_id.get(debt_id) or f"debt:{debt_id}"


@dataclass(frozen=True, slots=True, eq=False)
class EventKinds:
    """Which events a counting rule looks at, independent of person and debt.

    Built once per rule; ``kinds`` is every (channel, direction, outcome,
    with_consent, by_agency) combination that counts, so matching an event
    is one set lookup. Compared by identity: it keys per-request caches, and
    each rule owns its own.
    """

    kinds: frozenset[Kind]
    merge_kinds: frozenset[str]
    #: Address kinds that count (None: every kind). An event of unknown kind
    #: counts (see ``History.address_kind``).
    address_kinds: frozenset[str] | None = None

    @classmethod
    def of(
        cls,
        channels: Iterable[str],
        directions: Iterable[str],
        outcomes: Iterable[str] | None,
        unknown_outcome_counts: bool,
        exclude_with_consent: bool,
        include_agency: bool,
        merge_kinds: Iterable[str] = (),
        address_kinds: Iterable[str] | None = None,
    ) -> EventKinds:
        counted: list[str | None] = list(outcomes if outcomes is not None else OUTCOMES)
        if unknown_outcome_counts:
            counted.append(None)
        consent = (False,) if exclude_with_consent else (False, True)
        agency = (False, True) if include_agency else (False,)
        kinds = frozenset(product(channels, directions, counted, consent, agency))
        return cls(
            kinds=kinds,
            merge_kinds=frozenset(merge_kinds),
            address_kinds=None if address_kinds is None else frozenset(address_kinds),
        )


_KIND_OF = attrgetter("channel", "direction", "outcome", "with_consent", "by_agency")
_AT = attrgetter("at")
_TIMESTAMP = methodcaller("timestamp")


class History:
    """The request's history in time order, with cached selections.

    Construction only computes each event's timestamp and sorts. A selection
    starts at the first event a rule can still see (``since``: a seven-day
    count needs about nine days of history, a five-minute spacing rule a few
    minutes), visits those events once, keeps the ones of a counted kind that
    may concern this person, address and debt, and returns their timestamps,
    already sorted. Kinds are computed only for the events some selection
    reaches.
    """

    __slots__ = (
        "_ats",
        "_cache",
        "_debt_keys",
        "_debts",
        "_events",
        "_key_ids",
        "_kinds",
        "_listed_kinds",
        "_request",
        "_seen_from",
        "_stamps",
    )

    def __init__(self, request: ProposedAction) -> None:
        events = request.history or ()
        # History instants are UTC datetimes sharing one tzinfo (see ContactEvent),
        # so sorting and bisecting them compares plain fields.
        ats = list(map(_AT, events))
        if not all(map(le, ats, ats[1:])):
            order = sorted(range(len(ats)), key=ats.__getitem__)  # stable: ties keep order
            events = tuple(map(events.__getitem__, order))
            ats = list(map(ats.__getitem__, order))
        self._events: tuple[ContactEvent, ...] = events
        self._ats: list[datetime] = ats
        # Timestamps and kinds are computed only for the events a selection
        # reaches (``events[_seen_from:]``): old events of a long history cost
        # one comparison in a bisection, nothing more.
        self._stamps: list[float] = [0.0] * len(events)
        self._kinds: list[Kind | None] = [None] * len(events)
        self._seen_from = len(events)
        self._debts = request.debts
        self._debt_keys: dict[frozenset[str], DebtKeys] = {}
        self._cache: dict[tuple[object, ...], tuple[float, ...]] = {}
        self._key_ids: dict[tuple[frozenset[str], str], frozenset[str]] = {}
        self._request = request
        self._listed_kinds: dict[str, str | None] = {}

    def _see(self, first: int) -> None:
        """Compute timestamps and kinds of every event from ``first`` on."""
        if first < self._seen_from:
            end = self._seen_from
            self._stamps[first:end] = map(_TIMESTAMP, self._ats[first:end])
            self._kinds[first:end] = map(_KIND_OF, self._events[first:end])
            self._seen_from = first

    def ordered(self) -> tuple[tuple[ContactEvent, ...], list[float]]:
        """Every event and its timestamp, in time order (ties keep input order)."""
        self._see(0)
        return self._events, self._stamps

    def address_kind(self, event: ContactEvent) -> str | None:
        """The kind of address ``event`` used: its own ``address_kind``, else the
        kind the borrower's ``phones`` or ``emails`` give for its address (same
        number or mailbox as ``same_address`` decides), else None (unknown)."""
        if event.address_kind is not None:
            return event.address_kind
        address = event.address
        if address is None:
            return None
        if address in self._listed_kinds:
            return self._listed_kinds[address]
        kind = None
        borrower = self._request.borrower
        if borrower is not None:
            listed: list[tuple[str, str | None, bool]] = [
                (p.number, p.kind, True) for p in borrower.phones
            ]
            listed += [(e.address, e.kind, False) for e in borrower.emails]
            kinds = {k for a, k, phone in listed if same_address(address, a, phone)}
            # Two listings of one address with different kinds: unknown.
            kind = kinds.pop() if len(kinds) == 1 else None
        self._listed_kinds[address] = kind
        return kind

    def debt_keys(self, merge_kinds: frozenset[str]) -> DebtKeys:
        keys = self._debt_keys.get(merge_kinds)
        if keys is None:
            keys = self._debt_keys[merge_kinds] = DebtKeys.build(self._debts, merge_kinds)
        return keys

    def ids_of_key(self, merge_kinds: frozenset[str], debt_key: str) -> frozenset[str]:
        """Every debt id whose bucket is ``debt_key`` (what ``select`` takes as
        ``debt_ids``)."""
        cached = self._key_ids.get((merge_kinds, debt_key))
        if cached is None:
            keys = self.debt_keys(merge_kinds)
            ids = {debt_id for debt_id, key in keys.by_id.items() if key == debt_key}
            if debt_key.startswith("debt:"):
                ids.add(debt_key.removeprefix("debt:"))
            cached = self._key_ids[(merge_kinds, debt_key)] = frozenset(ids)
        return cached

    def select(
        self,
        kinds: EventKinds,
        roles: frozenset[str | None] | None,
        address: str | None,
        debt_ids: frozenset[str] | None,
        since: datetime,
    ) -> tuple[float, ...]:
        """Sorted timestamps of the events at or after ``since`` (UTC) of these
        kinds that may concern this person (``roles``; None for anyone), address
        (canonical; None for any) and debt bucket (``debt_ids``, the ids of one
        bucket from ``ids_of_key``; None for any)."""
        first = bisect_left(self._ats, since)
        key = (kinds, roles, address, debt_ids, first)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        allowed = kinds.kinds
        address_kinds = kinds.address_kinds
        wanted = debt_ids
        self._see(first)
        events, stamps, event_kinds = self._events, self._stamps, self._kinds
        selected = []
        for i in range(first, len(events)):
            if event_kinds[i] not in allowed:
                continue
            event = events[i]
            if roles is not None and event.recipient_role not in roles:
                continue
            if (
                address is not None
                and (a := event.address) is not None
                and a != address
                and not same_address(a, address)
            ):
                continue
            if wanted is not None and (d := event.debt_ids) and wanted.isdisjoint(d):
                continue
            if (
                address_kinds is not None
                and (kind := self.address_kind(event)) is not None
                and kind not in address_kinds
            ):
                continue
            selected.append(stamps[i])
        result = self._cache[key] = tuple(selected)
        return result
