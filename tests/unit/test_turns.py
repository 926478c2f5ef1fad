"""Transcripts: the other party's words are not the collector's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fair_collect
from fair_collect.text.turns import MAX_LABELS, collector_speech


@pytest.fixture(scope="module")
def policy() -> fair_collect.Policy:
    return fair_collect.load_policy()


@pytest.fixture
def lint_codes(
    policy: fair_collect.Policy, request_for: Callable[..., dict[str, Any]]
) -> Callable[..., set[str]]:
    """The reason codes of ``lint`` on a call (the shared base request)
    carrying ``text``, other top-level keys replaced by ``more``."""

    def codes(text: str, **more: Any) -> set[str]:
        action = request_for(message={"text": text}, **more)
        return {reason.code for reason in policy.lint(action).reasons}

    return codes


#: The harassment codes the transcript tests look at.
CONTENT = {"profanity_insult", "false_legal_threat", "violence_threat"}


def test_the_consumers_words_do_not_deny_the_call(lint_codes: Callable[..., set[str]]) -> None:
    text = (
        "Consumer: Am I going to jail over this? This is bullshit.\n"
        "Collector: No. Nobody goes to jail over a credit card bill. "
        "Let's find a payment that works for you."
    )
    assert lint_codes(text) & CONTENT == set()


def test_the_collectors_words_in_a_transcript_still_deny(
    lint_codes: Callable[..., set[str]],
) -> None:
    text = "Consumer: I can't pay this week.\nCollector: Then you'll go to jail, you deadbeat."
    assert lint_codes(text) & CONTENT == {"profanity_insult", "false_legal_threat"}


def test_without_a_collector_label_nothing_is_blanked(lint_codes: Callable[..., set[str]]) -> None:
    # One speaker label alone does not make a transcript.
    text = "Consumer: you deadbeat, pay now."
    assert collector_speech(text) == text
    assert lint_codes(text) & CONTENT == {"profanity_insult"}


def test_only_the_labelled_line_is_blanked() -> None:
    # A letter header naming the borrower hides its own line, never the body.
    text = (
        "Agent: R. Smith (ID 40)\nBorrower: Jane Doe\nPay by Friday or we will have you arrested."
    )
    spoken = collector_speech(text)
    assert spoken.splitlines()[1].strip() == ""
    assert spoken.endswith("Pay by Friday or we will have you arrested.")


def test_chinese_and_bracketed_labels() -> None:
    text = "[00:00:05] 催收员：您好，请问是张先生吗？\n借款人（张三）：你们这帮骗子！\n催收员：您先别着急。"
    spoken = collector_speech(text)
    assert "骗子" not in spoken
    assert "您先别着急" in spoken
    assert "您好" in spoken


def test_labels_are_matched_whole_and_case_blind() -> None:
    text = "COLLECTOR: hello\nconsumer: no\nConsumers: yes"
    assert collector_speech(text).splitlines() == [" " * 10 + " hello", " " * 12, "Consumers: yes"]


def test_the_collectors_label_is_not_part_of_what_is_said() -> None:
    text = "催收员：请问是刘先生吗？\n接听人：打错了。\n催收员：抱歉打扰了。"
    assert collector_speech(text) == "    请问是刘先生吗？\n        \n    抱歉打扰了。"


def test_a_wrong_number_call_transcript_discloses_nothing(
    lint_codes: Callable[..., set[str]],
) -> None:
    # The label 催收员 would read as debt wording; the callee never hears it.
    text = "催收员：请问是刘浩先生吗？\n接听人：打错了，我不认识这个人。\n催收员：抱歉打扰您了，我们不会再联系您。"
    codes = lint_codes(
        text,
        recipient={"role": "other", "address": "+8613900002222", "address_kind": "mobile"},
        borrower={"id": "B1", "location": {"country": "CN", "region": "BJ"}},
    )
    assert "third_party_disclosure" not in codes


@given(
    st.text(
        alphabet=st.sampled_from("ab :：\n\tCollector Consumer 催收员借款人（）()[]"), max_size=200
    )
)
def test_blanking_keeps_every_offset(text: str) -> None:
    spoken = collector_speech(text)
    assert len(spoken) == len(text)
    for kept, original in zip(spoken, text, strict=True):
        assert kept == original or kept == " "
        assert (kept == "\n") == (original == "\n")


def test_a_location_call_transcript_is_read_as_the_collector_speaks(
    lint_codes: Callable[..., set[str]],
) -> None:
    # The label "Collector:" is not said to the receptionist: the call asks
    # for location information only and names no debt.
    text = (
        "Collector: Hi, this is Marcus. I'm trying to confirm that Lisa Tran works here.\n"
        "Receptionist: What is this about?\n"
        "Collector: It's a personal matter. If she could call me at 555-0136, I'd appreciate it."
    )
    employer = {"role": "employer", "address": "+12125550144", "address_kind": "work_phone"}
    codes = lint_codes(text, purpose="location_information", recipient=employer)
    assert "location_contact_mentions_debt" not in codes
    # Said aloud, "collector" reveals the debt.
    said = "Receptionist: What is this about?\nCollector: I'm a debt collector calling for Lisa."
    codes = lint_codes(said, purpose="location_information", recipient=employer)
    assert "location_contact_mentions_debt" in codes


def test_a_flood_of_labels_is_read_whole() -> None:
    # Past MAX_LABELS speaker labels the text is no call: nothing is left
    # out (the stricter reading).
    flood = "Collector: pay\nConsumer: no\n" * (MAX_LABELS // 2 + 1)
    assert collector_speech(flood) == flood
    short = "Collector: pay\nConsumer: no\n" * (MAX_LABELS // 2 - 1)
    assert "Consumer" not in collector_speech(short)


def test_offsets_hold_after_wide_characters() -> None:
    text = "催收员：您好。\n借款人：滚！\nCollector: 😀 fine\nConsumer: damn"
    spoken = collector_speech(text)
    assert spoken.splitlines() == ["    您好。", " " * 6, " " * 10 + " 😀 fine", " " * 14]


def test_turns_written_on_one_line(lint_codes: Callable[..., set[str]]) -> None:
    # A label after a sentence end opens a turn on the same line; the other
    # side's turn runs to the next label.
    text = (
        "Borrower: So you're gonna throw me in jail? Agent: No, sir. "
        "Nobody goes to jail over a credit card."
    )
    assert collector_speech(text).lstrip().startswith("No, sir.")
    assert lint_codes(text) & CONTENT == set()
    both = "Consumer: damn! Collector: ok? Consumer: hell no. Collector: fine"
    assert collector_speech(both).split() == ["ok?", "fine"]
    # A label inside a sentence is no label.
    assert collector_speech("Agent: call the consumer: now.") == "Agent: call the consumer: now."


def test_a_call_script_in_one_voice_is_read_without_its_labels(
    lint_codes: Callable[..., set[str]],
) -> None:
    # A call to the borrower's employer asking only where he works: the label
    # 催收员 is the script's, never heard by the receptionist.
    text = "催收员：您好，请问张浩先生现在还在贵公司任职吗？麻烦您转告他回电，谢谢。"
    assert collector_speech(text, spoken=True).startswith("    您好")
    # Sent as a text message, the label is what the recipient reads.
    assert collector_speech(text) == text
    employer = {"role": "employer", "address": "+8613900002222", "address_kind": "work_phone"}
    borrower = {"id": "B1", "location": {"country": "CN", "region": "GD"}}

    def disclosure(channel: str) -> bool:
        codes = lint_codes(text, channel=channel, recipient=employer, borrower=borrower)
        return "third_party_disclosure" in codes

    assert not disclosure("call")
    assert disclosure("sms")


def test_chinese_turns_on_one_line() -> None:
    text = "借款人：你们是黑社会吧！催收员：理解您的心情，我们只想确认还款安排。"
    assert collector_speech(text).split() == ["理解您的心情，我们只想确认还款安排。"]
