"""Live reload: a new corpus built in the background and swapped in, while commands keep answering.

A reload (``/reload``, ``SIGHUP``, or a change seen by the ``corpus.watch`` poller) reads the
corpus paths again through the corpus store in a worker process (parsing, deriving and indexing
only what changed, all off this process's GIL), then loads the result from the store in a thread
and replaces :attr:`CorpusBot.library` in one assignment. Commands running meanwhile finish on
the old library; buttons on older replies answer from the new one when their document's text is
unchanged, and otherwise say that it changed or was removed (:mod:`bot.views`). A reload that
fails (no document left, a path gone, an error) keeps the old library and says why. One reload
runs at a time; a request during one waits for it and shares its outcome.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ctypes
import gc
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.errors import CorpusError
from bot.core.library import Library
from bot.settings import ConfigError, Settings

if TYPE_CHECKING:
    from bot.client import CorpusBot

log = logging.getLogger(__name__)

#: Seconds between two looks at the corpus files when ``corpus.watch`` is on.
WATCH_INTERVAL = 5.0


@dataclass(frozen=True, slots=True)
class ReloadOutcome:
    """What a reload did.

    Attributes:
        ok: whether the new corpus is being served.
        error: why it failed (``ok`` is false), in words.
        added, removed, changed: document ids.
        problems: ``"path: reason"`` for each file that did not load (or loaded with a caveat).
        documents: documents served after the reload.
        seconds: how long it took.
    """

    ok: bool
    error: str | None = None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    documents: int = 0
    seconds: float = 0.0
    trigger: str = field(default="", compare=False)


def _prepare_store(settings: Settings) -> str | None:
    """Bring the store up to date with the corpus files (runs in a worker process). Returns
    the error, in words, or ``None``; the load that follows raises it again, here."""
    from bot.loading import load_library

    try:
        load_library(settings, quiet=True)
    except Exception as error:  # reported by the load in the bot's process
        return str(error)
    return None


def _prepare_elsewhere(settings: Settings) -> str | None:
    """:func:`_prepare_store` in a worker process, from a thread: starting the process and
    waiting for it to exit block their caller (a 189 ms stall of the event loop measured by
    ``benchmarks.load --reload`` when the pool was made and shut down there)."""
    context = multiprocessing.get_context("forkserver")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(_prepare_store, settings).result()


def failure_reason(error: CorpusError | ConfigError) -> str:
    """Why a reload failed, worded for a bot that keeps serving (not the start-up wording)."""
    from bot import render
    from bot.loading import NoDocuments

    if isinstance(error, NoDocuments):
        return render.reload_no_documents(
            [f"{p.path}: {p.reason}" for p in error.problems if not p.skipped]
        )
    return str(error)


def _load(settings: Settings) -> Library:
    from bot.loading import load_library

    library = load_library(settings, quiet=True).library
    library.warm_up()  # before the swap: no command waits for the new quote ranking
    return library


def compare(old: Library, new: Library) -> tuple[tuple[str, ...], ...]:
    """``(added, removed, changed)`` document ids between two libraries."""
    before = {d.id: d for d in old.corpus}
    after = {d.id: d for d in new.corpus}
    added = tuple(i for i in after if i not in before)
    removed = tuple(i for i in before if i not in after)
    changed = tuple(i for i in after if i in before and after[i] != before[i])
    return added, removed, changed


def _compare_taking(libraries: list[Library]) -> tuple[tuple[str, ...], ...]:
    """:func:`compare` of ``[old, new]``, emptying the list first: the executor's work item
    keeps its arguments until its thread next runs, which can be after the heap is trimmed."""
    old, new = libraries
    libraries.clear()
    return compare(old, new)


class Reloader:
    """Reloads ``bot``'s corpus (see the module docstring). ``load`` builds the new library
    (default: through the store, from ``bot.settings``); tests may pass their own."""

    def __init__(
        self, bot: CorpusBot, *, load: Callable[[Settings], Library] | None = None
    ) -> None:
        self.bot = bot
        self._load = load
        self._running: asyncio.Task[ReloadOutcome] | None = None
        self._watch: asyncio.Task[None] | None = None
        self.last: ReloadOutcome | None = None
        self.signal_installed = False

    async def reload(self, trigger: str) -> ReloadOutcome:
        """Reload now (or join the reload already running); never raises for a bad corpus."""
        if self._running is None or self._running.done():
            self._running = asyncio.create_task(self._reload(trigger))
        return await asyncio.shield(self._running)

    async def _reload(self, trigger: str) -> ReloadOutcome:
        started = time.perf_counter()
        old = self.bot.library
        log.info("reloading the corpus (%s)", trigger)
        # The new library is millions of objects made at once: without this, the cyclic GC runs
        # full collections over them (and the old library) while commands wait for the GIL
        # (a 430 ms pause measured by benchmarks/load.py --reload). Frozen after the swap.
        collecting = gc.isenabled()
        gc.disable()
        try:
            new = await self._build()
            # comparing every paragraph is work: in a thread, not on the event loop
            diff = await asyncio.get_running_loop().run_in_executor(
                None, _compare_taking, [old, new]
            )
        except (CorpusError, ConfigError) as error:
            reason = failure_reason(error)
            outcome = ReloadOutcome(False, reason, documents=len(old.corpus), trigger=trigger)
        except Exception as error:  # a bug must not take the bot down: keep serving
            log.exception("reload failed")
            reason = f"{error.__class__.__name__}: {error}"
            outcome = ReloadOutcome(False, reason, documents=len(old.corpus), trigger=trigger)
        else:
            self.bot.library = new  # one assignment: every later command sees the new corpus
            gc.freeze()  # as at start-up: keep the new library out of full collections
            added, removed, changed = diff
            problems = tuple(f"{p.path}: {p.reason}" for p in new.corpus.problems if not p.skipped)
            outcome = ReloadOutcome(
                True,
                None,
                added,
                removed,
                changed,
                problems,
                len(new.corpus),
                time.perf_counter() - started,
                trigger,
            )
        finally:
            if collecting:
                gc.enable()
        del old  # garbage once the commands still using it finish, so the trim below can free it
        self.last = outcome
        if outcome.ok:
            await asyncio.get_running_loop().run_in_executor(None, release_memory)
            log.info(
                "corpus reloaded in %.1f s: %d documents, %d added, %d removed, %d changed",
                outcome.seconds,
                outcome.documents,
                len(outcome.added),
                len(outcome.removed),
                len(outcome.changed),
            )
        else:
            log.error("reload failed, still serving the previous corpus: %s", outcome.error)
        return outcome

    async def _build(self) -> Library:
        settings = self.bot.settings
        loop = asyncio.get_running_loop()
        if self._load is not None:
            return await loop.run_in_executor(None, self._load, settings)
        from bot.loading import store_folder

        if store_folder(settings) is not None:
            # The heavy part (parsing, deriving, indexing what changed) in another process, so
            # this one's event loop keeps the GIL; then everything comes from the store.
            await loop.run_in_executor(None, _prepare_elsewhere, settings)
        return await loop.run_in_executor(None, _load, settings)

    # ---- triggers -------------------------------------------------------------------------

    def install_signal(self) -> bool:
        """Reload on ``SIGHUP`` (where the platform has it). Returns whether it is installed."""
        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(signal.SIGHUP, self._on_signal)
        except (AttributeError, NotImplementedError, RuntimeError, ValueError):
            return False
        self.signal_installed = True
        return True

    def _on_signal(self) -> None:
        asyncio.get_running_loop().create_task(self.reload("SIGHUP"))

    def start_watching(self, interval: float | None = None) -> None:
        """Poll the corpus paths every ``interval`` seconds (default :data:`WATCH_INTERVAL`) and
        reload when a file changed."""
        if self._watch is None:
            every = WATCH_INTERVAL if interval is None else interval
            self._watch = asyncio.get_running_loop().create_task(self._poll(every))

    async def _poll(self, interval: float) -> None:
        loop = asyncio.get_running_loop()
        paths = list(self.bot.settings.corpus.paths)
        seen = await loop.run_in_executor(None, snapshot, paths)
        while True:
            await asyncio.sleep(interval)
            now = await loop.run_in_executor(None, snapshot, paths)
            if now != seen:
                seen = now
                await self.reload("corpus files changed")

    async def close(self) -> None:
        """Stop watching and forget the signal handler."""
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        if self.signal_installed:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
            self.signal_installed = False


def release_memory() -> None:
    """Give the heap memory freed by the old library back to the system (glibc's
    ``malloc_trim``; nothing where the C library has no such call). Without it the process
    keeps the freed pages: on ten novels RSS stayed about 75 MB above the start after the
    first reload, about 35 MB with it (see benchmarks/README.md)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return
    trim(0)


def reload_text(outcome: ReloadOutcome) -> str:
    """The words for ``outcome`` (see :func:`bot.render.reload_text`)."""
    from bot import render

    return render.reload_text(
        ok=outcome.ok,
        error=outcome.error,
        added=outcome.added,
        removed=outcome.removed,
        changed=outcome.changed,
        problems=outcome.problems,
        documents=outcome.documents,
        seconds=outcome.seconds,
    )


def snapshot(paths: list[Path]) -> frozenset[tuple[str, int, int]]:
    """``(path, size, modification time in ns)`` of every visible file under ``paths``."""
    found: set[tuple[str, int, int]] = set()
    for given in paths:
        root = Path(given)
        files = [root] if not root.is_dir() else []
        if root.is_dir():
            for current, dirs, names in os.walk(root):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                files += [Path(current) / n for n in names if not n.startswith(".")]
        for file in files:
            try:
                stat = file.stat()
            except OSError:
                continue
            found.add((str(file), stat.st_size, stat.st_mtime_ns))
    return frozenset(found)
