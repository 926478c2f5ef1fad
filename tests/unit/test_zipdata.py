"""The ZIP fields checks read come from a cache file after a machine's first
read of the ``zipcodes`` database, are the database's own, and a bad file is
never trusted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import zipcodes

from fair_collect.facts import zipdata
from fair_collect.facts.zipdata import ZipData, ZipRecord
from fair_collect.text.keycache import CACHE_ENV

PREFIXES = ("100", "462", "995", "967", "006")


def _database(prefix: str) -> list[ZipRecord]:
    return [
        ZipRecord(
            e["zip_code"], e.get("state") or "", e.get("county") or "", e.get("timezone") or ""
        )
        for e in zipcodes.similar_to(prefix)  # type: ignore[no-untyped-call]
    ]


@pytest.fixture
def database_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the full reads of the database (``zipcodes.filter_by()``)."""
    reads: list[int] = []
    real = zipcodes.filter_by

    def counting(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(zipcodes, "filter_by", counting)
    return reads


def _no_database(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the ZIP database was queried")

    for name in ("filter_by", "similar_to", "matching", "list_all"):
        monkeypatch.setattr(zipcodes, name, refuse)


def test_a_second_process_reads_the_file_and_gets_the_database_fields(
    cache_dir: Path, database_reads: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = {prefix: _database(prefix) for prefix in PREFIXES}
    first = ZipData()
    assert [first.prefix_records(p) for p in PREFIXES] == [tuple(expected[p]) for p in PREFIXES]
    assert database_reads == [1]
    assert len(list(cache_dir.glob("zip-fields-*.json"))) == 1
    _no_database(monkeypatch)
    second = ZipData()  # a new process: nothing in memory
    for prefix in PREFIXES:
        assert second.prefix_records(prefix) == tuple(expected[prefix])
    indiana = second.state_time_zones("IN")
    assert {"America/Indiana/Indianapolis", "America/Chicago"} <= indiana
    assert second.state_time_zones("HI") == {"Pacific/Honolulu"}
    assert second.prefix_records("000") == ()


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps({"format": 99, "prefixes": {"100": "10001\tNY\tNew York County\tX"}}),
        json.dumps({"format": 1, "prefixes": {}}),
        json.dumps({"format": 1, "prefixes": {"100": "10001\tNY\tNew York County"}}),  # 3 fields
        json.dumps({"format": 1, "prefixes": {"100": "10001\tNY\ta\tb\n94105\tCA\tc\td"}}),
        json.dumps({"format": 1, "prefixes": {"10": "10001\tNY\ta\tb"}}),
    ],
)
def test_a_damaged_file_is_ignored_and_rewritten(
    cache_dir: Path, database_reads: list[int], content: str
) -> None:
    ZipData().prefix_records("100")
    (path,) = cache_dir.glob("zip-fields-*.json")
    path.write_text(content, encoding="utf-8")
    again = ZipData()
    assert again.prefix_records("100") == tuple(_database("100"))
    assert database_reads == [1, 1]
    rewritten = zipdata._valid(json.loads(path.read_text(encoding="utf-8")))
    assert rewritten is not None
    assert [ZipRecord(*line.split("\t")) for line in rewritten["100"].split("\n")] == _database(
        "100"
    )


@pytest.mark.parametrize(
    "content",
    ["[" * 200_000, '{"format": 1, "prefixes": ' + "[" * 200_000],  # past the recursion limit
)
def test_a_file_nested_past_the_recursion_limit_is_ignored_too(
    cache_dir: Path, content: str
) -> None:
    ZipData().prefix_records("100")
    (path,) = cache_dir.glob("zip-fields-*.json")
    path.write_text(content, encoding="utf-8")
    assert ZipData().prefix_records("100") == tuple(_database("100"))
    assert zipdata._valid(json.loads(path.read_text(encoding="utf-8"))) is not None


def test_a_file_over_the_size_bound_is_not_read(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, database_reads: list[int]
) -> None:
    ZipData().prefix_records("100")
    monkeypatch.setattr(zipdata, "_MAX_FILE_BYTES", 1000)
    ZipData().prefix_records("100")
    assert database_reads == [1, 1]


def test_off_writes_nothing_and_reads_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_reads: list[int]
) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert ZipData().prefix_records("995") == tuple(_database("995"))
    assert database_reads == [1]
    assert list(tmp_path.rglob("*")) == []


@pytest.mark.usefixtures("unwritable_cache_dir")
def test_an_unwritable_directory_does_not_fail_a_lookup() -> None:
    assert ZipData().prefix_records("100") == tuple(_database("100"))


def test_a_field_with_a_tab_or_line_break_cannot_break_the_file(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    odd = [
        {"zip_code": "10001", "state": "NY", "county": "New\tYork\nCounty", "timezone": None},
        {"zip_code": "ABCDE", "state": "NY", "county": "", "timezone": ""},  # not a ZIP code
    ]
    monkeypatch.setattr(zipcodes, "filter_by", lambda *a, **k: odd)
    assert ZipData().prefix_records("100") == (ZipRecord("10001", "NY", "New York County", ""),)
    _no_database(monkeypatch)
    assert ZipData().prefix_records("100") == (ZipRecord("10001", "NY", "New York County", ""),)


_SECOND_PROCESS = """
import json, zipcodes
def refuse(*a, **k):
    raise AssertionError("the ZIP database was queried")
for name in ("filter_by", "similar_to", "matching", "list_all"):
    setattr(zipcodes, name, refuse)
import fair_collect
verdict = fair_collect.load_policy(["us/federal"]).check({
    "channel": "call", "at": "2026-06-09T15:30:00Z",
    "recipient": {"role": "borrower", "address": "+12125550123"},
    "borrower": {"location": {"country": "US", "postal_code": "99501"}},
    "history": [],
})
print(json.dumps(sorted(z.zone for z in verdict.time_zones)))
"""


def test_a_check_in_a_later_process_never_queries_the_database(tmp_path: Path) -> None:
    env = {**os.environ, CACHE_ENV: str(tmp_path / "cache")}
    with pytest.MonkeyPatch.context() as patch:  # the first process (this one) writes the file
        patch.setenv(CACHE_ENV, env[CACHE_ENV])
        ZipData().prefix_records("995")
    out = subprocess.run(
        [sys.executable, "-c", _SECOND_PROCESS],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    # Anchorage from the ZIP code (read from the file), New York from the number.
    assert "America/Anchorage" in json.loads(out.stdout)


def test_the_shared_instance_is_what_checks_read() -> None:
    from fair_collect.facts import places, zones

    assert zones.ZIP_DATA is zipdata.ZIP_DATA is places.ZIP_DATA
