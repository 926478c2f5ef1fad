"""The subset as hand-written Python over the extracted facts."""

from __future__ import annotations

from typing import Any

from peers import Decide
from peers.facts import CALL_CHANNELS, TIMED_CHANNELS, extract

TITLE = "plain Python"
DISTRIBUTION = None


def decide_facts(facts: dict[str, Any]) -> frozenset[str]:
    codes = []
    channel = facts["channel"]
    if channel in TIMED_CHANNELS and (facts["min_local_hour"] < 8 or facts["max_local_hour"] >= 21):
        codes.append("outside_permitted_hours")
    if channel in CALL_CHANNELS:
        if facts["calls_7d"] >= 7:
            codes.append("call_frequency_exceeded")
        if facts["days_since_conversation"] <= 6:
            codes.append("call_within_7_days_of_conversation")
    if facts["attorney_blocks"]:
        codes.append("represented_by_attorney")
    if facts["cease_blocks"] and facts["purpose"] != "cease_notice":
        codes.append("cease_communication")
    if facts["threat_hit"]:
        codes.append("threat_phrase")
    return frozenset(codes)


def build() -> Decide:
    def decide(request: dict[str, Any]) -> frozenset[str]:
        return decide_facts(extract(request))

    return decide
