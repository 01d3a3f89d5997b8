"""Extractive summaries: verbatim sentences, document order, sizes, determinism, errors."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import centrality
from bot.core import summarize as summarize_module
from bot.core.errors import NotFound, UserError
from bot.core.loader import load_corpus, parse_document
from bot.core.models import Document, Summary
from bot.core.summarize import (
    CHUNK_SENTENCES,
    LENGTHS,
    MAX_SENTENCES,
    MIN_WORDS,
    Method,
    SummaryOptionError,
    lexrank_scores,
    pacsum_scores,
    rank_sentences,
    summarize,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"

_VOCABULARY = (
    "harbour lantern copper meadow violin glacier orchard thunder saddle pepper marble "
    "falcon quarry tunnel ribbon cactus walnut compass ember anchor willow basket trumpet "
    "pebble velvet canyon feather hammer island jacket kettle ladder mirror needle oyster "
    "pillow rocket spindle timber umbrella vessel wagon yeast zephyr bramble cobalt dagger"
)
WORDS = _VOCABULARY.split()


def make_document(paragraphs: list[list[str]], document_id: str = "doc") -> Document:
    """A document through the product's own loader: sentences joined into paragraphs, paragraphs
    separated by blank lines (the first block ends with a full stop, so it is body, not title)."""
    text = "\n\n".join(" ".join(p) for p in paragraphs) + "\n"
    return parse_document(text, document_id=document_id)


def random_sentence(rng: random.Random, words: int | None = None) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words or rng.randint(6, 18))]
    return " ".join(chosen).capitalize() + "."


def random_document(seed: int, sentences: int, per_paragraph: int = 4) -> Document:
    rng = random.Random(seed)
    texts = [random_sentence(rng) for _ in range(sentences)]
    paragraphs = [texts[i : i + per_paragraph] for i in range(0, sentences, per_paragraph)]
    return make_document(paragraphs, document_id=f"random-{seed}")


@pytest.fixture(scope="module")
def seed() -> Document:
    corpus = load_corpus([SEEDS])
    assert corpus.documents, corpus.problems
    return corpus.documents[0]


def positions(document: Document, summary: Summary) -> list[int]:
    index = {s: i for i, s in enumerate(document.sentences)}
    return [index[s] for s in summary.sentences]


def assert_well_formed(document: Document, summary: Summary) -> None:
    """Every sentence is the document's own, verbatim at its offsets, in document order."""
    assert summary.document_id == document.id
    for s in summary.sentences:
        paragraph = document.paragraph(s.paragraph)
        assert paragraph.text[s.start : s.end] == s.text
        assert s in paragraph.sentences
    where = positions(document, summary)
    assert where == sorted(where)
    assert len(set(where)) == len(where)


# --------------------------------------------------------------------------- the seed essay


@pytest.mark.parametrize("length", LENGTHS)
def test_seed_summaries_are_verbatim_and_in_order(seed: Document, length: str) -> None:
    summary = summarize(seed, length=length)
    assert_well_formed(seed, summary)
    assert summary.method == "pacsum"


def test_seed_medium_has_three_to_five_sentences_and_keeps_the_standfirst(seed: Document) -> None:
    summary = summarize(seed)
    assert 3 <= len(summary.sentences) <= 5
    assert seed.standfirst
    assert summary.standfirst == seed.standfirst
    # Summary lines stand alone: nothing shorter than the minimum is chosen from a long essay.
    assert all(len(s.text.split()) >= MIN_WORDS for s in summary.sentences)


def test_seed_lengths_grow(seed: Document) -> None:
    n = sum(1 for _ in seed.sentences)
    short = summarize(seed, length="short")
    medium = summarize(seed, length="medium")
    long = summarize(seed, length="long")
    assert 1 <= len(short.sentences) <= 2
    assert len(long.sentences) == min(MAX_SENTENCES, max(5, round(n / 10)))
    assert len(short.sentences) <= len(medium.sentences) <= len(long.sentences)


def test_key_points_is_the_medium_selection(seed: Document) -> None:
    assert summarize(seed, length="key_points").sentences == summarize(seed).sentences


# --------------------------------------------------------------------------- sizes


@pytest.mark.parametrize(("sentences", "expected"), [(30, 5), (120, 12), (400, 25)])
def test_long_is_a_tenth_of_the_document_within_bounds(sentences: int, expected: int) -> None:
    document = random_document(sentences, sentences)
    summary = summarize(document, length="long")
    assert len(summary.sentences) == expected
    assert_well_formed(document, summary)


@pytest.mark.parametrize("count", [1, 2, 7, MAX_SENTENCES])
def test_sentences_overrides_length(count: int) -> None:
    document = random_document(count, 60)
    for length in LENGTHS:
        summary = summarize(document, length=length, sentences=count)
        assert len(summary.sentences) == count
        assert_well_formed(document, summary)


@pytest.mark.parametrize("length", LENGTHS)
def test_a_document_shorter_than_asked_is_returned_whole(length: str) -> None:
    document = make_document([["The harbour lantern burned all night long.", "Yes."]])
    summary = summarize(document, length=length)
    assert [s.text for s in summary.sentences] == [
        "The harbour lantern burned all night long.",
        "Yes.",
    ]
    assert len(summarize(document, sentences=MAX_SENTENCES).sentences) == 2


def test_a_document_without_sentences_is_not_found() -> None:
    empty = Document(id="empty", title="Nothing Here", paragraphs=())
    with pytest.raises(NotFound, match="Nothing Here"):
        summarize(empty)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("length", ["tiny", "", "Medium", "keypoints"])
def test_unknown_length_is_a_user_error_naming_the_choices(length: str) -> None:
    document = random_document(1, 10)
    with pytest.raises(SummaryOptionError) as caught:
        summarize(document, length=length)
    assert isinstance(caught.value, UserError)
    message = str(caught.value)
    assert all(name in message for name in LENGTHS)


@pytest.mark.parametrize("count", [0, -1, MAX_SENTENCES + 1, True, 2.0, "3"])
def test_bad_sentence_counts_are_user_errors(count: object) -> None:
    document = random_document(2, 10)
    with pytest.raises(SummaryOptionError, match=r"sentences|whole number"):
        summarize(document, sentences=count)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- selection rules


def test_unfit_short_sentences_are_chosen_only_when_nothing_else_is_left() -> None:
    # "Copper harbour, copper lantern." shares words with everything: the most central line,
    # but too short to stand alone as a summary.
    hub = "Copper harbour, copper lantern."
    others = [
        "The copper harbour glowed under a lantern at dusk.",
        "A lantern hung in the copper harbour all winter.",
        "Sailors in the harbour trusted the copper lantern.",
        "Nobody in the harbour forgot that copper lantern.",
    ]
    document = make_document([[hub, *others[:2]], others[2:]])
    assert rank_sentences([hub, *others]).argmax() == 0  # really the most central
    chosen = [s.text for s in summarize(document, sentences=3).sentences]
    assert hub not in chosen
    assert hub in [s.text for s in summarize(document, sentences=5).sentences]


@pytest.mark.parametrize("method", ["pacsum", "lexrank"])
def test_near_duplicates_are_not_both_chosen(method: Method) -> None:
    repeated = "The copper lantern in the harbour burned through the long winter night."
    filler = [
        "Meadow orchards bloomed along the glacier valley every spring.",
        "A violin played near the harbour while the copper lantern burned.",
        "Thunder rolled over the quarry and the tunnel below the meadow.",
    ]
    document = make_document([[repeated, filler[0]], [filler[1], repeated], [filler[2]]])
    chosen = [s.text for s in summarize(document, sentences=2, method=method).sentences]
    assert chosen.count(repeated) == 1
    # With every sentence asked for, the copy comes back: nothing is silently dropped.
    every = summarize(document, sentences=5, method=method).sentences
    assert [s.text for s in every].count(repeated) == 2


def test_ties_are_broken_by_position() -> None:
    # Sentences with no word in common: every centrality score ties at zero.
    rng = random.Random(7)
    words = WORDS[:]
    rng.shuffle(words)
    texts = [" ".join(words[i : i + 6]).capitalize() + "." for i in range(0, 48, 6)]
    document = make_document([texts[:4], texts[4:]])
    for method in ("pacsum", "lexrank", "lead"):
        summary = summarize(document, sentences=3, method=method)
        assert positions(document, summary) == [0, 1, 2]


def test_lead_method_takes_the_first_fit_sentences() -> None:
    document = random_document(11, 20)
    summary = summarize(document, sentences=4, method="lead")
    assert positions(document, summary) == [0, 1, 2, 3]
    assert summary.method == "lead"


# --------------------------------------------------------------------------- determinism


def test_same_output_twice_and_independent_of_what_ran_before(seed: Document) -> None:
    first = summarize(seed)
    for other in range(3):
        summarize(random_document(100 + other, 50), length="long")
    assert summarize(seed) == first


def test_irrelevant_metadata_does_not_change_the_choice() -> None:
    paragraphs = [[random_sentence(random.Random(i * 10 + j)) for j in range(4)] for i in range(6)]
    a = make_document(paragraphs, document_id="alpha")
    b = make_document(paragraphs, document_id="beta")
    texts_a = [s.text for s in summarize(a).sentences]
    texts_b = [s.text for s in summarize(b).sentences]
    assert texts_a == texts_b


def test_same_output_under_another_hash_seed(seed: Document) -> None:
    program = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from bot.core.loader import load_corpus\n"
        "from bot.core.summarize import summarize\n"
        "doc = load_corpus([Path(sys.argv[1])]).documents[0]\n"
        "print(json.dumps([[s.paragraph, s.index] for s in summarize(doc, length='long').sentences]))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", program, str(SEEDS)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    here = [[s.paragraph, s.index] for s in summarize(seed, length="long").sentences]
    assert json.loads(out.stdout) == here


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    size=st.integers(1, 60),
    length=st.sampled_from(LENGTHS),
    count=st.none() | st.integers(1, MAX_SENTENCES),
)
def test_any_document_gives_a_well_formed_summary(
    seed: int, size: int, length: str, count: int | None
) -> None:
    document = random_document(seed, size)
    summary = summarize(document, length=length, sentences=count)
    assert_well_formed(document, summary)
    n = sum(1 for _ in document.sentences)
    if count is not None:
        assert len(summary.sentences) == min(n, count)
    elif length in ("medium", "key_points"):
        assert min(n, 3) <= len(summary.sentences) <= 5
    elif length == "short":
        assert min(n, 1) <= len(summary.sentences) <= 2
    assert summarize(document, length=length, sentences=count) == summary


# --------------------------------------------------------------------------- long documents


def test_long_documents_are_summarised_from_every_chunk() -> None:
    # The first chunk repeats a few words (very central sentences); the rest shares little.
    rng = random.Random(9)
    texts = [
        " ".join(rng.choice(WORDS[:6]) for _ in range(8)).capitalize() + "."
        for _ in range(CHUNK_SENTENCES)
    ] + [random_sentence(rng) for _ in range(2 * CHUNK_SENTENCES)]
    document = make_document([texts[i : i + 5] for i in range(0, len(texts), 5)])
    where = positions(document, summarize(document, sentences=3))
    n = len(texts)
    thirds = {i * 3 // n for i in where}
    assert thirds == {0, 1, 2}


def test_chunk_boundaries_leave_no_trace_on_pacsum(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(4)
    texts = [random_sentence(rng) for _ in range(CHUNK_SENTENCES * 2 + 120)]
    chunked = rank_sentences(texts)
    monkeypatch.setattr(summarize_module, "CHUNK_SENTENCES", len(texts))
    whole = rank_sentences(texts)
    assert np.allclose(chunked, whole)


@pytest.mark.parametrize("method", ["pacsum", "lexrank"])
def test_sparse_and_dense_similarity_agree(monkeypatch: pytest.MonkeyPatch, method: Method) -> None:
    rng = random.Random(8)
    texts = [random_sentence(rng) for _ in range(CHUNK_SENTENCES + 40)]
    sparse = rank_sentences(texts, method=method)
    monkeypatch.setattr(centrality, "_MAX_PAIRS", 0)  # force the dense product
    assert np.allclose(sparse, rank_sentences(texts, method=method))


def test_long_documents_are_ranked_in_chunks_and_stay_well_formed() -> None:
    document = random_document(3, 2 * CHUNK_SENTENCES + 50, per_paragraph=5)
    texts = [s.text for s in document.sentences]
    scores = rank_sentences(texts)
    assert scores.shape == (len(texts),)
    assert np.isfinite(scores).all()
    summary = summarize(document, length="long")
    assert len(summary.sentences) == MAX_SENTENCES
    assert_well_formed(document, summary)


# --------------------------------------------------------------------------- the rankers


def naive_pacsum(
    sim: np.ndarray, lambda1: float, lambda2: float, beta: float, window: int | None
) -> np.ndarray:
    n = sim.shape[0]
    reach = n if window is None else window
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j and abs(i - j) <= reach]
    off = [sim[i, j] for i, j in pairs]
    threshold = min(off) + beta * (max(off) - min(off))
    scores = np.zeros(n)
    for i, j in pairs:
        edge = max(0.0, sim[i, j] - threshold)
        scores[i] += (lambda1 if j < i else lambda2) * edge
    return scores


@pytest.mark.parametrize("beta", [0.0, 0.3])
@pytest.mark.parametrize("window", [None, 1, 3])
def test_pacsum_matches_a_naive_reference(beta: float, window: int | None) -> None:
    rng = np.random.default_rng(5)
    raw = rng.random((9, 9))
    sim = (raw + raw.T) / 2
    np.fill_diagonal(sim, 1.0)
    fast = pacsum_scores(sim, lambda1=-1.5, lambda2=1.0, beta=beta, window=window)
    assert np.allclose(fast, naive_pacsum(sim, -1.5, 1.0, beta, window))


def test_lexrank_is_a_distribution_with_the_hub_on_top() -> None:
    # A star: sentence 0 resembles every other one, the others resemble only it.
    n = 6
    sim = np.eye(n)
    sim[0, 1:] = sim[1:, 0] = 0.5
    scores = lexrank_scores(sim)
    assert scores.sum() == pytest.approx(1.0)
    assert scores.argmax() == 0
    assert np.allclose(scores[1:], scores[1])


def test_lexrank_handles_isolated_sentences() -> None:
    scores = lexrank_scores(np.eye(4))
    assert np.allclose(scores, 0.25)


# ---------------------------------------------------------------- headings are not summary lines


@pytest.mark.parametrize(
    ("text", "alone"),
    [
        ("CHAPTER 42.", False),
        ("Chapter XVIII", True),
        ("I. THE FOLIO WHALE; II.", False),
        ("THE EXODUS FROM LONDON", True),
        ("The Whiteness of The Whale.", True),
        ("A Squeeze of the Hand.", True),
        ("Stubb and Flask Kill a Right Whale; and Then Have a Talk Over Him.", True),
    ],
)
def test_heading_like_sentences_are_recognised(text: str, alone: bool) -> None:
    assert summarize_module.is_heading(text, alone=alone)


@pytest.mark.parametrize(
    ("text", "alone"),
    [
        ("Stubb was the second mate.", True),
        ("It was Lady Catherine de Bourgh.", True),
        ("The Whiteness of The Whale.", False),  # title case inside prose is not a heading
        ('"There She Blows, Right Ahead of Us!"', True),
        ("But WHAT is this lesson that the book of Jonah teaches?", True),
    ],
)
def test_prose_is_not_a_heading(text: str, alone: bool) -> None:
    assert not summarize_module.is_heading(text, alone=alone)


def _novel() -> Document:
    prose = [
        "The whale rose beside the ship and the sailors watched the whale in silence.",
        "Ahab stood at the rail and cursed the whale that had taken his leg long ago.",
        "The whale dived again, and the sea closed over the white back of the whale.",
        "Starbuck feared the whale less than he feared the madness of the old captain.",
    ]
    blocks = []
    for number, title in enumerate(
        ["The Whiteness of The Whale", "A Squeeze of the Hand", "The Chase of the Whale"], 1
    ):
        blocks.append(f"CHAPTER {number}. {title}.")
        blocks.append(f"{'ABC'[number - 1]}. THE WHALE OF THE SHIP; {'III'[:number]}.")
        blocks.extend(prose[number - 1 :])
    return parse_document("A Whale Book\n\n" + "\n\n".join(blocks) + "\n", document_id="w")


@pytest.mark.parametrize("count", [1, 3, 4])
def test_summaries_do_not_choose_chapter_headings(count: int) -> None:
    document = _novel()
    # The chapter headings are sections now, not paragraphs; the lettered lines stay text.
    assert document.sections[0].title == "Chapter 1. The Whiteness of The Whale."
    assert not any("Whiteness" in s.text for s in document.sentences)
    assert any("THE WHALE OF THE SHIP" in s.text for s in document.sentences)
    chosen = [s.text for s in summarize(document, sentences=count).sentences]
    assert len(chosen) == count
    for text in chosen:
        assert not summarize_module.is_heading(text, alone=True), text
        assert "CHAPTER" not in text
        assert "THE WHALE OF THE SHIP" not in text
