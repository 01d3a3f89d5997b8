"""Documents from the corpus store keep their paragraphs on disk until a command uses them;
whole-document summaries are computed on first use and kept in the store."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from bot.core.loader import load_corpus
from bot.core.store import CorpusStore, lazy
from tests.core.test_store import _write


@pytest.fixture
def corpus_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, word in (("ahab", "grey"), ("bligh", "green"), ("cook", "golden")):
        _write(folder, name, word)
    return folder


def _restart(folder: Path, store: Path) -> CorpusStore:
    first = CorpusStore(store)
    first.library(first.read([folder]))  # the first start
    return CorpusStore(store)


def test_a_restart_decodes_no_body_yet_counts_and_paragraphs_are_as_loaded(
    corpus_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_corpus([corpus_folder])
    corpus_store = _restart(corpus_folder, tmp_path / "store")
    decoded: list[str] = []
    real = lazy.decode_paragraphs
    monkeypatch.setattr(lazy, "decode_paragraphs", lambda p, h: decoded.append(h) or real(p, h))
    corpus = corpus_store.read([corpus_folder])
    assert decoded == []  # reading the corpus back read no document's body
    assert [d.texts() for d in corpus] == [[p.text for p in d.paragraphs] for d in fresh]
    assert decoded == []  # the texts alone (what the index reads) build no sentences
    for stored, loaded in zip(corpus, fresh, strict=True):
        assert len(stored.paragraphs) == len(loaded.paragraphs)
        assert stored.word_count == loaded.word_count > 0
        assert stored.sentence_count == sum(len(p.sentences) for p in loaded.paragraphs)
        assert stored.sections == loaded.sections
        assert decoded == [] or len(decoded) < 3
        assert stored == loaded  # compared paragraph by paragraph: now decoded
    assert len(decoded) == 3


def test_decoded_bodies_are_kept_within_a_bound(
    corpus_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus_store = _restart(corpus_folder, tmp_path / "store")
    corpus = corpus_store.read([corpus_folder])
    monkeypatch.setattr(lazy, "DECODED_CHARS", 1)
    texts = [[p.text for p in document.paragraphs] for document in corpus]
    assert len(lazy._decoded) == 1  # the last one only
    assert [[p.text for p in document.paragraphs] for document in corpus] == texts


def test_a_record_deleted_after_loading_still_serves_its_document(
    corpus_folder: Path, tmp_path: Path
) -> None:
    """Another process's clean-up may delete a record a running bot loaded: its map keeps it."""
    store = tmp_path / "store"
    corpus_store = _restart(corpus_folder, store)
    corpus = corpus_store.read([corpus_folder])
    for record in (store / "documents").glob("*.rec"):
        record.unlink()
    assert corpus.documents == load_corpus([corpus_folder]).documents


def test_a_stored_document_crosses_to_another_process_whole(
    corpus_folder: Path, tmp_path: Path
) -> None:
    corpus_store = _restart(corpus_folder, tmp_path / "store")
    document = corpus_store.read([corpus_folder]).documents[0]
    copy = pickle.loads(pickle.dumps(document))
    assert isinstance(copy.paragraphs, tuple)
    assert copy == document


def test_a_summary_is_computed_on_first_use_and_kept_for_the_next_start(
    corpus_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.core.library import _library

    made: list[str] = []
    real = _library.summarize_document
    monkeypatch.setattr(
        _library,
        "summarize_document",
        lambda document, **options: made.append(document.id) or real(document, **options),
    )
    store = tmp_path / "store"
    first = CorpusStore(store)
    library = first.library(first.read([corpus_folder]))
    assert made == []  # a first start derives quotes, not summaries
    summary, _ = library.summary("bligh")
    assert made == ["bligh"]
    assert library.summary("bligh")[0] == summary
    assert made == ["bligh"]
    again = CorpusStore(store)
    restarted = again.library(again.read([corpus_folder]))
    assert restarted.summary("bligh")[0] == summary
    assert made == ["bligh"]  # from the store
    assert again.report.derived_from_store == 3
    assert not again.report.damaged
    restarted.summary("cook")
    assert made == ["bligh", "cook"]


def _library_of(folder: Path, count: int) -> None:
    """``count`` documents of different text (so none is another's duplicate)."""
    import random

    words = [
        "harbour",
        "whale",
        "lantern",
        "quay",
        "anchor",
        "tide",
        "compass",
        "gull",
        "rope",
        "mast",
        "sail",
        "reef",
    ]
    for number in range(count):
        rng = random.Random(number)
        paragraphs = [
            " ".join(rng.choice(words) for _ in range(30)).capitalize() + "." for _ in range(6)
        ]
        (folder / f"log-{number}.txt").write_text(
            f"Ship's Log {number}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8"
        )


def test_a_changed_file_reads_no_other_document_body(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Duplicate detection and the index update use what the store kept of the others (before,
    a changed file cost a pass over every document's words)."""
    folder, store = tmp_path / "corpus", tmp_path / "store"
    folder.mkdir()
    _library_of(folder, 12)
    _restart(folder, store)
    with (folder / "log-3.txt").open("a", encoding="utf-8") as handle:
        handle.write("\nThe amber lighthouse blinked twice over the northern reef.\n")
    decoded: list[str] = []
    real = lazy.decode_paragraphs
    monkeypatch.setattr(
        lazy, "decode_paragraphs", lambda p, h: decoded.append(h.document.id) or real(p, h)
    )
    corpus_store = CorpusStore(store)
    library = corpus_store.library(corpus_store.read([folder]))
    assert corpus_store.report.documents_parsed == 1
    # the changed one, and the three the index load spot-checks (first, middle, last)
    assert len(set(decoded) - {"log-3"}) <= 3
    hit = library.search("amber lighthouse blinked", threshold=50)[0]
    assert hit.passage.document_id == "log-3"
