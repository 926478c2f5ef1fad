"""``all``, ``any`` and ``not`` over checks.

A check describes a *violation*. ``all`` is violated when every child is,
``any`` when at least one is, ``not`` when its child is not. Unknown facts
propagate so that the result fails closed: if the answer depends on a missing
fact, the result is that missing fact, never a pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from fair_collect.checks.base import Check, Finding, passes_without_message
from fair_collect.facts.core import Facts

__all__ = ["AllOf", "AnyOf", "Not", "walk"]


def walk(check: Check) -> Iterator[Check]:
    """``check`` and, for a composite, every check inside it (depth first)."""
    yield check
    if isinstance(check, AllOf | AnyOf):
        for child in check.children:
            yield from walk(child)
    elif isinstance(check, Not):
        yield from walk(check.child)


@dataclass(frozen=True, slots=True)
class AllOf:
    children: Sequence[Check]

    @property
    def time_based(self) -> bool:
        return any(c.time_based for c in self.children)

    def passes_without_message(self) -> bool:
        return any(passes_without_message(c) for c in self.children)

    def evaluate(self, facts: Facts) -> Finding | None:
        findings = []
        for child in self.children:
            finding = child.evaluate(facts)
            if finding is None:
                return None
            findings.append(finding)
        for finding in findings:
            if finding.missing_fact:
                return finding
        evidence: dict[str, object] = {}
        for finding in findings:
            evidence.update(finding.evidence)
        return Finding(evidence)

    def next_pass(self, facts: Facts) -> datetime | None:
        times = [c.next_pass(facts) for c in self.children if c.time_based]
        known = [t for t in times if t is not None]
        return min(known) if known else None


@dataclass(frozen=True, slots=True)
class AnyOf:
    children: Sequence[Check]

    @property
    def time_based(self) -> bool:
        return all(c.time_based for c in self.children)

    def passes_without_message(self) -> bool:
        return all(passes_without_message(c) for c in self.children)

    def evaluate(self, facts: Facts) -> Finding | None:
        missing = None
        for child in self.children:
            finding = child.evaluate(facts)
            if finding is None:
                continue
            if finding.missing_fact is None:
                return finding
            missing = missing or finding
        return missing

    def next_pass(self, facts: Facts) -> datetime | None:
        latest = facts.at
        for child in self.children:
            if child.evaluate(facts) is None:
                continue
            when = child.next_pass(facts)
            if when is None:
                return None
            latest = max(latest, when)
        return latest


@dataclass(frozen=True, slots=True)
class Not:
    child: Check

    @property
    def time_based(self) -> bool:
        return False

    def evaluate(self, facts: Facts) -> Finding | None:
        finding = self.child.evaluate(facts)
        if finding is None:
            return Finding({})
        if finding.missing_fact:
            return finding
        return None

    def next_pass(self, facts: Facts) -> datetime | None:
        return None
