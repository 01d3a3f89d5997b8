"""Reading the corpus through the store one file at a time.

A file whose bytes, manifest entry and path are as recorded (and read by this code version)
comes from its record (``files/<key>.rec``: id, notes or error, and the key of its document in
``documents/``); the others are read by the loader, in worker processes when there is enough to
read. The loader then assembles the corpus (unique ids, duplicates left out) exactly as
:func:`~bot.core.loader.load_corpus` does, so a changed file costs only that file.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.core.loader import FileRead, Fingerprint, PlannedFile, assemble, plan_files
from bot.core.models import Corpus, Document
from bot.core.store._disk import Disk, Progress, code_version, file_hash, key
from bot.core.store._pool import read_payload
from bot.core.store.codec import decode_document, encode_document
from bot.core.store.lazy import stored_document
from bot.core.store.records import StoreDamaged

__all__ = ["Parsed", "at", "read_files"]


@dataclass(slots=True)
class Parsed:
    """The corpus read, with each document's record key (by document id), the file record keys
    used, and how many files the loader read (the rest came from the store)."""

    corpus: Corpus
    keys: dict[str, str] = field(default_factory=dict)
    file_keys: list[str] = field(default_factory=list)
    parsed: int = 0
    from_store: int = 0


def _file_key(item: PlannedFile, hashes: dict[str, str], language: str) -> str:
    """The key of a file's record: what decides what the loader makes of it (its bytes, its
    name, which gives the id and format, its manifest entry and defaults, the language and the
    code version), not where it is: a moved or copied corpus folder is read from the store,
    the path patched in (:func:`_at`)."""
    content = hashes.get(str(item.path)) or file_hash(item.path)
    entry = json.dumps(
        [item.path.name, item.manifest, item.defaults, language],
        sort_keys=True,
        default=repr,
    )
    return key(code_version(), content, entry)


def read_files(
    disk: Disk,
    paths: Sequence[Path],
    *,
    language: str,
    hashes: dict[str, str],
    pool: Callable[[int], ProcessPoolExecutor | None],
    progress: Progress | None,
    reread: Callable[[str, str], Document],
) -> Parsed:
    """The corpus under ``paths``; ``pool(chars)`` gives worker processes for that much to read
    (or ``None``: read here). Raises :class:`~bot.core.errors.CorpusError` like the loader."""
    items, problems = plan_files(paths)
    file_keys = [_file_key(item, hashes, language) if disk.folder else "" for item in items]
    reads: list[FileRead | None] = [None] * len(items)
    keys: dict[int, str] = {}  # each document's record key, under the id its file gave it
    for number, file_key in enumerate(file_keys):
        stored = _stored_file(disk, file_key, str(items[number].path), reread)
        if stored is not None:
            reads[number], document_key = stored
            if document_key is not None:
                keys[number] = document_key
    todo = [n for n, read in enumerate(reads) if read is None]
    for number, (meta, payload) in _read_all(
        [items[n] for n in todo], todo, language, pool, progress
    ):
        _save_file(disk, file_keys[number], meta, payload)
        document = None
        if payload is not None:
            keys[number] = key(code_version(), payload)
            document = _kept(disk, payload, keys[number], str(items[number].path), reread)
        reads[number] = _file_read(meta, document)
    corpus = assemble(items, [r or FileRead(None, error="not read") for r in reads], problems)
    result = Parsed(corpus, file_keys=file_keys, parsed=len(todo))
    numbers = {str(item.path): n for n, item in enumerate(items)}
    unread = {str(items[n].path) for n in set(range(len(items))) - set(todo)}
    result.from_store = sum(document.path in unread for document in corpus)
    for document in corpus:
        number = numbers[document.path]
        read = reads[number]
        if read is not None and read.document is not None and read.document.id == document.id:
            result.keys[document.id] = keys[number]
        else:  # its id was taken by another file: stored again under its own id
            payload = encode_document(document)
            result.keys[document.id] = key(code_version(), payload)
            disk.write(disk.path("documents", result.keys[document.id]), "document", payload)
    return result


def _read_all(
    items: list[PlannedFile],
    numbers: list[int],
    language: str,
    pool: Callable[[int], ProcessPoolExecutor | None],
    progress: Progress | None,
) -> Iterator[tuple[int, tuple[bytes, bytes | None]]]:
    """Each file read, as ``(number, (record, document JSON))``, in worker processes when
    ``pool`` gives them."""
    if not items:
        return
    size = sum(_size(item.path) for item in items)
    workers = pool(size) if len(items) > 1 else None
    if workers is None:
        for done, (number, item) in enumerate(zip(numbers, items, strict=True), 1):
            yield number, read_payload(item, language)
            if progress is not None:
                progress("reading", done, len(items))
        return
    futures = {
        workers.submit(read_payload, item, language): number
        for number, item in zip(numbers, items, strict=True)
    }
    for done, future in enumerate(as_completed(futures), 1):
        yield futures[future], future.result()
        if progress is not None:
            progress("reading", done, len(items))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _file_read(meta: bytes, document: Document | None) -> FileRead:
    """A :class:`FileRead` from a file record and its document. Raises ``ValueError``."""
    try:
        record = json.loads(meta)
        notes = tuple(str(note) for note in record["notes"])
        error, explicit = record["error"], record["explicit"]
        found = _fingerprint(record.get("fingerprint"))
    except (ValueError, KeyError, TypeError) as fault:
        raise ValueError(f"invalid file record ({fault})") from None
    if error is not None:
        return FileRead(None, None, notes, str(error))
    if document is None or document.id != record.get("id"):
        raise ValueError("its document is missing or is another file's")
    return FileRead(document, None if explicit is None else str(explicit), notes, None, found)


def _fingerprint(raw: object) -> Fingerprint | None:
    """A file record's duplicate-detection fingerprint (``None``: none recorded). Raises
    ``ValueError``."""
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) != 3:
        raise ValueError("bad fingerprint")
    words, exact, sample = raw
    if type(words) is not int or words < 0 or not isinstance(exact, str):
        raise ValueError("bad fingerprint")
    if not isinstance(sample, list) or not all(type(v) is int and 0 <= v < 1 << 32 for v in sample):
        raise ValueError("bad fingerprint")
    return Fingerprint(words, exact, tuple(sample))


def _stored_file(
    disk: Disk, file_key: str, where: str, reread: Callable[[str, str], Document]
) -> tuple[FileRead, str | None] | None:
    """A file's record and document (at path ``where``) from the store, or ``None`` (missing
    or damaged); the second value is the document's record key, when it has one."""
    path = disk.path("files", file_key)
    meta = disk.read(path, "file")
    if meta is None:
        return None
    try:
        document_key = json.loads(meta).get("document")
    except (ValueError, AttributeError) as error:
        disk.damaged(f"{path}: invalid content ({error})")
        return None
    document = None
    if document_key is not None:
        document = stored(disk, disk.path("documents", str(document_key)), where, reread)
        if document is None:
            return None
    try:
        return _file_read(meta, document), None if document_key is None else str(document_key)
    except ValueError as error:
        disk.damaged(f"{path}: invalid content ({error})")
        return None


def stored(
    disk: Disk,
    path: Path | None,
    where: str,
    reread: Callable[[str, str], Document],
    payload: bytes | None = None,
) -> Document | None:
    """The document whose record is at ``path`` (read from it unless its checked ``payload``
    is given), as loaded from the file ``where``, its paragraphs left on disk until used
    (:mod:`.lazy`); ``None`` when missing or damaged (damage is reported). ``reread(where, id)``
    reads it again should its body turn out damaged."""
    if payload is None:
        payload = disk.read(path, "document")
    if path is None or payload is None:
        return None
    try:
        again = functools.partial(_repaired, disk, reread, where, path)
        document = stored_document(path, payload, disk.damaged, again)
    except ValueError as error:
        disk.damaged(f"{path}: invalid content ({error})")
        return None
    return at(document, where)


def _repaired(
    disk: Disk, reread: Callable[[str, str], Document], where: str, path: Path, document_id: str
) -> Document:
    """The document read again from its file, its damaged record at ``path`` rewritten (or
    removed, when the file now gives another record: the next load reads the file again)."""
    document = reread(where, document_id)
    payload = encode_document(document)
    if key(code_version(), payload) == path.stem:
        disk.write(path, "document", payload)
    else:
        with contextlib.suppress(OSError):
            path.unlink()
    return document


def _kept(
    disk: Disk,
    payload: bytes,
    document_key: str,
    where: str,
    reread: Callable[[str, str], Document],
) -> Document:
    """A document just read: from its record when it was written (paragraphs left on disk,
    the record not read back), else decoded from ``payload``."""
    path = disk.path("documents", document_key)
    if path is not None and disk.report.write_error is None:
        document = stored(disk, path, where, reread, payload)
        if document is not None:
            return document
    return at(decode_document(payload), where)


def at(document: Document, path: str) -> Document:
    """``document`` as loaded from ``path`` (its record may have been written for a file of the
    same name and bytes elsewhere: the path is the only thing that differs)."""
    return document if document.path == path else replace(document, path=path)


def reread_document(paths: Sequence[Path], language: str, where: str, document_id: str) -> Document:
    """Document ``document_id`` read again from its file ``where`` (one of those under
    ``paths``). Raises :class:`StoreDamaged` when it is not there any more."""
    items, _ = plan_files(paths)
    for item in items:
        if str(item.path) == where:
            _, payload = read_payload(item, language)
            if payload is not None:
                document = decode_document(payload)
                if document.id == document_id:
                    return at(document, where)
    raise StoreDamaged(Path(where), f"no longer gives the document {document_id!r}")


def _save_file(disk: Disk, file_key: str, meta: bytes, payload: bytes | None) -> None:
    record = json.loads(meta)
    record["document"] = None
    if payload is not None:
        record["document"] = key(code_version(), payload)
        disk.write(disk.path("documents", record["document"]), "document", payload)
    disk.write(disk.path("files", file_key), "file", json.dumps(record).encode())
