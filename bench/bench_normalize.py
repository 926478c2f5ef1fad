"""Cost of ``fair_collect.text.folding`` on messages and on adversarial input.

Run: ``python bench/bench_normalize.py`` (after ``pip install -e .``). Prints:

* the one-time cost of building the tables (first call in a process);
* median and p99 µs per call for 300-character messages of several kinds
  (plain English, English with typographic punctuation and emoji, English
  full of evasions, simplified and traditional Chinese), each in variants so
  that nothing is measured on one string only; ``+span`` is a call plus the
  first ``original_span`` (what a message with a hit pays);
* for 1 MiB of adversarial text of each kind: ms for ``normalize``, then ms
  for the first ``original_span`` on each view (the offset maps are built
  then), best of a few runs.

The design target is 20 µs median for the whole analysis of a 300-character
message and 100 ms for 1 MiB. This machine's speed drifts; the speed
reference (``sum(range(1000))``) is printed before and after to compare runs.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections.abc import Callable

from bench_check import speed_reference
from fair_collect.text import normalize

ENGLISH = (
    "Hello {name}, this is Example Recovery regarding your account ending {acct}. Your "
    "balance of ${amount} is past due. Please call us at (555) 013-{phone} between 8am and "
    "9pm, or visit example.com/pay today. Reply STOP to opt out. Thank you for your prompt "
    "attention to this matter; we appreciate it and look forward to hearing from you soon."
)
TYPOGRAPHIC = (
    "Hello {name} \U0001f44b we\u2019re writing about account \u2026{acct}. Your balance of "
    "\u20ac{amount} is past due \u2014 please call (555) 013-{phone} between 8am\u20139pm. "
    "\u201cPay now\u201d at example.com/pay. Reply STOP to opt out. Thanks \U0001f64f from the "
    "team; we\u2019re here to help with a plan that works for you, {name}."
)
EVASIVE = (
    "{name}, P A Y N O W or we s.u.e y0u and put you in j\u200bail; \uff37\uff25 \uff37\uff29"
    "\uff2c\uff2c call your b0ss at w\u043erk and t3ll y0ur f@mily. \u0430rr\u0435st is "
    "coming \U0001f525\U0001f525 acct {acct}, owe ${amount}, last chance {phone}!!"
)
CHINESE = (
    "{name}您好，这里是某某催收公司。您的账户{acct}已逾期未还，欠款金额为{amount}元。"
    "请您尽快还款，否则我们将依法处理。如有疑问请致电客服热线{phone}。谢谢合作。"
    "我们理解您的困难，可以为您制定还款计划，请在工作时间内联系我们，我们会尽力帮助您。"
)
TRADITIONAL = (
    "{name}您好，這裡是某某催收公司。您的賬戶{acct}已逾期未還，欠款金額為{amount}元。"
    "請您儘快還款，否則我們將依法處理。如有疑問請致電客服熱線{phone}。謝謝合作。"
    "我們理解您的困難，可以為您制定還款計劃，請在工作時間內聯繫我們，我們會盡力幫助您。"
)
NAMES = ["John", "Maria", "Wei", "Aisha", "陈伟", "李娜", "Jean-Luc", "O'Brien"]

MIB = 1 << 20
ADVERSARIAL: dict[str, str] = {
    "zero-width flood": "\u200b",
    "zero-width between letters": "a\u200b",
    "bidi controls": "\u202e\u2066x\u2069\u202c",
    "emoji flood": "\U0001f525",
    "emoji with modifiers and ZWJ": "\U0001f469\U0001f3fd\u200d\U0001f4bb ",
    "combining marks (zalgo)": "a" + "\u0301\u0336\u0489\u0302" * 4,
    "other-script marks": "\u0915\u094d\u092f\u093e ",
    "kana voicing marks": "\u304b\u3099",
    "ligatures and zero-width": "\ufb01\u200b",
    "single letters to join": "j a ",
    "leetspeak": "a1 ",
    "leetspeak runs": "h4x0r p@$$ ",
    "look-alike letters": "\u0430a ",
    "Chinese and separators": "曝，",
    "traditional Chinese": "還錢爆通訊錄",
    "spaces and tabs": " \t\n",
    "digits and currency": "$1,250.00 ",
}


def messages(template: str, count: int) -> list[str]:
    rng = random.Random(20261130)
    result = []
    for _ in range(count):
        text = template.format(
            name=rng.choice(NAMES),
            acct=rng.randrange(1000, 9999),
            amount=f"{rng.randrange(100, 9999):,}.{rng.randrange(100):02d}",
            phone=rng.randrange(1000, 9999),
        )
        result.append(text[:300])
    return result


def per_call_us(fn: Callable[[str], object], inputs: list[str], rounds: int) -> list[float]:
    for item in inputs:
        fn(item)
    clock = time.perf_counter_ns
    samples = []
    for _ in range(rounds):
        for item in inputs:
            start = clock()
            fn(item)
            samples.append((clock() - start) / 1000)
    return sorted(samples)


def with_span(text: str) -> object:
    norm = normalize(text)
    return norm.original_span(0, min(4, len(norm.text)))


def best_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--runs", type=int, default=3, help="runs per adversarial input")
    args = parser.parse_args()

    reference_before = speed_reference()
    start = time.perf_counter()
    normalize("\u00e9")
    tables_ms = (time.perf_counter() - start) * 1000
    print(f"normalize, Python {platform.python_version()} on {platform.machine()}")
    print(f"first call (builds the folding tables): {tables_ms:.0f} ms")
    print()
    print(f"{'300-character messages':<26}{'median µs':>10}{'p99 µs':>9}{'+span median µs':>17}")
    for name, template in [
        ("English, plain", ENGLISH),
        ("English, typographic", TYPOGRAPHIC),
        ("English, evasive", EVASIVE),
        ("Chinese, simplified", CHINESE),
        ("Chinese, traditional", TRADITIONAL),
    ]:
        inputs = messages(template, args.messages)
        plain = per_call_us(normalize, inputs, args.rounds)
        spans = per_call_us(with_span, inputs, max(1, args.rounds // 5))
        p99 = plain[int(len(plain) * 0.99) - 1]
        print(
            f"{name:<26}{statistics.median(plain):>10.1f}{p99:>9.1f}"
            f"{statistics.median(spans):>17.1f}"
        )
    print()
    print(
        f"{'1 MiB adversarial input':<30}{'normalize ms':>13}{'word span ms':>14}{'squeezed span ms':>18}"
    )
    for name, unit in ADVERSARIAL.items():
        text = unit * (MIB // len(unit))
        normalize_ms = best_ms(lambda text=text: normalize(text), args.runs)

        def first_span(view: str, text: str = text) -> object:
            norm = normalize(text)
            target = norm.word if view == "word" else norm.squeezed
            size = len(target.text)
            return target.original_span(max(size - 1, 0), size)

        word_ms = best_ms(lambda: first_span("word"), args.runs) - normalize_ms
        squeezed_ms = best_ms(lambda: first_span("squeezed"), args.runs) - normalize_ms
        print(f"{name:<30}{normalize_ms:>13.1f}{word_ms:>14.1f}{squeezed_ms:>18.1f}")
    print()
    print(
        "machine speed reference (sum(range(1000)), median µs, before/after): "
        f"{reference_before}/{speed_reference()}"
    )


if __name__ == "__main__":
    main()
