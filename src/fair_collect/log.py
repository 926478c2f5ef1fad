"""The decision log: one hash-chained JSON line per decision, for audit and replay.

Why a log at all: a lender must be able to show, months later, which rule
packs decided a contact and what they said. Why a hash chain: an auditor
must be able to tell that nobody edited, deleted or reordered a decision
since. Each record holds ``prev`` (the hash of the record before it, or 64
zeros for the first) and ``hash`` (sha256 over its own canonical JSON
without ``hash``), so any change to a committed record breaks either its own
hash or the link from the record after it. ``verify`` finds such breaks and
names the line.

Why masking: the log outlives the requests and is read by more people than
the backend is. By default a record keeps what the decision was and what it
was about (channel, time, recipient role), with the address and the borrower
id replaced by their sha256, and never the message. Replay needs the whole
request, so a caller opts in with ``store_request``; the wording (message
text, subject, envelope text) is still dropped unless ``store_text`` is set
as well, which means rules that read the wording can only be replayed
faithfully from records written with ``store_text``.

Durability: ``DecisionLog.record`` returns only after the line is flushed
and ``fsync``-ed, so a record whose write returned survives the writer being
killed (even with SIGKILL). A write cut short leaves a torn last line, which
``verify`` reports as such and after which the writer refuses to append.

One writer per file: the writer takes an exclusive ``flock`` where the
platform has one, and a lock for the threads of its process.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from fair_collect.errors import FairCollectError, InputError
from fair_collect.model import ProposedAction, parse_request
from fair_collect.verdict import Verdict, request_digest

if TYPE_CHECKING:
    from fair_collect.engine import Policy

try:  # POSIX only; elsewhere a second writer is not detected
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "GENESIS",
    "DecisionLog",
    "LogError",
    "Record",
    "ReplayChange",
    "ReplayReport",
    "VerifyReport",
    "record_hash",
    "replay",
    "verify",
]

#: The ``prev`` of the first record.
GENESIS = "0" * 64

#: Message fields that carry wording; dropped from a stored request unless
#: ``store_text``.
_TEXT_FIELDS = ("text", "subject", "envelope_text")

_TAIL_CHUNK = 64 * 1024


class LogError(FairCollectError):
    """The log cannot be appended to (torn or invalid tail, another writer, I/O)."""


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def record_hash(data: dict[str, Any]) -> str:
    """sha256 hex of the canonical JSON of ``data`` without its ``hash`` key."""
    body = {k: v for k, v in data.items() if k != "hash"}
    return hashlib.sha256(_canonical(body)).hexdigest()


def _sha256(text: str | None) -> str | None:
    if text is None:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _utc_iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Record:
    """One committed record: its sequence number, hash and full JSON object."""

    seq: int
    hash: str
    data: dict[str, Any]


def _action_summary(request: ProposedAction) -> dict[str, Any]:
    """What the action was, without personal data: hashes stand in for the
    address and borrower id so that records about the same person can still
    be linked. (A phone number has few possible values; its hash is a
    pseudonym, not anonymity; protect the log accordingly.)"""
    recipient = request.recipient
    borrower = request.borrower
    return {
        "channel": request.channel,
        "at": request.at.isoformat(),
        "recipient_role": recipient.role if recipient is not None else None,
        "address_sha256": _sha256(recipient.address if recipient is not None else None),
        "borrower_id_sha256": _sha256(borrower.id if borrower is not None else None),
    }


def _stored_request(request: ProposedAction, store_text: bool) -> dict[str, Any]:
    data: dict[str, Any] = request.model_dump(mode="json")
    message = data.get("message")
    if not store_text and isinstance(message, dict):
        for name in _TEXT_FIELDS:
            if name in message:
                message[name] = None
    return data


# ------------------------------------------------------------------ verify


@dataclass
class VerifyReport:
    """What ``verify`` found. ``problems`` are (1-based line, message)."""

    ok: bool
    records: int
    problems: list[tuple[int, str]] = field(default_factory=list)
    torn_tail: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "records": self.records,
            "torn_tail": self.torn_tail,
            "problems": [{"line": line, "message": msg} for line, msg in self.problems],
        }


def _parse_line(raw: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """The record on one line, or why it is not one."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 ({exc.reason} at byte {exc.start})"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"not JSON ({exc.msg} at column {exc.colno})"
    if not isinstance(data, dict):
        return None, "not a JSON object"
    seq, stored, prev = data.get("seq"), data.get("hash"), data.get("prev")
    if type(seq) is not int or not isinstance(stored, str) or not isinstance(prev, str):
        return None, "not a log record (seq, prev or hash missing or of the wrong type)"
    return data, None


def _check_record(data: dict[str, Any], raw: bytes) -> list[str]:
    """Problems of one parsed record on its own (hash, canonical form)."""
    problems = []
    if record_hash(data) != data["hash"]:
        problems.append("hash mismatch: the record was changed after it was written")
    elif _canonical(data) != raw:
        # Same data, other bytes (spacing, escapes, key order): still an edit.
        problems.append("record is not in canonical form: the line was edited")
    return problems


def verify(path: str | os.PathLike[str]) -> VerifyReport:
    """Check every record of the log at ``path``: JSON, hash, chain, sequence.

    A deletion or reordering shows as a broken chain (``prev`` is not the hash
    of the line before) and a sequence gap; an edit as a hash mismatch. A last
    line without its newline, or one that does not parse, is a torn tail (a
    write cut short): reported, never a crash. An empty file is an intact,
    empty log.
    """
    data = Path(path).read_bytes()
    if not data:
        return VerifyReport(ok=True, records=0)
    lines = data.split(b"\n")
    tail = lines.pop()  # b"" when the file ends with a newline
    numbered = list(enumerate(lines, 1))
    if tail:
        numbered.append((len(lines) + 1, tail))
    report = VerifyReport(ok=True, records=0)
    prev: str | None = GENESIS
    expected: int | None = 0
    last_number = numbered[-1][0]
    for number, raw in numbered:
        is_last = number == last_number
        record, error = _parse_line(raw)
        if is_last and tail:
            report.torn_tail = True
            report.problems.append(
                (number, "torn last line (no trailing newline): a write was cut short")
            )
            break
        if record is None:
            if is_last:
                report.torn_tail = True
                report.problems.append((number, f"torn or corrupt last line: {error}"))
            else:
                report.problems.append((number, f"invalid record: {error}"))
            prev, expected = None, None  # unknown: do not blame the next line too
            continue
        report.records += 1
        for message in _check_record(record, raw):
            report.problems.append((number, message))
        seq = record["seq"]
        if expected is not None and seq != expected:
            report.problems.append(
                (number, f"sequence break: seq {seq} where {expected} was expected")
            )
        if prev is not None and record["prev"] != prev:
            report.problems.append(
                (
                    number,
                    "chain broken: prev is not the hash of the record before"
                    " (a record was deleted, inserted or moved)",
                )
            )
        prev, expected = record["hash"], seq + 1
    report.ok = not report.problems
    return report


# ------------------------------------------------------------------ writer


def _read_tail(fd: int) -> bytes:
    """The bytes after the second-to-last newline: the last line with its newline."""
    end = os.lseek(fd, 0, os.SEEK_END)
    buffer = b""
    position = end
    while position > 0:
        start = max(0, position - _TAIL_CHUNK)
        os.lseek(fd, start, os.SEEK_SET)
        buffer = os.read(fd, position - start) + buffer
        position = start
        # A newline before the final byte marks the start of the last line.
        cut = buffer.rfind(b"\n", 0, len(buffer) - 1)
        if cut != -1:
            return buffer[cut + 1 :]
    return buffer


class DecisionLog:
    """An append-only, hash-chained decision log at ``path``.

    On open it reads the last record to continue its chain and sequence, and
    refuses to append after a torn or invalid tail (run ``fair-collect log
    verify``). ``record`` is safe to call from many threads.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        store_request: bool = False,
        store_text: bool = False,
    ) -> None:
        self.path = Path(path)
        self.store_request = store_request
        self.store_text = store_text
        self._lock = threading.Lock()
        created = not self.path.exists()
        try:
            self._file = open(self.path, "ab")  # noqa: SIM115 - closed in close()
        except OSError as exc:
            raise LogError(f"cannot open decision log {self.path}: {exc.strerror}") from None
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    raise LogError(f"decision log {self.path} is open by another writer") from None
            if created:
                _fsync_dir(self.path.parent)
            self._seq, self._prev = self._resume()
        except BaseException:
            self._file.close()
            raise

    def _resume(self) -> tuple[int, str]:
        """The next seq and prev hash, from the last line of the file."""
        with open(self.path, "rb") as reader:
            tail = _read_tail(reader.fileno())
        if not tail:
            return 0, GENESIS
        advice = f"run `fair-collect log verify {self.path}`"
        if not tail.endswith(b"\n"):
            raise LogError(
                f"decision log {self.path} ends with a torn line; refusing to append ({advice})"
            )
        raw = tail[:-1]
        data, error = _parse_line(raw)
        if data is None:
            raise LogError(
                f"the last line of decision log {self.path} is invalid ({error});"
                f" refusing to append ({advice})"
            )
        problems = _check_record(data, raw)
        if problems:
            raise LogError(
                f"the last record of decision log {self.path} is invalid ({problems[0]});"
                f" refusing to append ({advice})"
            )
        return int(data["seq"]) + 1, str(data["hash"])

    def record(self, request: ProposedAction | dict[str, Any] | str, verdict: Verdict) -> Record:
        """Append the decision on ``request`` and return once it is on disk."""
        action = parse_request(request)
        digest = request_digest(action)
        try:
            verdict_digest = verdict.request_digest
        except ValueError:
            verdict_digest = digest  # a verdict built without its request
        if verdict_digest != digest:
            raise LogError("the verdict was not made for this request (request digests differ)")
        body: dict[str, Any] = {
            "logged_at": _utc_iso(datetime.now(UTC)),
            "request_digest": digest,
            "packs": [p.model_dump(mode="json") for p in verdict.packs],
            "outcome": verdict.outcome,
            "codes": list(verdict.codes),
            "rule_ids": [r.rule_id for r in verdict.reasons],
            "next_allowed_at": (
                verdict.next_allowed_at.isoformat() if verdict.next_allowed_at else None
            ),
            "jurisdictions": list(verdict.jurisdictions),
            "action": _action_summary(action),
        }
        if self.store_request:
            body["request"] = _stored_request(action, self.store_text)
        with self._lock:
            if self._file.closed:
                raise LogError(f"decision log {self.path} is closed")
            body["seq"] = self._seq
            body["prev"] = self._prev
            body["hash"] = record_hash(body)
            line = _canonical(body) + b"\n"
            try:
                self._file.write(line)
                self._file.flush()
                os.fsync(self._file.fileno())
            except OSError as exc:
                # The tail may now be torn; the next open will refuse it.
                self._file.close()
                raise LogError(f"cannot write decision log {self.path}: {exc}") from None
            self._seq += 1
            self._prev = body["hash"]
        return Record(seq=body["seq"], hash=body["hash"], data=body)

    def close(self) -> None:
        with self._lock:
            if not self._file.closed:
                self._file.close()

    def __enter__(self) -> DecisionLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _fsync_dir(directory: Path) -> None:
    """Make a new file's directory entry durable too (POSIX; a no-op elsewhere)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ------------------------------------------------------------------ replay


@dataclass(frozen=True)
class ReplayChange:
    """A record whose decision differs under the current packs."""

    line: int
    seq: int
    old_outcome: str
    new_outcome: str
    old_codes: tuple[str, ...]
    new_codes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "seq": self.seq,
            "old": {"outcome": self.old_outcome, "codes": list(self.old_codes)},
            "new": {"outcome": self.new_outcome, "codes": list(self.new_codes)},
        }


@dataclass
class ReplayReport:
    """What ``replay`` found.

    ``not_replayable``: records without a stored request (or unreadable ones);
    ``inexact``: records replayed from a request whose digest no longer matches
    the logged one, because its wording was dropped (written without
    ``store_text``).
    """

    records: int = 0
    replayed: int = 0
    not_replayable: int = 0
    inexact: int = 0
    changes: list[ReplayChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "replayed": self.replayed,
            "not_replayable": self.not_replayable,
            "inexact": self.inexact,
            "changes": [c.to_json() for c in self.changes],
        }


def replay(path: str | os.PathLike[str], policy: Policy) -> ReplayReport:
    """Re-decide every record that stored its request under ``policy``.

    Replay does not check the chain; run ``verify`` for that.
    """
    report = ReplayReport()
    for number, raw in enumerate(Path(path).read_bytes().splitlines(), 1):
        data, _ = _parse_line(raw)
        if data is None:
            report.not_replayable += 1
            continue
        report.records += 1
        stored = data.get("request")
        if not isinstance(stored, dict):
            report.not_replayable += 1
            continue
        try:
            action = parse_request(stored)
        except InputError:
            report.not_replayable += 1
            continue
        report.replayed += 1
        if request_digest(action) != data.get("request_digest"):
            report.inexact += 1
        verdict = policy.check(action)
        old_codes = tuple(str(c) for c in data.get("codes") or ())
        old_outcome = str(data.get("outcome"))
        if verdict.outcome != old_outcome or verdict.codes != old_codes:
            report.changes.append(
                ReplayChange(
                    line=number,
                    seq=int(data["seq"]),
                    old_outcome=old_outcome,
                    new_outcome=verdict.outcome,
                    old_codes=old_codes,
                    new_codes=verdict.codes,
                )
            )
    return report
