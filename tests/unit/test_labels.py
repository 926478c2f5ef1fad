"""Reason messages in Chinese show the action's own values in Chinese."""

from __future__ import annotations

from typing import Any

import fair_collect
from fair_collect.labels import label, with_article

NIGHT_CALL: dict[str, Any] = {
    "channel": "call",
    "at": "2026-06-09T23:00:00+08:00",
    "collector": {"type": "first_party_creditor"},
    "recipient": {"role": "borrower", "address": "+8613800001111"},
    "borrower": {"id": "B1", "location": {"country": "CN"}},
    "history": [],
}


def test_a_chinese_reason_names_the_channel_in_chinese() -> None:
    policy = fair_collect.load_policy(["cn"])
    request = {**NIGHT_CALL, "borrower": {**NIGHT_CALL["borrower"], "language": "zh-CN"}}
    (reason,) = policy.check(request).reasons
    assert "（电话）" in reason.message
    assert "call" not in reason.message


def test_an_english_reason_keeps_the_value() -> None:
    (reason,) = fair_collect.load_policy(["cn"]).check(NIGHT_CALL).reasons
    assert reason.message.startswith("A call at 23:00")


def test_labels_fall_back_to_the_value() -> None:
    assert label("channel", "sms", "zh-Hant") == "短信"
    assert label("recipient_role", "contact_list", "zh") == "通讯录联系人"
    assert label("channel", "sms", "en") == "SMS"
    assert label("channel", "call", "en") == "call"
    assert label("channel", "sms", None) == "sms"
    assert label("channel", "carrier_pigeon", "zh") == "carrier_pigeon"


def test_an_english_reason_reads_an_sms_and_an_email() -> None:
    policy = fair_collect.load_policy(["cn"])
    for channel, opening in (("sms", "An SMS at 23:00"), ("email", "An email at 23:00")):
        request = {**NIGHT_CALL, "channel": channel}
        if channel == "email":
            request["recipient"] = {"role": "borrower", "address": "b1@example.com"}
        reasons = policy.check(request).reasons
        assert any(r.message.startswith(opening) for r in reasons), [r.message for r in reasons]


def test_with_article() -> None:
    assert with_article("SMS", "A") == "An"
    assert with_article("email", "a") == "an"
    assert with_article("call", "A") == "A"
    assert with_article("letter", "a") == "a"
