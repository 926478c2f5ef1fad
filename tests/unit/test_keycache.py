"""Word-list keys are remembered between lexicons and runs, and a bad cache
file is never trusted."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from fair_collect.text import keycache
from fair_collect.text.keycache import CACHE_ENV, KeyCache
from fair_collect.text.lexicon import Lexicon, WordEntry, _keys_of

TERMS = [("deadbeat", True), ("爆通讯录", True), ("take you to court", True)]


def _counting() -> tuple[KeyCache, list[tuple[str, bool]]]:
    calls: list[tuple[str, bool]] = []

    def compute(text: str, pinyin: bool) -> list[tuple[str, int]]:
        calls.append((text, pinyin))
        return _keys_of(text, pinyin)

    return KeyCache(compute), calls


def test_a_second_process_reads_the_keys_instead_of_folding(cache_dir: Path) -> None:
    first, calls = _counting()
    keys = first.keys_of(TERMS)
    assert calls == TERMS
    assert len(list(cache_dir.glob("lexicon-keys-*.json"))) == 1
    second, calls_again = _counting()  # a new process: an empty memory
    assert second.keys_of(TERMS) == keys
    assert calls_again == []
    assert keys[("爆通讯录", True)] == tuple(_keys_of("爆通讯录", True))


def test_terms_asked_again_in_one_process_are_not_folded_again(cache_dir: Path) -> None:
    cache, calls = _counting()
    cache.keys_of(TERMS)
    cache.keys_of(TERMS[:2])
    assert calls == TERMS


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps({"format": 1, "keys": [[["x", 1]]]}),  # one row for three terms
        json.dumps({"format": 1, "keys": [[["x", "1"]], [], []]}),  # views not an integer
        json.dumps({"format": 99, "keys": [[], [], []]}),
    ],
)
def test_a_damaged_file_is_ignored_and_rewritten(cache_dir: Path, content: str) -> None:
    KeyCache(_keys_of).keys_of(TERMS)
    (path,) = cache_dir.glob("lexicon-keys-*.json")
    path.write_text(content, encoding="utf-8")
    cache, calls = _counting()
    keys = cache.keys_of(TERMS)
    assert calls == TERMS
    assert keys[("deadbeat", True)] == tuple(_keys_of("deadbeat", True))
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == 1


def test_other_folding_code_names_another_file(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    KeyCache(_keys_of).keys_of(TERMS)
    monkeypatch.setattr(keycache, "_code_fingerprint", lambda: "f" * 64)
    cache, calls = _counting()
    cache.keys_of(TERMS)
    assert calls == TERMS
    assert len(list(cache_dir.glob("lexicon-keys-*.json"))) == 2


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache, calls = _counting()
    cache.keys_of(TERMS)
    assert calls == TERMS
    assert not any(tmp_path.rglob("*.json"))


@pytest.mark.usefixtures("unwritable_cache_dir")
def test_an_unwritable_directory_does_not_fail_a_load() -> None:
    cache, calls = _counting()
    assert cache.keys_of(TERMS)[("deadbeat", True)] == tuple(_keys_of("deadbeat", True))
    assert calls == TERMS


def test_a_lexicon_from_cached_keys_finds_what_a_fresh_one_finds(cache_dir: Path) -> None:
    entries = [
        ("p", WordEntry(text="deadbeat", category="profanity_insult", language="en")),
        ("p", WordEntry(text="爆通讯录", category="shaming_exposure", language="zh")),
    ]
    text = "You deadbeat, 我们会爆通訊錄"
    fresh = [(h.category, h.start, h.end) for h in Lexicon(entries).scan(text).hits]
    again = [(h.category, h.start, h.end) for h in Lexicon(entries).scan(text).hits]
    assert fresh == again
    assert {c for c, _, _ in fresh} == {"profanity_insult", "shaming_exposure"}


def _age(path: Path, seconds: float) -> None:
    """Set ``path``'s modification time ``seconds`` into the past."""
    when = time.time() - seconds
    os.utime(path, (when, when))


def _write_file_for(term: str, cache_dir: Path) -> Path:
    """Compute the keys of a one-term set, and the file that was written for it."""
    before = set(cache_dir.glob("lexicon-keys-*.json"))
    KeyCache(_keys_of).keys_of([(term, False)])
    (path,) = set(cache_dir.glob("lexicon-keys-*.json")) - before
    return path


def test_writing_a_file_removes_the_least_recently_used_beyond_the_bound(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keycache, "KEEP_FILES", 3)
    one, two, three = (_write_file_for(t, cache_dir) for t in ("one", "two", "three"))
    _age(one, 4 * 3600)
    _age(two, 3 * 3600)
    _age(three, 2 * 3600)
    # "one" is read again, so it is marked used: "two" is now the least recent.
    cache, calls = _counting()
    cache.keys_of([("one", False)])
    assert calls == []
    four = _write_file_for("four", cache_dir)
    assert set(cache_dir.glob("lexicon-keys-*.json")) == {one, three, four}


def test_a_file_read_within_the_hour_is_not_written_to(cache_dir: Path) -> None:
    path = _write_file_for("one", cache_dir)
    _age(path, 600)
    mtime = path.stat().st_mtime
    KeyCache(_keys_of).keys_of([("one", False)])
    assert path.stat().st_mtime == mtime


def test_the_byte_bound_keeps_at_least_the_file_just_written(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keycache, "KEEP_BYTES", 1)
    _write_file_for("one", cache_dir)
    two = _write_file_for("two", cache_dir)
    assert list(cache_dir.glob("lexicon-keys-*.json")) == [two]


def test_a_key_file_nested_past_the_recursion_limit_is_ignored(cache_dir: Path) -> None:
    KeyCache(_keys_of).keys_of(TERMS)
    (path,) = cache_dir.glob("lexicon-keys-*.json")
    path.write_text("[" * 200_000, encoding="utf-8")
    cache, calls = _counting()
    assert cache.keys_of(TERMS)[("deadbeat", True)] == tuple(_keys_of("deadbeat", True))
    assert calls == TERMS


def test_a_stray_temporary_file_goes_after_an_hour(cache_dir: Path) -> None:
    _write_file_for("one", cache_dir)
    old, new = cache_dir / ".keys-old.tmp", cache_dir / ".keys-new.tmp"
    old.write_text("", encoding="utf-8")
    new.write_text("", encoding="utf-8")
    _age(old, 2 * 3600)
    _write_file_for("two", cache_dir)
    assert not old.exists()
    assert new.exists()  # (perhaps another process's write in progress)
