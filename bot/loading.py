"""Loading the corpus for a front end: the store folder, progress on the terminal, the library.

:func:`load_library` is what ``run``, ``check``, the console, the one-shot commands and a live
reload call: it reads the corpus through the corpus store (:mod:`bot.core.store`) in
:func:`store_folder`, shows progress (a rich progress bar on a terminal: files read, documents
derived, index built, with counts and an ETA; a log line every few seconds otherwise) and
returns the :class:`Library` with what came from the store.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.core.errors import CorpusError
from bot.core.library import Library
from bot.core.models import LoadProblem
from bot.core.store import CorpusStore, Progress, StoreReport
from bot.settings import Settings, check_corpus_paths

log = logging.getLogger("corpusbot")

#: The store folder's name beside the SQLite file when ``corpus.cache_dir`` is not set.
DEFAULT_STORE_NAME = ".corpusbot-cache"
#: Seconds between progress log lines when the output is not a terminal.
LOG_EVERY = 3.0

_STAGES = {"reading": "files read", "deriving": "documents derived", "indexing": "index built"}


@dataclass(frozen=True, slots=True)
class Loaded:
    """A loaded library, the seconds each step took and what came from the store."""

    library: Library
    timings: dict[str, float]
    report: StoreReport


def store_folder(settings: Settings) -> Path | None:
    """The corpus store folder: ``corpus.cache_dir`` when set, else ``.corpusbot-cache`` beside
    the SQLite file when that file's folder exists; ``None`` (no store) for an in-memory
    database or a storage folder that does not exist yet (``check`` creates nothing there)."""
    if settings.corpus.cache_dir is not None:
        return Path(settings.corpus.cache_dir)
    storage = str(settings.storage.path)
    if storage == ":memory:" or not Path(storage).parent.is_dir():
        return None
    return Path(storage).parent / DEFAULT_STORE_NAME


def progress_display(stream: TextIO) -> tuple[Progress, Callable[[], None]]:
    """A store progress callback and its ``stop``: a rich bar per stage on a terminal, else a
    log line at least every :data:`LOG_EVERY` seconds while work goes on."""
    if stream.isatty():
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TaskID,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bar

        bar = Bar(
            TextColumn("{task.description:<18}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(file=stream),
            transient=True,
        )
        tasks: dict[str, TaskID] = {}
        bar.start()

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        return update, bar.stop

    last: dict[str, float] = {}

    def log_line(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last.get(stage, 0.0) >= LOG_EVERY or done == total:
            last[stage] = now
            log.info("loading corpus: %d/%d %s", done, total, _STAGES.get(stage, stage))

    return log_line, lambda: None


def _silent(stage: str, done: int, total: int) -> None:
    pass


def _nothing() -> None:
    pass


class NoDocuments(CorpusError):
    """No document could be loaded (the message is the start-up wording); ``problems`` holds
    each file's problem (empty: the corpus paths hold no document), for a reload to word its own
    answer."""

    def __init__(self, message: str, problems: tuple[LoadProblem, ...]) -> None:
        super().__init__(message)
        self.problems = problems


def load_library(
    settings: Settings,
    *,
    stream: TextIO = sys.stderr,
    quiet: bool = False,
    problems: Callable[[LoadProblem], None] | None = None,
) -> Loaded:
    """Read the corpus (through the store) and build or load everything derived from it.

    ``problems`` is called with each load problem before the corpus is required to have a
    document. Raises :class:`~bot.core.errors.CorpusError` (nothing loaded, a path missing) or
    :class:`~bot.settings.ConfigError` for a ``corpus.paths`` entry that does not exist.
    """
    from bot.core.loader import require_documents

    check_corpus_paths(settings)
    store = CorpusStore(store_folder(settings))
    progress, stop = (_silent, _nothing) if quiet else progress_display(stream)
    try:
        started = time.perf_counter()
        corpus = store.read(
            list(settings.corpus.paths), language=settings.corpus.language, progress=progress
        )
        loaded_at = time.perf_counter()
        for problem in corpus.problems:
            if problems is not None:
                problems(problem)
        try:
            require_documents(corpus)
        except CorpusError as error:
            raise NoDocuments(str(error), corpus.problems) from None
        library = store.library(corpus, summary_length=settings.summary.length, progress=progress)
    finally:
        stop()
    report = store.report
    timings = {
        "load_s": loaded_at - started,
        "index_s": report.timings.get("index", 0.0),
        "derive_s": report.timings.get("derive", 0.0),
    }
    return Loaded(library, timings, report)
