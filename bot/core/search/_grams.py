"""The q-gram inverted index: hashing 4-grams, building compact posting lists, reading them.

Every passage's matching key, padded with a space at each end, is cut into overlapping character
4-grams, hashed into ``2**bits`` buckets (multiplicative hashing; ``bits`` grows with the corpus
up to 24) and stored in compressed sparse row form *sized to the data*: ``grams`` holds the
sorted ids of the buckets that occur (a few hundred thousand even at a million passages, where a
dense ``indptr`` over every bucket took 134 MB), ``indptr`` their ``len(grams) + 1`` offsets and
``postings`` the sorted passage ids (``int32``). Lists of *stop grams*, those in more than
``max(STOP_FRACTION * N, STOP_MIN)`` passages (``" the"``, ``"and "``), are not kept: they hold
about 60% of all postings at a million passages, carry the lowest IDF and were already skipped
by queries that have rarer grams (``benchmarks/README.md``).

Built in chunks of at most ``CHUNK_CHARS`` characters and 65,535 passages: a chunk's
``(bucket, passage)`` pairs are sorted bucket-major (``int64``), deduplicated, and kept as
``uint16`` chunk-local passage ids until the global counts are known; then each chunk's lists are
copied into place (a counting sort), so the build's temporary memory is about 2 bytes per pair.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Q = 4  # q-gram length (measured against 3 and 5: benchmarks/README.md)
MAX_BITS = 24  # at most 2**24 hash buckets
CHUNK_CHARS = 1 << 23  # characters per build chunk (bounds the build's temporary memory)
CHUNK_PASSAGES = (1 << 16) - 1  # passages per chunk (chunk-local ids fit in uint16)
#: A gram in more than ``max(STOP_FRACTION * N, STOP_MIN)`` of the ``N`` passages is a stop gram.
STOP_FRACTION = 0.02
STOP_MIN = 2_000
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, for multiplicative hashing
_SHIFT = 24  # pair = bucket << _SHIFT | chunk-local passage id

IntArray = npt.NDArray[np.int64]


def codes(text: str) -> npt.NDArray[np.uint32]:
    """The code points of ``text`` as a ``uint32`` array."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def gram_buckets(points: npt.NDArray[np.uint32], bits: int) -> IntArray:
    """Bucket of every q-gram ``points[i:i+Q]`` in ``[0, 2**bits)``.

    Multiplicative (Fibonacci) hashing of the code points, mixed one character at a time; the top
    ``bits`` bits are kept. Collisions only merge posting lists (extra candidates, never lost ones).
    """
    n = len(points) - Q + 1
    if n <= 0:
        return np.empty(0, dtype=np.int64)
    h = np.zeros(n, dtype=np.uint64)
    for i in range(Q):
        h ^= points[i : i + n]
        h *= _GOLDEN
    return (h >> np.uint64(64 - bits)).astype(np.int64)


@dataclass(frozen=True, slots=True)
class Postings:
    """A read-only q-gram inverted index over ``passages`` passages.

    Attributes:
        bits: hash width (``2**bits`` buckets).
        passages: number of indexed passages ``N``.
        grams: ``uint32``, sorted ids of the buckets with a posting list.
        indptr: ``int64``, ``len(grams) + 1`` offsets into ``postings``.
        postings: ``int32`` passage ids, increasing within each list.
        stop: ``uint32``, sorted ids of the stop-gram buckets (too common to keep).
    """

    bits: int
    passages: int
    grams: npt.NDArray[np.uint32]
    indptr: IntArray
    postings: npt.NDArray[np.int32]
    stop: npt.NDArray[np.uint32]

    def lookup(self, key: str) -> tuple[IntArray, IntArray]:
        """``(starts, df)`` of the posting lists of ``key``'s distinct q-grams that are kept.

        A key shorter than ``Q + 1`` characters is padded with spaces (a whole-word match).
        """
        text = key if len(key) > Q else f" {key} "
        buckets = np.unique(gram_buckets(codes(text), self.bits)).astype(np.uint32)
        if len(self.grams) == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        where = np.minimum(np.searchsorted(self.grams, buckets), len(self.grams) - 1)
        where = where[self.grams[where] == buckets]
        starts = self.indptr[where]
        return starts, self.indptr[where + 1] - starts


def build_postings(keys: Sequence[str], progress: Callable[[int], None] | None = None) -> Postings:
    """The :class:`Postings` of the distinct q-grams of ``" " + key + " "`` for every key.

    ``progress(chunks_done)`` is called after each chunk. Time and memory are linear in the total
    length of the keys.
    """
    n = len(keys)
    total = sum(len(k) + 2 for k in keys)
    bits = min(MAX_BITS, max(12, total.bit_length()))
    counts = np.zeros(1 << bits, dtype=np.int32)
    chunks: list[tuple[int, npt.NDArray[np.uint16], npt.NDArray[np.uint32], IntArray]] = []
    first = 0
    while first < n:
        last, size = first, 0
        while last < n and last - first < CHUNK_PASSAGES and (size < CHUNK_CHARS or last == first):
            size += len(keys[last]) + 2
            last += 1
        local, runs, lengths = _chunk_lists(keys[first:last], bits)
        counts[runs] += lengths.astype(np.int32)
        chunks.append((first, local, runs, lengths))
        first = last
        if progress is not None:
            progress(len(chunks))
    cap = max(STOP_FRACTION * n, STOP_MIN)
    grams = np.flatnonzero((counts > 0) & (counts <= cap)).astype(np.uint32)
    stop = np.flatnonzero(counts > cap).astype(np.uint32)
    keep = counts <= cap
    indptr = np.zeros(len(grams) + 1, dtype=np.int64)
    np.cumsum(counts[grams], out=indptr[1:])
    del counts
    postings = np.empty(int(indptr[-1]), dtype=np.int32)
    cursor = indptr[:-1].copy()
    while chunks:
        first, local, runs, lengths = chunks.pop(0)
        kept = keep[runs]
        sizes = lengths[kept]
        if len(sizes) == 0:
            continue
        where = np.searchsorted(grams, runs[kept])
        values = local[np.repeat(kept, lengths)].astype(np.int32) + first
        offsets = np.cumsum(sizes) - sizes
        postings[np.arange(len(values)) + np.repeat(cursor[where] - offsets, sizes)] = values
        cursor[where] += sizes
    return Postings(bits, n, grams, indptr, postings, stop)


def _chunk_lists(
    keys: Sequence[str], bits: int
) -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.uint32], IntArray]:
    """One chunk's posting lists: chunk-local passage ids grouped by bucket, the buckets, sizes."""
    text = " " + "  ".join(keys) + " "
    lengths = np.fromiter((len(k) + 2 for k in keys), dtype=np.int64, count=len(keys))
    owner = np.repeat(np.arange(len(keys), dtype=np.int64), lengths)
    buckets = gram_buckets(codes(text), bits)
    span = Q - 1
    valid = owner[:-span] == owner[span:] if len(owner) > span else np.zeros(0, dtype=bool)
    pairs = (buckets[valid] << _SHIFT) | owner[: len(valid)][valid]
    del buckets, owner, valid
    pairs.sort()
    if len(pairs):
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    local = (pairs & ((1 << _SHIFT) - 1)).astype(np.uint16)
    pairs >>= _SHIFT
    if len(pairs) == 0:
        return local, np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], pairs[1:] != pairs[:-1])))
    sizes = np.diff(np.append(starts, len(pairs)))
    return local, pairs[starts].astype(np.uint32), sizes
