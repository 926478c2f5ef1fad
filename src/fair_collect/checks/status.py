"""Consumer-status checks: attorney representation, cease requests, disputes,
bankruptcy, death, and debts flagged as time-barred.

These block because of who the consumer is or what they have told the
collector, not because of the clock, so every check here is ``Timeless``:
``next_allowed_at`` is null while one blocks (SPEC section 3). An attorney who
does not respond stops barring contact a reasonable period after the
collector's communication; that instant is reported as evidence
(``contact_allowed_from``), not as ``next_allowed_at``, because it is a fact
about the attorney's silence that the caller must confirm when it comes.

Statuses that the law ties to a debt (representation, cease, dispute, time
bar) are per debt: a status recorded for D1 does not block an action about
D2. An action whose debts are unknown (no ``debt_ids`` and no ``debts``) may be
about any debt, so every recorded status applies to it (fail closed).

The request model gives each status a default (false, none, no disputes), so
a status the caller does not record does not apply; where the law needs a
fact the request lacks to lift a status (the start of a validation period,
whether the attorney responded), the status is taken to apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays
from pydantic import Field

from fair_collect.checks.base import CheckKind, CheckParams, Finding, PackContext, Timeless
from fair_collect.checks.common import evidence_instant
from fair_collect.facts.clock import day_start
from fair_collect.facts.core import Facts
from fair_collect.facts.history import ANY_DEBT
from fair_collect.facts.zoneinfo_cache import get_zone
from fair_collect.model import Debt, Dispute, Representation

__all__ = ["KINDS", "legal_public_holidays"]


def _covered(action_debts: Iterable[str], named: Iterable[str] | None) -> list[str]:
    """The debts of the action that a status naming ``named`` (None: all) covers.

    An action about unknown debts (``*``) may be about any named debt.
    """
    action = list(action_debts)
    if named is None:
        return action
    named = list(named)
    if ANY_DEBT in action:
        return named
    return [debt_id for debt_id in action if debt_id in named]


# ------------------------------------------------------------------ attorney


class AttorneyRepresentationParams(CheckParams):
    """A known attorney for a debt bars contact about it (12 CFR 1006.6(b)(2)).

    ``reasonable_period_days``: how long after the collector's last
    communication to the attorney an attorney who has not responded still
    bars contact; the law sets no number, so the pack must.
    ``consent_exception``: the attorney's consent to direct contact lifts the
    bar. 15 U.S.C. 1692b(6) (location contacts with third parties) names only
    the attorney's failure to respond, so a rule for it sets this to false.
    """

    reasonable_period_days: int = Field(ge=1, le=365)
    consent_exception: bool = True


#: Whether and when a representation that bars the action lapses:
#: ``lapses_if_still_unanswered`` - at ``contact_allowed_from``, if the attorney
#: has still not responded then; the others never lapse on the facts given.
Lapse = Literal[
    "lapses_if_still_unanswered",
    "attorney_responded",
    "attorney_response_not_recorded",
    "no_communication_to_attorney_recorded",
]


@dataclass(frozen=True, slots=True)
class _Bar:
    """A representation that bars the action, for ``debts``."""

    rep: Representation
    debts: list[str]
    lapse: Lapse
    lapses_at: datetime | None  # only for lapses_if_still_unanswered


@dataclass(frozen=True, slots=True)
class AttorneyRepresentation(Timeless):
    """Timeless although an unanswered attorney stops barring contact: the
    lapse is reported as ``contact_allowed_from`` evidence, since only the
    caller can confirm then that the attorney still has not responded, and
    SPEC section 3 keeps ``next_allowed_at`` null while an attorney rule blocks."""

    period: timedelta
    consent_exception: bool

    def _bar(self, facts: Facts) -> _Bar | None:
        rep = facts.base.borrower_fields.get("represented_by_attorney")
        if rep is None or not rep.attorney_known:
            return None
        if self.consent_exception and rep.attorney_consented:
            return None
        debts = _covered(facts.base.debt_ids(), rep.debt_ids)
        if not debts:
            return None
        communicated = rep.attorney_last_communicated_at
        if communicated is None:
            return _Bar(rep, debts, "no_communication_to_attorney_recorded", None)
        if rep.attorney_responded is None:  # unknown: fail closed
            return _Bar(rep, debts, "attorney_response_not_recorded", None)
        if rep.attorney_responded:
            return _Bar(rep, debts, "attorney_responded", None)
        lapses_at = communicated + self.period
        if facts.at >= lapses_at:
            return None
        return _Bar(rep, debts, "lapses_if_still_unanswered", lapses_at)

    def evaluate(self, facts: Facts) -> Finding | None:
        bar = self._bar(facts)
        if bar is None:
            return None
        return Finding(
            {
                "debt_ids": bar.debts,
                "attorney_last_communicated_at": evidence_instant(
                    bar.rep.attorney_last_communicated_at, facts
                ),
                "attorney_responded": bar.rep.attorney_responded,
                "reasonable_period_days": self.period.days,
                "lapse": bar.lapse,
                "contact_allowed_from": evidence_instant(bar.lapses_at, facts),
            }
        )


def _build_attorney(
    params: AttorneyRepresentationParams, ctx: PackContext
) -> AttorneyRepresentation:
    return AttorneyRepresentation(
        period=timedelta(days=params.reasonable_period_days),
        consent_exception=params.consent_exception,
    )


ATTORNEY_REPRESENTATION = CheckKind(
    name="attorney_representation",
    params=AttorneyRepresentationParams,
    build=_build_attorney,
    evidence=frozenset(
        {
            "debt_ids",
            "attorney_last_communicated_at",
            "attorney_responded",
            "reasonable_period_days",
            "lapse",
            "contact_allowed_from",
        }
    ),
    summary=(
        "Violated when the action is about a debt on which the borrower has a known attorney,"
        " unless the attorney consented to direct contact (when consent_exception) or the"
        " attorney is recorded as not having responded (attorney_responded false) within"
        " reasonable_period_days of the collector's last communication to them. Not time-based:"
        " the lapse is reported as contact_allowed_from."
    ),
)


# --------------------------------------------------------------------- cease


class CeaseCommunicationParams(CheckParams):
    """A cease request bars communication about the debts it names (12 CFR 1006.6(c)).

    ``require_writing``: only a written (or electronic) request counts, as in
    Regulation F; an oral one is a medium opt-out, checked elsewhere.
    """

    require_writing: bool = True


@dataclass(frozen=True, slots=True)
class CeaseCommunication(Timeless):
    require_writing: bool

    def evaluate(self, facts: Facts) -> Finding | None:
        cease = facts.base.borrower_fields.get("cease_request")
        if cease is None or (self.require_writing and not cease.in_writing):
            return None
        if cease.received_at > facts.at:  # effective when received
            return None
        debts = _covered(facts.base.debt_ids(), cease.debt_ids)
        if not debts:
            return None
        return Finding(
            {
                "debt_ids": debts,
                "received_at": evidence_instant(cease.received_at, facts),
                "in_writing": cease.in_writing,
            }
        )


def _build_cease(params: CeaseCommunicationParams, ctx: PackContext) -> CeaseCommunication:
    return CeaseCommunication(require_writing=params.require_writing)


CEASE_COMMUNICATION = CheckKind(
    name="cease_communication",
    params=CeaseCommunicationParams,
    build=_build_cease,
    evidence=frozenset({"debt_ids", "received_at", "in_writing"}),
    summary=(
        "Violated when the borrower's cease request (in writing, unless require_writing is"
        " false) was received at or before the action and covers one of its debts."
    ),
)


# ------------------------------------------------------------------ disputes

#: Where a calendar date begins first (UTC+14) and ends last (UTC-12): without
#: a candidate zone, the validation period runs from the latest date the
#: notice can have been sent on to the end of its last day anywhere.
_DATE_BEGINS_FIRST = get_zone("Etc/GMT-14")
_DATE_ENDS_LAST = get_zone("Etc/GMT+12")

_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=256)
def legal_public_holidays(year: int) -> frozenset[date]:
    """The legal public holidays of 5 U.S.C. 6103(a) in ``year`` (the ``holidays``
    package's US federal calendar), with the Friday or Monday on which a holiday
    falling on a weekend is observed.

    Both the statutory date and the observed day are included: excluding more
    days only moves an assumed receipt later, which keeps a dispute timely
    (fail closed). The next year is consulted too, since a Saturday New Year's
    Day is observed on 31 December of ``year``.
    """
    calendar = holidays.country_holidays("US", years=(year, year + 1), observed=True)
    return frozenset(day for day in calendar if day.year == year)


def _end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The instant local calendar ``day`` ends in ``zone`` (the next day begins)."""
    return day_start(day + _ONE_DAY, zone)


def _after_business_days(day: date, count: int) -> date:
    """The date at the end of ``count`` days after ``day``, not counting Saturdays,
    Sundays and legal public holidays."""
    while count > 0:
        day += _ONE_DAY
        if day.weekday() < 5 and day not in legal_public_holidays(day.year):
            count -= 1
    return day


class PendingDisputeParams(CheckParams):
    """A timely dispute stops collection of the debt until verification is sent
    (12 CFR 1006.38(d)(2)).

    The validation period ends ``validation_period_days`` after the consumer
    receives the validation notice, assumed to be at the end of
    ``assumed_receipt_business_days`` days (not counting Saturdays, Sundays and
    legal public holidays) after it was sent (12 CFR 1006.34(b)(5)).
    ``require_writing``: only written (or electronic) disputes count.
    """

    validation_period_days: int = Field(ge=1, le=366)
    assumed_receipt_business_days: int = Field(ge=0, le=30)
    require_writing: bool = True


@dataclass(frozen=True, slots=True)
class _PeriodEnd:
    ends_at: datetime | None  # None: unknown, the dispute is taken to be timely
    basis: Literal["stated_in_notice", "assumed_receipt", "unknown"]


@dataclass(frozen=True, slots=True)
class PendingDispute(Timeless):
    validation_period: timedelta
    receipt_business_days: int
    require_writing: bool
    fallback_zone: ZoneInfo | None

    def _latest_end(self, last_day_in: Callable[[ZoneInfo], date], facts: Facts) -> datetime:
        """The end of the validation period whose last day, read in a zone, is
        ``last_day_in(zone)``: the latest end over the borrower's candidate
        zones; with none, the end of that day anywhere (UTC-12)."""
        zones = tuple(c.zone for c in facts.zones(self.fallback_zone))
        if not zones:
            return _end_of_day(last_day_in(_DATE_BEGINS_FIRST), _DATE_ENDS_LAST)
        return max(_end_of_day(last_day_in(z), z) for z in zones)

    def _period_end(self, debt: Debt | None, facts: Facts) -> _PeriodEnd:
        """The end of the debt's validation period; the later one when the notice
        states one and the date it was sent gives another."""
        if debt is None:
            return _PeriodEnd(None, "unknown")
        stated = None
        if debt.validation_period_ends_at is not None:
            last_day = debt.validation_period_ends_at
            stated = self._latest_end(lambda _zone: last_day, facts)
        assumed = None
        if debt.validation_notice_sent_at is not None:
            sent = debt.validation_notice_sent_at
            assumed = self._latest_end(lambda zone: self._last_day(sent, zone), facts)
        if stated is not None and (assumed is None or stated >= assumed):
            return _PeriodEnd(stated, "stated_in_notice")
        if assumed is not None:
            return _PeriodEnd(assumed, "assumed_receipt")
        return _PeriodEnd(None, "unknown")

    def _last_day(self, sent: datetime, zone: ZoneInfo) -> date:
        """The last day of the period for a notice sent at ``sent``, in ``zone``."""
        received = _after_business_days(sent.astimezone(zone).date(), self.receipt_business_days)
        return received + self.validation_period

    def _pending(self, facts: Facts) -> list[tuple[Dispute, _PeriodEnd]]:
        disputes = facts.base.borrower_fields.get("disputes")
        if not disputes:
            return []
        action = facts.base.debt_ids()
        debts = {d.id: d for d in facts.request.debts}
        pending = []
        for dispute in sorted(disputes, key=lambda d: d.received_at):
            if self.require_writing and not dispute.in_writing:
                continue
            if dispute.verification_sent or dispute.received_at > facts.at:
                continue
            if not _covered(action, (dispute.debt_id,)):
                continue
            end = self._period_end(debts.get(dispute.debt_id), facts)
            if end.ends_at is not None and dispute.received_at > end.ends_at:
                continue  # received after the validation period: no stop
            pending.append((dispute, end))
        return pending

    def evaluate(self, facts: Facts) -> Finding | None:
        pending = self._pending(facts)
        if not pending:
            return None
        first, end = pending[0]
        return Finding(
            {
                "debt_ids": list(dict.fromkeys(d.debt_id for d, _ in pending)),
                "received_at": evidence_instant(first.received_at, facts),
                "validation_period_ends_at": evidence_instant(end.ends_at, facts),
                "validation_period_basis": end.basis,
            }
        )


def _build_dispute(params: PendingDisputeParams, ctx: PackContext) -> PendingDispute:
    return PendingDispute(
        validation_period=timedelta(days=params.validation_period_days),
        receipt_business_days=params.assumed_receipt_business_days,
        require_writing=params.require_writing,
        fallback_zone=ctx.time_zone,
    )


PENDING_DISPUTE = CheckKind(
    name="pending_dispute",
    params=PendingDisputeParams,
    build=_build_dispute,
    evidence=frozenset(
        {"debt_ids", "received_at", "validation_period_ends_at", "validation_period_basis"}
    ),
    summary=(
        "Violated when the action is about a debt with a written dispute, received at or"
        " before the action and within the validation period, for which verification has"
        " not been sent. A validation period that cannot be computed counts as open."
    ),
)


# ---------------------------------------------------------- borrower status

BorrowerStatusName = Literal["bankruptcy", "deceased", "hardship", "unreachable"]


class BorrowerStatusParams(CheckParams):
    """A status of the borrower as a whole (``borrower.<status>`` is true).

    Which recipients, purposes and channels it bars is the rule's
    ``applies_to``: the federal bankruptcy rules bind lawsuits and credit
    reports whatever their purpose, and communications that collect with
    anyone but the borrower's attorney; a deceased borrower's debt may still
    be discussed with the estate's representative.
    """

    status: BorrowerStatusName


@dataclass(frozen=True, slots=True)
class BorrowerStatus(Timeless):
    status: BorrowerStatusName

    def evaluate(self, facts: Facts) -> Finding | None:
        if not facts.base.borrower_fields.get(self.status):
            return None
        return Finding({"status": self.status, "debt_ids": list(facts.base.debt_ids())})


def _build_borrower_status(params: BorrowerStatusParams, ctx: PackContext) -> BorrowerStatus:
    return BorrowerStatus(status=params.status)


BORROWER_STATUS = CheckKind(
    name="borrower_status",
    params=BorrowerStatusParams,
    build=_build_borrower_status,
    evidence=frozenset({"status", "debt_ids"}),
    summary=(
        "Violated when the borrower has the status (bankruptcy, deceased, hardship, unreachable)."
    ),
)


# ----------------------------------------------------------------- debt flag

DebtFlagName = Literal["time_barred", "illegal"]


class DebtFlagParams(CheckParams):
    """A flag on a debt the action is about (``debts[].<flag>`` is true)."""

    flag: DebtFlagName


@dataclass(frozen=True, slots=True)
class DebtFlag(Timeless):
    flag: DebtFlagName

    def evaluate(self, facts: Facts) -> Finding | None:
        flagged = {d.id for d in facts.request.debts if getattr(d, self.flag)}
        if not flagged:
            return None
        debts = _covered(facts.base.debt_ids(), sorted(flagged))
        if not debts:
            return None
        return Finding({"flag": self.flag, "debt_ids": debts})


def _build_debt_flag(params: DebtFlagParams, ctx: PackContext) -> DebtFlag:
    return DebtFlag(flag=params.flag)


DEBT_FLAG = CheckKind(
    name="debt_flag",
    params=DebtFlagParams,
    build=_build_debt_flag,
    evidence=frozenset({"flag", "debt_ids"}),
    summary="Violated when a debt the action is about has the flag (time_barred, illegal).",
)

KINDS = (
    ATTORNEY_REPRESENTATION,
    CEASE_COMMUNICATION,
    PENDING_DISPUTE,
    BORROWER_STATUS,
    DEBT_FLAG,
)
