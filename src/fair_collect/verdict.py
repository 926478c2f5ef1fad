"""The verdict: allow or deny, with the reasons, the law, the evidence and when to retry.

Shapes follow SPEC.md section 3. ``code`` is the stable slug callers and tests
branch on; ``message`` is for people and may change. The request digest is
computed on first access (it costs more than the check itself) and is then
fixed, so a verdict stays a pure function of its request.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    ModelWrapValidatorHandler,
    PrivateAttr,
    computed_field,
    model_validator,
)

from fair_collect.errors import FairCollectError
from fair_collect.model import ProposedAction

__all__ = [
    "CATEGORIES",
    "Citation",
    "DeniedError",
    "PackRef",
    "Reason",
    "TraceStep",
    "Verdict",
    "ZoneRef",
    "build_trusted",
    "canonical_request_json",
    "request_digest",
]

Category = Literal[
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
]
#: The closed list of reason categories (SPEC.md section 3).
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
Effect = Literal["deny", "warn"]
Confidence = Literal["primary", "secondary", "unconfirmed"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_M = TypeVar("_M", bound=_Out)


class Citation(_Out):
    """A legal source: ``source`` names the instrument and provision."""

    source: str
    url: str | None = None


class Reason(_Out):
    """Why a rule denied or warned, with its law and evidence."""

    rule_id: str
    code: str
    category: Category
    effect: Effect
    message: str
    evidence: dict[str, Any]
    citations: tuple[Citation, ...]
    pack: str
    confidence: Confidence = "primary"


class ZoneRef(_Out):
    zone: str
    source: str


class PackRef(_Out):
    id: str
    version: str
    digest: str


class TraceStep(_Out):
    """One rule as the engine saw it (``--explain``)."""

    rule_id: str
    pack: str
    result: Literal["not_applicable", "pass", "deny", "warn", "missing_fact"]
    detail: str | None = None


class DeniedError(FairCollectError):
    """Raised by ``Verdict.raise_for_outcome`` when the verdict is a deny."""

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        codes = ", ".join(r.code for r in verdict.reasons) or "no reason"
        super().__init__(f"action denied: {codes}")


_set = object.__setattr__


def build_trusted(
    cls: type[_M], fields: dict[str, Any], private: dict[str, Any] | None = None
) -> _M:
    """An instance of ``cls`` from already-valid values for *every* field."""
    instance = cls.__new__(cls)
    _set(instance, "__dict__", fields)
    _set(instance, "__pydantic_fields_set__", set(fields))
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", private)
    return instance


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


#: History-event fields added after request digests were first recorded: left
#: out of the canonical JSON while unset, so that a request that does not use
#: them keeps the digest it had (a decision log replays as exact).
_HISTORY_FIELDS_ADDED_LATER = ("address_kind",)


def canonical_request_json(request: ProposedAction) -> str:
    """The request as canonical JSON: every field (defaults included, except the
    later additions of ``_HISTORY_FIELDS_ADDED_LATER`` while unset), keys
    sorted, instants in UTC, history sorted (it may come in any order). The
    same request written with other offsets, key order or history order gives
    the same text."""
    data = _canonical(request.model_dump(mode="python"))
    if data.get("history"):
        for event in data["history"]:
            for name in _HISTORY_FIELDS_ADDED_LATER:
                if event.get(name) is None:
                    event.pop(name, None)
        data["history"] = sorted(
            data["history"], key=lambda e: (e["at"], json.dumps(e, sort_keys=True))
        )
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def request_digest(request: ProposedAction) -> str:
    digest = hashlib.sha256(canonical_request_json(request).encode("utf-8")).hexdigest()
    return f"sha256:{digest}"


class Verdict(_Out):
    """The answer to one proposed action."""

    outcome: Literal["allow", "deny"]
    allowed: bool
    reasons: tuple[Reason, ...] = ()
    warnings: tuple[Reason, ...] = ()
    next_allowed_at: datetime | None = None
    time_zones: tuple[ZoneRef, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    jurisdiction_source: Literal["request", "location", "phone", "all_packs"] = "request"
    packs: tuple[PackRef, ...] = ()
    explanation: tuple[TraceStep, ...] | None = None

    _request: ProposedAction | None = PrivateAttr(default=None)
    _digest: str | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _read_digest(cls, data: Any, handler: ModelWrapValidatorHandler[Verdict]) -> Verdict:
        """Accept a verdict read back from JSON, digest included."""
        digest = None
        if isinstance(data, dict) and "request_digest" in data:
            data = dict(data)
            digest = data.pop("request_digest")
        verdict = handler(data)
        if isinstance(digest, str):
            verdict._digest = digest
        return verdict

    @computed_field  # type: ignore[prop-decorator]
    @property
    def request_digest(self) -> str:
        """sha256 of the canonical request JSON, for audit and replay."""
        if self._digest is None:
            if self._request is None:
                raise ValueError("verdict has no request to digest")
            self._digest = request_digest(self._request)
        return self._digest

    @classmethod
    def for_request(cls, request: ProposedAction, fields: dict[str, Any]) -> Verdict:
        """Build a verdict from trusted engine values (no re-validation); the
        verdict takes ``fields`` as its own dict.

        Every field must be given. This is ``model_construct`` without its
        per-field default and alias handling, which the hot path does not need;
        a unit test checks the result survives a validated JSON round trip.
        """
        return build_trusted(cls, fields, {"_request": request, "_digest": None})

    def __eq__(self, other: object) -> bool:
        """Verdicts are equal when their JSON is: fields and request digest."""
        if not isinstance(other, Verdict):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]

    def raise_for_outcome(self) -> Verdict:
        """Return self when allowed; raise ``DeniedError`` when denied."""
        if not self.allowed:
            raise DeniedError(self)
        return self

    @property
    def codes(self) -> tuple[str, ...]:
        """Codes of the deny reasons, most relevant first."""
        return tuple(r.code for r in self.reasons)
