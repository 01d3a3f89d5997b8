"""The one object the bot, the console and the CLI ask: a loaded corpus with its indexes.

``Library.build(corpus)`` does all the slow work once (search index, quote ranking); afterwards
every method is a cheap, thread-safe read, so cogs can run them in a worker thread and answer
within Discord's deadline. Each method is exactly the "one core call" a command makes.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.core.errors import NotFound
from bot.core.models import Corpus, Document, Quote, SearchHit, Summary
from bot.core.quotes import QuoteBook
from bot.core.search import SearchIndex
from bot.core.summarize import summarize


@dataclass(frozen=True, slots=True)
class Library:
    """A corpus plus what was built from it.

    Attributes:
        corpus: the loaded documents (and load problems).
        index: the passage search index.
        quotes: the ranked quotable lines and quoted speech.
    """

    corpus: Corpus
    index: SearchIndex
    quotes: QuoteBook

    @classmethod
    def build(
        cls, corpus: Corpus, *, progress: Callable[[int, int], None] | None = None
    ) -> Library:
        """Index ``corpus`` for search and rank its quotes. Cost: linear in the corpus size."""
        index = (
            SearchIndex.build(corpus, progress=progress) if progress else SearchIndex.build(corpus)
        )
        return cls(corpus=corpus, index=index, quotes=QuoteBook.build(corpus))

    # ---- documents ----------------------------------------------------------------------

    def document(self, name: str | None) -> Document | None:
        """Resolve a user's document option: an id, or a (possibly misspelt) title.

        Returns ``None`` for an empty option. Raises :class:`NotFound` with a helpful message when
        nothing is close enough.
        """
        if name is None or not name.strip():
            return None
        name = name.strip()
        exact = self.corpus.get(name)
        if exact is not None:
            return exact
        prefixed = [d for d in self.corpus if d.id.startswith(name.casefold())]
        if len(prefixed) == 1:
            return prefixed[0]
        titles = {d.id: d.title for d in self.corpus}
        best = process.extractOne(
            name, titles, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=80
        )
        if best is None:
            known = ", ".join(d.id for d in self.corpus.documents[:10])
            more = f" and {len(self.corpus) - 10} more" if len(self.corpus) > 10 else ""
            raise NotFound(
                f"There is no document called “{name}”. Documents: {known}{more}. "
                "(In Discord, start typing in the document option to pick one.)"
            )
        found = self.corpus.get(best[2])
        assert found is not None
        return found

    def document_choices(self, typed: str, *, limit: int = 25) -> list[tuple[str, str]]:
        """Autocomplete for a document option: up to ``limit`` ``(title, id)`` pairs, stable order.

        Empty input lists documents in corpus order; otherwise titles are ranked by fuzzy match
        (ties by corpus order).
        """
        docs = list(self.corpus)
        typed = typed.strip()
        if not typed:
            return [(d.title, d.id) for d in docs[:limit]]
        query = utils.default_process(typed)
        scored = []
        for position, doc in enumerate(docs):
            title = utils.default_process(doc.title)
            score = (
                100.0
                if title.startswith(query) or doc.id.startswith(query)
                else fuzz.partial_ratio(query, title)
            )
            if score >= 60:
                scored.append((-score, position, doc))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [(d.title, d.id) for _, _, d in scored[:limit]]

    # ---- commands -----------------------------------------------------------------------

    def quote(
        self,
        *,
        document: str | None = None,
        contains: str | None = None,
        speaker: str | None = None,
        exclude: Collection[str] = (),
        rng: random.Random | None = None,
    ) -> tuple[Quote, Document]:
        """A quotable line (``/quote``) and its document. Raises :class:`NotFound` when none fits."""
        doc = self.document(document)
        quote = self.quotes.pick(
            document=doc.id if doc else None,
            contains=contains or None,
            speaker=speaker or None,
            exclude=exclude,
            rng=rng,
        )
        found = self.corpus.get(quote.document_id)
        assert found is not None
        return quote, found

    def search(
        self,
        query: str,
        *,
        document: str | None = None,
        limit: int = 3,
        threshold: float = 70.0,
        min_chars: int = 3,
        max_chars: int = 300,
    ) -> list[SearchHit]:
        """Ranked passages for a query (``/search``). Raises ``QueryError`` or :class:`NotFound`."""
        doc = self.document(document)
        return self.index.search(
            query,
            limit=limit,
            document=doc.id if doc else None,
            threshold=threshold,
            min_chars=min_chars,
            max_chars=max_chars,
        )

    def summary(
        self, document: str | None = None, *, length: str = "medium", sentences: int | None = None
    ) -> tuple[Summary, Document]:
        """An extractive summary (``/summary``) of the named document, or of the first one."""
        doc = self.document(document) or self.corpus.documents[0]
        return summarize(doc, length=length, sentences=sentences), doc
