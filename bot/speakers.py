"""``/quote`` speaker autocomplete: the people who speak in the documents the command may use.

The chosen document's speakers (else those of every document the server sees), never a
document's author for narration: only names on quoted speech, so every name offered is one that
``/quote speaker:`` with that document serves. Ranked by the core's own speaker matching
(:meth:`bot.core.quotes.QuoteBook.speakers`) over one quote per speaker, built once per library
and set of documents.
"""

from __future__ import annotations

import weakref
from collections.abc import Collection

from bot.core.errors import NotFound
from bot.core.library import Library
from bot.core.models import Quote
from bot.core.quotes import QuoteBook

#: Speaker lists kept per library (for recent sets of documents); dropped with the library.
_CACHE: weakref.WeakKeyDictionary[Library, dict[frozenset[str] | None, QuoteBook]] = (
    weakref.WeakKeyDictionary()
)
_KEPT = 16


def _speaking(library: Library, document_id: str) -> tuple[Quote, ...]:
    """One quote per speaker name of a document (its first, best-ranked)."""
    first: dict[str, Quote] = {}
    for quote in library.quotes.speech(document_id):
        first.setdefault(quote.speaker or "", quote)
    return tuple(first.values())


def _book(library: Library, documents: frozenset[str] | None) -> QuoteBook:
    kept = _CACHE.setdefault(library, {})
    book = kept.get(documents)
    if book is None:
        ids = [d.id for d in library.corpus if documents is None or d.id in documents]
        book = QuoteBook([q for i in ids for q in _speaking(library, i)], ())
        if len(kept) >= _KEPT:
            kept.clear()
        kept[documents] = book
    return book


def speaker_choices(
    library: Library, document: str | None, allowed: Collection[str] | None, typed: str
) -> list[str]:
    """Up to 25 speaker names matching ``typed`` (see :meth:`QuoteBook.speakers`): of
    ``document`` when it names one the server may use, else of every document in ``allowed``
    (``None``: the whole corpus)."""
    try:
        doc = library.allowed_document(document, allowed)
    except NotFound:  # an unknown or turned-off document: offer what the server sees
        doc = None
    if doc is not None:
        documents: frozenset[str] | None = frozenset({doc.id})
    else:
        documents = None if allowed is None else frozenset(allowed)
    return _book(library, documents).speakers(typed)
