"""Folding for comparisons, and where a ``contains`` filter looks beyond the quotes in memory.

A phrase that no quotable quote contains falls back to the quotes below the threshold. Most of
those are not in memory in a store-backed book (see :class:`~bot.core.quotes._shelf.Shelf`):
scanning them all means decoding every document's quotes (about 25 s at 2.3 million quotes;
about 50 ms per novel, which a server's choice of documents pays per document it tries). So
:class:`Narrowing` asks the passage search index (which finds misspelt phrases among a million
passages in milliseconds) which paragraphs hold the phrase, and only their quotes are decoded
and compared.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from bot.core.normalize import normalize_text
from bot.core.quotes._pool import Where

Find = Callable[[str, str | None], Iterable[tuple[str, int]]]
"""Which ``(document id, paragraph)`` pairs hold a folded phrase (in one document, or all)."""


def fold(text: str) -> str:
    """``text`` folded for comparison: case, accents, curly quotes, dashes and punctuation."""
    return normalize_text(text, punctuation=False)


@functools.lru_cache(maxsize=8192)
def fold_name(name: str) -> str:
    """:func:`fold` of a speaker's or author's name (few distinct names: cached)."""
    return fold(name)


class Narrowing:
    """Where a ``contains`` fallback looks for quotes that are not in memory: everywhere, or
    (with ``find``) only in the paragraphs ``find`` gives for the folded phrase."""

    __slots__ = ("_find",)

    def __init__(self, find: Find | None = None) -> None:
        self._find = find

    def where(self, query: str, cold: int, document: str | None) -> Where:
        """The paragraphs to gather quotes from for ``query`` (in ``document``, or in the whole
        corpus) when ``cold`` quotes would have to be decoded otherwise (``None``: everywhere)."""
        if self._find is None or cold == 0:
            return None
        paragraphs: dict[str, set[int]] = {}
        for found, paragraph in self._find(query, document):
            paragraphs.setdefault(found, set()).add(paragraph)
        return paragraphs
