"""The candidates of one ``/quote`` request, in two tiers (see :class:`Pool`).

A request narrows the quotes of the corpus or of a document (by speaker, by a phrase) and then
draws from the quotable ones among them, or from all of them when none is quotable. The quotable
candidates are always in memory (:class:`~bot.core.quotes._shelf.Shelf`); the others are only
gathered (possibly decoding documents' quotes from the store) when a request needs them.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.core.models import Quote
from bot.core.quotes._shelf import QUOTABLE_THRESHOLD

Grouped = dict[str, Sequence[Quote]]
"""Quotes by document id, each group in rank order."""

Where = Mapping[str, set[int]] | None
"""Which paragraphs (by document id) to gather quotes from; ``None``: everywhere."""


def grouped(quotes: Iterable[Quote]) -> Grouped:
    """``quotes`` by document id, each group in the given order (linear: growing a tuple per
    quote was quadratic in a document's quotes)."""
    groups: dict[str, list[Quote]] = {}
    for q in quotes:
        groups.setdefault(q.document_id, []).append(q)
    return dict(groups)


def merged(groups: Grouped, rank: Callable[[Quote], tuple[float, int, int, int]]) -> list[Quote]:
    """The quotes of rank-ordered ``groups`` in one rank order."""
    return list(heapq.merge(*groups.values(), key=rank))


def within(groups: Grouped, where: Where) -> Grouped:
    """``groups`` cut down to the paragraphs ``where`` names (all of them for ``None``)."""
    if where is None:
        return groups
    kept = {d: [q for q in qs if q.paragraph in where.get(d, ())] for d, qs in groups.items()}
    return {d: qs for d, qs in kept.items() if qs}


@dataclass(frozen=True, slots=True)
class Pool:
    """Candidates: ``top`` the quotable ones (in memory, by document, rank order); ``gather``
    all of them, quotable or not (optionally only in some paragraphs); ``order`` all of them in
    the request's order (rank order across documents when ``ranked``, else the order of a
    reserve); ``any``: whether there is a candidate at all; ``cold``: how many quotes
    ``gather(None)`` would decode."""

    top: Grouped
    gather: Callable[[Where], Grouped]
    order: Callable[[], list[Quote]]
    any: bool
    ranked: bool = True
    cold: int = 0

    @classmethod
    def of(cls, quotes: Sequence[Quote]) -> Pool:
        """A pool of candidates all in memory, in their given order."""
        everything = grouped(quotes)
        return cls(
            grouped(q for q in quotes if q.score >= QUOTABLE_THRESHOLD),
            lambda where: within(everything, where),
            lambda: list(quotes),
            bool(quotes),
            ranked=False,
        )

    def best(self) -> Grouped:
        """What a request draws from: the quotable candidates, else all of them."""
        return self.top or self.gather(None)
