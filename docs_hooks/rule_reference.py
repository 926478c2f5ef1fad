"""The reference pages of the documentation site, rendered from the loaded rule packs.

``render_reference`` is pure: compiled packs, the check registry and the JSON
Schemas in, ``{path under docs/: Markdown}`` out. The mkdocs hook
(``mkdocs_hooks.py``) calls it at build time, so the reference always shows
the packs that ship. Every text taken from a pack is escaped, so a rule's
title, note or example cannot break the page or inject HTML.
"""

from __future__ import annotations

import html
import inspect
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml

from fair_collect.checks import CheckKind
from fair_collect.packs.compiler import CompiledPack, CompiledRule

__all__ = [
    "CHECKS_PAGE",
    "CLI_COMMANDS",
    "CLI_PAGE",
    "PACKS_INDEX",
    "SCHEMAS_INDEX",
    "code",
    "inline",
    "nav_entries",
    "pack_page",
    "render_reference",
    "rule_anchor",
    "schema_page",
]

PACKS_INDEX = "reference/packs/index.md"
CHECKS_PAGE = "reference/checks.md"
CLI_PAGE = "reference/cli.md"

#: The commands whose ``--help`` the command-line reference shows, in order.
CLI_COMMANDS: tuple[tuple[str, ...], ...] = (
    (),
    ("check",),
    ("lint",),
    ("test",),
    ("packs", "list"),
    ("packs", "show"),
    ("packs", "validate"),
    ("log", "verify"),
    ("log", "replay"),
    ("audit",),
    ("schema",),
)
SCHEMAS_INDEX = "reference/schemas/index.md"

#: Characters with a meaning in Markdown (and its tables and attribute lists)
#: that a backslash turns into plain text.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|-])")
_WHITESPACE = re.compile(r"\s+")
_BACKTICKS = re.compile(r"`+")
_LIST_NUMBER = re.compile(r"^(\d+)\.")


def inline(text: object) -> str:
    """``text`` as inline Markdown that renders literally: whitespace folded to
    single spaces, HTML escaped, Markdown punctuation backslash-escaped."""
    folded = _WHITESPACE.sub(" ", str(text)).strip()
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(folded, quote=False))
    # "1. " at the start would begin an ordered list.
    return _LIST_NUMBER.sub(r"\1\\.", escaped)


def code(text: object) -> str:
    """``text`` as inline code that is safe inside a table cell."""
    # Markdown still reads inside inline HTML: escape as for plain text.
    return f"<code>{inline(text)}</code>"


def _link(label: str, url: str | None) -> str:
    if not url:
        return inline(label)
    return f'<a href="{html.escape(url, quote=True)}">{inline(label)}</a>'


def _fenced(body: str, language: str, indent: str = "") -> str:
    """A fenced code block whose fence is longer than any backtick run in ``body``."""
    longest = max((len(m.group()) for m in _BACKTICKS.finditer(body)), default=0)
    fence = "`" * max(3, longest + 1)
    lines = [f"{fence}{language}", *body.rstrip("\n").split("\n"), fence]
    return "\n".join(f"{indent}{line}" if line else line for line in lines)


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _quoted_title(text: str) -> str:
    """A title for an admonition or details block: one line, no double quotes."""
    return inline(text).replace('"', "&quot;")


def pack_page(pack_id: str) -> str:
    """The path of a pack's page: ``us/federal`` -> ``reference/packs/us-federal.md``."""
    return f"reference/packs/{pack_id.replace('/', '-')}.md"


def schema_page(name: str) -> str:
    return f"reference/schemas/{name}.md"


def rule_anchor(rule_id: str) -> str:
    """The HTML id of a rule's section: the rule id itself."""
    return rule_id


def _list(values: Iterable[str] | None, every: str) -> str:
    if values is None:
        return every
    return ", ".join(code(v) for v in sorted(values)) or every


def _effective(pack: CompiledPack) -> str:
    effective = pack.spec.effective
    until = effective.until.isoformat() if effective.until else "no end date"
    return f"{effective.from_.isoformat()} to {until}"


# ------------------------------------------------------------------ packs


def _packs_index(packs: Sequence[CompiledPack]) -> str:
    lines = [
        "# Rule packs",
        "",
        "Generated from the rule packs that ship with fair_collect (`rules/`), when the",
        "site is built. Each pack page lists every rule with its citations and the",
        "examples that `fair-collect test` runs.",
        "",
        "| Pack | Jurisdiction | Version | In force | Binds | Rules |",
        "|---|---|---|---|---|---:|",
    ]
    for pack in packs:
        target = pack_page(pack.id).removeprefix("reference/packs/")
        lines.append(
            f"| [{inline(pack.id)}]({target}) | {code(pack.jurisdiction)} "
            f"| {code(pack.spec.version)} | {_effective(pack)} "
            f"| {_list(pack.spec.binds, 'every collector')} | {len(pack.rules)} |"
        )
    lines += ["", "## Rules by category", ""]
    by_category: dict[str, list[tuple[CompiledPack, CompiledRule]]] = {}
    for pack in packs:
        for rule in pack.rules:
            by_category.setdefault(rule.category, []).append((pack, rule))
    for category in sorted(by_category):
        lines += [f"### {inline(category)}", ""]
        for pack, rule in by_category[category]:
            target = pack_page(pack.id).removeprefix("reference/packs/")
            lines.append(
                f"- [{inline(rule.title)}]({target}#{rule_anchor(rule.id)})"
                f" ({code(rule.id)}, {rule.effect})"
            )
        lines.append("")
    return "\n".join(lines)


def _pack_header(pack: CompiledPack) -> list[str]:
    spec = pack.spec
    lines = [
        f"# {inline(pack.id)}: {inline(spec.title)}",
        "",
        "| | |",
        "|---|---|",
        f"| Pack id | {code(pack.id)} |",
        f"| Jurisdiction | {code(spec.jurisdiction)} |",
        f"| Version | {code(spec.version)} |",
        f"| In force | {_effective(pack)} |",
        f"| Binds | {_list(spec.binds, 'every collector')} |",
        f"| Time zone | {code(spec.time_zone) if spec.time_zone else 'none declared'} |",
        f"| Rules | {len(pack.rules)} |",
        "",
    ]
    if spec.description:
        lines += [inline(spec.description), ""]
    lines += ["**Sources**", ""]
    lines += [f"- {_link(s.source, s.url)}" for s in spec.sources]
    lines.append("")
    if spec.example_defaults:
        lines += [
            "**Example defaults.** Each rule example below is this request with the",
            "example's fragment merged over it (mappings merge key by key; lists replace).",
            "",
            '??? example "Example defaults"',
            "",
            _fenced(_yaml(spec.example_defaults), "yaml", "    "),
            "",
        ]
    lines += ["## Rules", ""]
    lines += [
        f"- [{inline(rule.title)}](#{rule_anchor(rule.id)}) ({code(rule.id)})"
        for rule in pack.rules
    ]
    lines.append("")
    return lines


def _rule_section(rule: CompiledRule) -> list[str]:
    spec = rule.spec
    applies = spec.applies_to
    lines = [
        f"### {inline(rule.title)} {{#{rule_anchor(rule.id)}}}",
        "",
        "| | |",
        "|---|---|",
        f"| Rule id | {code(rule.id)} |",
        f"| Code | {code(rule.code)} |",
        f"| Category | {code(rule.category)} |",
        f"| Effect | {code(rule.effect)} |",
        f"| Confidence | {code(rule.confidence)} |",
        f"| Channels | {_list(applies.channels, 'every channel')} |",
        f"| Recipients | {_list(applies.recipient_roles, 'every recipient')} |",
        f"| Collector types | {_list(rule.collector_types, 'every collector')} |",
        f"| Purposes | {_list(applies.purposes, 'every purpose')} |",
        f"| Defined in | {code(f'{rule.file}:{rule.line}' if rule.line else rule.file)} |",
        "",
    ]
    if spec.note:
        lines += [f"**Note.** {inline(spec.note)}", ""]
    lines += ["**Citations**", ""]
    lines += [f"- {_link(c.source, c.url)}" for c in rule.citations]
    lines.append("")
    lines += ["**Message**", ""]
    for language, text in spec.messages().items():
        lines.append(f"- {code(language)}: {inline(text)}")
    lines += ["", "**Check**", "", _fenced(_yaml(spec.check), "yaml"), ""]
    lines += [
        "**Examples**",
        "",
        "| Expect | Example | Codes |",
        "|---|---|---|",
    ]
    for example in spec.examples:
        codes = ", ".join(code(c) for c in example.codes) if example.codes else ""
        lines.append(f"| {code(example.expect)} | {inline(example.name)} | {codes} |")
    lines.append("")
    for example in spec.examples:
        lines.append(f'??? example "{example.expect}: {_quoted_title(example.name)}"')
        lines.append("")
        if example.note:
            lines += [f"    {inline(example.note)}", ""]
        lines += [_fenced(_yaml(example.request), "yaml", "    "), ""]
    return lines


def _pack_page(pack: CompiledPack) -> str:
    lines = _pack_header(pack)
    for rule in pack.rules:
        lines += _rule_section(rule)
    return "\n".join(lines)


# ----------------------------------------------------------------- checks


def _annotation(annotation: Any) -> str:
    text = annotation.__name__ if isinstance(annotation, type) else repr(annotation)
    return re.sub(r"\b(typing|collections\.abc|datetime)\.", "", text)


def _parameter_rows(kind: CheckKind) -> list[str]:
    rows = []
    for name, field in kind.params.model_fields.items():
        shown = field.alias or name
        default = "required" if field.is_required() else code(repr(field.get_default()))
        rows.append(f"| {code(shown)} | {code(_annotation(field.annotation))} | {default} |")
    return rows


def _checks_page(checks: Mapping[str, CheckKind]) -> str:
    lines = [
        "# Checks",
        "",
        "The closed vocabulary of checks a rule may name (`fair_collect.DEFAULT_CHECKS`),",
        "generated from the registry when the site is built. A rule names one check with its",
        "parameters, or combines checks with `all`, `any` and `not`. The evidence keys are",
        "what the rule's message template may use, besides `channel`, `purpose`,",
        "`recipient_role`, `fact` and `needed`.",
        "",
    ]
    lines += [f"- [{code(name)}](#{name})" for name in sorted(checks)]
    lines.append("")
    for name in sorted(checks):
        kind = checks[name]
        lines += [f"## {code(name)} {{#{name}}}", ""]
        if kind.summary:
            lines += [inline(kind.summary), ""]
        doc = inspect.getdoc(kind.params)
        if doc and doc != inspect.getdoc(kind.params.__base__):
            lines += [inline(doc), ""]
        lines += [
            f"Reads the message: {'yes' if kind.reads_message else 'no'}."
            f" Evidence: {', '.join(code(k) for k in sorted(kind.evidence)) or 'none'}.",
            "",
        ]
        rows = _parameter_rows(kind)
        if rows:
            lines += ["| Parameter | Type | Default |", "|---|---|---|", *rows, ""]
        else:
            lines += ["No parameters.", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- schemas


def _schemas_index(schemas: Mapping[str, str]) -> str:
    lines = [
        "# JSON Schemas",
        "",
        "JSON Schemas (draft 2020-12) generated from the models, the same text as",
        "`fair-collect schema NAME` prints and as the committed copies in",
        "`schemas/NAME.schema.json`. They describe shape and types; what needs code",
        "(a phone number's validity, an IANA zone, debt ids that `debts` lists, a rule's",
        "check parameters) is checked by `fair-collect check` and `fair-collect packs validate`.",
        "",
        "| Schema | Describes |",
        "|---|---|",
    ]
    titles = {
        "request": "a request (a proposed action, SPEC section 2)",
        "verdict": "a verdict (SPEC section 3)",
        "pack": "a pack's `pack.yaml`",
        "rules": "a rule file",
        "wordlist": "a word-list file",
    }
    for name in schemas:
        target = schema_page(name).removeprefix("reference/schemas/")
        lines.append(f"| [{inline(name)}]({target}) | {titles.get(name, inline(name))} |")
    lines.append("")
    return "\n".join(lines)


def _schema_page(name: str, text: str) -> str:
    return "\n".join(
        [
            f"# The {inline(name)} schema",
            "",
            f"`fair-collect schema {name}` prints this text; "
            f"`schemas/{name}.schema.json` is the committed copy.",
            "",
            _fenced(text, "json"),
            "",
        ]
    )


# -------------------------------------------------------------- command line


def _cli_page(helps: Mapping[tuple[str, ...], str]) -> str:
    lines = [
        "# Command line",
        "",
        "`fair-collect` (or `python -m fair_collect`) is a thin layer over the Python API.",
        "This page is generated from the commands' own `--help` when the site is built.",
        "",
        "Exit codes: 0 allow / clean, 1 deny / findings, 2 invalid input or usage,",
        "3 rule-pack error, 4 internal error. Without `--format`, output is JSON when",
        "stdout is not a terminal and text on a terminal; diagnostics go to stderr.",
        "",
    ]
    for command, text in helps.items():
        title = " ".join(("fair-collect", *command))
        lines += [f"## {code(title)}", "", _fenced(text, "text"), ""]
    return "\n".join(lines)


# ------------------------------------------------------------------- all


def render_reference(
    packs: Sequence[CompiledPack],
    checks: Mapping[str, CheckKind],
    schemas: Mapping[str, str],
    cli_help: Mapping[tuple[str, ...], str],
) -> dict[str, str]:
    """Every generated reference page, by its path under the docs folder.

    ``schemas``: JSON Schema text by name; ``cli_help``: the ``--help`` text of
    each command (see ``CLI_COMMANDS``).
    """
    pages = {PACKS_INDEX: _packs_index(packs), CLI_PAGE: _cli_page(cli_help)}
    for pack in packs:
        pages[pack_page(pack.id)] = _pack_page(pack)
    pages[CHECKS_PAGE] = _checks_page(checks)
    pages[SCHEMAS_INDEX] = _schemas_index(schemas)
    for name, text in schemas.items():
        pages[schema_page(name)] = _schema_page(name, text)
    return pages


def nav_entries(packs: Sequence[CompiledPack], schemas: Iterable[str]) -> dict[str, list[Any]]:
    """Navigation for the generated pages: the pack pages under ``Rule packs``
    and the schema pages under ``JSON Schemas``, each section led by its index."""
    return {
        PACKS_INDEX: [PACKS_INDEX, *({pack.id: pack_page(pack.id)} for pack in packs)],
        SCHEMAS_INDEX: [SCHEMAS_INDEX, *({name: schema_page(name)} for name in schemas)],
    }
