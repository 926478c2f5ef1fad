"""Lint message templates: one ``Policy.lint`` per template, findings located in the file.

Each template becomes a request for the action it is written for (its
channel and jurisdiction, a collector, a borrower as recipient, one debt
with the facts the template asserts). ``Policy.lint`` evaluates only the
rules that read the message. Each reason becomes one finding per span of
evidence (the words that broke the rule); a reason without spans (required
content missing) is reported where the template starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fair_collect.engine import Policy
from fair_collect.errors import FieldProblem, InputError
from fair_collect.lint.templates import (
    Template,
    TemplateError,
    TemplateFile,
    find_template_files,
    mask_placeholders,
    problem,
    read_template_file,
)
from fair_collect.model import ProposedAction, parse_request
from fair_collect.verdict import Citation, Reason

__all__ = [
    "LintFinding",
    "LintOptions",
    "LintResult",
    "build_request",
    "lint_files",
    "lint_paths",
    "read_templates",
]

#: The instant every template is checked at: a Tuesday mid-morning, local time.
#: Message rules do not depend on the time; the packs in force do.
_DAY = "2026-06-09T10:30:00"
_OFFSETS = {"US": "-04:00", "CN": "+08:00"}
#: Who sends a template when neither it nor the command line says.
_COLLECTOR_BY_COUNTRY = {"CN": "first_party_creditor"}
_DEFAULT_COLLECTOR = "third_party_collector"

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class LintOptions:
    """What a template that does not say is assumed to be."""

    channel: str = "sms"
    jurisdiction: str = "US"
    #: None: ``first_party_creditor`` in China, ``third_party_collector`` elsewhere.
    collector_type: str | None = None


@dataclass(frozen=True, slots=True)
class LintFinding:
    """One rule broken by one template, located in its file (1-based line and column)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    template_id: str
    rule_id: str
    code: str
    category: str
    message: str
    #: The words that broke the rule as written in the template (identifiers
    #: masked); None when the finding is about something missing.
    quote: str | None
    citations: tuple[Citation, ...]
    pack: str
    severity: Severity
    #: The message field (``text``, ``subject``), None for the whole template.
    field: str | None
    #: False when the location could only be approximated.
    exact: bool = True


@dataclass(frozen=True, slots=True)
class LintResult:
    files: tuple[TemplateFile, ...]
    findings: tuple[LintFinding, ...]
    #: Title of every rule that produced a finding, by rule id.
    rule_titles: Mapping[str, str] = field(default_factory=dict)

    @property
    def templates(self) -> tuple[Template, ...]:
        return tuple(t for f in self.files for t in f.templates)

    @property
    def failed(self) -> bool:
        """Whether any finding is an error (warnings alone pass)."""
        return any(f.severity == "error" for f in self.findings)


def read_templates(paths: Iterable[str | Path]) -> list[TemplateFile]:
    """Every template file under ``paths``, read; ``TemplateError`` lists every bad file."""
    paths = list(paths)
    files: list[TemplateFile] = []
    problems: list[FieldProblem] = []
    for path in find_template_files(paths):
        try:
            files.append(read_template_file(path))
        except TemplateError as exc:
            problems.extend(exc.problems)
    if problems:
        raise TemplateError(problems)
    if not files:
        shown = ", ".join(str(p) for p in paths)
        raise TemplateError(
            [
                problem(
                    shown,
                    "no_templates",
                    "no template files found (.txt, .md, .j2, .jinja, .tmpl, .yaml, .yml, .json)",
                )
            ]
        )
    return files


def build_request(template: Template, options: LintOptions = LintOptions()) -> dict[str, Any]:
    """The request a template is checked as (SPEC.md section 2)."""
    settings = template.settings
    jurisdiction = settings.get("jurisdiction", options.jurisdiction)
    codes = jurisdiction if isinstance(jurisdiction, list) else [jurisdiction]
    country = str(codes[0]).split("-")[0].upper() if codes else ""
    collector_type = settings.get(
        "collector_type",
        options.collector_type or _COLLECTOR_BY_COUNTRY.get(country, _DEFAULT_COLLECTOR),
    )
    facts: Mapping[str, Any] = settings.get("facts", {})
    message: dict[str, Any] = {"text": mask_placeholders(template.text.value)}
    if template.subject is not None:
        message["subject"] = mask_placeholders(template.subject.value)
    for key in ("language", "sender_name"):
        if key in settings:
            message[key] = settings[key]
    debt: dict[str, Any] = {"id": "D1"}
    debt.update({k: facts[k] for k in ("suit_authorized", "judgment", "time_barred") if k in facts})
    return {
        "channel": settings.get("channel", options.channel),
        "at": _DAY + _OFFSETS.get(country, "+00:00"),
        "purpose": settings.get("purpose", "collection"),
        "jurisdictions": codes,
        "collector": {"type": collector_type, "attorney": facts.get("attorney", False)},
        "recipient": {"role": "borrower"},
        "message": message,
        "debts": [debt],
    }


#: Request fields -> the template setting that gave them.
_SETTING_OF = (
    ("jurisdictions", "jurisdiction"),
    ("collector.type", "collector_type"),
    ("collector.attorney", "facts.attorney"),
    ("message.language", "language"),
    ("message.sender_name", "sender_name"),
    ("message.subject", "subject"),
    ("message.text", "text"),
    ("channel", "channel"),
    ("purpose", "purpose"),
)


def _setting_of(loc: str) -> str:
    if loc.startswith("debts.0."):
        return "facts." + loc.split(".")[2]
    for prefix, setting in _SETTING_OF:
        if loc == prefix or loc.startswith(prefix + "."):
            return setting
    return loc or "<template>"


def _located_problems(template: Template, exc: InputError) -> list[FieldProblem]:
    """The engine's field problems, located at the template setting that caused them."""
    problems = []
    for p in exc.problems:
        setting = _setting_of(p.loc)
        index = template.setting_at.get(setting)
        if index is None:
            index = template.setting_at.get(setting.split(".")[0], template.start)
        where = f"{template.source.where(index)}: template {template.id}: {setting}"
        problems.append(FieldProblem(loc=where, type=p.type, msg=p.msg))
    return problems


def _quote(template: Template, span: Mapping[str, Any], name: str) -> str | None:
    if "masked" in span:  # an identifier: never repeat it whole
        return str(span["masked"])
    located = template.located(name)
    start, end = span.get("start"), span.get("end")
    if (
        located is not None
        and isinstance(start, int)
        and isinstance(end, int)
        and 0 <= start < end <= len(located.value)
    ):
        return located.value[start:end]
    quote = span.get("quote")
    return None if quote is None else str(quote)


def _outermost(spans: Any) -> list[tuple[str, int, int, Mapping[str, Any]]]:
    """The spans of a reason that no other span of it contains (one finding for
    "be arrested", not a second for "arrested" inside it), in text order."""
    valid = [
        (str(s.get("field", "text")), s["start"], s["end"], s)
        for s in (spans if isinstance(spans, list) else [])
        if isinstance(s, Mapping)
        and isinstance(s.get("start"), int)
        and isinstance(s.get("end"), int)
    ]
    valid.sort(key=lambda item: (item[0], item[1], -item[2]))
    kept: list[tuple[str, int, int, Mapping[str, Any]]] = []
    for item in valid:
        name, start, end, _ = item
        if any(k[0] == name and k[1] <= start and end <= k[2] for k in kept):
            continue
        kept.append(item)
    return kept


def _worder(
    policy: Policy, reason: Reason, request: ProposedAction
) -> Callable[[Mapping[str, Any]], str]:
    """The message of one finding of ``reason``: a reason that quotes several
    spans ("go to jail, jail") is worded for each span with its quote alone,
    so that a finding says what is wrong where it points."""
    quotes = reason.evidence.get("quotes")

    def message(span: Mapping[str, Any]) -> str:
        quote = span.get("quote")
        if not isinstance(quotes, list) or len(quotes) < 2 or quote not in quotes:
            return reason.message
        return policy.render_message(reason, request, {**reason.evidence, "quotes": [quote]})

    return message


def _findings(
    template: Template,
    reason: Reason,
    severity: Severity,
    worded: Callable[[Mapping[str, Any]], str],
) -> list[LintFinding]:
    def finding(
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        quote: str | None,
        name: str | None,
        exact: bool = True,
        message: str = reason.message,
    ) -> LintFinding:
        return LintFinding(
            path=template.path,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            template_id=template.id,
            rule_id=reason.rule_id,
            code=reason.code,
            category=reason.category,
            message=message,
            quote=quote,
            citations=reason.citations,
            pack=reason.pack,
            severity=severity,
            field=name,
            exact=exact,
        )

    located_spans: list[LintFinding] = []
    for name, start, end, span in _outermost(reason.evidence.get("spans")):
        located = template.located(name)
        if located is None:
            continue
        line, column = template.source.position(located.index(start))
        # The end column is one past the last character of the span.
        last = located.index(max(start, end - 1))
        end_line, end_column = template.source.position(last)
        located_spans.append(
            finding(
                line,
                column,
                end_line,
                end_column + (1 if end > start else 0),
                _quote(template, span, name),
                name,
                located.exact,
                worded(span),
            )
        )
    if located_spans:
        return located_spans
    line, column = template.source.position(template.start)
    return [finding(line, column, line, column, None, None)]


def lint_files(
    policy: Policy,
    files: Sequence[TemplateFile],
    options: LintOptions = LintOptions(),
    *,
    on_template: Callable[[], None] | None = None,
) -> LintResult:
    """Lint every template of ``files``. ``TemplateError`` when the settings of
    any template do not make a valid request (every such template is named).
    ``on_template`` is called once per template (a progress display)."""
    findings: list[LintFinding] = []
    problems: list[FieldProblem] = []
    for template_file in files:
        for template in template_file.templates:
            if on_template is not None:
                on_template()
            try:
                request = parse_request(build_request(template, options))
                verdict = policy.lint(request)
            except InputError as exc:
                problems.extend(_located_problems(template, exc))
                continue
            graded: tuple[tuple[Severity, tuple[Reason, ...]], ...] = (
                ("error", verdict.reasons),
                ("warning", verdict.warnings),
            )
            for severity, reasons in graded:
                for reason in reasons:
                    findings.extend(
                        _findings(template, reason, severity, _worder(policy, reason, request))
                    )
    if problems:
        raise TemplateError(problems)
    titles: dict[str, str] = {}
    for finding in findings:
        if finding.rule_id not in titles:
            try:
                titles[finding.rule_id] = policy.rule(finding.rule_id).title
            except KeyError:
                titles[finding.rule_id] = finding.code
    order = {f.source.path: i for i, f in enumerate(files)}
    findings.sort(key=lambda f: (order.get(f.path, 0), f.line, f.column, f.rule_id))
    return LintResult(tuple(files), tuple(findings), titles)


def lint_paths(
    policy: Policy, paths: Iterable[str | Path], options: LintOptions = LintOptions()
) -> LintResult:
    """Find, read and lint the templates under ``paths``."""
    return lint_files(policy, read_templates(paths), options)
