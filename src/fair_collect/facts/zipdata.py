"""The fields of the US ZIP database that checks read, kept between processes.

``zipcodes`` answers each query by scanning its whole database, which it
loads on the first query of a process: about half a second and 38 MB of
memory (56 MB at the peak) before the first check of a US borrower can name
a time zone or a state. Checks read four fields of it, a ZIP code at a time
or a three-digit prefix at a time: the ZIP code, its state, its county and
its time zone. So these fields are read from the database once per machine
and written to the cache directory (``keycache.cache_directory``), one line
per ZIP code, grouped by prefix; a later process reads that file (about
1.9 MB) and never loads the database.

The file is named by the ``zipcodes`` version, so a new release of the data
names a new file and a stale one is never read. A file that does not parse,
or whose content is not the expected shape, is ignored and rewritten.
Failing to read or write the file never fails a check: the fields then come
from the database, as they would without the file. ``FAIR_COLLECT_CACHE_DIR=off``
turns the file off.

Nothing in the file is executed: it holds text only. Whoever can write the
cache directory can change the zone or state a ZIP code is read as, as
whoever can write the installed ``zipcodes`` package can; the directory is
the user's own (``keycache`` says where it is).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from fair_collect.text.keycache import cache_directory, read_json, write_json

__all__ = ["ZIP_DATA", "ZipData", "ZipRecord"]

_FORMAT = 1
#: A file's lines: ZIP code, state, county, time zone, tab-separated.
_LINE = re.compile(r"([0-9]{5})\t([^\t\n]*)\t([^\t\n]*)\t([^\t\n]*)")
#: The lines of one prefix, as the file holds them.
_LINES = re.compile(f"{_LINE.pattern}(?:\n{_LINE.pattern})*")
_PREFIX = re.compile(r"[0-9]{3}")
#: A file larger than this is not read (the real one is about 1.9 MB).
_MAX_FILE_BYTES = 16 * 1024 * 1024


class ZipRecord(NamedTuple):
    """What checks read of one ZIP code. A field the database leaves empty is ``""``."""

    zip_code: str
    state: str
    county: str
    timezone: str


def _clean(value: object) -> str:
    """A database field as file text: a string, with no tab or line break in it."""
    return "" if value is None else re.sub(r"[\t\r\n]+", " ", str(value))


class ZipData:
    """The records of every US ZIP code, by three-digit prefix, read once.

    The shared instance is ``ZIP_DATA``; a new instance starts as a new
    process would (tests make one to read a file written by another)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._prefixes: dict[str, str] | None = None  # prefix -> the lines of its ZIP codes
        self._by_state: dict[str, frozenset[str]] | None = None

    def prefix_records(self, prefix: str) -> tuple[ZipRecord, ...]:
        """Every ZIP code that starts with ``prefix`` (three digits), in the
        database's order."""
        return tuple(_records(self._table().get(prefix, "")))

    def all_records(self) -> list[ZipRecord]:
        """Every ZIP code in the database."""
        return [record for prefix in self._table() for record in self.prefix_records(prefix)]

    def state_time_zones(self, state: str) -> frozenset[str]:
        """The time zones the database gives the ZIP codes of ``state`` (``NY``)."""
        by_state = self._by_state
        if by_state is None:
            found: dict[str, set[str]] = {}
            for lines in self._table().values():
                for _, in_state, _, zone in _records(lines):
                    found.setdefault(in_state, set()).add(zone)
            by_state = self._by_state = {k: frozenset(v) for k, v in found.items()}
        return by_state.get(state, frozenset())

    def _table(self) -> dict[str, str]:
        table = self._prefixes
        if table is None:
            with self._lock:
                if self._prefixes is None:
                    self._prefixes = _read_or_build()
                table = self._prefixes
        return table


def _records(lines: str) -> Iterator[ZipRecord]:
    """The records of one prefix's lines (the table holds only lines that
    ``_LINES`` accepts: four tab-separated fields each)."""
    if lines:
        for line in lines.split("\n"):
            yield ZipRecord(*line.split("\t"))


def _read_or_build() -> dict[str, str]:
    path = _file()
    if path is not None:
        found = _valid(read_json(path, _MAX_FILE_BYTES))
        if found is not None:
            return found
    table = _build()
    if path is not None:
        write_json(path, {"format": _FORMAT, "prefixes": table})
    return table


def _file() -> Path | None:
    """Where the fields of the installed ``zipcodes`` are kept, or None (no cache)."""
    directory = cache_directory()
    if directory is None:
        return None
    try:
        version = metadata.version("zipcodes")
    except metadata.PackageNotFoundError:
        return None
    if not re.fullmatch(r"[0-9A-Za-z.+_-]{1,40}", version):
        return None  # not a version a file name can carry as it is
    return directory / f"zip-fields-{version}-{_FORMAT}.json"


def _build() -> dict[str, str]:
    """The fields of every ZIP code, from the database (its one full read)."""
    import zipcodes

    lines: dict[str, list[str]] = {}
    for entry in zipcodes.filter_by():  # type: ignore[no-untyped-call]
        zip_code = _clean(entry.get("zip_code"))
        if not re.fullmatch(r"[0-9]{5}", zip_code):
            continue
        fields = (zip_code, *(_clean(entry.get(k)) for k in ("state", "county", "timezone")))
        lines.setdefault(zip_code[:3], []).append("\t".join(fields))
    return {prefix: "\n".join(rows) for prefix, rows in lines.items()}


def _valid(data: object) -> dict[str, str] | None:
    """The table in a parsed file, or None if it is not what was written."""
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return None
    table = data.get("prefixes")
    if not isinstance(table, dict) or not table:
        return None
    for prefix, lines in table.items():
        if not _PREFIX.fullmatch(prefix) or not isinstance(lines, str):
            return None
        if not _LINES.fullmatch(lines):
            return None
        # Every line starts with the prefix: as many line starts as lines.
        if not lines.startswith(prefix) or lines.count("\n" + prefix) != lines.count("\n"):
            return None
    return table


#: The records every check reads.
ZIP_DATA = ZipData()
