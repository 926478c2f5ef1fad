"""mkdocs hooks: generate the reference pages from the shipped rule packs at build time.

``on_config`` loads every shipped pack with ``fair_collect.load_policy`` (a
pack that does not load fails the build), renders the pages with
``rule_reference.render_reference`` and puts the generated pages into the
navigation; ``on_files`` adds them to the site. Nothing is written to
``docs/``.
"""

from __future__ import annotations

import contextlib
import io
import os
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from rule_reference import CLI_COMMANDS, nav_entries, render_reference

import fair_collect
from fair_collect.cli import main as cli_main
from fair_collect.schemas import SCHEMA_NAMES, schema_text

_pages: dict[str, str] = {}


def _expand(items: Any, sections: dict[str, list[Any]], found: set[str]) -> Any:
    """The nav with each generated section's index entry replaced by the whole section."""
    if isinstance(items, list):
        return [_expand(item, sections, found) for item in items]
    if isinstance(items, dict):
        expanded = {}
        for title, value in items.items():
            if isinstance(value, str) and value in sections:
                found.add(value)
                expanded[title] = sections[value]
            else:
                expanded[title] = _expand(value, sections, found)
        return expanded
    return items


def _help(command: tuple[str, ...]) -> str:
    """``fair-collect COMMAND --help``, wrapped at 88 columns whatever the terminal."""
    out = io.StringIO()
    width = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "88"
    try:
        with contextlib.redirect_stdout(out):
            status = cli_main([*command, "--help"])
    finally:
        if width is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = width
    if status != 0:
        raise PluginError(f"fair-collect {' '.join(command)} --help exited {status}")
    return out.getvalue()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    policy = fair_collect.load_policy()
    packs = policy.packs
    schemas = {name: schema_text(name) for name in SCHEMA_NAMES}
    _pages.clear()
    helps = {command: _help(command) for command in CLI_COMMANDS}
    _pages.update(render_reference(packs, fair_collect.DEFAULT_CHECKS, schemas, helps))
    sections = nav_entries(packs, schemas)
    found: set[str] = set()
    config.nav = _expand(config.nav, sections, found)
    missing = sorted(set(sections) - found)
    if missing:
        raise PluginError(f"mkdocs.yml nav has no entry for the generated pages {missing}")
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for path, content in _pages.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"{path} is generated; remove it from the docs folder")
        files.append(File.generated(config, path, content=content))
    return files
