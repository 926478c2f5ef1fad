"""The contact history, sorted once and sliced per counting unit.

Counting rules (Regulation F 7-in-7, Massachusetts 2-in-7, China's 3 connected
calls a day) differ only in *which* earlier events count and in the window. A
``Selection`` names the events; ``History.select`` returns their timestamps,
sorted, so windows are answered by bisection instead of rescans.

Unknowns are counted against the caller, never for them (fail closed):

* an event without ``recipient_role`` might have reached the same person;
* an event without ``address`` might have used the same address;
* an event without ``debt_ids`` might have been about every debt;
* an event without ``outcome`` might have connected (``unknown_outcome``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from fair_collect.facts.phones import PhoneNumberInvalid, parse_phone
from fair_collect.model import ContactEvent, Debt, ProposedAction

__all__ = ["ANY_DEBT", "DebtKeys", "History", "Selection", "address_key", "same_person_roles"]

#: The bucket used when the request names no debt at all.
ANY_DEBT = "*"

#: Roles that are the borrower themself for counting purposes. A request with
#: no recipient is taken to contact the borrower.
_BORROWER = "borrower"


@lru_cache(maxsize=65536)
def address_key(address: str) -> str:
    """A canonical form of an address, so that the same number or mailbox matches.

    Phone numbers become E.164; anything with an ``@`` is case-folded; other
    text is stripped and case-folded.
    """
    text = address.strip()
    if text.startswith("+"):
        try:
            return parse_phone(text).e164
        except PhoneNumberInvalid:
            return text
    return text.casefold()


def same_person_roles(proposed_role: str | None) -> frozenset[str | None]:
    """Event roles that may denote the same person as the proposed recipient."""
    role = proposed_role or _BORROWER
    return frozenset({role, None})


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

    def keys(self, debt_ids: Iterable[str] | None) -> frozenset[str] | None:
        """Bucket keys of the given ids; None when the ids are unknown (matches all)."""
        if not debt_ids:
            return None
        return frozenset(self.key(i) for i in debt_ids)


@dataclass(frozen=True, slots=True)
class Selection:
    """Which earlier events a counting rule looks at. Hashable, so results are cached."""

    channels: frozenset[str]
    directions: frozenset[str]
    outcomes: frozenset[str] | None  # None: every outcome
    unknown_outcome_counts: bool
    exclude_with_consent: bool
    include_agency: bool
    person_roles: frozenset[str | None] | None  # None: any person
    address: str | None  # canonical; None: any address
    debt_key: str | None  # None: any debt
    merge_kinds: frozenset[str]


class History:
    """The request's history sorted by instant, with cached selections."""

    __slots__ = ("_cache", "_debts", "events", "timestamps")

    def __init__(self, request: ProposedAction) -> None:
        events = sorted(request.history or (), key=lambda e: e.at)
        self.events: tuple[ContactEvent, ...] = tuple(events)
        self.timestamps: tuple[float, ...] = tuple(e.at.timestamp() for e in events)
        self._debts = request.debts
        self._cache: dict[Selection, tuple[float, ...]] = {}

    def debt_keys(self, merge_kinds: frozenset[str]) -> DebtKeys:
        return DebtKeys.build(self._debts, merge_kinds)

    def select(self, sel: Selection) -> tuple[float, ...]:
        """Sorted UTC timestamps of the events the selection names."""
        cached = self._cache.get(sel)
        if cached is not None:
            return cached
        debt_keys = self.debt_keys(sel.merge_kinds) if sel.debt_key is not None else None
        result = []
        for event, ts in zip(self.events, self.timestamps, strict=True):
            if event.channel not in sel.channels or event.direction not in sel.directions:
                continue
            if event.outcome is None:
                if not sel.unknown_outcome_counts:
                    continue
            elif sel.outcomes is not None and event.outcome not in sel.outcomes:
                continue
            if sel.exclude_with_consent and event.with_consent:
                continue
            if not sel.include_agency and event.by_agency:
                continue
            if sel.person_roles is not None and event.recipient_role not in sel.person_roles:
                continue
            if (
                sel.address is not None
                and event.address is not None
                and address_key(event.address) != sel.address
            ):
                continue
            if debt_keys is not None:
                keys = debt_keys.keys(event.debt_ids)
                if keys is not None and sel.debt_key not in keys:
                    continue
            result.append(ts)
        selected = tuple(result)
        self._cache[sel] = selected
        return selected
