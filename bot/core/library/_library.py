"""The :class:`Library`: a loaded corpus with its search index, quote ranking and summaries;
every method is one command's core call (see :mod:`bot.core.library`)."""

from __future__ import annotations

import logging
import random
import threading
import time
import weakref
from collections.abc import Callable, Collection, Mapping
from pathlib import Path

from bot.core.errors import NotFound, QueryError
from bot.core.library._names import DocumentNames
from bot.core.models import Corpus, Document, Quote, SearchHit, Summary
from bot.core.normalize import valid_text
from bot.core.provenance import Provenance, locate
from bot.core.quotes import QuoteBook
from bot.core.search import IndexFileError, SearchIndex
from bot.core.section_lookup import matching_sections, resolve_section
from bot.core.sources import Source, source_of
from bot.core.summarize_sections import summarize_document, summarize_section

_log = logging.getLogger(__name__)


class Library(DocumentNames):
    """A corpus plus what is built from it (lazily, once, thread-safe).

    Args:
        corpus: the loaded documents (and load problems).
        index_cache: folder for the search index cache, or ``None`` for no cache.
        progress: called as ``progress(done, total)`` while the index is built.
        index, quotes, summaries: parts already built (by :class:`bot.core.store.CorpusStore`,
            from the store or in parallel); ``quotes`` may be a function that assembles the
            :class:`QuoteBook` on first use; ``summaries`` is keyed ``(document id, length,
            None)``.
        persist: called as ``persist(document id, length, summary)`` with each whole-document
            summary computed here, so the store keeps it for the next start.

    Attributes:
        corpus: the documents.
        timings: seconds spent building each part (``"index"``, ``"quotes"``), for ``check``.
    """

    def __init__(
        self,
        corpus: Corpus,
        *,
        index_cache: Path | None = None,
        progress: Callable[[int, int], None] | None = None,
        index: SearchIndex | None = None,
        quotes: QuoteBook | Callable[[], QuoteBook] | None = None,
        summaries: Mapping[tuple[str, str, int | None], Summary] | None = None,
        persist: Callable[[str, str, Summary], None] | None = None,
    ) -> None:
        self.corpus = corpus
        self.index_cache = index_cache
        self.timings: dict[str, float] = {}
        self.index_from_cache = False
        self.index_cache_problem: str | None = None  # why a damaged cache file was rebuilt
        self._long_id_map: dict[str, Document] | None = None
        self._name_key_map: dict[str, tuple[str, str]] | None = None
        self._progress = progress
        self._index: SearchIndex | None = index
        self._quotes: QuoteBook | None = quotes if isinstance(quotes, QuoteBook) else None
        self._quote_factory = quotes if callable(quotes) else None
        self._lock = threading.Lock()
        self._summaries: dict[tuple[str, str, int | None], Summary] = dict(summaries or {})
        self._section_summaries: dict[tuple[str, str, int | None, int], Summary] = {}
        self._persist = persist

    @classmethod
    def build(
        cls,
        corpus: Corpus,
        *,
        index_cache: Path | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Library:
        """A library with everything built now (for the bot: no command pays for building)."""
        library = cls(corpus, index_cache=index_cache, progress=progress)
        library.warm()
        return library

    def warm(self, *, summary_length: str = "medium") -> None:
        """Build every part now, and each document's summary at the default length.

        Cost: linear in the corpus size.
        """
        _ = self.index, self.quotes
        started = time.perf_counter()
        for doc in self.corpus:
            self.summary(doc.id, length=summary_length)
        self.timings["summaries"] = time.perf_counter() - started

    @property
    def index(self) -> SearchIndex:
        """The passage search index (built, or loaded from the cache, on first use)."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    started = time.perf_counter()
                    self._index = self._load_or_build_index()
                    self.timings["index"] = time.perf_counter() - started
        return self._index

    def _load_or_build_index(self) -> SearchIndex:
        if self.index_cache is not None:
            try:
                cached = SearchIndex.load(self.index_cache, self.corpus)
            except IndexFileError as error:
                cached = None
                if error.reason == "damaged":
                    self.index_cache_problem = f"{error} It was rebuilt."
                    _log.warning("the search index cache: %s", self.index_cache_problem)
            if cached is not None:
                self.index_from_cache = True
                return cached
        if self._progress is not None:
            index = SearchIndex.build(self.corpus, progress=self._progress)
        else:
            index = SearchIndex.build(self.corpus)
        if self.index_cache is not None:
            try:
                self.index_cache.parent.mkdir(parents=True, exist_ok=True)
                index.save(self.index_cache)
            except OSError:
                pass  # a cache that cannot be written only costs time; the caller may warn
        return index

    def warm_up(self) -> None:
        """Assemble what is built on first use (the quote ranking), so no command waits."""
        self.quotes.warm_up()

    @property
    def quotes(self) -> QuoteBook:
        """The ranked quotable lines and quoted speech (built on first use)."""
        if self._quotes is None:
            with self._lock:
                if self._quotes is None:
                    started = time.perf_counter()
                    factory = self._quote_factory or (lambda: QuoteBook.build(self.corpus))
                    self._quotes = factory()
                    self._quotes.use_passages(_paragraphs_finder(weakref.ref(self)))
                    self._quote_factory = None  # what it was built from can go
                    self.timings["quotes"] = time.perf_counter() - started
        return self._quotes

    #: Paragraphs the passage index gives a ``contains`` fallback to look in (see
    #: :meth:`QuoteBook.use_passages`).
    CONTAINS_PARAGRAPHS = 200

    def _quote_paragraphs(self, phrase: str, document: str | None) -> list[tuple[str, int]]:
        """The paragraphs (of ``document``, or of any) whose passages hold ``phrase`` closely
        (rapidfuzz score 85+), best first, at most :attr:`CONTAINS_PARAGRAPHS`; none when the
        index refuses the phrase."""
        try:
            hits = self.index.search(
                phrase,
                limit=self.CONTAINS_PARAGRAPHS,
                document=document,
                threshold=85.0,
                min_chars=1,
            )
        except (QueryError, NotFound):
            return []
        return [(hit.passage.document_id, hit.passage.paragraph) for hit in hits]

    # ---- commands -----------------------------------------------------------------------

    def quote(
        self,
        *,
        document: str | None = None,
        contains: str | None = None,
        speaker: str | None = None,
        exclude: Collection[str] = (),
        rng: random.Random | None = None,
        rotation: str | None = None,
        allowed: Collection[str] | None = None,
    ) -> tuple[Quote, Document]:
        """A quotable line (``/quote``) and its document. Raises :class:`NotFound` when none fits.

        ``allowed``: only from these document ids (a server's choice); the documents are tried
        in random order, so each with a fitting quote is as likely as with the whole corpus.
        """
        doc = self.allowed_document(document, allowed)
        docs = self._allowed_or_refuse(allowed) if doc is None else None
        if docs is not None and len(docs) < len(self.corpus):
            rng = rng or random.Random()
            rng.shuffle(docs)
            failure: NotFound | None = None
            for candidate in docs:
                try:
                    return self.quote(
                        document=candidate.id,
                        contains=contains,
                        speaker=speaker,
                        exclude=exclude,
                        rng=rng,
                        rotation=rotation,
                    )
                except NotFound as error:
                    failure = failure or error
            assert failure is not None
            raise failure
        quote = self.quotes.pick(
            document=doc.id if doc else None,
            contains=valid_text(contains) if contains else None,
            speaker=valid_text(speaker) if speaker else None,
            exclude=exclude,
            rng=rng,
            rotation=rotation,
        )
        found = self.corpus.get(quote.document_id)
        assert found is not None
        return quote, found

    def ranked_quotes(self, document: str, *, top: int = 20) -> tuple[list[Quote], Document]:
        """The ``top`` most quotable lines of a document in rank order (``corpusbot quotes``):
        what ``/quote`` and the daily post draw from. Raises :class:`NotFound` for an unknown or
        missing document."""
        doc = self.document(document)
        if doc is None:
            raise NotFound("Name a document: corpusbot quotes DOCUMENT --top N.")
        return list(self.quotes.ranked(doc.id)[: max(0, top)]), doc

    def search(
        self,
        query: str,
        *,
        document: str | None = None,
        limit: int = 3,
        threshold: float = 70.0,
        min_chars: int = 3,
        max_chars: int = 300,
        allowed: Collection[str] | None = None,
    ) -> list[SearchHit]:
        """Ranked passages for a query (``/search``). Raises ``QueryError`` or :class:`NotFound`.

        ``allowed``: only passages of these document ids (a server's choice): the best
        :data:`ALLOWED_FETCH` hits of the whole corpus are filtered.
        """
        doc = self.allowed_document(document, allowed)
        docs = self._allowed_or_refuse(allowed) if doc is None else None
        if docs is not None and len(docs) < len(self.corpus):
            ids = {d.id for d in docs}
            hits = self.index.search(
                query,
                limit=max(limit, self.ALLOWED_FETCH),
                threshold=threshold,
                min_chars=min_chars,
                max_chars=max_chars,
            )
            kept = [h for h in hits if h.passage.document_id in ids][:limit]
            if not kept:
                raise NotFound("Nothing close enough in the documents this server sees.")
            return kept
        return self.index.search(
            query,
            limit=limit,
            document=doc.id if doc else None,
            threshold=threshold,
            min_chars=min_chars,
            max_chars=max_chars,
        )

    def summary(
        self,
        document: str | None = None,
        *,
        length: str = "medium",
        sentences: int | None = None,
        section: str | None = None,
        allowed: Collection[str] | None = None,
    ) -> tuple[Summary, Document]:
        """An extractive summary (``/summary``) of the named document, or of the first one; of
        one of its sections when ``section`` is given (its number or title, see
        :meth:`section_number`). A long document (a novel, a long speech) is summarised from its
        sections (:mod:`bot.core.summarize_sections`), others as a whole."""
        docs = self._allowed_or_refuse(allowed)
        doc = self.allowed_document(document, allowed) or (docs or self.corpus.documents)[0]
        number = self.section_number(doc, section) if section and section.strip() else None
        if number is not None:
            section_key = (doc.id, length, sentences, number)
            found = self._section_summaries.get(section_key)
            if found is None:
                found = summarize_section(doc, number, length=length, sentences=sentences)
                self._section_summaries[section_key] = found
            return found, doc
        key = (doc.id, length, sentences)
        cached = self._summaries.get(key)
        if cached is None:
            # Deterministic, so computed once per document and option (a whole novel costs
            # ~150 ms); a race computes it twice, harmlessly.
            cached = summarize_document(doc, length=length, sentences=sentences)
            self._summaries[key] = cached
            if self._persist is not None and sentences is None:
                self._persist(doc.id, length, cached)
        return cached, doc

    def section_number(self, document: Document, section: str) -> int:
        """The section a user's option names (see :func:`bot.core.section_lookup.resolve_section`:
        "#3" from autocomplete, a chapter number, a title or title words).

        Raises:
            AmbiguousSection: several sections match (the message lists them).
            NotFound: no such section.
        """
        return resolve_section(document, valid_text(section))

    def section_choices(
        self, document: str | None, typed: str, *, limit: int = 25
    ) -> list[tuple[str, str]]:
        """Autocomplete for a section option: ``(label, value)`` pairs ("3 · Chapter 2", "#3")
        of the document the user picked (or the first), matching what was typed; ``[]`` when the
        document is unknown or has no sections."""
        try:
            doc = self.document(document) or self.corpus.documents[0]
        except NotFound:
            return []
        found = matching_sections(doc, valid_text(typed))
        return [(f"{s.number} · {s.title or 'Untitled'}", f"#{s.number}") for s in found][:limit]

    def where_from(self, text: str) -> Provenance | None:
        """The passage a chat message most likely quotes ("Where is this from?"); see
        :func:`bot.core.provenance.locate`."""
        return locate(self.index, valid_text(text))

    # ---- sources ------------------------------------------------------------------------

    #: Hits fetched from the whole corpus before a server's choice filters them (``search``).
    ALLOWED_FETCH = 50

    def sources(self, documents: Collection[str] | None = None) -> list[Source]:
        """``/sources``: every document (or those whose ids are in ``documents``), corpus order.

        Descriptions come from summaries already built (never computes one: cheap on any
        corpus).
        """
        stored: dict[str, Summary] = {}
        for (doc_id, _, count), summary in list(self._summaries.items()):
            if count is None:
                stored.setdefault(doc_id, summary)
        return [
            source_of(doc, stored.get(doc.id))
            for doc in self.corpus
            if documents is None or doc.id in documents
        ]

    def source(
        self, name: str, allowed: Collection[str] | None = None
    ) -> tuple[Source, Document, Summary | None]:
        """``/sources document:``: the document's :class:`Source`, the document (for its
        sections) and its short summary (``None`` when it has no sentence). Raises
        :class:`NotFound` like :meth:`document`."""
        doc = self.allowed_document(name, allowed)
        if doc is None:
            raise NotFound("Name a document, or leave the option out to list them all.")
        try:
            summary, _ = self.summary(doc.id, length="short")
        except NotFound:
            summary = None
        return source_of(doc, summary), doc, summary

    # ---- a server's choice of documents -------------------------------------------------

    def allowed_document(
        self, name: str | None, allowed: Collection[str] | None
    ) -> Document | None:
        """:meth:`document`, refusing a document the server turned off (``allowed`` excludes it)."""
        doc = self.document(name)
        if doc is not None and allowed is not None and doc.id not in allowed:
            raise NotFound(
                f"“{doc.title}” is turned off in this server (a server manager can turn it on "
                "with /documents enable)."
            )
        return doc

    def _allowed_or_refuse(self, allowed: Collection[str] | None) -> list[Document] | None:
        if allowed is None:
            return None
        docs = [d for d in self.corpus if d.id in allowed]
        if not docs:
            raise NotFound(
                "Every document is turned off in this server; a server manager can turn some "
                "on with /documents enable."
            )
        return docs


def _paragraphs_finder(
    library: weakref.ref[Library],
) -> Callable[[str, str | None], list[tuple[str, int]]]:
    """:meth:`Library._quote_paragraphs` of ``library`` without a reference to it (the book it
    is given to is the library's: a cycle would keep an old library alive after a reload)."""

    def find(phrase: str, document: str | None) -> list[tuple[str, int]]:
        found = library()
        return found._quote_paragraphs(phrase, document) if found is not None else []

    return find
