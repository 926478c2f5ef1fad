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

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from fair_collect.facts.phones import PhoneNumberInvalid, parse_phone
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


@lru_cache(maxsize=65536)
def address_key(address: str) -> str:
    """A canonical form of an address, so that the same number or mailbox matches.

    Phone numbers become E.164; other text is stripped and case-folded.
    """
    text = address.strip()
    if text.startswith("+"):
        try:
            return parse_phone(text).e164
        except PhoneNumberInvalid:
            return text
    return text.casefold()


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
    ) -> EventKinds:
        counted: list[str | None] = list(outcomes if outcomes is not None else OUTCOMES)
        if unknown_outcome_counts:
            counted.append(None)
        consent = (False,) if exclude_with_consent else (False, True)
        agency = (False, True) if include_agency else (False,)
        kinds = frozenset(product(channels, directions, counted, consent, agency))
        return cls(kinds=kinds, merge_kinds=frozenset(merge_kinds))


class History:
    """The request's history as columns grouped by kind, with cached selections.

    Construction reads each event once into columns (timestamp, role, debt
    ids) and groups event numbers by kind (channel, direction, outcome,
    consent, agency). A selection visits the groups whose kind counts,
    filters those events by person, address and debt, and returns their
    timestamps sorted. ``ordered()`` gives the whole history in time order
    for the few checks that walk it.
    """

    __slots__ = (
        "_by_kind",
        "_cache",
        "_canonical",
        "_debt_ids",
        "_debts",
        "_events",
        "_key_ids",
        "_ordered",
        "_role_set",
        "_roles",
        "_stamps",
    )

    def __init__(self, request: ProposedAction) -> None:
        events = request.history or ()
        by_kind: dict[Kind, list[int]] = {}
        kinds = [(e.channel, e.direction, e.outcome, e.with_consent, e.by_agency) for e in events]
        for i, kind in enumerate(kinds):
            by_kind.setdefault(kind, []).append(i)
        self._events = events
        self._by_kind = by_kind
        # History instants are UTC (see ContactEvent), which makes this cheap.
        self._stamps = [e.at.timestamp() for e in events]
        self._roles = [e.recipient_role for e in events]
        self._role_set = frozenset(self._roles)
        self._debt_ids = [e.debt_ids for e in events]
        self._canonical: list[str | None] | None = None
        self._ordered: tuple[tuple[ContactEvent, ...], tuple[float, ...]] | None = None
        self._debts = request.debts
        self._cache: dict[tuple[object, ...], tuple[float, ...]] = {}
        self._key_ids: dict[tuple[frozenset[str], str], frozenset[str]] = {}

    def _addresses(self) -> list[str | None]:
        if self._canonical is None:
            self._canonical = [
                address_key(e.address) if e.address is not None else None for e in self._events
            ]
        return self._canonical

    def ordered(self) -> tuple[tuple[ContactEvent, ...], tuple[float, ...]]:
        """Every event and its timestamp, in time order (ties keep input order)."""
        if self._ordered is None:
            stamps = self._stamps
            order = sorted(range(len(stamps)), key=stamps.__getitem__)
            self._ordered = (
                tuple(self._events[i] for i in order),
                tuple(stamps[i] for i in order),
            )
        return self._ordered

    def debt_keys(self, merge_kinds: frozenset[str]) -> DebtKeys:
        return DebtKeys.build(self._debts, merge_kinds)

    def _ids_of_key(self, merge_kinds: frozenset[str], debt_key: str) -> frozenset[str]:
        """Every debt id whose bucket is ``debt_key``."""
        cached = self._key_ids.get((merge_kinds, debt_key))
        if cached is None:
            keys = DebtKeys.build(self._debts, merge_kinds)
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
        debt_key: str | None,
    ) -> tuple[float, ...]:
        """Sorted timestamps of the events of these kinds that may concern this
        person (``roles``; None for anyone), address (canonical; None for any)
        and debt bucket (None for any)."""
        key = (kinds, roles, address, debt_key)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        allowed = kinds.kinds
        index: list[int] = []
        for kind, group in self._by_kind.items():
            if kind in allowed:
                index += group
        if roles is not None and index and not self._role_set <= roles:
            event_roles = self._roles
            index = [i for i in index if event_roles[i] in roles]
        if address is not None and index:
            canonical = self._addresses()
            index = [i for i in index if (a := canonical[i]) is None or a == address]
        if debt_key is not None and index:
            wanted = self._ids_of_key(kinds.merge_kinds, debt_key)
            debt_ids = self._debt_ids
            index = [i for i in index if not (d := debt_ids[i]) or not wanted.isdisjoint(d)]
        stamps = self._stamps
        selected = tuple(sorted([stamps[i] for i in index]))
        self._cache[key] = selected
        return selected
