"""Checks about who is reached and where: third parties, location contacts, the workplace, places.

Who may hear about a debt is a question of the recipient's role; where an
action lands is a question of the address it uses (its kind, or a borrower
phone or email listed with a kind) or a place the caller names. None of these
checks is time-based: waiting does not turn a neighbour into the consumer.

Addresses are compared with ``facts.addresses.same_address`` only, so that a
number recorded as "(212) 555-0166" in the history is the "+12125550166" of
the request here as in every other rule. Facts that could only *permit* an
action (the borrower's own contact that opens a reply, a listed address that
makes an unnamed recipient the borrower) are read strictly; facts that
*block* are read broadly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, model_validator

from fair_collect.checks.base import CheckKind, CheckParams, Finding, PackContext, Timeless
from fair_collect.checks.common import consent_in_force, events_until, evidence_instant
from fair_collect.checks.frequency import missing_history
from fair_collect.checks.terms import TermEntry, TermList, term_key
from fair_collect.facts.addresses import same_address
from fair_collect.facts.core import Facts
from fair_collect.facts.history import EventKinds
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


def _normal_name(value: str | None) -> str | None:
    """A person's name as compared: case-folded, runs of white space made one."""
    if value is None:
        return None
    return " ".join(value.split()).casefold() or None


def _given(value: str | None) -> str | None:
    """A recorded address, or None when it is missing or blank."""
    return value if value is not None and value.strip() else None


def _listed(facts: Facts, address: str) -> list[tuple[str | None, str]]:
    """The borrower's listed phones and emails that are ``address``: each listing's
    kind and the fact that lists it."""
    borrower = facts.request.borrower
    if borrower is None:
        return []
    return [
        *((p.kind, "borrower.phones") for p in borrower.phones if same_address(address, p.number)),
        *((e.kind, "borrower.emails") for e in borrower.emails if same_address(address, e.address)),
    ]


# ------------------------------------------------------------ third parties


class ThirdPartyRecipientParams(CheckParams):
    """Only the consumer and the listed recipients may be told about a debt.

    ``consumer_roles`` are treated as the consumer (12 CFR 1006.6(a)),
    ``permitted_roles`` may be told about the debt although they are not the
    consumer (1006.6(d)(1)). ``consent_kind`` names the borrower's consent
    (``borrower.consents``) that permits contact with anyone else.

    A recipient without a role is the borrower, the engine's convention, only
    when the address used is one of the borrower's listed phones or emails;
    otherwise whom the action reaches is a missing fact (``recipient.role``).
    """

    consumer_roles: tuple[RecipientRole, ...] = Field(min_length=1)
    permitted_roles: tuple[RecipientRole, ...] = ()
    consent_kind: ConsentKind | None = None


_ROLE_FACT = "recipient.role"


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
        medium = MEDIUM[facts.request.channel]
        return any(
            c.kind == self.consent_kind
            and consent_in_force(c, facts.at)
            and (c.channel is None or MEDIUM[c.channel] == medium)
            for c in borrower.consents
        )

    def evaluate(self, facts: Facts) -> Finding | None:
        recipient = facts.request.recipient
        role = recipient.role if recipient is not None else None
        if role in self.consumer_roles or role in self.permitted_roles:
            return None
        if self._consented(facts):
            return None
        if role is None:
            address = _given(recipient.address) if recipient is not None else None
            if address is not None and _listed(facts, address):
                return None  # the borrower's own phone or email: the engine's convention
            return Finding(
                {
                    "fact": _ROLE_FACT,
                    "needed": (
                        "recipient.role: who this action reaches; without a role it is taken to"
                        " reach the borrower only at one of borrower.phones or borrower.emails"
                    ),
                },
                missing_fact=_ROLE_FACT,
            )
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
        " the borrower gave a consent of consent_kind that is in force for this medium; a"
        " recipient without a role at an address the borrower does not list is a missing fact."
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
    address: str | None  # as written; compared with ``same_address``
    name: str | None  # normalised

    @classmethod
    def of(cls, facts: Facts) -> _Person:
        recipient = facts.request.recipient
        if recipient is None:
            return cls(None, None, None)
        return cls(recipient.role, _given(recipient.address), _normal_name(recipient.name))

    def matches(self, event: ContactEvent) -> str | None:
        """How ``event`` may have reached this person ("address", "name", or
        "unknown" when nothing tells them apart), or None when it did not.

        The same address or the same name is the same person, whatever else
        differs: callers record one neighbour as a reference one day and as
        family the next. Otherwise a known difference of address or name
        tells two people apart, and so does a different role, but only when
        this action names its recipient by address or name: an action that
        names neither may reach anyone recorded, whatever the role. With no
        difference known, the event may have reached this person and counts
        (fail closed).
        """
        address = _given(event.address)
        name = _normal_name(event.recipient_name)
        if address is not None and self.address is not None and same_address(address, self.address):
            return "address"
        if name is not None and name == self.name:
            return "name"
        if (
            (address is not None and self.address is not None)
            or (name is not None and self.name is not None)
            or (
                event.recipient_role is not None
                and self.role is not None
                and event.recipient_role != self.role
                and (self.address is not None or self.name is not None)
            )
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
        for event, _ts in events_until(facts):
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
                "last_contact_at": evidence_instant(last.at, facts),
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
        " purposes with the same person (same address or name whatever the role, or not told"
        " apart), unless the action gives one of recontact_reasons."
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


# ------------------------------------------------------------------ places


class PlaceParams(CheckParams):
    """How an action's address, and a place named in words, become places.

    ``address_kind_places`` maps address kinds to place names (``work_phone``
    -> ``workplace``); a kind not mapped reaches the person wherever they are
    (a mobile), and a kind in ``unknown_address_kinds`` says nothing.

    ``place_terms`` is a word list (``checks.terms``) whose categories are
    place names: a place written in words (``borrower.inconvenient_places``,
    ``recipient.place``) is every place whose term it contains, as a whole
    word ("at work", "my job", "employer's office" -> ``workplace``; "home
    office" -> ``home`` and ``workplace``). Text that contains no term is a
    place of its own, compared as written (case, spacing and hyphens aside).
    The place names of the two parameters are the rule's vocabulary.

    ``placeless_channels`` reach the person wherever they are (a
    social-media message, an app notification): an action on one lands at a
    place only when ``recipient.place`` names it, whatever its address kind.
    """

    address_kind_places: dict[AddressKind, Annotated[str, Field(min_length=1)]] = Field(
        min_length=1
    )
    unknown_address_kinds: tuple[AddressKind, ...] = ("other",)
    place_terms: tuple[TermEntry, ...] = ()
    placeless_channels: tuple[Channel, ...] = ()

    def vocabulary(self) -> frozenset[str]:
        """The places the rule knows by name (``term_key`` form)."""
        return frozenset(
            {term_key(v) for v in self.address_kind_places.values()}
            | {term_key(t.category) for t in self.place_terms}
        )


@dataclass(frozen=True, slots=True)
class _Reach:
    """Where an action lands.

    ``places``: each place reached, with the fact that shows it. ``known``:
    something said where it lands (a mobile, reaching no place in
    particular, is still an answer). ``named``: the caller named the place
    (``recipient.place``).
    """

    places: dict[str, str] = field(default_factory=dict)
    known: bool = False
    named: bool = False


@dataclass(frozen=True, slots=True)
class _Places:
    """Compiled ``PlaceParams``: where an action lands, and what a place in words means."""

    by_kind: dict[str, str]
    unknown_kinds: frozenset[str]
    terms: TermList
    vocabulary: frozenset[str]
    placeless: frozenset[str]

    @classmethod
    def of(cls, params: PlaceParams) -> _Places:
        return cls(
            by_kind={k: term_key(v) for k, v in params.address_kind_places.items()},
            unknown_kinds=frozenset(params.unknown_address_kinds),
            terms=TermList.of(params.place_terms),
            vocabulary=params.vocabulary(),
            placeless=frozenset(params.placeless_channels),
        )

    def names(self, text: str) -> tuple[str, ...]:
        """The places a place written in words is: the categories of the place
        terms it contains, else the text itself (empty for blank text)."""
        found = self.terms.categories_in(text)
        if found:
            return tuple(term_key(c) for c in found)
        key = term_key(text)
        return (key,) if key else ()

    def reached(self, facts: Facts) -> _Reach:
        """Where the action lands, from every fact that says so: a number the
        caller calls "mobile" that the borrower's own record lists as a work
        phone reaches the workplace."""
        recipient = facts.request.recipient
        placeless = facts.request.channel in self.placeless
        if recipient is None:
            return _Reach(known=placeless)
        places: dict[str, str] = {}
        known = named = False
        if recipient.place:
            for name in self.names(recipient.place):
                places[name] = "recipient.place"
                known = named = True
        if placeless:
            return _Reach(places, True, named)
        kind = recipient.address_kind
        if kind is not None and kind not in self.unknown_kinds:
            known = True
            if kind in self.by_kind:
                places.setdefault(self.by_kind[kind], "recipient.address_kind")
        address = _given(recipient.address)
        if address is not None:
            for listed_kind, source in _listed(facts, address):
                if listed_kind is None or listed_kind in self.unknown_kinds:
                    continue
                known = True
                if listed_kind in self.by_kind:
                    places.setdefault(self.by_kind[listed_kind], source)
        return _Reach(places, known, named)


_PLACE_FACT = "recipient.place"
_PLACE_NEEDED = (
    "where the action reaches the borrower: recipient.address_kind, recipient.place,"
    " or the address listed with its kind in borrower.phones or borrower.emails"
)


def _missing_place(needed: str = _PLACE_NEEDED) -> Finding:
    return Finding({"fact": _PLACE_FACT, "needed": needed}, missing_fact=_PLACE_FACT)


class WorkplaceContactParams(PlaceParams):
    """No contact at ``place`` once the borrower's employer is known to prohibit it.

    ``oral_lapses_after_days``: a prohibition that is not ``in_writing`` binds
    only for that many days after its ``since`` (Massachusetts: an oral
    request not to be called at work lasts ten days unless confirmed in
    writing). A prohibition whose ``since`` is unknown never lapses (fail
    closed).
    """

    place: Annotated[str, Field(min_length=1)] = "workplace"
    oral_lapses_after_days: Annotated[int, Field(ge=1, le=3660)] | None = None

    @model_validator(mode="after")
    def _place_is_known(self) -> WorkplaceContactParams:
        if term_key(self.place) not in self.vocabulary():
            raise ValueError(
                f"place {self.place!r} is not one of the rule's places"
                f" ({', '.join(sorted(self.vocabulary()))})"
            )
        return self


@dataclass(frozen=True, slots=True)
class WorkplaceContact(Timeless):
    places: _Places
    place: str
    oral_lapse: timedelta | None = None

    def evaluate(self, facts: Facts) -> Finding | None:
        borrower = facts.request.borrower
        prohibition = borrower.workplace_contact_prohibited if borrower else None
        if prohibition is None:
            return None
        since = prohibition.since
        if since is not None and since > facts.at:
            return None  # not yet known at this instant
        if (
            self.oral_lapse is not None
            and not prohibition.in_writing
            and since is not None
            and facts.at >= since + self.oral_lapse
        ):
            return None  # an oral request that was never confirmed in writing has lapsed
        reach = self.places.reached(facts)
        if self.place in reach.places:
            recipient = facts.request.recipient
            return Finding(
                {
                    "place": self.place,
                    "place_source": reach.places[self.place],
                    "address_kind": recipient.address_kind if recipient else None,
                    "prohibited_since": evidence_instant(since, facts),
                    "in_writing": prohibition.in_writing,
                }
            )
        if not reach.known:
            return _missing_place()
        return None


def _build_workplace(params: WorkplaceContactParams, ctx: PackContext) -> WorkplaceContact:
    lapse = params.oral_lapses_after_days
    return WorkplaceContact(
        _Places.of(params),
        term_key(params.place),
        timedelta(days=lapse) if lapse is not None else None,
    )


WORKPLACE_CONTACT = CheckKind(
    name="workplace_contact",
    params=WorkplaceContactParams,
    build=_build_workplace,
    evidence=frozenset({"place", "place_source", "address_kind", "prohibited_since", "in_writing"}),
    summary=(
        "Violated when borrower.workplace_contact_prohibited is known at the action's instant (and,"
        " with oral_lapses_after_days, an oral one has not lapsed) and the action reaches the"
        " workplace; a missing fact when nothing says where it lands."
    ),
)


class DeclaredInconvenientPlaceParams(PlaceParams):
    """Places the borrower said are inconvenient (``borrower.inconvenient_places``).

    ``channel_places``: channels on which only the listed places are
    protected (letters: the workplace, not the home they are addressed to).

    ``reply_exception``: the borrower's own contact from an address opens one
    reply to it through the same medium. The contact must be recorded as
    inbound from role ``borrower`` at an address that is the action's; any
    outbound event through the medium to that address (or to an unrecorded
    address, for the borrower or an unknown role) at or after the contact's
    second is the reply. With ``reply_same_local_day`` the reply must fall
    on the contact's local calendar day in every candidate zone.
    """

    channel_places: dict[Channel, tuple[Annotated[str, Field(min_length=1)], ...]] = Field(
        default_factory=dict
    )
    reply_exception: bool = True
    reply_same_local_day: bool = True

    @model_validator(mode="after")
    def _places_are_known(self) -> DeclaredInconvenientPlaceParams:
        vocabulary = self.vocabulary()
        for channel, places in self.channel_places.items():
            unknown = sorted({term_key(p) for p in places} - vocabulary)
            if unknown:
                raise ValueError(
                    f"channel_places.{channel}: {', '.join(unknown)} not among the rule's places"
                    f" ({', '.join(sorted(vocabulary))})"
                )
        return self


@dataclass(frozen=True, slots=True)
class DeclaredInconvenientPlace(Timeless):
    places: _Places
    channel_places: dict[str, frozenset[str]]
    reply_exception: bool
    reply_same_local_day: bool
    fallback_zone: ZoneInfo | None

    def _opened_reply(self, facts: Facts) -> float | None:
        """The instant (POSIX) of the borrower's latest own contact from the
        action's address through its medium, or None."""
        recipient = facts.request.recipient
        address = _given(recipient.address) if recipient is not None else None
        if address is None:
            return None
        medium = MEDIUM[facts.request.channel]
        opened: float | None = None
        for event, ts in events_until(facts):
            if (
                event.direction == "inbound"
                and event.recipient_role == "borrower"
                and MEDIUM[event.channel] == medium
                and event.address is not None
                and same_address(event.address, address)
            ):
                opened = ts
        return opened

    def _replying(self, facts: Facts) -> bool:
        """This action is the one reply to the borrower's own contact from here."""
        opened = self._opened_reply(facts)
        if opened is None:
            return False
        recipient = facts.request.recipient
        address = _given(recipient.address) if recipient is not None else None
        if address is None:
            return False
        medium = MEDIUM[facts.request.channel]
        since = math.floor(opened)
        for event, ts in events_until(facts):
            if ts < since or event.direction != "outbound" or MEDIUM[event.channel] != medium:
                continue
            if event.address is None:
                if event.recipient_role in (None, "borrower"):
                    return False  # may have been the reply
            elif same_address(event.address, address):
                return False  # the reply was made
        return not self.reply_same_local_day or self._same_local_day(facts, opened)

    def _same_local_day(self, facts: Facts, opened: float) -> bool:
        """The contact and this action fall on one local calendar day in every
        candidate zone (the request's offset when no zone is known)."""
        zones: list[tzinfo] = [z.zone for z in facts.zones(fallback=self.fallback_zone)]
        if not zones and facts.request.at.tzinfo is not None:
            zones = [facts.request.at.tzinfo]
        return all(
            datetime.fromtimestamp(opened, zone).date() == facts.at.astimezone(zone).date()
            for zone in zones
        )

    def evaluate(self, facts: Facts) -> Finding | None:
        finding = self._finding(facts)
        if finding is not None and self.reply_exception and self._replying(facts):
            return None
        return finding

    def _finding(self, facts: Facts) -> Finding | None:
        borrower = facts.request.borrower
        if borrower is None or not borrower.inconvenient_places:
            return None
        protected = self.channel_places.get(facts.request.channel)
        vocabulary = self.places.vocabulary
        declared: dict[str, None] = {}
        unrecognised: list[str] = []
        for text in borrower.inconvenient_places:
            names = self.places.names(text)
            declared.update(dict.fromkeys(names))
            if any(n not in vocabulary for n in names):
                unrecognised.append(text)
        relevant = [p for p in declared if protected is None or p in protected]
        if not relevant and not unrecognised:
            return None
        reach = self.places.reached(facts)
        reached = {
            p: source for p, source in reach.places.items() if protected is None or p in protected
        }
        hits = [p for p in relevant if p in reached]
        if hits:
            place = min(hits)
            return Finding(
                {
                    "place": place,
                    "place_source": reached[place],
                    "declared_places": sorted(declared),
                }
            )
        if unrecognised and not reach.named:
            known = sorted(p for p in reached if p in vocabulary)
            if known:
                return _missing_place(
                    f"recipient.place: where this action reaches the borrower, in the borrower's"
                    f" words. The borrower declared {', '.join(map(repr, unrecognised))}"
                    f" inconvenient, which this rule cannot tell apart from the"
                    f" {', '.join(known)} the address reaches"
                    f" ({', '.join(reached[p] for p in known)})"
                )
        if not reach.known:
            return _missing_place()
        return None


def _build_declared_place(
    params: DeclaredInconvenientPlaceParams, ctx: PackContext
) -> DeclaredInconvenientPlace:
    return DeclaredInconvenientPlace(
        places=_Places.of(params),
        channel_places={
            c: frozenset(term_key(p) for p in ps) for c, ps in params.channel_places.items()
        },
        reply_exception=params.reply_exception,
        reply_same_local_day=params.reply_same_local_day,
        fallback_zone=ctx.time_zone,
    )


DECLARED_INCONVENIENT_PLACE = CheckKind(
    name="declared_inconvenient_place",
    params=DeclaredInconvenientPlaceParams,
    build=_build_declared_place,
    evidence=frozenset({"place", "place_source", "declared_places"}),
    summary=(
        "Violated when the action reaches a place the borrower declared inconvenient (on a channel"
        " in channel_places, only the places listed for it), except one same-medium reply to the"
        " borrower's own contact from that address; a missing fact when nothing says where the"
        " action lands, or when a declared place outside the rule's vocabulary may be the place"
        " the address reaches and the caller did not name it."
    ),
)

KINDS = (
    THIRD_PARTY_RECIPIENT,
    LOCATION_CONTACT_LIMIT,
    CHANNEL_FOR_PURPOSE,
    WORKPLACE_CONTACT,
    DECLARED_INCONVENIENT_PLACE,
)
