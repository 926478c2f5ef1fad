"""What ``glue`` removes from ASCII text, computed on bit planes.

``glue`` (see ``folding._glue_pattern``) joins words spelled out with
separators, ``s.u.e`` or ``j a i l``: it removes a run of one to four
separators between two single letters, or around a single leetspeak
character that stands between two of them (``a 1 b``). Python's regular
expression engine pays a few hundred nanoseconds for each run it removes,
and a megabyte of single letters holds half a million of them.

Every decision of ``glue`` on ASCII text depends only on the classes of a
few characters on either side of a run, so it can be computed for all
positions at once: each class is a plane, one bit per character of one
arbitrary-precision integer, and "the character before is a separator" is
a shift of that integer by one bit. About a hundred shifts, ands and ors of
integers a megabit long, each a loop in C, decide every run of the text;
the bits of the runs to remove then delete those characters in one
``bytes.translate``. The cost is a few milliseconds per megabyte whatever
the text holds.

The classes are those of ``_Patterns.glue_ascii``: a separator is any ASCII
character but a letter, a digit, ``@``, ``$`` or ``'``; a word character is
one of those; a letter is ``a`` to ``z`` (folded text is lower case); a
leetspeak character is one of ``013457@$``. ``_`` is both a separator and
a word character there; folded text holds none (it reads as a space), and
text that does is left to the pattern. A test holds the result to
``glue_ascii``.
"""

from __future__ import annotations

from collections.abc import Callable

#: Longest run of separators that ``glue`` removes.
_LONGEST_RUN = 4

_LETTERS = b"abcdefghijklmnopqrstuvwxyz"
#: Single letters that are English words: the article and the pronoun.
_ARTICLES = b"ai"
_LEETSPEAK = b"013457@$"
_WORD = _LETTERS + b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@$'_"
#: Every byte at or above 0x80: the mark of a character to delete.
_MARKED = bytes(range(0x80, 0x100))


def _plane_table(members: bytes) -> bytes:
    """A ``bytes.translate`` table giving ``1`` for ``members``, ``0`` for the rest."""
    table = bytearray(b"0" * 256)
    for code in members:
        table[code] = ord("1")
    return bytes(table)


_SEPARATOR_PLANE = _plane_table(bytes(c for c in range(0x80) if c not in _WORD or c == ord("_")))
_LETTER_PLANE = _plane_table(_LETTERS)
_ARTICLE_PLANE = _plane_table(_ARTICLES)
_SPACE_PLANE = _plane_table(b" ")
_LEETSPEAK_PLANE = _plane_table(_LEETSPEAK)
#: ``0`` and ``1`` of a plane's binary digits as the bytes OR-ed onto the text.
_DIGIT_TO_MARK = bytes.maketrans(b"01", b"\x00\x80")


def applies(word: str) -> bool:
    """Whether ``glued`` gives ``glue_ascii``'s result for ``word``."""
    return word.isascii() and "_" not in word


def glued(word: str) -> str:
    """``"".join(glue_ascii.split(word)[0::2])`` for ASCII ``word`` without
    ``_`` (see ``applies``).

    The planes cover the text with a separator added at each end, so that
    the characters before the first and after the last read as separators,
    as the start and end of the text read to the pattern's look-arounds.
    Bit ``size - 1 - i`` holds position ``i``: the binary digits of a plane
    are in text order.
    """
    data = word.encode("ascii")
    framed = b" " + data + b" "
    size = len(framed)
    full = (1 << size) - 1

    def plane(table: bytes) -> int:
        return int(framed.translate(table), 2)

    def at(x: int, offset: int) -> int:
        """The plane whose bit at each position is ``x``'s at ``position + offset``."""
        return (x << offset) & full if offset > 0 else x >> -offset

    sep = plane(_SEPARATOR_PLANE)
    word_char = full ^ sep
    sep_before, sep_after = at(sep, -1), at(sep, 1)
    # A single letter or leetspeak character: separators on both sides.
    single_letter = plane(_LETTER_PLANE) & sep_before & sep_after
    single_leet = plane(_LEETSPEAK_PLANE) & sep_before & sep_after
    # ``seps[k]``: positions that start ``k`` separators in a row (at least).
    seps = [full, sep]
    for k in range(2, _LONGEST_RUN + 1):
        seps.append(seps[-1] & at(sep, k - 1))
    # A run of one to four separators starts here and a single letter ends it
    # (``then_letter``); one ends here and a single letter starts it
    # (``after_letter``).
    then_letter = after_letter = 0
    for k in range(1, _LONGEST_RUN + 1):
        then_letter |= seps[k] & at(single_letter, k)
        after_letter |= at(seps[k], 1 - k) & at(single_letter, -k)
    letter_before = at(single_letter, -1)
    leet_before = at(single_leet, -1)
    run_start = at(word_char, -1) & sep
    article = _article_runs(plane, at, full, sep, sep_before, seps, single_letter)
    remove = 0
    for k in range(1, _LONGEST_RUN + 1):
        # Runs of exactly ``k`` separators between two word characters.
        runs = run_start & seps[k] & at(word_char, k)
        letter_after = at(single_letter, k)
        glued_runs = (
            runs
            & (
                (letter_before & letter_after)  # a b
                | (letter_before & at(single_leet, k) & at(then_letter, k + 1))  # a 1 b: the first
                | (leet_before & letter_after & at(after_letter, -2))  # a 1 b: the second
            )
            & ~article
        )
        for offset in range(k):
            remove |= at(glued_runs, -offset)
    if not remove:
        return word
    digits = format(remove, "b").zfill(size)[1:-1].encode("ascii")
    marks = digits.translate(_DIGIT_TO_MARK)
    joined = int.from_bytes(data, "big") | int.from_bytes(marks, "big")
    return joined.to_bytes(len(data), "big").translate(None, _MARKED).decode("ascii")


def _article_runs(
    plane: Callable[[bytes], int],
    at: Callable[[int, int], int],
    full: int,
    sep: int,
    sep_before: int,
    seps: list[int],
    single_letter: int,
) -> int:
    """The run starts ``glue`` leaves alone after an article: a space after
    a single ``a`` or ``i`` that starts a run of single letters, when the
    letter after the space is followed by another separator ("for a
    l-a-w-s-u-i-t"), as the pattern's negative look-ahead decides."""
    space = plane(_SPACE_PLANE)
    letter = plane(_LETTER_PLANE)
    first = at(single_letter & plane(_ARTICLE_PLANE), -1) & space
    # The "a" or "i" follows a single letter or leetspeak character and one
    # to four separators: it is inside a run, no article.
    single = (letter | plane(_LEETSPEAK_PLANE)) & sep_before
    inside = 0
    for k in range(1, _LONGEST_RUN + 1):
        inside |= at(seps[k], -1 - k) & at(single, -2 - k)
    # After the space: up to three more spaces, a letter, then a separator
    # that is not a space.
    other_sep = sep & ~space
    spaced = full  # positions that start ``j`` spaces in a row
    then_spelt = 0
    for j in range(_LONGEST_RUN):
        then_spelt |= at(spaced, 1) & at(letter, 1 + j) & at(other_sep, 2 + j)
        spaced &= at(space, j)
    return first & ~inside & then_spelt
