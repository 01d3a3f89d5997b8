"""The corpus store: parsed documents and their derived data, on disk, reused across starts.

Layout of the store folder (every file a checksummed record, see :mod:`.records`)::

    corpora/<inputs>.rec    what the corpus paths held last time, read by which code version:
                            each file's SHA-256, the documents (id, key and path), the load
                            problems and every key used
    files/<key>.rec         what one file gave the loader (key: its SHA-256, name, manifest
                            entry, language and the code version, not its folder: a moved
                            corpus is read from the store): id, notes or error
    documents/<key>.rec     one parsed document (key: SHA-256 of its JSON and the code version)
    derived/<key>.rec       its quotes and summaries
    index/<key>/            the search index of the whole corpus (``SearchIndex.save``: ``.npy``
                            arrays, memory-mapped when loaded, with checksums in ``meta.json``);
                            ``index/<key>.<delta>/`` the changed documents' (see :mod:`._index`)

Reading: every file under the corpus paths is hashed; when every hash is as recorded, the
documents come from the store without the loader; otherwise only the files whose record is
missing are read (:mod:`._files`), in worker processes when there is enough to read. Then only
documents whose derived record is missing or damaged are derived, in worker processes, while
the search index is built (or loaded) in this one. The code version is a hash of the
``bot/core`` sources, so any change of the code that derives rebuilds what it derived. Damaged
files are logged and rebuilt; a store folder that cannot be written only costs time.
What the previous load of the same inputs used and this one does not (an old index, the records
of a changed file) is deleted once the new record is written; other unreferenced records once
older than :data:`GRACE_SECONDS` (see :mod:`._clean`), so the store stays the size of one corpus
(a few recent inputs).
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bot.core.library import Library
from bot.core.models import Corpus, Document, LoadProblem, Summary
from bot.core.store._clean import clean, save_inputs
from bot.core.store._derived import (
    Job,
    Part,
    derived_path,
    quote_book,
    save_summary,
    start_deriving,
    stored_part,
    summaries_of,
)
from bot.core.store._disk import Disk, Progress, StoreReport, code_version, file_hashes, key
from bot.core.store._files import read_files, reread_document, stored
from bot.core.store._index import index_of
from bot.core.store._pool import worker_pool
from bot.core.store.codec import encode_document

__all__ = ["GRACE_SECONDS", "CorpusStore", "Progress", "StoreReport", "code_version"]

#: Unreferenced store files younger than this are kept (another process may be about to use them).
GRACE_SECONDS = 600.0
#: Fewer bytes of files to read than this are read in this process: starting worker processes
#: costs about a second, reading and segmenting a megabyte of prose about a third of a second.
POOL_MIN_CHARS = 1_500_000
#: Less text to derive than this (characters) is derived in this process. Deriving costs about
#: two seconds of one core per megabyte, and in workers it overlaps the index build here, so one
#: changed novel is worth the workers' start.
DERIVE_POOL_MIN_CHARS = 300_000
#: How many recent sets of inputs (corpus paths and language) keep their records.
KEEP_INPUTS = 4


class CorpusStore:
    """Loads a corpus through the store folder ``folder`` (``None``: no store, build in memory).

    Use :meth:`read` for the corpus, then :meth:`library` for everything built from it; the
    :attr:`report` says what came from the store. ``workers`` caps the worker processes
    (default: all cores).
    """

    def __init__(self, folder: Path | None, *, workers: int | None = None) -> None:
        self.folder = folder
        self.workers = workers or os.cpu_count() or 1
        self.report = StoreReport(folder)
        self._disk = Disk(self.report)
        self._keys: dict[str, str] = {}
        self._file_keys: list[str] = []
        self._inputs: str | None = None
        self._hashes: dict[str, str] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._reread: Callable[[str, str], Document] = functools.partial(reread_document, (), "en")

    def _workers(self, size: int, minimum: int | None = None) -> ProcessPoolExecutor | None:
        """The worker processes for ``size`` characters of work, or ``None``: do it here (less
        than ``minimum``, default :data:`POOL_MIN_CHARS`)."""
        if self.workers <= 1 or size < (POOL_MIN_CHARS if minimum is None else minimum):
            return None
        if self._pool is None:
            self._pool = worker_pool(self.workers)
        return self._pool

    def close(self) -> None:
        """Stop the worker processes, if any were started (:meth:`library` does it)."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    # ---- reading ------------------------------------------------------------------------

    def read(
        self, paths: Sequence[Path], *, language: str = "en", progress: Progress | None = None
    ) -> Corpus:
        """The corpus under ``paths``: from the store when no file changed, else from the loader
        (only the changed files are read). Raises :class:`~bot.core.errors.CorpusError` like
        :func:`~bot.core.loader.load_corpus`."""
        started = time.perf_counter()
        # Not the code version: a new version's record replaces the old one's, whose records are
        # then deleted as superseded (see _clean) instead of lingering as a fifth of the store.
        inputs = key(json.dumps([[str(p) for p in paths], language]))
        self._reread = functools.partial(reread_document, tuple(paths), language)
        corpus = None
        if self.folder is not None:
            self._inputs = inputs
            self._hashes = file_hashes(paths, progress)
            corpus = self._stored_corpus(inputs, self._hashes)
        if corpus is None:
            parsed = read_files(
                self._disk,
                paths,
                language=language,
                hashes=self._hashes,
                pool=self._workers,
                reread=self._reread,
                progress=progress,
            )
            corpus = parsed.corpus
            self._keys = parsed.keys
            self._file_keys = parsed.file_keys
            self.report.documents_parsed = parsed.parsed
            self.report.documents_from_store = parsed.from_store
        else:
            self.report.documents_from_store = len(corpus)
        self.report.timings["read"] = time.perf_counter() - started
        return corpus

    def _stored_corpus(self, inputs: str, hashes: dict[str, str]) -> Corpus | None:
        path = self._disk.path("corpora", inputs)
        payload = self._disk.read(path, "corpus")
        if payload is None:
            return None
        try:
            record = json.loads(payload)
            if record.get("code") != code_version() or record["files"] != hashes:
                return None
            listed = [(str(i), str(k), str(p)) for i, k, p in record["documents"]]
            problems = tuple(
                LoadProblem(str(p), str(r), bool(f), bool(s)) for p, r, f, s in record["problems"]
            )
            file_keys = [str(k) for k in record["file_keys"]]
        except (ValueError, KeyError, TypeError) as error:
            self._disk.damaged(f"{path}: invalid content ({error})")
            return None
        documents = []
        for document_id, document_key, where in listed:
            document = self._stored_document(document_key, where)
            if document is None or document.id != document_id:
                return None
            documents.append(document)
        self._file_keys = file_keys
        return Corpus(tuple(documents), problems)

    def _stored_document(self, document_key: str, where: str) -> Document | None:
        path = self._disk.path("documents", document_key)
        document = stored(self._disk, path, where, self._reread)
        if document is not None:
            self._keys[document.id] = document_key
        return document

    # ---- deriving -----------------------------------------------------------------------

    def library(
        self,
        corpus: Corpus,
        *,
        summary_length: str = "medium",
        progress: Progress | None = None,
    ) -> Library:
        """A :class:`Library` with every part ready: derived data and the index from the store,
        or built now (documents in worker processes, the index here meanwhile).

        Whole-document summaries are not derived here: a novel's costs about as much as its
        quotes, and only ``/summary`` and ``/sources document:`` need one. The library computes
        one on first use and it is stored in the document's derived record (:func:`save_summary`),
        so the next start has it; ``summary_length`` is kept for callers."""
        started = time.perf_counter()
        lengths: tuple[str, ...] = ()
        paths = {d.id: self._derived_path(d, lengths) for d in corpus}
        parts: dict[str, Part] = {}
        missing = []
        for document in corpus:
            found = stored_part(self._disk, document, paths[document.id])
            if found is None:
                missing.append(Job(document, self._source(document), paths[document.id]))
            else:
                parts[document.id] = found
        self.report.derived_from_store = len(parts)
        self.report.derived_built = len(missing)
        try:
            pool = functools.partial(self._workers, minimum=DERIVE_POOL_MIN_CHARS)
            jobs = start_deriving(
                self._disk, missing, lengths, parts, pool, progress, processes=self.workers
            )
            index, index_key = index_of(self._disk, corpus, self._keys, progress)
            for _ in jobs:  # the derive results, as they come
                pass
        finally:
            self.close()
        ordered = [(parts[d.id], paths[d.id]) for d in corpus]
        # Assembled on first use: a restart answers sooner, and the bot warms it in its core
        # thread once connected.
        quotes = functools.partial(quote_book, self._disk, corpus.documents, ordered, lengths)
        summaries: dict[tuple[str, str, int | None], Summary] = {}
        for document in corpus:
            for length, summary in summaries_of(parts[document.id]).items():
                summaries[(document.id, length, None)] = summary
        self.report.timings["derive"] = time.perf_counter() - started
        if self.folder is not None and self.report.write_error is None:
            superseded = self._save_inputs(corpus, [p.stem for p in paths.values() if p], index_key)
            clean(self.folder, keep_inputs=KEEP_INPUTS, grace=GRACE_SECONDS, superseded=superseded)
        persist = None
        if self.folder is not None:
            persist = functools.partial(self._save_summary, dict(paths))
        return Library(corpus, index=index, quotes=quotes, summaries=summaries, persist=persist)

    def _save_summary(
        self, paths: dict[str, Path | None], document_id: str, length: str, summary: Summary
    ) -> None:
        """Keep a summary the library computed in its document's derived record."""
        save_summary(self._disk, paths.get(document_id), length, summary)

    def _source(self, document: Document) -> Callable[[], bytes | str]:
        """What a worker derives ``document`` from: the path of its record in the store, or
        (no store, or one that cannot be written) its JSON, made when the worker needs it."""
        record = self._disk.path("documents", self._keys.get(document.id, ""))
        if record is not None and document.id in self._keys and self.report.write_error is None:
            return functools.partial(str, record)
        return functools.partial(encode_document, document)

    def _derived_path(self, document: Document, lengths: tuple[str, ...]) -> Path | None:
        if self.folder is None:
            return None
        document_key = self._keys.get(document.id) or key(code_version(), encode_document(document))
        return derived_path(self._disk, document_key, lengths)

    def _save_inputs(self, corpus: Corpus, derived: list[str], index_key: str) -> set[str]:
        assert self._inputs is not None
        record = {
            "code": code_version(),
            "files": self._hashes,
            "documents": [[d.id, self._keys[d.id], d.path] for d in corpus],
            "problems": [[p.path, p.reason, p.fatal, p.skipped] for p in corpus.problems],
            "file_keys": self._file_keys,
            "keys": [*derived, index_key, *self._file_keys],
        }
        return save_inputs(self._disk, self._inputs, record)
