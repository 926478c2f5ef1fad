"""The registry of check kinds that rules may name.

``DEFAULT_CHECKS`` is immutable. To add a house check, build a ``CheckKind``
and pass ``DEFAULT_CHECKS.extend(kind)`` to ``load_policy(checks=...)``.
"""

from fair_collect.checks import (
    channels,
    conduct,
    content,
    frequency,
    mail,
    parties,
    reporting,
    status,
    tcpa,
    terms,
    time,
)
from fair_collect.checks.base import (
    Check,
    CheckKind,
    CheckParams,
    CheckRegistry,
    Finding,
    PackContext,
)

__all__ = [
    "DEFAULT_CHECKS",
    "Check",
    "CheckKind",
    "CheckParams",
    "CheckRegistry",
    "Finding",
    "PackContext",
]

DEFAULT_CHECKS = CheckRegistry.of(
    (
        *time.KINDS,
        *frequency.KINDS,
        *status.KINDS,
        *channels.KINDS,
        *mail.KINDS,
        *reporting.KINDS,
        *tcpa.KINDS,
        *parties.KINDS,
        *terms.KINDS,
        *content.KINDS,
        *conduct.KINDS,
    )
)
