"""UTF-8 offsets counted in C.

Both the word-list automaton (``lexicon``) and google-re2 (``personal_data``,
and ``lexicon`` for long words) match the UTF-8 bytes of a message, and both
turn the byte offsets of their matches into character offsets the same way:
``data.translate(LEAD_BYTES)`` marks each byte that starts a character with
1, and ``bytes.count(1, a, b)`` on that string counts the characters between
two byte offsets. Matches come in order, so counting from the previous match
keeps the whole pass linear.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["LEAD_BYTES", "re2_spans"]

#: UTF-8 bytes to 1 where a character starts and 0 for continuation bytes.
LEAD_BYTES = bytes(0 if 0x80 <= i < 0xC0 else 1 for i in range(256))


def re2_spans(pattern: Any, text: str, data: bytes) -> Iterator[tuple[int, int]]:
    """The character spans of the google-re2 ``pattern`` in ``text`` (whose
    UTF-8 is ``data``), in order.

    google-re2 matches UTF-8 bytes. Given a ``str`` it turns every match's
    byte offsets back into character offsets in Python, several sets and
    dicts per match; flooded text has thousands of matches. Here it is given
    the bytes, and the offsets are counted as above (ASCII text needs no
    counting).
    """
    if len(data) == len(text):
        for match in pattern.finditer(data):
            yield match.span()
        return
    count = data.translate(LEAD_BYTES).count
    byte = char = 0
    for match in pattern.finditer(data):
        b_start, b_end = match.span()
        start = char + count(1, byte, b_start)
        char = start + count(1, b_start, b_end)
        byte = b_end
        yield start, char
