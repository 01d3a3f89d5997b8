"""Stage 1: IDF-weighted q-gram votes and the best-voted candidate passages.

A query's distinct 4-grams vote for the passages containing them, each vote weighted by inverse
document frequency ``log((N + 1) / (df + 0.5))`` (Robertson and Spärck Jones), reading posting
lists rarest first until about ``POSTINGS_BUDGET * N`` postings have been read (at least 6 lists),
which bounds the work on queries made of common words. This is the q-gram filter of Ukkonen
("Approximate string-matching with q-grams and maximal matches", TCS 92, 1992): a substring
within ``k`` edits of a query of length ``m`` still shares at least ``m - q + 1 - k*q`` of its
q-grams, so a typo'd query keeps most of its votes where a word-level index loses each misspelt
word.

The ``k`` best-voted passages are found without partitioning the whole vote array (which took 9
of a query's 12 ms at a million passages): only entries at or above a threshold are kept, the
threshold starting at half the best vote and lowered until ``k`` passages pass it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

import numpy as np
import numpy.typing as npt

from bot.core.search._errors import IndexFileError

#: Stage 1 reads posting lists, rarest first, until about this many postings per indexed passage.
POSTINGS_BUDGET = 0.5
_MIN_LISTS = 6
#: At most this many times ``k`` candidates when many passages tie with the ``k``-th vote.
TIE_FACTOR = 4

#: Votes are integers: each list's IDF times at most this, rounded (a 2 MB ``uint16`` array at a
#: million passages, four times smaller than ``float64`` and twice as fast to fill and scan).
VOTE_SCALE = 64.0
_MAX_VOTE = 65_535

Votes = npt.NDArray[np.uint16]


class Lists(Protocol):
    """Posting lists as :func:`votes` reads them (:class:`._grams.Postings`, or a base and a
    delta read as one)."""

    @property
    def passages(self) -> int: ...
    @property
    def size(self) -> int: ...
    def lookup(self, key: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]: ...
    def parts(self, t: int) -> tuple[npt.NDArray[np.int64], ...]: ...


def votes(
    index: Lists,
    key: str,
    lo: int,
    hi: int,
    *,
    budget: float = POSTINGS_BUDGET,
    damaged: Callable[[IndexFileError], None] | None = None,
) -> Votes:
    """IDF-weighted count of ``key``'s q-grams in each passage of ``[lo, hi)``, reading posting
    lists rarest first until about ``budget * N`` postings.

    Returns ``hi - lo`` votes (``votes[i]`` for passage ``lo + i``): the sum of the IDFs of the
    lists read, each scaled by the same factor (``VOTE_SCALE``, less when the sum could overflow
    16 bits) and rounded to a whole number (at least 1). A list that does not decode (a damaged
    saved index) is skipped and reported to ``damaged`` (raised without it).
    """
    counted = np.zeros(hi - lo, dtype=np.uint16)
    lists, df = index.lookup(key)
    if len(df) == 0:
        return counted
    order = np.argsort(df, kind="stable")
    read = np.cumsum(df[order])
    n = index.passages
    keep = max(int(np.searchsorted(read, budget * n, side="right")), _MIN_LISTS)
    order = order[:keep]
    idf = np.log((n + 1) / (df[order] + 0.5))
    scale = min(VOTE_SCALE, _MAX_VOTE / float(np.ceil(idf).sum() + len(idf)))
    weights = np.maximum(np.round(idf * scale), 1).astype(np.uint16).tolist()
    for t, weight in zip(lists[order].tolist(), weights, strict=True):
        try:
            parts = index.parts(t)  # distinct ids: a fancy-indexed add counts each once
        except IndexFileError as error:
            if damaged is None:
                raise
            damaged(error)
            continue
        for posting in parts:
            if lo > 0 or hi < index.size:
                a, b = np.searchsorted(posting, [lo, hi])
                posting = posting[a:b] - lo
            counted[posting] += np.uint16(weight)
    return counted


def best(
    scores: Votes,
    lo: int,
    k: int,
    *,
    ties: int = TIE_FACTOR,
    order: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.int64]] | None = None,
) -> list[int]:
    """The (at most) ``k`` passages with the highest positive votes, any order, offset by ``lo``.

    Keeps entries at or above a threshold (half the top vote, lowered by 0.6x until ``k`` pass),
    then partitions only those: two or three linear scans instead of a partition of all ``N``.
    Passages tied with the ``k``-th vote are all kept, up to ``ties * k`` candidates in all
    (then evenly spaced in corpus order): in a corpus of repeated text many passages hold every
    q-gram of the query, and which of them reach stage 2 must not depend on how a partition
    happens to break ties. ``order`` gives passages' places in corpus order when their ids are
    not (a combined index), so the spread is the one a fresh build makes.
    """
    top = int(scores.max(initial=0))
    if top <= 0:
        return []
    threshold = top * 0.5
    chosen = np.flatnonzero(scores >= scores.dtype.type(math.ceil(threshold)))
    while len(chosen) < k and threshold > top * 1e-3:
        threshold *= 0.6
        chosen = np.flatnonzero(scores >= scores.dtype.type(math.ceil(threshold)))
    if len(chosen) < k:
        chosen = np.flatnonzero(scores > 0)
    if len(chosen) > k:
        sub = scores[chosen]
        cut = np.partition(sub, len(sub) - k)[len(sub) - k]
        above, tied = chosen[sub > cut], chosen[sub == cut]
        room = ties * k - len(above)
        if len(tied) > room:  # spread over the corpus, not the first paragraphs only
            if order is not None:
                tied = tied[np.argsort(order(tied + lo), kind="stable")]
            tied = tied[np.linspace(0, len(tied) - 1, room).astype(np.int64)]
        chosen = np.concatenate((above, tied))
    return (chosen + lo).tolist()
