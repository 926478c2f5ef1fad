"""Reading pack YAML as plain data, with the line of every node.

Packs are reviewed by compliance staff and must mean exactly what they say,
so the reader is stricter than ``yaml.safe_load``:

* scalars follow the YAML 1.2 core schema: only ``null``, ``true``/``false``,
  decimal integers and floats are typed; everything else is a string. (YAML
  1.1 would read ``21:00`` as the integer 1260, ``no`` as false and
  ``2021-11-30`` as a date.)
* a key repeated in one mapping is an error (PyYAML keeps the last silently);
* anchors and aliases are refused (no alias bombs, no hidden sharing);
* no tags other than the standard ones; nothing constructs objects;
* files over ``MAX_BYTES`` are refused before parsing, and anything that is
  not a regular file (a FIFO, a device, a link to one) is refused unread;
* collections nested deeper than ``MAX_DEPTH`` are refused while parsing
  (before any recursion over the document could exhaust the stack).

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
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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
#: the pure-Python one: the same events and nodes, many times faster.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_anchors_and_tags(text: str) -> None:
    """Refuse anchors, aliases, explicit tags and deep nesting, reading the
    parser's events (a flat stream: no recursion however deep the document).

    Only ``!!str`` (or the non-specific ``!``) may be written explicitly: it
    forces text, which is harmless. Anything else (``!!python/...``,
    ``!!binary``, ``!!set``, custom tags) is refused even though nothing here
    would construct it, so a pack never says something it does not mean.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _ComposeRefusal(
                    line, f"mappings and lists nested deeper than {MAX_DEPTH} levels"
                )
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            raise _ComposeRefusal(line, "anchors and aliases are not allowed in packs")
        tag = getattr(event, "tag", None)
        if tag not in (None, "!", _STANDARD_TAG + "str"):
            raise _ComposeRefusal(line, f"tag {tag!r} is not allowed in packs")


class _ComposeRefusal(Exception):
    def __init__(self, line: int, msg: str) -> None:
        super().__init__(msg)
        self.line = line
        self.msg = msg


def _scalar(node: ScalarNode) -> Any:
    value = node.value
    if node.style or node.tag in ("!", _STANDARD_TAG + "str"):  # quoted, block, or !!str: text
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
    return value


class _Builder:
    def __init__(self, lines: LineMap) -> None:
        self.lines = lines
        self.seen: set[int] = set()

    def fail(self, node: Node, msg: str) -> YamlProblem:
        return YamlProblem(PackProblem(self.lines.file, node.start_mark.line + 1, msg))

    def build(self, node: Node, path: Path_) -> Any:
        if id(node) in self.seen:
            raise self.fail(node, "anchors and aliases are not allowed in packs")
        self.seen.add(id(node))
        self.lines.set(path, node.start_mark.line + 1)
        if isinstance(node, ScalarNode):
            return _scalar(node)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise self.fail(key_node, "mapping keys must be plain strings")
                key = key_node.value
                if key == "<<":
                    raise self.fail(key_node, "merge keys (<<) are not allowed in packs")
                if key in result:
                    first = self.lines.line((*path, key))
                    raise self.fail(key_node, f"duplicate key {key!r} (first at line {first})")
                self.lines.set((*path, key), key_node.start_mark.line + 1)
                result[key] = self.build(value_node, (*path, key))
                self.lines.set((*path, key), key_node.start_mark.line + 1)
            return result
        raise self.fail(node, "unsupported YAML node")


def parse_yaml(text: str, file: str) -> tuple[Any, LineMap]:
    """Parse one YAML document from text. Raises ``YamlProblem``."""
    lines = LineMap(file)
    try:
        _refuse_anchors_and_tags(text)
        node = yaml.compose(text, Loader=_LOADER)
    except _ComposeRefusal as exc:
        raise YamlProblem(PackProblem(file, exc.line, exc.msg)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlProblem(PackProblem(file, line, f"YAML syntax: {exc.problem or exc}")) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(PackProblem(file, None, f"YAML: {exc}")) from None
    if node is None:
        return None, lines
    return _Builder(lines).build(node, ()), lines


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
