"""Extractive summaries: whole sentences of one document, verbatim, in document order.

Method (chosen by measurement: ``benchmarks/README.md``, ``python -m benchmarks.summary``)
------------------------------------------------------------------------------------------
Sentences are ranked by *position-augmented centrality* (PacSum, Zheng & Lapata 2019,
"Sentence Centrality Revisited for Unsupervised Summarization", ACL): a sentence's score is a
weighted sum of its TF-IDF cosine similarities to the sentences *after* it (``λ2 = 1``) and to
the sentences *before* it (``λ1 = −2``), counting edges above a threshold ``β`` (0) of the
similarity range. A sentence that later sentences echo, and that does not itself echo earlier
ones, is where a theme is introduced: the lead of a news story, the opening of an argument.
Undirected continuous LexRank (Erkan & Radev 2004, "LexRank: Graph-based Lexical Centrality as
Salience in Text Summarization", JAIR 22: the stationary distribution of a random walk on the
idf-modified cosine graph, by power iteration) is available as ``method="lexrank"``.

ROUGE F1 ×100 (``rouge-score``, stemming) of 1-sentence summaries against the headlines of the
70 Reuters-21578 articles in Debian's ``r-cran-tm`` (the only documents with human references
reachable offline), all methods choosing among the same sentences:

=================================  =======  =======  =======
method                             ROUGE-1  ROUGE-2  ROUGE-L
=================================  =======  =======  =======
lead-1                              25.05     7.89    22.88
**PacSum (this module, default)**   24.09     7.82    22.01
sumy LexRank                        22.13     6.69    19.66
summa TextRank                      20.26     6.62    18.23
LexRank (this module)               20.00     6.44    18.14
sumy TextRank                       17.36     5.23    15.29
random                              14.95     3.78    13.12
oracle (best single sentence)       27.75     9.26    24.59
=================================  =======  =======  =======

Lead is the oracle on 50 of 70 articles; PacSum picks the lead's sentence on 64 and is the best
centrality method measured. It is the default rather than lead because the product serves essays
and books, where the first sentences are a hook or a chapter's opening (see the benchmark README
for the full argument and the λ1/β grid: λ1 = −2, β = 0 is best on both Reuters topics).

Long documents: ranked in chunks of :data:`CHUNK_SENTENCES` sentences (PacSum with
:data:`PACSUM_WINDOW` sentences of context either side, so chunk boundaries leave no trace) and
chosen round-robin over the chunks, so a summary of a book covers the whole book. Similarities
are summed over shared terms only; time and memory grow linearly. Measured: 0.25 s for 2,011
sentences of Pride and Prejudice and 0.45 s for all 4,062 (sumy LexRank: 36 s for 2,011), on a
loaded 2-core machine; the seed essay takes about 1 ms, so no cache is needed.

Selection (after sumy's rule: rank, take the top N, restore document order): sentences unfit to
stand alone as a summary line (fewer than :data:`MIN_WORDS` words, or more than
:data:`MAX_WORDS`, or heading-like: see :func:`is_heading`) are taken only when nothing else is
left; a candidate too similar to an
already chosen sentence (cosine above :data:`REDUNDANCY`) is passed over, in the spirit of the
redundancy reranker Erkan & Radev used with LexRank. Ties are broken by position (earlier first)
and scores are rounded before comparing, so the output is deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, get_args

from bot.core.centrality import (
    CHUNK_SENTENCES,
    Method,
    _chunks,
    _scores,
    _Vectors,
    lexrank_scores,
    pacsum_scores,
    rank_sentences,
)
from bot.core.errors import NotFound, UserError
from bot.core.models import Document, Sentence, Summary
from bot.core.text import WORD

__all__ = [
    "CHUNK_SENTENCES",
    "HEADING_MAX_WORDS",
    "LENGTHS",
    "MAX_SENTENCES",
    "Method",
    "SummaryOptionError",
    "is_heading",
    "lexrank_scores",
    "pacsum_scores",
    "rank_sentences",
    "summarize",
    "summary_size",
]


LENGTHS: Final = ("short", "medium", "long", "key_points")
"""Accepted values of ``summarize(length=...)``."""

MAX_SENTENCES: Final = 25
"""Upper bound of ``summarize(sentences=...)`` and of the ``"long"`` length."""

#: Sentences outside MIN_WORDS..MAX_WORDS words are unfit as summary lines ("Yes.", a chapter
#: heading, a run-on) and are taken only when nothing else is left.
MIN_WORDS: Final = 5
MAX_WORDS: Final = 80
#: A candidate whose cosine with a chosen sentence exceeds this is passed over as repetition.
REDUNDANCY: Final = 0.6


class SummaryOptionError(UserError):
    """An invalid ``length`` or ``sentences`` value; the message says which values are allowed."""


@dataclass(frozen=True, slots=True)
class _Size:
    """How many sentences a named length asks for: at least ``low``, at most ``high``, adding
    sentences beyond ``low`` only while the summary is shorter than ``words`` words."""

    low: int
    high: int
    words: int


_SIZES: Final = {
    "short": _Size(1, 2, 25),
    "medium": _Size(3, 5, 90),
    "key_points": _Size(3, 5, 90),
}


def summarize(
    document: Document,
    *,
    length: str = "medium",
    sentences: int | None = None,
    method: Method = "pacsum",
) -> Summary:
    """Summarise ``document`` with its own sentences, verbatim and in document order.

    Args:
        document: the document; its body sentences are the candidates (title, standfirst and
            author bio are not body text).
        length: ``"short"`` (1-2 sentences), ``"medium"`` (3-5), ``"long"`` (about 10% of the
            document's sentences, at least 5 and at most :data:`MAX_SENTENCES` = 25, so every
            document longer than about 250 sentences, e.g. any novel, gets 25) or
            ``"key_points"`` (the medium selection, meant to be rendered as bullets; the
            renderer knows the length it asked for, so :class:`Summary` carries no flag).
            Within a range, sentences are added while the summary stays short in words.
        sentences: an exact count (1..:data:`MAX_SENTENCES`) that overrides ``length``.
        method: ``"pacsum"`` (default, chosen by measurement), ``"lexrank"`` or ``"lead"``.

    Returns:
        ``Summary(document.id, chosen sentences in document order, method, document.standfirst)``.
        A document with no more sentences than asked for is returned whole.

    Raises:
        SummaryOptionError: ``length`` is not one of :data:`LENGTHS`, or ``sentences`` is not an
            integer in 1..:data:`MAX_SENTENCES`.
        NotFound: the document has no body sentences at all.
    """
    count_range = _requested(length, sentences)
    if method not in get_args(Method):
        raise ValueError(f"unknown summary method {method!r}")
    candidates = tuple(document.sentences)
    if not candidates:
        raise NotFound(f"“{document.title or document.id}” has no body text to summarise.")
    if count_range is None:  # "long": proportional to the document
        wanted = min(MAX_SENTENCES, max(5, round(len(candidates) / 10)))
        size = _Size(wanted, wanted, 0)
    else:
        size = count_range
    texts = [s.text for s in candidates]
    headings = [flag for p in document.paragraphs for flag in _headings(p.sentences)]
    chosen = _select(texts, size, method, unfit=headings)
    return Summary(
        document_id=document.id,
        sentences=tuple(candidates[i] for i in sorted(chosen)),
        method=method,
        standfirst=document.standfirst,
    )


def summary_size(length: str, sentences: int | None, available: int) -> int:
    """How many sentences a summary of ``available`` candidate sentences has for these options:
    ``sentences`` when given, else the top of the named length's range ("short" 2, "medium" and
    "key_points" 5; "long" about 10%, 5-:data:`MAX_SENTENCES`), never more than ``available``.

    Raises:
        SummaryOptionError: as :func:`summarize` does for invalid options.
    """
    size = _requested(length, sentences)
    wanted = size.high if size is not None else min(MAX_SENTENCES, max(5, round(available / 10)))
    return max(1, min(wanted, available))


def _requested(length: str, sentences: int | None) -> _Size | None:
    """Validate the options; ``None`` means the proportional ``"long"`` size."""
    if length not in LENGTHS:
        allowed = ", ".join(f"“{name}”" for name in LENGTHS)
        raise SummaryOptionError(f"Summary length “{length}” is not one I know; use {allowed}.")
    if sentences is not None:
        if isinstance(sentences, bool) or not isinstance(sentences, int):
            raise SummaryOptionError("The number of sentences must be a whole number.")
        if not 1 <= sentences <= MAX_SENTENCES:
            raise SummaryOptionError(
                f"A summary can have 1 to {MAX_SENTENCES} sentences, not {sentences}."
            )
        return _Size(sentences, sentences, 0)
    return _SIZES.get(length)


# --------------------------------------------------------------------------- headings

#: A heading has at most this many words.
HEADING_MAX_WORDS: Final = 15
_HEADING_LEAD = re.compile(
    r"^\s*(?:(?:chapter|book|part|volume|section|canto|act|scene|letter)\s+"
    r"(?:[ivxlcdm]+|\d+|[a-z]+)\b|[ivxlcdm]+\.(?:\s|$)|\d+\.\s+[A-Z])",
    re.IGNORECASE,
)
_ROMAN_LEAD = re.compile(r"^\s*[ivxlcdm]+\.", re.IGNORECASE)
_MINOR_WORDS: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "nor",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "as",
        "into",
        "over",
        "upon",
    ]
)


def is_heading(text: str, *, alone: bool, words: Sequence[str] | None = None) -> bool:
    """Whether a sentence looks like a heading rather than prose, so unfit for a summary.

    A sentence is heading-like when it starts like a chapter line ("CHAPTER 12",
    "Chapter Twelve", "XLII. The Whiteness", "I. THE FOLIO WHALE; II."), or its letters are
    mostly capitals ("THE FOLIO WHALE"), or, when it is its paragraph's only sentence
    (``alone``), it has at most :data:`HEADING_MAX_WORDS` words, no quotation marks, does not
    end in "?" or "!", and is in title case (every word that is not a minor word such as
    "of" or "the" starts with a capital: "The Whiteness of The Whale.", "A Squeeze of the
    Hand."). The rules follow the usual typography of chapter titles in Project Gutenberg
    novels; a prose one-liner like "Stubb was the second mate." is not a heading.

    Args:
        text: the sentence, verbatim.
        alone: the sentence is the only one in its paragraph.
        words: its ``WORD`` tokens, when the caller has them.
    """
    words = WORD.findall(text) if words is None else words
    if not words or len(words) > HEADING_MAX_WORDS * 2:
        return False
    if _HEADING_LEAD.match(text) and (len(words) <= HEADING_MAX_WORDS or not alone):
        if not _ROMAN_LEAD.match(text) or _mostly_capitals(text):
            return True
        return alone and len(words) <= HEADING_MAX_WORDS
    if _mostly_capitals(text) and len(words) <= HEADING_MAX_WORDS:
        return True
    if not alone or len(words) > HEADING_MAX_WORDS or len(words) < 2:
        return False
    stripped = text.rstrip()
    if stripped.endswith(("?", "!")) or any(q in text for q in '"“”‘«»'):
        return False
    major = [w for w in words if w.casefold() not in _MINOR_WORDS]
    return len(major) >= 2 and all(w[0].isupper() or w[0].isdigit() for w in major)


def _headings(sentences: Sequence[Sentence]) -> list[bool]:
    """:func:`is_heading` for each sentence of one paragraph; a sentence counts as ``alone``
    when the paragraph's other sentences are chapter lines ("CHAPTER 42. The Whiteness of The
    Whale." is one paragraph of two sentences)."""
    marked = [is_heading(s.text, alone=False) for s in sentences]
    return [
        marked[i] or is_heading(s.text, alone=all(marked[:i] + marked[i + 1 :]))
        for i, s in enumerate(sentences)
    ]


_ASCII_UPPER = str.maketrans("", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_LOWER = str.maketrans("", "", "abcdefghijklmnopqrstuvwxyz")


def _mostly_capitals(text: str) -> bool:
    if text.isascii():  # the same counts, by deleting letters in C (5x cheaper)
        capitals = len(text) - len(text.translate(_ASCII_UPPER))
        count = capitals + len(text) - len(text.translate(_ASCII_LOWER))
        return count >= 4 and capitals >= 0.8 * count
    letters = [c for c in text if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return len(letters) >= 4 and upper >= 0.8 * len(letters)


# --------------------------------------------------------------------------- selection


def _select(
    texts: Sequence[str], size: _Size, method: Method, *, unfit: Sequence[bool] = ()
) -> list[int]:
    """Indices of the chosen sentences (unordered), following the rules in the module docstring.

    ``unfit[i]`` marks sentence ``i`` as unfit (a heading) whatever its length."""
    n = len(texts)
    if n <= size.low:
        return list(range(n))
    words = [len(t.split()) for t in texts]
    fit = [
        MIN_WORDS <= w <= MAX_WORDS and not (i < len(unfit) and unfit[i])
        for i, w in enumerate(words)
    ]
    vectors = _Vectors(texts)
    scores = _scores(vectors, method)

    # Fit sentences first, then by score (rounded so float noise cannot reorder), then position.
    # A long document is taken round-robin over its chunks: every chunk's best sentence comes
    # before any chunk's second best, so a summary covers the whole book, not one chapter.
    def key(i: int) -> tuple[bool, float, int]:
        return (not fit[i], -round(float(scores[i]), 9), i)

    rank_in_chunk = [0] * n
    for start, stop in _chunks(n, CHUNK_SENTENCES):
        for rank, i in enumerate(sorted(range(start, stop), key=key)):
            rank_in_chunk[i] = rank
    order = sorted(range(n), key=lambda i: (not fit[i], rank_in_chunk[i], *key(i)[1:]))
    chosen: list[int] = []
    skipped: list[int] = []
    total_words = 0
    for i in order:
        if len(chosen) >= size.high or (len(chosen) >= size.low and total_words >= size.words):
            break
        if chosen and vectors.max_similarity(i, chosen) > REDUNDANCY:
            skipped.append(i)
            continue
        chosen.append(i)
        total_words += words[i]
    # Near-duplicates are still better than falling short of the minimum.
    for i in skipped:
        if len(chosen) >= size.low:
            break
        chosen.append(i)
    return chosen
