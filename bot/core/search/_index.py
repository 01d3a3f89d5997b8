"""``SearchIndex``: passages cut from a corpus, their matching keys, the q-gram index, queries.

Memory is a few flat numpy arrays: matching keys as one UTF-8 buffer with offsets, per-passage
``(document, paragraph, start, end)`` columns, and the posting lists of :mod:`._grams`; a
:class:`~bot.core.models.Passage` is made only when asked for (its text is a slice of the
corpus's paragraph, or of the saved text buffer once loaded from disk).
"""

from __future__ import annotations

import itertools
import math
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from bot.core.errors import NotFound
from bot.core.models import Corpus, Document, Passage, SearchHit
from bot.core.normalize import valid_text
from bot.core.search import _candidates, _rescore
from bot.core.search._build import CHUNK_CHARS, Builder, release_free_memory, small_pages
from bot.core.search._grams import Postings
from bot.core.search._text import match_key, shorten, snippet, validate, windows

_HAS_ALNUM = re.compile(r"[^\W_]")  # a letter or digit (str.isalnum)
#: A document range at most this long is scored whole when its votes give too few candidates
#: (a query made only of stop grams, see :mod:`._grams`).
_SCAN_MAX = 3_000

U8 = npt.NDArray[np.uint8]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]


class PassageList(Sequence[Passage]):
    """The index's passages in corpus order, made on access (a read-only sequence)."""

    def __init__(self, index: SearchIndex) -> None:
        self._index = index

    def __len__(self) -> int:
        return len(self._index)

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Passage]: ...
    def __getitem__(self, i: int | slice) -> Passage | Sequence[Passage]:
        if isinstance(i, slice):
            return tuple(self._index.passage(j) for j in range(len(self))[i])
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return self._index.passage(i % len(self))

    def __iter__(self) -> Iterator[Passage]:
        return (self._index.passage(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


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
    ) -> None:
        """Use :meth:`build` or :meth:`load`; this stores already-computed parts.

        ``columns`` has ``doc``, ``paragraph``, ``start``, ``end`` (one ``int32`` per passage);
        ``documents`` is ``(id, title)`` per document number; ``text_of(pid)`` gives a passage's
        original text.
        """
        self._postings = postings
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
        chars = sum(len(p.text) + 2 for d in corpus for p in d.paragraphs)
        total = len(corpus) + max(1, -(-chars // CHUNK_CHARS))
        chunks = None
        if progress is not None:
            report = progress
            chunks = lambda done: report(min(len(corpus) + done, total - 1), total)  # noqa: E731
        builder = Builder(chars, chunks)
        with small_pages():
            columns = _cut(corpus, window, overlap, builder, progress, total)
            postings, blob, offsets = builder.finish()
        del builder
        release_free_memory()  # the build's freed temporaries, back to the OS
        documents = tuple(corpus)
        if candidates is None:
            candidates = min(300, max(50, math.isqrt(len(offsets) - 1)))
        index = cls(
            postings=postings,
            keys=blob,
            key_offsets=offsets,
            columns=columns,
            documents=[(d.id, d.title) for d in documents],
            text_of=_corpus_text(documents, columns),
            candidates=candidates,
            window=window,
            overlap=overlap,
            corpus=corpus,
        )
        if progress is not None:
            progress(total, total)
        return index

    # ------------------------------------------------------------------ persistence
    @staticmethod
    def fingerprint(corpus: Corpus, *, window: int = 400, overlap: int = 100) -> str:
        """A content hash (BLAKE2b, hex) of everything an index built from ``corpus`` depends on."""
        from bot.core.search._store import corpus_fingerprint

        return corpus_fingerprint(corpus, window, overlap)

    def save(self, folder: Any) -> None:
        """Write the index to ``folder`` (created or replaced) as ``.npy`` arrays + ``meta.json``.

        Files are written into a temporary sibling folder, each fsynced, with sizes, dtypes,
        shapes and BLAKE2b checksums recorded in ``meta.json`` (written last), then renamed into
        place, so a crash never leaves a half-written index under ``folder``. Never pickles.
        Raises ``OSError`` if it cannot be written.
        """
        from bot.core.search._store import save

        save(self, folder)

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
    ) -> SearchIndex:
        """The index saved in ``folder`` by :meth:`save`.

        Args:
            folder: the folder :meth:`save` wrote.
            corpus: when given, the index must have been built from this very corpus with these
                ``window``/``overlap`` (compared by :meth:`fingerprint`).
            mmap: memory-map the arrays (``np.load(mmap_mode="r")``) instead of reading them.
            verify: check every file's BLAKE2b checksum (about 1 s per GB).

        Raises:
            IndexFileError: the folder or a file is missing, empty, truncated, damaged, of
                another format version, or built from another corpus; the message names it.
        """
        from bot.core.search._store import load

        return load(cls, folder, corpus, mmap=mmap, verify=verify, window=window, overlap=overlap)

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
        texts, text_offsets = _pack([self._text_of(i) for i in range(self._n)])
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
        ranked = self._ranked(key, 0, self._n, max(4 * limit, 50), 60.0, prefix=True)
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
        votes = _candidates.votes(self._postings, key, lo, hi)
        ids: Sequence[int]
        if exhaustive or hi - lo <= k:
            ids = range(lo, hi)
        else:
            ids = _candidates.best(votes, lo, k)
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


_COLUMNS = ("doc", "paragraph", "start", "end")


def _cut(
    corpus: Corpus,
    window: int,
    overlap: int,
    builder: Builder,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> dict[str, I32]:
    """Feed every passage's matching key to ``builder`` (passages without a letter or digit
    dropped); return the ``(doc, paragraph, start, end)`` columns."""
    columns = {name: array("i") for name in _COLUMNS}
    docs, paragraphs, starts, ends = (columns[name] for name in _COLUMNS)
    for number, document in enumerate(corpus):
        for paragraph in document.paragraphs:
            text = paragraph.text
            for start, end in windows(text, window, overlap):
                key = match_key(text[start:end])
                if _HAS_ALNUM.search(key) is None:
                    continue
                builder.add(key)
                docs.append(number)
                paragraphs.append(paragraph.number)
                starts.append(start)
                ends.append(end)
        if progress is not None:
            progress(min(number + 1, total - 1), total)
    return {name: np.frombuffer(values, dtype=np.int32).copy() for name, values in columns.items()}


def _pack(texts: list[str]) -> tuple[U8, I64]:
    """``texts`` as one UTF-8 buffer and ``len(texts) + 1`` byte offsets."""
    joined = "".join(texts)
    if joined.isascii():
        sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        data = joined.encode("ascii")
    else:
        encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
        sizes = np.fromiter(map(len, encoded), dtype=np.int64, count=len(texts))
        data = b"".join(encoded)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return np.frombuffer(data, dtype=np.uint8), offsets


def _corpus_text(documents: Sequence[Document], columns: dict[str, I32]) -> Callable[[int], str]:
    """``text_of(pid)`` for an index built from ``documents``: a slice of the paragraph."""
    doc, paragraph = columns["doc"], columns["paragraph"]
    start, end = columns["start"], columns["end"]

    def text_of(pid: int) -> str:
        paragraphs = documents[int(doc[pid])].paragraphs
        return paragraphs[int(paragraph[pid]) - 1].text[int(start[pid]) : int(end[pid])]

    return text_of
