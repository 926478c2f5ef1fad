"""``fair-collect lint``: check message templates before they are ever sent.

Templates are read from plain-text files (with optional YAML front matter)
and from YAML or JSON catalogues; placeholders are blanked; each template is
checked with ``Policy.lint`` (the rules that read the message: wording,
personal data, required content) as the action it is written for; findings
are located by file, line and column and reported as text, JSON, SARIF or
JUnit XML.

    from fair_collect import load_policy
    from fair_collect.lint import lint_paths, render

    result = lint_paths(load_policy(), ["templates/"])
    print(render(result, "text"))
"""

from fair_collect.lint.report import FORMATS, render, to_json, to_junit, to_sarif, to_text
from fair_collect.lint.run import (
    LintFinding,
    LintOptions,
    LintResult,
    build_request,
    lint_files,
    lint_paths,
    read_templates,
)
from fair_collect.lint.templates import (
    TEMPLATE_SUFFIXES,
    LocatedText,
    Template,
    TemplateError,
    TemplateFile,
    mask_placeholders,
)

__all__ = [
    "FORMATS",
    "TEMPLATE_SUFFIXES",
    "LintFinding",
    "LintOptions",
    "LintResult",
    "LocatedText",
    "Template",
    "TemplateError",
    "TemplateFile",
    "build_request",
    "lint_files",
    "lint_paths",
    "mask_placeholders",
    "read_templates",
    "render",
    "to_json",
    "to_junit",
    "to_sarif",
    "to_text",
]
