"""Machine instructions per wording analysis, counted by valgrind (does not drift).

Wall-clock timings of ``bench_wording.py`` move 2-5x with the load on a
shared machine. This script counts, under callgrind, the instructions of the
analysis that ``bench_wording.py`` times (``Lexicon.scan`` plus
``find_personal_data``) for the 300-character messages of each kind, and of
the speed reference ``sum(range(1000))``. Dividing the two gives the
analysis in units of the reference, which converts to microseconds on any
machine by timing the reference there (its best time on the development
machine was 6.6 µs).

Run: ``python bench/instructions_wording.py`` (needs ``valgrind``; a few
minutes).
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from instructions import BEST_REFERENCE_US, callgrind, reference_instructions  # noqa: E402


def _measured_run(kind: str, count: int) -> None:
    """The child process: build the workload, warm up, then measure inside reduce."""
    import bench_wording
    import fair_collect
    from fair_collect.text.personal_data import find_personal_data

    lexicon = fair_collect.load_policy().lexicon
    texts = bench_wording.variants(bench_wording.KINDS[kind], count)
    for text in texts:  # warm-up: caches, tables
        lexicon.scan(text)
        find_personal_data(text, default_region="US")

    def analyse(_a: int, _b: int) -> int:
        for text in texts:
            lexicon.scan(text)
            find_personal_data(text, default_region="US")
        return 0

    functools.reduce(analyse, [0, 1])
    print(f"runs={len(texts)}")


def _count(kind: str, count: int) -> float:
    instructions, stdout = callgrind(Path(__file__), ["--child", kind, f"--count={count}"])
    runs = re.search(r"runs=(\d+)", stdout)
    if not runs:
        sys.exit(f"could not read the child's output:\n{stdout[-2000:]}")
    return instructions / int(runs.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _measured_run(args.child, args.count)
        return
    sys.path.insert(0, str(HERE))
    import bench_wording

    reference = reference_instructions()
    print(f"reference sum(range(1000)): {reference:,.0f} instructions")
    for kind in bench_wording.KINDS:
        per = _count(kind, args.count)
        print(
            f"{kind:<12} {per:>12,.0f} instructions per analysis"
            f" = {per / reference:5.1f} references"
            f" (~{per / reference * BEST_REFERENCE_US:5.0f} µs at the"
            f" {BEST_REFERENCE_US} µs reference)"
        )


if __name__ == "__main__":
    main()
