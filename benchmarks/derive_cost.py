"""Reading and deriving one document, CPU seconds per MB: a base commit against this checkout.

Usage::

    .venv/bin/python -m benchmarks.derive_cost [--base REF] [--rounds 3] [--volumes 10]

The per-document work of a first start: reading (``read_file``: decode, lay out, segment) and
deriving (``derive``: quote candidates, scores and the medium summary), on the ten novels
(``benchmarks/data/books``) and ``--volumes`` volumes of the big start-up corpus
(:func:`benchmarks.startup.big_corpus`). Each code runs in its own process, the two alternating
``--rounds`` times; the base is this checkout's last commit with the reading, quote and
summary code (:data:`AREAS`) of ``--base`` (a ``git archive``, first on ``PYTHONPATH``);
CPU time is ``time.process_time`` of that process, so other work on the machine inflates it
less than wall time. The table gives the median over rounds of the CPU seconds per MB of text.

Identity: every file's ``encode_document`` and ``encode_derived(derive(...))`` bytes
(``bot/core/store/codec``) must be the same under both codes; the script says which differ
and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks._summary_data import fetch_books
from benchmarks.startup import big_corpus

ROOT = Path(__file__).resolve().parent.parent
#: main before the speed-ups of this benchmark's first use (issue 11, first start at 440 novels).
BASE = "688c70c"
#: The code this benchmark's work changes (reading, segmenting, quotes, summaries, and the few
#: lines of ``derive`` that call them): the base is this checkout with these paths as they
#: were at ``--base``.
AREAS = (
    "bot/core/loader",
    "bot/core/text",
    "bot/core/segment.py",
    "bot/core/quotes",
    "bot/core/summarize.py",
    "bot/core/summarize_sections.py",
    "bot/core/centrality.py",
    "bot/core/store/derive.py",
)

# Run in a fresh interpreter whose ``bot`` comes from the code measured (first on sys.path).
_WORKER = """
import hashlib, json, sys, time
from pathlib import Path
import bot
from bot.core.loader import plan_files, read_file
from bot.core.store.codec import encode_document, encode_derived
from bot.core.store.derive import derive
out = Path(sys.argv[1])
for name in sys.argv[2:]:
    path = Path(name)
    (item,), _ = plan_files([path])
    started = time.process_time()
    document = read_file(item).document
    read = time.process_time() - started
    started = time.process_time()
    derived = derive(document)
    cost = time.process_time() - started
    for kind, data in (("document", encode_document(document)), ("derived", encode_derived(derived))):
        (out / f"{path.stem}.{kind}.json").write_bytes(data)
    print(json.dumps({"file": path.stem, "read": read, "derive": cost, "bot": bot.__file__}))
"""


def _archive(ref: str, folder: Path) -> Path:
    """This checkout's committed code with :data:`AREAS` as they were at ``ref``, in ``folder``
    (so the store's codec, which others change meanwhile, is the same on both sides)."""
    folder.mkdir()
    head = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "HEAD"], check=True, capture_output=True
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=head.stdout, check=True)
    for area in AREAS:
        target = folder / area
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
    old = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "--", *AREAS], check=True, capture_output=True
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=old.stdout, check=True)
    return folder


def _run(code: Path, files: Sequence[Path], out: Path) -> dict[str, dict[str, float]]:
    """Read and derive ``files`` in one process of ``code``; outputs written under ``out``."""
    env = dict(os.environ, PYTHONPATH=str(code))
    done = subprocess.run(
        [sys.executable, "-c", _WORKER, str(out), *map(str, files)],
        cwd=code,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    where = {Path(row["bot"]).resolve().parent.parent for row in rows}
    if where != {code.resolve()}:
        raise RuntimeError(f"measured {where}, not {code}")
    return {row["file"]: {"read": row["read"], "derive": row["derive"]} for row in rows}


def _differences(before: Path, after: Path) -> list[str]:
    """Output files whose bytes differ between the two codes."""
    return sorted(
        f.name for f in before.iterdir() if f.read_bytes() != (after / f.name).read_bytes()
    )


def _table(
    groups: dict[str, dict[str, int]], runs: dict[str, list[dict[str, dict[str, float]]]]
) -> str:
    """Median CPU seconds per MB of each group of files (name -> size in bytes), both codes."""
    lines = [
        "| files | MB | read s/MB before | after | ratio | derive s/MB before | after | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for group, files in groups.items():
        mb = sum(files.values()) / 1e6
        cells = []
        for stage in ("read", "derive"):
            per_code = []
            for code in ("before", "after"):
                totals = [sum(r[name][stage] for name in files) for r in runs[code]]
                per_code.append(statistics.median(totals) / mb)
            cells += [
                f"{per_code[0]:.3f}",
                f"{per_code[1]:.3f}",
                f"{per_code[0] / per_code[1]:.2f}",
            ]
        lines.append(f"| {group} | {mb:.1f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--base", default=BASE, help="the code compared against (a git ref)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of each code")
    parser.add_argument("--volumes", type=int, default=10, help="big-corpus volumes")
    args = parser.parse_args(argv)
    books = fetch_books()
    if books is None:
        sys.stderr.write("no books: run tools/gather_books.sh benchmarks/data/books\n")
        return 2
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="derive-cost-") as tmp:
        folder = Path(tmp)
        base = _archive(args.base, folder / "base")
        novels = sorted(books.glob("*.txt"))
        volumes = sorted(big_corpus(books, folder / "big", args.volumes).glob("*.txt"))
        groups = {
            "ten novels": {f.stem: f.stat().st_size for f in novels},
            f"{len(volumes)} big-corpus volumes": {f.stem: f.stat().st_size for f in volumes},
        }
        outs = {code: folder / f"out-{code}" for code in ("before", "after")}
        runs: dict[str, list[dict[str, dict[str, float]]]] = {"before": [], "after": []}
        for number in range(args.rounds):
            for code, where in (("before", base), ("after", ROOT)):
                outs[code].mkdir(exist_ok=True)
                runs[code].append(_run(where, novels + volumes, outs[code]))
                print(f"round {number + 1} {code} done", file=sys.stderr, flush=True)
        differ = _differences(outs["before"], outs["after"])
    print(_table(groups, runs))
    every = {name: size for group in groups.values() for name, size in group.items()}
    print(_table({"all": every}, runs).splitlines()[-1])
    end = os.getloadavg()[0]
    print(
        f"\nbase {args.base}; median of {args.rounds} rounds; load average {load:.1f} -> {end:.1f}"
    )
    if differ:
        print(f"OUTPUTS DIFFER: {', '.join(differ)}")
        return 1
    print(f"outputs byte-identical: {2 * len(every)} files (document and derived JSON)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
