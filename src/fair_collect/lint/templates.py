"""Message templates: finding them on disk, reading them, and locating their characters.

Three kinds of file hold templates:

* plain text (``.txt``, ``.md``, ``.j2``, ``.jinja``, ``.tmpl``, or any file
  named explicitly that is not YAML or JSON): one template per file, with
  optional YAML front matter between ``---`` lines at the top;
* YAML catalogues (``.yaml``, ``.yml``);
* JSON catalogues (``.json``).

A catalogue is either ``{defaults: {...}, templates: [{id, text, ...}]}`` or a
plain mapping ``id: text`` / ``id: {text: ..., channel: ...}``.

Every text a template carries (its body, its subject) is a ``LocatedText``: the
string plus, for each of its characters, the index of the source character it
came from. A finding's offsets in the text thus become a line and column in
the file. For YAML the index comes from the composed node's start mark and a
walk through the source that skips what YAML folds away (indentation, line
breaks folded into spaces) and decodes quoting escapes (``''``, ``\\n``,
``\\u00e9``); for JSON from the position of the string token, walking over its
escape sequences. A character written as an escape sequence is located at the
escape's backslash. If the walk ever loses its way (it should not), the rest
of the string is located approximately and ``LocatedText.exact`` says so.

Placeholders (``{name}``, ``{{ expr }}``, ``{% tag %}``, ``{# comment #}``,
``${var}``, ``%(name)s``, ``{0}``) are blanked with spaces of the same length
before checking (``mask_placeholders``): offsets stay exact, and a placeholder
never forms or breaks a word.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import os
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml
import yaml.constructor
import yaml.nodes

from fair_collect.errors import FieldProblem, InputError

__all__ = [
    "FACT_KEYS",
    "SETTING_KEYS",
    "TEMPLATE_SUFFIXES",
    "LocatedText",
    "SourceText",
    "Template",
    "TemplateError",
    "TemplateFile",
    "find_template_files",
    "mask_placeholders",
    "read_template_file",
]

TEXT_SUFFIXES = frozenset({".txt", ".md", ".j2", ".jinja", ".tmpl"})
YAML_SUFFIXES = frozenset({".yaml", ".yml"})
JSON_SUFFIXES = frozenset({".json"})
#: The suffixes a folder is searched for.
TEMPLATE_SUFFIXES = TEXT_SUFFIXES | YAML_SUFFIXES | JSON_SUFFIXES

#: What a template (or a catalogue's ``defaults``, or front matter) may set
#: besides its ``id`` and ``text``.
SETTING_KEYS = (
    "channel",
    "jurisdiction",
    "language",
    "collector_type",
    "purpose",
    "sender_name",
    "subject",
    "facts",
)
#: The facts a template may assert: debt facts and whether the sender is an attorney.
FACT_KEYS = ("suit_authorized", "judgment", "time_barred", "attorney")

# Placeholders of the common template languages. Only ever run on the team's own
# template files; every pattern is linear (no nested or overlapping quantifiers).
_PLACEHOLDER = re.compile(
    r"\{\{.*?\}\}"  # {{ jinja expression }}
    r"|\{%.*?%\}"  # {% jinja tag %}
    r"|\{#.*?#\}"  # {# jinja comment #}
    r"|\$\{[^{}\n]*\}"  # ${var}
    r"|%\([^()\n]*\)[#0 +-]*(?:[1-9][0-9]*)?(?:\.[0-9]+)?[A-Za-z]"  # %(name)s, %(amount).2f
    r"|\{[^{}\s]*\}",  # {name}, {0}, {}, {amount:.2f}
    re.DOTALL,
)
_CLOSING_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


def mask_placeholders(text: str) -> str:
    """``text`` with every placeholder replaced by spaces (line breaks kept)."""
    return _PLACEHOLDER.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


class TemplateError(InputError):
    """A template file that cannot be read, or a template the engine rejects.

    Each problem's ``loc`` is ``path:line:column`` followed by the template id
    and field where known, so a CI log points at the line to fix.
    """

    def __init__(self, problems: Iterable[FieldProblem]) -> None:
        super().__init__(list(problems))
        count = len(self.problems)
        head = f"invalid template input: {count} problem{'s' if count != 1 else ''}"
        Exception.__init__(self, head + "".join(f"\n  {p}" for p in self.problems))


def problem(where: str, type_: str, msg: str) -> FieldProblem:
    return FieldProblem(loc=where, type=type_, msg=msg)


@dataclass(frozen=True, slots=True)
class SourceText:
    """A file's text, with its line starts to turn indices into lines and columns."""

    path: str  # as shown to people: relative to the working directory where possible
    text: str
    line_starts: tuple[int, ...]

    @classmethod
    def of(cls, path: str, text: str) -> SourceText:
        starts = [0]
        starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
        return cls(path, text, tuple(starts))

    def position(self, index: int) -> tuple[int, int]:
        """The 1-based line and column (in characters) of the character at ``index``."""
        index = max(0, min(index, len(self.text)))
        line = bisect_right(self.line_starts, index) - 1
        return line + 1, index - self.line_starts[line] + 1

    def where(self, index: int) -> str:
        line, column = self.position(index)
        return f"{self.path}:{line}:{column}"


@dataclass(frozen=True, slots=True)
class LocatedText:
    """A string from a file, with the file index of each of its characters."""

    value: str
    #: ``indices[i]`` is the file index of ``value[i]``; one more entry gives
    #: the index just past the last character.
    indices: tuple[int, ...]
    exact: bool = True

    def index(self, offset: int) -> int:
        return self.indices[max(0, min(offset, len(self.indices) - 1))]


@dataclass(frozen=True, slots=True)
class Template:
    """One message template: its text and subject, and what it says about itself."""

    source: SourceText
    id: str
    #: File index where the template starts (findings without a span go there).
    start: int
    text: LocatedText
    subject: LocatedText | None
    #: The template's own settings over its catalogue's defaults (``SETTING_KEYS``).
    settings: Mapping[str, Any]
    #: File index of each setting's value (``facts.judgment`` for one fact).
    setting_at: Mapping[str, int] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.source.path

    def located(self, name: str) -> LocatedText | None:
        """The message field ``name`` (``text``, ``subject``), when the template gives it."""
        if name == "text":
            return self.text
        if name == "subject":
            return self.subject
        return None


@dataclass(frozen=True, slots=True)
class TemplateFile:
    source: SourceText
    templates: tuple[Template, ...]


# ------------------------------------------------------------------ discovery


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it, with ``/``."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path(os.path.abspath(os.getcwd()))).as_posix()
    except ValueError:
        return path.as_posix()


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in TEMPLATE_SUFFIXES:
                yield Path(root) / name


def find_template_files(paths: Iterable[str | Path]) -> list[Path]:
    """The template files named, and those found in the folders named (recursively,
    skipping hidden folders and files), each once, in a stable order.

    Raises ``TemplateError`` for a path that does not exist.
    """
    found: list[Path] = []
    problems: list[FieldProblem] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(_walk(path))
        elif path.is_file():
            found.append(path)
        else:
            problems.append(problem(str(item), "path_not_found", "no such file or folder"))
    if problems:
        raise TemplateError(problems)
    unique: dict[str, Path] = {}
    for path in found:
        unique.setdefault(os.path.normcase(os.path.abspath(path)), path)
    return list(unique.values())


# ------------------------------------------------------------------ reading


class _FileProblem(Exception):
    """A problem in one file, at a file index (converted to a ``FieldProblem``)."""

    def __init__(self, index: int, type_: str, msg: str) -> None:
        super().__init__(msg)
        self.index = index
        self.type = type_
        self.msg = msg


def read_template_file(path: Path) -> TemplateFile:
    """Read the templates of one file. Raises ``TemplateError`` when it is not valid."""
    shown = display_path(path)
    try:
        # utf-8-sig: a byte order mark is not a character of the first line.
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise TemplateError([problem(shown, "file_unreadable", str(exc.strerror))]) from None
    except UnicodeDecodeError as exc:
        raise TemplateError([problem(shown, "file_not_utf8", f"not UTF-8 text: {exc}")]) from None
    source = SourceText.of(shown, text)
    suffix = path.suffix.lower()
    try:
        if suffix in YAML_SUFFIXES:
            node = _compose(source, 0, len(text))
            templates = [] if node is None else _catalogue(source, _YamlView(source, node))
        elif suffix in JSON_SUFFIXES:
            templates = _catalogue(source, _JsonView(source, _json_load(source), 0))
        else:
            templates = [_text_template(source, path)]
        _unique_ids(templates)
    except _FileProblem as exc:
        raise TemplateError([problem(source.where(exc.index), exc.type, exc.msg)]) from None
    return TemplateFile(source, tuple(templates))


def _unique_ids(templates: list[Template]) -> None:
    seen: dict[str, Template] = {}
    for template in templates:
        if template.id in seen:
            first = template.source.where(seen[template.id].start)
            raise _FileProblem(
                template.start,
                "duplicate_template_id",
                f"template id {template.id!r} is already used at {first}",
            )
        seen[template.id] = template


@dataclass(slots=True)
class _Fields:
    """What one template mapping (or ``defaults``, or front matter) says."""

    id: str | None = None
    text: LocatedText | None = None
    subject: LocatedText | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    at: dict[str, int] = field(default_factory=dict)

    def setting(
        self,
        key: str,
        value: Any,
        index: int,
        fact_at: Mapping[str, int],
        key_index: int | None = None,
    ) -> None:
        """Record a setting after checking its key (and, for facts, theirs).

        ``index``: where the value is; ``key_index``: where the key is, when known.
        """
        if key not in SETTING_KEYS:
            known = ", ".join(SETTING_KEYS)
            raise _FileProblem(
                index if key_index is None else key_index,
                "unknown_key",
                f"unknown key {key!r} here (settings: {known}; a template also has id, text)",
            )
        if key == "facts":
            if not isinstance(value, dict):
                raise _FileProblem(
                    index, "facts_type", "facts is a mapping, e.g. {suit_authorized: true}"
                )
            for name in value:
                if name not in FACT_KEYS:
                    raise _FileProblem(
                        fact_at.get(str(name), index),
                        "unknown_fact",
                        f"unknown fact {name!r} (known: {', '.join(FACT_KEYS)})",
                    )
            self.at.update({f"facts.{k}": i for k, i in fact_at.items()})
        self.settings[key] = _plain(value)
        self.at[key] = index

    def over(self, defaults: _Fields) -> _Fields:
        """These fields over a catalogue's defaults."""
        settings = {**defaults.settings, **self.settings}
        if "facts" in defaults.settings and "facts" in self.settings:
            settings["facts"] = {**defaults.settings["facts"], **self.settings["facts"]}
        return _Fields(
            self.id,
            self.text,
            self.subject if self.subject is not None else defaults.subject,
            settings,
            {**defaults.at, **self.at},
        )


def _plain(value: Any) -> Any:
    """Located JSON values as plain ``str``, ``dict`` and ``list`` (recursively)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _template_id(value: Any, index: int) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool) or value == "":
        raise _FileProblem(index, "id_type", "id must be a non-empty string")
    return str(value)


# ------------------------------------------------------------------ alignment

_FOLDED = " \t\n"
_JSON_ESCAPE_LENGTH = {"u": 6}
_YAML_ESCAPE_LENGTH = {"x": 4, "u": 6, "U": 10}


def _align(value: str, text: str, start: int, end: int, style: str) -> LocatedText:
    """Locate each character of ``value`` in ``text[start:end]``, the source it was read from.

    ``style``: ``json`` (a JSON string body), ``"`` / ``'`` (YAML quoted),
    ``plain`` or ``block`` (YAML). YAML folds whitespace and line breaks, so
    source whitespace that does not match is skipped; anything else that does
    not match ends the exact walk and the rest is located approximately.
    """
    indices: list[int] = []
    j = start
    folds = style != "json"
    escapes = _JSON_ESCAPE_LENGTH if style == "json" else _YAML_ESCAPE_LENGTH
    for position, ch in enumerate(value):
        k = j
        while k < end:
            c = text[k]
            if c == "\\" and style in ("json", '"'):
                nxt = text[k + 1 : k + 2]
                if style == '"' and nxt == "\n":  # an escaped line break gives no character
                    k += 2
                    while k < end and text[k] in " \t":
                        k += 1
                    continue
                length = escapes.get(nxt, 2)
                if style == "json" and ord(ch) > 0xFFFF and text[k + 6 : k + 8] == "\\u":
                    length = 12  # a surrogate pair
                indices.append(k)
                j = k + length
                break
            if c == ch:
                indices.append(k)
                doubled = style == "'" and ch == "'" and text[k + 1 : k + 2] == "'"
                j = k + (2 if doubled else 1)
                break
            if folds and c in _FOLDED:
                k += 1
                continue
            k = end  # lost the way
        else:
            last = indices[-1] + 1 if indices else start
            rest = [min(last + i, end) for i in range(len(value) - position + 1)]
            return LocatedText(value, (*indices, *rest), exact=False)
    indices.append(j)
    return LocatedText(value, tuple(indices))


# ------------------------------------------------------------------ plain text


def _text_template(source: SourceText, path: Path) -> Template:
    """One template per file; settings in optional front matter between ``---`` lines."""
    text = source.text
    fields = _Fields()
    body_start = 0
    first_end = text.find("\n")
    if first_end >= 0 and text[:first_end].rstrip() == "---":
        closing = _CLOSING_FENCE.search(text, first_end + 1)
        if closing is not None:
            front_start = first_end + 1
            body_start = min(closing.end() + 1, len(text))
            node = _compose(source, front_start, closing.start())
            if node is not None:
                if not isinstance(node, yaml.MappingNode):
                    raise _FileProblem(
                        front_start,
                        "front_matter_type",
                        "front matter is a mapping of settings (channel: sms, ...)",
                    )
                fields = _yaml_fields(source, node, front_start, allow_text=False, allow_id=True)
    body = LocatedText(text[body_start:], tuple(range(body_start, len(text) + 1)))
    template_id = fields.id or path.stem
    return Template(
        source, template_id, body_start, body, fields.subject, fields.settings, fields.at
    )


# ------------------------------------------------------------------ YAML


def _compose(source: SourceText, start: int, end: int) -> yaml.Node | None:
    """The YAML node of ``source.text[start:end]`` (its marks are relative to ``start``)."""
    loader = yaml.SafeLoader(source.text[start:end])
    try:
        node: yaml.Node | None = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        index = start + (mark.index if mark is not None else 0)
        raise _FileProblem(index, "yaml_invalid", f"not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise _FileProblem(start, "yaml_invalid", f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return node


def _construct(node: yaml.Node, base: int) -> Any:
    constructor = yaml.constructor.SafeConstructor()
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        index = base + (mark.index if mark is not None else node.start_mark.index)
        raise _FileProblem(index, "yaml_invalid", f"not valid YAML: {exc.problem}") from None


def _yaml_text(source: SourceText, node: yaml.Node, base: int, name: str) -> LocatedText:
    value = _construct(node, base)
    if not isinstance(node, yaml.ScalarNode) or not isinstance(value, str):
        raise _FileProblem(base + node.start_mark.index, f"{name}_type", f"{name} must be text")
    start = base + node.start_mark.index
    end = base + node.end_mark.index
    style = node.style or "plain"
    if style in ("'", '"'):
        start += 1
    elif style in ("|", ">"):  # the text starts on the line after the header
        header_end = source.text.find("\n", start, end)
        start = end if header_end < 0 else header_end + 1
        style = "block"
    return _align(value, source.text, start, end, style)


def _yaml_fields(
    source: SourceText,
    node: yaml.MappingNode,
    base: int,
    *,
    allow_text: bool,
    allow_id: bool | None = None,
) -> _Fields:
    """Settings of a template mapping; ``id`` and ``text`` only where allowed
    (``defaults`` has neither, front matter an ``id`` but no ``text``)."""
    fields = _Fields()
    for key_node, value_node in node.value:
        key = _construct(key_node, base)
        index = base + value_node.start_mark.index
        if not isinstance(key, str):
            raise _FileProblem(base + key_node.start_mark.index, "key_type", "keys are text")
        if key == "id" and (allow_text if allow_id is None else allow_id):
            fields.id = _template_id(_construct(value_node, base), index)
        elif key == "text" and allow_text:
            fields.text = _yaml_text(source, value_node, base, "text")
        elif key == "subject":
            fields.subject = _yaml_text(source, value_node, base, "subject")
            fields.setting(key, fields.subject.value, index, {})
        else:
            fact_at: dict[str, int] = {}
            if key == "facts" and isinstance(value_node, yaml.MappingNode):
                for fact_key, fact_value in value_node.value:
                    fact_at[str(_construct(fact_key, base))] = base + fact_value.start_mark.index
            key_index = base + key_node.start_mark.index
            fields.setting(key, _construct(value_node, base), index, fact_at, key_index)
    return fields


class _YamlView:
    """A YAML catalogue node, seen through the interface ``_catalogue`` reads."""

    def __init__(self, source: SourceText, node: yaml.Node) -> None:
        self.source = source
        self.node = node
        self.index: int = node.start_mark.index

    def is_mapping(self) -> bool:
        return isinstance(self.node, yaml.MappingNode)

    def is_sequence(self) -> bool:
        return isinstance(self.node, yaml.SequenceNode)

    def is_text(self) -> bool:
        return isinstance(self.node, yaml.ScalarNode) and isinstance(_construct(self.node, 0), str)

    def items(self) -> list[tuple[Any, int, _YamlView]]:
        assert isinstance(self.node, yaml.MappingNode)
        return [
            (_construct(k, 0), k.start_mark.index, _YamlView(self.source, v))
            for k, v in self.node.value
        ]

    def elements(self) -> list[_YamlView]:
        assert isinstance(self.node, yaml.SequenceNode)
        return [_YamlView(self.source, v) for v in self.node.value]

    def text(self, name: str) -> LocatedText:
        return _yaml_text(self.source, self.node, 0, name)

    def fields(self, *, allow_text: bool) -> _Fields:
        assert isinstance(self.node, yaml.MappingNode)
        return _yaml_fields(self.source, self.node, 0, allow_text=allow_text)


# ------------------------------------------------------------------ JSON


class _JsonStr(str):
    """A JSON string that remembers where its body starts and its closing quote is."""

    start: int
    end: int


class _JsonDict(dict[str, Any]):
    start: int  # the index of ``{``


class _JsonList(list[Any]):
    start: int  # the index of ``[``


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(f"duplicate key {key!r}")
        result[key] = value
    return result


def _json_load(source: SourceText) -> Any:
    """Parse JSON, keeping the file index of every string, object and array.

    This uses the hooks of the standard library's pure-Python scanner
    (``json.scanner.py_make_scanner`` reads ``parse_string``, ``parse_object``
    and ``parse_array`` from its decoder), so the values and the errors are
    exactly those of ``json.loads``.
    """
    decoder_module: Any = json.decoder
    scanner_module: Any = json.scanner
    decoder: Any = json.JSONDecoder(object_pairs_hook=_no_duplicates)

    def parse_string(s: str, end: int, strict: bool = True) -> tuple[str, int]:
        value, after = decoder_module.scanstring(s, end, strict)
        located = _JsonStr(value)
        located.start, located.end = end, after - 1
        return located, after

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        value, after = decoder_module.JSONObject(s_and_end, *args)
        located = _JsonDict(value)
        located.start = s_and_end[1] - 1
        return located, after

    def parse_array(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        value, after = decoder_module.JSONArray(s_and_end, *args)
        located = _JsonList(value)
        located.start = s_and_end[1] - 1
        return located, after

    decoder.parse_string = parse_string
    decoder.parse_object = parse_object
    decoder.parse_array = parse_array
    decoder.scan_once = scanner_module.py_make_scanner(decoder)
    try:
        return decoder.decode(source.text)
    except json.JSONDecodeError as exc:
        raise _FileProblem(exc.pos, "json_invalid", f"not valid JSON: {exc.msg}") from None
    except _DuplicateKey as exc:
        raise _FileProblem(0, "json_invalid", f"not valid JSON: {exc}") from None


def _json_index(value: Any, fallback: int) -> int:
    """Where a JSON value starts: its quote, brace or bracket (else ``fallback``)."""
    if isinstance(value, _JsonStr):
        return value.start - 1
    if isinstance(value, _JsonDict | _JsonList):
        return value.start
    return fallback


class _JsonView:
    """A JSON catalogue value, seen through the interface ``_catalogue`` reads."""

    def __init__(self, source: SourceText, value: Any, fallback: int) -> None:
        self.source = source
        self.value = value
        self.index = _json_index(value, fallback)

    def _child(self, value: Any) -> _JsonView:
        return _JsonView(self.source, value, self.index)

    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    def is_sequence(self) -> bool:
        return isinstance(self.value, list)

    def is_text(self) -> bool:
        return isinstance(self.value, str)

    def items(self) -> list[tuple[Any, int, _JsonView]]:
        assert isinstance(self.value, dict)
        # Keys carry no position: a template is located at its value.
        children = [(k, self._child(v)) for k, v in self.value.items()]
        return [(k, child.index, child) for k, child in children]

    def elements(self) -> list[_JsonView]:
        assert isinstance(self.value, list)
        return [self._child(v) for v in self.value]

    def text(self, name: str) -> LocatedText:
        value = self.value
        if not isinstance(value, _JsonStr):
            raise _FileProblem(self.index, f"{name}_type", f"{name} must be text")
        return _align(str(value), self.source.text, value.start, value.end, "json")

    def fields(self, *, allow_text: bool) -> _Fields:
        assert isinstance(self.value, dict)
        fields = _Fields()
        for key, value in self.value.items():
            child = self._child(value)
            if key == "id" and allow_text:
                fields.id = _template_id(value, child.index)
            elif key == "text" and allow_text:
                fields.text = child.text("text")
            elif key == "subject":
                fields.subject = child.text("subject")
                fields.setting(key, fields.subject.value, child.index, {})
            else:
                fact_at = (
                    {str(k): _json_index(v, child.index) for k, v in value.items()}
                    if key == "facts" and isinstance(value, dict)
                    else {}
                )
                fields.setting(key, value, child.index, fact_at)
        return fields


# ------------------------------------------------------------------ catalogues


class _View(Protocol):
    """A catalogue value (YAML node or located JSON value) as ``_catalogue`` reads it."""

    @property
    def index(self) -> int: ...

    def is_mapping(self) -> bool: ...

    def is_sequence(self) -> bool: ...

    def is_text(self) -> bool: ...

    def items(self) -> Sequence[tuple[Any, int, _View]]: ...

    def elements(self) -> Sequence[_View]: ...

    def text(self, name: str) -> LocatedText: ...

    def fields(self, *, allow_text: bool) -> _Fields: ...


_SHAPE = (
    "a catalogue is a mapping of template id to text (or to {text: ..., channel: ...}),"
    " or {defaults: {...}, templates: [{id: ..., text: ...}, ...]}"
)


def _catalogue(source: SourceText, root: _View) -> list[Template]:
    if not root.is_mapping():
        raise _FileProblem(root.index, "catalogue_shape", _SHAPE)
    entries = root.items()
    if any(key == "templates" for key, _, _ in entries):
        return _listed(source, entries)
    templates = []
    for key, key_index, view in entries:
        template_id = _template_id(key, key_index)
        if view.is_text():
            own = _Fields(text=view.text("text"))
        elif view.is_mapping():
            own = view.fields(allow_text=True)
            if own.id is not None:
                raise _FileProblem(
                    view.index, "catalogue_shape", "the key is the template id: drop 'id'"
                )
        else:
            raise _FileProblem(view.index, "catalogue_shape", _SHAPE)
        templates.append(_template(source, template_id, key_index, own))
    return templates


def _listed(source: SourceText, entries: Sequence[tuple[Any, int, _View]]) -> list[Template]:
    """The ``{defaults: {...}, templates: [...]}`` form."""
    defaults = _Fields()
    listed: _View | None = None
    for key, key_index, view in entries:
        if key == "defaults":
            if not view.is_mapping():
                raise _FileProblem(view.index, "catalogue_shape", "defaults is a mapping")
            defaults = view.fields(allow_text=False)
        elif key == "templates":
            listed = view
        else:
            raise _FileProblem(
                key_index,
                "catalogue_shape",
                f"unknown key {key!r} beside templates (known: defaults, templates)",
            )
    assert listed is not None
    if not listed.is_sequence():
        raise _FileProblem(listed.index, "catalogue_shape", "templates is a list")
    templates = []
    for number, element in enumerate(listed.elements(), start=1):
        if not element.is_mapping():
            raise _FileProblem(
                element.index, "catalogue_shape", "each template is a mapping with id and text"
            )
        own = element.fields(allow_text=True)
        template_id = own.id if own.id is not None else f"#{number}"
        templates.append(_template(source, template_id, element.index, own.over(defaults)))
    return templates


def _template(source: SourceText, template_id: str, start: int, fields: _Fields) -> Template:
    if fields.text is None:
        raise _FileProblem(start, "text_missing", f"template {template_id!r} has no text")
    return Template(
        source, template_id, start, fields.text, fields.subject, fields.settings, fields.at
    )
