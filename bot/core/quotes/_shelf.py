"""One document's quotes in two tiers, for :class:`~bot.core.quotes.QuoteBook`.

The *hot* tier stays in memory: the quotable quotes (what unfiltered requests and the daily
post draw from) and every quote with a named speaker (what a speaker filter finds). The rest
(about four fifths of a novel's quotes: narration and unattributed speech below the threshold)
is only read by a few filtered requests that find nothing quotable, so a store-backed book
leaves it on disk and :attr:`Shelf.load` decodes the document's whole ranking when asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.core.models import Document, Quote
from bot.core.quotes._candidates import document_quotes
from bot.core.quotes._keys import _quote_start
from bot.core.text import SentenceWords

QUOTABLE_THRESHOLD = 0.55
"""Quotes scoring at least this are *quotable*: eligible for an unfiltered ``/quote`` and the daily
post. Calibrated on the seed essay: its clear quotes score 0.75-1.0, its context-bound sentences
below 0.5."""


def in_hot_tier(score: float, speaker: str | None) -> bool:
    """Whether a quote of this score and speaker is kept in memory (see :class:`Shelf`)."""
    return score >= QUOTABLE_THRESHOLD or speaker is not None


def ranking(quote: Quote) -> tuple[float, int, int]:
    """The rank order within a document: score descending, then paragraph, then offset."""
    return (-quote.score, quote.paragraph, _quote_start(quote))


@dataclass(frozen=True, slots=True, eq=False)
class Shelf:
    """One document's quotes, ranked (see :func:`ranking`).

    Attributes:
        quotable: the quotes scoring at least :data:`QUOTABLE_THRESHOLD`.
        hot: ``quotable`` followed by the other quotes with a named speaker.
        count: how many quotes the document has in all.
        own_lines: whether any of them is the author's own (no speaker, not ``quoted``).
        load: every quote of the document (decoded again at each call when not ``kept``).
        kept: every quote, when they are all in memory anyway (a book built without a store).
        load_in: the quotes of some paragraphs only, decoding no others (else ``load`` is
            filtered).
    """

    quotable: tuple[Quote, ...]
    hot: tuple[Quote, ...]
    count: int
    own_lines: bool
    load: Callable[[], tuple[Quote, ...]]
    kept: tuple[Quote, ...] | None = None
    load_in: Callable[[frozenset[int]], tuple[Quote, ...]] | None = None

    @classmethod
    def of(cls, ranked: Iterable[Quote]) -> Shelf:
        """A shelf holding every quote of ``ranked`` (one document's, best first)."""
        every = tuple(ranked)
        return cls.split(every, len(every), own_lines(every), lambda: every, kept=every)

    @classmethod
    def split(
        cls,
        hot: Iterable[Quote],
        count: int,
        own: bool,
        load: Callable[[], tuple[Quote, ...]],
        *,
        kept: tuple[Quote, ...] | None = None,
        load_in: Callable[[frozenset[int]], tuple[Quote, ...]] | None = None,
    ) -> Shelf:
        """A shelf from a document's ranked quotes of which only ``hot`` (or more) is given."""
        chosen = tuple(q for q in hot if in_hot_tier(q.score, q.speaker))
        quotable = tuple(q for q in chosen if q.score >= QUOTABLE_THRESHOLD)
        rest = tuple(q for q in chosen if q.score < QUOTABLE_THRESHOLD)
        return cls(quotable, quotable + rest, count, own, load, kept, load_in)


def own_lines(quotes: Iterable[Quote]) -> bool:
    """Whether any of ``quotes`` is an author's own line (no speaker, not quoted speech)."""
    return any(q.speaker is None and not q.quoted for q in quotes)


def ranked_quotes(
    document: Document, *, words: SentenceWords | None = None
) -> tuple[tuple[Quote, ...], tuple[Quote, ...], tuple[Quote, ...]]:
    """One document's quotes, short-speech reserve and plain reserve, each ranked as
    :meth:`QuoteBook.build` of that document alone ranks them (without building the book's
    look-ups, which a store of per-document results does not keep). ``words``: each sentence's
    tokens (:func:`~bot.core.text.sentence_words`), when the caller has them."""
    found = document_quotes(document, words=words)
    return (
        tuple(sorted(found.quotes, key=ranking)),
        tuple(sorted(found.short, key=ranking)),
        tuple(sorted(found.plain, key=ranking)),
    )
