"""The record of what a set of inputs (corpus paths, language) held, and the clean-up that keeps
the store the size of a few recent corpora.

What the record of the same inputs used before and uses no longer (the old search index, the
records of a changed or removed file) is deleted at once, not after the grace period: the
process that replaced the record has just made them obsolete, and a process still serving the
old corpus has its index memory-mapped (an unlinked file stays readable for it on Linux) and
its records read. Files that no record names are kept for the grace period instead: another
process sharing the folder may be writing them and not yet have recorded them."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Mapping, Set
from pathlib import Path
from typing import Any

from bot.core.store._disk import Disk
from bot.core.store.records import StoreDamaged, read_record

__all__ = ["FOLDERS", "clean", "save_inputs"]

#: The store's folders of records (besides ``corpora/``).
FOLDERS = ("files", "documents", "derived", "index")


def save_inputs(disk: Disk, inputs: str, record: Mapping[str, object]) -> set[str]:
    """Record what the inputs held (``files``: hashes; ``documents``: ``[id, key, path]``;
    ``problems``) and every key they use (``keys``), for the next start and :func:`clean`.
    Returns the keys the record it replaced used and this one does not (the superseded)."""
    path = disk.path("corpora", inputs)
    before: set[str] = set()
    if path is not None and path.exists():
        before = _keys(path)
    disk.write(path, "corpus", json.dumps(record).encode())
    if disk.report.write_error is not None:  # the old record still names them
        return set()
    return before - _used(record)


def clean(
    folder: Path, *, keep_inputs: int, grace: float, superseded: Set[str] = frozenset()
) -> None:
    """Delete the store files that none of the ``keep_inputs`` most recent inputs use and that
    are older than ``grace`` seconds (another process may be about to record them), or that
    are ``superseded`` (see the module docstring)."""
    now = time.time()
    corpora = sorted((folder / "corpora").glob("*.rec"), key=_mtime, reverse=True)
    keep: set[str] = set()
    for number, path in enumerate(corpora):
        if number >= keep_inputs and now - _mtime(path) > grace:
            path.unlink(missing_ok=True)
            continue
        keep |= _keys(path)
    for name in FOLDERS:
        for path in (folder / name).glob("*"):
            stem = path.name.split(".")[0]
            if stem in keep or (stem not in superseded and now - _mtime(path) <= grace):
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _keys(path: Path) -> set[str]:
    """Every key the inputs record at ``path`` uses (none when it is damaged)."""
    try:
        return _used(json.loads(read_record(path, "corpus")))
    except (StoreDamaged, ValueError, KeyError, TypeError, AttributeError):
        return set()


def _used(record: Mapping[str, Any]) -> set[str]:
    """The keys an inputs record uses: its documents' and ``keys``."""
    return {str(entry[1]) for entry in record["documents"]} | {str(k) for k in record["keys"]}


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
