"""Coverage-guided fuzzing of the JSON entry point: ``Policy.check(bytes)``.

    python fuzz/fuzz_check_json.py -runs=20000            # a fixed number of inputs
    python fuzz/fuzz_check_json.py -max_total_time=60     # a time budget (CI)
    python fuzz/fuzz_check_json.py corpus/ -max_total_time=600

Needs ``atheris`` (``pip install atheris``). Each input is either raw bytes
handed to ``check`` as they are, or a valid request mutated under the
fuzzer's control (fields replaced by odd values, deleted, or added) and
serialised as JSON. A crash is:

* any exception other than ``fair_collect.InputError`` (an ``EvaluationError``
  is a crash too: it means a check failed);
* an allow for a request that lacks a fact a binding rule needs: a
  frequency rule passed although ``history`` is missing, or a local-time
  window passed although the request gives no candidate zone and neither
  the rule nor its pack names one.
"""

from __future__ import annotations

import copy
import json
import sys
from typing import Any

import atheris

with atheris.instrument_imports(include=["fair_collect"]):
    import fair_collect
    from fair_collect.checks.time import LocalTimeWindow
    from fair_collect.facts.zones import zone_set

POLICY = fair_collect.load_policy()

_BASE: dict[str, Any] = {
    "channel": "call",
    "at": "2026-06-09T10:30:00-04:00",
    "collector": {"type": "third_party_collector", "name": "Example Recovery LLC"},
    "recipient": {"role": "borrower", "address": "+12125550123", "address_kind": "mobile"},
    "borrower": {
        "id": "B1",
        "location": {"country": "US", "region": "NY", "postal_code": "10001"},
        "phones": [{"number": "+12125550123", "kind": "mobile"}],
    },
    "debts": [{"id": "D1", "kind": "credit_card", "amount": "812.00", "currency": "USD"}],
    "history": [
        {
            "at": "2026-06-08T10:00:00-04:00",
            "channel": "call",
            "address": "+12125550123",
            "debt_ids": ["D1"],
            "outcome": "no_answer",
        }
    ],
}
SEEDS: list[dict[str, Any]] = [
    _BASE,
    {**_BASE, "channel": "sms", "message": {"text": "We will sue you today. 4111111111111111"}},
    {**_BASE, "at": "2026-06-09T22:30:00+08:00", "borrower": {"location": {"country": "CN"}}},
    {**_BASE, "channel": "email", "recipient": {"role": "employer", "address": "hr@example.com"}},
    {"channel": "letter", "at": "2026-11-01T01:30:00-05:00"},
]
ODD_STRINGS = [
    "",
    "\x00",
    "\u200b" * 10,
    "2026-06-09T10:30:00",
    "2026-03-08T02:30:00-05:00",
    "Mars/Olympus_Mons",
    "America/New_York",
    "+1212555012",
    "9" * 60,
    "NaN",
    "call",
    "borrower",
]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _value(fdp: atheris.FuzzedDataProvider, depth: int = 0) -> Any:
    kind = fdp.ConsumeIntInRange(0, 8 if depth < 2 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return fdp.ConsumeBool()
    if kind == 2:
        return fdp.ConsumeInt(fdp.ConsumeIntInRange(1, 40))
    if kind == 3:
        return fdp.ConsumeRegularFloat()
    if kind == 4:
        return fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 64))
    if kind in (5, 6):
        return ODD_STRINGS[fdp.ConsumeIntInRange(0, len(ODD_STRINGS) - 1)]
    if kind == 7:
        return [_value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 3))]
    return {
        fdp.ConsumeUnicode(8): _value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 3))
    }


def _mutated(fdp: atheris.FuzzedDataProvider) -> bytes:
    request = copy.deepcopy(SEEDS[fdp.ConsumeIntInRange(0, len(SEEDS) - 1)])
    for _ in range(fdp.ConsumeIntInRange(0, 4)):
        paths = _paths(request)
        if not paths:
            break
        path = paths[fdp.ConsumeIntInRange(0, len(paths) - 1)]
        parent: Any = request
        for part in path[:-1]:
            parent = parent[part]
        action = fdp.ConsumeIntInRange(0, 2)
        if action == 0:
            del parent[path[-1]]
        elif action == 1 or not isinstance(parent, dict):
            parent[path[-1]] = _value(fdp)
        else:
            parent[fdp.ConsumeUnicode(12)] = _value(fdp)
    return json.dumps(request, ensure_ascii=fdp.ConsumeBool()).encode("utf-8", "surrogatepass")


def _missing_fact_allowed(payload: bytes, verdict: fair_collect.Verdict) -> str | None:
    """Why this allow lacks a fact a binding rule needs, or None."""
    request = fair_collect.parse_request(payload)
    explained = POLICY.check(request, explain=True).explanation or ()
    passed = [POLICY.rule(step.rule_id) for step in explained if step.result == "pass"]
    if request.history is None:
        for rule in passed:
            if rule.category == "frequency":
                return f"{rule.id} passed without history"
    if not zone_set(request).unique:
        packs = {pack.id: pack for pack in POLICY.packs}
        for rule in passed:
            check = rule.check
            if (
                isinstance(check, LocalTimeWindow)
                and check.fixed_zone is None
                and packs[rule.pack_id].spec.time_zone is None
            ):
                return f"{rule.id} passed with no candidate zone"
    return None


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    payload = _mutated(fdp) if fdp.ConsumeBool() else fdp.ConsumeBytes(fdp.remaining_bytes())
    try:
        verdict = POLICY.check(payload)
    except fair_collect.InputError:
        return
    if verdict.allowed:
        why = _missing_fact_allowed(payload, verdict)
        if why is not None:
            raise AssertionError(f"allowed although a required fact is missing: {why}")


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
