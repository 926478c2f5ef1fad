"""IANA time zones by name, validated once and cached."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["ZoneNotFound", "get_zone"]


class ZoneNotFound(LookupError):
    """The name is not an IANA time zone known to tzdata."""


def get_zone(name: str) -> ZoneInfo:
    """The ``ZoneInfo`` for an IANA name; ``ZoneNotFound`` for anything else."""
    zone = _lookup(name)
    if zone is None:
        raise ZoneNotFound(name)
    return zone


@lru_cache(maxsize=1024)
def _lookup(name: str) -> ZoneInfo | None:
    """The zone, or None: unknown names are remembered too, so that a bad name
    in a data source (the ZIP database names one Alaskan zone "Napakiak") is
    looked for on disk once, not on every check."""
    if not name or name != name.strip() or name.lower() == "localtime":
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
