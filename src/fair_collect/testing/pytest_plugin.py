"""A pytest plugin that collects ``*.scenarios.yaml`` files as tests.

Opt-in, so that installing fair_collect never changes another project's test
run: enable it with ``-p fair_collect.testing.pytest_plugin`` on the command
line, ``addopts = -p fair_collect.testing.pytest_plugin`` in the pytest
configuration, or ``pytest_plugins = ["fair_collect.testing.pytest_plugin"]``
in a top-level ``conftest.py``. A lender then keeps its own cases beside its
code (request, expected outcome, codes, ``next_allowed_at``...; the format
``fair-collect test`` reads, see ``tests/conformance/`` in this repository),
and each scenario becomes one test item named after it.

Importing the plugin imports only pytest: the engine and the packs load when
the first scenario file is collected. Each file is run once, at collection,
with one policy per distinct pack list (shared across files), like
``fair-collect test``; a file that cannot be read becomes one failing item
naming the problem instead of a collection error that hides the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from fair_collect.testing.scenarios import CaseResult

__all__ = ["ScenarioItem", "ScenarioYamlFile", "pytest_collect_file"]

SUFFIX = ".scenarios.yaml"
_POLICIES_KEY = pytest.StashKey[dict[tuple[str, ...], Any]]()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(SUFFIX):
        collector: pytest.Collector = ScenarioYamlFile.from_parent(parent, path=file_path)
        return collector
    return None


class ScenarioYamlFile(pytest.File):
    """One scenario file: its scenarios are run here and reported one by one."""

    def collect(self) -> Iterator[pytest.Item]:
        from fair_collect.testing.scenarios import CaseResult, run_scenario_file

        policies = self.config.stash.setdefault(_POLICIES_KEY, {})
        shown = self.path.relative_to(self.config.rootpath).as_posix()
        try:
            results = list(run_scenario_file(self.path, shown, policies))
        except Exception as exc:  # a malformed file or packs that do not load
            results = [CaseResult(f"{shown}::<error>", shown, None, False, f"{exc}")]
        for result in results:
            name = result.id.partition("::")[2] or result.id
            yield ScenarioItem.from_parent(self, name=name, result=result)


class ScenarioItem(pytest.Item):
    """One scenario: passes when the verdict met every expectation."""

    def __init__(self, *, result: CaseResult, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result = result

    def runtest(self) -> None:
        if not self.result.passed:
            raise ScenarioFailed(self.result)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            result = excinfo.value.result
            return f"{result.where}: {result.detail}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.result.line
        return self.path, (line - 1 if line else None), f"scenario: {self.name}"


class ScenarioFailed(Exception):
    """A scenario whose verdict did not meet its expectations."""

    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.detail)
        self.result = result
