"""The exception hierarchy: broken packs, bad input and internal failures.

A deny is a value (a ``Verdict``), never an exception. Exceptions are for
things the caller must fix: a pack that does not load (``PackError``, raised
by ``load_policy``), a request that is not valid (``InputError``, raised by
``check``), or a bug (``EvaluationError``). None of them is ever an allow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "EvaluationError",
    "FairCollectError",
    "FieldProblem",
    "InputError",
    "PackError",
    "PackProblem",
]


class FairCollectError(Exception):
    """Base class of every error fair_collect raises on purpose."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One problem with one field of a request.

    ``loc`` is the dotted path of the field (``borrower.phones.0.number``),
    ``type`` a stable slug (pydantic's error type or ours), ``msg`` for people.
    """

    loc: str
    type: str
    msg: str

    def __str__(self) -> str:
        return f"{self.loc or '<request>'}: {self.msg} [{self.type}]"


class InputError(FairCollectError, ValueError):
    """The request is not valid. Never an allow; fix the named fields."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems: tuple[FieldProblem, ...] = tuple(problems)
        count = len(self.problems)
        head = f"invalid request: {count} problem{'s' if count != 1 else ''}"
        super().__init__(head + "".join(f"\n  {p}" for p in self.problems))

    @property
    def fields(self) -> tuple[str, ...]:
        """The dotted paths of every field with a problem, in order."""
        return tuple(p.loc for p in self.problems)

    def to_json(self) -> dict[str, object]:
        return {
            "error": "invalid_input",
            "problems": [{"loc": p.loc, "type": p.type, "msg": p.msg} for p in self.problems],
        }


@dataclass(frozen=True, slots=True)
class PackProblem:
    """One problem in a rule pack, located as precisely as the loader can."""

    file: str
    line: int | None
    msg: str
    rule_id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.rule_id:
            parts.append(f"rule {self.rule_id}")
        if self.field:
            parts.append(f"field {self.field}")
        return f"{': '.join(parts)}: {self.msg}"


class PackError(FairCollectError):
    """A rule pack cannot be loaded or compiled. Raised by ``load_policy``."""

    def __init__(self, problems: Sequence[PackProblem]) -> None:
        self.problems: tuple[PackProblem, ...] = tuple(problems)
        count = len(self.problems)
        head = f"rule pack error: {count} problem{'s' if count != 1 else ''}"
        super().__init__(head + "".join(f"\n  {p}" for p in self.problems))

    def to_json(self) -> dict[str, object]:
        return {
            "error": "pack_error",
            "problems": [
                {
                    "file": p.file,
                    "line": p.line,
                    "rule_id": p.rule_id,
                    "field": p.field,
                    "msg": p.msg,
                }
                for p in self.problems
            ],
        }


class EvaluationError(FairCollectError, RuntimeError):
    """A check failed unexpectedly. A bug: the request is denied, never allowed."""
