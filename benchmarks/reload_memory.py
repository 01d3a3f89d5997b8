"""Memory and time of live reloads, as the bot does them, with and without giving the freed
heap back (:func:`bot.reload.release_memory`).

Usage::

    .venv/bin/python -m benchmarks.reload_memory [--corpus benchmarks/data/books] [--reloads 4]

The corpus is copied to a temporary folder and its store built once; then for each variant a
fresh process copies that store, loads the library from it as ``run`` does (warmed, then
``gc.freeze``), and reloads ``--reloads`` times through :class:`bot.reload.Reloader` (the
worker process, the load from the store, the swap), appending a paragraph to one file before
every second reload. It prints the resident memory (``VmRSS``) after the start and after each
reload, and each reload's seconds. Variants: **trim** (the product) and **no trim**
(``release_memory`` replaced by a no-op: the code before it).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import shutil
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rss_mb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


def _settings(work: Path, corpus: Path) -> object:
    from bot.settings import load_settings

    config = work / "config.yaml"
    config.write_text(
        f"corpus:\n  cache_dir: {work / 'store'}\nstorage:\n  path: ':memory:'\n", "utf-8"
    )
    return load_settings(config, env={}, corpus_paths=[corpus])


def _measure(work: Path, reloads: int, trim: bool) -> None:
    """One variant, in this process: prints ``label<TAB>rss<TAB>seconds`` lines."""
    from bot import reload as reload_module
    from bot.loading import load_library

    settings = _settings(work, work / "corpus")
    started = time.perf_counter()
    library = load_library(settings, quiet=True).library  # type: ignore[arg-type]
    library.warm_up()
    gc.collect()
    gc.freeze()
    print(f"start\t{_rss_mb()}\t{time.perf_counter() - started:.1f}", flush=True)
    if not trim:
        reload_module.release_memory = lambda: None
    bot = types.SimpleNamespace(library=library, settings=settings)
    del library
    reloader = reload_module.Reloader(bot)  # type: ignore[arg-type]
    edited = sorted((work / "corpus").glob("*.txt"))[0]
    for number in range(1, reloads + 1):
        if number % 2 == 0:
            with edited.open("a", encoding="utf-8") as handle:
                handle.write(f"\nOne more paragraph, number {number}, was added here.\n")
        started = time.perf_counter()
        outcome = asyncio.run(reloader.reload("benchmark"))
        assert outcome.ok, outcome.error
        kind = "one changed" if outcome.changed else "no change"
        print(
            f"reload {number} ({kind})\t{_rss_mb()}\t{time.perf_counter() - started:.1f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "benchmarks/data/books")
    parser.add_argument("--reloads", type=int, default=4)
    parser.add_argument("--variant", choices=("trim", "no-trim"), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant is not None:
        _measure(args.work, args.reloads, args.variant == "trim")
        return
    from bot.loading import load_library

    with tempfile.TemporaryDirectory() as temporary:
        base = Path(temporary) / "base"
        shutil.copytree(args.corpus, base / "corpus")
        load_library(_settings(base, base / "corpus"), quiet=True)  # type: ignore[arg-type]
        rows: dict[str, list[tuple[str, str, str]]] = {}
        for variant in ("no-trim", "trim"):
            work = Path(temporary) / variant
            shutil.copytree(base, work)
            command = [sys.executable, "-m", "benchmarks.reload_memory", "--variant", variant]
            command += ["--work", str(work), "--reloads", str(args.reloads)]
            out = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
            rows[variant] = [tuple(line.split("\t")) for line in out.stdout.splitlines()]  # type: ignore[misc]
    print(f"{'step':<26}{'RSS no trim':>13}{'RSS trim':>10}{'s no trim':>11}{'s trim':>8}")
    for before, after in zip(rows["no-trim"], rows["trim"], strict=True):
        print(f"{before[0]:<26}{before[1]:>10} MB{after[1]:>7} MB{before[2]:>11}{after[2]:>8}")


if __name__ == "__main__":
    main()
