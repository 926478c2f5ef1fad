"""Word lists of a policy compiled into one Aho-Corasick automaton, and the hits in a message.

DESIGN.md section 5. The packs' word lists (``rules/<pack>/wordlists/*.yaml``,
read by the pack loader into ``WordEntry`` objects) are compiled once per
``Policy`` into a ``Lexicon``: one ``pyahocorasick`` automaton holding every
key of every entry of every pack. A message is normalised once
(``fair_collect.text.normalize``) and each of its two views is scanned once,
so the cost is linear in the message whatever the number of entries, and the
hits of every wording rule of every pack come from that one pass.

What a key is, per entry (``text`` and each of its ``forms``):

* the word-view key: the normalised text. In a script written with spaces
  (Latin, Greek, Cyrillic...), an edge of the key must be a word edge in the
  message ("jail" is not found in "Jailbreak"); in Han and other unspaced
  scripts there are no word edges to test;
* the squeezed key (letters and digits only, ``l`` read as ``i``): always for
  keys with a Han character, and for other keys of at least
  ``SQUEEZED_MIN_LENGTH`` characters (shorter ones would be found inside
  ordinary words once spaces are gone). It catches what the word view keeps
  apart on purpose: ``ja.il``, ``bao-guang``, ``爆🔥🔥🔥🔥🔥通讯录``;
* for Han entries with ``pinyin`` (the default, two Han characters or more):
  the toneless pinyin, as a word-view key with edges ("bao tong xun lu") and
  as a squeezed key when long enough ("baotongxunlu").

Context (the reserved categories of ``context.yaml``): a hit is *negated*
when a ``negation`` cue ends shortly before it, in the same clause, with no
``negation_stop`` word between them ("we will not take legal action"; but
"people who don't pay end up in jail" and "不还就等着坐牢" are not negated,
``pay`` and ``还`` being stops). "Shortly": at most ``NEGATION_REACH`` units
between cue and hit, a unit being a word of a spaced script or one Han
character. Entries with ``negatable: false`` are never negated. Negation is
judged on the original text between the two hits, so disguises inside the
gap change nothing. Whether a hit is *lawful* (``lawful_if``: the debt facts
that make a lawsuit notice or an enforcement notice true) is for the rule to
decide, since it reads the request.

A ``Lexicon`` is immutable and safe to share between threads: pyahocorasick
iteration over a finished automaton does not modify it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import accumulate
from operator import itemgetter
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

import ahocorasick
import re2
from pydantic import BaseModel, ConfigDict, Field, field_validator

from fair_collect.text.folding import Normalized, View, normalize, pinyin_key
from fair_collect.text.keycache import KeyCache
from fair_collect.text.utf8 import LEAD_BYTES, re2_spans

__all__ = [
    "CONTEXT_CATEGORIES",
    "NEGATION_REACH",
    "SQUEEZED_MIN_LENGTH",
    "Lexicon",
    "LexiconHit",
    "LexiconScan",
    "WordEntry",
    "WordListFile",
]

#: Facts under which an entry's wording is lawful (see ``WordEntry.lawful_if``).
LawfulFact = Literal["suit_authorized", "judgment", "attorney_sender"]
#: Reserved categories that steer context instead of signalling anything.
CONTEXT_CATEGORIES = frozenset({"negation", "negation_after", "negation_stop"})
#: Non-Han keys shorter than this are matched on the word view only.
SQUEEZED_MIN_LENGTH = 8
#: Units (words, or Han characters) allowed between a negation cue and a hit.
NEGATION_REACH = 8
#: Units (words, or Han characters) allowed by default between a term of an
#: entry with ``near`` and its partner term (``WordEntry.within``), and the most.
DEFAULT_WITHIN = 6
MAX_WITHIN = 12
#: Automaton matches read per message field before the scan stops (flooded text).
MAX_MATCHES = 8_192
#: Hits reported per entry and field; the last is never cleared by a negation.
MAX_HITS_PER_ENTRY = 16
#: Texts at least this long (characters) may be read from a head first
#: (``Lexicon.scan``), as the density of matches in the first of this many
#: characters says.
_HEAD_FROM = 65_536
_FIRST_HEAD = 8_192
#: How far before a head's end its cut may move back to a white-space character.
_HEAD_CUT_BACK = 256
#: Word views longer than this (characters) have their map to the original
#: text prepared for the farthest hit before any hit is mapped (``View.cover``).
_COVER_FROM = 32_768
#: The end of a hit in ``Lexicon._judge``'s list (start, end, entry, seen, anchor).
_END_OF_HIT = itemgetter(1)
#: Characters between a negation cue and a hit beyond which it never reaches.
_GAP_CHARACTERS_AT_MOST = 200
#: Characters that end a clause: a negation never reaches across them.
_CLAUSE_ENDS = frozenset(".!?;:,\n。！？；：，…")
#: The clause ends other than the comma, which a list may hold.
_HARD_ENDS = tuple(sorted(_CLAUSE_ENDS - {","}))
_HARD_CLAUSE_END = re.compile("[" + re.escape("".join(_HARD_ENDS)) + "]")

_CATEGORY = r"^[a-z][a-z0-9_]*$"
_LANGUAGE = r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$"

_WORD_VIEW = 1
_SQUEEZED_VIEW = 2
_PINYIN_VIEW = 4
#: Pinyin keys shorter than this are not looked up in mixed Han-and-Latin text.
PINYIN_MIN_LENGTH = 4
#: A Latin letter beside a Han character: the text may spell some of its
#: words half in pinyin (``老lai``, ``dan位``, ``bao光``).
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[a-z]")
#: Runs of Latin letters. (Each of these patterns starts with a character
#: class, not a repetition, so that the engine skips ahead in C to where a
#: match can start.)
_LATIN_RUN = re.compile(r"[a-z][a-z]*")
#: A Latin letter and a Han character side by side, either way round; on
#: UTF-8 bytes, with google-re2, for words of ``_PAIRS_BY_RE2_FROM``
#: characters or more (see ``_mixed_pairs``).
_MIXED_PAIR = re2.compile("[a-z][\u3400-\u9fff]|[\u3400-\u9fff][a-z]")
_PAIRS_BY_RE2_FROM = 4096
#: Latin-and-Han pairs read per message field before the scan stops (and
#: says so, like ``MAX_MATCHES``): each opens a window read aloud in pinyin,
#: in Python, so a message flooded with them would cost a pinyin reading
#: of all of it. A Chinese message spelling a word half in pinyin has a few.
MAX_MIXED_PAIRS = 2_000
#: What the pinyin reading keeps: Latin words and runs of Han characters
#: (``[a-z]+|[Han]+``, written to start with one class).
_READ_ALOUD = re.compile(
    r"[a-z\u3400-\u9fff\uf900-\ufaff](?:(?<=[a-z])[a-z]*|[\u3400-\u9fff\uf900-\ufaff]*)"
)
#: Characters either side of a Latin run that its pinyin reading covers.
_PINYIN_REACH = 12


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _wildcard_like(word: str) -> bool:
    """A lone ``*`` at a word's edge (``debt*``) reads as a wildcard; masked
    profanity has stars inside a word (``sh*t``) or a run of them at its end
    (``f***``)."""
    if word.startswith("*") or word.strip("*") == "":
        return True
    return word.endswith("*") and not word.endswith("**")


#: A letter, digit or Han character (``str.isalnum``: ``\w`` without ``_``).
_ALNUM = re.compile(r"[^\W_]")


def _check_term(text: str) -> str:
    """A term may hold ``*`` only as masked profanity does (``f***ing``,
    ``sh*t``, ``f***``); ``debt*`` would read as a wildcard."""
    # (Without a star no word is wildcard-like: most terms skip the word loop.)
    if "?" in text or ("*" in text and any(_wildcard_like(w) for w in text.split())):
        raise ValueError(
            "wildcards are not supported: list each form (in `forms`); `*` may only stand"
            " inside a word, as in masked profanity (f***ing)"
        )
    if not _ALNUM.search(text):
        raise ValueError("a term needs a letter, a digit or a Han character")
    if "*" in text and "*" not in (folded := normalize(text).text):
        # Stars between single letters are read as separators ("s**t" reads
        # "st", which would match "St."): such a form cannot be listed.
        raise ValueError(f"the masked form {text!r} reads as {folded!r}; list another spelling")
    return text


class _Entry(_Strict):
    """What every word-list entry holds besides its category and language."""

    text: Annotated[str, Field(min_length=1)]
    forms: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    lawful_if: tuple[LawfulFact, ...] = ()
    negatable: bool = True
    pinyin: bool = True
    near: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    within: Annotated[int, Field(ge=0, le=MAX_WITHIN)] = DEFAULT_WITHIN
    note: str | None = None

    @field_validator("text")
    @classmethod
    def _text_is_a_term(cls, text: str) -> str:
        return _check_term(text)

    @field_validator("forms", "near")
    @classmethod
    def _forms_are_terms(cls, forms: tuple[str, ...]) -> tuple[str, ...]:
        for form in forms:
            _check_term(form)
        return forms


class WordEntry(_Entry):
    """One entry of a word list (``rules/<pack>/wordlists/*.yaml``).

    ``text`` and ``forms``: the word or phrase and its other forms, written
    lower-case and, for Chinese, in simplified characters (messages are
    folded to match). ``category``: what a hit signals, a snake_case slug;
    ``negation``, ``negation_after`` and ``negation_stop`` are reserved for
    context cues.
    ``lawful_if``: facts under which the wording is true and lawful (a suit
    notice when a suit is authorised, an enforcement notice after a
    judgment, a lawyer's letter from a lawyer). ``negatable``: false when no
    negation cue can clear a hit. ``pinyin``: for Han entries, also match
    the toneless pinyin.

    ``near`` (with ``within``): the entry is a pair of word families, not a
    phrase. A term of ``text``/``forms`` is a hit only when a term of
    ``near`` stands before or after it in the same sentence, at most
    ``within`` units (words, or Han characters) away; the hit spans both.
    One entry "sheriff, deputy, police ..." near "show up, at your door,
    cuffs ..." covers every order and wording of the pair ("the sheriff
    shows up at your job", "cuffs and a deputy at your door") that a list
    of phrases would have to spell out one by one. The ``near`` terms are
    read on the word view only (folded as every term is: case, width,
    look-alikes, leetspeak, letters spelt apart, traditional characters),
    not on the letters-only view or the pinyin reading.
    """

    category: Annotated[str, Field(pattern=_CATEGORY)]
    language: Annotated[str, Field(pattern=_LANGUAGE)]


class _RawEntry(_Entry):
    """An entry as written in a file, where category and language may be the file's."""

    category: Annotated[str, Field(pattern=_CATEGORY)] | None = None
    language: Annotated[str, Field(pattern=_LANGUAGE)] | None = None


class WordListFile(_Strict):
    """A word-list file: defaults for its entries, and the entries."""

    language: Annotated[str, Field(pattern=_LANGUAGE)] | None = None
    category: Annotated[str, Field(pattern=_CATEGORY)] | None = None
    note: str | None = None
    entries: Annotated[tuple[_RawEntry, ...], Field(min_length=1)]

    def resolved(self) -> list[tuple[int, WordEntry | str]]:
        """Each entry with the file's defaults applied, or a problem (index, message)."""
        out: list[tuple[int, WordEntry | str]] = []
        for index, raw in enumerate(self.entries):
            category = raw.category or self.category
            language = raw.language or self.language
            if category is None or language is None:
                missing = "category" if category is None else "language"
                out.append((index, f"the entry has no {missing} (and the file gives none)"))
                continue
            # The entry was validated as it was read; only the defaults are new.
            fields = raw.model_dump() | {"category": category, "language": language}
            out.append((index, WordEntry.model_construct(**fields)))
        return out


class LexiconHit:
    """A listed term found in a message, located in the original text.

    ``start``, ``end`` (half-open) and ``quote`` are found in the original text
    when first asked for: most hits (the words that make a message be about a
    debt, opt-out wording) are only counted, never quoted. Immutable.
    """

    __slots__ = (
        "_span",
        "_text",
        "_view",
        "_where",
        "category",
        "lawful_if",
        "negated",
        "pack",
        "term",
    )

    def __init__(
        self,
        pack: str,
        category: str,
        term: str,
        negated: bool,
        lawful_if: tuple[str, ...],
        text: str,
        view: View,
        where: tuple[int, int],
    ) -> None:
        self.pack = pack
        self.category = category
        self.term = term  # the entry's text, as listed
        self.negated = negated
        self.lawful_if = lawful_if
        self._text = text
        self._view = view
        self._where = where  # the span in the word view
        self._span: tuple[int, int] | None = None

    def _original(self) -> tuple[int, int]:
        span = self._span
        if span is None:
            span = self._span = self._view.original_span(*self._where)
        return span

    @property
    def start(self) -> int:
        return self._original()[0]

    @property
    def end(self) -> int:
        return self._original()[1]

    @property
    def quote(self) -> str:
        """The original text of the hit."""
        start, end = self._original()
        return self._text[start:end]

    def __repr__(self) -> str:
        return (
            f"LexiconHit({self.pack!r}, {self.category!r}, {self.term!r}, quote={self.quote!r},"
            f" negated={self.negated})"
        )


class _Key(NamedTuple):
    """One entry's claim on one automaton key, for the views it is read on.

    A named tuple, not a frozen dataclass: a lexicon makes one per key and
    view set (about 60,000 on every load), and a frozen dataclass sets each
    field through ``object.__setattr__``."""

    entry: int  # index into Lexicon.entries
    views: int  # _WORD_VIEW | _SQUEEZED_VIEW
    edged: bool  # word view: both edges must be word edges (spaced scripts)
    head_edge: bool
    tail_edge: bool


@functools.lru_cache(maxsize=4096)
def _spaced(ch: str) -> bool:
    """Whether ``ch`` is in a script that separates words with spaces.

    Remembered per character (a Unicode name look-up each time cost a
    tenth of compiling a lexicon, where every key asks about both ends;
    a scan asks about the characters at the edges of its hits)."""
    if ch.isascii():
        return True
    return not unicodedata.name(ch, "").startswith(
        ("CJK ", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN")
    )


#: Punctuation followed by a space inside a squeezed match: a sentence or list
#: break, not a disguise ("Ms. Levy, your ..." is not "levy your").
_BREAK = re.compile(r"[,.;:!?]\s")


def _edges_hold(word: str, head_edge: bool, tail_edge: bool, start: int, end: int) -> bool:
    """Whether a squeezed-view match of a Latin key, placed on the word view,
    stands on word edges there and crosses no sentence or list break."""
    if head_edge and start > 0 and _in_word(word[start - 1]):
        return False
    if tail_edge and end < len(word) and _in_word(word[end]):
        return False
    return not _BREAK.search(word, start, end)


def _in_word(ch: str) -> bool:
    """Whether ``ch`` continues a word of a spaced script (a Han character beside
    a Latin word is a word edge: ``你個PK``)."""
    return ch.isalnum() and (ch.isascii() or _spaced(ch))


def _keys_of(text: str, pinyin: bool) -> list[tuple[str, int]]:
    """The (key, views) pairs of one listed text."""
    folded = normalize(text)
    word = folded.text.strip()
    squeezed = folded.squeezed.text
    han = sum(map(len, _HAN_RUN.findall(word)))
    keys: list[tuple[str, int]] = [(word, _WORD_VIEW)]
    if squeezed and (han or len(squeezed) >= SQUEEZED_MIN_LENGTH):
        keys.append((squeezed, _SQUEEZED_VIEW))
    if pinyin and han >= 2:
        spelled = normalize(pinyin_key(text))
        keys.append((spelled.text.strip(), _WORD_VIEW))
        if len(spelled.squeezed.text) >= SQUEEZED_MIN_LENGTH:
            keys.append((spelled.squeezed.text, _SQUEEZED_VIEW))
        letters = "".join(c for c in spelled.text if c.isascii() and c.isalpha())
        if len(letters) >= PINYIN_MIN_LENGTH:
            keys.append((letters, _PINYIN_VIEW))
    return keys


#: Keys of listed terms, shared by every lexicon of the process and kept on
#: disk between processes (see ``keycache``).
_KEYS = KeyCache(_keys_of)


@functools.lru_cache(maxsize=8192)
def _run_pinyin(run: str) -> tuple[str, ...]:
    """Toneless pinyin of a run of Han characters, one syllable per character."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(run, style=Style.NORMAL, errors="default", v_to_u=False)
    if len(syllables) != len(run):  # not one syllable per character: spell each alone
        syllables = [lazy_pinyin(ch, style=Style.NORMAL, v_to_u=False)[0] for ch in run]
    return tuple(s.lower() for s in syllables)


def _mixed_windows(word: str) -> tuple[list[tuple[int, int]], bool]:
    """Stretches of the word view around Latin letters that touch Han
    characters: each Latin run with up to ``_PINYIN_REACH`` characters of Han
    (or more letters) on either side, overlapping stretches merged. Only
    these can hold a half-pinyin spelling, so only they are read aloud.

    Also whether the word holds more than ``MAX_MIXED_PAIRS`` pairs: the
    windows then cover only the first of them."""
    windows: list[tuple[int, int]] = []
    for seen, at in enumerate(_mixed_pairs(word)):
        if seen == MAX_MIXED_PAIRS:
            return windows, True
        lo = max(0, at - _PINYIN_REACH)
        hi = min(len(word), at + 2 + _PINYIN_REACH)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], hi))
        else:
            windows.append((lo, hi))
    return windows, False


def _mixed_pairs(word: str) -> Iterator[int]:
    """Where a Latin letter and a Han character (``\u3400-\u9fff``) stand
    side by side, as the start of the pair, pairs never overlapping (as a
    regular-expression scan for such pairs finds them), in order.

    A word shorter than ``_PAIRS_BY_RE2_FROM`` is read by its Latin runs:
    only the ends of one can start or end a pair, and Latin runs are few in
    Chinese text. A longer word is scanned by google-re2 on its UTF-8 bytes,
    in C whatever the text holds (the loop over Latin runs cost tens of
    milliseconds over a megabyte of English with one Han character in it,
    where google-re2's call costs more than the loop in a short message);
    the byte offsets become characters as ``fair_collect.text.utf8``
    describes (``re2_spans``). A test holds the two to each other.
    """
    if len(word) < _PAIRS_BY_RE2_FROM:
        last = 0  # the end of the previous pair
        size = len(word)
        for run in _LATIN_RUN.finditer(word):
            start, end = run.span()
            if start > last and "\u3400" <= word[start - 1] <= "\u9fff":
                last = start + 1
                yield start - 1
            if end - 1 >= last and end < size and "\u3400" <= word[end] <= "\u9fff":
                last = end + 1
                yield end - 1
        return
    for start, _ in re2_spans(_MIXED_PAIR, word, word.encode("utf-8")):
        yield start


def _pinyin_reading(
    word: str, w_from: int, w_to: int
) -> tuple[str, list[int], frozenset[int], frozenset[int]]:
    """``word[w_from:w_to]`` read aloud: Han characters as toneless pinyin,
    Latin letters kept, everything else dropped; with the word-view index of
    every letter, and where syllables and Latin words start and end (a match
    must start and end on those: ``最近APP`` reads ``zuijinapp``, which holds
    ``jina`` only across the end of a syllable and into a word)."""
    letters: list[str] = []
    where: list[int] = []
    starts: set[int] = set()
    ends: set[int] = set()
    size = 0
    for match in _READ_ALOUD.finditer(word, w_from, w_to):
        run = match.group()
        if run[0] <= "z":  # a Latin word
            starts.add(size)
            letters.append(run)
            where.extend(range(match.start(), match.end()))
            size += len(run)
            ends.add(size)
            continue
        spelled, offsets, syllable_ends = _run_reading(run)
        # A syllable starts where the one before it ends.
        starts.add(size)
        starts.update(map(size.__add__, syllable_ends[:-1]))
        ends.update(map(size.__add__, syllable_ends))
        letters.append(spelled)
        where.extend(map(match.start().__add__, offsets))
        size += len(spelled)
    return "".join(letters), where, frozenset(starts), frozenset(ends)


@functools.lru_cache(maxsize=8192)
def _run_reading(run: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """A run of Han characters read aloud, relative to the run: the
    syllables joined, the offset in the run of the character each letter
    reads, and where each syllable ends in the reading. Cached: messages
    repeat their wording, and reading a run syllable by syllable in Python
    costs more than looking it up."""
    syllables = _run_pinyin(run)
    offsets = tuple(offset for offset, syllable in enumerate(syllables) for _ in syllable)
    return "".join(syllables), offsets, tuple(accumulate(map(len, syllables)))


class Lexicon:
    """Every word list of a policy, compiled into one automaton. Immutable."""

    __slots__ = (
        "_hit_info",
        "_matcher",
        "_near_matcher",
        "_pair_heads",
        "_partners",
        "_roles",
        "categories",
        "entries",
    )

    def __init__(self, entries: Sequence[tuple[str, WordEntry]]) -> None:
        #: (pack id, entry) in the order given.
        self.entries: tuple[tuple[str, WordEntry], ...] = tuple(entries)
        #: pack id -> the categories its word lists signal.
        packs: dict[str, set[str]] = {}
        table: dict[str, list[_Key]] = {}
        keys_of = _KEYS.keys_of(
            (text, entry.pinyin)
            for _, entry in self.entries
            for text in (entry.text, *entry.forms, *entry.near)
        )
        # The ``near`` terms of an entry are keys of a companion index past
        # the entries (``len(entries) + k``): found like any term, never
        # reported, read by ``_judge`` as the partners of the entry's hits.
        size = len(self.entries)
        companions: list[tuple[int, tuple[str, ...], bool]] = []
        partners: list[tuple[int, int] | None] = []
        for _, entry in self.entries:
            if entry.near:
                partners.append((size + len(companions), entry.within))
                companions.append((size + len(companions), entry.near, entry.pinyin))
            else:
                partners.append(None)
        #: Per entry: (companion index, within) for an entry with ``near``.
        self._partners: tuple[tuple[int, int] | None, ...] = tuple(partners)
        terms_of = [
            (index, (entry.text, *entry.forms), entry.pinyin)
            for index, (_, entry) in enumerate(self.entries)
        ]
        for pack, entry in self.entries:
            packs.setdefault(pack, set()).add(entry.category)
        # The ``near`` terms go into an automaton of their own, run only over
        # a message where some pair's own term was found: they are often
        # common words ("your house", "if you"), and most messages hold no
        # pair's term, so most scans never read them.
        near_table: dict[str, list[_Key]] = {}
        for index, texts, pinyin in (*terms_of, *companions):
            into = near_table if index >= size else table
            seen: set[tuple[str, int]] = set()
            for text in texts:
                for key, views in keys_of[(text, pinyin)]:
                    if index >= size:
                        views &= _WORD_VIEW  # near terms are read on the word view only
                    if not key or not views or (key, views) in seen:
                        continue
                    seen.add((key, views))
                    # Word view: edges tested on the view. Squeezed view:
                    # edges of a Latin key are tested on the original text
                    # (``blacklist`` is not in "blacklisted"). Pinyin
                    # reading: letters only, no edges.
                    head = views != _PINYIN_VIEW and _spaced(key[0])
                    tail = views != _PINYIN_VIEW and _spaced(key[-1])
                    into.setdefault(key, []).append(_Key(index, views, head or tail, head, tail))
        self.categories: Mapping[str, frozenset[str]] = {p: frozenset(c) for p, c in packs.items()}
        self._matcher = _compile(table) if table else None
        self._near_matcher = _compile(near_table) if near_table else None
        #: The entries with ``near`` terms.
        self._pair_heads = frozenset(i for i, partner in enumerate(partners) if partner)
        #: Per entry: what its hits carry (pack, category, term, lawful_if)
        #: and whether a cue can negate them, unpacked once per hit.
        self._hit_info: tuple[tuple[str, str, str, tuple[str, ...], bool], ...] = tuple(
            (pack, entry.category, entry.text, entry.lawful_if, entry.negatable)
            for pack, entry in self.entries
        )
        #: Per entry: what its hits are for (a negation cue, a stop word, or
        #: "" for a hit), read once per hit while judging.
        self._roles: tuple[str, ...] = (
            *(
                entry.category if entry.category in CONTEXT_CATEGORIES else ""
                for _, entry in self.entries
            ),
            *(_NEAR_ROLE for _ in companions),
        )

    def __len__(self) -> int:
        return len(self.entries)

    def scan(self, text: str, normalized: Normalized | None = None) -> LexiconScan:
        """Every entry found in ``text`` (negation judged), in order of position.

        A hit of one entry at one place is reported once, whichever views and
        keys found it. Context cues (``negation``, ``negation_stop``) are not
        reported. Past ``MAX_MATCHES`` automaton matches the scan stops and
        says so (``truncated``): only flooded text gets there, and the rules
        treat an unread remainder as a finding (fail closed).

        A long text whose first characters are dense with matches is read
        from a head first (``_flood_head``): where the head, read on its own,
        spends the budget, its scan is the result, ``truncated``, and the
        rest of a megabyte is never normalised. Its hits are the head's: a
        scan of the whole text, which stops at the budget too, may differ in
        the hits near where it stops, and in what context beyond the head
        decides (a quotation closed after the head's end). Both deny: the
        field was not read to the end. Otherwise the whole text is read.
        """
        matcher = self._matcher
        if matcher is None or not text:
            return _EMPTY
        if normalized is None and len(text) >= _HEAD_FROM:
            head = _flood_head(matcher, text)
            if head is not None:
                found = self._scan(head, normalize(head))
                if found.truncated:
                    return found
        return self._scan(text, normalized if normalized is not None else normalize(text))

    def _scan(self, text: str, folded: Normalized) -> LexiconScan:
        """``scan`` of ``text`` normalised as ``folded``, read whole."""
        matcher = self._matcher
        assert matcher is not None
        # Every match is placed on the word view, where context is judged;
        # only the hits that are reported are mapped to the original text.
        located: dict[int, int] = {}  # place (see ``_PLACE_SHIFT``) -> word end
        word = folded.word.text
        budget = _Budget()
        _scan_word(matcher, word, located, budget)
        if not budget.spent and not word.isascii():
            self._scan_pinyin(word, located, budget)
        if not budget.spent and folded.squeezed.text:  # (made only when read)
            _scan_squeezed(matcher, folded, located, budget)
        near = self._near_matcher
        if (
            near is not None
            and not budget.spent
            and not self._pair_heads.isdisjoint(map(_entry_of, located))
        ):
            _scan_near(near, word, self._pair_heads, located, budget)
        if not located:
            return _EMPTY if not budget.spent else LexiconScan((), truncated=True)
        return LexiconScan(self._judge(text, folded, located), truncated=budget.spent)

    def _scan_pinyin(self, word: str, located: dict[int, int], budget: _Budget) -> None:
        """Match pinyin keys on the pinyin reading of mixed Han-and-Latin stretches."""
        matcher = self._matcher
        assert matcher is not None
        windows, flooded = _mixed_windows(word)
        for w_from, w_to in windows:
            reading, where, starts, ends = _pinyin_reading(word, w_from, w_to)
            for start, end, records in _read(matcher, reading, _PINYIN_SLOT, budget):
                if start not in starts or end not in ends:
                    continue
                w_start, w_end = where[start], where[end - 1] + 1
                spelled = word[w_start:w_end]
                # Only spellings that mix the two: all-Han and all-pinyin text
                # is matched by the other keys (and homophones stay apart).
                if not (_HAN_RUN.search(spelled) and _LATIN.search(spelled)):
                    continue
                for record in records:
                    _locate(located, record[0], w_start, w_end)
            if budget.spent:
                return
        if flooded:
            budget.stop()

    def _judge(
        self, text: str, folded: Normalized, located: Mapping[int, int]
    ) -> tuple[LexiconHit, ...]:
        """Hits with their negation judged (on the word view), at most
        ``MAX_HITS_PER_ENTRY`` per entry, located in the original text."""
        word_view = folded.word
        word = word_view.text
        cue_ends: list[int] = []
        after: list[tuple[int, int]] = []  # ``negation_after`` cues (start, end)
        stops: list[tuple[int, int]] = []
        # (start, end, entry, seen, where negation is judged) on the word view
        hits: list[tuple[int, int, int, int, int]] = []
        roles = self._roles
        partners = self._partners
        # Sorted, the places (integers, see ``_PLACE_SHIFT``; they sort three
        # times as fast as pairs) are grouped by entry and in order of start
        # (an entry has one end per start): the first MAX_HITS_PER_ENTRY
        # places of a group are its hits, and the rest of the group is
        # skipped with one bisection, not read place by place.
        places = sorted(located)
        size = len(places)
        # The ``near`` terms (companion indices, after every entry) first:
        # the hits of their entries need them.
        near: dict[int, list[tuple[int, int]]] = {}
        i = bisect_left(places, len(partners) << _PLACE_SHIFT)
        first_companion = i
        while i < size:
            entry = places[i] >> _PLACE_SHIFT
            group_end = bisect_left(places, (entry + 1) << _PLACE_SHIFT, i)
            near[entry] = [(place & _START_MASK, located[place]) for place in places[i:group_end]]
            i = group_end
        size = first_companion
        i = 0
        while i < size:
            entry = places[i] >> _PLACE_SHIFT
            group_end = bisect_left(places, (entry + 1) << _PLACE_SHIFT, i)
            role = roles[entry]
            if not role:
                partner = partners[entry]
                if partner is None:
                    for seen, place in enumerate(
                        places[i : min(group_end, i + MAX_HITS_PER_ENTRY)]
                    ):
                        start = place & _START_MASK
                        hits.append((start, located[place], entry, seen, start))
                elif partner[0] in near:
                    paired = _paired(
                        word,
                        [(place & _START_MASK, located[place]) for place in places[i:group_end]],
                        near[partner[0]],
                        partner[1],
                    )
                    for seen, (start, end, later) in enumerate(paired[:MAX_HITS_PER_ENTRY]):
                        hits.append((start, end, entry, seen, later))
            elif role == "negation":
                cue_ends += [located[place] for place in places[i:group_end]]
            elif role == "negation_after":
                after += [(place & _START_MASK, located[place]) for place in places[i:group_end]]
            else:
                stops += [(place & _START_MASK, located[place]) for place in places[i:group_end]]
            i = group_end
        if not hits:
            return ()
        hits.sort()
        if len(word) > _COVER_FROM:
            # Hits and negations are mapped to the original text in order of
            # position: the map of the farthest is made first, in one go.
            word_view.cover(max(map(_END_OF_HIT, hits)))
        cue_ends.sort()
        after.sort()
        stops.sort()
        stop_starts = [s for s, _ in stops]
        # Quoted regions are found when a hit first needs them.
        may_quote = '"' in word or "'" in word
        quoted: _Quotations | None = None
        disowning: list[int] = []  # the cues that can disown a quotation
        out: list[LexiconHit] = []
        info = self._hit_info
        for start, end, entry, seen, anchor in hits:
            pack, category, term, lawful_if, negatable = info[entry]
            negated = False
            # The last kept hit of an entry is never cleared (negation is not
            # judged for it): a message that repeats listed wording that often
            # is not saved by negations. Without a cue, nothing is negated.
            if negatable and seen < MAX_HITS_PER_ENTRY - 1 and (cue_ends or after):
                # (A pair is judged at its later term, "the police will never
                # show up" being negated between the two, then at its earlier
                # one: "不会因逾期而联系您的子女" is negated before 联系.)
                negated = _negated_at(word, text, word_view, anchor, cue_ends, stops, stop_starts)
                if not negated and anchor != start:
                    negated = _negated_at(
                        word, text, word_view, start, cue_ends, stops, stop_starts
                    )
                if not negated and after:
                    negated = _negated_after(word, end, after, stops, stop_starts)
                if not negated and may_quote and cue_ends:
                    if quoted is None:
                        quoted = _Quotations(word)
                        disowning = _disowning(cue_ends, stop_starts)
                    negated = _quoted_and_disowned(quoted, disowning, start, end)
            out.append(
                LexiconHit(pack, category, term, negated, lawful_if, text, word_view, (start, end))
            )
        return tuple(out)


#: The role of the companion index of an entry's ``near`` terms.
_NEAR_ROLE = "near"


def _paired(
    word: str, spans: list[tuple[int, int]], partners: list[tuple[int, int]], within: int
) -> list[tuple[int, int, int]]:
    """The spans of ``spans`` (word view, in order) that have a partner term
    in the same sentence at most ``within`` units away, each widened to
    cover its nearest such partner, with the start of the later of the two
    (where a negation is judged). A partner that overlaps the span counts
    (a gap of nothing)."""
    starts = [start for start, _ in partners]
    out: list[tuple[int, int, int]] = []
    for start, end in spans:
        best: tuple[int, int] | None = None
        best_units = within + 1
        at = bisect_left(starts, start)
        # The nearest partner starting before the span and the nearest
        # starting at or after it: a farther one has a longer gap.
        for k in (at - 1, at):
            if not 0 <= k < len(partners):
                continue
            p_start, p_end = partners[k]
            gap = word[p_end:start] if p_start < start else word[end:p_start]
            if _HARD_CLAUSE_END.search(gap):
                continue
            units = _units(gap)
            if units < best_units:
                best, best_units = (p_start, p_end), units
        if best is not None:
            out.append((min(start, best[0]), max(end, best[1]), max(start, best[0])))
    return out


#: A match's place, its entry and its start on the word view, is one integer,
#: ``entry << _PLACE_SHIFT | start``: a scan records tens of thousands in a
#: flooded message, and integers cost no tuple to build or hash, and sort
#: (by entry, then start) three times as fast. The word view of a message
#: within the size limit is far shorter than ``1 << _PLACE_SHIFT``.
_PLACE_SHIFT = 32
_START_MASK = (1 << _PLACE_SHIFT) - 1
#: A place's entry (``place >> _PLACE_SHIFT``), as a callable ``map`` runs in C.
_entry_of = _PLACE_SHIFT.__rrshift__

#: What the automaton holds for a key: its length in characters, its
#: records for the word view (entry shifted as in a place, head edge,
#: tail edge: unpacked by ``_scan_word`` without an attribute look-up
#: each), and its records for the squeezed view and the pinyin reading
#: (entry, edged, head edge, tail edge; split at compile time, so a match
#: costs no test per view).
#:
#: Records are plain tuples of ints and bools, not ``_Key``: the garbage
#: collector stops tracking such a tuple (and a tuple of them) the first
#: time it sees it, where a named tuple, a subclass, stays tracked, with
#: every tuple that holds one. As ``_Key`` they kept about 95,000 objects
#: of a loaded policy for every full collection of a service to walk.
_WordRecord = tuple[int, bool, bool]
_ViewRecord = tuple[int, bool, bool, bool]
_Payload = tuple[int, tuple[_WordRecord, ...], tuple[_ViewRecord, ...], tuple[_ViewRecord, ...]]
_R = TypeVar("_R", _WordRecord, _ViewRecord)
#: Payload of the placeholder keys of ``_compile``: nothing to report.
_NOTHING: _Payload = (0, (), (), ())
#: Ends every placeholder key: no view holds a control character (folding
#: removes them), so a placeholder never matches.
_NEVER_SEEN = "\x00"


def _encoded(text: str) -> str:
    """A key as the automaton holds it: its UTF-8 bytes, one latin-1
    character per byte (ASCII text is its own encoding). A text is read the
    same way, with the bytes no key holds folded (``_readable``).

    pyahocorasick finds a node's child by a linear scan of the children,
    and a policy's keys start with hundreds of different Han characters:
    read character by character, every character of Chinese text would
    scan hundreds of root children. Read as bytes, a node has at most a
    few dozen children. UTF-8 is self-synchronising, so a key (whole
    characters) matches the bytes of a text exactly where it matches its
    characters, and the count and order of matches do not change.
    """
    return text if text.isascii() else text.encode("utf-8").decode("latin-1")


class _Matcher(NamedTuple):
    """A compiled automaton and the byte table its texts are read through
    (see ``_compile`` and ``_readable``)."""

    automaton: ahocorasick.Automaton
    #: Every byte that some key holds to itself, every other byte to a
    #: stand-in (``_STAND_INS``).
    fold: bytes


#: What a byte that no key holds is read as, by the kind of byte: an ASCII
#: byte (or a continuation byte), and the first byte of a character of two,
#: three and four bytes. None of them is UTF-8, so no key holds one.
_STAND_INS = {1: "\xf8", 2: "\xf9", 3: "\xfa", 4: "\xfb"}
_STAND_IN_SET = frozenset(_STAND_INS.values())


def _utf8_length(code: int) -> int:
    """How many bytes the character that byte ``code`` starts has (1 for an
    ASCII byte, and for a continuation byte or one UTF-8 never holds)."""
    if 0xC2 <= code <= 0xDF:
        return 2
    if 0xE0 <= code <= 0xEF:
        return 3
    if 0xF0 <= code <= 0xF4:
        return 4
    return 1


def _compile(table: Mapping[str, Sequence[_Key]]) -> _Matcher:
    """One automaton over the encoded keys (see ``_encoded``), built so that
    its look-ups are short, and the table that folds what a text holds and
    no key does.

    A node's children are scanned in the order they were added. Keys are
    added sorted by how often each byte occurs in the keys, so frequent
    bytes come first at every node. Where the automaton falls back to the
    root (a space, a digit, the middle of a Han character that starts no
    key), it must find the byte there: every byte that some key holds but
    none starts gets a placeholder child of the root (a key ending in
    ``_NEVER_SEEN``, which never matches), so it is found at once instead of
    after every root child. Placeholders have no output, so the matches are
    those of the keys alone.

    A byte that no key holds cannot be part of a match, so the text is
    read with each such byte replaced by a stand-in (``fold``; the count
    and places of matches do not change). Text in a script the keys never
    use (Korean, Greek, Devanagari...) would otherwise send the automaton
    to the root at every byte and scan past a hundred root children for
    each: the stand-ins are the first root children after the space, and
    the stand-in of a character of two or three bytes has placeholder
    children for every continuation byte a key holds (and those for every
    second one), so the rest of such a character is found one level down
    instead of at the root. Only characters whose first byte no key holds
    are helped: a rare Han character starts with the byte of the listed
    ones and is read as before.
    """
    payloads: dict[str, _Payload] = {}
    # Equal payloads are one object: the keys of an entry's spellings of one
    # length carry the same one (48,747 keys of the shipped packs hold 15,141
    # distinct payloads made of 2,416 distinct record tuples), and the
    # automaton keeps each payload for the life of the policy.
    shared: dict[Any, Any] = {}
    for key, records in table.items():
        word: list[_WordRecord] = []
        squeezed: list[_ViewRecord] = []
        pinyin: list[_ViewRecord] = []
        for r in records:  # (one loop, not one per view: most keys have one record)
            views = r.views
            if views & _WORD_VIEW:
                word.append((r.entry << _PLACE_SHIFT, r.head_edge, r.tail_edge))
            if views & _SQUEEZED_VIEW:
                squeezed.append((r.entry, r.edged, r.head_edge, r.tail_edge))
            if views & _PINYIN_VIEW:
                pinyin.append((r.entry, r.edged, r.head_edge, r.tail_edge))
        payload = (len(key), _one(shared, word), _one(shared, squeezed), _one(shared, pinyin))
        payloads[_encoded(key)] = shared.setdefault(payload, payload)
    keys = "".join(payloads)
    counts = Counter(keys)
    held = set(keys)
    fold = bytes(
        code if chr(code) in held else ord(_STAND_INS[_utf8_length(code)]) for code in range(256)
    )
    starts = {key[0] for key in payloads}
    for ch in held - starts:
        payloads[ch + _NEVER_SEEN] = _NOTHING
    continuations = sorted(ch for ch in held if 0x80 <= ord(ch) < 0xC0)
    for stand_in in _STAND_INS.values():
        payloads[stand_in + _NEVER_SEEN] = _NOTHING
    for first in continuations:
        payloads[_STAND_INS[2] + first + _NEVER_SEEN] = _NOTHING
        for second in continuations:
            payloads[_STAND_INS[3] + first + second + _NEVER_SEEN] = _NOTHING
    order = sorted({*"".join(payloads)}, key=lambda ch: (_byte_group(ch), -counts[ch], ch))
    # Each byte rewritten as its rank: sorting the rewritten keys as strings
    # sorts the keys by rank, byte by byte.
    ranks = {ord(ch): chr(i) for i, ch in enumerate(order)}
    automaton = ahocorasick.Automaton()
    for key in sorted(payloads, key=lambda key: key.translate(ranks)):
        automaton.add_word(key, payloads[key])
    automaton.make_automaton()
    return _Matcher(automaton, fold)


def _one(shared: dict[Any, Any], records: list[_R]) -> tuple[_R, ...]:
    """``records`` as a tuple, the one already in ``shared`` if an equal one is."""
    if not records:
        return ()
    found = tuple(records)
    return shared.setdefault(found, found)  # type: ignore[no-any-return]


def _byte_group(ch: str) -> int:
    """Where a byte's group goes among a node's children: space (the most
    frequent character of text), then the stand-ins, then ASCII digits, then
    the first bytes of characters of other scripts, then ASCII letters, then
    the other bytes of other scripts' characters, then ASCII punctuation.

    The order matters most at the root, where the automaton looks up the
    byte it could not follow. Few keys start with a digit, so a run of
    digits (amounts, card and phone numbers) looks up nearly every digit
    there; Chinese text looks up the first byte of each character it could
    not follow, and English text a letter. Digits and the few first bytes
    of listed Han characters (``E4`` to ``E9``) come before the letters: a
    megabyte of digit runs reads in half the time, Chinese text scans no
    alphabet, and English text pays for a dozen more children at most
    (measured: no change). Continuation bytes are looked up there only after
    a character no key continues: they come after the letters.
    """
    if ch == " ":
        return 0
    if ch in _STAND_IN_SET:
        return 1
    if ch.isascii():
        if ch.isdigit():
            return 2
        return 4 if ch.isalpha() else 6
    return 3 if ord(ch) >= 0xC0 else 5


def _readable(text: str, fold: bytes) -> tuple[str, bytes | None]:
    """``text`` as an automaton reads it (see ``_encoded``), each byte that
    no key holds folded by ``fold`` to a stand-in, and for non-ASCII text the
    map of the bytes that start a character (``LEAD_BYTES``), which turns
    the byte offsets of matches into character offsets (``None`` for ASCII
    text, whose offsets are the same)."""
    if text.isascii():
        return text.encode("ascii").translate(fold).decode("latin-1"), None
    data = text.encode("utf-8")
    return data.translate(fold).decode("latin-1"), data.translate(LEAD_BYTES)


#: Where each view's records are in a ``_Payload``.
_WORD_SLOT, _SQUEEZED_SLOT, _PINYIN_SLOT = 1, 2, 3
#: A match: start and end (half-open, in characters) and the keys it found.
_Match = tuple[int, int, tuple[_ViewRecord, ...]]


def _flood_head(matcher: _Matcher, text: str) -> str | None:
    """A head of ``text`` that would spend the scan's budget one and a half
    times over at the density of matches in its first ``_FIRST_HEAD``
    characters (their word view), if that is at most a quarter of the text;
    else ``None``. (A head that does not spend the budget after all costs a
    quarter of a scan at most.)"""
    sample = _head(text, _FIRST_HEAD)
    readable, _ = _readable(normalize(sample).word.text, matcher.fold)
    read = 0
    for read, _ in enumerate(matcher.automaton.iter(readable), 1):
        if read == MAX_MATCHES:
            break
    size = 3 * MAX_MATCHES * len(sample) // (2 * read) if read else len(text)
    return _head(text, size) if 4 * size <= len(text) else None


def _head(text: str, size: int) -> str:
    """The first ``size`` characters of ``text`` or a few fewer: cut after
    the last white space within ``_HEAD_CUT_BACK`` characters of the end
    (so that no word is cut short, which could end where a listed one
    does), and never before a mark (combining, spacing or a variation
    selector), which belongs to the character before it."""
    cut = size
    for at in range(size - 1, max(0, size - _HEAD_CUT_BACK) - 1, -1):
        if text[at].isspace() and not _is_mark(text[at + 1]):
            cut = at + 1
            break
    while cut > 1 and _is_mark(text[cut]):
        cut -= 1
    return text[:cut]


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


class _Budget:
    """The automaton matches a scan may still read (``MAX_MATCHES``): every
    match costs one, whichever view it is for; ``spent`` once one too many
    was read, and the reading stops there."""

    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = MAX_MATCHES

    @property
    def spent(self) -> bool:
        return self.left < 0

    def stop(self) -> None:
        """Spend what is left: the text holds more than a scan may read."""
        self.left = -1


def _read(matcher: _Matcher, text: str, slot: int, budget: _Budget) -> Iterator[_Match]:
    """The matches of one view's keys (``slot`` of the payload) in ``text``,
    as they come (flooded text has many: none is kept), until the budget is
    spent.

    Byte offsets of non-ASCII text (see ``_encoded``) are turned into
    character offsets as the matches come, in order of their end, by
    counting the bytes that start a character since the previous match.
    """
    readable, leads = _readable(text, matcher.fold)
    if leads is None:
        for end, payload in matcher.automaton.iter(readable):
            budget.left -= 1
            if budget.left < 0:
                return
            keys = payload[slot]
            if keys:
                yield end + 1 - payload[0], end + 1, keys
        return
    byte = char = 0
    for end, payload in matcher.automaton.iter(readable):
        budget.left -= 1
        if budget.left < 0:
            return
        keys = payload[slot]
        if keys:
            char += leads.count(1, byte, end + 1)
            byte = end + 1
            yield char - payload[0], char, keys


def _scan_word(
    matcher: _Matcher,
    word: str,
    located: dict[int, int],
    budget: _Budget,
) -> None:
    """Match the word-view keys on the word view, edges tested there.

    ``located`` holds no place yet: matches come in order of their end,
    so a place found again (a longer key of the same entry from the same
    start) always ends later, and each is recorded without the comparison
    ``_locate`` makes.

    ``_read`` inlined: the word view has most of a message's matches, and a
    flooded message reaches ``MAX_MATCHES`` here, so the per-match cost of a
    generator is worth saving.
    """
    assert not located, "the word view is scanned first, into an empty mapping"
    size = len(word)
    left = budget.left
    readable, leads = _readable(word, matcher.fold)
    if leads is None:
        # One match after another, budget first; in ASCII text a character
        # is in a word when it is a letter or digit.
        try:
            for last, payload in matcher.automaton.iter(readable):
                left -= 1
                if left < 0:
                    return
                if not payload[_WORD_SLOT]:
                    continue
                end = last + 1
                start = end - payload[0]
                for entry, head, tail in payload[_WORD_SLOT]:
                    if head and start and word[start - 1].isalnum():
                        continue
                    if tail and end < size and word[end].isalnum():
                        continue
                    located[entry | start] = end  # (the entry comes shifted)
        finally:
            budget.left = left
        return
    count = leads.count  # see ``_read``
    byte = end = 0
    try:
        for last, payload in matcher.automaton.iter(readable):
            left -= 1
            if left < 0:
                return
            if not payload[_WORD_SLOT]:
                continue
            end += count(1, byte, last + 1)
            byte = last + 1
            start = end - payload[0]
            for entry, head, tail in payload[_WORD_SLOT]:
                # (``_in_word`` inlined: most edges are spaces.)
                if head and start:
                    ch = word[start - 1]
                    if ch.isalnum() and (ch.isascii() or _spaced(ch)):
                        continue
                if tail and end < size:
                    ch = word[end]
                    if ch.isalnum() and (ch.isascii() or _spaced(ch)):
                        continue
                located[entry | start] = end  # (the entry comes shifted)
    finally:
        budget.left = left


#: Characters read on each side of a pair's head for its near terms (a
#: pair spans at most ``MAX_WITHIN`` units, in one sentence).
_NEAR_WINDOW = 240


def _scan_near(
    matcher: _Matcher,
    word: str,
    heads: frozenset[int],
    located: dict[int, int],
    budget: _Budget,
) -> None:
    """Match the near terms of pair entries on the word view, only in the
    sentences around the places where a pair's head was found (a partner
    counts only in the head's sentence), not over the whole message.

    The windows end at a sentence end or ``_NEAR_WINDOW`` characters from
    the head, whichever is nearer; each is scanned as its own text, so a
    window's ends read as word edges (a sentence end is one; a cut inside a
    sentence lies farther from the head than any partner can).
    """
    spans = sorted(
        (place & _START_MASK, end)
        for place, end in located.items()
        if place >> _PLACE_SHIFT in heads
    )
    windows: list[tuple[int, int]] = []
    # Every clause end of the message, found once by one pattern: each head
    # then finds the last before it and the first after it by bisection.
    clause_ends = [m.start() for m in _HARD_CLAUSE_END.finditer(word)]
    for start, end in spans:
        lo = max(0, start - _NEAR_WINDOW)
        hi = min(len(word), end + _NEAR_WINDOW)
        k = bisect_left(clause_ends, start)
        if k:
            lo = max(lo, clause_ends[k - 1] + 1)
        k = bisect_left(clause_ends, end, k)
        if k < len(clause_ends):
            hi = min(hi, clause_ends[k])
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
        else:
            windows.append((lo, hi))
    for lo, hi in windows:
        found: dict[int, int] = {}
        _scan_word(matcher, word[lo:hi], found, budget)
        for place, end in found.items():
            _locate(located, place >> _PLACE_SHIFT, (place & _START_MASK) + lo, end + lo)
        if budget.spent:
            return


def _scan_squeezed(
    matcher: _Matcher,
    folded: Normalized,
    located: dict[int, int],
    budget: _Budget,
) -> None:
    """Match the squeezed keys on the squeezed view and place them on the
    word view.

    A match that reads into a quoted phrase and takes only part of it is
    dropped: the squeezed view has no punctuation, so it joins separately
    quoted phrases, or a phrase and the word before it, into a key that no
    one wrote (以“涉嫌洗钱”“案件已立案”为由 reads 洗钱案; 话你「涉嫌洗黑钱」
    reads 你涉嫌); the quoted phrase itself is judged as a quotation
    (``_quoted_and_disowned``). A match that takes a quoted stretch whole
    stays: quotation marks put inside a word to break it (坐“牢”) are an
    evasion."""
    pending: dict[int, list[tuple[_ViewRecord, int, int]]] = {}
    for start, end, records in _read(matcher, folded.squeezed.text, _SQUEEZED_SLOT, budget):
        for record in records:
            pending.setdefault(record[0], []).append((record, start, end))
    if not pending:
        return
    word = folded.word.text
    quoting = '"' in word
    quoted: list[int] | None = None  # positions of double quotation marks
    plain = Counter(map(_entry_of, located))
    for entry, found in pending.items():
        # As many squeezed matches as plain ones: the same places,
        # already found (placing them costs an offset map).
        if len(found) <= plain.get(entry, 0):
            continue
        for (_, edged, head_edge, tail_edge), start, end in found:
            w_start, w_end = folded.word_span_of_squeezed(start, end)
            if edged and not _edges_hold(word, head_edge, tail_edge, w_start, w_end):
                continue
            if quoting and word.find('"', w_start, w_end) >= 0:
                if quoted is None:
                    quoted = _double_quoted(word)
                if _splits_a_quotation(quoted, w_start, w_end):
                    continue
            _locate(located, entry, w_start, w_end)


def _double_quoted(word: str) -> list[int]:
    """Where the double quotation marks of a word view are (every kind reads
    ``"`` there); marks pair up in order, as in ``_quoted_regions``."""
    marks = []
    at = word.find('"')
    while at >= 0:
        marks.append(at)
        at = word.find('"', at + 1)
    return marks


def _splits_a_quotation(marks: list[int], start: int, end: int) -> bool:
    """Whether ``[start, end)`` of the word view reads through a quotation
    mark and takes only part of what the quotation holds. (A mark left
    unpaired at the end closes nothing, and is passed over.)"""
    i = bisect_left(marks, start)
    paired = len(marks) - len(marks) % 2
    while i < len(marks) and marks[i] < end:
        if i < paired:
            opening = i % 2 == 0
            lo = marks[i] + 1 if opening else marks[i - 1] + 1
            hi = marks[i + 1] if opening else marks[i]
            if hi > lo and (start > lo or end < hi):
                return True
        i += 1
    return False


#: Characters that end a sentence in the word view.
_SENTENCE_END = re.compile("[.!?;]")


def _quoted_regions(word: str) -> tuple[tuple[int, int], ...]:
    """Stretches of the word view between paired quotation marks (every
    double quotation mark reads ``"`` there: “ ” 「 」 『 』 and ASCII), and
    between single quotation marks (‘ ’ and ASCII ``'`` read ``'``) where
    they open before a word and close after one: an apostrophe inside a word
    (``don't``) is neither, and a mark that closes nothing opened (a plural
    possessive, ``borrowers' accounts``) is passed over."""
    marks = _double_quoted(word)
    regions = list(zip(marks[0::2], marks[1::2], strict=False))
    # A single mark opens at the start or after a space or bracket, before a
    # letter or digit; it closes after a letter, digit or sentence end,
    # before the end, a space or punctuation. (A few marks per message: each
    # is found with str.find and tested, where a pattern would try every
    # position.)
    opened = -1
    at = word.find("'")
    last = len(word) - 1
    while at >= 0:
        before = word[at - 1] if at else " "
        after = word[at + 1] if at < last else " "
        if (before in _OPENS_BEFORE or before.isspace()) and after.isalnum():
            if opened < 0:
                opened = at
        elif (
            opened >= 0
            and (before.isalnum() or before in ".!?,")
            and (after in _CLOSES_BEFORE or after.isspace())
        ):
            regions.append((opened, at))
            opened = -1
        at = word.find("'", at + 1)
    return tuple(regions)


#: What may stand before an opening single quotation mark (besides a space),
#: and after a closing one.
_OPENS_BEFORE = frozenset("([")
_CLOSES_BEFORE = frozenset(".,;:!?)]")


class _Quotations:
    """The quoted regions of a word view (``_quoted_regions``) and its
    sentence ends, looked up by bisection: a flood of hits inside quotation
    marks asked, hit by hit, for every region and walked back to the start
    of its sentence character by character."""

    __slots__ = ("_ends", "_los", "_reach", "_word")

    def __init__(self, word: str) -> None:
        regions = sorted(_quoted_regions(word))
        self._word = word
        self._los = [lo for lo, _ in regions]
        #: The farthest end of the regions up to each one (in order of start).
        self._reach = list(accumulate((hi for _, hi in regions), max))
        #: Sentence ends, listed when a quoted hit first asks.
        self._ends: list[int] | None = None

    def hold(self, start: int, end: int) -> bool:
        """Whether a region opens before ``start`` and closes at or after ``end``."""
        k = bisect_left(self._los, start)
        return k > 0 and self._reach[k - 1] >= end

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around ``[start, end)``: after the last sentence end
        before ``start``, up to the first at or after ``end``."""
        ends = self._ends
        if ends is None:
            ends = self._ends = [m.start() for m in _SENTENCE_END.finditer(self._word)]
        i = bisect_left(ends, start)
        j = bisect_left(ends, end)
        return (ends[i - 1] + 1 if i else 0), (ends[j] if j < len(ends) else len(self._word))


def _disowning(cue_ends: list[int], stop_starts: list[int]) -> list[int]:
    """The cues that negate at all: not those a stop word follows at once
    (不 in 过不了, 跑不了 is no negation of anything), which the reach of a
    negation (``_negates``) passes over too."""
    stopped = set(stop_starts)
    return [end for end in cue_ends if end not in stopped]


def _quoted_and_disowned(
    quoted: _Quotations,
    cue_ends: list[int],
    start: int,
    end: int,
) -> bool:
    """Whether a hit is a quotation that its sentence disowns: it lies inside
    quotation marks and a negation cue stands anywhere in the same sentence,
    before or after it ("scammers say 'you will go to jail'; we never do",
    警惕以「爆通讯录」相威胁的非法催收, 网传“影响子女考公”的说法并不准确).
    A quoted threat with no cue in its sentence is still a threat."""
    if not quoted.hold(start, end):
        return False
    lo, hi = quoted.sentence(start, end)
    i = bisect_right(cue_ends, lo)
    return i < len(cue_ends) and cue_ends[i] <= hi


def _locate(located: dict[int, int], entry: int, start: int, end: int) -> None:
    """Record a match; one per entry and start, the widest winning."""
    place = entry << _PLACE_SHIFT | start
    if located.get(place, -1) < end:
        located[place] = end


class LexiconScan:
    """The hits of one scan, and whether the scan stopped before the end.

    ``of(pack, categories)`` gives the hits of some categories of one pack:
    every content rule of a request asks for its own, so the hits are grouped
    once, on the first question, instead of every rule reading them all.
    """

    __slots__ = ("_groups", "hits", "truncated")

    def __init__(self, hits: tuple[LexiconHit, ...], *, truncated: bool = False) -> None:
        self.hits = hits
        self.truncated = truncated
        self._groups: dict[tuple[str, str], list[LexiconHit]] | None = None

    def of(self, pack: str, categories: Iterable[str]) -> list[LexiconHit]:
        """The hits of ``categories`` in ``pack``'s word lists, in order of position."""
        if not self.hits:
            return []
        groups = self._groups
        if groups is None:
            groups = {}
            for hit in self.hits:
                groups.setdefault((hit.pack, hit.category), []).append(hit)
            self._groups = groups
        found = [hit for c in categories for hit in groups.get((pack, c), ())]
        found.sort(key=lambda hit: hit._where)
        return found

    def __iter__(self) -> Iterator[LexiconHit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __repr__(self) -> str:
        return f"LexiconScan({self.hits!r}, truncated={self.truncated})"


_EMPTY = LexiconScan(())


def _units(gap: str) -> int:
    """Words of spaced scripts plus Han characters in ``gap``: each Han
    character is a unit, and so is each run of other letters, digits and
    apostrophes (found by a regular expression, not a loop per character)."""
    return len(_UNIT.findall(gap))


#: Han characters, for counting units: the CJK blocks and everything beyond the BMP.
_HAN_CLASS = "[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0010ffff]"
#: One unit of ``_units``: a Han character, or a run of letters, digits
#: (``[^\W_]``: what ``str.isalnum`` accepts) and apostrophes that are not Han.
_UNIT = re.compile(rf"{_HAN_CLASS}|(?:(?!{_HAN_CLASS})(?:[^\W_]|'))+")


#: Words that open a new clause after a comma ("we won't wait, you will be
#: arrested"): a negation does not reach past a comma followed by one.
_SUBJECTS = frozenset(
    [
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "it",
        "this",
        "that",
        "there",
        "i'll",
        "we'll",
        "you'll",
        "he'll",
        "she'll",
        "they'll",
        "it'll",
        "i'm",
        "we're",
        "you're",
        "they're",
        "it's",
    ]
)
_CONJUNCTION = re.compile(r" (?:or|nor) ")


def _in_a_list(text: str, gap: str, start: int) -> bool:
    """Whether the commas between a negation and a hit separate items of one
    English list ("we will not sue you, garnish your wages or contact your
    employer"): no item after a comma opens with a subject, and an "or" or
    "nor" joins the list (in the gap, or after the hit in its sentence);
    "and" is left out, as it as often joins a new clause ("if you don't, a
    warrant will be issued and the sheriff will serve it")."""
    if not gap.isascii():
        return False
    for item in gap.split(",")[1:]:
        first = item.split(maxsplit=1)[:1]
        if first and first[0] in _SUBJECTS:
            return False
    if _CONJUNCTION.search(gap.rsplit(",", 1)[-1]):
        return True
    sentence_end = _SENTENCE_END.search(text, start)
    end = sentence_end.start() if sentence_end else len(text)
    return bool(_CONJUNCTION.search(text, start, end))


def _negated_at(
    word: str,
    text: str,
    word_view: View,
    at: int,
    cue_ends: list[int],
    stops: list[tuple[int, int]],
    stop_starts: list[int],
) -> bool:
    """Whether the nearest negation cue before ``at`` (word view) reaches it.

    The nearest cue decides: a farther one has a longer gap holding
    everything the nearer one's gap holds.
    """
    i = bisect_right(cue_ends, at)
    if not i:
        return False
    cue_end = cue_ends[i - 1]
    if not _negates(word, cue_end, at, stops, stop_starts):
        return False
    # The word view reads line breaks as spaces; a line break in the
    # original ends the clause too.
    o_from, o_to = word_view.original_span(cue_end, at)
    return "\n" not in text[o_from:o_to]


def _negated_after(
    text: str,
    end: int,
    after: list[tuple[int, int]],
    stops: list[tuple[int, int]],
    stop_starts: list[int],
) -> bool:
    """Whether a ``negation_after`` cue right after a hit ending at ``end``
    negates it ("your employer will not be contacted", "your spouse's credit
    is not affected"): a cue that follows the hit with nothing but a space
    between (a word between is as often a relative clause, "two guys who
    don't do polite", as part of the subject), when the hit does not end its
    sentence ("... end up in the ER. Don't be one") and no stop word comes
    right after the cue (the sheriff "will not wait" is still coming)."""
    k = bisect_left(after, (end,))
    if k == len(after):
        return False
    cue_start, cue_end = after[k]
    if cue_start - end > 1 or (cue_start > end and text[end] != " "):
        return False
    if text[end - 1] in _CLAUSE_ENDS:
        return False
    i = bisect_left(stop_starts, end)
    return not (i < len(stops) and stops[i][0] <= cue_end + 1)


def _negates(
    text: str,
    cue_end: int,
    start: int,
    stops: list[tuple[int, int]],
    stop_starts: list[int],
) -> bool:
    """Whether a negation cue ending at ``cue_end`` reaches a hit that starts at ``start``."""
    if start - cue_end > _GAP_CHARACTERS_AT_MOST:
        return False
    # A clause end other than a comma stops the negation; commas only
    # between the items of a list. (The search stops at the first clause
    # end, where collecting every character of the gap would read it all.)
    if _HARD_CLAUSE_END.search(text, cue_end, start):
        return False
    gap = text[cue_end:start]
    if "," in gap:
        if not _in_a_list(text, gap, start):
            return False
        # In a list the negation covers every item ("will never threaten
        # you with arrest, ask for gift cards, or send a government agent"):
        # the reach is counted to the first comma and within the hit's item.
        head, _, rest = gap.partition(",")
        item = rest.rsplit(",", 1)[-1]
        if _units(head) > NEGATION_REACH or _units(item) > NEGATION_REACH:
            return False
    elif _units(gap) > NEGATION_REACH:
        return False
    # A stop word between cue and hit ends the negation's reach.
    i = bisect_left(stop_starts, cue_end)
    while i < len(stops) and stops[i][0] < start:
        if stops[i][1] <= start:
            return False
        i += 1
    return True
