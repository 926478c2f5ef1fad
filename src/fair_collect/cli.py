"""The ``fair-collect`` command: a thin layer over the public API.

Exit codes (SPEC.md section 4): 0 allow / clean, 1 deny / findings,
2 invalid input or usage, 3 rule-pack error, 4 internal error. JSON goes to
stdout when it is not a terminal (or with ``--format json``); diagnostics go
to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

import yaml

from fair_collect.checks.base import suggest
from fair_collect.engine import Policy, load_policy
from fair_collect.errors import FieldProblem, InputError, PackError
from fair_collect.lint import LintOptions, lint_files, read_templates, render
from fair_collect.log import DecisionLog, LogError, replay, verify
from fair_collect.model import CHANNELS, COLLECTOR_TYPES, parse_request
from fair_collect.progress import Progress
from fair_collect.schemas import SCHEMA_NAMES, schema_text
from fair_collect.testing.scenarios import (
    CaseResult,
    ScenarioFileError,
    run_paths,
    run_rule_examples,
)
from fair_collect.verdict import Reason, Verdict

__all__ = ["main"]

EXIT_OK, EXIT_DENY, EXIT_USAGE, EXIT_PACK, EXIT_INTERNAL = 0, 1, 2, 3, 4


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse exits 2 itself; keep one exit path
        raise _UsageError(f"{self.prog}: {message}")


def _format(args: argparse.Namespace | None, out: TextIO) -> str:
    """``--format`` when given, else JSON for programs and text on a terminal."""
    chosen = getattr(args, "format", None)
    if chosen:
        return str(chosen)
    return "text" if out.isatty() else "json"


def _dump(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# ------------------------------------------------------------------ check


def _read_input(source: str) -> Any:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise _UsageError(f"fair-collect: cannot read {source}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise _UsageError(f"{source} is not UTF-8 text: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [_problem("", "json_invalid", f"{source}: not JSON ({exc.msg} at line {exc.lineno})")]
        ) from None


def _problem(loc: str, type_: str, msg: str) -> FieldProblem:
    return FieldProblem(loc=loc, type=type_, msg=msg)


def _render_reason(reason: Reason, mark: str, out: TextIO) -> None:
    out.write(f"  {mark} {reason.code}  [{reason.rule_id}]\n")
    out.write(f"      {reason.message}\n")
    law = "; ".join(c.source for c in reason.citations)
    out.write(f"      law: {law}")
    if reason.confidence != "primary":
        out.write(f"  (confidence: {reason.confidence})")
    out.write("\n")


def _render_verdict(verdict: Verdict, channel: str, at: str, out: TextIO) -> None:
    out.write(f"{verdict.outcome.upper()}  {channel} at {at}\n")
    for reason in verdict.reasons:
        _render_reason(reason, "x", out)
    for warning in verdict.warnings:
        _render_reason(warning, "!", out)
    if verdict.next_allowed_at is not None and not verdict.allowed:
        out.write(f"  next allowed at: {verdict.next_allowed_at.isoformat()}\n")
    elif not verdict.allowed:
        out.write("  next allowed at: never by waiting (a rule time cannot cure blocks it)\n")
    zones: dict[str, list[str]] = {}
    for ref in verdict.time_zones:
        zones.setdefault(ref.zone, []).append(ref.source)
    shown = ", ".join(f"{z} ({', '.join(s)})" for z, s in zones.items()) or "none"
    out.write(f"  time zones: {shown}\n")
    out.write(f"  jurisdictions: {', '.join(verdict.jurisdictions) or 'unknown'}")
    out.write(f" ({verdict.jurisdiction_source})\n")
    packs = ", ".join(f"{p.id} {p.version}" for p in verdict.packs)
    out.write(f"  packs: {packs}\n")
    if verdict.explanation is not None:
        out.write("  explanation:\n")
        for step in verdict.explanation:
            detail = f" ({step.detail})" if step.detail else ""
            out.write(f"    {step.result:<15} {step.rule_id}{detail}\n")


def _policy(packs: Sequence[str] | None) -> Policy:
    return load_policy(list(packs) if packs else None)


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    data = _read_input(args.file)
    items = data if isinstance(data, list) else [data]
    if args.jurisdiction:
        items = [
            {**item, "jurisdictions": list(args.jurisdiction)} if isinstance(item, dict) else item
            for item in items
        ]
    policy = _policy(args.pack)
    requests = []
    for index, item in enumerate(items):
        try:
            requests.append(parse_request(item))
        except InputError as exc:
            if isinstance(data, list):
                problems = [
                    _problem(f"{index}.{p.loc}".rstrip("."), p.type, p.msg) for p in exc.problems
                ]
                raise InputError(problems) from None
            raise
    verdicts = [policy.check(r, explain=args.explain) for r in requests]
    if args.log:
        _log_decisions(args, requests, verdicts)
    if _format(args, out) == "json":
        dumped = [v.model_dump(mode="json", exclude_none=False) for v in verdicts]
        for item in dumped:
            if not args.explain:
                item.pop("explanation", None)
        _dump(dumped if isinstance(data, list) else dumped[0], out)
    else:
        for request, verdict in zip(requests, verdicts, strict=True):
            _render_verdict(verdict, request.channel, request.at.isoformat(), out)
    return EXIT_OK if all(v.allowed for v in verdicts) else EXIT_DENY


def _log_decisions(
    args: argparse.Namespace, requests: Sequence[Any], verdicts: Sequence[Verdict]
) -> None:
    """Append each decision to ``--log`` before printing it: a caller that
    acts on the output must never act on a decision that was not logged."""
    try:
        with DecisionLog(
            args.log,
            store_request=args.log_request or args.log_text,
            store_text=args.log_text,
        ) as log:
            for request, verdict in zip(requests, verdicts, strict=True):
                log.record(request, verdict)
    except LogError as exc:
        raise _UsageError(f"fair-collect: {exc}") from None


# -------------------------------------------------------------------- log


def _cmd_log(args: argparse.Namespace, out: TextIO) -> int:
    try:
        if args.log_command == "verify":
            report = verify(args.file)
        else:
            replayed = replay(args.file, _policy(args.pack))
    except OSError as exc:
        raise _UsageError(f"fair-collect: cannot read {args.file}: {exc.strerror}") from None
    json_out = _format(args, out) == "json"
    if args.log_command == "verify":
        if json_out:
            _dump(report.to_json(), out)
        else:
            for line, message in report.problems:
                out.write(f"{args.file}:{line}: {message}\n")
            state = "intact" if report.ok else f"NOT intact, {len(report.problems)} problem(s)"
            torn = " (torn tail)" if report.torn_tail else ""
            out.write(f"{report.records} records, {state}{torn}\n")
        return EXIT_OK if report.ok else EXIT_DENY
    if json_out:
        _dump(replayed.to_json(), out)
    else:
        for change in replayed.changes:
            old = f"{change.old_outcome} {list(change.old_codes)}"
            new = f"{change.new_outcome} {list(change.new_codes)}"
            out.write(f"{args.file}:{change.line}: seq {change.seq}: {old} -> {new}\n")
        out.write(
            f"{replayed.replayed} replayed, {len(replayed.changes)} would change,"
            f" {replayed.not_replayable} not replayable (no stored request),"
            f" {replayed.inexact} without their wording\n"
        )
    return EXIT_DENY if replayed.changed else EXIT_OK


# ------------------------------------------------------------------ packs


def _cmd_packs(args: argparse.Namespace, out: TextIO) -> int:
    if args.packs_command == "validate":
        policy = _policy(args.paths)
        examples = list(run_rule_examples(policy))
        failed = [r for r in examples if not r.passed]
        if _format(args, out) == "json":
            _dump(
                {
                    "valid": not failed,
                    "packs": [p.ref.model_dump() for p in policy.packs],
                    "rules": len(policy.rules),
                    "examples": len(examples),
                    "failed_examples": [_case_json(r) for r in failed],
                },
                out,
            )
        else:
            for pack in policy.packs:
                out.write(f"ok  {pack.id} {pack.spec.version}  {len(pack.rules)} rules\n")
            for case in failed:
                out.write(f"FAIL {case.where}: {case.id}: {case.detail}\n")
            out.write(f"{len(examples) - len(failed)}/{len(examples)} rule examples pass\n")
        return EXIT_DENY if failed else EXIT_OK

    policy = _policy(args.pack)
    if args.packs_command == "show":
        try:
            rule = policy.rule(args.rule_id)
        except KeyError:
            hint = suggest(args.rule_id, [r.id for r in policy.rules])
            raise _UsageError(f"no rule {args.rule_id!r}{hint}") from None
        data = {
            "id": rule.id,
            "pack": rule.pack_id,
            "file": f"{rule.file}:{rule.line}",
            **rule.spec.model_dump(mode="json", exclude={"id"}, exclude_none=True),
        }
        if _format(args, out) == "json":
            _dump(data, out)
        else:
            out.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))
        return EXIT_OK

    rows = [
        {
            "id": p.id,
            "jurisdiction": p.jurisdiction,
            "title": p.spec.title,
            "version": p.spec.version,
            "rules": len(p.rules),
            "binds": list(p.spec.binds),
            "digest": p.ref.digest,
        }
        for p in policy.packs
    ]
    if _format(args, out) == "json":
        _dump(rows, out)
    else:
        out.write(f"{'pack':<16}{'jurisdiction':<14}{'version':<12}{'rules':>5}  title\n")
        for row in rows:
            out.write(
                f"{row['id']:<16}{row['jurisdiction']:<14}{row['version']:<12}{row['rules']:>5}"
                f"  {row['title']}\n"
            )
    return EXIT_OK


# ------------------------------------------------------------------- test


def _case_json(case: CaseResult) -> dict[str, Any]:
    return {
        "id": case.id,
        "file": case.file,
        "line": case.line,
        "passed": case.passed,
        "detail": case.detail,
    }


def _junit(cases: list[CaseResult], path: Path) -> None:
    failures = sum(not c.passed for c in cases)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuite name="fair-collect" tests="{len(cases)}" failures="{failures}" errors="0">',
    ]
    for case in cases:
        head = f"  <testcase classname={quoteattr(case.file)} name={quoteattr(case.id)}"
        if case.passed:
            lines.append(f"{head} />")
        else:
            lines.append(f"{head}>")
            failure = f"<failure message={quoteattr(case.detail)}>{escape(case.where)}</failure>"
            lines.append(f"    {failure}")
            lines.append("  </testcase>")
    lines.append("</testsuite>")
    try:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError as exc:
        raise _UsageError(f"fair-collect: cannot write {path}: {exc.strerror}") from None


def _cmd_test(args: argparse.Namespace, out: TextIO) -> int:
    found = (
        run_paths(Path(p) for p in args.paths) if args.paths else run_rule_examples(load_policy())
    )
    cases: list[CaseResult] = []
    with Progress("fair-collect test: cases") as progress:  # a terminal only
        for case in found:
            cases.append(case)
            progress.step(case.file)
    failed = [c for c in cases if not c.passed]
    if _format(args, out) == "json":
        _dump(
            {
                "passed": len(cases) - len(failed),
                "failed": len(failed),
                "cases": [_case_json(c) for c in cases],
            },
            out,
        )
    else:
        for case in failed:
            out.write(f"FAIL {case.where}: {case.id}\n     {case.detail}\n")
        out.write(f"{len(cases) - len(failed)} passed, {len(failed)} failed\n")
    if args.junit:
        _junit(cases, Path(args.junit))
    if not cases:
        sys.stderr.write("fair-collect test: no cases found\n")
        return EXIT_USAGE
    return EXIT_DENY if failed else EXIT_OK


# ------------------------------------------------------------------- lint


def _cmd_lint(args: argparse.Namespace, out: TextIO) -> int:
    files = read_templates(args.paths)
    policy = _policy(args.pack)
    options = LintOptions(
        channel=args.channel,
        jurisdiction=args.jurisdiction,
        collector_type=args.collector_type,
    )
    total = sum(len(f.templates) for f in files)
    with Progress("fair-collect lint: templates", total) as progress:  # a terminal only
        result = lint_files(policy, files, options, on_template=progress.step)
    out.write(render(result, _format(args, out)))
    return EXIT_DENY if result.failed else EXIT_OK


# ------------------------------------------------------------------ audit


def _cmd_audit(args: argparse.Namespace, out: TextIO) -> int:
    from fair_collect.audit import (
        SummaryBuilder,
        history_horizon,
        iter_audit,
        load_audit_policy,
        read_contexts,
        read_events,
    )

    pins: dict[str, str] = {}
    for item in args.pin or ():
        pack_id, sep, digest = item.partition("=")
        if not sep or not pack_id or not digest:
            raise _UsageError(f"fair-collect audit: --pin expects PACK_ID=sha256:..., got {item!r}")
        pins[pack_id] = digest
    for path in (args.events, args.context):
        if path is not None and not Path(path).is_file():
            raise _UsageError(f"fair-collect: cannot read {path}: no such file")
    try:
        events = read_events(args.events, fmt=args.events_format)
        contexts = read_contexts(args.context) if args.context else []
    except ImportError as exc:
        raise _UsageError(f"fair-collect: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _UsageError(f"fair-collect: cannot read input: {exc}") from None
    policy = load_audit_policy(list(args.pack) if args.pack else None, pins=pins)
    horizon = history_horizon(policy)
    builder = SummaryBuilder(top=args.top)
    sink: TextIO | None = None
    try:
        if args.verdicts == "-":
            sink = out
        elif args.verdicts:
            sink = open(args.verdicts, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise _UsageError(f"fair-collect: cannot write {args.verdicts}: {exc.strerror}") from None
    try:
        with Progress("fair-collect audit: events", len(events)) as progress:  # a terminal only
            for verdict in iter_audit(
                policy, events, contexts, horizon=horizon, bounded=not args.unbounded
            ):
                builder.add(verdict)
                if sink is not None:
                    sink.write(verdict.model_dump_json() + "\n")
                progress.step()
    finally:
        if sink is not None and sink is not out:
            sink.close()
    packs = [{"id": p.id, "version": p.ref.version, "digest": p.ref.digest} for p in policy.packs]
    summary = builder.build(packs, horizon)
    if args.summary:
        try:
            Path(args.summary).write_text(
                json.dumps(summary.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
        except OSError as exc:
            raise _UsageError(
                f"fair-collect: cannot write {args.summary}: {exc.strerror}"
            ) from None
    report = sys.stderr if sink is out else out
    if _format(args, report) == "json":
        _dump(summary.model_dump(mode="json"), report)
    else:
        report.write(summary.render_text())
    if summary.errors:
        sys.stderr.write(
            f"fair-collect audit: {summary.errors} event(s) could not be decided"
            " (outcome 'error' in the verdicts)\n"
        )
        return EXIT_USAGE
    return EXIT_DENY if summary.denied else EXIT_OK


# ------------------------------------------------------------------- main


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fair-collect",
        description="Check debt-collection actions against the law before they are sent.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = commands.add_parser("check", help="decide a proposed action (a JSON request)")
    check.add_argument("file", nargs="?", default="-", help="request JSON file, or - for stdin")
    check.add_argument(
        "--pack", action="append", help="pack id or path (repeatable; default: all shipped)"
    )
    check.add_argument(
        "--jurisdiction", action="append", help="jurisdiction code, overrides the request"
    )
    check.add_argument("--format", choices=["json", "text"])
    check.add_argument("--explain", action="store_true", help="add the rule-by-rule trace")
    check.add_argument("--log", metavar="FILE", help="append each decision to this decision log")
    check.add_argument(
        "--log-request",
        action="store_true",
        help="store the request in the log (for replay; message wording still dropped)",
    )
    check.add_argument(
        "--log-text",
        action="store_true",
        help="store the message wording too (implies --log-request)",
    )

    log = commands.add_parser("log", help="verify or replay a decision log")
    log_commands = log.add_subparsers(dest="log_command", required=True, parser_class=_Parser)
    log_verify = log_commands.add_parser(
        "verify", help="detect edited, deleted or reordered records and a torn tail"
    )
    log_verify.add_argument("file", metavar="FILE")
    log_verify.add_argument("--format", choices=["json", "text"])
    log_replay = log_commands.add_parser(
        "replay", help="re-decide stored requests under the current packs"
    )
    log_replay.add_argument("file", metavar="FILE")
    log_replay.add_argument(
        "--pack", action="append", help="pack id or path (repeatable; default: all shipped)"
    )
    log_replay.add_argument("--format", choices=["json", "text"])

    packs = commands.add_parser("packs", help="list, show or validate rule packs")
    packs_commands = packs.add_subparsers(dest="packs_command", required=True, parser_class=_Parser)
    listing = packs_commands.add_parser("list", help="the loaded packs")
    listing.add_argument("--pack", action="append")
    listing.add_argument("--format", choices=["json", "text"])
    show = packs_commands.add_parser("show", help="one rule with its citations and examples")
    show.add_argument("rule_id")
    show.add_argument("--pack", action="append")
    show.add_argument("--format", choices=["json", "text"])
    validate = packs_commands.add_parser("validate", help="load packs and run their examples")
    validate.add_argument("paths", nargs="*", help="pack folders (default: all shipped)")
    validate.add_argument("--format", choices=["json", "text"])

    test = commands.add_parser("test", help="run rule examples and scenario files")
    test.add_argument(
        "paths",
        nargs="*",
        help="*.scenarios.yaml files or folders (default: shipped rule examples)",
    )
    test.add_argument("--junit", metavar="FILE", help="also write JUnit XML here")
    test.add_argument("--format", choices=["json", "text"])

    lint = commands.add_parser(
        "lint",
        help="check the wording of message templates (for CI and pre-commit)",
        description=(
            "Check message templates with the rules that read the message (wording, personal"
            " data, required content). Plain-text templates (.txt .md .j2 .jinja .tmpl, with"
            " optional YAML front matter) and YAML/JSON catalogues; folders are searched."
        ),
    )
    lint.add_argument("paths", nargs="+", metavar="TEMPLATE_PATH", help="template files or folders")
    lint.add_argument("--format", choices=["text", "json", "sarif", "junit"])
    lint.add_argument(
        "--pack", action="append", help="pack id or path (repeatable; default: all shipped)"
    )
    lint.add_argument(
        "--channel",
        choices=CHANNELS,
        default="sms",
        help="channel of templates that do not say (default: sms)",
    )
    lint.add_argument(
        "--jurisdiction",
        default="US",
        help="jurisdiction code of templates that do not say (default: US)",
    )
    lint.add_argument(
        "--collector-type",
        choices=COLLECTOR_TYPES,
        help="sender of templates that do not say (default: first_party_creditor for CN,"
        " third_party_collector otherwise)",
    )
    audit = commands.add_parser(
        "audit",
        help="lookback audit: decide every past contact of a log against the history before it",
        description=(
            "Decide each event of a contact log (JSON Lines, CSV or Parquet) as the action it"
            " was, against the borrower's earlier events and the context in force at its time."
            " Writes one verdict per event (JSON Lines) and a summary by rule, jurisdiction,"
            " month and borrower. Exit 0: no denied event; 1: denied events; 2: bad input."
        ),
    )
    audit.add_argument("events", metavar="EVENTS", help="events file (.jsonl, .csv, .parquet)")
    audit.add_argument(
        "--context", metavar="FILE", help="borrower context records (JSON Lines), by borrower_id"
    )
    audit.add_argument(
        "--events-format",
        choices=["jsonl", "csv", "parquet"],
        help="format of EVENTS (default: from its extension; JSON Lines otherwise)",
    )
    audit.add_argument(
        "--verdicts",
        metavar="FILE",
        help="write the per-event verdicts here (JSON Lines; - for stdout)",
    )
    audit.add_argument("--summary", metavar="FILE", help="also write the summary here as JSON")
    audit.add_argument(
        "--pack", action="append", help="pack id or path (repeatable; default: all shipped)"
    )
    audit.add_argument(
        "--pin",
        action="append",
        metavar="PACK_ID=DIGEST",
        help="refuse to run unless the pack has this digest (repeatable)",
    )
    audit.add_argument("--top", type=int, default=10, help="worst borrowers to list (default: 10)")
    audit.add_argument(
        "--unbounded",
        action="store_true",
        help="hand each check the whole earlier history (slow; to confirm the bound)",
    )
    audit.add_argument("--format", choices=["json", "text"], help="format of the summary")

    schema = commands.add_parser(
        "schema",
        help="print a JSON Schema of the request, verdict or pack files",
        description="Print a JSON Schema (draft 2020-12) generated from the models.",
    )
    schema.add_argument("name", choices=SCHEMA_NAMES)
    return parser


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    out.write(schema_text(args.name))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    out = sys.stdout
    args: argparse.Namespace | None = None

    def report(exc: InputError | PackError, code: int) -> int:
        sys.stderr.write(f"fair-collect: {exc}\n")
        if _format(args, out) == "json":
            _dump(exc.to_json(), out)
        return code

    try:
        args = _parser().parse_args(argv)
        handler = {
            "check": _cmd_check,
            "packs": _cmd_packs,
            "test": _cmd_test,
            "lint": _cmd_lint,
            "schema": _cmd_schema,
            "log": _cmd_log,
            "audit": _cmd_audit,
        }[args.command]
        return handler(args, out)
    except _UsageError as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_USAGE
    except InputError as exc:
        return report(exc, EXIT_USAGE)
    except ScenarioFileError as exc:
        sys.stderr.write(f"fair-collect: invalid scenario file:\n{exc}\n")
        return EXIT_USAGE
    except PackError as exc:
        return report(exc, EXIT_PACK)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except Exception:  # never an allow: exit 4 with the traceback
        sys.stderr.write("fair-collect: internal error\n" + traceback.format_exc())
        return EXIT_INTERNAL
