"""Turning loaded pack specs into immutable, indexed, ready-to-run rules.

Compilation happens once, in ``load_policy``. Every check name and parameter
is validated against the registry here, and every message placeholder
against the evidence its check can produce, so that nothing about a pack can
fail at check time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from pydantic import ValidationError

from fair_collect.checks.base import (
    Check,
    CheckRegistry,
    PackContext,
    passes_without_message,
    suggest,
)
from fair_collect.checks.composite import AllOf, AnyOf, Not
from fair_collect.errors import PackError, PackProblem
from fair_collect.facts.zoneinfo_cache import get_zone
from fair_collect.labels import label, with_article
from fair_collect.model import CHANNELS, ProposedAction
from fair_collect.packs.loader import LoadedPack, LoadedRule, validation_problems
from fair_collect.packs.schema import PackSpec, RuleSpec
from fair_collect.text.lexicon import WordEntry
from fair_collect.verdict import Category, Citation, Confidence, Effect, PackRef

__all__ = ["MESSAGE_CONTEXT_KEYS", "CompiledPack", "CompiledRule", "compile_pack"]

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_COMPOSITES = ("all", "any", "not")
#: A literal ending in the article "a"/"A" as a word: the placeholder after it
#: decides between "a" and "an".
_ARTICLE_BEFORE = re.compile(r"(?:^|[^\w])[Aa] $")

#: Keys every message template may use besides its check's evidence.
MESSAGE_CONTEXT_KEYS = frozenset({"channel", "purpose", "recipient_role", "fact", "needed"})


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule ready to run: applicability sets, a compiled check, rendered citations."""

    id: str
    title: str
    category: Category
    code: str
    effect: Effect
    confidence: Confidence
    pack_id: str
    channels: frozenset[str] | None
    recipient_roles: frozenset[str] | None
    collector_types: frozenset[str] | None
    purposes: frozenset[str] | None
    check: Check
    messages: Mapping[str, str]
    citations: tuple[Citation, ...]
    spec: RuleSpec = field(repr=False)
    file: str = ""
    line: int | None = None
    example_lines: tuple[int | None, ...] = ()
    #: A check of the rule reads what the message says (lint runs these rules).
    reads_message: bool = False
    #: The rule passes whenever the action has no message (``passes_without_message``).
    passes_without_message: bool = False
    #: ``messages`` split once into (literal, placeholder or None, article)
    #: triples, so that a deny renders its reason by joining, not by a regular
    #: expression; ``article`` marks a literal ending in "a " or "A ".
    templates: Mapping[str, tuple[_Part, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "templates", {lang: _split_template(t) for lang, t in self.messages.items()}
        )

    @property
    def time_based(self) -> bool:
        return self.check.time_based

    def applies(self, request: ProposedAction) -> bool:
        """Whether the rule binds this action. Unknown facts make a rule apply (fail closed)."""
        if self.purposes is not None and request.purpose not in self.purposes:
            return False
        if self.collector_types is not None:
            collector = request.collector
            kind = collector.type if collector else None
            if kind is not None and kind not in self.collector_types:
                return False
        if self.recipient_roles is not None:
            recipient = request.recipient
            role = recipient.role if recipient else None
            if role is not None and role not in self.recipient_roles:
                return False
        return True

    def render(
        self, evidence: Mapping[str, Any], language: str | None, request: ProposedAction
    ) -> str:
        """The rule's message in ``language`` (else its base language, else English),
        placeholders filled from the evidence, then from the action itself."""
        templates = self.templates
        template = templates.get("en", ())
        written_in = "en"
        if language:
            base = language.split("-")[0].lower()
            for candidate in (language, base):
                if templates.get(candidate):
                    template, written_in = templates[candidate], candidate
                    break
        english = written_in.split("-")[0].lower() == "en"
        out: list[str] = []
        for literal, key, article in template:
            out.append(literal)
            if key is not None:
                value = evidence.get(key, _ABSENT)
                if value is _ABSENT:
                    value = _action_value(key, request, written_in)
                if value is None:
                    text = "(unknown)"
                elif isinstance(value, list | tuple):
                    text = ", ".join(str(v) for v in value)
                else:
                    text = str(value)
                if english and article:
                    # "A {channel}" reads "An SMS", "An email".
                    out[-1] = literal[:-2] + with_article(text, literal[-2]) + " "
                out.append(text)
        return "".join(out)


#: Placeholders filled from the action itself when the evidence lacks them.
_ACTION_KEYS = frozenset({"channel", "purpose", "recipient_role"})


_ABSENT = object()


def _action_value(key: str, request: ProposedAction, language: str) -> str | None:
    """The action's own value for ``key``, in the words of ``language`` (None
    for a key that is not one of the action's)."""
    if key not in _ACTION_KEYS:
        return None
    if key == "channel":
        return label("channel", request.channel, language)
    if key == "purpose":
        return label("purpose", request.purpose, language)
    recipient = request.recipient
    role = (recipient.role if recipient else None) or "borrower"
    return label("recipient_role", role, language)


#: (literal, placeholder or None, the literal ends in the article "a "/"A ").
_Part = tuple[str, str | None, bool]


def _split_template(template: str) -> tuple[_Part, ...]:
    """``"At {time} in {zone}."`` -> ``(("At ", "time", False), (" in ", "zone",
    False), (".", None, False))``."""
    parts: list[_Part] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        literal = template[position : match.start()]
        parts.append((literal, match.group(1), _ARTICLE_BEFORE.search(literal) is not None))
        position = match.end()
    parts.append((template[position:], None, False))
    return tuple(parts)


@dataclass(frozen=True, slots=True)
class CompiledPack:
    spec: PackSpec
    ref: PackRef
    rules: tuple[CompiledRule, ...]
    by_channel: Mapping[str, tuple[CompiledRule, ...]]
    starts: datetime
    ends: datetime | None
    #: The entries of the pack's word lists; the policy compiles every pack's
    #: into one automaton (``fair_collect.text.lexicon.Lexicon``).
    words: tuple[WordEntry, ...] = ()

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def jurisdiction(self) -> str:
        return self.spec.jurisdiction

    def in_force(self, at: datetime) -> bool:
        """Whether the pack is in force at the instant ``at`` (see ``_in_force_bounds``)."""
        return self.starts <= at and (self.ends is None or at < self.ends)


class _CheckCompiler:
    def __init__(self, registry: CheckRegistry, ctx: PackContext, rule: LoadedRule) -> None:
        self.registry = registry
        self.ctx = ctx
        self.rule = rule
        self.problems: list[PackProblem] = []
        #: Whether a check of the rule reads the message (``CheckKind.reads_message``).
        self.reads_message = False

    def problem(self, path: tuple[int | str, ...], msg: str) -> None:
        self.problems.append(
            PackProblem(
                file=self.rule.file,
                line=self.rule.line(*path),
                msg=msg,
                rule_id=self.rule.spec.id,
                field=".".join(str(p) for p in path),
            )
        )

    def compile(self, raw: Any, path: tuple[int | str, ...]) -> tuple[Check, frozenset[str]] | None:
        if not isinstance(raw, dict) or len(raw) != 1:
            self.problem(
                path,
                "a check is a mapping with exactly one key: a check name, 'all', 'any' or 'not'",
            )
            return None
        ((name, value),) = raw.items()
        here = (*path, name)
        if name in ("all", "any"):
            if not isinstance(value, list) or not value:
                self.problem(here, f"'{name}' takes a non-empty list of checks")
                return None
            compiled = [self.compile(item, (*here, i)) for i, item in enumerate(value)]
            if any(c is None for c in compiled):
                return None
            children = [c[0] for c in compiled if c is not None]
            keys = frozenset().union(*(c[1] for c in compiled if c is not None))
            return (AllOf(tuple(children)) if name == "all" else AnyOf(tuple(children))), keys
        if name == "not":
            inner = self.compile(value, here)
            return (Not(inner[0]), frozenset()) if inner else None
        if name not in self.registry:
            self.problem(
                here, f"unknown check {name!r}" + suggest(name, [*self.registry, *_COMPOSITES])
            )
            return None
        kind = self.registry[name]
        self.reads_message = self.reads_message or kind.reads_message
        if value is not None and not isinstance(value, dict):
            self.problem(here, f"the parameters of {name!r} are a mapping")
            return None
        try:
            params = kind.params.model_validate(value or {})
        except ValidationError as exc:
            self.problems.extend(
                validation_problems(
                    exc,
                    kind.params,
                    self.rule.file,
                    self.rule.lines,
                    (*self.rule.path, *here),
                    rule_id=self.rule.spec.id,
                    field_prefix=here,
                )
            )
            return None
        try:
            built = kind.build(params, self.ctx)
        except ValueError as exc:  # parameters that only the pack can judge
            self.problem(here, str(exc))
            return None
        return built, kind.evidence


def _compile_rule(
    rule: LoadedRule, pack: PackSpec, registry: CheckRegistry, ctx: PackContext
) -> tuple[CompiledRule | None, list[PackProblem]]:
    spec = rule.spec
    compiler = _CheckCompiler(registry, ctx, rule)
    compiled = compiler.compile(spec.check, ("check",))
    problems = compiler.problems
    if compiled is None:
        return None, problems
    check, evidence_keys = compiled
    allowed = evidence_keys | MESSAGE_CONTEXT_KEYS
    for name in sorted(spec.placeholders() - allowed):
        problems.append(
            PackProblem(
                rule.file,
                rule.line("message"),
                f"message placeholder {{{name}}} is not evidence of this check"
                + suggest(name, sorted(allowed)),
                rule_id=spec.id,
                field="message",
            )
        )
    if problems:
        return None, problems
    applies = spec.applies_to
    collector_types = applies.collector_types if applies.collector_types is not None else pack.binds
    return (
        CompiledRule(
            id=spec.id,
            title=spec.title,
            category=spec.category,
            code=spec.code,
            effect=spec.effect,
            confidence=spec.confidence,
            pack_id=pack.id,
            channels=frozenset(applies.channels) if applies.channels is not None else None,
            recipient_roles=frozenset(applies.recipient_roles)
            if applies.recipient_roles is not None
            else None,
            collector_types=frozenset(collector_types),
            purposes=frozenset(applies.purposes) if applies.purposes is not None else None,
            check=check,
            messages=spec.messages(),
            citations=tuple(Citation(source=c.source, url=c.url) for c in spec.citations),
            spec=spec,
            file=rule.file,
            line=rule.line(),
            example_lines=tuple(rule.line("examples", i) for i in range(len(spec.examples))),
            reads_message=compiler.reads_message,
            passes_without_message=passes_without_message(check),
        ),
        [],
    )


def _in_force_bounds(spec: PackSpec) -> tuple[datetime, datetime | None]:
    """The instants a pack is in force between.

    Effective dates are calendar days in the jurisdiction. A pack counts as in
    force from the moment its first day has begun anywhere on Earth (UTC+14)
    until its end day has begun everywhere (UTC-12): conservative, and
    independent of the offset the request happens to be written in.
    """
    effective = spec.effective
    starts = datetime.combine(effective.from_, time(0), tzinfo=UTC) - timedelta(hours=14)
    if effective.until is None:
        return starts, None
    return starts, datetime.combine(effective.until, time(0), tzinfo=UTC) + timedelta(hours=12)


def compile_pack(pack: LoadedPack, registry: CheckRegistry) -> CompiledPack:
    """Compile one loaded pack. Raises ``PackError`` with every problem found."""
    spec = pack.spec
    ctx = PackContext(
        pack_id=spec.id,
        jurisdiction=spec.jurisdiction,
        time_zone=get_zone(spec.time_zone) if spec.time_zone else None,
        word_categories=frozenset(entry.category for entry in pack.words),
    )
    rules: list[CompiledRule] = []
    problems: list[PackProblem] = []
    for loaded in pack.rules:
        compiled, found = _compile_rule(loaded, spec, registry, ctx)
        problems.extend(found)
        if compiled is not None:
            rules.append(compiled)
    if problems:
        raise PackError(problems)
    by_channel = {
        channel: tuple(r for r in rules if r.channels is None or channel in r.channels)
        for channel in CHANNELS
    }
    starts, ends = _in_force_bounds(spec)
    return CompiledPack(
        spec=spec,
        ref=PackRef(id=spec.id, version=spec.version, digest=pack.digest),
        rules=tuple(rules),
        by_channel=by_channel,
        starts=starts,
        ends=ends,
        words=pack.words,
    )
