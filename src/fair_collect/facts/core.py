"""Facts of one request, each computed at most once.

``RequestFacts`` holds what does not depend on the instant being checked:
candidate zones (found up front, since every verdict reports them), and the
history and debt buckets (built when a rule first asks). ``Facts`` pairs it with
one instant, so that ``next_allowed_at`` can re-ask every time-based check at a
later instant without recomputing the rest.

Facts live for one ``check`` call on one thread; their caches need no locks.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from fair_collect.facts.history import ANY_DEBT, History
from fair_collect.facts.zones import ZoneCandidate, ZoneSet, zone_set
from fair_collect.model import ProposedAction, field_values
from fair_collect.text.lexicon import Lexicon, LexiconScan
from fair_collect.text.turns import SPOKEN_CHANNELS, collector_speech

__all__ = ["Facts", "RequestFacts"]

_NOTHING: Mapping[str, Any] = MappingProxyType({})


class RequestFacts:
    """Time-independent facts of one request."""

    __slots__ = (
        "_debt_ids",
        "_history",
        "_instants",
        "_words",
        "at_utc",
        "borrower_fields",
        "fields",
        "lexicon",
        "memo",
        "request",
        "spoken",
        "zone_set",
    )

    def __init__(
        self,
        request: ProposedAction,
        lexicon: Lexicon | None = None,
        zones: ZoneSet | None = None,
    ) -> None:
        self.request = request
        #: The request's field values, and the borrower's (empty without a
        #: borrower): checks that read several fields per request read them here,
        #: as dict lookups, not through pydantic's slow attribute hook.
        self.fields: Mapping[str, Any] = field_values(request)
        borrower = self.fields["borrower"]
        self.borrower_fields: Mapping[str, Any] = (
            _NOTHING if borrower is None else field_values(borrower)
        )
        #: The policy's compiled word lists; scanned once per message field.
        self.lexicon = lexicon
        self._words: dict[str, LexiconScan] = {}
        #: The message is said, not sent (a call or voicemail script): its
        #: speaker labels are never heard (``collector_speech``).
        self.spoken = request.channel in SPOKEN_CHANNELS
        #: The requested instant as a UTC datetime, comparable with history instants.
        #: Checks only ever move later than it (``next_allowed_at``), so it bounds
        #: how far back history matters.
        self.at_utc = request.at.astimezone(UTC)
        #: Candidate zones: every verdict reports them, so they are found up front
        #: (a cached lookup per distinct location).
        self.zone_set: ZoneSet = zone_set(request) if zones is None else zones
        self._history: History | None = None
        self._debt_ids: tuple[str, ...] | None = None
        #: Per-request results that several rules share (e.g. counting buckets),
        #: keyed by whoever computes them.
        self.memo: dict[object, object] = {}
        #: The facts at each later instant asked so far (``Facts.at_instant``).
        self._instants: dict[datetime, Facts] = {}

    @property
    def history(self) -> History:
        if self._history is None:
            self._history = History(self.request)
        return self._history

    def message_field(self, field: str) -> str | None:
        """The text of one message field (``text``, ``subject``...), or None."""
        message = self.request.message
        return getattr(message, field, None) if message is not None else None

    def words(self, field: str) -> LexiconScan:
        """The word-list hits in one message field (``text``, ``subject``...), found
        once per request by one pass of the policy's automaton. In a transcript
        only the collector's words count (``collector_speech``)."""
        hits = self._words.get(field)
        if hits is None:
            value = self.message_field(field)
            hits = (
                LexiconScan(())
                if not value or self.lexicon is None
                else self.lexicon.scan(collector_speech(value, self.spoken))
            )
            self._words[field] = hits
        return hits

    def debt_ids(self) -> tuple[str, ...]:
        """The debts this action is about: ``debt_ids``, else every debt, else ``*``
        (found once per request: several rules ask)."""
        found = self._debt_ids
        if found is None:
            fields = self.fields
            if fields["debt_ids"]:
                found = fields["debt_ids"]
            elif fields["debts"]:
                found = tuple([field_values(d)["id"] for d in fields["debts"]])
            else:
                found = (ANY_DEBT,)
            self._debt_ids = found
        return found


class Facts:
    """Facts of one request at one instant."""

    __slots__ = ("_at_ts", "_local", "at", "base", "memo", "request")

    def __init__(self, base: RequestFacts, at: datetime) -> None:
        self.base = base
        self.request = base.request
        self.at = at
        self._at_ts: float | None = None
        self._local: dict[ZoneInfo, datetime] = {}
        #: Per-instant results a check computes in ``evaluate`` and needs again in
        #: ``next_pass`` at the same instant, keyed by the check.
        self.memo: dict[object, object] = {}

    @classmethod
    def of(
        cls, request: ProposedAction, lexicon: Lexicon | None = None, zones: ZoneSet | None = None
    ) -> Facts:
        """``zones``: the request's candidate zones, when the caller has them."""
        base = RequestFacts(request, lexicon, zones)
        facts = base._instants[request.at] = cls(base, request.at)
        return facts

    def at_instant(self, at: datetime) -> Facts:
        """The same request checked at another instant (shares time-independent
        facts). One ``Facts`` per instant: a check's ``next_pass`` tries an
        instant, and the engine then re-checks every rule there, so what the
        check found at it (its per-instant memo) is found once."""
        instants = self.base._instants
        found = instants.get(at)
        if found is None:
            found = instants[at] = Facts(self.base, at)
        return found

    def zones(
        self, fallback: ZoneInfo | None = None, fixed: ZoneInfo | None = None
    ) -> tuple[ZoneCandidate, ...]:
        """The distinct candidate zones a rule evaluates.

        ``fixed``: the rule names its own zone (China counts days in
        Asia/Shanghai), whatever the request says. ``fallback``: the pack's
        declared zone, used only when the request gives none.
        """
        if fixed is not None:
            return (ZoneCandidate(name=fixed.key, zone=fixed, source="rule"),)
        zones = self.base.zone_set.unique
        if zones or fallback is None:
            return zones
        return (ZoneCandidate(name=fallback.key, zone=fallback, source="jurisdiction"),)

    @property
    def at_ts(self) -> float:
        """``at`` as a POSIX timestamp, for comparing with history timestamps
        (computed when a rule first asks: most checks never do)."""
        ts = self._at_ts
        if ts is None:
            ts = self._at_ts = self.at.timestamp()
        return ts

    def local(self, zone: ZoneInfo) -> datetime:
        """The instant being checked, as local wall-clock time in ``zone``."""
        local = self._local.get(zone)
        if local is None:
            local = self._local[zone] = self.at.astimezone(zone)
        return local

    def local_date(self, zone: ZoneInfo) -> date:
        return self.local(zone).date()
