"""Baseline for ``benchmarks.search``: ``bot/core/search.py`` as it was before issue 16, frozen.

Kept verbatim (only this paragraph added) so the benchmark compares today's index with the one
it replaced in the same run. Not used by the bot. Its original docstring follows.

Fuzzy passage search: find a half-remembered, misspelt phrase among a million passages.

Two stages, the standard shape of approximate string search over a large text collection
(Navarro, "A guided tour to approximate string matching", ACM Computing Surveys 33(1), 2001,
section 7, "filtering"):

1. **Candidate retrieval by q-grams.** Every passage's matching key (see
   :func:`bot.core.normalize.normalize` with ``punctuation=False``), padded with a space at each
   end, is cut into overlapping character 4-grams, hashed (multiplicative hashing into ``2**bits``
   buckets, ``bits`` growing with the corpus up to 24) and stored in an inverted index of numpy
   arrays in compressed sparse row form (``indptr`` per bucket, sorted passage ids as postings).
   A query's distinct 4-grams vote for the passages containing them, each vote weighted by inverse
   document frequency ``log((N + 1) / (df + 0.5))``; posting lists are read rarest first until
   about ``0.5 * N`` postings have been read, so stop-word fragments (``" the"``) are skipped when
   rarer 4-grams remain and the work per query is bounded. This is the q-gram filter of Ukkonen
   ("Approximate string-matching with q-grams and maximal matches", Theoretical Computer Science
   92, 1992; also Jokinen & Ukkonen 1991): a substring within ``k`` edits of a query of length
   ``m`` still shares at least ``m - q + 1 - k*q`` of its q-grams, so a typo'd query keeps most of
   its votes, where a word-level index loses every misspelt word. 4-grams beat 3-grams at a
   million passages (recall@1 95% against 93%, and faster: cross-word 4-grams such as ``"u sh"``
   are far more selective) and match 5-grams (``benchmarks/README.md``). The best ``candidates``
   passages (``sqrt(N)`` clamped to 50-300) go to stage 2.
2. **Rescoring** with rapidfuzz ``fuzz.partial_ratio`` (best-aligned window of the longer string
   scored by normalised Indel similarity, 0-100) of the normalised query against each candidate's
   normalised text, as measured in ``design/MEASUREMENTS.md`` (recall@1 98% at 10k passages, against
   19% for ``WRatio``).

Ranking users can trust:

* an exact normalised phrase (the query's matching key occurs in the passage's *at word
  boundaries*: the character before it and the one after it are a non-word character or the
  text's edge, or, in scripts written without spaces such as Japanese, any character) scores 100 and ranks before every inexact hit (``"the raven"`` finds
  ``"THE RAVEN"``; ``don't go gentle`` finds ``Don’t go gentle``). An occurrence inside words
  (``"eace means letti"`` in ``"Peace means letting"``) is not exact: it is scored like any other
  hit;
* for a one-word query, an inexact hit whose best ``partial_ratio`` window starts or ends inside
  a passage word scores the better of ``_CUT_PENALTY`` points off per cut end and ``fuzz.ratio``
  against the window widened to whole words (never more than ``partial_ratio``), so the word
  matched inside a longer word ranks below a whole-word match (``"comment"`` against
  ``"recommended"``: 86 by ``partial_ratio``, 74 here; ``"@everyone"`` no longer finds
  ``"every night"`` at the default threshold). Not applied to phrases of two or more words: there
  a window cutting a word is mostly a typo at the query's edge, and the same rule lowered recall@1
  from 98.0% / 99.5% to 97.0% / 97.0% at 10k / 100k passages (3 points per cut end: 97.5% /
  97.5-98.0%), losing near-ties to passages sharing part of the phrase;
* equal scores are ordered by the stage-1 votes (the passage sharing more of the whole query's
  q-grams, not only the best window's, first: +1.5 points of recall@1 at a million passages),
  then by corpus order (document, paragraph, window), so the same query always gives the same
  answer;
* a passage shorter than the query is scored with the full ``fuzz.ratio`` instead, so a two-word
  passage cannot score 100 against a long query (``partial_ratio``'s short-passage trap);
* hits below ``threshold`` are dropped, and no hit at all raises :class:`NotFound`;
* one hit per paragraph (the best of its overlapping windows).

Passages are body paragraphs; a paragraph longer than ``window`` characters is cut into windows of
about ``window`` characters overlapping by about ``overlap``, at word boundaries, so a phrase in the
middle of a 20,000-character paragraph is found and highlighted. Passages with no letter or digit are
dropped. The highlight (the exact occurrence, or the ``partial_ratio_alignment`` window) is snapped
to whole words, so it never starts or ends inside a word, and mapped back to the original text
through the normaliser's offset map.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from bot.core.errors import NotFound, QueryError
from bot.core.graphemes import safe_cut
from bot.core.models import Corpus, Passage, SearchHit
from bot.core.normalize import normalize, normalize_text, valid_text
from bot.core.text import STOP_WORDS

__all__ = ["MATCH_PUNCTUATION", "STOP_WORDS", "SearchIndex", "match_key"]

#: Whether the matching key keeps punctuation. Stripped (``False``): people type queries without
#: the commas and quotation marks, and recall@1 was 0.5-1 point higher than with punctuation kept
#: (benchmarks/README.md).
MATCH_PUNCTUATION = False


_Array = npt.NDArray[np.int64]
_Q = 4  # q-gram length (measured against 3 and 5: benchmarks/README.md)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, for multiplicative hashing
_MAX_BITS = 24  # at most 2**24 hash buckets (indptr of 128 MB)
#: Stage 1 reads posting lists, rarest first, until about this many postings per indexed passage.
_POSTINGS_BUDGET = 0.5
_CACHE_VERSION = 1  # bump when the saved format or anything the index depends on changes
_CHUNK_CHARS = 1 << 24  # characters per build chunk (bounds the build's temporary memory)
_WORD = re.compile(r"\S+")
#: Points off an inexact hit per end of its best window that falls inside a passage word
#: (``"comment"`` against ``"recommended"``; measured in benchmarks/README.md).
#: Highest score of an inexact hit: below 100 even after :class:`SearchHit`'s rounding to 0.1.
_INEXACT_MAX = 99.9
_CUT_PENALTY = 6.0


def match_key(text: str) -> str:
    """The normalised form used for matching (corpus and query): ``normalize_text(text, punctuation=MATCH_PUNCTUATION)``."""
    return normalize_text(text, punctuation=MATCH_PUNCTUATION)


def _gram_keys(codes: npt.NDArray[np.uint32], bits: int) -> _Array:
    """Hash of every q-gram ``codes[i:i+_Q]`` into ``[0, 2**bits)``.

    Multiplicative (Fibonacci) hashing of the code points, mixed one character at a time; the top
    ``bits`` bits are kept. Collisions only merge posting lists (extra candidates, never lost ones).
    """
    n = len(codes) - _Q + 1
    if n <= 0:
        return np.empty(0, dtype=np.int64)
    h = np.zeros(n, dtype=np.uint64)
    for i in range(_Q):
        h ^= codes[i : i + n]
        h *= _GOLDEN
    return (h >> np.uint64(64 - bits)).astype(np.int64)


def _codes(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


@dataclass(frozen=True, slots=True)
class _Scored:
    pid: int
    score: float
    exact: bool


class CacheDamaged(Exception):
    """A saved index file that cannot be used; ``str(error)`` says why (e.g. "it cannot be read
    (EOFError: ...)"). The caller rebuilds the index and overwrites the file."""


class SearchIndex:
    """A read-only fuzzy search index over a corpus's passages. Build once, query many times.

    Thread-safe for concurrent queries (nothing is mutated after :meth:`build`).
    """

    def __init__(
        self,
        passages: Sequence[Passage],
        keys: Sequence[str],
        doc_ranges: dict[str, tuple[int, int]],
        bits: int,
        indptr: _Array,
        postings: npt.NDArray[np.int32],
        *,
        candidates: int = 300,
        titles: Mapping[str, str] | None = None,
    ) -> None:
        """Use :meth:`build`; this stores already-computed parts."""
        self._passages: tuple[Passage, ...] = tuple(passages)
        self._keys: list[str] = list(keys)
        self._doc_ranges = dict(doc_ranges)
        self._titles = dict(titles or {})
        self._bits = bits
        self._indptr = indptr
        self._postings = postings
        self._candidates = candidates
        self._n = len(self._passages)

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
            corpus: the loaded documents.
            window: paragraphs longer than this many characters are cut into windows of about
                this length (at word boundaries).
            overlap: characters shared by consecutive windows (a phrase up to this long is whole
                in at least one window); must be less than ``window / 2``.
            candidates: passages kept by the q-gram stage for rescoring per query; by default
                ``sqrt(passages)`` clamped to 50-300 (recall and latency per size measured in
                ``benchmarks/README.md``).
            progress: called as ``progress(done, total)`` after each document is cut into
                passages and after each indexing chunk (about 16M characters); ``done`` only
                grows, and the last call is ``progress(total, total)``.

        Returns:
            the index. Build time and memory grow linearly with the corpus: about 30 s, 1.2 GB
            resident and 4.5 GB at peak for a million passages of about 230 characters
            (``benchmarks/README.md``).
        """
        if window < 20 or not 0 <= overlap < window // 2:
            raise ValueError(
                f"need window >= 20 and 0 <= overlap < window/2, got {window}, {overlap}"
            )
        passages: list[Passage] = []
        keys: list[str] = []
        doc_ranges: dict[str, tuple[int, int]] = {}
        report: Callable[[int], None] | None = None
        if progress is not None:
            chars = sum(len(p.text) + 2 for d in corpus for p in d.paragraphs)
            total = len(corpus) + max(1, -(-chars // _CHUNK_CHARS))
            callback = progress

            def report(done: int) -> None:
                callback(min(done, total - 1), total)

        for number, document in enumerate(corpus, 1):
            first = len(passages)
            for paragraph in document.paragraphs:
                for start, end in _windows(paragraph.text, window, overlap):
                    text = paragraph.text[start:end]
                    key = match_key(text)
                    if not any(ch.isalnum() for ch in key):
                        continue
                    passages.append(Passage(document.id, paragraph.number, start, end, text))
                    keys.append(key)
            doc_ranges[document.id] = (first, len(passages))
            if report is not None:
                report(number)
        indexed = None if report is None else (lambda chunks: report(len(corpus) + chunks))
        bits, indptr, postings = _build_postings(keys, indexed)
        if progress is not None:
            progress(total, total)
        if candidates is None:
            candidates = min(300, max(50, math.isqrt(len(passages))))
        titles = {document.id: document.title for document in corpus}
        return cls(
            passages, keys, doc_ranges, bits, indptr, postings, candidates=candidates, titles=titles
        )

    # ------------------------------------------------------------------ cache
    @staticmethod
    def fingerprint(corpus: Corpus, *, window: int = 400, overlap: int = 100) -> str:
        """A content hash of everything an index depends on (BLAKE2b, hex).

        Covers the documents' ids, paragraph numbers and texts, ``window``/``overlap``, the q-gram
        length and the matching-key settings, so a saved index is reused only when a rebuild
        would give the same one.
        """
        digest = hashlib.blake2b(digest_size=20)
        digest.update(f"v{_CACHE_VERSION} q{_Q} {MATCH_PUNCTUATION} {window} {overlap}".encode())
        for document in corpus:
            digest.update(b"\x00D" + document.id.encode("utf-8", "surrogatepass"))
            for paragraph in document.paragraphs:
                digest.update(f"\x00P{paragraph.number}\x00".encode())
                digest.update(paragraph.text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def save(
        self, path: str | os.PathLike[str], corpus: Corpus, *, window: int = 400, overlap: int = 100
    ) -> None:
        """Write the index to ``path`` (one uncompressed ``.npz`` file), keyed on ``corpus``.

        ``corpus``, ``window`` and ``overlap`` must be those the index was built with; their
        :meth:`fingerprint` is stored and checked by :meth:`load`. The file is written to a
        temporary name and renamed, so a crash never leaves a half-written cache. About 1.1 GB
        for a million passages. Raises ``OSError`` if the file cannot be written.
        """
        target = Path(path)
        doc_ids = [document.id for document in corpus]
        doc_number = {doc_id: i for i, doc_id in enumerate(doc_ids)}
        meta = {
            "version": _CACHE_VERSION,
            "fingerprint": self.fingerprint(corpus, window=window, overlap=overlap),
            "bits": self._bits,
            "candidates": self._candidates,
            "documents": doc_ids,
        }
        blob = "".join(self._keys).encode("utf-8", "surrogatepass")
        arrays: dict[str, npt.NDArray[Any]] = {
            "meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
            "indptr": self._indptr,
            "postings": self._postings,
            "doc": np.fromiter(
                (doc_number[p.document_id] for p in self._passages), np.int32, self._n
            ),
            "paragraph": np.fromiter((p.paragraph for p in self._passages), np.int32, self._n),
            "start": np.fromiter((p.start for p in self._passages), np.int64, self._n),
            "end": np.fromiter((p.end for p in self._passages), np.int64, self._n),
            "key_lengths": np.fromiter((len(k) for k in self._keys), np.int64, self._n),
            "keys": np.frombuffer(blob, dtype=np.uint8),
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".tmp")
        with temporary.open("wb") as handle:
            np.savez(handle, allow_pickle=False, **arrays)
        os.replace(temporary, target)

    @classmethod
    def load(
        cls, path: str | os.PathLike[str], corpus: Corpus, *, window: int = 400, overlap: int = 100
    ) -> SearchIndex | None:
        """The index saved at ``path`` if it was built from this very ``corpus``, else ``None``.

        ``None`` when the file is missing, damaged, from another version of this module, or
        its fingerprint differs (any document, paragraph, ``window`` or ``overlap`` changed):
        the caller then builds afresh, e.g. ``SearchIndex.load(p, c) or SearchIndex.build(c)``.
        :meth:`read` says why a file was unusable. A million passages load in about 5 s (the
        build takes about 28 s).
        """
        try:
            return cls.read(path, corpus, window=window, overlap=overlap)
        except CacheDamaged:
            return None

    @classmethod
    def read(
        cls, path: str | os.PathLike[str], corpus: Corpus, *, window: int = 400, overlap: int = 100
    ) -> SearchIndex | None:
        """Like :meth:`load`, but a damaged file (empty, truncated, corrupted, or crafted with a
        valid fingerprint but arrays that do not fit the corpus) raises :class:`CacheDamaged`
        with the reason: never another error, never an index with shifted passages.
        ``None`` means missing or stale (nothing to report).
        """
        try:
            with np.load(Path(path), allow_pickle=False) as data:
                meta = json.loads(data["meta"].tobytes().decode())
                if not isinstance(meta, dict):
                    raise CacheDamaged("its header is not a JSON object")
                if meta.get("version") != _CACHE_VERSION or meta.get(
                    "fingerprint"
                ) != cls.fingerprint(corpus, window=window, overlap=overlap):
                    return None
                arrays = {name: data[name] for name in data.files if name != "meta"}
        except FileNotFoundError:
            return None
        except CacheDamaged:
            raise
        except (
            OSError,
            EOFError,
            ValueError,
            KeyError,
            UnicodeDecodeError,
            zipfile.BadZipFile,
            RuntimeError,
        ) as error:
            raise CacheDamaged(f"it cannot be read ({type(error).__name__}: {error})") from None
        try:
            return cls._from_arrays(meta, arrays, corpus, window, overlap)
        except CacheDamaged:
            raise
        except (KeyError, IndexError, TypeError, ValueError, UnicodeDecodeError) as error:
            raise CacheDamaged(f"its arrays are inconsistent ({type(error).__name__})") from None

    @classmethod
    def _from_arrays(
        cls,
        meta: dict[str, Any],
        arrays: dict[str, npt.NDArray[Any]],
        corpus: Corpus,
        window: int,
        overlap: int,
    ) -> SearchIndex:
        """Check the saved arrays against ``corpus`` and rebuild the in-memory index from them."""
        documents = [corpus.get(str(doc_id)) for doc_id in meta["documents"]]
        n = len(arrays["doc"])
        bits, candidates = int(meta["bits"]), int(meta["candidates"])
        indptr, postings = arrays["indptr"], arrays["postings"]
        lengths = arrays["key_lengths"]
        if (
            any(len(arrays[name]) != n for name in ("paragraph", "start", "end", "key_lengths"))
            or not 0 < bits <= 32
            or candidates < 1
            or indptr.ndim != 1
            or len(indptr) < 1
            or int(indptr[0]) != 0
            or int(indptr[-1]) != len(postings)
            or bool(np.any(np.diff(indptr) < 0))
            or (len(postings) and not 0 <= int(postings.min()) <= int(postings.max()) < n)
            or bool(np.any(lengths < 0))
            or int(lengths.sum()) > len(arrays["keys"])
        ):
            raise CacheDamaged("its arrays do not fit together")
        joined = arrays["keys"].tobytes().decode("utf-8", "surrogatepass")
        bounds = np.concatenate(([0], np.cumsum(lengths))).tolist()
        if bounds[-1] != len(joined):
            raise CacheDamaged("its passage keys do not add up")
        keys = [joined[a:b] for a, b in itertools.pairwise(bounds)]
        passages: list[Passage] = []
        doc_ranges: dict[str, tuple[int, int]] = {}
        spans: dict[tuple[str, int], set[tuple[int, int]]] = {}
        rows = zip(
            arrays["doc"].tolist(),
            arrays["paragraph"].tolist(),
            arrays["start"].tolist(),
            arrays["end"].tolist(),
            strict=True,
        )
        for pid, (doc, number, start, end) in enumerate(rows):
            document = documents[doc] if 0 <= doc < len(documents) else None
            if document is None or not 1 <= number <= len(document.paragraphs):
                raise CacheDamaged(f"passage {pid} points outside the corpus")
            paragraph = document.paragraphs[number - 1].text
            allowed = spans.get((document.id, number))
            if allowed is None:
                allowed = spans[(document.id, number)] = set(_windows(paragraph, window, overlap))
            if (start, end) not in allowed:
                raise CacheDamaged(f"passage {pid} is not where the corpus puts it")
            passages.append(Passage(document.id, number, start, end, paragraph[start:end]))
            first, last = doc_ranges.get(document.id, (pid, pid))
            if last != pid:
                raise CacheDamaged(f"the passages of {document.id!r} are out of order")
            doc_ranges[document.id] = (first, pid + 1)
        for document in corpus:
            doc_ranges.setdefault(document.id, (0, 0))
        return cls(
            passages,
            keys,
            doc_ranges,
            bits,
            indptr,
            postings,
            candidates=candidates,
            titles={document.id: document.title for document in corpus},
        )

    # ------------------------------------------------------------------ container protocol
    @property
    def passages(self) -> tuple[Passage, ...]:
        """Every indexed passage, in corpus order (document, paragraph, window)."""
        return self._passages

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
        """The best passages for a typed, possibly misspelt phrase.

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
        key = _validate(query, min_chars=min_chars, max_chars=max_chars)
        lo, hi = self._range(document)
        # partial_ratio costs more past 64 characters, and a long query's q-gram votes are sharper:
        # fewer candidates for long queries keeps them within the same time.
        k = self._candidates if len(key) <= 64 else max(50, self._candidates * 64 // len(key))
        votes = self._votes(key, lo, hi)
        if exhaustive or hi - lo <= k:
            pool: Iterable[int] = range(lo, hi)
        else:
            pool = self._candidate_ids(votes, lo, k)
        ranked = self._rank(key, pool, threshold, votes, lo)
        hits: list[SearchHit] = []
        seen: set[tuple[str, int]] = set()
        for scored in ranked:
            passage = self._passages[scored.pid]
            where = (passage.document_id, passage.paragraph)
            if where in seen:
                continue
            seen.add(where)
            hits.append(self._hit(key, scored))
            if len(hits) >= limit:
                break
        if not hits:
            scope = (
                f" in “{_shorten(self._titles.get(document, document), 60)}”" if document else ""
            )
            raise NotFound(
                f"No passage matched “{_shorten(query.strip(), 60)}”{scope} closely enough "
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
        votes = self._votes(key, 0, self._n)
        if self._n <= 2 * limit:
            pool: Iterable[int] = range(self._n)
        else:
            pool = self._candidate_ids(votes, 0, max(4 * limit, 50))
        out: list[str] = []
        seen: set[tuple[str, int]] = set()
        for scored in self._rank(key, pool, 60.0, votes, 0):
            passage = self._passages[scored.pid]
            if (passage.document_id, passage.paragraph) in seen:
                continue
            seen.add((passage.document_id, passage.paragraph))
            hit = self._hit(key, scored)
            snippet = _snippet(hit.passage.text, hit.match_start, 100)
            if snippet not in out:
                out.append(snippet)
            if len(out) >= limit:
                break
        return out

    # ------------------------------------------------------------------ internals
    def _range(self, document: str | None) -> tuple[int, int]:
        if document is None:
            return 0, self._n
        if document not in self._doc_ranges:
            raise NotFound(f"There is no document called “{_shorten(document, 80)}” to search in.")
        return self._doc_ranges[document]

    def _votes(self, key: str, lo: int, hi: int) -> npt.NDArray[np.float64]:
        """Stage 1: IDF-weighted count of the query's q-grams in each passage of ``[lo, hi)``.

        The query's distinct q-grams are read rarest first until about ``_POSTINGS_BUDGET``
        postings per passage have been read (at least 6 q-grams), which bounds the work on
        queries made of common words; each q-gram votes ``log((N + 1) / (df + 0.5))``. A key
        shorter than ``_Q + 1`` characters is padded with spaces (whole-word match). Returns an
        array of ``hi - lo`` votes (``votes[i]`` for passage ``lo + i``).
        """
        text = key if len(key) > _Q else f" {key} "
        grams = np.unique(_gram_keys(_codes(text), self._bits))
        starts = self._indptr[grams]
        df = self._indptr[grams + 1] - starts
        present = df > 0
        starts, df = starts[present], df[present]
        if len(df) == 0:
            return np.zeros(hi - lo, dtype=np.float64)
        order = np.argsort(df, kind="stable")
        read = np.cumsum(df[order])
        budget = _POSTINGS_BUDGET * self._n
        keep = max(int(np.searchsorted(read, budget, side="right")), min(len(order), 6))
        order = order[:keep]
        idf = np.log((self._n + 1) / (df[order] + 0.5))
        slices: list[npt.NDArray[np.int32]] = []
        for t in order.tolist():
            posting = self._postings[starts[t] : starts[t] + df[t]]
            if lo > 0 or hi < self._n:
                a, b = np.searchsorted(posting, [lo, hi])
                posting = posting[a:b]
            slices.append(posting)
        lengths = np.fromiter((len(s) for s in slices), dtype=np.int64, count=len(slices))
        if lengths.sum() == 0:
            return np.zeros(hi - lo, dtype=np.float64)
        weights = np.repeat(idf, lengths)
        votes = np.bincount(np.concatenate(slices) - lo, weights=weights, minlength=hi - lo)
        return votes.astype(np.float64, copy=False)

    @staticmethod
    def _candidate_ids(votes: npt.NDArray[np.float64], lo: int, k: int) -> list[int]:
        """The ``k`` passages with the most votes (any order), among those with a vote."""
        if len(votes) > k:
            best = np.argpartition(-votes, k - 1)[:k]
            best = best[votes[best] > 0]
        else:
            best = np.flatnonzero(votes)
        return [int(i) + lo for i in best.tolist()]

    def _rank(
        self,
        key: str,
        pool: Iterable[int],
        threshold: float,
        votes: npt.NDArray[np.float64],
        lo: int,
    ) -> list[_Scored]:
        """Stage 2: score each passage of ``pool`` (``votes[pid - lo]`` are its stage-1 votes).

        Order: exact phrases first, then score, then stage-1 votes (among equal scores, the
        passage sharing more of the whole query's q-grams), then corpus order.
        """
        if isinstance(pool, range):
            ids: Sequence[int] = pool
            choices = self._keys[pool.start : pool.stop]
        else:
            ids = list(pool)
            choices = [self._keys[i] for i in ids]
        if not choices:
            return []
        cutoff = max(threshold, 1e-9)
        scores = process.cdist(
            [key], choices, scorer=fuzz.partial_ratio, score_cutoff=cutoff, dtype=np.float64
        )[0]
        qlen = len(key)
        one_word = " " not in key
        scored: list[_Scored] = []
        for j in np.flatnonzero(scores >= cutoff).tolist():
            text = choices[j]
            if len(text) < qlen:  # partial_ratio would align the passage inside the query
                score = fuzz.ratio(key, text, score_cutoff=cutoff)
                if score >= cutoff:
                    scored.append(_Scored(ids[j], min(score, _INEXACT_MAX), False))
            elif _find_whole(key, text) >= 0:
                scored.append(_Scored(ids[j], 100.0, True))
            else:
                score = float(scores[j])
                if one_word:
                    score = _word_aligned(key, text, score)
                if score >= cutoff:
                    scored.append(_Scored(ids[j], min(score, _INEXACT_MAX), False))
        scored.sort(key=lambda s: (not s.exact, -s.score, -votes[s.pid - lo], s.pid))
        return scored

    def _hit(self, key: str, scored: _Scored) -> SearchHit:
        """The :class:`SearchHit` for a scored passage, with the highlight in original offsets."""
        passage = self._passages[scored.pid]
        norm = normalize(passage.text, punctuation=MATCH_PUNCTUATION)
        text = norm.text
        if scored.exact:
            start = _find_whole(key, text)
            start, end = _snap_to_words(text, start, start + len(key))
        elif len(text) < len(key):
            start, end = 0, len(text)
        else:
            alignment = fuzz.partial_ratio_alignment(key, text)
            if alignment is None:  # only with a score_cutoff, which is not given
                start, end = 0, len(text)
            else:
                start, end = _snap_to_words(text, alignment.dest_start, alignment.dest_end)
        ostart, oend = norm.to_original(start, end)
        return SearchHit(passage, round(scored.score, 1), ostart, oend, scored.exact)


# ---------------------------------------------------------------------- helpers
def _validate(query: str, *, min_chars: int, max_chars: int) -> str:
    """The query's matching key, or :class:`QueryError` saying why it cannot be searched."""
    key = match_key(query)
    letters = sum(ch.isalnum() for ch in key)
    if letters == 0:
        raise QueryError(
            "There is nothing to search for: the query has no letters or digits. "
            "Type a few words you remember from the passage.",
            reason="nothing_to_search",
        )
    if len(key) > max_chars:
        raise QueryError(
            f"That query is {len(key):,} characters long; searches are limited to "
            f"{max_chars:,} characters. Try a shorter, distinctive phrase from the passage.",
            reason="too_long",
        )
    words = key.split()
    if _weight(key) < min_chars or (len(words) <= 2 and all(w in STOP_WORDS for w in words)):
        raise QueryError(
            f"“{_shorten(query.strip(), 40)}” is too short to search for: type a few more words "
            f"from the passage (at least {min_chars} letters, and more than a word like "
            "“the” or “a”).",
            reason="too_short",
        )
    return key


def _weight(key: str) -> int:
    """Length of a query for the ``min_chars`` rule: letters, digits and combining marks count
    one, wide (East Asian) letters two, so ``"평화"`` and ``"शांति"`` are long enough."""
    total = 0
    for ch in key:
        if ch.isalnum():
            total += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        elif unicodedata.category(ch)[0] == "M":
            total += 1
    return total


def _windows(text: str, window: int, overlap: int) -> list[tuple[int, int]]:
    """``[start, end)`` spans covering ``text``: the whole text if short, else overlapping windows.

    Windows end and start at whitespace (unless a single word is longer than half a window) and
    have surrounding whitespace trimmed.
    """
    n = len(text)
    if n <= window:
        return [_trim(text, 0, n)]
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        end = min(start + window, n)
        if end < n:
            cut = text.rfind(" ", start + window // 2, end)
            if cut > start:
                end = cut
        spans.append(_trim(text, start, end))
        if end >= n:
            break
        nxt = max(end - overlap, start + 1)
        space = text.find(" ", nxt, end)
        start = space + 1 if space != -1 else nxt
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_word_char(ch: str) -> bool:
    """A letter, digit or combining mark (part of a word); spaces and punctuation are not."""
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


#: Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar): any
#: offset next to one of their characters may be a word boundary.
_UNSPACED = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width Katakana
    (0x20000, 0x3134F),  # CJK extensions B-G
)


def _unspaced(ch: str) -> bool:
    """Whether ``ch`` belongs to a script written without spaces (see :data:`_UNSPACED`)."""
    code = ord(ch)
    return code >= 0x0E00 and any(lo <= code <= hi for lo, hi in _UNSPACED)


def _at_word_boundary(text: str, i: int) -> bool:
    """Whether offset ``i`` of ``text`` is not inside a word: an edge, a non-word character on
    at least one side, or a character of a script written without spaces on either side."""
    if i <= 0 or i >= len(text):
        return True
    before, after = text[i - 1], text[i]
    return (
        not (_is_word_char(before) and _is_word_char(after))
        or _unspaced(before)
        or _unspaced(after)
    )


def _find_whole(key: str, text: str) -> int:
    """Offset of the first occurrence of ``key`` in ``text`` at word boundaries, else ``-1``.

    An occurrence counts when the character before it and the one after it are non-word
    characters or the text's edge (``"peace"`` in ``"peace, now"``, not in ``"peaceful"``), the
    whole-word rule of ``\\b``-delimited regular-expression search. In scripts written without
    spaces (Japanese, Chinese, Thai, ...) any offset next to one of their characters counts as a
    boundary, since words there are not delimited.
    """
    start = text.find(key)
    while start >= 0:
        if _at_word_boundary(text, start) and _at_word_boundary(text, start + len(key)):
            return start
        start = text.find(key, start + 1)
    return -1


def _word_aligned(key: str, text: str, score: float) -> float:
    """A one-word query's ``partial_ratio`` score, lowered when its best window cuts a word.

    When ``fuzz.partial_ratio_alignment`` puts an end of the window inside a passage word, the
    score becomes the better of (a) ``score - _CUT_PENALTY`` per cut end and (b) ``fuzz.ratio`` of
    the query against the window widened to whole words, never more than ``score``. So a typo'd
    query whose window merely misses a letter of its last word keeps its score (the widened
    window matches as well), while ``"comment"`` against ``"recommended"`` falls from 86 to 74.
    """
    if _CUT_PENALTY <= 0:
        return score
    alignment = fuzz.partial_ratio_alignment(key, text)
    if alignment is None:
        return score
    start, end = alignment.dest_start, alignment.dest_end
    cuts = (not _at_word_boundary(text, start)) + (not _at_word_boundary(text, end))
    if cuts == 0:
        return score
    while start > 0 and _is_word_char(text[start - 1]):
        start -= 1
    while end < len(text) and _is_word_char(text[end]):
        end += 1
    widened = fuzz.ratio(key, text[start:end])
    return min(score, max(score - _CUT_PENALTY * cuts, widened))


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Move a span's ends to word boundaries: a word mostly inside the span is taken whole.

    ``text`` is a matching key (words separated by single spaces). Never returns an end inside a
    word: a span within a single word, too small to keep any word whole, becomes that word.
    """
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    if start >= end:
        return start, end
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    new_start, new_end = start, end
    for ws, we in words:
        # an end next to a character of a script written without spaces is already an edge
        if ws < start < we and not _at_word_boundary(text, start):  # start cuts this word
            new_start = ws if start - ws <= we - start else we
        if ws < end < we and not _at_word_boundary(text, end):  # end cuts this word
            new_end = we if we - end <= end - ws else ws
    new_start = min(new_start, len(text))
    while new_start < len(text) and text[new_start] == " ":
        new_start += 1
    while new_end > new_start and text[new_end - 1] == " ":
        new_end -= 1
    if new_end <= new_start:  # the span is a small part of one word: take that word whole
        outer_start = max((ws for ws, we in words if ws <= start < we), default=start)
        outer_end = min((we for ws, we in words if ws < end <= we), default=end)
        return outer_start, outer_end
    return new_start, new_end


def _snippet(text: str, start: int, limit: int) -> str:
    """At most ``limit`` characters of ``text`` from the word containing ``start``."""
    begin = text.rfind(" ", 0, start) + 1 if start > 0 else 0
    if start - begin > 20:
        begin = start
    snippet = " ".join(text[begin:].split())
    if len(snippet) <= limit:
        return snippet
    cut = snippet.rfind(" ", 0, limit - 1)
    if cut < limit // 2:
        cut = limit - 1
    return snippet[:cut].rstrip() + "…"


def _shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters at a grapheme edge (with "…")."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: safe_cut(text, limit - 1)].rstrip() + "…"


def _build_postings(
    keys: Sequence[str], progress: Callable[[int], None] | None
) -> tuple[int, _Array, npt.NDArray[np.int32]]:
    """CSR inverted index of distinct q-grams of ``" " + key + " "`` for every key.

    Returns ``(bits, indptr, postings)``: the passages containing a q-gram hashed to ``g`` are
    ``postings[indptr[g]:indptr[g + 1]]``, in increasing order. ``bits`` grows with the corpus
    (``2**bits`` buckets, about one per indexed character, 12 to 24 bits). Built in chunks of about
    ``_CHUNK_CHARS`` characters: each chunk's ``(q-gram, passage)`` pairs are sorted and
    deduplicated, then placed by counting sort into the global arrays.
    """
    n = len(keys)
    total = sum(len(k) + 2 for k in keys)
    bits = min(_MAX_BITS, max(12, total.bit_length()))
    space = 1 << bits
    chunk_pairs: list[tuple[_Array, npt.NDArray[np.int32]]] = []
    counts = np.zeros(space, dtype=np.int64)
    first = chunks = 0
    while first < n:
        last, size = first, 0
        while last < n and (size < _CHUNK_CHARS or last == first):
            size += len(keys[last]) + 2
            last += 1
        text = " " + "  ".join(keys[first:last]) + " "
        lengths = np.fromiter(
            (len(k) + 2 for k in keys[first:last]), dtype=np.int64, count=last - first
        )
        owner = np.repeat(np.arange(last - first, dtype=np.int64), lengths)
        grams = _gram_keys(_codes(text), bits)
        span = _Q - 1
        valid = owner[:-span] == owner[span:] if len(owner) > span else np.zeros(0, dtype=bool)
        pairs = (grams[valid] << 24) | owner[: len(valid)][valid]
        pairs.sort()  # sort + adjacent-difference dedup (np.unique's hash path is slower here)
        if len(pairs):
            pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
        gram_ids = pairs >> 24
        pids = ((pairs & ((1 << 24) - 1)) + first).astype(np.int32)
        counts += np.bincount(gram_ids, minlength=space)
        chunk_pairs.append((gram_ids, pids))
        first = last
        chunks += 1
        if progress is not None:
            progress(chunks)
    indptr = np.zeros(space + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    del counts
    postings = np.empty(int(indptr[-1]), dtype=np.int32)
    cursor = indptr[:-1].copy()
    for gram_ids, pids in chunk_pairs:
        if len(gram_ids) == 0:
            continue
        boundary = np.flatnonzero(np.diff(gram_ids)) + 1
        group_starts = np.concatenate(([0], boundary))
        group_sizes = np.diff(np.concatenate((group_starts, [len(gram_ids)])))
        rank = np.arange(len(gram_ids)) - np.repeat(group_starts, group_sizes)
        postings[cursor[gram_ids] + rank] = pids
        cursor[gram_ids[group_starts]] += group_sizes
    chunk_pairs.clear()
    return bits, indptr, postings
