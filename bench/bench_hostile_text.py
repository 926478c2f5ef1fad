"""Time to analyse a 1 MiB message of adversarial content.

Run: ``python bench/bench_hostile_text.py [--rounds N]`` (after ``pip install -e .``).
``--instructions`` counts the machine instructions of one check per message
with valgrind instead (see ``instructions.py``): a figure that does not drift
with this machine's speed, for comparing versions of the code.

Each message is exactly 1 MiB of UTF-8 built to be hard for the wording and
personal-data checks: near-matches of listed phrases repeated (every one a
partial automaton match), combining marks stacked on letters, runs of
zero-width and bidi characters inside words, full-width and homoglyph
letters, digit runs that look like card and ID numbers, a mix of all of
them, text in scripts and characters that no listed word uses, and the
development corpus's messages run together (thousands of real listed terms,
negations and quotations: a flood that the scan reads up to its budget). For
each it prints the median and worst ``Policy.check`` time of an SMS
carrying it (validation, normalisation, every rule) against the target of
100 ms, and the share spent in the word-list scan alone.
"""

from __future__ import annotations

import argparse
import functools
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fair_collect
from fair_collect.facts.core import Facts
from fair_collect.testing.corpus import load_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import speed_reference  # the bench folder's helpers

MIB = 1024 * 1024
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "wording"
TARGET_MS = 100.0


def exactly_one_mib(unit: str) -> str:
    """``unit`` repeated to exactly 1 MiB of UTF-8 (cut on a character boundary)."""
    text = unit * (MIB // len(unit.encode("utf-8")) + 1)
    cut = text.encode("utf-8")[:MIB].decode("utf-8", "ignore")
    return cut + " " * (MIB - len(cut.encode("utf-8")))


def development_corpus(english: bool) -> str:
    """The development sets' messages of one language (English, or Chinese in
    all its forms) joined with spaces, to exactly 1 MiB. The blind sets
    (``holdout*.yaml``) are left out, as everywhere but their own report."""
    texts = [
        entry["text"]
        for path in sorted(CORPUS.glob("*.yaml"))
        if not path.name.startswith("holdout")
        for entry in load_corpus(path)["messages"]
        if entry["language"].startswith("en") == english
    ]
    return exactly_one_mib(" ".join(texts))


MESSAGES: dict[str, str] = {
    "near-matches (en)": exactly_one_mib("we will su legal acti arrest warran garnis "),
    "near-matches (zh)": exactly_one_mib("爆通讯 起诉你 上门催 征信黑 "),
    "combining marks": exactly_one_mib("s" + "\u0301" * 15 + "u" + "\u0308" * 15 + "e "),
    "zero-width runs": exactly_one_mib("s\u200b\u200c\u200du\u2060\ufeffe\u202e \u200b" * 3),
    "full-width and homoglyphs": exactly_one_mib("ｓｕｅ уоu аrrеѕt 5u3 "),
    "digit runs": exactly_one_mib("4111 1111 1111 111 110101199003077 "),
    "mixed": exactly_one_mib("ｓｕｅ\u200b y\u0301ou 通\u200d讯录 1234-5678 "),
    # Scripts and characters no listed word uses: every byte of them sends
    # the automaton back to its root (see ``lexicon._compile``).
    "Korean": exactly_one_mib("가나다라마바사 "),
    "Greek, Devanagari, symbols": exactly_one_mib("λόγος कखग ŀłŉ ~^| "),
    "rare Han characters": exactly_one_mib("龘靐齉齾爩鱻麤 "),
    # Latin letters touching Han characters: each pair is read aloud in pinyin.
    "Latin and Han side by side": exactly_one_mib("ab中cd文 "),
    # Single letters between separators: the spelled-out-word pattern
    # (``s.u.e``) has a place to try at every separator.
    "single letters, separators": exactly_one_mib("a.b c-d e "),
    # Real listed wording, thousands of distinct terms: every hit is judged
    # and quoted, up to the scan's budget of matches.
    "development corpus (en)": development_corpus(english=True),
    "development corpus (zh)": development_corpus(english=False),
}


def request(text: str) -> dict[str, Any]:
    return {
        "channel": "sms",
        "at": "2026-06-09T10:30:00-04:00",
        "collector": {"type": "third_party_collector", "name": "Example Recovery LLC"},
        "recipient": {"role": "borrower", "address": "+12125550123", "address_kind": "mobile"},
        "borrower": {
            "location": {"country": "US", "region": "NY", "postal_code": "10001"},
            "phones": [{"number": "+12125550123", "kind": "mobile"}],
        },
        "debts": [{"id": "D1", "kind": "credit_card"}],
        "history": [],
        "message": {"text": text},
    }


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    fn()  # warm-up
    times = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        fn()
        times.append((time.perf_counter_ns() - start) / 1e6)
    return times


def _count_one(name: str) -> None:
    """Child of ``--instructions``: one check of message ``name`` inside ``reduce``."""
    policy = fair_collect.load_policy()
    model = fair_collect.parse_request(request(MESSAGES[name]))
    policy.check(model)  # warm-up: tables, patterns, caches

    def once(_a: int, _b: int) -> int:
        policy.check(model)
        return 0

    functools.reduce(once, [0, 1])


def count_instructions() -> None:
    from instructions import callgrind

    print(f"{'message (1 MiB)':28} {'instructions':>14}")
    for name in MESSAGES:
        count, _ = callgrind(Path(__file__), ["--child", name])
        print(f"{name:28} {count:14,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--instructions", action="store_true", help="count with valgrind")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _count_one(args.child)
        return
    if args.instructions:
        count_instructions()
        return
    policy = fair_collect.load_policy()
    before = speed_reference()
    print(f"python {platform.python_version()} on {platform.machine()}, {args.rounds} rounds")
    print(f"{'message (1 MiB)':28} {'median ms':>10} {'worst ms':>10} {'scan ms':>9}  target")
    for name, text in MESSAGES.items():
        assert len(text.encode("utf-8")) == MIB, name
        model = fair_collect.parse_request(request(text))
        check = timed(lambda model=model: policy.check(model), args.rounds)
        scan = timed(lambda model=model: Facts.of(model, policy.lexicon).base.words("text"), 3)
        median = statistics.median(check)
        verdict = "ok" if median < TARGET_MS else f"over {TARGET_MS:.0f} ms"
        print(
            f"{name:28} {median:10.1f} {max(check):10.1f} {statistics.median(scan):9.1f}  {verdict}"
        )
    print(
        "machine speed reference (sum(range(1000)), median µs, before/after): "
        f"{before:.2f}/{speed_reference():.2f}"
    )


if __name__ == "__main__":
    main()
