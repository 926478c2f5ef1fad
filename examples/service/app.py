"""An HTTP front for fair_collect, for a backend that is not written in Python.

A Java or Go service POSTs the proposed action (SPEC section 2) before it
sends anything and gets the verdict (SPEC section 3) back. The contract:

- ``POST /v1/check``: 200 with the verdict for an allow *and* for a deny (a
  deny is an answer, not an HTTP error: read ``outcome``); 422 for a request
  fair_collect rejects; 413 for a body over the size bound; 500 for an
  internal failure. Only a 200 whose ``outcome`` is ``"allow"`` means send.
- ``POST /v1/check-many``: an array of at most ``MAX_BATCH`` requests; the
  answer is an array in the same order, each item a verdict or an error
  object for that index, so one bad request does not fail the others.
- ``GET /v1/packs``: the loaded packs with version and digest, so the caller
  can record which law it ran.
- ``GET /healthz``.

The request body is read as raw JSON and handed to ``Policy.check`` as it
is, not declared as a pydantic body model: the validation and the field
paths of every error are fair_collect's own, the same as the library and the
CLI give. The OpenAPI document (``/openapi.json``) carries fair_collect's
JSON Schemas for the request and the verdict, so a client can be generated
from it.

Run from the repository root: ``uvicorn examples.service.app:app`` or
``python -m examples.service.app`` (see README.md beside this file).
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

import fair_collect
from fair_collect import FieldProblem, InputError, Policy, Verdict
from fair_collect.schemas import json_schema

__all__ = ["MAX_BATCH", "MAX_BODY_BYTES", "app", "create_app"]

log = logging.getLogger("fair_collect.service")

#: Most requests one ``/v1/check-many`` call may carry. Bounds the work (and
#: the latency) of one call; a caller with more sends several calls.
MAX_BATCH = 1000
#: Largest body accepted, read before any parsing so that an oversized upload
#: cannot exhaust memory. Generous: a request with a long history is ~100 KB.
MAX_BODY_BYTES = 16 * 1024 * 1024

_JSON = "application/json"


class _TooLarge(Exception):
    """The body (or the batch) is over its bound: answered with 413."""

    def __init__(self, msg: str, limit: int) -> None:
        super().__init__(msg)
        self.msg = msg
        self.limit = limit


# ----------------------------------------------------------------- bodies


async def _json_body(request: Request) -> Any:
    """The body parsed as JSON, unvalidated: fair_collect validates it.

    An async dependency, so the (I/O) read happens on the event loop and the
    (CPU-bound) endpoint that receives the value can be a plain ``def``.
    """
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _TooLarge(f"the body is over {MAX_BODY_BYTES} bytes", MAX_BODY_BYTES)
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
        raise InputError(
            [FieldProblem(loc="", type="json_invalid", msg=f"the body is not JSON ({reason})")]
        ) from None


_JSON_TYPES = {
    type(None): "null",
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    list: "array",
}


def _as_request(item: Any) -> dict[str, Any]:
    """Only a JSON object is a request.

    ``Policy.check`` also accepts JSON *text*; without this, a body that is a
    JSON string holding a request would be decoded a second time and
    accepted, which hides a client bug.
    """
    if not isinstance(item, dict):
        kind = _JSON_TYPES.get(type(item), type(item).__name__)
        raise InputError(
            [
                FieldProblem(
                    loc="", type="request_type", msg=f"a request is a JSON object, got {kind}"
                )
            ]
        )
    return item


def _verdict_json(verdict: Verdict, explain: bool) -> dict[str, Any]:
    """The verdict as the CLI prints it: the trace only when asked for."""
    body = verdict.model_dump(mode="json")
    if not explain:
        body.pop("explanation", None)
    return body


# Module-level: with postponed annotations FastAPI resolves them by name here.
JsonBody = Annotated[Any, Depends(_json_body)]
Explain = Annotated[bool, Query(description="add the rule-by-rule trace")]


# ---------------------------------------------------------------- OpenAPI


def _hoist(schema: dict[str, Any], name: str, components: dict[str, Any]) -> None:
    """Put a fair_collect JSON Schema into ``components/schemas`` as ``name``.

    Its ``$defs`` become components of their own and every ``#/$defs/X`` is
    rewritten to ``#/components/schemas/X``: inside an OpenAPI document a
    ``#/$defs`` pointer would resolve against the document root, not the
    schema, and code generators would not find the definitions.
    """
    body = copy.deepcopy(schema)
    body.pop("$schema", None)
    defs = body.pop("$defs", {})

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: (
                    "#/components/schemas/" + value.removeprefix("#/$defs/")
                    if key == "$ref" and isinstance(value, str)
                    else rewrite(value)
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [rewrite(value) for value in node]
        return node

    for def_name, def_schema in [*defs.items(), (name, body)]:
        new = rewrite(def_schema)
        if components.get(def_name, new) != new:
            # Two schemas with one name would silently corrupt the document.
            raise RuntimeError(f"OpenAPI component {def_name!r} defined twice, differently")
        components[def_name] = new


_PROBLEM = {
    "type": "object",
    "required": ["loc", "type", "msg"],
    "properties": {
        "loc": {"type": "string", "description": "dotted path of the field; '' for the body"},
        "type": {"type": "string", "description": "stable slug"},
        "msg": {"type": "string", "description": "for people"},
    },
}
_EXTRA_COMPONENTS: dict[str, Any] = {
    "InputErrorBody": {
        "type": "object",
        "description": "The request is not valid (InputError.to_json()). Never an allow.",
        "required": ["error", "problems"],
        "properties": {
            "error": {"type": "string", "const": "invalid_input"},
            "problems": {"type": "array", "items": _PROBLEM},
        },
    },
    "ErrorBody": {
        "type": "object",
        "description": "Too large, or an internal failure. Never an allow.",
        "required": ["error", "msg"],
        "properties": {
            "error": {"type": "string", "enum": ["too_large", "internal_error"]},
            "msg": {"type": "string"},
            "limit": {"type": "integer"},
        },
    },
    "ItemError": {
        "type": "object",
        "description": "check-many: the request at `index` was not decided. Never an allow.",
        "required": ["index", "error"],
        "properties": {
            "index": {"type": "integer"},
            "error": {"type": "string", "enum": ["invalid_input", "internal_error"]},
            "problems": {"type": "array", "items": _PROBLEM},
            "msg": {"type": "string"},
        },
    },
    "PackInfo": {
        "type": "object",
        "required": ["id", "version", "digest", "jurisdiction", "rules"],
        "properties": {
            "id": {"type": "string"},
            "version": {"type": "string"},
            "digest": {"type": "string"},
            "jurisdiction": {"type": "string"},
            "rules": {"type": "integer", "description": "number of rules in the pack"},
        },
    },
    "PacksBody": {
        "type": "object",
        "required": ["fair_collect_version", "packs"],
        "properties": {
            "fair_collect_version": {"type": "string"},
            "packs": {"type": "array", "items": {"$ref": "#/components/schemas/PackInfo"}},
        },
    },
}


_HEALTH = {
    "type": "object",
    "required": ["status", "packs"],
    "properties": {"status": {"type": "string", "const": "ok"}, "packs": {"type": "integer"}},
}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _content(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {_JSON: {"schema": schema}}}


_ERRORS = {
    "413": _content(_ref("ErrorBody"), "Body or batch over its bound. Do not send."),
    "422": _content(_ref("InputErrorBody"), "Invalid request. Do not send."),
    "500": _content(_ref("ErrorBody"), "Internal failure. Do not send."),
}
_CHECK_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {_JSON: {"schema": _ref("CheckRequest")}},
    },
    "responses": {
        "200": _content(_ref("Verdict"), "The verdict, allow or deny: read `outcome`."),
        **_ERRORS,
    },
}
_CHECK_MANY_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {
            _JSON: {
                "schema": {"type": "array", "maxItems": MAX_BATCH, "items": _ref("CheckRequest")}
            }
        },
    },
    "responses": {
        "200": _content(
            {
                "type": "array",
                "items": {"oneOf": [_ref("Verdict"), _ref("ItemError")]},
            },
            "One item per request, in order: a verdict or an ItemError.",
        ),
        **_ERRORS,
    },
}


def _openapi_factory(app: FastAPI) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            components: dict[str, Any] = doc.setdefault("components", {}).setdefault("schemas", {})
            # FastAPI's own 422 shape is never returned (see the handler below).
            components.pop("HTTPValidationError", None)
            components.pop("ValidationError", None)
            _hoist(json_schema("request"), "CheckRequest", components)
            _hoist(json_schema("verdict"), "Verdict", components)
            for name, schema in _EXTRA_COMPONENTS.items():
                components[name] = schema
            app.openapi_schema = doc
        return app.openapi_schema

    return openapi


# -------------------------------------------------------------------- app


def create_app(policy: Policy | None = None, *, warm_up: bool = True) -> FastAPI:
    """The service over ``policy``; by default every shipped pack.

    The packs are loaded here, once, before the first request: a pack that
    does not load raises ``PackError`` and the server does not start, rather
    than answering with a half-loaded policy. ``warm_up`` (``Policy.warm_up``)
    loads the ZIP database, time zones and phone metadata now, so that the
    first requests are as fast as the rest.
    """
    policy = policy if policy is not None else fair_collect.default_policy()
    if warm_up:
        policy.warm_up()
    app = FastAPI(
        title="fair_collect",
        version=fair_collect.__version__,
        description=(
            "Pre-send compliance gate for debt collection. Send only when the "
            "status is 200 and `outcome` is `allow`; anything else means do not send."
        ),
    )
    app.openapi = _openapi_factory(app)  # type: ignore[method-assign]

    @app.exception_handler(InputError)
    def _input_error(_: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(exc.to_json(), status_code=422)

    @app.exception_handler(RequestValidationError)
    def _query_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        # A bad query parameter (``explain=maybe``): the same shape as a bad body.
        problems = [
            FieldProblem(
                loc=".".join(str(part) for part in err.get("loc", ())),
                type=str(err.get("type", "invalid")),
                msg=str(err.get("msg", "")),
            )
            for err in exc.errors()
        ]
        return JSONResponse(InputError(problems).to_json(), status_code=422)

    @app.exception_handler(_TooLarge)
    def _too_large(_: Request, exc: _TooLarge) -> JSONResponse:
        return JSONResponse(
            {"error": "too_large", "msg": exc.msg, "limit": exc.limit}, status_code=413
        )

    @app.exception_handler(Exception)
    def _internal(_: Request, exc: Exception) -> JSONResponse:
        # Never an allow, and no traceback to the caller; the log has it.
        log.error("internal error", exc_info=exc)
        return JSONResponse(
            {"error": "internal_error", "msg": "the check failed; do not send"}, status_code=500
        )

    # The endpoints below are plain ``def``: the check is CPU-bound and the
    # Policy is immutable and thread-safe, so FastAPI runs them in its thread
    # pool without blocking the event loop, all sharing the one policy.

    @app.post(
        "/v1/check",
        summary="Decide one proposed action",
        response_class=JSONResponse,
        openapi_extra=_CHECK_OPENAPI,
    )
    def check(body: JsonBody, explain: Explain = False) -> JSONResponse:
        verdict = policy.check(_as_request(body), explain=explain)
        return JSONResponse(_verdict_json(verdict, explain))

    @app.post(
        "/v1/check-many",
        summary="Decide up to 1000 proposed actions, each on its own",
        response_class=JSONResponse,
        openapi_extra=_CHECK_MANY_OPENAPI,
    )
    def check_many(body: JsonBody, explain: Explain = False) -> JSONResponse:
        if not isinstance(body, list):
            raise InputError(
                [
                    FieldProblem(
                        loc="",
                        type="batch_type",
                        msg="check-many takes a JSON array of requests",
                    )
                ]
            )
        if len(body) > MAX_BATCH:
            raise _TooLarge(f"{len(body)} requests; at most {MAX_BATCH} per call", MAX_BATCH)
        # Not ``policy.check_many``: it stops at the first invalid request, and
        # here each index gets its own answer.
        results: list[dict[str, Any]] = []
        for index, item in enumerate(body):
            try:
                verdict = policy.check(_as_request(item), explain=explain)
            except InputError as exc:
                results.append({"index": index, **exc.to_json()})
            except Exception as exc:
                log.error("internal error on item %d", index, exc_info=exc)
                results.append(
                    {"index": index, "error": "internal_error", "msg": "the check failed"}
                )
            else:
                results.append(_verdict_json(verdict, explain))
        return JSONResponse(results)

    @app.get(
        "/v1/packs",
        summary="The loaded rule packs",
        response_class=JSONResponse,
        openapi_extra={"responses": {"200": _content(_ref("PacksBody"), "The packs.")}},
    )
    def packs() -> JSONResponse:
        return JSONResponse(
            {
                "fair_collect_version": fair_collect.__version__,
                "packs": [
                    {
                        "id": pack.id,
                        "version": pack.ref.version,
                        "digest": pack.ref.digest,
                        "jurisdiction": pack.jurisdiction,
                        "rules": len(pack.rules),
                    }
                    for pack in policy.packs
                ],
            }
        )

    @app.get(
        "/healthz",
        summary="Liveness",
        response_class=JSONResponse,
        openapi_extra={"responses": {"200": _content(_HEALTH, "The service is up.")}},
    )
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "packs": len(policy.packs)})

    return app


app = create_app()


if __name__ == "__main__":
    import os

    import uvicorn  # not a dependency of fair_collect: pip install uvicorn

    uvicorn.run(
        app, host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8000"))
    )
