"""Hostile packs through ``load_policy``: whatever a pack folder holds, loading ends
promptly in a ``PackError`` naming the file (never another exception, never a
hang, never code run). Duplicate keys, alias bombs, object-constructing tags,
oversized, deeply nested, non-UTF-8 and non-regular files."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import fair_collect
from fair_collect import PackError
from fair_collect.packs.yamlsource import MAX_BYTES, MAX_DEPTH

PACK = """\
id: house/hostile
title: A house pack under attack
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
  - id: house.hostile.hours
    title: Calls between 08:00 and 21:00 only
    category: time_of_day
    code: outside_house_hours
    effect: deny
    check:
      local_time_window: {start: "08:00", end: "21:00"}
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

#: How long loading may take before it counts as a hang (generous: slow CI).
PROMPTLY = 30.0


def make_pack(root: Path, **files: str | bytes) -> Path:
    """A pack folder with ``pack.yaml``, a valid rule file, and ``files`` (name -> content)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.yaml").write_text(PACK, encoding="utf-8")
    (root / "rules.yaml").write_text(RULE, encoding="utf-8")
    for name, content in files.items():
        path = root / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def load_promptly(pack: Path) -> PackError:
    """Load ``pack`` in a daemon thread; it must end in a ``PackError`` within ``PROMPTLY``."""
    outcome: list[BaseException | fair_collect.Policy] = []

    def run() -> None:
        try:
            outcome.append(fair_collect.load_policy([pack]))
        except BaseException as exc:  # the test inspects whatever it was
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(PROMPTLY)
    assert not thread.is_alive(), f"loading {pack} hangs"
    (result,) = outcome
    assert isinstance(result, PackError), f"expected a PackError, got {result!r}"
    return result


def the_problem(error: PackError, file: str) -> str:
    problems = [p for p in error.problems if p.file.endswith(file)]
    assert problems, f"no problem names {file}: {error}"
    return problems[0].msg


def test_the_valid_house_pack_loads(tmp_path: Path) -> None:
    policy = fair_collect.load_policy([make_pack(tmp_path / "p")])
    assert [r.id for r in policy.rules] == ["house.hostile.hours"]


def test_a_duplicate_key_is_an_error(tmp_path: Path) -> None:
    duplicated = RULE.replace("    effect: deny\n", "    effect: deny\n    effect: warn\n").replace(
        "house.hostile.hours", "house.hostile.dup"
    )
    error = load_promptly(make_pack(tmp_path / "p", **{"dup.yaml": duplicated}))
    assert "duplicate key 'effect'" in the_problem(error, "dup.yaml")


def test_an_alias_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    bomb = "\n".join(levels) + "\n"  # 9**10 strings if it were expanded
    error = load_promptly(make_pack(tmp_path / "p", **{"wordlists__bomb.yaml": bomb}))
    assert "alias" in the_problem(error, "bomb.yaml") or "anchor" in the_problem(error, "bomb.yaml")


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!binary",
        "!!set",
        "!custom",
    ],
)
def test_no_tag_constructs_anything(tmp_path: Path, tag: str) -> None:
    sentinel = tmp_path / "ran"
    payload = f'rules: {tag} ["touch {sentinel}"]\n'
    error = load_promptly(make_pack(tmp_path / "p", **{"evil.yaml": payload}))
    assert "tag" in the_problem(error, "evil.yaml")
    assert not sentinel.exists()


def test_an_oversized_file_is_refused_unparsed(tmp_path: Path) -> None:
    huge = "rules:\n" + "#" * (MAX_BYTES + 10) + "\n"
    error = load_promptly(make_pack(tmp_path / "p", **{"wordlists__huge.yaml": huge}))
    assert str(MAX_BYTES) in the_problem(error, "huge.yaml")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 1000, 5000, 100_000])
def test_deep_nesting_is_refused_not_a_crash(tmp_path: Path, depth: int) -> None:
    # 1000 levels once ran the builder out of stack (RecursionError).
    nested = "rules: " + "[" * depth + "]" * depth + "\n"
    error = load_promptly(make_pack(tmp_path / "p", **{"deep.yaml": nested}))
    msg = the_problem(error, "deep.yaml")
    assert "nest" in msg


def test_nesting_within_the_limit_reads_as_data(tmp_path: Path) -> None:
    nested = "rules: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    error = load_promptly(make_pack(tmp_path / "p", **{"deep.yaml": nested}))
    # Parsed: the error is about what the file says, not its shape.
    assert "nest" not in the_problem(error, "deep.yaml")


def test_a_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    error = load_promptly(make_pack(tmp_path / "p", **{"latin.yaml": b"rules: [\xe9t\xe9]\n"}))
    assert "UTF-8" in the_problem(error, "latin.yaml")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_a_fifo_posing_as_a_rule_file_is_refused_not_waited_on(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "p")
    os.mkfifo(pack / "pipe.yaml")  # no writer: reading it would block forever
    assert "regular file" in the_problem(load_promptly(pack), "pipe.yaml")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_an_endless_device_is_refused_not_read(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "p")
    (pack / "zero.yaml").symlink_to("/dev/zero")  # endless zeros; size 0 to stat
    assert "regular file" in the_problem(load_promptly(pack), "zero.yaml")


def test_a_rule_file_outside_the_pack_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(RULE, encoding="utf-8")
    pack = make_pack(tmp_path / "p")
    (pack / "pack.yaml").write_text(PACK + "rule_files: [../outside.yaml]\n", encoding="utf-8")
    assert "not found in the pack" in the_problem(load_promptly(pack), "pack.yaml")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    pack = make_pack(
        tmp_path / "p",
        **{
            "a.yaml": "rules: !!python/object/apply:os.system [x]\n",
            "b.yaml": "rules: [" * 200 + "\n",
            "c.yaml": 'x: &a ["y"]\ny: *a\n',
        },
    )
    error = load_promptly(pack)
    assert {Path(p.file).name for p in error.problems} >= {"a.yaml", "b.yaml", "c.yaml"}
