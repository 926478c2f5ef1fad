"""Cost of ``fair_collect.text.personal_data.find_personal_data``.

Run: ``python bench/bench_personal_data.py`` (after ``pip install -e .``). Prints:

* median and p99 µs per call for 300-character messages: English and
  Chinese without digits (the fast path), with ordinary numbers (amounts,
  dates, a callback number), and with identifiers (SSN, card, ID, phone).
  Each kind has several variants so that nothing is measured on one string
  only. Phone look-ups are cached across calls (a collector's numbers repeat
  from message to message); ``cold`` rows clear that cache before each call;
* each row is the round (``--rounds``) with the lowest median, as this
  machine's speed drifts within a run;
* for 1 MiB of adversarial text of each kind (long digit runs, ``1 1 1 1``,
  digits alternating with hyphens, phone-shaped and card-shaped numbers by
  the thousand): ms per call, best of a few runs, and the number of hits.

The design target is tens of µs for a 300-character message and well under
100 ms for 1 MiB. This machine's speed drifts; the speed reference
(``sum(range(1000))``) is printed before and after to compare runs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

import fair_collect.text.personal_data as impl
from fair_collect.text.personal_data import find_personal_data

MIB = 1 << 20

PLAIN_EN = (
    "Hello {name}, this is Example Recovery, a debt collector, about your account with "
    "Northside Dental. Please pay online at example.com/pay or call us back during business "
    "hours; we are glad to set up a payment plan that fits your budget. Reply STOP to opt out "
    "of texts. Thank you for your prompt attention to this matter."
)
PLAIN_ZH = (
    "{name}您好，这里是华信银行信用卡中心，提醒您本期账单已经出账，请您按时还款，避免产生逾期记录。"
    "如您暂时有困难，可以在手机银行申请分期或者延期还款，我们会尽力为您提供帮助。"
    "如已还款请忽略本短信，感谢您的支持与配合，祝您生活愉快，工作顺利，万事如意。"
    "温馨提示：请通过官方渠道还款，切勿向任何个人账户转账；如接到自称工作人员的可疑来电，"
    "请挂断后通过官方客服核实。我们将依法保护您的个人信息，不会向任何第三方泄露您的借款信息。"
    "本短信由系统自动发送，请勿直接回复，谢谢您的理解与支持，期待为您提供更好的服务。"
    "如您对账单有任何疑问，欢迎在工作日上午九点至下午六点之间通过手机银行在线客服咨询，我们将竭诚为您服务。"
)
NUMBERS_EN = (
    "Hello {name}, this is Example Recovery, a debt collector. Your balance of ${amount} on "
    "the account ending {acct} is past due since 2026-06-0{day}. Please call 555-01{line} "
    "between 8am and 9pm, Mon-Fri, or pay at example.com/pay. A payment of $75.00 by 7/20 "
    "keeps the plan active. Reply STOP to opt out. Thank you."
)
NUMBERS_ZH = (
    "{name}您好，您尾号{acct}的信用卡本期应还人民币{amount}元，到期还款日为6月1{day}日，"
    "请按时还款。如有疑问请拨打客服热线400-000-0000或95588（工作日9:00-18:00），"
    "验证码{code}五分钟内有效。如已还款请忽略本短信，感谢您的支持与配合。"
    "温馨提示：请通过官方渠道还款，切勿向任何个人账户转账；如接到自称工作人员的可疑来电，"
    "请挂断后通过官方客服核实。我们将依法保护您的个人信息，不会向任何第三方泄露您的借款信息。"
    "本短信由系统自动发送，请勿直接回复，谢谢您的理解与支持。"
    "如您对账单有任何疑问，欢迎在工作日上午九点至下午六点之间通过手机银行在线客服咨询，我们将竭诚为您服务。"
)
IDENT_EN = (
    "Hello {name}, records show SSN 078-05-1120 and the card 4111 1111 1111 1111 on this "
    "account. We also spoke to your friend at (555) 010-{phone}, who says you still live "
    "here. Your balance of ${amount} is past due. Call 555-0150 to avoid further action. "
    "This communication is from a debt collector."
)
IDENT_ZH = (
    "{name}，身份证号440305199003071236，您在速易贷的借款{amount}元已逾期，还款银行卡号"
    "6214832012345679扣款失败。你同事小张的电话1380000{phone}我们也打过了，请今日处理。"
    "别以为换了号码就找不到你，你的工作单位、家庭住址我们都已经核实清楚，再不还款后果自负。"
    "我们的工作人员会继续联系你的家人和同事，直到你把欠款全部还清为止，请你好好考虑清楚。"
    "今天下午五点之前必须把全部欠款打到指定账户，否则明天一早就会有人上门找你当面解决。"
    "不要再找任何借口拖延了，你躲得了初一躲不过十五，早点还清对你对大家都好，听明白了没有？"
)

NAMES = ["Maria", "James", "Chen Wei", "王建国", "Priya", "Tom"]


def variants(template: str, count: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(count):
        out.append(
            template.format(
                name=rng.choice(NAMES),
                amount=f"{rng.randint(100, 9999)}.{rng.randint(0, 99):02d}",
                acct=f"{rng.randint(0, 9999):04d}",
                day=rng.randint(1, 9),
                phone=f"{rng.randint(0, 9999):04d}",
                line=f"{rng.randint(0, 99):02d}",
                code=f"{rng.randint(0, 999999):06d}",
            )
        )
    return out


def speed_reference() -> float:
    samples = []
    for _ in range(200):
        t0 = time.perf_counter_ns()
        sum(range(1000))
        samples.append(time.perf_counter_ns() - t0)
    return statistics.median(samples) / 1000


def time_calls(
    texts: list[str], region: str, calls: int, *, cold: bool
) -> tuple[float, float, int]:
    samples = []
    hits = 0
    for k in range(calls):
        text = texts[k % len(texts)]
        if cold:
            impl._PHONE_CACHE.clear()
        t0 = time.perf_counter_ns()
        found = find_personal_data(text, default_region=region)
        samples.append(time.perf_counter_ns() - t0)
        hits = len(found)
    samples.sort()
    return (
        statistics.median(samples) / 1000,
        samples[int(len(samples) * 0.99) - 1] / 1000,
        hits,
    )


def adversarial(rng: random.Random) -> dict[str, Callable[[], str]]:
    def repeat(unit: str) -> str:
        return (unit * (MIB // len(unit) + 1))[:MIB]

    def random_groups(sizes: tuple[int, ...], sep: str) -> str:
        parts: list[str] = []
        size = 0
        while size < MIB:
            part = "".join(rng.choice("0123456789") for _ in range(rng.choice(sizes)))
            parts.append(part)
            size += len(part) + len(sep)
        return sep.join(parts)[:MIB]

    return {
        "one digit run": lambda: "7" * MIB,
        "1 1 1 1 ...": lambda: repeat("1 "),
        "1-2-3-4 ...": lambda: repeat("1-2-3-4-5-6-7-8-9-0-"),
        "a1a1a1 ...": lambda: repeat("a1"),
        "12 34 56 ... (random pairs)": lambda: random_groups((2,), " "),
        "4-digit groups (random)": lambda: random_groups((4,), " "),
        "phone-shaped, repeated": lambda: repeat("call 13800001111 now, "),
        "phone-shaped, random": lambda: random_groups((11,), ", tel "),
        "card-shaped, random": lambda: random_groups((16,), " or "),
        "letters, one ID at the end": lambda: "x" * (MIB - 18) + "440305199003071236",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(20261201)

    print(f"speed reference (median µs of sum(range(1000))): {speed_reference():.2f}")
    messages = {
        "English, no digits": (variants(PLAIN_EN, 50, rng), "US"),
        "Chinese, no digits": (variants(PLAIN_ZH, 50, rng), "CN"),
        "English, amounts/date/callback": (variants(NUMBERS_EN, 50, rng), "US"),
        "Chinese, amounts/hotline/code": (variants(NUMBERS_ZH, 50, rng), "CN"),
        "English, SSN+card+phone": (variants(IDENT_EN, 50, rng), "US"),
        "Chinese, ID+card+phone": (variants(IDENT_ZH, 50, rng), "CN"),
    }
    print()
    print("median and p99 of the round with the lowest median")
    print(f"{'300-char message':38} {'chars':>5} {'median µs':>10} {'p99 µs':>9} {'hits':>5}")
    for label, (texts, region) in messages.items():
        chars = round(statistics.mean(len(t) for t in texts))
        for cold in (False, True):
            if cold and label.endswith("no digits"):
                continue
            calls = args.calls if not cold else max(1, args.calls // 10)
            find_personal_data(texts[0], default_region=region)  # warm-up
            rounds = [time_calls(texts, region, calls, cold=cold) for _ in range(args.rounds)]
            median, p99, hits = min(rounds)
            name = label + (" (cold)" if cold else "")
            print(f"{name:38} {chars:5d} {median:10.1f} {p99:9.1f} {hits:5d}")

    print()
    print(f"{'1 MiB adversarial text':38} {'best ms':>8} {'hits':>5}")
    for label, build in adversarial(rng).items():
        text = build()
        best = float("inf")
        hits = 0
        for _ in range(args.rounds):
            impl._PHONE_CACHE.clear()
            t0 = time.perf_counter()
            hits = len(find_personal_data(text, default_region="CN"))
            best = min(best, time.perf_counter() - t0)
        print(f"{label:38} {best * 1000:8.1f} {hits:5d}")
    print()
    print(f"speed reference (median µs of sum(range(1000))): {speed_reference():.2f}")


if __name__ == "__main__":
    main()
