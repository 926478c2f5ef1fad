"""The public surface: ``__all__`` is complete and sorted, ``fair_collect.check`` works
out of the box, and importing the library pulls in no test tooling."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from collections.abc import Callable
from typing import Any

import fair_collect

Factory = Callable[..., dict[str, Any]]


def _public_names() -> set[str]:
    """Names the package's ``__init__`` defines or re-exports (submodules excluded)."""
    return {
        name
        for name, value in vars(fair_collect).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }


def test_all_lists_every_public_name() -> None:
    missing = _public_names() - set(fair_collect.__all__)
    assert not missing, f"public but not in __all__: {sorted(missing)}"


def test_every_name_in_all_exists() -> None:
    absent = [name for name in fair_collect.__all__ if not hasattr(fair_collect, name)]
    assert not absent
    assert len(set(fair_collect.__all__)) == len(fair_collect.__all__)


def _isort_key(name: str) -> tuple[int, str]:
    # The order ruff's RUF022 keeps: CONSTANTS, then Classes, then everything else.
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def test_all_is_sorted() -> None:
    assert list(fair_collect.__all__) == sorted(fair_collect.__all__, key=_isort_key)


def test_version_is_exported() -> None:
    assert "__version__" in fair_collect.__all__
    assert isinstance(fair_collect.__version__, str)
    assert fair_collect.__version__


def test_spec_entry_points_are_public() -> None:
    for name in ("load_policy", "check", "Policy", "Verdict", "InputError", "PackError"):
        assert name in fair_collect.__all__


def test_check_uses_a_cached_default_policy(request_for: Factory) -> None:
    assert fair_collect.default_policy() is fair_collect.default_policy()
    denied = fair_collect.check(request_for(at="2026-06-09T07:30:00-04:00"))
    assert isinstance(denied, fair_collect.Verdict)
    assert "outside_permitted_hours" in denied.codes
    assert any(p.id == "us/federal" for p in denied.packs)
    allowed = fair_collect.check(json.dumps(request_for()))
    assert allowed.outcome == "allow"


def test_check_many_gives_the_same_verdicts_as_check(request_for: Factory) -> None:
    policy = fair_collect.default_policy()
    requests = [request_for(at=at) for at in ("2026-06-09T07:30:00-04:00", "2026-06-09T12:00:00Z")]
    many = policy.check_many(iter(requests))
    assert [v.model_dump(mode="json") for v in many] == [
        policy.check(r).model_dump(mode="json") for r in requests
    ]


_IMPORT_PROBE = """
import json, sys
before = set(sys.modules)
import fair_collect
after_import = sorted(set(sys.modules) - before)
fair_collect.check({"channel": "call", "at": "2026-06-09T10:30:00-04:00", "history": [],
                    "borrower": {"location": {"country": "US", "postal_code": "10001"}}})
after_check = sorted(set(sys.modules) - before)
print(json.dumps({"import": after_import, "check": after_check}))
"""


def _top(modules: list[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_importing_the_library_loads_no_test_tooling() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    loaded = json.loads(result.stdout)
    forbidden = {"hypothesis", "pytest", "_pytest"}
    assert not _top(loaded["import"]) & forbidden, loaded["import"]
    assert not _top(loaded["check"]) & forbidden
    # Deferred data: the 42,000-record ZIP table is not read at import time.
    assert "zipcodes" not in _top(loaded["import"])


def test_a_request_before_any_pack_took_effect_does_not_switch_later_ones_off() -> None:
    # Plans are memoised per kind of action; one made when no pack was in force
    # yet must not be reused once the pack is. (Only the federal pack: with
    # none in force, every loaded pack applies, and others took effect earlier.)
    policy = fair_collect.load_policy(packs=["us/federal"])
    request = {
        "channel": "call",
        "borrower": {"location": {"time_zone": "America/New_York"}},
        "history": [],
    }
    before = policy.check({**request, "at": "2021-06-01T07:00:00-04:00"})
    assert before.packs == ()
    after = policy.check({**request, "at": "2021-12-31T07:57:00-05:00"})
    assert [p.id for p in after.packs] == ["us/federal"]
    assert not after.allowed
    assert "outside_permitted_hours" in after.codes
