"""``SearchIndex``: passages cut from a corpus, their matching keys, the q-gram index, queries.

Memory is a few flat numpy arrays: matching keys as one UTF-8 buffer with offsets, per-passage
``(document, paragraph, start, end)`` columns, and the posting lists of :mod:`._grams`; a
:class:`~bot.core.models.Passage` is made only when asked for (its text is a slice of the
corpus's paragraph, or of the saved text buffer once loaded from disk).
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.core.errors import NotFound
from bot.core.models import Corpus, Passage, SearchHit
from bot.core.normalize import valid_text
from bot.core.search import _candidates, _rescore
from bot.core.search._candidates import POSTINGS_BUDGET, TIE_FACTOR
from bot.core.search._errors import IndexFileError
from bot.core.search._grams import Postings
from bot.core.search._passages import (
    PassageList,
    corpus_text,
    index_corpus,
    pack,
)
from bot.core.search._text import match_key, shorten, snippet, validate

#: A document range at most this long is scored whole when its votes give too few candidates
#: (a query made only of stop grams, see :mod:`._grams`).
_SCAN_MAX = 3_000
#: Search-as-you-type bounds its work per keystroke by counts, not time: candidates per snippet
#: asked for, how many passages tied with the last candidate are kept (times the candidates), and
#: posting lists read (times the passages; see :mod:`._candidates`).
SUGGEST_CANDIDATES = 2
SUGGEST_TIES = 2
SUGGEST_BUDGET = 0.5

U8 = npt.NDArray[np.uint8]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]

__all__ = ["PassageList", "SearchIndex"]

log = logging.getLogger("bot.core.search")


class SearchIndex:
    """A read-only fuzzy search index over a corpus's passages. Build once, query many times.

    Public API (also used by the corpus store): :meth:`build`, :meth:`search`, :meth:`suggest`,
    :attr:`passages`, ``len()``, :meth:`fingerprint`, :meth:`save` (a folder of ``.npy`` arrays
    and ``meta.json``) and :meth:`load` (memory-mapped by default). Thread-safe for concurrent
    queries (nothing is mutated after it is made).
    """

    def __init__(
        self,
        *,
        postings: Postings,
        keys: U8,
        key_offsets: I64,
        columns: dict[str, I32],
        documents: Sequence[tuple[str, str]],
        text_of: Callable[[int], str],
        candidates: int,
        window: int,
        overlap: int,
        fingerprint: str | None = None,
        corpus: Corpus | None = None,
        source: Path | None = None,
    ) -> None:
        """Use :meth:`build` or :meth:`load`; this stores already-computed parts.

        ``columns`` has ``doc``, ``paragraph``, ``start``, ``end`` (one ``int32`` per passage);
        ``documents`` is ``(id, title)`` per document number; ``text_of(pid)`` gives a passage's
        original text; ``source`` is the folder it was loaded from.
        """
        self._postings = postings
        self._source = source
        #: Why the saved index was found damaged by a query (``None``: it was not).
        self.problem: str | None = None
        self._keys = keys
        self._key_offsets = key_offsets
        self._columns = columns
        self._documents = tuple(documents)
        self._text_of = text_of
        self._candidates = candidates
        self.window, self.overlap = window, overlap
        self._fingerprint = fingerprint
        self._corpus = corpus
        self._n = len(key_offsets) - 1
        doc = columns["doc"]
        bounds = np.searchsorted(doc, np.arange(len(self._documents) + 1)).tolist()
        self._doc_ranges = {
            doc_id: (bounds[i], bounds[i + 1]) for i, (doc_id, _) in enumerate(self._documents)
        }
        self._titles = dict(self._documents)

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

        Returns:
            the index; time and memory are linear in the corpus (figures for a million passages
            in ``benchmarks/README.md``).
        """
        if window < 20 or not 0 <= overlap < window // 2:
            raise ValueError(
                f"need window >= 20 and 0 <= overlap < window/2, got {window}, {overlap}"
            )
        postings, blob, offsets, columns = index_corpus(corpus, window, overlap, progress)
        documents = tuple(corpus)
        if candidates is None:
            candidates = min(300, max(50, math.isqrt(len(offsets) - 1)))
        index = cls(
            postings=postings,
            keys=blob,
            key_offsets=offsets,
            columns=columns,
            documents=[(d.id, d.title) for d in documents],
            text_of=corpus_text(documents, columns),
            candidates=candidates,
            window=window,
            overlap=overlap,
            corpus=corpus,
        )
        return index

    # ------------------------------------------------------------------ persistence
    @staticmethod
    def fingerprint(corpus: Corpus, *, window: int = 400, overlap: int = 100) -> str:
        """A content hash (BLAKE2b, hex) of everything an index built from ``corpus`` depends on."""
        from bot.core.search._store import corpus_fingerprint

        return corpus_fingerprint(corpus, window, overlap)

    def save(self, folder: Any, *, fingerprint: str | None = None) -> None:
        """Write the index to ``folder`` (created or replaced) as ``.npy`` arrays + ``meta.json``.

        ``fingerprint`` is recorded for :meth:`load` to compare (default: :meth:`fingerprint` of
        the corpus it was built from; a caller that keys the corpus by content can pass its key
        and spare the pass over every paragraph).

        Files are written into a temporary sibling folder, each fsynced, with sizes, dtypes,
        shapes and BLAKE2b checksums recorded in ``meta.json`` (written last), then renamed into
        place, so a crash never leaves a half-written index under ``folder``. Never pickles.
        Raises ``OSError`` if it cannot be written.
        """
        from bot.core.search._store import save

        save(self, folder, fingerprint)

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

    def _persisted(self) -> dict[str, npt.NDArray[Any]]:
        """Every array :meth:`save` writes, by name (passage texts packed like the keys)."""
        texts, text_offsets = pack([self._text_of(i) for i in range(self._n)])
        p = self._postings
        return {
            "grams": p.grams,
            "indptr": p.indptr,
            "gaps": p.gaps,
            "escape16_ptr": p.escape16_ptr,
            "escapes16": p.escapes16,
            "escape32_ptr": p.escape32_ptr,
            "escapes32": p.escapes32,
            "keys": self._keys,
            "key_offsets": self._key_offsets,
            **self._columns,
            "texts": texts,
            "text_offsets": text_offsets,
        }

    # ------------------------------------------------------------------ container protocol
    @property
    def passages(self) -> Sequence[Passage]:
        """Every indexed passage, in corpus order (document, paragraph, window)."""
        return PassageList(self)

    def passage(self, pid: int) -> Passage:
        """The passage with id ``pid`` (``0 <= pid < len(self)``)."""
        c = self._columns
        doc = self._documents[int(c["doc"][pid])][0]
        start, end = int(c["start"][pid]), int(c["end"][pid])
        return Passage(doc, int(c["paragraph"][pid]), start, end, self._text_of(pid))

    def key(self, pid: int) -> str:
        """The matching key of passage ``pid``."""
        o = self._key_offsets
        return self._keys[o[pid] : o[pid + 1]].tobytes().decode("utf-8", "surrogatepass")

    def __len__(self) -> int:
        return self._n

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
        ranked = self._ranked(key, 0, self._n, k, 60.0, prefix=True)
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
        """Stage 1 (votes, candidates) then stage 2 (scores) over passages ``[lo, hi)``; with
        ``top``, only what the best ``top`` paragraphs need (see :func:`._rescore.rank`)."""
        budget, ties = (SUGGEST_BUDGET, SUGGEST_TIES) if prefix else (POSTINGS_BUDGET, TIE_FACTOR)
        votes = _candidates.votes(self._postings, key, lo, hi, budget=budget, damaged=self._damaged)
        ids: Sequence[int]
        if exhaustive or hi - lo <= k:
            ids = range(lo, hi)
        else:
            ids = _candidates.best(votes, lo, k, ties=ties)
            if len(ids) < k and hi - lo <= _SCAN_MAX:
                ids = range(lo, hi)
        choices = [self.key(i) for i in ids]
        where = np.asarray(ids, dtype=np.int64)
        groups = (self._columns["doc"][where].astype(np.int64) << 32) | self._columns["paragraph"][
            where
        ]
        return _rescore.rank(
            key,
            ids,
            choices,
            threshold,
            votes,
            lo,
            align_words=not prefix,
            top=top,
            groups=groups.tolist(),
        )

    def _damaged(self, error: IndexFileError) -> None:
        """A posting list that does not decode: logged, skipped by the query, and the saved
        folder's ``meta.json`` removed so that the next start rebuilds the index."""
        where = f" in {self._source}" if self._source is not None else ""
        problem = f"The search index{where} is damaged: {error}"
        if self.problem is None:
            log.warning(
                "%s; queries skip that list until the index is rebuilt at the next start", problem
            )
        self.problem = problem
        if self._source is not None:
            from bot.core.search._store import META

            try:
                (self._source / META).unlink(missing_ok=True)
            except OSError as failure:
                log.warning("cannot mark %s for rebuilding: %s", self._source, failure)

    def _iter_hits(self, key: str, ranked: list[_rescore.Scored]) -> Iterator[SearchHit]:
        """The ranked passages as hits, one per paragraph (the best of its windows)."""
        seen: set[tuple[int, int]] = set()
        doc, paragraph = self._columns["doc"], self._columns["paragraph"]
        for scored in ranked:
            where = (int(doc[scored.pid]), int(paragraph[scored.pid]))
            if where in seen:
                continue
            seen.add(where)
            yield _rescore.hit(key, scored, self.passage(scored.pid))
