"""Message text folded for wording matching, with every span traceable to the original.

DESIGN.md section 5: before terms are matched, the ways a sender can disguise a
word are undone. ``normalize(text)`` returns a ``Normalized`` with two views of
the message, each a ``View`` whose ``original_span(start, end)`` maps a span of
the view back to the span of the original text it came from, so that a reason
can quote exactly what was sent (zero-width characters and separators inside
the quoted word included).

``word`` view (also ``Normalized.text``): what a person reads, spelled one way.

* NFKC, then case folding (full-width ``ＪＡＩＬ``, ligatures ``ﬁ``, math and
  enclosed letters ``𝐣𝐚𝐢𝐥`` ``ⓙ``, small capitals ``ᴊᴀɪʟ``);
* Latin, Greek and Cyrillic diacritics stripped (``jáìl``, combining-mark
  "zalgo"); marks of other scripts (Devanagari, kana voicing) are kept;
* zero-width, bidi and other invisible characters (category Cf, variation
  selectors, Hangul fillers, control characters) removed;
* every white space character read as one space, runs collapsed, ``_`` read
  as a space; emoji, pictographs and other symbols read as a space;
  typographic and Chinese punctuation read as ASCII (``’ “ ” — 。 「 」``);
  negative circled/squared letters and regional indicators read as letters;
* traditional Chinese to simplified, character by character with OpenCC's
  ``t2s`` table (plus its Hong Kong variants): a term and the same characters
  in a message always fold alike, which phrase-level conversion cannot
  promise, and the length never changes;
* a word split into single letters is joined: ``j a i l``, ``j.a.i.l``,
  ``j-a-i-l``, ``j🔥a🔥i🔥l`` (separators of up to four characters between
  single letters, and one leetspeak character sandwiched between single
  letters, ``j 4 i l``); separators of up to four characters between Han or
  kana characters are removed (``爆 通 讯 录``, ``爆🔥通讯录``, ``曝-光``),
  except punctuation that ends a clause or a list item (``。，、！？；：``):
  it stays, so that negations see where their clause ends and no term is
  read across it (``有期徒刑、拘役``); the squeezed view still reads through
  it (``爆，通讯录``). Quotation marks stay too (``「爆通讯录」`` reads
  ``"爆通讯录"``), so that a quoted phrase can be told from a used one. The
  enumeration comma ``、`` stays as it is, so that a
  matcher can tell a list (which a negation reaches through: ``不会联系您的
  家人、同事``) from a clause break. Ordinary words keep their spaces, so phrases stay
  matchable with word edges;
* Cyrillic and Greek look-alikes (``а е о р с у х і ј ѕ``, ``α ο ρ τ κ ν``…)
  read as Latin letters when a Latin letter or leetspeak character is in the
  same run of letters (``јаіl``, ``pаypal``), so Russian or Greek text is left
  alone;
* leetspeak read as letters (``4→a 3→e 1→i 0→o 5→s 7→t @→a $→s``) only next to
  a letter (``j4il``, ``h4x0r``, ``p@$$``), never inside numbers: runs of three
  or more digits, amounts (``$1,250.00``, ``US$100``), phone numbers, dates,
  and numbers with a unit (``1st``, ``10am``, ``5pm``) stay as written;
* the text-message spellings of "you" and "your" read as the words (``u``,
  ``ur``, ``yr``, ``urself``: "we'll tell ur boss u owe us" reads "we'll tell
  your boss you owe us"), as whole words only (``U.S.`` stays), in texts
  shorter than ``_LONG_TEXT`` characters: text messages, chats and subject
  lines, where people write so. (A pass over a long text flooded with such
  words would cost more than the whole of the rest of the folding.)

``squeezed`` view: a matching key, not text. The word view with everything but
letters and digits removed, every Cyrillic/Greek look-alike read as Latin, and
``l`` read as ``i`` (so ``ki11``, ``kiII`` and ``kill`` share a key). It
catches what the word view keeps apart on purpose (``ja.il``, ``bao-guang``,
``爆🔥🔥🔥🔥🔥通讯录``), at the price of word edges: a matcher looks up a term
here by ``normalize(term).squeezed``, and only terms long enough not to occur
inside ordinary words (Chinese terms, pinyin keys, long phrases).

Terms are compiled with the same ``normalize``, so term and message fold alike.
``pinyin_key`` gives the toneless pinyin of a Chinese term (``曝光`` → ``bao
guang``), to be normalised and matched like any other term.

Policy notes: the word view is for matching, not for reading back (``help@x.com``
reads ``helpax.com``; personal data is found in the original). Uppercase-only
Greek look-alikes fold by their lower-case shape (``Ν`` → ``ν`` → ``v``). A
run of eight or more look-alikes, or of four or more leetspeak characters, is
left as it is; leetspeak ``1`` reads ``i``, so ``ki11`` reads ``kiii`` in the
word view and matches ``kill`` only in the squeezed key.

Cost: the tables (NFKC, case folding, OpenCC) are built on first use, once per
process (a few hundred milliseconds). A call is a handful of C-level passes
(``str.translate``, ``bytes.translate``, ``str.replace``, linear regular
expressions with bounded look-arounds and no nested quantifiers); steps that
only some messages need are skipped after a cheap test on a byte string of
character classes, and text whose non-ASCII characters are all separators
(most English) is finished on ASCII bytes. Offset maps are computed when a
span is first asked for, so messages with no hit never pay for them, and are
built from ``split`` with ``accumulate``, not a Python loop per edit. A pass
that finds more than ``_MATCHES_AT_MOST`` matches (only adversarial text does)
translates the rest of the text without its conditions, folding more, never
less.
"""

from __future__ import annotations

import functools
import heapq
import re
import sys
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, islice

import re2

from fair_collect.text import glue_planes

__all__ = ["Normalized", "View", "normalize", "pinyin_key"]

# ---------------------------------------------------------------------------
# Character data

#: Combining diacritics that decorate Latin, Greek and Cyrillic letters (and the
#: "zalgo" stacks made of them); stripped. Marks of other blocks belong to their
#: scripts' spelling and are kept.
_GENERIC_MARKS = (
    (0x0300, 0x0370),
    (0x0483, 0x048A),
    (0x1AB0, 0x1B00),
    (0x1DC0, 0x1E00),
    (0x20D0, 0x2100),
    (0xFE20, 0xFE30),
)
#: Blocks that hold format characters (general category Cf: zero-width space and
#: joiners, bidi controls, word joiner, BOM, soft hyphen, tags…); the characters
#: themselves are picked by category when the tables are built.
_FORMAT_BLOCKS = (
    (0x00A0, 0x0100),
    (0x0600, 0x0900),
    (0x1800, 0x1900),
    (0x2000, 0x2070),
    (0xFE00, 0x10000),
    (0x11000, 0x11100),
    (0x13400, 0x13460),
    (0x1BC00, 0x1BCB0),
    (0x1D100, 0x1D200),
    (0xE0000, 0xE1000),
)
#: Invisible characters outside category Cf: variation selectors, Mongolian
#: free variation selectors, Hangul fillers, Khmer inherent vowels.
_INVISIBLE = (
    *range(0xFE00, 0xFE10),
    *range(0xE0100, 0xE01F0),
    *range(0x180B, 0x1810),
    0x115F,
    0x1160,
    0x3164,
    0xFFA0,
    0x17B4,
    0x17B5,
)
#: Letters that are Latin in all but code point (small capitals and the like,
#: as produced by "fancy text" generators), and apostrophe look-alikes.
_LATIN_LOOKALIKES = {
    "ı": "i",
    "ȷ": "j",
    "ɑ": "a",
    "ɡ": "g",
    "ɢ": "g",
    "ɩ": "i",
    "ɪ": "i",
    "ʏ": "y",
    "ʀ": "r",
    "ʙ": "b",
    "ɴ": "n",
    "ʜ": "h",
    "ʟ": "l",
    "ᴀ": "a",
    "ᴄ": "c",
    "ᴅ": "d",
    "ᴇ": "e",
    "ᴊ": "j",
    "ᴋ": "k",
    "ᴍ": "m",
    "ᴏ": "o",
    "ᴘ": "p",
    "ᴛ": "t",
    "ᴜ": "u",
    "ᴠ": "v",
    "ᴡ": "w",
    "ᴢ": "z",
    "ꜱ": "s",
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u2032": "'",
    "\uff07": "'",
}
#: Blocks of symbols, pictographs and emoji: these read as a space (a word
#: split with emoji, ``j🔥a🔥i🔥l``, is then a word split with spaces). The
#: letter-like ones below are letters instead.
_SYMBOL_BLOCKS = ((0x2190, 0x2C00), (0x1F000, 0x1FB00))
#: Negative circled and squared letters (🅐, 🅰) and regional indicators (🇦),
#: which have no compatibility decomposition: each block starts at ``a``.
_LETTER_SYMBOL_BLOCKS = (0x1F150, 0x1F170, 0x1F1E6)
#: Cyrillic and Greek letters (case-folded) that look like a Latin letter.
#: Read as Latin only beside Latin letters in the word view; always in the
#: squeezed key.
_CONFUSABLES = {
    "а": "a",
    "в": "b",
    "г": "r",
    "е": "e",
    "ѕ": "s",
    "і": "i",
    "ј": "j",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "п": "n",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "һ": "h",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "ӏ": "l",
    "ү": "y",
    "ѵ": "v",
    "α": "a",
    "β": "b",
    "γ": "y",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "μ": "u",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    "ϳ": "j",
}
#: Leetspeak characters and the letters they stand for.
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}

#: Punctuation read as its ASCII counterpart (NFKC leaves these alone): the
#: separators of Chinese text and typographic quotes and dashes. Separators
#: stay separators; folding them lets most text take the ASCII fast path.
_PUNCTUATION = {
    "\u3002": ".",
    "\u3008": "<",
    "\u3009": ">",
    "\u300a": "<",
    "\u300b": ">",
    "\u300c": '"',
    "\u300d": '"',
    "\u300e": '"',
    "\u300f": '"',
    "\u3010": "[",
    "\u3011": "]",
    "\u3014": "(",
    "\u3015": ")",
    "\u3016": "[",
    "\u3017": "]",
    "\u301c": "~",
    "\u00ab": '"',
    "\u00bb": '"',
    "\u00b7": ".",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2022": "*",
}

# ---------------------------------------------------------------------------
# Patterns over folded text (lower case, one kind of space, no "_").
#
# Every pattern starts with a character class, so the engine skips ahead to
# candidate characters in C, and every look-around has a bounded width: the
# cost per character is bounded, so a pass is linear in the text.

#: A letter that can stand alone in a split word or give leetspeak a context.
_LET = "[a-z\u00e0-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f]"
#: Leetspeak characters.
_LEETC = "[013457@$]"
#: A character that belongs to a word: letter, digit, leetspeak symbol, apostrophe.
_TOK = r"[\w@$']"
#: Han and kana: scripts written without spaces, where separators never matter
#: (less the combining voicing marks, which must not be joined to a character).
_HAN = "[\u3040-\u3098\u309b-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
#: A single letter: a letter with no word character after it.
_SINGLE_AHEAD = rf"{_LET}(?!{_TOK})"
#: Numbers with a unit or ordinal suffix, which leetspeak folding leaves alone.
_UNIT = (
    r"(?:st|nd|rd|th|am|pm|h|hr|hrs|min|mins|k|m|bn|x|s|d|days?|wks?|mos?|yrs?|kg|km|mi|lbs?|ft)"
)


def _one_or_more(char_class: str) -> str:
    """``char_class+`` written ``char_class char_class*``, which matches the same.

    Python's engine skips ahead in C to a character of the class a pattern
    starts with, but only when the pattern starts with the class itself: a
    pattern that starts with a repetition is tried at every position.
    """
    return f"{char_class}{char_class}*"


_CG = re.compile("[\u0370-\u03ff\u0400-\u052f]")
#: Spaces that collapsing removes: leading, trailing, all but the first of a run.
_EXTRA_SPACES = re.compile("(^ +| +$|(?<= ) +)")
_SPACE_RUN = re.compile(" +")
_NONWORD_RUN = re.compile(r"(\W\W*)")
_ASCII_DROP_RUN = re.compile("(" + _one_or_more("[\x00-\x08\x0e-\x1b\x7f]") + ")")
#: A letter or digit beyond ASCII (the range first: the engine skips ASCII in C).
_NON_ASCII_WORD_CHARACTER = re.compile(r"[^\x00-\x7f](?<=\w)")
#: Past this many matches a pass stops matching and folds the rest of the text
#: wholesale: only adversarial text gets there, and per-match costs stay bounded.
_MATCHES_AT_MOST = 4096

# Byte tables for ASCII text, and class strings for the cheap tests that decide
# whether a pass is needed. A class string has one byte per character, between
# two "." bytes: ``a`` letter, ``d`` leetspeak character, ``n`` other digit,
# ``q`` apostrophe, ``u`` unknown (a non-ASCII character), ``.`` separator.


def _byte_table(pairs: Iterable[tuple[bytes, bytes]], default: Callable[[int], int]) -> bytes:
    table = bytearray(default(i) for i in range(256))
    for keys, values in pairs:
        for i, k in enumerate(keys):
            table[k] = values[i if len(values) > 1 else 0]
    return bytes(table)


_ASCII_FOLD = _byte_table(
    [
        (b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz"),
        (b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f_", b" "),
    ],
    lambda i: i,
)
_ASCII_DROP = bytes([*range(0x09), *range(0x0E, 0x1C), 0x7F])
_ASCII_NONWORD = bytes(i for i in range(256) if not chr(i).isalnum() or i > 0x7F)
#: ASCII characters that are neither letters nor digits, as UTF-8 bytes.
_ASCII_SEPARATOR_BYTES = bytes(i for i in range(0x80) if not chr(i).isalnum())
_CLASS_PAIRS = [
    (b"abcdefghijklmnopqrstuvwxyz", b"a"),
    (b"013457@$", b"d"),
    (b"2689", b"n"),
    (b"'", b"q"),
]
_ASCII_CLASSES = _byte_table(_CLASS_PAIRS, lambda i: ord("."))
#: A single letter, a separator run of one to four characters, then a single
#: letter or a leetspeak character: where ``glue`` may act.
_GLUE_HINT = re.compile(rb"\.a\.{1,4}[ad]\.")
#: The same, unknown characters read as anything, on the class string of
#: ``_classes`` read through ``_UNKNOWN``: where ``glue`` has always been run.
#: (It needs no single letter for Han: ``爆 你`` between ASCII letters, as in
#: ``x爆 你s``, is joined only where the text holds such a place elsewhere.
#: Kept as it was: what folds does not change with speed.)
_GLUE_HINT_UNKNOWN = re.compile(rb"[.u][au][.u]{1,4}[adu][.u]")
#: ``_classes`` read as the earlier class string, where every non-ASCII
#: character and ``?`` read ``u``.
_UNKNOWN = _byte_table([(b"bhgx,?", b"u")], lambda i: i)
#: ``_GLUE_HINT`` in the class string of ``_classes``: before the letter what
#: may be no letter or digit (``.``, ``?``, ``,``, ``u``, ``g``, ``x``), then
#: what may be a Latin, Greek or Cyrillic letter (``a``, ``b``, ``u``,
#: ``g``), what may be separators (``.``, ``?``, ``,``, ``u``), what may be a
#: letter or leetspeak, and what may be no letter or digit. Han (``h``) is
#: none of these: ``glue`` joins it through its other branch, which
#: ``_HAN_GLUE_HINT`` looks for.
_GLUE_HINT_WIDE = re.compile(rb"[.?,ugx][abug][.?,u]{1,4}[abdug][.?,ugx]")
#: A separator run of one to four characters between what may be Han or kana
#: characters (``h``, ``u``): where the Han branch of ``glue`` may act.
_HAN_GLUE_HINT = re.compile(rb"[hu][.?,u]{1,4}[hu]")
#: The two hints above for google-re2, to decide whether they find a place:
#: its automaton reads each byte once, where Python's engine tries the first
#: class at almost every position of text in other scripts (Greek, Korean),
#: about 15 ms per megabyte for a search that finds nothing.
_GLUE_HINT_WIDE_SEEN = re2.compile(_GLUE_HINT_WIDE.pattern)
_HAN_GLUE_HINT_SEEN = re2.compile(_HAN_GLUE_HINT.pattern)
#: Class strings with no ``u``, ``g`` or ``x`` read for ``_GLUE_HINT``: ``?`` and ``,`` as
#: ``.``, and ``b`` as ``a``. There the Han branch of ``glue`` may act only
#: where ``h.h``, ``h..h``, ``h...h`` or ``h....h`` occurs.
_GLUE_VIEW = _byte_table([(b"?,", b"."), (b"b", b"a")], lambda i: i)
_HAN_GLUE_RUNS = tuple(b"h" + b"." * n + b"h" for n in range(1, 5))
#: Class strings read for a leetspeak character next to a letter: ``L`` may
#: be a letter (``_LET``), ``D`` is a leetspeak character, anything else is
#: ``.``; ``leet`` may act only where ``LD`` or ``DL`` occurs.
_LEET_PAIRS = _byte_table([(b"abug", b"L"), (b"d", b"D")], lambda i: ord("."))
#: Class strings read for a look-alike next to Latin: ``A`` is a Latin letter
#: or leetspeak character, ``B`` may be a Cyrillic or Greek look-alike;
#: ``homoglyphs`` may act only where ``AB`` or ``BA`` occurs.
_MIXED_PAIRS = _byte_table([(b"ad", b"A"), (b"bug", b"B")], lambda i: ord("."))
#: UTF-8 continuation bytes, deleted from the encoded text by ``_classes``.
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


def _pair_in(classes: bytes, table: bytes, first: bytes, second: bytes) -> bool:
    """Whether ``first`` and ``second`` stand side by side (either order) in
    ``classes`` read through ``table``: a ``bytes.translate`` and two
    substring searches, where a regular expression with look-arounds would
    be tried at every occurrence of one of them."""
    pairs = classes.translate(table)
    if first not in pairs or second not in pairs:
        return False
    return first + second in pairs or second + first in pairs


def _classes(text: str) -> bytes:
    """The class string of text that may hold non-ASCII characters.

    ASCII characters get the classes of ``_ASCII_CLASSES`` (but ``?`` reads
    ``?``, a separator that ``_UNKNOWN`` tells apart); a non-ASCII
    character gets the class of its UTF-8 lead byte (``_lead_classes``), its
    continuation bytes deleted, in one ``bytes.translate``: ``b`` a letter or
    digit of a block with Latin, Greek or Cyrillic letters, ``h`` a letter
    or digit of another block (Han), ``,`` no letter or digit; where a block
    mixes letters or digits with other characters, ``g`` when none of them is
    a separator or Han and some may be a letter of ``_LET`` (Greek), ``x``
    when none of them is a separator, Han or such a letter (Devanagari, Thai),
    and ``u`` (unknown) otherwise.
    """
    data = text.encode("utf-8", "surrogatepass")
    table, exceptions = _lead_classes()
    for prefix in exceptions:
        if prefix in data:  # a block that does not share its lead byte's class
            mixed = bytearray(table)
            mixed[prefix[0]] = ord("u")
            table = bytes(mixed)
    return b"." + data.translate(table, _CONTINUATION_BYTES) + b"."


@functools.cache
def _lead_classes() -> tuple[bytes, tuple[bytes, ...]]:
    """The ``bytes.translate`` table of ``_classes``, and the two-byte
    prefixes of the few blocks whose characters do not have the class of
    their lead byte (the Yijing hexagrams among Han: one 64-character block
    of the 4,096 of lead byte ``E4``; Tibetan marks and symbols at
    U+0FC0-0FFF among the ``x`` blocks of lead byte ``E0``), in whose
    presence the lead byte reads ``u``.

    Computed from the Unicode database of the running Python, so the class
    of a character is always one its characters have.
    """
    let = re.compile(_LET)
    han = re.compile(_HAN)
    separators = frozenset(map(chr, _separators()))

    def kind(chars: str) -> int:
        if chars.isalnum():
            return ord("b") if let.search(chars) else ord("h")
        if not _ALNUM_CHARACTER.search(chars):
            return ord(",")
        # Letters or digits among other characters. Where none of them is a
        # separator or Han, say whether one may be a letter of ``_LET``:
        # that is all ``glue`` asks of them (Greek, Devanagari, Thai...).
        if separators.isdisjoint(chars) and not han.search(chars):
            return ord("g") if let.search(chars) else ord("x")
        return ord("u")

    table = bytearray(_ASCII_CLASSES)
    table[ord("?")] = ord("?")  # (``u`` in the earlier class string, see ``_UNKNOWN``)
    table[0x80:] = b"u" * 0x80
    exceptions: list[bytes] = []
    for lead in range(0xC2, 0xF5):
        if lead == 0xED:  # Hangul and the surrogates (text may hold lone ones)
            continue
        if lead < 0xE0:
            table[lead] = kind(_chars((lead & 0x1F) << 6, ((lead & 0x1F) + 1) << 6))
        elif lead < 0xF0:
            lo_lead = (lead & 0x0F) << 12
            blocks = {}
            for second in range(0x80, 0xC0):
                lo = lo_lead | ((second & 0x3F) << 6)
                if lo >= 0x800:  # shorter forms are not UTF-8
                    blocks[second] = kind(_chars(lo, lo + 0x40))
            kinds = set(blocks.values())
            if len(kinds) == 1:
                table[lead] = kinds.pop()
                continue
            # One odd block out: the lead byte reads as the rest, unless the
            # text holds a character of that block.
            for odd in kinds:
                others = {k for b, k in blocks.items() if k != odd}
                seconds = [b for b, k in blocks.items() if k == odd]
                if len(seconds) == 1 and len(others) == 1 and others != {ord("u")}:
                    table[lead] = others.pop()
                    exceptions.append(bytes([lead, seconds[0]]))
                    break
            else:
                # Blocks of several kinds: the class of all their characters.
                table[lead] = kind(_chars(max(lo_lead, 0x800), lo_lead + 0x1000))
        else:
            lo = (lead & 0x07) << 18
            table[lead] = kind(_chars(max(lo, 0x10000), min(lo + 0x40000, 0x110000)))
    return bytes(table), tuple(exceptions)


#: A letter or digit (what ``str.isalnum`` accepts).
_ALNUM_CHARACTER = re.compile(r"[^\W_]")


# ---------------------------------------------------------------------------
# Tables and patterns built on first use


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Patterns over folded text: the word view's passes."""

    #: Separator runs (one to four characters) that join single letters, a
    #: leetspeak character between single letters, or Han/kana characters.
    glue: re.Pattern[str]
    #: ``glue`` for ASCII text: the same matches there, found faster.
    glue_ascii: re.Pattern[str]
    #: Stretches of Han (or kana) characters and the separators that ``glue``
    #: may remove between them, from a Han character to a Han character
    #: (captured): ``glue`` removes the runs of at most four separators there.
    han_stretches: re.Pattern[str]
    #: Those separators but the space, and those runs, for stretches that
    #: hold more than runs of at most four spaces.
    han_marks: re.Pattern[str]
    han_runs: re.Pattern[str]
    #: Leetspeak characters to read as letters (captured).
    leet: re.Pattern[str]
    #: A leetspeak character beside a letter, the last condition of ``leet``
    #: and the cheapest: text where it finds nothing has nothing to fold.
    #: (Unknown characters of the class string may be Han, which is no letter.)
    leet_beside_letter: re.Pattern[str]
    #: Cyrillic/Greek look-alikes to read as Latin (captured).
    homoglyphs: re.Pattern[str]
    #: Runs of the common non-word characters: a fast first pass for squeezing.
    separators: re.Pattern[str]
    #: Runs of Cyrillic/Greek look-alikes (captured): all of them, for the squeezed key.
    confusable_runs: re.Pattern[str]
    #: Cyrillic/Greek look-alikes to Latin, as a translate table.
    confusables: dict[int, str]


def _glue_pattern(sep: str, han_sep: str | None, han: str | None, tok: str, let: str) -> str:
    """The pattern of ``_Patterns.glue`` over the given classes (its Han
    branch left out when ``han`` is ``None``)."""
    single_ahead = rf"{let}(?!{tok})"
    han_branch = f"(?<={han_sep})(?<={han}.){han_sep}{{0,3}}(?={han})|" if han else ""
    return (
        # The first separator is consumed before the look-behinds, so that the
        # engine can skip to separators (one class for both branches: Han
        # separators are separators); up to three more follow. Captured, for
        # ``split``.
        rf"(?s)({sep}(?:{han_branch}"
        r"(?:"
        # (what follows needs a one-character word before the separator)
        rf"(?<!{tok}{tok}.)"
        # Not the space after the article "a" or the pronoun "i" when the
        # letters after it are spelt out with another separator: "for a
        # l-a-w-s-u-i-t" reads "for a lawsuit", not "for alawsuit"; an "a"
        # or "i" inside a run ("j a i l,") is no article. (Spelt out with
        # spaces too, "a l a w s u i t" stays one run: nothing tells the
        # article from the word's first letter.)
        rf"(?!(?<=(?<!{tok})[ai] )"
        + "".join(rf"(?<!(?<!{tok})(?:{let}|{_LEETC}){sep}{{{k}}}[ai] )" for k in range(1, 5))
        + rf" {{0,3}}{let}(?! ){sep})"
        r"(?:"
        rf"(?<=(?<!{tok}){let}.){sep}{{0,3}}"
        rf"(?={single_ahead}|{_LEETC}{sep}{{1,4}}{single_ahead})"
        r"|(?:"
        + "|".join(rf"(?<=(?<!{tok}){let}{sep}{{{j}}}{_LEETC}.)" for j in range(1, 5))
        + rf"){sep}{{0,3}}(?={single_ahead})"
        r"))))"
    )


def _run_at_least(n: int, member: str) -> str:
    """Look-arounds, just after a ``member`` character: it is in a run of ``n`` or more."""
    windows = []
    for before in range(n):
        after = n - 1 - before
        behind = f"(?<={member}{{{before}}}.)" if before else ""
        ahead = f"(?={member}{{{after}}})" if after else ""
        windows.append(behind + ahead)
    return "(?:" + "|".join(windows) + ")"


def _beside(context: str, member: str, most: int) -> str:
    """Look-arounds, just after a ``member`` character: ``context`` is at either end of
    its run, at most ``most`` members away."""
    behind = "|".join(f"(?<={context}{member}{{{k}}}.)" for k in range(most + 1))
    return f"(?:{behind}|(?={member}{{0,{most}}}{context}))"


@functools.cache
def _separators() -> tuple[int, ...]:
    """The code points ``glue`` and the other patterns read as separators.

    Listed rather than written ``[^\\w@$']``: a listed class is a bitmap
    test, where ``\\w`` asks the Unicode database for every character.
    Symbols and emoji are not listed: folding made them spaces.
    """
    listed = (
        (0x00, 0x80),
        (0xA0, 0xC0),
        (0xD7, 0xD8),
        (0xF7, 0xF8),
        (0x2000, 0x2C00),
        (0x2E00, 0x2E80),
        (0x3000, 0x3040),
        (0xFE10, 0xFE20),
        (0xFE30, 0xFE70),
        (0xFF00, 0xFF66),
    )
    return tuple(
        ord(ch)
        for lo, hi in listed
        for ch in _chars(lo, hi)
        if not ch.isalnum() and ch not in "@$'" and not ("\u2060" <= ch <= "\u206f")
    )


@functools.cache
def _patterns() -> _Patterns:
    seps = list(_separators())
    sep = _char_class(seps, merge=_never)
    # Between Han characters, punctuation that ends a clause or a list item
    # (。，、！？；： read as . , ! ? ; :) is not a disguise: it stays, so that
    # no term is found across it (有期徒刑、拘役 holds no 刑拘) and negations
    # see where their clause ends.
    han_sep = _char_class([c for c in seps if chr(c) not in '.,!?;:"\u3001'], merge=_never)
    nonword = _char_class([*seps, ord("@"), ord("$"), ord("'")], merge=_never)
    glue = re.compile(_glue_pattern(sep, han_sep, _HAN, _TOK, _LET))
    # The same on ASCII text, with ASCII classes (no Han branch: ASCII holds
    # no Han): a class of a few ranges is a bitmap test, where the full
    # classes are tested range by range.
    ascii_sep = _char_class([c for c in seps if c < 0x80], merge=_never)
    glue_ascii = re.compile(_glue_pattern(ascii_sep, None, None, r"[0-9A-Z_a-z@$']", "[a-z]"))
    # Leetspeak and look-alikes are decided per run (of leetspeak characters,
    # of look-alikes): a run folds as a whole or not at all, so what folded
    # never changes the decision for what did not, and folding is idempotent.
    leet = re.compile(
        rf"(?s)({_LEETC})"
        # not in a run of four or more leetspeak characters
        rf"(?!{_run_at_least(4, _LEETC)})"
        # not in a run of three or more digits (amounts, phone numbers, IDs)
        r"(?!(?<=\d)(?:(?<=\d\d\d)|(?<=\d\d)(?=\d)|(?=\d\d)))"
        # not a number with a unit at the start of a word: "1st", "10am", "5pm"
        rf"(?!(?<=\d)(?:(?<![\w'].)\d?|(?<=(?<![\w'])\d.)){_UNIT}(?!{_TOK}))"
        # not a currency sign or "@" and the number after it: "US$100", "$5k", "@3pm"
        rf"(?!(?:(?<=[@$])\d|(?<=[@$]\d)|(?<=[@$]\d\d))\d*+{_UNIT}?(?!{_TOK}))"
        # next to a letter (not Han: "第1次"), through at most two leetspeak characters
        + _beside(_LET, _LEETC, 2)
    )
    leet_beside_letter = re.compile(rf"(?s){_LEETC}" + _beside(_LET, _LEETC, 2))
    # A run of at most seven look-alikes is read as Latin when a Latin letter
    # or leetspeak character is at either end of it. One match per run: the
    # first character (a run start), then the rest, possessively.
    conf = "[" + "".join(_CONFUSABLES) + "]"
    latin = "[a-z013457@$]"
    homoglyphs = re.compile(
        rf"(?s)({conf}(?<!{conf}.)"
        rf"(?:(?<={latin}.){conf}{{0,6}}+(?!{conf})|{conf}{{0,6}}+(?!{conf})(?={latin})))"
    )
    return _Patterns(
        glue=glue,
        glue_ascii=glue_ascii,
        # (One class repeated: the engine runs through a stretch in one loop.)
        han_stretches=re.compile(rf"({_HAN}[{_HAN[1:-1]}{han_sep[1:-1]}]*{_HAN})"),
        han_marks=re.compile(
            _char_class([c for c in seps if chr(c) not in '.,!?;:"\u3001 '], merge=_never)
        ),
        han_runs=re.compile(rf"(?<!{han_sep}){han_sep}{{1,4}}(?!{han_sep})"),
        leet=leet,
        leet_beside_letter=leet_beside_letter,
        homoglyphs=homoglyphs,
        separators=re.compile(_one_or_more(nonword)),
        confusable_runs=re.compile(f"({_one_or_more(conf)})"),
        confusables={ord(k): v for k, v in _CONFUSABLES.items()} | {0xE000: "\ue000"},
    )


@dataclass(frozen=True, slots=True)
class _Tables:
    """Character folding: NFKC, case folding, marks, invisibles, t2s."""

    #: ``str.translate`` table for lower-cased text: every character whose
    #: fold differs from itself, and the batch separator (kept, so that a
    #: batch translates without a failed look-up).
    fold: dict[int, str]
    #: Runs of BMP characters that ``fold`` changes (captured, for ``split``).
    runs_bmp: re.Pattern[str]
    #: Runs of characters beyond the BMP (captured).
    runs_astral: re.Pattern[str]
    #: Finds characters that fold to zero or several characters.
    irregular: re.Pattern[str]
    #: Runs of characters that fold to nothing (captured).
    deleted: re.Pattern[str]
    #: One character that folds to several (captured).
    expanded: re.Pattern[str]


def _char_class(codes: Iterable[int], *, merge: Callable[[int, int], bool]) -> str:
    """A regex character class for ``codes``, ranges ``merge`` approves joined.

    Merging over-approximates the set (callers check each hit) but keeps the
    class small: it compiles faster, and the engine tests ranges beyond the BMP
    one by one.
    """
    ranges: list[list[int]] = []
    for c in sorted(set(codes)):
        if ranges and (c == ranges[-1][1] + 1 or merge(ranges[-1][1], c)):
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    body = "".join(_escape(lo) + ("" if lo == hi else "-" + _escape(hi)) for lo, hi in ranges)
    return "[" + body + "]"


def _escape(code: int) -> str:
    return f"\\U{code:08x}" if code > 0xFFFF else f"\\u{code:04x}"


def _never(last: int, c: int) -> bool:
    return False


def _merge_astral(last: int, c: int) -> bool:
    """Join nearby ranges beyond the BMP (a class only used to find candidates)."""
    return last > 0xFFFF and c - last <= 0x400


def _chars(lo: int, hi: int) -> str:
    """Every character from ``lo`` to ``hi - 1`` (no surrogates), built in C."""
    return array("I", range(lo, hi)).tobytes().decode("utf-32-le")


#: Hong Kong variant characters that OpenCC's ``hk2s`` simplifies and ``t2s``
#: does not (the tests check them against OpenCC).
_HK_VARIANTS = {"敍": "叙", "枱": "台", "潀": "潨", "粧": "妆", "糭": "粽", "衞": "卫", "衹": "只"}


def _t2s() -> dict[int, str]:
    """Traditional Han characters to simplified, one by one, with OpenCC's ``t2s``."""
    import opencc

    chars = _chars(0x3400, 0x4DC0) + _chars(0x4E00, 0xA000)
    converted = str(opencc.OpenCC("t2s").convert("\n".join(chars))).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - a broken OpenCC build
        raise RuntimeError("OpenCC t2s changed the number of characters")
    table = {ord(a): b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}
    for src, dst in _HK_VARIANTS.items():
        table.setdefault(ord(src), dst)
    return table


#: Separates characters folded in one batch: a private-use character, which
#: no step changes and nothing composes with.
_BATCH_SEP = "\ue000"


def _simple_map() -> dict[int, str]:
    """Per-character rules applied after NFKC and case folding."""
    simple: dict[int, str] = {}
    for lo, hi in _FORMAT_BLOCKS:
        for ch in _chars(lo, hi):
            if unicodedata.category(ch) == "Cf":
                simple[ord(ch)] = ""
    for c in _INVISIBLE:
        simple[c] = ""
    for ch in _chars(0x00, 0xA0):
        if unicodedata.category(ch) == "Cc" and not ch.isspace():
            simple[ord(ch)] = ""
    for ch in _chars(0x00, 0x3001):
        if ch.isspace() and ch != " ":
            simple[ord(ch)] = " "
    simple[ord("_")] = " "
    for lo, hi in _GENERIC_MARKS:
        for c in range(lo, hi):
            simple[c] = ""
    for src, dst in (*_LATIN_LOOKALIKES.items(), *_PUNCTUATION.items()):
        simple[ord(src)] = dst
    for lo, hi in _SYMBOL_BLOCKS:
        for ch in _chars(lo, hi):
            if unicodedata.category(ch) in ("So", "Sm", "Sk"):
                simple[ord(ch)] = " "
    for start in _LETTER_SYMBOL_BLOCKS:
        for i in range(26):
            simple[start + i] = chr(ord("a") + i)
    simple.update(_t2s())
    return simple


@functools.cache
def _tables() -> _Tables:
    simple = _simple_map()
    strip = dict.fromkeys((c for lo, hi in _GENERIC_MARKS for c in range(lo, hi)), None)
    normalize = unicodedata.normalize
    # Candidates: every character of a 256-character block that NFKD or case
    # folding changes somewhere, and every character ``simple`` maps.
    blocks = []
    for lo, hi in ((0x1, 0xD800), (0xE000, 0x20000), (0x2F800, 0x2FA20), (0xE0000, 0xE1000)):
        plane = _chars(lo, hi)
        for at in range(0, len(plane), 256):
            block = plane[at : at + 256]
            if normalize("NFKD", block) != block or block.casefold() != block:
                blocks.append(block)
    candidates = "".join(blocks) + "".join(map(chr, simple))
    # Fold them all in one batch: NFKC, case folding, NFKC again (case folding
    # can denormalise), generic marks stripped, then the simple rules.
    batch = normalize("NFKC", normalize("NFKC", _BATCH_SEP.join(candidates)).casefold())
    batch = normalize("NFC", normalize("NFD", batch).translate(strip)).translate(simple)
    folded = batch.split(_BATCH_SEP)
    if len(folded) != len(candidates):  # pragma: no cover - a Unicode surprise
        raise RuntimeError("folding merged characters of a batch")
    table = {ord(ch): f for ch, f in zip(candidates, folded, strict=True) if f != ch}
    # Make folding idempotent: fold what a fold produced until nothing changes.
    for _ in range(3):
        keys = list(table)
        again = _BATCH_SEP.join(table[k] for k in keys).translate(table).split(_BATCH_SEP)
        changed = {k: v for k, v in zip(keys, again, strict=True) if v != table[k]}
        if not changed:
            break
        table.update(changed)
    bmp = [c for c in table if c <= 0xFFFF]
    deleted = [c for c, v in table.items() if not v]
    expanded = [c for c, v in table.items() if len(v) > 1]
    table[ord(_BATCH_SEP)] = _BATCH_SEP
    return _Tables(
        fold=table,
        runs_bmp=re.compile("(" + _one_or_more(_char_class(bmp, merge=_never)) + ")"),
        runs_astral=re.compile("(" + _one_or_more("[\U00010000-\U0010ffff]") + ")"),
        irregular=re.compile(_char_class(deleted + expanded, merge=_merge_astral)),
        deleted=re.compile("(" + _one_or_more(_char_class(deleted, merge=_never)) + ")"),
        expanded=re.compile("(" + _char_class(expanded, merge=_never) + ")"),
    )


@functools.cache
def _bmp_fold() -> list[int | str]:
    """``fold`` as a list over the BMP: a look-up that never fails, for long texts."""
    table: list[int | str] = list(range(0x10000))
    for code, value in _tables().fold.items():
        if code < 0x10000:
            table[code] = value
    return table


@functools.cache
def _composing() -> re.Pattern[str]:
    """Runs that NFC may rewrite: a character and the combining characters after it.

    Combining characters are those with a non-zero combining class, plus the
    starters that compose with what precedes them (Hangul vowels and trailing
    consonants, some Indic vowel signs). Built only for text that needs it.
    """
    plane = _chars(0x0, 0xD800) + _chars(0xE000, 0x20000)
    combining = [ord(ch) for ch in plane if unicodedata.combining(ch)]
    combining += [*range(0x1161, 0x1176), *range(0x11A8, 0x11C3)]
    for ch in plane:
        decomposition = unicodedata.decomposition(ch)
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2 and not unicodedata.combining(chr(int(parts[1], 16))):
                combining.append(int(parts[1], 16))
    return re.compile("(?s)(." + _char_class(combining, merge=_never) + "+)")


# ---------------------------------------------------------------------------
# Offset maps


class _Edits:
    """How one step rewrote its input: replaced ranges, everything else copied.

    Edit ``i`` replaced input ``[xs[i], xe[i])`` by output ``[ys[i], ye[i])``.
    A replacement of the same length maps character by character; any other
    replacement is atomic (each output character comes from the whole input
    range). Deletions have ``ys == ye``.
    """

    __slots__ = ("xe", "xs", "ye", "ys")

    def __init__(self, xs: list[int], xe: list[int], ys: list[int], ye: list[int]) -> None:
        self.xs = xs
        self.xe = xe
        self.ys = ys
        self.ye = ye

    @classmethod
    def from_pieces(cls, pieces: list[str], lengths: Iterable[int] | None = None) -> _Edits:
        """Edits from ``split`` output: kept and rewritten pieces alternate.

        ``pieces`` is ``[kept, rewritten, kept, …, kept]`` and ``lengths`` the
        lengths the rewritten pieces became (none: deleted). Built with C-level
        ``map`` and ``accumulate``, so a text with a million edits costs no
        million Python steps.
        """
        if len(pieces) == 1:
            return cls([], [], [], [])
        sizes = list(map(len, pieces))
        ends = list(accumulate(sizes))
        if lengths is None:
            ys = list(accumulate(sizes[0:-1:2]))
            return cls(ends[0:-1:2], ends[1::2], ys, ys)
        sizes[1::2] = lengths
        out = list(accumulate(sizes))
        return cls(ends[0:-1:2], ends[1::2], out[0:-1:2], out[1::2])

    def forward(self, x: int) -> int:
        """Output position of input position ``x``, which no edit straddles."""
        i = bisect_right(self.xe, x) - 1
        return x if i < 0 else self.ye[i] + (x - self.xe[i])

    def start(self, p: int) -> int:
        """Input position of output position ``p`` as the start of a span."""
        i = bisect_right(self.ys, p) - 1
        if i < 0:
            return p
        ys, ye, xs, xe = self.ys[i], self.ye[i], self.xs[i], self.xe[i]
        if p < ye:
            return xs + (p - ys) if ye - ys == xe - xs else xs
        return xe + (p - ye)

    def end(self, q: int) -> int:
        """Input position of output position ``q`` (> 0) as the end of a span."""
        r = q - 1
        i = bisect_right(self.ys, r) - 1
        if i < 0:
            return q
        ys, ye, xs, xe = self.ys[i], self.ye[i], self.xs[i], self.xe[i]
        if r < ye:
            return xs + (r - ys) + 1 if ye - ys == xe - xs else xe
        return xe + (r - ye) + 1


def _translated_lengths(pieces: list[str], table: dict[int, str]) -> Iterable[int]:
    return map(len, _BATCH_SEP.join(pieces).translate(table).split(_BATCH_SEP))


def _fold_edits(low: str) -> tuple[_Edits, ...]:
    """Character folding as two steps: deletions, then expansions."""
    tables = _tables()
    pieces = tables.deleted.split(low)
    kept = "".join(pieces[0::2])
    expanded = tables.expanded.split(kept)
    return (
        _Edits.from_pieces(pieces),
        _Edits.from_pieces(expanded, _translated_lengths(expanded[1::2], tables.fold)),
    )


def _ascii_fold_edits(text: str) -> tuple[_Edits, ...]:
    return (_Edits.from_pieces(_ASCII_DROP_RUN.split(text)),)


def _compose_edits(text: str) -> tuple[_Edits, ...]:
    pieces = _composing().split(text)
    composed = unicodedata.normalize("NFC", _BATCH_SEP.join(pieces[1::2])).split(_BATCH_SEP)
    return (_Edits.from_pieces(pieces, map(len, composed)),)


def _space_edits(text: str) -> tuple[_Edits, ...]:
    return (_Edits.from_pieces(_split_extra_spaces(text)),)


def _split_extra_spaces(text: str) -> list[str]:
    """``_EXTRA_SPACES.split(text)`` for text whose white space all reads as
    spaces (the input of ``_collapse_spaces``), at less cost.

    The pattern tries its look-behind at every space of the text; here
    ``str.find`` jumps from one run of two or more spaces to the next (a
    test holds the two equal). Text with a line break, where ``$`` would
    also match before a final one, is left to the pattern.
    """
    if "\n" in text:
        return _EXTRA_SPACES.split(text)
    size = len(text)
    start = size - len(text.lstrip(" "))
    if start == size:
        return ["", text, ""] if text else [""]
    end = len(text.rstrip(" "))
    pieces = ["", text[:start]] if start else []
    done = start
    at = text.find("  ", done, end)
    while at >= 0:
        run = _SPACE_RUN.match(text, at)
        assert run is not None, "text[at] is a space"
        run_end = run.end()
        pieces += (text[done : at + 1], text[at + 1 : run_end])
        done = run_end
        at = text.find("  ", done, end)
    if end < size:
        pieces += (text[done:end], text[end:])
        done = size
    pieces.append(text[done:])
    return pieces


def _glue_edits(text: str) -> tuple[_Edits, ...]:
    """The edits of ``glue`` on wide text: ``glue.split`` run around the
    places of both hints (as ``_glue`` does), which a test holds to
    ``glue.split`` itself."""
    return (_Edits.from_pieces(_split_glue_wide(text, _classes(text))),)


def _narrow_glue_edits(text: str) -> tuple[_Edits, ...]:
    return (_Edits.from_pieces(_split_glue_narrow(text, _ascii_classes(text))),)


def _squeeze_edits(text: str) -> tuple[_Edits, ...]:
    return (_Edits.from_pieces(_NONWORD_RUN.split(text)),)


def _text_speak_edits(text: str) -> tuple[_Edits, ...]:
    pieces = _TEXT_SPEAK.split(text)
    return (_Edits.from_pieces(pieces, [len(_TEXT_SPEAK_WORDS[p]) for p in pieces[1::2]]),)


#: Text-message spellings read as the words they stand for.
_TEXT_SPEAK_WORDS = {"u": "you", "ur": "your", "yr": "your", "urself": "yourself"}
#: One of them as a whole word: not inside a word or a contraction, and not
#: an abbreviation's letter (``u.s.``).
_TEXT_SPEAK = re.compile(r"(?<![\w'])(" + "|".join(_TEXT_SPEAK_WORDS) + r")(?![\w']|\.\w)")
#: How a text-message spelling starts after a space (see ``_has_text_speak``).
_TEXT_SPEAK_LEADS = (" u", " yr")
#: Places tried one by one before the pattern searches the rest whole.
_TEXT_SPEAK_TRIES = 32


def _has_text_speak(word: str) -> bool:
    """Whether ``word`` (shorter than ``_LONG_TEXT``) has a text-message
    spelling: tried only where a word starts like one (" us", " up" and
    " until" do too, a few per message), which costs less than the pattern's
    pass over the whole text."""
    if word.startswith(("u", "yr")) and _TEXT_SPEAK.match(word):
        return True
    for lead in _TEXT_SPEAK_LEADS:
        at = word.find(lead)
        tries = 0
        while at >= 0:
            if _TEXT_SPEAK.match(word, at + 1):
                return True
            tries += 1
            if tries == _TEXT_SPEAK_TRIES:  # a text full of such words
                return _TEXT_SPEAK.search(word, at + 1) is not None
            at = word.find(lead, at + 2)
    return False


def _read_text_speak(word: str, steps: list[_Step]) -> str:
    """``word`` with its text-message spellings read as words (see the module docstring)."""
    if len(word) >= _LONG_TEXT or not _has_text_speak(word):
        return word
    pieces = _TEXT_SPEAK.split(word)  # at least one match: _has_text_speak found it
    pieces[1::2] = map(_TEXT_SPEAK_WORDS.__getitem__, pieces[1::2])
    steps.append(_Step(word, _text_speak_edits))
    return "".join(pieces)


#: Characters of look-ahead and bounded match length that any step's
#: patterns need beyond a position (glue, the longest, needs about a dozen):
#: edits computed on a prefix of a step's input are trusted this far before
#: its end.
_PREFIX_MARGIN = 64
#: The shortest prefix of a step's input whose edits are computed for a span
#: (doubled until it covers the span): a quote near the start of a long
#: message costs a pass over a few thousand characters, not the whole text.
_PREFIX_AT_LEAST = 4096


class _Step:
    """One rewriting step that changed lengths: its input, how to find its edits,
    and the edits found so far.

    ``build(text)`` finds the edits with patterns whose matches depend only on
    a bounded neighbourhood, except runs (of spaces, separators, marks), which
    a prefix cuts short but starts at the same place. So the edits of a prefix
    agree with those of the whole input up to the first edit that comes
    within ``_PREFIX_MARGIN`` of the prefix's end, and positions before it map
    exactly. A span asks only for the prefix that covers it: mapping a quote
    near the start of a 1 MiB message does not pass over the whole message.
    Steps are shared by the views of one message, and so are their edits.
    """

    __slots__ = ("_covered", "_edits", "_size", "build", "source")

    def __init__(self, source: str, build: Callable[[str], tuple[_Edits, ...]]) -> None:
        self.source = source
        self.build = build
        self._size = 0
        self._edits: tuple[_Edits, ...] = ()
        #: Output positions below this map exactly with ``_edits``.
        self._covered = -1

    def edits_covering(self, position: int, *, tight: bool = False) -> tuple[_Edits, ...]:
        """Edits that map output position ``position`` (and every earlier one) exactly.

        A prefix grows by doubling, so that spans asked for one after another
        cost at most twice the prefix the farthest needs; ``tight`` asks for
        just what covers ``position``, for a caller that knows it is the
        farthest it will ask for (see ``View.cover``).
        """
        if position < self._covered:
            return self._edits
        total = len(self.source)
        if tight:
            size = max(position + _PREFIX_MARGIN * 4, _PREFIX_AT_LEAST)
        else:
            size = max(self._size * 2, 2 * position + _PREFIX_MARGIN * 4, _PREFIX_AT_LEAST)
        while True:
            if size * 2 > total:  # the rest costs no more than the next doubling
                edits = self.build(self.source)
                self._size, self._edits, self._covered = total, edits, sys.maxsize
                return edits
            edits = self.build(self.source[:size])
            covered = _trusted_output(edits, size)
            self._size, self._edits, self._covered = size, edits, covered
            if position < covered:
                return edits
            size *= 2


def _trusted_output(edits: tuple[_Edits, ...], size: int) -> int:
    """The output position below which ``edits`` of an input prefix of ``size``
    characters agree with the edits of the whole input (see ``_Step``)."""
    limit = size  # trusted length of the current sub-step's input
    for step in edits:
        bound = limit - _PREFIX_MARGIN
        # An edit reaching the margin may be cut short (or absent) in the prefix.
        i = bisect_right(step.xe, bound)  # edits ending within the trusted part
        if i < len(step.xs):
            bound = min(bound, step.xs[i])
        if bound <= 0:
            return 0
        limit = step.forward(bound)
    return limit


class View:
    """One normalised view of a message, with the map back to the original text.

    ``text`` is the view. ``original_span(start, end)`` maps the half-open span
    ``[start, end)`` of ``text`` to the half-open span of the original message
    its characters came from: the result is within the original, ordered, and
    non-empty for a non-empty span. Characters removed inside the span (a
    zero-width space in ``j\\u200bail``, the dots of ``j.a.i.l``) are part of
    the original span; removed characters at its edges are not. A character
    that came from several (a composed ``が``) or several that came from one
    (``fi`` from ``ﬁ``) map to all of them.

    The map is computed on the first call and kept; a view is never changed.
    """

    __slots__ = ("_steps", "text")

    def __init__(self, text: str, steps: tuple[_Step, ...]) -> None:
        self.text = text
        self._steps = steps

    def __repr__(self) -> str:
        return f"View({self.text!r})"

    def cover(self, position: int) -> None:
        """Prepare the map for every span that ends at or before ``position``,
        each step's edits computed once, on the prefix that covers it.

        Spans asked for in order of position grow each step's prefix by
        doubling: a caller that knows the farthest one it will map (the last
        hit of a long message) saves the doublings by saying so first.
        """
        position = min(max(position, 0), len(self.text))
        for step in reversed(self._steps):
            for edits in reversed(step.edits_covering(position, tight=True)):
                position = edits.end(position)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` came from."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) is not within a text of {len(self.text)}")
        if start == end:
            for step in reversed(self._steps):
                for edits in reversed(step.edits_covering(start)):
                    start = edits.start(start)
            return start, start
        for step in reversed(self._steps):
            for edits in reversed(step.edits_covering(end)):
                start, end = edits.start(start), edits.end(end)
        return start, end


class Normalized:
    """A message prepared for matching: the original and its two views.

    ``word`` keeps word spaces (match terms with word edges here); ``squeezed``
    keeps only letters and digits (match long or Chinese terms and pinyin keys
    here). ``text`` and ``original_span`` are the word view's.

    The squeezed view may be given as a function that makes it: it is then
    made when first read. A flooded message stops the matcher on the word
    view, and never needs it. (Two threads reading it first at once both
    make it, alike; the function is kept, so neither finds it gone.)
    """

    __slots__ = ("_make_squeezed", "_squeezed", "original", "word")

    def __init__(self, original: str, word: View, squeezed: View | Callable[[], View]) -> None:
        self.original = original
        self.word = word
        if isinstance(squeezed, View):
            self._squeezed: View | None = squeezed
            self._make_squeezed: Callable[[], View] | None = None
        else:
            self._squeezed = None
            self._make_squeezed = squeezed

    @property
    def squeezed(self) -> View:
        """The squeezed view (see the class documentation)."""
        view = self._squeezed
        if view is None:
            assert self._make_squeezed is not None
            view = self._squeezed = self._make_squeezed()
        return view

    def word_span_of_squeezed(self, start: int, end: int) -> tuple[int, int]:
        """The span of the word view that ``squeezed.text[start:end]`` came from.

        A matcher judges context (negations, clause ends) on the word view;
        this places a squeezed-view match there without going through the
        original text.
        """
        steps = self.squeezed._steps
        if len(steps) == len(self.word._steps):  # squeezing removed nothing
            return start, end
        edits = steps[-1].edits_covering(end)[-1]
        if start == end:
            start = edits.start(start)
            return start, start
        return edits.start(start), edits.end(end)

    def __repr__(self) -> str:
        return f"Normalized(text={self.word.text!r}, squeezed={self.squeezed.text!r})"

    @property
    def text(self) -> str:
        """The word view's text."""
        return self.word.text

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` came from."""
        return self.word.original_span(start, end)

    def quote(self, start: int, end: int, *, view: View | None = None) -> str:
        """The original text behind ``[start, end)`` of ``view`` (the word view by default)."""
        begin, finish = (view or self.word).original_span(start, end)
        return self.original[begin:finish]


# ---------------------------------------------------------------------------
# The pipeline


def normalize(text: str) -> Normalized:
    """Fold the evasions out of ``text``; see the module documentation for what folds."""
    steps: list[_Step] = []
    if text.isascii():
        return _finish_narrow(text, _fold_ascii(text, steps), steps)
    unicode_folded = _fold_unicode(text, steps)
    if unicode_folded.isascii():
        # What str.replace folded may leave ASCII characters to fold.
        return _finish_narrow(text, _fold_ascii(unicode_folded, steps), steps)
    if not _NON_ASCII_WORD_CHARACTER.search(unicode_folded):
        return _finish_narrow(text, unicode_folded, steps)
    return _finish_wide(text, unicode_folded, steps)


def _fold_ascii(text: str, steps: list[_Step]) -> str:
    """Case folding and invisible control characters of ASCII text, in one
    ``bytes.translate``; records the step when the length changed."""
    data = text.encode("ascii")
    folded = data.translate(_ASCII_FOLD, _ASCII_DROP)
    if len(folded) != len(data):
        steps.append(_Step(text, _ascii_fold_edits))
    return folded.decode("ascii")


def _fold_unicode(text: str, steps: list[_Step]) -> str:
    """Case folding, NFKC, marks, invisibles and t2s, for text with non-ASCII characters."""
    # str.lower keeps the length of every character but one.
    low = (text.replace("\u0130", "I") if "\u0130" in text else text).lower()
    tables = _tables()
    folded = low
    changed: list[str] = []
    # The typographic characters of everyday English first, with str.replace
    # (each a fast scan), so that most such text needs no regex pass below.
    for typographic, plain in _TYPOGRAPHIC:
        if typographic in folded:
            folded = folded.replace(typographic, plain)
            changed.append(typographic)
    if folded.isascii():
        if len(folded) != len(low):
            steps.append(_Step(low, _fold_edits))
        return folded
    # Characters beyond the BMP first, with a class the engine tests in one
    # comparison; then the BMP, with an exact bitmap class.
    # (UTF-16 spends four bytes on a character beyond the BMP and two on any
    # other: one encoding pass tells, where a regex tests every character.)
    astral = len(low.encode("utf-16-le", "surrogatepass")) != 2 * len(low)
    for runs in (tables.runs_astral, tables.runs_bmp) if astral else (tables.runs_bmp,):
        parts = runs.split(folded, 0 if runs is tables.runs_astral else _MATCHES_AT_MOST)
        if len(parts) > 1:
            changed += parts[1::2]
            # The BMP runs translate with the list form of the table (no hashing).
            table = _bmp_fold() if runs is tables.runs_bmp else tables.fold
            batch = _BATCH_SEP.join(parts[1::2])
            parts[1::2] = batch.translate(table).split(_BATCH_SEP)
            if runs is tables.runs_bmp and len(parts) > 2 * _MATCHES_AT_MOST:
                # Dense folding (a flood of invisible characters): the rest is
                # translated whole, with a table that never misses in the BMP
                # (what lies beyond was folded above).
                rest = parts[-1]
                parts[-1], rest_changed = _translate_rest(
                    rest, tables.fold, _bmp_fold(), batch, tables.runs_bmp
                )
                # (Characters beyond the BMP are what folding made of them:
                # the test below reads them as it always has.)
                changed.append(rest if astral else rest_changed)
            folded = "".join(parts)
    if len(folded) != len(low) or tables.irregular.search("".join(changed)):
        steps.append(_Step(low, _fold_edits))
    if not folded.isascii():
        # NFC returns its argument untouched when a quick check says it may.
        composed = unicodedata.normalize("NFC", folded)
        if composed is not folded and composed != folded:
            steps.append(_Step(folded, _compose_edits))
            folded = composed
    return folded


#: The typographic characters of everyday English and their folds.
_TYPOGRAPHIC = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u2014", "-"),
    ("\u2013", "-"),
    ("\u00a0", " "),
    ("\u2026", "..."),
)


def _collapse_spaces(word: str, steps: list[_Step]) -> str:
    """``word`` without spaces at its ends and with each run of spaces one
    space (the step recorded in ``steps`` when that changes it): what
    ``" ".join(word.split())`` gives for folded text, where every
    white-space character already reads as a space (a test holds the two
    equal).

    ``str.strip`` and ``str.replace`` scan the text in C; splitting it made
    a string object per word, which for a long message cost more than the
    rest of the normalisation (a message padded with one trailing space
    paid it too). Each pass of ``replace`` halves the runs: a few passes
    at most, even for a megabyte of spaces.
    """
    if "  " not in word and word[:1] != " " and word[-1:] != " ":
        return word
    steps.append(_Step(word, _space_edits))
    word = word.strip(" ")
    while "  " in word:
        word = word.replace("  ", " ")
    return word


def _finish_narrow(original: str, word: str, steps: list[_Step]) -> Normalized:
    """The word and squeezed views of folded text whose non-ASCII characters are
    all separators (most English text): tests and squeezing work on ASCII bytes."""
    word = _collapse_spaces(word, steps)
    classes = _ascii_classes(word)
    if _GLUE_HINT.search(classes):
        glued = _glue_narrow(word, classes)
        if len(glued) != len(word):
            steps.append(_Step(word, _narrow_glue_edits))
            word = glued
            classes = _ascii_classes(word)
    if b"d" in classes and _pair_in(classes, _LEET_PAIRS, b"L", b"D"):
        word = _fold_matches(_patterns().leet, word, _LEET_TABLE)
    word = _read_text_speak(word, steps)
    word_steps = tuple(steps)
    return Normalized(
        original, View(word, word_steps), functools.partial(_narrow_squeezed, word, word_steps)
    )


def _ascii_classes(word: str) -> bytes:
    """The class string of ``_finish_narrow``'s text (``_ASCII_CLASSES``; any
    non-ASCII character, a separator there, reads ``.``), with a ``.`` at
    each end."""
    return b"." + word.encode("ascii", "replace").translate(_ASCII_CLASSES) + b"."


#: Characters of text per place of ``_GLUE_HINT`` (and the fewest places)
#: past which ``_split_glue_narrow`` runs ``glue`` over the whole text
#: rather than around each place: a place costs about what ``glue`` costs
#: over a few hundred characters.
_GLUE_TEXT_PER_HINT = 256
_GLUE_HINTS_AT_LEAST = 16
#: How far before a place of ``_GLUE_HINT`` and after its end a match of
#: ``glue`` may start, with a character or more to spare: a match starts
#: just after the place's single letter, or up to six characters after the
#: start of a place that the scan for places passed over (a letter, four
#: separators and a leetspeak character before it), which starts within
#: the place before it.
_GLUE_BEFORE = 2
_GLUE_AFTER = 7
#: The longest match of ``glue`` (four separators), and how far past the
#: start of a match its look-aheads read (a match, a leetspeak character,
#: four separators, a letter and the character after it).
_GLUE_LONGEST = 4
_GLUE_AHEAD = 16


def _split_glue_narrow(word: str, classes: bytes) -> list[str]:
    """``glue.split(word)`` for text whose non-ASCII characters are all
    separators (``classes``, its ``_ascii_classes``), at less cost.

    ``glue`` tries every separator of the text against several
    look-behinds: over a long message that was most of the normalisation.
    It can match only where ``_GLUE_HINT`` finds a place (a single letter,
    one to four separators, then a single letter or a leetspeak
    character): a match starts in such a place, or where a place that the
    scan for places passed over would have started, which lies within the
    one before it. So ``glue`` runs only in windows around the places, from
    where a match may start to ``_GLUE_AHEAD`` characters past the last
    start (its look-behinds see before a window; its look-aheads see to
    the window's end, so only matches starting where one may are kept).
    Windows closer than the longest match are merged, so each starts where
    the whole-text scan has no match pending, and finds what it finds.
    Past one place per ``_GLUE_TEXT_PER_HINT`` characters the places are
    dense, and ``glue`` runs over all of the text. ASCII text takes the
    pattern with ASCII classes (``glue_ascii``). A test holds the result to
    ``glue.split``.
    """
    return _split_glue_around(word, _narrow_glue_pattern(word), _narrow_glue_places(classes))


def _glue_narrow(word: str, classes: bytes) -> str:
    """``"".join(_split_glue_narrow(word, classes)[0::2])``: the text
    ``glue`` leaves. Where the places are dense (past one per
    ``_GLUE_TEXT_PER_HINT`` characters) in ASCII text, ``glue_planes``
    computes it for the whole text at once, at a few milliseconds per
    megabyte where the pattern pays for every run it removes."""
    places = _narrow_glue_places(classes)
    if glue_planes.applies(word):
        most = _glue_places_at_most(word)
        first = list(islice(places, most))
        if len(first) == most:
            return glue_planes.glued(word)
        places = iter(first)
    return "".join(_split_glue_around(word, _narrow_glue_pattern(word), places)[0::2])


def _narrow_glue_places(classes: bytes) -> Iterator[tuple[int, int]]:
    return map(re.Match.span, _GLUE_HINT.finditer(classes))


def _narrow_glue_pattern(word: str) -> re.Pattern[str]:
    return _patterns().glue_ascii if word.isascii() else _patterns().glue


def _glue_places_at_most(word: str) -> int:
    """The places past which ``glue`` runs over the whole text (see
    ``_GLUE_TEXT_PER_HINT``)."""
    return max(_GLUE_HINTS_AT_LEAST, len(word) // _GLUE_TEXT_PER_HINT)


def _split_glue_around(
    word: str, pattern: re.Pattern[str], places: Iterable[tuple[int, int]]
) -> list[str]:
    """``pattern.split(word)`` for ``glue`` or ``glue_ascii``, given every
    place where a match may be (the spans of a hint's matches on the class
    string, in order of their start), run in windows around the places (see
    ``_split_glue_narrow``)."""
    windows: list[list[int]] = []
    most = _glue_places_at_most(word)
    for seen, (start, end) in enumerate(places):
        if seen == most:
            return pattern.split(word)
        # (Class index ``i`` is word index ``i - 1``.)
        lo = max(0, start - 1 - _GLUE_BEFORE)
        hi = end - 1 + _GLUE_AFTER
        if windows and lo <= windows[-1][1] + _GLUE_LONGEST:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    pieces: list[str] = []
    done = 0
    for lo, hi in windows:
        for match in pattern.finditer(word, lo, min(len(word), hi + _GLUE_AHEAD)):
            start, end = match.span()
            if start > hi:
                break
            pieces += (word[done:start], word[start:end])
            done = end
    pieces.append(word[done:])
    return pieces


def _narrow_squeezed(word: str, word_steps: tuple[_Step, ...]) -> View:
    """The squeezed view of ``_finish_narrow``'s word view."""
    data = word.encode("ascii", "ignore")
    squeezed = data.translate(None, _ASCII_NONWORD)
    squeezed_steps = word_steps
    if len(squeezed) != len(word):
        squeezed_steps = (*word_steps, _Step(word, _squeeze_edits))
    return View(squeezed.replace(b"l", b"i").decode("ascii"), squeezed_steps)


def _finish_wide(original: str, word: str, steps: list[_Step]) -> Normalized:
    """The word and squeezed views of folded text with non-ASCII letters."""
    word = _collapse_spaces(word, steps)
    patterns = _patterns()
    classes = _classes(word)
    glued = _glue(word, classes, patterns)
    if len(glued) != len(word):
        steps.append(_Step(word, _glue_edits))
        word = glued
        classes = _classes(word)
    if _pair_in(classes, _MIXED_PAIRS, b"A", b"B") and _CG.search(word):
        word = _fold_matches(patterns.homoglyphs, word, patterns.confusables)
        classes = _classes(word)
    if (
        b"d" in classes
        and _pair_in(classes, _LEET_PAIRS, b"L", b"D")
        and patterns.leet_beside_letter.search(word)
    ):
        word = _fold_matches(patterns.leet, word, _LEET_TABLE)
    word = _read_text_speak(word, steps)
    word_steps = tuple(steps)
    return Normalized(
        original,
        View(word, word_steps),
        functools.partial(_wide_squeezed, word, word_steps, classes, patterns),
    )


def _wide_squeezed(
    word: str, word_steps: tuple[_Step, ...], classes: bytes, patterns: _Patterns
) -> View:
    """The squeezed view of ``_finish_wide``'s word view (``classes``, its
    class string before leetspeak and text-message spellings were read)."""
    squeezed = _squeeze(word, patterns)
    # (Cyrillic and Greek letters are ``b``, ``g`` or ``u`` in the class string.)
    if (b"b" in classes or b"u" in classes or b"g" in classes) and _CG.search(squeezed):
        squeezed = _fold_matches(patterns.confusable_runs, squeezed, patterns.confusables)
    squeezed_steps = word_steps
    if len(squeezed) != len(word):
        squeezed_steps = (*word_steps, _Step(word, _squeeze_edits))
    return View(squeezed.replace("l", "i"), squeezed_steps)


#: Texts at least this long (characters) take ``_glue``'s shortcut: below
#: it, one ``glue`` pass over the text is the cheaper way to the same result.
_LONG_TEXT = 4096


def _glue(word: str, classes: bytes, patterns: _Patterns) -> str:
    """``patterns.glue.sub("", word)`` where ``_GLUE_HINT_UNKNOWN`` finds a
    place (else ``word``, as it has always been), at less cost.

    ``glue`` has two branches that never meet: separators between single
    Latin, Greek or Cyrillic letters (or a leetspeak character between
    them), and separators between Han characters. Where ``_GLUE_HINT_WIDE``
    finds no place for the first, only the second can act: it removes every
    run of one to four separators (all of ``han_sep``) between two Han
    characters: inside a stretch of Han characters and such separators
    (from a Han character to a Han character), every run of at most four.
    Chinese text with spaces between its words is one long stretch: it costs
    one ``str.replace``, where ``glue`` costs a match per space, each tried
    against every branch.
    """
    if not _GLUE_HINT_UNKNOWN.search(classes.translate(_UNKNOWN)):
        return word
    if len(word) < _LONG_TEXT:  # one pass of ``glue`` costs less than the tests below
        return patterns.glue.sub("", word)
    if b"u" in classes or b"g" in classes or b"x" in classes:
        latin = _GLUE_HINT_WIDE_SEEN.search(classes) is not None
        han = latin or _HAN_GLUE_HINT_SEEN.search(classes) is not None
    else:
        # Every character is known: substring searches decide, on a view
        # where separators read ``.`` and letters that may be Latin ``a``.
        view = classes.translate(_GLUE_VIEW)
        latin = b".a." in view and _GLUE_HINT.search(view) is not None
        han = not latin and any(run in view for run in _HAN_GLUE_RUNS)
    if latin:
        # Both branches may act: ``glue`` around the places of either.
        return "".join(_split_glue_wide(word, classes)[0::2])
    if not han:
        return word
    parts = patterns.han_stretches.split(word)
    if len(parts) == 1:
        return word
    stretches = _BATCH_SEP.join(parts[1::2])
    if "     " in stretches or patterns.han_marks.search(stretches):
        stretches = patterns.han_runs.sub("", stretches)
    else:  # only runs of one to four spaces between Han characters
        stretches = stretches.replace(" ", "")
    parts[1::2] = stretches.split(_BATCH_SEP)
    return "".join(parts)


def _split_glue_wide(word: str, classes: bytes) -> list[str]:
    """``glue.split(word)`` for wide text (``classes``, its ``_classes``),
    run around the places of both hints, merged in order of their start.

    google-re2 reads the class string once for each hint, where Python's
    engine tries the first class of ``_GLUE_HINT_WIDE`` at almost every
    position (15-40 ms per megabyte).
    """
    places = heapq.merge(
        (match.span() for match in _GLUE_HINT_WIDE_SEEN.finditer(classes)),
        (match.span() for match in _HAN_GLUE_HINT_SEEN.finditer(classes)),
    )
    return _split_glue_around(word, _patterns().glue, places)


def _squeeze(word: str, patterns: _Patterns) -> str:
    """The letters and digits of ``word`` (before look-alikes and ``l`` are read).

    ASCII separators, most of the separators of any text, are deleted from
    the UTF-8 bytes in one ``bytes.translate`` (deleting whole ASCII bytes
    leaves every other character intact); only when non-ASCII separators
    remain do the regular expressions run, over what is left.
    """
    squeezed = word.encode("utf-8").translate(None, _ASCII_SEPARATOR_BYTES).decode("utf-8")
    if squeezed and not squeezed.isalnum():
        squeezed = patterns.separators.sub("", squeezed)
        if squeezed and not squeezed.isalnum():
            squeezed = _NONWORD_RUN.sub("", squeezed)
    return squeezed


_LEET_TABLE = {ord(k): v for k, v in _LEET.items()} | {ord(_BATCH_SEP): _BATCH_SEP}


def _fold_matches(pattern: re.Pattern[str], text: str, table: dict[int, str]) -> str:
    """Translate what ``pattern`` captures (one-for-one), in a few C-level calls.

    Past ``_MATCHES_AT_MOST`` matches the rest of the text is translated
    whole, without the pattern's conditions: adversarial text folds more, never
    less, and costs no more than a translate.
    """
    parts = pattern.split(text, _MATCHES_AT_MOST)
    if len(parts) == 1:
        return text
    listed = _as_list(table)
    batch = _BATCH_SEP.join(parts[1::2])
    parts[1::2] = batch.translate(listed).split(_BATCH_SEP)
    if len(parts) > 2 * _MATCHES_AT_MOST:
        parts[-1] = _translate_rest(parts[-1], table, listed, batch, _keys_of(table))[0]
    return "".join(parts)


#: Characters that ``_translate_rest`` replaces one ``str.replace`` at a time
#: at most; past this it translates.
_REPLACED_AT_MOST = 16


def _translate_rest(
    rest: str,
    table: dict[int, str],
    listed: list[int | str],
    sample: str,
    leftover: re.Pattern[str],
) -> tuple[str, str]:
    """``rest.translate(listed)`` (``listed`` the list form of ``table``, or
    of its BMP part), and the characters it changed (or ``rest``, which holds
    them all).

    ``str.translate`` of non-ASCII text costs a table look-up and an integer
    object per character: several times a ``str.replace`` scan. Only flooded
    text gets here, and it repeats itself: the characters to translate in the
    rest are those of the matches before it (``sample``). Each of them is
    replaced (what they become never changes again, so the order does not
    matter); if ``leftover``, which finds every character ``listed``
    changes, still finds one, the rest is translated after all. A small
    table is replaced key by key, with nothing left over to look for.
    """
    if len(table) <= _REPLACED_AT_MOST:
        keys = [chr(k) for k, v in table.items() if v != chr(k)]
        check = False
    else:
        keys = [ch for ch in set(sample) if _translated(ch, listed) != ch]
        check = True
        if len(keys) > _REPLACED_AT_MOST:
            return rest.translate(listed), rest
    done = []
    for ch in keys:
        if ch in rest:
            rest = rest.replace(ch, _translated(ch, listed))
            done.append(ch)
    if check and _left_over(rest, table, leftover):
        return rest.translate(listed), "".join(done) + rest
    return rest, "".join(done)


def _left_over(rest: str, table: dict[int, str], leftover: re.Pattern[str]) -> bool:
    """Whether ``rest`` has a character that ``table`` changes (``leftover``
    finds them).

    Text left all ASCII (``isascii`` reads a flag every string carries) is
    tested for the few ASCII characters the table changes with one
    ``bytes.translate`` that deletes every other byte, several times
    faster than the pattern's character class over a megabyte.
    """
    if not rest.isascii():
        return leftover.search(rest) is not None
    unchanged = _ASCII_UNCHANGED.get(id(table))
    if unchanged is None:
        unchanged = _ASCII_UNCHANGED[id(table)] = bytes(
            code for code in range(0x80) if table.get(code, chr(code)) == chr(code)
        )
    return bool(rest.encode("ascii").translate(None, unchanged))


#: The ASCII characters a table leaves as they are, by identity (as ``_LISTED``).
_ASCII_UNCHANGED: dict[int, bytes] = {}


def _translated(ch: str, listed: list[int | str]) -> str:
    """What ``ch.translate(listed)`` is (tables map to strings or to themselves)."""
    code = ord(ch)
    value = listed[code] if code < len(listed) else code
    return chr(value) if isinstance(value, int) else value


#: List forms of the translate tables of ``_fold_matches``, by identity (the
#: tables are module constants).
_LISTED: dict[int, list[int | str]] = {}


#: Patterns that find the characters a table of ``_fold_matches`` changes,
#: by identity (as ``_LISTED``).
_KEYS: dict[int, re.Pattern[str]] = {}


def _keys_of(table: dict[int, str]) -> re.Pattern[str]:
    """A pattern that finds every character ``table`` changes."""
    pattern = _KEYS.get(id(table))
    if pattern is None:
        changing = [k for k, v in table.items() if v != chr(k)]
        pattern = _KEYS[id(table)] = re.compile(_char_class(changing, merge=_never))
    return pattern


def _as_list(table: dict[int, str]) -> list[int | str]:
    """``table`` as a list over the code points up to its largest key.

    ``str.translate`` looks a character up in a list by index, without the
    hashing of a dict: about twice as fast on long non-ASCII text. A character
    past the end raises ``IndexError``, a ``LookupError``, which ``translate``
    reads as "unchanged", as it does a missing dict key.
    """
    listed = _LISTED.get(id(table))
    if listed is None:
        listed = list(range(max(table) + 1))
        for code, value in table.items():
            listed[code] = value
        _LISTED[id(table)] = listed
    return listed


@functools.lru_cache(maxsize=4096)
def pinyin_key(text: str) -> str:
    """Toneless pinyin of the Han characters of ``text``, syllables separated by spaces.

    ``pinyin_key("曝光") == "bao guang"``. The text is normalised first, so
    traditional characters read as their simplified forms
    (``pinyin_key("爆通訊錄") == "bao tong xun lu"``); anything that is not
    Han is kept as it is. Readings come from pypinyin's phrase dictionary, so a
    character with several readings gets the one its word takes (``曝光`` is
    ``bao``, not ``pu``); ``ü`` is written ``v`` (``lv``), as pinyin keyboards
    type it.

    A matcher compiles the key like any other term, with ``normalize``: the
    word view then finds ``bao guang`` and the squeezed view ``baoguang``,
    ``Bao-Guang`` and ``bao_guang``.
    """
    from pypinyin import Style, lazy_pinyin

    folded = normalize(text).text
    syllables = lazy_pinyin(folded, style=Style.NORMAL, errors="default", v_to_u=False)
    return " ".join(" ".join(syllables).split())
