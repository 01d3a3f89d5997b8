"""Quotes and summaries of each document through the store (``derived/<key>.rec``).

A document's record is found under its document key and the summary lengths; its summaries are
decoded at load, its quotes only when the quote ranking is first used (decoding every quote of
ten novels costs about a fifth of a second that a restart need not pay); until then the record
stays as its compact JSON bytes. Then only the quotes the ranking keeps in memory are decoded
(see :class:`~bot.core.quotes.Shelf`); a document's others when a request needs them. A record
whose quotes turn out damaged then is reported and derived again. Missing records are derived in worker processes (see :mod:`._pool`) while the
caller builds the search index: a thread keeps a few documents per worker in flight and writes
each record as it comes, so memory does not grow with the corpus.
"""

from __future__ import annotations

import functools
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from bot.core.models import Document, Quote, Summary
from bot.core.quotes import QuoteBook, Shelf
from bot.core.store._disk import Disk, Progress, key
from bot.core.store._pool import derive_record
from bot.core.store.codec import (
    Derived,
    derived_hot_quotes,
    derived_quotes,
    derived_summaries,
    encode_derived,
    parse_derived,
    parse_hot,
    with_summary,
)
from bot.core.store.derive import derive
from bot.core.store.lazy import mapped_record
from bot.core.store.records import StoreDamaged

__all__ = [
    "IN_FLIGHT",
    "Job",
    "Part",
    "Stored",
    "derived_path",
    "quote_book",
    "save_summary",
    "start_deriving",
    "stored_part",
    "summaries_of",
]

#: Documents handed to each worker process at a time.
IN_FLIGHT = 2


@dataclass(frozen=True, slots=True)
class Stored:
    """A derived record read back: its summaries, and what gives its payload again (read from
    a memory map of the record) when its quotes are first used."""

    payload: Callable[[], bytes]
    summaries: dict[str, Summary]


#: What is known of one document's derived data: built here, or a record's bytes.
Part = Derived | Stored


@dataclass(frozen=True, slots=True)
class Job:
    """A document to derive: its JSON, or the path of its record when the store holds it
    (so its JSON need not be kept in memory), and where its derived record goes."""

    document: Document
    source: Callable[[], bytes | str]
    path: Path | None


def derived_path(disk: Disk, document_key: str, lengths: tuple[str, ...]) -> Path | None:
    """Where the derived record of the document stored under ``document_key`` lives."""
    return disk.path("derived", key(document_key, *lengths))


def stored_part(
    disk: Disk, document: Document, path: Path | None, payload: bytes | None = None
) -> Stored | None:
    """The derived record of ``document`` (read from ``path`` unless ``payload`` is given),
    its summaries checked; ``None`` when missing or damaged (damage is reported)."""
    if payload is None:
        payload = disk.read(path, "derived")
    if payload is None:
        return None
    try:
        summaries = derived_summaries(parse_derived(payload, quotes=False), document)
    except ValueError as error:
        disk.damaged(f"{path}: invalid content ({error})")
        return None
    if path is None:
        return Stored(functools.partial(bytes, payload), summaries)
    return Stored(mapped_record(path, "derived", payload), summaries)


def save_summary(disk: Disk, path: Path | None, length: str, summary: Summary) -> None:
    """Add ``summary`` (of ``length``) to the derived record at ``path``, if it is there and
    sound (else nothing: the summary is computed again after the next start)."""
    payload = disk.read(path, "derived")
    if payload is None:
        return
    try:
        updated = with_summary(payload, length, summary)
    except ValueError:
        return
    disk.write(path, "derived", updated)


def summaries_of(part: Part) -> dict[str, Summary]:
    """The summaries (by length name) in ``part``."""
    return part.summaries


def start_deriving(
    disk: Disk,
    jobs: list[Job],
    lengths: tuple[str, ...],
    into: dict[str, Part],
    pool: Callable[[int], ProcessPoolExecutor | None],
    progress: Progress | None,
    *,
    processes: int = 1,
) -> Iterator[None]:
    """Start deriving ``jobs`` (in ``pool`` of ``processes`` workers when it gives one);
    iterate the result to wait for them (filling ``into`` by document id and writing their
    records)."""
    if progress is not None:
        progress("deriving", 0, len(jobs))
    chars = sum(job.document.char_count for job in jobs)
    workers = pool(chars) if jobs else None
    if workers is None:
        return _derive_here(disk, jobs, lengths, into, progress)
    done: queue.Queue[tuple[Job, bytes | None]] = queue.Queue()
    feeder = threading.Thread(
        target=_feed,
        args=(workers, IN_FLIGHT * processes, jobs, lengths, done),
        name="derive-feeder",
        daemon=True,
    )
    feeder.start()
    return _collect(disk, jobs, lengths, into, done, progress)


def _derive_here(
    disk: Disk,
    jobs: list[Job],
    lengths: tuple[str, ...],
    into: dict[str, Part],
    progress: Progress | None,
) -> Iterator[None]:
    for done, job in enumerate(jobs, 1):
        derived = derive(job.document, summary_lengths=lengths)
        into[job.document.id] = derived
        disk.write(job.path, "derived", encode_derived(derived))
        if progress is not None:
            progress("deriving", done, len(jobs))
        yield


def _feed(
    workers: ProcessPoolExecutor,
    limit: int,
    jobs: list[Job],
    lengths: tuple[str, ...],
    done: queue.Queue[tuple[Job, bytes | None]],
) -> None:
    """Keep ``limit`` jobs submitted; put each result (``None``: the worker could not use the
    document's record) on ``done`` as it finishes."""
    waiting = iter(jobs)
    running: dict[Future[bytes], Job] = {}
    while True:
        while len(running) < limit and (job := next(waiting, None)) is not None:
            try:
                running[workers.submit(derive_record, job.source(), lengths)] = job
            except Exception:  # a broken pool: the caller derives the rest itself
                done.put((job, None))
        if not running:
            return
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            job = running.pop(future)
            try:
                done.put((job, future.result()))
            except Exception:  # a damaged record, a worker that died: derived by the caller
                done.put((job, None))


def _collect(
    disk: Disk,
    jobs: list[Job],
    lengths: tuple[str, ...],
    into: dict[str, Part],
    done: queue.Queue[tuple[Job, bytes | None]],
    progress: Progress | None,
) -> Iterator[None]:
    for count in range(1, len(jobs) + 1):
        job, payload = done.get()
        if payload is None:  # its document record changed under the worker: derive it here
            payload = encode_derived(derive(job.document, summary_lengths=lengths))
        disk.write(job.path, "derived", payload)
        part = stored_part(disk, job.document, job.path, payload)
        into[job.document.id] = part or derive(job.document, summary_lengths=lengths)
        if progress is not None:
            progress("deriving", count, len(jobs))
        yield


def quote_book(
    disk: Disk,
    documents: Sequence[Document],
    parts: Sequence[tuple[Part, Path | None]],
    lengths: tuple[str, ...],
) -> QuoteBook:
    """The corpus's :class:`QuoteBook` from each document's part (same order), in its tiered
    form: of a stored record only the quotes the book keeps in memory are decoded (see
    :class:`~bot.core.quotes.Shelf`), the rest when a request needs them. A stored record
    whose quotes are damaged is reported, derived again and rewritten (at load or then)."""
    shelves: dict[str, Shelf] = {}
    short: list[Quote] = []
    plain: list[Quote] = []
    for document, (part, path) in zip(documents, parts, strict=True):
        if isinstance(part, Stored):
            try:
                hot, count, own, more, fewer = derived_hot_quotes(
                    parse_hot(part.payload()), document
                )
                load = functools.partial(_stored_quotes, disk, document, part, path, lengths)
                shelves[document.id] = Shelf.split(hot, count, own, load, load_in=load)
                short += more
                plain += fewer
                continue
            except (ValueError, StoreDamaged) as error:
                part = _rederive(disk, document, path, lengths, error)
        shelves[document.id] = Shelf.of(part.quotes)
        short += part.short
        plain += part.plain
    return QuoteBook.from_shelves(documents, shelves, short, plain)


def _rederive(
    disk: Disk, document: Document, path: Path | None, lengths: tuple[str, ...], error: Exception
) -> Derived:
    """Report a record whose quotes are damaged, derive them again and rewrite it."""
    damaged = isinstance(error, StoreDamaged)
    disk.damaged(str(error) if damaged else f"{path}: invalid content ({error})")
    fresh = derive(document, summary_lengths=lengths)
    disk.write(path, "derived", encode_derived(fresh))
    return fresh


def _stored_quotes(
    disk: Disk,
    document: Document,
    part: Stored,
    path: Path | None,
    lengths: tuple[str, ...],
    paragraphs: frozenset[int] | None = None,
) -> tuple[Quote, ...]:
    """Every quote of ``document``'s stored record, ranked, or only those of ``paragraphs``
    (only they decoded); derived again when the record is damaged."""
    try:
        record = parse_derived(part.payload())
        if paragraphs is not None:
            record = {"short": [], "plain": [], "quotes": _rows_in(record["quotes"], paragraphs)}
        return derived_quotes(record, document)[0]
    except (ValueError, StoreDamaged) as error:
        quotes = _rederive(disk, document, path, lengths, error).quotes
        return tuple(q for q in quotes if paragraphs is None or q.paragraph in paragraphs)


def _rows_in(rows: list[object], paragraphs: frozenset[int]) -> list[object]:
    return [
        r for r in rows if isinstance(r, list) and r and type(r[0]) is int and r[0] in paragraphs
    ]
