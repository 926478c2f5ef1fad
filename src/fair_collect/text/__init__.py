"""Message text prepared for wording matching: evasions folded, offsets kept.

See ``fair_collect.text.folding`` for the two views (``word`` and
``squeezed``), their offset maps back to the original text, and ``pinyin_key``.
"""

from fair_collect.text.folding import Normalized, View, normalize, pinyin_key

__all__ = ["Normalized", "View", "normalize", "pinyin_key"]
