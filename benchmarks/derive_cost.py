"""Reading and deriving one document, CPU seconds per MB: a base commit against this checkout.

Usage::

    .venv/bin/python -m benchmarks.derive_cost [--base REF] [--rounds 3] [--volumes 10]

The per-document work of a first start: reading (``read_file``: decode, lay out, segment) and
deriving (``derive``: quote candidates, scores and the medium summary), on the ten novels
(``benchmarks/data/books``) and ``--volumes`` volumes of the big start-up corpus
(:func:`benchmarks.startup.big_corpus`). Each code runs in its own process, the two alternating
``--rounds`` times; the base is the product at ``--base`` (a ``git archive``, first on
``PYTHONPATH``). CPU time is ``time.process_time`` of that process, so other work on the machine inflates it
less than wall time. The table gives the median over rounds of the CPU seconds per MB of text;
reading also without the duplicate fingerprint that main added to ``read_file`` after the base
(timed by a separate call to it), so that reading is compared like for like.

Identity: every file's document and ``derive(...)`` result must be the same under both codes,
compared as JSON of every field of their values (each sentence's offsets and text, each quote's
sentence, text, speaker, score and flag, each summary's sentences; floats by ``repr``): what
``encode_document`` and ``encode_derived`` store, in a form that does not depend on the store's
codec, which changed on main meanwhile. The script says which files differ and exits 1 if any
does.
"""

from __future__ import annotations

import argparse
import json
import os
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

# Run in a fresh interpreter whose ``bot`` comes from the code measured (first on sys.path).
_WORKER = """
import dataclasses, json, sys, time
from pathlib import Path
import bot
from bot.core.loader import plan_files, read_file
from bot.core.store.derive import derive
try:  # main added a duplicate fingerprint to read_file after the base: timed apart
    from bot.core.loader._duplicates import fingerprint
except ImportError:
    fingerprint = None

def canon(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: canon(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"type": type(value).__name__, **fields}
    if isinstance(value, dict):
        return {str(k): canon(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canon(v) for v in value]
    if isinstance(value, float):
        return repr(value)
    return value

out = Path(sys.argv[1])
lengths = tuple(length for length in sys.argv[2].split(",") if length)
for name in sys.argv[3:]:
    path = Path(name)
    (item,), _ = plan_files([path])
    started = time.process_time()
    document = read_file(item).document
    read = time.process_time() - started
    started = time.process_time()
    if fingerprint is not None:
        fingerprint(document)
    printing = time.process_time() - started
    started = time.process_time()
    derived = derive(document, summary_lengths=lengths)
    cost = time.process_time() - started
    for kind, value in (("document", document), ("derived", derived)):
        data = json.dumps(canon(value), ensure_ascii=False, sort_keys=True).encode()
        (out / f"{path.stem}.{kind}.json").write_bytes(data)
    row = {"file": path.stem, "read": read, "fingerprint": printing, "derive": cost}
    print(json.dumps({**row, "bot": bot.__file__}))
"""


def _archive(ref: str, folder: Path) -> Path:
    """The product at ``ref``, extracted into ``folder``."""
    folder.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def _run(
    code: Path, files: Sequence[Path], out: Path, summaries: str
) -> dict[str, dict[str, float]]:
    """Read and derive ``files`` (with the ``summaries`` lengths, comma-separated) in one process
    of ``code``; outputs written under ``out``."""
    env = dict(os.environ, PYTHONPATH=str(code))
    done = subprocess.run(
        [sys.executable, "-c", _WORKER, str(out), summaries, *map(str, files)],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"{code}: {done.stderr[-2000:]}")
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    where = {Path(row["bot"]).resolve().parent.parent for row in rows}
    if where != {code.resolve()}:
        raise RuntimeError(f"measured {where}, not {code}")
    return {
        row["file"]: {
            "read": row["read"],
            # reading as the base did it: without the fingerprint read_file now also takes
            "parse": row["read"] - row["fingerprint"],
            "derive": row["derive"],
        }
        for row in rows
    }


def _differences(before: Path, after: Path) -> list[str]:
    """Output files whose bytes differ between the two codes."""
    return sorted(
        f.name for f in before.iterdir() if f.read_bytes() != (after / f.name).read_bytes()
    )


def _table(
    groups: dict[str, dict[str, int]], runs: dict[str, list[dict[str, dict[str, float]]]]
) -> str:
    """Median CPU seconds per MB of each group of files (name -> size in bytes), both codes:
    reading (``read_file`` whole, then without the duplicate fingerprint) and deriving."""
    lines = [
        "| files | MB | read s/MB before | after | ratio | read without fingerprint after "
        "| ratio | derive s/MB before | after | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for group, files in groups.items():
        mb = sum(files.values()) / 1e6

        def cost(code: str, stage: str, files: dict[str, int] = files, mb: float = mb) -> float:
            totals = [sum(r[name][stage] for name in files) for r in runs[code]]
            return statistics.median(totals) / mb

        read, parse, derive = (
            cost("before", "read"),
            cost("after", "parse"),
            cost("before", "derive"),
        )
        cells = [
            f"{read:.3f}",
            f"{cost('after', 'read'):.3f}",
            f"{read / cost('after', 'read'):.2f}",
            f"{parse:.3f}",
            f"{read / parse:.2f}",
            f"{derive:.3f}",
            f"{cost('after', 'derive'):.3f}",
            f"{derive / cost('after', 'derive'):.2f}",
        ]
        lines.append(f"| {group} | {mb:.1f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--base", default=BASE, help="the code compared against (a git ref)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of each code")
    parser.add_argument("--volumes", type=int, default=10, help="big-corpus volumes")
    parser.add_argument(
        "--summaries",
        default="medium",
        help="summary lengths derived, comma-separated ('' for none: a first start derives "
        "quotes only, summaries on first use)",
    )
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
                runs[code].append(_run(where, novels + volumes, outs[code], args.summaries))
                print(f"round {number + 1} {code} done", file=sys.stderr, flush=True)
        differ = _differences(outs["before"], outs["after"])
    print(_table(groups, runs))
    every = {name: size for group in groups.values() for name, size in group.items()}
    print(_table({"all": every}, runs).splitlines()[-1])
    end = os.getloadavg()[0]
    print(
        f"\nbase {args.base}; summaries {args.summaries or 'none'}; median of {args.rounds} "
        f"rounds; load average {load:.1f} -> {end:.1f}"
    )
    if differ:
        print(f"OUTPUTS DIFFER: {', '.join(differ)}")
        return 1
    print(f"outputs byte-identical: {2 * len(every)} files (document and derived JSON)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
