"""The corpus store stays the size of the corpus in use: what a newer load replaced goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import store as store_package
from bot.core.store import CorpusStore, StoreReport


def _load(folder: Path, store: Path) -> StoreReport:
    corpus_store = CorpusStore(store)
    corpus_store.library(corpus_store.read([folder]))
    return corpus_store.report


def _count(store: Path) -> dict[str, int]:
    return {
        "corpora": len(list((store / "corpora").glob("*.rec"))),
        "files": len(list((store / "files").glob("*.rec"))),
        "documents": len(list((store / "documents").glob("*.rec"))),
        "derived": len(list((store / "derived").glob("*.rec"))),
        "index": len(list((store / "index").iterdir())),
    }


def test_a_new_code_version_replaces_the_old_versions_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, line in (("harbour", "The gulls were loud."), ("orchard", "The apples fell.")):
        (folder / f"{name}.txt").write_text(f"{name.title()}\n\n{line} It rained.\n", "utf-8")
    store = tmp_path / "store"
    _load(folder, store)
    assert _count(store) == {"corpora": 1, "files": 2, "documents": 2, "derived": 2, "index": 1}
    for module in (store_package.corpus, store_package._files, store_package._index):
        monkeypatch.setattr(module, "code_version", lambda: "a-newer-version")
    report = _load(folder, store)
    assert (report.documents_parsed, report.derived_built) == (2, 2)  # nothing reused
    assert _count(store) == {"corpora": 1, "files": 2, "documents": 2, "derived": 2, "index": 1}
    report = _load(folder, store)
    assert (report.documents_from_store, report.derived_from_store) == (2, 2)
    assert report.index_from_store
