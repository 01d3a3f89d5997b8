"""Checks that need the file system or the loaded corpus (``check``, ``schedule``, ``run``):
storage, corpus paths and the documents named by daily schedules."""

from __future__ import annotations

import difflib
import os
import sqlite3
import tempfile
from collections.abc import Collection, Mapping
from pathlib import Path

from bot.settings._errors import ConfigError
from bot.settings._messages import _EXAMPLES, _show
from bot.settings._model import Settings

# --------------------------------------------------------------------------------------------
# Checks that need the file system or the loaded corpus (``check``, ``schedule``, ``run``)
# --------------------------------------------------------------------------------------------


def _where(settings: Settings, key: str) -> str:
    origins = dict(settings.origins)
    origin = origins.get(key) or origins.get(key.partition("[")[0])
    return (
        f"{key} (from {'the environment variable ' + origin if origin.isupper() else origin})"
        if origin
        else key
    )


def _storage_problem(path: Path) -> str | None:
    """Why SQLite could not use ``path``, or ``None``. Probes by making (and removing) a
    temporary file in the folder, so a read-only or pseudo file system (``/proc``) is caught
    even for root, and opens an existing file read-only to see that it is a SQLite database."""
    if str(path) == ":memory:":
        return None
    if path.is_dir():
        return f"{path} is a folder; give the path of a file (it may be inside that folder)"
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = (
            folder.parent
        )  # the bot creates missing folders, so the nearest existing one counts
    if not folder.is_dir():
        return f"{folder} is not a folder, so {path} cannot be created"
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".corpusbot-check-"):
            pass
    except OSError as error:
        return f"cannot create files in the folder {folder} ({error.strerror or error})"
    if path.exists():
        if not path.is_file():
            return f"{path} is not a regular file"
        try:
            db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            try:
                db.execute("PRAGMA schema_version").fetchone()
            finally:
                db.close()
        except sqlite3.Error as error:
            return f"{path} cannot be used as a SQLite database ({error})"
        if not os.access(path, os.R_OK | os.W_OK):
            return f"{path} is not readable and writable by this user"
        from bot.storage._sqlite import integrity_problem

        return integrity_problem(path)
    return None


def check_storage(settings: Settings) -> None:
    """Check that ``storage.path`` can be used as the SQLite file, without writing it.

    Accepted: ``:memory:``; an existing SQLite file; a new file whose folder exists or can be
    created (the bot creates missing folders) and accepts new files.

    Raises:
        ConfigError: naming ``storage.path`` (and ``CORPUSBOT_STORAGE`` when it came from
            there), the reason (a folder, not a SQLite file, folder not writable...) and an
            example.
    """
    file = settings.storage.sqlite_file
    problem = None if file is None else _storage_problem(file)
    if problem is not None:
        raise ConfigError(
            settings.config_path,
            [
                f"{_where(settings, 'storage.path')}: {problem}; for example: path: "
                f"{_EXAMPLES['storage.path']}."
            ],
        )


def check_corpus_paths(settings: Settings) -> None:
    """Check that every ``corpus.paths`` entry exists, before the corpus is loaded.

    Raises:
        ConfigError: one problem per missing path, naming ``corpus.paths[i]`` (and ``--corpus``
            when the paths came from the command line), the path as given, and the folder a
            relative path was resolved from: the config file's folder for the file's entries,
            the working directory for ``--corpus`` (or when there is no config file).
    """
    from_cli = dict(settings.origins).get("corpus.paths") is not None
    if from_cli or settings.config_path is None:
        base = f"the working directory {Path.cwd()}"
    else:
        base = f"the config file's folder {settings.config_path.parent}"
    example = "--corpus seeds" if from_cli else f"paths: {_EXAMPLES['corpus.paths']}"
    problems = [
        f"{_where(settings, f'corpus.paths[{i}]')}: {path} does not exist (relative paths are "
        f"resolved from {base}); for example: {example}."
        for i, path in enumerate(settings.corpus.paths)
        if not path.exists()
    ]
    if problems:
        raise ConfigError(settings.config_path, problems)


_MAX_IDS_SHOWN = 20


def check_daily_documents(
    settings: Settings,
    document_ids: Collection[str],
    *,
    aliases: Mapping[str, str] | None = None,
) -> None:
    """Check every ``daily[i].documents`` entry against the loaded corpus's document ids.

    Args:
        settings: validated settings.
        document_ids: the ids of the loaded documents (:attr:`bot.core.models.Document.id`).
        aliases: other names of documents, case-folded (file name stem, title) → id; an entry
            close to an id or to one of these names gets "did you mean <id>" (closeness as
            :func:`difflib.get_close_matches`, ratio ≥ 0.6).

    Raises:
        ConfigError: one problem per unknown id, naming ``daily[i].documents[j]``, the id, a
            close id ("did you mean") when there is one, and the valid ids (the first 20).
    """
    known = sorted(document_ids)
    shown = ", ".join(known[:_MAX_IDS_SHOWN])
    if len(known) > _MAX_IDS_SHOWN:
        shown += f", ... ({len(known)} in all; `corpusbot check` lists them)"
    problems = []
    for i, schedule in enumerate(settings.daily):
        for j, doc_id in enumerate(schedule.documents):
            if doc_id in document_ids:
                continue
            names = {k: k for k in known} | dict(aliases or {})
            close = difflib.get_close_matches(doc_id.strip().casefold(), names, n=1, cutoff=0.6)
            hint = f" Did you mean {names[close[0]]}?" if close else ""
            problems.append(
                f"daily[{i}].documents[{j}]: no document has the id {_show(doc_id)} in the loaded "
                f"corpus, so the daily post would have no quote.{hint} Document ids: {shown}."
            )
    if problems:
        raise ConfigError(settings.config_path, problems)
