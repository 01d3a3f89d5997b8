"""Stage 2: score candidate passages against the query, order them, and place the highlight.

Scores are rapidfuzz ``fuzz.partial_ratio`` (best-aligned window of the longer string, scored by
normalised Indel similarity, 0-100) of the query's matching key against each candidate's, the
scorer measured best for typo'd phrases (recall@1 98% at 10k passages against 19% for
``WRatio``). Ranking rules (see :class:`bot.core.search.SearchIndex`): an exact phrase at word
boundaries scores 100 and ranks first; a passage shorter than the query is scored with the full
``fuzz.ratio``; a one-word query whose best window cuts a passage word is lowered; ties go to
the stage-1 votes, then corpus order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from bot.core.models import Passage, SearchHit
from bot.core.normalize import normalize
from bot.core.search._text import (
    MATCH_PUNCTUATION,
    at_word_boundary,
    find_whole,
    is_word_char,
    snap_to_words,
)

#: Highest score of an inexact hit: below 100 even after :class:`SearchHit`'s rounding to 0.1.
INEXACT_MAX = 99.9
#: Points off a one-word query's inexact hit per end of its best window inside a passage word
#: (``"comment"`` against ``"recommended"``; measured in benchmarks/README.md).
CUT_PENALTY = 6.0
#: Queries of at least this many words are also scored by word alignment (:func:`realign`),
#: every inexact candidate scoring at least ``FLOOR * threshold`` by ``partial_ratio``.
MIN_WORDS = 3
FLOOR = 0.8
#: Least ``fuzz.ratio`` of a query word and a passage word that align (one typo in a 5-letter word).
WORD_MATCH = 75.0
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate's stage-2 result: passage id, score (0-100), exact phrase or not, and the
    words of the passage's matching key to highlight when word alignment set the score."""

    pid: int
    score: float
    exact: bool
    span: tuple[int, int] | None = None  # the key's words [first, stop) that aligned best


def rank(
    key: str,
    ids: Sequence[int],
    choices: Sequence[str],
    threshold: float,
    votes: npt.NDArray[Any],
    lo: int,
    *,
    align_words: bool = True,
    top: int | None = None,
    groups: Sequence[int] | None = None,
    order: Mapping[int, int] | None = None,
) -> list[Scored]:
    """Score passages ``ids`` (matching keys ``choices``) against ``key``; best first.

    ``votes[pid - lo]`` are the stage-1 votes. Order: exact phrases first, then score, then
    stage-1 votes (the passage sharing more of the whole query's q-grams), then corpus order.
    Passages scoring under ``threshold`` are dropped. With ``align_words``, for a query of
    ``MIN_WORDS`` or more words inexact passages are also scored by word alignment
    (:func:`realign`; not for a prefix still being typed, whose last word is cut); a passage's score
    never depends on the other candidates, so the index and the full scan agree.

    With ``top`` and ``groups`` (one paragraph id per choice), only what the best ``top``
    paragraphs need is aligned: a passage whose best possible aligned score is below the
    ``top``-th best paragraph's score before alignment cannot be among them, and is dropped
    (:func:`_prune`; the other passages' scores are unchanged). ``order`` maps passage ids to
    their places in corpus order where the ids are not (a combined index).
    """
    if not choices:
        return []
    cutoff = max(threshold, 1e-9)
    words = key.split()
    align_words = align_words and len(words) >= MIN_WORDS
    floor = cutoff * FLOOR if align_words else cutoff
    scores = process.cdist(
        [key], choices, scorer=fuzz.partial_ratio, score_cutoff=floor, dtype=np.float64
    )[0]
    exact, inexact = _first_scores(key, ids, choices, scores, floor)
    if align_words and inexact:
        if top is not None and groups is not None:
            inexact = _prune(exact, inexact, ids, groups, top, cutoff)
        text_of = dict(zip(ids, choices, strict=True))
        inexact = realign(words, [text_of[s.pid] for s in inexact], inexact)
    ranked = exact + [
        Scored(s.pid, min(s.score, INEXACT_MAX), False, s.span)
        for s in inexact
        if s.score >= cutoff
    ]
    if order is None:
        ranked.sort(key=lambda s: (not s.exact, -s.score, -float(votes[s.pid - lo]), s.pid))
    else:
        ranked.sort(key=lambda s: (not s.exact, -s.score, -float(votes[s.pid - lo]), order[s.pid]))
    return ranked


def _first_scores(
    key: str,
    ids: Sequence[int],
    choices: Sequence[str],
    scores: npt.NDArray[np.float64],
    floor: float,
) -> tuple[list[Scored], list[Scored]]:
    """``(exact, inexact)``: the passages scoring ``floor`` or more before word alignment."""
    qlen, one_word = len(key), len(key.split()) == 1
    exact: list[Scored] = []
    inexact: list[Scored] = []
    for j in np.flatnonzero(scores >= floor).tolist():
        text = choices[j]
        if len(text) < qlen:  # partial_ratio would align the passage inside the query
            inexact.append(Scored(ids[j], fuzz.ratio(key, text), False))
        elif find_whole(key, text) >= 0:
            exact.append(Scored(ids[j], 100.0, True))
        elif one_word:
            inexact.append(Scored(ids[j], word_aligned(key, text, float(scores[j])), False))
        else:
            inexact.append(Scored(ids[j], float(scores[j]), False))
    return exact, inexact


def _prune(
    exact: list[Scored],
    inexact: list[Scored],
    ids: Sequence[int],
    groups: Sequence[int],
    top: int,
    cutoff: float,
) -> list[Scored]:
    """The inexact passages that word alignment could still lift into the best ``top``
    paragraphs (``groups[j]`` is the paragraph of ``ids[j]``).

    Alignment never lowers a score and raises ``P`` to at most ``(P + 100) / 2`` (plus the
    tie-break of :func:`realign`, under 0.5): a passage below the ``top``-th best paragraph's
    score before alignment ranks under ``top`` other paragraphs whatever its words.
    """
    group_of = dict(zip(ids, groups, strict=True))
    best: dict[int, float] = {}
    for s in exact:
        best[group_of[s.pid]] = 101.0
    for s in inexact:
        g = group_of[s.pid]
        best[g] = max(best.get(g, 0.0), min(s.score, INEXACT_MAX))
    if len(best) < top:
        return inexact
    bar = max(sorted(best.values(), reverse=True)[top - 1], cutoff)
    return [s for s in inexact if min((s.score + 101.0) / 2, INEXACT_MAX) >= bar]


def realign(words: list[str], texts: list[str], scored: list[Scored]) -> list[Scored]:
    """``scored`` (passages with matching keys ``texts``) rescored by word alignment, forgiving
    dropped, swapped and moved words.

    Every query word is compared with every passage word (``fuzz.ratio``, at least
    ``WORD_MATCH`` to count, one ``process.cdist`` call for all passages); the passage window of
    ``len(words) + 2`` words holding the most query letters, each query word counted by its best
    match in the window whatever the order, gives the word score ``W`` (0-100). The new score is
    ``max(P, (P + W) / 2)`` for the ``partial_ratio`` score ``P``: an in-order match keeps about
    its score, a phrase remembered with words swapped or missing gains (recall@1 figures in
    ``benchmarks/README.md``). The window, trimmed to its matched words, becomes the highlight
    when it raises the score.
    """
    width = len(words) + 2
    columns: list[str] = []
    starts: list[int] = []
    for text in texts:  # each passage's words, then width - 1 blanks so no window spans two
        starts.append(len(columns))
        columns.extend(text.split())
        columns.extend([""] * (width - 1))
    starts.append(len(columns))
    matrix = process.cdist(
        words, columns, scorer=fuzz.ratio, score_cutoff=WORD_MATCH, dtype=np.float32
    )
    weights = np.fromiter((len(w) for w in words), dtype=np.float32, count=len(words))
    totals = weights @ _window_max(matrix, width)
    matched = matrix.max(axis=0) > 0
    # among equal windows, the one covering more matched passage words (a repeated query word)
    counts = np.concatenate(([0], np.cumsum(matched, dtype=np.int32)))
    totals += 1e-3 * (counts[width:] - counts[:-width])
    # the best window of each passage: one starting at one of its words, not at a blank
    bounds: npt.NDArray[np.int64] = np.asarray(starts, dtype=np.int64)
    first = bounds[:-1]
    columns_of: npt.NDArray[np.int64] = bounds[1:] - first
    sizes = columns_of - (width - 1)  # words per passage
    position = np.arange(len(totals))
    offset = position - np.repeat(first, columns_of)[: len(totals)]
    totals[offset >= np.repeat(sizes, columns_of)[: len(totals)]] = -1.0
    best = np.maximum.reduceat(totals, first)
    is_best = totals == np.repeat(best, columns_of)[: len(totals)]
    at = np.minimum.reduceat(np.where(is_best, position, len(totals)), first)
    old = np.fromiter((s.score for s in scored), dtype=np.float64, count=len(scored))
    blended = (old + best / float(weights.sum())) / 2
    out = list(scored)
    for i in np.flatnonzero(blended > old).tolist():
        window = int(at[i] - first[i])
        out[i] = Scored(scored[i].pid, float(blended[i]), False, (window, window + width))
    return out


def hit(key: str, scored: Scored, passage: Passage) -> SearchHit:
    """The :class:`SearchHit` for a scored passage, with the highlight in original offsets.

    The highlight is the exact occurrence or the ``partial_ratio_alignment`` window, snapped to
    whole words and mapped back to ``passage.text`` through the normaliser's offset map.
    """
    norm = normalize(passage.text, punctuation=MATCH_PUNCTUATION)
    text = norm.text
    if scored.exact:
        start = find_whole(key, text)
        start, end = snap_to_words(text, start, start + len(key))
    elif len(text) < len(key):
        start, end = 0, len(text)
    elif scored.span is not None and (span := _matched_words(key, text, scored.span)):
        start, end = span
    else:
        alignment = fuzz.partial_ratio_alignment(key, text)
        if alignment is None:  # only with a score_cutoff, which is not given
            start, end = 0, len(text)
        else:
            start, end = snap_to_words(text, alignment.dest_start, alignment.dest_end)
    ostart, oend = norm.to_original(start, end)
    return SearchHit(passage, round(scored.score, 1), ostart, oend, scored.exact)


def word_aligned(key: str, text: str, score: float) -> float:
    """A one-word query's ``partial_ratio`` score, lowered when its best window cuts a word.

    When ``fuzz.partial_ratio_alignment`` puts an end of the window inside a passage word, the
    score becomes the better of (a) ``score - CUT_PENALTY`` per cut end and (b) ``fuzz.ratio`` of
    the query against the window widened to whole words, never more than ``score``. So a typo'd
    query whose window merely misses a letter of its last word keeps its score (the widened
    window matches as well), while ``"comment"`` against ``"recommended"`` falls from 86 to 74.
    """
    if CUT_PENALTY <= 0:
        return score
    alignment = fuzz.partial_ratio_alignment(key, text)
    if alignment is None:
        return score
    start, end = alignment.dest_start, alignment.dest_end
    cuts = (not at_word_boundary(text, start)) + (not at_word_boundary(text, end))
    if cuts == 0:
        return score
    while start > 0 and is_word_char(text[start - 1]):
        start -= 1
    while end < len(text) and is_word_char(text[end]):
        end += 1
    widened = fuzz.ratio(key, text[start:end])
    return min(score, max(score - CUT_PENALTY * cuts, widened))


def _window_max(matrix: npt.NDArray[np.float32], width: int) -> npt.NDArray[np.float32]:
    """Maximum of every ``width`` consecutive columns (sparse-table doubling, ``log2(width)``
    passes): ``out[:, j] = matrix[:, j : j + width].max(axis=1)``."""
    span, best = 1, matrix
    while span * 2 <= width:
        best = np.maximum(best[:, :-span], best[:, span:])
        span *= 2
    count = matrix.shape[1] - width + 1
    return np.maximum(best[:, :count], best[:, width - span : width - span + count])


def _matched_words(key: str, text: str, window: tuple[int, int]) -> tuple[int, int] | None:
    """The span of ``text`` from the first to the last word of its word ``window`` that matches
    a word of ``key`` (as :func:`realign` counts them), or ``None`` if none does."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)][window[0] : window[1]]
    if not spans:
        return None
    matrix = process.cdist(
        key.split(), [text[a:b] for a, b in spans], scorer=fuzz.ratio, score_cutoff=WORD_MATCH
    )
    hits = np.flatnonzero(matrix.max(axis=0) > 0)
    return (spans[hits[0]][0], spans[hits[-1]][1]) if len(hits) else None
