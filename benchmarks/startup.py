"""Start-up benchmark: the corpus store against the code before it, whole process, same run.

Usage::

    .venv/bin/python -m benchmarks.startup [--big] [--baseline-volumes 100] [--runs 3] [--code DIR]

For each corpus, ``corpusbot check`` (which loads the corpus exactly as ``run`` does, then prints
its table) is started as a separate process, and its wall time and peak resident memory
(``ru_maxrss`` from ``wait4``) are measured:

* *first start*: an empty store (cache) folder;
* *restart*: the same again, nothing changed (median of ``--runs``);
* *one changed file*: one document's file edited (a paragraph added), then a restart.
* *first quote*: ``corpusbot quote`` after the restarts: a restart, then the quote ranking
  assembled as the bot assembles it once connected, and one pick (its peak RSS is the bot's
  memory with every part in use; ``check`` never assembles the ranking).

Code compared: **today** is the product as it was before the corpus store (commit
:data:`BASELINE`, extracted with ``git archive`` and put first on ``PYTHONPATH``; its
``corpus.cache_dir`` kept the search index only), **store** is this checkout, and **no store**
this checkout without a store folder (in-memory storage, no ``cache_dir``: everything is built
at every start, documents still derived in parallel), which separates what the store saves
from what the rest of the code costs (``today`` predates heavier quote and summary code). Corpora: the ten
gathered novels (``benchmarks/data/books``, about 7 MB); with ``--big``, 440 novels (about
316 MB) made by mixing the ten novels' paragraphs into 440 different volumes (seeded; each shares
about a tenth of its paragraphs with any other, so the loader's duplicate check keeps them all).
The old code on 440 novels takes ten minutes or more and gigabytes, so with ``--big`` it runs on
the first ``--baseline-volumes`` volumes (default 100; 440 to compare on the same corpus), and
this code runs on those too, for a ratio measured on one corpus. ``--big-volumes N`` builds a
smaller big corpus (the same recipe) when the machine cannot afford 440. ``--code DIR`` measures another
checkout (for instance a ``git archive`` of a commit, so the worktree can change meanwhile).

Targets (issue "A corpus that starts in seconds"): ten novels: first start <= 8 s, restart
<= 1.5 s, RSS after restart <= 200 MB; 440 novels: first start <= 3 min, restart <= 15 s, RSS
<= 1.5 GB, one changed file <= 20 s.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks._summary_data import fetch_books

ROOT = Path(__file__).resolve().parent.parent
#: The last commit before the corpus store (main when issue 11 was started).
BASELINE = "81acf88"
BIG_VOLUMES = 440


@dataclass(frozen=True)
class Run:
    seconds: float
    rss_mb: float
    ok: bool


@dataclass(frozen=True)
class Row:
    corpus: str
    code: str
    first: Run
    restarts: list[Run]
    changed: Run | None
    load: float = 0.0  # 1-minute load average when the row started
    quote: Run | None = None  # ``corpusbot quote`` after a restart: the quote ranking assembled


def _baseline(folder: Path) -> Path:
    """The product at :data:`BASELINE`, extracted into ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", BASELINE], check=True, capture_output=True
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def _check(
    code: Path | None, config: Path, cwd: Path, *, store: bool = True, command: str = "check"
) -> Run:
    """One ``check`` (or ``command``) process: wall seconds and peak RSS (MB); ``store=False``:
    this checkout with no store folder (everything built in memory at every start)."""
    env = dict(os.environ)
    env.pop("DISCORD_TOKEN", None)
    if not store:
        env["CORPUSBOT_STORAGE"] = ":memory:"
    if code is not None:
        env["PYTHONPATH"] = str(code)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", command, "--config", str(config)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_maxrss / 1024, process.returncode == 0)


def _config(folder: Path, corpus: Path, *, store: bool = True) -> Path:
    config = folder / "config.yaml"
    cache = f"  cache_dir: {folder / 'cache'}\n" if store else ""
    config.write_text(
        f"corpus:\n  paths: [{corpus}]\n{cache}storage:\n  path: {folder / 'bot.sqlite3'}\n",
        encoding="utf-8",
    )
    return config


def measure(name: str, code_name: str, code: Path | None, corpus: Path, runs: int) -> Row:
    """First start, ``runs`` restarts and (one file changed) a restart, in a fresh folder."""
    store = code_name != "no store"
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="startup-") as tmp:
        folder = Path(tmp)
        config = _config(folder, corpus, store=store)
        first = _check(code, config, folder, store=store)
        restarts = [_check(code, config, folder, store=store) for _ in range(runs)]
        quote = _check(code, config, folder, store=store, command="quote")
        victim = sorted(corpus.glob("*.txt"))[0]
        original = victim.read_bytes()
        try:
            with victim.open("a", encoding="utf-8") as handle:
                handle.write("\n\nA paragraph added for the benchmark, at the very end.\n")
            changed = _check(code, config, folder, store=store)
        finally:
            victim.write_bytes(original)
    row = Row(name, code_name, first, restarts, changed, load, quote)
    print(table([row]).splitlines()[-1], flush=True)  # as it comes: a big run takes long
    return row


def big_corpus(books: Path, folder: Path, volumes: int = BIG_VOLUMES, seed: int = 0) -> Path:
    """``volumes`` files of paragraphs drawn from the ten novels (each about one novel long)."""
    rng = random.Random(seed)
    novels = sorted(books.glob("*.txt"))
    pools = [n.read_text(encoding="utf-8").split("\n\n") for n in novels]
    paragraphs = [p.strip() for pool in pools for p in pool if len(p.strip()) > 40]
    sizes = [n.stat().st_size for n in novels]
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(volumes):
        target, size, chosen = sizes[number % len(sizes)], 0, []
        while size < target:
            paragraph = rng.choice(paragraphs)
            chosen.append(paragraph)
            size += len(paragraph) + 2
        text = f"Mixed Volume {number + 1}\n\n" + "\n\n".join(chosen) + "\n"
        (folder / f"volume-{number + 1:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def _s(run: Run | None) -> str:
    if run is None:
        return "-"
    return f"{run.seconds:.1f}" + ("" if run.ok else " (failed)")


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| corpus | code | first start s | restart s (median) | RSS after restart MB "
        "| one changed file s | first quote s | RSS with quotes MB | load average |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        restart = statistics.median(r.seconds for r in row.restarts)
        rss = statistics.median(r.rss_mb for r in row.restarts)
        lines.append(
            f"| {row.corpus} | {row.code} | {_s(row.first)} | {restart:.2f} | {rss:.0f} "
            f"| {_s(row.changed)} | {_s(row.quote)} "
            f"| {'-' if row.quote is None else f'{row.quote.rss_mb:.0f}'} | {row.load:.1f} |"
        )
    by_corpus: dict[str, dict[str, Row]] = {}
    for row in rows:
        by_corpus.setdefault(row.corpus, {})[row.code] = row
    for corpus, codes in by_corpus.items():
        if {"today", "store"} <= set(codes):
            old, new = codes["today"], codes["store"]
            ratio_restart = statistics.median(r.seconds for r in old.restarts) / statistics.median(
                r.seconds for r in new.restarts
            )
            ratio_rss = statistics.median(r.rss_mb for r in old.restarts) / statistics.median(
                r.rss_mb for r in new.restarts
            )
            first = old.first.seconds / new.first.seconds
            than = f"{first:.1f}x faster" if first >= 1 else f"{1 / first:.1f}x slower"
            lines.append(
                f"\n{corpus}: first start {than}, "
                f"restart {ratio_restart:.1f}x faster, {ratio_rss:.1f}x less memory after restart"
            )
    return "\n".join(lines)


def _big(
    books: Path, baseline: Path, code: Path, volumes: int, baseline_volumes: int, runs: int
) -> list[Row]:
    """The big corpus: this code on ``volumes`` volumes; today's code (and this code again, for
    a ratio on one corpus) on the first ``baseline_volumes`` of them."""
    rows: list[Row] = []
    big = big_corpus(books, Path(tempfile.mkdtemp(prefix="big-")) / "novels", volumes)
    try:
        rows.append(measure(f"{volumes} novels", "store", code, big, runs))
        if baseline_volumes < volumes:
            part = big.parent / "part"
            part.mkdir()
            for volume in sorted(big.glob("*.txt"))[:baseline_volumes]:
                shutil.copy(volume, part / volume.name)
            big = part
        rows.append(measure(f"{baseline_volumes} novels", "today", baseline, big, 1))
        if baseline_volumes < volumes:
            rows.append(measure(f"{baseline_volumes} novels", "store", code, big, runs))
    finally:
        shutil.rmtree(big.parent, ignore_errors=True)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3, help="restarts measured (median)")
    parser.add_argument("--big", action="store_true", help="also the big corpus (440 novels)")
    parser.add_argument(
        "--big-volumes", type=int, default=BIG_VOLUMES, help="volumes of the big corpus"
    )
    parser.add_argument(
        "--baseline-volumes",
        type=int,
        default=100,
        help="volumes of the big corpus for today's code",
    )
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout measured as 'store'")
    parser.add_argument("--skip-ten", action="store_true", help="only the big corpus")
    args = parser.parse_args(argv)
    books = fetch_books()
    if books is None:
        sys.stderr.write("no books: run tools/gather_books.sh benchmarks/data/books\n")
        return 2
    load = os.getloadavg()[0]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="baseline-") as tmp:
        baseline = _baseline(Path(tmp))
        ten = Path(tempfile.mkdtemp(prefix="ten-novels-"))
        for book in sorted(books.glob("*.txt")):
            shutil.copy(book, ten / book.name)
        code = args.code.resolve()
        try:
            if not args.skip_ten:
                rows.append(measure("10 novels", "today", baseline, ten, args.runs))
                rows.append(measure("10 novels", "no store", code, ten, args.runs))
                rows.append(measure("10 novels", "store", code, ten, args.runs))
            if args.big:
                volumes = args.big_volumes
                today = min(volumes, args.baseline_volumes)
                rows += _big(books, baseline, code, volumes, today, args.runs)
        finally:
            shutil.rmtree(ten, ignore_errors=True)
    print(f"load average at start: {load:.1f}, at the end {os.getloadavg()[0]:.1f} (2 cores)\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
