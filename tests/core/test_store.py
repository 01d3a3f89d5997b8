"""The corpus store: restart from it, incremental rebuilds, and every kind of damaged file."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from bot.core import store as store_package
from bot.core.library import Library
from bot.core.loader import load_corpus
from bot.core.models import Corpus
from bot.core.store import CorpusStore, StoreReport
from bot.core.store.corpus import GRACE_SECONDS
from bot.core.store.records import encode_record, read_record

ROOT = Path(__file__).resolve().parents[2]

STORY = """{title}

By {author}

“I shall never forget the harbour at dawn,” said Captain {author}. The gulls were loud that day.

The ship left at noon. {line} Nobody on the quay said a word, and the bells rang over the water.

“A {word} sea makes a patient sailor,” said the old pilot, watching the {word} waves come in.

{own}
"""

#: Text of each document's own (so the loader never takes two of them for duplicates).
OWN = {
    "ahab": "The whale rose beside the boat, and the harpooner froze with his iron raised. "
    "Three days they chased it across the southern ocean, losing two boats and a mast.",
    "bligh": "The breadfruit plants filled the great cabin, watered before the men drank. "
    "After the mutiny the launch sailed four thousand miles to Timor with eighteen souls.",
    "cook": "The astronomers set up their tents on the beach to watch Venus cross the sun. "
    "Later the ship struck the reef, and they threw the cannon overboard to float her off.",
    "drake": "Treasure from the Spanish ships weighed the hull down to the waterline. "
    "The fleet came home round the Cape of Good Hope, the first to sail the whole globe.",
}


def _write(folder: Path, name: str, word: str) -> Path:
    path = folder / f"{name}.txt"
    path.write_text(
        STORY.format(
            title=f"The {word.title()} Voyage",
            author=name.title(),
            word=word,
            line=f"Courage is the {word} habit of doing what frightens you.",
            own=OWN[name],
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def corpus_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, word in (("ahab", "grey"), ("bligh", "green"), ("cook", "golden")):
        _write(folder, name, word)
    return folder


def _load(folder: Path, store: Path | None) -> tuple[Library, StoreReport]:
    corpus_store = CorpusStore(store)
    corpus = corpus_store.read([folder])
    return corpus_store.library(corpus), corpus_store.report


def _answers(library: Library) -> object:
    """What the commands would answer, as plain values (for comparing two libraries)."""
    hits = library.search("courage habit frightens", limit=3, threshold=50)
    return (
        [(d.id, d.title, [p.text for p in d.paragraphs], d.sections) for d in library.corpus],
        [(h.passage.document_id, h.passage.paragraph, h.score) for h in hits],
        [(q.text, q.speaker, q.score, q.sentence) for q in library.quotes.ranked()],
        library.quotes.speakers("", 100),
        [library.summary(d.id)[0] for d in library.corpus],
        library.quote(rng=random.Random(3))[0],
    )


def test_a_restart_reads_everything_from_the_store_and_answers_the_same(
    corpus_folder: Path, tmp_path: Path
) -> None:
    fresh = Library.build(load_corpus([corpus_folder]))
    first, report = _load(corpus_folder, tmp_path / "store")
    assert (report.documents_parsed, report.derived_built, report.index_from_store) == (3, 3, False)
    second, report = _load(corpus_folder, tmp_path / "store")
    assert report.documents_from_store == 3
    assert report.documents_parsed == 0
    assert report.derived_from_store == 3
    assert report.derived_built == 0
    assert report.index_from_store
    assert not report.damaged
    assert _answers(first) == _answers(fresh) == _answers(second)


def test_the_store_keys_the_index_by_the_documents_keys_not_their_paragraphs(
    corpus_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index's store key comes from the documents' store keys (content hashes), so neither
    saving nor loading it fingerprints the corpus paragraph by paragraph."""
    from bot.core.search import _store as saved_index

    def refuse(*args: object) -> str:
        raise AssertionError("the corpus was fingerprinted paragraph by paragraph")

    store = tmp_path / "store"
    monkeypatch.setattr(saved_index, "corpus_fingerprint", refuse)
    first, report = _load(corpus_folder, store)
    assert not report.index_from_store
    second, report = _load(corpus_folder, store)
    assert report.index_from_store
    monkeypatch.undo()
    assert (
        _answers(first) == _answers(second) == _answers(Library.build(load_corpus([corpus_folder])))
    )


def test_no_store_folder_builds_in_memory(corpus_folder: Path) -> None:
    library, report = _load(corpus_folder, None)
    assert report.documents_parsed == 3
    assert report.folder is None
    assert _answers(library) == _answers(Library.build(load_corpus([corpus_folder])))


def test_a_changed_added_or_removed_file_costs_only_that_file(
    corpus_folder: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    _load(corpus_folder, store)
    _write(corpus_folder, "bligh", "silver")  # changed
    library, report = _load(corpus_folder, store)
    assert (report.documents_from_store, report.documents_parsed) == (2, 1)
    assert (report.derived_from_store, report.derived_built, report.index_from_store) == (
        2,
        1,
        False,
    )
    assert _answers(library) == _answers(Library.build(load_corpus([corpus_folder])))
    assert library.corpus.get("bligh") is not None
    assert "silver" in library.corpus.get("bligh").title.lower()  # type: ignore[union-attr]
    _write(corpus_folder, "drake", "blue")  # added
    library, report = _load(corpus_folder, store)
    assert (report.documents_from_store, report.documents_parsed) == (3, 1)
    assert (report.derived_from_store, report.derived_built) == (3, 1)
    assert len(library.corpus) == 4
    (corpus_folder / "ahab.txt").unlink()  # removed
    library, report = _load(corpus_folder, store)
    assert (report.documents_from_store, report.documents_parsed) == (3, 0)
    assert (report.derived_from_store, report.derived_built) == (3, 0)
    assert [d.id for d in library.corpus] == ["bligh", "cook", "drake"]
    assert _answers(library) == _answers(Library.build(load_corpus([corpus_folder])))


def test_a_changed_file_is_indexed_alone_and_joined_to_the_saved_index(
    corpus_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changed and added documents are indexed into a delta beside the saved index (whose old
    versions are masked), the delta is saved too, and the answers stay a fresh build's; once the
    delta outgrows its share, the whole corpus is indexed again."""
    from bot.core.search import SearchIndex
    from bot.core.store import _index as store_index

    def refuse(*args: object, **kwargs: object) -> SearchIndex:
        raise AssertionError("the index was built")

    monkeypatch.setattr(store_index, "MERGE_SHARE", 0.9)  # three small files: any change is big
    store = tmp_path / "store"
    _load(corpus_folder, store)
    _write(corpus_folder, "bligh", "silver")  # changed
    _write(corpus_folder, "drake", "blue")  # added
    expected = _answers(Library.build(load_corpus([corpus_folder])))
    library, report = _load(corpus_folder, store)
    assert (report.index_from_store, report.index_documents) == (True, 2)
    assert _answers(library) == expected
    assert len(list((store / "index").glob("*.*/meta.json"))) == 1  # the delta, beside its base
    with monkeypatch.context() as patched:
        patched.setattr(SearchIndex, "build", refuse)
        library, report = _load(corpus_folder, store)  # base and delta from the store
    assert (report.index_from_store, report.index_documents) == (True, 0)
    assert _answers(library) == expected
    (corpus_folder / "ahab.txt").unlink()  # removed: masked, nothing to index
    expected = _answers(Library.build(load_corpus([corpus_folder])))
    library, report = _load(corpus_folder, store)
    assert report.index_from_store
    assert _answers(library) == expected
    assert "ahab" not in {h.passage.document_id for h in library.search("harbour dawn gulls")}
    monkeypatch.setattr(store_index, "MERGE_SHARE", 0.1)  # the delta is now too large: merged
    library, report = _load(corpus_folder, store)
    assert (report.index_from_store, report.index_documents) == (False, 3)
    assert _answers(library) == expected
    assert len(list((store / "index").glob("*/meta.json"))) == 1  # the old base and delta went


@pytest.mark.parametrize("damage", ["missing", "zero bytes", "truncated", "corrupted"])
@pytest.mark.parametrize("part", ["delta", "base"])
def test_a_damaged_delta_or_base_is_logged_and_rebuilt(
    damage: str,
    part: str,
    corpus_folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot.core.store import _index as store_index

    monkeypatch.setattr(store_index, "MERGE_SHARE", 0.9)
    store = tmp_path / "store"
    _load(corpus_folder, store)
    _write(corpus_folder, "drake", "blue")  # added: indexed into a delta
    expected = _answers(_load(corpus_folder, store)[0])
    pattern = "*.*/texts.npy" if part == "delta" else "*/texts.npy"
    [target] = [
        p for p in (store / "index").glob(pattern) if (part == "delta") == ("." in p.parent.name)
    ]
    DAMAGE[damage](target)
    library, report = _load(corpus_folder, store)
    assert _answers(library) == expected
    if damage != "missing":
        assert report.damaged
        assert str(target.parent) in report.damaged[0]
        assert "it is rebuilt" in caplog.text
    # the delta alone is rebuilt beside its base; a damaged base means the whole index
    assert (report.index_from_store, report.index_documents) == (
        (True, 1) if part == "delta" else (False, 4)
    )
    _, report = _load(corpus_folder, store)
    assert report.index_from_store
    assert not report.damaged


@pytest.mark.parametrize("craft", ["grams no list holds", "not matching keys"])
def test_a_base_whose_keys_do_not_fit_its_lists_is_rebuilt_not_joined(
    craft: str,
    corpus_folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A crafted base (valid checksums) whose matching keys of a changed document hold q-grams
    its posting lists lack cannot be masked exactly: it is reported and the index rebuilt."""
    import zlib

    import numpy as np

    from bot.core.store import _index as store_index

    monkeypatch.setattr(store_index, "MERGE_SHARE", 0.9)
    store = tmp_path / "store"
    _load(corpus_folder, store)
    [base] = (store / "index").glob("*/meta.json")
    meta = json.loads(base.read_text(encoding="utf-8"))
    number = [d[0] for d in meta["documents"]].index("bligh")
    doc, offsets = np.load(base.parent / "doc.npy"), np.load(base.parent / "key_offsets.npy")
    keys = np.load(base.parent / "keys.npy")
    first, stop = np.flatnonzero(doc == number)[[0, -1]]
    keys[offsets[first] : offsets[stop + 1]] = ord("q")  # "qqqq…": grams no list holds
    if craft == "not matching keys":
        keys[offsets[first + 1 : stop + 1] - 1] = ord(" ")  # keys ending in a space
    np.save(base.parent / "keys.npy", keys, allow_pickle=False)
    data = (base.parent / "keys.npy").read_bytes()
    meta["arrays"]["keys"].update(bytes=len(data), crc32=f"{zlib.crc32(data):08x}")
    base.write_text(json.dumps(meta), encoding="utf-8")
    _write(corpus_folder, "bligh", "silver")  # its old passages are masked in the base
    library, report = _load(corpus_folder, store)
    assert (report.index_from_store, report.index_documents) == (False, 3)
    assert str(base.parent) in report.damaged[0]
    assert "it is rebuilt" in caplog.text
    assert _answers(library) == _answers(Library.build(load_corpus([corpus_folder])))


def test_ids_taken_by_another_file_stay_as_a_fresh_load_gives_them(
    corpus_folder: Path, tmp_path: Path
) -> None:
    """Two files asking for one id: the later gets "-2" whichever of them was read again."""
    store = tmp_path / "store"
    for name in ("ahab", "bligh"):
        text = (corpus_folder / f"{name}.txt").read_text(encoding="utf-8")
        (corpus_folder / f"{name}.txt").write_text(f"---\nid: voyage\n---\n{text}", "utf-8")
    first, _ = _load(corpus_folder, store)
    assert [d.id for d in first.corpus] == ["voyage", "voyage-2", "cook"]
    _write(corpus_folder, "ahab", "silver")  # no longer asks for the id: bligh's file gets it
    library, report = _load(corpus_folder, store)
    assert report.documents_parsed == 1
    fresh = Library.build(load_corpus([corpus_folder]))
    assert [d.id for d in library.corpus] == [d.id for d in fresh.corpus]
    assert library.corpus.problems == fresh.corpus.problems
    assert _answers(library) == _answers(fresh)


def test_the_store_keeps_only_what_recent_corpora_use(
    corpus_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_package.corpus, "GRACE_SECONDS", 0.0)
    store = tmp_path / "store"
    _load(corpus_folder, store)
    for word in ("red", "amber", "violet"):
        _write(corpus_folder, "cook", word)
        _load(corpus_folder, store)
    assert len(list((store / "documents").glob("*.rec"))) == 3
    assert len(list((store / "derived").glob("*.rec"))) == 3
    assert len(list((store / "index").glob("*/meta.json"))) == 1
    assert GRACE_SECONDS > 60  # by default another process's fresh files are left alone


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x20
    path.write_bytes(bytes(data))


def _tamper(path: Path) -> None:
    """Valid header and checksum, content that breaks the model (an offset out of range)."""
    kind = path.read_bytes().split(b" ", 3)[2].decode()
    payload = read_record(path, kind)
    if kind in ("document", "derived"):  # a head line, then the body
        head, body = payload.split(b"\n", 1)
        record = json.loads(body)
        if kind == "document":  # its first sentence out of range
            record["sentences"][0] = [0, 10**9]
        else:  # a quote of a paragraph the document does not have
            record["quotes"] = [[10**6, 0, 0, 5, "Words", None, None, 0.5, False]]
        path.write_bytes(encode_record(kind, head + b"\n" + json.dumps(record).encode()))
        return
    record = json.loads(payload)
    if "explicit" in record:
        record["id"] = "someone-else"
    else:
        record["documents"] = [[1, 2, 3, 4]]  # an entry is [id, key, path]
    path.write_bytes(encode_record(kind, json.dumps(record).encode()))


DAMAGE = {
    "missing": lambda p: p.unlink(),
    "zero bytes": lambda p: p.write_bytes(b""),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    "corrupted": _flip,
    "not a store file": lambda p: p.write_bytes(b"\x80\x04\x95 pickle?"),
    "another format": lambda p: p.write_bytes(p.read_bytes().replace(b" 1 ", b" 9 ", 1)),
}


@pytest.mark.parametrize("kind", ["corpora", "documents", "derived"])
@pytest.mark.parametrize("damage", [*DAMAGE, "tampered"])
def test_a_damaged_store_file_is_logged_and_rebuilt_never_wrong(
    kind: str,
    damage: str,
    corpus_folder: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = tmp_path / "store"
    expected = _answers(_load(corpus_folder, store)[0])
    folder, pattern = {
        "corpora": ("corpora", "*.rec"),
        "documents": ("documents", "*.rec"),
        "derived": ("derived", "*.rec"),
    }[kind]
    target = sorted((store / folder).glob(pattern))[0]
    if damage == "tampered":
        _tamper(target)
    else:
        DAMAGE[damage](target)
    library, report = _load(corpus_folder, store)
    assert _answers(library) == expected
    if damage != "missing":
        assert report.damaged
        assert str(target) in report.damaged[0]
        assert "it is rebuilt" in caplog.text
    repaired, report = _load(corpus_folder, store)  # rebuilt: the next start is clean
    assert not report.damaged
    assert report.index_from_store
    assert report.documents_from_store == 3
    assert report.derived_from_store == 3
    assert _answers(repaired) == expected


@pytest.mark.parametrize("damage", [*DAMAGE, "tampered"])
def test_a_damaged_file_record_costs_a_reading_of_that_file_only(
    damage: str, corpus_folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A file record is read when another file changed (the corpus record no longer fits)."""
    store = tmp_path / "store"
    _load(corpus_folder, store)
    [ahab] = [
        path
        for path in (store / "files").glob("*.rec")
        if json.loads(read_record(path, "file"))["id"] == "ahab"
    ]
    if damage == "tampered":
        _tamper(ahab)
    else:
        DAMAGE[damage](ahab)
    _write(corpus_folder, "cook", "silver")  # so the files are looked up one by one
    library, report = _load(corpus_folder, store)
    assert report.documents_parsed == 2  # cook's change, and ahab's record rebuilt
    assert report.documents_from_store == 1
    assert _answers(library) == _answers(Library.build(load_corpus([corpus_folder])))
    if damage != "missing":
        assert str(ahab) in report.damaged[0]
        assert "it is rebuilt" in caplog.text


@pytest.mark.parametrize("damage", ["missing", "zero bytes", "truncated", "corrupted"])
def test_a_damaged_index_array_is_logged_and_rebuilt(
    damage: str, corpus_folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """(The index's own format and its finer damage are tested in tests/bot/test_index_cache.py.)"""
    store = tmp_path / "store"
    expected = _answers(_load(corpus_folder, store)[0])
    target = sorted((store / "index").glob("*/gaps.npy"))[0]  # the posting lists
    DAMAGE[damage](target)
    library, report = _load(corpus_folder, store)
    assert _answers(library) == expected
    assert not report.index_from_store
    assert report.damaged
    assert "it is rebuilt" in caplog.text
    assert ".;" not in caplog.text  # one sentence, not "… (checksum mismatch).; it is …"
    _, report = _load(corpus_folder, store)
    assert report.index_from_store
    assert not report.damaged


def test_an_unwritable_store_folder_only_costs_time(
    corpus_folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    library, report = _load(corpus_folder, blocker / "store")
    assert report.write_error is not None
    assert "cannot write" in caplog.text
    assert _answers(library) == _answers(Library.build(load_corpus([corpus_folder])))


def test_documents_are_read_and_derived_in_worker_processes(
    corpus_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_package.corpus, "POOL_MIN_CHARS", 0)
    monkeypatch.setattr(store_package.corpus, "DERIVE_POOL_MIN_CHARS", 0)
    started: list[int] = []
    real_pool = store_package.corpus.worker_pool

    def pool(workers: int) -> object:
        started.append(workers)
        return real_pool(workers)

    monkeypatch.setattr(store_package.corpus, "worker_pool", pool)
    corpus_store = CorpusStore(tmp_path / "store", workers=2)
    library = corpus_store.library(corpus_store.read([corpus_folder]))
    assert started == [2]  # one pool of two processes, for reading and for deriving
    assert corpus_store.report.documents_parsed == 3
    assert corpus_store.report.derived_built == 3
    assert _answers(library) == _answers(Library.build(load_corpus([corpus_folder])))


def test_a_named_pipe_in_the_corpus_folder_is_reported_not_waited_on(tmp_path: Path) -> None:
    """Hashing the folder for the store must not open a pipe (that blocks until a writer comes)."""
    import os
    import threading

    folder = tmp_path / "corpus"
    folder.mkdir()
    _write(folder, "ahab", "grey")
    os.mkfifo(folder / "pipe.txt")
    result: list[Corpus] = []
    worker = threading.Thread(
        target=lambda: result.append(CorpusStore(tmp_path / "store").read([folder])), daemon=True
    )
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # unblock the reader so the test process can end
        with open(folder / "pipe.txt", "wb"):
            pass
        pytest.fail("reading the corpus hung on a named pipe")
    [corpus] = result
    assert [d.id for d in corpus.documents] == ["ahab"]
    assert any(
        p.path.endswith("pipe.txt") and "not a regular file" in p.reason for p in corpus.problems
    )


def test_a_document_record_gone_before_a_worker_reads_it_is_derived_here(
    corpus_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_package.corpus, "DERIVE_POOL_MIN_CHARS", 0)
    store = tmp_path / "store"
    corpus_store = CorpusStore(store, workers=2)
    corpus = corpus_store.read([corpus_folder])
    for record in (store / "documents").glob("*.rec"):
        record.unlink()  # the workers derive from these records: now they must not be used
    library = corpus_store.library(corpus)
    assert corpus_store.report.derived_built == 3
    assert _answers(library) == _answers(Library.build(load_corpus([corpus_folder])))
    assert len(list((store / "derived").glob("*.rec"))) == 3
