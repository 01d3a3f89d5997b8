"""Building the index in one streaming pass: matching keys in, compact arrays out.

Keys arrive one passage at a time and are handled in chunks of about ``CHUNK_CHARS``
characters, so no list of a million key strings is ever held: each chunk's keys are appended
to one UTF-8 buffer, and its q-grams are hashed (:func:`._grams.gram_buckets`), paired with
chunk-local passage ids as ``uint32`` keys ``bucket << 8 | id % 256``, sorted and deduplicated
per block of 256 passages (32-bit sorts are several times faster than 64-bit ones) and kept,
4 bytes a pair, until every bucket's count is known. Then a counting sort places each block's
pairs into one ``int32`` array of posting lists, which is gap-coded into bytes (see
:mod:`._grams`) a slice at a time. Time and memory are linear in the corpus; at a million
passages the temporary arrays stay under about 1 GB above what the index keeps
(``benchmarks/README.md``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from array import array
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from bot.core.search._grams import Postings, bits_for, codes, gram_buckets

CHUNK_CHARS = 1 << 24  # characters per chunk: its arrays (over 32 MB) are mmapped and freed
_BLOCK = 256  # passages per sorted block (chunk-local id in the low 8 bits of a pair)
_ENCODE_SLICE = 1 << 23  # postings gap-coded at a time
_Chunk = tuple[int, npt.NDArray[np.uint32], npt.NDArray[np.int64]]


class Builder:
    """Collects matching keys (:meth:`add`) and makes the index arrays (:meth:`finish`).

    ``chars`` is about the total length of the keys (it sets the hash width); ``progress`` is
    called with the number of chunks done after each one.
    """

    def __init__(self, chars: int, progress: Callable[[int], None] | None = None) -> None:
        self.bits = bits_for(chars)
        self._progress = progress
        self._counts = np.zeros(1 << self.bits, dtype=np.int64)
        self._chunks: list[_Chunk] = []
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
        counts = self._counts
        grams = np.flatnonzero(counts).astype(np.uint32)
        indptr = np.zeros(len(grams) + 1, dtype=np.int64)
        np.cumsum(counts[grams], out=indptr[1:])
        del self._counts, counts
        ids = self._scatter(grams, indptr)
        postings = _encode(ids, grams, indptr, self.bits, n)
        del ids
        keys = np.frombuffer(self._blob, dtype=np.uint8)  # shares the buffer, no copy
        _release_free_memory()
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
        self._counts[buckets] += counts
        self._chunks.append((first, pairs, bounds))
        if self._progress is not None:
            self._progress(len(self._chunks))

    def _scatter(
        self, grams: npt.NDArray[np.uint32], indptr: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int32]:
        """Every chunk's pairs placed into the posting lists (passage ids in increasing order)."""
        ids = np.empty(int(indptr[-1]), dtype=np.int32)
        cursor = np.zeros(1 << self.bits, dtype=np.int64)
        cursor[grams] = indptr[:-1]
        self._chunks.reverse()
        while self._chunks:
            first, pairs, bounds = self._chunks.pop()
            for block in range(len(bounds) - 1):
                part = pairs[bounds[block] : bounds[block + 1]]
                if len(part) == 0:
                    continue
                bucket = part >> np.uint32(8)
                starts = np.flatnonzero(np.concatenate(([True], bucket[1:] != bucket[:-1])))
                sizes = np.diff(np.append(starts, len(part)))
                place = cursor[bucket] + (np.arange(len(part)) - np.repeat(starts, sizes))
                ids[place] = (part & np.uint32(0xFF)).astype(np.int32) + (first + block * _BLOCK)
                cursor[bucket[starts]] += sizes
        return ids


def _chunk_pairs(
    keys: list[str], bits: int
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """A chunk's distinct ``bucket << 8 | id % 256`` pairs, sorted within each block of 256
    passages, and the block boundaries."""
    text = " " + "  ".join(keys) + " "
    lengths = np.fromiter((len(k) + 2 for k in keys), dtype=np.int64, count=len(keys))
    owner = np.repeat(np.arange(len(keys), dtype=np.int32), lengths)
    buckets = gram_buckets(codes(text), bits)
    span = 3
    valid = owner[:-span] == owner[span:]
    owner = owner[: len(valid)][valid]
    pairs = (buckets[valid] << np.uint32(8)) | (owner & 0xFF).astype(np.uint32)
    del buckets, valid
    edges = np.searchsorted(owner, np.arange(0, len(keys) + _BLOCK, _BLOCK))
    parts: list[npt.NDArray[np.uint32]] = []
    for a, b in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        block = np.sort(pairs[a:b])
        if len(block):
            block = block[np.concatenate(([True], block[1:] != block[:-1]))]
        parts.append(block)
    bounds = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum([len(p) for p in parts], out=bounds[1:])
    return np.concatenate(parts) if parts else np.empty(0, np.uint32), bounds


def _encode(
    ids: npt.NDArray[np.int32],
    grams: npt.NDArray[np.uint32],
    indptr: npt.NDArray[np.int64],
    bits: int,
    passages: int,
) -> Postings:
    """Gap-code the posting lists ``ids`` (see :mod:`._grams`), a slice of lists at a time."""
    gaps = np.empty(len(ids), dtype=np.uint8)
    count16 = np.zeros(len(grams) + 1, dtype=np.int64)
    count32 = np.zeros(len(grams) + 1, dtype=np.int64)
    parts16: list[npt.NDArray[np.uint16]] = []
    parts32: list[npt.NDArray[np.uint32]] = []
    g = 0
    while g < len(grams):
        stop = int(np.searchsorted(indptr, indptr[g] + _ENCODE_SLICE, side="right")) - 1
        stop = min(max(stop, g + 1), len(grams))
        a, b = int(indptr[g]), int(indptr[stop])
        values = ids[a:b]
        delta = np.empty(b - a, dtype=np.int32)
        np.subtract(values[1:], values[:-1], out=delta[1:])
        heads = indptr[g:stop] - a
        delta[heads] = values[heads] + 1
        big = delta >= 256
        gaps[a:b] = np.where(big, 0, delta)
        ends = np.concatenate(([0], np.cumsum(big, dtype=np.int64)))
        count16[g + 1 : stop + 1] = ends[indptr[g + 1 : stop + 1] - a] - ends[heads]
        wide = delta[big]
        huge = wide >= 65536
        parts16.append(np.where(huge, 0, wide).astype(np.uint16))
        parts32.append(wide[huge].astype(np.uint32))
        if huge.any():
            owner = np.repeat(np.arange(g, stop), count16[g + 1 : stop + 1])
            count32[g + 1 : stop + 1] = np.bincount(owner[huge] - g, minlength=stop - g)
        g = stop
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


def _release_free_memory() -> None:
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
