"""Input limits: how much one request may ask of ``Policy.check``.

A compliance gate must answer every request promptly, whatever it is sent.
The checks are linear in their input (one automaton pass per message field,
bisection over the history), so the cost of a request is bounded by its size;
these limits bound the size. A request beyond a limit is an ``InputError``
naming the field, raised before the expensive work, never a slow allow.

The defaults are generous for real collection traffic:

* ``max_request_bytes`` (16 MiB): JSON text or bytes handed to ``check``,
  refused before it is parsed;
* ``max_message_bytes`` (1 MiB): each text field of ``message`` (``text``,
  ``subject``, ``envelope_text``, ``sender_name``), counted in UTF-8 bytes;
* ``max_history`` (10,000): events in ``history``;
* ``max_candidate_zones`` (32): distinct candidate time zones the request
  yields (location, phone numbers, dialled number); every time-of-day rule
  runs in each of them.

Pass other values to ``load_policy(..., limits=Limits(...))``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fair_collect.errors import FieldProblem, InputError
from fair_collect.facts.zones import ZoneSet
from fair_collect.model import ProposedAction

__all__ = ["DEFAULT_LIMITS", "MESSAGE_TEXT_FIELDS", "Limits"]

_MIB = 1024 * 1024

#: The fields of ``message`` that carry free text, each held to ``max_message_bytes``.
MESSAGE_TEXT_FIELDS = ("text", "subject", "envelope_text", "sender_name")

#: The most bytes of UTF-8 one character can take.
_MAX_UTF8 = 4


def _utf8_size(text: str, limit: int) -> int:
    """The UTF-8 size of ``text``, computed only when its length leaves doubt."""
    if len(text) * _MAX_UTF8 <= limit:
        return len(text)  # certainly within the limit; the exact size does not matter
    if len(text) > limit:
        return len(text)  # certainly beyond it (every character is at least one byte)
    return len(text.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True, slots=True)
class Limits:
    """How large a request ``Policy.check`` accepts; beyond a limit, an ``InputError``."""

    max_request_bytes: int = 16 * _MIB
    max_message_bytes: int = _MIB
    max_history: int = 10_000
    max_candidate_zones: int = 32

    def __post_init__(self) -> None:
        for name in ("max_request_bytes", "max_message_bytes", "max_history"):
            value = getattr(self, name)
            if type(value) is not int or value < 0:
                raise ValueError(f"Limits.{name} must be a non-negative int, got {value!r}")
        value = self.max_candidate_zones
        if type(value) is not int or value < 1:
            raise ValueError(f"Limits.max_candidate_zones must be a positive int, got {value!r}")

    # ------------------------------------------------------------ before parsing

    def check_raw(self, request: object) -> None:
        """Refuse an oversized request before it is parsed or validated.

        JSON text or bytes are measured whole; a mapping has its ``history``
        counted and its message fields measured (a model is checked by
        ``check_request``). Anything else is left to validation.
        """
        if isinstance(request, str):
            if _utf8_size(request, self.max_request_bytes) > self.max_request_bytes:
                raise InputError([self._request_problem(len(request.encode("utf-8", "replace")))])
        elif isinstance(request, bytes | bytearray):
            if len(request) > self.max_request_bytes:
                raise InputError([self._request_problem(len(request))])
        elif isinstance(request, Mapping):
            problems = []
            history = request.get("history")
            if isinstance(history, list | tuple) and len(history) > self.max_history:
                problems.append(self._history_problem(len(history)))
            message = request.get("message")
            if isinstance(message, Mapping):
                problems.extend(self._message_problems(message))
            if problems:
                raise InputError(problems)

    # ------------------------------------------------------------ after parsing

    def check_request(self, request: ProposedAction, zones: ZoneSet) -> None:
        """Refuse a validated request beyond a limit; ``zones`` are its candidate zones."""
        problems = []
        history = request.history
        if history is not None and len(history) > self.max_history:
            problems.append(self._history_problem(len(history)))
        message = request.message
        if message is not None:
            problems.extend(
                self._message_problems({f: getattr(message, f) for f in MESSAGE_TEXT_FIELDS})
            )
        if len(zones.unique) > self.max_candidate_zones:
            problems.append(self._zones_problem(zones))
        if problems:
            raise InputError(problems)

    # ------------------------------------------------------------------ problems

    def _request_problem(self, size: int) -> FieldProblem:
        return FieldProblem(
            loc="",
            type="request_too_large",
            msg=f"the request is {size:,} bytes; the limit is {self.max_request_bytes:,}"
            " (Limits.max_request_bytes)",
        )

    def _history_problem(self, count: int) -> FieldProblem:
        return FieldProblem(
            loc="history",
            type="too_many_items",
            msg=f"history has {count:,} events; the limit is {self.max_history:,}"
            " (Limits.max_history)",
        )

    def _message_problems(self, message: Mapping[str, Any]) -> list[FieldProblem]:
        problems = []
        limit = self.max_message_bytes
        for name in MESSAGE_TEXT_FIELDS:
            value = message.get(name)
            if isinstance(value, str) and _utf8_size(value, limit) > limit:
                size = len(value.encode("utf-8", "surrogatepass"))
                problems.append(
                    FieldProblem(
                        loc=f"message.{name}",
                        type="too_long",
                        msg=f"message.{name} is {size:,} bytes of UTF-8; the limit is"
                        f" {limit:,} (Limits.max_message_bytes)",
                    )
                )
        return problems

    def _zones_problem(self, zones: ZoneSet) -> FieldProblem:
        sources = {c.source for c in zones.all}
        if "phone" in sources:
            loc = "borrower.phones"
        elif "dialled_number" in sources and not sources & {"time_zone", "postal_code", "region"}:
            loc = "recipient.address"
        else:
            loc = "borrower.location"
        return FieldProblem(
            loc=loc,
            type="too_many_zones",
            msg=f"the request yields {len(zones.unique):,} candidate time zones (from"
            f" {', '.join(sorted(sources))}); the limit is {self.max_candidate_zones:,}"
            " (Limits.max_candidate_zones)",
        )


#: The limits a policy applies unless ``load_policy`` is given others.
DEFAULT_LIMITS = Limits()
