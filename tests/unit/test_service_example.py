"""The FastAPI service example (examples/service/app.py) keeps its contract.

A backend in another language trusts three things: a 200 carries the same
verdict the library (and the CLI) gives, anything fair_collect rejects is a
422 that names the field (never an allow), and /openapi.json describes the
bodies with fair_collect's own schemas, so a generated client is right.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():
    # Starlette 1.x warns when its TestClient runs on httpx rather than
    # httpx2; the suite turns warnings into errors, and this one is about
    # the test tool, not the service.
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    try:
        from fastapi.testclient import TestClient
    except ImportError:  # neither httpx2 nor httpx
        pytest.skip("the TestClient needs httpx2 or httpx", allow_module_level=True)

import fair_collect
from fair_collect.schemas import json_schema

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = ROOT / "examples" / "requests"
SCHEMAS = ROOT / "schemas"


def _load_service() -> ModuleType:
    # examples/ is not a package (it holds data and templates); load the file
    # by path so that neither the repository layout nor sys.path must change.
    name = "fair_collect_service_example"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / "service" / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def service() -> ModuleType:
    return _load_service()


@pytest.fixture(scope="module")
def client(service: ModuleType) -> TestClient:
    return TestClient(service.app)


def _request(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REQUESTS / name).read_text(encoding="utf-8"))
    return data


EXAMPLES = sorted(p.name for p in REQUESTS.glob("*.json"))


@pytest.mark.parametrize("name", EXAMPLES)
def test_check_answers_200_with_the_library_verdict(client: TestClient, name: str) -> None:
    request = _request(name)
    expected = fair_collect.check(request)
    response = client.post("/v1/check", json=request)
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == expected.outcome
    assert body["allowed"] is expected.allowed
    wanted = expected.model_dump(mode="json")
    wanted.pop("explanation", None)
    assert body == wanted


def test_the_examples_cover_allow_and_deny(client: TestClient) -> None:
    outcomes = {
        client.post("/v1/check", json=_request(name)).json()["outcome"] for name in EXAMPLES
    }
    assert outcomes == {"allow", "deny"}


def test_a_deny_is_a_200_with_codes(client: TestClient) -> None:
    response = client.post("/v1/check", json=_request("ny-mobile-ca-address-early-call.json"))
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "deny"
    assert "outside_permitted_hours" in [r["code"] for r in body["reasons"]]


def test_verdicts_validate_against_the_committed_schema(client: TestClient) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCHEMAS / "verdict.schema.json").read_text(encoding="utf-8"))
    for name in EXAMPLES:
        jsonschema.validate(client.post("/v1/check", json=_request(name)).json(), schema)


def test_explain_adds_the_trace(client: TestClient) -> None:
    request = _request("allowed-reminder-call.json")
    assert "explanation" not in client.post("/v1/check", json=request).json()
    explained = client.post("/v1/check", params={"explain": "true"}, json=request).json()
    assert explained["explanation"]


def test_an_unknown_channel_is_a_422_naming_channel(client: TestClient) -> None:
    request = {**_request("allowed-reminder-call.json"), "channel": "carrier_pigeon"}
    response = client.post("/v1/check", json=request)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input"
    assert "channel" in [p["loc"] for p in body["problems"]]
    assert all(set(p) == {"loc", "type", "msg"} for p in body["problems"])
    assert "outcome" not in body


@pytest.mark.parametrize(
    ("content", "problem_type"),
    [
        (b"{not json", "json_invalid"),
        (b"\xff\xfe", "json_invalid"),
        (b"", "json_invalid"),
        (b"[]", "request_type"),
        (b"null", "request_type"),
        # JSON text inside a JSON string: Policy.check would decode it again.
        (json.dumps(json.dumps({"channel": "call"})).encode(), "request_type"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_422(
    client: TestClient, content: bytes, problem_type: str
) -> None:
    response = client.post(
        "/v1/check", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert [p["type"] for p in response.json()["problems"]] == [problem_type]


def test_a_bad_query_parameter_has_the_same_error_shape(client: TestClient) -> None:
    response = client.post(
        "/v1/check", params={"explain": "maybe"}, json=_request("allowed-reminder-call.json")
    )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"
    assert response.json()["problems"][0]["loc"] == "query.explain"


def test_an_internal_failure_is_a_500_never_an_allow(
    service: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = fair_collect.default_policy()

    def boom(*_: object, **__: object) -> fair_collect.Verdict:
        raise RuntimeError("bug")

    monkeypatch.setattr(policy, "check", boom)
    broken = TestClient(service.create_app(policy, warm_up=False), raise_server_exceptions=False)
    request = _request("allowed-reminder-call.json")
    response = broken.post("/v1/check", json=request)
    assert response.status_code == 500
    assert response.json()["error"] == "internal_error"
    assert "outcome" not in response.json()
    many = broken.post("/v1/check-many", json=[request])
    assert many.status_code == 200
    assert many.json() == [{"index": 0, "error": "internal_error", "msg": "the check failed"}]


def test_check_many_keeps_order_and_reports_each_bad_index(client: TestClient) -> None:
    allow = _request("allowed-reminder-call.json")
    deny = _request("ny-mobile-ca-address-early-call.json")
    batch = [allow, {**allow, "channel": "fax"}, deny, "not a request", allow]
    response = client.post("/v1/check-many", json=batch)
    assert response.status_code == 200
    results = response.json()
    assert len(results) == len(batch)
    assert [r.get("outcome") for r in results] == ["allow", None, "deny", None, "allow"]
    assert results[1]["index"] == 1
    assert results[1]["error"] == "invalid_input"
    assert [p["loc"] for p in results[1]["problems"]] == ["channel"]
    assert results[3]["index"] == 3
    assert results[3]["problems"][0]["type"] == "request_type"
    assert results[2] == client.post("/v1/check", json=deny).json()


def test_check_many_takes_an_array(client: TestClient) -> None:
    response = client.post("/v1/check-many", json=_request("allowed-reminder-call.json"))
    assert response.status_code == 422
    assert response.json()["problems"][0]["type"] == "batch_type"
    assert client.post("/v1/check-many", json=[]).json() == []


def test_check_many_is_bounded(service: ModuleType, client: TestClient) -> None:
    limit = service.MAX_BATCH
    assert limit == 1000
    # Over the bound the batch is refused before any request is checked, so
    # the items need not be valid.
    response = client.post("/v1/check-many", json=[{}] * (limit + 1))
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert response.json()["limit"] == limit


def test_packs_lists_us_federal_with_its_digest(client: TestClient) -> None:
    response = client.get("/v1/packs")
    assert response.status_code == 200
    packs = {p["id"]: p for p in response.json()["packs"]}
    federal = packs["us/federal"]
    loaded = next(p for p in fair_collect.default_policy().packs if p.id == "us/federal")
    assert federal["digest"] == loaded.ref.digest
    assert federal["digest"].startswith("sha256:")
    assert federal["version"] == loaded.ref.version
    assert federal["jurisdiction"] == "US"
    assert federal["rules"] == len(loaded.rules) > 0


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def test_openapi_uses_the_fair_collect_schemas(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert {"/v1/check", "/v1/check-many", "/v1/packs", "/healthz"} <= set(doc["paths"])
    components = doc["components"]["schemas"]
    check = doc["paths"]["/v1/check"]["post"]
    body_ref = check["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request_schema = components[body_ref.rsplit("/", 1)[1]]
    assert set(request_schema["properties"]["channel"]["enum"]) == set(
        json_schema("request")["properties"]["channel"]["enum"]
    )
    assert "fax" not in request_schema["properties"]["channel"]["enum"]
    assert set(request_schema["required"]) == {"channel", "at"}
    verdict_ref = check["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert components[verdict_ref.rsplit("/", 1)[1]]["properties"]["outcome"]
    many = doc["paths"]["/v1/check-many"]["post"]
    assert many["requestBody"]["content"]["application/json"]["schema"]["maxItems"] == 1000
    # Every reference resolves inside the document (no stray "#/$defs/...").
    refs = _refs(doc)
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in components, ref


def test_an_oversized_body_is_a_413(
    service: ModuleType, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "MAX_BODY_BYTES", 64)
    response = client.post("/v1/check", json=_request("allowed-reminder-call.json"))
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
