"""Saving and loading a :class:`~bot.core.search.SearchIndex` as a folder of ``.npy`` arrays.

Layout: one ``<name>.npy`` per array (numpy's own format, readable with
``np.load(path, mmap_mode="r")``, never pickled) and ``meta.json`` with the format version, the
corpus fingerprint, the documents' ids and titles, and for every array its dtype, shape, size in
bytes and BLAKE2b checksum. ``meta.json`` is written last, every file is fsynced, and the folder
is written under a temporary name and renamed into place, so a reader sees a whole index or none.
Anything that does not match on loading raises :class:`IndexFileError` naming the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from bot.core.models import Corpus
from bot.core.search._grams import Postings, Q
from bot.core.search._text import MATCH_PUNCTUATION

if TYPE_CHECKING:
    from bot.core.search._index import SearchIndex

FORMAT = "corpusbot-search-index"
VERSION = 3  # bump when the saved layout or anything the index depends on changes
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
#: Passages checked against the corpus on loading (all of them in a smaller index).
_SAMPLE = 20_000


class IndexFileError(Exception):
    """A saved index cannot be used; the message names the file and says why.

    ``reason`` is ``"missing"`` (nothing saved there), ``"stale"`` (another format version, or
    built from another corpus or with other settings: rebuild quietly) or ``"damaged"`` (empty,
    truncated, corrupted or inconsistent files: worth a warning).
    """

    def __init__(self, message: str, *, reason: str = "damaged") -> None:
        super().__init__(message)
        self.reason = reason


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
        self.digest = hashlib.blake2b(digest_size=20)
        self.size = 0

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self.digest.update(view)
        self.size += len(view)
        return self.handle.write(view)


def save(index: SearchIndex, folder: str | os.PathLike[str]) -> None:
    """Write ``index`` to ``folder`` atomically (see the module docstring)."""
    target = Path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    arrays = index._persisted()
    meta: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "fingerprint": index._saved_fingerprint(),
        "bits": index._postings.bits,
        "candidates": index._candidates,
        "window": index.window,
        "overlap": index.overlap,
        "documents": [list(d) for d in index._documents],
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
                "blake2b": hashing.digest.hexdigest(),
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
) -> SearchIndex:
    """Read an index written by :func:`save`; :class:`IndexFileError` if anything is off."""
    source = Path(folder)
    meta = _read_meta(source)
    if corpus is not None:
        if (meta["window"], meta["overlap"]) != (window, overlap):
            raise IndexFileError(
                f"The search index in {source} was built with window={meta['window']} and "
                f"overlap={meta['overlap']}, not {window} and {overlap}; it must be rebuilt.",
                reason="stale",
            )
        if meta["fingerprint"] != corpus_fingerprint(corpus, window, overlap):
            raise IndexFileError(
                f"The search index in {source} was built from another version of the corpus "
                "(a document or paragraph changed); it must be rebuilt.",
                reason="stale",
            )
    arrays = {name: _read_array(source, name, meta, mmap=mmap, verify=verify) for name in ARRAYS}
    _check_arrays(source, arrays, len(meta["documents"]), int(meta["bits"]))
    documents = [(str(d[0]), str(d[1])) for d in meta["documents"]]
    if corpus is not None:
        _check_against(source, arrays, corpus, documents, window, overlap)
        titles = {document.id: document.title for document in corpus}
        documents = [(doc_id, titles.get(doc_id, title)) for doc_id, title in documents]
    postings = Postings(
        int(meta["bits"]),
        len(arrays["key_offsets"]) - 1,
        *(arrays[name] for name in ("grams", "indptr", "gaps", "escape16_ptr", "escapes16")),
        *(arrays[name] for name in ("escape32_ptr", "escapes32")),
    )
    texts, text_offsets = arrays["texts"], arrays["text_offsets"]

    def text_of(pid: int) -> str:
        return texts[text_offsets[pid] : text_offsets[pid + 1]].tobytes().decode("utf-8")

    columns = {name: arrays[name] for name in ("doc", "paragraph", "start", "end")}
    return cls(
        postings=postings,
        keys=arrays["keys"],
        key_offsets=arrays["key_offsets"],
        columns=columns,
        documents=documents,
        text_of=text_of,
        candidates=int(meta["candidates"]),
        window=int(meta["window"]),
        overlap=int(meta["overlap"]),
        fingerprint=str(meta["fingerprint"]),
    )


def _check_arrays(
    source: Path, arrays: dict[str, npt.NDArray[Any]], documents: int, bits: int
) -> None:
    """Raise :class:`IndexFileError` unless the arrays fit together (a crafted or mixed-up folder
    can have valid checksums): lengths, offsets, posting ranges, document numbers, spans."""
    n = len(arrays["key_offsets"]) - 1
    grams = arrays["grams"]
    doc, paragraph, start, end = (arrays[c] for c in ("doc", "paragraph", "start", "end"))
    problems = {
        "its arrays hold different numbers of passages": n < 0
        or len(arrays["text_offsets"]) != n + 1
        or any(len(a) != n for a in (doc, paragraph, start, end)),
        "its q-gram table does not fit together": not 12 <= bits <= 32
        or any(len(arrays[p]) != len(grams) + 1 for p in ("indptr", "escape16_ptr", "escape32_ptr"))
        or (len(grams) > 1 and bool(np.any(np.diff(grams.astype(np.int64)) <= 0))),
    }
    for offsets, blob in (
        ("key_offsets", "keys"),
        ("text_offsets", "texts"),
        ("indptr", "gaps"),
        ("escape16_ptr", "escapes16"),
        ("escape32_ptr", "escapes32"),
    ):
        o = arrays[offsets]
        problems[f"its {offsets} do not fit {blob}.npy"] = (
            len(o) == 0 or int(o[0]) != 0 or int(o[-1]) != len(arrays[blob]) or _decreasing(o)
        )
    if not any(problems.values()):
        problems["its posting lists do not fit the passages"] = not _lists_fit(arrays, n)
        problems["its passages point outside the documents"] = n > 0 and (
            not 0 <= int(doc.min()) <= int(doc.max()) < documents
            or _decreasing(doc)
            or int(paragraph.min()) < 1
            or int(start.min()) < 0
            or bool(np.any(end < start))
        )
    for what, bad in problems.items():
        if bad:
            raise IndexFileError(f"The search index in {source} is damaged: {what}.")


def _check_against(
    source: Path,
    arrays: dict[str, npt.NDArray[Any]],
    corpus: Corpus,
    documents: list[tuple[str, str]],
    window: int,
    overlap: int,
) -> None:
    """Raise :class:`IndexFileError` unless sampled passages (all of them up to ``_SAMPLE``) are
    where ``corpus`` puts them: a window of their paragraph, with the saved text."""
    from bot.core.search._text import windows

    n = len(arrays["key_offsets"]) - 1
    texts, offsets = arrays["texts"], arrays["text_offsets"]
    by_id = {document.id: document for document in corpus}
    sample = range(n) if n <= _SAMPLE else np.linspace(0, n - 1, _SAMPLE).astype(np.int64)
    # A paragraph's windows are computed once: a long paragraph has thousands of passages, and
    # recomputing its windows for each made loading quadratic in the paragraph's length.
    spans_of: dict[tuple[str, int], set[tuple[int, int]]] = {}
    for pid in (int(i) for i in sample):
        document = by_id.get(documents[int(arrays["doc"][pid])][0])
        number = int(arrays["paragraph"][pid])
        span = (int(arrays["start"][pid]), int(arrays["end"][pid]))
        if document is None or number > len(document.paragraphs):
            raise IndexFileError(
                f"The search index in {source} is damaged: passage {pid} points outside the corpus."
            )
        text = document.paragraphs[number - 1].text
        saved = texts[offsets[pid] : offsets[pid + 1]].tobytes().decode("utf-8", "replace")
        key = (document.id, number)
        if key not in spans_of:
            spans_of[key] = set(windows(text, window, overlap))
        if span not in spans_of[key] or text[span[0] : span[1]] != saved:
            raise IndexFileError(
                f"The search index in {source} is damaged: passage {pid} is not where the corpus "
                "puts it."
            )


def _lists_fit(arrays: dict[str, npt.NDArray[Any]], n: int) -> bool:
    """Whether every gap-coded list has as many escapes as zero bytes and ends below ``n``."""
    gaps, indptr = arrays["gaps"], arrays["indptr"]
    e16, e32 = arrays["escape16_ptr"], arrays["escape32_ptr"]
    zeros = _segment_sums((gaps == 0).view(np.uint8), indptr)
    zeros16 = _segment_sums((arrays["escapes16"] == 0).view(np.uint8), e16)
    if np.any(zeros != np.diff(e16)) or np.any(zeros16 != np.diff(e32)):
        return False
    last = _segment_sums(gaps, indptr) + _segment_sums(arrays["escapes16"], e16)
    last += _segment_sums(arrays["escapes32"], e32)
    return bool(np.all(last <= n))


def _segment_sums(values: npt.NDArray[Any], ptr: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``values[ptr[i]:ptr[i + 1]].sum()`` for every ``i`` (in int64, without an int64 copy)."""
    sums = np.zeros(len(ptr) - 1, dtype=np.int64)
    full = np.flatnonzero(ptr[1:] > ptr[:-1])
    if len(full):
        sums[full] = np.add.reduceat(values, ptr[:-1][full], dtype=np.int64)
    return sums


def _decreasing(values: npt.NDArray[Any]) -> bool:
    return len(values) > 1 and bool(np.any(values[1:] < values[:-1]))


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
        if verify and _checksum(path) != info["blake2b"]:
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
    digest = hashlib.blake2b(digest_size=20)
    with path.open("rb") as handle:
        while chunk := handle.read(_READ):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
