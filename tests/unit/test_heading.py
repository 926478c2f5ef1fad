"""Where a message names its sender (``fair_collect.text.heading``), and the
impersonation rules that count an authority's bare name only there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fair_collect
from fair_collect import Reason
from fair_collect.text.heading import MAX_LABEL, heading_spans, in_heading


def headings(text: str) -> list[str]:
    return [text[s:e] for s, e in heading_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("【朝阳区人民法院】您的欠款已逾期。", ["【朝阳区人民法院】"]),
        ("您的欠款已逾期，请尽快处理。【某某区公安分局】", ["【某某区公安分局】"]),
        ("法院通知：您的借款纠纷已登记。", ["法院通知"]),
        ("SHERIFF'S OFFICE: call 555-0175.", ["SHERIFF'S OFFICE"]),
        (
            "From: U.S. Department of Justice, Debt Unit. Your account is past due.",
            ["U.S. Department of Justice, Debt Unit"],
        ),
        ("U.S. Marshals Service: your account is past due.", ["U.S. Marshals Service"]),
        ("COUNTY COURT NOTICE - your balance is due.", ["COUNTY COURT NOTICE"]),
        ("Office of the Sheriff\nCivil Division\nPay now.", ["Office of the Sheriff"]),
    ],
)
def test_headings_found(text: str, expected: list[str]) -> None:
    found = headings(text)
    for heading in expected:
        assert heading in found


@pytest.mark.parametrize(
    "text",
    [
        # a time is not a label
        "我行法院街支行营业时间9:00-17:00，欢迎前往办理还款。",
        # a clause before the colon is not a label
        "如需办理，请前往法院街支行，营业时间：9点到5点。",
        # advice passed on, not signed
        "警方提示：法院、公安不会通过短信要求您转账。",
        "【国家金融监督管理总局】提示：正规金融机构不会要求您向个人账户还款。",
        # a sentence ends before the colon
        "Please call us today. Office hours: 9 to 5.",
        # the body of a message
        "If anyone claiming to be from the sheriff's office calls, hang up.",
        # a salutation names the person addressed, not the sender
        "Dear Ms. Constable,\n\nYour next payment is scheduled for the 20th.",
        "To: Sheriff's Office, Civil Division\nRe: your request for the payment history.",
        "尊敬的法院执行局王法官：\n我司已收到贵院的协助执行通知书。",
    ],
)
def test_no_heading_where_no_sender_is_named(text: str) -> None:
    spans = heading_spans(text)
    for word in (
        "法院",
        "公安",
        "sheriff",
        "Sheriff",
        "Constable",
        "国家金融监督管理总局",
        "Office",
    ):
        at = text.find(word)
        if at >= 0:
            assert not in_heading(spans, at, at + len(word)), (text, headings(text))


def test_a_salutation_is_a_word_not_a_prefix() -> None:
    # "Tower Recovery" and "Attorney General" open with "to"/"att" but are
    # names: the line is still the letterhead.
    assert headings("Tower County Sheriff\nPay now.") == ["Tower County Sheriff"]
    assert headings("Attorney General's Office\nPay now.") == ["Attorney General's Office"]


def test_long_label_is_not_a_heading() -> None:
    text = "x" * (MAX_LABEL + 5) + ": rest"
    assert headings(text) == []


@given(st.text(max_size=400))
def test_spans_lie_inside_the_text(text: str) -> None:
    for start, end in heading_spans(text):
        assert 0 <= start < end <= len(text)


#: Text that would make headings if it were read: labels, lines, brackets.
_HEADING_MAKERS = st.text(alphabet=":：\n【】[]。. -—|ab法院", max_size=2_000)


@given(st.text(max_size=200), _HEADING_MAKERS, st.text(max_size=200))
def test_only_the_ends_are_read(head: str, middle: str, tail: str) -> None:
    """The middle of a field, past every window, is never read: the spans are
    those of the same field with its middle replaced by plain letters."""
    pad = "a" * 300
    field = head + pad + middle + pad + tail
    plain = head + pad + "a" * len(middle) + pad + tail
    assert heading_spans(field) == heading_spans(plain)


CN_POLICY = fair_collect.load_policy(["cn"])

#: A text message from a Chinese lender to its borrower.
CN_SMS: dict[str, Any] = {
    "channel": "sms",
    "at": "2026-06-09T10:30:00+08:00",
    "purpose": "collection",
    "collector": {"type": "first_party_creditor", "name": "示例消费金融"},
    "recipient": {"role": "borrower", "address": "+8613800009999", "address_kind": "mobile"},
    "borrower": {
        "id": "B1",
        "location": {"country": "CN", "region": "GD"},
        "phones": [{"number": "+8613800009999", "kind": "mobile"}],
    },
    "debts": [{"id": "D1", "kind": "consumer", "amount": "812.00", "currency": "CNY"}],
    "history": [],
}


def impersonation(policy: fair_collect.Policy, request: dict[str, Any]) -> Reason | None:
    """The impersonation reason of the verdict, if it has one."""
    return next((r for r in policy.check(request).reasons if r.code == "impersonation"), None)


def cn_sms(text: str, **overrides: Any) -> dict[str, Any]:
    return {**CN_SMS, "message": {"text": text}, **overrides}


def test_a_signature_in_the_authority_s_name_is_impersonation_with_its_quote() -> None:
    reason = impersonation(CN_POLICY, cn_sms("【某某检察院】关于您的欠款事宜，请尽快回电。"))
    assert reason is not None
    assert "检察院" in " ".join(reason.evidence["quotes"])


@pytest.mark.parametrize(
    "text",
    [
        "【臺北地檢署】您積欠之款項已逾期，請速處理。",
        "金管會通知：您的帳戶已逾期，請儘速還款。",
        "你筆數已經逾期，請即回覆。【香港警務處】",
    ],
)
def test_taiwan_and_hong_kong_authorities_in_a_signature(text: str) -> None:
    assert impersonation(CN_POLICY, cn_sms(text)) is not None


def test_the_same_name_in_the_body_is_not() -> None:
    text = "【示例消费金融】如对催收有异议，可向当地检察院反映。"
    assert impersonation(CN_POLICY, cn_sms(text)) is None


def test_a_law_firm_signature_is_lawful_from_a_law_firm() -> None:
    text = "【某某律师事务所】您的逾期账款已由本所处理，请联系。"
    assert impersonation(CN_POLICY, cn_sms(text)) is not None
    lawyer = {"type": "third_party_collector", "name": "某某律师事务所", "attorney": True}
    assert impersonation(CN_POLICY, cn_sms(text, collector=lawyer)) is None


def test_the_sender_name_is_a_heading_as_a_whole() -> None:
    message = {"text": "您的借款已逾期，请尽快处理。", "sender_name": "某某市公安局经侦支队"}
    assert impersonation(CN_POLICY, cn_sms("", message=message)) is not None


@pytest.mark.parametrize(
    ("text", "impersonates"),
    [
        ("SHERIFF'S OFFICE: call 555-0175 about your unpaid balance.", True),
        ("U.S. Marshals Service: your unpaid balance is due.", True),
        ("Office of the Sheriff\nCivil Division\nYour unpaid balance is due.", True),
        # regulators that lawful notices name before a colon
        ("Contact the Consumer Financial Protection Bureau: 1-855-411-2372.", False),
        ("Federal Trade Commission: www.ftc.gov", False),
        # police in a lender's name
        ("Police and Fire Federal Credit Union: your payment of $120 is due.", False),
    ],
)
def test_english_headings(
    federal: fair_collect.Policy,
    request_for: Callable[..., dict[str, Any]],
    text: str,
    impersonates: bool,
) -> None:
    letter = request_for(
        channel="letter",
        recipient={"role": "borrower", "address": "1 Main St", "address_kind": "home"},
        message={"text": text, "envelope_text": "PO Box 1, New York, NY 10001"},
    )
    assert (impersonation(federal, letter) is not None) is impersonates
