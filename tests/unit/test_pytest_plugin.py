"""The opt-in pytest plugin: a lender's ``*.scenarios.yaml`` files become test
items, one per scenario, passing and failing as ``fair-collect test`` says."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest_plugins = ["pytester"]

PLUGIN = "fair_collect.testing.pytest_plugin"

SCENARIOS = """\
packs: [us/federal]
defaults:
  channel: call
  at: "2026-06-09T10:30:00-04:00"
  collector: {type: third_party_collector, name: "Example Recovery LLC"}
  recipient: {role: borrower, address: "+12125550123", address_kind: mobile}
  borrower:
    id: B1
    location: {country: US, region: NY, postal_code: "10001"}
    phones: [{number: "+12125550123", kind: mobile}]
  debts: [{id: D1, kind: credit_card}]
  history: []
scenarios:
  - name: a morning call is allowed
    request: {}
    expect: {outcome: allow}
  - name: an early call is denied until 08:00
    request: {at: "2026-06-09T07:30:00-04:00"}
    expect:
      outcome: deny
      codes: [outside_permitted_hours]
      next_allowed_at: "2026-06-09T08:00:00-04:00"
"""


def test_each_scenario_is_a_passing_item(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenarios.yaml", house=SCENARIOS)
    result = pytester.runpytest("-p", PLUGIN, "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*house.scenarios.yaml::a morning call is allowed PASSED*"])


def test_a_wrong_expectation_fails_naming_file_line_and_detail(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".scenarios.yaml",
        house=SCENARIOS.replace("expect: {outcome: allow}", "expect: {outcome: deny}"),
    )
    result = pytester.runpytest("-p", PLUGIN)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["house.scenarios.yaml:14: expected deny, got allow*"])


def test_a_malformed_file_is_one_failing_item(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".scenarios.yaml", broken="scenarios: [{name: x, expect: {outcome: maybe}}]\n"
    )
    result = pytester.runpytest("-p", PLUGIN)
    result.assert_outcomes(failed=1)


def test_without_the_plugin_scenario_files_are_not_collected(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenarios.yaml", house=SCENARIOS)
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_importing_the_plugin_reads_no_pack() -> None:
    """The plugin itself is cheap: packs are read only when a scenario file is
    collected (importing the package imports its modules, not its rules)."""
    code = (
        "import fair_collect.testing.pytest_plugin, fair_collect.engine as e; "
        "print(e._default is None and not e._LEXICONS)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
