"""``fair-collect lint``: message templates checked in CI, as a pipeline sees it.

The tests call ``fair_collect.cli.main(argv)`` and read what it printed (under
``capsys`` stdout is not a terminal, so the default output is JSON). The
policy of every shipped pack is loaded once per session (``default_policy``)
instead of once per run, to keep the suite fast; one test runs the real
command as a process. Exit codes: 0 clean, 1 findings, 2 invalid input or
usage, 3 rule-pack error.

The word lists change as packs grow, so tests use clear violations and
assert categories, quotes and locations rather than exact rule ids. A
finding's location is checked against the file itself: the source at its
line and column must begin with the quoted words.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import fair_collect
import fair_collect.cli
import fair_collect.engine
from fair_collect.cli import main
from fair_collect.lint import (
    LintOptions,
    build_request,
    mask_placeholders,
    read_templates,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "lint"
EXAMPLES = ROOT / "examples" / "templates"

#: A US SMS a third-party debt collector may send: it says it is from a debt
#: collector and how to opt out (without those, required-content rules fire).
CLEAN_SMS = (
    "Hi {first_name}, Example Recovery is a debt collector. Please call us about your"
    " account. Reply STOP to opt out."
)


def compliant(middle: str) -> str:
    """An SMS with the required disclosures around ``middle``."""
    return f"Example Recovery is a debt collector. {middle} Reply STOP to opt out."


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def findings(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.json()["findings"]
        return found


CLI = Callable[..., Run]


@pytest.fixture(autouse=True)
def _one_policy_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped packs loaded once per session, not once per command."""
    real = fair_collect.engine.load_policy

    def cached(packs: Any = None, **kwargs: Any) -> fair_collect.Policy:
        if packs is None and not kwargs:
            return fair_collect.default_policy()
        return real(packs, **kwargs)

    monkeypatch.setattr(fair_collect.cli, "load_policy", cached)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CLI:
    def run(*argv: str | Path) -> Run:
        capsys.readouterr()
        code = main(["lint", *(str(a) for a in argv)])
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from ``tmp_path`` so reported paths are short and relative."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def source_at(path: Path, line: int, column: int) -> str:
    """The rest of ``line`` of ``path`` from ``column`` (both 1-based)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return lines[line - 1][column - 1 :]


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def template_lines(path: Path, template_id: str) -> range:
    """The lines of the catalogue entry ``- id: template_id`` (up to the next entry)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    first = lines.index(f"  - id: {template_id}") + 1
    rest = [n for n, line in enumerate(lines[first:], start=first + 1) if line.startswith("  - ")]
    return range(first, rest[0] if rest else len(lines) + 1)


def by_template(findings: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        grouped.setdefault(finding["template_id"], []).append(finding)
    return grouped


# ------------------------------------------------------------------ exit codes


def test_clean_template_exits_0_with_no_findings(cli: CLI, in_tmp: Path) -> None:
    write(in_tmp / "reminder.txt", CLEAN_SMS)
    run = cli("reminder.txt")
    assert run.code == 0, run.out + run.err
    assert run.json() == {"findings": [], "templates": 1, "files": 1}


def test_threat_exits_1_and_is_located_in_the_file(cli: CLI, in_tmp: Path) -> None:
    path = write(in_tmp / "threat.txt", "Hello.\n" + compliant("Pay or we will break your legs."))
    run = cli("threat.txt")
    assert run.code == 1
    [finding] = run.findings()
    assert finding["path"] == "threat.txt"
    assert finding["template_id"] == "threat"
    assert finding["category"] == "harassment"
    assert "break your legs" in finding["quote"]
    assert finding["line"] == 2
    assert source_at(path, finding["line"], finding["column"]).startswith(finding["quote"])
    assert finding["end_column"] - finding["column"] == len(finding["quote"])
    assert finding["citations"]
    assert finding["citations"][0]["source"]
    assert finding["pack"] == "us/federal"
    assert set(finding) >= {
        "path",
        "line",
        "column",
        "template_id",
        "rule_id",
        "code",
        "category",
        "message",
        "quote",
        "citations",
        "pack",
    }


def test_false_arrest_threat_is_one_finding_not_one_per_overlapping_term(
    cli: CLI, in_tmp: Path
) -> None:
    write(in_tmp / "arrest.txt", compliant("Pay today or you will be arrested."))
    run = cli("arrest.txt")
    assert run.code == 1
    [finding] = run.findings()
    assert finding["category"] == "false_representation"
    assert "arrested" in finding["quote"]


def test_each_finding_quotes_only_its_own_words(cli: CLI, in_tmp: Path) -> None:
    # One reason quotes every span ("go to jail, be arrested"); each finding
    # points at one span and its message must name that span's words only.
    write(in_tmp / "two.txt", compliant("Pay or go to jail. Pay today or you will be arrested."))
    run = cli("two.txt")
    assert run.code == 1
    findings = [f for f in run.findings() if f["category"] == "false_representation"]
    assert len(findings) == 2
    for finding in findings:
        assert finding["message"].endswith(f": {finding['quote']}."), finding
    assert findings[0]["message"] != findings[1]["message"]


def test_missing_required_content_is_reported_at_the_template_start(cli: CLI, in_tmp: Path) -> None:
    write(in_tmp / "bare.txt", "Please call us back about your account.")
    run = cli("bare.txt")
    assert run.code == 1
    findings = run.findings()
    assert {f["category"] for f in findings} == {"disclosure"}
    assert len(findings) == 2  # debt-collector disclosure and opt-out instructions
    assert all((f["line"], f["column"], f["quote"]) == (1, 1, None) for f in findings)


def test_invalid_channel_in_a_template_exits_2_naming_file_line_and_field(
    cli: CLI, in_tmp: Path
) -> None:
    write(in_tmp / "fax.txt", "---\njurisdiction: US\nchannel: fax\n---\n" + CLEAN_SMS)
    run = cli("fax.txt", "--format", "text")
    assert run.code == 2
    assert run.out == ""
    assert "fax.txt:3:10" in run.err
    assert "template fax: channel" in run.err


def test_invalid_values_in_a_catalogue_are_all_reported_in_json(cli: CLI, in_tmp: Path) -> None:
    write(
        in_tmp / "bad.yaml",
        "a:\n  text: hi\n  channel: fax\nb:\n  text: hi\n  facts: {judgment: maybe}\n",
    )
    run = cli("bad.yaml")
    assert run.code == 2
    data = run.json()
    assert data["error"] == "invalid_input"
    locs = [p["loc"] for p in data["problems"]]
    assert locs == [
        "bad.yaml:3:12: template a: channel",
        "bad.yaml:6:21: template b: facts.judgment",
    ]


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("broken.yaml", "a: [unclosed\n", "broken.yaml:2:1"),
        ("broken.json", '{"a": "x",\n "b": }\n', "broken.json:2:7"),
        ("list.yaml", "- just\n- a list\n", "list.yaml:1:1"),
        ("typo.yaml", "a:\n  txt: hello\n", "typo.yaml:2:3"),
        ("no-text.yaml", "templates:\n  - id: a\n    channel: sms\n", "no-text.yaml:2:5"),
        ("dupe.yaml", "templates:\n  - {id: a, text: x}\n  - {id: a, text: y}\n", "dupe.yaml:3:5"),
        ("fm.txt", "---\nchannel: [sms\n---\nhello\n", "fm.txt:3:1"),
        ("facts.txt", "---\nfacts: {sued: true}\n---\nhello\n", "facts.txt:2:15"),
    ],
)
def test_invalid_template_files_exit_2_with_a_location(
    cli: CLI, in_tmp: Path, name: str, text: str, where: str
) -> None:
    write(in_tmp / name, text)
    run = cli(name, "--format", "text")
    assert run.code == 2, run.out
    assert where in run.err


def test_missing_path_and_empty_folder_exit_2(cli: CLI, in_tmp: Path) -> None:
    assert cli("nowhere.txt").code == 2
    (in_tmp / "empty").mkdir()
    run = cli("empty", "--format", "text")
    assert run.code == 2
    assert "no template files found" in run.err


def test_unknown_option_value_is_a_usage_error(cli: CLI, in_tmp: Path) -> None:
    write(in_tmp / "a.txt", CLEAN_SMS)
    assert cli("a.txt", "--channel", "pigeon").code == 2
    assert cli("a.txt", "--format", "xml").code == 2
    assert cli().code == 2  # at least one path


def test_broken_pack_path_exits_3(cli: CLI, in_tmp: Path) -> None:
    write(in_tmp / "a.txt", CLEAN_SMS)
    assert cli("a.txt", "--pack", str(in_tmp / "no-such-pack")).code == 3


# ------------------------------------------------------------------ locations


@pytest.mark.parametrize(
    ("template_id", "category", "needle"),
    [
        ("plain", "harassment", "break your legs"),
        ("double-quoted", "harassment", "break your legs"),
        ("single-quoted", "false_representation", "arrested"),
        ("literal-block", "harassment", "deadbeat"),
        ("folded-block", "harassment", "break your legs"),
        ("multi-line-plain", "false_representation", "arrested"),
    ],
)
def test_yaml_findings_point_at_the_words_in_every_scalar_style(
    cli: CLI, template_id: str, category: str, needle: str
) -> None:
    path = DATA / "catalogue.yaml"
    run = cli(path)
    [finding] = by_template(run.findings())[template_id]
    assert finding["category"] == category
    assert needle in finding["quote"]
    assert finding["line"] in template_lines(path, template_id)
    assert source_at(path, finding["line"], finding["column"]).startswith(finding["quote"])
    assert finding["exact_location"] is True


def test_yaml_catalogue_counts_and_clean_templates(cli: CLI) -> None:
    run = cli(DATA / "catalogue.yaml")
    assert run.code == 1
    data = run.json()
    assert data["templates"] == 8
    assert data["files"] == 1
    grouped = by_template(data["findings"])
    assert "clean" not in grouped
    missing = grouped["missing-disclosures"]
    assert {f["category"] for f in missing} == {"disclosure"}
    # Reported where the template starts: the "- id:" line.
    assert {f["line"] for f in missing} == {line_of(DATA / "catalogue.yaml", "id: missing")}


def test_json_catalogue_locations_walk_over_escapes(cli: CLI) -> None:
    path = DATA / "catalogue.json"
    run = cli(path)
    assert run.code == 1
    grouped = by_template(run.findings())
    assert set(grouped) == {"escapes", "second"}
    for template_id, needle in (("escapes", "break your legs"), ("second", "deadbeat")):
        [finding] = grouped[template_id]
        assert needle in finding["quote"]
        assert finding["line"] == line_of(path, needle)
        assert source_at(path, finding["line"], finding["column"]).startswith(finding["quote"])


def test_plain_mapping_catalogue_uses_keys_as_ids(cli: CLI) -> None:
    path = DATA / "mapping.yaml"
    run = cli(path)
    assert run.code == 1
    grouped = by_template(run.findings())
    assert set(grouped) == {"threat", "cn-contacts"}
    [threat] = grouped["threat"]
    assert threat["line"] == 2
    assert source_at(path, threat["line"], threat["column"]).startswith("break your legs")
    assert all(f["pack"] == "cn" for f in grouped["cn-contacts"])


def test_front_matter_shifts_body_lines_and_locates_the_subject(cli: CLI) -> None:
    path = DATA / "email-subject.md"
    run = cli(path)
    assert run.code == 1
    [finding] = run.findings()
    assert finding["field"] == "subject"
    assert finding["quote"] == "deadbeat"
    assert finding["line"] == 4
    assert source_at(path, 4, finding["column"]).startswith("deadbeat")


def test_front_matter_settings_reach_the_request(tmp_path: Path) -> None:
    write(
        tmp_path / "t.txt",
        "---\nchannel: email\njurisdiction: US-MA\ncollector_type: debt_buyer\n"
        "facts: {suit_authorized: true, attorney: true}\n---\nHello\n",
    )
    [template_file] = read_templates([tmp_path / "t.txt"])
    [template] = template_file.templates
    request = build_request(template, LintOptions(channel="sms", jurisdiction="CN"))
    assert request["channel"] == "email"
    assert request["jurisdictions"] == ["US-MA"]
    assert request["collector"] == {"type": "debt_buyer", "attorney": True}
    assert request["debts"] == [{"id": "D1", "suit_authorized": True}]
    assert request["message"]["text"] == "Hello\n"
    assert template.text.value == "Hello\n"


def test_a_body_line_after_front_matter_is_reported_on_its_file_line(
    cli: CLI, in_tmp: Path
) -> None:
    path = write(
        in_tmp / "late.j2",
        "---\nchannel: sms\n---\n"
        + "Example Recovery is a debt collector.\n{# note #}\nYou deadbeat.\nReply STOP to opt out.\n",
    )
    [finding] = cli("late.j2").findings()
    assert finding["line"] == 6
    assert source_at(path, 6, finding["column"]).startswith("deadbeat")


# ------------------------------------------------------------------ placeholders


def test_placeholder_never_completes_a_threat(cli: CLI, in_tmp: Path) -> None:
    write(in_tmp / "verb.j2", compliant("We will {{ verb }} your legs."))
    run = cli("verb.j2")
    assert run.code == 0, run.out
    assert run.findings() == []


def test_placeholder_does_not_hide_an_insult(cli: CLI, in_tmp: Path) -> None:
    path = write(in_tmp / "insult.txt", compliant("Hi, you {name}, deadbeat."))
    run = cli("insult.txt")
    assert run.code == 1
    [finding] = run.findings()
    assert finding["quote"] == "deadbeat"
    assert source_at(path, finding["line"], finding["column"]).startswith("deadbeat")


def test_every_placeholder_kind_is_blanked_keeping_length() -> None:
    text = (
        "{name} {0} {} {amount:.2f} {{ user.name | title }} {% if x %}a{% endif %}"
        " {# note #} ${var} %(name)s %(amount).2f {姓名} end"
    )
    masked = mask_placeholders(text)
    assert len(masked) == len(text)
    assert masked.split() == ["a", "end"]
    # Line breaks inside a placeholder stay, so lines keep their numbers.
    assert mask_placeholders("{{ a\nb }}x") == "    \n    x"
    # Braces that are not placeholders are text.
    assert mask_placeholders("a { b } c") == "a { b } c"


def test_clean_templates_with_placeholders_pass(cli: CLI) -> None:
    run = cli(DATA / "clean-sms.txt")
    assert run.code == 0, run.out
    assert run.json()["templates"] == 1


# ------------------------------------------------------------------ Chinese


def test_chinese_template_is_checked_with_the_cn_pack(cli: CLI) -> None:
    path = DATA / "cn-front-matter.txt"
    run = cli(path)
    assert run.code == 1
    findings = run.findings()
    assert findings
    assert {f["pack"] for f in findings} == {"cn"}
    assert {f["category"] for f in findings} == {"harassment"}
    for finding in findings:
        assert finding["quote"] == "爆你通讯录"
        assert finding["line"] == 6
        assert finding["column"] == 6  # columns count characters, not bytes
        assert source_at(path, 6, finding["column"]).startswith("爆你通讯录")
        assert re.search("[\u4e00-\u9fff]", finding["message"])  # reported in Chinese


def test_cn_templates_default_to_a_first_party_creditor(tmp_path: Path) -> None:
    [template_file] = read_templates([DATA / "cn-front-matter.txt"])
    request = build_request(template_file.templates[0])
    assert request["collector"]["type"] == "first_party_creditor"
    assert request["at"].endswith("+08:00")
    us = build_request(template_file.templates[0], LintOptions(collector_type="debt_buyer"))
    assert us["collector"]["type"] == "debt_buyer"


def test_jurisdiction_option_applies_to_templates_that_do_not_say(cli: CLI, in_tmp: Path) -> None:
    write(in_tmp / "zh.txt", "再不还钱就爆你通讯录")
    run = cli("zh.txt", "--jurisdiction", "CN")
    assert run.code == 1
    assert {f["pack"] for f in run.findings()} == {"cn"}


# ------------------------------------------------------------------ folders


def test_folders_are_walked_recursively_skipping_hidden_and_other_files(
    cli: CLI, in_tmp: Path
) -> None:
    write(in_tmp / "t" / "a.txt", CLEAN_SMS)
    write(in_tmp / "t" / "sub" / "deeper" / "b.md", compliant("You deadbeat."))
    write(in_tmp / "t" / "sub" / "c.yaml", f"x: {CLEAN_SMS}\ny: {CLEAN_SMS}\n")
    write(in_tmp / "t" / ".git" / "d.txt", "we will break your legs")
    write(in_tmp / "t" / ".hidden.txt", "we will break your legs")
    write(in_tmp / "t" / "notes.csv", "we will break your legs")
    run = cli("t")
    assert run.code == 1
    data = run.json()
    assert data["files"] == 3
    assert data["templates"] == 4
    [finding] = data["findings"]
    assert finding["path"] == "t/sub/deeper/b.md"


def test_a_file_named_twice_is_linted_once(cli: CLI, in_tmp: Path) -> None:
    write(in_tmp / "t" / "a.txt", compliant("You deadbeat."))
    run = cli("t", "t/a.txt")
    assert run.json()["files"] == 1
    assert len(run.findings()) == 1


# ------------------------------------------------------------------ formats


def test_text_format_lines_and_summary(cli: CLI, in_tmp: Path) -> None:
    write(in_tmp / "ok.txt", CLEAN_SMS)
    write(in_tmp / "bad.txt", compliant("We will break your legs."))
    run = cli("ok.txt", "bad.txt", "--format", "text")
    assert run.code == 1
    lines = run.out.splitlines()
    assert len(lines) == 2
    assert re.fullmatch(r"bad\.txt:1:\d+: [a-z0-9_.]+ \[[a-z_]+\] .+", lines[0])
    assert "ok.txt" not in run.out  # a file without findings prints nothing
    assert lines[1] == "1 finding in 1 of 2 templates in 2 files"
    clean = cli("ok.txt", "--format", "text")
    assert clean.code == 0
    assert clean.out == "no findings: 1 template in 1 file\n"


def test_text_format_names_the_template_in_a_catalogue(cli: CLI) -> None:
    run = cli(DATA / "catalogue.json", "--format", "text")
    assert "(template escapes)" in run.out


def test_output_is_json_when_stdout_is_not_a_terminal(cli: CLI, in_tmp: Path) -> None:
    write(in_tmp / "a.txt", CLEAN_SMS)
    assert json.loads(cli("a.txt").out)["templates"] == 1


def test_text_is_the_default_on_a_terminal(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(in_tmp / "a.txt", CLEAN_SMS)

    class Terminal:
        def __init__(self) -> None:
            self.written: list[str] = []

        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> int:
            self.written.append(text)
            return len(text)

    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(["lint", "a.txt"]) == 0
    assert "".join(terminal.written).startswith("no findings")


def _sarif(cli: CLI, *paths: str | Path) -> dict[str, Any]:
    run = cli(*paths, "--format", "sarif")
    assert run.code in (0, 1), run.err
    data: dict[str, Any] = json.loads(run.out)
    return data


def _check_sarif_shape(data: dict[str, Any]) -> None:
    """The parts of the SARIF 2.1.0 schema consumers rely on."""
    assert data["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert data["version"] == "2.1.0"
    [run] = data["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "fair-collect"
    assert driver["informationUri"].startswith("https://")
    assert driver["version"] == fair_collect.__version__
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    for rule in driver["rules"]:
        assert isinstance(rule["name"], str)
        assert rule["name"]
        assert rule["shortDescription"]["text"]
        assert rule["helpUri"].startswith("https://")
        assert rule["properties"]["category"] in rule["properties"]["tags"]
    for result in run["results"]:
        assert set(result) >= {"ruleId", "ruleIndex", "level", "message", "locations"}
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note", "none")
        assert result["message"]["text"]
        [location] = result["locations"]
        physical = location["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert "\\" not in uri
        assert not uri.startswith("/")
        region = physical["region"]
        assert region["startLine"] >= 1
        assert region["startColumn"] >= 1
        if "endColumn" in region:
            assert region["endColumn"] > region["startColumn"]
        [(key, value)] = result["partialFingerprints"].items()
        assert key
        assert re.fullmatch("[0-9a-f]{64}", value)


def test_sarif_report(cli: CLI, in_tmp: Path) -> None:
    write(in_tmp / "msgs" / "threat.txt", compliant("We will break your legs."))
    write(in_tmp / "msgs" / "bare.txt", "Call us.")
    data = _sarif(cli, "msgs")
    _check_sarif_shape(data)
    [run] = data["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    results = run["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "msgs/threat.txt",
        "msgs/bare.txt",
    }
    [threat] = [r for r in results if r["properties"]["templateId"] == "threat"]
    assert threat["level"] == "error"
    region = threat["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 1
    assert region["endColumn"] - region["startColumn"] == len(threat["properties"]["quote"])


def test_sarif_fingerprints_survive_moved_lines_but_not_other_words(cli: CLI, in_tmp: Path) -> None:
    write(in_tmp / "a.txt", compliant("We will break your legs."))
    first = _sarif(cli, "a.txt")["runs"][0]["results"][0]
    write(in_tmp / "a.txt", "Hello.\n\n" + compliant("Now, we will break your legs."))
    moved = _sarif(cli, "a.txt")["runs"][0]["results"][0]
    assert moved["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert moved["partialFingerprints"] == first["partialFingerprints"]
    write(in_tmp / "a.txt", compliant("You deadbeat."))
    other = _sarif(cli, "a.txt")["runs"][0]["results"][0]
    assert other["partialFingerprints"] != first["partialFingerprints"]


def test_sarif_of_a_clean_run_has_no_results(cli: CLI, in_tmp: Path) -> None:
    write(in_tmp / "a.txt", CLEAN_SMS)
    data = _sarif(cli, "a.txt")
    _check_sarif_shape(data)
    assert data["runs"][0]["results"] == []
    assert data["runs"][0]["tool"]["driver"]["rules"] == []


def test_sarif_of_every_shipped_example(cli: CLI) -> None:
    _check_sarif_shape(_sarif(cli, EXAMPLES))


def test_junit_report(cli: CLI, in_tmp: Path) -> None:
    write(in_tmp / "ok.txt", CLEAN_SMS)
    write(in_tmp / "bad.yaml", f"one: {compliant('You deadbeat.')}\ntwo: Call us.\n")
    run = cli("ok.txt", "bad.yaml", "--format", "junit")
    assert run.code == 1
    suite = ET.fromstring(run.out)
    assert suite.tag == "testsuite"
    assert suite.get("name") == "fair-collect lint"
    cases = suite.findall("testcase")
    assert suite.get("tests") == "3" == str(len(cases))
    assert suite.get("failures") == "2"
    names = {(c.get("classname"), c.get("name")): c for c in cases}
    assert set(names) == {("ok.txt", "ok"), ("bad.yaml", "one"), ("bad.yaml", "two")}
    assert names["ok.txt", "ok"].find("failure") is None
    [insult] = names["bad.yaml", "one"].findall("failure")
    assert insult.get("type")
    assert insult.get("message")
    assert "bad.yaml:1:" in (insult.text or "")
    assert len(names["bad.yaml", "two"].findall("failure")) == 2


def test_junit_survives_characters_xml_cannot_carry(cli: CLI, in_tmp: Path) -> None:
    write(in_tmp / "odd.yaml", 'x: "You deadbeat\\x01. Call us."\n')
    run = cli("odd.yaml", "--format", "junit")
    assert run.code == 1
    ET.fromstring(run.out)  # parses


def test_personal_data_is_never_printed_whole(cli: CLI, in_tmp: Path) -> None:
    path = write(
        in_tmp / "ids.txt",
        compliant("Your SSN 123-45-6789 and card 4111 1111 1111 1111 are on file."),
    )
    for fmt in ("json", "text", "sarif", "junit"):
        run = cli("ids.txt", "--format", fmt)
        assert run.code == 1
        assert "123-45-6789" not in run.out
        assert "4111 1111 1111 1111" not in run.out
    findings = cli("ids.txt").findings()
    assert {f["category"] for f in findings} == {"privacy"}
    assert len(findings) == 2  # one per identifier, each at its own place
    columns = sorted(f["column"] for f in findings)
    assert [source_at(path, 1, c)[:3] for c in columns] == ["123", "411"]
    assert {f["quote"] for f in findings} == {"***-**-6789", "************1111"}


# ------------------------------------------------------------------ shipped files


def test_shipped_clean_examples_pass(cli: CLI) -> None:
    run = cli(EXAMPLES / "clean")
    assert run.code == 0, run.out
    data = run.json()
    assert data["templates"] >= 4
    assert data["files"] >= 3


def test_shipped_violation_examples_each_fail(cli: CLI) -> None:
    run = cli(EXAMPLES / "violations")
    assert run.code == 1
    data = run.json()
    failing = {(f["path"], f["template_id"]) for f in data["findings"]}
    assert len(failing) == data["templates"]
    assert {f["pack"] for f in data["findings"]} == {"us/federal", "cn"}


def test_pre_commit_hook_definition() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "fair-collect-lint"
    assert hook["entry"] == "fair-collect lint"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    for name in ("a.txt", "b.md", "c.j2", "d.jinja", "e.tmpl", "f.yaml", "g.yml", "h.json"):
        assert files.search(f"templates/{name}"), name
    assert not files.search("src/module.py")


def test_real_process_lints_like_main(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", compliant("We will break your legs."))
    done = subprocess.run(
        [sys.executable, "-m", "fair_collect", "lint", "a.txt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    [finding] = json.loads(done.stdout)["findings"]
    assert finding["path"] == "a.txt"
