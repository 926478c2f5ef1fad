"""fair_collect: stop abusive debt collection before it happens.

Hand ``check`` a proposed collection action (channel, time, wording,
recipient, borrower situation, contact history) and get back a ``Verdict``:
allow or deny, with the rule, the law, the evidence, and when the action
would next be allowed.

    import fair_collect
    policy = fair_collect.load_policy()
    verdict = policy.check({"channel": "call", "at": "2026-06-09T07:30:00-04:00", ...})
"""

from fair_collect.checks import DEFAULT_CHECKS, CheckKind, CheckParams, CheckRegistry, Finding
from fair_collect.engine import Policy, check, default_policy, load_policy, resolve_jurisdictions
from fair_collect.errors import (
    EvaluationError,
    FairCollectError,
    FieldProblem,
    InputError,
    PackError,
    PackProblem,
)
from fair_collect.limits import DEFAULT_LIMITS, Limits
from fair_collect.model import ProposedAction, parse_request
from fair_collect.verdict import (
    Citation,
    DeniedError,
    PackRef,
    Reason,
    TraceStep,
    Verdict,
    ZoneRef,
    canonical_request_json,
    request_digest,
)

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_CHECKS",
    "DEFAULT_LIMITS",
    "CheckKind",
    "CheckParams",
    "CheckRegistry",
    "Citation",
    "DeniedError",
    "EvaluationError",
    "FairCollectError",
    "FieldProblem",
    "Finding",
    "InputError",
    "Limits",
    "PackError",
    "PackProblem",
    "PackRef",
    "Policy",
    "ProposedAction",
    "Reason",
    "TraceStep",
    "Verdict",
    "ZoneRef",
    "__version__",
    "canonical_request_json",
    "check",
    "default_policy",
    "load_policy",
    "parse_request",
    "request_digest",
    "resolve_jurisdictions",
]
