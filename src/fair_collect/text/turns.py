"""Whose words a message holds: the other party's turns in a transcript.

A call script or a transcribed call (an audit replay, a QA recording) often
comes as speaker turns::

    Consumer: Am I going to jail over this?
    Collector: No. Nobody goes to jail over a credit card bill.

The wording rules judge what the collector says. The consumer's question, an
angry "this is bullshit" from the borrower, or a receptionist asking "what is
this about?" are not the collector's words, and flagging them would deny a
lawful call for what the other side said.

``collector_speech`` blanks those turns out. It does so only when the text is
plainly a transcript: it holds a collector's label (``Collector:``,
``Agent:``, ``催收员：``...) and a label of the other side (``Consumer:``,
``Receptionist:``, ``借款人：``...). A label opens a line, or follows the
end of a sentence on it (``...in jail? Agent: No, sir.``): a turn written
on one line with the others. An other party's turn runs to the next label
or the end of its line, whichever comes first: continuation lines stay in,
so a header such as ``Borrower: Jane Doe`` in a letter that also names its
``Agent:`` hides one line, never the body that follows. The collector's own
labels are blanked too: ``催收员：`` names who speaks, it is not said to the
person called (a wrong-number call is not told it came from a collector by
the transcript's label); in a call or voicemail script they are blanked
even when only the collector speaks. Blanking replaces characters with
spaces (newlines kept), so offsets into the text are unchanged and every
hit still quotes the original.
"""

from __future__ import annotations

import re

import re2

from fair_collect.text.utf8 import LEAD_BYTES

__all__ = ["MAX_LABELS", "SPOKEN_CHANNELS", "collector_speech"]

#: Channels whose message is said, not sent: speaker labels are never heard.
SPOKEN_CHANNELS = frozenset({"call", "voicemail", "visit"})

#: Labels of the collector's side of a call.
_COLLECTOR_LABELS = (
    "collector",
    "debt collector",
    "agent",
    "collection agent",
    "rep",
    "representative",
    "caller",
    "催收员",
    "催收員",
    "催收",
    "催收专员",
    "催收專員",
    "坐席",
    "客服",
    "专员",
    "專員",
    "职员",
    "職員",
    "工作人员",
    "工作人員",
    "业务员",
    "業務員",
    "调解员",
    "調解員",
)

#: Labels of the other side: the borrower and the third parties a collector
#: reaches (family, workplace, contacts).
_OTHER_LABELS = (
    "consumer",
    "borrower",
    "debtor",
    "customer",
    "cardholder",
    "account holder",
    "recipient",
    "receptionist",
    "hr",
    "family member",
    "relative",
    "mom",
    "mother",
    "dad",
    "father",
    "wife",
    "husband",
    "spouse",
    "son",
    "daughter",
    "sister",
    "brother",
    "neighbor",
    "neighbour",
    "coworker",
    "co-worker",
    "colleague",
    "employer",
    "friend",
    "reference",
    "roommate",
    "客户",
    "客戶",
    "借款人",
    "债务人",
    "債務人",
    "用户",
    "用戶",
    "持卡人",
    "家属",
    "家屬",
    "母亲",
    "母親",
    "父亲",
    "父親",
    "妈妈",
    "媽媽",
    "爸爸",
    "阿妈",
    "阿媽",
    "老豆",
    "妻子",
    "丈夫",
    "老公",
    "老婆",
    "同事",
    "前台",
    "前臺",
    "人事",
    "朋友",
    "联系人",
    "聯繫人",
    "聯絡人",
    "紧急联系人",
    "緊急聯絡人",
    "接听人",
    "接聽人",
    "对方",
    "對方",
    "机主",
    "機主",
    "客人",
)


def _alternatives(labels: tuple[str, ...]) -> str:
    # Longest first, so that "collection agent" is not read as "collection".
    return "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))


#: A speaker label at the start of a line or after a sentence end on it:
#: an optional timestamp (``[00:01:23]``), the label, an optional name in
#: brackets (``Consumer (Jane):``), then a colon, half- or full-width. Group
#: 1 is the label from its timestamp on (what is blanked), group 2 a
#: collector's label, group 3 the other side's. Run by google-re2 on the
#: UTF-8 bytes: linear, and in C between matches (Python's engine tried the
#: line-start anchor at every character, 200 ms over a megabyte of short
#: lines).
_LABEL = re2.compile(
    r"(?im)(?:^|[.?!][ \t]+|[。？！…])[ \t]*((?:\[[^\]\n]{0,24}\][ \t]*)?"
    rf"(?:({_alternatives(_COLLECTOR_LABELS)})|({_alternatives(_OTHER_LABELS)}))"
    r"[ \t]*(?:[(（][^)）\n]{0,40}[)）][ \t]*)?[:：])"
)

#: Speaker labels read before a text stops counting as a transcript: each
#: costs a Python step, and a flood of them is not a call. Past this the
#: text is read whole (the other side's words count too: the stricter
#: reading, never the more lenient one).
MAX_LABELS = 1_000


def collector_speech(text: str, spoken: bool = False) -> str:
    """``text`` with the other party's turns blanked out when it is a
    transcript (see the module docstring); else ``text`` itself.

    ``spoken``: the text is said, not sent (a call or voicemail script). Its
    collector labels are then blanked even when no other side speaks
    (``催收员：您好，请问张先生还在贵公司任职吗？`` to a receptionist): the
    person called never hears them. In a text message the same label is
    read by whoever receives it, and stays."""
    if ":" not in text and "：" not in text:
        return text
    labels = _labels(text)
    if labels is None or not any(mine for _, _, mine in labels):
        return text
    if not spoken and all(mine for _, _, mine in labels):
        return text
    blanks: list[tuple[int, int]] = []
    for i, (start, end, mine) in enumerate(labels):
        if not mine:
            # The turn runs to the next label or the end of its line.
            end = _line_end(text, start)
            if i + 1 < len(labels):
                end = min(end, labels[i + 1][0])
        blanks.append((start, end))
    pieces: list[str] = []
    done = 0
    for start, end in blanks:
        pieces.append(text[done:start])
        pieces.append(" " * (end - start))
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _labels(text: str) -> list[tuple[int, int, bool]] | None:
    """The speaker labels of ``text`` in order: (start, end, the
    collector's), in characters; ``None`` past ``MAX_LABELS``."""
    data = text.encode("utf-8")
    count = None if len(data) == len(text) else data.translate(LEAD_BYTES).count
    found: list[tuple[int, int, bool]] = []
    byte = char = 0
    for seen, match in enumerate(_LABEL.finditer(data)):
        if seen == MAX_LABELS:
            return None
        b_start, b_end = match.span(1)
        if count is None:
            start, end = b_start, b_end
        else:
            start = char + count(1, byte, b_start)
            end = start + count(1, b_start, b_end)
            byte, char = b_end, end
        found.append((start, end, match.start(2) >= 0))
    return found


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end
