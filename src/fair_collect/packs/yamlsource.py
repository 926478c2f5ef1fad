"""Reading pack YAML as plain data, with the line of every node.

Packs are reviewed by compliance staff and must mean exactly what they say,
so the reader is stricter than ``yaml.safe_load``:

* scalars follow the YAML 1.2 core schema: only ``null``, ``true``/``false``,
  decimal integers and floats are typed; everything else is a string. (YAML
  1.1 would read ``21:00`` as the integer 1260, ``no`` as false and
  ``2021-11-30`` as a date.) A plain scalar that YAML 1.1 reads as text
  (``1e5``, ``089``) stays text; ``!`` or ``!!str`` forces text.
* a key repeated in one mapping is an error (PyYAML keeps the last silently);
* anchors and aliases are refused (no alias bombs, no hidden sharing);
* no tags other than the standard ones; nothing constructs objects;
* files over ``MAX_BYTES`` are refused before parsing, and anything that is
  not a regular file (a FIFO, a device, a link to one) is refused unread;
* collections nested deeper than ``MAX_DEPTH`` are refused while parsing.

The data is built from the parser's events in one flat loop: no node tree
(composing one cost more than parsing) and no recursion, however deep the
document.

``read_yaml`` returns the data and a ``LineMap`` from paths to line numbers,
so that a pydantic error deep in a rule can name its line.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode

from fair_collect.errors import PackProblem

__all__ = ["MAX_BYTES", "MAX_DEPTH", "LineMap", "YamlProblem", "parse_yaml", "read_yaml"]

MAX_BYTES = 1_000_000
#: The deepest nesting of mappings and sequences a pack file may use (the
#: shipped packs need about ten levels).
MAX_DEPTH = 64

_NULL = re.compile(r"~|null|Null|NULL|")
_TRUE = re.compile(r"true|True|TRUE")
_FALSE = re.compile(r"false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_STANDARD_TAG = "tag:yaml.org,2002:"

Path_ = tuple[int | str, ...]


class YamlProblem(Exception):
    def __init__(self, problem: PackProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class LineMap:
    """Line numbers (1-based) of the nodes of one YAML document, by path."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._lines: dict[Path_, int] = {}

    def set(self, path: Path_, line: int) -> None:
        self._lines[path] = line

    def line(self, path: Path_) -> int | None:
        """The line of the deepest known node on ``path``."""
        for end in range(len(path), -1, -1):
            line = self._lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


#: libyaml's parser when PyYAML was built with it (the usual wheels are), else
#: the pure-Python one: the same events, many times faster.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: The plain scalars the YAML 1.2 core schema types, in one expression: a
#: scalar that does not match it is text, with no further look. (Every
#: integer is also a float's spelling.)
_TYPED = re.compile("|".join(p.pattern for p in (_NULL, _TRUE, _FALSE, _FLOAT)))
#: PyYAML's YAML 1.1 resolver, asked only about plain scalars that look typed:
#: what it reads as text stays text (``1e5``, ``089``), as it always has.
_RESOLVER: Any = yaml.resolver.Resolver()
_STR_TAG = _STANDARD_TAG + "str"


def _scalar(event: ScalarEvent) -> Any:
    """The value of a scalar: text unless it is plain and typed (YAML 1.2 core)."""
    value = event.value
    # Quoted or block (style), or tagged ``!``/``!!str`` (other tags are
    # refused before this): text.
    if event.style or event.tag is not None or not _TYPED.fullmatch(value):
        return value
    if _RESOLVER.resolve(ScalarNode, value, (True, False)) == _STR_TAG:
        return value
    if _NULL.fullmatch(value):
        return None
    if _TRUE.fullmatch(value):
        return True
    if _FALSE.fullmatch(value):
        return False
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value  # pragma: no cover - _TYPED holds nothing else


class _Refusal(Exception):
    def __init__(self, line: int, msg: str) -> None:
        super().__init__(msg)
        self.line = line
        self.msg = msg


class _Open:
    """A mapping or list being filled, and where it is."""

    __slots__ = ("items", "key", "key_line", "path")

    def __init__(self, items: dict[str, Any] | list[Any], path: Path_) -> None:
        self.items = items
        self.path = path
        self.key: str | None = None  # a mapping's key awaiting its value
        self.key_line = 0


def _checked_events(text: str) -> list[Any]:
    """The parser's events for the whole text, refusing anchors, aliases,
    explicit tags and deep nesting as they come (and syntax errors, which
    the parser raises), before any of the document is built.

    Only ``!!str`` (or the non-specific ``!``) may be written explicitly: it
    forces text, which is harmless. Anything else (``!!python/...``,
    ``!!binary``, ``!!set``, custom tags) is refused even though nothing here
    would construct it, so a pack never says something it does not mean.
    """
    events: list[Any] = []
    depth = 0
    event: Any
    for event in yaml.parse(text, Loader=_LOADER):
        events.append(event)
        kind = type(event)
        if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
            line = event.start_mark.line + 1
            if kind is not ScalarEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    raise _Refusal(
                        line, f"mappings and lists nested deeper than {MAX_DEPTH} levels"
                    )
            if event.anchor is not None:
                raise _Refusal(line, "anchors and aliases are not allowed in packs")
            tag = event.tag
            if tag is not None and tag != "!" and tag != _STR_TAG:
                raise _Refusal(line, f"tag {tag!r} is not allowed in packs")
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            depth -= 1
        elif kind is AliasEvent:
            line = event.start_mark.line + 1 if event.start_mark is not None else 0
            raise _Refusal(line, "anchors and aliases are not allowed in packs")
    return events


def _build(events: list[Any], lines: LineMap) -> Any:
    """The document's data, built in one pass over the parser's events
    (already refused where they hold anchors, tags or deep nesting).

    A flat loop, no recursion however deep the document, and no node tree:
    composing nodes first (``yaml.compose``) cost more than parsing. Merge
    keys, keys that are not scalars and repeated keys are refused as they
    are met, each at its line.
    """
    open_: list[_Open] = []
    root: Any = None
    documents = 0
    for event in events:
        kind = type(event)
        if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
            line = event.start_mark.line + 1
            if not open_:
                path: Path_ = ()
                lines.set(path, line)
            else:
                parent = open_[-1]
                items = parent.items
                if type(items) is dict:
                    key = parent.key
                    if key is None:  # this event is the key
                        if kind is not ScalarEvent:
                            raise _Refusal(line, "mapping keys must be plain strings")
                        key = event.value
                        if key == "<<":
                            raise _Refusal(line, "merge keys (<<) are not allowed in packs")
                        if key in items:
                            first = lines.line((*parent.path, key))
                            raise _Refusal(line, f"duplicate key {key!r} (first at line {first})")
                        parent.key = key
                        parent.key_line = line
                        continue
                    path = (*parent.path, key)
                    lines.set(path, parent.key_line)  # a value is found at its key
                else:
                    path = (*parent.path, len(items))
                    lines.set(path, line)
            if kind is ScalarEvent:
                value: Any = _scalar(event)
            else:
                value = {} if kind is MappingStartEvent else []
            if not open_:
                root = value
            else:
                parent = open_[-1]
                if type(parent.items) is dict:
                    parent.items[parent.key] = value  # type: ignore[index]
                    parent.key = None
                else:
                    parent.items.append(value)  # type: ignore[union-attr]
            if kind is not ScalarEvent:
                open_.append(_Open(value, path))
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            open_.pop()
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                line = event.start_mark.line + 1
                raise _Refusal(line, "YAML syntax: but found another document")
    return root


def parse_yaml(text: str, file: str) -> tuple[Any, LineMap]:
    """Parse one YAML document from text. Raises ``YamlProblem``."""
    lines = LineMap(file)
    try:
        # Every event first: a syntax error, an anchor or a tag anywhere is
        # reported before what the document says (a repeated key...).
        data = _build(_checked_events(text), lines)
    except _Refusal as exc:
        raise YamlProblem(PackProblem(file, exc.line, exc.msg)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlProblem(PackProblem(file, line, f"YAML syntax: {exc.problem or exc}")) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(PackProblem(file, None, f"YAML: {exc}")) from None
    return data, lines


def read_yaml(path: Path, display: str) -> tuple[Any, LineMap]:
    """Read and parse a pack file; ``display`` is the name used in problems."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise YamlProblem(PackProblem(display, None, "not a regular file; refused unread"))
            size = info.st_size
            if size <= MAX_BYTES:
                raw = file.read(MAX_BYTES + 1)  # the file may grow while it is read
                size = max(size, len(raw))
            if size > MAX_BYTES:
                raise YamlProblem(
                    PackProblem(
                        display,
                        None,
                        f"file is {size} bytes; packs files are limited to {MAX_BYTES}",
                    )
                )
    except OSError as exc:
        raise YamlProblem(PackProblem(display, None, f"cannot read: {exc.strerror}")) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(PackProblem(display, None, f"not UTF-8: {exc}")) from None
    return parse_yaml(text, display)
