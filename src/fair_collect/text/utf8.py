"""UTF-8 offsets counted in C.

Both the word-list automaton (``lexicon``) and google-re2 (``personal_data``)
match the UTF-8 bytes of a message, and both turn the byte offsets of their
matches into character offsets the same way: ``data.translate(LEAD_BYTES)``
marks each byte that starts a character with 1, and ``bytes.count(1, a, b)``
on that string counts the characters between two byte offsets. Matches come
in order, so counting from the previous match keeps the whole pass linear.
"""

from __future__ import annotations

__all__ = ["LEAD_BYTES"]

#: UTF-8 bytes to 1 where a character starts and 0 for continuation bytes.
LEAD_BYTES = bytes(0 if 0x80 <= i < 0xC0 else 1 for i in range(256))
