"""Running rule examples and scenario files: one runner for tests, CI and ``fair-collect test``.

Two kinds of cases:

* **rule examples**: each rule in a pack carries requests (fragments merged
  over the pack's ``example_defaults``) and what *that rule* does with them
  (``deny``/``warn``/``allow``). They run against their own pack alone.
* **scenario files** (``*.scenarios.yaml``): whole requests and the expected
  verdict (outcome, codes, warnings, ``next_allowed_at``, zones, or an input
  error naming fields), against the packs the file names.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from fair_collect.checks.content import foreign_word_lists
from fair_collect.engine import Policy, load_policy
from fair_collect.errors import InputError, PackProblem
from fair_collect.packs.compiler import CompiledPack, CompiledRule
from fair_collect.packs.loader import find_pack_dirs, validation_problems
from fair_collect.packs.schema import ExampleSpec
from fair_collect.packs.yamlsource import YamlProblem, read_yaml
from fair_collect.verdict import Verdict

__all__ = [
    "CaseResult",
    "ScenarioFileError",
    "deep_merge",
    "example_request",
    "find_scenario_files",
    "run_paths",
    "run_rule_examples",
    "run_scenario_file",
]

SCENARIO_SUFFIX = ".scenarios.yaml"


@dataclass(frozen=True, slots=True)
class CaseResult:
    """The result of one example or scenario."""

    id: str
    file: str
    line: int | None
    passed: bool
    detail: str = ""

    @property
    def where(self) -> str:
        """``file:line``, or the file alone when the line is unknown."""
        return f"{self.file}:{self.line}" if self.line else self.file


class ScenarioFileError(Exception):
    """A scenario file is malformed (not a failing case: the file itself is wrong)."""

    def __init__(self, problems: list[PackProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def deep_merge(base: Mapping[str, Any], fragment: Mapping[str, Any]) -> dict[str, Any]:
    """``fragment`` over ``base``: mappings merge key by key, anything else replaces."""
    merged = copy.deepcopy(dict(base))
    for key, value in fragment.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def example_request(pack: CompiledPack, example: ExampleSpec) -> dict[str, Any]:
    return deep_merge(pack.spec.example_defaults, example.request)


def _rule_outcome(rule: CompiledRule, example: ExampleSpec, verdict: Verdict) -> str | None:
    """None when the example holds, else what went wrong."""
    mine = [r for r in verdict.reasons if r.rule_id == rule.id]
    warned = [r for r in verdict.warnings if r.rule_id == rule.id]
    if example.expect == "allow":
        if mine or warned:
            got = ", ".join(r.code for r in (*mine, *warned))
            return f"expected the rule to pass, it found: {got} ({(mine or warned)[0].message})"
        return None
    found = mine if example.expect == "deny" else warned
    wanted = set(example.codes or (rule.code,))
    codes = {r.code for r in found}
    if not found:
        return f"expected {example.expect} from this rule, it passed"
    if not wanted <= codes:
        return f"expected codes {sorted(wanted)}, got {sorted(codes)}"
    return None


def run_rule_examples(
    policy: Policy, rule_ids: Iterable[str] | None = None
) -> Iterator[CaseResult]:
    """Run every rule's examples, each against its own pack only."""
    selected = set(rule_ids) if rule_ids is not None else None
    for pack in policy.packs:
        # The pack's rules alone, with the word lists they read from other packs.
        read = {
            other for rule in pack.rules for other, _ in foreign_word_lists(rule.check, pack.id)
        }
        lists = [p for p in policy.word_list_packs if p.id in read]
        own = Policy([pack], word_lists_of=[pack, *lists])
        for rule in pack.rules:
            if selected is not None and rule.id not in selected:
                continue
            for index, example in enumerate(rule.spec.examples):
                case_id = f"{rule.id}[{index}] {example.name}"
                line = rule.example_lines[index] if index < len(rule.example_lines) else rule.line
                try:
                    verdict = own.check(example_request(pack, example))
                except InputError as exc:
                    yield CaseResult(
                        case_id,
                        rule.file,
                        line,
                        False,
                        f"the example is not a valid request: {exc}",
                    )
                    continue
                problem = _rule_outcome(rule, example, verdict)
                yield CaseResult(case_id, rule.file, line, problem is None, problem or "")


# ------------------------------------------------------------ scenario files


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ZoneExpectation(_Spec):
    zone: str
    source: str | None = None


class Expectation(_Spec):
    outcome: Literal["allow", "deny"] | None = None
    codes: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    next_allowed_at: AwareDatetime | Literal["any"] | None = "any"
    time_zones: tuple[ZoneExpectation, ...] = ()
    jurisdictions: tuple[str, ...] | None = None
    error: Literal["input_error"] | None = None
    fields: tuple[str, ...] = ()


class Scenario(_Spec):
    name: str = Field(min_length=1)
    request: dict[str, Any] | str
    expect: Expectation
    note: str | None = None


class ScenarioFile(_Spec):
    description: str | None = None
    packs: tuple[str, ...] | None = None
    defaults: dict[str, Any] = Field(default_factory=dict)
    scenarios: tuple[Scenario, ...] = Field(min_length=1)


def find_scenario_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(root.rglob(f"*{SCENARIO_SUFFIX}"))


def _check_expectation(expect: Expectation, verdict: Verdict) -> list[str]:
    problems = []
    if expect.error:
        return [f"expected an input error, got a verdict: {verdict.outcome}"]
    if expect.outcome and verdict.outcome != expect.outcome:
        got = ", ".join(f"{r.code} ({r.message})" for r in verdict.reasons) or "no reasons"
        problems.append(f"expected {expect.outcome}, got {verdict.outcome}: {got}")
    codes = {r.code for r in verdict.reasons}
    missing = [c for c in expect.codes if c not in codes]
    if missing:
        problems.append(f"expected deny codes {missing}, got {sorted(codes)}")
    rules = {r.rule_id for r in verdict.reasons}
    missing = [r for r in expect.rules if r not in rules]
    if missing:
        problems.append(f"expected denies from {missing}, got {sorted(rules)}")
    warnings = {r.code for r in verdict.warnings}
    missing = [c for c in expect.warnings if c not in warnings]
    if missing:
        problems.append(f"expected warning codes {missing}, got {sorted(warnings)}")
    present = [c for c in expect.absent if c in codes or c in warnings]
    if present:
        problems.append(f"expected no {present}")
    if expect.next_allowed_at != "any":
        got_next = verdict.next_allowed_at
        want = expect.next_allowed_at
        if got_next != want:
            shown = got_next.isoformat() if got_next else None
            problems.append(
                f"expected next_allowed_at {want.isoformat() if want else None}, got {shown}"
            )
    zones = {(z.zone, z.source) for z in verdict.time_zones}
    for zone in expect.time_zones:
        if not any(z == zone.zone and (zone.source is None or s == zone.source) for z, s in zones):
            problems.append(
                f"expected time zone {zone.zone} ({zone.source or 'any source'}), got {sorted(zones)}"
            )
    if expect.jurisdictions is not None and tuple(verdict.jurisdictions) != expect.jurisdictions:
        problems.append(
            f"expected jurisdictions {list(expect.jurisdictions)}, got {list(verdict.jurisdictions)}"
        )
    return problems


def _load_scenarios(path: Path, display: str) -> tuple[ScenarioFile, Any]:
    try:
        data, lines = read_yaml(path, display)
    except YamlProblem as exc:
        raise ScenarioFileError([exc.problem]) from None
    try:
        return ScenarioFile.model_validate(data if data is not None else {}), lines
    except ValidationError as exc:
        raise ScenarioFileError(validation_problems(exc, ScenarioFile, display, lines)) from None


def run_scenario_file(
    path: Path, display: str | None = None, policies: dict[tuple[str, ...], Policy] | None = None
) -> Iterator[CaseResult]:
    """Run one scenario file. ``policies`` caches compiled policies across files."""
    shown = display or path.as_posix()
    spec, lines = _load_scenarios(path, shown)
    # A pack name is a folder next to the file if there is one, else a shipped
    # pack id; the cache is keyed on what the names resolve to, so two files
    # naming a local "pk" in different folders get their own policies.
    sources: list[str | Path] | None = None
    if spec.packs is not None:
        sources = [path.parent / p if (path.parent / p).exists() else p for p in spec.packs]
    key = (
        tuple(str(s.resolve()) if isinstance(s, Path) else s for s in sources)
        if sources is not None
        else ("*",)
    )
    cache = policies if policies is not None else {}
    policy = cache.get(key)
    if policy is None:
        policy = cache[key] = load_policy(sources)
    for index, scenario in enumerate(spec.scenarios):
        line = lines.line(("scenarios", index))
        case_id = f"{shown}::{scenario.name}"
        request: Any = scenario.request
        if isinstance(request, dict):
            request = deep_merge(spec.defaults, request)
        try:
            verdict = policy.check(request)
        except InputError as exc:
            expect = scenario.expect
            if expect.error != "input_error":
                yield CaseResult(case_id, shown, line, False, f"unexpected input error: {exc}")
                continue
            missing = [f for f in expect.fields if f not in exc.fields]
            detail = f"expected problems at {missing}, got {list(exc.fields)}" if missing else ""
            yield CaseResult(case_id, shown, line, not missing, detail)
            continue
        problems = _check_expectation(scenario.expect, verdict)
        yield CaseResult(case_id, shown, line, not problems, "; ".join(problems))


def run_paths(paths: Iterable[Path]) -> Iterator[CaseResult]:
    """Everything ``fair-collect test PATH...`` runs: scenario files, and the examples
    of every pack found under the paths."""
    policies: dict[tuple[str, ...], Policy] = {}
    for root in paths:
        if not root.exists():
            raise ScenarioFileError([PackProblem(root.as_posix(), None, "no such file or folder")])
        if root.is_file() and not root.name.endswith(SCENARIO_SUFFIX):
            raise ScenarioFileError(
                [
                    PackProblem(
                        root.as_posix(), None, f"not a scenario file (*{SCENARIO_SUFFIX}) or folder"
                    )
                ]
            )
        if root.is_dir():
            pack_dirs = find_pack_dirs(root)
            if pack_dirs:
                yield from run_rule_examples(load_policy(pack_dirs))
        for file in find_scenario_files(root):
            yield from run_scenario_file(file, policies=policies)
