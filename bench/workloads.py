"""Deterministic workloads for the benchmark (``bench/run.py``).

* W1: single pre-send checks: calls, voicemails, texts, emails and letters to
  borrowers in US states (with and without a state pack) or in China, with
  0-30 earlier contacts, attorney and cease situations, and messages of
  50-400 characters in English or Chinese, some with threats.
* W2: the same generator with another seed, for ``check_many`` over many
  requests.
* W3: wording-heavy input: texts and emails whose 250-400 character messages
  carry several listed phrases, and message bodies of 300, 3,000 and 30,000
  characters for the analysis and linearity measurements.

Every generator takes a seed and returns the same requests for the same seed
and count. ``validate`` runs each request through ``fair_collect``'s request
model once: a request the model refuses is a bug in the generator.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import fair_collect

SEED = 20261130

#: (region, ZIP code, phone prefix, zone). The prefixes are area codes whose
#: every exchange lies in the ZIP code's zone, so the borrower's zone is not in
#: doubt unless a request deliberately mixes areas (see ``_us_borrower``).
US_AREAS = (
    ("NY", "10001", "+1212555", "America/New_York"),  # New York City: city and state packs
    ("CA", "94105", "+1415555", "America/Los_Angeles"),
    ("MA", "02108", "+1617555", "America/New_York"),
    ("WA", "98101", "+1206555", "America/Los_Angeles"),
    ("IL", "60601", "+1312555", "America/Chicago"),
    ("TX", "75201", "+1214555", "America/Chicago"),
    ("FL", "33101", "+1305555", "America/New_York"),
    ("AZ", "85001", "+1602555", "America/Phoenix"),
    ("CO", "80202", "+1303555", "America/Denver"),
)
CN_PREFIXES = ("+86138", "+86139", "+86186", "+86158")

#: Threat phrases of the subset's word list (``bench/subset_pack``); the peers
#: match the same list (``bench/peers/facts.py``).
THREATS_EN = (
    "break your legs",
    "we know where you live",
    "you will go to jail",
    "a warrant for your arrest",
    "burn your house down",
    "we will hurt you",
    "you will regret this",
    "we will come to your house",
)
THREATS_ZH = (
    "打断你的腿",
    "让你坐牢",
    "爆你通讯录",
    "上门找你",
    "出门小心点",
    "你家住哪我们都清楚",
    "后果自负",
)

FILLER_EN = (
    "Hello, this is Example Recovery about your account.",
    "Your balance of ${amount} is past due.",
    "Please call us back at your convenience.",
    "You can pay online at example.com/pay or set up a plan.",
    "If you dispute this debt, tell us in writing.",
    "Our office is open Monday to Friday.",
    "Reply STOP to opt out of text messages.",
    "Example Recovery is a debt collector.",
    "Thank you for your prompt attention to this matter.",
    "We can offer a reduced settlement if you reply this week.",
    "Your reference number is {ref}.",
    "A payment of ${small} would bring the account current.",
)
FILLER_ZH = (
    "【示例消费金融】尊敬的客户您好。",
    "您尾号{ref}的借款本期应还{amount}元。",
    "请您按时还款，避免产生逾期费用。",
    "如您暂时无法全额还款，可通过APP申请分期还款计划。",
    "如有疑问请拨打客服热线咨询。",
    "我们不会向任何第三方泄露您的借款信息。",
    "感谢您的支持与配合，祝您生活愉快。",
    "本短信由系统自动发送，请勿直接回复。",
    "回复TD退订。",
    "您也可以在工作日联系您的专属客户经理。",
)
#: Wording the shipped packs list (for W3's many hits): false legal threats,
#: exposure, insults, third-party threats.
HEAVY_EN = (
    "You deadbeat, we will post your debt on Facebook.",
    "We will call your employer and tell your boss.",
    "Pay now or we will garnish your wages.",
    "The police are already involved.",
    "We will tell your family and your neighbours.",
)
HEAVY_ZH = (
    "你这个老赖。",
    "我们就把你的照片挂到网上曝光。",
    "再打电话到你单位让你领导知道。",
    "案件已移交公安机关。",
    "征信黑名单也上了。",
)


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        amount=f"{rng.randrange(50, 5000)}.{rng.randrange(100):02d}",
        small=f"{rng.randrange(20, 200)}.00",
        ref=f"{rng.randrange(1000, 9999)}",
    )


def message_text(
    rng: random.Random,
    chinese: bool,
    length: int,
    threats: int,
    heavy: bool = False,
) -> str:
    """A message of about ``length`` characters (never more) holding ``threats``
    threat phrases, each in a sentence of its own."""
    filler = FILLER_ZH if chinese else FILLER_EN
    sentences: list[str] = []
    for _ in range(threats):
        if chinese:
            sentences.append(f"{rng.choice(THREATS_ZH)}。")
        else:
            phrase = rng.choice(THREATS_EN)
            if rng.random() < 0.5:
                phrase = phrase[0].upper() + phrase[1:]
            sentences.append(f"{phrase}{rng.choice('.!')}")
    if heavy:
        sentences.extend(rng.sample(HEAVY_ZH if chinese else HEAVY_EN, 2))
    rng.shuffle(sentences)
    joiner = "" if chinese else " "
    text = joiner.join(sentences)
    while True:
        sentence = _fill(rng, rng.choice(filler))
        grown = len(text) + len(joiner) + len(sentence) if text else len(sentence)
        if grown > 400 or (grown > length and len(text) >= 50):
            break
        # Filler goes before or after the threats, never inside a phrase.
        if text and rng.random() < 0.5:
            text = f"{sentence}{joiner}{text}"
        else:
            text = f"{text}{joiner}{sentence}" if text else sentence
    return text


def _us_borrower(rng: random.Random, index: int) -> tuple[dict[str, Any], str, str]:
    region, zip_code, prefix, zone = rng.choice(US_AREAS)
    number = f"{prefix}{rng.randrange(100, 200):04d}"
    phones = [{"number": number, "kind": "mobile"}]
    if rng.random() < 0.1:
        # A mobile from another area: the action must suit both zones.
        other = rng.choice(US_AREAS)[2]
        number = f"{other}{rng.randrange(100, 200):04d}"
        phones = [{"number": number, "kind": "mobile"}]
    elif rng.random() < 0.2:
        phones.append({"number": f"{prefix}{rng.randrange(100, 200):04d}", "kind": "landline"})
    borrower = {
        "id": f"B{index}",
        "location": {"country": "US", "region": region, "postal_code": zip_code},
        "phones": phones,
        "emails": [{"address": f"b{index}@example.com", "kind": "personal_email"}],
    }
    return borrower, number, zone


def _cn_borrower(rng: random.Random, index: int) -> tuple[dict[str, Any], str, str]:
    number = f"{rng.choice(CN_PREFIXES)}{rng.randrange(10_000_000, 100_000_000)}"
    borrower = {
        "id": f"B{index}",
        "location": {"country": "CN"},
        "phones": [{"number": number, "kind": "mobile"}],
        "emails": [{"address": f"b{index}@example.cn", "kind": "personal_email"}],
        "language": "zh",
    }
    return borrower, number, "Asia/Shanghai"


_CALL_OUTCOMES = (
    ["no_answer"] * 10
    + ["voicemail"] * 3
    + ["busy"] * 2
    + ["limited_content_message", "not_in_service"]
    + ["conversation"]
)


def _history(
    rng: random.Random, at: datetime, count: int, number: str, email: str, debts: list[str]
) -> list[dict[str, Any]]:
    events = []
    for _ in range(count):
        when = at - timedelta(minutes=rng.randrange(10, 60 * 24 * 10))
        channel = rng.choices(["call", "voicemail", "sms", "email"], [60, 15, 20, 5])[0]
        if channel in ("call", "voicemail"):
            outcome: str | None = rng.choice(_CALL_OUTCOMES)
        elif channel == "sms":
            outcome = "delivered"
        else:
            outcome = rng.choice(["delivered", "opened"])
        if rng.random() < 0.03:
            outcome = None  # not recorded: counted conservatively
        event: dict[str, Any] = {
            "at": when.astimezone(ZoneInfo("UTC")).isoformat()
            if rng.random() < 0.5
            else when.isoformat(),
            "channel": channel,
            "direction": "outbound" if rng.random() < 0.9 else "inbound",
            "recipient_role": "borrower",
            "address": email if channel == "email" else number,
            "debt_ids": [rng.choice(debts)],
        }
        if outcome is not None:
            event["outcome"] = outcome
        if rng.random() < 0.03:
            del event["debt_ids"]  # no debt recorded: counts against every debt
        events.append(event)
    events.sort(key=lambda e: e["at"])
    return events


def make_request(
    rng: random.Random,
    index: int,
    *,
    wording_heavy: bool = False,
) -> dict[str, Any]:
    """One request; ``wording_heavy`` makes a text or email with a long, loaded message."""
    chinese_borrower = rng.random() < 0.25
    borrower, number, zone_name = (_cn_borrower if chinese_borrower else _us_borrower)(rng, index)
    zone = ZoneInfo(zone_name)
    if wording_heavy:
        channel = rng.choice(["sms", "email"])
    else:
        channel = rng.choices(["call", "voicemail", "sms", "email", "letter"], [45, 10, 25, 15, 5])[
            0
        ]
    # Mostly summer days; a fifth around the end of daylight saving time.
    if rng.random() < 0.8:
        day = datetime(2026, 6, 1) + timedelta(days=rng.randrange(0, 90))
    else:
        day = datetime(2026, 10, 22) + timedelta(days=rng.randrange(0, 20))
    local = day.replace(hour=rng.randrange(6, 24), minute=rng.randrange(0, 60), tzinfo=zone)
    at = local
    if not chinese_borrower and rng.random() < 0.3:
        at = local.astimezone(ZoneInfo("America/New_York"))  # the collector's clock
    debts = [{"id": "D1", "kind": rng.choice(["credit_card", "medical", "personal_loan"])}]
    if rng.random() < 0.4:
        debts.append({"id": "D2", "kind": rng.choice(["credit_card", "medical"])})
    debt_names = [d["id"] for d in debts]
    email = borrower["emails"][0]["address"]
    request: dict[str, Any] = {
        "channel": channel,
        "at": at.isoformat(),
        "collector": {
            "type": rng.choice(["third_party_collector", "third_party_collector", "debt_buyer"]),
            "name": "示例资产管理有限公司" if chinese_borrower else "Example Recovery LLC",
        },
        "borrower": borrower,
        "debts": debts,
    }
    if rng.random() < 0.85:
        request["debt_ids"] = [rng.choice(debt_names)]
    if channel in ("call", "voicemail", "sms"):
        request["recipient"] = {"role": "borrower", "address": number, "address_kind": "mobile"}
    elif channel == "email":
        request["recipient"] = {
            "role": "borrower",
            "address": email,
            "address_kind": "personal_email",
        }
    else:
        request["recipient"] = {"role": "borrower", "address": "1 Main St", "address_kind": "home"}
    if channel == "email" and rng.random() < 0.05:
        request["purpose"] = "cease_notice"
    request["history"] = _history(
        rng, at, rng.randrange(0, 31), number, email, debt_names
    )  # 0-30 events

    situation = rng.random()
    if situation < 0.05:
        rep: dict[str, Any] = {}
        if rng.random() < 0.6:
            rep["debt_ids"] = [rng.choice(debt_names)]
        if rng.random() < 0.15:
            rep["attorney_known"] = False
        if rng.random() < 0.1:
            rep["attorney_consented"] = True
        if rng.random() < 0.3:
            rep["attorney_last_communicated_at"] = (
                at - timedelta(days=rng.randrange(5, 60))
            ).isoformat()
            rep["attorney_responded"] = rng.choice([False, False, True])
        borrower["represented_by_attorney"] = rep
    elif situation < 0.09:
        cease: dict[str, Any] = {
            "received_at": (at + timedelta(hours=rng.randrange(-500, 24))).isoformat(),
            "in_writing": rng.random() < 0.8,
        }
        if rng.random() < 0.5:
            cease["debt_ids"] = [rng.choice(debt_names)]
        borrower["cease_request"] = cease

    with_message = (
        wording_heavy
        or channel in ("sms", "email", "letter")
        or (channel == "voicemail" and rng.random() < 0.3)
        or (channel == "call" and rng.random() < 0.2)
    )
    if with_message:
        chinese_text = rng.random() < (0.95 if chinese_borrower else 0.1)
        if wording_heavy:
            length, threats = rng.randrange(250, 401), rng.choice([0, 1, 2, 3])
        else:
            length, threats = rng.randrange(50, 401), (1 if rng.random() < 0.15 else 0)
        message: dict[str, Any] = {
            "text": message_text(rng, chinese_text, length, threats, heavy=wording_heavy)
        }
        if channel == "email" and rng.random() < 0.5:
            message["subject"] = "账户提醒" if chinese_text else "About your account"
        request["message"] = message
    return request


def w1_requests(count: int, seed: int = SEED) -> list[dict[str, Any]]:
    """W1: ``count`` single pre-send checks."""
    rng = random.Random(seed)
    return [make_request(rng, i) for i in range(count)]


def w2_requests(count: int, seed: int = SEED + 2) -> Iterator[dict[str, Any]]:
    """W2: ``count`` requests for ``check_many``, generated lazily (same generator as W1)."""
    rng = random.Random(seed)
    for i in range(count):
        yield make_request(rng, i)


def w3_requests(count: int, seed: int = SEED + 3) -> list[dict[str, Any]]:
    """W3: texts and emails with long messages and many listed phrases."""
    rng = random.Random(seed)
    return [make_request(rng, i, wording_heavy=True) for i in range(count)]


def w3_texts(length: int, count: int, chinese: bool, seed: int = SEED + 4) -> list[str]:
    """W3: ``count`` message bodies of exactly ``length`` characters, each with a
    threat or another listed phrase in about every second sentence."""
    rng = random.Random(seed + length + (1 if chinese else 0))
    heavy = HEAVY_ZH if chinese else HEAVY_EN
    threats = THREATS_ZH if chinese else THREATS_EN
    filler = FILLER_ZH if chinese else FILLER_EN
    joiner = "" if chinese else " "
    end = "。" if chinese else "."
    texts = []
    for _ in range(count):
        parts: list[str] = []
        size = 0
        while size < length:
            roll = rng.random()
            if roll < 0.25:
                part = rng.choice(threats) + end
            elif roll < 0.5:
                part = rng.choice(heavy)
            else:
                part = _fill(rng, rng.choice(filler))
            parts.append(part)
            size += len(part) + len(joiner)
        texts.append(joiner.join(parts)[:length])
    return texts


def validate(requests: list[dict[str, Any]]) -> None:
    """Run every request through the request model (``InputError`` is a generator bug)."""
    for request in requests:
        fair_collect.parse_request(request)
