"""Property tests: the index against the brute-force scan (``exhaustive=True``) on random corpora.

Corpora have 60-160 passages, more than the 50 candidates the index rescores, so the q-gram
stage really filters. The scan scores every passage with the same ranking rules, so it is the
reference the index must agree with.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import NotFound, QueryError
from bot.core.models import Corpus, Document, Paragraph, SearchHit
from bot.core.search import SearchIndex

# fmt: off
WORDS = (
    "amber", "bridge", "candle", "dusk", "ember", "falcon", "garden", "harbor", "island", "jasper",
    "kettle", "lantern", "meadow", "nickel", "orchard", "pepper", "quarry", "river", "saddle",
    "timber", "umbrella", "velvet", "willow", "yonder", "zephyr", "the", "of", "and", "a", "in",
    "north", "south", "quiet", "golden", "winter", "summer", "stone", "glass", "iron", "silver",
)
# fmt: on


@st.composite
def corpora(draw: st.DrawFn) -> tuple[Corpus, list[list[str]]]:
    """A corpus of 60-160 one-window passages of 6-30 words, and each passage's words."""
    count = draw(st.integers(60, 160))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    texts = [[rng.choice(WORDS) for _ in range(rng.randint(6, 30))] for _ in range(count)]
    paragraphs = tuple(
        Paragraph("doc", n, " ".join(words).capitalize() + ".", ())
        for n, words in enumerate(texts, 1)
    )
    return Corpus((Document(id="doc", title="doc", paragraphs=paragraphs),)), texts


def _search(index: SearchIndex, query: str, *, exhaustive: bool, limit: int) -> list[SearchHit]:
    try:
        return index.search(query, limit=limit, exhaustive=exhaustive)
    except (NotFound, QueryError):
        return []


def _typo(word: str, where: int) -> str:
    i = where % len(word)
    return word[:i] + word[i + 1 :] if len(word) > 3 else word


@settings(max_examples=60, deadline=None)
@given(corpora(), st.integers(0, 10**6), st.integers(3, 6), st.integers(0, 3))
def test_exact_phrase_found_like_the_scan(
    data: tuple[Corpus, list[list[str]]], pick: int, length: int, typos: int
) -> None:
    """A phrase copied from a passage: the index finds an exact hit (score 100) whenever the
    scan does, and every exact passage the scan finds; with typos, the same best score."""
    corpus, texts = data
    index = SearchIndex.build(corpus)
    words = texts[pick % len(texts)]
    start = pick % max(1, len(words) - length + 1)
    phrase = words[start : start + length]
    for t in range(typos):
        j = (pick + t) % len(phrase)
        phrase[j] = _typo(phrase[j], pick + t)
    query = " ".join(phrase)
    if all(w in ("the", "of", "and", "a", "in") for w in phrase):
        return
    found = _search(index, query, exhaustive=False, limit=len(texts))
    scan = _search(index, query, exhaustive=True, limit=len(texts))
    if typos == 0:
        assert scan
        assert scan[0].exact
        assert scan[0].score == 100
    if scan and scan[0].exact:
        assert found
        assert found[0].exact
        assert found[0].score == 100
        exact = {h.passage for h in scan if h.exact}
        assert exact == {h.passage for h in found if h.exact}
    elif scan and typos <= 1:
        assert found
        assert found[0].score == scan[0].score


@settings(max_examples=60, deadline=None)
@given(corpora(), st.lists(st.sampled_from(WORDS), min_size=2, max_size=6))
def test_every_hit_scores_as_in_the_scan(
    data: tuple[Corpus, list[list[str]]], words: list[str]
) -> None:
    """Any query: each index hit has the score and highlight the scan gives that passage, best
    first, and the index's best score is never above the scan's."""
    corpus, _ = data
    index = SearchIndex.build(corpus)
    query = " ".join(words)
    found = _search(index, query, exhaustive=False, limit=5)
    scan = {h.passage: h for h in _search(index, query, exhaustive=True, limit=len(index))}
    for hit in found:
        assert scan[hit.passage] == hit
    scores = [h.score for h in found]
    assert scores == sorted(scores, reverse=True)
    if found:
        assert found[0].score <= max(h.score for h in scan.values())


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.lists(st.sampled_from(WORDS), min_size=3, max_size=7),
    st.integers(1, 4),
    st.booleans(),
)
def test_fewer_hits_are_the_first_of_more(
    seed: int, words: list[str], limit: int, exhaustive: bool
) -> None:
    """Asking for ``limit`` hits gives the first ``limit`` of a longer answer, in paragraphs cut
    into several windows too (only what the best ``limit`` paragraphs need is word-aligned)."""
    rng = random.Random(seed)
    paragraphs = tuple(
        Paragraph("doc", n, " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 120))), ())
        for n in range(1, rng.randint(30, 90))
    )
    index = SearchIndex.build(Corpus((Document(id="doc", title="doc", paragraphs=paragraphs),)))
    query = " ".join(words)
    everything = _search(index, query, exhaustive=exhaustive, limit=len(index))
    assert _search(index, query, exhaustive=exhaustive, limit=limit) == everything[:limit]
