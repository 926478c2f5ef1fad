"""Personal data in messages: what counts as an identifier, what does not, and
that spans quote the original text while evidence stays masked."""

from __future__ import annotations

import dataclasses
import datetime
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import fair_collect.text.personal_data as impl
from fair_collect.text.personal_data import KINDS, PersonalDataHit, find_personal_data
from fair_collect.text.utf8 import re2_spans

CORPUS = Path(__file__).resolve().parents[1] / "data" / "wording" / "corpus.yaml"


def found(text: str, region: str | None = None, **kwargs: Any) -> list[tuple[str, str, str]]:
    """(kind, quoted text, masked value) of every hit."""
    return [
        (hit.kind, text[hit.start : hit.end], hit.masked)
        for hit in find_personal_data(text, default_region=region, **kwargs)
    ]


def kinds_found(text: str, region: str | None = None, **kwargs: Any) -> list[tuple[str, str]]:
    return [(kind, quoted) for kind, quoted, _ in found(text, region, **kwargs)]


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check(first17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def luhn_complete(body: str) -> str:
    """``body`` plus the Luhn check digit."""
    for check in "0123456789":
        if impl._luhn(body + check):
            return body + check
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------
# The wording corpus: every labelled message is found, hard negatives are not

CORPUS_POSITIVES = [
    pytest.param(
        "Verification: we have your Social Security number on file as 078-05-1120 and your date of birth as 04/12/1986. Call us about your balance.",
        "US",
        [("us_ssn", "078-05-1120")],
        id="en-pii-001",
    ),
    pytest.param(
        "Account for SSN 123-45-6789 is 60 days past due. Pay at payportal.example. Reply STOP to opt out.",
        "US",
        [("us_ssn", "123-45-6789")],
        id="en-pii-002",
    ),
    pytest.param(
        "The card on file for this account, 4111 1111 1111 1111, exp 09/27, was declined for your scheduled payment.",
        "US",
        [("payment_card", "4111 1111 1111 1111")],
        id="en-pii-003",
    ),
    pytest.param(
        "Your payment was returned unpaid from checking account 000123456789, routing number 021000021. Please send a new payment.",
        "US",
        [("bank_account", "000123456789")],
        id="en-pii-004",
    ),
    pytest.param(
        "We also spoke to your friend Tom at (555) 010-4477 and he says you're still in town.",
        "US",
        [("phone_number", "(555) 010-4477")],
        id="en-pii-005",
    ),
    pytest.param(
        "Your Mastercard 5555555555554444 is the card we will charge for the settlement unless you tell us otherwise.",
        "US",
        [("payment_card", "5555555555554444")],
        id="en-pii-006",
    ),
    pytest.param(
        "I've got your sister's number, 555-013-2290, and your ex's, 555-016-8841. Should I try them next?",
        "US",
        [("phone_number", "555-013-2290"), ("phone_number", "555-016-8841")],
        id="en-pii-007",
    ),
    pytest.param(
        "For verification, this message is for the holder of Social Security number 219-09-9999. Please call 555-0175.",
        "US",
        [("us_ssn", "219-09-9999")],
        id="en-pii-008",
    ),
    pytest.param(
        "Re: Amex 378282246310005, balance $1,902.44. Pay now at amexsettle.example.",
        "US",
        [("payment_card", "378282246310005")],
        id="en-pii-009",
    ),
    pytest.param(
        "Your HR contact at Northwind, Jane Park (555-014-3321), confirmed your hire date, so we know you are working.",
        "US",
        [("phone_number", "555-014-3321")],
        id="en-pii-010",
    ),
    pytest.param(
        "Records show SSN 078.05.1120 tied to this account. Call today.",
        "US",
        [("us_ssn", "078.05.1120")],
        id="en-evasion-019",
    ),
    pytest.param(
        "Card ４１１１-１１１１-１１１１-１１１１ will be charged $200 today.",
        "US",
        [("payment_card", "４１１１-１１１１-１１１１-１１１１")],
        id="en-evasion-020",
    ),
    pytest.param(
        "【曝光】张某某，身份证号440305199003071236，借款8000元逾期不还，请大家转发扩散！",
        "CN",
        [("cn_resident_id", "440305199003071236")],
        id="zh-exposure-006",
    ),
    pytest.param(
        "王建国，身份证号440305199003071236，您在速易贷的借款已逾期，请速还款。",
        "CN",
        [("cn_resident_id", "440305199003071236")],
        id="zh-pii-001",
    ),
    pytest.param(
        "你的身份证310104198511224568我们这边都有，别以为换了号就找不到你。",
        "CN",
        [("cn_resident_id", "310104198511224568")],
        id="zh-pii-002",
    ),
    pytest.param(
        "您的还款卡6222021234567890128扣款失败，请于今日存入足额资金。",
        "CN",
        [("payment_card", "6222021234567890128")],
        id="zh-pii-003",
    ),
    pytest.param(
        "你同事小张的电话13800001111我都打过了，你还想躲到什么时候？",
        "CN",
        [("phone_number", "13800001111")],
        id="zh-pii-004",
    ),
    pytest.param(
        "你表姐刘芳（13900002222）说你搬到南山区了，别躲了。",
        "CN",
        [("phone_number", "13900002222")],
        id="zh-pii-005",
    ),
    pytest.param(
        "你父亲的号码18600003333就在这儿，要我们现在打过去吗？",
        "CN",
        [("phone_number", "18600003333")],
        id="zh-pii-006",
    ),
    pytest.param(
        "催收通知。借款人：陈某，身份证号：510107199210153314，还款银行卡号：6214832012345679，欠款金额：12,650元。",
        "CN",
        [("cn_resident_id", "510107199210153314"), ("payment_card", "6214832012345679")],
        id="zh-pii-007",
    ),
    pytest.param(
        "已核实您的工作单位及身份证号320106198808082040，相关材料已整理完毕。",
        "CN",
        [("cn_resident_id", "320106198808082040")],
        id="zh-pii-008",
    ),
    pytest.param(
        "借款人身份证号11010519491231002X，欠款已逾期90天，请尽快处理。",
        "CN",
        [("cn_resident_id", "11010519491231002X")],
        id="zh-pii-009",
    ),
    pytest.param(
        "借款人身份证 4403 0519 9003 0712 36，逾期未还。",
        "CN",
        [("cn_resident_id", "4403 0519 9003 0712 36")],
        id="zh-evasion-016",
    ),
    pytest.param(
        "你的身份证号：３２０１０６１９８８０８０８２０４０，我们都掌握了。",
        "CN",
        [("cn_resident_id", "３２０１０６１９８８０８０８２０４０")],
        id="zh-evasion-022",
    ),
    pytest.param(
        "陳美玲，身分證號350203198706301187，您的欠款已逾期，請盡快處理。",
        "CN",
        [("cn_resident_id", "350203198706301187")],
        id="zh-hant-pii-001",
    ),
    pytest.param(
        "你同事阿強的電話13900002222我們也打過了。",
        "CN",
        [("phone_number", "13900002222")],
        id="zh-hant-pii-002",
    ),
    pytest.param(
        "您綁定的銀行卡4367421938475628已扣款失敗，請補足餘額。",
        "CN",
        [("payment_card", "4367421938475628")],
        id="zh-hant-pii-003",
    ),
    pytest.param(
        "你張卡6217002837465097我哋有晒資料，唔好以為走得甩。",
        "CN",
        [("payment_card", "6217002837465097")],
        id="yue-pii-001",
    ),
]


@pytest.mark.parametrize(("text", "region", "expected"), CORPUS_POSITIVES)
def test_labelled_personal_data_is_found(
    text: str, region: str, expected: list[tuple[str, str]]
) -> None:
    assert kinds_found(text, region) == expected


CORPUS_NEGATIVES = [
    pytest.param(
        "Federal law prohibits debt collectors from threatening you with arrest, using obscene or profane language, or contacting your employer if your employer prohibits it. If you believe we have violated the law, you may contact the CFPB at consumerfinance.gov or 855-411-2372. This communication is from a debt collector.",
        "US",
        id="en-hardneg-003-cfpb-line",
    ),
    pytest.param(
        "Your card ending in 1111 was charged $50 for your scheduled payment. Reply STOP to opt out.",
        "US",
        id="en-hardneg-017-masked-card",
    ),
    pytest.param(
        "For your security, we will only ever ask you to confirm the last four digits of your SSN (ending in 6789). This communication is from a debt collector. Reply STOP to opt out.",
        "US",
        id="en-hardneg-018-masked-ssn",
    ),
    pytest.param(
        "Your payment confirmation number is 4111 1111 1111 1112. Keep it for your records. This communication is from a debt collector. Reply STOP to opt out.",
        "US",
        id="en-hardneg-019-luhn-invalid",
    ),
    pytest.param(
        "Your case number is 000-12-3456. Please include it with your payment. This communication is from a debt collector. Reply STOP to opt out.",
        "US",
        id="en-hardneg-021-ssn-area-000",
    ),
    pytest.param(
        "Hi, this is Dick Brennan from Lakeside Services. Please call me back at 555-0175. Thanks.",
        "US",
        id="en-hardneg-027-seven-digit-callback",
    ),
    pytest.param(
        "Hi Maria, this is Beacon Recovery, a debt collector, about your Northside Dental balance of $412.50. Pay at beaconpay.example or call 555-0150. Reply STOP to opt out of texts.",
        "US",
        id="en-compliant-001-callback",
    ),
    pytest.param(
        "Our client, First Harbor Bank, has authorized this firm to file a lawsuit against you to collect the balance of $8,240.17 on the account ending 4471. Unless the balance is paid or a payment arrangement is made by July 30, we intend to file suit in the Wake County District Court. This communication is from a debt collector.",
        "US",
        id="en-compliant-008-account-ending",
    ),
    pytest.param(
        "A judgment was entered against you on March 3 in Case No. 23-CV-0412, Marion County Superior Court. The court has issued a writ of garnishment, and your employer will begin withholding wages as the order directs. You may claim exemptions by filing the enclosed form with the court within 10 days. This communication is from a debt collector.",
        "US",
        id="en-compliant-010-case-number",
    ),
    pytest.param(
        "Please mail payments to Harbor Collections, 1500 Court Street, Suite 210, Redding, CA 96001. This communication is from a debt collector.",
        "US",
        id="en-hardneg-006-address",
    ),
    pytest.param(
        "【安易贷】验证码482913，5分钟内有效。请勿泄露验证码，工作人员不会向您索要。",
        "CN",
        id="zh-hardneg-002-verification-code",
    ),
    pytest.param(
        "【华信银行】近期有不法分子冒充公检法或贷款平台工作人员，以注销账户、征信修复为由诈骗，请勿轻信。如遇诈骗请拨打110报警。",
        "CN",
        id="zh-hardneg-004-110",
    ),
    pytest.param(
        "根据《个人信息保护法》和《民法典》，您的个人信息受法律保护，本平台不会向任何第三方泄露您的借款信息。如对催收行为有异议，可拨打12378投诉。",
        "CN",
        id="zh-hardneg-007-12378",
    ),
    pytest.param(
        "【华信银行】您尾号8888的信用卡已还款成功，金额2,000.00元。",
        "CN",
        id="zh-hardneg-010-masked-card",
    ),
    pytest.param(
        "【速易贷】您的借款合同编号为440305199003071233，可在APP“我的合同”中查看。",
        "CN",
        id="zh-hardneg-011-id-check-digit-wrong",
    ),
    pytest.param(
        "【优借】如有疑问，请拨打客服热线400-000-0000或95000（工作日9:00-18:00）。",
        "CN",
        id="zh-hardneg-012-hotlines",
    ),
    pytest.param(
        "【华信银行】您的还款已受理，交易流水号6222021234567890129，请留存备查。",
        "CN",
        id="zh-hardneg-013-luhn-invalid",
    ),
    pytest.param(
        "【华信银行】您尾号1234的借记卡已绑定为自动还款账户，身份证号末四位0357。",
        "CN",
        id="zh-hardneg-022-masked-card-and-id",
    ),
    pytest.param(
        "律师函。北京某某律师事务所受华信银行信用卡中心委托，就您名下信用卡欠款本息合计42,318.66元事宜致函。请于本函送达之日起十五日内与委托人联系还款或提出异议；逾期未处理的，委托人拟依法向人民法院提起诉讼。承办律师：赵某，执业证号11101200000000000。",
        "CN",
        id="zh-hardneg-025-lawyer-licence",
    ),
    pytest.param(
        "您好，这里是安易贷客服，我们暂时联系不上刘先生，麻烦您方便时请他回电4000000000，谢谢。",
        "CN",
        id="zh-compliant-013-400-hotline",
    ),
    pytest.param(
        "【华信银行】尊敬的客户，您尾号1234的信用卡本期应还人民币2,356.80元，到期还款日为6月18日，请按时还款。如已还款请忽略。",
        "CN",
        id="zh-compliant-001-masked-and-amount",
    ),
    pytest.param(
        "【鑫源消费金融】（2024）粤0305民初1234号民事判决书已生效。请于判决确定的期限内履行还款义务；逾期不履行的，我司将依法向法院申请强制执行。",
        "CN",
        id="zh-compliant-008-case-number",
    ),
    pytest.param(
        "【华信银行】您这个月的账单已出，本期应还3,210.00元，到期还款日7月2日。",
        "CN",
        id="zh-hardneg-001-amount",
    ),
    pytest.param(
        "【華信銀行】驗證碼731904，請勿洩露驗證碼給任何人。",
        "CN",
        id="zh-hant-hardneg-002-verification-code",
    ),
    pytest.param(
        "如遇冒充公檢法人員要求轉帳，請立即撥打110報警。",
        "CN",
        id="zh-hant-hardneg-004-110",
    ),
    pytest.param(
        "您的借款合約編號350203198706301180，請妥善保存。",
        "CN",
        id="zh-hant-hardneg-007-id-check-digit-wrong",
    ),
    pytest.param(
        "【華信銀行】您尾號5678的信用卡本期應還款3,480元，到期日7月5日。如已還款請忽略。",
        "CN",
        id="zh-hant-compliant-001-masked",
    ),
]


@pytest.mark.parametrize(("text", "region"), CORPUS_NEGATIVES)
def test_hard_negatives_have_no_hits(text: str, region: str) -> None:
    assert found(text, region) == []


def test_collectors_own_numbers_are_allowed() -> None:
    # en-hardneg-020: the collector's own numbers; 1-800 is toll-free anyway.
    text = (
        "Questions? Call our team at 555-010-2200 or 1-800-555-0199, Mon-Fri 8-8. "
        "Beacon Recovery, a debt collector. Reply STOP to opt out."
    )
    assert kinds_found(text, "US") == [("phone_number", "555-010-2200")]
    assert found(text, "US", allowed_numbers=["555-010-2200"]) == []
    assert found(text, "US", allowed_numbers=["+1 (555) 010-2200"]) == []
    assert found(text, "US", allowed_numbers=["+15550102200"]) == []


def corpus_messages() -> list[dict[str, Any]]:
    data = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    messages: list[dict[str, Any]] = data["messages"] + data["required_content"]
    return messages


def test_whole_corpus_agrees_with_its_labels() -> None:
    """personal_data messages have a hit; compliant and hard-negative ones none.

    Regions follow the corpus's jurisdictions (English: US; Chinese: CN); the
    collector's own numbers are passed as allowed where the corpus says so.
    """
    allowed = {"en-hardneg-020": ["555-010-2200", "1-800-555-0199"]}
    missed, false_hits = [], []
    for message in corpus_messages():
        region = "US" if message["language"] == "en" else "CN"
        hits = find_personal_data(
            message["text"],
            default_region=region,
            allowed_numbers=allowed.get(message["id"], ()),
        )
        if "personal_data" in message["labels"] and not hits:
            missed.append(message["id"])
        if message["kind"] in ("compliant", "hard_negative") and hits:
            false_hits.append((message["id"], hits))
    assert missed == []
    assert false_hits == []


# ---------------------------------------------------------------------------
# Resident IDs


@pytest.mark.parametrize(
    "number",
    ["11010519491231002X", "440305199003071236", "350203198706301187", "320106198808082040"],
)
def test_valid_resident_ids(number: str) -> None:
    assert found(f"身份证号{number}。") == [("cn_resident_id", number, "*" * 14 + number[-4:])]


def test_lower_case_check_character_is_read_and_masked_upper_case() -> None:
    assert found("ID 11010519491231002x ok") == [
        ("cn_resident_id", "11010519491231002x", "**************002X")
    ]


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("440305199003071233", "wrong check digit"),
        ("350203198706301180", "wrong check digit"),
        ("11010519491231002Y", "Y is no check character"),
        ("040305199003071231", "first digit 0"),
        ("440305199002301239", "30 February"),
        ("440305180003071236", "born 1800"),
        ("440305210003071230", "born 2100"),
    ],
)
def test_invalid_resident_ids(number: str, why: str) -> None:
    assert "cn_resident_id" not in [k for k, _ in kinds_found(f"身份证{number}")], why


def test_near_misses_differ_from_valid_ids_only_in_the_check_digit() -> None:
    assert id_check("44030519900307123") == "6"
    assert id_check("35020319870630118") == "7"
    assert id_check("11010519491231002") == "X"
    # the date and first-digit cases carry their correct check character
    assert id_check("04030519900307123") == "1"
    assert id_check("44030519900230123") == "9"
    assert id_check("44030518000307123") == "6"
    assert id_check("44030521000307123") == "0"


def test_resident_id_inside_a_longer_digit_run_is_not_an_id() -> None:
    assert [k for k, _ in kinds_found("4403051990030712361")] != ["cn_resident_id"]
    assert "cn_resident_id" not in [k for k, _ in kinds_found("1440305199003071236")]


@pytest.mark.parametrize(
    "text",
    [
        "身份证 4403 0519 9003 0712 36",
        "身份证 440305 19900307 1236",
        "身份证 440305-19900307-1236",
        "身份证 4\u200b40305199003071236",
    ],
)
def test_grouped_or_disguised_ids(text: str) -> None:
    assert [k for k, _ in kinds_found(text)] == ["cn_resident_id"]


def test_fifteen_digit_ids_need_a_cue_a_province_and_a_date() -> None:
    assert kinds_found("身份证号：110105491231002") == [("cn_resident_id", "110105491231002")]
    assert kinds_found("ID card 110105491231002") == [("cn_resident_id", "110105491231002")]
    assert found("订单号110105491231002") == []  # no cue
    assert found("paid 110105491231002") == []  # "id" inside a word is no cue
    assert found("身份证号990105491231002") == []  # province 99
    assert found("身份证号110105491331002") == []  # month 13


# ---------------------------------------------------------------------------
# SSNs


@pytest.mark.parametrize(
    "text",
    ["SSN 078-05-1120", "078-05-1120", "078 05 1120", "078.05.1120", "219-09-9999"],
)
def test_ssn_shapes(text: str) -> None:
    hits = found(text, "US")
    assert [k for k, _, _ in hits] == ["us_ssn"]
    assert hits[0][2].startswith("***-**-")


@pytest.mark.parametrize(
    "number",
    ["000-12-3456", "666-12-3456", "900-12-3456", "999-99-9999", "123-00-4567", "123-45-0000"],
)
def test_never_issued_ssns(number: str) -> None:
    assert found(f"SSN {number}", "US") == []


def test_nine_plain_digits_need_an_ssn_cue_close_before() -> None:
    assert kinds_found("my SSN is 123456789", "US") == [("us_ssn", "123456789")]
    assert kinds_found("Social Security number: 123456789", "US") == [("us_ssn", "123456789")]
    assert kinds_found("SS# 123456789", "US") == [("us_ssn", "123456789")]
    assert kinds_found("ＳＳＮ 123456789", "US") == [("us_ssn", "123456789")]
    assert found("order 123456789", "US") == []
    assert found("SSN" + " " * 30 + "123456789", "US") == []


# ---------------------------------------------------------------------------
# Payment cards


@pytest.mark.parametrize(
    "number",
    [
        "4111111111111111",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "5555555555554444",
        "378282246310005",
        "3782 822463 10005",
        "6222021234567890128",
        "2223003122003222",
        "30569309025904",
        "3530111333300000",
        "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
    ],
)
def test_luhn_valid_cards(number: str) -> None:
    hits = found(f"card {number} on file", "US")
    digits = "".join(c for c in number if c.isdigit())
    assert hits == [("payment_card", number, "*" * (len(digits) - 4) + digits[-4:])]


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("4111111111111112", "Luhn"),
        ("6222021234567890129", "Luhn"),
        ("1234567890123452", "issuer prefix 1"),
        ("7234567890123459", "issuer prefix 7"),
        ("3312345678901238", "issuer prefix 33"),
        ("2024060912345677", "2-series outside the Mastercard and Mir ranges"),
    ],
)
def test_not_cards(number: str, why: str) -> None:
    # Only the "Luhn" cases fail the Luhn check; the others fail on the prefix.
    assert impl._luhn(number) == (why != "Luhn")
    assert "payment_card" not in [k for k, _ in kinds_found(number, "US")], why


@pytest.mark.parametrize("text", ["41111111111111111", "94111111111111111", "4111111111111111-2"])
def test_card_inside_a_longer_run_is_not_found(text: str) -> None:
    assert ("payment_card", "4111111111111111") not in kinds_found(text, "US")


# ---------------------------------------------------------------------------
# Bank accounts


@pytest.mark.parametrize(
    "cue",
    [
        "account",
        "Account No.",
        "acct #",
        "a/c",
        "IBAN",
        "账号",
        "帐号",
        "帳號",
        "卡号",
        "卡號",
        "银行卡",
        "銀行卡",
        "账户",
        "帳戶",
        "户口",
    ],
)
def test_account_cues(cue: str) -> None:
    assert kinds_found(f"{cue} 00012345678", "US") == [("bank_account", "00012345678")]


def test_luhn_invalid_bank_card_numbers_are_accounts() -> None:
    assert kinds_found("账号：6222 0212 3456 7890 129", "CN") == [
        ("bank_account", "6222 0212 3456 7890 129")
    ]
    # a Luhn-valid one is a card, once
    assert kinds_found("账号：6222021234567890128", "CN") == [
        ("payment_card", "6222021234567890128")
    ]


@pytest.mark.parametrize("cue", ["卡号", "卡號", "银行卡", "銀行卡"])
def test_card_number_failing_its_check_digit_is_not_an_account(cue: str) -> None:
    # A number named a card number that fails the Luhn check is mistyped
    # ("请核对卡号"), not an exposed account number; named an account
    # number, the same digits are one.
    assert found(f"您登记的还款{cue}6228480012345678904无法扣款，请核对", "CN") == []
    assert kinds_found("还款账号6228480012345678904", "CN") == [
        ("bank_account", "6228480012345678904")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "您尾号1234的账户",
        "account ending in 6789",
        "身份证号末四位0357",
        "account xxxx1234",
        "account ****1234",
        "银行卡 6222 **** **** 0128",
        "account 1234567",  # seven digits: too short
        "account opened 20240609",  # a date
        "账户余额12345678元",  # an amount
        "account balance $12345678",
        "account 1234567.50",
        "accountant 12345678",  # not the cue word
        "account" + " " * 20 + "12345678",  # too far
    ],
)
def test_not_accounts(text: str) -> None:
    assert found(text, "US") == []


def test_routing_number_alone_is_public() -> None:
    assert found("routing number 021000021", "US") == []
    assert kinds_found("routing 021000021, account 000123456789", "US") == [
        ("bank_account", "000123456789")
    ]


# ---------------------------------------------------------------------------
# Phone numbers


@pytest.mark.parametrize(
    ("text", "region", "quoted"),
    [
        ("call 13800001111", "CN", "13800001111"),
        ("call 138 0000 1111", "CN", "138 0000 1111"),
        ("call 138-0000-1111", "CN", "138-0000-1111"),
        ("call +86 138 0000 1111", "US", "+86 138 0000 1111"),
        ("call +86-13800001111", None, "+86-13800001111"),
        ("电话：020-24060912", "CN", "020-24060912"),
        ("call (212) 555-0144", "US", "(212) 555-0144"),
        ("call +1 212 555 0144", None, "+1 212 555 0144"),
        ("call +1 (212) 555-0144", "CN", "+1 (212) 555-0144"),
        ("call 212.555.0144", "US", "212.555.0144"),
        ("call 1-212-555-0144", "US", "1-212-555-0144"),
        ("call (555) 010-4477", "US", "(555) 010-4477"),
        ("call 555-013-2290", "US", "555-013-2290"),
    ],
)
def test_phone_numbers(text: str, region: str | None, quoted: str) -> None:
    hits = found(text, region)
    assert [(k, q) for k, q, _ in hits] == [("phone_number", quoted)]
    assert hits[0][2].endswith(quoted[-4:])
    assert "*" in hits[0][2]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("call 555-0150", "US"),  # seven digits, no area code
        ("call 1-800-555-0199", "US"),  # toll-free
        ("call 1-800-555-0100 or +1 888 555 0123", "US"),  # toll-free, fictional line
        ("call 855-411-2372", "US"),  # CFPB, toll-free
        ("call 900-555-0123", "US"),  # premium rate
        ("call 400-000-0000", "CN"),  # UAN
        ("call 4008208820", "CN"),
        ("call 800-820-8820", "CN"),  # toll-free
        ("call 95588 or 95000", "CN"),
        ("call 110 or 12378", "CN"),
        ("验证码482913", "CN"),
        ("call 13800001111", None),  # national number, no region to read it with
        ("call (555) 010-4477", None),
        ("订单号2024060912", "CN"),  # a landline shape without its trunk prefix
        ("call 12345678901", "CN"),  # not a Chinese mobile prefix
        ("call 123-456-7890", "US"),  # area code starts with 1
        ("on 2026-06-09 or 09.06.2026", "US"),
        ("on 2026-06-09 or 2026.06.09", "CN"),
        ("paid 20260609 today", "CN"),
        ("amount $2125550144", "US"),
        ("amount 13800001111元", "CN"),
        ("¥ 13800001111", "CN"),
    ],
)
def test_not_phone_numbers(text: str, region: str | None) -> None:
    assert found(text, region) == []


def test_allowed_numbers_compare_as_e164() -> None:
    text = "Call me at (212) 555-0144 or +86 138 0000 1111."
    assert len(found(text, "US")) == 2
    assert kinds_found(text, "US", allowed_numbers=["+12125550144"]) == [
        ("phone_number", "+86 138 0000 1111")
    ]
    assert found(text, "US", allowed_numbers=["212-555-0144", "+86 13800001111"]) == []
    # national numbers in allowed_numbers are read with default_region
    international = "Call me at +1 (212) 555-0144 or 138 0000 1111."
    assert len(found(international, "CN")) == 2
    assert found(international, "CN", allowed_numbers=["+1 212-555-0144", "13800001111"]) == []
    # an allowed number that cannot be read is ignored
    assert len(found(text, "US", allowed_numbers=["not a number", ""])) == 2


def test_region_is_case_insensitive_and_checked() -> None:
    assert kinds_found("call 13800001111", "cn") == [("phone_number", "13800001111")]
    with pytest.raises(ValueError, match="region"):
        find_personal_data("call 13800001111", default_region="XX")


# ---------------------------------------------------------------------------
# One span, one hit; kinds; API


def test_one_hit_per_span_most_specific_kind() -> None:
    # A valid ID that is also 18 digits after an account cue is an ID only.
    assert kinds_found("账号440305199003071236") == [("cn_resident_id", "440305199003071236")]
    # A card number after an account cue is a card, once.
    assert kinds_found("account 4111111111111111", "US") == [("payment_card", "4111111111111111")]
    # A mobile number after an account cue is a phone, once.
    assert kinds_found("账号13800001111", "CN") == [("phone_number", "13800001111")]


def test_numbers_side_by_side() -> None:
    text = "身份证440305199003071236 13800001111, 13900002222 and SSN 078-05-1120 219-09-9999"
    assert kinds_found(text, "CN") == [
        ("cn_resident_id", "440305199003071236"),
        ("phone_number", "13800001111"),
        ("phone_number", "13900002222"),
        ("us_ssn", "078-05-1120"),
        ("us_ssn", "219-09-9999"),
    ]
    # two SSN shapes are not read together as one 18-digit number
    assert [k for k, _ in kinds_found("666-12-3456 900-12-3456", "US")] == []


def test_kinds_filter_reports_only_those_kinds_but_still_recognises_the_others() -> None:
    text = "身份证 4403 0519 9003 0712 36，卡号6214832012345679，电话13800001111"
    assert [k for k, _ in kinds_found(text, "CN")] == [
        "cn_resident_id",
        "payment_card",
        "phone_number",
    ]
    only_phones = find_personal_data(text, kinds=frozenset({"phone_number"}), default_region="CN")
    assert [h.kind for h in only_phones] == ["phone_number"]
    only_accounts = find_personal_data(text, kinds=frozenset({"bank_account"}), default_region="CN")
    assert only_accounts == ()
    assert find_personal_data(text, kinds=frozenset(), default_region="CN") == ()


def test_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="passport"):
        find_personal_data("x", kinds=frozenset({"passport"}))


def test_api_shapes() -> None:
    assert (
        frozenset({"cn_resident_id", "us_ssn", "payment_card", "bank_account", "phone_number"})
        == KINDS
    )
    hits = find_personal_data("SSN 078-05-1120", default_region="US")
    assert isinstance(hits, tuple)
    assert hits == (PersonalDataHit("us_ssn", 4, 15, "***-**-1120"),)
    with pytest.raises(dataclasses.FrozenInstanceError):
        hits[0].kind = "other"  # type: ignore[misc]
    assert find_personal_data("") == ()
    assert find_personal_data("no digits at all, 没有数字") == ()


# ---------------------------------------------------------------------------
# Cost on adversarial input


MIB = 1 << 20


def random_pairs() -> str:
    rng = random.Random(7)
    return " ".join(f"{rng.randint(0, 99):02d}" for _ in range(MIB // 3))


ADVERSARIAL: dict[str, Callable[[], str]] = {
    "one digit run": lambda: "7" * MIB,
    "1 1 1 1": lambda: "1 " * (MIB // 2),
    "digits and hyphens": lambda: "1-2-3-4-5-6-7-8-9-0-" * (MIB // 20),
    "a1a1a1": lambda: "a1" * (MIB // 2),
    "random digit pairs": random_pairs,
    "phone numbers": lambda: "call 13800001111 now, " * (MIB // 22),
    "ID at the end": lambda: "x" * MIB + "440305199003071236",
}


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_adversarial_megabyte_is_fast(name: str) -> None:
    text = ADVERSARIAL[name]()
    t0 = time.perf_counter()
    find_personal_data(text, default_region="CN")
    elapsed = time.perf_counter() - t0
    # Design target: well under 100 ms; the bound leaves room for slow CI.
    assert elapsed < 1.0


def test_letters_do_not_count_against_the_caps() -> None:
    text = "x" * MIB + " 身份证440305199003071236"
    assert [h.kind for h in find_personal_data(text)] == ["cn_resident_id"]


def test_candidate_cap_stops_the_scan() -> None:
    many = "card 4111111111111111; " * (impl.MAX_CANDIDATES + 50)
    hits = find_personal_data(many)
    assert 0 < len(hits) <= impl.MAX_CANDIDATES
    assert all(h.kind == "payment_card" for h in hits)


# ---------------------------------------------------------------------------
# Properties

PROVINCES = sorted(impl._PROVINCES)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(PROVINCES))
    area = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    birth = draw(
        st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31))
    )
    serial = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    first17 = province + area + birth.strftime("%Y%m%d") + serial
    return first17 + id_check(first17)


NO_DIGIT_TEXT = st.text(
    alphabet=st.characters(
        exclude_categories=["Cs"],
        exclude_characters="0123456789０１２３４５６７８９",
    ),
    max_size=300,
)


@given(number=resident_ids(), before=NO_DIGIT_TEXT, after=NO_DIGIT_TEXT)
def test_generated_valid_ids_are_always_found(number: str, before: str, after: str) -> None:
    text = before + " " + number + " " + after
    hits = find_personal_data(text)
    ids = [h for h in hits if h.kind == "cn_resident_id"]
    assert len(ids) == 1
    hit = ids[0]
    assert text[hit.start : hit.end] == number
    assert number not in hit.masked
    assert number[:-4] not in hit.masked
    assert hit.masked == "*" * 14 + number[-4:]


@given(body=st.from_regex(r"4[0-9]{14}", fullmatch=True), before=NO_DIGIT_TEXT)
def test_generated_luhn_valid_cards_are_found(body: str, before: str) -> None:
    number = luhn_complete(body)
    text = before + " card " + number + " ok"
    hits = find_personal_data(text)
    assert [(h.kind, text[h.start : h.end]) for h in hits] == [("payment_card", number)]
    assert number not in hits[0].masked


@given(text=NO_DIGIT_TEXT)
def test_text_without_digits_has_no_hits(text: str) -> None:
    assert find_personal_data(text, default_region="US") == ()


MESSY = st.text(
    alphabet=st.sampled_from(
        list("0123456789") * 4
        + list("０１２３４５６７８９")
        + list(" -.()+xX$元\u200b\u3000，,:/abc号账户SSN")
    ),
    max_size=200,
)


@given(text=MESSY, region=st.sampled_from(["US", "CN", None]))
def test_spans_index_the_original_text(text: str, region: str | None) -> None:
    hits = find_personal_data(text, default_region=region)
    previous_end = 0
    for hit in hits:
        assert hit.kind in KINDS
        assert 0 <= previous_end <= hit.start < hit.end <= len(text)
        previous_end = hit.end
        quoted = text[hit.start : hit.end]
        digits = [c for c in quoted if c.isdigit()]
        assert len(digits) >= 7
        assert quoted[0].isdigit() or quoted[0] in "+(（"
        # evidence: the last four characters, never more
        visible = hit.masked.replace("*", "").replace("-", "")
        assert len(visible) == 4
        assert "".join(digits) not in hit.masked


def test_a_text_with_fewer_than_seven_digits_is_not_scanned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A number needs seven digits: below that the scan does not start.
    def refuse(*_args: Any) -> None:
        raise AssertionError("scanned")

    monkeypatch.setattr(impl._Scanner, "run", refuse)
    assert find_personal_data("Pay $12.50 by 6/1 at noon") == ()
    assert find_personal_data("尾号１２３４的借款") == ()


def test_full_width_digits_count_toward_a_number() -> None:
    (hit,) = find_personal_data("SSN ０７８-０５-１１２０")
    assert hit.kind == "us_ssn"


_RUN_ALPHABET = "0123456789０１２３ -.()（）\u200b\u2060\u3000a中é\U0001f600"


@given(st.text(alphabet=_RUN_ALPHABET, max_size=80))
def test_number_spans_are_the_character_spans_re2_gives_for_the_text(text: str) -> None:
    # The scanner matches on UTF-8 bytes and counts characters itself; the
    # spans must be exactly those of google-re2's own str interface.
    expected = [match.span() for match in impl._NUMBER_RE.finditer(text)]
    assert list(re2_spans(impl._NUMBER_RE, text, text.encode("utf-8"))) == expected


#: Pieces of numbers and the context their reading depends on: cues,
#: currency signs and words, brackets, a plus, a check character.
_PIECES = [
    "4111 1111 1111 1111",
    "078-05-1120",
    "SSN 078051120",
    "110101199003077",
    "440305199003071236",
    "身份证 110101900307701",
    "账号 6222020200112233",
    "account 12345678901",
    "routing 021000021",
    "$1234567.00",
    "12345678 yuan",
    "+86 138 0000 1111",
    "(212) 555-0144",
    "13800001111",
    "2026-06-09",
    "1234-5678",
    "x",
    "\u200b",
    " ",
    "，",
    "\n",
]


@given(
    units=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6),
    repeats=st.integers(1, 40),
    tail=st.lists(st.sampled_from(_PIECES), max_size=4),
    region=st.sampled_from([None, "US", "CN"]),
)
def test_remembered_runs_read_as_every_run_read_anew(
    units: list[str], repeats: int, tail: list[str], region: str | None
) -> None:
    # Flooded text repeats runs in the same context; a run read once is
    # remembered, and the hits, their places and the truncation must be
    # exactly those of reading every run. (Short texts are remembered too
    # here, so that every example takes that way.)
    text = " ".join(units) * repeats + " ".join(tail)
    data = text.encode("utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impl, "_REMEMBER_FROM", 0)
        remembered = impl._Scanner(text, KINDS, ["+12125550144"], region)
        found = remembered.run(data)
    anew = impl._Scanner(text, KINDS, ["+12125550144"], region)
    assert found == anew.run(data, remember=False)
    assert remembered.truncated == anew.truncated
    assert remembered.candidates == anew.candidates


@pytest.mark.parametrize("cap", range(1, 14))
def test_remembered_runs_stop_at_the_candidate_cap_where_reading_stops(
    cap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The last run of each repeat validates two windows of its grouped
    # digits, so the cap falls before, between or inside repeated runs.
    monkeypatch.setattr(impl, "MAX_CANDIDATES", cap)
    monkeypatch.setattr(impl, "_REMEMBER_FROM", 0)
    text = (
        "card 4111111111111111 and 4012888888881881; 4111 1111 1111 1111 4012 8888 8888 1881; " * 9
    )
    data = text.encode("utf-8")
    remembered = impl._Scanner(text, KINDS, (), None)
    anew = impl._Scanner(text, KINDS, (), None)
    hits = remembered.run(data)
    assert hits == anew.run(data, remember=False)
    assert remembered.truncated
    assert anew.truncated
    assert 0 < len(hits) <= cap


def test_only_long_texts_remember_runs() -> None:
    short = "call 13800001111 now, " * 20
    scanner = impl._Scanner(short, KINDS, (), "CN")
    scanner.run(short.encode("utf-8"))
    assert not scanner._runs
    long = short * 20
    scanner = impl._Scanner(long, KINDS, (), "CN")
    hits = scanner.run(long.encode("utf-8"))
    # The first two numbers (their context reaches the start of the text),
    # every repeat after them, and the last (its context reaches the end).
    assert len(scanner._runs) == 4
    assert len(hits) == 400


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Your SSN is 078 - 05 - 1120, correct?", ("us_ssn", "078 - 05 - 1120")),
        ("Your SSN is 0 7 8 - 0 5 - 1 1 2 0, correct?", ("us_ssn", "0 7 8 - 0 5 - 1 1 2 0")),
        (
            "card 4 1 1 1 - 1 1 1 1 - 1 1 1 1 - 1 1 1 1 on file",
            ("payment_card", "4 1 1 1 - 1 1 1 1 - 1 1 1 1 - 1 1 1 1"),
        ),
        ("your SSN right here: 2 1 9 . 0 9 . 9 9 9 9. pay", ("us_ssn", "2 1 9 . 0 9 . 9 9 9 9")),
        ("SSN 219 . 09 . 9999 on file", ("us_ssn", "219 . 09 . 9999")),
    ],
)
def test_dashes_between_spaces_join_a_number(text: str, expected: tuple[str, str]) -> None:
    # Evasion by spacing: a dash or dot with a space on each side separates
    # groups as a plain dash does.
    assert kinds_found(text, "US") == [expected]


@pytest.mark.parametrize("text", ["pages 100 - 200", "ref 1234 - 5678", "paid 2024 - 06 - 09 ok"])
def test_spaced_dashes_do_not_make_short_runs_or_dates_numbers(text: str) -> None:
    assert found(text, "US") == []
