"""The subset as a durable-rules ruleset (``durable-rules``), used as its docs show.

One ``Host`` with the ruleset; a decision asserts the facts as a fact in a
fresh session, collects the rules that fired into the session state, and
deletes the session. An always-matching rule at the lowest priority resets
the collector and keeps a non-matching fact from crashing ``delete_state``
(see docs/decisions/0001-durable-rules.md). ``post`` would fire only one
rule, so facts are asserted.

durable-rules can crash the interpreter, so ``bench/run.py`` runs this peer in
a subprocess (``python bench/peers/durable.py ...``), which prints its
verdicts and timings as JSON.

``threat_regex=True`` builds the variant a team using durable's own operators
would write: the threat list as one case-insensitive ``$imt`` regex over the
message instead of the precomputed ``threat_hit`` (see
``bench/durable_rules_findings.py``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

if __name__ == "__main__":
    # Run as a script: bench/ instead of bench/peers/ on the path, so that this
    # file does not shadow the durable package.
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from peers import Decide
from peers.facts import CALL_CHANNELS, TIMED_CHANNELS, extract

TITLE = "durable-rules, Host + assert_fact"
DISTRIBUTION = "durable-rules"
#: What a decision returns when durable hands back no usable state.
ENGINE_ERROR = frozenset({"engine_error"})


def threat_pattern() -> str:
    """The threat list as one regex, the way durable's ``$imt`` takes it."""
    from workloads import THREATS_EN, THREATS_ZH

    # The phrases hold no regex metacharacters, so they go in unescaped: durable's
    # dialect does not read an escaped space as a space.
    return ".*(" + "|".join((*THREATS_EN, *THREATS_ZH)) + ").*"


def ruleset(collect: Any, reset: Any, threat_regex: bool = False) -> dict[str, Any]:
    timed = {"$or": [{"channel": c} for c in TIMED_CHANNELS]}
    calls = {"$or": [{"channel": c} for c in CALL_CHANNELS]}
    conditions: dict[str, tuple[str, dict[str, Any]]] = {
        "hours_early": (
            "outside_permitted_hours",
            {"$and": [timed, {"$lt": {"min_local_hour": 8}}]},
        ),
        "hours_late": (
            "outside_permitted_hours",
            {"$and": [timed, {"$gte": {"max_local_hour": 21}}]},
        ),
        "frequency": ("call_frequency_exceeded", {"$and": [calls, {"$gte": {"calls_7d": 7}}]}),
        "cooldown": (
            "call_within_7_days_of_conversation",
            {"$and": [calls, {"$lte": {"days_since_conversation": 6}}]},
        ),
        "attorney": ("represented_by_attorney", {"attorney_blocks": True}),
        "cease": (
            "cease_communication",
            {"$and": [{"cease_blocks": True}, {"$neq": {"purpose": "cease_notice"}}]},
        ),
        "threat": (
            "threat_phrase",
            {"$imt": {"text": threat_pattern()}} if threat_regex else {"threat_hit": True},
        ),
    }
    rules: dict[str, Any] = {
        "evaluate": {"all": [{"m": {"$ex": {"_eval": 1}}}], "pri": 0, "run": reset}
    }
    for name, (code, condition) in conditions.items():
        rules[name] = {"all": [{"m": condition}], "pri": 1, "run": collect(code)}
    return rules


def build(threat_regex: bool = False) -> Decide:
    from durable import engine

    def collect(code: str) -> Any:
        def action(c: Any) -> None:
            if c.s.hits is None:
                c.s.hits = []
            c.s.hits.append(code)

        return action

    def reset(c: Any) -> None:
        c.s.hits = []

    name = f"subset{'_regex' if threat_regex else ''}"
    host = engine.Host()
    host.register_rulesets({name: ruleset(collect, reset, threat_regex)})
    sids = itertools.count()

    def decide(request: dict[str, Any]) -> frozenset[str]:
        facts = extract(request)
        if threat_regex:
            message = request.get("message") or {}
            facts["text"] = " ".join(
                t for t in (message.get("text"), message.get("subject")) if t
            ).replace("\n", " ")
        sid = f"e{next(sids)}"
        fact = {**facts, "_eval": 1, "sid": sid}
        try:
            state = host.assert_fact(name, fact)
            if state is None or state.get("exception"):
                # No state back (the Host's dispatcher thread took the actions,
                # docs/decisions/0001-durable-rules.md) or an action failed: fail closed,
                # and let the comparison count it as a disagreement.
                return ENGINE_ERROR
            return frozenset(state.get("hits") or ())
        finally:
            host.delete_state(name, sid)

    return decide


def main() -> None:
    """Decide a workload in this process; print verdicts and per-call µs as JSON."""
    import workloads
    from timing import time_calls

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--workload", choices=["w1", "w3"], default="w1")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--threat-regex", action="store_true")
    args = parser.parse_args()
    requests = (workloads.w1_requests if args.workload == "w1" else workloads.w3_requests)(
        args.count
    )
    decide = build(threat_regex=args.threat_regex)
    for request in requests[: args.warmup]:
        decide(request)
    rounds = []
    codes: list[frozenset[str]] = []
    for _ in range(args.rounds):
        samples, codes = time_calls(decide, requests)
        rounds.append(samples)
    json.dump({"rounds": rounds, "codes": [sorted(c) for c in codes]}, sys.stdout)


if __name__ == "__main__":
    main()
