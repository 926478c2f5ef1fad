"""Conformance: every ``*.scenarios.yaml`` case and every shipped rule example.

Cases are run once, at collection, so that each scenario and each rule example
is its own pytest item (its id is the case id); a failing case fails with the
runner's ``detail`` text. An error that stops a whole file (a malformed
scenario file, an engine crash) becomes one failing item instead of hiding
the rest of the suite behind a collection error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

import pytest

import fair_collect
from fair_collect.engine import Policy
from fair_collect.testing.scenarios import (
    CaseResult,
    find_scenario_files,
    run_rule_examples,
    run_scenario_file,
)

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


def _collect(name: str, run: Callable[[], Iterable[CaseResult]]) -> list[CaseResult]:
    try:
        return list(run())
    except Exception as exc:
        return [CaseResult(f"{name}::<error>", name, None, False, f"{type(exc).__name__}: {exc}")]


def _scenario_cases() -> list[CaseResult]:
    policies: dict[tuple[str, ...], Policy] = {}  # compiled policies shared across files
    cases: list[CaseResult] = []
    for path in find_scenario_files(HERE):
        shown = path.relative_to(ROOT).as_posix()
        cases += _collect(shown, partial(run_scenario_file, path, shown, policies))
    return cases


SCENARIOS = _scenario_cases()
EXAMPLES = _collect("rule examples", lambda: run_rule_examples(fair_collect.load_policy()))


def _check(case: CaseResult) -> None:
    if not case.passed:
        pytest.fail(f"{case.where}: {case.detail}", pytrace=False)


def test_scenario_files_found() -> None:
    assert SCENARIOS, f"no *.scenarios.yaml cases under {HERE}"


def test_rule_examples_found() -> None:
    assert EXAMPLES, "no rule examples in the shipped packs"


@pytest.mark.parametrize("case", SCENARIOS, ids=[c.id for c in SCENARIOS])
def test_scenario(case: CaseResult) -> None:
    _check(case)


@pytest.mark.parametrize("case", EXAMPLES, ids=[c.id for c in EXAMPLES])
def test_rule_example(case: CaseResult) -> None:
    _check(case)
