"""A base index with changed documents masked plus a delta answers as a fresh build does.

The corpus store keeps the saved index of an earlier corpus (the base) and indexes only the
changed and added documents (the delta); :meth:`SearchIndex.combine` joins them. These tests
compare every answer with a fresh build of the new corpus (same hash width), on random corpora
with repeated text (many ties) and random changes, and check that a changed document is never
found with its old text.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import NotFound, QueryError
from bot.core.models import Corpus, Document, Paragraph, SearchHit
from bot.core.search import SearchIndex

# fmt: off
WORDS = (
    "amber", "bridge", "candle", "dusk", "ember", "falcon", "garden", "harbor", "island", "jasper",
    "kettle", "lantern", "meadow", "nickel", "orchard", "pepper", "quarry", "river", "saddle",
    "the", "of", "and", "a", "in", "north", "quiet", "golden", "winter", "stone", "glass",
)
# fmt: on


def _document(doc_id: str, texts: list[str]) -> Document:
    paragraphs = tuple(Paragraph(doc_id, n, text, ()) for n, text in enumerate(texts, 1))
    return Document(id=doc_id, title=doc_id.title(), paragraphs=paragraphs)


def _texts(rng: random.Random, count: int, shared: list[str]) -> list[str]:
    """``count`` paragraphs, some copied from ``shared`` (repeated text: ties), some long."""
    out = []
    for _ in range(count):
        if shared and rng.random() < 0.3:
            out.append(rng.choice(shared))
        else:
            words = [rng.choice(WORDS) for _ in range(rng.randint(4, 90))]
            out.append(" ".join(words).capitalize() + ".")
    return out


def _split(old: Corpus, new: Corpus) -> Corpus:
    """The documents of ``new`` that ``old`` lacks or holds in another version."""
    before = {d.id: d.paragraphs for d in old}
    return Corpus(tuple(d for d in new if before.get(d.id) != d.paragraphs))


@st.composite
def changes(draw: st.DrawFn) -> tuple[Corpus, Corpus, int]:
    """An old corpus of 3-8 documents and a new one with some removed, changed, added and
    moved, and a seed for the queries."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    shared = _texts(rng, 6, [])
    old = [
        _document(f"d{i}", _texts(rng, rng.randint(1, 14), shared))
        for i in range(rng.randint(3, 8))
    ]
    new = []
    for document in old:
        fate = rng.random()
        if fate < 0.15:
            continue  # removed
        if fate < 0.4:
            texts = [p.text for p in document.paragraphs]
            texts[rng.randrange(len(texts))] = _texts(rng, 1, shared)[0]
            if rng.random() < 0.5:
                texts.append(_texts(rng, 1, shared)[0])
            document = _document(document.id, texts)  # changed
        new.append(document)
    for i in range(rng.randint(0, 3)):
        new.insert(
            rng.randint(0, len(new)), _document(f"n{i}", _texts(rng, rng.randint(1, 8), shared))
        )
    if len(new) > 1 and rng.random() < 0.3:
        a, b = rng.sample(range(len(new)), 2)
        new[a], new[b] = new[b], new[a]  # moved
    return Corpus(tuple(old)), Corpus(tuple(new)), draw(st.integers(0, 10**6))


def _answers(index: SearchIndex, query: str, **options: object) -> list[SearchHit] | str:
    try:
        return index.search(query, **options)  # type: ignore[arg-type]
    except (NotFound, QueryError) as error:
        return f"{type(error).__name__}: {error}"


def _queries(corpus: Corpus, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = [p.text for d in corpus for p in d.paragraphs] or ["amber river"]
    queries = []
    for _ in range(6):
        words = rng.choice(texts).split()
        start = rng.randrange(len(words))
        phrase = words[start : start + rng.randint(2, 8)]
        if phrase and rng.random() < 0.5:
            j = rng.randrange(len(phrase))
            phrase[j] = phrase[j][:-1] or phrase[j]
        queries.append(" ".join(phrase))
    queries += [" ".join(rng.sample(WORDS, 3)), "golden stone river"]
    return queries


@settings(max_examples=60, deadline=None)
@given(changes())
def test_a_base_with_a_delta_answers_as_a_fresh_build(data: tuple[Corpus, Corpus, int]) -> None:
    old, new, seed = data
    base = SearchIndex.build(old)
    delta = SearchIndex.build(_split(old, new), bits=base.bits)
    combined = SearchIndex.combine(base, delta, new)
    fresh = SearchIndex.build(new, bits=base.bits, keep_texts=seed % 2 == 0)
    assert len(combined) == len(fresh)
    assert list(combined.passages) == list(fresh.passages)
    assert combined.chars() == fresh.chars()
    for query in _queries(new, seed):
        for options in ({"limit": 3}, {"limit": 12, "threshold": 40.0}, {"exhaustive": True}):
            assert _answers(combined, query, **options) == _answers(fresh, query, **options)
        assert combined.suggest(query) == fresh.suggest(query)
        for document in [*new, *old][:4]:
            assert _answers(combined, query, document=document.id) == _answers(
                fresh, query, document=document.id
            )


def test_a_changed_document_is_never_found_with_its_old_text() -> None:
    lamb = "At dusk the lighthouse keeper fed the lamb and lit the great lamp."
    goat = "At dusk the lighthouse keeper fed the goat and lit the great lamp."
    filler = [
        f"The {w} harbor was quiet in the {v} winter." for w in WORDS[:8] for v in WORDS[8:12]
    ]
    old = Corpus(
        (
            _document("keeper", [*filler[:10], lamb]),
            _document("gone", ["The orchard by the quarry was sold to the miller's son."]),
            _document("other", filler[10:]),
        )
    )
    new = Corpus(
        (
            _document("keeper", [*filler[:10], goat]),
            _document("other", filler[10:]),
            _document("added", ["A falcon nested in the bell tower of the old stone church."]),
        )
    )
    base = SearchIndex.build(old)
    combined = SearchIndex.combine(base, SearchIndex.build(_split(old, new), bits=base.bits), new)
    for query in ("lighthouse keeper fed the lamb", "keeper fed the lamb and lit the lamp"):
        hits = combined.search(query, limit=5, threshold=0)
        assert all("lamb" not in hit.passage.text for hit in hits)
        assert hits[0].passage.text == goat
        assert hits[0].passage.document_id == "keeper"
    assert all("lamb" not in p.text for p in combined.passages)
    hit = combined.search("falcon nested in the bell tower")[0]
    assert (hit.passage.document_id, hit.exact) == ("added", True)
    assert combined.search("bell tower", document="added")[0].passage.document_id == "added"
    with pytest.raises(NotFound):
        combined.search("orchard by the quarry", document="gone")
    assert all(
        h.passage.document_id != "gone"
        for h in combined.search("orchard quarry miller", limit=9, threshold=0)
    )


def test_an_index_about_to_be_saved_reads_each_body_once(tmp_path: Path) -> None:
    """With ``keep_texts`` the passages' texts are packed while they are cut: saving reads no
    document again (a stored document decodes its body from disk at each read)."""
    reads: list[str] = []

    class Counted(tuple):  # type: ignore[type-arg]
        """Paragraphs that know their characters without a read, as stored ones do."""

        @property
        def chars(self) -> int:
            return sum(len(p.text) for p in tuple.__iter__(self))

        def __iter__(self):  # type: ignore[no-untyped-def]
            reads.append("iter")
            return super().__iter__()

        def __getitem__(self, i):  # type: ignore[no-untyped-def]
            reads.append("item")
            return super().__getitem__(i)

    texts = [
        f"The {w} harbor was quiet in the {v} winter, " * 9 for w in WORDS[:6] for v in WORDS[6:9]
    ]
    document = _document("d", texts)
    corpus = Corpus((Document(id="d", title="D", paragraphs=Counted(document.paragraphs)),))
    index = SearchIndex.build(corpus, keep_texts=True)
    index.save(tmp_path / "index", fingerprint="given")  # as the store saves it
    assert reads.count("iter") == 1
    assert "item" not in reads
    assert index.passages == SearchIndex.build(_plain(corpus)).passages
    assert SearchIndex.load(tmp_path / "index").passages == index.passages


def _plain(corpus: Corpus) -> Corpus:
    return Corpus(tuple(_document(d.id, [p.text for p in d.paragraphs]) for d in corpus))


def test_combine_refuses_segments_that_do_not_fit() -> None:
    old = Corpus((_document("a", ["Amber river in the golden winter."]),))
    new = Corpus((_document("a", ["Amber river."]), _document("b", ["Stone glass."])))
    base = SearchIndex.build(old)
    with pytest.raises(ValueError, match="neither"):
        SearchIndex.combine(base, SearchIndex.build(Corpus(new.documents[:1]), bits=base.bits), new)
    with pytest.raises(ValueError, match="bits"):
        SearchIndex.combine(base, SearchIndex.build(_split(old, new), bits=base.bits + 1), new)
    combined = SearchIndex.combine(base, SearchIndex.build(_split(old, new), bits=base.bits), new)
    with pytest.raises(ValueError, match="saved as its base and delta"):
        combined.save("unused")
