"""One query over an index's segments: stage 1 (votes, candidates), stage 2 (ranking), hits.

Works in the composite passage ids of a :class:`._segment.Layout` (one segment, or a base with
masked documents and a delta): masked passages get no votes and are never candidates, the number
of live passages decides whether a range is scored whole, and ties go to corpus order, so the
answers are those of a fresh build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

from bot.core.models import SearchHit
from bot.core.search import _candidates, _rescore
from bot.core.search._candidates import POSTINGS_BUDGET, TIE_FACTOR, Lists
from bot.core.search._errors import IndexFileError
from bot.core.search._segment import I64, Layout

#: A document range at most this long is scored whole when its votes give too few candidates
#: (a query made only of stop grams, see :mod:`._grams`).
SCAN_MAX = 3_000
#: Search-as-you-type bounds its work per keystroke by counts, not time: candidates per snippet
#: asked for, how many passages tied with the last candidate are kept (times the candidates), and
#: posting lists read (times the passages; see :mod:`._candidates`).
SUGGEST_CANDIDATES = 2
SUGGEST_TIES = 2
SUGGEST_BUDGET = 0.5


def ranked(
    layout: Layout,
    postings: Lists,
    key: str,
    span: tuple[int, int],
    k: int,
    threshold: float,
    *,
    exhaustive: bool = False,
    prefix: bool = False,
    top: int | None = None,
    damaged: Callable[[IndexFileError], None] | None = None,
) -> list[_rescore.Scored]:
    """Stage 1 (votes, ``k`` candidates) then stage 2 (scores) over passages ``span``; with
    ``top``, only what the best ``top`` paragraphs need (see :func:`._rescore.rank`); with
    ``prefix``, search-as-you-type's bounds and no word alignment."""
    lo, hi = span
    budget, ties = (SUGGEST_BUDGET, SUGGEST_TIES) if prefix else (POSTINGS_BUDGET, TIE_FACTOR)
    votes = _candidates.votes(postings, key, lo, hi, budget=budget, damaged=damaged)
    layout.unmask(votes, lo, hi)
    live = layout.live_count(lo, hi)
    ids: Sequence[int]
    if exhaustive or live <= k:
        ids = layout.live_ids(lo, hi)
    else:

        def order(candidates: I64) -> I64:
            return layout.order(candidates, layout.column("doc", candidates))

        ids = _candidates.best(votes, lo, k, ties=ties, order=order)
        if len(ids) < k and live <= SCAN_MAX:
            ids = layout.live_ids(lo, hi)
    choices = [layout.key(i) for i in ids]
    where = np.asarray(ids, dtype=np.int64)
    documents = layout.column("doc", where)
    groups = (documents << 32) | layout.column("paragraph", where)
    places = None
    if not layout.identity:
        places = dict(zip(ids, layout.order(where, documents).tolist(), strict=True))
    return _rescore.rank(
        key,
        ids,
        choices,
        threshold,
        votes,
        lo,
        align_words=not prefix,
        top=top,
        groups=groups.tolist(),
        order=places,
    )


def hits(layout: Layout, key: str, scored: list[_rescore.Scored]) -> Iterator[SearchHit]:
    """The ranked passages as hits, one per paragraph (the best of its windows)."""
    seen: set[tuple[int, int]] = set()
    pids = np.fromiter((s.pid for s in scored), dtype=np.int64, count=len(scored))
    documents = layout.column("doc", pids).tolist()
    paragraphs = layout.column("paragraph", pids).tolist()
    for one, doc, paragraph in zip(scored, documents, paragraphs, strict=True):
        if (doc, paragraph) in seen:
            continue
        seen.add((doc, paragraph))
        yield _rescore.hit(key, one, layout.passage(one.pid))
