"""Machine instructions per ``Policy.check``, counted by valgrind: a measure
that does not drift with the machine's speed.

Wall-clock medians on a shared VM move by 2-3x between runs of the same code,
which hides a 10-20% change. Instruction counts move by well under 1%. This
script runs the benchmark workload of ``bench_check.py`` under callgrind,
counting only the checks themselves (the measured loop runs inside
``functools.reduce``, whose C function toggles collection on and off, so
import, pack loading and request building are not counted).

Run: ``python bench/instructions.py [--events 20] [--only all|allowed|denied]
[--input model|dict|json]`` (needs ``valgrind``; one to three minutes per
run). ``--input`` is what each check is given: a validated model (the
default), a Python dict or JSON text (validation counted too).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _measured_run(events: int, only: str, count: int, given: str, packs: list[str] | None) -> None:
    """The child process: build the workload, warm up, then check inside reduce."""
    sys.path.insert(0, str(HERE))
    import bench_check
    import fair_collect

    rng = random.Random(20261129)
    dicts = [bench_check.make_request(rng, i, events) for i in range(count)]
    models = [fair_collect.parse_request(d) for d in dicts]
    policy = fair_collect.load_policy(packs)
    verdicts = [policy.check(m) for m in models]  # warm-up: caches, zone tables, code paths
    inputs: list[object] = {
        "model": models,
        "dict": dicts,
        "json": [json.dumps(d) for d in dicts],
    }[given]
    if only != "all":
        inputs = [
            x for x, v in zip(inputs, verdicts, strict=True) if v.allowed == (only == "allowed")
        ]
    check = policy.check

    def loop(_a: int, _b: int) -> int:
        for item in inputs:
            check(item)  # type: ignore[arg-type]
        return 0

    functools.reduce(loop, [0, 1])
    print(f"checks={len(inputs)}")


#: Runs of the speed reference ``sum(range(1000))`` counted in one child.
REFERENCE_RUNS = 1000
#: The reference's best time on the development machine, in µs: instructions
#: divided by the reference's convert to µs at that speed.
BEST_REFERENCE_US = 6.6


def _reference_run() -> None:
    """The child process of ``reference_instructions``."""

    def loop(_a: int, _b: int) -> int:
        for _ in range(REFERENCE_RUNS):
            sum(range(1000))
        return 0

    functools.reduce(loop, [0, 1])


def reference_instructions() -> float:
    """Instructions of one speed reference, ``sum(range(1000))``, under callgrind."""
    return callgrind(Path(__file__), ["--reference"])[0] / REFERENCE_RUNS


def callgrind(script: Path, args: list[str]) -> tuple[int, str]:
    """Run ``script`` with ``args`` under callgrind, counting only what runs
    inside ``functools.reduce`` (the measured loop); return the instructions
    counted and the script's standard output. ``PYTHONHASHSEED`` is fixed so
    that runs repeat."""
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--toggle-collect=functools_reduce",
                f"--callgrind-out-file={Path(tmp) / 'callgrind.out'}",
                sys.executable,
                str(script),
                *args,
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
    collected = re.search(r"Collected : (\d+)", result.stderr)
    if not collected:
        sys.exit(f"could not read callgrind output:\n{result.stderr[-2000:]}")
    return int(collected.group(1)), result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--only", choices=("all", "allowed", "denied"), default="all")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--input", choices=("model", "dict", "json"), default="model")
    parser.add_argument("--packs", nargs="*", default=None, help="pack ids (default: all shipped)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        _reference_run()
        return
    if args.child:
        _measured_run(args.events, args.only, args.requests, args.input, args.packs)
        return
    instructions, stdout = callgrind(
        Path(__file__),
        [
            "--child",
            f"--events={args.events}",
            f"--only={args.only}",
            f"--requests={args.requests}",
            f"--input={args.input}",
            *(["--packs", *args.packs] if args.packs is not None else []),
        ],
    )
    checks = re.search(r"checks=(\d+)", stdout)
    if not checks:
        sys.exit(f"could not read the child's output:\n{stdout[-2000:]}")
    per_check = instructions / int(checks.group(1))
    print(
        f"{per_check:,.0f} instructions per check "
        f"({checks.group(1)} {args.only} checks, {args.events}-event histories,"
        f" {args.input} input, packs: {' '.join(args.packs) if args.packs else 'all'})"
    )


if __name__ == "__main__":
    main()
