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
from operator import itemgetter, le, methodcaller
from typing import Any

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
    account number count as one). ``members`` is the inverse: every debt id
    of a bucket, built with the map because every counting rule asks for it.
    """

    by_id: dict[str, str]
    members: dict[str, frozenset[str]]

    @classmethod
    def build(cls, debts: Iterable[Debt], merge_kinds: frozenset[str]) -> DebtKeys:
        by_id = {}
        for debt in debts:
            if debt.servicing_account and debt.kind in merge_kinds:
                by_id[debt.id] = f"account:{debt.servicing_account}"
            else:
                by_id[debt.id] = f"debt:{debt.id}"
        grouped: dict[str, set[str]] = {}
        for debt_id, key in by_id.items():
            grouped.setdefault(key, set()).add(debt_id)
        return cls(by_id, {key: frozenset(ids) for key, ids in grouped.items()})

    def key(self, debt_id: str) -> str:
        return self.by_id.get(debt_id) or f"debt:{debt_id}"

    def ids_of(self, debt_key: str) -> frozenset[str]:
        """Every debt id whose bucket is ``debt_key``; a ``debt:<id>`` key always
        includes its own id (a debt the request names but does not list)."""
        ids = self.members.get(debt_key)
        if debt_key.startswith("debt:"):
            own = debt_key[5:]
            if ids is None:
                return frozenset((own,))
            if own not in ids:
                return ids | {own}
        return ids if ids is not None else frozenset()


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


#: Field values are read from each event's ``__dict__`` (pydantic keeps them
#: there): an attribute read on a model goes through ``BaseModel.__getattr__``'s
#: slow hook, a dict lookup does not, and ``itemgetter`` reads several at once.
_KIND_OF = itemgetter("channel", "direction", "outcome", "with_consent", "by_agency")
_AT = itemgetter("at")
_TIMESTAMP = methodcaller("timestamp")

#: (roles, address, debt ids): who and which debt a selection concerns.
_Concerning = tuple[frozenset[str | None] | None, str | None, frozenset[str] | None]


class History:
    """The request's history in time order, with cached selections.

    Construction only reads each event's instant and sorts. A selection
    starts at the first event a rule can still see (``since``: a seven-day
    count needs about nine days of history, a five-minute spacing rule a few
    minutes) and keeps the events of a counted kind that may concern this
    person, address and debt, as timestamps, already sorted. Who an event
    may concern is decided once per person and debt bucket (rules that group
    alike share it), its kind once per event; both only for the events some
    selection reaches.
    """

    __slots__ = (
        "_ats",
        "_cache",
        "_concerning",
        "_debt_keys",
        "_debts",
        "_events",
        "_kinds",
        "_listed_kinds",
        "_request",
        "_rows",
        "_seen_from",
        "_stamps",
    )

    def __init__(self, request: ProposedAction) -> None:
        events = request.history or ()
        rows: list[dict[str, Any]] = list(map(vars, events))
        # History instants are UTC datetimes sharing one tzinfo (see ContactEvent),
        # so sorting and bisecting them compares plain fields.
        ats: list[datetime] = list(map(_AT, rows))
        if not all(map(le, ats, ats[1:])):
            order = sorted(range(len(ats)), key=ats.__getitem__)  # stable: ties keep order
            events = tuple(map(events.__getitem__, order))
            rows = list(map(rows.__getitem__, order))
            ats = list(map(ats.__getitem__, order))
        self._events: tuple[ContactEvent, ...] = events
        self._rows = rows
        self._ats = ats
        # Kinds are computed only for the events a selection reaches
        # (``events[_seen_from:]``): old events of a long history cost one
        # comparison in a bisection, nothing more. Selections return the
        # instants themselves (UTC datetimes with one tzinfo compare as fast as
        # floats); POSIX timestamps are computed only for ``ordered``.
        self._stamps: list[float] | None = None
        self._kinds: list[Kind | None] = [None] * len(events)
        self._seen_from = len(events)
        self._debts = request.debts
        self._debt_keys: dict[frozenset[str], DebtKeys] = {}
        self._cache: dict[tuple[object, ...], tuple[datetime, ...]] = {}
        self._concerning: dict[_Concerning, tuple[int, list[int]]] = {}
        self._request = request
        self._listed_kinds: dict[str, str | None] = {}

    def _see(self, first: int) -> None:
        """Compute the kind of every event from ``first`` on."""
        if first < self._seen_from:
            end = self._seen_from
            self._kinds[first:end] = map(_KIND_OF, self._rows[first:end])
            self._seen_from = first

    def ordered(self) -> tuple[tuple[ContactEvent, ...], list[float]]:
        """Every event and its timestamp, in time order (ties keep input order)."""
        if self._stamps is None:
            self._stamps = list(map(_TIMESTAMP, self._ats))
        return self._events, self._stamps

    def count_since(self, since: datetime) -> int:
        """How many events of any kind, about anyone, happened at or after
        ``since``: no selection from ``since`` holds more, so a rule that
        allows that many needs no selection at all."""
        return len(self._ats) - bisect_left(self._ats, since)

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
        return self.debt_keys(merge_kinds).ids_of(debt_key)

    def select(
        self,
        kinds: EventKinds,
        roles: frozenset[str | None] | None,
        address: str | None,
        debt_ids: frozenset[str] | None,
        since: datetime,
    ) -> tuple[datetime, ...]:
        """Sorted instants (UTC) of the events at or after ``since`` (UTC) of these
        kinds that may concern this person (``roles``; None for anyone), address
        (canonical; None for any) and debt bucket (``debt_ids``, the ids of one
        bucket from ``ids_of_key``; None for any)."""
        first = bisect_left(self._ats, since)
        if first == len(self._ats):
            return ()
        key = (kinds, roles, address, debt_ids, first)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        self._see(first)
        ats, event_kinds, allowed = self._ats, self._kinds, kinds.kinds
        concerning = self._concerning_from((roles, address, debt_ids), first)
        address_kinds = kinds.address_kinds
        if address_kinds is None:
            selected = [ats[i] for i in concerning if event_kinds[i] in allowed]
        else:
            events = self._events
            selected = [
                ats[i]
                for i in concerning
                if event_kinds[i] in allowed
                and ((kind := self.address_kind(events[i])) is None or kind in address_kinds)
            ]
        result = self._cache[key] = tuple(selected)
        return result

    def _concerning_from(self, who: _Concerning, first: int) -> list[int]:
        """Indices of the events from ``first`` on that may concern this person,
        address and debt bucket, in time order. Cached per ``who``: a list made
        from an earlier ``first`` is cut, not made again."""
        cached = self._concerning.get(who)
        if cached is not None and cached[0] <= first:
            start, indices = cached
            return indices if start == first else indices[bisect_left(indices, first) :]
        roles, address, wanted = who
        rows = self._rows
        indices = []
        for i in range(first, len(rows)):
            row = rows[i]
            if roles is not None and row["recipient_role"] not in roles:
                continue
            if (
                address is not None
                and (a := row["address"]) is not None
                and a != address
                and not same_address(a, address)
            ):
                continue
            if wanted is not None and (d := row["debt_ids"]) and wanted.isdisjoint(d):
                continue
            indices.append(i)
        self._concerning[who] = (first, indices)
        return indices
