"""Who acts and what the borrower agreed to: checks that national packs combine
with channels and roles to express conduct rules.

* ``collector_flag``: the collector is an outside agency, or a lawyer. China's
  collection guideline bars agencies from using private phones or social
  accounts; combined with the channel in an ``all``, that is one rule.
* ``consent_missing``: an action needs the borrower's prior consent of a
  kind (China: no visit to a home or office without consent; New York City:
  no electronic contact without consent).
* ``address_kind``: the action reaches one of some kinds of address
  (Massachusetts caps calls to personal numbers and to other numbers
  differently; Washington caps contact at the workplace). Combined with a
  count in an ``all``, a cap binds only the actions it is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from fair_collect.checks.base import CheckKind, CheckParams, Finding, PackContext, Timeless
from fair_collect.checks.common import consent_in_force, consents_for_medium
from fair_collect.facts.addresses import same_address
from fair_collect.facts.core import Facts
from fair_collect.model import PHONE_CHANNELS, AddressKind, ConsentKind

__all__ = ["KINDS"]


# ------------------------------------------------------------ collector flag

CollectorFlagName = Literal["agency", "attorney"]


class CollectorFlagParams(CheckParams):
    """A flag of the collector (``collector.agency``, ``collector.attorney``) has a value."""

    flag: CollectorFlagName
    equals: bool = True


@dataclass(frozen=True, slots=True)
class CollectorFlag(Timeless):
    flag: CollectorFlagName
    equals: bool

    def evaluate(self, facts: Facts) -> Finding | None:
        collector = facts.request.collector
        if collector is None:
            # Who acts is unknown: it may be the collector the rule is about.
            fact = "collector"
            return Finding(
                {"fact": fact, "needed": f"collector.{self.flag}: who takes the action"},
                missing_fact=fact,
            )
        value = bool(getattr(collector, self.flag))
        if value != self.equals:
            return None
        return Finding({"flag": self.flag, "value": value})


def _build_collector_flag(params: CollectorFlagParams, ctx: PackContext) -> CollectorFlag:
    return CollectorFlag(params.flag, params.equals)


COLLECTOR_FLAG = CheckKind(
    name="collector_flag",
    params=CollectorFlagParams,
    build=_build_collector_flag,
    evidence=frozenset({"flag", "value"}),
    summary=(
        "Violated when the collector's flag (agency, attorney) equals the given value; a request"
        " without a collector is a missing fact."
    ),
)


# ----------------------------------------------------------- consent missing


class ConsentMissingParams(CheckParams):
    """The action needs a borrower consent of ``kind`` in force at its instant.

    A consent counts when it was given at or before the instant, its window
    (if it has one) is open, it names this medium or no channel, and it
    names the recipient's address or none.
    """

    kind: ConsentKind


@dataclass(frozen=True, slots=True)
class ConsentMissing(Timeless):
    kind: str

    def evaluate(self, facts: Facts) -> Finding | None:
        request = facts.request
        recipient = request.recipient
        address = recipient.address if recipient is not None else None
        phone = request.channel in PHONE_CHANNELS
        for consent in consents_for_medium(facts, self.kind):
            if (
                consent.address is None
                or (address is not None and same_address(consent.address, address, phone))
            ) and consent_in_force(consent, facts.at):
                return None
        return Finding({"consent_kind": self.kind})


def _build_consent_missing(params: ConsentMissingParams, ctx: PackContext) -> ConsentMissing:
    return ConsentMissing(params.kind)


CONSENT_MISSING = CheckKind(
    name="consent_missing",
    params=ConsentMissingParams,
    build=_build_consent_missing,
    evidence=frozenset({"consent_kind"}),
    summary=(
        "Violated when the borrower has given no consent of the kind that is in force at the"
        " action's instant for its medium and address."
    ),
)

# -------------------------------------------------------------- address kind


class AddressKindParams(CheckParams):
    """The action goes to an address of one of ``kinds`` (``recipient.address_kind``).

    ``unknown``: how an action whose address kind is not given is read:
    ``match`` (it may be one of them; the default, fail closed when the rule
    is a limit) or ``no_match``. Choose the reading under which a rule
    that is combined with this check is the stricter one.
    """

    kinds: tuple[AddressKind, ...] = Field(min_length=1)
    unknown: Literal["match", "no_match"] = "match"


@dataclass(frozen=True, slots=True)
class AddressKindIs(Timeless):
    kinds: frozenset[str]
    unknown_matches: bool

    def evaluate(self, facts: Facts) -> Finding | None:
        recipient = facts.request.recipient
        kind = recipient.address_kind if recipient is not None else None
        if kind is None:
            return Finding({"address_kind": None}) if self.unknown_matches else None
        return Finding({"address_kind": kind}) if kind in self.kinds else None


def _build_address_kind(params: AddressKindParams, ctx: PackContext) -> AddressKindIs:
    return AddressKindIs(frozenset(params.kinds), params.unknown == "match")


ADDRESS_KIND = CheckKind(
    name="address_kind",
    params=AddressKindParams,
    build=_build_address_kind,
    evidence=frozenset({"address_kind"}),
    summary=(
        "Violated when the action goes to an address of one of the listed kinds (an unknown kind"
        " matches unless unknown is no_match); meant to narrow a limit inside an all."
    ),
)

KINDS = (COLLECTOR_FLAG, CONSENT_MISSING, ADDRESS_KIND)
