"""Checks about who is reached and where: third parties, location contacts, the workplace, places.

Who may hear about a debt is a question of the recipient's role; where an
action lands is a question of the address it uses (its kind, or a borrower
phone or email listed with a kind) or a place the caller names. None of these
checks is time-based: waiting does not turn a neighbour into the consumer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, field_validator

from fair_collect.checks.base import CheckKind, CheckParams, Finding, PackContext, Timeless
from fair_collect.checks.frequency import missing_history
from fair_collect.facts.core import Facts
from fair_collect.facts.history import EventKinds, address_key
from fair_collect.model import (
    MEDIUM,
    AddressKind,
    Channel,
    ConsentKind,
    ContactEvent,
    Outcome,
    Purpose,
    RecipientRole,
)

__all__ = ["KINDS"]

#: A request without a recipient role is taken to contact the borrower, as
#: everywhere in the engine (``facts.history.same_person_roles``).
_DEFAULT_ROLE = "borrower"

#: The values of ``Recipient.recontact_reason``.
RecontactReason = Literal["requested_by_recipient", "earlier_answer_incomplete"]
MessageField = Literal["text", "subject", "sender_name", "envelope_text"]

_SPACES = re.compile(r"\s+")


def _normal_text(value: str) -> str:
    """Case-folded, with runs of white space (and ``_``) made one space."""
    return _SPACES.sub(" ", value.replace("_", " ")).strip().casefold()


def _normal_place(value: str, aliases: Mapping[str, str]) -> str:
    """The canonical name of a free-text place ("Office" -> "workplace" given that alias)."""
    text = _normal_text(value)
    return aliases.get(text, text)


def _role(facts: Facts) -> str:
    recipient = facts.request.recipient
    return (recipient.role if recipient else None) or _DEFAULT_ROLE


def _iso(value: datetime, facts: Facts) -> str:
    """An instant as ISO 8601 in the offset the request was written in."""
    return value.astimezone(facts.request.at.tzinfo).isoformat()


# ------------------------------------------------------------ third parties


class ThirdPartyRecipientParams(CheckParams):
    """Only the consumer and the listed recipients may be told about a debt.

    ``consumer_roles`` are treated as the consumer (12 CFR 1006.6(a)),
    ``permitted_roles`` may be told about the debt although they are not the
    consumer (1006.6(d)(1)). ``consent_kind`` names the borrower's consent
    (``borrower.consents``) that permits contact with anyone else.
    """

    consumer_roles: tuple[RecipientRole, ...] = Field(min_length=1)
    permitted_roles: tuple[RecipientRole, ...] = ()
    consent_kind: ConsentKind | None = None


@dataclass(frozen=True, slots=True)
class ThirdPartyRecipient(Timeless):
    consumer_roles: tuple[str, ...]
    permitted_roles: tuple[str, ...]
    consent_kind: str | None

    def _consented(self, facts: Facts) -> bool:
        """The borrower gave a consent of the named kind, in force now, for this medium."""
        borrower = facts.request.borrower
        if self.consent_kind is None or borrower is None:
            return False
        at = facts.at
        medium = MEDIUM[facts.request.channel]
        return any(
            c.kind == self.consent_kind
            and c.given_at <= at
            and (c.window_start is None or c.window_start <= at)
            and (c.window_end is None or at < c.window_end)
            and (c.channel is None or MEDIUM[c.channel] == medium)
            for c in borrower.consents
        )

    def evaluate(self, facts: Facts) -> Finding | None:
        role = _role(facts)
        if role in self.consumer_roles or role in self.permitted_roles:
            return None
        if self._consented(facts):
            return None
        return Finding(
            {
                "recipient_role": role,
                "consumer_roles": list(self.consumer_roles),
                "permitted_roles": list(self.permitted_roles),
            }
        )


def _build_third_party(params: ThirdPartyRecipientParams, ctx: PackContext) -> ThirdPartyRecipient:
    return ThirdPartyRecipient(params.consumer_roles, params.permitted_roles, params.consent_kind)


THIRD_PARTY_RECIPIENT = CheckKind(
    name="third_party_recipient",
    params=ThirdPartyRecipientParams,
    build=_build_third_party,
    evidence=frozenset({"recipient_role", "consumer_roles", "permitted_roles"}),
    summary=(
        "Violated when the recipient's role is neither a consumer role nor a permitted one, unless"
        " the borrower gave a consent of consent_kind that is in force for this medium."
    ),
)


# ------------------------------------------------------- location contacts


class LocationContactLimitParams(CheckParams):
    """At most ``max`` location-information contacts with one person.

    Earlier events count when they were outbound on one of ``channels``,
    ended with one of ``outcomes`` (None: any) and had one of ``purposes``;
    ``unknown_outcome`` and ``unknown_purpose`` say whether an event that does
    not record one counts. Events to ``consumer_roles`` are contacts with the
    consumer, never with a third party, and do not count. ``recontact_reasons``
    (``recipient.recontact_reason``) lift the limit for this action.
    """

    max: int = Field(default=1, ge=1)
    channels: tuple[Channel, ...] = Field(min_length=1)
    outcomes: tuple[Outcome, ...] | None = None
    unknown_outcome: Literal["count", "ignore"] = "count"
    purposes: tuple[Purpose, ...] = Field(default=("location_information",), min_length=1)
    unknown_purpose: Literal["count", "ignore"] = "count"
    consumer_roles: tuple[RecipientRole, ...] = ()
    recontact_reasons: tuple[RecontactReason, ...] = ()


@dataclass(frozen=True, slots=True)
class _Person:
    """Who the proposed action reaches, as far as the request says."""

    role: str | None
    address: str | None  # canonical (``address_key``)
    name: str | None  # normalised

    @classmethod
    def of(cls, facts: Facts) -> _Person:
        recipient = facts.request.recipient
        if recipient is None:
            return cls(None, None, None)
        address = address_key(recipient.address) if recipient.address else None
        name = _normal_text(recipient.name) if recipient.name else None
        return cls(recipient.role, address or None, name or None)

    def matches(self, event: ContactEvent) -> str | None:
        """How ``event`` may have reached this person ("address", "name", or
        "unknown" when nothing tells them apart), or None when it did not.

        The same address or the same name is the same person. Otherwise a known
        difference (role, address or name) tells two people apart; with none,
        the event may have reached this person and counts (fail closed).
        """
        role = event.recipient_role
        if role is not None and self.role is not None and role != self.role:
            return None
        address = address_key(event.address) if event.address else None
        name = _normal_text(event.recipient_name) if event.recipient_name else None
        if address is not None and address == self.address:
            return "address"
        if name is not None and name == self.name:
            return "name"
        if (address is not None and self.address is not None) or (
            name is not None and self.name is not None
        ):
            return None
        return "unknown"


@dataclass(frozen=True, slots=True)
class LocationContactLimit(Timeless):
    max_count: int
    kinds: EventKinds
    purposes: frozenset[str | None]
    consumer_roles: frozenset[str]
    recontact_reasons: frozenset[str]

    def evaluate(self, facts: Facts) -> Finding | None:
        recipient = facts.request.recipient
        if recipient is not None and recipient.recontact_reason in self.recontact_reasons:
            return None
        if facts.request.history is None:
            return missing_history()
        person = _Person.of(facts)
        count = 0
        last: ContactEvent | None = None
        matched_on: set[str] = set()
        allowed = self.kinds.kinds
        events, stamps = facts.base.history.ordered()
        for event, ts in zip(events, stamps, strict=True):
            if ts > facts.at_ts:
                break
            if (
                event.channel,
                event.direction,
                event.outcome,
                event.with_consent,
                event.by_agency,
            ) not in allowed:
                continue
            if event.purpose not in self.purposes or event.recipient_role in self.consumer_roles:
                continue
            how = person.matches(event)
            if how is None:
                continue
            count += 1
            last = event
            matched_on.add(how)
        if count < self.max_count or last is None:
            return None
        return Finding(
            {
                "earlier_contacts": count,
                "max": self.max_count,
                "last_contact_at": _iso(last.at, facts),
                "matched_on": sorted(matched_on),
            }
        )


def _build_location_limit(
    params: LocationContactLimitParams, ctx: PackContext
) -> LocationContactLimit:
    purposes: set[str | None] = set(params.purposes)
    if params.unknown_purpose == "count":
        purposes.add(None)
    return LocationContactLimit(
        max_count=params.max,
        kinds=EventKinds.of(
            channels=params.channels,
            directions=("outbound",),
            outcomes=params.outcomes,
            unknown_outcome_counts=params.unknown_outcome == "count",
            exclude_with_consent=False,
            include_agency=True,
        ),
        purposes=frozenset(purposes),
        consumer_roles=frozenset(params.consumer_roles),
        recontact_reasons=frozenset(params.recontact_reasons),
    )


LOCATION_CONTACT_LIMIT = CheckKind(
    name="location_contact_limit",
    params=LocationContactLimitParams,
    build=_build_location_limit,
    evidence=frozenset({"earlier_contacts", "max", "last_contact_at", "matched_on"}),
    summary=(
        "Violated when the history holds max or more earlier outbound contacts of the listed"
        " purposes with the same person (same address or name, or not told apart), unless the"
        " action gives one of recontact_reasons."
    ),
)


class ChannelForPurposeParams(CheckParams):
    """An action with one of ``purposes`` must not use one of ``channels``."""

    channels: tuple[Channel, ...] = Field(min_length=1)
    purposes: tuple[Purpose, ...] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class ChannelForPurpose(Timeless):
    channels: frozenset[str]
    purposes: frozenset[str]

    def evaluate(self, facts: Facts) -> Finding | None:
        request = facts.request
        if request.channel in self.channels and request.purpose in self.purposes:
            return Finding({"channel": request.channel, "purpose": request.purpose})
        return None


def _build_channel_for_purpose(
    params: ChannelForPurposeParams, ctx: PackContext
) -> ChannelForPurpose:
    return ChannelForPurpose(frozenset(params.channels), frozenset(params.purposes))


CHANNEL_FOR_PURPOSE = CheckKind(
    name="channel_for_purpose",
    params=ChannelForPurposeParams,
    build=_build_channel_for_purpose,
    evidence=frozenset({"channel", "purpose"}),
    summary="Violated when an action with one of the listed purposes uses one of the listed channels.",
)


# ---------------------------------------------------------- message terms


_TERM_GAP = re.compile(r"[\s_-]+")


def _term_key(text: str) -> str:
    """A term as compared: case-folded, each run of spaces, hyphens or ``_`` one space."""
    return _TERM_GAP.sub(" ", text).strip().casefold()


class TermEntry(CheckParams):
    """One entry of a word list: the term, its language (BCP 47) and what it signals."""

    text: Annotated[str, Field(min_length=1)]
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")]
    category: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]

    @field_validator("text")
    @classmethod
    def _has_a_word(cls, text: str) -> str:
        if not _term_key(text):
            raise ValueError("a term needs a character other than spaces, hyphens and underscores")
        return text


class MessageTermsParams(CheckParams):
    """Listed terms must not appear in the listed message fields.

    Matching is case-insensitive on whole words; a space, hyphen or ``_``
    inside a term matches any run of them ("past due" matches "Past-due").
    ``require`` lists fields that must be given: without them the check
    cannot pass (a missing fact).
    """

    terms: tuple[TermEntry, ...] = Field(min_length=1)
    fields: tuple[MessageField, ...] = Field(default=("text",), min_length=1)
    require: tuple[MessageField, ...] = ()


def _term_pattern(terms: tuple[TermEntry, ...]) -> re.Pattern[str]:
    """One alternation of whole-word terms, longest first, gaps matching ``[\\s_-]+``."""
    words = sorted({_term_key(t.text) for t in terms}, key=lambda w: (-len(w), w))
    alternatives = (r"[\s_-]+".join(re.escape(part) for part in w.split(" ")) for w in words)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class MessageTerms(Timeless):
    pattern: re.Pattern[str]
    categories: Mapping[str, str]  # normalised term -> category
    fields: tuple[str, ...]
    require: tuple[str, ...]

    def evaluate(self, facts: Facts) -> Finding | None:
        message = facts.request.message
        for name in self.require:
            value = getattr(message, name) if message is not None else None
            if not value or not value.strip():
                fact = f"message.{name}"
                return Finding(
                    {"fact": fact, "needed": f"{fact}: what the action will say, to be checked"},
                    missing_fact=fact,
                )
        if message is None:
            return None
        found: dict[str, None] = {}
        where: list[str] = []
        for name in self.fields:
            value = getattr(message, name)
            if not value:
                continue
            hits = [_term_key(m.group(0)) for m in self.pattern.finditer(value)]
            if hits:
                where.append(name)
                found.update(dict.fromkeys(hits))
        if not found:
            return None
        return Finding(
            {
                "terms_found": list(found),
                "term_categories": sorted({self.categories[t] for t in found}),
                "fields": where,
            }
        )


def _build_message_terms(params: MessageTermsParams, ctx: PackContext) -> MessageTerms:
    return MessageTerms(
        pattern=_term_pattern(params.terms),
        categories={_term_key(t.text): t.category for t in params.terms},
        fields=params.fields,
        require=params.require,
    )


MESSAGE_TERMS = CheckKind(
    name="message_terms",
    params=MessageTermsParams,
    build=_build_message_terms,
    evidence=frozenset({"terms_found", "term_categories", "fields"}),
    summary=(
        "Violated when a listed term appears, as a whole word and in any case, in one of the"
        " listed message fields; a field listed in require that is missing is a missing fact."
    ),
)


# ------------------------------------------------------------------ places


class PlaceParams(CheckParams):
    """How an action's address is turned into a place.

    ``address_kind_places`` maps address kinds to place names (``work_phone``
    -> ``workplace``); a kind not mapped reaches the person wherever they are
    (a mobile), and a kind in ``unknown_address_kinds`` says nothing.
    ``aliases`` map free-text place names to canonical ones ("office" ->
    "workplace"); keys and values are compared case-insensitively.
    """

    address_kind_places: dict[AddressKind, str] = Field(min_length=1)
    unknown_address_kinds: tuple[AddressKind, ...] = ("other",)
    aliases: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Places:
    """Compiled ``PlaceParams``: where an action lands."""

    by_kind: Mapping[str, str]
    unknown_kinds: frozenset[str]
    aliases: Mapping[str, str]

    @classmethod
    def of(cls, params: PlaceParams) -> _Places:
        aliases = {_normal_text(k): _normal_text(v) for k, v in params.aliases.items()}
        return cls(
            by_kind={k: _normal_place(v, aliases) for k, v in params.address_kind_places.items()},
            unknown_kinds=frozenset(params.unknown_address_kinds),
            aliases=aliases,
        )

    def reached(self, facts: Facts) -> tuple[dict[str, str], bool]:
        """The places the action reaches, each with the fact that shows it, and
        whether anything said where it lands (an empty answer from a known
        address kind, such as a mobile, is still an answer).

        Every source counts: a number the caller calls "mobile" that the
        borrower's own record lists as a work phone reaches the workplace.
        """
        places: dict[str, str] = {}
        known = False
        recipient = facts.request.recipient
        if recipient is None:
            return places, known
        if recipient.place and _normal_text(recipient.place):
            places[_normal_place(recipient.place, self.aliases)] = "recipient.place"
            known = True
        kind = recipient.address_kind
        if kind is not None and kind not in self.unknown_kinds:
            known = True
            if kind in self.by_kind:
                places.setdefault(self.by_kind[kind], "recipient.address_kind")
        borrower = facts.request.borrower
        if recipient.address and borrower is not None:
            address = address_key(recipient.address)
            listed: list[tuple[str | None, str]] = [
                *(
                    (p.kind, "borrower.phones")
                    for p in borrower.phones
                    if address_key(p.number) == address
                ),
                *(
                    (e.kind, "borrower.emails")
                    for e in borrower.emails
                    if address_key(e.address) == address
                ),
            ]
            for listed_kind, source in listed:
                if listed_kind is None or listed_kind in self.unknown_kinds:
                    continue
                known = True
                if listed_kind in self.by_kind:
                    places.setdefault(self.by_kind[listed_kind], source)
        return places, known


_PLACE_NEEDED = (
    "where the action reaches the borrower: recipient.address_kind, recipient.place,"
    " or the address listed with its kind in borrower.phones or borrower.emails"
)


def _missing_place() -> Finding:
    fact = "recipient.place"
    return Finding({"fact": fact, "needed": _PLACE_NEEDED}, missing_fact=fact)


class WorkplaceContactParams(PlaceParams):
    """No contact at ``place`` once the borrower's employer is known to prohibit it."""

    place: Annotated[str, Field(min_length=1)] = "workplace"


@dataclass(frozen=True, slots=True)
class WorkplaceContact(Timeless):
    places: _Places
    place: str

    def evaluate(self, facts: Facts) -> Finding | None:
        borrower = facts.request.borrower
        prohibition = borrower.workplace_contact_prohibited if borrower else None
        if prohibition is None:
            return None
        since = prohibition.since
        if since is not None and since > facts.at:
            return None  # not yet known at this instant
        reached, known = self.places.reached(facts)
        if self.place in reached:
            recipient = facts.request.recipient
            return Finding(
                {
                    "place": self.place,
                    "place_source": reached[self.place],
                    "address_kind": recipient.address_kind if recipient else None,
                    "prohibited_since": _iso(since, facts) if since is not None else None,
                    "in_writing": prohibition.in_writing,
                }
            )
        if not known:
            return _missing_place()
        return None


def _build_workplace(params: WorkplaceContactParams, ctx: PackContext) -> WorkplaceContact:
    places = _Places.of(params)
    return WorkplaceContact(places, _normal_place(params.place, places.aliases))


WORKPLACE_CONTACT = CheckKind(
    name="workplace_contact",
    params=WorkplaceContactParams,
    build=_build_workplace,
    evidence=frozenset({"place", "place_source", "address_kind", "prohibited_since", "in_writing"}),
    summary=(
        "Violated when borrower.workplace_contact_prohibited is known at the action's instant and"
        " the action reaches the workplace; a missing fact when nothing says where it lands."
    ),
)


class DeclaredInconvenientPlaceParams(PlaceParams):
    """Places the borrower said are inconvenient (``borrower.inconvenient_places``)."""

    reply_exception: bool = True


@dataclass(frozen=True, slots=True)
class DeclaredInconvenientPlace(Timeless):
    places: _Places
    reply_exception: bool

    def _replying(self, facts: Facts) -> bool:
        """The borrower initiated contact from this address on this medium, not yet answered.

        Mirrors the one-reply exception of declared times: an outbound event on
        the medium to this address, or to an unrecorded one, may have been
        the reply.
        """
        recipient = facts.request.recipient
        if recipient is None or not recipient.address:
            return False
        address = address_key(recipient.address)
        medium = MEDIUM[facts.request.channel]
        initiated = False
        events, stamps = facts.base.history.ordered()
        for event, ts in zip(events, stamps, strict=True):
            if ts > facts.at_ts:
                break
            if MEDIUM[event.channel] != medium:
                continue
            same = event.address is not None and address_key(event.address) == address
            if event.direction == "inbound":
                initiated = initiated or same
            elif same or event.address is None:
                initiated = False
        return initiated

    def evaluate(self, facts: Facts) -> Finding | None:
        borrower = facts.request.borrower
        if borrower is None or not borrower.inconvenient_places:
            return None
        aliases = self.places.aliases
        declared = sorted({_normal_place(p, aliases) for p in borrower.inconvenient_places} - {""})
        if not declared:
            return None
        reached, known = self.places.reached(facts)
        hits = [p for p in declared if p in reached]
        if hits:
            if self.reply_exception and self._replying(facts):
                return None
            return Finding(
                {
                    "place": hits[0],
                    "place_source": reached[hits[0]],
                    "declared_places": declared,
                }
            )
        if not known:
            return _missing_place()
        return None


def _build_declared_place(
    params: DeclaredInconvenientPlaceParams, ctx: PackContext
) -> DeclaredInconvenientPlace:
    return DeclaredInconvenientPlace(_Places.of(params), params.reply_exception)


DECLARED_INCONVENIENT_PLACE = CheckKind(
    name="declared_inconvenient_place",
    params=DeclaredInconvenientPlaceParams,
    build=_build_declared_place,
    evidence=frozenset({"place", "place_source", "declared_places"}),
    summary=(
        "Violated when the action reaches a place the borrower declared inconvenient, except one"
        " same-medium reply to the borrower's own contact from that address; a missing fact when"
        " places are declared and nothing says where the action lands."
    ),
)

KINDS = (
    THIRD_PARTY_RECIPIENT,
    LOCATION_CONTACT_LIMIT,
    CHANNEL_FOR_PURPOSE,
    MESSAGE_TERMS,
    WORKPLACE_CONTACT,
    DECLARED_INCONVENIENT_PLACE,
)
