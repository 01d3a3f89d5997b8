"""How :meth:`QuoteBook.pick <bot.core.quotes.QuoteBook.pick>` narrows and draws: fuzzy
``contains`` matching, each document's best share, the rotation of a filtered request, and the
weighted draw with variety across documents."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Collection, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from bot.core.models import Quote
from bot.core.quotes._keys import quote_key, salted
from bot.core.quotes._pool import Grouped

CONTAINS_THRESHOLD = 85.0
"""Minimum rapidfuzz ``partial_ratio`` (0-100) between a ``contains`` filter and a quote."""
_CONTAINS_CHUNK = 1000  # quotes per rapidfuzz call in ``contains`` matching


def matching(query: str, texts: Sequence[str]) -> set[int]:
    """Indexes of the folded ``texts`` that contain the folded ``query`` fuzzily: rapidfuzz
    ``partial_ratio`` ≥ :data:`CONTAINS_THRESHOLD` (``ratio`` for a text shorter than it)."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    longer: list[int] = np.flatnonzero(lengths >= len(query)).tolist()
    shorter: list[int] = np.flatnonzero(lengths < len(query)).tolist()
    hits: set[int] = set()
    # In chunks: one rapidfuzz call holds the GIL throughout, and the bot's event loop waits
    # for it (31,000 novel quotes in one call stalled the loop ~50 ms; benchmarks/load.py).
    for at in range(0, len(longer), _CONTAINS_CHUNK):
        chunk = longer[at : at + _CONTAINS_CHUNK]
        found = process.extract(
            query,
            [texts[i] for i in chunk],
            scorer=fuzz.partial_ratio,
            score_cutoff=CONTAINS_THRESHOLD,
            limit=None,
        )
        hits.update(chunk[j] for _, _, j in found)
    hits |= {i for i in shorter if fuzz.ratio(query, texts[i]) >= CONTAINS_THRESHOLD}
    return hits


def next_in_rotation(good: Sequence[Quote], exclude: Collection[str], salt: str) -> Quote | None:
    """The quote after the last excluded one in ``good`` ordered by ``salted(salt, key)``, or
    ``None`` when no excluded quote is in ``good``."""
    order = sorted(good, key=lambda q: (salted(salt, quote_key(q)), quote_key(q)))
    keys = [quote_key(q) for q in order]
    seen = [i for i, key in enumerate(keys) if key in exclude]
    if not seen:
        return None
    for step in range(1, len(order) + 1):
        i = (seen[-1] + step) % len(order)
        if keys[i] not in exclude:
            return order[i]
    return None


def top(groups: Grouped, fraction: float) -> Grouped:
    """The best ``ceil(fraction × n)`` (at least one) of each document's ranked quotes."""
    return {d: qs[: max(1, math.ceil(fraction * len(qs)))] for d, qs in groups.items() if qs}


def _spots(exclude: Collection[str]) -> set[tuple[str, int]]:
    """The (document, paragraph) of each key in ``exclude`` (see :func:`quote_key`)."""
    spots = set()
    for key in exclude:
        document = key.rpartition(":")[0]
        document, _, paragraph = document.rpartition(":")
        if paragraph.isdigit():
            spots.add((document, int(paragraph)))
    return spots


def draw(
    good: Grouped,
    candidates: Callable[[], Sequence[Quote]],
    exclude: Collection[str],
    rng: random.Random,
    position: Callable[[str], int],
) -> Quote:
    """Pick a document uniformly (in corpus order by ``position``), then one of its quotes in
    ``good`` by score weight, avoiding excluded keys; the first remaining of ``candidates()``
    (rank order) when excluding empties the pool.

    Only the quotes in an excluded key's paragraph have their key computed, so a draw costs
    about the chosen document's share, not the whole pool."""
    excluded = set(exclude)
    spots = _spots(excluded)
    touched = {document for document, _ in spots}
    pool: dict[str, Sequence[Quote]] = {}
    for document, quotes in good.items():
        if document in touched:
            quotes = [
                q
                for q in quotes
                if (document, q.paragraph) not in spots or quote_key(q) not in excluded
            ]
        if quotes:
            pool[document] = quotes
    if not pool:
        everything = candidates()
        remaining = (q for q in everything if quote_key(q) not in excluded)
        return next(remaining, everything[0])
    doc_ids = sorted(pool, key=position)
    chosen = pool[rng.choice(doc_ids)]
    weights = [max(q.score, 1e-6) for q in chosen]
    return rng.choices(chosen, weights=weights, k=1)[0]
