"""Reproduce the durable-rules findings behind docs/decisions/0001-durable-rules.md.

Run: ``python bench/durable_rules_findings.py [--requests N] [--sequences N]``
(with the bench extra installed). Each finding runs in a subprocess of its
own, so a crash is reported instead of ending the script. It prints a report
and exits 0 when it could run every check (whatever durable-rules did).

1. Regex alternatives missed: durable's ``$imt`` against Python's
   ``re.fullmatch(..., re.IGNORECASE)`` on the patterns and texts of
   the original measurement, and on the benchmark's threat list.
2. Disagreement with the correct verdicts on the workload: the benchmark
   subset on durable-rules as a team using its regex operator would write it
   (the threat list as ``$imt``), against fair_collect's subset verdicts on
   W1; and the same with the threat match precomputed in Python.
3. A crash on an ordinary call sequence: random sequences of "assert a fact
   that matches a rule", "assert a fact that matches none" and "delete the
   session" over three session ids, each sequence in a fresh interpreter,
   counting deaths by signal.
4. Install needs a compiler: whether the installed distribution was built on
   this machine (a wheel tagged ``linux_*`` rather than ``manylinux``, with a
   compiled extension) and whether the package index offers only an sdist.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import random
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent

# ------------------------------------------------------------------ 1. regex

F1_CASES = (
    (".*(jail|garnish).*", "We may garnish wages"),
    (".*(garnish|jail).*", "We may garnish wages"),
    (".*(j|ga).*", "ga wages"),
    (".*(j|ga).*", "ga w"),
    (".*(damn|hell|idiot|stupid).*", "Hello, this is a courtesy message"),
    (".*(hell|damn).*", "Hello, this is a courtesy message"),
)

_REGEX_CHILD = """
import json, sys
from durable import engine
cases = json.loads(sys.argv[1])
hits = []
def action(c):
    hits.append(c.m.case)
rules = {}
for i, (pattern, _text) in enumerate(cases):
    rules[f"r{i}"] = {"all": [{"m": {"$and": [{"case": i}, {"$imt": {"text": pattern}}]}}],
                      "run": action}
host = engine.Host()
host.register_rulesets({"regex": rules})
out = []
for i, (_pattern, text) in enumerate(cases):
    hits.clear()
    try:
        host.assert_fact("regex", {"sid": f"s{i}", "case": i, "text": text})
    except Exception:
        pass  # MessageNotHandledException: nothing matched
    out.append(i in hits)
print(json.dumps(out))
"""


def regex_cases() -> list[tuple[str, str]]:
    sys.path.insert(0, str(BENCH))
    from peers.durable import threat_pattern
    from workloads import THREATS_EN

    pattern = threat_pattern()
    cases = list(F1_CASES)
    for phrase in THREATS_EN:
        cases.append((pattern, f"Pay today or {phrase}. Reply STOP to opt out."))
    return cases


def check_regex() -> dict[str, Any]:
    import re

    cases = regex_cases()
    proc = subprocess.run(
        [sys.executable, "-c", _REGEX_CHILD, json.dumps(cases)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"}
    durable = json.loads(proc.stdout)
    rows = []
    for (pattern, text), got in zip(cases, durable, strict=True):
        want = re.fullmatch(pattern, text, re.IGNORECASE | re.DOTALL) is not None
        rows.append({"pattern": pattern, "text": text, "python": want, "durable": got})
    return {"cases": rows, "missed": sum(1 for r in rows if r["python"] and not r["durable"])}


# ------------------------------------------------------------------ 2. workload


_WORKLOAD_CHILD = """
import json, sys
sys.path[0:0] = [sys.argv[1]]
import fair_collect, workloads
from peers import durable
requests = workloads.w1_requests(int(sys.argv[2]))
policy = fair_collect.load_policy([sys.argv[1] + "/subset_pack"])
reference = [frozenset(r.code for r in policy.check(q).reasons) for q in requests]
out = {}
for variant, regex in (("threat list as $imt regex", True), ("threat match precomputed", False)):
    decide = durable.build(threat_regex=regex)
    got = [decide(q) for q in requests]
    outcome = sum(1 for a, b in zip(reference, got) if bool(a) != bool(b))
    codes = sum(1 for a, b in zip(reference, got) if a != b)
    allows = sum(1 for a, b in zip(reference, got) if a and not b)
    missed = {"en": 0, "zh": 0}
    threats = {"en": 0, "zh": 0}
    for q, a, b in zip(requests, reference, got):
        if "threat_phrase" in a:
            text = q["message"]["text"]
            lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
            threats[lang] += 1
            missed[lang] += "threat_phrase" not in b
    out[variant] = {"requests": len(requests), "outcome": outcome, "codes": codes,
                    "wrong_allows": allows, "threats_missed": missed, "threats": threats}
print(json.dumps(out))
"""


def check_workload(count: int) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", _WORKLOAD_CHILD, str(BENCH), str(count)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"}
    return json.loads(proc.stdout)


# ------------------------------------------------------------------ 3. crash

_SEQUENCE_CHILD = """
import json, sys
from durable import engine
def action(c):
    pass
host = engine.Host()
host.register_rulesets({"seq": {"hit": {"all": [{"m": {"kind": "match"}}], "run": action}}})
for op, sid in json.loads(sys.argv[1]):
    if op == "delete":
        host.delete_state("seq", sid)
        continue
    try:
        host.assert_fact("seq", {"sid": sid, "kind": op, "n": len(sid)})
    except Exception:
        pass  # MessageNotHandledException (nothing matched) or MessageObservedException
print("ok")
"""


def sequences(count: int, seed: int = 20261130) -> list[list[tuple[str, str]]]:
    """Random 12-call sequences; a session is deleted only while it exists (deleting
    an unknown session is an error, not a crash)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        live: set[str] = set()
        seq = []
        for _ in range(12):
            sid = rng.choice(["a", "b", "c"])
            op = rng.choice(["match", "no_match", "delete"])
            if op == "delete" and sid not in live:
                op = rng.choice(["match", "no_match"])
            if op == "delete":
                live.discard(sid)
            else:
                live.add(sid)
            seq.append((op, sid))
        out.append(seq)
    return out


def check_crash(count: int) -> dict[str, Any]:
    outcomes: dict[str, int] = {}
    example = None
    for seq in sequences(count):
        proc = subprocess.run(
            [sys.executable, "-c", _SEQUENCE_CHILD, json.dumps(seq)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        if proc.returncode < 0:
            key = signal.Signals(-proc.returncode).name
            if example is None:
                example = seq
        elif proc.returncode == 0:
            key = "ok"
        else:
            key = f"exit {proc.returncode}"
        outcomes[key] = outcomes.get(key, 0) + 1
    return {"sequences": count, "outcomes": outcomes, "first_crashing_sequence": example}


# ------------------------------------------------------------------ 4. install


def check_install() -> dict[str, Any]:
    try:
        dist = importlib.metadata.distribution("durable-rules")
    except importlib.metadata.PackageNotFoundError:
        return {"installed": False}
    wheel = dist.read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip() for line in wheel.splitlines() if line.startswith("Tag:")]
    generator = next(
        (
            line.split(":", 1)[1].strip()
            for line in wheel.splitlines()
            if line.startswith("Generator:")
        ),
        "unknown",
    )
    extensions = [str(f) for f in dist.files or () if str(f).endswith((".so", ".pyd"))]
    built_here = bool(tags) and all("manylinux" not in t and "musllinux" not in t for t in tags)
    # Which files does the index offer for this version? (pip download without
    # installing; answers "sdist only" when no wheel exists for this platform.)
    with tempfile.TemporaryDirectory() as scratch:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                scratch,
                f"durable-rules=={dist.version}",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    wheel_on_index = proc.returncode == 0
    return {
        "installed": True,
        "version": dist.version,
        "wheel_tags": tags,
        "wheel_generator": generator,
        "compiled_extensions": extensions,
        "built_from_sdist_here": built_here,
        "binary_wheel_on_index": wheel_on_index,
        "index_answer": (proc.stdout + proc.stderr).strip().splitlines()[-1:]
        if not wheel_on_index
        else ["a wheel exists"],
    }


# ------------------------------------------------------------------ report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="W1 requests for finding 2")
    parser.add_argument("--sequences", type=int, default=40, help="call sequences for finding 3")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args()
    results = {
        "python": sys.version.split()[0],
        "install": check_install(),
        "regex": check_regex(),
        "workload": check_workload(args.requests),
        "crash": check_crash(args.sequences),
    }
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0
    inst = results["install"]
    print(f"durable-rules findings on Python {results['python']}\n")
    print("4. install")
    if inst.get("installed"):
        print(
            f"   version {inst['version']}; wheel tags {inst['wheel_tags']} generated by"
            f" {inst['wheel_generator']}; compiled extensions {inst['compiled_extensions']}"
        )
        print(
            f"   built from the sdist on this machine (needs a C compiler):"
            f" {inst['built_from_sdist_here']}; binary wheel on the index:"
            f" {inst['binary_wheel_on_index']} ({inst['index_answer'][0][:160]})"
        )
    else:
        print("   not installed")
    regex = results["regex"]
    print("\n1. regex alternatives ($imt against re.fullmatch, IGNORECASE)")
    if "error" in regex:
        print(f"   could not run: {regex['error']}")
    else:
        for row in regex["cases"]:
            mark = "MISSED" if row["python"] and not row["durable"] else "ok"
            if row["durable"] and not row["python"]:
                mark = "EXTRA"
            pattern = row["pattern"] if len(row["pattern"]) < 40 else row["pattern"][:37] + "..."
            print(
                f"   {mark:<6} {pattern!r:<42} on {row['text']!r}: python {row['python']},"
                f" durable {row['durable']}"
            )
        print(f"   missed: {regex['missed']} of {len(regex['cases'])}")
    print("\n2. disagreement with fair_collect's subset verdicts on W1")
    work = results["workload"]
    if "error" in work:
        print(f"   could not run: {work['error']}")
    else:
        for variant, row in work.items():
            print(
                f"   {variant}: {row['outcome']} of {row['requests']} outcomes wrong"
                f" ({row['outcome'] / row['requests']:.1%}), {row['wrong_allows']} of them"
                f" allows that must be denies; {row['codes']} code sets wrong;"
                f" threat messages missed: English {row['threats_missed']['en']} of"
                f" {row['threats']['en']}, Chinese {row['threats_missed']['zh']} of"
                f" {row['threats']['zh']}"
            )
    crash = results["crash"]
    print(
        f"\n3. crash on an ordinary call sequence ({crash['sequences']} sequences, 12 calls each)"
    )
    print(f"   outcomes: {crash['outcomes']}")
    if crash["first_crashing_sequence"]:
        print(f"   first crashing sequence: {crash['first_crashing_sequence']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
