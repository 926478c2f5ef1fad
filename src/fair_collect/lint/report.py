"""Lint results as text, JSON, SARIF 2.1.0 and JUnit XML.

* text: ``path:line:column: rule_id [code] message`` per finding (followed by
  ``(template ID)`` in a file of several templates) and a summary line; a file
  without findings prints nothing.
* json: ``{"findings": [...], "templates": N, "files": N}``.
* sarif: one run of the ``fair-collect`` tool, for code-scanning dashboards.
  Columns count Unicode code points (``columnKind``). Each result has a
  ``partialFingerprints`` entry hashed from rule id, template id and quote,
  so a finding keeps its identity when lines move.
* junit: one ``<testsuite name="fair-collect lint">``, one ``<testcase>`` per
  template, one ``<failure>`` per finding; ``failures`` counts the failing
  templates.

Warnings (rules whose effect is ``warn``) are reported but do not fail: SARIF
level ``warning``, JUnit ``<system-out>``, ``severity`` in JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote as url_quote

import fair_collect
from fair_collect.lint.run import LintFinding, LintResult

__all__ = ["FORMATS", "render", "to_json", "to_junit", "to_sarif", "to_text"]

FORMATS = ("text", "json", "sarif", "junit")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_FALLBACK_URI = "https://pypi.org/project/fair-collect/"
_FINGERPRINT = "fairCollectFinding/v1"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# ------------------------------------------------------------------ text


def _line(finding: LintFinding, *, name_template: bool = True) -> str:
    message = " ".join(finding.message.split())
    warning = "warning: " if finding.severity == "warning" else ""
    which = f" (template {finding.template_id})" if name_template else ""
    return (
        f"{finding.path}:{finding.line}:{finding.column}: "
        f"{finding.rule_id} [{finding.code}] {warning}{message}{which}"
    )


def to_text(result: LintResult) -> str:
    catalogues = {f.source.path for f in result.files if len(f.templates) > 1}
    lines = [_line(f, name_template=f.path in catalogues) for f in result.findings]
    errors = sum(f.severity == "error" for f in result.findings)
    warnings = len(result.findings) - errors
    scope = f"{_plural(len(result.templates), 'template')} in {_plural(len(result.files), 'file')}"
    if not result.findings:
        lines.append(f"no findings: {scope}")
    else:
        failing = len({(f.path, f.template_id) for f in result.findings if f.severity == "error"})
        counted = _plural(errors, "finding")
        if warnings:
            counted += f" and {_plural(warnings, 'warning')}"
        lines.append(f"{counted} in {failing} of {scope}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ json


def _finding_json(finding: LintFinding) -> dict[str, Any]:
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "template_id": finding.template_id,
        "field": finding.field,
        "rule_id": finding.rule_id,
        "code": finding.code,
        "category": finding.category,
        "severity": finding.severity,
        "message": finding.message,
        "quote": finding.quote,
        "citations": [c.model_dump(mode="json") for c in finding.citations],
        "pack": finding.pack,
        "exact_location": finding.exact,
    }


def to_json(result: LintResult) -> dict[str, Any]:
    return {
        "findings": [_finding_json(f) for f in result.findings],
        "templates": len(result.templates),
        "files": len(result.files),
    }


# ------------------------------------------------------------------ sarif


def _information_uri() -> str:
    """The project's home page from the installed metadata, else its package page."""
    try:
        meta = metadata.metadata("fair-collect")
    except metadata.PackageNotFoundError:
        return _FALLBACK_URI
    for entry in meta.get_all("Project-URL") or []:
        url = str(entry).partition(",")[2].strip()
        if url.startswith("https://"):
            return url
    for home in meta.get_all("Home-page") or []:
        if str(home).startswith("https://"):
            return str(home)
    return _FALLBACK_URI


def artifact_uri(path: str) -> str:
    """A SARIF artifact URI: the relative path with ``/`` (percent-encoded), or a file URI."""
    native = Path(path)
    if native.is_absolute():
        return native.as_uri()
    return url_quote(PurePosixPath(path.replace("\\", "/")).as_posix(), safe="/")


def fingerprint(finding: LintFinding) -> str:
    """A stable identity: rule id, template id and quote (not the line)."""
    key = "\x00".join((finding.rule_id, finding.template_id, finding.quote or ""))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _sarif_rule(finding: LintFinding, title: str) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": finding.rule_id,
        "name": finding.code,
        "shortDescription": {"text": title},
        "properties": {"category": finding.category, "tags": [finding.category, finding.pack]},
    }
    url = next((c.url for c in finding.citations if c.url), None)
    if url:
        rule["helpUri"] = url
    sources = "; ".join(c.source for c in finding.citations)
    if sources:
        rule["help"] = {"text": f"{title} ({sources})"}
    return rule


def _region(finding: LintFinding) -> dict[str, int]:
    region = {"startLine": finding.line, "startColumn": finding.column}
    if finding.end_line == finding.line and finding.end_column > finding.column:
        region["endColumn"] = finding.end_column
    return region


def to_sarif(result: LintResult) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for finding in result.findings:
        if finding.rule_id not in index:
            index[finding.rule_id] = len(rules)
            title = result.rule_titles.get(finding.rule_id, finding.code)
            rules.append(_sarif_rule(finding, title))
        results.append(
            {
                "ruleId": finding.rule_id,
                "ruleIndex": index[finding.rule_id],
                "level": finding.severity,
                "message": {"text": finding.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": artifact_uri(finding.path)},
                            "region": _region(finding),
                        }
                    }
                ],
                "partialFingerprints": {_FINGERPRINT: fingerprint(finding)},
                "properties": {
                    "templateId": finding.template_id,
                    "code": finding.code,
                    "category": finding.category,
                    "pack": finding.pack,
                    **({"quote": finding.quote} if finding.quote is not None else {}),
                },
            }
        )
    driver: dict[str, Any] = {
        "name": "fair-collect",
        "informationUri": _information_uri(),
        "rules": rules,
    }
    version = getattr(fair_collect, "__version__", None)
    if isinstance(version, str):
        driver["version"] = version
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
        ],
    }


# ------------------------------------------------------------------ junit

# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _detail(finding: LintFinding) -> str:
    lines = [_line(finding)]
    if finding.quote is not None:
        lines.append(f"quote: {finding.quote}")
    lines.extend(f"law: {c.source}" + (f" <{c.url}>" if c.url else "") for c in finding.citations)
    return "\n".join(lines)


def to_junit(result: LintResult) -> str:
    by_template: dict[tuple[str, str], list[LintFinding]] = {}
    for finding in result.findings:
        by_template.setdefault((finding.path, finding.template_id), []).append(finding)
    suite = ET.Element("testsuite", name="fair-collect lint")
    failing = 0
    for template in result.templates:
        case = ET.SubElement(
            suite, "testcase", classname=_xml(template.path), name=_xml(template.id)
        )
        findings = by_template.get((template.path, template.id), [])
        errors = [f for f in findings if f.severity == "error"]
        failing += bool(errors)
        for finding in errors:
            failure = ET.SubElement(
                case, "failure", message=_xml(finding.message), type=_xml(finding.code)
            )
            failure.text = _xml(_detail(finding))
        warnings = [f for f in findings if f.severity == "warning"]
        if warnings:
            ET.SubElement(case, "system-out").text = _xml("\n".join(_detail(f) for f in warnings))
    suite.set("tests", str(len(result.templates)))
    suite.set("failures", str(failing))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    ET.indent(suite)
    body = ET.tostring(suite, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


# ------------------------------------------------------------------ any


def render(result: LintResult, fmt: str) -> str:
    """The result in ``fmt`` (one of ``FORMATS``), ready to write."""
    if fmt == "text":
        return to_text(result)
    if fmt == "junit":
        return to_junit(result)
    data = to_sarif(result) if fmt == "sarif" else to_json(result)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
