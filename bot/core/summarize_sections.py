"""Summaries of long documents built from their sections: a chapter's summary, and a book's.

Why not rank the whole book at once (:func:`bot.core.summarize.summarize`): on a novel the most
central sentences are scattered moments of dialogue that never name the heroine (the Pride and
Prejudice summary named neither Elizabeth nor Darcy), and on a long speech they cluster where the
vocabulary repeats. Summarising by section (as chapter-level summarisers do, e.g. BookSum,
Kryściński et al. 2021) keeps the book's order and covers all of it:

* :func:`summarize_section`: a section's sentences ranked by PacSum (as in
  :mod:`bot.core.summarize`), each then scored (a line ending with a colon, a heading, or outside the summary word range is
  unfit) ``centrality rank + 0.3 × main people named (the
  two most mentioned count 1, the others 0.5; at most 2) + 0.2 if narration (no quotation marks) − 0.3 if it opens with a pronoun or connective
  pointing back ("He", "It", "But")``; the best ones, in the section's order.
* :func:`summarize_long`: the document's sections are split into as many consecutive groups as
  sentences are asked for, and each group gives its best section line, so the summary reads in
  order from the first chapter to the last. A long document with no sections (a speech) is cut
  into equal stretches of paragraphs instead.
* :func:`main_people`: the names the document mentions most (capitalised words in mid-sentence
  that are not function words or titles), used to prefer lines that say who does what.

Which documents: :func:`is_long` (three sections or more and at least :data:`LONG_SENTENCES`
sentences, or no sections and at least :data:`LONG_UNSECTIONED`). Short articles and papers keep the whole-document method, which is
better there (``benchmarks/README.md``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Final

from bot.core.errors import NotFound
from bot.core.models import Document, Section, Sentence, Summary
from bot.core.summarize import (
    MAX_WORDS,
    MIN_WORDS,
    is_heading,
    rank_sentences,
    summarize,
    summary_size,
)
from bot.core.text import (
    NOT_NAME_WORDS,
    STOP_WORDS,
    TITLES,
    WORD,
    SentenceWords,
    sentence_words,
)

__all__ = [
    "LONG_SENTENCES",
    "LONG_UNSECTIONED",
    "is_long",
    "main_people",
    "summarize_document",
    "summarize_long",
    "summarize_section",
]

LONG_SENTENCES: Final = 1000
"""A document with sections and at least this many sentences is summarised by section (novels
have 2,000-8,000; the 250 ACLSum papers at most a few hundred, and stay whole)."""
LONG_UNSECTIONED: Final = 200
"""A document without sections and at least this many sentences (a long speech or essay) is
summarised by equal stretches."""
PEOPLE: Final = 6
"""How many of the most-mentioned names count as the document's main people."""

_BACK_REFERENCE = re.compile(
    r"^\W*(?:he|she|it|they|this|that|these|those|but|and|so|yet|then|however|such|there)\b",
    re.IGNORECASE,
)
_QUOTE_MARKS = re.compile('["“”]')
_TITLE_WORDS = frozenset(t for title in TITLES for t in title.split())


def is_long(document: Document) -> bool:
    """Whether ``document`` is summarised by section (see the module docstring)."""
    count = sum(len(p.sentences) for p in document.paragraphs)
    if len(document.sections) >= 3:
        return count >= LONG_SENTENCES
    return not document.sections and count >= LONG_UNSECTIONED


def main_people(document: Document, count: int = PEOPLE) -> list[str]:
    """The ``count`` names the document mentions most, most mentioned first: capitalised words
    after the first word of a sentence that are not function words, titles or name-stops
    ("The", "Monday"), and appear in lower case nowhere (so "Hope" the virtue is not a name)."""
    return _main_people([WORD.findall(s.text) for s in document.sentences], count)


def _main_people(words: Iterable[Sequence[str]], count: int = PEOPLE) -> list[str]:
    """:func:`main_people` from the ``WORD`` tokens of each sentence of the document."""
    tokens: Counter[str] = Counter()
    for tokens_of_sentence in words:
        tokens.update(tokens_of_sentence[1:])
    # the tests below depend on the token alone: made once per distinct token
    capitals = {t: n for t, n in tokens.items() if t[0].isupper() and not t.isupper()}
    lower = {t for t in tokens if t.islower()}
    names = [
        (n, word)
        for word, n in capitals.items()
        if word.casefold() not in lower
        and word not in NOT_NAME_WORDS
        and word not in _TITLE_WORDS
        and word.casefold() not in STOP_WORDS
        and n >= 3
    ]
    return [word for _, word in sorted(names, key=lambda item: (-item[0], item[1]))[:count]]


def _line_scores(
    sentences: Sequence[Sentence],
    people: Sequence[str],
    words: Sequence[Sequence[str]] | None = None,
) -> list[float]:
    """Each sentence's worth as a summary line (see the module docstring); unfit lines (too
    short or long, headings) get ``-inf``. ``words``: each sentence's ``WORD`` tokens, if
    known."""
    if not sentences:
        return []
    if words is None:
        words = [WORD.findall(s.text) for s in sentences]
    centrality = rank_sentences([s.text for s in sentences], words=words)
    rounded = [-round(c, 9) for c in centrality.tolist()]
    order = sorted(range(len(sentences)), key=lambda i: (rounded[i], i))
    rank = [0.0] * len(sentences)
    for position, i in enumerate(order):
        rank[i] = 1.0 - position / max(1, len(sentences))
    weight = {name: 1.0 if rank_ < 2 else 0.5 for rank_, name in enumerate(people)}
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, people)) + r")\b") if people else None
    scores: list[float] = []
    for i, sentence in enumerate(sentences):
        length = len(sentence.text.split())
        # a line out of the length range is unfit whatever it is: no heading test for it
        if not MIN_WORDS <= length <= MAX_WORDS or _unfit(sentence.text, words[i]):
            scores.append(float("-inf"))
            continue
        named = 0.0
        # a name's pattern only matches where the name is a substring (most lines name no one)
        if pattern and any(name in sentence.text for name in people):
            named = sum(weight[n] for n in set(pattern.findall(sentence.text)))
        score = rank[i] + 0.3 * min(named, 2.0)
        score += 0.0 if _QUOTE_MARKS.search(sentence.text) else 0.2
        score -= 0.3 if _BACK_REFERENCE.match(sentence.text) else 0.0
        scores.append(score)
    return scores


def _unfit(text: str, words: Sequence[str]) -> bool:
    """A heading, or a line ending with a colon (it leads into what follows); ``words``: its
    ``WORD`` tokens."""
    return is_heading(text, alone=False, words=words) or text.rstrip().endswith(":")


def _best(sentences: Sequence[Sentence], scores: Sequence[float], k: int) -> list[Sentence]:
    """The ``k`` best-scoring fit sentences (all sentences if none is fit), in text order."""
    ranked = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    fit = [i for i in ranked if scores[i] != float("-inf")] or ranked
    return [sentences[i] for i in sorted(fit[:k])]


def _section_sentences(document: Document, section: Section) -> list[Sentence]:
    return [s for p in document.paragraphs[section.first - 1 : section.last] for s in p.sentences]


def summarize_section(
    document: Document, number: int, *, length: str = "medium", sentences: int | None = None
) -> Summary:
    """A summary of section ``number`` (1-based) of ``document``: its best lines, verbatim, in
    order (method ``"section"``; ``Summary.section`` is ``number``).

    Raises:
        NotFound: the document has no such section, or the section has no sentences.
        SummaryOptionError: ``length``/``sentences`` are invalid (as for ``summarize``).
    """
    if not 1 <= number <= len(document.sections):
        where = f"sections 1-{len(document.sections)}" if document.sections else "no sections"
        raise NotFound(f"“{document.title}” has {where}, not section {number}.")
    section = document.section(number)
    chosen = _section_sentences(document, section)
    if not chosen:
        raise NotFound(f"Section {number} of “{document.title}” has no text to summarise.")
    k = summary_size(length, sentences, len(chosen))
    people = main_people(document)
    lines = _best(chosen, _line_scores(chosen, people), k)
    return Summary(document.id, tuple(lines), "section", section=number)


def _stretches(document: Document, parts: int) -> list[Section]:
    """The document's sections, or, without any, ``parts`` stretches of equal sentence count."""
    if document.sections:
        return list(document.sections)
    counts = [len(p.sentences) for p in document.paragraphs]
    total = sum(counts)
    out: list[Section] = []
    first, running = 1, 0
    for number, count in enumerate(counts, 1):
        running += count
        if running >= total * (len(out) + 1) / parts or number == len(counts):
            out.append(Section(len(out) + 1, None, first, number))
            first = number + 1
    return out


def summarize_long(
    document: Document,
    *,
    length: str = "medium",
    sentences: int | None = None,
    words: SentenceWords | None = None,
) -> Summary:
    """A whole-document summary built from section summaries, in order (method ``"sections"``):
    the sections are cut into as many consecutive groups as lines are wanted and each group
    gives its best line (see the module docstring).

    Raises:
        NotFound: the document has no body sentences.
        SummaryOptionError: ``length``/``sentences`` are invalid (as for ``summarize``).

    ``words``: each sentence's tokens (:func:`~bot.core.text.sentence_words`), when known.
    """
    total = sum(len(p.sentences) for p in document.paragraphs)
    if not total:
        raise NotFound(f"“{document.title or document.id}” has no body text to summarise.")
    k = summary_size(length, sentences, total)
    # every sentence's tokens, found once: for the main people, the centrality terms, headings
    tokens = sentence_words(document.sentences) if words is None else words
    people = _main_people(tokens.values())
    stretches = [s for s in _stretches(document, max(k, 12)) if s.last >= s.first]
    groups = [
        stretches[round(g * len(stretches) / k) : round((g + 1) * len(stretches) / k)]
        for g in range(min(k, len(stretches)))
    ]
    lines: list[Sentence] = []
    for group in groups:
        candidates = [s for section in group for s in _section_sentences(document, section)]
        if not candidates:
            continue
        group_words = [tokens[s.paragraph, s.index] for s in candidates]
        scores = _line_scores(candidates, people, group_words)
        lines.extend(_best(candidates, scores, 1))
    return Summary(document.id, tuple(lines), "sections", standfirst=document.standfirst)


def summarize_document(
    document: Document,
    *,
    length: str = "medium",
    sentences: int | None = None,
    words: SentenceWords | None = None,
) -> Summary:
    """The whole-document summary ``/summary`` shows: :func:`summarize_long` for a long document
    (:func:`is_long`), :func:`bot.core.summarize.summarize` otherwise. ``words``: each
    sentence's tokens (:func:`~bot.core.text.sentence_words`), when the caller has them."""
    if is_long(document):
        return summarize_long(document, length=length, sentences=sentences, words=words)
    return summarize(document, length=length, sentences=sentences)
