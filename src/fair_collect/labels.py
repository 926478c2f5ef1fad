"""Words for request values in the languages reason messages are written in.

A reason message fills placeholders such as ``{channel}`` and
``{recipient_role}`` from the request. The request's values are identifiers
(``sms``, ``contact_list``); a message shows them as words: "SMS" and
"contact-list entry" in English, 短信 and 通讯录联系人 in Chinese. Values
without a label here are shown as they are.

``with_article`` puts "a" or "an" before an English label, so that a template
written "A {channel} at ..." reads "An SMS at ..." and "An email at ...".
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["label", "with_article"]

_ZH: Mapping[str, Mapping[str, str]] = {
    "channel": {
        "call": "电话",
        "voicemail": "语音留言",
        "sms": "短信",
        "email": "电子邮件",
        "letter": "信函",
        "postcard": "明信片",
        "visit": "上门",
        "social_media": "社交媒体",
        "instant_message": "即时通讯",
        "app_push": "应用推送",
        "credit_report": "征信报送",
        "lawsuit": "诉讼",
    },
    "recipient_role": {
        "borrower": "借款人",
        "co_borrower": "共同借款人",
        "spouse": "配偶",
        "parent_of_minor": "未成年人的父母",
        "guardian": "监护人",
        "executor": "遗产执行人",
        "attorney": "律师",
        "employer": "雇主",
        "coworker": "同事",
        "emergency_contact": "紧急联系人",
        "reference": "联系人",
        "contact_list": "通讯录联系人",
        "family": "家人",
        "neighbour": "邻居",
        "guarantor": "担保人",
        "other": "其他人",
    },
    "purpose": {
        "collection": "催收",
        "location_information": "查找债务人联系方式",
        "response_to_consumer": "答复借款人",
        "opt_out_confirmation": "确认退订",
        "cease_notice": "停止联系通知",
        "required_disclosure": "法定告知",
        "payment_confirmation": "还款确认",
    },
}

_EN: Mapping[str, Mapping[str, str]] = {
    "channel": {
        "sms": "SMS",
        "social_media": "social media",
        "instant_message": "instant message",
        "app_push": "app push notification",
        "credit_report": "credit report",
    },
    "recipient_role": {
        "co_borrower": "co-borrower",
        "parent_of_minor": "parent of a minor",
        "emergency_contact": "emergency contact",
        "contact_list": "contact-list entry",
    },
    "purpose": {
        "location_information": "location information",
        "response_to_consumer": "response to the consumer",
        "opt_out_confirmation": "opt-out confirmation",
        "cease_notice": "cease notice",
        "required_disclosure": "required disclosure",
        "payment_confirmation": "payment confirmation",
    },
}

_BY_LANGUAGE: Mapping[str, Mapping[str, Mapping[str, str]]] = {"zh": _ZH, "en": _EN}

#: Initialisms read letter by letter that take "an" although they start with a
#: consonant letter. (No label starts with a vowel letter and takes "a".)
_AN_INITIALISMS = ("SMS", "MMS", "RCS")


def label(field: str, value: str, language: str | None) -> str:
    """``value`` of request ``field`` in ``language`` (its base: ``zh-Hant`` is
    ``zh``), or the value itself when no label is known."""
    if not language:
        return value
    table = _BY_LANGUAGE.get(language.split("-")[0].lower())
    if table is None:
        return value
    return table.get(field, {}).get(value, value)


def with_article(text: str, article: str) -> str:
    """``article`` ("a" or "A") corrected for the English word that follows it:
    "an" before a vowel sound (``with_article("SMS", "A") == "An"``)."""
    first = text[:1]
    an = first.lower() in ("a", "e", "i", "o", "u") or text.startswith(_AN_INITIALISMS)
    if not an:
        return article
    return "An" if article[:1].isupper() else "an"
