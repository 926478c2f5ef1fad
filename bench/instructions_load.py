"""Machine instructions of a cold start, counted by valgrind (does not drift).

``bench/run.py`` times W4 (import + ``load_policy()`` of every shipped pack
in a fresh interpreter) in milliseconds, which move 2-4x with the load on a
shared machine. This script counts, under callgrind, the instructions of the
same two steps in a fresh interpreter each: ``import fair_collect``, and
``load_policy()`` after the import. The word-list key cache
(``fair_collect.text.keycache``) is written first by an uncounted run, as on
every start after a machine's first. Dividing by the speed reference
(``sum(range(1000))``, counted here too) converts to milliseconds on any
machine.

Run: ``python bench/instructions_load.py`` (needs ``valgrind``; about two
minutes).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from instructions import BEST_REFERENCE_US, callgrind, reference_instructions  # noqa: E402


def _measured_run(part: str) -> None:
    """The child process: the counted step runs inside ``functools.reduce``."""
    if part == "import":
        functools.reduce(lambda _a, _b: bool(importlib.import_module("fair_collect")), [0, 1])
        return
    fair_collect = importlib.import_module("fair_collect")
    rules = functools.reduce(lambda _a, _b: len(fair_collect.load_policy().rules), [0, 1])
    print(f"rules={rules}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _measured_run(args.child)
        return
    # Uncounted: writes the key cache if this machine has none for these lists.
    subprocess.run(
        [sys.executable, "-c", "import fair_collect; fair_collect.load_policy()"], check=True
    )
    reference = reference_instructions()
    counts = {part: callgrind(Path(__file__), ["--child", part]) for part in ("import", "load")}
    rules = re.search(r"rules=(\d+)", counts["load"][1])
    print(f"speed reference sum(range(1000)): {reference:,.0f} instructions")
    for part, label in (("import", "import fair_collect"), ("load", "load_policy(), all packs")):
        instructions = counts[part][0]
        print(
            f"{label}: {instructions:,} instructions = {instructions / reference:,.0f} references"
            f" (~{instructions / reference * BEST_REFERENCE_US / 1000:,.0f} ms at the"
            f" {BEST_REFERENCE_US} µs reference)"
        )
    if rules:
        print(f"({rules.group(1)} rules loaded)")


if __name__ == "__main__":
    main()
