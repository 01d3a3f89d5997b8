"""The search index through the store (``index/<key>/``): loaded memory-mapped when the corpus
is as recorded, else built and saved (see :meth:`SearchIndex.save`)."""

from __future__ import annotations

import functools
import time

from bot.core.models import Corpus
from bot.core.search import IndexFileError, SearchIndex
from bot.core.store._disk import Disk, Progress, code_version, key

__all__ = ["index_of"]


def index_of(disk: Disk, corpus: Corpus, progress: Progress | None) -> tuple[SearchIndex, str]:
    """The index of ``corpus`` and its key in the store (``report.index_from_store`` set)."""
    started = time.perf_counter()
    index_key = key(code_version(), SearchIndex.fingerprint(corpus))
    index = _stored(disk, index_key, corpus)
    if index is None:
        reported = None
        if progress is not None:
            reported = functools.partial(progress, "indexing")
        index = SearchIndex.build(corpus, progress=reported)
        _save(disk, index_key, index)
    else:
        disk.report.index_from_store = True
    disk.report.timings["index"] = time.perf_counter() - started
    return index, index_key


def _stored(disk: Disk, index_key: str, corpus: Corpus) -> SearchIndex | None:
    if disk.folder is None:
        return None
    try:
        return SearchIndex.load(disk.folder / "index" / index_key, corpus, mmap=True)
    except IndexFileError as error:
        if error.reason == "damaged":
            disk.damaged(str(error))
        return None


def _save(disk: Disk, index_key: str, index: SearchIndex) -> None:
    if disk.folder is None or disk.report.write_error is not None:
        return
    folder = disk.folder / "index" / index_key
    try:
        index.save(folder)
    except OSError as error:
        disk.write_failed(folder.parent, error)
