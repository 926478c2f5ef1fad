"""The subset as a GoRules ZEN decision table (``zen-engine``), hit policy "collect".

Each row is one way to deny and outputs its code; an empty cell matches
anything. The facts are passed as JSON text, which this binding evaluates
faster than a dict.
"""

from __future__ import annotations

import json
from typing import Any

from peers import Decide
from peers.facts import extract

TITLE = "GoRules ZEN (zen-engine), decision table"
DISTRIBUTION = "zen-engine"

_TIMED = '"call", "voicemail", "sms", "email"'
_CALLS = '"call", "voicemail"'

_INPUTS = [
    ("channel", "channel"),
    ("purpose", "purpose"),
    ("min_hour", "min_local_hour"),
    ("max_hour", "max_local_hour"),
    ("calls", "calls_7d"),
    ("since", "days_since_conversation"),
    ("attorney", "attorney_blocks"),
    ("cease", "cease_blocks"),
    ("threat", "threat_hit"),
]
_ROWS = [
    ({"channel": _TIMED, "min_hour": "< 8"}, "outside_permitted_hours"),
    ({"channel": _TIMED, "max_hour": ">= 21"}, "outside_permitted_hours"),
    ({"channel": _CALLS, "calls": ">= 7"}, "call_frequency_exceeded"),
    ({"channel": _CALLS, "since": "<= 6"}, "call_within_7_days_of_conversation"),
    ({"attorney": "true"}, "represented_by_attorney"),
    ({"cease": "true", "purpose": '!= "cease_notice"'}, "cease_communication"),
    ({"threat": "true"}, "threat_phrase"),
]


def decision_table() -> dict[str, Any]:
    """The JDM graph: input -> decision table -> output."""
    rules = []
    for index, (cells, code) in enumerate(_ROWS):
        row = {"_id": f"r{index}", "code": json.dumps(code)}
        row.update({key: cells.get(key, "") for key, _ in _INPUTS})
        rules.append(row)
    return {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "facts", "position": {"x": 0, "y": 0}},
            {
                "id": "table",
                "type": "decisionTableNode",
                "name": "subset",
                "position": {"x": 250, "y": 0},
                "content": {
                    "hitPolicy": "collect",
                    "inputs": [{"id": key, "name": key, "field": f} for key, f in _INPUTS],
                    "outputs": [{"id": "code", "name": "code", "field": "code"}],
                    "rules": rules,
                },
            },
            {"id": "out", "type": "outputNode", "name": "verdict", "position": {"x": 500, "y": 0}},
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "table", "type": "edge"},
            {"id": "e2", "sourceId": "table", "targetId": "out", "type": "edge"},
        ],
    }


def build() -> Decide:
    import zen

    decision = zen.ZenEngine().create_decision(json.dumps(decision_table()))
    dumps = json.dumps

    def decide(request: dict[str, Any]) -> frozenset[str]:
        result = decision.evaluate(dumps(extract(request)))["result"]
        return frozenset(row["code"] for row in result)

    return decide
