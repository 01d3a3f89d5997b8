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

from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate's stage-2 result: passage id, score (0-100), exact phrase or not."""

    pid: int
    score: float
    exact: bool


def rank(
    key: str,
    ids: Sequence[int],
    choices: Sequence[str],
    threshold: float,
    votes: npt.NDArray[np.float64],
    lo: int,
) -> list[Scored]:
    """Score passages ``ids`` (matching keys ``choices``) against ``key``; best first.

    ``votes[pid - lo]`` are the stage-1 votes. Order: exact phrases first, then score, then
    stage-1 votes (the passage sharing more of the whole query's q-grams), then corpus order.
    Passages scoring under ``threshold`` are dropped.
    """
    if not choices:
        return []
    cutoff = max(threshold, 1e-9)
    scores = process.cdist(
        [key], choices, scorer=fuzz.partial_ratio, score_cutoff=cutoff, dtype=np.float64
    )[0]
    qlen = len(key)
    one_word = " " not in key
    scored: list[Scored] = []
    for j in np.flatnonzero(scores >= cutoff).tolist():
        text = choices[j]
        if len(text) < qlen:  # partial_ratio would align the passage inside the query
            score = fuzz.ratio(key, text, score_cutoff=cutoff)
            if score >= cutoff:
                scored.append(Scored(ids[j], min(score, INEXACT_MAX), False))
        elif find_whole(key, text) >= 0:
            scored.append(Scored(ids[j], 100.0, True))
        else:
            score = float(scores[j])
            if one_word:
                score = word_aligned(key, text, score)
            if score >= cutoff:
                scored.append(Scored(ids[j], min(score, INEXACT_MAX), False))
    scored.sort(key=lambda s: (not s.exact, -s.score, -votes[s.pid - lo], s.pid))
    return scored


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
