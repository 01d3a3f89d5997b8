"""Segments: one build's arrays, and a base segment with a delta seen as one index.

A :class:`Segment` is what one build makes: posting lists, matching keys, the passage columns,
the documents and each one's size. After documents change, the corpus store keeps the saved
segment of the whole corpus (the *base*, memory-mapped) and builds a small *delta* segment of
the changed and added documents only; the base's passages of changed and removed documents are
masked (tombstones), the shape of Lucene's segments and deletions (the Lucene index file
format: a segment is never rewritten, deletions are a separate bitmap, segments are merged when
they grow). :class:`Layout` says where each document's passages are in the composite id space
(the base's ids, then the delta's offset by the base's size) and in the corpus's order;
:class:`Merged` reads both segments' posting lists as one and counts only live postings in each
list's length, so votes, IDF weights and ties are those of a fresh build of the corpus.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.core.models import Passage
from bot.core.search._errors import IndexFileError
from bot.core.search._grams import Postings, buckets_of

U8 = npt.NDArray[np.uint8]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]

#: Composite order of a masked document's passages (never compared: they are never candidates).
_NEVER = np.iinfo(np.int64).max // 2


@dataclass(frozen=True, slots=True)
class Segment:
    """One build's arrays: ``columns`` has ``doc``, ``paragraph``, ``start``, ``end`` (one
    ``int32`` per passage), ``documents`` is ``(id, title)`` per document number, ``chars`` each
    document's size as the hash width counts it, ``text_of(pid)`` a passage's original text,
    ``texts`` the passage texts packed (UTF-8 buffer, offsets) when it has them (loaded, or
    built with ``keep_texts``)."""

    postings: Postings
    keys: U8
    key_offsets: I64
    columns: dict[str, I32]
    documents: tuple[tuple[str, str], ...]
    chars: tuple[int, ...]
    text_of: Callable[[int], str]
    texts: tuple[U8, I64] | None = None

    def __len__(self) -> int:
        return len(self.key_offsets) - 1

    def key(self, pid: int) -> str:
        """The matching key of passage ``pid``."""
        o = self.key_offsets
        return self.keys[o[pid] : o[pid + 1]].tobytes().decode("utf-8", "surrogatepass")

    def keys_of(self, lo: int, hi: int) -> list[str]:
        """The matching keys of passages ``[lo, hi)``."""
        o = self.key_offsets
        blob = self.keys[o[lo] : o[hi]].tobytes()
        cuts = (o[lo : hi + 1] - o[lo]).tolist()
        return [blob[a:b].decode("utf-8", "surrogatepass") for a, b in itertools.pairwise(cuts)]

    def bounds(self) -> list[int]:
        """``bounds[d]:bounds[d + 1]`` are document ``d``'s passages."""
        doc = self.columns["doc"]
        bounds: list[int] = np.searchsorted(doc, np.arange(len(self.documents) + 1)).tolist()
        return bounds


class Layout:
    """Where the live documents' passages are: in the composite id space of ``segments`` (one,
    or a base and a delta; each offset by the passages of those before it) and in corpus order
    (``order``: the live document ids; a document in a later segment replaces one of the same id
    in an earlier one). Without ``order``, every document of the single segment, in its order.
    Raises ``ValueError`` when the segments and ``order`` do not make an index."""

    def __init__(self, segments: Sequence[Segment], order: Sequence[str] | None = None) -> None:
        if not 1 <= len(segments) <= 2:
            raise ValueError("an index is one segment, or a base and a delta")
        self.segments = tuple(segments)
        self.offsets = [0]
        documents: list[tuple[str, str]] = []
        lo: list[int] = []
        hi: list[int] = []
        for segment in segments:
            bounds = segment.bounds()
            lo += [b + self.offsets[-1] for b in bounds[:-1]]
            hi += [b + self.offsets[-1] for b in bounds[1:]]
            documents += segment.documents
            self.offsets.append(self.offsets[-1] + len(segment))
        self.documents = tuple(documents)
        self.size = self.offsets[-1]
        number = {doc_id: d for d, (doc_id, _) in enumerate(documents)}  # the last segment wins
        live = [number[doc_id] for doc_id in order] if order is not None else range(len(documents))
        if order is not None and len(set(live)) != len(live):
            raise ValueError("a document is listed twice")
        self.identity = order is None or (
            len(segments) == 1 and list(live) == list(range(len(documents)))
        )
        self.ranges = {documents[d][0]: (lo[d], hi[d]) for d in live}
        self.live = [(lo[d], hi[d]) for d in live]  # in corpus order
        self.starts = [0]  # in corpus order: the first passage of each live document
        for a, b in self.live:
            self.starts.append(self.starts[-1] + b - a)
        self.passages = self.starts[-1]
        kept = set(live)
        self.masked = [
            (lo[d], hi[d]) for d in range(len(documents)) if d not in kept and hi[d] > lo[d]
        ]
        self._lo = np.asarray(lo, dtype=np.int64)
        self._global = np.full(len(documents), _NEVER, dtype=np.int64)
        for d, start in zip(live, self.starts, strict=False):
            self._global[d] = start

    def postings(self) -> Postings | Merged:
        """The posting lists of the live passages, in composite ids."""
        if len(self.segments) == 1:
            if self.masked:
                raise ValueError("a single segment has no masked documents")
            return self.segments[0].postings
        base, delta = self.segments
        removed = removed_counts(base, self.masked)
        return Merged(base.postings, delta.postings, removed, self.passages, self.size, len(base))

    def local(self, pid: int) -> tuple[Segment, int]:
        """The segment of composite passage ``pid`` and its id there."""
        if len(self.segments) == 1 or pid < self.offsets[1]:
            return self.segments[0], pid
        return self.segments[1], pid - self.offsets[1]

    def key(self, pid: int) -> str:
        """The matching key of composite passage ``pid``."""
        segment, local = self.local(pid)
        return segment.key(local)

    def passage(self, pid: int) -> Passage:
        """Composite passage ``pid``."""
        segment, local = self.local(pid)
        c = segment.columns
        doc = segment.documents[int(c["doc"][local])][0]
        start, end = int(c["start"][local]), int(c["end"][local])
        return Passage(doc, int(c["paragraph"][local]), start, end, segment.text_of(local))

    def column(self, name: str, where: I64) -> I64:
        """Column ``name`` of composite passages ``where`` (``doc``: composite document numbers)."""
        first = self.segments[0].columns[name]
        if len(self.segments) == 1:
            return first[where].astype(np.int64)
        split = self.offsets[1]
        out = np.empty(len(where), dtype=np.int64)
        low = where < split
        out[low] = first[where[low]]
        out[~low] = self.segments[1].columns[name][where[~low] - split]
        if name == "doc":
            out[~low] += len(self.segments[0].documents)
        return out

    def nth(self, i: int) -> int:
        """The composite id of the ``i``-th live passage in corpus order."""
        if self.identity:
            return i
        k = bisect.bisect_right(self.starts, i) - 1
        return self.live[k][0] + i - self.starts[k]

    def order(self, ids: I64, documents: I64) -> I64:
        """The place in corpus order of passages ``ids`` (of document numbers ``documents``)."""
        if self.identity:
            return ids
        return self._global[documents] + (ids - self._lo[documents])

    def live_ids(self, lo: int, hi: int) -> Sequence[int]:
        """The live passages of ``[lo, hi)``, in id order."""
        if not self.masked:
            return range(lo, hi)
        ids = np.arange(lo, hi)
        keep = np.ones(hi - lo, dtype=bool)
        for a, b in self.masked:
            keep[max(a, lo) - lo : max(min(b, hi), lo) - lo] = False
        live: list[int] = ids[keep].tolist()
        return live

    def live_count(self, lo: int, hi: int) -> int:
        """How many passages of ``[lo, hi)`` are live."""
        return (hi - lo) - sum(max(0, min(b, hi) - max(a, lo)) for a, b in self.masked)

    def unmask(self, votes: npt.NDArray[np.uint16], lo: int, hi: int) -> None:
        """Zero the votes (``votes[i]`` for passage ``lo + i``) of masked passages."""
        for a, b in self.masked:
            if b > lo and a < hi:
                votes[max(a, lo) - lo : min(b, hi) - lo] = 0


@dataclass(frozen=True, slots=True)
class Merged:
    """The posting lists of a ``base`` and a ``delta`` segment read as one, in composite ids
    (the delta's offset by ``split``); each list's length counts live postings only (``removed``:
    per base list, the postings of masked passages). ``passages`` is the live count, ``size``
    the composite id space. A list handle ``t`` is ``base list + 1`` times ``len(delta) + 1``
    plus ``delta list + 1`` (0: absent)."""

    base: Postings
    delta: Postings
    removed: I64
    passages: int
    size: int
    split: int

    @property
    def bits(self) -> int:
        return self.base.bits

    def lookup(self, key: str) -> tuple[I64, I64]:
        """``(lists, df)`` as :meth:`Postings.lookup`: the query's grams with live postings."""
        buckets = buckets_of(key, self.bits)
        b, bdf = self.base.locate(buckets)
        d, ddf = self.delta.locate(buckets)
        df = bdf + ddf
        has = b >= 0
        df[has] -= self.removed[b[has]]
        keep = df > 0
        handles = (b + 1) * (len(self.delta.grams) + 1) + (d + 1)
        return handles[keep], df[keep]

    def parts(self, t: int) -> tuple[I64, ...]:
        """List ``t``'s composite passage ids (masked ones included), base and delta apart, each
        sorted (no copy of the base's: it is most of a common list)."""
        b, d = divmod(int(t), len(self.delta.grams) + 1)
        parts = []
        if b > 0:
            parts.append(self.base.ids(b - 1))
        if d > 0:
            parts.append(self.delta.ids(d - 1) + self.split)
        return tuple(parts)

    def ids(self, t: int) -> I64:
        """The sorted composite passage ids of list ``t`` (masked ones included)."""
        return np.concatenate(self.parts(t))


def removed_counts(base: Segment, masked: Sequence[tuple[int, int]]) -> I64:
    """Per base list, how many of the ``masked`` passage ranges' passages it holds; raises
    :class:`IndexFileError` when their keys do not fit the lists (a crafted folder)."""
    from bot.core.search._build import gram_counts

    removed = np.zeros(len(base.postings.grams), dtype=np.int64)
    for lo, hi in masked:
        for a in range(lo, hi, 4096):
            try:
                keys = base.keys_of(a, min(a + 4096, hi))
                buckets, counts = gram_counts(keys, base.postings.bits)
            except ValueError as error:  # not UTF-8, or not matching keys
                raise IndexFileError(f"its matching keys are not valid ({error})") from None
            where, _ = base.postings.locate(buckets)
            if np.any(where < 0):
                raise IndexFileError("its posting lists do not hold every q-gram of its keys")
            np.add.at(removed, where, counts)
    return removed
