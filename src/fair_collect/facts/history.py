"""The contact history, sliced per counting unit.

Counting rules (Regulation F 7-in-7, Massachusetts 2-in-7, China's 3 connected
calls a day) differ only in *which* earlier events count and in the window.
An ``EventKinds`` (fixed when a rule is compiled) names the channels,
directions, outcomes and flags that count; a request adds who and which debt.
``History.select`` returns the matching instants (UTC), sorted, so windows
are answered by bisection instead of rescans.

Unknowns are counted against the caller, never for them (fail closed):

* an event without ``recipient_role`` might have reached the same person;
* an event without ``address`` might have used the same address;
* an event without ``debt_ids`` might have been about every debt;
* an event without ``outcome`` might have connected (when the rule says so).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import product
from operator import itemgetter

from fair_collect.facts.addresses import address_key, same_address
from fair_collect.model import (
    OUTCOMES,
    ROW_FIELDS,
    ContactEvent,
    Debt,
    EventKind,
    EventRow,
    ProposedAction,
    field_values,
    history_table,
)

__all__ = [
    "ANY_DEBT",
    "SINGULAR_ROLES",
    "Concerning",
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

_AT = itemgetter(0)
_AT_FIELD = itemgetter("at")
#: Where an ``EventRow`` keeps what a selection reads.
_ROLE, _ADDRESS, _DEBT_IDS, _ADDRESS_KIND = map(
    ROW_FIELDS.index, ("recipient_role", "address", "debt_ids", "address_kind")
)
#: An event's ``EventKind``: (channel, direction, outcome, with_consent, by_agency).
_KIND = slice(ROW_FIELDS.index("channel"), ROW_FIELDS.index("by_agency") + 1)


@lru_cache(maxsize=256)
def same_person_roles(proposed_role: str | None) -> frozenset[str | None]:
    """Event roles that may denote the same person as the proposed recipient.

    A request without a recipient role is taken to contact the borrower.
    """
    return frozenset({proposed_role or _BORROWER, None})


@dataclass(frozen=True, slots=True)
class DebtKeys:
    """Maps debt ids to counting buckets, each named by the debt ids it holds.

    Debts of a kind listed in ``merge_kinds`` that share a servicing account
    are one debt (Regulation F 1006.14(b)(4): student loans serviced under one
    account number count as one); every other debt is a bucket of its own.
    """

    merged: dict[str, frozenset[str]]

    @classmethod
    def build(cls, debts: Iterable[Debt], merge_kinds: frozenset[str]) -> DebtKeys:
        accounts: dict[str, set[str]] = {}
        if merge_kinds:
            for row in map(field_values, debts):
                account = row["servicing_account"]
                if account and row["kind"] in merge_kinds:
                    accounts.setdefault(account, set()).add(row["id"])
        if not accounts:
            return _SEPARATE_DEBTS
        merged = {}
        for ids in accounts.values():
            bucket = frozenset(ids)
            merged.update(dict.fromkeys(bucket, bucket))
        return cls(merged)

    def bucket(self, debt_id: str) -> frozenset[str]:
        """The debt ids counted together with ``debt_id`` (itself included)."""
        return self.merged.get(debt_id) or frozenset((debt_id,))


#: No two debts merged: every debt its own bucket (most requests).
_SEPARATE_DEBTS = DebtKeys({})


@dataclass(frozen=True, slots=True, eq=False)
class EventKinds:
    """Which events a counting rule looks at, independent of person and debt.

    Built once per rule; ``kinds`` is every (channel, direction, outcome,
    with_consent, by_agency) combination that counts, so matching an event
    is one set lookup. Each rule owns its own (compared by identity).
    """

    kinds: frozenset[EventKind]
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


#: (roles, address, debt ids): who and which debt a selection concerns.
Concerning = tuple[frozenset[str | None] | None, str | None, frozenset[str] | None]


class History:
    """The request's history, and the events that may concern each person.

    The rows come from the request's ``HistoryTable``, derived when the
    request was validated: the fields a selection reads, read out of each
    event once, in time order. A selection keeps the events at or after
    ``since`` (a seven-day count needs about nine days of history, a
    five-minute spacing rule a few minutes; the older rows are skipped by
    bisection) of a counted kind that may concern this person, address and
    debt, and returns their instants, already sorted. Who an event may
    concern is found once per person and debt bucket: rules that group alike
    share it. Selections themselves are not cached here: each rule keeps its
    own for the request (``_WindowCheck._candidates``,
    ``ContactSpacing._selections``), and no two rules ask for the same one.
    """

    __slots__ = (
        "_concerning",
        "_debt_keys",
        "_debts",
        "_instants",
        "_listed_kinds",
        "_ordered",
        "_request",
        "_rows",
    )

    def __init__(self, request: ProposedAction) -> None:
        table = history_table(request)
        self._rows = table.rows
        self._instants = table.instants
        self._ordered: tuple[tuple[ContactEvent, ...], list[float]] | None = None
        self._debts = request.debts
        self._debt_keys: dict[frozenset[str], DebtKeys] = {}
        self._concerning: dict[Concerning, tuple[datetime, Sequence[EventRow]]] = {}
        self._request = request
        self._listed_kinds: dict[str, str | None] = {}

    def ordered(self) -> tuple[tuple[ContactEvent, ...], list[float]]:
        """Every event and its timestamp, in time order (ties keep input order)."""
        if self._ordered is None:
            events = self._request.history or ()
            ats = [*map(_AT_FIELD, map(field_values, events))]
            order = sorted(range(len(ats)), key=ats.__getitem__)  # stable: ties keep order
            self._ordered = (
                tuple(map(events.__getitem__, order)),
                [ats[i].timestamp() for i in order],
            )
        return self._ordered

    def count_since(self, since: datetime) -> int:
        """How many events of any kind, about anyone, happened at or after
        ``since``: no selection from ``since`` holds more, so a rule that
        allows that many needs no selection at all."""
        instants = self._instants
        return len(instants) - bisect_left(instants, since)

    def address_kind(self, event: ContactEvent) -> str | None:
        """The kind of address ``event`` used: its own ``address_kind``, else the
        kind the borrower's ``phones`` or ``emails`` give for its address (same
        number or mailbox as ``same_address`` decides), else None (unknown)."""
        return self._address_kind(event.address_kind, event.address)

    def _address_kind(self, given: str | None, address: str | None) -> str | None:
        if given is not None:
            return given
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

    def select(self, kinds: EventKinds, who: Concerning, since: datetime) -> tuple[datetime, ...]:
        """Sorted instants (UTC) of the events at or after ``since`` (UTC) of these
        kinds that may concern ``who``: (roles, address, debt_ids), that is this
        person (``roles``; None for anyone), address (canonical; None for any)
        and debt bucket (the ids of one bucket from ``DebtKeys.bucket``; None
        for any)."""
        allowed = kinds.kinds
        rows = self._concerning_since(who, since)
        address_kinds = kinds.address_kinds
        if address_kinds is None:
            return tuple([row[0] for row in rows if row[_KIND] in allowed])
        return tuple(
            [
                row[0]
                for row in rows
                if row[_KIND] in allowed
                and (
                    (listed := self._address_kind(row[_ADDRESS_KIND], row[_ADDRESS])) is None
                    or listed in address_kinds
                )
            ]
        )

    def _concerning_since(self, who: Concerning, since: datetime) -> Sequence[EventRow]:
        """The rows, in time order, of the events at or after ``since`` that may
        concern this person, address and debt bucket. Cached per ``who``: the
        rows found from an earlier ``since`` are cut, not found again."""
        cached = self._concerning.get(who)
        if cached is not None and cached[0] <= since:
            start, found = cached
            return found if start == since else found[bisect_left(found, since, key=_AT) :]
        roles, address, wanted = who
        found = []
        for row in self._rows[bisect_left(self._instants, since) :]:
            role, a, debts = row[_ROLE], row[_ADDRESS], row[_DEBT_IDS]
            if roles is not None and role not in roles:
                continue
            if (
                address is not None
                and a is not None
                and a != address
                and not same_address(a, address)
            ):
                continue
            if wanted is not None and debts and wanted.isdisjoint(debts):
                continue
            found.append(row)
        self._concerning[who] = (since, found)
        return found
