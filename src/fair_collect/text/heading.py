"""Where a message names its sender: the heading of a message field.

A collector who poses as an authority rarely writes "this is the police";
it signs the message as one. Chinese text messages carry the sender's name
in a bracketed signature at the start or the end (``【某某区人民法院】``), and
letters, e-mails and texts in English open with a letterhead or a label
("SHERIFF'S OFFICE: call 555-0175", "From: Department of Justice, Debt
Unit."). A bare institution name is harmless in the body ("report it to
the police", "a legal aid office may help", 可向当地法院起诉) but a claim of
identity in the heading. ``heading_spans`` finds those places, so that a
wording rule can count some categories only there
(``wording.heading_categories``).

A heading is, in one field:

* a bracketed group that opens the field or closes it (``【】 〖〗 [] ［］ () （）``),
  at most ``MAX_BRACKETED`` characters inside;
* the first line, when the field has more than one line and the first is at
  most ``MAX_LINE`` characters long;
* the label before the first colon, dash or bar (``:``, ``：``, `` - ``,
  `` – ``, `` —``, ``|``) when it comes within ``MAX_LABEL`` characters and
  no sentence ends before it; when that label only says where the sender
  is named ("From", "Sender", 发件人, 来自), what follows it up to the end
  of its line or sentence (``MAX_LINE`` characters at most).

A first line or label that opens with a salutation ("Dear Ms. Constable,",
"To: Sheriff's Office", 尊敬的王法官：) names the person addressed, not
the sender, and is not a heading.

Only the blanks around the field and the few hundred characters next to
them are read, so the cost does not depend on the field's length.
Offsets are those of the field's text, as the hits' are.
"""

from __future__ import annotations

__all__ = ["MAX_BRACKETED", "MAX_LABEL", "MAX_LINE", "heading_spans", "in_heading"]

#: Characters inside a bracketed signature (a sender's name, not a sentence).
MAX_BRACKETED = 40
#: Characters of a first line that is a letterhead, or of a "From:" label's name.
MAX_LINE = 80
#: Characters before the colon or dash of a label ("SHERIFF'S OFFICE:").
MAX_LABEL = 60

_BRACKETS = {"【": "】", "〖": "〗", "[": "]", "［": "］", "(": ")", "（": "）"}
_CLOSERS = {close: open_ for open_, close in _BRACKETS.items()}
#: Separators that end a label, in the order they are looked for.
_LABEL_ENDS = (":", "：", " - ", " – ", " —", "|")
#: What ends a sentence before a label would (then there is no label).
_SENTENCE_ENDS = (". ", "。", "!", "！", "?", "？", "\n")
#: Words that end a label or follow a signature to pass on an authority's
#: advice rather than to sign as it ("警方提示：谨防诈骗", "【国家金融监督管理总局】提示：").
_ATTRIBUTIONS = (
    "提示",
    "提醒",
    "提示您",
    "提醒您",
    "忠告",
    "reminds you",
    "reminds",
    "advises",
    "consumer tip",
    "consumer alert",
    "consumer advisory",
)
#: Characters a label does not hold: a label is a name, not a clause.
_NOT_IN_LABEL = (",", "，", "、")
#: Labels that introduce the sender's name rather than being it.
_FROM_LABELS = frozenset(
    {
        "from",
        "sender",
        "sent by",
        "message from",
        "发件人",
        "发信人",
        "来自",
        "發件人",
        "發信人",
        "來自",
    }
)

#: Words that open a line addressed to someone: the name after them is the
#: recipient's ("Dear Ms. Constable," is not a constable writing).
_SALUTATIONS = ("dear", "to", "attn", "attention")
_HAN_SALUTATIONS = ("尊敬的", "亲爱的", "尊敬嘅", "親愛的", "致")


def _addressed(text: str, start: int) -> bool:
    """Whether the line at ``start`` opens with a salutation."""
    if text.startswith(_HAN_SALUTATIONS, start):
        return True
    head = text[start : start + 12].casefold()
    for word in _SALUTATIONS:
        if head.startswith(word):
            after = head[len(word) : len(word) + 1]
            if not after or not after.isalnum():
                return True
    return False


def _leading_bracket(text: str, start: int) -> tuple[int, int] | None:
    close = _BRACKETS.get(text[start : start + 1])
    if close is None:
        return None
    end = text.find(close, start + 1, start + 2 + MAX_BRACKETED)
    if end <= start + 1:
        return None
    after = text[end + 1 : end + 12].lstrip().casefold()
    if after.startswith(_ATTRIBUTIONS):
        return None
    return (start, end + 1)


def _trailing_bracket(text: str, end: int) -> tuple[int, int] | None:
    open_ = _CLOSERS.get(text[end - 1 : end])
    if open_ is None:
        return None
    start = text.rfind(open_, max(0, end - 2 - MAX_BRACKETED), end - 1)
    return (start, end) if 0 <= start < end - 2 else None


def _first_line(text: str, start: int) -> tuple[int, int] | None:
    if _addressed(text, start):
        return None
    end = text.find("\n", start, start + MAX_LINE + 1)
    return (start, end) if end > start else None


def _label_end(window: str) -> int:
    """Where the first label separator of ``window`` stands, or -1 (a colon
    between digits is a time, "9:00", not a separator)."""
    best = -1
    for mark in _LABEL_ENDS:
        at = window.find(mark)
        while mark == ":" and 0 < at < len(window) - 1:
            if not (window[at - 1].isdigit() and window[at + 1].isdigit()):
                break
            at = window.find(mark, at + 1)
        if 0 < at <= MAX_LABEL and (best < 0 or at < best):
            best = at
    return best


def _sentence_end(text: str, start: int, stop: int) -> int:
    """The first sentence end in ``text[start:stop]``, or -1. A full stop after
    a single letter is an initial or an abbreviation ("U.S. Marshals"), not
    an end."""
    found = [
        at for end in _SENTENCE_ENDS if end != ". " and (at := text.find(end, start, stop)) >= 0
    ]
    at = text.find(". ", start, stop)
    while at >= 0:
        if not (at >= 1 and text[at - 1].isalpha() and (at < 2 or not text[at - 2].isalpha())):
            found.append(at)
            break
        at = text.find(". ", at + 1, stop)
    return min(found) if found else -1


def _label(text: str, start: int) -> tuple[int, int] | None:
    if _addressed(text, start):
        return None
    window = text[start : start + MAX_LABEL + 3]
    best = _label_end(window)
    if best < 0 or _sentence_end(window, 0, best) >= 0:
        return None
    label = window[:best].strip()
    folded = label.casefold()
    if any(mark in label for mark in _NOT_IN_LABEL) or folded.endswith(_ATTRIBUTIONS):
        return None
    if folded not in _FROM_LABELS:
        return (start, start + best)
    after = start + best + 1
    while after < len(text) and text[after] in " \t:：-–—":
        after += 1
    stop = after + MAX_LINE
    end = _sentence_end(text, after, stop)
    if end < 0:
        end = min(len(text), stop)
    if end == len(text) and text.endswith("."):
        end -= 1
    return (after, end) if end > after else None


def heading_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) spans of ``text`` that name its sender (see the module)."""
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return ()
    spans = [
        span
        for span in (
            _leading_bracket(text, start),
            _trailing_bracket(text, end),
            _first_line(text, start),
            _label(text, start),
        )
        if span is not None
    ]
    return tuple(sorted(set(spans)))


def in_heading(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of ``spans``."""
    return any(s <= start and end <= e for s, e in spans)
