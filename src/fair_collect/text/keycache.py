"""The automaton keys of word-list terms, remembered between policies and runs.

Compiling a lexicon folds every listed term (and reads Chinese terms aloud in
pinyin) to get the keys the automaton matches: tens of thousands of terms,
most of the time ``load_policy`` takes. The keys depend only on the term, on
whether it is read in pinyin, and on the folding code and its data. So they
are remembered:

* in memory, for every ``Lexicon`` built in the process (a test suite, a
  service reloading its packs, ``fair-collect`` commands that load twice);
* on disk, in one JSON file per set of terms, so that the next process (a
  pre-commit hook running ``fair-collect lint``, a worker starting) reads
  them instead of folding again.

The file is named by a digest of the terms *and* of what folding them
depends on: the source of the folding and lexicon modules, the versions of
opencc and pypinyin and the Unicode version. A change to any of them names a
different file, so a stale file is never read. A file that does not parse,
or whose content is not the expected shape, is ignored and rewritten.
Nothing in it is executed: it holds strings and integers only. Whoever can
write the cache directory can change what the matcher looks for, as whoever
can write the installed package can; the directory is the user's own
(``$XDG_CACHE_HOME/fair_collect``, else ``~/.cache/fair_collect``).

At most ``KEEP_FILES`` key files (and ``KEEP_BYTES`` bytes of them) are
kept: writing a new one removes the least recently used beyond that.

``FAIR_COLLECT_CACHE_DIR`` names another directory; ``FAIR_COLLECT_CACHE_DIR=off``
turns the disk cache off (the in-memory one stays). Failing to read or write
the cache never fails a load: the keys are then computed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from pathlib import Path

__all__ = ["CACHE_ENV", "KeyCache", "cache_directory", "read_json", "write_json"]

#: The environment variable naming the cache directory ("off": no disk cache).
CACHE_ENV = "FAIR_COLLECT_CACHE_DIR"

#: The keys of one term: (key, views) pairs, as ``lexicon._keys_of`` returns.
Keys = tuple[tuple[str, int], ...]
#: A term as the lexicon asks for it: its text and whether it is read in pinyin.
Term = tuple[str, bool]

_FORMAT = 1
#: A key file larger than this is not read (the shipped packs' is about 1.5 MB).
_MAX_FILE_BYTES = 64 * 1024 * 1024


def cache_directory() -> Path | None:
    """Where key files go, or None when the disk cache is off."""
    named = os.environ.get(CACHE_ENV)
    if named is not None:
        return None if named.strip().lower() in ("", "off", "0", "no") else Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "fair_collect"


@functools.cache
def _code_fingerprint() -> str:
    """What the keys of a term depend on besides the term itself."""
    digest = hashlib.sha256()
    digest.update(f"format {_FORMAT}\nunicode {unicodedata.unidata_version}\n".encode())
    for dist in ("opencc", "pypinyin"):
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{dist} {version}\n".encode())
    for name in ("fair_collect.text.folding", "fair_collect.text.lexicon"):
        module = sys.modules.get(name)
        source = getattr(module, "__file__", None)
        if source is None:
            return "unknown"  # no source to fingerprint: never trust a file
        digest.update(Path(source).read_bytes())
    return digest.hexdigest()


def _valid(data: object, terms: list[Term]) -> dict[Term, Keys] | None:
    """The keys in a parsed file, or None if it is not what was written."""
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return None
    rows = data.get("keys")
    if not isinstance(rows, list) or len(rows) != len(terms):
        return None
    found: dict[Term, Keys] = {}
    for term, row in zip(terms, rows, strict=True):
        if not isinstance(row, list):
            return None
        keys = []
        for pair in row:
            if (
                not isinstance(pair, list)
                or len(pair) != 2
                or not isinstance(pair[0], str)
                or type(pair[1]) is not int
            ):
                return None
            keys.append((pair[0], pair[1]))
        found[term] = tuple(keys)
    return found


class KeyCache:
    """Keys of terms, computed once per process and, where possible, once per machine."""

    def __init__(self, compute: Callable[[str, bool], Iterable[tuple[str, int]]]) -> None:
        self._compute = compute
        self._memory: dict[Term, Keys] = {}
        self._lock = threading.Lock()

    def keys_of(self, terms: Iterable[Term]) -> Mapping[Term, Keys]:
        """The keys of every term (each term once, in the order first given)."""
        wanted = list(dict.fromkeys(terms))
        with self._lock:
            missing = [t for t in wanted if t not in self._memory]
            if missing:
                self._memory.update(self._load_or_compute(missing))
            memory = self._memory
            return {t: memory[t] for t in wanted}

    def _load_or_compute(self, terms: list[Term]) -> dict[Term, Keys]:
        directory = cache_directory()
        fingerprint = _code_fingerprint() if directory is not None else "unknown"
        if directory is None or fingerprint == "unknown":
            return {t: tuple(self._compute(*t)) for t in terms}
        digest = hashlib.sha256(fingerprint.encode())
        for text, pinyin in terms:
            digest.update(f"{int(pinyin)}{len(text)}:{text}".encode())
        path = directory / f"lexicon-keys-{digest.hexdigest()[:40]}.json"
        found = _valid(read_json(path, _MAX_FILE_BYTES), terms)
        if found is not None:
            _mark_used(path)
            return found
        computed = {t: tuple(self._compute(*t)) for t in terms}
        write_json(
            path, {"format": _FORMAT, "keys": [[list(k) for k in computed[t]] for t in terms]}
        )
        _prune(directory, keep=path)
        return computed


#: Key files kept in the cache directory, the most recently used first. Each
#: set of word lists names a file of its own (a custom pack, an edited word
#: list, a new release of fair_collect or of what folding depends on), so
#: without a bound the directory would only grow.
KEEP_FILES = 64
KEEP_BYTES = 48 * 1024 * 1024
#: A file read is marked used (its modification time set to now) only when
#: it was last marked longer ago than this: a process start need not write.
_MARK_AFTER_S = 3600.0
#: A temporary file older than this was left by a writer killed before its rename.
_STRAY_AFTER_S = 3600.0


def _mark_used(path: Path) -> None:
    with contextlib.suppress(OSError):
        if time.time() - path.stat().st_mtime > _MARK_AFTER_S:
            os.utime(path)


def _prune(directory: Path, keep: Path) -> None:
    """Remove the least recently used key files beyond ``KEEP_FILES`` files or
    ``KEEP_BYTES`` bytes, never ``keep`` (the file just written). Another
    process may be pruning or reading too: a file gone already is skipped,
    and a reader that loses its file computes the keys again. Temporary
    files more than an hour old, left by a writer killed before its rename,
    go too."""
    files = []
    try:
        found = list(directory.glob("lexicon-keys-*.json"))
        stray = list(directory.glob(".keys-*.tmp"))
    except OSError:
        return
    for path in stray:  # left by a writer that was killed before its rename
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime > _STRAY_AFTER_S:
                path.unlink()
    for path in found:
        try:
            info = path.stat()
        except OSError:
            continue
        files.append((info.st_mtime, info.st_size, path))
    files.sort(key=lambda row: row[0], reverse=True)
    kept, total = 1, sum(size for _, size, path in files if path == keep)
    for _, size, path in files:
        if path == keep:
            continue
        if kept < KEEP_FILES and total + size <= KEEP_BYTES:
            kept += 1
            total += size
            continue
        with contextlib.suppress(OSError):  # gone already, or not ours to remove
            path.unlink()


def read_json(path: Path, max_bytes: int) -> object:
    """The parsed content of a cache file, or None when it cannot be had: a
    file missing, unreadable, larger than ``max_bytes``, not JSON, or nested
    past the recursion limit. What a cache file holds is never a reason to
    fail: the caller computes the data again."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        return json.loads(path.read_text(encoding="utf-8"))
    except Exception:
        return None


def write_json(path: Path, data: object) -> None:
    """Write atomically (a reader sees the old file or the whole new one); give
    up quietly if the directory cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".keys-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass
