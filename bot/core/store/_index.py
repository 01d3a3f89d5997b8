"""The search index through the store: a saved base index plus a small delta of what changed.

``index/<base>/`` is a whole corpus's index (:meth:`SearchIndex.save`, memory-mapped when
loaded), with each document's store key recorded as its label. Its key is made from the
documents' own store keys (each a hash of the parsed document and the code version) in corpus
order, so it vouches for every paragraph without reading one: a restart loads the saved index
with its checksums and a spot check, never a pass over the corpus.

When documents changed, were added or removed, the saved base that shares the most text with
the corpus is reused: its documents whose key is unchanged stay, the others are masked, and only
the changed and added documents are indexed, into ``index/<base>.<delta>/`` (a delta folder is
kept as long as its base, see :mod:`._clean`), then joined (:meth:`SearchIndex.combine`, which
answers as a fresh build does). Once the delta or the masked part is more than
:data:`MERGE_SHARE` of the text, or the corpus's size calls for another hash width, the whole
corpus is indexed again into a new base.
"""

from __future__ import annotations

import functools
import json
import shutil
import time
from collections.abc import Mapping
from pathlib import Path

from bot.core.models import Corpus
from bot.core.search import IndexFileError, SearchIndex
from bot.core.store._disk import Disk, Progress, code_version, key

__all__ = ["MERGE_SHARE", "index_key", "index_of"]

#: A delta (or the base's masked part) larger than this share of the text (characters) is
#: merged: the whole corpus is indexed again as a new base.
MERGE_SHARE = 0.15
#: Other deltas of the same base younger than this (seconds) are left for other processes.
_DELTA_GRACE = 600.0


def index_key(corpus: Corpus, keys: Mapping[str, str]) -> str:
    """The store key of ``corpus``'s index: of the code version and every document's id and
    store key in corpus order (a document without a key is fingerprinted by its paragraphs)."""
    if all(document.id in keys for document in corpus):
        return key(code_version(), "search-index", _listed(corpus, keys))
    return key(code_version(), SearchIndex.fingerprint(corpus))


def _listed(corpus: Corpus, keys: Mapping[str, str]) -> str:
    return json.dumps([[document.id, keys[document.id]] for document in corpus])


def index_of(
    disk: Disk, corpus: Corpus, keys: Mapping[str, str], progress: Progress | None
) -> tuple[SearchIndex, str]:
    """The index of ``corpus`` (documents keyed by ``keys``: id -> store key) and the key of the
    base it is saved under (``report.index_from_store`` set when a saved base was used,
    ``report.index_documents`` the documents indexed now)."""
    started = time.perf_counter()
    full = index_key(corpus, keys)
    index = _stored(disk, full, corpus)
    used = full
    if index is None and disk.folder is not None and all(d.id in keys for d in corpus):
        found = _with_delta(disk, disk.folder / "index", corpus, keys, progress)
        if found is not None:
            index, used = found
    if index is None:
        index = _built(disk, full, corpus, keys, progress)
    else:
        disk.report.index_from_store = True
        if used == full and disk.folder is not None:  # the corpus is a base again: no delta
            _drop_other_deltas(disk.folder / "index", full, keep="")
    disk.report.timings["index"] = time.perf_counter() - started
    return index, used


def _with_delta(
    disk: Disk, folder: Path, corpus: Corpus, keys: Mapping[str, str], progress: Progress | None
) -> tuple[SearchIndex, str] | None:
    """The corpus's index as a saved base plus a delta of the changed and added documents, or
    ``None`` when no base is worth it (see the module docstring)."""
    chosen = _best_base(folder, corpus, keys)
    if chosen is None:
        return None
    base_key, labels, sizes = chosen
    kept = [d for d in corpus if labels.get(d.id) == keys[d.id]]
    changed = [d for d in corpus if labels.get(d.id) != keys[d.id]]
    kept_chars = sum(sizes[d.id] for d in kept)
    delta_chars = sum(SearchIndex.chars_of(d) for d in changed)
    masked_chars = sum(sizes.values()) - kept_chars
    total = kept_chars + delta_chars
    if max(delta_chars, masked_chars) > MERGE_SHARE * max(total, 1):
        return None
    base = _stored(disk, base_key, Corpus(tuple(kept)))
    if base is None or base.bits != SearchIndex.bits_for(total):
        return None
    delta_key = key(code_version(), "search-delta", base_key, _listed(Corpus(tuple(changed)), keys))
    name = f"{base_key}.{delta_key}"
    delta = _stored(disk, name, Corpus(tuple(changed)))
    if delta is None:
        delta = _built(disk, name, Corpus(tuple(changed)), keys, progress, base.bits)
    try:
        combined = SearchIndex.combine(base, delta, corpus)
    except IndexFileError as error:  # the base's keys and lists disagree (a crafted folder)
        disk.damaged(f"The search index in {folder / base_key} is damaged: {error}")
        return None
    _drop_other_deltas(folder, base_key, name)
    return combined, base_key


def _best_base(
    folder: Path, corpus: Corpus, keys: Mapping[str, str]
) -> tuple[str, dict[str, str], dict[str, int]] | None:
    """The saved base sharing the most text (characters) with ``corpus``, by its labels."""
    best: tuple[int, str, dict[str, str], dict[str, int]] | None = None
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if "." in path.name or not path.is_dir():
            continue  # a delta, or a folder being written
        try:
            labels, sizes = SearchIndex.saved_labels(path)
        except IndexFileError:
            continue
        shared = sum(sizes.get(d.id, 0) for d in corpus if labels.get(d.id) == keys[d.id])
        if shared > 0 and (best is None or shared > best[0]):
            best = (shared, path.name, labels, sizes)
    return None if best is None else best[1:]


def _drop_other_deltas(folder: Path, base_key: str, keep: str) -> None:
    """Delete the base's other deltas once older than :data:`_DELTA_GRACE` (a process serving
    one keeps reading its memory-mapped files after they are unlinked)."""
    now = time.time()
    for path in folder.glob(f"{base_key}.*"):
        try:
            old = now - path.stat().st_mtime > _DELTA_GRACE
        except OSError:
            continue
        if path.name != keep and old:
            shutil.rmtree(path, ignore_errors=True)


def _built(
    disk: Disk,
    name: str,
    corpus: Corpus,
    keys: Mapping[str, str],
    progress: Progress | None,
    bits: int | None = None,
) -> SearchIndex:
    """``corpus`` indexed now and saved as ``index/<name>/``, then served memory-mapped from
    there like a restart's (the build's own arrays are freed); the built index when the store
    cannot be written. Texts are packed while cutting, so each document's body is read once."""
    reported = None
    if progress is not None:
        reported = functools.partial(progress, "indexing")
    built = SearchIndex.build(
        corpus, progress=reported, bits=bits, keep_texts=disk.folder is not None
    )
    disk.report.index_documents = len(corpus)
    if disk.folder is None or not _save(disk, name, built, keys):
        return built
    try:
        return SearchIndex.load(
            disk.folder / "index" / name, verify=False, fingerprint=name.split(".")[-1]
        )
    except IndexFileError:
        return built


def _stored(disk: Disk, name: str, corpus: Corpus) -> SearchIndex | None:
    if disk.folder is None:
        return None
    folder = disk.folder / "index" / name
    try:
        return SearchIndex.load(folder, corpus, mmap=True, fingerprint=name.split(".")[-1])
    except IndexFileError as error:
        if error.reason == "damaged":
            disk.damaged(str(error))
        return None


def _save(disk: Disk, name: str, index: SearchIndex, keys: Mapping[str, str]) -> bool:
    """Whether ``index`` was saved as ``index/<name>/`` (a failure is reported once)."""
    if disk.folder is None or disk.report.write_error is not None:
        return False
    folder = disk.folder / "index" / name
    labels = {doc_id: keys[doc_id] for doc_id in index.chars() if doc_id in keys}
    try:
        index.save(folder, fingerprint=name.split(".")[-1], labels=labels)
    except OSError as error:
        disk.write_failed(folder.parent, error)
        return False
    return True
