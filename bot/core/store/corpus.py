"""The corpus store: parsed documents and their derived data, on disk, reused across starts.

Layout of the store folder (every file a checksummed record, see :mod:`.records`)::

    corpora/<inputs>.rec    what the corpus paths held last time: each file's SHA-256, the
                            documents (id and key) and the load problems
    documents/<key>.rec     one parsed document (key: SHA-256 of its JSON and the code version)
    derived/<key>.rec       its quotes and summaries
    index/<key>/            the search index of the whole corpus (``SearchIndex.save``: ``.npy``
                            arrays, memory-mapped when loaded, with checksums in ``meta.json``)

Reading: every file under the corpus paths is hashed; when every hash is as recorded, the
documents come from the store without parsing; otherwise the loader reads the corpus again.
Either way only documents whose derived record is missing or damaged are derived, in parallel
worker processes, while the search index is built (or loaded) in this one. The code version is
a hash of the ``bot/core`` sources, so any change of the code that derives rebuilds what it
derived. Damaged files are logged and rebuilt; a store folder that cannot be written only costs
time. Unreferenced records older than :data:`GRACE_SECONDS` are deleted, so the store stays the
size of one corpus (a few recent inputs).
"""

from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.library import Library
from bot.core.loader import MAX_FILE_BYTES, load_corpus
from bot.core.models import Corpus, Document, LoadProblem, Summary
from bot.core.search import IndexFileError, SearchIndex
from bot.core.store.codec import (
    Derived,
    decode_derived,
    decode_document,
    encode_derived,
    encode_document,
)
from bot.core.store.derive import derive, derive_payload, merge_quotes
from bot.core.store.records import StoreDamaged, read_record, write_record

__all__ = ["GRACE_SECONDS", "CorpusStore", "Progress", "StoreReport", "code_version"]

log = logging.getLogger(__name__)

#: ``progress(stage, done, total)``; stages ``"reading"`` (files), ``"deriving"`` (documents),
#: ``"indexing"`` (index build steps). ``done`` grows to ``total`` within a stage.
Progress = Callable[[str, int, int], None]

#: Unreferenced store files younger than this are kept (another process may be about to use them).
GRACE_SECONDS = 600.0
#: Less text than this (characters) to derive is derived in this process: starting worker
#: processes costs about a second, deriving a megabyte of prose about one second of one core.
POOL_MIN_CHARS = 1_500_000
#: How many recent sets of inputs (corpus paths and language) keep their records.
KEEP_INPUTS = 4
_CORE = Path(__file__).resolve().parent.parent


@functools.cache
def code_version() -> str:
    """SHA-256 (hex, 16 chars) of every ``bot/core`` source file: what derived data depends on."""
    digest = hashlib.sha256()
    for source in sorted(_CORE.rglob("*.py")):
        digest.update(source.relative_to(_CORE).as_posix().encode() + b"\0")
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _key(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()[:32]


@dataclass(slots=True)
class StoreReport:
    """What one load took from the store and what it rebuilt (for ``check`` and the logs)."""

    folder: Path | None
    documents_from_store: int = 0
    documents_parsed: int = 0
    derived_from_store: int = 0
    derived_built: int = 0
    index_from_store: bool = False
    damaged: list[str] = field(default_factory=list)
    write_error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)


def _file_hashes(paths: Sequence[Path], progress: Progress | None) -> dict[str, str]:
    """SHA-256 of every file the loader could read under ``paths`` (hidden ones excepted)."""
    files: list[Path] = []
    for given in paths:
        root = Path(given)
        if root.is_dir():
            for current, dirs, names in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                files += [Path(current) / n for n in sorted(names) if not n.startswith(".")]
        else:
            files += [root, root.parent / "corpus.yaml"]
    hashes: dict[str, str] = {}
    for done, file in enumerate(files, 1):
        hashes[str(file)] = _file_hash(file)
        if progress is not None:
            progress("reading", done, len(files))
    return hashes


def _file_hash(file: Path) -> str:
    """SHA-256 of a regular file's bytes; for anything else a description the loader agrees with.

    Only regular files of at most :data:`MAX_FILE_BYTES` are read: opening a named pipe blocks
    until a writer comes (the loader reports it as "not a regular file"), and a file over the
    size limit is refused by the loader anyway, so its size and modification time stand for it.
    """
    try:
        info = os.stat(file)
        if not stat.S_ISREG(info.st_mode):
            return f"not a regular file: mode {stat.S_IFMT(info.st_mode):o}"
        if info.st_size > MAX_FILE_BYTES:
            return f"too large: {info.st_size} bytes, modified {info.st_mtime_ns}"
        with open(file, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as error:
        return f"unreadable: {error.__class__.__name__}"


class CorpusStore:
    """Loads a corpus through the store folder ``folder`` (``None``: no store, build in memory).

    Use :meth:`read` for the corpus, then :meth:`library` for everything built from it; the
    :attr:`report` says what came from the store. ``workers`` caps the derive processes
    (default: all cores).
    """

    def __init__(self, folder: Path | None, *, workers: int | None = None) -> None:
        self.folder = folder
        self.workers = workers or os.cpu_count() or 1
        self.report = StoreReport(folder)
        self._keys: dict[str, str] = {}
        self._payloads: dict[str, bytes] = {}
        self._inputs: str | None = None
        self._hashes: dict[str, str] = {}

    # ---- reading ------------------------------------------------------------------------

    def read(
        self, paths: Sequence[Path], *, language: str = "en", progress: Progress | None = None
    ) -> Corpus:
        """The corpus under ``paths``: from the store when no file changed, else from the loader.

        Raises :class:`~bot.core.errors.CorpusError` like :func:`load_corpus`.
        """
        started = time.perf_counter()
        inputs = _key(json.dumps([[str(p) for p in paths], language, code_version()]))
        corpus = None
        if self.folder is not None:
            self._inputs = inputs
            self._hashes = _file_hashes(paths, progress)
            corpus = self._stored_corpus(inputs, self._hashes)
        if corpus is None:
            reported = None if progress is None else _loader_progress(progress)
            corpus = load_corpus(list(paths), language=language, progress=reported)
            self.report.documents_parsed = len(corpus)
            if self.folder is not None:
                self._save_documents(corpus)
        else:
            self.report.documents_from_store = len(corpus)
        self.report.timings["read"] = time.perf_counter() - started
        return corpus

    def _record(self, path: Path, kind: str) -> bytes | None:
        try:
            return read_record(path, kind)
        except StoreDamaged as error:
            if error.fault != "missing":
                self._damaged(str(error))
            return None

    def _damaged(self, message: str) -> None:
        log.warning("corpus store: %s; it is rebuilt", message)
        self.report.damaged.append(message)

    def _stored_corpus(self, inputs: str, hashes: dict[str, str]) -> Corpus | None:
        assert self.folder is not None
        path = self.folder / "corpora" / f"{inputs}.rec"
        payload = self._record(path, "corpus")
        if payload is None:
            return None
        try:
            record = json.loads(payload)
            if record["files"] != hashes:
                return None
            listed = [(str(i), str(k)) for i, k in record["documents"]]
            problems = tuple(
                LoadProblem(str(p), str(r), bool(f), bool(s)) for p, r, f, s in record["problems"]
            )
        except (ValueError, KeyError, TypeError) as error:
            self._damaged(f"{path}: invalid content ({error})")
            return None
        documents = []
        for document_id, key in listed:
            document = self._stored_document(key)
            if document is None or document.id != document_id:
                return None
            documents.append(document)
        return Corpus(tuple(documents), problems)

    def _stored_document(self, key: str) -> Document | None:
        assert self.folder is not None
        path = self.folder / "documents" / f"{key}.rec"
        payload = self._record(path, "document")
        if payload is None:
            return None
        try:
            document = decode_document(payload)
        except ValueError as error:
            self._damaged(f"{path}: invalid content ({error})")
            return None
        self._keys[document.id] = key
        self._payloads[document.id] = payload
        return document

    def _save_documents(self, corpus: Corpus) -> None:
        assert self.folder is not None
        for document in corpus:
            payload = encode_document(document)
            key = _key(code_version(), payload)
            self._keys[document.id] = key
            self._payloads[document.id] = payload
            self._write(self.folder / "documents" / f"{key}.rec", "document", payload)

    def _write(self, path: Path, kind: str, payload: bytes) -> None:
        if self.report.write_error is not None:
            return
        try:
            write_record(path, kind, payload)
        except OSError as error:
            self.report.write_error = f"{path.parent}: {error.strerror or error}"
            log.warning(
                "corpus store: cannot write %s (%s); the corpus is rebuilt at every start "
                "until the folder is writable (corpus.cache_dir)",
                path.parent,
                error.strerror or error,
            )

    # ---- deriving -----------------------------------------------------------------------

    def library(
        self,
        corpus: Corpus,
        *,
        summary_length: str = "medium",
        progress: Progress | None = None,
    ) -> Library:
        """A :class:`Library` with every part ready: derived data and the index from the store,
        or built now (documents in parallel processes, the index here meanwhile)."""
        started = time.perf_counter()
        lengths = (summary_length,)
        derived: dict[str, Derived] = {}
        missing: list[Document] = []
        for document in corpus:
            found = self._stored_derived(document, lengths)
            if found is None:
                missing.append(document)
            else:
                derived[document.id] = found
        self.report.derived_from_store = len(derived)
        self.report.derived_built = len(missing)
        jobs = self._derive(missing, lengths, derived, progress)
        index, index_key = self._index(corpus, progress)
        for _ in jobs:  # the derive results, as they come
            pass
        parts = [derived[d.id] for d in corpus]
        # Assembled on first use (about a second per ten novels): a restart answers sooner,
        # and the bot warms it in its core thread once connected.
        quotes = functools.partial(merge_quotes, corpus.documents, parts)
        summaries: dict[tuple[str, str, int | None], Summary] = {}
        for document, part in zip(corpus, parts, strict=True):
            for length, summary in part.summaries.items():
                summaries[(document.id, length, None)] = summary
        self.report.timings["derive"] = time.perf_counter() - started
        if self.folder is not None and self.report.write_error is None:
            paths = [self._derived_path(d, lengths) for d in corpus]
            self._save_inputs(corpus, [p.stem for p in paths if p is not None], index_key)
            self._clean()
        return Library(corpus, index=index, quotes=quotes, summaries=summaries)

    def _derived_path(self, document: Document, lengths: tuple[str, ...]) -> Path | None:
        if self.folder is None:
            return None
        key = self._keys.get(document.id) or _key(code_version(), encode_document(document))
        return self.folder / "derived" / f"{_key(key, *lengths)}.rec"

    def _stored_derived(self, document: Document, lengths: tuple[str, ...]) -> Derived | None:
        path = self._derived_path(document, lengths)
        if path is None:
            return None
        payload = self._record(path, "derived")
        if payload is None:
            return None
        try:
            derived = decode_derived(payload, document)
        except ValueError as error:
            self._damaged(f"{path}: invalid content ({error})")
            return None
        return derived

    def _derive(
        self,
        documents: list[Document],
        lengths: tuple[str, ...],
        into: dict[str, Derived],
        progress: Progress | None,
    ) -> Iterator[None]:
        """Start deriving ``documents``; iterate the result to wait for them (filling ``into``)."""
        total = len(documents)
        if progress is not None:
            progress("deriving", 0, total)
        workers = min(self.workers, total)
        chars = sum(len(p.text) for d in documents for p in d.paragraphs)
        if workers <= 1 or chars < POOL_MIN_CHARS:
            return self._derive_here(documents, lengths, into, progress)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["__main__", "bot.core.store.derive"])
        pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=context)
        futures = {pool.submit(derive_payload, self._payload(d), lengths): d for d in documents}
        return self._collect(pool, futures, into, lengths, progress)

    def _payload(self, document: Document) -> bytes:
        payload = self._payloads.get(document.id)
        return payload if payload is not None else encode_document(document)

    def _derive_here(
        self,
        documents: list[Document],
        lengths: tuple[str, ...],
        into: dict[str, Derived],
        progress: Progress | None,
    ) -> Iterator[None]:
        for done, document in enumerate(documents, 1):
            derived = derive(document, summary_lengths=lengths)
            into[document.id] = derived
            self._save_derived(document, lengths, encode_derived(derived))
            if progress is not None:
                progress("deriving", done, len(documents))
            yield

    def _collect(
        self,
        pool: concurrent.futures.ProcessPoolExecutor,
        futures: dict[concurrent.futures.Future[bytes], Document],
        into: dict[str, Derived],
        lengths: tuple[str, ...],
        progress: Progress | None,
    ) -> Iterator[None]:
        with pool:
            for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
                document = futures[future]
                payload = future.result()
                into[document.id] = decode_derived(payload, document)
                self._save_derived(document, lengths, payload)
                if progress is not None:
                    progress("deriving", done, len(futures))
                yield

    def _save_derived(self, document: Document, lengths: tuple[str, ...], payload: bytes) -> None:
        path = self._derived_path(document, lengths)
        if path is not None:
            self._write(path, "derived", payload)

    # ---- the search index ----------------------------------------------------------------

    def _index(self, corpus: Corpus, progress: Progress | None) -> tuple[SearchIndex, str]:
        started = time.perf_counter()
        key = _key(code_version(), SearchIndex.fingerprint(corpus))
        index = self._stored_index(key, corpus)
        if index is None:
            reported = None
            if progress is not None:
                reported = functools.partial(progress, "indexing")
            index = SearchIndex.build(corpus, progress=reported)
            self._save_index(key, index, corpus)
        else:
            self.report.index_from_store = True
        self.report.timings["index"] = time.perf_counter() - started
        return index, key

    def _stored_index(self, key: str, corpus: Corpus) -> SearchIndex | None:
        if self.folder is None:
            return None
        try:
            return SearchIndex.load(self.folder / "index" / key, corpus, mmap=True)
        except IndexFileError as error:
            if error.reason == "damaged":
                self._damaged(str(error))
            return None

    def _save_index(self, key: str, index: SearchIndex, corpus: Corpus) -> None:
        if self.folder is None or self.report.write_error is not None:
            return
        folder = self.folder / "index" / key
        try:
            index.save(folder)
        except OSError as error:
            self.report.write_error = f"{folder.parent}: {error.strerror or error}"
            log.warning(
                "corpus store: cannot write the search index to %s (%s)", folder.parent, error
            )

    # ---- the record of the inputs, and clean-up --------------------------------------------

    def _save_inputs(self, corpus: Corpus, derived: list[str], index: str) -> None:
        """Record what the inputs held (files, documents, problems) and every key they use."""
        assert self.folder is not None
        assert self._inputs is not None
        record = {
            "files": self._hashes,
            "documents": [[d.id, self._keys[d.id]] for d in corpus],
            "problems": [[p.path, p.reason, p.fatal, p.skipped] for p in corpus.problems],
            "derived": derived,
            "index": index,
        }
        path = self.folder / "corpora" / f"{self._inputs}.rec"
        self._write(path, "corpus", json.dumps(record).encode())

    def _clean(self) -> None:
        """Delete the store files that no recent inputs use (and that are older than
        :data:`GRACE_SECONDS`: another process may be about to record them)."""
        assert self.folder is not None
        now, grace = time.time(), GRACE_SECONDS
        corpora = sorted((self.folder / "corpora").glob("*.rec"), key=_mtime, reverse=True)
        keep: set[str] = set()
        for number, path in enumerate(corpora):
            if number >= KEEP_INPUTS and now - _mtime(path) > grace:
                path.unlink(missing_ok=True)
                continue
            try:
                record = json.loads(read_record(path, "corpus"))
                keep |= {str(key) for _, key in record["documents"]}
                keep |= {str(key) for key in record["derived"]} | {str(record["index"])}
            except (StoreDamaged, ValueError, KeyError, TypeError):
                continue
        for folder in ("documents", "derived", "index"):
            for path in (self.folder / folder).glob("*"):
                if path.name.split(".")[0] in keep or now - _mtime(path) <= grace:
                    continue
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _loader_progress(progress: Progress) -> Callable[[int, int, Path], None]:
    def report(done: int, total: int, path: Path) -> None:
        progress("reading", done, total)

    return report
