"""Fuzzy passage search: find a half-remembered, misspelt phrase among a million passages.

Two stages, the standard shape of approximate string search over a large text collection
(Navarro, "A guided tour to approximate string matching", ACM Computing Surveys 33(1), 2001,
section 7, "filtering"), written here rather than taken from a search engine because engines
match words, not phrases with typos inside and across words (``benchmarks/README.md`` compares
tantivy):

1. candidate retrieval by IDF-weighted character 4-gram votes (:mod:`._build` builds the
   compact inverted index of :mod:`._grams` in one streaming pass, :mod:`._candidates` reads it);
2. rescoring of the best-voted passages with rapidfuzz ``partial_ratio`` and, for phrases
   remembered with words dropped, swapped or moved, word alignment; then the highlight
   (:mod:`._rescore`).

Ranking users can trust: an exact normalised phrase at word boundaries scores 100 and ranks
first (``"the raven"`` finds ``"THE RAVEN"``, ``don't go gentle`` finds ``Don’t go gentle``, but
``"eace means letti"`` inside ``"Peace means letting"`` is not exact); a one-word query matched
inside a longer word scores lower (``"comment"`` in ``"recommended"``); a passage shorter than the
query is scored with the full ``fuzz.ratio``; hits below ``threshold`` are dropped (no hit raises
:class:`~bot.core.errors.NotFound`); one hit per paragraph; equal scores go to the passage sharing
more of the query's q-grams, then to corpus order, so the same query always gives the same answer.

Passages are body paragraphs, cut into windows of about ``window`` characters overlapping by
``overlap`` when longer, at word boundaries; passages with no letter or digit are dropped. The
highlight is snapped to whole words and mapped back to the original text. Persistence
(:mod:`._store`): :meth:`SearchIndex.save` writes a folder of ``.npy`` arrays and ``meta.json``
that :meth:`SearchIndex.load` memory-maps, checking the small arrays at once and each posting
list as a query decodes it (:mod:`._checks`). Incremental updates (:mod:`._segment`):
:meth:`SearchIndex.combine` joins a saved base, its changed documents masked, with a delta of the
changed and added documents, and answers as a fresh build does (:mod:`._query`).
"""

from bot.core.search._errors import IndexFileError
from bot.core.search._index import SearchIndex
from bot.core.search._text import MATCH_PUNCTUATION, match_key
from bot.core.text import STOP_WORDS

__all__ = ["MATCH_PUNCTUATION", "STOP_WORDS", "IndexFileError", "SearchIndex", "match_key"]
