"""Per-document derived work (quotes, summaries): one document at a time, in worker processes.

Everything here depends on one document only, so documents are derived independently, in
parallel, and each result is stored under that document's key. :func:`derive_payload` is the
worker entry point: bytes in, bytes out (the JSON of :mod:`bot.core.store.codec`), so nothing but
plain bytes crosses the process boundary.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.errors import NotFound
from bot.core.models import Document, Quote
from bot.core.quotes import QuoteBook, ranked_quotes
from bot.core.store.codec import Derived, decode_document, encode_derived
from bot.core.summarize_sections import summarize_document
from bot.core.text import sentence_words

__all__ = ["derive", "derive_payload", "merge_quotes"]


def derive(document: Document, *, summary_lengths: Sequence[str] = ("medium",)) -> Derived:
    """Quotes (ranked as :meth:`QuoteBook.build` ranks them) and summaries of one document.

    A document without body sentences has no summary (``summaries`` lacks the length).
    """
    # each sentence's words found once, for the quotes and the summaries (quotes alone scan
    # only the sentences they score)
    words = sentence_words(document.sentences) if summary_lengths else None
    quotes, short, plain = ranked_quotes(document, words=words)  # as QuoteBook.build ranks them
    summaries = {}
    for length in summary_lengths:
        try:
            summaries[length] = summarize_document(document, length=length, words=words)
        except NotFound:
            continue
    return Derived(tuple(quotes), tuple(short), tuple(plain), summaries)


def derive_payload(document_payload: bytes, summary_lengths: tuple[str, ...]) -> bytes:
    """:func:`derive` from and to store JSON bytes (the worker process entry point)."""
    document = decode_document(document_payload)
    return encode_derived(derive(document, summary_lengths=summary_lengths))


def merge_quotes(documents: Sequence[Document], derived: Sequence[Derived]) -> QuoteBook:
    """The corpus's :class:`QuoteBook` from each document's derived quotes (same order)."""
    quotes: list[Quote] = []
    short: list[Quote] = []
    plain: list[Quote] = []
    for part in derived:
        quotes += part.quotes
        short += part.short
        plain += part.plain
    return QuoteBook(quotes, documents, short, plain)
