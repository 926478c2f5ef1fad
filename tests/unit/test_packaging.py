"""The wheel ships every rule pack, and an installed package finds them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("fair_collect-*.whl")
    return built


def _repo_pack_files() -> set[str]:
    rules = ROOT / "rules"
    return {p.relative_to(rules).as_posix() for p in rules.rglob("*") if p.is_file()}


def test_wheel_contains_every_rule_file_and_py_typed(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        n.removeprefix("fair_collect/rules/") for n in names if n.startswith("fair_collect/rules/")
    }
    assert _repo_pack_files() <= shipped
    assert "fair_collect/py.typed" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_finds_every_pack(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    probe = (
        "import json, fair_collect\n"
        "from fair_collect.packs.loader import shipped_rules_root\n"
        "p = fair_collect.load_policy()\n"
        "print(json.dumps({'root': str(shipped_rules_root()), 'module': fair_collect.__file__,"
        " 'packs': sorted(x.id for x in p.packs)}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(target)
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(result.stdout)
    assert Path(found["module"]).is_relative_to(target)
    assert Path(found["root"]).is_relative_to(target)
    expected = sorted(
        p.parent.relative_to(ROOT / "rules").as_posix() for p in (ROOT / "rules").rglob("pack.yaml")
    )
    assert found["packs"] == expected
