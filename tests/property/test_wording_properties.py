"""Invariants of the content rules on the shipped packs.

* A violation stays a violation whatever ordinary sentences surround it: a
  negation never reaches across a sentence end, so text before or after
  cannot clear it.
* Disguising a violation with invisible characters or full-width letters
  changes nothing.
* Personal data is never quoted whole in a verdict.
* Any text at all gets a verdict, never an exception (bad input is an
  ``InputError``; text is never bad input).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fair_collect

POLICY = fair_collect.load_policy()

VIOLATIONS_EN = [
    ("We will break your legs.", "violence_threat"),
    ("You will be arrested tomorrow.", "false_legal_threat"),
    ("Listen, you deadbeat.", "profanity_insult"),
    ("We will post your debt on Facebook.", "shaming_exposure"),
    ("We'll call your employer about this debt.", "third_party_threat"),
]
VIOLATIONS_ZH = [
    ("再不还钱，小心我们打断你的腿。", "violence_threat"),
    ("今天不还款，等着坐牢吧。", "false_legal_threat"),
    ("你这个老赖。", "profanity_insult"),
    ("明天就爆你通讯录。", "shaming_exposure"),
]
FILLER = st.lists(
    st.sampled_from(
        [
            "Thank you.",
            "Your balance is $120.",
            "We will not call after 9 pm.",
            "Never share your password.",
            "Call us at 555-0150.",
            "谢谢您的配合。",
            "我们不会向第三方透露您的信息。",
            "如有疑问请联系客服。",
        ]
    ),
    max_size=4,
)


def request(text: str, chinese: bool) -> dict[str, Any]:
    return {
        "channel": "sms",
        "at": "2026-06-09T10:30:00+08:00" if chinese else "2026-06-09T10:30:00-04:00",
        "jurisdictions": ["CN" if chinese else "US"],
        "collector": {"type": "third_party_collector"},
        "recipient": {"role": "borrower"},
        "message": {"text": text},
    }


def codes(text: str, chinese: bool) -> set[str]:
    return {r.code for r in POLICY.lint(request(text, chinese)).reasons}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(VIOLATIONS_EN + VIOLATIONS_ZH), FILLER, FILLER)
def test_surrounding_sentences_never_clear_a_violation(
    violation: tuple[str, str], before: list[str], after: list[str]
) -> None:
    text, code = violation
    chinese = not text.isascii()
    assert code in codes(" ".join([*before, text, *after]), chinese)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(VIOLATIONS_EN),
    st.lists(st.sampled_from(["\u200b", "\u200d", "\u2060", "\u00ad"]), min_size=1, max_size=3),
    st.booleans(),
)
def test_invisible_characters_and_full_width_change_nothing(
    violation: tuple[str, str], invisible: list[str], wide: bool
) -> None:
    text, code = violation
    disguised = "".join(ch + ("".join(invisible) if ch.isalpha() else "") for ch in text)
    if wide:
        disguised = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in disguised)
    assert code in codes(disguised, chinese=False)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=100_000_000, max_value=899_999_999))
def test_identifiers_are_never_quoted_whole(number: int) -> None:
    ssn = f"{number // 1_000_000:03d}-{number // 10_000 % 100:02d}-{number % 10_000:04d}"
    verdict = POLICY.lint(request(f"Your SSN {ssn} is on file.", chinese=False))
    dumped = json.dumps(verdict.model_dump(mode="json"))
    assert ssn not in dumped
    assert ssn.replace("-", "") not in dumped


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400), st.booleans())
def test_any_text_gets_a_verdict(text: str, chinese: bool) -> None:
    verdict = POLICY.lint(request(text, chinese))
    assert verdict.outcome in ("allow", "deny")
    for reason in verdict.reasons:
        for span in reason.evidence.get("spans", []):
            if "quote" in span and "start" in span:
                assert text[span["start"] : span["end"]] == span["quote"]


# Pieces that mix listed wording, negations and scripts the word lists never
# use (Korean, Greek, Devanagari, Latin extended, rare Han characters,
# emoji, symbols): their bytes are read as stand-ins by the automaton.
_SCRIPT_PIECES = [
    "we will sue you",
    "arrest",
    "not",
    "爆通讯录",
    "坐牢",
    "不会",
    "가나다",
    "λόγος",
    "कखग",
    "ŀłŉ",
    "龘靐",
    "😀",
    "~^|",
    " ",
    ".",
    "e\u0301",
    "1234",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SCRIPT_PIECES), max_size=40))
def test_bytes_no_key_holds_are_read_as_stand_ins_without_changing_a_hit(
    pieces: list[str],
) -> None:
    # Reference: the same lexicon reading every byte as it is.
    lexicon = POLICY.lexicon
    plain = copy.copy(lexicon)
    identity = bytes(range(256))
    plain._matcher = lexicon._matcher._replace(fold=identity)  # type: ignore[union-attr]
    plain._near_matcher = lexicon._near_matcher._replace(fold=identity)  # type: ignore[union-attr]
    text = "".join(pieces)
    found, expected = lexicon.scan(text), plain.scan(text)
    assert [h._where for h in found] == [h._where for h in expected]
    assert [(h.term, h.negated) for h in found] == [(h.term, h.negated) for h in expected]
    assert found.truncated == expected.truncated
