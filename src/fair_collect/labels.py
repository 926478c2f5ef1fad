"""Words for request values in the languages reason messages are written in.

A reason message fills placeholders such as ``{channel}`` and
``{recipient_role}`` from the request. In an English message the value
itself reads well enough ("call", "contact_list"); in a Chinese message it
should be Chinese (电话, 通讯录联系人). Values without a label here are shown
as they are.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["label"]

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

_BY_LANGUAGE: Mapping[str, Mapping[str, Mapping[str, str]]] = {"zh": _ZH}


def label(field: str, value: str, language: str | None) -> str:
    """``value`` of request ``field`` in ``language`` (its base: ``zh-Hant`` is
    ``zh``), or the value itself when no label is known."""
    if not language:
        return value
    table = _BY_LANGUAGE.get(language.split("-")[0].lower())
    if table is None:
        return value
    return table.get(field, {}).get(value, value)
