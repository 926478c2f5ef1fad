"""Time-of-day checks: permitted local hours, and times the borrower declared inconvenient.

Both hold in *every* candidate zone: when the borrower's location is
ambiguous, an action must be convenient wherever they may be (Regulation F
comment 6(b)(1)(i)-1). Windows are half-open, ``[start, end)``: at 21:00:00
the 08:00-21:00 window is closed (REGULATIONS.md 2.2, boundary policy).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Annotated
from zoneinfo import ZoneInfo

import holidays
from pydantic import Field, field_validator, model_validator

from fair_collect.checks.base import CheckKind, CheckParams, Finding, PackContext
from fair_collect.checks.common import consent_in_force, consents_for_medium
from fair_collect.facts.clock import minutes_of, wall_instant, wall_instant_after
from fair_collect.facts.core import Facts
from fair_collect.facts.zoneinfo_cache import get_zone
from fair_collect.facts.zones import ZoneCandidate
from fair_collect.model import (
    MEDIUM,
    WEEKDAYS,
    ClockTime,
    Consent,
    ConsentKind,
    TimeSpan,
    Weekday,
    ZoneName,
)

__all__ = ["KINDS", "clock_minutes", "missing_zone"]

#: How far ahead ``next_pass`` looks, and how many refinements it makes.
_HORIZON = timedelta(days=400)
_MAX_STEPS = 64

ZONE_FACT = "time_zone"
ZONE_FACT_HELP = (
    "the borrower's time zone: borrower.location (time_zone, postal_code, region),"
    " a borrower phone number or the dialled number"
)


def clock_minutes(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def missing_zone() -> Finding:
    return Finding({"fact": ZONE_FACT, "needed": ZONE_FACT_HELP}, missing_fact=ZONE_FACT)


#: Evidence every local-time check gives: where and when the action would land.
_LOCAL_EVIDENCE = frozenset({"local_time", "local_date", "local_day", "time_zone", "zone_source"})


def _zone_evidence(facts: Facts, cand: ZoneCandidate) -> dict[str, object]:
    local = facts.local(cand.zone)
    return {
        "local_time": f"{local.hour:02d}:{local.minute:02d}",  # strftime("%H:%M"), faster
        "local_date": local.date().isoformat(),
        "local_day": WEEKDAYS[local.weekday()],
        "time_zone": cand.name,
        "zone_source": cand.source,
    }


# --------------------------------------------------------------------------- window


class LocalTimeWindowParams(CheckParams):
    """Contact only between ``start`` and ``end`` local time, on ``days``.

    ``closed_on_holidays``: an ISO country code (optionally with a
    subdivision, ``ID``, ``US-NY``); its public holidays (the ``holidays``
    package's calendar) are closed all day (Indonesia: no collection on
    national holidays). ``consent_exemption``: a kind of borrower consent
    (``time``: a time the borrower agreed) that, while in force at the
    instant (given before it, inside its window, for this medium when it
    names one), allows contact outside the window ("unless the debtor agreed
    a time", the Chinese guidelines).
    """

    start: ClockTime
    end: ClockTime
    days: tuple[Weekday, ...] = WEEKDAYS  # type: ignore[assignment]
    zone: ZoneName | None = None
    closed_on_holidays: Annotated[str, Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")] | None = None
    consent_exemption: ConsentKind | None = None

    @field_validator("closed_on_holidays")
    @classmethod
    def _known_calendar(cls, code: str | None) -> str | None:
        if code is not None:
            country, _, subdivision = code.partition("-")
            try:
                holidays.country_holidays(country, subdiv=subdivision or None, years=2026)
            except NotImplementedError:
                raise ValueError(f"no public-holiday calendar is known for {code!r}") from None
        return code

    @field_validator("days")
    @classmethod
    def _some_days(cls, days: tuple[str, ...]) -> tuple[str, ...]:
        if not days:
            raise ValueError("at least one day")
        return days

    @model_validator(mode="after")
    def _ordered(self) -> LocalTimeWindowParams:
        if clock_minutes(self.start) >= clock_minutes(self.end):
            raise ValueError("start must be before end")
        return self


@lru_cache(maxsize=512)
def _public_holidays(code: str, year: int) -> dict[date, str]:
    """The public holidays of a country (``ID``) or subdivision (``US-NY``) in
    ``year``, with their names, from the ``holidays`` package."""
    country, _, subdivision = code.partition("-")
    calendar = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return dict(calendar.items())


#: The longest run of closed days ``next_pass`` looks through (a week of
#: closed weekdays plus a long holiday such as Lebaran cuti bersama).
_MAX_CLOSED_DAYS = 31


@dataclass(frozen=True, slots=True)
class LocalTimeWindow:
    start: int
    end: int
    days: frozenset[int]
    fixed_zone: ZoneInfo | None
    fallback_zone: ZoneInfo | None
    holiday_calendar: str | None = None
    consent_exemption: str | None = None

    @property
    def time_based(self) -> bool:
        return True

    def _holiday(self, day: date) -> str | None:
        if self.holiday_calendar is None:
            return None
        return _public_holidays(self.holiday_calendar, day.year).get(day)

    def _open_on(self, day: date) -> bool:
        return day.weekday() in self.days and self._holiday(day) is None

    def _inside(self, local: datetime) -> bool:
        return self.start <= minutes_of(local) < self.end and self._open_on(local.date())

    def _consents(self, facts: Facts) -> list[Consent]:
        """The borrower's consents of the exempting kind for this medium."""
        if self.consent_exemption is None:
            return []
        return consents_for_medium(facts, self.consent_exemption)

    def evaluate(self, facts: Facts) -> Finding | None:
        zones = facts.zones(self.fallback_zone, self.fixed_zone)
        if not zones:
            return missing_zone()
        for cand in zones:
            local = facts.local(cand.zone)
            if not self._inside(local):
                if any(consent_in_force(c, facts.at) for c in self._consents(facts)):
                    return None  # a time the borrower agreed to
                evidence = _zone_evidence(facts, cand)
                evidence["start"] = _clock(self.start)
                evidence["end"] = _clock(self.end)
                evidence["permitted_days"] = [WEEKDAYS[d] for d in sorted(self.days)]
                holiday = self._holiday(local.date())
                if holiday is not None:
                    evidence["holiday"] = holiday
                return Finding(evidence)
        return None

    def _next_in_zone(self, at: datetime, zone: ZoneInfo) -> datetime | None:
        local = at.astimezone(zone)
        day = local.date()
        if self._inside(local):
            return at
        if self._open_on(day) and minutes_of(local) < self.start:
            opening = wall_instant_after(day, self.start, zone, at)
            if opening is not None:
                return opening
        for offset in range(1, _MAX_CLOSED_DAYS + 1):
            later: date = day + timedelta(days=offset)
            if self._open_on(later):
                return wall_instant(later, self.start, zone)
        return None

    def next_pass(self, facts: Facts) -> datetime | None:
        """The window's next opening in every zone, or an agreed time that opens
        sooner."""
        at = facts.at
        agreed = [
            c.window_start
            for c in self._consents(facts)
            if c.window_start is not None
            and c.window_start > at
            and consent_in_force(c, c.window_start)
        ]
        opening = self._next_opening(facts)
        return min((t for t in (opening, *agreed) if t is not None), default=None)

    def _next_opening(self, facts: Facts) -> datetime | None:
        """The earliest instant >= ``facts.at`` inside the window in every zone."""
        zones = facts.zones(self.fallback_zone, self.fixed_zone)
        if not zones:
            return None
        at = facts.at
        limit = at + _HORIZON
        for _ in range(_MAX_STEPS):
            nexts = [self._next_in_zone(at, c.zone) for c in zones]
            if any(n is None for n in nexts):
                return None
            latest = max(n for n in nexts if n is not None)
            if latest == at:
                return at
            if latest > limit:
                return None
            at = latest
        return None


def _build_window(params: LocalTimeWindowParams, ctx: PackContext) -> LocalTimeWindow:
    return LocalTimeWindow(
        start=clock_minutes(params.start),
        end=clock_minutes(params.end),
        days=frozenset(WEEKDAYS.index(d) for d in params.days),
        fixed_zone=get_zone(params.zone) if params.zone else None,
        fallback_zone=ctx.time_zone,
        holiday_calendar=params.closed_on_holidays,
        consent_exemption=params.consent_exemption,
    )


LOCAL_TIME_WINDOW = CheckKind(
    name="local_time_window",
    params=LocalTimeWindowParams,
    build=_build_window,
    evidence=_LOCAL_EVIDENCE | {"start", "end", "permitted_days", "holiday"},
    summary=(
        "Violated when the local time in any candidate zone is outside [start, end), on a day"
        " not listed or on a public holiday of closed_on_holidays, unless a borrower consent"
        " of consent_exemption covers the instant."
    ),
)


# ----------------------------------------------------------------- declared times


class DeclaredInconvenientTimeParams(CheckParams):
    """Times the borrower said are inconvenient (``borrower.inconvenient_times``)."""

    reply_exception: bool = True


@dataclass(frozen=True, slots=True)
class _Occurrence:
    span_index: int
    start_day: date
    end: datetime  # instant the occurrence ends


def _occurrence(spans: tuple[TimeSpan, ...], local: datetime, zone: ZoneInfo) -> _Occurrence | None:
    """The occurrence of a declared span that contains the local time, if any."""
    minutes = minutes_of(local)
    today = local.date()
    for index, span in enumerate(spans):
        start, end = clock_minutes(span.start), clock_minutes(span.end)
        if start < end:
            if WEEKDAYS[today.weekday()] in span.days and start <= minutes < end:
                return _Occurrence(index, today, wall_instant(today, end, zone))
        else:  # runs past midnight
            if WEEKDAYS[today.weekday()] in span.days and minutes >= start:
                return _Occurrence(index, today, wall_instant(today + timedelta(days=1), end, zone))
            yesterday = today - timedelta(days=1)
            if WEEKDAYS[yesterday.weekday()] in span.days and minutes < end:
                return _Occurrence(index, yesterday, wall_instant(today, end, zone))
    return None


@dataclass(frozen=True, slots=True)
class DeclaredInconvenientTime:
    reply_exception: bool
    fallback_zone: ZoneInfo | None

    @property
    def time_based(self) -> bool:
        return True

    def _spans(self, facts: Facts) -> tuple[TimeSpan, ...]:
        borrower = facts.request.borrower
        return borrower.inconvenient_times if borrower else ()

    def _replying(
        self, facts: Facts, zone: ZoneInfo, occ: _Occurrence, spans: tuple[TimeSpan, ...]
    ) -> bool:
        """The borrower initiated contact in this occurrence on this medium, not yet answered."""
        medium = MEDIUM[facts.request.channel]
        at_ts = facts.at_ts
        history = facts.base.history
        initiated = None
        events, stamps = history.ordered()
        for event, ts in zip(events, stamps, strict=True):
            if ts > at_ts:
                break
            if MEDIUM[event.channel] != medium:
                continue
            if event.direction == "inbound":
                event_occ = _occurrence(spans, event.at.astimezone(zone), zone)
                if (
                    event_occ is not None
                    and event_occ.span_index == occ.span_index
                    and event_occ.start_day == occ.start_day
                ):
                    initiated = ts
            elif initiated is not None:
                initiated = None  # already answered once
        return initiated is not None

    def _violation(
        self, facts: Facts, zones: tuple[ZoneCandidate, ...]
    ) -> tuple[ZoneCandidate, _Occurrence] | None:
        spans = self._spans(facts)
        for cand in zones:
            occ = _occurrence(spans, facts.local(cand.zone), cand.zone)
            if occ is None:
                continue
            if self.reply_exception and self._replying(facts, cand.zone, occ, spans):
                continue
            return cand, occ
        return None

    def evaluate(self, facts: Facts) -> Finding | None:
        spans = self._spans(facts)
        if not spans:
            return None
        zones = facts.zones(self.fallback_zone)
        if not zones:
            return missing_zone()
        found = self._violation(facts, zones)
        if found is None:
            return None
        cand, occ = found
        span = spans[occ.span_index]
        evidence = _zone_evidence(facts, cand)
        evidence["declared_span"] = f"{','.join(span.days)} {span.start}-{span.end}"
        evidence["span_ends_at"] = occ.end.astimezone(cand.zone).isoformat()
        return Finding(evidence)

    def next_pass(self, facts: Facts) -> datetime | None:
        zones = facts.zones(self.fallback_zone)
        if not zones:
            return None
        limit = facts.at + _HORIZON
        current = facts
        for _ in range(_MAX_STEPS):
            found = self._violation(current, zones)
            if found is None:
                return current.at
            _, occ = found
            if occ.end > limit or occ.end <= current.at:
                return None
            current = current.at_instant(occ.end)
        return None


def _build_declared(
    params: DeclaredInconvenientTimeParams, ctx: PackContext
) -> DeclaredInconvenientTime:
    return DeclaredInconvenientTime(
        reply_exception=params.reply_exception, fallback_zone=ctx.time_zone
    )


DECLARED_INCONVENIENT_TIME = CheckKind(
    name="declared_inconvenient_time",
    params=DeclaredInconvenientTimeParams,
    build=_build_declared,
    evidence=_LOCAL_EVIDENCE | {"declared_span", "span_ends_at"},
    summary=(
        "Violated when the local time in any candidate zone falls in a time the borrower declared"
        " inconvenient, except one same-medium reply after the borrower initiated contact then."
    ),
)

KINDS = (LOCAL_TIME_WINDOW, DECLARED_INCONVENIENT_TIME)
