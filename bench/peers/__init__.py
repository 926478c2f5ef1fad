"""The benchmark subset implemented on general rules engines, and in plain Python.

Each peer module has ``TITLE``, ``DISTRIBUTION`` (the package it needs, None
for none) and ``build()``, which compiles the subset once and returns
``decide(request) -> frozenset of deny codes``. ``decide`` takes the request
dict, extracts the facts in Python (``facts.extract``) and asks the engine.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

#: Peer name -> module, in the order the results table lists them.
MODULES = {
    "plain": "peers.plain",
    "zen": "peers.zen",
    "cedar": "peers.cedar",
    "rule-engine": "peers.rule_engine_peer",
    "durable-rules": "peers.durable",
}

Decide = Callable[[dict[str, Any]], frozenset[str]]


def module(name: str) -> ModuleType:
    return importlib.import_module(MODULES[name])
