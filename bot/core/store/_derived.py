"""Quotes and summaries of each document through the store (``derived/<key>.rec``).

A document's record is found under its document key and the summary lengths; its summaries are
decoded at load, its quotes only when the quote ranking is first used (decoding every quote of
ten novels costs about a fifth of a second that a restart need not pay). A record whose quotes
turn out damaged then is reported and derived again. Missing records are derived in worker
processes (see :mod:`._pool`) while the caller builds the search index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from bot.core.models import Document, Summary
from bot.core.quotes import QuoteBook
from bot.core.store._disk import Disk, Progress, key
from bot.core.store.codec import (
    Derived,
    decode_derived,
    derived_quotes,
    derived_summaries,
    encode_derived,
    parse_derived,
)
from bot.core.store.derive import derive, derive_payload, merge_quotes

__all__ = ["Part", "derived_path", "quote_book", "start_deriving", "stored_part", "summaries_of"]

#: What is known of one document's derived data: built now, or a stored record whose quotes
#: are not decoded yet.
Part = Derived | dict[str, Any]


def derived_path(disk: Disk, document_key: str, lengths: tuple[str, ...]) -> Path | None:
    """Where the derived record of the document stored under ``document_key`` lives."""
    return disk.path("derived", key(document_key, *lengths))


def stored_part(disk: Disk, document: Document, path: Path | None) -> Part | None:
    """The stored derived record of ``document`` (summaries checked), or ``None``."""
    payload = disk.read(path, "derived")
    if payload is None:
        return None
    try:
        record = parse_derived(payload)
        record["_summaries"] = derived_summaries(record, document)
    except ValueError as error:
        disk.damaged(f"{path}: invalid content ({error})")
        return None
    return record


def summaries_of(document: Document, part: Part) -> dict[str, Summary]:
    """The summaries (by length name) in ``part``."""
    if isinstance(part, Derived):
        return part.summaries
    summaries: dict[str, Summary] = part["_summaries"]
    return summaries


def start_deriving(
    disk: Disk,
    documents: list[tuple[Document, bytes, Path | None]],
    lengths: tuple[str, ...],
    into: dict[str, Part],
    pool: Callable[[int], ProcessPoolExecutor | None],
    progress: Progress | None,
) -> Iterator[None]:
    """Start deriving ``(document, its JSON, its record path)``; iterate the result to wait
    for them (filling ``into`` by document id and writing their records)."""
    if progress is not None:
        progress("deriving", 0, len(documents))
    chars = sum(len(p.text) for d, _, _ in documents for p in d.paragraphs)
    workers = pool(chars) if documents else None
    if workers is None:
        return _derive_here(disk, documents, lengths, into, progress)
    futures = {
        workers.submit(derive_payload, payload, lengths): (document, path)
        for document, payload, path in documents
    }
    return _collect(disk, futures, into, progress)


def _derive_here(
    disk: Disk,
    documents: list[tuple[Document, bytes, Path | None]],
    lengths: tuple[str, ...],
    into: dict[str, Part],
    progress: Progress | None,
) -> Iterator[None]:
    for done, (document, _, path) in enumerate(documents, 1):
        derived = derive(document, summary_lengths=lengths)
        into[document.id] = derived
        disk.write(path, "derived", encode_derived(derived))
        if progress is not None:
            progress("deriving", done, len(documents))
        yield


def _collect(
    disk: Disk,
    futures: dict[Any, tuple[Document, Path | None]],
    into: dict[str, Part],
    progress: Progress | None,
) -> Iterator[None]:
    for done, future in enumerate(as_completed(futures), 1):
        document, path = futures[future]
        payload = future.result()
        into[document.id] = decode_derived(payload, document)
        disk.write(path, "derived", payload)
        if progress is not None:
            progress("deriving", done, len(futures))
        yield


def quote_book(
    disk: Disk,
    documents: Sequence[Document],
    parts: Sequence[tuple[Part, Path | None]],
    lengths: tuple[str, ...],
) -> QuoteBook:
    """The corpus's :class:`QuoteBook` from each document's part (same order); a stored record
    whose quotes are damaged is reported, derived again and rewritten."""
    derived: list[Derived] = []
    for document, (part, path) in zip(documents, parts, strict=True):
        if isinstance(part, Derived):
            derived.append(part)
            continue
        try:
            quotes, short, plain = derived_quotes(part, document)
        except ValueError as error:
            disk.damaged(f"{path}: invalid content ({error})")
            fresh = derive(document, summary_lengths=lengths)
            disk.write(path, "derived", encode_derived(fresh))
            derived.append(fresh)
            continue
        derived.append(Derived(quotes, short, plain))
    return merge_quotes(documents, derived)
