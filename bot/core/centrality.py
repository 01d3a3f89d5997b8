"""Sentence centrality for extractive summaries: PacSum and LexRank over TF-IDF vectors.

The ranking half of :mod:`bot.core.summarize` (which chooses and orders the lines): every
sentence gets a score, higher is more central. PacSum is position-aware centrality (Zheng &
Lapata, "Sentence Centrality Revisited for Unsupervised Summarization", ACL 2019); LexRank is
Erkan & Radev's (JAIR 2004). Vectorised with numpy and computed in chunks of sentences, so a
whole book ranks in seconds; the measurements are in ``benchmarks/README.md``.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from bot.core.text import STOP_WORDS, WORD

FloatArray = npt.NDArray[np.float64]
Method = Literal["pacsum", "lexrank", "lead"]

#: Sentences ranked together; bounds memory (one dense chunk × chunk matrix at a time).
CHUNK_SENTENCES: Final = 300
#: PacSum links sentences at most this many positions apart (long documents only in effect).
PACSUM_WINDOW: Final = 150
_MAX_PAIRS: Final = 2_000_000  # term-sharing pairs per chunk before a dense product is cheaper

#: PacSum weights (λ1 on edges to earlier sentences, λ2 to later ones) and edge threshold β as a
#: fraction of the similarity range. Picked on the Reuters set (see the module docstring); the
#: grid is printed by ``python -m benchmarks.summary --grid``.
PACSUM_LAMBDA1: Final = -2.0
PACSUM_LAMBDA2: Final = 1.0
PACSUM_BETA: Final = 0.0

#: LexRank damping (probability of a random jump, Erkan & Radev's ``d``), power-iteration limits.
LEXRANK_DAMPING: Final = 0.15
LEXRANK_TOLERANCE: Final = 1e-8
LEXRANK_MAX_ITERATIONS: Final = 200

# Words that carry no topic: function words, plus speech verbs, "one" and honorifics, frequent in
# novels without saying what a passage is about.
_STOPWORDS: Final = STOP_WORDS | frozenset(("said", "says", "say", "one", "mr", "mrs", "ms"))


def rank_sentences(
    texts: Sequence[str],
    *,
    method: Method = "pacsum",
    words: Sequence[Sequence[str]] | None = None,
) -> FloatArray:
    """Score every sentence; higher is more summary-worthy.

    Long inputs are ranked in chunks of consecutive sentences (at most :data:`CHUNK_SENTENCES`
    each), so time and memory grow linearly with the document. PacSum links each sentence to
    the :data:`PACSUM_WINDOW` sentences either side of it (the chunk is scored with that much
    context), so chunk boundaries leave no trace; LexRank runs per chunk, its scores scaled to
    mean 1 per chunk. IDF weights always come from the whole input.

    Args:
        texts: sentences in document order.
        method: ``"pacsum"``, ``"lexrank"`` or ``"lead"`` (score = minus position).
        words: each text's ``WORD`` tokens, when the caller has them (saves a scan of each).

    Returns:
        float64 array of shape ``(len(texts),)``.
    """
    return _scores(_Vectors(texts, words), method)


def _scores(vectors: _Vectors, method: Method) -> FloatArray:
    n = len(vectors)
    if method == "lead":
        return -np.arange(n, dtype=np.float64)
    scores = np.zeros(n, dtype=np.float64)
    if method == "pacsum":
        # Banded: each chunk is scored with PACSUM_WINDOW sentences of context on either side,
        # so a chunk's first sentences are not mistaken for a lead (only the document's are).
        for start, stop in _chunks(n, CHUNK_SENTENCES):
            low, high = max(0, start - PACSUM_WINDOW), min(n, stop + PACSUM_WINDOW)
            similarity = vectors.similarity(low, high)
            scores[start:stop] = _pacsum_rows(
                similarity,
                PACSUM_LAMBDA1,
                PACSUM_LAMBDA2,
                PACSUM_BETA,
                PACSUM_WINDOW,
                start - low,
                stop - low,
            )
        return scores
    if method != "lexrank":
        raise ValueError(f"unknown summary method {method!r}")
    for start, stop in _chunks(n, CHUNK_SENTENCES):
        part = lexrank_scores(vectors.similarity(start, stop))
        scores[start:stop] = part * (stop - start)  # mean 1 in every chunk: comparable
    return scores


def _chunks(n: int, size: int) -> list[tuple[int, int]]:
    """Split ``range(n)`` into nearly equal consecutive ``(start, stop)`` pieces of at most ``size``."""
    pieces = max(1, math.ceil(n / size))
    bounds = [round(k * n / pieces) for k in range(pieces + 1)]
    return list(itertools.pairwise(bounds))


def lexrank_scores(similarity: FloatArray, *, threshold: float = 0.0) -> FloatArray:
    """Continuous LexRank (Erkan & Radev 2004, eq. 5 with weighted edges) by power iteration.

    Args:
        similarity: symmetric ``(n, n)`` idf-modified cosine matrix (diagonal ignored).
        threshold: edges with similarity at or below it are dropped (0.1 in the paper's discrete
            variant; 0 keeps all weighted edges).

    Returns:
        the stationary distribution, shape ``(n,)``, summing to 1.
    """
    n = similarity.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.float64)
    weights = np.where(similarity > threshold, similarity, 0.0)
    np.fill_diagonal(weights, 0.0)
    row_sums = weights.sum(axis=1, keepdims=True)
    # A sentence sharing no word with any other jumps uniformly (keeps the matrix stochastic).
    transition = np.where(row_sums > 0, weights / np.where(row_sums > 0, row_sums, 1.0), 1.0 / n)
    d = LEXRANK_DAMPING
    p = np.full(n, 1.0 / n)
    for _ in range(LEXRANK_MAX_ITERATIONS):
        nxt = d / n + (1.0 - d) * (transition.T @ p)
        if float(np.abs(nxt - p).sum()) < LEXRANK_TOLERANCE:
            p = nxt
            break
        p = nxt
    return np.asarray(p, dtype=np.float64)


def pacsum_scores(
    similarity: FloatArray,
    *,
    lambda1: float = PACSUM_LAMBDA1,
    lambda2: float = PACSUM_LAMBDA2,
    beta: float = PACSUM_BETA,
    window: int | None = None,
) -> FloatArray:
    """Directed (position-augmented) degree centrality, PacSum (Zheng & Lapata 2019, §3).

    ``score[i] = λ1·Σ_{j<i} e_ij + λ2·Σ_{j>i} e_ij`` with
    ``e_ij = max(0, sim_ij − (min + β·(max − min)))``, min and max taken over the edges
    considered (off-diagonal, and within ``window`` when given).

    Args:
        similarity: symmetric ``(n, n)`` cosine matrix, sentences in document order.
        lambda1: weight of edges to earlier sentences (negative favours where themes begin).
        lambda2: weight of edges to later sentences.
        beta: edge threshold as a fraction of the similarity range, in [0, 1).
        window: when given, only sentences at most this many positions apart are linked (our
            extension for long documents; ``None`` is the paper's whole-document graph).

    Returns:
        scores, shape ``(n,)``.
    """
    n = similarity.shape[0]
    return _pacsum_rows(similarity, lambda1, lambda2, beta, window, 0, n)


def _pacsum_rows(
    similarity: FloatArray,
    lambda1: float,
    lambda2: float,
    beta: float,
    window: int | None,
    first: int,
    last: int,
) -> FloatArray:
    """:func:`pacsum_scores` of rows ``first..last-1`` only (the edge threshold still comes from
    the whole matrix); each row is computed and summed exactly as in the whole result."""
    n = similarity.shape[0]
    if n < 2:
        return np.zeros(last - first, dtype=np.float64)
    linked, before, after = _pacsum_masks(n, window)
    edges_considered = similarity[linked]
    low, high = float(edges_considered.min()), float(edges_considered.max())
    threshold = low + beta * (high - low)
    rows = slice(first, last)
    edges = np.where(linked[rows], np.maximum(similarity[rows] - threshold, 0.0), 0.0)
    later = np.where(after[rows], edges, 0.0).sum(axis=1)
    earlier = np.where(before[rows], edges, 0.0).sum(axis=1)
    return np.asarray(lambda1 * earlier + lambda2 * later, dtype=np.float64)


@lru_cache(maxsize=8)
def _pacsum_masks(
    n: int, window: int | None
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """For ``n`` sentences: which pairs ``(i, j)`` are linked (``i != j``, within ``window``),
    and which have ``j`` before ``i`` and after it (cached: a document's chunks share sizes)."""
    offsets = np.subtract.outer(np.arange(n), np.arange(n))  # i - j
    linked = offsets != 0
    if window is not None:
        linked &= np.abs(offsets) <= window
    masks = (linked, offsets > 0, offsets < 0)
    for mask in masks:
        mask.flags.writeable = False
    return masks


# --------------------------------------------------------------------------- vectors


def _terms(text: str, words: Sequence[str] | None = None) -> list[str]:
    """Content words of a sentence, case-folded and lightly stemmed (plural / possessive);
    ``words``: the sentence's ``WORD`` tokens if known (an ASCII text's folded tokens are its
    tokens lowered; any other is scanned folded, as folding may split a token)."""
    if words is not None and text.isascii():
        folded: Iterable[str] = map(str.lower, words)
    else:
        folded = WORD.findall(text.casefold())
    return list(filter(None, map(_term, folded)))  # no term is ""


@lru_cache(maxsize=1 << 16)
def _term(word: str) -> str | None:
    """A case-folded word as a term, ``None`` for a stop word or a one-letter word (cached: a
    novel repeats its words)."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if word in _STOPWORDS or len(word) < 2:
        return None
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _normalised(
    weights: FloatArray, sizes: npt.NDArray[np.int64], bounds: npt.NDArray[np.int64]
) -> FloatArray:
    """Each row of ``weights`` (row ``i`` is ``weights[bounds[i]:bounds[i + 1]]``) divided by its
    L2 norm (rows of norm 0 kept). Rows of one length are summed together as the rows of a
    matrix, which numpy sums exactly as it sums each row alone (the same pairwise order), so
    the result is the one of a per-row loop."""
    out = weights.copy()
    for size in np.unique(sizes):
        if size == 0:
            continue
        where = bounds[:-1][sizes == size][:, None] + np.arange(size)
        rows = weights[where]
        norms = np.sqrt((rows * rows).sum(axis=1))
        positive = norms > 0
        out[where[positive]] = rows[positive] / norms[positive][:, None]
    return out


class _Vectors:
    """L2-normalised TF-IDF rows for a list of sentences (IDF over those sentences).

    Stored sparsely (one small ``(term ids, weights)`` pair per sentence); dense rows are built
    only for one chunk at a time, so memory is ``O(chunk × chunk-vocabulary)``.
    """

    def __init__(self, texts: Sequence[str], words: Sequence[Sequence[str]] | None = None) -> None:
        vocabulary: dict[str, int] = {}
        term_ids: list[int] = []
        counts: list[int] = []
        sizes: list[int] = []
        setdefault = vocabulary.setdefault
        for i, text in enumerate(texts):
            # term ids in order of first use, then each term's count (as the rows are summed)
            row = Counter(_terms(text, None if words is None else words[i]))
            term_ids += [setdefault(term, len(vocabulary)) for term in row]
            counts += row.values()
            sizes.append(len(row))
        ids = np.array(term_ids, dtype=np.int64)
        df = np.bincount(ids, minlength=len(vocabulary)).astype(np.float64)
        n = max(1, len(texts))
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0  # smoothed, always positive
        weights = np.array(counts, dtype=np.float64) * idf[ids]
        self._sizes = np.array(sizes, dtype=np.int64)
        self._bounds = np.concatenate(([0], np.cumsum(self._sizes)))
        self._ids = ids
        self._weights = _normalised(weights, self._sizes, self._bounds)

    def __len__(self) -> int:
        return len(self._sizes)

    def _row(self, i: int) -> tuple[npt.NDArray[np.int64], FloatArray]:
        start, stop = self._bounds[i], self._bounds[i + 1]
        return self._ids[start:stop], self._weights[start:stop]

    def _entries(
        self, indices: Sequence[int]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], FloatArray, int]:
        """Non-zero ``(row, column, weight)`` entries of the rows for ``indices`` over the terms
        shared by at least two of them, and the number of such terms.

        A term found in one sentence only adds to that sentence's self-similarity, never to an
        edge, so dropping it leaves every off-diagonal cosine unchanged (rows keep their full
        norm) and keeps the work small.
        """
        if not indices:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.float64), 0
        if isinstance(indices, range) and indices.step == 1:  # a stretch: one slice
            start, stop = self._bounds[indices.start], self._bounds[indices.stop]
            ids, weights = self._ids[start:stop], self._weights[start:stop]
            sizes = self._sizes[indices.start : indices.stop]
        else:
            ids = np.concatenate([self._row(i)[0] for i in indices])
            weights = np.concatenate([self._row(i)[1] for i in indices])
            sizes = self._sizes[list(indices)]
        rows = np.repeat(np.arange(len(indices)), sizes)
        _, where, counts = np.unique(ids, return_inverse=True, return_counts=True)
        shared = counts >= 2
        column = np.cumsum(shared) - 1  # column of each shared term
        keep = shared[where]
        return rows[keep], column[where[keep]], weights[keep], int(shared.sum())

    def _dense(self, indices: Sequence[int]) -> FloatArray:
        """Dense rows for ``indices`` over their shared terms, shape ``(len(indices), terms)``."""
        rows, columns, weights, terms = self._entries(indices)
        matrix = np.zeros((len(indices), terms), dtype=np.float64)
        matrix[rows, columns] = weights
        return matrix

    def similarity(self, start: int, stop: int) -> FloatArray:
        """Cosine similarity matrix of sentences ``start..stop-1``, shape ``(m, m)``; the diagonal
        is not meaningful (see :meth:`_entries`) and callers ignore it.

        Sentences share few terms, so the products are summed term by term (``Σ_t df_t²``
        pairs) unless that would take more memory than :data:`_MAX_PAIRS` entries, in which case
        a dense matrix product is used.
        """
        m = stop - start
        rows, columns, weights, _ = self._entries(range(start, stop))
        order = np.argsort(columns, kind="stable")
        rows, columns, weights = rows[order], columns[order], weights[order]
        group_size = np.bincount(columns)[columns]  # df of each entry's term within the chunk
        pairs = int(group_size.sum())
        if pairs > _MAX_PAIRS:
            matrix = self._dense(range(start, stop))
            return np.asarray(np.clip(matrix @ matrix.T, 0.0, 1.0), dtype=np.float64)
        # Entry e pairs with every entry of its term's group: group_start[e] + 0..size-1.
        group_start = np.searchsorted(columns, columns, side="left")
        left = np.repeat(np.arange(columns.size), group_size)
        offset = np.arange(pairs) - np.repeat(np.cumsum(group_size) - group_size, group_size)
        right = np.repeat(group_start, group_size) + offset
        flat = np.bincount(
            rows[left] * m + rows[right], weights=weights[left] * weights[right], minlength=m * m
        )
        return np.asarray(np.clip(flat.reshape(m, m), 0.0, 1.0), dtype=np.float64)

    def max_similarity(self, i: int, others: Sequence[int]) -> float:
        """Largest cosine between sentence ``i`` and any of ``others``."""
        matrix = self._dense([i, *others])
        if matrix.shape[1] == 0:
            return 0.0
        return float((matrix[1:] @ matrix[0]).max())
