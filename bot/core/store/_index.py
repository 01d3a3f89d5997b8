"""The search index through the store (``index/<key>/``): loaded memory-mapped when the corpus
is as recorded, else built and saved (see :meth:`SearchIndex.save`).

The key is made from the documents' own store keys (each a hash of the parsed document and the
code version) in corpus order, so it vouches for every paragraph without reading one: a restart
loads the saved index with its checksums and a spot check, never a pass over the corpus.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Mapping

from bot.core.models import Corpus
from bot.core.search import IndexFileError, SearchIndex
from bot.core.store._disk import Disk, Progress, code_version, key

__all__ = ["index_key", "index_of"]


def index_key(corpus: Corpus, keys: Mapping[str, str]) -> str:
    """The store key of ``corpus``'s index: of the code version and every document's id and
    store key in corpus order (a document without a key is fingerprinted by its paragraphs)."""
    if all(document.id in keys for document in corpus):
        listed = json.dumps([[document.id, keys[document.id]] for document in corpus])
        return key(code_version(), "search-index", listed)
    return key(code_version(), SearchIndex.fingerprint(corpus))


def index_of(
    disk: Disk, corpus: Corpus, keys: Mapping[str, str], progress: Progress | None
) -> tuple[SearchIndex, str]:
    """The index of ``corpus`` (documents keyed by ``keys``: id -> store key) and its key in the
    store (``report.index_from_store`` set)."""
    started = time.perf_counter()
    stored_key = index_key(corpus, keys)
    index = _stored(disk, stored_key, corpus)
    if index is None:
        reported = None
        if progress is not None:
            reported = functools.partial(progress, "indexing")
        index = SearchIndex.build(corpus, progress=reported)
        _save(disk, stored_key, index)
    else:
        disk.report.index_from_store = True
    disk.report.timings["index"] = time.perf_counter() - started
    return index, stored_key


def _stored(disk: Disk, stored_key: str, corpus: Corpus) -> SearchIndex | None:
    if disk.folder is None:
        return None
    folder = disk.folder / "index" / stored_key
    try:
        return SearchIndex.load(folder, corpus, mmap=True, fingerprint=stored_key)
    except IndexFileError as error:
        if error.reason == "damaged":
            disk.damaged(str(error))
        return None


def _save(disk: Disk, stored_key: str, index: SearchIndex) -> None:
    if disk.folder is None or disk.report.write_error is not None:
        return
    folder = disk.folder / "index" / stored_key
    try:
        index.save(folder, fingerprint=stored_key)
    except OSError as error:
        disk.write_failed(folder.parent, error)
