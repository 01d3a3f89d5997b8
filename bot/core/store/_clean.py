"""The record of what a set of inputs (corpus paths, language) held, and the clean-up that keeps
the store the size of a few recent corpora."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Mapping
from pathlib import Path

from bot.core.store._disk import Disk
from bot.core.store.records import StoreDamaged, read_record

__all__ = ["FOLDERS", "clean", "save_inputs"]

#: The store's folders of records (besides ``corpora/``).
FOLDERS = ("files", "documents", "derived", "index")


def save_inputs(disk: Disk, inputs: str, record: Mapping[str, object]) -> None:
    """Record what the inputs held (``files``: hashes; ``documents``: ``[id, key]``;
    ``problems``) and every key they use (``keys``), for the next start and :func:`clean`."""
    disk.write(disk.path("corpora", inputs), "corpus", json.dumps(record).encode())


def clean(folder: Path, *, keep_inputs: int, grace: float) -> None:
    """Delete the store files that none of the ``keep_inputs`` most recent inputs use (and that
    are older than ``grace`` seconds: another process may be about to record them)."""
    now = time.time()
    corpora = sorted((folder / "corpora").glob("*.rec"), key=_mtime, reverse=True)
    keep: set[str] = set()
    for number, path in enumerate(corpora):
        if number >= keep_inputs and now - _mtime(path) > grace:
            path.unlink(missing_ok=True)
            continue
        try:
            record = json.loads(read_record(path, "corpus"))
            keep |= {str(key) for _, key in record["documents"]}
            keep |= {str(key) for key in record["keys"]}
        except (StoreDamaged, ValueError, KeyError, TypeError):
            continue
    for name in FOLDERS:
        for path in (folder / name).glob("*"):
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
