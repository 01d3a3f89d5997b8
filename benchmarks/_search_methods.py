"""The search methods the benchmark compares, behind one small interface.

* ``ours``: :class:`bot.core.search.SearchIndex` (this repository, today);
* ``baseline``: the index before issue 16 (``benchmarks/_baseline_search.py``, frozen);
* ``tantivy``: the Rust search engine (PyPI ``tantivy``; ``bench`` extra) as the candidate stage:
  an OR of per-word fuzzy term queries (1 edit from 4 letters, 2 from 8, transpositions cost 1,
  the typo budgets of Typesense/Algolia/Meilisearch) over the passages' matching keys, its top
  1,000 rescored by the very stage 2 of ``ours`` (``bot.core.search._rescore``), highlight
  included; the index on disk, read through the OS page cache as tantivy is meant to be used;
* ``brute force``: ``ours`` with ``exhaustive=True`` (every passage scored; the reference).
"""

from __future__ import annotations

import re
import tempfile
from typing import Any, Protocol

import numpy as np

from bot.core.errors import NotFound, QueryError
from bot.core.models import Corpus, Passage, SearchHit
from bot.core.search import SearchIndex, match_key
from bot.core.search._rescore import hit, rank
from bot.core.search._text import validate

from . import _baseline_search
from ._search_queries import Where, windowed

TANTIVY_CANDIDATES = 1_000
_HAS_ALNUM = re.compile(r"[^\W_]")


class Method(Protocol):
    def search(self, query: str, limit: int) -> list[Where]: ...


def where(passage: Passage) -> Where:
    return (passage.document_id, passage.paragraph, passage.start, passage.end)


class _Index:
    """``ours`` or ``baseline`` (same public API)."""

    def __init__(self, index: Any, *, exhaustive: bool = False) -> None:
        self.index = index
        self.exhaustive = exhaustive

    def search(self, query: str, limit: int) -> list[Where]:
        try:
            hits = self.index.search(query, limit=limit, exhaustive=self.exhaustive)
        except (NotFound, QueryError):
            return []
        return [where(h.passage) for h in hits]

    def suggest(self, prefix: str) -> list[str]:
        return list(self.index.suggest(prefix))


class Tantivy:
    """tantivy fuzzy-term candidates, rescored by our stage 2 (see the module docstring)."""

    def __init__(self, corpus: Corpus, *, threads: int = 1) -> None:
        import tantivy

        self._tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("body", stored=False, index_option="freq")
        builder.add_integer_field("pid", fast=True)
        self.schema = builder.build()
        self._folder = tempfile.TemporaryDirectory(prefix="bench-tantivy-")
        index = tantivy.Index(self.schema, path=self._folder.name)
        writer = index.writer(heap_size=128_000_000 * threads, num_threads=threads)
        self.keys: list[str] = []
        rows: list[tuple[str, int, int, int]] = []
        self._paragraphs = {d.id: d.paragraphs for d in corpus}
        for place, text in windowed(corpus):
            key = match_key(text)
            if _HAS_ALNUM.search(key) is None:  # dropped by SearchIndex too
                continue
            writer.add_document(tantivy.Document(body=key, pid=len(self.keys)))
            self.keys.append(key)
            rows.append(place)
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        self.searcher = index.searcher()
        self.doc_ids = sorted({r[0] for r in rows})
        number = {d: i for i, d in enumerate(self.doc_ids)}
        self.columns = np.array([(number[d], p, s, e) for d, p, s, e in rows], dtype=np.int32)

    def search(self, query: str, limit: int) -> list[Where]:
        return [where(h.passage) for h in self.hits(query, limit)]

    def hits(self, query: str, limit: int) -> list[SearchHit]:
        tantivy = self._tantivy
        try:
            key = validate(query, min_chars=3, max_chars=300)
        except QueryError:
            return []
        terms = []
        for word in dict.fromkeys(key.split()):
            distance = 0 if len(word) < 4 else 1 if len(word) < 8 else 2
            terms.append(
                (
                    tantivy.Occur.Should,
                    tantivy.Query.fuzzy_term_query(self.schema, "body", word, distance, True),
                )
            )
        found = self.searcher.search(
            tantivy.Query.boolean_query(terms), TANTIVY_CANDIDATES, count=False
        ).hits
        if not found:
            return []
        pids = self.searcher.fast_field_values("pid", [address for _, address in found])
        votes = {int(pid): score for pid, (score, _) in zip(pids, found, strict=True)}
        ids = list(votes)
        ranked = rank(key, ids, [self.keys[i] for i in ids], 70.0, votes, 0)  # type: ignore[arg-type]
        out: list[SearchHit] = []
        seen: set[tuple[int, int]] = set()
        for scored in ranked:
            doc, paragraph, start, end = (int(v) for v in self.columns[scored.pid])
            if (doc, paragraph) in seen:
                continue
            seen.add((doc, paragraph))
            place = (self.doc_ids[doc], paragraph, start, end)
            passage = Passage(*place, _text(self._paragraphs, place))
            out.append(hit(key, scored, passage))
            if len(out) >= limit:
                break
        return out


def _text(paragraphs: dict[str, Any], place: Where) -> str:
    doc, number, start, end = place
    return str(paragraphs[doc][number - 1].text[start:end])


def build(name: str, corpus: Corpus) -> Any:
    """The method called ``name`` built over ``corpus``."""
    if name == "ours":
        method: Any = _Index(SearchIndex.build(corpus))
    elif name == "baseline":
        method = _Index(_baseline_search.SearchIndex.build(corpus))
    elif name == "tantivy":
        method = Tantivy(corpus)
    else:
        raise ValueError(f"unknown method {name!r}")
    return method
