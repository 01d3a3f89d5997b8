"""Building the index in one streaming pass: matching keys in, compact arrays out.

Keys arrive one passage at a time and are handled in chunks of about ``CHUNK_CHARS``
characters, so no list of a million key strings is ever held: each chunk's keys are appended
to one UTF-8 buffer, and its q-grams are hashed (:func:`._grams.gram_buckets`), paired with
chunk-local passage ids as ``uint32`` keys ``bucket << 8 | id % 256``, sorted and deduplicated
per block of 256 passages (32-bit sorts are several times faster than 64-bit ones). Each block's
pairs are split by bucket range into ``PARTS`` growing buffers, 4 bytes a pair, until every
bucket's count is known. Then, one bucket range at a time, a counting sort places its pairs into
posting lists, which are gap-coded into bytes (see :mod:`._grams`) and the range's buffer freed,
so the pairs and the coded lists are never all in memory at once. Time and memory are linear in
the corpus; at a million passages the temporary arrays stay under about 1 GB above what the
index keeps (``benchmarks/README.md``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import numpy.typing as npt

from bot.core.search._grams import Postings, bits_for, codes, gram_buckets

#: Characters per chunk: its temporary arrays stay under 4 MB, which numpy allocates without
#: asking for huge pages and glibc reuses; with 16 MB chunks, page faults took half the build time.
CHUNK_CHARS = 1 << 19
_BLOCK = 256  # passages per sorted block (chunk-local id in the low 8 bits of a pair)
PARTS = 16  # bucket ranges placed and gap-coded one at a time


class Builder:
    """Collects matching keys (:meth:`add`) and makes the index arrays (:meth:`finish`).

    ``chars`` is about the total length of the keys (it sets the hash width, unless ``bits`` is
    given: a delta segment hashes as its base does); ``progress`` is called with the number of
    chunks done after each one.
    """

    def __init__(
        self, chars: int, progress: Callable[[int], None] | None = None, bits: int | None = None
    ) -> None:
        self.bits = bits_for(chars) if bits is None else bits
        self._progress = progress
        self._chunks = 0
        self._counts = np.zeros(1 << self.bits, dtype=np.int32)
        # bucket range p holds the pairs from _edges[p - 1] (or 0) up to _edges[p]
        self._edges = np.arange(1, PARTS, dtype=np.uint32) << np.uint32(self.bits + 8 - 4)
        self._pairs = [array("I") for _ in range(PARTS)]
        self._blocks = [array("q") for _ in range(PARTS)]  # (first passage id, pairs) per block
        self._pending: list[str] = []
        self._pending_chars = 0
        self._blob = bytearray()
        self._offsets = array("q", [0])

    def add(self, key: str) -> None:
        """Append the next passage's matching key."""
        self._pending.append(key)
        self._pending_chars += len(key) + 2
        if self._pending_chars >= CHUNK_CHARS:
            self._flush()

    def finish(self) -> tuple[Postings, npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
        """``(postings, keys, key_offsets)``: the index and the keys as UTF-8 with byte offsets."""
        self._flush()
        n = len(self._offsets) - 1
        grams = np.flatnonzero(self._counts).astype(np.uint32)
        indptr = np.zeros(len(grams) + 1, dtype=np.int64)
        np.cumsum(self._counts[grams], out=indptr[1:])
        del self._counts
        starts = np.searchsorted(grams << np.uint32(8), self._edges).tolist()
        slices = list(zip([0, *starts], [*starts, len(grams)], strict=True))
        longest = max((int(indptr[b] - indptr[a]) for a, b in slices), default=0)
        buffer = np.empty(longest, dtype=np.int32)  # reused by every range: no page faults
        postings = _encode(
            lambda s: self._place(grams, indptr, slices[s], s, buffer),
            grams,
            indptr,
            slices,
            self.bits,
            n,
        )
        keys = np.frombuffer(self._blob, dtype=np.uint8)  # shares the buffer, no copy
        return postings, keys, np.frombuffer(self._offsets, dtype=np.int64).copy()

    def _flush(self) -> None:
        keys, self._pending, self._pending_chars = self._pending, [], 0
        if not keys:
            return
        first = len(self._offsets) - 1
        joined = "".join(keys)
        if joined.isascii():
            self._blob += joined.encode("ascii")
            sizes = list(map(len, keys))
        else:
            encoded = [k.encode("utf-8", "surrogatepass") for k in keys]
            self._blob += b"".join(encoded)
            sizes = list(map(len, encoded))
        ends = np.cumsum(np.asarray(sizes, dtype=np.int64)) + self._offsets[-1]
        self._offsets.frombytes(ends.tobytes())
        pairs, bounds = _chunk_pairs(keys, self.bits)
        buckets, counts = np.unique(pairs >> np.uint32(8), return_counts=True)
        self._counts[buckets] += counts.astype(np.int32)
        self._split(first, pairs, bounds)
        self._chunks += 1
        if self._progress is not None:
            self._progress(self._chunks)

    def _split(
        self, first: int, pairs: npt.NDArray[np.uint32], bounds: npt.NDArray[np.int64]
    ) -> None:
        """Append each block's pairs (passages from ``first``) to the buffers of their ranges."""
        for block, (a, b) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)):
            cuts = [a, *(np.searchsorted(pairs[a:b], self._edges) + a).tolist(), b]
            for part in range(PARTS):
                x, y = cuts[part], cuts[part + 1]
                if y > x:
                    self._pairs[part].frombytes(pairs[x:y].tobytes())
                    self._blocks[part].extend((first + block * _BLOCK, y - x))

    def _place(
        self,
        grams: npt.NDArray[np.uint32],
        indptr: npt.NDArray[np.int64],
        lists: tuple[int, int],
        part: int,
        buffer: npt.NDArray[np.int32],
    ) -> npt.NDArray[np.int32]:
        """The passage ids of posting lists ``lists`` (bucket range ``part``, in the start of
        ``buffer``), each list in increasing order, by counting sort; frees the range's pairs."""
        g, stop = lists
        base, low = int(indptr[g]), int(grams[g])
        ids = buffer[: int(indptr[stop]) - base]
        cursor = np.zeros(int(grams[stop - 1]) - low + 1, dtype=np.int64)
        cursor[grams[g:stop] - low] = indptr[g:stop] - base
        pairs = np.frombuffer(self._pairs[part], dtype=np.uint32)
        at = 0
        for first, size in zip(*[iter(self._blocks[part])] * 2, strict=True):
            part_pairs = pairs[at : at + size]
            at += size
            bucket = (part_pairs >> np.uint32(8)).astype(np.int64) - low
            starts = np.flatnonzero(np.concatenate(([True], bucket[1:] != bucket[:-1])))
            sizes = np.diff(np.append(starts, size))
            place = cursor[bucket] + (np.arange(size) - np.repeat(starts, sizes))
            ids[place] = (part_pairs & np.uint32(0xFF)).astype(np.int32) + first
            cursor[bucket[starts]] += sizes
        del pairs
        self._pairs[part], self._blocks[part] = array("I"), array("q")
        return ids


def _chunk_pairs(
    keys: list[str], bits: int
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """A chunk's distinct ``bucket << 8 | id % 256`` pairs, sorted within each block of 256
    passages, and the block boundaries.

    The keys are joined as ``" key  key  key "``: a key of ``L`` characters has ``L - 1``
    q-grams of its own, and every other q-gram holds the two spaces between keys (a matching key
    has no double space, and none at its ends; :class:`ValueError` otherwise).
    """
    text = " " + "  ".join(keys) + " "
    if text.count("  ") != len(keys) - 1 or "   " in text:
        raise ValueError("matching keys have single spaces between words and none at their ends")
    points = codes(text)
    counts = np.fromiter((max(len(k) - 1, 0) for k in keys), dtype=np.int64, count=len(keys))
    double = points[:-1] == 32
    double &= points[1:] == 32
    valid = ~double[:-2]
    valid &= ~double[1:-1]
    valid &= ~double[2:]
    del double
    buckets = gram_buckets(points, bits)[valid]
    del points, valid
    owner = np.repeat(np.arange(len(keys)).astype(np.uint8).astype(np.uint32), counts)
    buckets <<= np.uint32(8)
    buckets |= owner
    del owner
    ends = np.concatenate(([0], np.cumsum(counts)))
    edges = ends[np.minimum(np.arange(0, len(keys) + _BLOCK, _BLOCK), len(keys))]
    parts: list[npt.NDArray[np.uint32]] = []
    for a, b in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        block = np.sort(buckets[a:b])
        if len(block):
            block = block[np.concatenate(([True], block[1:] != block[:-1]))]
        parts.append(block)
    bounds = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum([len(p) for p in parts], out=bounds[1:])
    return np.concatenate(parts) if parts else np.empty(0, np.uint32), bounds


def gram_counts(keys: list[str], bits: int) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """``(buckets, counts)``: the sorted buckets of the q-grams of matching ``keys`` and in how
    many of the keys each occurs (what those passages add to each posting list's length)."""
    if not keys:
        return np.empty(0, np.uint32), np.empty(0, np.int64)
    pairs, _ = _chunk_pairs(keys, bits)
    buckets, counts = np.unique(pairs >> np.uint32(8), return_counts=True)
    return buckets, counts.astype(np.int64)


def _encode(
    place: Callable[[int], npt.NDArray[np.int32]],
    grams: npt.NDArray[np.uint32],
    indptr: npt.NDArray[np.int64],
    slices: list[tuple[int, int]],
    bits: int,
    passages: int,
) -> Postings:
    """Gap-code the posting lists (see :mod:`._grams`), a slice of lists at a time:
    ``place(s)`` gives the passage ids of the lists ``slices[s]``."""
    gaps = np.empty(int(indptr[-1]), dtype=np.uint8)
    longest = max((int(indptr[b] - indptr[a]) for a, b in slices), default=0)
    scratch = np.empty(longest, dtype=np.int32)
    count16 = np.zeros(len(grams) + 1, dtype=np.int64)
    count32 = np.zeros(len(grams) + 1, dtype=np.int64)
    parts16: list[npt.NDArray[np.uint16]] = []
    parts32: list[npt.NDArray[np.uint32]] = []
    for s, (g, stop) in enumerate(slices):
        if stop == g:
            continue
        a, b = int(indptr[g]), int(indptr[stop])
        values = place(s)
        delta = scratch[: b - a]
        np.subtract(values[1:], values[:-1], out=delta[1:])
        heads = indptr[g:stop] - a
        delta[heads] = values[heads] + 1
        del values
        big = delta >= 256
        np.copyto(gaps[a:b], delta, casting="unsafe")
        gaps[a:b][big] = 0
        count16[g + 1 : stop + 1] = np.add.reduceat(big, heads, dtype=np.int64)
        wide = delta[big]
        del delta, big
        huge = wide >= 65536
        parts16.append(np.where(huge, 0, wide).astype(np.uint16))
        parts32.append(wide[huge].astype(np.uint32))
        if huge.any():
            owner = np.repeat(np.arange(g, stop), count16[g + 1 : stop + 1])
            count32[g + 1 : stop + 1] = np.bincount(owner[huge] - g, minlength=stop - g)
    return Postings(
        bits,
        passages,
        grams,
        indptr,
        gaps,
        np.cumsum(count16),
        np.concatenate(parts16) if parts16 else np.empty(0, np.uint16),
        np.cumsum(count32),
        np.concatenate(parts32) if parts32 else np.empty(0, np.uint32),
    )


@contextmanager
def small_pages() -> Iterator[None]:
    """Numpy's huge-page hint off while building (restored after).

    numpy asks the kernel for transparent huge pages (``madvise``) for every array of 4 MB or more;
    the build's large arrays are written once, and on a busy machine faulting them in as huge
    pages (with memory compaction) took about a fifth of a million-passage build's CPU time
    (``benchmarks/README.md``). Process-wide, so another thread's arrays made meanwhile get
    ordinary pages: slower to fault in but otherwise the same.
    """
    core = getattr(np, "_core", None) or getattr(np, "core", None)
    setter = getattr(getattr(core, "multiarray", None), "_set_madvise_hugepage", None)
    if setter is None:
        yield
        return
    previous = setter(False)
    try:
        yield
    finally:
        setter(previous)


def release_free_memory() -> None:
    """Hand the build's freed temporary memory back to the OS (glibc ``malloc_trim``; elsewhere
    nothing). glibc keeps freed blocks under its dynamic mmap threshold (up to 32 MB) in the
    heap, which left about 350 MB of a million-passage build resident but unused."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
