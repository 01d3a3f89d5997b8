"""The vectorised TF-IDF rows and the cached PacSum masks give, bit for bit, what the plain
per-sentence computation gives (summaries must not change with the speed-ups)."""

from __future__ import annotations

import random

import numpy as np

from bot.core.centrality import _pacsum_rows, _terms, _Vectors, pacsum_scores


def _reference_rows(texts: list[str]) -> list[tuple[list[int], list[float]]]:
    """TF-IDF rows one sentence at a time (the computation before it was vectorised)."""
    vocabulary: dict[str, int] = {}
    rows: list[dict[int, int]] = []
    for text in texts:
        counts: dict[int, int] = {}
        for term in _terms(text):
            tid = vocabulary.setdefault(term, len(vocabulary))
            counts[tid] = counts.get(tid, 0) + 1
        rows.append(counts)
    df = np.zeros(len(vocabulary), dtype=np.float64)
    for counts in rows:
        for tid in counts:
            df[tid] += 1.0
    idf = np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0
    out = []
    for counts in rows:
        ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        weights = np.fromiter(counts.values(), dtype=np.float64, count=len(counts)) * idf[ids]
        norm = float(np.sqrt((weights * weights).sum()))
        out.append((ids.tolist(), (weights / norm if norm > 0 else weights).tolist()))
    return out


def test_rows_are_the_per_sentence_rows_bit_for_bit() -> None:
    rng = random.Random(3)
    vocabulary = [f"word{i}" for i in range(60)] + ["the", "of", "ships", "ship's", "a"]
    texts = [
        " ".join(rng.choice(vocabulary) for _ in range(rng.choice([0, 1, 3, 8, 9, 20, 40])))
        for _ in range(400)
    ]
    vectors = _Vectors(texts)
    for i, (ids, weights) in enumerate(_reference_rows(texts)):
        got_ids, got_weights = vectors._row(i)
        assert got_ids.tolist() == ids
        assert got_weights.tolist() == weights  # exact floats


def test_pacsum_with_a_window_is_the_formula() -> None:
    rng = np.random.default_rng(5)
    for n, window in ((2, None), (9, 3), (40, 150), (40, 7)):
        sim = rng.random((n, n))
        sim = (sim + sim.T) / 2
        offsets = np.subtract.outer(np.arange(n), np.arange(n))
        linked = (offsets != 0) & (True if window is None else np.abs(offsets) <= window)
        low = sim[linked].min()  # the threshold with beta = 0
        edges = np.where(linked, np.maximum(sim - low, 0.0), 0.0)
        expected = -2.0 * np.where(offsets > 0, edges, 0.0).sum(axis=1) + np.where(
            offsets < 0, edges, 0.0
        ).sum(axis=1)
        for _ in range(2):  # the second call uses the cached masks
            assert pacsum_scores(sim, window=window).tolist() == expected.tolist()


def test_some_rows_of_pacsum_are_those_rows_of_the_whole() -> None:
    rng = np.random.default_rng(6)
    for n, first, last in ((1, 0, 1), (12, 3, 9), (60, 0, 60), (61, 40, 61)):
        sim = rng.random((n, n))
        sim = (sim + sim.T) / 2
        whole = pacsum_scores(sim, window=20)
        part = _pacsum_rows(sim, -2.0, 1.0, 0.0, 20, first, last)
        assert part.tolist() == whole[first:last].tolist()
