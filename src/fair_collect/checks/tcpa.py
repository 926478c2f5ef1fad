"""Automated calls and texts: the Telephone Consumer Protection Act's prior express
consent for autodialed or prerecorded calls to wireless numbers (47 U.S.C.
227(b)(1)(A)(iii), 47 CFR 64.1200(a)(1)(iii)).

Consent is given for a number: only a consent that names the dialled number
covers a call to it. A consent that names no number covers nothing here (it
cannot show that the borrower gave this number), whatever other rules read
into it. Waiting does not cure a missing consent (``Timeless``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from fair_collect.checks.base import CheckKind, CheckParams, Finding, PackContext, Timeless
from fair_collect.checks.channels import borrower_phones, recipient_address, to_borrower
from fair_collect.checks.common import consent_in_force
from fair_collect.facts.addresses import same_address
from fair_collect.facts.core import Facts
from fair_collect.model import MEDIUM, PHONE_CHANNELS, AddressKind, Consent, ConsentKind

__all__ = ["KINDS"]

LINE_TYPE_FACT = "phone_line_type"

#: Why no consent covers the call: none of the kinds in force for the medium;
#: one, but naming no number; one for this number, revoked by an opt-out; or
#: the call goes to someone other than the borrower, whose consent the request
#: cannot record.
ConsentStatus = Literal[
    "no_consent",
    "consent_names_no_number",
    "revoked_by_opt_out",
    "recipient_not_borrower",
]


class AutomatedCallConsentParams(CheckParams):
    """Automated calls and texts to a wireless number need the called person's
    prior express consent for that number (TCPA, 47 U.S.C. 227(b)(1)(A)(iii)).

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
class AutomatedCallConsent(Timeless):
    consent_kinds: frozenset[str]
    wireless: frozenset[str]
    wired: frozenset[str]
    opt_out_revokes: bool

    def _line(self, facts: Facts, address: str | None) -> str | Finding | None:
        """The source that says the number is wireless, None if it is known to be
        wired, or a missing fact."""
        recipient = facts.request.recipient
        kinds: list[tuple[str, str]] = []
        if recipient is not None and recipient.address_kind is not None:
            kinds.append((recipient.address_kind, "recipient.address_kind"))
        kinds.extend((p.kind, "borrower.phones") for p in borrower_phones(facts, address) if p.kind)
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

    def _revoked(self, facts: Facts, consent: Consent, address: str) -> bool:
        """An opt-out of the medium at this number (or every number), made after
        the consent (an opt-out of unknown time may have been), revokes it."""
        borrower = facts.request.borrower
        if not self.opt_out_revokes or borrower is None:
            return False
        medium = MEDIUM[facts.request.channel]
        return any(
            MEDIUM[opt.channel] == medium
            and (opt.address is None or same_address(opt.address, address, phone=True))
            and (opt.at is None or consent.given_at <= opt.at <= facts.at)
            for opt in borrower.opt_outs
        )

    def _refusal(self, facts: Facts, address: str | None) -> ConsentStatus | None:
        """None when a consent covers the call, else why none does."""
        if not to_borrower(facts):
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
                or not consent_in_force(consent, facts.at)
            ):
                continue
            if consent.address is None:
                if status == "no_consent":
                    status = "consent_names_no_number"
                continue
            if address is None or not same_address(consent.address, address, phone=True):
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
        address = recipient_address(facts)
        line = self._line(facts, address)
        if line is None or isinstance(line, Finding):
            return line
        status = self._refusal(facts, address)
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
        " the called borrower's prior express consent for that number in force; an unknown"
        " line type is a missing fact."
    ),
)

KINDS: tuple[CheckKind, ...] = (AUTOMATED_CALL_CONSENT,)
