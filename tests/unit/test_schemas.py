"""JSON Schemas for non-Python backends: generated from the models, committed
in ``schemas/``, and good enough to validate what the library itself accepts
and returns (shipped requests, their verdicts, every shipped pack file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import fair_collect
from fair_collect.packs.loader import shipped_rules_root
from fair_collect.schemas import SCHEMA_NAMES, json_schema, schema_text

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "schemas"
EXAMPLES = sorted((ROOT / "examples" / "requests").glob("*.json"))
RULES = shipped_rules_root()


def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = json_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_the_committed_schema_is_current(name: str) -> None:
    committed = COMMITTED / f"{name}.schema.json"
    assert committed.read_text(encoding="utf-8") == schema_text(name), (
        f"schemas/{name}.schema.json is stale: regenerate it with"
        f" `fair-collect schema {name} > schemas/{name}.schema.json`"
    )


def test_every_committed_schema_has_a_name() -> None:
    assert sorted(p.name for p in COMMITTED.glob("*.schema.json")) == sorted(
        f"{n}.schema.json" for n in SCHEMA_NAMES
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_shipped_requests_and_their_verdicts_validate(path: Path) -> None:
    request = json.loads(path.read_text(encoding="utf-8"))
    _validator("request").validate(request)
    verdict = fair_collect.check(request, explain=True).model_dump(mode="json")
    _validator("verdict").validate(verdict)


def test_a_request_with_an_unknown_channel_is_invalid() -> None:
    request = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    request["channel"] = "carrier_pigeon"
    errors = list(_validator("request").iter_errors(request))
    assert errors
    assert any("carrier_pigeon" in e.message for e in errors)


def test_a_request_with_an_unknown_field_is_invalid() -> None:
    request: dict[str, Any] = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    request["channnel"] = "call"
    assert list(_validator("request").iter_errors(request))


def _yaml_files(kind: str) -> list[Path]:
    files = sorted(RULES.rglob("*.yaml"))
    if kind == "pack":
        return [f for f in files if f.name == "pack.yaml"]
    if kind == "wordlist":
        return [f for f in files if f.parent.name == "wordlists" and f.name != "context.yaml"]
    return [f for f in files if f.name != "pack.yaml" and f.parent.name != "wordlists"]


@pytest.mark.parametrize("kind", ["pack", "rules", "wordlist"])
def test_every_shipped_pack_file_validates(kind: str) -> None:
    validator = _validator(kind)
    files = _yaml_files(kind)
    assert files
    for path in files:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        errors = [e.message for e in validator.iter_errors(document)]
        assert not errors, f"{path.relative_to(RULES)}: {errors[:3]}"


def test_an_unknown_schema_name_is_refused() -> None:
    with pytest.raises(KeyError, match="request"):
        json_schema("requests")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_the_cli_prints_the_committed_schema(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    from fair_collect.cli import main

    assert main(["schema", name]) == 0
    assert capsys.readouterr().out == (COMMITTED / f"{name}.schema.json").read_text(
        encoding="utf-8"
    )
