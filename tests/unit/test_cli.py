"""The ``fair-collect`` command line as a user or a CI pipeline sees it (SPEC.md section 4).

Most tests call ``fair_collect.cli.main(argv)`` and read what it printed; under
``capsys`` stdout is not a terminal, so the default output is JSON. A few run
``python -m fair_collect`` and the installed ``fair-collect`` script as real
processes to show they behave the same. Exit codes: 0 allow / clean, 1 deny /
findings, 2 invalid input or usage, 3 rule-pack error, 4 internal error.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import fair_collect
import fair_collect.engine
from fair_collect.cli import main
from spec_shapes import REASON_KEYS, SHA256, VERDICT_KEYS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "requests"
FEDERAL_DIR = ROOT / "rules" / "us" / "federal"
CONFORMANCE = ROOT / "tests" / "conformance"

ALLOW = EXAMPLES / "allowed-reminder-call.json"
EARLY = EXAMPLES / "ny-mobile-ca-address-early-call.json"
EIGHTH = EXAMPLES / "seven-calls-then-an-eighth.json"

HOURS_RULE = "us.federal.reg_f.inconvenient_time"

#: What each shipped example must produce: outcome, exit code, deny codes,
#: one citation of the first reason, next_allowed_at.
EXPECTED: dict[str, tuple[str, int, list[str], str | None, str]] = {
    ALLOW.name: ("allow", 0, [], None, "2026-06-09T11:15:00-04:00"),
    EARLY.name: (
        "deny",
        1,
        ["outside_permitted_hours"],
        "12 CFR 1006.6(b)(1)(i)",
        "2026-06-09T11:00:00-04:00",
    ),
    EIGHTH.name: (
        "deny",
        1,
        ["call_frequency_exceeded"],
        "12 CFR 1006.14(b)(2)(i)(A)",
        "2026-06-10T08:00:00-05:00",
    ),
}

# A scenario file with one right and one wrong expectation: 07:30 in New York is
# denied (outside 08:00-21:00), but the file says allow.
SCENARIOS_ONE_WRONG = """\
packs: [us/federal]
defaults:
  channel: call
  at: "2026-06-09T10:30:00-04:00"
  collector: {type: third_party_collector}
  recipient: {role: borrower, address: "+12125550123", address_kind: mobile}
  borrower:
    location: {country: US, region: NY, postal_code: "10001"}
    phones: [{number: "+12125550123", kind: mobile}]
  debts: [{id: D1, kind: credit_card}]
  history: []
scenarios:
  - name: mid-morning call is allowed
    request: {}
    expect: {outcome: allow}
  - name: early call wrongly expected to be allowed
    request: {at: "2026-06-09T07:30:00-04:00"}
    expect: {outcome: allow}
"""
WRONG_CASE = "early call wrongly expected to be allowed"
WRONG_CASE_LINE = 16  # the "- name:" line of the wrong scenario above


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


CLI = Callable[..., Run]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CLI:
    """``cli("check", path)`` runs ``main`` in this process and captures its output."""

    def run(*argv: str | Path) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


def _write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _naive(path: Path) -> dict[str, Any]:
    """The request in ``path`` with ``at`` stripped of its offset."""
    request = _load(path)
    request["at"] = request["at"][:19]
    return request


def _rule_ids(policy: fair_collect.Policy) -> list[str]:
    return [r.id for r in policy.rules]


@functools.cache
def _cached_verdict(path: Path, *options: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", str(path), *options])
    return out.getvalue()


def _verdict(path: Path, *options: str) -> Any:
    """The JSON verdict of ``fair-collect check PATH [OPTION...]`` (cached; a fresh copy)."""
    return json.loads(_cached_verdict(path, *options))


# ------------------------------------------------------------------ check: shipped examples


def test_every_shipped_example_has_an_expectation_here() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_example_json_verdict_and_exit_code(cli: CLI, name: str) -> None:
    outcome, code, codes, citation, next_at = EXPECTED[name]
    run = cli("check", EXAMPLES / name)
    assert run.code == code
    assert run.err == ""
    verdict = run.json()
    assert isinstance(verdict, dict)
    assert set(verdict) >= VERDICT_KEYS
    assert "explanation" not in verdict
    assert verdict["outcome"] == outcome
    assert verdict["allowed"] is (outcome == "allow")
    got = [r["code"] for r in verdict["reasons"]]
    assert set(codes) <= set(got) if codes else got == []
    assert verdict["next_allowed_at"] == next_at
    assert SHA256.fullmatch(verdict["request_digest"])
    assert "us/federal" in [p["id"] for p in verdict["packs"]]
    assert all(SHA256.fullmatch(p["digest"]) for p in verdict["packs"])
    assert verdict["time_zones"]
    assert all(set(z) == {"zone", "source"} for z in verdict["time_zones"])
    for reason in verdict["reasons"]:
        assert set(reason) >= REASON_KEYS
        assert reason["effect"] == "deny"
        assert reason["pack"] == "us/federal"
        assert reason["citations"]
    if citation is not None:
        assert citation in [c["source"] for c in verdict["reasons"][0]["citations"]]


def test_check_early_call_names_both_zones_and_the_california_jurisdiction() -> None:
    verdict = _verdict(EARLY)
    zones = {(z["zone"], z["source"]) for z in verdict["time_zones"]}
    assert ("America/Los_Angeles", "postal_code") in zones
    assert ("America/New_York", "phone") in zones
    assert verdict["jurisdictions"] == ["US", "US-CA"]
    reason = verdict["reasons"][0]
    assert reason["rule_id"] == HOURS_RULE
    assert reason["category"] == "time_of_day"
    assert reason["evidence"]["local_time"] == "07:30"
    assert reason["evidence"]["time_zone"] == "America/Los_Angeles"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_text_format(cli: CLI, name: str) -> None:
    outcome, code, codes, citation, next_at = EXPECTED[name]
    run = cli("check", EXAMPLES / name, "--format", "text")
    assert run.code == code
    assert run.out.startswith(outcome.upper() + " ")
    assert not run.out.lstrip().startswith(("{", "["))
    for c in codes:
        assert c in run.out
    if citation is not None:
        assert citation in run.out
    if outcome == "deny":
        assert f"next allowed at: {next_at}" in run.out
    else:
        assert "next allowed at" not in run.out
        assert "DENY" not in run.out


def test_check_early_call_text_names_rule_and_law(cli: CLI) -> None:
    run = cli("check", EARLY, "--format", "text")
    assert "x outside_permitted_hours  [us.federal.reg_f.inconvenient_time]" in run.out
    assert "07:30" in run.out
    assert "America/Los_Angeles" in run.out
    assert "law: 12 CFR 1006.6(b)(1)(i); 15 U.S.C. 1692c(a)(1)" in run.out
    assert "us/federal 2021.11.30" in run.out


def test_check_reads_stdin_with_dash_and_by_default(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_file = cli("check", EARLY)
    monkeypatch.setattr(sys, "stdin", io.StringIO(EARLY.read_text(encoding="utf-8")))
    from_dash = cli("check", "-")
    monkeypatch.setattr(sys, "stdin", io.StringIO(EARLY.read_text(encoding="utf-8")))
    from_default = cli("check")
    assert from_dash.code == from_default.code == from_file.code == 1
    assert from_dash.json() == from_default.json() == from_file.json()


def test_check_array_gives_array_of_verdicts_and_exit_1_if_any_denied(
    cli: CLI, tmp_path: Path
) -> None:
    batch = _write_json(tmp_path / "batch.json", [_load(ALLOW), _load(EARLY), _load(EIGHTH)])
    run = cli("check", batch)
    assert run.code == 1
    verdicts = run.json()
    assert isinstance(verdicts, list)
    assert [v["outcome"] for v in verdicts] == ["allow", "deny", "deny"]
    singles = [_verdict(p) for p in (ALLOW, EARLY, EIGHTH)]
    assert verdicts == singles


def test_check_array_of_allowed_requests_exits_0(cli: CLI, tmp_path: Path) -> None:
    later = _load(ALLOW)
    later["at"] = "2026-06-09T15:00:00-04:00"
    batch = _write_json(tmp_path / "batch.json", [_load(ALLOW), later])
    run = cli("check", batch)
    assert run.code == 0
    assert [v["outcome"] for v in run.json()] == ["allow", "allow"]


def test_check_single_element_array_still_gives_an_array(cli: CLI, tmp_path: Path) -> None:
    run = cli("check", _write_json(tmp_path / "one.json", [_load(EARLY)]))
    assert run.code == 1
    verdicts = run.json()
    assert isinstance(verdicts, list)
    assert len(verdicts) == 1
    assert verdicts[0]["outcome"] == "deny"


def test_check_array_text_renders_every_verdict(cli: CLI, tmp_path: Path) -> None:
    batch = _write_json(tmp_path / "batch.json", [_load(ALLOW), _load(EARLY)])
    run = cli("check", batch, "--format", "text")
    assert run.code == 1
    heads = [line.split()[0] for line in run.out.splitlines() if not line.startswith(" ")]
    assert heads == ["ALLOW", "DENY"]


def test_check_jurisdiction_option_overrides_the_request(cli: CLI, tmp_path: Path) -> None:
    derived = _verdict(EARLY)
    assert derived["jurisdictions"] == ["US", "US-CA"]
    assert derived["jurisdiction_source"] == "location"

    run = cli("check", EARLY, "--jurisdiction", "US-NY")
    verdict = run.json()
    assert verdict["jurisdictions"] == ["US", "US-NY"]
    assert verdict["jurisdiction_source"] == "request"
    # The zones still come from the borrower's data: 07:30 in Los Angeles is early.
    assert run.code == 1
    assert "outside_permitted_hours" in [r["code"] for r in verdict["reasons"]]

    request = _load(ALLOW)
    request["jurisdictions"] = ["US-TX"]
    batch = _write_json(tmp_path / "batch.json", [request, _load(EARLY)])
    verdicts = cli("check", batch, "--jurisdiction", "US", "--jurisdiction", "US-NY-NYC").json()
    for v in verdicts:
        assert v["jurisdictions"] == ["US", "US-NY", "US-NY-NYC"]
        assert v["jurisdiction_source"] == "request"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_explain_adds_one_step_per_rule_without_changing_the_verdict(
    cli: CLI, federal: fair_collect.Policy, name: str
) -> None:
    explained = cli("check", EXAMPLES / name, "--pack", "us/federal", "--explain")
    assert explained.code == EXPECTED[name][1]
    verdict = explained.json()
    steps = verdict.pop("explanation")
    assert verdict == _verdict(EXAMPLES / name, "--pack", "us/federal")
    assert sorted(s["rule_id"] for s in steps) == sorted(_rule_ids(federal))
    assert all(s["pack"] == "us/federal" for s in steps)
    denied = sorted(s["rule_id"] for s in steps if s["result"] == "deny")
    assert denied == sorted(r["rule_id"] for r in verdict["reasons"])
    if name == EARLY.name:
        assert {s["rule_id"]: s["result"] for s in steps}[HOURS_RULE] == "deny"


def test_check_explain_text_lists_every_rule(cli: CLI, federal: fair_collect.Policy) -> None:
    run = cli("check", EARLY, "--pack", "us/federal", "--explain", "--format", "text")
    assert run.code == 1
    assert run.out.startswith("DENY")
    _, _, trace = run.out.partition("  explanation:\n")
    assert trace
    lines = trace.splitlines()
    assert sorted(line.split()[1] for line in lines) == sorted(_rule_ids(federal))
    assert [line.split()[0] for line in lines if HOURS_RULE in line] == ["deny"]


@pytest.mark.parametrize("pack", ["us/federal", str(FEDERAL_DIR)], ids=["id", "path"])
def test_check_pack_option_by_id_and_by_path(cli: CLI, pack: str) -> None:
    run = cli("check", EARLY, "--pack", pack)
    assert run.code == 1
    verdict = run.json()
    assert [p["id"] for p in verdict["packs"]] == ["us/federal"]
    assert verdict["packs"][0]["version"] == "2021.11.30"
    assert [r["rule_id"] for r in verdict["reasons"]] == [HOURS_RULE]
    # by id or by path: the same pack, the same digest, the same verdict
    other = str(FEDERAL_DIR) if pack == "us/federal" else "us/federal"
    assert verdict == _verdict(EARLY, "--pack", other)


def test_check_pack_option_on_allowed_example_exits_0(cli: CLI) -> None:
    assert cli("check", ALLOW, "--pack", FEDERAL_DIR).code == 0


def test_check_with_a_terminal_prints_text_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(["check", str(EARLY)]) == 1
    assert terminal.getvalue().startswith("DENY")

    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(["check", str(EARLY), "--format", "json"]) == 1
    assert json.loads(terminal.getvalue())["outcome"] == "deny"


# ------------------------------------------------------------------ check: invalid input


def test_check_naive_datetime_is_exit_2_naming_at(cli: CLI, tmp_path: Path) -> None:
    run = cli("check", _write_json(tmp_path / "naive.json", _naive(EARLY)))
    assert run.code == 2
    error = run.json()
    assert error["error"] == "invalid_input"
    assert [p["loc"] for p in error["problems"]] == ["at"]
    assert all(set(p) == {"loc", "type", "msg"} for p in error["problems"])
    assert "outcome" not in error
    assert "invalid request" in run.err
    assert "at:" in run.err


def test_check_unknown_field_is_exit_2_naming_it(cli: CLI, tmp_path: Path) -> None:
    request = _load(ALLOW)
    request["chanel"] = request.pop("channel")
    run = cli("check", _write_json(tmp_path / "typo.json", request))
    assert run.code == 2
    locs = {p["loc"] for p in run.json()["problems"]}
    assert {"chanel", "channel"} <= locs


@pytest.mark.parametrize("text", ["hello", '{"channel": "call",', "42", '"call"', "null"])
def test_check_input_that_is_not_a_json_request_is_exit_2(
    cli: CLI, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    run = cli("check", path)
    assert run.code == 2
    assert run.json()["error"] == "invalid_input"
    assert run.err.strip()


def test_check_not_json_on_stdin_is_exit_2(cli: CLI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("channel=call\n"))
    run = cli("check", "-")
    assert run.code == 2
    assert run.json()["problems"][0]["type"] == "json_invalid"
    assert "not JSON" in run.err


def test_check_missing_file_is_exit_2(cli: CLI, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-request.json"
    run = cli("check", missing)
    assert run.code == 2
    assert str(missing) in run.err
    assert "outcome" not in run.out


def test_check_folder_or_binary_file_is_exit_2(cli: CLI, tmp_path: Path) -> None:
    assert cli("check", EXAMPLES).code == 2
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe{\x00}\x00")
    run = cli("check", binary)
    assert run.code == 2
    assert "UTF-8" in run.err


def test_check_array_with_invalid_element_names_indexed_paths(cli: CLI, tmp_path: Path) -> None:
    batch = _write_json(tmp_path / "batch.json", [_load(ALLOW), _naive(EARLY)])
    run = cli("check", batch)
    assert run.code == 2
    error = run.json()
    assert error["error"] == "invalid_input"
    assert [p["loc"] for p in error["problems"]] == ["1.at"]
    assert "1.at" in run.err

    run = cli("check", _write_json(tmp_path / "scalar.json", [_load(ALLOW), 5]))
    assert run.code == 2
    assert [p["loc"] for p in run.json()["problems"]] == ["1"]


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frob"],
        ["check", "--bogus", str(ALLOW)],
        ["check", str(ALLOW), "--format", "yaml"],
        ["check", str(ALLOW), str(EARLY)],
        ["packs"],
        ["packs", "frob"],
        ["packs", "show"],
        ["test", "--junit"],
    ],
    ids=lambda argv: " ".join(Path(a).name if "/" in a else a for a in argv) or "no-arguments",
)
def test_usage_errors_are_exit_2(cli: CLI, argv: list[str]) -> None:
    run = cli(*argv)
    assert run.code == 2
    assert "fair-collect" in run.err
    assert run.out == ""


def test_help_is_exit_0(cli: CLI) -> None:
    run = cli("--help")
    assert run.code == 0
    assert "check" in run.out


# ------------------------------------------------------------------ rule-pack errors


@pytest.fixture
def broken_pack(tmp_path: Path) -> tuple[Path, int]:
    """A copy of us/federal whose hours rule names a check that does not exist.

    Returns the pack folder and the line of the misspelt check.
    """
    pack = tmp_path / "broken"
    shutil.copytree(FEDERAL_DIR, pack)
    rule_file = pack / "time_of_day.yaml"
    lines = rule_file.read_text(encoding="utf-8").splitlines(keepends=True)
    (index,) = [i for i, line in enumerate(lines) if "local_time_window:" in line]
    lines[index] = lines[index].replace("local_time_window:", "local_time_windw:")
    rule_file.write_text("".join(lines), encoding="utf-8")
    return pack, index + 1


def _assert_pack_error(run: Run, pack: Path, line: int) -> None:
    assert run.code == 3
    rule_file = (pack / "time_of_day.yaml").as_posix()
    assert f"{rule_file}:{line}" in run.err
    assert "local_time_windw" in run.err
    error = run.json()
    assert error["error"] == "pack_error"
    (problem,) = error["problems"]
    assert problem["file"] == rule_file
    assert problem["line"] == line
    assert problem["rule_id"] == HOURS_RULE
    assert "local_time_windw" in problem["field"]


def test_check_with_broken_pack_is_exit_3_with_file_and_line(
    cli: CLI, broken_pack: tuple[Path, int]
) -> None:
    pack, line = broken_pack
    run = cli("check", ALLOW, "--pack", pack)
    _assert_pack_error(run, pack, line)
    assert "outcome" not in run.out


@pytest.mark.parametrize(
    "argv",
    [
        ["packs", "validate", "{pack}"],
        ["packs", "list", "--pack", "{pack}"],
        ["packs", "show", HOURS_RULE, "--pack", "{pack}"],
        ["test", "{pack}"],
    ],
    ids=["packs validate", "packs list", "packs show", "test"],
)
def test_other_commands_with_broken_pack_are_exit_3(
    cli: CLI, broken_pack: tuple[Path, int], argv: list[str]
) -> None:
    pack, line = broken_pack
    run = cli(*[a.format(pack=pack) for a in argv])
    _assert_pack_error(run, pack, line)


def test_check_with_unknown_pack_is_exit_3(cli: CLI) -> None:
    run = cli("check", ALLOW, "--pack", "us/federl")
    assert run.code == 3
    assert "us/federl" in run.err
    assert run.json()["error"] == "pack_error"


def test_packs_validate_with_a_failing_rule_example_is_exit_1(cli: CLI, tmp_path: Path) -> None:
    pack = tmp_path / "wrong-example"
    shutil.copytree(FEDERAL_DIR, pack)
    rule_file = pack / "time_of_day.yaml"
    text = rule_file.read_text(encoding="utf-8")
    before = "- name: a call at 07:30 in New York\n        expect: deny\n"
    assert before in text
    rule_file.write_text(text.replace(before, before.replace("deny", "allow")), encoding="utf-8")

    run = cli("packs", "validate", pack)
    assert run.code == 1
    report = run.json()
    assert report["valid"] is False
    (failed,) = report["failed_examples"]
    assert failed["id"] == f"{HOURS_RULE}[0] a call at 07:30 in New York"
    assert failed["passed"] is False
    assert "outside_permitted_hours" in failed["detail"]

    text_run = cli("packs", "validate", pack, "--format", "text")
    assert text_run.code == 1
    assert f"FAIL {rule_file.as_posix()}:" in text_run.out


# ------------------------------------------------------------------ packs


def test_packs_list_json(cli: CLI, federal: fair_collect.Policy) -> None:
    run = cli("packs", "list")
    assert run.code == 0
    rows = run.json()
    assert isinstance(rows, list)
    assert rows
    for row in rows:
        assert set(row) >= {"id", "jurisdiction", "version", "rules", "digest"}
        assert SHA256.fullmatch(row["digest"])
        assert isinstance(row["rules"], int)
        assert row["rules"] > 0
    (us,) = [r for r in rows if r["id"] == "us/federal"]
    assert us["jurisdiction"] == "US"
    assert us["version"] == "2021.11.30"
    assert us["rules"] == len(federal.rules)
    (verdict_pack,) = _verdict(EARLY, "--pack", "us/federal")["packs"]
    assert us["digest"] == verdict_pack["digest"]


def test_packs_list_text_table(cli: CLI, federal: fair_collect.Policy) -> None:
    run = cli("packs", "list", "--format", "text")
    assert run.code == 0
    header, *rows = run.out.splitlines()
    assert header.split()[:4] == ["pack", "jurisdiction", "version", "rules"]
    (us,) = [r for r in rows if r.startswith("us/federal ")]
    assert us.split()[:4] == ["us/federal", "US", "2021.11.30", str(len(federal.rules))]


def test_packs_list_with_pack_path(cli: CLI) -> None:
    rows = cli("packs", "list", "--pack", FEDERAL_DIR).json()
    assert [r["id"] for r in rows] == ["us/federal"]


def test_packs_show_json_has_citations_and_examples(cli: CLI) -> None:
    run = cli("packs", "show", HOURS_RULE)
    assert run.code == 0
    rule = run.json()
    assert rule["id"] == HOURS_RULE
    assert rule["pack"] == "us/federal"
    assert rule["code"] == "outside_permitted_hours"
    assert rule["confidence"] == "primary"
    assert rule["file"].split(":")[0].endswith("time_of_day.yaml")
    assert int(rule["file"].rsplit(":", 1)[1]) > 0
    sources = [c["source"] for c in rule["citations"]]
    assert "12 CFR 1006.6(b)(1)(i)" in sources
    assert rule["check"] == {"local_time_window": {"start": "08:00", "end": "21:00"}}
    names = [e["name"] for e in rule["examples"]]
    assert "a call at 07:30 in New York" in names
    assert {e["expect"] for e in rule["examples"]} >= {"deny", "allow"}


def test_packs_show_text_has_citations_and_examples(cli: CLI) -> None:
    as_json = cli("packs", "show", HOURS_RULE).json()
    run = cli("packs", "show", HOURS_RULE, "--format", "text")
    assert run.code == 0
    assert "12 CFR 1006.6(b)(1)(i)" in run.out
    assert "examples:" in run.out
    assert "a call at 07:30 in New York" in run.out
    assert yaml.safe_load(run.out) == as_json


@pytest.mark.parametrize(
    "misspelt", ["us.federal.reg_f.inconvenient_tme", "us.federal.inconvenient_time"]
)
def test_packs_show_misspelt_id_suggests_the_right_one(cli: CLI, misspelt: str) -> None:
    run = cli("packs", "show", misspelt)
    assert run.code == 2
    assert run.out == ""
    assert misspelt in run.err
    assert "did you mean" in run.err
    assert HOURS_RULE in run.err


def test_packs_show_unknown_id_is_exit_2(cli: CLI) -> None:
    run = cli("packs", "show", "zz")
    assert run.code == 2
    assert "no rule 'zz'" in run.err


@pytest.mark.parametrize("paths", [[], [str(FEDERAL_DIR)]], ids=["shipped", "path"])
def test_packs_validate_shipped_packs_is_exit_0(
    cli: CLI, federal: fair_collect.Policy, paths: list[str]
) -> None:
    run = cli("packs", "validate", *paths)
    assert run.code == 0
    report = run.json()
    assert report["valid"] is True
    assert report["failed_examples"] == []
    if paths:
        assert report["rules"] == len(federal.rules)
        examples = sum(len(r.spec.examples) for r in federal.rules)
        assert report["examples"] == examples
    assert "us/federal" in [p["id"] for p in report["packs"]]

    text = cli("packs", "validate", *paths, "--format", "text")
    assert text.code == 0
    assert "ok  us/federal 2021.11.30" in text.out


# ------------------------------------------------------------------ test


def test_test_without_paths_runs_every_rule_example(cli: CLI) -> None:
    examples = sum(len(r.spec.examples) for r in fair_collect.load_policy().rules)
    run = cli("test")
    assert run.code == 0
    report = run.json()
    assert report["failed"] == 0
    assert report["passed"] == examples == len(report["cases"])
    assert all(c["passed"] for c in report["cases"])

    text = cli("test", "--format", "text")
    assert text.code == 0
    assert text.out.strip().splitlines()[-1] == f"{examples} passed, 0 failed"


def test_test_conformance_folder_passes(cli: CLI) -> None:
    run = cli("test", CONFORMANCE)
    assert run.code == 0
    report = run.json()
    assert report["failed"] == 0
    assert report["passed"] > 0
    files = {c["file"] for c in report["cases"]}
    shipped = {p.as_posix() for p in CONFORMANCE.rglob("*.scenarios.yaml")}
    assert files == shipped


@pytest.fixture
def scenarios_one_wrong(tmp_path: Path) -> Path:
    path = tmp_path / "lender.scenarios.yaml"
    path.write_text(SCENARIOS_ONE_WRONG, encoding="utf-8")
    return path


def test_test_with_a_wrong_expectation_is_exit_1_naming_the_case(
    cli: CLI, scenarios_one_wrong: Path
) -> None:
    run = cli("test", scenarios_one_wrong, "--format", "text")
    assert run.code == 1
    where = f"{scenarios_one_wrong.as_posix()}:{WRONG_CASE_LINE}"
    assert f"FAIL {where}: {scenarios_one_wrong.as_posix()}::{WRONG_CASE}" in run.out
    assert "expected allow, got deny: outside_permitted_hours" in run.out
    assert "mid-morning call is allowed" not in run.out
    assert run.out.strip().splitlines()[-1] == "1 passed, 1 failed"

    report = cli("test", scenarios_one_wrong).json()
    assert (report["passed"], report["failed"]) == (1, 1)
    (failed,) = [c for c in report["cases"] if not c["passed"]]
    assert failed["id"].endswith(f"::{WRONG_CASE}")
    assert failed["line"] == WRONG_CASE_LINE


def _junit(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    assert suite is not None
    return suite


def test_test_junit_report(cli: CLI, scenarios_one_wrong: Path, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    run = cli("test", scenarios_one_wrong, "--junit", report)
    assert run.code == 1
    suite = _junit(report)
    assert suite.get("tests") == "2"
    assert suite.get("failures") == "1"
    cases = suite.findall("testcase")
    assert len(cases) == 2
    failing = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failing] == [f"{scenarios_one_wrong.as_posix()}::{WRONG_CASE}"]
    failure = failing[0].find("failure")
    assert failure is not None
    assert "outside_permitted_hours" in (failure.get("message") or "")


def test_test_junit_report_of_a_clean_run(cli: CLI, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    run = cli("test", "--junit", report)
    assert run.code == 0
    suite = _junit(report)
    assert suite.get("failures") == "0"
    assert suite.get("tests") == str(run.json()["passed"])
    assert len(suite.findall("testcase")) == run.json()["passed"]
    assert suite.find("testcase/failure") is None


def test_test_junit_report_is_valid_xml_when_the_path_has_an_ampersand(
    cli: CLI, tmp_path: Path
) -> None:
    folder = tmp_path / "R&D <lending>"
    folder.mkdir()
    scenarios = folder / "lender.scenarios.yaml"
    scenarios.write_text(SCENARIOS_ONE_WRONG, encoding="utf-8")
    report = tmp_path / "junit.xml"
    assert cli("test", folder, "--junit", report).code == 1
    suite = _junit(report)  # fails with ParseError if the file name is not escaped
    assert suite.get("failures") == "1"
    failure = suite.find("testcase/failure")
    assert failure is not None
    assert failure.text == f"{scenarios.as_posix()}:{WRONG_CASE_LINE}"


def test_test_junit_report_in_missing_folder_is_a_usage_error(
    cli: CLI, scenarios_one_wrong: Path, tmp_path: Path
) -> None:
    run = cli("test", scenarios_one_wrong, "--junit", tmp_path / "no-such-dir" / "junit.xml")
    assert run.code == 2, run.err  # the caller's path is wrong; not an internal error
    assert "no-such-dir" in run.err


def test_test_path_that_is_not_a_scenario_file_is_exit_2(cli: CLI, tmp_path: Path) -> None:
    run = cli("test", ROOT / "README.md")
    assert run.code == 2
    assert "not a scenario file" in run.err

    run = cli("test", tmp_path / "nothing-here")
    assert run.code == 2
    assert "no such file or folder" in run.err


def test_test_empty_folder_is_exit_2(cli: CLI, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    run = cli("test", empty)
    assert run.code == 2
    assert "no cases found" in run.err


def test_test_resolves_local_pack_names_per_file(cli: CLI, tmp_path: Path) -> None:
    """Two scenario files that each name a pack "pk" in their own folder get
    their own packs, not whichever was compiled first."""
    early_call = SCENARIOS_ONE_WRONG.replace("packs: [us/federal]", "packs: [pk]")
    for folder, keep_hours, expected in (("a", True, "deny"), ("b", False, "allow")):
        pack = tmp_path / folder / "pk"
        shutil.copytree(FEDERAL_DIR, pack)
        if not keep_hours:
            (pack / "time_of_day.yaml").unlink()
        # The second case is the 07:30 call: denied only by the hours rule.
        head, _, tail = early_call.rpartition("expect: {outcome: allow}")
        text = f"{head}expect: {{outcome: {expected}}}{tail}"
        (tmp_path / folder / "lender.scenarios.yaml").write_text(text, encoding="utf-8")
    files = [tmp_path / folder / "lender.scenarios.yaml" for folder in ("a", "b")]
    run = cli("test", *files, "--format", "text")
    assert run.code == 0, run.out + run.err
    assert run.out.strip().splitlines()[-1] == "4 passed, 0 failed"


def test_test_malformed_scenario_file_is_exit_2_with_file_and_line(
    cli: CLI, scenarios_one_wrong: Path
) -> None:
    text = SCENARIOS_ONE_WRONG.replace("expect: {outcome: allow}\n", "expect: {outcom: allow}\n", 1)
    scenarios_one_wrong.write_text(text, encoding="utf-8")
    run = cli("test", scenarios_one_wrong)
    assert run.code == 2
    assert f"{scenarios_one_wrong.as_posix()}:15" in run.err
    assert "outcom" in run.err


# ------------------------------------------------------------------ internal errors


@pytest.mark.parametrize(
    "argv",
    [
        ["check", str(ALLOW)],
        ["check", str(ALLOW), "--format", "text"],
        ["test"],
        ["packs", "validate"],
    ],
    ids=lambda argv: " ".join(a if "/" not in a else Path(a).name for a in argv),
)
def test_internal_error_is_exit_4_never_an_allow(
    cli: CLI, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(fair_collect.engine.Policy, "check", boom)
    run = cli(*argv)
    assert run.code == 4
    assert "internal error" in run.err
    assert "simulated bug" in run.err
    assert "allow" not in run.out.lower()


# ------------------------------------------------------------------ real processes


def _entry_point() -> Path | None:
    folder = Path(sys.executable).parent
    for name in ("fair-collect", "fair-collect.exe"):
        if (folder / name).is_file():
            return folder / name
    return None


LAUNCHERS = {"python -m fair_collect": [sys.executable, "-m", "fair_collect"]}
_script = _entry_point()
if _script is not None:
    LAUNCHERS["fair-collect"] = [str(_script)]

# (argv, stdin, expected exit code): a deny read from stdin, a rule shown, a
# usage error and a pack error. A ``check`` costs a fresh process about two
# seconds of CPU (time-zone and phone data), so only the stdin case checks.
PROCESS_CASES: dict[str, tuple[list[str], str | None, int]] = {
    "deny-stdin": (["check", "-"], EARLY.read_text(encoding="utf-8"), 1),
    "show-rule": (["packs", "show", HOURS_RULE], None, 0),
    "misspelt-rule": (["packs", "show", "us.federal.reg_f.inconvenient_tme"], None, 2),
    "unknown-pack": (["check", str(ALLOW), "--pack", "us/federl"], None, 3),
}
#: Both launchers read the same request from stdin; the other cases are shared
#: out between them.
PROCESS_RUNS = [
    ("python -m fair_collect", "deny-stdin"),
    ("python -m fair_collect", "misspelt-rule"),
    ("fair-collect", "deny-stdin"),
    ("fair-collect", "show-rule"),
    ("fair-collect", "unknown-pack"),
]
Processes = dict[tuple[str, str], "Future[subprocess.CompletedProcess[str]]"]


@pytest.fixture(scope="module", autouse=True)
def processes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Processes]:
    """The runs of ``PROCESS_RUNS``, started in the background when this module
    starts (so they overlap the in-process tests), from a neutral directory."""
    selected = any(
        getattr(item, "originalname", None) == "test_real_process_behaves_like_main"
        for item in request.session.items
    )
    keys = [key for key in PROCESS_RUNS if key[0] in LAUNCHERS] if selected else []
    cwd = tmp_path_factory.mktemp("cwd")

    def run(key: tuple[str, str]) -> subprocess.CompletedProcess[str]:
        argv, stdin, _ = PROCESS_CASES[key[1]]
        return subprocess.run(
            [*LAUNCHERS[key[0]], *argv],
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            cwd=cwd,
            timeout=120,
            check=False,
        )

    with ThreadPoolExecutor(max_workers=max(1, len(keys))) as pool:
        yield {key: pool.submit(run, key) for key in keys}


def test_installed_entry_point_exists() -> None:
    assert _entry_point() is not None, f"no fair-collect script beside {sys.executable}"


@pytest.mark.parametrize(("launcher", "case"), PROCESS_RUNS)
def test_real_process_behaves_like_main(
    processes: Processes,
    cli: CLI,
    monkeypatch: pytest.MonkeyPatch,
    launcher: str,
    case: str,
) -> None:
    assert launcher in LAUNCHERS, f"no fair-collect script beside {sys.executable}"
    argv, stdin, code = PROCESS_CASES[case]
    done = processes[(launcher, case)].result()
    assert done.returncode == code, done.stderr
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
    expected = cli(*argv)
    assert expected.code == code
    assert done.stdout == expected.out
    assert done.stderr == expected.err
