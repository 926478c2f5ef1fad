"""The subset as Cedar policies (``cedarpy``): one ``permit`` and a ``forbid`` per code.

The policy set and the (empty) entity set are parsed once; the facts are the
request context. A forbid that holds denies, and the diagnostics name it.
"""

from __future__ import annotations

from typing import Any

from peers import Decide
from peers.facts import extract

TITLE = "Cedar (cedarpy), policies"
DISTRIBUTION = "cedarpy"

_TIMED = '["call", "voicemail", "sms", "email"]'
_CALLS = '["call", "voicemail"]'

#: (code, condition on the context), one forbid policy each.
FORBIDS = (
    (
        "outside_permitted_hours",
        f"{_TIMED}.contains(context.channel)"
        " && (context.min_local_hour < 8 || context.max_local_hour >= 21)",
    ),
    ("call_frequency_exceeded", f"{_CALLS}.contains(context.channel) && context.calls_7d >= 7"),
    (
        "call_within_7_days_of_conversation",
        f"{_CALLS}.contains(context.channel) && context.days_since_conversation <= 6",
    ),
    ("represented_by_attorney", "context.attorney_blocks"),
    ("cease_communication", 'context.cease_blocks && context.purpose != "cease_notice"'),
    ("threat_phrase", "context.threat_hit"),
)


def policies() -> str:
    lines = ['@id("allow") permit(principal, action, resource);']
    lines += [
        f'@id("{code}") forbid(principal, action, resource) when {{ {condition} }};'
        for code, condition in FORBIDS
    ]
    return "\n".join(lines)


def build() -> Decide:
    import cedarpy

    policy_set = cedarpy.PolicySet.from_str(policies())
    entities = cedarpy.Entities.from_json_str("[]")
    # Policies are numbered in source order: policy0 is the permit.
    codes = {f"policy{i + 1}": code for i, (code, _) in enumerate(FORBIDS)}
    is_authorized = cedarpy.is_authorized

    def decide(request: dict[str, Any]) -> frozenset[str]:
        result = is_authorized(
            {
                "principal": 'Collector::"c"',
                "action": 'Action::"contact"',
                "resource": 'Borrower::"b"',
                "context": extract(request),
            },
            policy_set,
            entities,
        )
        if result.allowed:
            return frozenset()
        if result.diagnostics.errors:
            raise RuntimeError(f"cedar: {result.diagnostics.errors}")
        return frozenset(codes[p] for p in result.diagnostics.reasons)

    return decide
