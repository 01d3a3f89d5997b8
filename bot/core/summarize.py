"""Extractive summaries: whole sentences of one document, verbatim, in document order.

Method (chosen by measurement: ``benchmarks/README.md``, ``python -m benchmarks.summary``)
------------------------------------------------------------------------------------------
Sentences are ranked by *position-augmented centrality* (PacSum, Zheng & Lapata 2019,
"Sentence Centrality Revisited for Unsupervised Summarization", ACL): a sentence's score is a
weighted sum of its TF-IDF cosine similarities to the sentences *after* it (``λ2 = 1``) and to
the sentences *before* it (``λ1 = −2``), counting edges above a threshold ``β`` (0) of the
similarity range. A sentence that later sentences echo, and that does not itself echo earlier
ones, is where a theme is introduced: the lead of a news story, the opening of an argument.
Undirected continuous LexRank (Erkan & Radev 2004, "LexRank: Graph-based Lexical Centrality as
Salience in Text Summarization", JAIR 22: the stationary distribution of a random walk on the
idf-modified cosine graph, by power iteration) is available as ``method="lexrank"``.

ROUGE F1 ×100 (``rouge-score``, stemming) of 1-sentence summaries against the headlines of the
70 Reuters-21578 articles in Debian's ``r-cran-tm`` (the only documents with human references
reachable offline), all methods choosing among the same sentences:

=================================  =======  =======  =======
method                             ROUGE-1  ROUGE-2  ROUGE-L
=================================  =======  =======  =======
lead-1                              25.05     7.89    22.88
**PacSum (this module, default)**   24.09     7.82    22.01
sumy LexRank                        22.13     6.69    19.66
summa TextRank                      20.26     6.62    18.23
LexRank (this module)               20.00     6.44    18.14
sumy TextRank                       17.36     5.23    15.29
random                              14.95     3.78    13.12
oracle (best single sentence)       27.75     9.26    24.59
=================================  =======  =======  =======

Lead is the oracle on 50 of 70 articles; PacSum picks the lead's sentence on 64 and is the best
centrality method measured. It is the default rather than lead because the product serves essays
and books, where the first sentences are a hook or a chapter's opening (see the benchmark README
for the full argument and the λ1/β grid: λ1 = −2, β = 0 is best on both Reuters topics).

Long documents: ranked in chunks of :data:`CHUNK_SENTENCES` sentences (PacSum with
:data:`PACSUM_WINDOW` sentences of context either side, so chunk boundaries leave no trace) and
chosen round-robin over the chunks, so a summary of a book covers the whole book. Similarities
are summed over shared terms only; time and memory grow linearly. Measured: 0.25 s for 2,011
sentences of Pride and Prejudice and 0.45 s for all 4,062 (sumy LexRank: 36 s for 2,011), on a
loaded 2-core machine; the seed essay takes about 1 ms, so no cache is needed.

Selection (after sumy's rule: rank, take the top N, restore document order): sentences unfit to
stand alone as a summary line (fewer than :data:`MIN_WORDS` words, or more than
:data:`MAX_WORDS`, or heading-like: see :func:`is_heading`) are taken only when nothing else is
left; a candidate too similar to an
already chosen sentence (cosine above :data:`REDUNDANCY`) is passed over, in the spirit of the
redundancy reranker Erkan & Radev used with LexRank. Ties are broken by position (earlier first)
and scores are rounded before comparing, so the output is deterministic.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, get_args

import numpy as np
import numpy.typing as npt

from bot.core.errors import NotFound, UserError
from bot.core.models import Document, Sentence, Summary
from bot.core.text import STOP_WORDS, WORD

__all__ = [
    "CHUNK_SENTENCES",
    "HEADING_MAX_WORDS",
    "LENGTHS",
    "MAX_SENTENCES",
    "Method",
    "SummaryOptionError",
    "is_heading",
    "lexrank_scores",
    "pacsum_scores",
    "rank_sentences",
    "summarize",
    "summary_size",
]

FloatArray = npt.NDArray[np.float64]
Method = Literal["pacsum", "lexrank", "lead"]

LENGTHS: Final = ("short", "medium", "long", "key_points")
"""Accepted values of ``summarize(length=...)``."""

MAX_SENTENCES: Final = 25
"""Upper bound of ``summarize(sentences=...)`` and of the ``"long"`` length."""

#: Sentences outside MIN_WORDS..MAX_WORDS words are unfit as summary lines ("Yes.", a chapter
#: heading, a run-on) and are taken only when nothing else is left.
MIN_WORDS: Final = 5
MAX_WORDS: Final = 80
#: A candidate whose cosine with a chosen sentence exceeds this is passed over as repetition.
REDUNDANCY: Final = 0.6
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


class SummaryOptionError(UserError):
    """An invalid ``length`` or ``sentences`` value; the message says which values are allowed."""


@dataclass(frozen=True, slots=True)
class _Size:
    """How many sentences a named length asks for: at least ``low``, at most ``high``, adding
    sentences beyond ``low`` only while the summary is shorter than ``words`` words."""

    low: int
    high: int
    words: int


_SIZES: Final = {
    "short": _Size(1, 2, 25),
    "medium": _Size(3, 5, 90),
    "key_points": _Size(3, 5, 90),
}


def summarize(
    document: Document,
    *,
    length: str = "medium",
    sentences: int | None = None,
    method: Method = "pacsum",
) -> Summary:
    """Summarise ``document`` with its own sentences, verbatim and in document order.

    Args:
        document: the document; its body sentences are the candidates (title, standfirst and
            author bio are not body text).
        length: ``"short"`` (1-2 sentences), ``"medium"`` (3-5), ``"long"`` (about 10% of the
            document's sentences, at least 5 and at most :data:`MAX_SENTENCES` = 25, so every
            document longer than about 250 sentences, e.g. any novel, gets 25) or
            ``"key_points"`` (the medium selection, meant to be rendered as bullets; the
            renderer knows the length it asked for, so :class:`Summary` carries no flag).
            Within a range, sentences are added while the summary stays short in words.
        sentences: an exact count (1..:data:`MAX_SENTENCES`) that overrides ``length``.
        method: ``"pacsum"`` (default, chosen by measurement), ``"lexrank"`` or ``"lead"``.

    Returns:
        ``Summary(document.id, chosen sentences in document order, method, document.standfirst)``.
        A document with no more sentences than asked for is returned whole.

    Raises:
        SummaryOptionError: ``length`` is not one of :data:`LENGTHS`, or ``sentences`` is not an
            integer in 1..:data:`MAX_SENTENCES`.
        NotFound: the document has no body sentences at all.
    """
    count_range = _requested(length, sentences)
    if method not in get_args(Method):
        raise ValueError(f"unknown summary method {method!r}")
    candidates = tuple(document.sentences)
    if not candidates:
        raise NotFound(f"“{document.title or document.id}” has no body text to summarise.")
    if count_range is None:  # "long": proportional to the document
        wanted = min(MAX_SENTENCES, max(5, round(len(candidates) / 10)))
        size = _Size(wanted, wanted, 0)
    else:
        size = count_range
    texts = [s.text for s in candidates]
    headings = [flag for p in document.paragraphs for flag in _headings(p.sentences)]
    chosen = _select(texts, size, method, unfit=headings)
    return Summary(
        document_id=document.id,
        sentences=tuple(candidates[i] for i in sorted(chosen)),
        method=method,
        standfirst=document.standfirst,
    )


def summary_size(length: str, sentences: int | None, available: int) -> int:
    """How many sentences a summary of ``available`` candidate sentences has for these options:
    ``sentences`` when given, else the top of the named length's range ("short" 2, "medium" and
    "key_points" 5; "long" about 10%, 5-:data:`MAX_SENTENCES`), never more than ``available``.

    Raises:
        SummaryOptionError: as :func:`summarize` does for invalid options.
    """
    size = _requested(length, sentences)
    wanted = size.high if size is not None else min(MAX_SENTENCES, max(5, round(available / 10)))
    return max(1, min(wanted, available))


def _requested(length: str, sentences: int | None) -> _Size | None:
    """Validate the options; ``None`` means the proportional ``"long"`` size."""
    if length not in LENGTHS:
        allowed = ", ".join(f"“{name}”" for name in LENGTHS)
        raise SummaryOptionError(f"Summary length “{length}” is not one I know; use {allowed}.")
    if sentences is not None:
        if isinstance(sentences, bool) or not isinstance(sentences, int):
            raise SummaryOptionError("The number of sentences must be a whole number.")
        if not 1 <= sentences <= MAX_SENTENCES:
            raise SummaryOptionError(
                f"A summary can have 1 to {MAX_SENTENCES} sentences, not {sentences}."
            )
        return _Size(sentences, sentences, 0)
    return _SIZES.get(length)


# --------------------------------------------------------------------------- headings

#: A heading has at most this many words.
HEADING_MAX_WORDS: Final = 15
_HEADING_LEAD = re.compile(
    r"^\s*(?:(?:chapter|book|part|volume|section|canto|act|scene|letter)\s+"
    r"(?:[ivxlcdm]+|\d+|[a-z]+)\b|[ivxlcdm]+\.(?:\s|$)|\d+\.\s+[A-Z])",
    re.IGNORECASE,
)
_MINOR_WORDS: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "nor",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "as",
        "into",
        "over",
        "upon",
    ]
)


def is_heading(text: str, *, alone: bool) -> bool:
    """Whether a sentence looks like a heading rather than prose, so unfit for a summary.

    A sentence is heading-like when it starts like a chapter line ("CHAPTER 12",
    "Chapter Twelve", "XLII. The Whiteness", "I. THE FOLIO WHALE; II."), or its letters are
    mostly capitals ("THE FOLIO WHALE"), or, when it is its paragraph's only sentence
    (``alone``), it has at most :data:`HEADING_MAX_WORDS` words, no quotation marks, does not
    end in "?" or "!", and is in title case (every word that is not a minor word such as
    "of" or "the" starts with a capital: "The Whiteness of The Whale.", "A Squeeze of the
    Hand."). The rules follow the usual typography of chapter titles in Project Gutenberg
    novels; a prose one-liner like "Stubb was the second mate." is not a heading.

    Args:
        text: the sentence, verbatim.
        alone: the sentence is the only one in its paragraph.
    """
    words = WORD.findall(text)
    if not words or len(words) > HEADING_MAX_WORDS * 2:
        return False
    if _HEADING_LEAD.match(text) and (len(words) <= HEADING_MAX_WORDS or not alone):
        if not re.match(r"^\s*[ivxlcdm]+\.", text, re.IGNORECASE) or _mostly_capitals(text):
            return True
        return alone and len(words) <= HEADING_MAX_WORDS
    if _mostly_capitals(text) and len(words) <= HEADING_MAX_WORDS:
        return True
    if not alone or len(words) > HEADING_MAX_WORDS or len(words) < 2:
        return False
    stripped = text.rstrip()
    if stripped.endswith(("?", "!")) or any(q in text for q in '"“”‘«»'):
        return False
    major = [w for w in words if w.casefold() not in _MINOR_WORDS]
    return len(major) >= 2 and all(w[0].isupper() or w[0].isdigit() for w in major)


def _headings(sentences: Sequence[Sentence]) -> list[bool]:
    """:func:`is_heading` for each sentence of one paragraph; a sentence counts as ``alone``
    when the paragraph's other sentences are chapter lines ("CHAPTER 42. The Whiteness of The
    Whale." is one paragraph of two sentences)."""
    marked = [is_heading(s.text, alone=False) for s in sentences]
    return [
        marked[i] or is_heading(s.text, alone=all(marked[:i] + marked[i + 1 :]))
        for i, s in enumerate(sentences)
    ]


def _mostly_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return len(letters) >= 4 and upper >= 0.8 * len(letters)


# --------------------------------------------------------------------------- selection


def _select(
    texts: Sequence[str], size: _Size, method: Method, *, unfit: Sequence[bool] = ()
) -> list[int]:
    """Indices of the chosen sentences (unordered), following the rules in the module docstring.

    ``unfit[i]`` marks sentence ``i`` as unfit (a heading) whatever its length."""
    n = len(texts)
    if n <= size.low:
        return list(range(n))
    words = [len(t.split()) for t in texts]
    fit = [
        MIN_WORDS <= w <= MAX_WORDS and not (i < len(unfit) and unfit[i])
        for i, w in enumerate(words)
    ]
    vectors = _Vectors(texts)
    scores = _scores(vectors, method)

    # Fit sentences first, then by score (rounded so float noise cannot reorder), then position.
    # A long document is taken round-robin over its chunks: every chunk's best sentence comes
    # before any chunk's second best, so a summary covers the whole book, not one chapter.
    def key(i: int) -> tuple[bool, float, int]:
        return (not fit[i], -round(float(scores[i]), 9), i)

    rank_in_chunk = [0] * n
    for start, stop in _chunks(n, CHUNK_SENTENCES):
        for rank, i in enumerate(sorted(range(start, stop), key=key)):
            rank_in_chunk[i] = rank
    order = sorted(range(n), key=lambda i: (not fit[i], rank_in_chunk[i], *key(i)[1:]))
    chosen: list[int] = []
    skipped: list[int] = []
    total_words = 0
    for i in order:
        if len(chosen) >= size.high or (len(chosen) >= size.low and total_words >= size.words):
            break
        if chosen and vectors.max_similarity(i, chosen) > REDUNDANCY:
            skipped.append(i)
            continue
        chosen.append(i)
        total_words += words[i]
    # Near-duplicates are still better than falling short of the minimum.
    for i in skipped:
        if len(chosen) >= size.low:
            break
        chosen.append(i)
    return chosen


# --------------------------------------------------------------------------- ranking


def rank_sentences(texts: Sequence[str], *, method: Method = "pacsum") -> FloatArray:
    """Score every sentence; higher is more summary-worthy.

    Long inputs are ranked in chunks of consecutive sentences (at most :data:`CHUNK_SENTENCES`
    each), so time and memory grow linearly with the document. PacSum links each sentence to
    the :data:`PACSUM_WINDOW` sentences either side of it (the chunk is scored with that much
    context), so chunk boundaries leave no trace; LexRank runs per chunk, its scores scaled to
    mean 1 per chunk. IDF weights always come from the whole input.

    Args:
        texts: sentences in document order.
        method: ``"pacsum"``, ``"lexrank"`` or ``"lead"`` (score = minus position).

    Returns:
        float64 array of shape ``(len(texts),)``.
    """
    return _scores(_Vectors(texts), method)


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
            part = pacsum_scores(vectors.similarity(low, high), window=PACSUM_WINDOW)
            scores[start:stop] = part[start - low : stop - low]
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
    if n < 2:
        return np.zeros(n, dtype=np.float64)
    offsets = np.subtract.outer(np.arange(n), np.arange(n))  # i - j
    linked = offsets != 0
    if window is not None:
        linked &= np.abs(offsets) <= window
    edges_considered = similarity[linked]
    low, high = float(edges_considered.min()), float(edges_considered.max())
    edges = np.where(linked, np.maximum(similarity - (low + beta * (high - low)), 0.0), 0.0)
    later = np.where(offsets < 0, edges, 0.0).sum(axis=1)
    earlier = np.where(offsets > 0, edges, 0.0).sum(axis=1)
    return np.asarray(lambda1 * earlier + lambda2 * later, dtype=np.float64)


# --------------------------------------------------------------------------- vectors


def _terms(text: str) -> list[str]:
    """Content words of a sentence, case-folded and lightly stemmed (plural / possessive)."""
    out: list[str] = []
    for word in WORD.findall(text.casefold()):
        word = word.replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if word in _STOPWORDS or len(word) < 2:
            continue
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        out.append(word)
    return out


class _Vectors:
    """L2-normalised TF-IDF rows for a list of sentences (IDF over those sentences).

    Stored sparsely (one small ``(term ids, weights)`` pair per sentence); dense rows are built
    only for one chunk at a time, so memory is ``O(chunk × chunk-vocabulary)``.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        vocabulary: dict[str, int] = {}
        rows: list[dict[int, int]] = []
        for text in texts:
            counts: dict[int, int] = {}
            for term in _terms(text):
                tid = vocabulary.setdefault(term, len(vocabulary))
                counts[tid] = counts.get(tid, 0) + 1
            rows.append(counts)
        df = np.zeros(len(vocabulary), dtype=np.float64)
        for counts in rows:
            for tid in counts:
                df[tid] += 1.0
        n = max(1, len(texts))
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0  # smoothed, always positive
        self._rows: list[tuple[npt.NDArray[np.int64], FloatArray]] = []
        for counts in rows:
            ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weights = np.fromiter(counts.values(), dtype=np.float64, count=len(counts)) * idf[ids]
            norm = float(np.sqrt((weights * weights).sum()))
            self._rows.append((ids, weights / norm if norm > 0 else weights))

    def __len__(self) -> int:
        return len(self._rows)

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
        ids = np.concatenate([self._rows[i][0] for i in indices])
        weights = np.concatenate([self._rows[i][1] for i in indices])
        rows = np.repeat(np.arange(len(indices)), [self._rows[i][0].size for i in indices])
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
