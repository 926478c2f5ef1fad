"""Loading rule packs: every problem is a ``PackError`` naming file, line, rule and
field; YAML is read strictly (1.2 core scalars, no duplicates, aliases or foreign
tags); the check registry is immutable and extended explicitly."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import fair_collect
from fair_collect import DEFAULT_CHECKS, CheckKind, CheckParams, CheckRegistry, Finding, PackError
from fair_collect.errors import PackProblem
from fair_collect.packs.loader import shipped_rules_root
from fair_collect.packs.yamlsource import MAX_BYTES, YamlProblem, parse_yaml
from spec_shapes import SHA256

Factory = Callable[..., dict[str, Any]]

PACK = """\
id: house/test
title: A house pack for tests
jurisdiction: US
version: "1"
effective:
  from: "2021-11-30"
binds: [third_party_collector]
sources:
  - source: "House policy 1"
"""

RULE = """\
rules:
  - id: house.test.hours
    title: Calls between 08:00 and 21:00 only
    category: time_of_day
    code: outside_house_hours
    effect: deny
    check:
      local_time_window:
        start: "08:00"
        end: "21:00"
    message: "At {local_time} in {time_zone} it is too early or too late."
    citations:
      - source: "House policy 1"
    examples:
      - name: early
        expect: deny
        request: {at: "2026-06-09T07:00:00-04:00"}
      - name: in hours
        expect: allow
        request: {at: "2026-06-09T10:00:00-04:00"}
"""


def write_pack(root: Path, rules: str = RULE, pack: str = PACK, **more: str) -> Path:
    """A pack folder with ``pack.yaml``, ``rules.yaml`` and any further files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.yaml").write_text(pack, encoding="utf-8")
    (root / "rules.yaml").write_text(rules, encoding="utf-8")
    for name, text in more.items():
        (root / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return root


def problems_of(path: Path) -> tuple[PackProblem, ...]:
    with pytest.raises(PackError) as caught:
        fair_collect.load_policy([path])
    assert caught.value.problems
    return caught.value.problems


def only(problems: tuple[PackProblem, ...]) -> PackProblem:
    assert len(problems) == 1, problems
    return problems[0]


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def name_of(problem: PackProblem) -> str:
    return Path(problem.file).name


def test_the_test_pack_loads_and_decides(tmp_path: Path, request_for: Factory) -> None:
    policy = fair_collect.load_policy([write_pack(tmp_path / "house")])
    assert [p.id for p in policy.packs] == ["house/test"]
    verdict = policy.check(request_for(at="2026-06-09T07:00:00-04:00"))
    assert verdict.codes == ("outside_house_hours",)
    assert verdict.reasons[0].pack == "house/test"
    assert verdict.reasons[0].message == "At 07:00 in America/New_York it is too early or too late."
    assert policy.check(request_for()).allowed


# ------------------------------------------------------------------ YAML reading


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    rules = RULE.replace("    category: time_of_day", "    category: time: of_day")
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert name_of(problem) == "rules.yaml"
    assert problem.line == line_of(rules, "category: time: of_day")
    assert "YAML" in problem.msg


def test_duplicate_key_is_refused_with_both_lines(tmp_path: Path) -> None:
    rules = RULE.replace("    effect: deny\n", "    effect: deny\n    effect: warn\n")
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert name_of(problem) == "rules.yaml"
    assert problem.line == line_of(rules, "effect: warn")
    assert "duplicate key 'effect'" in problem.msg
    assert f"line {line_of(rules, 'effect: deny')}" in problem.msg


def test_alias_is_refused_at_its_line(tmp_path: Path) -> None:
    rules = RULE.replace("    citations:\n", "    citations: &law\n").replace(
        '    message: "At', '    note: *law\n    message: "At'
    )
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert name_of(problem) == "rules.yaml"
    assert problem.line == line_of(rules, "note: *law")
    assert "alias" in problem.msg


def test_anchor_is_refused_even_when_unused(tmp_path: Path) -> None:
    # yamlsource: "anchors and aliases are refused"; an anchor alone is still
    # hidden structure a reviewer should not have to reason about.
    rules = RULE.replace("    citations:\n", "    citations: &law\n")
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert problem.line == line_of(rules, "&law")
    assert "anchor" in problem.msg


def test_merge_key_is_refused(tmp_path: Path) -> None:
    rules = RULE.replace("    check:\n", "    <<: {effect: warn}\n    check:\n")
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert problem.line == line_of(rules, "<<:")
    assert "merge" in problem.msg


TITLE = "    title: Calls between 08:00 and 21:00 only"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (TITLE, "    title: !custom Calls between 08:00 and 21:00 only"),
        (TITLE, "    title: !<tag:example.com,2024:rule> Calls between 08:00 and 21:00 only"),
        (TITLE, "    title: !!python/str Calls between 08:00 and 21:00 only"),
        ("    check:\n", "    check: !!python/object/apply:builtins.dict\n"),
        ("    citations:\n", "    citations: !!python/tuple\n"),
    ],
    ids=["local-tag", "verbatim-foreign", "python-str", "python-apply", "python-tuple"],
)
def test_non_standard_tags_are_refused(tmp_path: Path, old: str, new: str) -> None:
    # Only the YAML core tags may appear; PyYAML's python/* tags share the
    # tag:yaml.org,2002: prefix but are not standard and must not pass silently.
    rules = RULE.replace(old, new)
    assert rules != RULE
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert name_of(problem) == "rules.yaml"
    assert problem.line == line_of(rules, new.strip().split(" ")[0] + " !")
    assert "tag" in problem.msg


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    # Not even valid YAML: the size limit must be what is reported.
    huge = "[" + "x" * MAX_BYTES + "\n"
    problem = only(problems_of(write_pack(tmp_path, more_yaml=huge)))
    assert name_of(problem) == "more.yaml"
    assert str(MAX_BYTES) in problem.msg


def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    padded = RULE + "#" * (MAX_BYTES - len(RULE.encode()) - 1) + "\n"
    assert len(padded.encode()) == MAX_BYTES
    policy = fair_collect.load_policy([write_pack(tmp_path, padded)])
    assert [r.id for r in policy.rules] == ["house.test.hours"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21:00", "21:00"),
        ("08:30", "08:30"),
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("2021-11-30", "2021-11-30"),
        ("1_000", "1_000"),
        ("012", 12),
        ("true", True),
        ("false", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("7", 7),
        ("-3", -3),
        ("1.5", 1.5),
        ('"7"', "7"),
        ("'true'", "true"),
    ],
)
def test_scalars_follow_yaml_1_2_core(text: str, expected: object) -> None:
    data, _ = parse_yaml(f"value: {text}\n", "x.yaml")
    assert data == {"value": expected}
    assert type(data["value"]) is type(expected)


def test_parse_yaml_reports_lines_by_path() -> None:
    data, lines = parse_yaml("a:\n  b:\n    - 1\n    - c: 2\n", "x.yaml")
    assert data == {"a": {"b": [1, {"c": 2}]}}
    assert lines.line(("a",)) == 1
    assert lines.line(("a", "b")) == 2
    assert lines.line(("a", "b", 1, "c")) == 4
    assert lines.line(("a", "b", 1, "c", "nowhere")) == 4


@pytest.mark.parametrize("text", ["! 5", "!!str 5", "! true", "!!str null", '! ""'])
def test_an_explicit_text_tag_keeps_a_scalar_as_text(text: str) -> None:
    data, _ = parse_yaml(f"value: {text}\n", "x.yaml")
    assert data == {"value": text.split(" ", 1)[1].strip('"')}


def test_a_second_document_is_refused_at_its_line() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("a: 1\n---\nb: 2\n", "x.yaml")
    assert caught.value.problem.line == 2
    assert "another document" in caught.value.problem.msg


def test_a_syntax_error_is_reported_before_what_the_document_says() -> None:
    # A repeated key on line 2 and a broken flow mapping on line 4: the file
    # does not parse, which is the first thing its author needs to know.
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("a: 1\na: 2\nb: x\nc: {d: 1\n", "x.yaml")
    assert caught.value.problem.msg.startswith("YAML syntax:")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\nb:\n  c: 2\n  c: 3\n", 4, "duplicate key 'c' (first at line 3)"),
        ("a:\n  - {<<: {b: 1}}\n", 2, "merge keys"),
        ("? [a]\n: 1\n", 1, "plain strings"),
        ("a: 1\nb: &x 2\n", 2, "anchors"),
        ("a:\n  - !!set {b}\n", 2, "tag"),
    ],
)
def test_each_refusal_names_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(text, "x.yaml")
    assert caught.value.problem.line == line
    assert words in caught.value.problem.msg


_plain_text = st.text(alphabet="abcxyz 中文-_", min_size=1, max_size=8).map(str.strip).filter(bool)
_documents = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | _plain_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_plain_text, inner, max_size=4),
    max_leaves=30,
)


@given(_documents, st.sampled_from([False, True]))
@settings(max_examples=150, deadline=None)
def test_dumped_data_reads_back_the_same_with_every_path_on_a_line(
    document: Any, flow: bool
) -> None:
    text = yaml.safe_dump(
        {"doc": document}, allow_unicode=True, default_flow_style=flow, sort_keys=False
    )
    data, lines = parse_yaml(text, "x.yaml")
    assert data == {"doc": document}
    last = text.count("\n") + 1

    def walk(value: Any, path: tuple[int | str, ...]) -> None:
        line = lines._lines.get(path)
        assert line is not None, path
        assert 1 <= line <= last, path
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, (*path, key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, (*path, index))

    walk(data, ())


def test_parse_yaml_refuses_a_billion_laughs() -> None:
    bomb = 'a: &a ["x", "x"]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n'
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(bomb, "bomb.yaml")
    assert caught.value.problem.file == "bomb.yaml"
    assert caught.value.problem.line is not None


def test_unquoted_clock_times_and_no_keep_their_text(tmp_path: Path, request_for: Factory) -> None:
    # YAML 1.1 would read 21:00 as 1260 and "no" as false.
    rules = (
        RULE.replace('start: "08:00"', "start: 08:00")
        .replace('end: "21:00"', "end: 21:00")
        .replace("code: outside_house_hours", "code: no")
    )
    policy = fair_collect.load_policy([write_pack(tmp_path, rules)])
    assert policy.rule("house.test.hours").code == "no"
    assert policy.check(request_for(at="2026-06-09T21:00:00-04:00")).codes == ("no",)
    assert policy.check(request_for(at="2026-06-09T20:59:00-04:00")).allowed


# ------------------------------------------------------------------ pack format


def test_unknown_rule_key_suggests_the_right_one(tmp_path: Path) -> None:
    rules = RULE.replace("    citations:\n", "    citaton: x\n    citations:\n")
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert name_of(problem) == "rules.yaml"
    assert problem.line == line_of(rules, "citaton:")
    assert problem.rule_id == "house.test.hours"
    assert problem.field == "citaton"
    assert "did you mean 'citations'" in problem.msg
    assert f"rules.yaml:{problem.line}" in str(problem)


def test_unknown_pack_key_suggests_the_right_one(tmp_path: Path) -> None:
    pack = PACK + "versoin: 2\n"
    problem = only(problems_of(write_pack(tmp_path, pack=pack)))
    assert name_of(problem) == "pack.yaml"
    assert problem.line == line_of(pack, "versoin")
    assert "did you mean 'version'" in problem.msg


def test_unknown_nested_key_suggests_the_right_one(tmp_path: Path) -> None:
    rules = RULE.replace("    check:\n", "    applies_to: {chanels: [call]}\n    check:\n")
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert problem.line == line_of(rules, "chanels")
    assert problem.field == "applies_to.chanels"
    assert "did you mean 'channels'" in problem.msg


def test_unknown_check_name_suggests_the_right_one(tmp_path: Path) -> None:
    rules = RULE.replace("      local_time_window:", "      local_time_windw:")
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert problem.line == line_of(rules, "local_time_windw")
    assert problem.rule_id == "house.test.hours"
    assert "local_time_windw" in problem.msg
    assert "did you mean 'local_time_window'" in problem.msg


def test_bad_check_parameter_names_its_line(tmp_path: Path) -> None:
    rules = RULE.replace('start: "08:00"', 'start: "8am"')
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert name_of(problem) == "rules.yaml"
    assert problem.line == line_of(rules, 'start: "8am"')
    assert problem.rule_id == "house.test.hours"
    assert problem.field is not None
    assert problem.field.endswith("start")


def test_bad_check_parameter_field_names_the_check(tmp_path: Path) -> None:
    # Other check problems name the path inside the rule ("check.local_time_windw");
    # a bad parameter should too, so that inside all/any it is clear which check.
    rules = RULE.replace('start: "08:00"', 'start: "8am"')
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert problem.field == "check.local_time_window.start"


def test_unknown_check_parameter_suggests_the_right_one(tmp_path: Path) -> None:
    rules = RULE.replace('end: "21:00"', 'ends: "21:00"')
    problems = problems_of(write_pack(tmp_path, rules))
    unknown = [p for p in problems if "ends" in p.msg]
    assert unknown, problems
    assert unknown[0].line == line_of(rules, "ends:")
    assert "did you mean 'end'" in unknown[0].msg


def test_missing_citations(tmp_path: Path) -> None:
    rules = RULE.replace('    citations:\n      - source: "House policy 1"\n', "")
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert problem.rule_id == "house.test.hours"
    assert problem.field == "citations"
    assert problem.line == line_of(rules, "- id: house.test.hours")


def test_empty_citations(tmp_path: Path) -> None:
    rules = RULE.replace(
        '    citations:\n      - source: "House policy 1"\n', "    citations: []\n"
    )
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert problem.field == "citations"
    assert problem.line == line_of(rules, "citations: []")


def test_rule_with_only_deny_examples(tmp_path: Path) -> None:
    rules = RULE.replace("expect: allow", "expect: deny")
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert problem.rule_id == "house.test.hours"
    assert "allow" in problem.msg
    assert problem.line == line_of(rules, "- id: house.test.hours")


def test_duplicate_rule_ids_across_two_files(tmp_path: Path) -> None:
    root = write_pack(tmp_path, more_yaml=RULE)
    problem = only(problems_of(root))
    assert problem.rule_id == "house.test.hours"
    assert problem.line == line_of(RULE, "- id: house.test.hours")
    # Both files are named: the one reported and the first definition.
    assert "rules.yaml" in str(problem)
    assert "more.yaml" in str(problem)
    assert "duplicate" in problem.msg


def test_rule_id_must_carry_the_pack_prefix(tmp_path: Path) -> None:
    rules = RULE.replace("id: house.test.hours", "id: us.federal.hours")
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert problem.rule_id == "us.federal.hours"
    assert problem.field == "id"
    assert problem.line == line_of(rules, "id: us.federal.hours")
    assert "house.test." in problem.msg


def test_message_placeholder_must_be_evidence(tmp_path: Path) -> None:
    rules = RULE.replace("{time_zone}", "{timezone}")
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert problem.field == "message"
    assert problem.line == line_of(rules, "message:")
    assert "{timezone}" in problem.msg
    assert "did you mean 'time_zone'" in problem.msg


def test_secondary_confidence_needs_a_note(tmp_path: Path) -> None:
    rules = RULE.replace("    effect: deny\n", "    effect: deny\n    confidence: secondary\n")
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert problem.rule_id == "house.test.hours"
    assert "note" in problem.msg
    noted = rules.replace("confidence: secondary\n", "confidence: secondary\n    note: FAQ only\n")
    policy = fair_collect.load_policy([write_pack(tmp_path / "noted", noted)])
    assert policy.rule("house.test.hours").confidence == "secondary"


def test_every_problem_in_a_pack_is_reported_together(tmp_path: Path) -> None:
    second = RULE.replace("rules:\n", "").replace("house.test.hours", "house.test.other")
    rules = RULE.replace("    citations:\n", "    citaton: x\n    citations:\n") + second.replace(
        "    effect: deny", "    efect: deny"
    )
    problems = problems_of(write_pack(tmp_path, rules, more_yaml="rules: {}\n"))
    assert {(name_of(p), p.rule_id) for p in problems} >= {
        ("rules.yaml", "house.test.hours"),
        ("rules.yaml", "house.test.other"),
        ("more.yaml", None),
    }


# ------------------------------------------------------------------ load_policy


def test_load_policy_loads_the_shipped_packs() -> None:
    policy = fair_collect.load_policy()
    ids = [p.id for p in policy.packs]
    assert "us/federal" in ids
    assert policy.rule("us.federal.reg_f.inconvenient_time").code == "outside_permitted_hours"


def test_load_policy_by_pack_id() -> None:
    policy = fair_collect.load_policy(["us/federal"])
    assert [p.id for p in policy.packs] == ["us/federal"]
    assert all(rule.pack_id == "us/federal" for rule in policy.rules)


@pytest.mark.parametrize("as_text", [False, True])
def test_load_policy_by_path(as_text: bool) -> None:
    path = shipped_rules_root() / "us" / "federal"
    policy = fair_collect.load_policy([str(path) if as_text else path])
    assert [p.id for p in policy.packs] == ["us/federal"]
    shipped = fair_collect.load_policy(["us/federal"])
    assert {r.id for r in policy.rules} == {r.id for r in shipped.rules}


def test_load_policy_with_a_folder_of_packs(tmp_path: Path) -> None:
    write_pack(tmp_path / "a")
    write_pack(
        tmp_path / "b",
        RULE.replace("house.test.", "house.other."),
        PACK.replace("id: house/test", "id: house/other"),
    )
    policy = fair_collect.load_policy([tmp_path])
    assert sorted(p.id for p in policy.packs) == ["house/other", "house/test"]


def test_two_packs_with_one_id_are_refused(tmp_path: Path) -> None:
    write_pack(tmp_path / "a")
    write_pack(tmp_path / "b")
    problems = problems_of(tmp_path)
    assert any("house/test" in p.msg for p in problems)


@pytest.mark.parametrize("pack", ["us/fedral", "xx/none", "does/not/exist.yaml"])
def test_unknown_pack_id_is_a_pack_error(pack: str) -> None:
    with pytest.raises(PackError) as caught:
        fair_collect.load_policy([pack])
    assert caught.value.problems[0].file == pack
    assert "us/federal" in caught.value.problems[0].msg  # lists what is shipped


def test_folder_without_a_pack_is_a_pack_error(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(RULE, encoding="utf-8")
    with pytest.raises(PackError, match=r"pack\.yaml"):
        fair_collect.load_policy([tmp_path])


def _digest(path: Path) -> str:
    (pack,) = fair_collect.load_policy([path]).packs
    return pack.ref.digest


def test_pack_digest_is_of_content_not_location(tmp_path: Path) -> None:
    copy = shutil.copytree(shipped_rules_root() / "us" / "federal", tmp_path / "federal")
    (shipped,) = fair_collect.load_policy(["us/federal"]).packs
    assert _digest(copy) == shipped.ref.digest
    assert SHA256.fullmatch(shipped.ref.digest)


@pytest.mark.parametrize("name", ["pack.yaml", "time_of_day.yaml", "call_frequency.yaml"])
def test_pack_digest_changes_when_one_byte_changes(tmp_path: Path, name: str) -> None:
    copy = shutil.copytree(shipped_rules_root() / "us" / "federal", tmp_path / "federal")
    before = _digest(copy)
    target = copy / name
    data = bytearray(target.read_bytes())
    at = data.index(b"#") + 1  # inside a comment: the pack still loads
    data[at : at + 1] = b"!" if data[at : at + 1] != b"!" else b"?"
    target.write_bytes(bytes(data))
    after = _digest(copy)
    assert after != before


def test_pack_digest_changes_when_a_file_is_added(tmp_path: Path) -> None:
    copy = shutil.copytree(shipped_rules_root() / "us" / "federal", tmp_path / "federal")
    before = _digest(copy)
    (copy / "NOTES.txt").write_text("x", encoding="utf-8")
    assert _digest(copy) != before


def test_verdict_names_the_pack_digest(federal: fair_collect.Policy, request_for: Factory) -> None:
    verdict = federal.check(request_for())
    (pack,) = federal.packs
    assert [p.model_dump() for p in verdict.packs] == [
        {"id": "us/federal", "version": pack.spec.version, "digest": pack.ref.digest}
    ]


# ------------------------------------------------------------------ check registry


class RoleParams(CheckParams):
    role: str


@dataclass(frozen=True)
class RecipientRoleIs:
    role: str

    @property
    def time_based(self) -> bool:
        return False

    def evaluate(self, facts: Any) -> Finding | None:
        recipient = facts.request.recipient
        if recipient is not None and recipient.role == self.role:
            return Finding({"role": self.role})
        return None

    def next_pass(self, facts: Any) -> datetime | None:
        return None


ROLE_CHECK = CheckKind(
    name="recipient_role_is",
    params=RoleParams,
    build=lambda params, ctx: RecipientRoleIs(params.role),
    evidence=frozenset({"role"}),
    summary="Violated when the recipient has the given role.",
)

HOUSE_RULE = """\
rules:
  - id: house.test.no_employer
    title: Never call an employer
    category: privacy
    code: employer_contact
    effect: deny
    check:
      recipient_role_is: {role: employer}
    message: "House policy: do not contact the {role}."
    citations:
      - source: "House policy 7"
    examples:
      - name: employer
        expect: deny
        request: {recipient: {role: employer}}
      - name: borrower
        expect: allow
        request: {recipient: {role: borrower}}
"""


def test_default_checks_cannot_be_changed() -> None:
    assert isinstance(DEFAULT_CHECKS, CheckRegistry)
    assert "local_time_window" in DEFAULT_CHECKS
    with pytest.raises(TypeError):
        DEFAULT_CHECKS["recipient_role_is"] = ROLE_CHECK  # type: ignore[index]
    with pytest.raises(TypeError):
        del DEFAULT_CHECKS["local_time_window"]  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_CHECKS._kinds = {}  # type: ignore[misc]
    assert "recipient_role_is" not in DEFAULT_CHECKS


def test_extend_returns_a_new_registry() -> None:
    before = dict(DEFAULT_CHECKS)
    extended = DEFAULT_CHECKS.extend(ROLE_CHECK)
    assert extended is not DEFAULT_CHECKS
    assert extended["recipient_role_is"] is ROLE_CHECK
    assert set(extended) == set(DEFAULT_CHECKS) | {"recipient_role_is"}
    assert dict(DEFAULT_CHECKS) == before
    assert "recipient_role_is" not in DEFAULT_CHECKS


@pytest.mark.parametrize("name", ["local_time_window", "all", "any", "not"])
def test_extend_refuses_taken_names(name: str) -> None:
    clash = dataclasses.replace(ROLE_CHECK, name=name)
    with pytest.raises(ValueError, match=name):
        DEFAULT_CHECKS.extend(clash)


def test_extend_refuses_the_same_name_twice() -> None:
    with pytest.raises(ValueError, match="recipient_role_is"):
        DEFAULT_CHECKS.extend(ROLE_CHECK, ROLE_CHECK)
    with pytest.raises(ValueError, match="recipient_role_is"):
        DEFAULT_CHECKS.extend(ROLE_CHECK).extend(ROLE_CHECK)


def test_house_check_is_usable_by_a_pack(tmp_path: Path, request_for: Factory) -> None:
    root = write_pack(tmp_path, HOUSE_RULE)
    policy = fair_collect.load_policy([root], checks=DEFAULT_CHECKS.extend(ROLE_CHECK))
    denied = policy.check(request_for(recipient={"role": "employer"}))
    assert denied.codes == ("employer_contact",)
    (reason,) = denied.reasons
    assert reason.category == "privacy"
    assert reason.evidence == {"role": "employer"}
    assert reason.message == "House policy: do not contact the employer."
    assert [c.source for c in reason.citations] == ["House policy 7"]
    assert policy.check(request_for(recipient={"role": "borrower"})).allowed


def test_house_check_is_unknown_to_the_default_registry(tmp_path: Path) -> None:
    rules = HOUSE_RULE
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert problem.line == line_of(rules, "recipient_role_is")
    assert "recipient_role_is" in problem.msg


def test_a_parameter_a_check_would_ignore_is_refused(tmp_path: Path) -> None:
    # contact_spacing looks at the last event, not at windows of local days or
    # consent: a zone or a consent exemption there would be silently ignored.
    rules = RULE.replace(
        '      local_time_window:\n        start: "08:00"\n        end: "21:00"',
        "      contact_spacing: {channels: [call], min_minutes: 5, zone: Asia/Shanghai}",
    )
    assert rules != RULE
    problem = only(problems_of(write_pack(tmp_path, rules)))
    assert "unknown key 'zone'" in problem.msg
