"""JSON Schemas of the request, the verdict and the pack files, generated from
the models, so that a backend in another language can validate what it sends
and reads without running Python.

``fair-collect schema NAME`` prints one; ``schemas/*.schema.json`` in the
repository are the committed copies (a test keeps them current). The schemas
describe shape and types. Checks that need code (a phone number that
``phonenumbers`` accepts, an IANA zone, debt ids that ``debts`` lists, a
rule's check parameters, which depend on the check kind) are made by
``parse_request`` and the pack loader, which name the field of each problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

__all__ = ["SCHEMA_NAMES", "json_schema", "schema_text"]

SchemaName = Literal["request", "verdict", "pack", "rules", "wordlist"]


@dataclass(frozen=True, slots=True)
class _Source:
    model: str  # "module:Class", imported on demand
    mode: Literal["validation", "serialization"]
    title: str


_SOURCES: dict[str, _Source] = {
    "request": _Source(
        "fair_collect.model:ProposedAction",
        "validation",
        "fair_collect request (a proposed action)",
    ),
    "verdict": _Source("fair_collect.verdict:Verdict", "serialization", "fair_collect verdict"),
    "pack": _Source("fair_collect.packs.schema:PackSpec", "validation", "fair_collect pack.yaml"),
    "rules": _Source(
        "fair_collect.packs.schema:RuleFileSpec", "validation", "fair_collect rule file"
    ),
    "wordlist": _Source(
        "fair_collect.text.lexicon:WordListFile", "validation", "fair_collect word list file"
    ),
}

#: The schemas there are, in the order ``fair-collect schema`` lists them.
SCHEMA_NAMES: tuple[str, ...] = tuple(_SOURCES)


def _model(spec: str) -> type[BaseModel]:
    module_name, _, class_name = spec.partition(":")
    module = __import__(module_name, fromlist=[class_name])
    model: type[BaseModel] = getattr(module, class_name)
    return model


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) named ``name`` (see ``SCHEMA_NAMES``)."""
    source = _SOURCES.get(name)
    if source is None:
        raise KeyError(f"no schema {name!r} (known: {', '.join(SCHEMA_NAMES)})")
    body = _model(source.model).model_json_schema(mode=source.mode)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **body,
        "title": source.title,
    }


def schema_text(name: str) -> str:
    """``json_schema(name)`` as the text of the committed copy: sorted keys, two
    spaces, UTF-8 characters kept, a final newline (stable for diffs)."""
    return json.dumps(json_schema(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
