"""The storage half of :class:`~bot.core.quotes.QuoteBook`: each document's :class:`Shelf`,
the documents' quotes decoded for recent requests, the speakers' names, and the look-ups that
need no ranking of candidates (:meth:`Shelves.get`, :meth:`Shelves.ranked`, ...)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from bot.core.models import Document, Quote
from bot.core.quotes._keys import _quote_start, quote_key
from bot.core.quotes._narrow import Narrowing, fold_name
from bot.core.quotes._pool import grouped, merged
from bot.core.quotes._shelf import Shelf, in_hot_tier

#: Quotes of documents decoded for a request that needs more than the hot tier, kept for the
#: next one (the most recently used documents; a novel has about 5,000).
DECODED_QUOTES = 100_000


class Shelves:
    """Every document's quotes, by tier (see :class:`Shelf`); the base of
    :class:`~bot.core.quotes.QuoteBook`."""

    __slots__ = (
        "_authors",
        "_decoded",
        "_folded",
        "_keys",
        "_lock",
        "_narrowing",
        "_order",
        "_plain",
        "_shelves",
        "_short",
        "_speakers",
        "_titles",
        "_voices",
    )

    def _setup(
        self,
        documents: Sequence[Document],
        shelves: Mapping[str, Shelf],
        short: Sequence[Quote],
        plain: Sequence[Quote],
    ) -> None:
        self._order = {d.id: i for i, d in enumerate(documents)}
        self._titles = {d.id: d.title for d in documents}
        self._authors = {d.id: d.author for d in documents}
        ids = [d for d in self._order if d in shelves] + [
            d for d in shelves if d not in self._order
        ]
        self._shelves = {d: shelves[d] for d in ids if shelves[d].count}
        self._short = tuple(sorted(short, key=self._rank))
        self._plain = {d: tuple(qs) for d, qs in grouped(sorted(plain, key=self._rank)).items()}
        self._decoded: OrderedDict[str, tuple[Quote, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self._narrowing = Narrowing()
        self._folded: dict[str, tuple[str, ...]] = {}  # each document's quotable texts, folded
        self._keys: dict[str, tuple[str, ...]] = {}  # of quotable quotes, made on first use
        self._list_speakers()

    def _list_speakers(self) -> None:
        """The folded names of each document's quotes, and every name :meth:`speakers` lists."""
        self._voices = {d: self._names_of(d, s) for d, s in self._shelves.items()}
        names = {q.speaker for q in self._short if q.speaker}
        names |= {self._authors.get(d) or "" for d in self._plain}
        for shelf in self._shelves.values():
            names |= {q.speaker for q in shelf.hot if q.speaker}
        names |= {self._authors.get(d) or "" for d, s in self._shelves.items() if s.own_lines}
        unique: dict[str, str] = {}
        for name in sorted((n for n in names if n), key=lambda n: (-n.count("."), n)):
            unique.setdefault(fold_name(name), name)  # "Mr. Jaggers" and "Mr Jaggers" are one
        self._speakers = tuple(sorted(unique.values(), key=lambda n: (n.casefold(), n)))

    def _names_of(self, document: str, shelf: Shelf) -> frozenset[str]:
        """The folded names the document's quotes are shown as from (see :meth:`speaker_of`)."""
        names = {fold_name(q.speaker) for q in shelf.hot if q.speaker}
        author = self._authors.get(document)
        if shelf.own_lines and author:
            names.add(fold_name(author))
        return frozenset(names)

    def _rank(self, q: Quote) -> tuple[float, int, int, int]:
        """Rank order: score descending, then corpus order, paragraph, offset."""
        return (-q.score, self.document_position(q.document_id), q.paragraph, _quote_start(q))

    def document_position(self, document_id: str) -> int:
        """The document's position in corpus order (unknown ids last)."""
        return self._order.get(document_id, len(self._order))

    def __len__(self) -> int:
        return sum(shelf.count for shelf in self._shelves.values())

    def get(self, key: str) -> Quote | None:
        """The quote with this :func:`quote_key`, or ``None`` (e.g. its document changed)."""
        document, _, start = key.rpartition(":")
        document, _, paragraph = document.rpartition(":")
        if not (paragraph.isdigit() and start.isdigit()):
            return None
        number = int(paragraph)
        shelf = self._shelves.get(document)
        places: list[Callable[[], Iterable[Quote]]] = [
            lambda: shelf.hot if shelf else (),
            lambda: self._every(document),  # decoded only when the hot tier lacks it
            lambda: self._short,
            lambda: self._plain.get(document, ()),
        ]
        for place in places:
            for q in place():
                if q.paragraph == number and q.document_id == document and quote_key(q) == key:
                    return q
        return None

    def _keys_of(self, document: str) -> tuple[str, ...]:
        """The :func:`quote_key` of each quotable quote of ``document`` (kept: the daily post's
        order asks for them for every guild)."""
        keys = self._keys.get(document)
        if keys is None:
            shelf = self._shelves.get(document)
            keys = self._keys[document] = (
                tuple(quote_key(q) for q in shelf.quotable) if shelf else ()
            )
        return keys

    def _every_in(self, document: str, paragraphs: Collection[int]) -> Sequence[Quote]:
        """The quotes of ``document`` in ``paragraphs``, ranked (only those decoded, unless the
        document's quotes are at hand)."""
        shelf = self._shelves.get(document)
        if shelf is None:
            return ()
        with self._lock:
            at_hand = shelf.kept or self._decoded.get(document)
        if at_hand is None and shelf.load_in is not None:
            return shelf.load_in(frozenset(paragraphs))
        return [q for q in at_hand or self._every(document) if q.paragraph in paragraphs]

    def _every(self, document: str) -> tuple[Quote, ...]:
        """Every quote of ``document``, ranked (decoded when not in memory; recent ones kept)."""
        shelf = self._shelves.get(document)
        if shelf is None:
            return ()
        if shelf.kept is not None:
            return shelf.kept
        with self._lock:
            found = self._decoded.get(document)
            if found is not None:
                self._decoded.move_to_end(document)
                return found
        found = shelf.load()
        if len(found) != shelf.count or len(shelf.hot) != sum(
            in_hot_tier(q.score, q.speaker) for q in found
        ):  # its record was found damaged and derived again: the fresh quotes replace the shelf
            self._shelves[document] = Shelf.of(found)
            self._list_speakers()
            return found
        with self._lock:
            self._decoded[document] = found
            while len(self._decoded) > 1 and (
                sum(map(len, self._decoded.values())) > DECODED_QUOTES
            ):
                self._decoded.popitem(last=False)
        return found

    def ranked(self, document: str | None = None) -> tuple[Quote, ...]:
        """All quotes (of one document, by id, when given), best first.

        Order: score descending, then corpus order, paragraph, offset — deterministic. An
        unknown document id gives ``()``. The whole corpus's ranking (``None``) decodes every
        document's quotes in a store-backed book: meant for small corpora and tests.
        """
        if document is not None:
            return self._every(document)
        return tuple(merged({d: self._every(d) for d in self._shelves}, self._rank))

    def quotable(self, document: str | None = None) -> tuple[Quote, ...]:
        """The ranked quotes scoring at least :data:`QUOTABLE_THRESHOLD`."""
        if document is not None:
            shelf = self._shelves.get(document)
            return shelf.quotable if shelf else ()
        return tuple(merged({d: s.quotable for d, s in self._shelves.items()}, self._rank))

    def speech(self, document: str) -> tuple[Quote, ...]:
        """The document's ranked quotes that have a named speaker (kept in memory)."""
        shelf = self._shelves.get(document)
        return tuple(q for q in shelf.hot if q.speaker) if shelf else ()

    def speaker_of(self, quote: Quote) -> str | None:
        """Who a quote is shown as from: its speaker, the document's author for own lines, or
        ``None`` for speech whose speaker is not known (never the author's)."""
        if quote.speaker or quote.quoted:
            return quote.speaker
        return self._authors.get(quote.document_id)

    def _shown(self, quote: Quote) -> str | None:
        """The folded name a quote is shown as from (see :meth:`speaker_of`)."""
        name = self.speaker_of(quote)
        return fold_name(name) if name else None
