"""The pack file format (SPEC.md section 5) as pydantic models.

``pack.yaml`` describes the pack; every other ``*.yaml`` file in the folder
(or those listed in ``rule_files``) holds ``rules:``. Unknown keys are errors.
The ``check`` of a rule is kept as raw data here and validated against the
check registry by the compiler, which knows the registered names.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from fair_collect.model import (
    Channel,
    CollectorType,
    JurisdictionCode,
    Purpose,
    RecipientRole,
    ZoneName,
)
from fair_collect.verdict import Category, Confidence

__all__ = [
    "AppliesToSpec",
    "CitationSpec",
    "EffectiveSpec",
    "ExampleSpec",
    "PackSpec",
    "RuleFileSpec",
    "RuleSpec",
]

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


NonEmpty = Annotated[str, Field(min_length=1)]


class CitationSpec(_Spec):
    """A legal source. ``source`` names the instrument and provision precisely."""

    source: NonEmpty
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None


class EffectiveSpec(_Spec):
    from_: date = Field(alias="from")
    until: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> EffectiveSpec:
        if self.until is not None and self.until <= self.from_:
            raise ValueError("'until' must be after 'from'")
        return self


class PackSpec(_Spec):
    """``pack.yaml``."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(/[a-z0-9_]+)*$")]
    title: NonEmpty
    jurisdiction: JurisdictionCode
    version: NonEmpty
    effective: EffectiveSpec
    binds: tuple[CollectorType, ...] = Field(min_length=1)
    time_zone: ZoneName | None = None
    description: str | None = None
    sources: tuple[CitationSpec, ...] = Field(min_length=1)
    rule_files: tuple[NonEmpty, ...] | None = None
    example_defaults: dict[str, Any] = Field(default_factory=dict)

    @property
    def rule_prefix(self) -> str:
        return self.id.replace("/", ".") + "."


class AppliesToSpec(_Spec):
    """Which actions a rule applies to; an omitted list means all.

    ``collector_types`` defaults to the pack's ``binds``.
    """

    channels: tuple[Channel, ...] | None = None
    recipient_roles: tuple[RecipientRole, ...] | None = None
    collector_types: tuple[CollectorType, ...] | None = None
    purposes: tuple[Purpose, ...] | None = None


class ExampleSpec(_Spec):
    """A request fragment (merged over the pack's ``example_defaults``) and what this rule does with it."""

    name: NonEmpty
    expect: Literal["deny", "warn", "allow"]
    codes: tuple[str, ...] | None = None
    request: dict[str, Any]
    note: str | None = None


Message = NonEmpty | dict[Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")], NonEmpty]


class RuleSpec(_Spec):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")]
    title: NonEmpty
    category: Category
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    effect: Literal["deny", "warn"]
    confidence: Confidence = "primary"
    note: str | None = None
    applies_to: AppliesToSpec = AppliesToSpec()
    check: dict[str, Any]
    message: Message
    citations: tuple[CitationSpec, ...] = Field(min_length=1)
    examples: tuple[ExampleSpec, ...] = Field(min_length=2)

    @field_validator("message")
    @classmethod
    def _english(cls, message: str | dict[str, str]) -> str | dict[str, str]:
        if isinstance(message, dict) and "en" not in message:
            raise ValueError("a message in several languages needs an 'en' text")
        return message

    @model_validator(mode="after")
    def _examples_and_notes(self) -> RuleSpec:
        hit = "warn" if self.effect == "warn" else "deny"
        kinds = {e.expect for e in self.examples}
        if hit not in kinds or "allow" not in kinds:
            raise ValueError(
                f"a {self.effect} rule needs at least one '{hit}' and one 'allow' example"
            )
        if ("warn" in kinds and hit != "warn") or ("deny" in kinds and hit != "deny"):
            raise ValueError(f"a {self.effect} rule's examples expect '{hit}' or 'allow'")
        if self.confidence != "primary" and not self.note:
            raise ValueError(
                f"confidence {self.confidence!r} needs a note saying what is not confirmed"
            )
        return self

    def messages(self) -> dict[str, str]:
        return {"en": self.message} if isinstance(self.message, str) else dict(self.message)

    def placeholders(self) -> set[str]:
        return {name for text in self.messages().values() for name in _PLACEHOLDER.findall(text)}


class RuleFileSpec(_Spec):
    rules: tuple[RuleSpec, ...] = Field(min_length=1)
