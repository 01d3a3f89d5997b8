"""The q-gram inverted index: hashing 4-grams and reading the compressed posting lists.

Every passage's matching key, padded with a space at each end, is cut into overlapping character
4-grams, hashed into ``2**bits`` buckets (``bits`` grows with the corpus up to 24). The index is
compressed sparse rows *sized to the data*: ``grams`` holds the sorted ids of the buckets that
occur (a few hundred thousand even at a million passages, where a dense table over every bucket
took 134 MB), ``indptr`` their offsets. Each list's sorted passage ids are stored as gaps (the
first as ``id + 1``) in one byte; a gap of 256 or more is a ``0`` byte whose value is the next
entry of ``escapes16`` for its list, and one of 65,536 or more is a ``0`` there too, its value in
``escapes32``: about 1.3 bytes per posting instead of 4 (the byte-aligned gap coding of search
engines, e.g. Lucene's VInt, Manning et al., *Introduction to Information Retrieval*, 5.3.1),
decoded with a masked assignment and a cumulative sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.core.search._errors import IndexFileError

Q = 4  # q-gram length (measured against 3 and 5: benchmarks/README.md)
MAX_BITS = 24  # at most 2**24 hash buckets
_GOLDEN64 = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, for multiplicative hashing
_GOLDEN32 = np.uint32(0x9E3779B1)

IntArray = npt.NDArray[np.int64]
U32 = npt.NDArray[np.uint32]


def codes(text: str) -> npt.NDArray[np.uint8] | U32:
    """The code points of ``text``: ``uint8`` when it is ASCII (a quarter of the memory), else
    ``uint32``."""
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def bits_for(chars: int) -> int:
    """Hash width for a corpus of about ``chars`` characters: one bucket per character, 12-24 bits."""
    return min(MAX_BITS, max(12, chars.bit_length()))


def gram_buckets(points: npt.NDArray[np.uint8] | U32, bits: int) -> U32:
    """Bucket of every q-gram ``points[i:i+Q]`` in ``[0, 2**bits)``.

    A gram of four code points below 256 (Latin-1: most European text) is packed exactly into 32
    bits and hashed with one multiplication (Fibonacci hashing, Knuth 6.4); any other gram is
    hashed over its full code points in 64 bits. Collisions only merge posting lists (extra
    candidates, never lost ones).
    """
    n = len(points) - Q + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint32)
    low = points.astype(
        np.uint8, copy=False
    )  # the low byte (wide code points are hashed again below)
    out = np.empty(n, dtype=np.uint32)
    part = np.empty(n, dtype=np.uint32)
    np.left_shift(low[:n], np.uint32(24), out=out)
    for shift, at in ((16, 1), (8, 2), (0, 3)):  # in place: no 4-byte temporaries per gram
        np.left_shift(low[at : at + n], np.uint32(shift), out=part)
        np.bitwise_or(out, part, out=out)
    del part
    np.multiply(out, _GOLDEN32, out=out)
    np.right_shift(out, np.uint32(32 - bits), out=out)
    if points.dtype != np.uint8 and (wide := points > 0xFF).any():
        wide_gram = wide[:n] | wide[1 : n + 1] | wide[2 : n + 2] | wide[3:]
        where = np.flatnonzero(wide_gram)
        h = np.zeros(len(where), dtype=np.uint64)
        for i in range(Q):
            h ^= points[where + i]
            h *= _GOLDEN64
        out[where] = (h >> np.uint64(64 - bits)).astype(np.uint32)
    return out


def buckets_of(key: str, bits: int) -> U32:
    """The sorted distinct buckets of a query key's q-grams (padded with spaces when shorter than
    ``Q + 1`` characters: a whole-word match)."""
    text = key if len(key) > Q else f" {key} "
    return np.unique(gram_buckets(codes(text), bits))


@dataclass(frozen=True, slots=True)
class Postings:
    """A read-only q-gram inverted index over ``passages`` passages (see the module docstring).

    Attributes:
        bits: hash width (``2**bits`` buckets).
        passages: number of indexed passages ``N``.
        grams: ``uint32``, sorted ids of the buckets with a posting list.
        indptr: ``int64``, ``len(grams) + 1`` offsets into ``gaps``.
        gaps: ``uint8``, gap-coded passage ids.
        escape16_ptr, escapes16: ``int64`` offsets per gram, ``uint16`` gaps of 256-65,535.
        escape32_ptr, escapes32: the same for gaps of 65,536 or more (``uint32``).
    """

    bits: int
    passages: int
    grams: U32
    indptr: IntArray
    gaps: npt.NDArray[np.uint8]
    escape16_ptr: IntArray
    escapes16: npt.NDArray[np.uint16]
    escape32_ptr: IntArray
    escapes32: U32

    @property
    def size(self) -> int:
        """The passage id space (``passages``; a merged view's can hold masked ids too)."""
        return self.passages

    def lookup(self, key: str) -> tuple[IntArray, IntArray]:
        """``(lists, df)``: the posting lists of ``key``'s distinct q-grams and their lengths.

        A key shorter than ``Q + 1`` characters is padded with spaces (a whole-word match).
        """
        where, df = self.locate(buckets_of(key, self.bits))
        found = where >= 0
        return where[found], df[found]

    def locate(self, buckets: U32) -> tuple[IntArray, IntArray]:
        """``(lists, df)`` of sorted distinct ``buckets``: each one's list (``-1`` if it has
        none) and its length (0)."""
        if len(self.grams) == 0 or len(buckets) == 0:
            return np.full(len(buckets), -1, dtype=np.int64), np.zeros(len(buckets), np.int64)
        where = np.minimum(np.searchsorted(self.grams, buckets), len(self.grams) - 1)
        where = where.astype(np.int64)
        where[self.grams[where] != buckets] = -1
        df = np.where(where >= 0, self.indptr[where + 1] - self.indptr[np.maximum(where, 0)], 0)
        return where, df.astype(np.int64)

    def parts(self, t: int) -> tuple[npt.NDArray[np.int64], ...]:
        """Posting list ``t`` as sorted id arrays (one here; a merged view has one per segment)."""
        return (self.ids(t),)

    def ids(self, t: int) -> npt.NDArray[np.int64]:
        """The sorted passage ids of posting list ``t``.

        Raises :class:`IndexFileError` when the list does not decode to ids in ``[0, passages)``
        (its escapes do not match its zero bytes, or an id is out of range): a saved index is
        only spot-checked when loaded, and each list is checked here, where it is decoded anyway.
        """
        raw = self.gaps[self.indptr[t] : self.indptr[t + 1]]
        values = raw.astype(np.int64)
        a, b = int(self.escape16_ptr[t]), int(self.escape16_ptr[t + 1])
        escaped = raw == 0
        if int(np.count_nonzero(escaped)) != b - a:
            raise IndexFileError(f"posting list {t} has {b - a} escapes for its zero bytes")
        if b > a:
            wide = self.escapes16[a:b].astype(np.int64)
            c, d = int(self.escape32_ptr[t]), int(self.escape32_ptr[t + 1])
            huge = wide == 0
            if int(np.count_nonzero(huge)) != d - c:
                raise IndexFileError(f"posting list {t} has {d - c} wide escapes for its zeros")
            if d > c:
                wide[huge] = self.escapes32[c:d]
            values[escaped] = wide
        ids = np.cumsum(values)
        ids -= 1
        if len(ids) and not (int(ids[0]) >= 0 and int(ids[-1]) < self.passages):
            raise IndexFileError(
                f"posting list {t} holds passage ids outside 0-{self.passages - 1}"
            )
        return ids
