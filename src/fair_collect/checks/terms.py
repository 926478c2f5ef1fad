"""Word lists: the one format for the terms a rule looks for, and the one matcher.

SPEC.md section 5: word lists live beside the rules as data, each entry with
its category and language. Every rule parameter that lists words uses
``TermEntry`` and compiles the list with ``TermList.of``, so that two rules
never disagree on what "the text contains the word" means.

An entry is a word or a phrase (``text``), the language it belongs to
(``language``, a BCP 47 tag such as ``en`` or ``es-MX``) and what it signals
(``category``, a snake_case slug such as ``debt_reference`` or
``legal_threat``; the rule decides what the categories mean). Word forms are
listed explicitly, in ``forms`` or as entries of their own (``owe``, ``owes``,
``owed``): there are no wildcards, because ``debt*`` also matches
"Debtford Road" and ``collect*`` matches "Acme Collectibles".

Matching:

* whole words only: "debt" does not match "Debtford" or "indebted";
* case-insensitive, after Unicode NFKC folding (full-width letters, ligatures)
  and with curly apostrophes read as ``'``;
* between the words of a phrase, any run of white space, hyphens, dashes or
  ``_`` matches ("past due" matches "Past-due" and "past\\n due");
* in scripts written without spaces between words (Han, Hiragana, Katakana,
  Hangul, Thai, Lao, Khmer, Myanmar, Tibetan) there are no word edges to
  test, so an edge of a term in such a script matches anywhere ("债务" is
  found in "您的债务已逾期").

Every term is tried whatever the language of the text: ``language`` documents
the list and lets a rule author keep languages apart; it does not filter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, field_validator

from fair_collect.checks.base import CheckKind, CheckParams, Finding, PackContext, Timeless
from fair_collect.checks.common import missing_message_field
from fair_collect.facts.core import Facts
from fair_collect.text.turns import collector_speech

__all__ = [
    "KINDS",
    "MessageField",
    "TermEntries",
    "TermEntry",
    "TermList",
    "term_key",
]

#: Characters that may separate the words of a phrase: white space, ``_``,
#: the hyphen-minus and the Unicode hyphens and dashes.
_GAP_CLASS = r"[\s_\-\u2010\u2011\u2012\u2013\u2014\u2212]+"
_GAP = re.compile(_GAP_CLASS)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
#: Unicode name prefixes of scripts written without spaces between words.
_UNSPACED_SCRIPTS = (
    "CJK ",
    "HIRAGANA",
    "KATAKANA",
    "HANGUL",
    "THAI",
    "LAO",
    "KHMER",
    "MYANMAR",
    "TIBETAN",
)
_WILDCARDS = frozenset("*?")
_LANGUAGE = r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
_CATEGORY = r"^[a-z][a-z0-9_]*$"


def _fold(text: str) -> str:
    """Text as the matcher compares it: NFKC, case-folded, apostrophes made ``'``."""
    return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()


def term_key(text: str) -> str:
    """A term or a matched text as compared and reported: folded, each run of
    white space, hyphens, dashes or ``_`` made one space ("Past-due" -> "past due")."""
    return _GAP.sub(" ", _fold(text)).strip()


def _spaced(ch: str) -> bool:
    """Whether ``ch`` belongs to a script that separates words with spaces."""
    return not unicodedata.name(ch, "").startswith(_UNSPACED_SCRIPTS)


def _check_term(text: str) -> str:
    if _WILDCARDS & set(text):
        raise ValueError(
            "wildcards are not supported: list each word form (in `forms` or as its own entry)"
        )
    if not term_key(text):
        raise ValueError("a term needs a character other than spaces, hyphens and underscores")
    return text


class TermEntry(CheckParams):
    """One entry of a word list.

    ``text``: a word or a phrase. ``forms``: other word forms of it that match
    too (``text: owe, forms: [owes, owed, owing]``). ``language``: the BCP 47
    tag of the words. ``category``: what a match signals, a snake_case slug.
    """

    text: Annotated[str, Field(min_length=1)]
    language: Annotated[str, Field(pattern=_LANGUAGE)]
    category: Annotated[str, Field(pattern=_CATEGORY)]
    forms: tuple[Annotated[str, Field(min_length=1)], ...] = ()

    @field_validator("text")
    @classmethod
    def _text_is_a_term(cls, text: str) -> str:
        return _check_term(text)

    @field_validator("forms")
    @classmethod
    def _forms_are_terms(cls, forms: tuple[str, ...]) -> tuple[str, ...]:
        for form in forms:
            _check_term(form)
        return forms

    def term_keys(self) -> tuple[str, ...]:
        """The entry's text and forms as compared (``term_key``), without repeats."""
        return tuple(dict.fromkeys(term_key(t) for t in (self.text, *self.forms)))


#: A rule parameter holding a word list (at least one entry).
TermEntries = Annotated[tuple[TermEntry, ...], Field(min_length=1)]


def _alternative(key: str) -> str:
    """The pattern of one term: its words joined by gaps, guarded at each edge
    that is in a spaced script so that only whole words match."""
    body = _GAP_CLASS.join(re.escape(word) for word in key.split(" "))
    head = r"(?<!\w)" if _spaced(key[0]) else ""
    tail = r"(?!\w)" if _spaced(key[-1]) else ""
    return head + body + tail


@dataclass(frozen=True, slots=True)
class TermList:
    """A compiled word list. Immutable and thread-safe; build it once, at load.

    ``find`` gives the terms found in a text (as ``term_key``\\ s, in order of
    first appearance, each once); ``categories_of`` and ``categories_in`` give
    what they signal. An empty list finds nothing.
    """

    pattern: re.Pattern[str] | None
    by_key: Mapping[str, tuple[str, ...]]  # term key -> its categories, sorted

    @classmethod
    def of(cls, entries: Iterable[TermEntry]) -> TermList:
        categories: dict[str, set[str]] = {}
        for entry in entries:
            for key in entry.term_keys():
                categories.setdefault(key, set()).add(entry.category)
        if not categories:
            return cls(None, {})
        # Longest first, so that a phrase wins over a word it starts with.
        keys = sorted(categories, key=lambda k: (-len(k), k))
        pattern = re.compile("|".join(_alternative(k) for k in keys))
        return cls(pattern, {k: tuple(sorted(v)) for k, v in categories.items()})

    def find(self, text: str) -> list[str]:
        """The listed terms in ``text``, as term keys, in order of first appearance."""
        if self.pattern is None or not text:
            return []
        found = dict.fromkeys(term_key(m.group(0)) for m in self.pattern.finditer(_fold(text)))
        return list(found)

    def categories_of(self, keys: Iterable[str]) -> list[str]:
        """The categories of found terms, sorted and without repeats."""
        return sorted({c for key in keys for c in self.by_key.get(key, ())})

    def categories_in(self, text: str) -> list[str]:
        """The categories of the terms in ``text``, sorted and without repeats."""
        return self.categories_of(self.find(text))

    @property
    def categories(self) -> frozenset[str]:
        """Every category the list can signal."""
        return frozenset(c for cats in self.by_key.values() for c in cats)


# ---------------------------------------------------------- message terms

MessageField = Literal["text", "subject", "sender_name", "envelope_text"]


class MessageTermsParams(CheckParams):
    """Listed terms must not appear in the listed message fields.

    Matching is ``TermList``'s: whole words, any case, a space, hyphen or
    ``_`` inside a term matching any run of them ("past due" matches
    "Past-due"). ``require`` lists fields that must be given: without them
    the check cannot pass (a missing fact). In a speaker-labelled transcript
    only the collector's lines are read (``collector_speech``), as the
    wording rules read them.
    """

    terms: TermEntries
    fields: tuple[MessageField, ...] = Field(default=("text",), min_length=1)
    require: tuple[MessageField, ...] = ()


@dataclass(frozen=True, slots=True)
class MessageTerms(Timeless):
    terms: TermList
    fields: tuple[str, ...]
    require: tuple[str, ...]

    def evaluate(self, facts: Facts) -> Finding | None:
        missing = missing_message_field(facts, self.require)
        if missing is not None:
            return missing
        message = facts.request.message
        if message is None:
            return None
        found: dict[str, None] = {}
        where: list[str] = []
        for name in self.fields:
            value = getattr(message, name)
            if not value:
                continue
            hits = self.terms.find(collector_speech(value, facts.base.spoken))
            if hits:
                where.append(name)
                found.update(dict.fromkeys(hits))
        if not found:
            return None
        return Finding(
            {
                "terms_found": list(found),
                "term_categories": self.terms.categories_of(found),
                "fields": where,
            }
        )


def _build_message_terms(params: MessageTermsParams, ctx: PackContext) -> MessageTerms:
    return MessageTerms(TermList.of(params.terms), params.fields, params.require)


MESSAGE_TERMS = CheckKind(
    reads_message=True,
    name="message_terms",
    params=MessageTermsParams,
    build=_build_message_terms,
    evidence=frozenset({"terms_found", "term_categories", "fields"}),
    summary=(
        "Violated when a listed term appears, as a whole word and in any case, in one of the"
        " listed message fields; a field listed in require that is missing is a missing fact."
    ),
)

KINDS = (MESSAGE_TERMS,)
