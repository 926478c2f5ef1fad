"""Mail checks: channels that may not be used at all (a postcard shows its text to
anyone who handles it), and what an envelope may show (15 U.S.C. 1692f(7)-(8),
12 CFR 1006.22(f)(1)-(2)).

Neither is cured by waiting (``Timeless``). Envelope words are matched with the
shared word lists of ``checks.terms``: whole words, word forms listed
explicitly, no wildcards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from fair_collect.checks.base import CheckKind, CheckParams, Finding, PackContext, Timeless
from fair_collect.checks.terms import TermEntries, TermList
from fair_collect.facts.core import Facts
from fair_collect.model import Channel

__all__ = ["KINDS"]


# -------------------------------------------------------------- prohibited channel


class ProhibitedChannelParams(CheckParams):
    """Channels that may not be used at all (a postcard exposes its text to anyone)."""

    channels: tuple[Channel, ...] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class ProhibitedChannel(Timeless):
    channels: frozenset[str]

    def evaluate(self, facts: Facts) -> Finding | None:
        channel = facts.request.channel
        if channel not in self.channels:
            return None
        return Finding({"prohibited_channel": channel})


def _build_prohibited(params: ProhibitedChannelParams, ctx: PackContext) -> ProhibitedChannel:
    return ProhibitedChannel(channels=frozenset(params.channels))


PROHIBITED_CHANNEL = CheckKind(
    name="prohibited_channel",
    params=ProhibitedChannelParams,
    build=_build_prohibited,
    evidence=frozenset({"prohibited_channel"}),
    summary="Violated when the action uses one of the listed channels.",
)


# ------------------------------------------------------------------ envelope text

ENVELOPE_FACT = "envelope_text"

EnvelopeField = Literal["envelope_text", "sender_name"]


class EnvelopeWordingParams(CheckParams):
    """Nothing on an envelope may indicate debt collection.

    ``fields`` are what the envelope shows: its visible text
    (``message.envelope_text``) and the sender's business name
    (``message.sender_name``, else ``collector.name``: a letter goes out under
    the collector's name unless the request says which name it shows).
    ``require_envelope_text``: an envelope the request does not describe is a
    missing fact, not a pass; an empty text says that nothing but the
    addresses is shown.
    """

    terms: TermEntries
    fields: tuple[EnvelopeField, ...] = Field(
        default=("envelope_text", "sender_name"), min_length=1
    )
    require_envelope_text: bool = True


@dataclass(frozen=True, slots=True)
class EnvelopeWording(Timeless):
    terms: TermList
    fields: tuple[EnvelopeField, ...]
    require_envelope_text: bool

    @staticmethod
    def _shown(facts: Facts, field: EnvelopeField) -> tuple[str, str | None]:
        """Where the field's text comes from, and the text (None: not known)."""
        message = facts.request.message
        if field == "envelope_text":
            return "message.envelope_text", message.envelope_text if message else None
        name = message.sender_name if message else None
        if name is not None:
            return "message.sender_name", name
        collector = facts.request.collector
        return "collector.name", collector.name if collector else None

    def evaluate(self, facts: Facts) -> Finding | None:
        for field in self.fields:
            source, text = self._shown(facts, field)
            if not text:
                continue
            matched = self.terms.find(text)
            if matched:
                return Finding({"field": source, "shown_text": text, "matched_terms": matched})
        message = facts.request.message
        if self.require_envelope_text and (message is None or message.envelope_text is None):
            return Finding(
                {
                    "fact": ENVELOPE_FACT,
                    "needed": (
                        "message.envelope_text: everything visible on the envelope besides the"
                        " addresses (an empty string when nothing else is)"
                    ),
                },
                missing_fact=ENVELOPE_FACT,
            )
        return None


def _build_envelope(params: EnvelopeWordingParams, ctx: PackContext) -> EnvelopeWording:
    # Every term applies whatever the message's language: a debt-collection
    # word on an envelope discloses the debt in any language (fail closed).
    return EnvelopeWording(
        terms=TermList.of(params.terms),
        fields=params.fields,
        require_envelope_text=params.require_envelope_text,
    )


ENVELOPE_WORDING = CheckKind(
    name="envelope_wording",
    params=EnvelopeWordingParams,
    build=_build_envelope,
    evidence=frozenset({"field", "shown_text", "matched_terms"}),
    summary=(
        "Violated when the envelope text or the sender's business name (the collector's name"
        " when the message names none) contains a listed debt-collection term; an envelope"
        " the request does not describe is a missing fact."
    ),
)

KINDS: tuple[CheckKind, ...] = (PROHIBITED_CHANNEL, ENVELOPE_WORDING)
