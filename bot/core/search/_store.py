"""Saving and loading a :class:`~bot.core.search.SearchIndex` as a folder of ``.npy`` arrays.

Layout: one ``<name>.npy`` per array (numpy's own format, readable with
``np.load(path, mmap_mode="r")``, never pickled) and ``meta.json`` with the format version, the
corpus fingerprint, the documents' ids and titles, and for every array its dtype, shape, size in
bytes and CRC-32 checksum. ``meta.json`` is written last, every file is fsynced, and the folder
is written under a temporary name and renamed into place, so a reader sees a whole index or none.
Anything that does not match on loading raises :class:`IndexFileError` naming the file.

Loading reads each file once with ordinary reads to check its checksum (the page cache, not this
process's memory; CRC-32 finds damage at about 5 GB/s, four times BLAKE2b's speed, and malice is
no aim of a checksum anyone who can write the folder can recompute), checks how the small arrays
(offsets, the passage columns) fit together, spot-checks a few posting lists and passages, and
memory-maps the rest untouched: every posting list is checked where a query decodes it
(:meth:`._grams.Postings.ids`), so a restart costs a fraction of a second per GB of index, not a
pass over every page of it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from bot.core.models import Corpus
from bot.core.search._checks import check_against, check_arrays, spot_check_lists
from bot.core.search._errors import IndexFileError
from bot.core.search._grams import Postings, Q
from bot.core.search._passages import blob_text, pack
from bot.core.search._segment import Segment
from bot.core.search._text import MATCH_PUNCTUATION

if TYPE_CHECKING:
    from bot.core.search._index import SearchIndex

log = logging.getLogger("bot.core.search")

FORMAT = "corpusbot-search-index"
VERSION = 4  # bump when the saved layout or anything the index depends on changes
META = "meta.json"
#: Array name -> dtype, in the order they are written.
ARRAYS = {
    "grams": "<u4",
    "indptr": "<i8",
    "gaps": "|u1",
    "escape16_ptr": "<i8",
    "escapes16": "<u2",
    "escape32_ptr": "<i8",
    "escapes32": "<u4",
    "keys": "|u1",
    "key_offsets": "<i8",
    "doc": "<i4",
    "paragraph": "<i4",
    "start": "<i4",
    "end": "<i4",
    "texts": "|u1",
    "text_offsets": "<i8",
}
_READ = 1 << 20


def corpus_fingerprint(corpus: Corpus, window: int, overlap: int) -> str:
    """BLAKE2b (hex) of the documents' ids, paragraph numbers and texts and the index settings.

    A saved index is reused only when a rebuild would give the same one.
    """
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"v{VERSION} q{Q} {MATCH_PUNCTUATION} {window} {overlap}".encode())
    for document in corpus:
        digest.update(b"\x00D" + document.id.encode("utf-8", "surrogatepass"))
        for paragraph in document.paragraphs:
            digest.update(f"\x00P{paragraph.number}\x00".encode())
            digest.update(paragraph.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class _Hashing:
    """A binary file wrapper that hashes what is written through it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.crc = 0
        self.size = 0

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self.crc = zlib.crc32(view, self.crc)
        self.size += len(view)
        return self.handle.write(view)


def persisted(index: SearchIndex) -> dict[str, npt.NDArray[Any]]:
    """Every array :meth:`save` writes, by name (passage texts packed like the keys).
    Raises ``ValueError`` for a combined index (its segments are saved one by one)."""
    if len(index._segments) != 1:
        raise ValueError("a combined index is saved as its base and delta, one by one")
    segment = index._segments[0]
    if segment.texts is not None:
        texts, text_offsets = segment.texts
    else:
        texts, text_offsets = pack([segment.text_of(i) for i in range(len(segment))])
    p = segment.postings
    return {
        "grams": p.grams,
        "indptr": p.indptr,
        "gaps": p.gaps,
        "escape16_ptr": p.escape16_ptr,
        "escapes16": p.escapes16,
        "escape32_ptr": p.escape32_ptr,
        "escapes32": p.escapes32,
        "keys": segment.keys,
        "key_offsets": segment.key_offsets,
        **segment.columns,
        "texts": texts,
        "text_offsets": text_offsets,
    }


def mark_damaged(source: Path) -> None:
    """Make the index saved in ``source`` unusable (its ``meta.json`` removed), so that the next
    load finds none and it is rebuilt; a query found a posting list there that does not decode."""
    try:
        (source / META).unlink(missing_ok=True)
    except OSError as failure:
        log.warning("cannot mark %s for rebuilding: %s", source, failure)


def save(
    index: SearchIndex,
    folder: str | os.PathLike[str],
    fingerprint: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Write ``index`` to ``folder`` atomically (see the module docstring); ``fingerprint``
    (default: :func:`corpus_fingerprint` of the index's corpus) is what :func:`load` compares;
    ``labels`` (document id -> text) are kept for :func:`saved_labels`."""
    target = Path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    arrays = persisted(index)
    segment = index._segments[0]
    meta: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "fingerprint": fingerprint or index._saved_fingerprint(),
        "bits": index.bits,
        "candidates": index._candidates,
        "window": index.window,
        "overlap": index.overlap,
        "documents": [
            [doc_id, title, size]
            for (doc_id, title), size in zip(segment.documents, segment.chars, strict=True)
        ],
        "labels": dict(labels or {}),
        "arrays": {},
    }
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, dtype in ARRAYS.items():
            array = np.ascontiguousarray(arrays[name], dtype=np.dtype(dtype))
            with (temporary / f"{name}.npy").open("wb") as handle:
                hashing = _Hashing(handle)
                np.save(hashing, array, allow_pickle=False)
                handle.flush()
                os.fsync(handle.fileno())
            meta["arrays"][name] = {
                "dtype": dtype,
                "shape": list(array.shape),
                "bytes": hashing.size,
                "crc32": f"{hashing.crc:08x}",
            }
        with (temporary / META).open("w", encoding="utf-8") as handle:
            json.dump(meta, handle)
            handle.flush()
            os.fsync(handle.fileno())
        _fsync_dir(temporary)
        old = None
        if target.exists() or target.is_symlink():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            os.replace(target, old)
        os.replace(temporary, target)
        _fsync_dir(target.parent)
        if old is not None:
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def load(
    cls: type[SearchIndex],
    folder: str | os.PathLike[str],
    corpus: Corpus | None,
    *,
    mmap: bool,
    verify: bool,
    window: int,
    overlap: int,
    fingerprint: str | None = None,
) -> SearchIndex:
    """Read an index written by :func:`save`; :class:`IndexFileError` if anything is off.

    With ``fingerprint`` (a key the caller derived from the corpus's content, e.g. the corpus
    store's), the saved one must equal it and only a few passages are checked against
    ``corpus``; without, :func:`corpus_fingerprint` is computed and sampled passages checked.
    """
    source = Path(folder)
    meta = _read_meta(source)
    if corpus is not None or fingerprint is not None:
        if (meta["window"], meta["overlap"]) != (window, overlap):
            raise IndexFileError(
                f"The search index in {source} was built with window={meta['window']} and "
                f"overlap={meta['overlap']}, not {window} and {overlap}; it must be rebuilt.",
                reason="stale",
            )
        expected = fingerprint
        if expected is None and corpus is not None:
            expected = corpus_fingerprint(corpus, window, overlap)
        if meta["fingerprint"] != expected:
            raise IndexFileError(
                f"The search index in {source} was built from another version of the corpus "
                "(a document or paragraph changed); it must be rebuilt.",
                reason="stale",
            )
    arrays = {name: _read_array(source, name, meta, mmap=mmap, verify=verify) for name in ARRAYS}
    check_arrays(source, arrays, len(meta["documents"]), int(meta["bits"]))
    try:
        documents = [(str(d[0]), str(d[1])) for d in meta["documents"]]
        sizes = tuple(int(d[2]) for d in meta["documents"])
    except (TypeError, ValueError, IndexError):
        raise IndexFileError(f"{source / META} lists its documents wrongly.") from None
    postings = Postings(
        int(meta["bits"]),
        len(arrays["key_offsets"]) - 1,
        *(arrays[name] for name in ("grams", "indptr", "gaps", "escape16_ptr", "escapes16")),
        *(arrays[name] for name in ("escape32_ptr", "escapes32")),
    )
    spot_check_lists(source, postings)
    if corpus is not None:
        spot = fingerprint is not None
        check_against(source, arrays, corpus, documents, window, overlap, spot=spot)
        titles = {document.id: document.title for document in corpus}
        documents = [(doc_id, titles.get(doc_id, title)) for doc_id, title in documents]
    texts, text_offsets = arrays["texts"], arrays["text_offsets"]

    columns = {name: arrays[name] for name in ("doc", "paragraph", "start", "end")}
    segment = Segment(
        postings,
        arrays["keys"],
        arrays["key_offsets"],
        columns,
        tuple(documents),
        sizes,
        blob_text(texts, text_offsets),
        (texts, text_offsets),
    )
    return cls(
        segments=[segment],
        candidates=int(meta["candidates"]),
        window=int(meta["window"]),
        overlap=int(meta["overlap"]),
        fingerprint=str(meta["fingerprint"]),
        source=source,
    )


def saved_labels(folder: str | os.PathLike[str]) -> tuple[dict[str, str], dict[str, int]]:
    """``(labels, sizes)`` of the index saved in ``folder`` (its ``meta.json`` only): the labels
    given to :func:`save` and each document's size; :class:`IndexFileError` if unreadable."""
    source = Path(folder)
    meta = _read_meta(source)
    try:
        labels = {str(k): str(v) for k, v in dict(meta.get("labels") or {}).items()}
        sizes = {str(d[0]): int(d[2]) for d in meta["documents"]}
    except (TypeError, ValueError, IndexError):
        raise IndexFileError(f"{source / META} lists its documents wrongly.") from None
    return labels, sizes


def _read_meta(source: Path) -> dict[str, Any]:
    path = source / META
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexFileError(
            f"No saved search index in {source} ({META} is missing).", reason="missing"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IndexFileError(f"The search index file {path} is unreadable: {error}.") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise IndexFileError(f"{path} is not a corpusbot search index.")
    if meta.get("version") != VERSION:
        raise IndexFileError(
            f"The search index in {source} has format version {meta.get('version')!r}; this "
            f"version of corpusbot reads version {VERSION}, so it must be rebuilt.",
            reason="stale",
        )
    needed = ("fingerprint", "bits", "candidates", "window", "overlap", "documents", "arrays")
    missing = [key for key in needed if key not in meta]
    if missing or not isinstance(meta["arrays"], dict):
        raise IndexFileError(f"{path} is incomplete (missing {', '.join(missing) or 'arrays'}).")
    return meta


def _read_array(
    source: Path, name: str, meta: dict[str, Any], *, mmap: bool, verify: bool
) -> npt.NDArray[Any]:
    path = source / f"{name}.npy"
    info = meta["arrays"].get(name)
    if not isinstance(info, dict):
        raise IndexFileError(f"{source / META} does not describe {path.name}.")
    try:
        size = path.stat().st_size
        if size != info["bytes"]:
            raise IndexFileError(
                f"The search index file {path} has {size:,} bytes, {info['bytes']:,} expected "
                "(truncated or replaced)."
            )
        if verify and _checksum(path) != info.get("crc32"):
            raise IndexFileError(f"The search index file {path} is damaged (checksum mismatch).")
        array = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    except IndexFileError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexFileError(f"The search index file {path} is unreadable: {error}.") from None
    if array.dtype.str != info["dtype"] or list(array.shape) != info["shape"]:
        raise IndexFileError(
            f"The search index file {path} holds {array.dtype.str} {list(array.shape)}, "
            f"{info['dtype']} {info['shape']} expected."
        )
    return np.asarray(array)


def _checksum(path: Path) -> str:
    """CRC-32 (hex) of the file, read in ordinary chunks (the page cache, not a mapping)."""
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_READ):
            crc = zlib.crc32(chunk, crc)
    return f"{crc:08x}"


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
