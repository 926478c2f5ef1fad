"""Pinning packs by digest: ``load_policy(..., require_digests={...})`` loads a pack
only when its files are exactly the pinned ones; a changed byte, a pinned pack
that is not loaded or a malformed pin is a ``PackError`` naming pack and digests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import fair_collect
from fair_collect import PackError
from fair_collect.packs.loader import pack_digest, shipped_rules_root

Factory = Callable[..., dict[str, Any]]


@pytest.fixture
def wa_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped Washington pack, free to edit."""
    target = tmp_path / "wa"
    shutil.copytree(shipped_rules_root() / "us" / "wa", target)
    return target


def shipped_digest(pack_id: str) -> str:
    return pack_digest(shipped_rules_root() / pack_id)


def test_a_pinned_pack_with_its_digest_loads(request_for: Factory) -> None:
    digest = shipped_digest("us/federal")
    policy = fair_collect.load_policy(["us/federal"], require_digests={"us/federal": digest})
    verdict = policy.check(request_for())
    assert [(p.id, p.digest) for p in verdict.packs] == [("us/federal", digest)]


def test_pins_accept_bare_hex_and_any_case() -> None:
    hex_digest = shipped_digest("us/federal").removeprefix("sha256:")
    for pin in (hex_digest, hex_digest.upper(), f"sha256:{hex_digest.upper()}"):
        fair_collect.load_policy(["us/federal"], require_digests={"us/federal": pin})


def test_every_pin_of_the_shipped_packs_holds_together() -> None:
    pins = {p.id: p.ref.digest for p in fair_collect.load_policy().packs}
    assert len(pins) >= 8
    policy = fair_collect.load_policy(require_digests=pins)
    assert {p.id: p.ref.digest for p in policy.packs} == pins


def test_one_changed_byte_refuses_to_load_naming_pack_and_both_digests(wa_copy: Path) -> None:
    pinned = pack_digest(wa_copy)
    fair_collect.load_policy([wa_copy], require_digests={"us/wa": pinned})
    rules = wa_copy / "time_of_day.yaml"
    text = rules.read_text(encoding="utf-8")
    # 07:30 becomes 07:20: a harmless-looking edit that changes what the pack allows.
    rules.write_text(text.replace('start: "07:30"', 'start: "07:20"', 1), encoding="utf-8")
    changed = pack_digest(wa_copy)
    assert changed != pinned
    with pytest.raises(PackError) as caught:
        fair_collect.load_policy([wa_copy], require_digests={"us/wa": pinned})
    message = str(caught.value)
    assert "'us/wa'" in message
    assert pinned in message
    assert changed in message
    assert caught.value.problems[0].file.endswith("pack.yaml")


@pytest.mark.parametrize("edit", ["add a file", "remove a file", "rename a file"])
def test_adding_removing_or_renaming_a_file_changes_the_digest(wa_copy: Path, edit: str) -> None:
    pinned = pack_digest(wa_copy)
    if edit == "add a file":
        (wa_copy / "notes.txt").write_text("reviewed\n", encoding="utf-8")
    elif edit == "remove a file":
        next(p for p in sorted(wa_copy.glob("*.yaml")) if p.name != "pack.yaml").unlink()
    else:
        source = next(p for p in sorted(wa_copy.glob("*.yaml")) if p.name != "pack.yaml")
        source.rename(source.with_name("z_" + source.name))
    with pytest.raises(PackError, match="us/wa"):
        fair_collect.load_policy([wa_copy], require_digests={"us/wa": pinned})


def test_a_pinned_pack_that_is_not_loaded_is_an_error() -> None:
    with pytest.raises(PackError) as caught:
        fair_collect.load_policy(
            ["us/federal"],
            require_digests={
                "us/federal": shipped_digest("us/federal"),
                "us/wa": shipped_digest("us/wa"),
            },
        )
    assert "'us/wa'" in str(caught.value)
    assert "not loaded" in str(caught.value)


def test_a_malformed_pin_is_an_error() -> None:
    for pin in ("sha256:1234", "md5:" + "0" * 32, "", "sha256:" + "g" * 64):
        with pytest.raises(PackError, match="not a sha256 digest"):
            fair_collect.load_policy(["us/federal"], require_digests={"us/federal": pin})


def test_a_pack_loaded_only_for_its_word_lists_is_held_to_its_pin() -> None:
    # us/ca reads the federal word lists: a wrong federal pin must refuse the
    # policy even though the federal rules do not run in it.
    fair_collect.load_policy(
        ["us/ca"], require_digests={"us/federal": shipped_digest("us/federal")}
    )
    with pytest.raises(PackError) as caught:
        fair_collect.load_policy(["us/ca"], require_digests={"us/federal": "sha256:" + "0" * 64})
    assert "'us/federal'" in str(caught.value)
    assert "0" * 64 in str(caught.value)


def test_unpinned_packs_load_beside_pinned_ones() -> None:
    policy = fair_collect.load_policy(
        ["us/federal", "us/wa"], require_digests={"us/wa": shipped_digest("us/wa")}
    )
    assert {p.id for p in policy.packs} == {"us/federal", "us/wa"}
