"""Content checks: what a message says (DESIGN.md section 5).

* ``wording``: the pack's word lists, by category (threats, false legal
  claims, impersonation, insults, shaming...). Hits come from the policy's one
  automaton (``Facts.words``); a hit cleared by a negation cue, or made
  lawful by the debt facts (``lawful_if``), does not count.
* ``required_content``: wording that must be present (an opt-out
  instruction, the debt-collector disclosure); an instruction made useless by
  a burden (a fee, personal data asked for) does not count.
* ``personal_data``: identifiers in the message (a resident ID with a valid
  check character, an SSN, a Luhn-valid card, a bank account, another
  person's phone number).
* ``message_flag``: a flag of the message (``limited_content``), so that a
  rule can apply to limited-content voicemails only.

The content checks read only the text the request gives: a message field
that is absent has nothing to find (a pack decides, per rule, whether the text
is required with ``require``; then its absence is a missing fact).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from phonenumbers import SUPPORTED_REGIONS
from pydantic import Field, model_validator

from fair_collect.checks.base import (
    Check,
    CheckKind,
    CheckParams,
    Finding,
    PackContext,
    Timeless,
    suggest,
)
from fair_collect.checks.common import missing_message_field
from fair_collect.checks.composite import walk
from fair_collect.facts.addresses import same_address
from fair_collect.facts.core import Facts
from fair_collect.text.heading import heading_spans, in_heading
from fair_collect.text.lexicon import CONTEXT_CATEGORIES, LexiconHit
from fair_collect.text.personal_data import scan_personal_data

__all__ = ["KINDS", "foreign_word_lists"]

MessageField = Literal["text", "subject", "sender_name", "envelope_text"]
_CATEGORY = r"^[a-z][a-z0-9_]*$"
Categories = Annotated[tuple[Annotated[str, Field(pattern=_CATEGORY)], ...], Field(min_length=1)]


def _known_categories(categories: Iterable[str], ctx: PackContext) -> None:
    """Every category a rule names must be one the pack's word lists signal."""
    for category in categories:
        if category in CONTEXT_CATEGORIES:
            raise ValueError(f"{category!r} is a context category, not something to find")
        if category not in ctx.word_categories:
            known = sorted(ctx.word_categories - CONTEXT_CATEGORIES)
            raise ValueError(
                f"no word list of pack {ctx.pack_id!r} has category {category!r}"
                + suggest(category, known)
            )


def _lawful(hit: LexiconHit, facts: Facts) -> bool:
    """Whether the request's facts make the hit's wording true and lawful."""
    if not hit.lawful_if:
        return False
    req = facts.request
    for fact in hit.lawful_if:
        if fact == "attorney_sender":
            if req.collector is not None and req.collector.attorney:
                return True
            continue
        wanted = set(facts.base.debt_ids())
        debts = [d for d in req.debts if d.id in wanted]
        if debts and all(getattr(d, fact) for d in debts):
            return True
    return False


def _span(field: str, hit: LexiconHit) -> dict[str, Any]:
    return {
        "field": field,
        "start": hit.start,
        "end": hit.end,
        "quote": hit.quote,
        "term": hit.term,
        "category": hit.category,
    }


def _outermost(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The spans not inside another span of the same field ("be arrested"
    and the "arrested" within it are one finding)."""
    ordered = sorted(spans, key=lambda s: (s["field"], s["start"], -s["end"]))
    kept: list[dict[str, Any]] = []
    for span in ordered:
        last = kept[-1] if kept else None
        if last is not None and last["field"] == span["field"] and span["end"] <= last["end"]:
            continue
        kept.append(span)
    return kept


# ------------------------------------------------------------------ wording


class WordingParams(CheckParams):
    """Wording of the listed categories of the pack's word lists must not appear.

    ``fields``: the message fields read. ``lawful``: false ignores the
    entries' ``lawful_if`` (a suit threat on a time-barred debt is unlawful
    even when the suit is authorised). ``require``: fields that must be
    given (their absence is a missing fact). ``heading_categories``: those of
    ``categories`` that count only where a field names its sender (a
    bracketed signature, a letterhead, the label before a colon: see
    ``fair_collect.text.heading``) and anywhere in ``sender_name``; a bare
    "sheriff's office" or 法院 is a claim of identity there and harmless in
    the body.
    """

    categories: Categories
    fields: tuple[MessageField, ...] = Field(default=("text", "subject"), min_length=1)
    lawful: bool = True
    require: tuple[MessageField, ...] = ()
    heading_categories: tuple[Annotated[str, Field(pattern=_CATEGORY)], ...] = ()
    #: Read another pack's word lists (a state pack stacking on the federal
    #: lists: ``us/federal``) instead of copying them. The policy refuses to
    #: load unless that pack is loaded too and has the categories.
    lists_from: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(/[a-z0-9_]+)*$")] | None = None

    @model_validator(mode="after")
    def _headings_are_categories(self) -> WordingParams:
        stray = sorted(set(self.heading_categories) - set(self.categories))
        if stray:
            raise ValueError(f"heading_categories must be among categories: {stray}")
        return self


@dataclass(frozen=True, slots=True)
class Wording(Timeless):
    pack: str
    categories: frozenset[str]
    fields: tuple[str, ...]
    lawful: bool
    require: tuple[str, ...]
    heading: frozenset[str]

    def passes_without_message(self) -> bool:
        """No message, no wording, unless a field is required (a missing fact)."""
        return not self.require

    def evaluate(self, facts: Facts) -> Finding | None:
        missing = missing_message_field(facts, self.require)
        if missing is not None:
            return missing
        spans: list[dict[str, Any]] = []
        unread: list[str] = []
        for field in self.fields:
            scan = facts.base.words(field)
            if scan.truncated:
                unread.append(field)
            headings: tuple[tuple[int, int], ...] | None = None
            for hit in scan.of(self.pack, self.categories):
                if hit.negated or (self.lawful and _lawful(hit, facts)):
                    continue
                if hit.category in self.heading and field != "sender_name":
                    if headings is None:
                        headings = heading_spans(facts.base.message_field(field) or "")
                    if not in_heading(headings, hit.start, hit.end):
                        continue
                spans.append(_span(field, hit))
        if not spans and not unread:
            return None
        spans = _outermost(spans)
        if unread:
            # Flooded text was not read to its end: what it hides is unknown.
            spans.append(
                {
                    "field": unread[0],
                    "quote": "(not read to the end: too many listed terms or mixed-script spellings)",
                }
            )
        return Finding(
            {
                "quotes": list(dict.fromkeys(s["quote"] for s in spans)),
                "terms_found": list(dict.fromkeys(s["term"] for s in spans if "term" in s)),
                "categories": sorted({s["category"] for s in spans if "category" in s}),
                "fields": list(dict.fromkeys(s["field"] for s in spans)),
                "spans": spans,
            }
        )


def foreign_word_lists(check: Check, pack_id: str) -> Iterator[tuple[str, frozenset[str]]]:
    """(pack, categories) for every wording check in ``check`` that reads the word
    lists of a pack other than ``pack_id`` (its own), so that the policy can
    refuse to load when that pack or category is missing (fail closed: a
    list that is not loaded would find nothing)."""
    for part in walk(check):
        if isinstance(part, Wording) and part.pack != pack_id:
            yield part.pack, part.categories


def _build_wording(params: WordingParams, ctx: PackContext) -> Wording:
    if params.lists_from is None or params.lists_from == ctx.pack_id:
        _known_categories(params.categories, ctx)
    # Otherwise the policy checks the categories against the other pack's lists
    # when it is built (``word_list_problems``): only then are both packs known.
    return Wording(
        params.lists_from or ctx.pack_id,
        frozenset(params.categories),
        params.fields,
        params.lawful,
        params.require,
        frozenset(params.heading_categories),
    )


WORDING = CheckKind(
    reads_message=True,
    name="wording",
    params=WordingParams,
    build=_build_wording,
    evidence=frozenset({"quotes", "terms_found", "categories", "fields", "spans", "unread_fields"}),
    summary=(
        "Violated when wording of the listed categories of the pack's word lists (or of the"
        " lists_from pack's) appears in a listed message field, neither negated in its clause"
        " nor made lawful by the debt facts."
    ),
)


# --------------------------------------------------------- required content


class RequiredContentParams(CheckParams):
    """Wording of one of ``categories`` must appear in the listed fields.

    ``defeated_by``: categories whose presence makes the required wording
    count for nothing (an opt-out that asks for a fee or for personal data is
    not a simple opt-out). ``item``: the name of what is required, for the
    reason (``opt_out_instructions``, ``debt_collector_disclosure``).
    """

    item: Annotated[str, Field(pattern=_CATEGORY)]
    categories: Categories
    defeated_by: tuple[Annotated[str, Field(pattern=_CATEGORY)], ...] = ()
    fields: tuple[MessageField, ...] = Field(default=("text", "subject"), min_length=1)
    require: tuple[MessageField, ...] = ()


@dataclass(frozen=True, slots=True)
class RequiredContent(Timeless):
    pack: str
    item: str
    categories: frozenset[str]
    defeated_by: frozenset[str]
    fields: tuple[str, ...]
    require: tuple[str, ...]

    def passes_without_message(self) -> bool:
        """Required content is asked of a message that is given; a required
        field is a missing fact."""
        return not self.require

    def evaluate(self, facts: Facts) -> Finding | None:
        missing = missing_message_field(facts, self.require)
        if missing is not None:
            return missing
        message = facts.request.message
        if message is None or not any(getattr(message, f) for f in self.fields):
            return None
        present: list[LexiconHit] = []
        defeating: list[dict[str, Any]] = []
        for field in self.fields:
            scan = facts.base.words(field)
            present += [h for h in scan.of(self.pack, self.categories) if not h.negated]
            defeating += [
                _span(field, h) for h in scan.of(self.pack, self.defeated_by) if not h.negated
            ]
        if present and not defeating:
            return None
        return Finding(
            {
                "required": self.item,
                "found": [hit.quote for hit in present],
                "defeated_by": [s["quote"] for s in defeating],
                "spans": defeating,
            }
        )


def _build_required_content(params: RequiredContentParams, ctx: PackContext) -> RequiredContent:
    _known_categories((*params.categories, *params.defeated_by), ctx)
    return RequiredContent(
        ctx.pack_id,
        params.item,
        frozenset(params.categories),
        frozenset(params.defeated_by),
        params.fields,
        params.require,
    )


REQUIRED_CONTENT = CheckKind(
    reads_message=True,
    name="required_content",
    params=RequiredContentParams,
    build=_build_required_content,
    evidence=frozenset({"required", "found", "defeated_by", "spans"}),
    summary=(
        "Violated when a message that is given lacks wording of the listed categories, or"
        " carries wording that defeats it (defeated_by)."
    ),
)


# ------------------------------------------------------------ personal data

PersonalDataKind = Literal[
    "cn_resident_id", "us_ssn", "payment_card", "bank_account", "phone_number"
]


class PersonalDataParams(CheckParams):
    """Identifiers must not appear in the listed message fields.

    ``kinds``: which identifiers. A phone number counts only when the
    message ties it to another person (a word of ``relation_categories``
    shortly before it in the same sentence: "your sister's number",
    "你同事小张的电话") and it is not the recipient's, the borrower's (in a
    message to the borrower) or one of the collector's own numbers; a bare
    number is read as the sender's callback number. ``region``: the country
    whose national numbers are read without a country code.
    """

    kinds: tuple[PersonalDataKind, ...] = Field(
        default=("cn_resident_id", "us_ssn", "payment_card", "bank_account", "phone_number"),
        min_length=1,
    )
    fields: tuple[MessageField, ...] = Field(default=("text", "subject"), min_length=1)
    relation_categories: tuple[Annotated[str, Field(pattern=_CATEGORY)], ...] = ()
    region: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None


#: How far before a phone number (in characters of the original text) a
#: relation word ties the number to another person.
_RELATION_REACH = 40
_SENTENCE_ENDS = frozenset(".!?;\n。！？；")


@dataclass(frozen=True, slots=True)
class PersonalData(Timeless):
    pack: str
    kinds: frozenset[str]
    fields: tuple[str, ...]
    relations: frozenset[str]
    region: str | None

    def _own_numbers(self, facts: Facts) -> list[str]:
        req = facts.request
        numbers: list[str] = []
        if req.recipient is not None and req.recipient.address:
            numbers.append(req.recipient.address)
        if req.collector is not None:
            numbers.extend(req.collector.phones)
        role = req.recipient.role if req.recipient is not None else None
        if req.borrower is not None and role in (None, "borrower"):
            numbers.extend(p.number for p in req.borrower.phones)
        return numbers

    def _tied_to_someone(self, field: str, start: int, facts: Facts) -> bool:
        message = facts.request.message
        text: str = getattr(message, field) or ""
        for hit in facts.base.words(field).of(self.pack, self.relations):
            if (
                hit.end <= start
                and start - hit.end <= _RELATION_REACH
                and not _SENTENCE_ENDS.intersection(text[hit.end : start])
            ):
                return True
        return False

    def passes_without_message(self) -> bool:
        return True

    def evaluate(self, facts: Facts) -> Finding | None:
        message = facts.request.message
        if message is None:
            return None
        own = self._own_numbers(facts)
        spans: list[dict[str, Any]] = []
        unread: list[str] = []
        for field in self.fields:
            text = getattr(message, field)
            if not text:
                continue
            scan = scan_personal_data(text, kinds=self.kinds, default_region=self.region)
            if scan.truncated:
                unread.append(field)
            for hit in scan.hits:
                if hit.kind == "phone_number":
                    number = text[hit.start : hit.end]
                    if any(same_address(number, mine) for mine in own):
                        continue
                    if not self._tied_to_someone(field, hit.start, facts):
                        continue
                spans.append(
                    {
                        "field": field,
                        "start": hit.start,
                        "end": hit.end,
                        "kind": hit.kind,
                        "masked": hit.masked,
                    }
                )
        if not spans and not unread:
            return None
        masked = [s["masked"] for s in spans]
        if unread:
            # Text flooded with numbers was not read to its end (fail closed).
            masked.append("(text not read to the end: too many numbers)")
        return Finding(
            {
                "kinds": sorted({s["kind"] for s in spans}),
                "masked": masked,
                "fields": list(dict.fromkeys([*(s["field"] for s in spans), *unread])),
                "spans": spans,
                "unread_fields": unread,
            }
        )


def _build_personal_data(params: PersonalDataParams, ctx: PackContext) -> PersonalData:
    if params.region is not None and params.region not in SUPPORTED_REGIONS:
        raise ValueError(f"region {params.region!r} is not a region phone numbers are known for")
    if params.relation_categories:
        _known_categories(params.relation_categories, ctx)
    return PersonalData(
        ctx.pack_id,
        frozenset(params.kinds),
        params.fields,
        frozenset(params.relation_categories),
        params.region,
    )


PERSONAL_DATA = CheckKind(
    reads_message=True,
    name="personal_data",
    params=PersonalDataParams,
    build=_build_personal_data,
    evidence=frozenset({"kinds", "masked", "fields", "spans", "unread_fields"}),
    summary=(
        "Violated when a message field holds a valid identifier: a resident ID, an SSN, a card"
        " or bank account number, or a phone number the message ties to another person."
        " Evidence shows identifiers masked, never whole."
    ),
)


# -------------------------------------------------------------- message flag


class MessageFlagParams(CheckParams):
    """A flag of the message has a value (``None`` read as ``default``)."""

    flag: Literal["limited_content"]
    equals: bool
    default: bool


@dataclass(frozen=True, slots=True)
class MessageFlag(Timeless):
    flag: str
    equals: bool
    default: bool

    def evaluate(self, facts: Facts) -> Finding | None:
        message = facts.request.message
        value = getattr(message, self.flag) if message is not None else None
        if value is None:
            value = self.default
        if value != self.equals:
            return None
        return Finding({"flag": self.flag, "value": value})


def _build_message_flag(params: MessageFlagParams, ctx: PackContext) -> MessageFlag:
    return MessageFlag(params.flag, params.equals, params.default)


MESSAGE_FLAG = CheckKind(
    name="message_flag",
    params=MessageFlagParams,
    build=_build_message_flag,
    evidence=frozenset({"flag", "value"}),
    summary=(
        "Violated when the message flag (limited_content) equals the given value, an unset"
        " flag being read as the default."
    ),
)

KINDS = (WORDING, REQUIRED_CONTENT, PERSONAL_DATA, MESSAGE_FLAG)
