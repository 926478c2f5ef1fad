"""The progress counter of ``fair-collect test`` and ``lint``: shown on a
terminal, silent in CI and when standard error is redirected."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from fair_collect.cli import main
from fair_collect.progress import Progress

ROOT = Path(__file__).resolve().parents[2]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_the_count_and_a_cleared_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    stream = _Terminal()
    with Progress("lint: templates", total=3, stream=stream) as progress:
        assert progress.enabled
        for _ in range(3):
            progress.step()
    text = stream.getvalue()
    assert "lint: templates 1/3" in text
    assert "lint: templates 3/3" in text  # the last step is always drawn
    assert text.endswith("\r")  # and the line is cleared at the end


def test_ci_and_redirected_output_stay_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    stream = _Terminal()
    with Progress("test: cases", stream=stream) as progress:
        progress.step("a.scenarios.yaml")
    assert stream.getvalue() == ""
    monkeypatch.delenv("CI")
    redirected = io.StringIO()
    with Progress("test: cases", stream=redirected) as progress:
        progress.step()
    assert redirected.getvalue() == ""


def test_the_cli_writes_no_progress_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["lint", str(ROOT / "examples" / "templates" / "clean"), "--format", "json"]) == 0
    assert main(["test", str(ROOT / "tests" / "conformance" / "cn"), "--format", "json"]) == 0
    assert "\r" not in capsys.readouterr().err
