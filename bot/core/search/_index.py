"""``SearchIndex``: passages cut from a corpus, their matching keys, the q-gram index, queries.

Memory is a few flat numpy arrays: matching keys as one UTF-8 buffer with offsets, per-passage
``(document, paragraph, start, end)`` columns, and the posting lists of :mod:`._grams`; a
:class:`~bot.core.models.Passage` is made only when asked for (its text is a slice of the
corpus's paragraph, or of the saved text buffer once loaded from disk). An index is one
segment, or a base segment with changed documents masked plus a delta segment
(:meth:`SearchIndex.combine`, :mod:`._segment`) that answers as a fresh build would.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.core.errors import NotFound
from bot.core.models import Corpus, Document, Passage, SearchHit
from bot.core.normalize import valid_text
from bot.core.search import _query, _rescore
from bot.core.search._errors import IndexFileError
from bot.core.search._grams import Postings, bits_for
from bot.core.search._passages import (
    PassageList,
    TextBuffer,
    blob_text,
    corpus_text,
    document_chars,
    index_corpus,
)
from bot.core.search._query import SUGGEST_CANDIDATES
from bot.core.search._segment import Layout, Merged, Segment
from bot.core.search._text import match_key, shorten, snippet, validate

U8 = npt.NDArray[np.uint8]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]

__all__ = ["PassageList", "SearchIndex"]

log = logging.getLogger("bot.core.search")


def default_candidates(passages: int) -> int:
    """Passages kept for rescoring per query: ``sqrt(passages)`` clamped to 50-300."""
    return min(300, max(50, math.isqrt(passages)))


class SearchIndex:
    """A read-only fuzzy search index over a corpus's passages. Build once, query many times.

    Public API (also used by the corpus store): :meth:`build`, :meth:`search`, :meth:`suggest`,
    :attr:`passages`, ``len()``, :meth:`fingerprint`, :meth:`save` (a folder of ``.npy`` arrays
    and ``meta.json``), :meth:`load` (memory-mapped by default), :meth:`saved_labels`, and for
    incremental updates :meth:`combine` (a saved base plus a delta), :meth:`chars`,
    :meth:`chars_of`, :attr:`bits`, :meth:`bits_for`. Thread-safe for concurrent queries
    (nothing is mutated after it is made).
    """

    def __init__(
        self,
        *,
        segments: Sequence[Segment],
        order: Sequence[str] | None = None,
        candidates: int,
        window: int,
        overlap: int,
        fingerprint: str | None = None,
        corpus: Corpus | None = None,
        source: Path | None = None,
    ) -> None:
        """Use :meth:`build`, :meth:`load` or :meth:`combine`; this stores already-made parts.

        ``segments``: one, or a base and a delta; ``order``: the live documents' ids in corpus
        order (default: every document of the single segment); ``source``: the folder it was
        loaded from.
        """
        self._segments = tuple(segments)
        self._layout = Layout(self._segments, order)
        self._source = source
        #: Why the saved index was found damaged by a query (``None``: it was not).
        self.problem: str | None = None
        self._candidates = candidates
        self.window, self.overlap = window, overlap
        self._fingerprint = fingerprint
        self._corpus = corpus
        self._n = self._layout.size
        self._documents = self._layout.documents
        self._doc_ranges = self._layout.ranges
        self._titles = dict(self._documents)
        self._postings: Postings | Merged = self._layout.postings()

    # ------------------------------------------------------------------ building
    @classmethod
    def build(
        cls,
        corpus: Corpus,
        *,
        window: int = 400,
        overlap: int = 100,
        candidates: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        bits: int | None = None,
        keep_texts: bool = False,
    ) -> SearchIndex:
        """Cut the corpus into passages and index them.

        Args:
            corpus: the loaded documents (kept by reference: passage texts are its slices).
            window: paragraphs longer than this many characters are cut into windows of about
                this length (at word boundaries).
            overlap: characters shared by consecutive windows (a phrase up to this long is whole
                in at least one window); must be less than ``window / 2``.
            candidates: passages kept by the q-gram stage for rescoring per query; by default
                ``sqrt(passages)`` clamped to 50-300.
            progress: called as ``progress(done, total)`` after each document is cut into
                passages and after each indexing chunk; ``done`` only grows, and the last call is
                ``progress(total, total)``.
            bits: the hash width (default: from the corpus's size); a delta for
                :meth:`combine` takes its base's.
            keep_texts: pack the passages' texts while cutting them (each document's body read
                once; :meth:`save` then reads none) and answer from them, not from the corpus
                (more memory; for an index about to be saved).

        Returns:
            the index; time and memory are linear in the corpus (figures for a million passages
            in ``benchmarks/README.md``).
        """
        if window < 20 or not 0 <= overlap < window // 2:
            raise ValueError(
                f"need window >= 20 and 0 <= overlap < window/2, got {window}, {overlap}"
            )
        buffer = TextBuffer() if keep_texts else None
        postings, blob, offsets, columns, sizes = index_corpus(
            corpus, window, overlap, progress, bits, buffer
        )
        documents = tuple(corpus)
        texts = buffer.finish() if buffer is not None else None
        segment = Segment(
            postings,
            blob,
            offsets,
            columns,
            tuple((d.id, d.title) for d in documents),
            tuple(sizes),
            corpus_text(documents, columns) if texts is None else blob_text(*texts),
            texts,
        )
        if candidates is None:
            candidates = default_candidates(len(segment))
        return cls(
            segments=[segment], candidates=candidates, window=window, overlap=overlap, corpus=corpus
        )

    @classmethod
    def combine(cls, base: SearchIndex, delta: SearchIndex, corpus: Corpus) -> SearchIndex:
        """The index of ``corpus`` from ``base`` (a saved index of an earlier corpus) and
        ``delta`` (built with ``bits=base.bits`` from the documents of ``corpus`` that ``base``
        lacks or holds in another version): the base's passages of documents that are not in
        ``corpus`` or are in ``delta`` are masked, and the answers are a fresh build's (same
        scores, votes and ties, in corpus order). The caller vouches that the base's other
        documents are unchanged (the corpus store compares their content keys). Each segment
        must be a single one, with the same ``bits``, ``window`` and ``overlap``.

        Raises:
            ValueError: a document of ``corpus`` is in neither, or the segments do not fit.
        """
        if len(base._segments) != 1 or len(delta._segments) != 1:
            raise ValueError("combine a single base and a single delta")
        if (base.bits, base.window, base.overlap) != (delta.bits, delta.window, delta.overlap):
            raise ValueError("the delta must be built with the base's bits, window and overlap")
        order = [document.id for document in corpus]
        known = set(base._doc_ranges) | set(delta._doc_ranges)
        if missing := [doc_id for doc_id in order if doc_id not in known]:
            raise ValueError(f"documents in neither segment: {missing[:5]}")
        index = cls(
            segments=[base._segments[0], delta._segments[0]],
            order=order,
            candidates=1,
            window=base.window,
            overlap=base.overlap,
            source=base._source,
        )
        index._candidates = default_candidates(len(index))
        return index

    @staticmethod
    def chars_of(document: Document) -> int:
        """A document's size as the index counts it (:meth:`chars`, :meth:`bits_for`)."""
        return document_chars(document)

    @staticmethod
    def bits_for(chars: int) -> int:
        """The hash width a fresh build gives a corpus of ``chars`` (sum of :meth:`chars_of`)."""
        return bits_for(chars)

    @property
    def bits(self) -> int:
        """The hash width of the q-gram buckets (a delta must be built with its base's)."""
        return self._postings.bits

    def chars(self) -> dict[str, int]:
        """Each live document's size (:func:`._passages.document_chars`), by id."""
        sizes: dict[str, int] = {}
        for segment in self._segments:
            for (doc_id, _), size in zip(segment.documents, segment.chars, strict=True):
                sizes[doc_id] = size
        return {doc_id: sizes[doc_id] for doc_id in self._doc_ranges}

    # ------------------------------------------------------------------ persistence
    @staticmethod
    def fingerprint(corpus: Corpus, *, window: int = 400, overlap: int = 100) -> str:
        """A content hash (BLAKE2b, hex) of everything an index built from ``corpus`` depends on."""
        from bot.core.search._store import corpus_fingerprint

        return corpus_fingerprint(corpus, window, overlap)

    def save(
        self,
        folder: Any,
        *,
        fingerprint: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        """Write the index to ``folder`` (created or replaced) as ``.npy`` arrays + ``meta.json``.

        ``fingerprint`` is recorded for :meth:`load` to compare (default: :meth:`fingerprint` of
        the corpus it was built from; a caller that keys the corpus by content can pass its key
        and spare the pass over every paragraph); ``labels`` (document id -> text, e.g. each
        document's content key) are kept for :meth:`saved_labels`.

        Files are written into a temporary sibling folder, each fsynced, with sizes, dtypes,
        shapes and BLAKE2b checksums recorded in ``meta.json`` (written last), then renamed into
        place, so a crash never leaves a half-written index under ``folder``. Never pickles.
        Raises ``OSError`` if it cannot be written.
        """
        from bot.core.search._store import save

        save(self, folder, fingerprint, labels)

    @staticmethod
    def saved_labels(folder: Any) -> tuple[dict[str, str], dict[str, int]]:
        """``(labels, sizes)`` of the index saved in ``folder``, from its ``meta.json`` alone:
        the ``labels`` given to :meth:`save`, and each document's size (what :meth:`chars`
        gives). Raises :class:`IndexFileError` when there is none or it is unreadable."""
        from bot.core.search._store import saved_labels

        return saved_labels(folder)

    @classmethod
    def load(
        cls,
        folder: Any,
        corpus: Corpus | None = None,
        *,
        mmap: bool = True,
        verify: bool = True,
        window: int = 400,
        overlap: int = 100,
        fingerprint: str | None = None,
    ) -> SearchIndex:
        """The index saved in ``folder`` by :meth:`save`.

        Args:
            folder: the folder :meth:`save` wrote.
            corpus: when given, the index must have been built from this very corpus with these
                ``window``/``overlap`` (compared by :meth:`fingerprint`).
            mmap: memory-map the arrays (``np.load(mmap_mode="r")``) instead of reading them.
            verify: check every file's CRC-32 checksum (about 0.2 s per GB, read through the
                page cache).
            fingerprint: the fingerprint given to :meth:`save`: when it matches, the corpus is
                not fingerprinted again and only a few passages are checked against it.

        Only the small arrays are read (and a sample of posting lists decoded); each posting list
        is checked when a query decodes it, and one that does not decode is logged, skipped and
        the folder marked for rebuilding (:attr:`problem` says why).

        Raises:
            IndexFileError: the folder or a file is missing, empty, truncated, damaged, of
                another format version, or built from another corpus; the message names it.
        """
        from bot.core.search._store import load

        return load(
            cls,
            folder,
            corpus,
            mmap=mmap,
            verify=verify,
            window=window,
            overlap=overlap,
            fingerprint=fingerprint,
        )

    def _saved_fingerprint(self) -> str:
        """The fingerprint :meth:`save` records (of the corpus this index was built from)."""
        if self._fingerprint is None:
            assert self._corpus is not None  # a built index keeps its corpus
            self._fingerprint = self.fingerprint(
                self._corpus, window=self.window, overlap=self.overlap
            )
        return self._fingerprint

    # ------------------------------------------------------------------ container protocol
    @property
    def passages(self) -> Sequence[Passage]:
        """Every indexed passage, in corpus order (document, paragraph, window)."""
        return PassageList(self)

    def passage(self, pid: int) -> Passage:
        """The passage with id ``pid`` (``0 <= pid < len(self)`` in a single segment; in a
        combined index, a composite id: :attr:`passages` lists them in corpus order)."""
        return self._layout.passage(pid)

    def key(self, pid: int) -> str:
        """The matching key of passage ``pid``."""
        return self._layout.key(pid)

    def __len__(self) -> int:
        return self._layout.passages

    # ------------------------------------------------------------------ search
    def search(
        self,
        query: str,
        *,
        limit: int = 3,
        document: str | None = None,
        threshold: float = 70.0,
        min_chars: int = 3,
        max_chars: int = 300,
        exhaustive: bool = False,
    ) -> list[SearchHit]:
        """The best passages for a typed, possibly misspelt or half-remembered phrase.

        Args:
            query: what the user typed.
            limit: at most this many hits (one per paragraph), best first.
            document: only search this document id.
            threshold: minimum score (0-100) of a hit.
            min_chars: fewer letters/digits than this (after normalising) is too short.
            max_chars: a longer normalised query is refused.
            exhaustive: score every passage instead of the q-gram candidates (the brute-force
                reference, same ranking; about 2 s per query at a million passages).

        Returns:
            1 to ``limit`` hits, exact phrases first, then by score, then by stage-1 votes, then
            in corpus order; ``match_start``/``match_end`` index the original ``passage.text``.

        Raises:
            QueryError: ``reason`` ``"nothing_to_search"`` (no letters or digits),
                ``"too_short"`` (under ``min_chars`` letters/digits, combining marks counting as
                letters and East Asian wide letters as two, or only a word or two like "the"),
                ``"too_long"`` (over ``max_chars`` characters).
            NotFound: unknown ``document``, or no passage scores ``threshold`` or more.
            ValueError: ``limit`` below 1 (a programming error, not a user's).
        """
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        query = valid_text(query)
        key = validate(query, min_chars=min_chars, max_chars=max_chars)
        lo, hi = self._range(document)
        # partial_ratio costs more past 64 characters, and a long query's q-gram votes are sharper:
        # fewer candidates for long queries keeps them within the same time.
        k = self._candidates if len(key) <= 64 else max(50, self._candidates * 64 // len(key))
        ranked = self._ranked(key, lo, hi, k, threshold, exhaustive=exhaustive, top=limit)
        hits = list(itertools.islice(self._iter_hits(key, ranked), limit))
        if not hits:
            title = self._titles.get(document or "", document or "")
            scope = f" in “{shorten(title, 60)}”" if document else ""
            raise NotFound(
                f"No passage matched “{shorten(query.strip(), 60)}”{scope} closely enough "
                f"(a score of {threshold:g} out of 100 is needed). Check the spelling, or try "
                "other words you remember from the passage."
            )
        return hits

    def suggest(self, prefix: str, *, limit: int = 25) -> list[str]:
        """Search-as-you-type: snippets of the passages best matching a partial query.

        Args:
            prefix: what the user has typed so far (the last word may be incomplete).
            limit: at most this many snippets.

        Returns:
            up to ``limit`` distinct snippets of original passage text (one per paragraph, scoring
            60 or more), each at most 100 characters, starting near the matched words, best
            first; ``[]`` when the prefix has fewer than 3 letters/digits. Never raises for bad
            input.
        """
        key = match_key(valid_text(prefix))
        if sum(ch.isalnum() for ch in key) < 3 or len(key) > 300 or limit <= 0:
            return []
        k = max(SUGGEST_CANDIDATES * limit, 50)
        ranked = self._ranked(key, 0, self._n, k, 60.0, prefix=True)  # composite id space
        out: list[str] = []
        for found in self._iter_hits(key, ranked):
            text = snippet(found.passage.text, found.match_start, 100)
            if text not in out:
                out.append(text)
            if len(out) >= limit:
                break
        return out

    # ------------------------------------------------------------------ internals
    def _range(self, document: str | None) -> tuple[int, int]:
        if document is None:
            return 0, self._n
        if document not in self._doc_ranges:
            raise NotFound(f"There is no document called “{shorten(document, 80)}” to search in.")
        return self._doc_ranges[document]

    def _ranked(
        self,
        key: str,
        lo: int,
        hi: int,
        k: int,
        threshold: float,
        *,
        exhaustive: bool = False,
        prefix: bool = False,
        top: int | None = None,
    ) -> list[_rescore.Scored]:
        """Stage 1 then stage 2 over passages ``[lo, hi)`` (see :func:`._query.ranked`)."""
        return _query.ranked(
            self._layout,
            self._postings,
            key,
            (lo, hi),
            k,
            threshold,
            exhaustive=exhaustive,
            prefix=prefix,
            top=top,
            damaged=self._damaged,
        )

    def _damaged(self, error: IndexFileError) -> None:
        """A posting list that does not decode: logged, skipped by the query, and the saved
        folder marked so that the next start rebuilds the index (:attr:`problem` says why)."""
        from bot.core.search._store import mark_damaged

        where = f" in {self._source}" if self._source is not None else ""
        problem = f"The search index{where} is damaged: {error}"
        if self.problem is None:
            log.warning(
                "%s; queries skip that list until the index is rebuilt at the next start", problem
            )
            if self._source is not None:
                mark_damaged(self._source)
        self.problem = problem

    def _iter_hits(self, key: str, ranked: list[_rescore.Scored]) -> Iterator[SearchHit]:
        """The ranked passages as hits, one per paragraph (the best of its windows)."""
        return _query.hits(self._layout, key, ranked)
