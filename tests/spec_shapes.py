"""The verdict's shape as SPEC.md section 3 writes it, written out here on
purpose (not read from the code) so that tests catch a field or category the
code drops or renames."""

from __future__ import annotations

import re

#: How a digest is written: ``sha256:`` and 64 lowercase hex digits.
SHA256 = re.compile(r"sha256:[0-9a-f]{64}")

#: Top-level keys every verdict has.
VERDICT_KEYS = frozenset(
    {
        "outcome",
        "allowed",
        "reasons",
        "warnings",
        "next_allowed_at",
        "time_zones",
        "jurisdictions",
        "packs",
        "request_digest",
    }
)
#: Keys every reason (deny or warning) has.
REASON_KEYS = frozenset(
    {"rule_id", "code", "category", "effect", "message", "evidence", "citations", "pack"}
)
#: The closed list of reason categories.
CATEGORIES = frozenset(
    {
        "time_of_day",
        "frequency",
        "harassment",
        "false_representation",
        "privacy",
        "consumer_status",
        "channel_consent",
        "disclosure",
        "place",
        "missing_fact",
    }
)
