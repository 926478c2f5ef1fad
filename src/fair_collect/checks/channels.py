"""Channel checks: opted-out media, qualifying addresses and consents, prohibited
media, mail, credit reporting and automated calls.

Most of these block because of *how* an action would reach the person, not
because of the clock, so waiting does not cure them and they are not
time-based. Two are: the wait before furnishing a debt to a consumer
reporting agency (Regulation F 1006.30(a)), and the creditor-notice route
that qualifies an email address after a waiting period (1006.6(d)(4)(ii)).

Facts that could only *permit* an action (a consent, the borrower's own use of
an address, an inbound message that opens a reply) are read strictly: an
unknown address, role or debt does not establish them. Facts that *block*
(an opt-out, a bounce, an employer-provided address) are read broadly: an
unknown address may be the one opted out. A fact a check cannot decide
without is a ``missing_fact`` finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator

from fair_collect.checks.base import CheckKind, CheckParams, Finding, PackContext, Timeless
from fair_collect.checks.frequency import missing_history
from fair_collect.checks.time import missing_zone
from fair_collect.facts.clock import day_start
from fair_collect.facts.core import Facts
from fair_collect.facts.history import ANY_DEBT
from fair_collect.facts.phones import PhoneNumberInvalid, parse_phone
from fair_collect.facts.zones import ZoneCandidate
from fair_collect.model import (
    MEDIUM,
    PHONE_CHANNELS,
    AddressKind,
    Channel,
    Consent,
    ConsentKind,
    ContactEvent,
    EmailAddress,
    OptOut,
    Outcome,
    Phone,
    Purpose,
    RecipientRole,
)
from fair_collect.verdict import Category

__all__ = ["KINDS", "same_address"]

#: Channels that carry an electronic message (Regulation F 1006.14(h)(2)(i)
#: allows one *electronic* confirmation of an opt-out).
ELECTRONIC_CHANNELS: tuple[Channel, ...] = (
    "email",
    "sms",
    "instant_message",
    "app_push",
    "social_media",
)

#: How far ahead the credit-reporting wait is searched for ``next_pass``.
_HORIZON = timedelta(days=400)


# --------------------------------------------------------------------- addresses


def _phone_digits(address: str) -> tuple[str, bool]:
    """The digits of a phone number, and whether they are in international form."""
    text = address.strip()
    if text.startswith("+"):
        try:
            return parse_phone(text).e164[1:], True
        except PhoneNumberInvalid:
            pass
    return "".join(ch for ch in text if ch.isdigit()), False


def same_address(first: str, second: str, phone: bool) -> bool:
    """Whether two recorded addresses denote the same mailbox or number.

    Email addresses and handles compare case-insensitively. Phone numbers
    compare in E.164; a number written without its country code (and without
    a national trunk prefix "0") matches the international number it ends
    with: callers record "2125550123" as often as "+12125550123", and an
    opt-out must not slip through on the format.
    """
    if not phone:
        return first.strip().casefold() == second.strip().casefold()
    a, a_intl = _phone_digits(first)
    b, b_intl = _phone_digits(second)
    if not a or not b:
        return first.strip().casefold() == second.strip().casefold()
    if a == b:
        return True
    if a_intl == b_intl:
        return False
    national, international = (a, b) if b_intl else (b, a)
    # A national number may carry a trunk prefix ("020 7183 8750" in the UK).
    significant = national.lstrip("0")
    return len(significant) >= 7 and international.endswith(significant)


def _recipient_address(facts: Facts) -> str | None:
    recipient = facts.request.recipient
    return recipient.address if recipient else None


def _to_borrower(facts: Facts) -> bool:
    """The action goes to the borrower (a request without a role is taken to)."""
    recipient = facts.request.recipient
    return recipient is None or recipient.role in (None, "borrower")


def _events_until(facts: Facts) -> Iterator[tuple[ContactEvent, float]]:
    """History events at or before the instant being checked, oldest first."""
    events, stamps = facts.base.history.ordered()
    now = facts.at_ts
    for event, ts in zip(events, stamps, strict=True):
        if ts > now:
            return
        yield event, ts


def _consent_holds(consent: Consent, at: datetime) -> bool:
    """Given before ``at`` and, if it names a window, open at ``at``."""
    if consent.given_at > at:
        return False
    if consent.window_start is not None and at < consent.window_start:
        return False
    return consent.window_end is None or at < consent.window_end


def _address_consent(facts: Facts, kinds: Iterable[str], address: str | None) -> Consent | None:
    """A consent in force of one of ``kinds`` naming this address on this medium.

    An address-less consent does not count: these consents qualify one
    mailbox or number, and a consent nobody tied to an address cannot show
    that the person vouched for this one.
    """
    borrower = facts.request.borrower
    if borrower is None or address is None:
        return None
    medium = MEDIUM[facts.request.channel]
    phone = facts.request.channel in PHONE_CHANNELS
    wanted = frozenset(kinds)
    for consent in borrower.consents:
        if (
            consent.kind in wanted
            and consent.address is not None
            and (consent.channel is None or MEDIUM[consent.channel] == medium)
            and same_address(consent.address, address, phone)
            and _consent_holds(consent, facts.at)
        ):
            return consent
    return None


def _inbound_from(facts: Facts, address: str | None) -> bool:
    """The borrower has contacted the collector from this address on this medium."""
    if address is None or facts.request.history is None:
        return False
    medium = MEDIUM[facts.request.channel]
    phone = facts.request.channel in PHONE_CHANNELS
    return any(
        event.direction == "inbound"
        and event.recipient_role == "borrower"
        and MEDIUM[event.channel] == medium
        and event.address is not None
        and same_address(event.address, address, phone)
        for event, _ in _events_until(facts)
    )


def _email_entry(facts: Facts, address: str | None) -> EmailAddress | None:
    borrower = facts.request.borrower
    if borrower is None or address is None:
        return None
    return next((e for e in borrower.emails if same_address(e.address, address, False)), None)


def _phone_entries(facts: Facts, address: str | None) -> list[Phone]:
    borrower = facts.request.borrower
    if borrower is None or address is None:
        return []
    return [p for p in borrower.phones if same_address(p.number, address, True)]


def _iso(value: datetime | None, facts: Facts) -> str | None:
    """An instant for evidence, in the offset the request's ``at`` is written in
    (history instants are kept in UTC)."""
    return value.astimezone(facts.request.at.tzinfo).isoformat() if value is not None else None


# ---------------------------------------------------------------- medium opt-out

OPT_OUT_TIME_FACT = "opt_out_time"


class MediumOptOutParams(CheckParams):
    """No action through a medium the borrower asked the collector not to use.

    The exceptions of Regulation F 1006.14(h)(2), each keyed on the action's
    ``purpose``: one electronic confirmation of the opt-out; one reply after
    the borrower initiates contact through the medium; and a medium the law
    requires (a required disclosure by letter).
    """

    confirmation_purposes: tuple[Purpose, ...] = ("opt_out_confirmation",)
    confirmation_channels: tuple[Channel, ...] = ELECTRONIC_CHANNELS
    reply_purposes: tuple[Purpose, ...] = ("response_to_consumer",)
    required_by_law_purposes: tuple[Purpose, ...] = ("required_disclosure",)
    required_by_law_channels: tuple[Channel, ...] = ("letter",)


@dataclass(frozen=True, slots=True)
class MediumOptOut:
    confirmation_purposes: frozenset[str]
    confirmation_channels: frozenset[str]
    reply_purposes: frozenset[str]
    required_purposes: frozenset[str]
    required_channels: frozenset[str]

    @property
    def time_based(self) -> bool:
        return False  # an opt-out never expires

    def next_pass(self, facts: Facts) -> datetime | None:
        return None  # waiting does not cure it

    def evaluate(self, facts: Facts) -> Finding | None:
        borrower = facts.request.borrower
        if borrower is None or not borrower.opt_outs:
            return None
        medium = MEDIUM[facts.request.channel]
        address = _recipient_address(facts)
        phone = facts.request.channel in PHONE_CHANNELS
        missing = None
        for opt in borrower.opt_outs:
            if MEDIUM[opt.channel] != medium:
                continue
            if opt.at is not None and opt.at > facts.at:
                continue  # not made yet at this instant
            if (
                opt.address is not None
                and address is not None
                and not same_address(opt.address, address, phone)
            ):
                continue  # an unknown recipient address may be the one opted out
            refused = self._exception(facts, opt, medium, phone)
            if refused is None:
                continue
            if isinstance(refused, Finding):
                missing = missing or refused  # a definite deny by another opt-out wins
                continue
            return Finding(
                {
                    "medium": medium,
                    "opt_out_channel": opt.channel,
                    "opt_out_scope": "every_address" if opt.address is None else "one_address",
                    "opt_out_address": opt.address,
                    "opt_out_at": _iso(opt.at, facts),
                    "exception_refused": refused,
                }
            )
        return missing

    def _exception(
        self, facts: Facts, opt: OptOut, medium: str, phone: bool
    ) -> str | Finding | None:
        """None when an exception covers the action, else why not (or a missing fact)."""
        request = facts.request
        purpose = request.purpose
        if purpose in self.required_purposes:
            return (
                None if request.channel in self.required_channels else "medium_not_required_by_law"
            )
        if purpose in self.confirmation_purposes:
            if request.channel not in self.confirmation_channels:
                return "confirmation_not_electronic"
            missing = _needs_opt_out_history(facts, opt)
            if missing is not None:
                return missing
            if any(True for _ in self._outbound_after(facts, opt, medium, phone)):
                return "confirmation_already_sent"
            return None
        if purpose in self.reply_purposes:
            missing = _needs_opt_out_history(facts, opt)
            if missing is not None:
                return missing
            return self._reply(facts, opt, medium, phone)
        return "no_exception_for_purpose"

    @staticmethod
    def _after(facts: Facts, opt: OptOut) -> Iterator[ContactEvent]:
        assert opt.at is not None
        since = opt.at.timestamp()
        for event, ts in _events_until(facts):
            if ts > since:
                yield event

    def _outbound_after(
        self, facts: Facts, opt: OptOut, medium: str, phone: bool
    ) -> Iterator[ContactEvent]:
        """Outbound events through the medium since the opt-out that may have
        reached the borrower at the opted-out address (unknowns count)."""
        for event in self._after(facts, opt):
            if (
                event.direction == "outbound"
                and MEDIUM[event.channel] == medium
                and event.recipient_role in (None, "borrower")
                and (
                    opt.address is None
                    or event.address is None
                    or same_address(event.address, opt.address, phone)
                )
            ):
                yield event

    def _reply(self, facts: Facts, opt: OptOut, medium: str, phone: bool) -> str | None:
        """One reply per contact the borrower initiates through the medium after
        opting out (from the opted-out address, when the opt-out names one)."""
        pending = False
        initiated = False
        for event in self._after(facts, opt):
            if MEDIUM[event.channel] != medium:
                continue
            if event.direction == "inbound":
                if event.recipient_role != "borrower":
                    continue
                if opt.address is not None and (
                    event.address is None or not same_address(event.address, opt.address, phone)
                ):
                    continue
                pending = initiated = True
            elif event.recipient_role in (None, "borrower") and (
                opt.address is None
                or event.address is None
                or same_address(event.address, opt.address, phone)
            ):
                pending = False  # the one reply was made
        if pending:
            return None
        return "reply_already_sent" if initiated else "no_inbound_after_opt_out"


def _needs_opt_out_history(facts: Facts, opt: OptOut) -> Finding | None:
    """The exceptions that look at what happened after the opt-out need its time
    and the history."""
    if opt.at is None:
        return Finding(
            {
                "fact": OPT_OUT_TIME_FACT,
                "needed": (
                    "borrower.opt_outs[].at: when the borrower opted out, to tell which"
                    " contacts came after it"
                ),
            },
            missing_fact=OPT_OUT_TIME_FACT,
        )
    if facts.request.history is None:
        return missing_history()
    return None


def _build_opt_out(params: MediumOptOutParams, ctx: PackContext) -> MediumOptOut:
    return MediumOptOut(
        confirmation_purposes=frozenset(params.confirmation_purposes),
        confirmation_channels=frozenset(params.confirmation_channels),
        reply_purposes=frozenset(params.reply_purposes),
        required_purposes=frozenset(params.required_by_law_purposes),
        required_channels=frozenset(params.required_by_law_channels),
    )


MEDIUM_OPT_OUT = CheckKind(
    name="medium_opt_out",
    params=MediumOptOutParams,
    build=_build_opt_out,
    evidence=frozenset(
        {
            "medium",
            "opt_out_channel",
            "opt_out_scope",
            "opt_out_address",
            "opt_out_at",
            "exception_refused",
        }
    ),
    summary=(
        "Violated when the borrower opted out of the action's medium (at this address or at"
        " every address), unless the purpose is an exception the opt-out allows: one electronic"
        " confirmation, one reply after the borrower initiates contact, or a medium the law requires."
    ),
)


# ---------------------------------------------------------------- employer email

EMAIL_KIND_FACT = "email_address_kind"


class EmployerEmailParams(CheckParams):
    """No email to an address the collector knows is employer-provided, unless the
    borrower wrote to the collector from it or consented to it directly."""

    consent_kinds: tuple[ConsentKind, ...] = Field(default=("electronic",), min_length=1)


@dataclass(frozen=True, slots=True)
class EmployerEmail(Timeless):
    consent_kinds: frozenset[str]

    def evaluate(self, facts: Facts) -> Finding | None:
        if facts.request.channel != "email":
            return None
        recipient = facts.request.recipient
        address = _recipient_address(facts)
        entry = _email_entry(facts, address)
        kinds: list[tuple[str, str]] = []
        if recipient is not None and recipient.address_kind in ("personal_email", "work_email"):
            kinds.append((recipient.address_kind, "recipient.address_kind"))
        if entry is not None and entry.kind is not None:
            kinds.append((entry.kind, "borrower.emails"))
        work = [source for kind, source in kinds if kind == "work_email"]
        if not work:
            if kinds:
                return None  # known to be a personal address
            return Finding(
                {
                    "fact": EMAIL_KIND_FACT,
                    "needed": (
                        "whether the address is employer-provided: recipient.address_kind"
                        " or the address's kind in borrower.emails"
                    ),
                },
                missing_fact=EMAIL_KIND_FACT,
            )
        if _to_borrower(facts) and (
            (entry is not None and entry.consumer_used)
            or _inbound_from(facts, address)
            or _address_consent(facts, self.consent_kinds, address) is not None
        ):
            return None
        return Finding({"address": address, "kind_source": work[0]})


def _build_employer_email(params: EmployerEmailParams, ctx: PackContext) -> EmployerEmail:
    return EmployerEmail(consent_kinds=frozenset(params.consent_kinds))


EMPLOYER_EMAIL = CheckKind(
    name="employer_email",
    params=EmployerEmailParams,
    build=_build_employer_email,
    evidence=frozenset({"address", "kind_source"}),
    summary=(
        "Violated when an email goes to an employer-provided address the borrower has neither"
        " written from nor consented to."
    ),
)


# ------------------------------------------------------ qualifying email / SMS address


class ElectronicAddressParams(CheckParams):
    """The routes that qualify an email address or a texting number under the
    Regulation F 1006.6(d)(3)-(5) procedures.

    Email (d)(4): the borrower wrote from it, or consented to it; the creditor
    sent the borrower a notice about it at least ``creditor_notice_wait_days``
    ago; or a prior collector used it under these procedures. Texts (d)(5):
    the borrower texted from the number, or consented to texts at it and the
    collector has since confirmed it was not reassigned.
    """

    consent_kinds: tuple[ConsentKind, ...] = Field(default=("electronic",), min_length=1)
    creditor_notice_wait_days: int = Field(default=35, ge=0, le=366)
    require_reassignment_check: bool = True


@dataclass(frozen=True, slots=True)
class _Qualification:
    routes: tuple[str, ...]  # routes checked, none met
    pending_until: datetime | None  # when a waiting route will qualify the address
    consent_unverified: bool  # a texting consent exists but the number was not re-checked


@dataclass(frozen=True, slots=True)
class ElectronicAddress:
    consent_kinds: frozenset[str]
    creditor_notice_wait: timedelta
    require_reassignment_check: bool

    @property
    def time_based(self) -> bool:
        return True  # the creditor-notice route qualifies an address after a wait

    def _email(self, facts: Facts, address: str | None) -> _Qualification | None:
        entry = _email_entry(facts, address)
        if entry is not None and (entry.consumer_used or entry.prior_collector_used):
            return None
        if _inbound_from(facts, address):
            return None
        if _address_consent(facts, self.consent_kinds, address) is not None:
            return None
        pending = None
        if entry is not None and entry.creditor_notice_at is not None:
            matures = entry.creditor_notice_at + self.creditor_notice_wait
            if matures <= facts.at:
                return None
            pending = matures
        return _Qualification(
            ("consumer_used", "prior_consent", "creditor_notice", "prior_collector"),
            pending,
            consent_unverified=False,
        )

    def _sms(self, facts: Facts, address: str | None) -> _Qualification | None:
        entries = _phone_entries(facts, address)
        if any(p.consumer_texted for p in entries) or _inbound_from(facts, address):
            return None
        consent = _address_consent(facts, self.consent_kinds, address)
        if consent is not None:
            if not self.require_reassignment_check:
                return None
            if any(
                p.reassignment_checked_at is not None
                and consent.given_at <= p.reassignment_checked_at <= facts.at
                for p in entries
            ):
                return None
        return _Qualification(
            ("consumer_texted", "prior_consent_with_reassignment_check"),
            None,
            consent_unverified=consent is not None,
        )

    def _qualification(self, facts: Facts) -> _Qualification | None:
        channel = facts.request.channel
        address = _recipient_address(facts)
        if channel == "email":
            return self._email(facts, address)
        if channel == "sms":
            return self._sms(facts, address)
        return None

    def evaluate(self, facts: Facts) -> Finding | None:
        found = self._qualification(facts)
        if found is None:
            return None
        return Finding(
            {
                "address": _recipient_address(facts),
                "medium": MEDIUM[facts.request.channel],
                "routes": list(found.routes),
                "pending_until": _iso(found.pending_until, facts),
                "consent_unverified": found.consent_unverified,
            }
        )

    def next_pass(self, facts: Facts) -> datetime | None:
        found = self._qualification(facts)
        if found is None:
            return facts.at
        return found.pending_until


def _build_electronic(params: ElectronicAddressParams, ctx: PackContext) -> ElectronicAddress:
    return ElectronicAddress(
        consent_kinds=frozenset(params.consent_kinds),
        creditor_notice_wait=timedelta(days=params.creditor_notice_wait_days),
        require_reassignment_check=params.require_reassignment_check,
    )


ELECTRONIC_ADDRESS = CheckKind(
    name="electronic_address_qualified",
    params=ElectronicAddressParams,
    build=_build_electronic,
    evidence=frozenset({"address", "medium", "routes", "pending_until", "consent_unverified"}),
    summary=(
        "Violated when an email or text goes to an address that no Regulation F 1006.6(d)(4)-(5)"
        " route qualifies (the borrower's own use, a consent, a creditor notice, a prior collector)."
    ),
)


# ------------------------------------------------------------------ social media

VISIBILITY_FACT = "message_visibility"

Visibility = Literal["private", "contacts", "public"]


class MessageVisibilityParams(CheckParams):
    """Only messages that no one but the recipient can see."""

    allowed: tuple[Visibility, ...] = Field(default=("private",), min_length=1)


@dataclass(frozen=True, slots=True)
class MessageVisibility(Timeless):
    allowed: frozenset[str]

    def evaluate(self, facts: Facts) -> Finding | None:
        message = facts.request.message
        visibility = message.visibility if message else None
        if visibility is None:
            return Finding(
                {
                    "fact": VISIBILITY_FACT,
                    "needed": (
                        "message.visibility: who can see the message (private, contacts or public)"
                    ),
                },
                missing_fact=VISIBILITY_FACT,
            )
        if visibility in self.allowed:
            return None
        return Finding({"visibility": visibility, "allowed_visibility": sorted(self.allowed)})


def _build_visibility(params: MessageVisibilityParams, ctx: PackContext) -> MessageVisibility:
    return MessageVisibility(allowed=frozenset(params.allowed))


MESSAGE_VISIBILITY = CheckKind(
    name="message_visibility",
    params=MessageVisibilityParams,
    build=_build_visibility,
    evidence=frozenset({"visibility", "allowed_visibility"}),
    summary="Violated when people other than the recipient can see the message (unknown fails closed).",
)


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

_TERM = re.compile(r"^\w+(?:[ '-]\w+)*\*?$")


class WordEntry(CheckParams):
    """One entry of a word list: a word or phrase, its language and category.

    A trailing ``*`` matches any word ending (``collect*``: collector,
    collection, collecting). Words match whole, case-insensitively; the
    words of a phrase may be separated by any whitespace.
    """

    term: str
    language: str = "en"
    category: Category = "privacy"

    @field_validator("term")
    @classmethod
    def _word(cls, term: str) -> str:
        if not _TERM.fullmatch(term):
            raise ValueError(
                "a term is one or more words separated by single spaces, apostrophes or"
                " hyphens, optionally ending in '*'"
            )
        return term


def _term_pattern(term: str) -> re.Pattern[str]:
    stem = term.removesuffix("*")
    words = r"\s+".join(re.escape(w) for w in stem.split(" "))
    tail = r"\w*" if term.endswith("*") else ""
    return re.compile(rf"(?<!\w){words}{tail}(?!\w)", re.IGNORECASE)


EnvelopeField = Literal["envelope_text", "sender_name"]


class EnvelopeWordingParams(CheckParams):
    """Nothing on an envelope may indicate debt collection.

    ``fields`` are the message fields shown on the envelope: its visible text
    and the business name of the sender. ``require_envelope_text``: an
    unknown envelope is a missing fact, not a pass.
    """

    terms: tuple[WordEntry, ...] = Field(min_length=1)
    fields: tuple[EnvelopeField, ...] = Field(
        default=("envelope_text", "sender_name"), min_length=1
    )
    require_envelope_text: bool = True


@dataclass(frozen=True, slots=True)
class EnvelopeWording(Timeless):
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    fields: tuple[EnvelopeField, ...]
    require_envelope_text: bool

    def evaluate(self, facts: Facts) -> Finding | None:
        message = facts.request.message
        for field in self.fields:
            text = getattr(message, field) if message is not None else None
            if not text:
                continue
            matched = [term for term, pattern in self.patterns if pattern.search(text)]
            if matched:
                return Finding({"field": field, "shown_text": text, "matched_terms": matched})
        if self.require_envelope_text and (message is None or message.envelope_text is None):
            return Finding(
                {
                    "fact": ENVELOPE_FACT,
                    "needed": (
                        "message.envelope_text: everything visible on the envelope"
                        " (an empty string when nothing but the address is)"
                    ),
                },
                missing_fact=ENVELOPE_FACT,
            )
        return None


def _build_envelope(params: EnvelopeWordingParams, ctx: PackContext) -> EnvelopeWording:
    # Every term applies whatever the message's language: a debt-collection
    # word on an envelope discloses the debt in any language (fail closed).
    return EnvelopeWording(
        patterns=tuple((entry.term, _term_pattern(entry.term)) for entry in params.terms),
        fields=params.fields,
        require_envelope_text=params.require_envelope_text,
    )


ENVELOPE_WORDING = CheckKind(
    name="envelope_wording",
    params=EnvelopeWordingParams,
    build=_build_envelope,
    evidence=frozenset({"field", "shown_text", "matched_terms"}),
    summary=(
        "Violated when the envelope text or the sender's business name contains a listed"
        " debt-collection term; an unknown envelope is a missing fact."
    ),
)


# ------------------------------------------------------------- credit reporting

DEBT_FACT = "debt_ids"

ReportStatus = Literal["no_contact", "waiting", "undeliverable"]


class ContactBeforeReportingParams(CheckParams):
    """Before furnishing a debt to a consumer reporting agency, speak to the
    consumer about it, or send a letter or electronic message about it and
    wait ``wait_days`` consecutive days (the day of sending not counted) with
    no notice that it was undeliverable (Regulation F 1006.30(a)).

    ``sent_when_outcome_unknown``: channels whose messages count as sent and
    not returned when their outcome was not recorded. Postal mail reports no
    delivery, only returns; an email or text whose delivery status is unknown
    may have bounced, so it does not count (fail closed).
    """

    wait_days: int = Field(default=14, ge=1, le=366)
    conversation_channels: tuple[Channel, ...] = Field(
        default=("call", "voicemail", "visit"), min_length=1
    )
    notice_channels: tuple[Channel, ...] = Field(default=("letter", "email", "sms"), min_length=1)
    consumer_roles: tuple[RecipientRole, ...] = Field(default=("borrower",), min_length=1)
    undeliverable_outcomes: tuple[Outcome, ...] = Field(
        default=("undeliverable", "failed"), min_length=1
    )
    sent_when_outcome_unknown: tuple[Channel, ...] = ("letter",)
    validation_notice_counts: bool = True


@dataclass(frozen=True, slots=True)
class _Notice:
    """A letter or electronic message about the debt (channel None: the
    validation notice, whose channel the request does not record)."""

    channel: str | None
    address: str | None
    sent: datetime
    sent_ts: float


@dataclass(frozen=True, slots=True)
class _Blocked:
    debt_id: str
    status: ReportStatus
    notice: _Notice | None = None
    ready: datetime | None = None
    bounced: datetime | None = None


@dataclass(frozen=True, slots=True)
class ContactBeforeReporting:
    wait_days: int
    conversation_channels: frozenset[str]
    notice_channels: frozenset[str]
    roles: frozenset[str]
    undeliverable: frozenset[str]
    unknown_outcome_sent: frozenset[str]
    validation_notice_counts: bool
    fallback_zone: ZoneInfo | None

    @property
    def time_based(self) -> bool:
        return True  # the wait after a notice ends

    # -- facts of one debt

    def _about(self, event: ContactEvent, debt_id: str) -> bool:
        """The event concerned this debt and reached the consumer (both known)."""
        return (
            event.debt_ids is not None
            and debt_id in event.debt_ids
            and event.recipient_role in self.roles
        )

    def _notices(self, facts: Facts, debt_id: str, until: float | None) -> list[_Notice]:
        notices = []
        for event, ts in zip(*facts.base.history.ordered(), strict=True):
            if until is not None and ts > until:
                break
            if (
                event.direction == "outbound"
                and event.channel in self.notice_channels
                and self._about(event, debt_id)
                and (event.outcome is not None or event.channel in self.unknown_outcome_sent)
            ):
                notices.append(_Notice(event.channel, event.address, event.at, ts))
        if self.validation_notice_counts:
            debt = next((d for d in facts.request.debts if d.id == debt_id), None)
            sent = debt.validation_notice_sent_at if debt is not None else None
            if sent is not None and (until is None or sent.timestamp() <= until):
                notices.append(_Notice(None, None, sent, sent.timestamp()))
        return notices

    def _bounced(self, facts: Facts, notice: _Notice) -> datetime | None:
        """When a notice of undeliverability for this channel and address came in.

        A bounce recorded on the message itself, or any later event on the same
        channel and address (an unknown address may be the same one) with an
        undeliverable outcome. Any such notice known now counts, even one that
        came after the wait: the address is known to be bad.
        """
        for event, ts in _events_until(facts):
            if ts < notice.sent_ts or event.outcome not in self.undeliverable:
                continue
            if notice.channel is None:
                if event.channel not in self.notice_channels:
                    continue
            elif event.channel != notice.channel:
                continue
            if (
                notice.address is not None
                and event.address is not None
                and not same_address(
                    event.address, notice.address, notice.channel in PHONE_CHANNELS
                )
            ):
                continue
            if event.recipient_role is not None and event.recipient_role not in self.roles:
                continue
            return event.at
        return None

    def _ready(self, notice: _Notice, zones: tuple[ZoneCandidate, ...]) -> datetime:
        """The start of the first local day after the wait, in every candidate zone."""
        return max(
            day_start(
                notice.sent.astimezone(c.zone).date() + timedelta(days=self.wait_days + 1), c.zone
            )
            for c in zones
        )

    def _spoke(self, facts: Facts, debt_id: str) -> bool:
        return any(
            event.outcome == "conversation"
            and event.channel in self.conversation_channels
            and self._about(event, debt_id)
            for event, _ in _events_until(facts)
        )

    def _debt(
        self, facts: Facts, debt_id: str, zones: tuple[ZoneCandidate, ...]
    ) -> _Blocked | None:
        if self._spoke(facts, debt_id):
            return None
        waiting: list[tuple[datetime, _Notice]] = []
        bounced: list[tuple[datetime, _Notice]] = []
        for notice in self._notices(facts, debt_id, facts.at_ts):
            bounce = self._bounced(facts, notice)
            if bounce is not None:
                bounced.append((bounce, notice))
                continue
            ready = self._ready(notice, zones)
            if ready <= facts.at:
                return None
            waiting.append((ready, notice))
        if waiting:
            ready, notice = min(waiting, key=lambda pair: pair[0])
            return _Blocked(debt_id, "waiting", notice, ready=ready)
        if bounced:
            bounce, notice = max(bounced, key=lambda pair: pair[0])
            return _Blocked(debt_id, "undeliverable", notice, bounced=bounce)
        return _Blocked(debt_id, "no_contact")

    # -- the check

    def _zones(self, facts: Facts) -> tuple[ZoneCandidate, ...]:
        return facts.zones(self.fallback_zone)

    def _blocked(self, facts: Facts) -> _Blocked | Finding | None:
        if facts.request.history is None:
            return missing_history()
        debt_ids = facts.base.debt_ids()
        if ANY_DEBT in debt_ids:
            return Finding(
                {
                    "fact": DEBT_FACT,
                    "needed": "which debt is furnished: debt_ids, or the debts of the request",
                },
                missing_fact=DEBT_FACT,
            )
        zones = self._zones(facts)
        for debt_id in debt_ids:
            if not zones:
                # Days are local days; without a zone only a conversation can pass.
                if self._spoke(facts, debt_id):
                    continue
                return missing_zone()
            blocked = self._debt(facts, debt_id, zones)
            if blocked is not None:
                return blocked
        return None

    def evaluate(self, facts: Facts) -> Finding | None:
        blocked = self._blocked(facts)
        if blocked is None or isinstance(blocked, Finding):
            return blocked
        notice = blocked.notice
        return Finding(
            {
                "debt_id": blocked.debt_id,
                "status": blocked.status,
                "wait_days": self.wait_days,
                "notice_channel": (notice.channel or "validation_notice") if notice else None,
                "notice_sent_at": _iso(notice.sent, facts) if notice else None,
                "waiting_ends_at": _iso(blocked.ready, facts),
                "undeliverable_at": _iso(blocked.bounced, facts),
            }
        )

    def next_pass(self, facts: Facts) -> datetime | None:
        """The first instant at which every debt has a conversation or a waited-out
        notice: the check only starts to pass at a conversation or at the end of
        a wait, so those instants are the only candidates to try, in order."""
        blocked = self._blocked(facts)
        if blocked is None:
            return facts.at
        if isinstance(blocked, Finding):
            return None  # a missing fact: waiting cannot supply it
        zones = self._zones(facts)
        if not zones or facts.request.history is None:
            return None
        limit = facts.at + _HORIZON
        candidates: set[datetime] = set()
        for debt_id in facts.base.debt_ids():
            for notice in self._notices(facts, debt_id, None):
                candidates.add(self._ready(notice, zones))
            for event, _ in zip(*facts.base.history.ordered(), strict=True):
                if (
                    event.outcome == "conversation"
                    and event.channel in self.conversation_channels
                    and self._about(event, debt_id)
                ):
                    candidates.add(event.at)
        for when in sorted(c for c in candidates if facts.at < c <= limit):
            if self._blocked(facts.at_instant(when)) is None:
                return when
        return None


def _build_reporting(
    params: ContactBeforeReportingParams, ctx: PackContext
) -> ContactBeforeReporting:
    return ContactBeforeReporting(
        wait_days=params.wait_days,
        conversation_channels=frozenset(params.conversation_channels),
        notice_channels=frozenset(params.notice_channels),
        roles=frozenset(params.consumer_roles),
        undeliverable=frozenset(params.undeliverable_outcomes),
        unknown_outcome_sent=frozenset(params.sent_when_outcome_unknown),
        validation_notice_counts=params.validation_notice_counts,
        fallback_zone=ctx.time_zone,
    )


CONTACT_BEFORE_REPORTING = CheckKind(
    name="contact_before_reporting",
    params=ContactBeforeReportingParams,
    build=_build_reporting,
    evidence=frozenset(
        {
            "debt_id",
            "status",
            "wait_days",
            "notice_channel",
            "notice_sent_at",
            "waiting_ends_at",
            "undeliverable_at",
        }
    ),
    summary=(
        "Violated when a debt is furnished before the consumer was spoken to about it, or before"
        " wait_days have passed since a letter or electronic message about it that did not bounce."
    ),
)


# -------------------------------------------------------------- automated calls

LINE_TYPE_FACT = "phone_line_type"

ConsentStatus = Literal["no_consent", "revoked_by_opt_out", "recipient_not_borrower"]


class AutomatedCallConsentParams(CheckParams):
    """Automated calls and texts to a wireless number need the called person's
    prior express consent (TCPA, 47 U.S.C. 227(b)(1)(A)(iii)).

    ``wireless_kinds`` / ``wired_kinds`` read the kind of the dialled number;
    a number of no decisive kind (a work phone, ``other``, unknown) is a
    missing fact, and a number any source calls wireless is wireless.
    ``opt_out_revokes``: an opt-out of the medium made after the consent
    revokes it.
    """

    consent_kinds: tuple[ConsentKind, ...] = Field(default=("autodialed",), min_length=1)
    wireless_kinds: tuple[AddressKind, ...] = Field(default=("mobile",), min_length=1)
    wired_kinds: tuple[AddressKind, ...] = ("landline",)
    opt_out_revokes: bool = True


@dataclass(frozen=True, slots=True)
class AutomatedCallConsent:
    consent_kinds: frozenset[str]
    wireless: frozenset[str]
    wired: frozenset[str]
    opt_out_revokes: bool

    @property
    def time_based(self) -> bool:
        return False  # consent is obtained, not waited for

    def next_pass(self, facts: Facts) -> datetime | None:
        return None  # waiting does not cure it

    def _line(self, facts: Facts, address: str | None) -> str | Finding | None:
        """The source that says the number is wireless, None if it is known to be
        wired, or a missing fact."""
        recipient = facts.request.recipient
        kinds: list[tuple[str, str]] = []
        if recipient is not None and recipient.address_kind is not None:
            kinds.append((recipient.address_kind, "recipient.address_kind"))
        kinds.extend((p.kind, "borrower.phones") for p in _phone_entries(facts, address) if p.kind)
        for kind, source in kinds:
            if kind in self.wireless:
                return source
        if any(kind in self.wired for kind, _ in kinds):
            return None
        return Finding(
            {
                "fact": LINE_TYPE_FACT,
                "needed": (
                    "whether the dialled number is a mobile or a landline: recipient.address_kind"
                    " or the number's kind in borrower.phones"
                ),
            },
            missing_fact=LINE_TYPE_FACT,
        )

    def _revoked(self, facts: Facts, consent: Consent, address: str | None) -> bool:
        borrower = facts.request.borrower
        if not self.opt_out_revokes or borrower is None:
            return False
        medium = MEDIUM[facts.request.channel]
        return any(
            MEDIUM[opt.channel] == medium
            and (opt.address is None or address is None or same_address(opt.address, address, True))
            and (opt.at is None or consent.given_at <= opt.at <= facts.at)
            for opt in borrower.opt_outs
        )

    def _consent(self, facts: Facts, address: str | None) -> ConsentStatus | None:
        if not _to_borrower(facts):
            return "recipient_not_borrower"  # the borrower cannot consent for someone else
        borrower = facts.request.borrower
        if borrower is None:
            return "no_consent"
        medium = MEDIUM[facts.request.channel]
        status: ConsentStatus = "no_consent"
        for consent in borrower.consents:
            if (
                consent.kind not in self.consent_kinds
                or (consent.channel is not None and MEDIUM[consent.channel] != medium)
                or not _consent_holds(consent, facts.at)
            ):
                continue
            if consent.address is not None and (
                address is None or not same_address(consent.address, address, True)
            ):
                continue
            if self._revoked(facts, consent, address):
                status = "revoked_by_opt_out"
                continue
            return None
        return status

    def evaluate(self, facts: Facts) -> Finding | None:
        request = facts.request
        if not request.automated or request.channel not in PHONE_CHANNELS:
            return None
        address = _recipient_address(facts)
        line = self._line(facts, address)
        if line is None or isinstance(line, Finding):
            return line
        status = self._consent(facts, address)
        if status is None:
            return None
        return Finding(
            {
                "address": address,
                "line_type_source": line,
                "consent_status": status,
                "consent_kinds": sorted(self.consent_kinds),
            }
        )


def _build_automated(params: AutomatedCallConsentParams, ctx: PackContext) -> AutomatedCallConsent:
    return AutomatedCallConsent(
        consent_kinds=frozenset(params.consent_kinds),
        wireless=frozenset(params.wireless_kinds),
        wired=frozenset(params.wired_kinds),
        opt_out_revokes=params.opt_out_revokes,
    )


AUTOMATED_CALL_CONSENT = CheckKind(
    name="automated_call_consent",
    params=AutomatedCallConsentParams,
    build=_build_automated,
    evidence=frozenset({"address", "line_type_source", "consent_status", "consent_kinds"}),
    summary=(
        "Violated when an automated call, voicemail or text goes to a wireless number without"
        " the called borrower's prior express consent in force; an unknown line type is a"
        " missing fact."
    ),
)

KINDS: tuple[CheckKind, ...] = (
    MEDIUM_OPT_OUT,
    EMPLOYER_EMAIL,
    ELECTRONIC_ADDRESS,
    MESSAGE_VISIBILITY,
    PROHIBITED_CHANNEL,
    ENVELOPE_WORDING,
    CONTACT_BEFORE_REPORTING,
    AUTOMATED_CALL_CONSENT,
)
