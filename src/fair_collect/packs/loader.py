"""Finding and reading rule packs from disk, with every problem located.

A pack is a folder with ``pack.yaml``. ``load_pack_dir`` reads it and its rule
files into specs and collects *every* problem (not just the first) into one
``PackError``, each with file, line, rule id and field, and a "did you mean"
for misspelt keys.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from fair_collect.checks.base import suggest
from fair_collect.errors import PackError, PackProblem
from fair_collect.packs.schema import PackSpec, RuleSpec
from fair_collect.packs.yamlsource import LineMap, YamlProblem, read_yaml
from fair_collect.text.lexicon import WordEntry, WordListFile

__all__ = [
    "LoadedPack",
    "LoadedRule",
    "digest_problems",
    "find_pack_dirs",
    "load_pack_dir",
    "load_pack_dirs",
    "pack_digest",
    "pinned_digests",
    "shipped_rules_root",
    "validation_problems",
]

PACK_FILE = "pack.yaml"
#: The folder of a pack that holds its word lists (data for the wording rules).
WORDLISTS_DIR = "wordlists"


@dataclass(frozen=True, slots=True)
class LoadedRule:
    spec: RuleSpec
    file: str
    lines: LineMap
    path: tuple[int | str, ...]  # where the rule sits in its file

    def line(self, *more: int | str) -> int | None:
        return self.lines.line((*self.path, *more))


@dataclass(frozen=True, slots=True)
class LoadedPack:
    spec: PackSpec
    root: Path
    rules: tuple[LoadedRule, ...]
    digest: str
    pack_lines: LineMap
    #: The entries of the pack's word lists (``wordlists/*.yaml``), in file order.
    words: tuple[WordEntry, ...] = ()


def shipped_rules_root() -> Path:
    """The ``rules/`` folder: inside the installed package, or beside ``src/`` in a checkout."""
    packaged = resources.files("fair_collect") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[3] / "rules"
    if checkout.is_dir():
        return checkout
    raise PackError([PackProblem("rules/", None, "the shipped rule packs are not installed")])


def find_pack_dirs(root: Path) -> list[Path]:
    """Every folder under ``root`` (itself included) that holds a ``pack.yaml``, sorted."""
    found = [root] if (root / PACK_FILE).is_file() else []
    found.extend(p.parent for p in sorted(root.rglob(PACK_FILE)) if p.parent != root)
    return sorted(set(found))


def _pack_files(root: Path) -> list[Path]:
    """Files that make up a pack: its folder, minus nested packs and hidden files."""
    nested = {p.parent for p in root.rglob(PACK_FILE) if p.parent != root}
    files = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if any(n in path.parents for n in nested) or "__pycache__" in path.parts:
            continue
        files.append(path)
    return files


def pack_digest(root: Path) -> str:
    """sha256 over the pack's files (relative names and bytes), in sorted order."""
    digest = hashlib.sha256()
    for path in _pack_files(root):
        name = path.relative_to(root).as_posix().encode("utf-8")
        data = path.read_bytes()
        digest.update(len(name).to_bytes(4, "big") + name + len(data).to_bytes(8, "big") + data)
    return f"sha256:{digest.hexdigest()}"


#: A pinned digest: ``sha256:`` (optional) and 64 hex digits.
_SHA256_PIN = re.compile(r"(?:sha256:)?([0-9a-f]{64})")


def pinned_digests(require_digests: Mapping[str, str]) -> tuple[dict[str, str], list[PackProblem]]:
    """The pinned digests in the form packs report them (``sha256:<hex>``)."""
    pins: dict[str, str] = {}
    problems = []
    for pack_id, digest in require_digests.items():
        match = _SHA256_PIN.fullmatch(digest.strip().lower()) if isinstance(digest, str) else None
        if match is None:
            problems.append(
                PackProblem(
                    "require_digests",
                    None,
                    f"pack {pack_id!r} is pinned to {digest!r}, which is not a sha256 digest"
                    " ('sha256:' and 64 hex digits)",
                )
            )
        else:
            pins[pack_id] = f"sha256:{match.group(1)}"
    return pins, problems


def digest_problems(
    pins: Mapping[str, str], packs: Iterable[tuple[str, str, str]]
) -> list[PackProblem]:
    """A problem for each ``(id, digest, file)`` whose digest is not the pinned one."""
    return [
        PackProblem(
            file,
            None,
            f"pack {pack_id!r} has digest {digest}, but {pins[pack_id]} is required"
            " (require_digests): its files changed since it was pinned",
        )
        for pack_id, digest, file in packs
        if pack_id in pins and digest != pins[pack_id]
    ]


def _display(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _field_names(model: type[BaseModel]) -> list[str]:
    names = []
    for name, info in model.model_fields.items():
        names.append(info.alias or name)
    return names


def _model_at(root: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The model class that owns the last element of ``loc`` (for "did you mean")."""
    current: Any = root
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            field = next((f for f in current.model_fields.values() if f.alias == part), None)
        if field is None:
            return None
        annotation = field.annotation
        candidates = [annotation]
        while candidates:
            ann = candidates.pop()
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                current = ann
                break
            if get_origin(ann) is not None or get_args(ann):
                candidates.extend(get_args(ann))
        else:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def validation_problems(
    exc: ValidationError,
    model: type[BaseModel],
    file: str,
    lines: LineMap,
    base_path: tuple[int | str, ...] = (),
    rule_id: str | None = None,
    field_prefix: tuple[int | str, ...] = (),
) -> list[PackProblem]:
    """Turn pydantic errors into located pack problems, with "did you mean" for unknown keys."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden" and loc:
            owner = _model_at(model, loc)
            key = str(loc[-1])
            msg = f"unknown key {key!r}"
            if owner is not None:
                msg += suggest(key, _field_names(owner))
        field = ".".join(str(p) for p in (*field_prefix, *loc)) or None
        problems.append(
            PackProblem(
                file=file,
                line=lines.line((*base_path, *loc)),
                msg=msg,
                rule_id=rule_id,
                field=field,
            )
        )
    return problems


def _rule_id_of(raw: Any) -> str | None:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return str(raw["id"])
    return None


def _load_rule_file(path: Path, display: str) -> tuple[list[LoadedRule], list[PackProblem]]:
    try:
        data, lines = read_yaml(path, display)
    except YamlProblem as exc:
        return [], [exc.problem]
    if not isinstance(data, dict):
        return [], [PackProblem(display, 1, "a rule file is a mapping with a 'rules' list")]
    problems: list[PackProblem] = []
    rules: list[LoadedRule] = []
    extra = set(data) - {"rules"}
    for key in sorted(extra):
        problems.append(
            PackProblem(
                display, lines.line((key,)), f"unknown key {key!r}" + suggest(key, ["rules"])
            )
        )
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        problems.append(
            PackProblem(display, lines.line(("rules",)), "'rules' must be a non-empty list")
        )
        return rules, problems
    for index, raw in enumerate(raw_rules):
        path_ = ("rules", index)
        try:
            spec = RuleSpec.model_validate(raw)
        except ValidationError as exc:
            problems.extend(
                validation_problems(exc, RuleSpec, display, lines, path_, rule_id=_rule_id_of(raw))
            )
            continue
        rules.append(LoadedRule(spec=spec, file=display, lines=lines, path=path_))
    return rules, problems


def load_pack_dir(root: Path, base: Path | None = None) -> LoadedPack:
    """Read one pack folder. Raises ``PackError`` listing every problem found."""
    pack_path = root / PACK_FILE
    display = _display(pack_path, base)
    problems: list[PackProblem] = []
    try:
        data, pack_lines = read_yaml(pack_path, display)
    except YamlProblem as exc:
        raise PackError([exc.problem]) from None
    try:
        spec = PackSpec.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise PackError(validation_problems(exc, PackSpec, display, pack_lines)) from None

    if spec.rule_files is not None:
        rule_paths = []
        for name in spec.rule_files:
            candidate = (root / name).resolve()
            if root.resolve() not in candidate.parents or not candidate.is_file():
                problems.append(
                    PackProblem(
                        display,
                        pack_lines.line(("rule_files",)),
                        f"rule file {name!r} not found in the pack",
                    )
                )
                continue
            rule_paths.append(candidate)
    else:
        rule_paths = sorted(p for p in root.glob("*.yaml") if p.name != PACK_FILE)
    if not rule_paths and not problems:
        problems.append(PackProblem(display, None, "the pack has no rule files"))

    rules: list[LoadedRule] = []
    for path in rule_paths:
        loaded, found = _load_rule_file(path, _display(path, base))
        rules.extend(loaded)
        problems.extend(found)

    seen: dict[str, LoadedRule] = {}
    for rule in rules:
        rid = rule.spec.id
        if not rid.startswith(spec.rule_prefix):
            problems.append(
                PackProblem(
                    rule.file,
                    rule.line("id"),
                    f"rule ids in pack {spec.id!r} start with {spec.rule_prefix!r}",
                    rule_id=rid,
                    field="id",
                )
            )
        if rid in seen:
            first = seen[rid]
            problems.append(
                PackProblem(
                    rule.file,
                    rule.line("id"),
                    f"duplicate rule id (first defined at {first.file}:{first.line('id')})",
                    rule_id=rid,
                    field="id",
                )
            )
        else:
            seen[rid] = rule
    words: list[WordEntry] = []
    for path in sorted((root / WORDLISTS_DIR).glob("*.yaml")):
        entries, found = _load_word_list(path, _display(path, base))
        words.extend(entries)
        problems.extend(found)
    if problems:
        raise PackError(problems)
    return LoadedPack(
        spec=spec,
        root=root,
        rules=tuple(rules),
        digest=pack_digest(root),
        pack_lines=pack_lines,
        words=tuple(words),
    )


def _load_word_list(path: Path, display: str) -> tuple[list[WordEntry], list[PackProblem]]:
    """The entries of one word-list file, each problem located by line."""
    try:
        data, lines = read_yaml(path, display)
    except YamlProblem as exc:
        return [], [exc.problem]
    try:
        spec = WordListFile.model_validate(data if data is not None else {})
    except ValidationError as exc:
        return [], validation_problems(exc, WordListFile, display, lines)
    entries: list[WordEntry] = []
    problems: list[PackProblem] = []
    for index, entry in spec.resolved():
        if isinstance(entry, str):
            problems.append(
                PackProblem(
                    display, lines.line(("entries", index)), entry, field=f"entries.{index}"
                )
            )
        else:
            entries.append(entry)
    return entries, problems


def load_pack_dirs(roots: Iterable[Path], base: Path | None = None) -> list[LoadedPack]:
    """Load several packs, gathering the problems of all of them into one error."""
    packs: list[LoadedPack] = []
    problems: list[PackProblem] = []
    for root in roots:
        try:
            packs.append(load_pack_dir(root, base))
        except PackError as exc:
            problems.extend(exc.problems)
    ids: dict[str, LoadedPack] = {}
    for pack in packs:
        if pack.spec.id in ids:
            problems.append(
                PackProblem(
                    _display(pack.root / PACK_FILE, base),
                    pack.pack_lines.line(("id",)),
                    f"pack id {pack.spec.id!r} is also used by {_display(ids[pack.spec.id].root, base)}",
                )
            )
        ids[pack.spec.id] = pack
    if problems:
        raise PackError(problems)
    return packs
