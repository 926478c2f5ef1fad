"""IANA time zones by name, validated once and cached."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["ZoneNotFound", "get_zone"]


class ZoneNotFound(LookupError):
    """The name is not an IANA time zone known to tzdata."""


@lru_cache(maxsize=1024)
def get_zone(name: str) -> ZoneInfo:
    """The ``ZoneInfo`` for an IANA name; ``ZoneNotFound`` for anything else."""
    if not name or name != name.strip() or name.lower() == "localtime":
        raise ZoneNotFound(name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ZoneNotFound(name) from None
