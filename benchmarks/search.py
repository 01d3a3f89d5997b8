"""Search benchmark: recall and latency of ``SearchIndex`` against a brute-force scan.

Usage::

    .venv/bin/python -m benchmarks.search [--sizes 10k,100k,1M] [--queries 200] [--seed 0]

For each corpus size (real public-domain text, topped up with recombined real sentences; see
``benchmarks/_corpora.py``) it builds the index, generates typo'd queries from random passages and
prints one table: recall@1 and recall@5, p50/p99 latency, build time, memory, and the speed-up of
the index over the brute-force scan (``SearchIndex.search(..., exhaustive=True)``: the same
ranking, every passage scored by ``partial_ratio``).

A hit is *right* when it is the passage the query was taken from, or a passage whose normalised
text contains the query's phrase before the typos were added (an equally right answer: in a corpus
of recombined sentences the same phrase occurs in several passages).

Queries: 5-9 consecutive words of a random passage, then 0-3 character edits (dropped, swapped,
replaced or inserted letters), a missing word (15%) or an extra word (10%), the case changed (lower
50%, upper 10%, title 10%), straight and curly quotes swapped (50%), and punctuation other than
apostrophes left out (50%, as people type).
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import sys
import time
from dataclasses import dataclass

from bot.core import search as search_module
from bot.core.errors import NotFound, QueryError
from bot.core.models import Passage, SearchHit
from bot.core.search import SearchIndex, match_key

from ._corpora import build_corpus, real_text

BRUTE_FORCE_MAX = 100_000
AUDIT_MAX = (
    60  # above BRUTE_FORCE_MAX, re-run at most this many of the index's misses by brute force
)
_EXTRA_WORDS = ("the", "and", "very", "that", "of", "old", "then", "so")
_PUNCT = re.compile(r"[^\w\s'’]")
_QUOTE_SWAP = str.maketrans({"'": "’", "’": "'", '"': "“", "“": '"', "”": '"', "‘": "'"})


@dataclass(frozen=True)
class Query:
    text: str
    clean: str  # the phrase before noise, normalised
    source: Passage


@dataclass
class Row:
    size: str
    method: str
    recall1: float
    recall5: float
    p50: float
    p99: float
    build: float | None
    rss: float | None
    speedup: str


def parse_size(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * scale)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _edit(chars: list[str], rng: random.Random) -> None:
    letters = [i for i, ch in enumerate(chars) if ch.isalpha()]
    if not letters:
        return
    i = rng.choice(letters)
    op = rng.choice(("drop", "swap", "replace", "insert"))
    if op == "drop":
        del chars[i]
    elif op == "swap" and i + 1 < len(chars):
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    elif op == "replace":
        chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
    else:
        chars.insert(i, rng.choice("aeioulnrst"))


def make_queries(index: SearchIndex, count: int, rng: random.Random) -> list[Query]:
    """``count`` noisy 5-9-word phrases from random passages (see the module docstring)."""
    queries: list[Query] = []
    passages = index.passages
    while len(queries) < count:
        source = passages[rng.randrange(len(passages))]
        words = source.text.split()
        if len(words) < 9:
            continue
        n = rng.randint(5, 9)
        start = rng.randrange(len(words) - n + 1)
        phrase = words[start : start + n]
        clean = match_key(" ".join(phrase))
        noisy = list(phrase)
        if rng.random() < 0.15:
            del noisy[rng.randrange(1, len(noisy) - 1)]
        if rng.random() < 0.10:
            noisy.insert(rng.randrange(1, len(noisy)), rng.choice(_EXTRA_WORDS))
        chars = list(" ".join(noisy))
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            _edit(chars, rng)
        text = "".join(chars)
        case = rng.random()
        if case < 0.5:
            text = text.lower()
        elif case < 0.6:
            text = text.upper()
        elif case < 0.7:
            text = text.title()
        if rng.random() < 0.5:
            text = text.translate(_QUOTE_SWAP)
        if rng.random() < 0.5:  # people rarely type the commas and quotation marks
            text = " ".join(_PUNCT.sub("", text).split())
        queries.append(Query(text, clean, source))
    return queries


def _right(hit: SearchHit, query: Query) -> bool:
    return hit.passage == query.source or query.clean in match_key(hit.passage.text)


def run_method(
    index: SearchIndex, queries: list[Query], *, exhaustive: bool
) -> tuple[float, float, list[float], list[Query]]:
    """recall@1, recall@5, per-query latencies (seconds) and the queries missed at rank 1."""
    top1 = top5 = 0
    latencies: list[float] = []
    misses: list[Query] = []
    for query in queries:
        hits = _search(index, query.text, exhaustive=exhaustive, latencies=latencies)
        if hits and _right(hits[0], query):
            top1 += 1
        else:
            misses.append(query)
        top5 += any(_right(hit, query) for hit in hits)
    return top1 / len(queries), top5 / len(queries), latencies, misses


def _search(
    index: SearchIndex, text: str, *, exhaustive: bool, latencies: list[float] | None = None
) -> list[SearchHit]:
    started = time.perf_counter()
    try:
        hits = index.search(text, limit=5, exhaustive=exhaustive)
    except (NotFound, QueryError):
        hits = []
    if latencies is not None:
        latencies.append(time.perf_counter() - started)
    return hits


def audit_misses(index: SearchIndex, misses: list[Query]) -> int:
    """How many of the index's rank-1 misses the brute-force scan also misses."""
    also = 0
    for query in misses:
        hits = _search(index, query.text, exhaustive=True)
        also += not (hits and _right(hits[0], query))
    return also


def time_suggest(index: SearchIndex, queries: list[Query]) -> list[float]:
    """Latencies (seconds) of ``suggest`` on the first 60% of each query (typing in progress)."""
    latencies = []
    for query in queries:
        prefix = query.text[: max(3, len(query.text) * 6 // 10)]
        started = time.perf_counter()
        index.suggest(prefix)
        latencies.append(time.perf_counter() - started)
    return latencies


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] * 1000


def human(n: int) -> str:
    return (
        f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated corpus sizes")
    parser.add_argument("--queries", type=int, default=200, help="queries per size")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--keep-punctuation",
        action="store_true",
        help="match with punctuation kept (the alternative matching key, for comparison)",
    )
    parser.add_argument(
        "--candidates", type=int, default=None, help="stage-1 candidates per query (default: auto)"
    )
    args = parser.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    if args.keep_punctuation:
        search_module.MATCH_PUNCTUATION = True

    print("gathering text…", file=sys.stderr, flush=True)
    real = real_text()
    rows: list[Row] = []
    notes: list[str] = []
    filler_note = ""
    for size in sizes:
        corpus, n_real = build_corpus(size, seed=args.seed, real=real)
        if n_real < size:
            filler_note = (
                f"{len(real.chunks):,} real passages; larger sizes are topped up with paragraphs "
                "of recombined real sentences"
            )
        before = rss_mb()
        started = time.perf_counter()
        index = SearchIndex.build(corpus, candidates=args.candidates)
        build_s = time.perf_counter() - started
        index_mb = rss_mb() - before
        queries = make_queries(index, args.queries, random.Random(args.seed + size))
        print(f"{human(size)}: built in {build_s:.1f}s, searching…", file=sys.stderr, flush=True)
        r1, r5, lat, misses = run_method(index, queries, exhaustive=False)
        suggest_lat = time_suggest(index, queries)
        notes.append(
            f"suggest() at {human(size)}: p50 {pct(suggest_lat, 50):.1f} ms, "
            f"p99 {pct(suggest_lat, 99):.1f} ms (prefixes: first 60% of each query)"
        )
        ours = Row(
            human(size),
            f"ours (K={index._candidates})",
            r1,
            r5,
            pct(lat, 50),
            pct(lat, 99),
            build_s,
            index_mb,
            "",
        )
        rows.append(ours)
        if size <= BRUTE_FORCE_MAX:
            b1, b5, blat, _ = run_method(index, queries, exhaustive=True)
            ratio = statistics.median(blat) / statistics.median(lat)
            ours.speedup = f"{ratio:,.0f}×"
            rows.append(
                Row(
                    human(size),
                    "brute force",
                    b1,
                    b5,
                    pct(blat, 50),
                    pct(blat, 99),
                    None,
                    None,
                    "1×",
                )
            )
            last_brute = (size, statistics.median(blat))
        else:
            notes.append(
                f"brute force skipped at {human(size)}: a full partial_ratio scan grows linearly "
                f"(≈{last_brute[1] * size / last_brute[0]:.2f} s per query, extrapolated from "
                f"{human(last_brute[0])}); the speed-up shown is against that extrapolation"
                if "last_brute" in locals()
                else f"brute force skipped at {human(size)} (over {human(BRUTE_FORCE_MAX)})"
            )
            if len(misses) <= AUDIT_MAX:
                started = time.perf_counter()
                also = audit_misses(index, misses)
                notes.append(
                    f"at {human(size)} the brute-force scan also misses {also} of the index's "
                    f"{len(misses)} rank-1 misses (checked in {time.perf_counter() - started:.0f} s), "
                    f"so its recall@1 there is at most {r1 + (len(misses) - also) / len(queries):.1%}"
                )
            if "last_brute" in locals():
                est = last_brute[1] * size / last_brute[0]
                ours.speedup = f"≈{est / statistics.median(lat):,.0f}× (est.)"
        del index, corpus

    print()
    key = "punctuation kept" if args.keep_punctuation else "punctuation stripped"
    print(
        f"Fuzzy passage search, {args.queries} typo'd queries per size, one core, matching key "
        f"with {key}. Corpus: {filler_note or 'real text only'}."
    )
    print()
    print(
        "| size | method | recall@1 | recall@5 | p50 ms | p99 ms | build s | RSS MB | speed-up (p50) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        build = f"{row.build:.1f}" if row.build is not None else "—"
        rss = f"{row.rss:,.0f}" if row.rss is not None else "—"
        print(
            f"| {row.size} | {row.method} | {row.recall1:.1%} | {row.recall5:.1%} | {row.p50:.1f} | "
            f"{row.p99:.1f} | {build} | {rss} | {row.speedup} |"
        )
    print()
    print(
        f"RSS MB = resident memory added by the build (passages, normalised text, q-gram index); process peak {peak_rss_mb():,.0f} MB."
    )
    for note in notes:
        print(f"- {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
