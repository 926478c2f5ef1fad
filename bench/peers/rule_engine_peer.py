"""The subset as ``rule-engine`` rules: one compiled expression per code."""

from __future__ import annotations

from typing import Any

from peers import Decide
from peers.facts import extract

TITLE = "rule-engine, one rule per code"
DISTRIBUTION = "rule-engine"

_TIMED = '["call", "voicemail", "sms", "email"]'
_CALLS = '["call", "voicemail"]'

RULES = (
    (
        "outside_permitted_hours",
        f"channel in {_TIMED} and (min_local_hour < 8 or max_local_hour >= 21)",
    ),
    ("call_frequency_exceeded", f"channel in {_CALLS} and calls_7d >= 7"),
    ("call_within_7_days_of_conversation", f"channel in {_CALLS} and days_since_conversation <= 6"),
    ("represented_by_attorney", "attorney_blocks"),
    ("cease_communication", 'cease_blocks and purpose != "cease_notice"'),
    ("threat_phrase", "threat_hit"),
)


def build() -> Decide:
    import rule_engine

    context = rule_engine.Context()
    compiled = [(code, rule_engine.Rule(text, context=context)) for code, text in RULES]

    def decide(request: dict[str, Any]) -> frozenset[str]:
        facts = extract(request)
        return frozenset(code for code, rule in compiled if rule.matches(facts))

    return decide
