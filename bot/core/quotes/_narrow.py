"""Folding for comparisons, and where a ``contains`` filter looks beyond the quotes in memory.

A phrase that no quotable quote contains falls back to the quotes below the threshold. Most of
those are not in memory in a store-backed book (see :class:`~bot.core.quotes._shelf.Shelf`):
scanning them all means decoding every document's quotes (about 25 s at 2.3 million quotes).
When more than :data:`COLD_SCAN` would be decoded, :class:`Narrowing` asks the passage search
index (which finds misspelt phrases among a million passages in milliseconds) which paragraphs
hold the phrase, and only their quotes are compared.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from bot.core.normalize import normalize_text
from bot.core.quotes._pool import Where

#: Below-threshold quotes a ``contains`` fallback compares one by one at most; beyond that it
#: looks only in the paragraphs the passage index finds (about a dozen novels' worth).
COLD_SCAN = 60_000


def fold(text: str) -> str:
    """``text`` folded for comparison: case, accents, curly quotes, dashes and punctuation."""
    return normalize_text(text, punctuation=False)


@functools.lru_cache(maxsize=8192)
def fold_name(name: str) -> str:
    """:func:`fold` of a speaker's or author's name (few distinct names: cached)."""
    return fold(name)


class Narrowing:
    """Where a ``contains`` fallback looks: everywhere, or (with ``find``, for more than
    :data:`COLD_SCAN` quotes) only in the ``(document id, paragraph)`` pairs ``find`` gives for
    the folded phrase."""

    __slots__ = ("_find",)

    def __init__(self, find: Callable[[str], Iterable[tuple[str, int]]] | None = None) -> None:
        self._find = find

    def where(self, query: str, cold: int) -> Where:
        """The paragraphs to gather quotes from for ``query`` when ``cold`` quotes would have to
        be decoded otherwise (``None``: everywhere)."""
        if self._find is None or cold <= COLD_SCAN:
            return None
        paragraphs: dict[str, set[int]] = {}
        for document, paragraph in self._find(query):
            paragraphs.setdefault(document, set()).add(paragraph)
        return paragraphs
