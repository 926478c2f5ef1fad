"""Cost of analysing a message's wording and personal data.

Run: ``python bench/bench_wording.py`` (after ``pip install -e .``). "Analysed"
is what the content rules need from a message, computed once per request:
normalisation (``fair_collect.text.normalize``), one pass of the policy's
Aho-Corasick automaton over both views with negation judged
(``Lexicon.scan``), and the personal-data scan (``find_personal_data``).
Rules then filter those hits by category, which costs little.

Prints, for 300-character messages of several kinds (each in variants, so
that nothing is measured on one string only): median and p99 µs of the
analysis, and of a whole ``Policy.lint`` (every content rule of the pack,
verdict included); and for 1 MiB adversarial inputs: ms for the analysis,
best of three. Targets (the issue): 20 µs median for a 300-character message,
under 100 ms for 1 MB. This machine's speed drifts; the speed reference
(``sum(range(1000))``) is printed before and after so runs can be compared.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections.abc import Callable

import fair_collect
from bench_check import speed_reference
from fair_collect.text import normalize
from fair_collect.text.personal_data import find_personal_data

EN_CLEAN = (
    "Hello {name}, this is Example Recovery, a debt collector, about your account ending "
    "{acct}. Your balance of ${amount} is past due. Please call us at (212) 555-01{phone} "
    "between 8am and 9pm, or pay at example.com/pay. If you dispute this debt, tell us in "
    "writing. Reply STOP to opt out. Thank you for your prompt attention to this matter."
)
EN_THREAT = (
    "Listen {name}, you deadbeat. You owe ${amount} and we know where you live. If you don't "
    "pay by Friday we will call your employer, post your debt on Facebook and have you "
    "arrested; a warrant is ready. Account {acct}. Your sister's number 212-555-01{phone} is "
    "next. Don't test us. Reply STOP to opt out. Example Recovery is a debt collector."
)
ZH_CLEAN = (
    "【示例消费金融】尊敬的{name}客户，您尾号{acct}的借款本期应还{amount}元，到期还款日为6月15日。"
    "请您按时还款，避免产生逾期费用。如您暂时无法全额还款，可通过APP申请分期还款计划，或拨打客服热线"
    "400-000-0000咨询。我们不会向任何第三方泄露您的借款信息。谨防不法分子冒充公检法人员要求转账，"
    "如遇诈骗请拨打110报警。感谢您的支持与配合，祝您生活愉快。本短信由系统自动发送，请勿直接回复。"
)
ZH_THREAT = (
    "{name}你这个老赖，欠款{amount}元拖了三个月，今天18点前不还，我们就爆你通讯录，把你的照片挂到网上"
    "曝光，再打电话到你单位让你领导知道。案件已移交公安机关，等着坐牢吧。你同事小张的电话1390000{phone}"
    "我们也打过了。别以为换了号就找不到你，你家住哪我们都清楚，出门小心点。尾号{acct}的银行卡已冻结，"
    "征信黑名单也上了，以后孩子考公都受影响。最后通牒，自己掂量。"
)
KINDS = {
    "en clean": EN_CLEAN,
    "en threats": EN_THREAT,
    "zh clean": ZH_CLEAN,
    "zh threats": ZH_THREAT,
}


def variants(template: str, count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    names = ["Jane", "Omar", "Li", "Ana", "Wang Fang", "Chen"]
    out = []
    for _ in range(count):
        text = template.format(
            name=rng.choice(names),
            acct=rng.randint(1000, 9999),
            amount=f"{rng.randint(100, 9999)}.{rng.randint(0, 99):02d}",
            phone=f"{rng.randint(10, 99)}",
        )
        out.append(text[:300])
    return out


def timings(fn: Callable[[str], object], texts: list[str], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter_ns()
            fn(text)
            samples.append((time.perf_counter_ns() - start) / 1000)
    return samples


def adversarial() -> dict[str, str]:
    mib = 1 << 20
    return {
        "repeated trigger words": ("jail " * (mib // 5))[:mib],
        "repeated Chinese triggers": ("爆通讯录坐牢" * (mib // 6))[:mib],
        "single letters and dots": ("j.a.i.l " * (mib // 8))[:mib],
        "digits and hyphens": ("1-2-3-4-5-6-7-8-9-0 " * (mib // 20))[:mib],
        "negations everywhere": ("not never won't jail " * (mib // 21))[:mib],
        "zero-width flood": ("a\u200b" * (mib // 2))[:mib],
        "random mixed script": "".join(
            random.Random(1).choice("ab 不会坐牢 jail1 3 .,!\u200b🔥") for _ in range(mib)
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}")
    print(f"speed reference before: {speed_reference():.1f} µs for sum(range(1000))")
    start = time.perf_counter()
    policy = fair_collect.load_policy()
    print(
        f"load_policy (packs, word lists, automaton): {(time.perf_counter() - start) * 1000:.0f} ms"
    )
    lexicon = policy.lexicon
    print(f"lexicon: {len(lexicon)} entries")
    normalize("warm up 你好")
    find_personal_data("warm up 123-45-6789")

    def analyse(text: str) -> object:
        return lexicon.scan(text), find_personal_data(text)

    print("\n300-character messages: median / p99 µs")
    for name, template in KINDS.items():
        texts = variants(template, 50)
        chinese = name.startswith("zh")
        request = {
            "channel": "sms",
            "at": "2026-06-09T10:30:00+08:00" if chinese else "2026-06-09T10:30:00-04:00",
            "jurisdictions": ["CN" if chinese else "US"],
            "collector": {"type": "third_party_collector"},
            "recipient": {"role": "borrower"},
            "message": {"text": ""},
        }

        def lint(text: str, request: dict[str, object] = request) -> object:
            request["message"] = {"text": text}
            return policy.lint(request)

        for label, fn in (("analysis", analyse), ("Policy.lint", lint)):
            samples = timings(fn, texts, args.rounds if label == "analysis" else args.rounds // 4)
            median = statistics.median(samples)
            p99 = statistics.quantiles(samples, n=100)[98]
            print(f"  {name:<12} {label:<12} {median:8.1f} {p99:8.1f}")
    print("\n1 MiB adversarial inputs: ms (best of 3)")
    for name, text in adversarial().items():
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            analyse(text)
            best = min(best, time.perf_counter() - start)
        print(f"  {name:<28} {best * 1000:8.1f}")
    print(f"\nspeed reference after: {speed_reference():.1f} µs for sum(range(1000))")


if __name__ == "__main__":
    main()
