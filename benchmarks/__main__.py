"""Run every benchmark in turn: ``python -m benchmarks`` (several minutes on 2 cores).

Each prints its own table (search: recall and cost against the previous index, tantivy and a
brute-force scan; summary: ROUGE against lead-k and established implementations; load: deadline
and event-loop stalls through the Discord double, against running the core on the event loop;
burst: one member's burst with and without the costly-command cooldowns). Needs the ``bench`` extra:
``.venv/bin/pip install -e '.[test,bench]'``. Options go to no benchmark; run one alone
(``python -m benchmarks.search --help``) to change sizes.
"""

from __future__ import annotations

import importlib
import sys
import time

BENCHMARKS = (
    ("search", ["--sizes", "novels,10k,100k", "--queries", "100"]),
    ("summary", []),
    ("load", []),
    ("burst", []),
    ("cards", []),
    ("extraction", []),
    ("where_from", []),
)


def main() -> int:
    """Run each benchmark's ``main`` with its default arguments; return the worst exit code."""
    worst = 0
    for name, argv in BENCHMARKS:
        print(f"\n===== benchmarks.{name} {' '.join(argv)} =====", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"benchmarks.{name}")
        code = module.main(argv)
        worst = max(worst, int(code or 0))
        print(f"===== benchmarks.{name}: {time.perf_counter() - started:.0f} s =====", flush=True)
    return worst


if __name__ == "__main__":
    sys.exit(main())
