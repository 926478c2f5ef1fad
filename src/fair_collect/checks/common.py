"""Small readings of a request that several check modules share.

Kept in one place so that two rules never disagree on them: when a consent
is in force, how an instant is written in evidence, which earlier events
have happened by the instant being checked, when a message field a rule must
read is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from fair_collect.checks.base import Finding
from fair_collect.facts.core import Facts
from fair_collect.model import MEDIUM, Consent, ContactEvent

__all__ = ["consent_in_force", "consents_for_medium", "events_until", "evidence_instant"]


def consent_in_force(consent: Consent, at: datetime) -> bool:
    """Given at or before ``at`` and, if it names a window, open at ``at``
    (``window_end`` is exclusive)."""
    if consent.given_at > at:
        return False
    if consent.window_start is not None and at < consent.window_start:
        return False
    return consent.window_end is None or at < consent.window_end


def consents_for_medium(facts: Facts, kind: str) -> list[Consent]:
    """The borrower's consents of ``kind`` that may cover the action's medium
    (a consent naming no channel covers every medium; a call and a voicemail
    are one medium). Whether one is in force at an instant, or names the
    right address, is for the caller to ask."""
    consents = facts.base.borrower_fields.get("consents")
    if not consents:
        return []
    medium = MEDIUM[facts.base.fields["channel"]]
    return [
        c for c in consents if c.kind == kind and (c.channel is None or MEDIUM[c.channel] == medium)
    ]


def evidence_instant(value: datetime | None, facts: Facts) -> str | None:
    """An instant for evidence, in the offset the request's ``at`` is written in
    (history instants are kept in UTC; a reader compares with ``at``)."""
    return value.astimezone(facts.request.at.tzinfo).isoformat() if value is not None else None


def events_until(facts: Facts) -> Iterator[tuple[ContactEvent, float]]:
    """History events at or before the instant being checked, oldest first, with
    their POSIX timestamps (none when the request has no history)."""
    events, stamps = facts.base.history.ordered()
    now = facts.at_ts
    for event, ts in zip(events, stamps, strict=True):
        if ts > now:
            return
        yield event, ts


def missing_message_field(facts: Facts, required: tuple[str, ...]) -> Finding | None:
    """A missing-fact finding for the first of the ``required`` message fields
    (``text``, ``subject``...) that the request leaves out or blank, else None:
    a rule that must read what the action says cannot pass without it."""
    message = facts.request.message
    for name in required:
        value = getattr(message, name) if message is not None else None
        if not value or not value.strip():
            fact = f"message.{name}"
            return Finding(
                {"fact": fact, "needed": f"{fact}: what the action will say, to be checked"},
                missing_fact=fact,
            )
    return None
