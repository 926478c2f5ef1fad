"""The README stays true: its Python example runs, and CI runs its test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import fair_collect

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_commands() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2
    assert "fair-collect check examples/requests/" in commands[0]
    assert "pytest" in commands[1]


def test_the_example_request_of_the_quick_start_exists() -> None:
    path = re.search(r"check (examples/requests/\S+)", _quick_start_commands()[0])
    assert path is not None
    assert (ROOT / path.group(1)).is_file()


def test_ci_runs_the_quick_start_test_command() -> None:
    assert _quick_start_commands()[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_backend_example_behaves_as_its_comments_say() -> None:
    code = re.search(r"```python\n(.+?)\n```", README, re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    with pytest.raises(fair_collect.DeniedError):
        exec(code.group(1), namespace)
    verdict = namespace["verdict"]
    assert isinstance(verdict, fair_collect.Verdict)
    assert verdict.allowed is False
    assert verdict.codes == ("outside_permitted_hours",)
    assert verdict.next_allowed_at is not None
    assert verdict.next_allowed_at.isoformat() == "2026-06-09T08:00:00-04:00"
