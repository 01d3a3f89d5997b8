"""Search benchmark: recall and cost of the index against its predecessor, tantivy and a full scan.

Usage::

    .venv/bin/python -m benchmarks.search [--sizes novels,10k,100k,1M] [--queries 200] [--seed 0]
    .venv/bin/python -m benchmarks.search --sizes 10k,100k        # quick (about 5 minutes)

For each corpus (the ten novels; 10k, 100k, 1M passages of real text topped up with recombined
real sentences, see ``benchmarks/_corpora.py``) it makes ``--queries`` misspelt and as many
half-remembered queries (``benchmarks/_search_queries.py``), then runs every method
(``benchmarks/_search_methods.py``: ``ours``, ``baseline`` = the index before issue 16,
``tantivy`` + our rescoring, and the ``brute force`` scan up to ``--brute-max`` passages) on the
same queries. Each method is built in a fresh worker process, so its memory is its own:
*kept* is resident memory added by the build (index and the texts it needs, the corpus not
counted), *peak* the high-water mark above the memory before the build (``VmHWM``, reset with
``/proc/self/clear_refs``). Latency is one ``search(limit=5)`` call, validation and highlights
included, one core. Prints one Markdown table and the ratios of ours to the others.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from typing import Any

from ._corpora import build_corpus, novels_corpus, real_text
from ._search_methods import build
from ._search_queries import Query, make_queries

METHODS = ("ours", "baseline", "tantivy")
KINDS = ("misspelt", "half-remembered")


def parse_size(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * scale)


def _status(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")  # resets VmHWM to the current RSS


def _corpus(label: str, seed: int) -> Any:
    if label == "novels":
        return novels_corpus()
    return build_corpus(parse_size(label), seed=seed, real=real_text())[0]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] * 1000


def _run(method: Any, queries: list[Query], *, exhaustive: bool = False) -> dict[str, Any]:
    """recall@1 per kind and latencies (s) of ``method`` on ``queries``."""
    if exhaustive:
        method.exhaustive = True
    right = dict.fromkeys(KINDS, 0)
    latencies: list[float] = []
    cpu: list[float] = []
    for query in queries:
        started, started_cpu = time.perf_counter(), time.thread_time()
        hits = method.search(query.text, 5)
        latencies.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - started_cpu)
        if hits and _right(method, hits[0], query):
            right[query.kind] += 1
    per_kind = {k: sum(q.kind == k for q in queries) for k in KINDS}
    return {
        "recall": {k: right[k] / max(1, per_kind[k]) for k in KINDS},
        "p50": _pct(latencies, 50),
        "p99": _pct(latencies, 99),
        "cpu50": _pct(cpu, 50),
        "cpu99": _pct(cpu, 99),
    }


def _right(method: Any, top: tuple[str, int, int, int], query: Query) -> bool:
    if top == query.source:
        return True
    from bot.core.search import match_key

    document, paragraph, start, end = top
    text = method.paragraph_text(document, paragraph)[start:end]
    return query.clean in match_key(text)


def worker(name: str, label: str, count: int, seed: int, brute_max: int) -> dict[str, Any]:
    """Build ``name`` over corpus ``label`` in this process and measure it (JSON-able dict)."""
    corpus = _corpus(label, seed)
    queries = make_queries(corpus, count, seed)
    paragraphs = {d.id: d.paragraphs for d in corpus}
    gc.collect()
    before = _status("VmRSS")
    _reset_peak()
    started, started_cpu = time.perf_counter(), time.process_time()
    method = build(name, corpus)
    built, built_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    gc.collect()
    result: dict[str, Any] = {
        "build": built,
        "build_cpu": built_cpu,
        "kept": _status("VmRSS") - before,
        "peak": _status("VmHWM") - before,
    }
    method.paragraph_text = lambda d, p: paragraphs[d][p - 1].text
    result.update(_run(method, queries))
    if hasattr(method, "suggest"):
        latencies, cpu = [], []
        for query in queries:
            started, started_cpu = time.perf_counter(), time.thread_time()
            method.suggest(query.text[: max(3, len(query.text) * 6 // 10)])
            latencies.append(time.perf_counter() - started)
            cpu.append(time.thread_time() - started_cpu)
        result["suggest"] = [_pct(latencies, 50), _pct(latencies, 99), max(latencies) * 1000]
        result["suggest_cpu"] = [_pct(cpu, 50), _pct(cpu, 99), max(cpu) * 1000]
    if name == "ours" and len(method.index) <= brute_max:
        result["brute"] = _run(method, queries, exhaustive=True)
    result["passages"] = len(method.index) if hasattr(method, "index") else None
    return result


def _spawn(name: str, label: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.search", "--worker", name, "--sizes", label]
    command += ["--queries", str(args.queries), "--seed", str(args.seed)]
    command += ["--brute-max", str(args.brute_max)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker {name} {label} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="novels,10k,100k,1M", help="corpora, comma-separated")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--queries", type=int, default=200, help="queries of each kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--brute-max", type=int, default=100_000, help="largest scanned corpus")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.sizes, args.queries, args.seed, args.brute_max)))
        return 0
    rows: list[tuple[str, str, dict[str, Any]]] = []
    notes: list[str] = []
    for label in args.sizes.split(","):
        results = {}
        for name in args.methods.split(","):
            print(f"{label}: {name}…", file=sys.stderr, flush=True)
            results[name] = _spawn(name, label, args)
            rows.append((label, name, results[name]))
            if "brute" in results[name]:
                rows.append((label, "brute force", results[name]["brute"]))
            if "suggest" in results[name]:
                p50, p99, worst = results[name]["suggest"]
                c50, c99, cworst = results[name].get("suggest_cpu", [float("nan")] * 3)
                notes.append(
                    f"suggest() {name} at {label}: p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
                    f"max {worst:.1f} ms (CPU p50 {c50:.1f}, p99 {c99:.1f}, max {cworst:.1f} ms)"
                )
        if "ours" in results:
            for other in ("tantivy", "baseline"):
                if other in results:
                    notes.append(_ratios(label, results["ours"], other, results[other]))
    _print(rows, notes, args)
    return 0


def _ratios(label: str, ours: dict[str, Any], other: str, theirs: dict[str, Any]) -> str:
    parts = [
        f"{key} {ours[key] / theirs[key]:.2f}×"
        for key in ("build", "build_cpu", "kept", "peak", "p50", "p99", "cpu50", "cpu99")
        if theirs.get(key)
    ]
    return f"ours ÷ {other} at {label}: " + ", ".join(parts)


def _print(rows: list[tuple[str, str, dict[str, Any]]], notes: list[str], args: Any) -> None:
    print()
    print(f"Load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}.")
    print(
        f"Fuzzy passage search, {args.queries} misspelt + {args.queries} half-remembered queries "
        "per corpus, one search(limit=5) at a time on one core."
    )
    print()
    print(
        "| corpus | method | recall@1 misspelt | recall@1 half-remembered | p50 ms | p99 ms "
        "| CPU p50 / p99 ms | build s (CPU s) | kept MB | peak MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, name, r in rows:
        build_s = f"{r['build']:.1f} ({r['build_cpu']:.1f})" if "build_cpu" in r else "—"
        kept = f"{r['kept']:,.0f}" if "kept" in r else "—"
        peak = f"{r['peak']:,.0f}" if "peak" in r else "—"
        recall = r["recall"]
        print(
            f"| {label} | {name} | {recall['misspelt']:.1%} | {recall['half-remembered']:.1%} "
            f"| {r['p50']:.1f} | {r['p99']:.1f} | {r['cpu50']:.1f} / {r['cpu99']:.1f} "
            f"| {build_s} | {kept} | {peak} |"
        )
    print()
    print(
        "p50/p99 = wall-clock latency; CPU = the thread's CPU time per query (what a quiet "
        "machine would show); kept = resident memory added by the build (index + the texts it "
        "needs; the corpus itself not counted); peak = high-water mark above the memory before "
        "the build (for ours and the baseline the peak includes what is kept)."
    )
    for note in notes:
        print(f"- {note}")


if __name__ == "__main__":
    raise SystemExit(main())
