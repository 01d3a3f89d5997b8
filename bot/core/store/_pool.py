"""Worker processes for the corpus store: files read and documents derived on all cores.

Only plain values cross the process boundary (a planned file in; JSON bytes out), and the
workers are started with ``forkserver``, so they never inherit the bot's threads or sockets.
"""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
from pathlib import Path

from bot.core.loader import PlannedFile, read_file
from bot.core.store.codec import encode_document
from bot.core.store.derive import derive_payload
from bot.core.store.records import read_record

__all__ = ["derive_record", "read_payload", "worker_pool"]


def worker_pool(workers: int) -> concurrent.futures.ProcessPoolExecutor:
    """A pool of ``workers`` processes with the loader and the derive code imported."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["bot.core.store._pool"])
    return concurrent.futures.ProcessPoolExecutor(workers, mp_context=context)


def read_payload(item: PlannedFile, language: str) -> tuple[bytes, bytes | None]:
    """:func:`~bot.core.loader.read_file` as bytes (the worker entry point): the file's record
    (``id``, ``explicit``, ``notes``, ``error``) and its document's JSON (or ``None``)."""
    read = read_file(item, language=language)
    document = read.document
    record = {
        "id": None if document is None else document.id,
        "explicit": read.explicit_id,
        "notes": list(read.notes),
        "error": read.error,
        "fingerprint": None
        if read.fingerprint is None
        else [read.fingerprint.words, read.fingerprint.exact, list(read.fingerprint.sample)],
    }
    payload = None if document is None else encode_document(document)
    return json.dumps(record, ensure_ascii=False).encode(), payload


def derive_record(source: bytes | str, lengths: tuple[str, ...]) -> bytes:
    """:func:`~bot.core.store.derive.derive_payload` of a document given as its JSON or as the
    path of its record in the store (read and checked here, so the document does not cross the
    process boundary). Raises ``StoreDamaged`` or ``ValueError`` for a record that cannot be
    used (the caller derives that document itself)."""
    payload = source if isinstance(source, bytes) else read_record(Path(source), "document")
    return derive_payload(payload, lengths)
