"""Channel checks: media the borrower opted out of, employer-provided email, the
addresses that the Regulation F procedures qualify for email and texts, and
social-media messages that others can see.

Mail (postcards, envelopes) is in ``checks.mail``, credit reporting in
``checks.reporting`` and automated calls in ``checks.tcpa``. This module also
holds the readings of the borrower's own addresses that those modules share
(``recipient_address``, ``to_borrower``, ``borrower_phones``).

Most of these checks block because of *how* an action would reach the person,
not because of the clock, so waiting does not cure them and they are not
time-based. The one exception here is the creditor-notice route, which
qualifies an email address after a waiting period (1006.6(d)(4)(ii)).

Facts that could only *permit* an action (a consent, the borrower's own use of
an address, an inbound message that opens a reply) are read strictly: an
unknown address, role or debt does not establish them. Facts that *block*
(an opt-out, a bounce, an employer-provided address) are read broadly: an
unknown address may be the one opted out. A fact a check cannot decide
without is a ``missing_fact`` finding. Addresses are compared with
``facts.addresses.same_address`` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pydantic import Field

from fair_collect.checks.base import CheckKind, CheckParams, Finding, PackContext, Timeless
from fair_collect.checks.common import consent_in_force, events_until, evidence_instant
from fair_collect.checks.frequency import missing_history
from fair_collect.facts.addresses import same_address
from fair_collect.facts.core import Facts
from fair_collect.model import (
    MEDIUM,
    PHONE_CHANNELS,
    Channel,
    Consent,
    ConsentKind,
    ContactEvent,
    EmailAddress,
    OptOut,
    Phone,
    Purpose,
)

__all__ = [
    "ELECTRONIC_CHANNELS",
    "KINDS",
    "borrower_phones",
    "recipient_address",
    "to_borrower",
]

#: Channels that carry an electronic message (Regulation F 1006.14(h)(2)(i)
#: allows one *electronic* confirmation of an opt-out).
ELECTRONIC_CHANNELS: tuple[Channel, ...] = (
    "email",
    "sms",
    "instant_message",
    "app_push",
    "social_media",
)


# --------------------------------------------------------------------- addresses


def recipient_address(facts: Facts) -> str | None:
    """The address the action goes to (None: unknown)."""
    recipient = facts.request.recipient
    return recipient.address if recipient else None


def to_borrower(facts: Facts) -> bool:
    """The action goes to the borrower (a request without a role is taken to)."""
    recipient = facts.request.recipient
    return recipient is None or recipient.role in (None, "borrower")


def borrower_phones(facts: Facts, address: str | None) -> list[Phone]:
    """The borrower's phone entries for this number (none when it is unknown)."""
    borrower = facts.request.borrower
    if borrower is None or address is None:
        return []
    return [p for p in borrower.phones if same_address(p.number, address, phone=True)]


def _email_entry(facts: Facts, address: str | None) -> EmailAddress | None:
    borrower = facts.request.borrower
    if borrower is None or address is None:
        return None
    return next((e for e in borrower.emails if same_address(e.address, address, phone=False)), None)


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
            and consent_in_force(consent, facts.at)
        ):
            return consent
    return None


def _inbound_from(facts: Facts, address: str | None) -> bool:
    """The borrower has contacted the collector from this address on this medium."""
    if address is None:
        return False
    medium = MEDIUM[facts.request.channel]
    phone = facts.request.channel in PHONE_CHANNELS
    return any(
        event.direction == "inbound"
        and event.recipient_role == "borrower"
        and MEDIUM[event.channel] == medium
        and event.address is not None
        and same_address(event.address, address, phone)
        for event, _ in events_until(facts)
    )


# ---------------------------------------------------------------- medium opt-out

OPT_OUT_TIME_FACT = "opt_out_time"

#: Why none of the opt-out's exceptions covers an action.
Refusal = Literal[
    "medium_not_required_by_law",
    "confirmation_not_electronic",
    "confirmation_already_sent",
    "no_inbound_after_opt_out",
    "reply_already_sent",
    "reply_not_to_the_inbound_address",
    "no_exception_for_purpose",
]


@dataclass(frozen=True, slots=True)
class _ExceptionAnswer:
    """How an opt-out's exceptions answer one action: an exception covers it
    (both fields None), none does (``refusal`` says why), or they cannot tell
    without a fact (``missing``)."""

    refusal: Refusal | None = None
    missing: Finding | None = None


_COVERED = _ExceptionAnswer()


class MediumOptOutParams(CheckParams):
    """No action through a medium the borrower asked the collector not to use.

    The exceptions of Regulation F 1006.14(h)(2), each keyed on the action's
    ``purpose``: one electronic confirmation of the opt-out; one reply, to the
    address the borrower wrote or called from, after the borrower initiates
    contact through the medium; and a medium the law requires (a required
    disclosure by letter).
    """

    confirmation_purposes: tuple[Purpose, ...] = ("opt_out_confirmation",)
    confirmation_channels: tuple[Channel, ...] = ELECTRONIC_CHANNELS
    reply_purposes: tuple[Purpose, ...] = ("response_to_consumer",)
    required_by_law_purposes: tuple[Purpose, ...] = ("required_disclosure",)
    required_by_law_channels: tuple[Channel, ...] = ("letter",)


@dataclass(frozen=True, slots=True)
class MediumOptOut(Timeless):
    """An opt-out never expires, so waiting does not cure it (``Timeless``)."""

    confirmation_purposes: frozenset[str]
    confirmation_channels: frozenset[str]
    reply_purposes: frozenset[str]
    required_purposes: frozenset[str]
    required_channels: frozenset[str]

    def evaluate(self, facts: Facts) -> Finding | None:
        borrower = facts.request.borrower
        if borrower is None or not borrower.opt_outs:
            return None
        medium = MEDIUM[facts.request.channel]
        address = recipient_address(facts)
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
            answer = self._exceptions(facts, opt, medium, phone)
            if answer.missing is not None:
                missing = missing or answer.missing  # a definite deny by another opt-out wins
                continue
            if answer.refusal is None:
                continue  # an exception covers the action
            return Finding(
                {
                    "medium": medium,
                    "opt_out_channel": opt.channel,
                    "opt_out_scope": "every_address" if opt.address is None else "one_address",
                    "opt_out_address": opt.address,
                    "opt_out_at": evidence_instant(opt.at, facts),
                    "exception_refused": answer.refusal,
                }
            )
        return missing

    def _exceptions(self, facts: Facts, opt: OptOut, medium: str, phone: bool) -> _ExceptionAnswer:
        request = facts.request
        purpose = request.purpose
        if purpose in self.required_purposes:
            if request.channel in self.required_channels:
                return _COVERED
            return _ExceptionAnswer("medium_not_required_by_law")
        if purpose in self.confirmation_purposes:
            if request.channel not in self.confirmation_channels:
                return _ExceptionAnswer("confirmation_not_electronic")
            missing = _needs_opt_out_history(facts, opt)
            if missing is not None:
                return _ExceptionAnswer(missing=missing)
            if any(
                _reaches_opted_out(event, opt, medium, phone)
                for event in _outbound_since(facts, opt)
            ):
                return _ExceptionAnswer("confirmation_already_sent")
            return _COVERED
        if purpose in self.reply_purposes:
            missing = _needs_opt_out_history(facts, opt)
            if missing is not None:
                return _ExceptionAnswer(missing=missing)
            return _reply(facts, opt, medium, phone)
        return _ExceptionAnswer("no_exception_for_purpose")


def _outbound_since(facts: Facts, opt: OptOut) -> Iterator[ContactEvent]:
    """Outbound events at or after the opt-out (one in the same second may have
    followed it: counted, fail closed)."""
    assert opt.at is not None
    since = opt.at.timestamp()
    for event, ts in events_until(facts):
        if ts >= since and event.direction == "outbound":
            yield event


def _reaches_opted_out(event: ContactEvent, opt: OptOut, medium: str, phone: bool) -> bool:
    """An outbound event through the medium that may have reached the borrower at
    the opted-out address (an unknown role or address may)."""
    return (
        MEDIUM[event.channel] == medium
        and event.recipient_role in (None, "borrower")
        and (
            opt.address is None
            or event.address is None
            or same_address(event.address, opt.address, phone)
        )
    )


def _reply(facts: Facts, opt: OptOut, medium: str, phone: bool) -> _ExceptionAnswer:
    """One reply per contact the borrower initiates through the medium after
    opting out (from the opted-out address, when the opt-out names one), sent to
    the address the borrower initiated from.

    An inbound event opens a reply only when it is strictly after the opt-out
    (the opt-out message itself is not an invitation) and is recorded as the
    borrower's; any outbound event through the medium at or after the
    opt-out that may have reached the opted-out address uses the reply up.
    """
    assert opt.at is not None
    since = opt.at.timestamp()
    pending: list[str | None] = []  # addresses initiated from since the last outbound
    initiated = False
    for event, ts in events_until(facts):
        if ts < since or MEDIUM[event.channel] != medium:
            continue
        if event.direction == "inbound":
            if ts == since or event.recipient_role != "borrower":
                continue
            if opt.address is not None and (
                event.address is None or not same_address(event.address, opt.address, phone)
            ):
                continue
            pending.append(event.address)
            initiated = True
        elif _reaches_opted_out(event, opt, medium, phone):
            pending.clear()  # the one reply was made
    if not pending:
        return _ExceptionAnswer("reply_already_sent" if initiated else "no_inbound_after_opt_out")
    address = recipient_address(facts)
    if address is not None and any(
        inbound is not None and same_address(inbound, address, phone) for inbound in pending
    ):
        return _COVERED
    return _ExceptionAnswer("reply_not_to_the_inbound_address")


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
        " confirmation, one reply to the address the borrower initiated contact from, or a"
        " medium the law requires."
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
        address = recipient_address(facts)
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
        if to_borrower(facts) and (
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


# ------------------------------------------------------ qualified email / SMS address


class QualifiedElectronicAddressParams(CheckParams):
    """An email address or a texting number must be qualified by one of the
    routes of the Regulation F 1006.6(d)(3)-(5) procedures.

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
class _Unqualified:
    """No route qualifies the address (yet)."""

    routes: tuple[str, ...]  # routes checked, none met
    pending_until: datetime | None  # when a waiting route will qualify the address
    consent_unverified: bool  # a texting consent exists but the number was not re-checked


@dataclass(frozen=True, slots=True)
class QualifiedElectronicAddress:
    """Violated by an email or text to an address no route qualifies. Time-based:
    the creditor-notice route qualifies an address after a wait."""

    consent_kinds: frozenset[str]
    creditor_notice_wait: timedelta
    require_reassignment_check: bool

    @property
    def time_based(self) -> bool:
        return True

    def _email(self, facts: Facts, address: str | None) -> _Unqualified | None:
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
        return _Unqualified(
            ("consumer_used", "prior_consent", "creditor_notice", "prior_collector"),
            pending,
            consent_unverified=False,
        )

    def _sms(self, facts: Facts, address: str | None) -> _Unqualified | None:
        entries = borrower_phones(facts, address)
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
        return _Unqualified(
            ("consumer_texted", "prior_consent_with_reassignment_check"),
            None,
            consent_unverified=consent is not None,
        )

    def _unqualified(self, facts: Facts) -> _Unqualified | None:
        channel = facts.request.channel
        address = recipient_address(facts)
        if channel == "email":
            return self._email(facts, address)
        if channel == "sms":
            return self._sms(facts, address)
        return None

    def evaluate(self, facts: Facts) -> Finding | None:
        found = self._unqualified(facts)
        if found is None:
            return None
        return Finding(
            {
                "address": recipient_address(facts),
                "medium": MEDIUM[facts.request.channel],
                "routes": list(found.routes),
                "pending_until": evidence_instant(found.pending_until, facts),
                "consent_unverified": found.consent_unverified,
            }
        )

    def next_pass(self, facts: Facts) -> datetime | None:
        found = self._unqualified(facts)
        if found is None:
            return facts.at
        return found.pending_until


def _build_qualified(
    params: QualifiedElectronicAddressParams, ctx: PackContext
) -> QualifiedElectronicAddress:
    return QualifiedElectronicAddress(
        consent_kinds=frozenset(params.consent_kinds),
        creditor_notice_wait=timedelta(days=params.creditor_notice_wait_days),
        require_reassignment_check=params.require_reassignment_check,
    )


QUALIFIED_ELECTRONIC_ADDRESS = CheckKind(
    name="qualified_electronic_address",
    params=QualifiedElectronicAddressParams,
    build=_build_qualified,
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

KINDS: tuple[CheckKind, ...] = (
    MEDIUM_OPT_OUT,
    EMPLOYER_EMAIL,
    QUALIFIED_ELECTRONIC_ADDRESS,
    MESSAGE_VISIBILITY,
)
