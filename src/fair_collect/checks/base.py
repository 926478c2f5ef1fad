"""The vocabulary of checks: what a check is, what it returns, and the registry.

A rule names one registered check kind with parameters (or ``all``/``any``/
``not`` of such). A ``CheckKind`` is a parameter model plus a ``build``
function that turns validated parameters into a ``Check``, once, at
``load_policy``. Checks are pure: they read ``Facts`` and return a
``Finding`` describing a violation, or None.

Time-based checks (hours, windows, cooldowns) also answer ``next_pass``: the
earliest instant at or after the facts' instant at which they would pass.
The engine iterates those answers to a fixed point for ``next_allowed_at``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from fair_collect.facts.core import Facts

__all__ = [
    "Check",
    "CheckKind",
    "CheckParams",
    "CheckRegistry",
    "Finding",
    "PackContext",
    "Timeless",
    "passes_without_message",
    "suggest",
]


class CheckParams(BaseModel):
    """Base of every check's parameter model: frozen, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True, slots=True)
class Finding:
    """A violation found by a check, or a fact it needed and did not get.

    ``evidence`` holds JSON-ready values; the rule's message template is
    rendered from it. ``missing_fact`` names the missing fact: the engine
    then denies with category ``missing_fact`` instead of the rule's own.
    """

    evidence: Mapping[str, Any]
    missing_fact: str | None = None


@dataclass(frozen=True, slots=True)
class PackContext:
    """What a check may know about the pack it is compiled into."""

    pack_id: str
    jurisdiction: str
    time_zone: ZoneInfo | None = None
    #: The categories the pack's word lists signal (``wordlists/*.yaml``).
    word_categories: frozenset[str] = frozenset()


class Check(Protocol):
    """A compiled check. Implementations are immutable and thread-safe."""

    @property
    def time_based(self) -> bool:
        """True when waiting can make the check pass (``next_pass`` is meaningful)."""
        ...

    def evaluate(self, facts: Facts) -> Finding | None:
        """A finding when the facts violate the check; None when they pass."""
        ...

    def next_pass(self, facts: Facts) -> datetime | None:
        """Earliest instant >= ``facts.at`` at which ``evaluate`` would pass.

        None when waiting will not help (or not within the engine's horizon).
        Only called on time-based checks that currently fail.
        """
        ...


class Timeless:
    """Base of checks that waiting cannot cure (a cease, a status, a wording):
    ``time_based`` is False and ``next_pass`` is None, so a deny they give
    makes ``next_allowed_at`` null."""

    __slots__ = ()

    @property
    def time_based(self) -> bool:
        return False

    def next_pass(self, facts: Facts) -> datetime | None:
        return None


def passes_without_message(check: Check) -> bool:
    """Whether ``check`` passes, whatever else the request says, when the request
    has no message at all.

    Checks that read only the message (wording, personal data) say so with a
    ``passes_without_message()`` method; the engine then leaves them out of
    the plan for a message-less action (most calls), since evaluating them
    could only pass. A check without the method is always evaluated.
    """
    probe = getattr(check, "passes_without_message", None)
    return bool(probe is not None and probe())


@dataclass(frozen=True, slots=True)
class CheckKind:
    """A registered check: its name, parameter model and builder."""

    name: str
    params: type[CheckParams]
    build: Callable[[Any, PackContext], Check]
    evidence: frozenset[str]
    summary: str = ""
    #: The check reads what the message says (``fair-collect lint`` runs the
    #: rules that use such checks over message templates).
    reads_message: bool = False


def suggest(word: str, choices: Iterable[str]) -> str:
    """A " (did you mean 'x'?)" hint, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True)
class CheckRegistry(Mapping[str, CheckKind]):
    """An immutable mapping of check names to kinds. ``extend`` returns a new one."""

    _kinds: Mapping[str, CheckKind] = field(default_factory=dict)

    @classmethod
    def of(cls, kinds: Iterable[CheckKind]) -> CheckRegistry:
        return cls().extend(*kinds)

    def extend(self, *kinds: CheckKind) -> CheckRegistry:
        merged = dict(self._kinds)
        for kind in kinds:
            if kind.name in merged or kind.name in ("all", "any", "not"):
                raise ValueError(f"check kind {kind.name!r} is already registered")
            merged[kind.name] = kind
        return CheckRegistry(merged)

    def __getitem__(self, name: str) -> CheckKind:
        return self._kinds[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._kinds)))
