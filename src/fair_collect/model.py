"""The request: a proposed collection action with everything known about its context.

Every model is frozen and forbids unknown fields (SPEC.md section 2). Datetimes
must carry an offset or zone; phone numbers, zones and clock times are checked
here so that a malformed value is an ``InputError`` naming its field, never a
silent allow later on.

Optional facts are ``None`` when the caller did not say. ``None`` means
*unknown*, not *no*: a rule that needs the fact fails closed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from types import GetSetDescriptorType, MemberDescriptorType
from typing import Annotated, Any, Literal, NamedTuple, TypeAlias

import pydantic_core
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    StrictBool,
    StrictInt,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from fair_collect.errors import FieldProblem, InputError
from fair_collect.facts.phones import PhoneNumberInvalid, parse_phone
from fair_collect.facts.zoneinfo_cache import ZoneNotFound, get_zone

__all__ = [
    "ADDRESS_KINDS",
    "CHANNELS",
    "COLLECTOR_TYPES",
    "OUTCOMES",
    "PURPOSES",
    "RECIPIENT_ROLES",
    "ROW_FIELDS",
    "AddressKind",
    "Borrower",
    "CeaseRequest",
    "Channel",
    "Collector",
    "CollectorType",
    "Consent",
    "ContactEvent",
    "Debt",
    "Dispute",
    "EmailAddress",
    "EventKind",
    "EventRow",
    "HistoryTable",
    "Location",
    "Message",
    "OptOut",
    "Outcome",
    "Phone",
    "ProposedAction",
    "Purpose",
    "Recipient",
    "RecipientRole",
    "Representation",
    "TimeSpan",
    "WorkplaceProhibition",
    "history_table",
    "parse_request",
]

Channel: TypeAlias = Literal[
    "call",
    "voicemail",
    "sms",
    "email",
    "letter",
    "postcard",
    "visit",
    "social_media",
    "instant_message",
    "app_push",
    "credit_report",
    "lawsuit",
]
Purpose: TypeAlias = Literal[
    "collection",
    "location_information",
    "response_to_consumer",
    "opt_out_confirmation",
    "cease_notice",
    "required_disclosure",
    "payment_confirmation",
]
RecipientRole: TypeAlias = Literal[
    "borrower",
    "co_borrower",
    "spouse",
    "parent_of_minor",
    "guardian",
    "executor",
    "attorney",
    "employer",
    "coworker",
    "emergency_contact",
    "reference",
    "contact_list",
    "family",
    "neighbour",
    "guarantor",
    "other",
]
AddressKind: TypeAlias = Literal[
    "mobile",
    "landline",
    "work_phone",
    "personal_email",
    "work_email",
    "home",
    "workplace",
    "other",
]
PhoneKind: TypeAlias = Literal["mobile", "landline", "work_phone"]
EmailKind: TypeAlias = Literal["personal_email", "work_email"]
CollectorType: TypeAlias = Literal["first_party_creditor", "third_party_collector", "debt_buyer"]
Outcome: TypeAlias = Literal[
    "conversation",
    "voicemail",
    "limited_content_message",
    "no_answer",
    "busy",
    "not_in_service",
    "delivered",
    "failed",
    "undeliverable",
    "opened",
    "replied",
]
Direction: TypeAlias = Literal["inbound", "outbound"]
ConsentKind: TypeAlias = Literal["call", "electronic", "autodialed", "third_party", "visit", "time"]
Weekday: TypeAlias = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

CHANNELS: tuple[str, ...] = Channel.__args__  # type: ignore[attr-defined]
PURPOSES: tuple[str, ...] = Purpose.__args__  # type: ignore[attr-defined]
RECIPIENT_ROLES: tuple[str, ...] = RecipientRole.__args__  # type: ignore[attr-defined]
ADDRESS_KINDS: tuple[str, ...] = AddressKind.__args__  # type: ignore[attr-defined]
COLLECTOR_TYPES: tuple[str, ...] = CollectorType.__args__  # type: ignore[attr-defined]
OUTCOMES: tuple[str, ...] = Outcome.__args__  # type: ignore[attr-defined]
WEEKDAYS: tuple[str, ...] = Weekday.__args__  # type: ignore[attr-defined]

#: Channels that reach a telephone number.
PHONE_CHANNELS = frozenset({"call", "voicemail", "sms"})

_PHONE_KINDS = ("mobile", "landline", "work_phone", "other")
_PLACE_KINDS = ("home", "workplace", "other")

#: Which ``recipient.address_kind`` values fit each channel.
ADDRESS_KINDS_BY_CHANNEL: dict[str, tuple[str, ...]] = {
    "call": _PHONE_KINDS,
    "voicemail": _PHONE_KINDS,
    "sms": _PHONE_KINDS,
    "email": ("personal_email", "work_email", "other"),
    "letter": _PLACE_KINDS,
    "postcard": _PLACE_KINDS,
    "visit": _PLACE_KINDS,
    "social_media": ("other",),
    "instant_message": ("mobile", "other"),
    "app_push": ("other",),
    "credit_report": ("other",),
    "lawsuit": _PLACE_KINDS,
}

#: The medium of each channel, as Regulation F uses the word: a voicemail is
#: left by telephone, so it shares the telephone medium with calls.
MEDIUM: dict[str, str] = {channel: channel for channel in CHANNELS} | {
    "call": "telephone",
    "voicemail": "telephone",
}

#: A US ZIP code, five digits with an optional ZIP+4 suffix. ASCII digits
#: only: ``\d`` would pass "٩٩٥٠١" (Arabic-Indic) or "１０００１" (full-width),
#: which no ZIP lookup finds, so a check would go on as if the ZIP code were
#: unknown rather than refuse it.
US_ZIP = re.compile(r"([0-9]{5})(?:-[0-9]{4})?")
_NUMERIC = re.compile(r"[-+]?\d+(\.\d*)?([eE][-+]?\d+)?")
_CLOCK = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d|24:00")
_JURISDICTION = re.compile(r"[A-Z]{2}(?:-[A-Z0-9]{1,3}(?:-[A-Z0-9]{1,8})?)?")


def _clock_time(value: str) -> str:
    if not _CLOCK.fullmatch(value):
        raise PydanticCustomError(
            "clock_time", "expected a local clock time HH:MM between 00:00 and 24:00"
        )
    return value


def _zone_name(value: str) -> str:
    try:
        get_zone(value)
    except ZoneNotFound:
        raise PydanticCustomError(
            "time_zone",
            'unknown time zone "{zone}"; use an IANA name such as America/New_York',
            {"zone": value},
        ) from None
    return value


def _phone_number(value: str) -> str:
    try:
        parse_phone(value)
    except PhoneNumberInvalid as exc:
        raise PydanticCustomError(
            "phone_number", '{reason}: "{number}"', {"reason": str(exc), "number": value}
        ) from None
    return value


def _jurisdiction_code(value: str) -> str:
    if not _JURISDICTION.fullmatch(value):
        raise PydanticCustomError(
            "jurisdiction_code",
            "expected an ISO 3166 code such as 'US', 'US-NY' or 'US-NY-NYC', got \"{code}\"",
            {"code": value},
        )
    return value


def _iso_instant(value: object) -> object:
    """Refuse numbers (and numeric strings) where an ISO 8601 time is expected.

    pydantic would read 20260609 as seconds since 1970: a silent, wrong instant.
    """
    if type(value) is str and ":" in value:
        return value  # the common case: no number is written with a colon
    if isinstance(value, bool | int | float) or (
        isinstance(value, str) and _NUMERIC.fullmatch(value.strip())
    ):
        raise PydanticCustomError(
            "iso_datetime",
            "expected an ISO 8601 date and time with an offset, such as 2026-06-09T10:30:00-04:00",
        )
    return value


#: Instants the engine accepts. Outside this range date arithmetic (the
#: horizon of ``next_allowed_at``, local days in far zones) would overflow, and
#: no collection contact happens there.
EARLIEST = datetime(1970, 1, 2, tzinfo=UTC)
LATEST = datetime(2199, 12, 31, tzinfo=UTC)


def _utc_in_range(value: datetime) -> datetime:
    """``value`` in UTC, refused outside [EARLIEST, LATEST].

    The range is compared in UTC: comparing datetimes of different tzinfo
    asks each for its offset, which is the slow part of validating a history.
    """
    try:
        utc = value.astimezone(UTC)
    except OverflowError:  # 0001-01-01 or 9999-12-31 with an offset
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        raise PydanticCustomError(
            "instant_range",
            "instants must fall between 1970-01-02 and 2199-12-31 UTC",
        )
    return utc


def _in_range(value: datetime) -> datetime:
    """``value`` as given (same instant, same offset), refused outside the range.

    A fixed offset parsed from text arrives as pydantic-core's own tzinfo,
    whose ``utcoffset`` is a call into Rust: every local-time conversion,
    comparison and hash of the requested instant paid for it. It is replaced
    by the standard library's ``timezone`` of the same offset, which prints
    and serialises alike. A ``ZoneInfo`` (or any other tzinfo a caller gave)
    is kept: its offsets change with the date.
    """
    _utc_in_range(value)
    if type(value.tzinfo) is _PARSED_OFFSET:
        return value.replace(tzinfo=_fixed_offset(value.utcoffset()))
    return value


#: The tzinfo type pydantic-core gives a parsed "+08:00" or "Z" (None if this
#: pydantic-core does not export it: instants are then kept as parsed).
_PARSED_OFFSET: type[tzinfo] | None = getattr(pydantic_core, "TzInfo", None)


@lru_cache(maxsize=256)
def _fixed_offset(offset: timedelta | None) -> tzinfo:
    """The standard library's fixed-offset zone (``timezone.utc`` for zero)."""
    assert offset is not None  # an aware datetime has an offset
    return timezone(offset)


#: An instant: an aware datetime, given as ISO 8601 text (or a datetime object).
Instant = Annotated[AwareDatetime, BeforeValidator(_iso_instant), AfterValidator(_in_range)]
#: An instant normalised to UTC on validation (same instant, UTC offset).
UtcInstant = Annotated[AwareDatetime, BeforeValidator(_iso_instant), AfterValidator(_utc_in_range)]
ClockTime = Annotated[str, AfterValidator(_clock_time)]
ZoneName = Annotated[str, AfterValidator(_zone_name)]
PhoneNumber = Annotated[str, AfterValidator(_phone_number)]
JurisdictionCode = Annotated[str, AfterValidator(_jurisdiction_code)]
NonEmptyStr = Annotated[str, Field(min_length=1)]


def _field_values_reader() -> Callable[[BaseModel], dict[str, Any]]:
    """The fastest reader of a model's field values that this pydantic has.

    pydantic keeps field values in the instance ``__dict__`` and defines
    ``BaseModel.__getattr__``, so every attribute read on a model, ``vars()``
    included, goes through CPython's slow attribute hook. The ``__dict__``
    slot descriptor that ``BaseModel`` declares hands out the same dict
    without the hook; code that reads many fields of many models (a long
    history) reads them from that dict.
    """
    descriptor = BaseModel.__dict__.get("__dict__")
    if isinstance(descriptor, GetSetDescriptorType):
        return descriptor.__get__
    return vars


#: ``field_values(model)`` is ``vars(model)``: the dict of its field values.
field_values = _field_values_reader()


class _Model(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=False,
        validate_default=False,
        revalidate_instances="never",
    )


class Recipient(_Model):
    """Who receives the action, and at which address.

    ``role`` None is taken to be the borrower, everywhere in the engine; the
    federal third-party rule accepts that only when ``address`` is one of the
    borrower's listed phones or emails, and otherwise asks for the role.

    ``place`` names where the action reaches the recipient, in the words the
    borrower uses for ``inconvenient_places`` ("home", "workplace",
    "hospital"). It settles what ``address_kind`` cannot: a visit or letter to
    an ``other`` address, a call to a number of unknown kind, whether a place
    the borrower declared in words a rule cannot read ("the warehouse") is
    the one an address reaches. Rules about places read it beside
    ``address_kind`` through their place word list ("at work" is the
    workplace); either may show a declared place.

    ``recontact_reason`` says why a repeated location-information contact
    with this person is permitted (15 U.S.C. 1692b(3), 12 CFR 1006.10(c)):
    ``requested_by_recipient`` when the person asked to be contacted again,
    ``earlier_answer_incomplete`` when the collector reasonably believes the
    person's earlier answer was wrong or incomplete and the person now has
    better information. The caller asserts it for this action only.
    """

    role: RecipientRole | None = None
    address: str | None = None
    address_kind: AddressKind | None = None
    name: str | None = None
    place: str | None = None
    recontact_reason: Literal["requested_by_recipient", "earlier_answer_incomplete"] | None = None


class Message(_Model):
    """What the action says. For calls the script; for voicemail what is left.

    ``sender_name``: the business name the recipient sees as the sender
    (``None``: not said; rules about what a letter shows then read
    ``collector.name``). ``envelope_text``: for letters, everything visible
    on the envelope besides the addresses; an empty string says nothing else
    is shown, ``None`` that it is unknown (a rule that needs it fails closed).

    ``visibility`` says who can see a social-media message: only the
    recipient (``private``), the recipient's contacts or followers
    (``contacts``), or anyone (``public``). Unknown is ``None``, and a rule
    that needs it fails closed.
    """

    text: str | None = None
    language: str | None = None
    subject: str | None = None
    sender_name: str | None = None
    envelope_text: str | None = None
    visibility: Literal["private", "contacts", "public"] | None = None
    #: For a voicemail: whether it is meant as a limited-content message
    #: (12 CFR 1006.2(j)), which must then hold only what that rule allows.
    #: ``None`` is read as ``True``: a voicemail may be heard by anyone near
    #: the phone, so the safe reading is the limited one. ``False`` says the
    #: sender means a full communication (which then needs the debt-collector
    #: disclosure).
    limited_content: StrictBool | None = None


class Collector(_Model):
    """Who acts. ``attorney``: the collector is a lawyer or law firm (a lawyer's
    letter from it is not impersonation). ``phones``: the collector's own
    callback numbers, which a message may give without exposing anyone."""

    type: CollectorType | None = None
    name: str | None = None
    agency: StrictBool = False
    attorney: StrictBool = False
    phones: tuple[NonEmptyStr, ...] = ()


class Location(_Model):
    """Where the borrower lives: ISO 3166 country, subdivision code, postal code, zone."""

    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    region: Annotated[str, Field(pattern=r"^[A-Z0-9]{1,3}$")] | None = None
    postal_code: str | None = None
    time_zone: ZoneName | None = None

    @model_validator(mode="after")
    def _us_zip(self) -> Location:
        if self.country == "US" and self.postal_code and not US_ZIP.fullmatch(self.postal_code):
            raise PydanticCustomError(
                "postal_code",
                'a US postal code is a ZIP code such as 10001 or 10001-1234, got "{code}"',
                {"code": self.postal_code, "field": "postal_code"},
            )
        return self


class Phone(_Model):
    """A borrower's phone number.

    ``consumer_texted``: the borrower has texted the collector from this
    number. ``reassignment_checked_at``: when the collector last confirmed
    (e.g. in the FCC Reassigned Numbers Database) that the number had not been
    reassigned to someone else. Both are Regulation F 1006.6(d)(5) facts.
    """

    number: PhoneNumber
    kind: PhoneKind | None = None
    consumer_texted: StrictBool = False
    reassignment_checked_at: Instant | None = None


class EmailAddress(_Model):
    """A borrower's email address.

    ``consumer_used``: the borrower has written to the collector from it.
    ``creditor_notice_at``: when the creditor sent the borrower the notice
    that the collector may use this address (1006.6(d)(4)(ii)).
    ``prior_collector_used``: a previous collector used it under the
    1006.6(d)(4) procedures (1006.6(d)(4)(iii)).
    """

    address: NonEmptyStr
    kind: EmailKind | None = None
    consumer_used: StrictBool = False
    creditor_notice_at: Instant | None = None
    prior_collector_used: StrictBool = False


def _names_a_debt(value: object) -> object:
    """``debt_ids`` of a representation or cease request: absent covers every
    debt; an empty list is an error, not "no debt"."""
    if isinstance(value, list | tuple) and not value:
        raise PydanticCustomError(
            "empty_debt_ids",
            "list at least one debt, or leave debt_ids out to cover every debt",
        )
    return value


class Representation(_Model):
    """The borrower has an attorney for some debts (12 CFR 1006.6(b)(2)).

    ``debt_ids``: the debts the attorney acts on (None: every debt; an empty
    list is an error, not "no debt"). ``attorney_known``: the collector knows,
    or can readily find, the attorney's name and address; only then does the
    representation bar contact. ``attorney_consented``: the attorney consented
    to direct contact with the consumer.

    ``attorney_last_communicated_at``: when the collector last sent the
    attorney a communication about the debt (a letter, an email, a
    conversation or a message left for the attorney), not a mere attempt such
    as an unanswered call: 15 U.S.C. 1692c(a)(2) speaks of the attorney
    failing to respond "to a communication from the debt collector".
    ``attorney_responded``: whether the attorney responded to that
    communication. Only an explicit ``false`` lets a reasonable period after
    it lift the bar; ``None`` (not recorded) means unknown, and the bar holds.
    """

    debt_ids: Annotated[tuple[NonEmptyStr, ...], Field(min_length=1)] | None = None
    attorney_known: StrictBool = True
    attorney_consented: StrictBool = False
    attorney_last_communicated_at: Instant | None = None
    attorney_responded: StrictBool | None = None

    _names_a_debt = field_validator("debt_ids", mode="before")(_names_a_debt)


class CeaseRequest(_Model):
    """The borrower asked the collector to stop communicating, or refused to pay.

    Only a request ``in_writing`` (paper or, where the collector accepts it, an
    electronic message) is a 12 CFR 1006.6(c) notice; it takes effect when
    ``received_at`` and covers ``debt_ids`` (None: every debt; an empty list
    is an error, not "no debt"). An oral "stop calling" is a medium opt-out
    (``opt_outs``), not a cease.
    """

    received_at: Instant
    in_writing: StrictBool
    debt_ids: Annotated[tuple[NonEmptyStr, ...], Field(min_length=1)] | None = None

    _names_a_debt = field_validator("debt_ids", mode="before")(_names_a_debt)


class OptOut(_Model):
    """The borrower asked the collector not to use a medium (12 CFR 1006.14(h)).

    ``channel`` names the medium (a call and a voicemail are both the
    telephone). ``address``: the one number or address opted out (``None``:
    every address on the medium); it is compared as
    ``facts.addresses.same_address`` does, so write numbers in full (a
    fragment such as "555-0123" denotes no number and matches none).
    ``at``: when it was made (``None``: known, time not recorded, so it is
    in force at every instant; rules that look at what followed the opt-out
    then lack a fact).
    """

    channel: Channel
    address: str | None = None
    at: Instant | None = None


class TimeSpan(_Model):
    """A recurring local time span, e.g. Sundays all day or 21:00-09:00 nightly.

    ``days`` are the days the span *starts* on (all days when omitted). An
    ``end`` earlier than ``start`` runs past midnight into the next day.
    """

    days: tuple[Weekday, ...] = WEEKDAYS  # type: ignore[assignment]
    start: ClockTime
    end: ClockTime

    @model_validator(mode="after")
    def _not_empty(self) -> TimeSpan:
        if self.start == self.end or self.start == "24:00":
            raise PydanticCustomError(
                "time_span", "a time span needs start before end (or end past midnight)"
            )
        return self


class WorkplaceProhibition(_Model):
    """The borrower's employer prohibits collection contact at work.

    ``since``: when the collector learned it (None: known, time not recorded,
    so it holds at every instant). ``in_writing``: how it was learned. The
    federal rule turns on knowledge alone; state rules may weigh the form
    (Massachusetts lets an oral request lapse unless confirmed in writing).
    """

    since: Instant | None = None
    in_writing: StrictBool = False


class Consent(_Model):
    """A consent the borrower gave the collector directly.

    ``channel`` and ``address`` narrow it to one channel (its medium) and one
    number or email address; ``None`` means not narrowed. Rules that need an
    address-specific consent do not read an address-less consent as covering
    every address: an employer-provided email address, texts to one number
    (Regulation F 1006.6(d)(4)-(5)) and automated calls and texts (TCPA prior
    express consent is given for a number) are covered only by a consent
    naming that address.
    """

    kind: ConsentKind
    given_at: Instant
    window_start: Instant | None = None
    window_end: Instant | None = None
    channel: Channel | None = None
    address: str | None = None


class Dispute(_Model):
    """The borrower disputed a debt (12 CFR 1006.38).

    A dispute ``in_writing`` received within the validation period stops
    collection of ``debt_id`` until ``verification_sent`` (verification or a
    copy of a judgment was sent). Whether an electronic dispute counts as
    written is the caller's call (``in_writing``); the pack reads it so, which
    the research digest does not confirm.
    """

    debt_id: NonEmptyStr
    received_at: Instant
    in_writing: StrictBool
    verification_sent: StrictBool = False


class Borrower(_Model):
    id: str | None = None
    location: Location | None = None
    phones: tuple[Phone, ...] = ()
    emails: tuple[EmailAddress, ...] = ()
    represented_by_attorney: Representation | None = None
    cease_request: CeaseRequest | None = None
    opt_outs: tuple[OptOut, ...] = ()
    inconvenient_times: tuple[TimeSpan, ...] = ()
    inconvenient_places: tuple[str, ...] = ()
    workplace_contact_prohibited: WorkplaceProhibition | None = None
    consents: tuple[Consent, ...] = ()
    disputes: tuple[Dispute, ...] = ()
    bankruptcy: StrictBool = False
    deceased: StrictBool = False
    unreachable: StrictBool = False
    hardship: StrictBool = False
    breathing_space_until: Instant | None = None
    language: str | None = None


class Debt(_Model):
    id: NonEmptyStr
    kind: str | None = None
    creditor: str | None = None
    amount: Decimal | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    days_past_due: Annotated[StrictInt, Field(ge=0)] | None = None
    time_barred: StrictBool = False
    illegal: StrictBool = False
    #: The creditor has authorised a lawsuit on this debt and means to file it
    #: (a message saying so is then true: 15 U.S.C. 1692e(5)).
    suit_authorized: StrictBool = False
    #: A court judgment exists on this debt (garnishment, seizure, 强制执行
    #: notices are then lawful statements).
    judgment: StrictBool = False
    servicing_account: str | None = None
    validation_notice_sent_at: Instant | None = None
    #: The last day of the validation period as the validation notice states it
    #: (12 CFR 1006.34(c)): a date, as the notice gives it (``2026-07-09``), not
    #: an instant. The period runs to the end of that day wherever the borrower
    #: may be (the latest end over the candidate zones); a dispute received by
    #: then is timely. When ``validation_notice_sent_at`` gives a later end, the
    #: later one counts.
    #: Serialised as its ISO text, so that a dump of the request (its canonical
    #: JSON, its digest) is plain JSON like every other field.
    validation_period_ends_at: (
        Annotated[date, PlainSerializer(date.isoformat, return_type=str)] | None
    ) = None

    @field_validator("validation_period_ends_at", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        if value is None:
            return None
        if isinstance(value, datetime) or not (
            isinstance(value, date)
            or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))
        ):
            raise PydanticCustomError(
                "iso_date",
                "expected the date the notice states, as YYYY-MM-DD (such as 2026-07-09),"
                " not a time",
            )
        return value

    @field_validator("validation_period_ends_at", mode="after")
    @classmethod
    def _date_in_range(cls, value: date | None) -> date | None:
        if value is not None and not EARLIEST.date() <= value <= LATEST.date():
            raise PydanticCustomError(
                "date_range", "dates must fall between 1970-01-02 and 2199-12-31"
            )
        return value


def _check_address_kind(kind: str, channel: str, field: str | None = None) -> None:
    """Refuse an address kind the channel cannot use (an email to a ``home``).
    ``field`` names the field when the check runs above it (a model validator)."""
    allowed = ADDRESS_KINDS_BY_CHANNEL[channel]
    if kind not in allowed:
        context = {"kind": kind, "channel": channel, "allowed": ", ".join(allowed)}
        if field is not None:
            context["field"] = field
        raise PydanticCustomError(
            "address_kind",
            'address_kind "{kind}" does not fit channel "{channel}" (expected one of {allowed})',
            context,
        )


class ContactEvent(_Model):
    """An earlier contact or attempt. ``None`` fields are unknown and counted conservatively.

    ``purpose`` is what the contact was for, as in a request: a contact whose
    purpose is unknown may have been a location-information contact.
    ``recipient_name`` names the person reached, so that one person is
    recognised across addresses (a neighbour called, then written to).
    ``address`` is free text as the caller recorded it: rules compare it with
    ``facts.addresses.same_address``, so "(212) 555-0166" in the history is
    the "+12125550166" of a request.

    ``address_kind`` is the kind of address the contact used, as a request's
    ``recipient.address_kind`` (a work phone, a mobile...). Rules that count
    only some kinds (Massachusetts' caps for personal and other numbers)
    read it; when it is not given they read the kind the borrower's
    ``phones`` and ``emails`` list for ``address``, and an event whose kind is
    still unknown counts under every cap (fail closed).

    ``at`` is normalised to UTC when validated: a past contact's offset says
    nothing the borrower's candidate zones do not, and UTC instants make the
    per-event arithmetic of every check cheap.
    """

    at: UtcInstant
    channel: Channel
    direction: Direction = "outbound"
    purpose: Purpose | None = None
    recipient_role: RecipientRole | None = None
    recipient_name: str | None = None
    address: str | None = None
    debt_ids: tuple[str, ...] | None = None
    outcome: Outcome | None = None
    by_agency: StrictBool = False
    with_consent: StrictBool = False
    address_kind: AddressKind | None = None

    @field_validator("address_kind", mode="after")
    @classmethod
    def _kind_fits_channel(cls, kind: str | None, info: ValidationInfo) -> str | None:
        # Runs only when the kind is given: most histories pay nothing for it.
        channel = info.data.get("channel")
        if kind is not None and channel is not None:
            _check_address_kind(kind, channel)
        return kind


#: (channel, direction, outcome, with_consent, by_agency): what decides whether
#: an event can count, independent of person and debt.
EventKind: TypeAlias = tuple[str, str, str | None, bool, bool]


#: One history event's field values, as the checks read them: the values of
#: ``ROW_FIELDS``, in that order. A plain tuple: one is made for every event of
#: every validated request, by one ``itemgetter`` call, in C.
EventRow: TypeAlias = tuple[Any, ...]
#: The fields of an ``EventRow``, in order. The five that decide whether an
#: event can count (its ``EventKind``) are adjacent: ``row[4:9]``.
ROW_FIELDS = (
    "at",
    "recipient_role",
    "address",
    "debt_ids",
    "channel",
    "direction",
    "outcome",
    "with_consent",
    "by_agency",
    "address_kind",
)
_ROW = itemgetter(*ROW_FIELDS)
_BY_TIME = itemgetter(0)


class HistoryTable(NamedTuple):
    """A request's history as the checks read it: one row per event, in time
    order (ties keep the order given), and their instants (sorted, for
    bisection).

    ProposedAction derives it when validated (or constructed), so a backend
    that checks a validated request pays nothing per event for it in
    ``check``. ``source`` is the history it was derived from, so that a copy
    with another history (``model_copy(update=...)`` does not validate) is
    never read through a stale table (see ``history_table``).
    """

    source: tuple[ContactEvent, ...] | None
    rows: tuple[EventRow, ...]
    instants: tuple[datetime, ...]


def _derive_table(events: tuple[ContactEvent, ...] | None) -> HistoryTable:
    """The ``HistoryTable`` of ``events``.

    A few passes, each in C (``map`` and ``sort``): no bytecode runs per
    event, which keeps validating a long history cheap. History instants are
    UTC datetimes sharing one tzinfo (see ``ContactEvent``), so sorting
    compares their fields, without offsets.
    """
    if not events:
        return HistoryTable(events, (), ())
    rows = [*map(_ROW, map(field_values, events))]
    rows.sort(key=_BY_TIME)  # stable: events at one instant keep their order
    ordered: tuple[EventRow, ...] = tuple(rows)
    return HistoryTable(events, ordered, tuple(map(_BY_TIME, ordered)))


def _private_values_reader() -> Callable[[BaseModel], dict[str, Any] | None]:
    """The fastest reader of a model's private-attribute dict (None when it has
    none): the ``__pydantic_private__`` slot read directly, past
    ``BaseModel.__getattr__``, as ``field_values`` reads fields."""
    descriptor = BaseModel.__dict__.get("__pydantic_private__")
    if isinstance(descriptor, MemberDescriptorType):
        return descriptor.__get__
    return lambda model: getattr(model, "__pydantic_private__", None)


private_values = _private_values_reader()


def history_table(request: ProposedAction) -> HistoryTable:
    """The request's ``HistoryTable``: the one derived at validation when it
    still describes the request's history, otherwise derived now."""
    private = private_values(request)
    table = private.get("_history_table") if private else None
    history = field_values(request)["history"]
    if table is not None and table.source is history:
        return table  # type: ignore[no-any-return]
    return _derive_table(history)


class ProposedAction(_Model):
    """A collection action the caller is about to take, with its context."""

    channel: Channel
    at: Instant
    automated: StrictBool = False
    purpose: Purpose = "collection"
    debt_ids: tuple[NonEmptyStr, ...] | None = None
    recipient: Recipient | None = None
    message: Message | None = None
    collector: Collector | None = None
    borrower: Borrower | None = None
    debts: tuple[Debt, ...] = ()
    history: tuple[ContactEvent, ...] | None = None
    jurisdictions: tuple[JurisdictionCode, ...] | None = None

    #: The history as the checks read it, derived when the request is
    #: validated (or constructed); see ``history_table``.
    _history_table: HistoryTable | None = PrivateAttr(default=None)

    def model_post_init(self, context: Any, /) -> None:
        # Runs after validation and after ``model_construct``, not after
        # ``model_copy``: a copy keeps the table, which ``history_table``
        # then checks against the copy's history.
        private = private_values(self)
        if private is not None:  # pydantic makes the dict before this hook
            private["_history_table"] = _derive_table(field_values(self)["history"])

    @model_validator(mode="after")
    def _consistent(self) -> ProposedAction:
        ids = [d.id for d in self.debts]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise PydanticCustomError(
                "duplicate_debt_id",
                'debt id "{id}" is listed twice',
                {"id": dup, "field": f"debts.{ids.index(dup, ids.index(dup) + 1)}.id"},
            )
        if self.debt_ids is not None and self.debts:
            unknown = [i for i in self.debt_ids if i not in ids]
            if unknown:
                raise PydanticCustomError(
                    "unknown_debt_id",
                    "debt_ids names {ids} which are not in debts",
                    {"ids": ", ".join(repr(i) for i in unknown), "field": "debt_ids"},
                )
        recipient = self.recipient
        if recipient is not None:
            if recipient.address_kind is not None:
                _check_address_kind(
                    recipient.address_kind, self.channel, field="recipient.address_kind"
                )
            if self.channel in PHONE_CHANNELS and recipient.address is not None:
                try:
                    parse_phone(recipient.address)
                except PhoneNumberInvalid as exc:
                    raise PydanticCustomError(
                        "phone_number",
                        '{reason}: "{number}"',
                        {
                            "reason": str(exc),
                            "number": recipient.address,
                            "field": "recipient.address",
                        },
                    ) from None
        return self


def _loc(parts: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in parts)


def _problems(exc: ValidationError) -> list[FieldProblem]:
    problems = []
    for err in exc.errors(include_url=False):
        parts = tuple(err["loc"])
        # Model-level checks that concern one nested field name it in their context.
        field = (err.get("ctx") or {}).get("field")
        if isinstance(field, str):
            parts = (*parts, *field.split("."))
        problems.append(FieldProblem(loc=_loc(parts), type=err["type"], msg=err["msg"]))
    return problems


def parse_request(data: Any) -> ProposedAction:
    """Validate a request given as a mapping, JSON text or bytes, or a model.

    Raises ``InputError`` with one ``FieldProblem`` per bad field.
    """
    if isinstance(data, ProposedAction):
        return data
    try:
        if isinstance(data, str | bytes | bytearray):
            return ProposedAction.model_validate_json(data)
        if not isinstance(data, dict):
            raise InputError(
                [
                    FieldProblem(
                        loc="",
                        type="request_type",
                        msg=f"a request is a JSON object, got {type(data).__name__}",
                    )
                ]
            )
        return ProposedAction.model_validate(data)
    except ValidationError as exc:
        raise InputError(_problems(exc)) from None
