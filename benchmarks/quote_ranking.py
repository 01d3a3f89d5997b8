"""The bot process with its quote ranking ready: load time, memory and ``/quote`` latency.

Usage::

    .venv/bin/python -m benchmarks.quote_ranking --config FILE [--rounds 5]

Loads the library as the bot does (through the corpus store of ``FILE``: ``load_library``, then
``Library.warm_up()``, which assembles the quote ranking once connected), then times
``Library.quote`` ``--rounds`` times per request (median) and two searches, and prints a table:
seconds, resident memory (``VmRSS`` from ``/proc/self/status``, MB) and milliseconds. Run it
twice on the same config: the first run fills the store (a first start), the second is a restart.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.core.errors import UserError
from bot.loading import load_library
from bot.settings import load_settings

#: ``/quote`` requests timed: unfiltered, a word, a speaker, a phrase found nowhere.
REQUESTS: tuple[dict[str, str], ...] = (
    {},
    {"contains": "whale"},
    {"speaker": "Elizabeth"},
    {"contains": "qwzxv"},
)
SEARCHES = ("it is a truth universally acknowledged", "call me ishmael")


def _rss_mb() -> int:
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    return int(status.split("VmRSS:")[1].split()[0]) // 1024


def _ms(call: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        with contextlib.suppress(UserError):  # a request with no answer is timed all the same
            call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--config", type=Path, required=True, help="the bot's config file")
    parser.add_argument("--rounds", type=int, default=5, help="timings per request (median)")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str]] = []
    started = time.perf_counter()
    library = load_library(load_settings(args.config), quiet=True).library
    rows.append(("library loaded", f"{time.perf_counter() - started:.1f} s, {_rss_mb()} MB"))
    started = time.perf_counter()
    library.warm_up()
    quotes = len(library.quotes)
    rows.append(
        (
            f"quote ranking ({quotes:,} quotes)",
            f"{time.perf_counter() - started:.1f} s, {_rss_mb()} MB",
        )
    )
    rng = random.Random(1)
    for request in REQUESTS:
        label = "/quote " + (" ".join(f"{k}:{v}" for k, v in request.items()) or "unfiltered")
        rows.append(
            (label, f"{_ms(lambda r=request: library.quote(rng=rng, **r), args.rounds):.0f} ms")
        )
    for query in SEARCHES:
        rows.append(
            (f"/search {query}", f"{_ms(lambda q=query: library.search(q), args.rounds):.1f} ms")
        )
    rows.append(("RSS at the end", f"{_rss_mb()} MB"))
    print("| step | figure |\n|---|---:|")
    for label, figure in rows:
        print(f"| {label} | {figure} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
