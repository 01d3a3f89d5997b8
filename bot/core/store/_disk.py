"""The store folder as the corpus store uses it: records read and written, damage reported.

Also the keys records are stored under (:func:`key`, :func:`code_version`) and the hashes of the
corpus files (:func:`file_hashes`).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.loader import MAX_FILE_BYTES
from bot.core.store.records import StoreDamaged, read_record, write_record

log = logging.getLogger("bot.core.store")

#: ``progress(stage, done, total)``; stages ``"reading"`` (files), ``"deriving"`` (documents),
#: ``"indexing"`` (index build steps). ``done`` grows to ``total`` within a stage.
Progress = Callable[[str, int, int], None]

_CORE = Path(__file__).resolve().parent.parent


@functools.cache
def code_version() -> str:
    """SHA-256 (hex, 16 chars) of every ``bot/core`` source file: what derived data depends on."""
    digest = hashlib.sha256()
    for source in sorted(_CORE.rglob("*.py")):
        digest.update(source.relative_to(_CORE).as_posix().encode() + b"\0")
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def key(*parts: str | bytes) -> str:
    """A record key: SHA-256 (hex, 32 chars) of ``parts``, each ended by a NUL byte."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()[:32]


@dataclass(slots=True)
class StoreReport:
    """What one load took from the store and what it rebuilt (for ``check`` and the logs).

    ``documents_parsed`` counts the files read by the loader (a changed file among unchanged
    ones: 1); ``derived_built`` the documents whose quotes and summaries were computed."""

    folder: Path | None
    documents_from_store: int = 0
    documents_parsed: int = 0
    derived_from_store: int = 0
    derived_built: int = 0
    index_from_store: bool = False
    index_documents: int = 0  # documents indexed now (all, or the changed ones of a delta)
    damaged: list[str] = field(default_factory=list)
    write_error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)


class Disk:
    """Records under ``report.folder`` (``None``: nothing is read or written): a damaged record
    is logged and reported, a folder that cannot be written is reported once."""

    def __init__(self, report: StoreReport) -> None:
        self.folder = report.folder
        self.report = report

    def path(self, kind: str, name: str) -> Path | None:
        """Where record ``name`` of ``kind`` lives (``documents/<name>.rec``), or ``None``."""
        return None if self.folder is None else self.folder / kind / f"{name}.rec"

    def read(self, path: Path | None, kind: str) -> bytes | None:
        """The payload at ``path``; ``None`` when missing or damaged (damage is reported)."""
        if path is None:
            return None
        try:
            return read_record(path, kind)
        except StoreDamaged as error:
            if error.fault != "missing":
                self.damaged(str(error))
            return None

    def damaged(self, message: str) -> None:
        """Log and report a store file that cannot be used (it is rebuilt); once per fault."""
        if message in self.report.damaged:
            return
        log.warning("corpus store: %s; it is rebuilt", message.rstrip("."))
        self.report.damaged.append(message)

    def write(self, path: Path | None, kind: str, payload: bytes) -> None:
        """Write a record; after a first failure nothing more is tried (and it is logged)."""
        if path is None or self.report.write_error is not None:
            return
        try:
            write_record(path, kind, payload)
        except OSError as error:
            self.write_failed(path.parent, error)

    def write_failed(self, folder: Path, error: OSError) -> None:
        """Report that ``folder`` cannot be written (once)."""
        self.report.write_error = f"{folder}: {error.strerror or error}"
        log.warning(
            "corpus store: cannot write %s (%s); the corpus is rebuilt at every start "
            "until the folder is writable (corpus.cache_dir)",
            folder,
            error.strerror or error,
        )


def file_hashes(paths: Sequence[Path], progress: Progress | None) -> dict[str, str]:
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
        hashes[str(file)] = file_hash(file)
        if progress is not None:
            progress("reading", done, len(files))
    return hashes


def file_hash(file: Path) -> str:
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
